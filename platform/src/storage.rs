//! Content-addressed file storage under `SZPON_DATA_DIR/blobs/`: a file is stored once under its
//! SHA-256, however many courses or versions use it. Writes go to a temporary name first and are
//! renamed into place, so a reader never sees half a file.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

fn valid_hash(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> BlobStore {
        BlobStore {
            root: data_dir.join("blobs"),
        }
    }

    /// Where the blob with this hash lives (`blobs/ab/abcdef…`).
    pub fn path(&self, sha256: &str) -> io::Result<PathBuf> {
        if !valid_hash(sha256) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a SHA-256 hex digest",
            ));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }

    pub fn contains(&self, sha256: &str) -> bool {
        self.path(sha256).is_ok_and(|p| p.is_file())
    }

    pub fn open(&self, sha256: &str) -> io::Result<std::fs::File> {
        std::fs::File::open(self.path(sha256)?)
    }

    /// Stores the file at `src`, whose hash the caller computed. With `take`, the file is moved
    /// (a rename on the same file system) instead of copied. Returns whether the blob is new.
    pub fn put_file(&self, src: &Path, sha256: &str, take: bool) -> io::Result<bool> {
        let dest = self.path(sha256)?;
        if dest.is_file() {
            return Ok(false);
        }
        let dir = dest.parent().expect("blob paths have a parent");
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
        if !(take && std::fs::rename(src, &tmp).is_ok()) {
            std::fs::copy(src, &tmp)?;
        }
        std::fs::rename(&tmp, &dest)?;
        Ok(true)
    }

    /// Streams `reader` into the store, returning (hash, size, new).
    pub fn put_reader(&self, mut reader: impl Read) -> io::Result<(String, u64, bool)> {
        use sha2::Digest;
        std::fs::create_dir_all(&self.root)?;
        let tmp = self.root.join(format!(
            ".upload.{}.{}.tmp",
            std::process::id(),
            crate::models::random_token()
        ));
        // Removes the partial file when reading fails half-way (a refused or cut-off upload).
        struct Partial<'a>(&'a Path);
        impl Drop for Partial<'_> {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(self.0);
            }
        }
        let _partial = Partial(&tmp);
        let mut f = std::fs::File::create(&tmp)?;
        let mut h = sha2::Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut size = 0u64;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            f.write_all(&buf[..n])?;
            size += n as u64;
        }
        // no per-file fsync (measured: it dominated import time); see bench/RESULTS.md
        let sha: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let new = self.put_file(&tmp, &sha, true)?;
        Ok((sha, size, new))
    }

    /// Removes blobs this caller created when the work that needed them failed.
    pub fn remove(&self, sha256: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(sha256)?) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_once_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let (sha, size, new) = store.put_reader(&b"zawartosc"[..]).unwrap();
        assert!(new);
        assert_eq!(size, 9);
        let (sha2, _, new2) = store.put_reader(&b"zawartosc"[..]).unwrap();
        assert_eq!(sha, sha2);
        assert!(!new2);
        let mut s = String::new();
        store.open(&sha).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "zawartosc");
        assert!(store.path("../../etc/passwd").is_err());
        let src = dir.path().join("f");
        std::fs::write(&src, b"zawartosc").unwrap();
        assert!(!store.put_file(&src, &sha, true).unwrap());
        store.remove(&sha).unwrap();
        assert!(!store.contains(&sha));

        // A reader failing half-way leaves nothing in the store.
        struct Failing(u8);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.0 += 1;
                if self.0 > 3 {
                    return Err(io::Error::other("cut off"));
                }
                buf[0] = b'x';
                Ok(1)
            }
        }
        assert!(store.put_reader(Failing(0)).is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path().join("blobs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(left.iter().all(|p| p.is_dir()), "{left:?}");
    }
}
