//! Learner state in the database: enrolments, per-block state and per-course records.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::now;
use serde::{Deserialize, Serialize};

diesel::table! {
    enrollments (course_id, learner_id) {
        course_id -> Text,
        learner_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    learner_blocks (course_id, learner_id, block_key) {
        course_id -> Text,
        learner_id -> Text,
        block_key -> Text,
        state -> Text,
        attempts -> Integer,
        earned -> Nullable<Double>,
        possible -> Nullable<Double>,
        completed -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    learner_courses (course_id, learner_id) {
        course_id -> Text,
        learner_id -> Text,
        last_unit -> Nullable<Text>,
        percent -> Double,
        letter -> Nullable<Text>,
        passed -> Bool,
        grade -> Text,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(enrollments, learner_blocks, learner_courses);

/// A block's key in learner state: `TYPE/ID`, unique within a course.
pub fn block_key(block_type: &str, id: &str) -> String {
    format!("{block_type}/{id}")
}

/// One learner's state of one block.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = learner_blocks)]
pub struct BlockState {
    pub course_id: String,
    pub learner_id: String,
    pub block_key: String,
    pub state: String,
    pub attempts: i32,
    pub earned: Option<f64>,
    pub possible: Option<f64>,
    pub completed: bool,
    pub updated_at: NaiveDateTime,
}

/// What the outline, sequence navigation and grades need of every block.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// block key → (completed, raw earned, raw possible, attempts)
    pub blocks: HashMap<String, BlockSummary>,
    /// `library_content` block id → the children (ids) picked for this learner, as stored at
    /// the first view (Open edX stores its pick too); they move with the learner on a merge.
    pub selections: HashMap<String, Vec<String>>,
}

/// The state document of a `library_content` block.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LibraryState {
    pub selected: Vec<String>,
}

pub const LIBRARY_PREFIX: &str = "library_content/";

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BlockSummary {
    pub completed: bool,
    pub earned: Option<f64>,
    pub possible: Option<f64>,
    pub attempts: i32,
}

impl Progress {
    pub fn completed(&self, key: &str) -> bool {
        self.blocks.get(key).is_some_and(|b| b.completed)
    }
}

/// The stored grade: the course result and the subsection list, as JSON for the progress page.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = learner_courses)]
pub struct CourseRecord {
    pub course_id: String,
    pub learner_id: String,
    pub last_unit: Option<String>,
    pub percent: f64,
    pub letter: Option<String>,
    pub passed: bool,
    pub grade: String,
    pub updated_at: NaiveDateTime,
}

pub fn is_enrolled(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        enrollments::table
            .filter(enrollments::course_id.eq(course_id))
            .filter(enrollments::learner_id.eq(learner)),
    ))
    .get_result(conn)
}

/// Enrols (idempotent: a second enrolment is not an error).
pub fn enroll(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<()> {
    platform::with_backend!(conn, |c| diesel::insert_into(enrollments::table)
        .values((
            enrollments::course_id.eq(course_id),
            enrollments::learner_id.eq(learner),
            enrollments::created_at.eq(now()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

pub fn unenroll(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<()> {
    diesel::delete(
        enrollments::table
            .filter(enrollments::course_id.eq(course_id))
            .filter(enrollments::learner_id.eq(learner)),
    )
    .execute(conn)?;
    Ok(())
}

/// Course ids a learner is enrolled in.
pub fn enrolled_courses(conn: &mut DbConn, learner: &str) -> QueryResult<Vec<String>> {
    enrollments::table
        .filter(enrollments::learner_id.eq(learner))
        .select(enrollments::course_id)
        .load(conn)
}

/// Completion, scores and library picks of every block the learner touched (one query).
pub fn progress(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<Progress> {
    Ok(progress_and_states(conn, course_id, learner)?.0)
}

/// Every block row of a learner in a course, as progress and as full rows, in one query (a unit
/// page needs both; one fixed query also keeps its prepared statement cached, where an `IN`
/// list of the unit's keys was parsed anew on every request).
pub fn progress_and_states(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
) -> QueryResult<(Progress, HashMap<String, BlockState>)> {
    let rows = all_block_states(conn, course_id, learner)?;
    let progress = Progress {
        blocks: rows
            .iter()
            .map(|r| {
                (
                    r.block_key.clone(),
                    BlockSummary {
                        completed: r.completed,
                        earned: r.earned,
                        possible: r.possible,
                        attempts: r.attempts,
                    },
                )
            })
            .collect(),
        selections: rows
            .iter()
            .filter_map(|r| {
                let id = r.block_key.strip_prefix(LIBRARY_PREFIX)?;
                let st: LibraryState = serde_json::from_str(&r.state).ok()?;
                Some((id.to_string(), st.selected))
            })
            .collect(),
    };
    Ok((
        progress,
        rows.into_iter().map(|r| (r.block_key.clone(), r)).collect(),
    ))
}

/// Every learner's row of one block (poll tallies, CSV exports).
pub fn block_rows(conn: &mut DbConn, course_id: &str, key: &str) -> QueryResult<Vec<BlockState>> {
    learner_blocks::table
        .filter(learner_blocks::course_id.eq(course_id))
        .filter(learner_blocks::block_key.eq(key))
        .order(learner_blocks::updated_at.asc())
        .select(BlockState::as_select())
        .load(conn)
}

pub fn block_state(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    key: &str,
) -> QueryResult<Option<BlockState>> {
    learner_blocks::table
        .find((course_id, learner, key))
        .select(BlockState::as_select())
        .first(conn)
        .optional()
}

/// Writes a block's state. `expected_attempts` guards against a concurrent submission: the
/// update only applies when the stored attempts still match what the caller read (`None`: the
/// row must not exist yet). Returns false when another request got there first.
pub fn save_block_state(
    conn: &mut DbConn,
    row: &BlockState,
    expected_attempts: Option<i32>,
) -> QueryResult<bool> {
    match expected_attempts {
        None => {
            let n = platform::with_backend!(conn, |c| diesel::insert_into(learner_blocks::table)
                .values(row)
                .on_conflict_do_nothing()
                .execute(c))?;
            Ok(n == 1)
        }
        Some(old) => {
            let n = diesel::update(
                learner_blocks::table
                    .find((&row.course_id, &row.learner_id, &row.block_key))
                    .filter(learner_blocks::attempts.eq(old)),
            )
            .set(row)
            .execute(conn)?;
            Ok(n == 1)
        }
    }
}

/// Stores library picks not stored yet (first view of a unit with a `library_content`).
pub fn store_selections(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    picks: &[(String, Vec<String>)],
) -> QueryResult<()> {
    for (block_id, selected) in picks {
        let row = BlockState {
            course_id: course_id.to_string(),
            learner_id: learner.to_string(),
            block_key: format!("{LIBRARY_PREFIX}{block_id}"),
            state: serde_json::to_string(&LibraryState {
                selected: selected.clone(),
            })
            .unwrap_or_else(|_| "{}".into()),
            attempts: 0,
            earned: None,
            possible: None,
            completed: false,
            updated_at: now(),
        };
        platform::with_backend!(conn, |c| diesel::insert_into(learner_blocks::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// Marks blocks completed (viewing a unit completes its html and video blocks), keeping any
/// state they already have.
pub fn mark_completed(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    keys: &[String],
) -> QueryResult<()> {
    let t = now();
    for key in keys {
        let row = BlockState {
            course_id: course_id.to_string(),
            learner_id: learner.to_string(),
            block_key: key.clone(),
            state: "{}".into(),
            attempts: 0,
            earned: None,
            possible: None,
            completed: true,
            updated_at: t,
        };
        let inserted =
            platform::with_backend!(conn, |c| diesel::insert_into(learner_blocks::table)
                .values(&row)
                .on_conflict_do_nothing()
                .execute(c))?;
        if inserted == 0 {
            diesel::update(learner_blocks::table.find((course_id, learner, key)))
                .set(learner_blocks::completed.eq(true))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn course_record(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
) -> QueryResult<Option<CourseRecord>> {
    learner_courses::table
        .find((course_id, learner))
        .select(CourseRecord::as_select())
        .first(conn)
        .optional()
}

/// The grade as stored after a submission.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredGrade {
    pub percent: f64,
    pub letter: Option<String>,
    pub passed: bool,
}

fn ensure_record(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<()> {
    platform::with_backend!(conn, |c| diesel::insert_into(learner_courses::table)
        .values((
            learner_courses::course_id.eq(course_id),
            learner_courses::learner_id.eq(learner),
            learner_courses::percent.eq(0.0),
            learner_courses::passed.eq(false),
            learner_courses::grade.eq("{}"),
            learner_courses::updated_at.eq(now()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// Remembers the unit to resume at.
pub fn set_last_unit(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    unit: &str,
) -> QueryResult<()> {
    ensure_record(conn, course_id, learner)?;
    diesel::update(learner_courses::table.find((course_id, learner)))
        .set(learner_courses::last_unit.eq(unit))
        .execute(conn)?;
    Ok(())
}

/// Stores the course grade computed after a submission (`detail` is the progress page's JSON).
pub fn set_grade(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    grade: &StoredGrade,
    detail: &str,
) -> QueryResult<()> {
    ensure_record(conn, course_id, learner)?;
    diesel::update(learner_courses::table.find((course_id, learner)))
        .set((
            learner_courses::percent.eq(grade.percent),
            learner_courses::letter.eq(grade.letter.as_deref()),
            learner_courses::passed.eq(grade.passed),
            learner_courses::grade.eq(detail),
            learner_courses::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every (course id, learner id) pair with state, for merging.
pub fn learner_course_ids(conn: &mut DbConn, learner: &str) -> QueryResult<Vec<String>> {
    let mut ids: Vec<String> = learner_blocks::table
        .filter(learner_blocks::learner_id.eq(learner))
        .select(learner_blocks::course_id)
        .distinct()
        .load(conn)?;
    ids.extend(
        learner_courses::table
            .filter(learner_courses::learner_id.eq(learner))
            .select(learner_courses::course_id)
            .load::<String>(conn)?,
    );
    ids.extend(enrolled_courses(conn, learner)?);
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// All block rows of a learner in a course.
pub fn all_block_states(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
) -> QueryResult<Vec<BlockState>> {
    learner_blocks::table
        .filter(learner_blocks::course_id.eq(course_id))
        .filter(learner_blocks::learner_id.eq(learner))
        .select(BlockState::as_select())
        .load(conn)
}

pub fn delete_block_state(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    key: &str,
) -> QueryResult<()> {
    diesel::delete(learner_blocks::table.find((course_id, learner, key))).execute(conn)?;
    Ok(())
}

/// Moves a block row to another learner (merging an anonymous learner into an account).
pub fn reassign_block(
    conn: &mut DbConn,
    course_id: &str,
    from: &str,
    to: &str,
    key: &str,
) -> QueryResult<()> {
    diesel::update(learner_blocks::table.find((course_id, from, key)))
        .set(learner_blocks::learner_id.eq(to))
        .execute(conn)?;
    Ok(())
}

/// Removes what is left of a learner in a course after a merge.
pub fn drop_learner_course(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<()> {
    diesel::delete(
        learner_blocks::table
            .filter(learner_blocks::course_id.eq(course_id))
            .filter(learner_blocks::learner_id.eq(learner)),
    )
    .execute(conn)?;
    diesel::delete(learner_courses::table.find((course_id, learner))).execute(conn)?;
    unenroll(conn, course_id, learner)
}
