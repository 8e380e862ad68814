//! Who gets a certificate, by the course's [`CertificateMode`]: a passing grade (Open edX's rule)
//! or every block completed. Only learners with an account: a certificate needs a name, so
//! anonymous learners are invited to register and get it when their progress merges.

use platform::db::DbConn;
use studio::store::CertificateMode;

use crate::learning::cache::LoadedCourse;
use crate::learning::courseware::course_completed;
use crate::learning::db::Progress;
use crate::learning::grades::GradeDetail;

use super::store;

/// Issues the certificate when the learner now qualifies. Issued once and never taken back by a
/// later lower score (Open edX keeps it too); only staff revoke. `detail` is the fresh grade when
/// the caller has one.
pub fn consider(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    progress: &Progress,
    detail: Option<&GradeDetail>,
) -> diesel::QueryResult<()> {
    if learner.starts_with("anon-") {
        return Ok(());
    }
    let options = course.row.options();
    let status = match options.certificates {
        CertificateMode::Off => None,
        CertificateMode::Pass => match detail {
            Some(d) if d.passed => Some(store::DOWNLOADABLE),
            // Completed everything without passing: recorded, so the learner is told where they
            // stand, and upgraded if they pass later.
            Some(_) if course_completed(course, learner, progress) => Some(store::NOTPASSING),
            _ => None,
        },
        CertificateMode::Completion => {
            course_completed(course, learner, progress).then_some(store::DOWNLOADABLE)
        }
    };
    if let Some(status) = status {
        let percent = match detail {
            Some(d) => d.percent,
            None => crate::learning::db::course_record(conn, &course.row.id, learner)?
                .map_or(0.0, |r| r.percent),
        };
        store::issue(
            conn,
            learner,
            &course.row.id,
            &course.course.title(),
            course.issuer_name(),
            percent,
            status,
        )?;
    }
    Ok(())
}
