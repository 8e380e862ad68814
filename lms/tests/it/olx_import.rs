//! Importing real Open edX exports into the database and exporting them again, on both
//! backends; the `szpon import`/`szpon export` contract; failures that must store nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use platform::storage::BlobStore;
use studio::import::{allow_all, import, ImportOptions};

use crate::cli::szpon;
use crate::helpers::*;

pub fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/olx")
        .join(name)
}

fn expected() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(shared("expected.json")).unwrap()).unwrap()
}

pub const COURSES: [&str; 5] = [
    "demo",
    "supported_components",
    "kitchen_sink",
    "demo_test_course",
    "mitx_grading_library",
];

fn opts() -> ImportOptions<'static> {
    ImportOptions {
        organisation_id: None,
        user_id: None,
        check: &allow_all,
    }
}

fn sha256_file(p: &Path) -> String {
    xblock_compat::olx::hash_file(p).unwrap().0
}

async fn shared_exports_import_and_round_trip(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let store = BlobStore::new(&st.config.data_dir);
    let exp = expected();
    for name in COURSES.iter().chain(["demo_library"].iter()) {
        let report = import(
            &st.db,
            &store,
            &st.config.data_dir,
            &shared(&format!("{name}.tar.gz")),
            &opts(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        if *name == "demo_library" {
            assert_eq!(
                report.course_key,
                "library-v1:OpenedX+DemoRespiratoryQuestions"
            );
        } else {
            assert_eq!(report.course_key, exp[name]["course_key"].as_str().unwrap());
            let want: BTreeMap<String, usize> =
                serde_json::from_value(exp[name]["blocks"].clone()).unwrap();
            assert_eq!(report.blocks, want, "{name}");
        }
        assert_eq!(report.version, 1);

        // Export, import the export: a second version with the same tree and the same bytes.
        let out = db.dir.path().join(format!("{name}-export.tar.gz"));
        studio::import::export(&st.db, &store, &report.course_key, &out).unwrap();
        let again = import(&st.db, &store, &st.config.data_dir, &out, &opts()).unwrap();
        assert_eq!(again.version, 2);
        assert_eq!(again.blocks, report.blocks);
        let mut conn = st.db.get().unwrap();
        let row = studio::store::find_by_key(&mut conn, &report.course_key)
            .unwrap()
            .unwrap();
        let versions: Vec<(String, i32)> = {
            use diesel::prelude::*;
            use studio::store::course_versions;
            course_versions::table
                .filter(course_versions::course_id.eq(&row.id))
                .order(course_versions::number.asc())
                .select((course_versions::id, course_versions::number))
                .load(&mut conn)
                .unwrap()
        };
        assert_eq!(versions.len(), 2);
        assert_eq!(
            row.current_version_id.as_deref(),
            Some(versions[1].0.as_str())
        );
        let v1 = studio::store::load_version(&mut conn, &versions[0].0).unwrap();
        let v2 = studio::store::load_version(&mut conn, &versions[1].0).unwrap();
        assert_eq!(
            v1.round_trip_view(),
            v2.round_trip_view(),
            "{name}: round trip changed the course"
        );
        for s in &v2.statics {
            assert_eq!(
                sha256_file(&store.path(&s.sha256).unwrap()),
                s.sha256,
                "{name}: {}",
                s.path
            );
        }
    }
}

/// The file store keeps one copy of a file however many versions use it.
async fn files_are_deduplicated(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let store = BlobStore::new(&st.config.data_dir);
    let count = |d: &Path| walk_count(&d.join("blobs"));
    import(
        &st.db,
        &store,
        &st.config.data_dir,
        &shared("kitchen_sink.tar.gz"),
        &opts(),
    )
    .unwrap();
    let n = count(&st.config.data_dir);
    assert!(n >= 4, "{n}");
    import(
        &st.db,
        &store,
        &st.config.data_dir,
        &shared("kitchen_sink.tar.gz"),
        &opts(),
    )
    .unwrap();
    assert_eq!(count(&st.config.data_dir), n);
}

fn walk_count(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk_count(&p) } else { 1 })
        .sum()
}

fn course_rows(st: &platform::web::AppState) -> i64 {
    let mut conn = st.db.get().unwrap();
    studio::store::count(&mut conn).unwrap()
}

/// Builds a .tar.gz from (path, contents) pairs.
pub fn targz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (path, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, path, *data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

fn small_course(chapter_xml: &str) -> Vec<u8> {
    targz(&[
        (
            "course/course.xml",
            b"<course url_name=\"2026\" org=\"SZPoN\" course=\"T1\"/>",
        ),
        (
            "course/course/2026.xml",
            b"<course display_name=\"Test\">\n  <chapter url_name=\"ch1\"/>\n</course>\n",
        ),
        ("course/chapter/ch1.xml", chapter_xml.as_bytes()),
        ("course/static/plik.txt", b"tresc pliku"),
    ])
}

async fn failures_store_nothing_and_name_the_place(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let store = BlobStore::new(&st.config.data_dir);
    let dir = db.dir.path();

    // Malformed XML: the message names the file and the line.
    let bad = dir.join("bad.tar.gz");
    std::fs::write(
        &bad,
        small_course("<chapter display_name=\"A\">\n  <sequential url_name=\"s\">\n</chapter>\n"),
    )
    .unwrap();
    let e = import(&st.db, &store, &st.config.data_dir, &bad, &opts())
        .unwrap_err()
        .to_string();
    assert!(e.contains("chapter/ch1.xml") && e.contains("line 3"), "{e}");
    assert_eq!(course_rows(&st), 0);
    assert_eq!(walk_count(&st.config.data_dir.join("blobs")), 0);

    // A DTD (billion laughs) is refused.
    let lol = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n<chapter display_name=\"&lol2;\"/>";
    std::fs::write(&bad, small_course(lol)).unwrap();
    let e = import(&st.db, &store, &st.config.data_dir, &bad, &opts())
        .unwrap_err()
        .to_string();
    assert!(e.contains("DTD") && e.contains("chapter/ch1.xml"), "{e}");

    // A truncated archive.
    let good = small_course("<chapter display_name=\"A\"/>");
    std::fs::write(&bad, &good[..good.len() / 2]).unwrap();
    assert!(import(&st.db, &store, &st.config.data_dir, &bad, &opts()).is_err());
    assert_eq!(course_rows(&st), 0);

    // The good course imports; a broken re-import leaves version 1 current and intact.
    std::fs::write(&bad, &good).unwrap();
    let r = import(&st.db, &store, &st.config.data_dir, &bad, &opts()).unwrap();
    assert_eq!(
        (r.course_key.as_str(), r.version, r.assets),
        ("course-v1:SZPoN+T1+2026", 1, 1)
    );
    std::fs::write(&bad, small_course("<chapter")).unwrap();
    assert!(import(&st.db, &store, &st.config.data_dir, &bad, &opts()).is_err());
    let mut conn = st.db.get().unwrap();
    let (_, c) = studio::store::load_current(&mut conn, "course-v1:SZPoN+T1+2026")
        .unwrap()
        .unwrap();
    assert_eq!(c.block_counts().get("chapter"), Some(&1));
    assert!(store.contains(&c.statics[0].sha256));
    assert!(
        walk_count(&st.config.data_dir.join("tmp")) == 0,
        "scratch files are cleaned up"
    );
}

crate::both_backends!(
    shared_exports_import_and_round_trip,
    files_are_deduplicated,
    failures_store_nothing_and_name_the_place
);

fn cli_contract(b: Backend) {
    let db = TestDb::new(b);
    let run = |args: &[&str]| {
        szpon()
            .args(args)
            .envs(db.env())
            .current_dir(db.dir.path())
            .output()
            .unwrap()
    };
    let exp = expected();
    let demo = shared("demo.tar.gz");
    let o = run(&[
        "import",
        demo.to_str().unwrap(),
        "--org",
        "edx-demo",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "one JSON object on stdout: {stdout}"
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["assets", "blocks", "course_key", "warnings"]);
    assert_eq!(v["course_key"], exp["demo"]["course_key"]);
    assert_eq!(v["blocks"], exp["demo"]["blocks"]);
    assert_eq!(v["assets"], 124);
    assert!(v["warnings"].is_array());

    let out = db.dir.path().join("demo-out.tar.gz");
    let o = run(&[
        "export",
        "course-v1:OpenedX+DemoX+DemoCourse",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["import", out.to_str().unwrap(), "--json"]);
    let v2: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v2["blocks"], v["blocks"]);
    assert_eq!(v2["assets"], v["assets"]);

    let o = run(&[
        "export",
        "course-v1:No+Such+Course",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));

    // A failed import: exit 1, the file and line named, nothing on stdout.
    let bad = db.dir.path().join("bad.tar.gz");
    std::fs::write(&bad, small_course("<chapter>\n<oops>\n</chapter>")).unwrap();
    let o = run(&["import", bad.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("chapter/ch1.xml") && err.contains("line 3"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn cli_import_export_contract_sqlite() {
    cli_contract(Backend::Sqlite);
}

#[test]
fn cli_import_export_contract_postgres() {
    cli_contract(Backend::Postgres);
}

/// The shipped sample course imports with every block, has no warnings, and round-trips.
async fn sample_course_imports(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let key = studio::sample::import_if_empty(&st.db, &st.config.data_dir).unwrap();
    assert_eq!(key.as_deref(), Some(studio::sample::SAMPLE_KEY));
    assert_eq!(
        studio::sample::import_if_empty(&st.db, &st.config.data_dir).unwrap(),
        None,
        "only into an empty portal"
    );
    let mut conn = st.db.get().unwrap();
    let (row, course) = studio::store::load_current(&mut conn, studio::sample::SAMPLE_KEY)
        .unwrap()
        .unwrap();
    drop(conn);
    assert_eq!(row.title, "Praca zdalna w urzędzie — kurs wprowadzający");
    let want: BTreeMap<String, usize> = [
        ("course", 1),
        ("chapter", 3),
        ("sequential", 6),
        ("vertical", 11),
        ("html", 11),
        ("problem", 13),
        ("video", 1),
        ("poll", 1),
        ("survey", 1),
        ("discussion", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(course.block_counts(), want);
    assert!(course.warnings.is_empty(), "{:?}", course.warnings);
    assert!(
        course.statics.iter().any(|s| s.path.ends_with(".srt")),
        "captions are shipped"
    );
    let store = BlobStore::new(&st.config.data_dir);
    let out = db.dir.path().join("sample.tar.gz");
    studio::import::export(&st.db, &store, studio::sample::SAMPLE_KEY, &out).unwrap();
    let again = import(&st.db, &store, &st.config.data_dir, &out, &opts()).unwrap();
    assert_eq!(again.blocks, want);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

crate::both_backends!(sample_course_imports);

/// The same course as a `.zip` (Open edX exports are tar.gz, but people re-pack them).
async fn zip_exports_import(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let store = BlobStore::new(&st.config.data_dir);
    let zip_path = db.dir.path().join("kitchen_sink.zip");
    {
        let f = std::fs::File::open(shared("kitchen_sink.tar.gz")).unwrap();
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(f));
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for e in tar.entries().unwrap() {
            let mut e = e.unwrap();
            if e.header().entry_type() != tar::EntryType::Regular {
                continue;
            }
            let name = e.path().unwrap().to_string_lossy().into_owned();
            zip.start_file(name, opts).unwrap();
            std::io::copy(&mut e, &mut zip).unwrap();
        }
        zip.finish().unwrap();
    }
    let r = import(&st.db, &store, &st.config.data_dir, &zip_path, &opts()).unwrap();
    let want: BTreeMap<String, usize> =
        serde_json::from_value(expected()["kitchen_sink"]["blocks"].clone()).unwrap();
    assert_eq!(r.blocks, want);
}

/// A tar entry with raw header bytes (the tar crate refuses to write hostile names itself).
fn raw_tar_entry(name: &[u8], kind: tar::EntryType, data: &[u8]) -> Vec<u8> {
    let mut h = tar::Header::new_old();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(kind);
    h.set_cksum();
    let mut out = h.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

/// Hostile archives are refused by the importer with a clear message and nothing written.
async fn hostile_archives_store_nothing(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let store = BlobStore::new(&st.config.data_dir);
    let course_xml = b"<course url_name=\"r\" org=\"X\" course=\"Y\"/>";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "traversal",
            [
                raw_tar_entry(b"course/course.xml", tar::EntryType::Regular, course_xml),
                raw_tar_entry(
                    b"course/static/../../../etc/evil",
                    tar::EntryType::Regular,
                    b"x",
                ),
            ]
            .concat(),
            "..",
        ),
        (
            "absolute",
            [
                raw_tar_entry(b"course/course.xml", tar::EntryType::Regular, course_xml),
                raw_tar_entry(b"/tmp/evil", tar::EntryType::Regular, b"x"),
            ]
            .concat(),
            "/tmp/evil",
        ),
        (
            "device",
            [
                raw_tar_entry(b"course/course.xml", tar::EntryType::Regular, course_xml),
                raw_tar_entry(b"course/static/dev", tar::EntryType::Char, b""),
            ]
            .concat(),
            "course/static/dev",
        ),
    ];
    for (label, mut raw, needle) in cases {
        raw.extend_from_slice(&[0u8; 1024]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &raw).unwrap();
        let path = db.dir.path().join(format!("{label}.tar.gz"));
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let e = import(&st.db, &store, &st.config.data_dir, &path, &opts())
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "{label}: {e}");
    }
    // A bomb: a gigabyte of zeros in a few megabytes is refused long before it is written out.
    let path = db.dir.path().join("bomb.tar.gz");
    {
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).unwrap(),
            flate2::Compression::best(),
        );
        std::io::Write::write_all(
            &mut gz,
            &raw_tar_entry(b"course/course.xml", tar::EntryType::Regular, course_xml),
        )
        .unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_path("course/static/zeros.bin").unwrap();
        h.set_size(900 << 20);
        h.set_mode(0o644);
        h.set_cksum();
        std::io::Write::write_all(&mut gz, h.as_bytes()).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..900 {
            std::io::Write::write_all(&mut gz, &zeros).unwrap();
        }
        gz.finish().unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() < 2 << 20);
    let e = import(&st.db, &store, &st.config.data_dir, &path, &opts())
        .unwrap_err()
        .to_string();
    assert!(
        e.to_lowercase().contains("bomb") || e.contains("ratio") || e.contains("compress"),
        "{e}"
    );
    assert_eq!(course_rows(&st), 0);
    assert_eq!(
        walk_count(&st.config.data_dir.join("blobs")),
        0,
        "no file stays behind"
    );
}

crate::both_backends!(zip_exports_import, hostile_archives_store_nothing);
