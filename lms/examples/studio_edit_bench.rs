//! Cost of Studio's draft edits on a real course: `cargo run --release -p lms --example
//! studio_edit_bench [N] [DATABASE_URL]` (default: 200 edits, SQLite in a temporary folder).
//!
//! Every edit (`studio::drafts::edit`) loads the draft, changes one unit's name and writes the
//! whole draft back in one transaction, so its cost grows with the course's size; the figure
//! shows whether that is still instant for authors on Open edX's demo course (the biggest
//! shared export). Then the time to list unpublished changes and to publish.

use std::time::Instant;

use platform::db::Db;
use platform::storage::BlobStore;
use platform::web::migration_sets;
use studio::import::{allow_all, import, ImportOptions};
use xblock_compat::olx::edit;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = std::env::args()
        .nth(2)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = Db::connect(&url, Some(4)).expect("database");
    db.migrate(&migration_sets(&lms::plugins()))
        .expect("migrations");
    let archive =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/olx/demo.tar.gz");
    let store = BlobStore::new(dir.path());
    let report = import(
        &db,
        &store,
        dir.path(),
        &archive,
        &ImportOptions {
            organisation_id: None,
            user_id: None,
            check: &allow_all,
        },
    )
    .expect("the demo course imports");
    let mut conn = db.get().expect("connection");
    let course = studio::drafts::draft(&mut conn, &report.course_id, None).expect("draft");
    let blocks = course.walk().len();
    let units: Vec<String> = course
        .walk()
        .into_iter()
        .filter(|&i| course.blocks[i].block_type == "vertical")
        .map(|i| course.blocks[i].id.clone())
        .collect();

    let started = Instant::now();
    for i in 0..n {
        let unit = &units[i % units.len()];
        studio::drafts::edit::<_, edit::EditError>(&mut conn, &report.course_id, None, |c| {
            let idx = edit::find_in_tree(c, "vertical", unit).ok_or(edit::EditError::NotFound)?;
            edit::set_field(
                &mut c.blocks[idx],
                "display_name",
                Some(&format!("Jednostka {i}")),
            );
            Ok(())
        })
        .expect("edit");
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{url_kind}: {n} draft edits of a {blocks}-block course in {secs:.2} s: {:.1} ms per edit, {:.0} edits/s",
        secs * 1000.0 / n as f64,
        n as f64 / secs,
        url_kind = if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
    );
    let started = Instant::now();
    let changes = studio::drafts::changes(&mut conn, &report.course_id).expect("changes");
    println!(
        "list of unpublished changes ({} entries): {:.1} ms",
        changes.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let number = studio::drafts::publish(
        &mut conn,
        &report.course_id,
        &studio::drafts::Scope::All,
        None,
    )
    .expect("publish");
    println!(
        "publish everything (version {number}): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
