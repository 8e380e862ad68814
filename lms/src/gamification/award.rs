//! What a learner earns from their progress in a course: points for units completed and
//! problems answered fully right, and badges. Called from the learner event hooks inside the
//! transaction that stored the progress; every award is keyed, so calling it again (a revisit, a
//! re-answer, a concurrent submission, a merge) awards nothing new.

use std::collections::HashSet;

use chrono::Utc;
use platform::db::DbConn;

use super::store::{self, KIND_CHAPTER, KIND_COURSE, KIND_FIRST_TIME, KIND_STREAK};
use super::streaks;
use crate::learning::cache::LoadedCourse;
use crate::learning::courseware::{unit_completed, visible_leaves};
use crate::learning::db::{self, block_key, Progress};
use crate::learning::problems::ProblemState;

/// Streak lengths (days) that earn a badge.
pub const STREAK_BADGES: [u32; 3] = [3, 7, 30];

/// Awards what `progress` now earns. `activity`: the learner did something today (a view that
/// completed blocks, a graded answer), as opposed to progress arriving by a merge.
/// `may_complete_first_time`: this event can complete "every problem right at the first attempt"
/// (a first attempt answered fully right, or a merge). `progress_changed`: false for a repeated
/// wrong answer, which completes nothing and earns no points, so only the day can count (a
/// learner retrying one problem many times should not walk the course each time).
pub fn consider(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    progress: &Progress,
    activity: bool,
    may_complete_first_time: bool,
    progress_changed: bool,
) -> diesel::QueryResult<()> {
    let options = course.row.options();
    if !options.gamification {
        return Ok(());
    }
    let cid = course.row.id.as_str();
    // Read the days first: the insert is needed only on a learner's first event of the day.
    let mut days = store::days_in_course(conn, learner, cid)?;
    let mut new_day = false;
    if activity {
        let today = streaks::polish_day(&Utc::now());
        if !days.contains(&today) {
            store::record_day(conn, learner, cid, today)?;
            days.push(today);
            new_day = true;
        }
    }
    if !progress_changed {
        if new_day {
            streak_badges(conn, course, learner, &days)?;
        }
        return Ok(());
    }
    let have: HashSet<String> = store::event_keys(conn, learner, cid)?.into_iter().collect();
    let units_done: Vec<bool> = course
        .units
        .iter()
        .map(|u| unit_completed(course, u.idx, learner, progress))
        .collect();
    if options.points_per_unit > 0 {
        for (u, _) in course.units.iter().zip(&units_done).filter(|(_, d)| **d) {
            let key = format!("unit:{}", course.block(u.idx).id);
            if !have.contains(&key) {
                store::award_points(conn, learner, cid, &key, options.points_per_unit as i32)?;
            }
        }
    }
    if options.points_per_correct > 0 {
        for (k, s) in &progress.blocks {
            let Some(id) = k.strip_prefix("problem/") else {
                continue;
            };
            let right = s
                .earned
                .zip(s.possible)
                .is_some_and(|(e, p)| p > 0.0 && e >= p);
            let key = format!("correct:{id}");
            if right && !have.contains(&key) && course.find("problem", id).is_some() {
                store::award_points(conn, learner, cid, &key, options.points_per_correct as i32)?;
            }
        }
    }
    badges(
        conn,
        course,
        learner,
        progress,
        &units_done,
        &days,
        may_complete_first_time,
    )
}

fn badges(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    progress: &Progress,
    units_done: &[bool],
    days: &[chrono::NaiveDate],
    may_complete_first_time: bool,
) -> diesel::QueryResult<()> {
    let awarder = Awarder::load(conn, course, learner)?;
    let award = |conn: &mut DbConn, key: String, kind: &str, subject: &str| {
        awarder.award(conn, &key, kind, subject)
    };
    let done = |idx: usize| {
        course
            .units
            .iter()
            .position(|u| u.idx == idx)
            .is_some_and(|p| units_done[p])
    };
    for ch in &course.chapters {
        let units: Vec<usize> = ch
            .sequentials
            .iter()
            .flat_map(|s| s.units.iter().copied())
            .collect();
        if !units.is_empty() && units.iter().all(|&u| done(u)) {
            let b = course.block(ch.idx);
            award(
                conn,
                format!("chapter:{}", b.id),
                KIND_CHAPTER,
                &course.display_name(ch.idx),
            )?;
        }
    }
    // The same test as `courseware::course_completed`, from the walk already made.
    let completed = !units_done.is_empty() && units_done.iter().all(|&d| d);
    if completed {
        award(conn, "course".into(), KIND_COURSE, "")?;
    }
    awarder.streaks(conn, days)?;
    // The badge can only become due when a problem is answered right at its first attempt (or
    // progress arrives by a merge): only then is the walk over every problem worth it.
    if may_complete_first_time
        && !awarder.have.contains("first-time")
        && all_right_first_time(conn, course, learner, progress)?
    {
        award(conn, "first-time".into(), KIND_FIRST_TIME, "")?;
    }
    Ok(())
}

/// Whether every scored problem the learner sees in the course has been answered, and each was
/// fully right at its first graded attempt. False for a course without scored problems.
fn all_right_first_time(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    progress: &Progress,
) -> diesel::QueryResult<bool> {
    let mut problems = Vec::new();
    for u in &course.units {
        let mut leaves = Vec::new();
        visible_leaves(course, u.idx, learner, progress, &mut leaves);
        problems.extend(leaves.into_iter().filter(|&l| {
            course.block(l).block_type == "problem"
                && crate::learning::grades::max_score(course, l).is_some_and(|m| m > 0.0)
        }));
    }
    if problems.is_empty() {
        return Ok(false);
    }
    let keys: Vec<String> = problems
        .iter()
        .map(|&p| block_key("problem", &course.block(p).id))
        .collect();
    // Cheap check first: every one answered (the summaries are in hand).
    if !keys
        .iter()
        .all(|k| progress.blocks.get(k).is_some_and(|s| s.attempts > 0))
    {
        return Ok(false);
    }
    let rows = db::all_block_states(conn, &course.row.id, learner)?;
    Ok(keys.iter().all(|k| {
        rows.iter().find(|r| &r.block_key == k).is_some_and(|r| {
            let possible = r.possible.unwrap_or(0.0);
            let st: ProblemState = serde_json::from_str(&r.state).unwrap_or_default();
            let first = st
                .history
                .first()
                .copied()
                .or_else(|| (r.attempts == 1).then_some(r.earned.unwrap_or(0.0)));
            possible > 0.0 && first.is_some_and(|f| f >= possible - 1e-9)
        })
    }))
}

/// Only the streak badges (a new day of activity without other progress).
fn streak_badges(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
    days: &[chrono::NaiveDate],
) -> diesel::QueryResult<()> {
    // Nothing can be due below the shortest streak badge: no query then.
    if streaks::longest_streak(days) < STREAK_BADGES[0] {
        return Ok(());
    }
    Awarder::load(conn, course, learner)?.streaks(conn, days)
}

/// Awards badges of one learner in one course, each once (the keys they already hold are read
/// once per event).
struct Awarder<'a> {
    cid: &'a str,
    learner: &'a str,
    have: HashSet<String>,
    title: String,
    org: String,
}

impl<'a> Awarder<'a> {
    fn load(
        conn: &mut DbConn,
        course: &'a LoadedCourse,
        learner: &'a str,
    ) -> diesel::QueryResult<Self> {
        let cid = course.row.id.as_str();
        Ok(Self {
            cid,
            learner,
            have: store::badge_keys(conn, learner, cid)?.into_iter().collect(),
            title: course.course.title(),
            org: course.issuer_name().to_string(),
        })
    }

    fn award(
        &self,
        conn: &mut DbConn,
        key: &str,
        kind: &str,
        subject: &str,
    ) -> diesel::QueryResult<()> {
        if self.have.contains(key) {
            return Ok(());
        }
        store::award_badge(
            conn,
            self.learner,
            self.cid,
            key,
            kind,
            subject,
            &self.title,
            &self.org,
        )
        .map(|_| ())
    }

    /// The streak badges the learner's longest streak in the course has reached.
    fn streaks(&self, conn: &mut DbConn, days: &[chrono::NaiveDate]) -> diesel::QueryResult<()> {
        let longest = streaks::longest_streak(days);
        for n in STREAK_BADGES.iter().filter(|&&n| longest >= n) {
            self.award(conn, &format!("streak:{n}"), KIND_STREAK, &n.to_string())?;
        }
        Ok(())
    }
}
