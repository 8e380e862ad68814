use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use xblock_compat::olx::{self, AssetSource, StaticFile};

pub fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/olx")
        .join(name)
}

/// Unpacks a `.tar.gz` with the plain tar reader (the hostile-input checks have their own tests).
pub fn unpack(archive: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::open(archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    tar::Archive::new(flate2::read::GzDecoder::new(f))
        .unpack(dir.path())
        .unwrap();
    dir
}

pub fn expected() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(shared("expected.json")).unwrap()).unwrap()
}

const COURSES: [&str; 5] = [
    "demo",
    "supported_components",
    "kitchen_sink",
    "demo_test_course",
    "mitx_grading_library",
];

#[test]
fn real_exports_have_the_expected_blocks() {
    let exp = expected();
    for name in COURSES {
        let dir = unpack(&shared(&format!("{name}.tar.gz")));
        let course = olx::read_dir(dir.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            course.key(),
            exp[name]["course_key"].as_str().unwrap(),
            "{name}"
        );
        let want: BTreeMap<String, usize> =
            serde_json::from_value(exp[name]["blocks"].clone()).unwrap();
        assert_eq!(
            course.block_counts(),
            want,
            "{name}: warnings {:#?}",
            course.warnings
        );
    }
}

#[test]
fn the_content_library_imports() {
    let dir = unpack(&shared("demo_library.tar.gz"));
    let lib = olx::read_dir(dir.path()).unwrap();
    assert_eq!(lib.key(), "library-v1:OpenedX+DemoRespiratoryQuestions");
    assert_eq!(lib.block_counts().get("problem"), Some(&6));
}

struct Disk;
impl AssetSource for Disk {
    fn open(&self, f: &StaticFile) -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(Box::new(std::fs::File::open(
            f.disk_path.as_ref().unwrap(),
        )?))
    }
}

#[test]
fn round_trip_is_lossless() {
    for name in COURSES.iter().chain(["demo_library"].iter()) {
        let dir = unpack(&shared(&format!("{name}.tar.gz")));
        let first = olx::read_dir(dir.path()).unwrap();
        let mut out = Vec::new();
        olx::write_tar_gz(&first, &mut out, &Disk).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.tar.gz");
        std::fs::write(&path, &out).unwrap();
        let dir2 = unpack(&path);
        let second = olx::read_dir(dir2.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (a, b) = (first.round_trip_view(), second.round_trip_view());
        if a != b {
            for (k, v) in a.as_object().unwrap() {
                if b[k] != *v {
                    let (sa, sb) = (v.to_string(), b[k].to_string());
                    let at = sa
                        .chars()
                        .zip(sb.chars())
                        .position(|(x, y)| x != y)
                        .unwrap_or(0);
                    panic!(
                        "{name}: {k} differs near: {}\n vs: {}",
                        &sa[at.saturating_sub(200)..(at + 200).min(sa.len())],
                        &sb[at.saturating_sub(200)..(at + 200).min(sb.len())]
                    );
                }
            }
        }
    }
}

/// Links in real content resolve: `/static/` names with underscores find files named with
/// spaces, `i4x://` ids (conditional sources) and `/jump_to_id/` links find their blocks.
#[test]
fn references_in_real_content_resolve() {
    let dir = unpack(&shared("demo.tar.gz"));
    let demo = olx::read_dir(dir.path()).unwrap();
    // The video links "/static/Reach_of_Open_edX_Downloadable_Transcript.pdf"; the file has spaces.
    let f = demo
        .resolve_static("/static/Reach_of_Open_edX_Downloadable_Transcript.pdf")
        .expect("underscored name finds the file with spaces");
    assert_eq!(f.path, "Reach of Open edX Downloadable Transcript.pdf");
    assert!(demo
        .resolve_static("/static/Brain yellow.png?raw")
        .is_some());
    assert!(demo.resolve_static("/static/nie-ma.png").is_none());

    let dir = unpack(&shared("demo_test_course.tar.gz"));
    let c = olx::read_dir(dir.path()).unwrap();
    // In this export every conditional points at blocks that are not in it (deleted in Open edX):
    // each source must either resolve to its block or be reported.
    for cond in c.blocks.iter().filter(|b| b.block_type == "conditional") {
        for s in cond.attr("sources").unwrap().split(';') {
            match c.resolve_reference(s) {
                Some(i) => {
                    let id = s.rsplit('/').next().unwrap();
                    assert_eq!(c.blocks[i].id, id);
                    let key = format!(
                        "block-v1:edX+Test101+course+type@{}+block@{id}",
                        c.blocks[i].block_type
                    );
                    assert_eq!(c.resolve_reference(&key), Some(i));
                }
                // Real exports carry references to blocks that were deleted: they are reported.
                None => assert!(
                    c.warnings
                        .iter()
                        .any(|w| w.contains(s) && w.contains("not in the course")),
                    "{s} neither resolves nor is reported"
                ),
            }
        }
    }
    let split = c
        .blocks
        .iter()
        .find(|b| b.block_type == "split_test")
        .unwrap();
    let groups: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&split.field("group_id_to_child").unwrap()).unwrap();
    for child in groups.values() {
        let i = c
            .resolve_reference(child)
            .unwrap_or_else(|| panic!("{child}"));
        assert!(
            split.children.contains(&i),
            "split_test group {child} is one of its children"
        );
    }
    assert!(c
        .resolve_reference("i4x://edX/Test101/problem/nie-ma")
        .is_none());
}

#[test]
fn jump_to_id_links_resolve() {
    for name in COURSES {
        let dir = unpack(&shared(&format!("{name}.tar.gz")));
        let c = olx::read_dir(dir.path()).unwrap();
        let mut texts: Vec<&str> = c.blocks.iter().map(|b| b.xml.as_str()).collect();
        texts.extend(c.blocks.iter().filter_map(|b| b.body.as_deref()));
        for t in texts {
            for part in t.split("/jump_to_id/").skip(1) {
                let id: String = part
                    .chars()
                    .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == '-')
                    .collect();
                if id.is_empty() {
                    continue;
                }
                assert!(
                    c.resolve_reference(&format!("/jump_to_id/{id}")).is_some(),
                    "{name}: /jump_to_id/{id}"
                );
            }
        }
    }
}

/// Course parts that cannot form an Open edX key are refused with the place named.
#[test]
fn invalid_course_keys_are_refused() {
    use xblock_compat::olx::{FileData, FileSet};
    let mut set = FileSet::new();
    set.insert(
        "course/course.xml",
        FileData::Bytes(
            b"\n<course url_name=\"run\" org=\"Urz\xc4\x85d Gminy\" course=\"K1\"/>".to_vec(),
        ),
    );
    set.insert(
        "course/course/run.xml",
        FileData::Bytes(b"<course/>".to_vec()),
    );
    let e = olx::read_files(set).unwrap_err().to_string();
    assert!(
        e.starts_with("course.xml, line 2") && e.contains("Urząd Gminy"),
        "{e}"
    );

    // Polish letters are word characters in Open edX keys.
    let mut set = FileSet::new();
    set.insert(
        "course.xml",
        FileData::Bytes(
            "<course url_name=\"2026\" org=\"Urząd\" course=\"Kurs_1\"/>"
                .as_bytes()
                .to_vec(),
        ),
    );
    set.insert(
        "course/2026.xml",
        FileData::Bytes(b"<course display_name=\"K\"/>".to_vec()),
    );
    let c = olx::read_files(set).unwrap();
    assert_eq!(c.key(), "course-v1:Urząd+Kurs_1+2026");
}

/// Inputs the fuzzer found (fuzz/regressions/olx_files/): each is read, written and read back
/// with the same key and block counts. Format: files separated by NUL, first line the path.
#[test]
fn fuzz_regressions_round_trip() {
    use xblock_compat::olx::{FileData, FileSet};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/olx_files");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let mut set = FileSet::new();
        let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
        for chunk in data.split(|&b| b == 0) {
            let (p, body) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], &chunk[i + 1..]),
                None => (chunk, &chunk[chunk.len()..]),
            };
            let p = String::from_utf8_lossy(p).trim().to_string();
            if p.is_empty() || p.split('/').any(|c| c == ".." || c.len() > 255) {
                continue;
            }
            statics.push((p.clone(), body.to_vec()));
            set.insert(&p, FileData::Bytes(body.to_vec()));
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(first) = olx::read_files(set) else {
            // Refusing an unusable input with an error is fine (e.g. an invalid block type).
            n += 1;
            continue;
        };
        struct Mem(Vec<(String, Vec<u8>)>);
        impl AssetSource for Mem {
            fn open(&self, f: &StaticFile) -> std::io::Result<Box<dyn std::io::Read + '_>> {
                let want = format!("static/{}", f.path);
                let b = self
                    .0
                    .iter()
                    .find(|(p, _)| p.ends_with(&want))
                    .map(|(_, b)| b)
                    .unwrap();
                Ok(Box::new(&b[..]))
            }
        }
        let mut out = Vec::new();
        olx::write_tar_gz(&first, &mut out, &Mem(statics))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("x.tar.gz");
        std::fs::write(&file, &out).unwrap();
        let into = tmp.path().join("x");
        std::fs::create_dir(&into).unwrap();
        xblock_compat::archive::extract(&file, &into, &xblock_compat::archive::Limits::default())
            .unwrap_or_else(|e| panic!("{name}: export does not unpack: {e}"));
        let second =
            olx::read_dir(&into).unwrap_or_else(|e| panic!("{name}: export does not read: {e}"));
        assert_eq!(first.key(), second.key(), "{name}");
        assert_eq!(first.block_counts(), second.block_counts(), "{name}");
        n += 1;
    }
    assert!(n >= 12, "{n}");
}
