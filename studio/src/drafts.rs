//! Drafts and publishing (issue 6): authors edit a course's one **draft**; learners see the
//! published version only (`courses.current_version_id`); "Publish" (a unit, a section, or
//! everything) saves a new published version; every version can be rolled back to.
//!
//! Storage: the draft is a `course_versions` row with `state = 'draft'` and `number = 0` (at most
//! one per course: a unique partial index), with its `course_blocks` and `course_assets` like any
//! version, replaced in place on every save. Published versions stay immutable and are numbered
//! from 1; `store::save_version` is the only thing that moves `current_version_id`, so a draft is
//! never current. The draft is created on first use as a copy of the current version.
//!
//! Not drafted, as in Open edX: settings, schedule, grading and files go through
//! `store::change_current`, which applies the same change to the draft ([`rebase_draft`]).
//! An import of a course over an existing one (`/studio/import`, `szpon import`) replaces
//! everything: the draft is discarded, and the next edit starts from the imported version.
//! A rollback also resets the draft (discarded, so the next edit copies the restored version).

use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::{new_id, now};
use xblock_compat::olx::publish::{self, Change, PublishError};
use xblock_compat::olx::Course;

use crate::store::{self, course_assets, course_blocks, course_versions, courses};

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";

/// What to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A unit (`vertical`) by id, with its components.
    Unit(String),
    /// A section (`chapter`) by id, with its structure, subsections, units and components.
    Section(String),
    /// The whole draft.
    All,
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("the course has no published version")]
    NoCourse,
    #[error("the course has no version {0}")]
    NoVersion(i32),
    #[error("nothing to publish: the published course already has these contents")]
    NothingToPublish,
    #[error("the tree is course {0}, not this course")]
    WrongCourse(String),
}

/// For Studio's handlers: an unknown course is a 404, a database error is itself, anything else
/// (a refused publish the handler did not expect) an internal error.
impl From<DraftError> for platform::web::AppError {
    fn from(e: DraftError) -> Self {
        match e {
            DraftError::Db(e) => e.into(),
            DraftError::NoCourse => platform::web::AppError::NotFound,
            other => platform::web::AppError::internal(other),
        }
    }
}

/// A published version, for a history list.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct VersionInfo {
    pub number: i32,
    pub source: String,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

/// The id of the course's draft row, if it has one.
pub fn draft_version_id(conn: &mut DbConn, course_id: &str) -> QueryResult<Option<String>> {
    course_versions::table
        .filter(course_versions::course_id.eq(course_id))
        .filter(course_versions::state.eq(DRAFT))
        .select(course_versions::id)
        .first(conn)
        .optional()
}

/// Whether the course has a draft (it may still equal the published version).
pub fn has_draft(conn: &mut DbConn, course_id: &str) -> QueryResult<bool> {
    draft_version_id(conn, course_id).map(|v| v.is_some())
}

/// Replaces the draft row's contents with `course`, creating the row when missing.
fn write_draft(
    conn: &mut DbConn,
    course_id: &str,
    course: &Course,
    user_id: Option<&str>,
) -> QueryResult<String> {
    let course = publish::compact(course);
    let meta = store::meta_json(&course);
    let id = match draft_version_id(conn, course_id)? {
        Some(id) => {
            diesel::delete(course_blocks::table.filter(course_blocks::version_id.eq(&id)))
                .execute(conn)?;
            diesel::delete(course_assets::table.filter(course_assets::version_id.eq(&id)))
                .execute(conn)?;
            diesel::update(course_versions::table.find(&id))
                .set((
                    course_versions::meta.eq(meta),
                    course_versions::created_by.eq(user_id),
                    course_versions::created_at.eq(now()),
                ))
                .execute(conn)?;
            id
        }
        None => {
            let id = new_id();
            diesel::insert_into(course_versions::table)
                .values((
                    course_versions::id.eq(&id),
                    course_versions::course_id.eq(course_id),
                    course_versions::number.eq(0),
                    course_versions::source.eq(DRAFT),
                    course_versions::meta.eq(meta),
                    course_versions::created_by.eq(user_id),
                    course_versions::created_at.eq(now()),
                    course_versions::state.eq(DRAFT),
                ))
                .execute(conn)?;
            id
        }
    };
    store::insert_tree(conn, &id, &course)?;
    Ok(id)
}

fn current(conn: &mut DbConn, course_id: &str) -> Result<(store::CourseRow, Course), DraftError> {
    store::load_current_by_id(conn, course_id)?.ok_or(DraftError::NoCourse)
}

/// The course's draft, made from the current version if it has none yet.
pub fn draft(
    conn: &mut DbConn,
    course_id: &str,
    user_id: Option<&str>,
) -> Result<Course, DraftError> {
    conn.transaction(|conn| {
        if let Some(id) = draft_version_id(conn, course_id)? {
            return Ok(store::load_version(conn, &id)?);
        }
        let (_, course) = current(conn, course_id)?;
        write_draft(conn, course_id, &course, user_id)?;
        Ok(course)
    })
}

/// The published course and the draft, if the course has one (nothing is written).
pub fn published_and_draft(
    conn: &mut DbConn,
    course_id: &str,
) -> Result<(Course, Option<Course>), DraftError> {
    let (_, published) = current(conn, course_id)?;
    let draft = match draft_version_id(conn, course_id)? {
        Some(id) => Some(store::load_version(conn, &id)?),
        None => None,
    };
    Ok((published, draft))
}

/// What authors are editing, without writing anything: the draft if the course has one, else
/// its current version (a page that only shows the draft must not start one).
pub fn working_copy(conn: &mut DbConn, course_id: &str) -> Result<Course, DraftError> {
    match draft_version_id(conn, course_id)? {
        Some(id) => Ok(store::load_version(conn, &id)?),
        None => Ok(current(conn, course_id)?.1),
    }
}

/// Saves an edited draft (the whole tree; the course key must be this course's).
pub fn save_draft(
    conn: &mut DbConn,
    course_id: &str,
    course: &Course,
    user_id: Option<&str>,
) -> Result<(), DraftError> {
    conn.transaction(|conn| {
        let key: String = courses::table
            .find(course_id)
            .select(courses::course_key)
            .first(conn)
            .optional()?
            .ok_or(DraftError::NoCourse)?;
        if key != course.key() {
            return Err(DraftError::WrongCourse(course.key()));
        }
        write_draft(conn, course_id, course, user_id)?;
        Ok(())
    })
}

/// Why a draft edit failed: the database, or the edit itself (`E`, e.g. an invalid form).
#[derive(Debug)]
pub enum EditFailed<E> {
    Draft(DraftError),
    Edit(E),
}

impl<E> From<diesel::result::Error> for EditFailed<E> {
    fn from(e: diesel::result::Error) -> Self {
        EditFailed::Draft(DraftError::Db(e))
    }
}

impl<E> From<DraftError> for EditFailed<E> {
    fn from(e: DraftError) -> Self {
        EditFailed::Draft(e)
    }
}

/// Edits the course's draft in one transaction: loads it (made from the current version when
/// missing), applies `edit`, and saves it when `edit` succeeds. Concurrent edits of one course
/// are serialised ([`store::lock_course`]), so no edit is lost to another's stale copy.
pub fn edit<T, E>(
    conn: &mut DbConn,
    course_id: &str,
    user_id: Option<&str>,
    edit: impl FnOnce(&mut Course) -> Result<T, E>,
) -> Result<T, EditFailed<E>> {
    conn.transaction(|conn| {
        store::lock_course(conn, course_id)?;
        let mut course = match draft_version_id(conn, course_id)? {
            Some(id) => store::load_version(conn, &id)?,
            None => current(conn, course_id)?.1,
        };
        let before = course.clone();
        let out = edit(&mut course).map_err(EditFailed::Edit)?;
        // An edit that changed nothing (a rename to the same name, a move at the edge) neither
        // writes nor starts a draft.
        if course != before {
            write_draft(conn, course_id, &course, user_id)?;
        }
        Ok(out)
    })
}

/// Publishes part or all of the draft as a new published version; returns its number. The draft
/// stays (for what was published it now equals the published course).
pub fn publish(
    conn: &mut DbConn,
    course_id: &str,
    scope: &Scope,
    user_id: Option<&str>,
) -> Result<i32, DraftError> {
    conn.transaction(|conn| {
        store::lock_course(conn, course_id)?;
        let (row, published) = current(conn, course_id)?;
        let Some(id) = draft_version_id(conn, course_id)? else {
            return Err(DraftError::NothingToPublish);
        };
        let draft = store::load_version(conn, &id)?;
        let next = match scope {
            Scope::Unit(id) => publish::publish_subtree(&published, &draft, ("vertical", id))?,
            Scope::Section(id) => publish::publish_subtree(&published, &draft, ("chapter", id))?,
            Scope::All => publish::publish_all(&published, &draft),
        };
        if next.round_trip_view() == published.round_trip_view() {
            return Err(DraftError::NothingToPublish);
        }
        let saved = store::save_version(
            conn,
            &next,
            row.organisation_id.as_deref(),
            user_id,
            "publish",
        )?;
        Ok(saved.number)
    })
}

/// The unpublished changes (none without a draft).
pub fn changes(conn: &mut DbConn, course_id: &str) -> Result<Vec<Change>, DraftError> {
    if draft_version_id(conn, course_id)?.is_none() {
        return Ok(Vec::new());
    }
    let (published, draft) = published_and_draft(conn, course_id)?;
    Ok(draft.map_or_else(Vec::new, |d| publish::diff(&published, &d)))
}

/// The published versions, newest first.
pub fn versions(conn: &mut DbConn, course_id: &str) -> QueryResult<Vec<VersionInfo>> {
    course_versions::table
        .filter(course_versions::course_id.eq(course_id))
        .filter(course_versions::state.eq(PUBLISHED))
        .order(course_versions::number.desc())
        .select((
            course_versions::number,
            course_versions::source,
            course_versions::created_by,
            course_versions::created_at,
        ))
        .load(conn)
}

/// Makes published version `number` current again by saving a copy of it as a new version (so
/// history stays linear); the draft is reset to it. Returns the new version's number.
pub fn rollback(
    conn: &mut DbConn,
    course_id: &str,
    number: i32,
    user_id: Option<&str>,
) -> Result<i32, DraftError> {
    conn.transaction(|conn| {
        store::lock_course(conn, course_id)?;
        let (row, _) = current(conn, course_id)?;
        let id: String = course_versions::table
            .filter(course_versions::course_id.eq(course_id))
            .filter(course_versions::state.eq(PUBLISHED))
            .filter(course_versions::number.eq(number))
            .select(course_versions::id)
            .first(conn)
            .optional()?
            .ok_or(DraftError::NoVersion(number))?;
        let old = store::load_version(conn, &id)?;
        let saved = store::save_version(
            conn,
            &old,
            row.organisation_id.as_deref(),
            user_id,
            &format!("rollback:{number}"),
        )?;
        discard_draft(conn, course_id)?;
        Ok(saved.number)
    })
}

/// Drops the draft and its unpublished changes; returns whether there was one.
pub fn discard_draft(conn: &mut DbConn, course_id: &str) -> QueryResult<bool> {
    let Some(id) = draft_version_id(conn, course_id)? else {
        return Ok(false);
    };
    diesel::delete(course_blocks::table.filter(course_blocks::version_id.eq(&id))).execute(conn)?;
    diesel::delete(course_assets::table.filter(course_assets::version_id.eq(&id))).execute(conn)?;
    diesel::delete(course_versions::table.find(&id)).execute(conn)?;
    Ok(true)
}

/// Applies a non-drafted change of the published course (`before` → `after`) to the draft, if
/// there is one (`publish::rebase`). Called by `store::change_current` in its transaction.
pub(crate) fn rebase_draft(
    conn: &mut DbConn,
    course_id: &str,
    before: &Course,
    after: &Course,
) -> QueryResult<()> {
    let Some(id) = draft_version_id(conn, course_id)? else {
        return Ok(());
    };
    let mut draft = store::load_version(conn, &id)?;
    if publish::rebase(before, after, &mut draft) {
        let user: Option<String> = course_versions::table
            .find(&id)
            .select(course_versions::created_by)
            .first(conn)?;
        write_draft(conn, course_id, &draft, user.as_deref())?;
    }
    Ok(())
}
