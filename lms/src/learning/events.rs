//! What follows from a learner's progress: certificates, points and badges. Both hooks
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
    crate::gamification::award::consider(conn, course, learner, progress, true, false, true)?;
    Ok(())
}

/// A problem was graded (a check that used an attempt) and the course grade recomputed.
/// `progress` is the learner's state after the submission.
#[allow(clippy::too_many_arguments)]
pub fn on_graded(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    _idx: usize,
    earned: f64,
    possible: f64,
    attempts: i32,
    progress: &Progress,
    _detail: &GradeDetail,
) -> diesel::QueryResult<()> {
    let right = possible > 0.0 && earned >= possible;
    // A first attempt completes the problem; a right answer may earn points. A repeated wrong
    // answer changes neither.
    let changed = attempts == 1 || right;
    crate::gamification::award::consider(
        conn,
        course,
        learner,
        progress,
        true,
        attempts == 1 && right,
        changed,
    )?;
    Ok(())
}

/// An anonymous learner's progress was merged into the account `learner` and the grade
/// recomputed: award what the combined progress earns (not a day of activity).
pub fn on_merged(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    progress: &Progress,
) -> diesel::QueryResult<()> {
    crate::gamification::award::consider(conn, course, learner, progress, false, true, true)
}
