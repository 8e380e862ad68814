//! The sample course shipped with SZPoN ("Praca zdalna w urzędzie — kurs wprowadzający"),
//! compiled into the binary and imported on the first start of an empty portal so a new
//! installation shows a real course at once.

use std::path::Path;

use include_dir::{include_dir, Dir};
use platform::db::Db;
use platform::storage::BlobStore;

use crate::import::{allow_all, import, ImportError, ImportOptions};
use crate::store;

static SAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-course/course");

pub const SAMPLE_KEY: &str = "course-v1:SZPoN+PZ101+2026";

/// Writes the sample course's OLX folder under `dest`.
pub fn write_to(dest: &Path) -> std::io::Result<()> {
    fn walk(dir: &Dir<'_>, dest: &Path) -> std::io::Result<()> {
        for f in dir.files() {
            let path = dest.join(f.path());
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            std::fs::write(path, f.contents())?;
        }
        for d in dir.dirs() {
            walk(d, dest)?;
        }
        Ok(())
    }
    walk(&SAMPLE, dest)
}

/// Imports the sample course when the database holds no course yet; returns its key if it did.
pub fn import_if_empty(db: &Db, data_dir: &Path) -> Result<Option<String>, ImportError> {
    let mut conn = db.get()?;
    if store::count(&mut conn)? > 0 {
        return Ok(None);
    }
    drop(conn);
    let tmp = tempfile::tempdir_in({
        let t = data_dir.join("tmp");
        std::fs::create_dir_all(&t).map_err(|e| ImportError::Storage(e.to_string()))?;
        t
    })
    .map_err(|e| ImportError::Storage(e.to_string()))?;
    write_to(tmp.path()).map_err(|e| ImportError::Storage(e.to_string()))?;
    let report = import(
        db,
        &BlobStore::new(data_dir),
        data_dir,
        tmp.path(),
        &ImportOptions {
            organisation_id: None,
            user_id: None,
            check: &allow_all,
        },
    )?;
    // The demo is there to be tried: anyone may learn it, also without an account.
    let mut conn = db.get()?;
    store::set_visibility(&mut conn, &report.course_id, store::Visibility::Public)?;
    Ok(Some(report.course_key))
}
