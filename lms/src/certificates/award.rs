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
    let qualifies = match course.row.options().certificates {
        CertificateMode::Off => false,
        CertificateMode::Pass => detail.is_some_and(|d| d.passed),
        CertificateMode::Completion => course_completed(course, learner, progress),
    };
    if qualifies {
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
            course
                .organisation
                .as_ref()
                .map_or("SZPoN", |(n, _)| n.as_str()),
            percent,
        )?;
    }
    Ok(())
}
