//! Courses in the database: each import (later each publish) is an immutable version; the
//! course row points at its current one. Files live in the platform's content-addressed store.

use std::collections::BTreeMap;

use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::{new_id, now};
use serde::{Deserialize, Serialize};
use xblock_compat::olx::{Block, ContextKind, Course, Source, StaticFile};

diesel::table! {
    courses (id) {
        id -> Text,
        course_key -> Text,
        kind -> Text,
        organisation_id -> Nullable<Text>,
        title -> Text,
        current_version_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        visibility -> Text,
        language -> Text,
        summary -> Text,
        options -> Text,
    }
}

diesel::table! {
    course_versions (id) {
        id -> Text,
        course_id -> Text,
        number -> Integer,
        source -> Text,
        meta -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        /// `published`, or `draft` for a course's one draft (see `crate::drafts`).
        state -> Text,
    }
}

diesel::table! {
    course_blocks (version_id, seq) {
        version_id -> Text,
        seq -> Integer,
        block_type -> Text,
        block_id -> Text,
        parent_seq -> Nullable<Integer>,
        position -> Integer,
        draft -> Bool,
        inline_def -> Bool,
        attrs -> Text,
        policy -> Text,
        xml -> Text,
        body -> Nullable<Text>,
        extra_xml -> Text,
        source_file -> Text,
        source_line -> Integer,
    }
}

diesel::table! {
    course_assets (version_id, path) {
        version_id -> Text,
        path -> Text,
        sha256 -> Text,
        size -> BigInt,
        content_type -> Text,
    }
}

diesel::joinable!(course_versions -> courses (course_id));
diesel::allow_tables_to_appear_in_same_query!(
    courses,
    course_versions,
    course_blocks,
    course_assets
);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = courses)]
pub struct CourseRow {
    pub id: String,
    pub course_key: String,
    pub kind: String,
    pub organisation_id: Option<String>,
    pub title: String,
    pub current_version_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// `public`, `enrolled` or `organisation`: see [`Visibility`].
    pub visibility: String,
    /// The course's `language` setting (e.g. "pl", "en"), "" when unset.
    pub language: String,
    /// Plain-text short description for the catalog (from `about/short_description`).
    pub summary: String,
    /// [`CourseOptions`] as JSON.
    pub options: String,
}

/// Who may learn a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone, also without an account ("free" mode).
    Public,
    /// Signed-in people who enrol.
    Enrolled,
    /// Members of the course's organisation.
    Organisation,
}

impl Visibility {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Self::Public),
            "enrolled" => Some(Self::Enrolled),
            "organisation" => Some(Self::Organisation),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Enrolled => "enrolled",
            Self::Organisation => "organisation",
        }
    }
}

impl CourseRow {
    /// Unknown stored values fall back to the most restrictive choice.
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Organisation)
    }
}

/// Catalog text: tags removed, whitespace collapsed, at most `max` characters.
pub fn plain_text(html: &str, max: usize) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut text = words.join(" ");
    if text.chars().count() > max {
        text = text.chars().take(max).collect::<String>() + "…";
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Sets who may learn the course.
pub fn set_visibility(conn: &mut DbConn, course_id: &str, v: Visibility) -> QueryResult<usize> {
    diesel::update(courses::table.find(course_id))
        .set(courses::visibility.eq(v.as_str()))
        .execute(conn)
}

/// When a course gives certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CertificateMode {
    /// No certificates.
    Off,
    /// When the course grade reaches the grading policy's pass cutoff (Open edX's rule).
    #[default]
    Pass,
    /// When every gradable and completable block of the course is completed, whatever the grade
    /// (for courses without assessment, e.g. an induction course).
    Completion,
}

impl CertificateMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "off" => Some(Self::Off),
            "pass" => Some(Self::Pass),
            "completion" => Some(Self::Completion),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Pass => "pass",
            Self::Completion => "completion",
        }
    }
}

/// SZPoN's own per-course options (not part of OLX), stored as JSON in `courses.options`.
/// Missing keys take their defaults, so older rows and new options need no migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CourseOptions {
    pub certificates: CertificateMode,
    /// Whether the certificate (PDF, page, credential) states the grade.
    pub certificate_shows_grade: bool,
    /// Points, levels, badges and the leaderboard for this course.
    pub gamification: bool,
    /// Points for each unit completed.
    pub points_per_unit: u32,
    /// Points for each problem answered fully right (once per problem).
    pub points_per_correct: u32,
}

impl Default for CourseOptions {
    fn default() -> Self {
        Self {
            certificates: CertificateMode::Pass,
            certificate_shows_grade: true,
            gamification: true,
            points_per_unit: 10,
            points_per_correct: 5,
        }
    }
}

impl CourseRow {
    /// The course's options; a damaged document falls back to the defaults.
    pub fn options(&self) -> CourseOptions {
        serde_json::from_str(&self.options).unwrap_or_default()
    }
}

/// Stores a course's options.
pub fn set_options(conn: &mut DbConn, course_id: &str, o: &CourseOptions) -> QueryResult<usize> {
    let json = serde_json::to_string(o).expect("options serialise");
    diesel::update(courses::table.find(course_id))
        .set((courses::options.eq(json), courses::updated_at.eq(now())))
        .execute(conn)
}

/// Course-level parts of a version that are not blocks, stored as one JSON document.
#[derive(Serialize, Deserialize)]
struct Meta {
    kind: ContextKind,
    org: String,
    number: String,
    run: String,
    top_attrs: Vec<(String, String)>,
    root: usize,
    policy_extra: serde_json::Map<String, serde_json::Value>,
    grading_policy: Option<String>,
    about: BTreeMap<String, String>,
    info: BTreeMap<String, String>,
    tabs: BTreeMap<String, String>,
    /// Base64, since these files need not be text.
    extra_files: BTreeMap<String, String>,
    warnings: Vec<String>,
}

#[derive(Insertable)]
#[diesel(table_name = course_blocks)]
struct BlockRow<'a> {
    version_id: &'a str,
    seq: i32,
    block_type: &'a str,
    block_id: &'a str,
    parent_seq: Option<i32>,
    position: i32,
    draft: bool,
    inline_def: bool,
    attrs: String,
    policy: String,
    xml: &'a str,
    body: Option<&'a str>,
    extra_xml: String,
    source_file: &'a str,
    source_line: i32,
}

#[derive(Insertable)]
#[diesel(table_name = course_assets)]
struct AssetRow<'a> {
    version_id: &'a str,
    path: &'a str,
    sha256: &'a str,
    size: i64,
    content_type: String,
}

/// What a saved version is.
#[derive(Debug, Clone, Serialize)]
pub struct SavedVersion {
    pub course_id: String,
    pub version_id: String,
    pub number: i32,
    pub created: bool,
}

fn kind_str(k: ContextKind) -> &'static str {
    match k {
        ContextKind::Course => "course",
        ContextKind::Library => "library",
    }
}

/// A version's course-level data (everything but blocks and files) as stored in
/// `course_versions.meta`.
pub(crate) fn meta_json(course: &Course) -> String {
    let meta = Meta {
        kind: course.kind,
        org: course.org.clone(),
        number: course.number.clone(),
        run: course.run.clone(),
        top_attrs: course.top_attrs.clone(),
        root: course.root,
        policy_extra: course.policy_extra.clone(),
        grading_policy: course.grading_policy.clone(),
        about: course.about.clone(),
        info: course.info.clone(),
        tabs: course.tabs.clone(),
        extra_files: course
            .extra_files
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    base64::engine::general_purpose::STANDARD.encode(v),
                )
            })
            .collect(),
        warnings: course.warnings.clone(),
    };
    serde_json::to_string(&meta).expect("meta serialises")
}

/// Writes the blocks and the file list of `course` for the version `version_id` (which must have
/// none yet).
pub(crate) fn insert_tree(conn: &mut DbConn, version_id: &str, course: &Course) -> QueryResult<()> {
    let mut position = vec![0i32; course.blocks.len()];
    for b in &course.blocks {
        for (i, &c) in b.children.iter().enumerate() {
            position[c] = i as i32;
        }
    }
    let rows: Vec<BlockRow<'_>> = course
        .blocks
        .iter()
        .enumerate()
        .map(|(seq, b)| BlockRow {
            version_id,
            seq: seq as i32,
            block_type: &b.block_type,
            block_id: &b.id,
            parent_seq: b.parent.map(|p| p as i32),
            position: position[seq],
            draft: b.draft,
            inline_def: b.inline,
            attrs: serde_json::to_string(&b.attrs).expect("attrs serialise"),
            policy: serde_json::to_string(&b.policy).expect("policy serialises"),
            xml: &b.xml,
            body: b.body.as_deref(),
            extra_xml: serde_json::to_string(&b.extra_xml).expect("strings serialise"),
            source_file: &b.source.file,
            source_line: b.source.line as i32,
        })
        .collect();
    // SQLite allows 32766 bound parameters per statement; 15 columns × 1000 rows stays below.
    for chunk in rows.chunks(1000) {
        platform::with_backend!(&mut *conn, |c| diesel::insert_into(course_blocks::table)
            .values(chunk)
            .execute(c))?;
    }
    let assets: Vec<AssetRow<'_>> = course
        .statics
        .iter()
        .map(|s| AssetRow {
            version_id,
            path: &s.path,
            sha256: &s.sha256,
            size: s.size as i64,
            content_type: mime_guess::from_path(&s.path)
                .first_or_octet_stream()
                .essence_str()
                .to_string(),
        })
        .collect();
    for chunk in assets.chunks(2000) {
        platform::with_backend!(&mut *conn, |c| diesel::insert_into(course_assets::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Stores `course` as a new version and makes it current. Run inside a transaction: either
/// everything is written or nothing.
pub fn save_version(
    conn: &mut DbConn,
    course: &Course,
    organisation_id: Option<&str>,
    user_id: Option<&str>,
    source: &str,
) -> QueryResult<SavedVersion> {
    let key = course.key();
    let t = now();
    let existing: Option<CourseRow> = courses::table
        .filter(courses::course_key.eq(&key))
        .select(CourseRow::as_select())
        .first(conn)
        .optional()?;
    let (course_id, created) = match existing {
        Some(row) => (row.id, false),
        None => {
            let id = new_id();
            diesel::insert_into(courses::table)
                .values((
                    courses::id.eq(&id),
                    courses::course_key.eq(&key),
                    courses::kind.eq(kind_str(course.kind)),
                    courses::organisation_id.eq(organisation_id),
                    courses::title.eq(course.title()),
                    courses::created_at.eq(t),
                    courses::updated_at.eq(t),
                ))
                .execute(conn)?;
            (id, true)
        }
    };
    let last: Option<i32> = course_versions::table
        .filter(course_versions::course_id.eq(&course_id))
        .select(diesel::dsl::max(course_versions::number))
        .first(conn)?;
    let number = last.unwrap_or(0) + 1;
    let version_id = new_id();
    let meta = meta_json(course);
    diesel::insert_into(course_versions::table)
        .values((
            course_versions::id.eq(&version_id),
            course_versions::course_id.eq(&course_id),
            course_versions::number.eq(number),
            course_versions::source.eq(source),
            course_versions::meta.eq(meta),
            course_versions::created_by.eq(user_id),
            course_versions::created_at.eq(t),
        ))
        .execute(conn)?;

    insert_tree(conn, &version_id, course)?;
    diesel::update(courses::table.find(&course_id))
        .set((
            courses::current_version_id.eq(&version_id),
            courses::title.eq(course.title()),
            courses::updated_at.eq(t),
            courses::language.eq(course.root_block().field("language").unwrap_or_default()),
            courses::summary.eq(plain_text(
                course
                    .about
                    .get("short_description.html")
                    .or_else(|| course.about.get("short_description"))
                    .map(String::as_str)
                    .unwrap_or(""),
                300,
            )),
        ))
        .execute(conn)?;
    if let Some(org) = organisation_id {
        diesel::update(courses::table.find(&course_id))
            .set(courses::organisation_id.eq(org))
            .execute(conn)?;
    }
    Ok(SavedVersion {
        course_id,
        version_id,
        number,
        created,
    })
}

pub fn find_by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<CourseRow>> {
    courses::table
        .filter(courses::course_key.eq(key))
        .select(CourseRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<CourseRow>> {
    courses::table
        .order(courses::title.asc())
        .select(CourseRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    courses::table.count().get_result(conn)
}

type BlockTuple = (
    i32,
    String,
    String,
    Option<i32>,
    i32,
    bool,
    bool,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    i32,
);

fn bad(e: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(e.to_string().into())
}

/// Loads a stored version back into a course tree (static files refer to the blob store).
pub fn load_version(conn: &mut DbConn, version_id: &str) -> QueryResult<Course> {
    let meta_text: String = course_versions::table
        .find(version_id)
        .select(course_versions::meta)
        .first(conn)?;
    let meta: Meta = serde_json::from_str(&meta_text).map_err(bad)?;
    let rows: Vec<BlockTuple> = course_blocks::table
        .filter(course_blocks::version_id.eq(version_id))
        .order(course_blocks::seq.asc())
        .select((
            course_blocks::seq,
            course_blocks::block_type,
            course_blocks::block_id,
            course_blocks::parent_seq,
            course_blocks::position,
            course_blocks::draft,
            course_blocks::inline_def,
            course_blocks::attrs,
            course_blocks::policy,
            course_blocks::xml,
            course_blocks::body,
            course_blocks::extra_xml,
            course_blocks::source_file,
            course_blocks::source_line,
        ))
        .load(conn)?;
    let mut blocks = Vec::with_capacity(rows.len());
    let mut ordered: Vec<(usize, i32, usize)> = Vec::new();
    for (
        seq,
        block_type,
        id,
        parent,
        pos,
        draft,
        inline,
        attrs,
        policy,
        xml,
        body,
        extra,
        file,
        line,
    ) in rows
    {
        if let Some(p) = parent {
            ordered.push((p as usize, pos, seq as usize));
        }
        blocks.push(Block {
            block_type,
            id,
            parent: parent.map(|p| p as usize),
            children: vec![],
            attrs: serde_json::from_str(&attrs).map_err(bad)?,
            policy: serde_json::from_str(&policy).map_err(bad)?,
            xml,
            body,
            extra_xml: serde_json::from_str(&extra).map_err(bad)?,
            inline,
            draft,
            source: Source {
                file,
                line: line as u32,
            },
        });
    }
    ordered.sort();
    for (p, _, c) in ordered {
        blocks[p].children.push(c);
    }
    let statics: Vec<(String, String, i64)> = course_assets::table
        .filter(course_assets::version_id.eq(version_id))
        .order(course_assets::path.asc())
        .select((
            course_assets::path,
            course_assets::sha256,
            course_assets::size,
        ))
        .load(conn)?;
    Ok(Course {
        kind: meta.kind,
        org: meta.org,
        number: meta.number,
        run: meta.run,
        top_attrs: meta.top_attrs,
        root: meta.root,
        blocks,
        policy_extra: meta.policy_extra,
        grading_policy: meta.grading_policy,
        about: meta.about,
        info: meta.info,
        tabs: meta.tabs,
        extra_files: meta
            .extra_files
            .into_iter()
            .map(|(k, v)| {
                Ok((
                    k,
                    base64::engine::general_purpose::STANDARD
                        .decode(v)
                        .map_err(bad)?,
                ))
            })
            .collect::<QueryResult<_>>()?,
        statics: statics
            .into_iter()
            .map(|(path, sha256, size)| StaticFile {
                path,
                sha256,
                size: size as u64,
                disk_path: None,
            })
            .collect(),
        warnings: meta.warnings,
    })
}

/// The current version of a course, by key.
/// Changes the current version of a course with `change` and saves the result as a new version,
/// in one transaction (versions are immutable, so every saved change is a version to go back to).
/// These changes are not drafted (settings, schedule, grading, files, as in Open edX): the
/// course's draft gets the same change (`publish::rebase`).
/// `change` returns whether it changed anything; nothing is written when it did not. Returns the
/// new version's number, `None` when unchanged or the course has no version.
pub fn change_current(
    conn: &mut DbConn,
    course_id: &str,
    user_id: Option<&str>,
    source: &str,
    change: impl FnOnce(&mut Course) -> bool,
) -> QueryResult<Option<i32>> {
    conn.transaction(|conn| {
        lock_course(conn, course_id)?;
        let Some((row, mut course)) = load_current_by_id(conn, course_id)? else {
            return Ok(None);
        };
        let before = course.clone();
        if !change(&mut course) {
            return Ok(None);
        }
        let saved = save_version(
            conn,
            &course,
            row.organisation_id.as_deref(),
            user_id,
            source,
        )?;
        // Not drafted: the course's draft, if any, gets the same change.
        crate::drafts::rebase_draft(conn, course_id, &before, &course)?;
        Ok(Some(saved.number))
    })
}

/// Takes the course's write lock first thing in a transaction: a no-op update of its row. On
/// PostgreSQL it locks the row until commit; on SQLite the first write takes the database's
/// write lock, waiting for another writer, where a transaction that read first and wrote later
/// would fail at once with "database is locked" once another writer got in between.
pub(crate) fn lock_course(conn: &mut DbConn, course_id: &str) -> QueryResult<()> {
    diesel::update(courses::table.find(course_id))
        .set(courses::id.eq(courses::id))
        .execute(conn)?;
    Ok(())
}

/// The row and current version of a course by its id.
pub fn load_current_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<(CourseRow, Course)>> {
    let Some(row) = courses::table
        .find(id)
        .select(CourseRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let Some(v) = row.current_version_id.clone() else {
        return Ok(None);
    };
    let course = load_version(conn, &v)?;
    Ok(Some((row, course)))
}

pub fn load_current(conn: &mut DbConn, key: &str) -> QueryResult<Option<(CourseRow, Course)>> {
    let Some(row) = find_by_key(conn, key)? else {
        return Ok(None);
    };
    let Some(v) = row.current_version_id.clone() else {
        return Ok(None);
    };
    let course = load_version(conn, &v)?;
    Ok(Some((row, course)))
}
