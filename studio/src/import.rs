//! Import and export of Open edX courses (OLX): the machinery behind `szpon import`, `szpon
//! export` and the upload page. Blocking code: call it from a blocking task.
//!
//! An import writes files into the content-addressed store first and the database rows in one
//! transaction after; if anything fails, the rows are rolled back and the blobs this import
//! created are removed, so a failed import leaves nothing behind. Importing a course that
//! exists adds a version; the old one stays current until the new one commits.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use diesel::Connection;
use platform::db::{Db, DbError};
use platform::storage::BlobStore;
use serde::Serialize;
use xblock_compat::archive::{self, Limits};
use xblock_compat::olx::{self, AssetSource, Course, FileData, FileSet, StaticFile};

use crate::store;

/// Block types SZPoN's courseware renders (the rest are kept, exported, and shown as "not yet
/// supported").
pub const SUPPORTED_TYPES: &[&str] = &[
    "course",
    "chapter",
    "sequential",
    "vertical",
    "library",
    "html",
    "problem",
    "video",
    "library_content",
    "split_test",
    "conditional",
];

/// Published problems whose grading runs a Python script (`customresponse` with
/// `loncapa/python`, `$variables` from a script, ...): counted so authors know what cannot be
/// graded yet.
pub fn scripted_problems(course: &Course) -> usize {
    course
        .walk()
        .into_iter()
        .filter(|&i| course.blocks[i].block_type == "problem")
        .filter(|&i| {
            xblock_compat::capa::Problem::parse(&course.blocks[i].xml, "1", 1)
                .is_ok_and(|p| p.needs_python())
        })
        .count()
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub course_key: String,
    pub title: String,
    pub blocks: BTreeMap<String, usize>,
    pub assets: usize,
    pub warnings: Vec<String>,
    /// Block types in the course that SZPoN keeps but does not run yet, with counts.
    pub not_yet_supported: BTreeMap<String, usize>,
    /// Problems graded by a Python script: they render, but grading them waits for the sandbox.
    pub scripted_problems: usize,
    pub version: i32,
    pub created: bool,
    pub course_id: String,
}

impl ImportReport {
    /// The command line's JSON contract: exactly these four keys.
    pub fn cli_json(&self) -> serde_json::Value {
        serde_json::json!({
            "course_key": self.course_key,
            "blocks": self.blocks,
            "assets": self.assets,
            "warnings": self.warnings,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Archive(#[from] archive::ArchiveError),
    #[error("{0}")]
    Olx(#[from] olx::OlxError),
    #[error("cannot store files: {0}")]
    Storage(String),
    #[error("database: {0}")]
    Database(String),
    #[error("{0}")]
    Refused(String),
}

impl From<DbError> for ImportError {
    fn from(e: DbError) -> Self {
        ImportError::Database(e.to_string())
    }
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Database(e.to_string())
    }
}

/// Decides, once the course key is known, whether this import may go on (the error is a Fluent
/// message id or a plain explanation).
pub type ImportCheck = dyn Fn(&Course, Option<&store::CourseRow>) -> Result<(), String>;

/// Who imports, into which organisation, and a hook to refuse (e.g. a course of another
/// organisation) once the course key is known.
pub struct ImportOptions<'a> {
    pub organisation_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub check: &'a ImportCheck,
}

pub fn allow_all(_: &Course, _: Option<&store::CourseRow>) -> Result<(), String> {
    Ok(())
}

/// Course text (XML, HTML, JSON) is held in memory while importing; more than this is refused.
pub const MAX_TEXT_BYTES: u64 = 512 * 1024 * 1024;

/// Reads an export, streaming its static files into `store` (recording the blobs it created in
/// `created`) and keeping the course text in memory. Archives are never unpacked onto disk.
pub fn read_export(
    source: &Path,
    store: &BlobStore,
    created: &mut Vec<String>,
) -> Result<Course, ImportError> {
    if source.is_dir() {
        let course = olx::read_dir(source)?;
        let mut seen = HashSet::new();
        for f in &course.statics {
            if !seen.insert(f.sha256.clone()) {
                continue;
            }
            let path = f
                .disk_path
                .as_ref()
                .expect("files read from a folder have a path");
            if store
                .put_file(path, &f.sha256, false)
                .map_err(|e| ImportError::Storage(format!("static/{}: {e}", f.path)))?
            {
                created.push(f.sha256.clone());
            }
        }
        return Ok(course);
    }
    let mut set = FileSet::new();
    let mut text_bytes = 0u64;
    let visited = archive::visit(source, &Limits::default(), &mut |entry, reader| {
        if olx::is_static_path(entry.path) {
            let (sha256, size, new) = store.put_reader(reader)?;
            if new {
                created.push(sha256.clone());
            }
            set.insert(
                entry.path,
                FileData::Stored {
                    sha256,
                    size,
                    disk_path: None,
                },
            );
        } else {
            text_bytes += entry.size;
            if text_bytes > MAX_TEXT_BYTES {
                return Err(std::io::Error::other(
                    "the course text (XML, HTML, JSON) is larger than 512 MiB",
                ));
            }
            let mut bytes = Vec::with_capacity(entry.size.min(64 << 20) as usize);
            reader.read_to_end(&mut bytes)?;
            set.insert(entry.path, FileData::Bytes(bytes));
        }
        Ok(())
    })?;
    let mut course = olx::read_files(set)?;
    course.warnings.extend(visited.skipped);
    Ok(course)
}

/// Imports an export into the database and the file store.
pub fn import(
    db: &Db,
    store: &BlobStore,
    _data_dir: &Path,
    source: &Path,
    opts: &ImportOptions<'_>,
) -> Result<ImportReport, ImportError> {
    let mut created: Vec<String> = Vec::new();
    let result = import_inner(db, store, source, opts, &mut created);
    if result.is_err() {
        // Nothing stays behind: the rows were rolled back, the new files go too.
        for sha in &created {
            let _ = store.remove(sha);
        }
    }
    result
}

fn import_inner(
    db: &Db,
    store: &BlobStore,
    source: &Path,
    opts: &ImportOptions<'_>,
    created: &mut Vec<String>,
) -> Result<ImportReport, ImportError> {
    let course = read_export(source, store, created)?;
    let mut conn = db.get()?;
    let existing = store::find_by_key(&mut conn, &course.key())?;
    (opts.check)(&course, existing.as_ref()).map_err(ImportError::Refused)?;
    save_import(&mut conn, &course, opts.organisation_id, opts.user_id)
}

/// Saves an imported course as a new published version, discarding the course's draft (an import
/// replaces the whole course; see `crate::drafts`), and reports what came in.
fn save_import(
    conn: &mut platform::db::DbConn,
    course: &Course,
    organisation_id: Option<&str>,
    user_id: Option<&str>,
) -> Result<ImportReport, ImportError> {
    let saved = conn.transaction(|c| {
        let saved = store::save_version(c, course, organisation_id, user_id, "import")?;
        crate::drafts::discard_draft(c, &saved.course_id)?;
        Ok::<_, diesel::result::Error>(saved)
    })?;
    let blocks = course.block_counts();
    let not_yet_supported = blocks
        .iter()
        .filter(|(t, _)| !SUPPORTED_TYPES.contains(&t.as_str()))
        .map(|(t, n)| (t.clone(), *n))
        .collect();
    Ok(ImportReport {
        course_key: course.key(),
        title: course.title(),
        assets: course.statics.len(),
        warnings: course.warnings.clone(),
        not_yet_supported,
        scripted_problems: scripted_problems(course),
        blocks,
        version: saved.number,
        created: saved.created,
        course_id: saved.course_id,
    })
}

/// Imports an export as a new published version of the existing course `course_id`, whatever
/// course the archive holds (as Open edX Studio's import into a course does): an archive of
/// another course is re-keyed to this one ([`rekey`]). The draft is discarded. Returns the
/// report and, when re-keyed, the archive's own key. A library archive cannot go over a course
/// nor the other way round (`Refused` with a message id).
pub fn import_over(
    db: &Db,
    store: &BlobStore,
    source: &Path,
    course_id: &str,
    user_id: Option<&str>,
) -> Result<(ImportReport, Option<String>), ImportError> {
    let mut created: Vec<String> = Vec::new();
    let result = (|| {
        let mut course = read_export(source, store, &mut created)?;
        let mut conn = db.get()?;
        let row: store::CourseRow = {
            use diesel::prelude::*;
            store::courses::table
                .find(course_id)
                .select(store::CourseRow::as_select())
                .first(&mut conn)
                .optional()?
                .ok_or_else(|| ImportError::Refused("studio-publish-import-gone".into()))?
        };
        let original = course.key();
        if !rekey(&mut course, &row.course_key) {
            return Err(ImportError::Refused(
                "studio-publish-import-wrong-kind".into(),
            ));
        }
        let report = save_import(&mut conn, &course, row.organisation_id.as_deref(), user_id)?;
        Ok((report, (original != row.course_key).then_some(original)))
    })();
    if result.is_err() {
        for sha in &created {
            let _ = store.remove(sha);
        }
    }
    result
}

/// Gives `course` the key `key` (`course-v1:ORG+NUMBER+RUN`, or `library-v1:ORG+CODE` for a
/// library): org, number and run; the root block's id, which is the run (the writer names
/// `course/RUN.xml` and `policies/RUN/` after it); kept `policies/RUN/...` files; and references
/// to the old key in content (`course-v1:...`, `block-v1:...+type@`). Block ids stay, so
/// learners' progress in blocks both versions have is kept. Returns false (nothing changed) when
/// the key is of the other kind (a library for a course or the other way round).
pub fn rekey(course: &mut Course, key: &str) -> bool {
    use std::str::FromStr;
    use xblock_compat::keys::{CourseKey, LibraryKey};
    use xblock_compat::olx::ContextKind;
    let (org, number, run) = match course.kind {
        ContextKind::Course => match CourseKey::from_str(key) {
            Ok(k) if !k.is_deprecated() => (
                k.org().to_string(),
                k.course().to_string(),
                k.run().unwrap_or_default().to_string(),
            ),
            _ => return false,
        },
        ContextKind::Library => match LibraryKey::from_str(key) {
            Ok(k) => (
                k.org().to_string(),
                k.library().to_string(),
                course.run.clone(),
            ),
            Err(_) => return false,
        },
    };
    if course.key() == key {
        return true;
    }
    let old_parts = format!("{}+{}+{}", course.org, course.number, course.run);
    let new_parts = format!("{org}+{number}+{run}");
    let replacements = [
        (
            format!("course-v1:{old_parts}"),
            format!("course-v1:{new_parts}"),
        ),
        (
            format!("block-v1:{old_parts}+"),
            format!("block-v1:{new_parts}+"),
        ),
    ];
    let rewrite = |text: &mut String| {
        for (from, to) in &replacements {
            if text.contains(from.as_str()) {
                *text = text.replace(from.as_str(), to);
            }
        }
    };
    for b in &mut course.blocks {
        rewrite(&mut b.xml);
        if let Some(body) = &mut b.body {
            rewrite(body);
        }
        for (_, v) in &mut b.attrs {
            rewrite(v);
        }
    }
    if course.kind == ContextKind::Course && course.run != run {
        let root = course.root;
        if course.blocks[root].id == course.run {
            course.blocks[root].id = run.clone();
        }
        let (from, to) = (
            format!("policies/{}/", course.run),
            format!("policies/{run}/"),
        );
        course.extra_files = std::mem::take(&mut course.extra_files)
            .into_iter()
            .map(|(k, v)| match k.strip_prefix(from.as_str()) {
                Some(rest) => (format!("{to}{rest}"), v),
                None => (k, v),
            })
            .collect();
    }
    course.org = org;
    course.number = number;
    course.run = run;
    true
}

struct Blobs<'a>(&'a BlobStore);

impl AssetSource for Blobs<'_> {
    fn open(&self, f: &StaticFile) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(Box::new(self.0.open(&f.sha256)?))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no course with key {0}")]
    NotFound(String),
    #[error("database: {0}")]
    Database(String),
    #[error("cannot write {path}: {message}")]
    Io { path: String, message: String },
}

/// Writes the current version of a course to `out` as an Open edX `.tar.gz` (written to a
/// temporary name and renamed, so a failed export leaves no half file).
pub fn export(db: &Db, store: &BlobStore, key: &str, out: &Path) -> Result<(), ExportError> {
    let mut conn = db.get().map_err(|e| ExportError::Database(e.to_string()))?;
    let (_, course) = store::load_current(&mut conn, key)
        .map_err(|e| ExportError::Database(e.to_string()))?
        .ok_or_else(|| ExportError::NotFound(key.to_string()))?;
    drop(conn);
    export_course(&course, store, out)
}

pub fn export_course(course: &Course, store: &BlobStore, out: &Path) -> Result<(), ExportError> {
    let io = |e: std::io::Error| ExportError::Io {
        path: out.display().to_string(),
        message: e.to_string(),
    };
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let file = std::io::BufWriter::new(tmp.reopen().map_err(io)?);
    let mut file = olx::write_tar_gz(course, file, &Blobs(store)).map_err(io)?;
    std::io::Write::flush(&mut file).map_err(io)?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(())
}
