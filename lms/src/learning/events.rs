//! What follows from a learner's progress: certificates now, points and badges next. Both hooks
//! run inside the write transaction that stored the progress, so whatever they award is awarded
//! exactly once, also under concurrent submissions (the transaction that loses a race stores
//! nothing and calls nothing).

use platform::db::DbConn;

use super::cache::LoadedCourse;
use super::db::Progress;
use super::grades::GradeDetail;

/// A unit view completed `keys` (block keys) for the first time. `progress` already includes
/// them.
pub fn on_completed(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    _keys: &[String],
    progress: &Progress,
) -> diesel::QueryResult<()> {
    crate::certificates::award::consider(conn, course, learner, progress, None)?;
    Ok(())
}

/// A problem was graded (a check that used an attempt) and the course grade recomputed.
/// `progress` is the learner's state after the submission.
#[allow(clippy::too_many_arguments)]
pub fn on_graded(
    _conn: &mut DbConn,
    _course: &LoadedCourse,
    _learner: &str,
    _idx: usize,
    _earned: f64,
    _possible: f64,
    _attempts: i32,
    _progress: &Progress,
    _detail: &GradeDetail,
) -> diesel::QueryResult<()> {
    Ok(())
}
