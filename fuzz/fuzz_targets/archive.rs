//! Fuzzes safe extraction of uploads: the input bytes are the uploaded file (.tar.gz, .tar or
//! .zip, told apart by magic bytes).
//!
//! Properties checked:
//! 1. `archive::extract` never panics, with small limits (so bombs and big entries are refused
//!    quickly instead of filling the disk).
//! 2. After an `Err`, the destination folder is empty again.
//! 3. After an `Ok`, what is on disk matches the summary: only regular files and folders (no
//!    links or special files), `files` regular files holding `bytes` bytes in total, all within
//!    the limits; and `olx::read_dir` on the result never panics (it may return an error).
#![no_main]

use std::fs;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use xblock_compat::archive::{self, Limits};
use xblock_compat::olx;

const MIB: u64 = 1024 * 1024;

fn limits() -> Limits {
    Limits {
        max_entries: 1000,
        max_entry_bytes: MIB,
        max_total_bytes: 8 * MIB,
        max_ratio: 100,
        ratio_grace_bytes: MIB,
    }
}

#[derive(Default, Debug)]
struct Tree {
    files: u64,
    bytes: u64,
    largest: u64,
}

/// Walks `dir` without following links, failing on anything that is not a file or a folder.
fn scan(dir: &Path, tree: &mut Tree) {
    for entry in fs::read_dir(dir).expect("read_dir on extracted tree") {
        let entry = entry.expect("dir entry");
        let meta = fs::symlink_metadata(entry.path()).expect("symlink_metadata");
        let t = meta.file_type();
        if t.is_dir() {
            scan(&entry.path(), tree);
        } else if t.is_file() {
            tree.files += 1;
            tree.bytes += meta.len();
            tree.largest = tree.largest.max(meta.len());
        } else {
            panic!("extract left a non-regular entry: {} ({t:?})", entry.path().display());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let tmp = tempfile::tempdir().expect("tempdir");
    let upload = tmp.path().join("upload.bin");
    fs::write(&upload, data).expect("write upload");
    let dest = tmp.path().join("out");
    fs::create_dir(&dest).expect("create dest");
    let limits = limits();

    match archive::extract(&upload, &dest, &limits) {
        Err(e) => {
            // Every error must render as a message (Display is shown to the uploader).
            let _ = e.to_string();
            let left: Vec<_> = fs::read_dir(&dest)
                .expect("dest still exists after an error")
                .map(|e| e.map(|e| e.path()))
                .collect();
            assert!(left.is_empty(), "destination not cleaned up after {e:?}: {left:?}");
        }
        Ok(summary) => {
            let mut tree = Tree::default();
            scan(&dest, &mut tree);
            assert_eq!(summary.files, tree.files, "summary.files vs disk ({summary:?})");
            assert_eq!(summary.bytes, tree.bytes, "summary.bytes vs disk ({summary:?})");
            assert!(tree.largest <= limits.max_entry_bytes, "entry over the limit: {tree:?}");
            assert!(tree.bytes <= limits.max_total_bytes, "total over the limit: {tree:?}");
            let _ = olx::read_dir(&dest);
        }
    }
});
