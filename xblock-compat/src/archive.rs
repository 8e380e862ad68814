//! Safe reading of uploaded course exports (`.tar.gz`, `.tar`, `.zip`): [`extract`] unpacks one
//! onto disk, [`visit`] streams its files to a callback without writing anything.
//!
//! Uploads come from outside and may be hostile, so both are strict: entries may only be regular
//! files and folders with relative UTF-8 names that stay inside the destination; devices,
//! duplicates, oversized entries and decompression bombs abort the whole archive, and [`extract`]
//! removes whatever it wrote so the caller can say "nothing was imported". Links (tar symbolic and
//! hard links, zip symlink entries) are never created nor followed: exports made from git
//! repositories contain them, so they are skipped and listed in the result instead of refusing the
//! archive. Archives are streamed with a bounded buffer, never held in memory (uploads may be
//! gigabytes).

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Size of the copy buffers: entries are streamed through them, never read whole.
const BUF_SIZE: usize = 64 * 1024;

/// Most bytes the tar reader may consume between two entries (headers, GNU long names, PAX
/// records). The `tar` crate reads those into memory, so without a cap one forged "long name" could
/// make it allocate gigabytes before we ever see an entry.
const META_BUDGET: u64 = MIB;

/// Longest zip symlink target quoted in the skipped-entry message (zip keeps it as the entry data).
const LINK_TARGET_SHOWN: u64 = 1024;

/// Bounds on what one archive may unpack to. The defaults suit course exports: real ones are a few
/// thousand files and well under a gigabyte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most entries (files, folders and skipped entries together).
    pub max_entries: u64,
    /// Largest single file, checked against the header and against the bytes actually read.
    pub max_entry_bytes: u64,
    /// Most bytes decompressed in total.
    pub max_total_bytes: u64,
    /// Output larger than `max_ratio` times the compressed input counts as a decompression bomb...
    pub max_ratio: u64,
    /// ...but only once the output exceeds this many bytes: small text-heavy exports legitimately
    /// compress far better than 100:1.
    pub ratio_grace_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_entry_bytes: GIB,
            max_total_bytes: 8 * GIB,
            max_ratio: 100,
            ratio_grace_bytes: 64 * MIB,
        }
    }
}

/// Archive format, told by magic bytes (file names of uploads are not to be trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    TarGz,
    Tar,
    Zip,
}

/// What [`extract`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Regular files written.
    pub files: u64,
    /// Folders created, whether listed in the archive or only implied by a file's path.
    pub dirs: u64,
    /// Bytes written to files.
    pub bytes: u64,
    /// Entries deliberately ignored (links, PAX global headers), one English sentence each.
    pub skipped: Vec<String>,
}

/// A regular file as [`visit`] hands it to the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryInfo<'a> {
    /// Normalised relative path, `/`-separated, without `.` or empty components: the path
    /// [`extract`] would create under its destination.
    pub path: &'a str,
    /// Size declared in the entry header. The data may still turn out shorter or longer, which
    /// fails the archive; only the bytes actually read are trusted.
    pub size: u64,
}

/// What [`visit`] went through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visited {
    /// Regular files handed to the visitor.
    pub files: u64,
    /// Bytes of those files, whether the visitor read them or left them to be drained.
    pub bytes: u64,
    /// Entries deliberately ignored (links, PAX global headers), one English sentence each.
    pub skipped: Vec<String>,
}

/// Which kind of link an entry was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    Symbolic,
    Hard,
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkKind::Symbolic => "symbolic link",
            LinkKind::Hard => "hard link",
        })
    }
}

/// The `skipped` sentence for a link, e.g.
/// `course/static/x.js: symbolic link to "../../x.js" skipped (links are never extracted)`.
fn link_skipped(shown: &str, kind: LinkKind, target: Option<&str>) -> String {
    let to = target.map(|t| format!(" to {t:?}")).unwrap_or_default();
    format!("{shown}: {kind}{to} skipped (links are never extracted)")
}

/// Why an archive was refused. Every message is a sentence fit to show the person who uploaded
/// the file; entry paths are quoted as they appear in the archive.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    #[error("The file is not a .tar.gz, .tar or .zip archive.")]
    UnknownFormat,
    #[error("The destination {} must be an existing empty folder.", .0.display())]
    BadDestination(PathBuf),
    #[error("Could not {action} {}: {source}.", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error("The archive entry {path:?} has an absolute path; entries must be relative to the course folder.")]
    AbsolutePath { path: String },
    #[error(
        "The archive entry {path:?} contains \"..\", which could write outside the course folder."
    )]
    PathTraversal { path: String },
    #[error("The archive entry {path:?} has a NUL byte in its name.")]
    NulInName { path: String },
    #[error("The archive entry {path:?} does not have a UTF-8 name; re-create the archive with UTF-8 file names.")]
    NonUtf8Name { path: String },
    #[error("The archive entry {path:?} is a {kind}; only regular files and folders are allowed.")]
    SpecialFile { path: String, kind: &'static str },
    #[error("The archive cannot be extracted{}: {reason}.", at(path))]
    Unsupported {
        path: Option<String>,
        reason: String,
    },
    #[error("The archive has more than {limit} entries.")]
    TooManyEntries { limit: u64 },
    #[error("The archive entry {path:?} is larger than {}, the limit for one file.", human(*limit))]
    EntryTooLarge { path: String, limit: u64 },
    #[error("The archive unpacks to more than {} in total{}.", human(*limit), at(path))]
    TotalTooLarge { path: Option<String>, limit: u64 },
    #[error("The archive expands to more than {ratio} times its compressed size{}; it looks like a decompression bomb.", at(path))]
    Bomb { path: Option<String>, ratio: u64 },
    #[error("The archive entries {path:?} and {other:?} share the same compressed data, a trick used by zip bombs.")]
    OverlappingEntries { path: String, other: String },
    #[error("The archive contains {path:?} more than once.")]
    Duplicate { path: String },
    #[error(
        "The archive entry {path:?} uses a name that is both a file and a folder in this archive."
    )]
    PathConflict { path: String },
    #[error(
        "The archive is cut short{}; upload the complete file again.",
        at(path)
    )]
    Truncated { path: Option<String> },
    #[error("The archive is damaged{}: {reason}.", at(path))]
    Corrupt {
        path: Option<String>,
        reason: String,
    },
    /// The [`visit`] callback failed; `path` is the normalised [`EntryInfo::path`].
    #[error("cannot process archive entry {path:?}: {source}")]
    Visitor { path: String, source: io::Error },
}

/// ` (at entry "x")` for messages about the whole archive that know where it happened.
fn at(path: &Option<String>) -> String {
    path.as_ref()
        .map(|p| format!(" (at entry {p:?})"))
        .unwrap_or_default()
}

fn human(bytes: u64) -> String {
    for (unit, name) in [(GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")] {
        if bytes >= unit && bytes.checked_rem(unit) == Some(0) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> ArchiveError + 'a {
    move |source| ArchiveError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Tells the format from the first bytes: gzip `1f 8b`, zip `PK\3\4` (or `PK\5\6`, an empty
/// zip), tar `ustar` at offset 257.
pub fn detect(path: &Path) -> Result<Format, ArchiveError> {
    let mut file = File::open(path).map_err(io_err("open", path))?;
    let mut head = [0u8; 262];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_err("read", path)(e)),
        }
    }
    let head = &head[..n];
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Format::TarGz)
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Ok(Format::Zip)
    } else if head.get(257..262) == Some(b"ustar") {
        Ok(Format::Tar)
    } else {
        Err(ArchiveError::UnknownFormat)
    }
}

/// Streams the regular files of `archive` to `visitor`, in archive order, each once, with exactly
/// the checks [`extract`] makes (it is built on the same code); folders are not reported.
///
/// The reader handed to the visitor enforces the limits as it is read: past a limit, or on
/// damaged data, it returns an error, and `visit` returns the matching [`ArchiveError`] whatever
/// the visitor makes of that error. What the visitor does not read is drained and still counted
/// and checked. An error the visitor returns of its own stops the walk as
/// [`ArchiveError::Visitor`].
///
/// Some damage only shows after an entry was handed over (a zip entry's CRC is checked as its
/// last bytes are read, the gzip checksum at the very end of the archive), so everything the
/// visitor received is provisional until `visit` returns `Ok`.
pub fn visit(
    archive: &Path,
    limits: &Limits,
    visitor: &mut dyn FnMut(&EntryInfo<'_>, &mut dyn Read) -> io::Result<()>,
) -> Result<Visited, ArchiveError> {
    walk(archive, limits, &mut Visit { visitor })
}

/// Extracts `archive` into `dest`, which must be an existing empty folder. Files are written
/// 0644 and folders 0755 whatever the archive says. On any error everything written under `dest`
/// is removed again (`dest` itself stays, empty).
pub fn extract(archive: &Path, dest: &Path, limits: &Limits) -> Result<Extracted, ArchiveError> {
    let empty = fs::metadata(dest).is_ok_and(|m| m.is_dir())
        && fs::read_dir(dest).is_ok_and(|mut d| d.next().is_none());
    if !empty {
        return Err(ArchiveError::BadDestination(dest.to_path_buf()));
    }
    let mut cleanup = Cleanup { dest, armed: true };
    let mut writer = Writer {
        dest,
        created: HashSet::new(),
        dirs: 0,
        buf: vec![0; BUF_SIZE],
    };
    let visited = walk(archive, limits, &mut writer)?;
    cleanup.armed = false;
    Ok(Extracted {
        files: visited.files,
        dirs: writer.dirs,
        bytes: visited.bytes,
        skipped: visited.skipped,
    })
}

/// Empties `dest` when dropped armed: on every error return, and on panics too.
struct Cleanup<'a> {
    dest: &'a Path,
    armed: bool,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        // `dest` was empty when we started, so everything in it is ours.
        if let Ok(entries) = fs::read_dir(self.dest) {
            for entry in entries.flatten() {
                let path = entry.path();
                let _ = match entry.file_type() {
                    Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
                    _ => fs::remove_file(&path),
                };
            }
        }
    }
}

/// Where validated entries go: [`Visit`] for [`visit`], [`Writer`] for [`extract`].
trait Sink {
    /// A folder listed in the archive (never the archive root).
    fn dir(&mut self, rel: &str) -> Result<(), ArchiveError>;
    /// A regular file; `src` is the limit-enforcing reader. Errors `src` returns have already
    /// been recorded, so whatever this maps them to is replaced by the real cause.
    fn file(&mut self, info: &EntryInfo<'_>, src: &mut dyn Read) -> Result<(), ArchiveError>;
}

struct Visit<'v> {
    visitor: &'v mut dyn FnMut(&EntryInfo<'_>, &mut dyn Read) -> io::Result<()>,
}

impl Sink for Visit<'_> {
    fn dir(&mut self, _rel: &str) -> Result<(), ArchiveError> {
        Ok(())
    }

    fn file(&mut self, info: &EntryInfo<'_>, src: &mut dyn Read) -> Result<(), ArchiveError> {
        (self.visitor)(info, src).map_err(|source| ArchiveError::Visitor {
            path: info.path.to_owned(),
            source,
        })
    }
}

/// Writes entries under `dest`.
struct Writer<'a> {
    dest: &'a Path,
    /// Folders that exist on disk (relative), so each is created once.
    created: HashSet<String>,
    dirs: u64,
    buf: Vec<u8>,
}

impl Writer<'_> {
    fn make_dir(&mut self, rel: &str) -> Result<(), ArchiveError> {
        if rel.is_empty() || self.created.contains(rel) {
            return Ok(());
        }
        let path = self.dest.join(rel);
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o755);
        builder
            .create(&path)
            .map_err(io_err("create the folder", &path))?;
        let ancestors = rel.match_indices('/').map(|(i, _)| &rel[..i]);
        for dir in ancestors.chain([rel]) {
            if self.created.insert(dir.to_owned()) {
                self.dirs += 1;
            }
        }
        Ok(())
    }
}

impl Sink for Writer<'_> {
    fn dir(&mut self, rel: &str) -> Result<(), ArchiveError> {
        self.make_dir(rel)
    }

    fn file(&mut self, info: &EntryInfo<'_>, src: &mut dyn Read) -> Result<(), ArchiveError> {
        if let Some((parent, _)) = info.path.rsplit_once('/') {
            self.make_dir(parent)?;
        }
        let path = self.dest.join(info.path);
        let mut options = OpenOptions::new();
        // create_new: never overwrite, and never follow a link planted at that name.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        let mut file = options.open(&path).map_err(io_err("create", &path))?;
        loop {
            let n = match src.read(&mut self.buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // Replaced by the error `src` recorded (see `Sink::file`).
                Err(e) => return Err(io_err("read", &path)(e)),
            };
            file.write_all(&self.buf[..n])
                .map_err(io_err("write", &path))?;
        }
    }
}

/// An entry name as written in the archive (`shown`, for messages) and normalised (`rel`:
/// `/`-separated, no empty or `.` components; empty for the archive root).
struct Name {
    shown: String,
    rel: String,
}

/// Validates a raw entry name. Backslashes count as separators too, so that `..\x` from Windows
/// tools is caught rather than becoming an odd file name.
fn entry_name(raw: &[u8]) -> Result<Name, ArchiveError> {
    let shown = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            return Err(ArchiveError::NonUtf8Name {
                path: String::from_utf8_lossy(raw).into_owned(),
            })
        }
    };
    if shown.contains('\0') {
        return Err(ArchiveError::NulInName { path: shown });
    }
    let b = shown.as_bytes();
    let drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    if shown.starts_with(['/', '\\']) || drive {
        return Err(ArchiveError::AbsolutePath { path: shown });
    }
    let mut parts = Vec::new();
    for part in shown.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(ArchiveError::PathTraversal { path: shown }),
            _ => parts.push(part),
        }
    }
    let rel = parts.join("/");
    Ok(Name { shown, rel })
}

/// Names claimed so far, to refuse duplicates and file/folder clashes before touching the disk.
/// Skipped links claim nothing: they are never created.
#[derive(Default)]
struct Seen {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl Seen {
    fn file(&mut self, name: &Name) -> Result<(), ArchiveError> {
        if self.files.contains(&name.rel) {
            return Err(ArchiveError::Duplicate {
                path: name.shown.clone(),
            });
        }
        if self.dirs.contains(&name.rel) {
            return Err(conflict(name));
        }
        self.parents(name)?;
        self.files.insert(name.rel.clone());
        Ok(())
    }

    fn dir(&mut self, name: &Name) -> Result<(), ArchiveError> {
        if name.rel.is_empty() {
            return Ok(());
        }
        if self.files.contains(&name.rel) {
            return Err(conflict(name));
        }
        self.parents(name)?;
        self.dirs.insert(name.rel.clone());
        Ok(())
    }

    fn parents(&mut self, name: &Name) -> Result<(), ArchiveError> {
        for (i, _) in name.rel.match_indices('/') {
            let parent = &name.rel[..i];
            if self.files.contains(parent) {
                return Err(conflict(name));
            }
            if !self.dirs.contains(parent) {
                self.dirs.insert(parent.to_owned());
            }
        }
        Ok(())
    }
}

fn conflict(name: &Name) -> ArchiveError {
    ArchiveError::PathConflict {
        path: name.shown.clone(),
    }
}

/// How compressed input is measured for the bomb check.
enum Meter<'a> {
    /// Plain tar: nothing is compressed.
    None,
    /// gzip: bytes pulled from the file so far.
    Stream(&'a Cell<u64>),
    /// zip: this entry's compressed size, and that of all entries so far (capped at the file size).
    Zip { entry: u64, total: u64 },
}

/// Checked after every chunk, since headers can lie about sizes. `shown` is the entry being read
/// (`None` for data outside any entry, which has no per-entry limit).
fn check_progress(
    limits: &Limits,
    shown: Option<&str>,
    entry_out: u64,
    total_out: u64,
    meter: &Meter,
) -> Result<(), ArchiveError> {
    let path = || shown.map(str::to_owned);
    if let Some(p) = shown {
        if entry_out > limits.max_entry_bytes {
            return Err(ArchiveError::EntryTooLarge {
                path: p.to_owned(),
                limit: limits.max_entry_bytes,
            });
        }
    }
    if total_out > limits.max_total_bytes {
        return Err(ArchiveError::TotalTooLarge {
            path: path(),
            limit: limits.max_total_bytes,
        });
    }
    let (entry_in, total_in) = match meter {
        Meter::None => return Ok(()),
        Meter::Stream(read) => (None, read.get()),
        Meter::Zip { entry, total } => (Some(*entry), *total),
    };
    let too_much = |out: u64, input: u64| {
        out > limits.ratio_grace_bytes && out > limits.max_ratio.saturating_mul(input.max(1))
    };
    if entry_in.is_some_and(|input| too_much(entry_out, input)) || too_much(total_out, total_in) {
        return Err(ArchiveError::Bomb {
            path: path(),
            ratio: limits.max_ratio,
        });
    }
    Ok(())
}

/// The reader over one entry's data (or the data after the last entry): counts every byte it
/// passes on and checks the limits after each chunk. The first failure, a limit or a read error
/// of the archive, is kept in `failed` and every later read fails too, so a visitor can neither
/// miss it nor read past it.
struct Limited<'a> {
    inner: &'a mut dyn Read,
    limits: &'a Limits,
    total_out: &'a mut u64,
    shown: Option<&'a str>,
    meter: &'a Meter<'a>,
    read_err: &'a dyn Fn(io::Error) -> ArchiveError,
    count: u64,
    failed: Option<ArchiveError>,
}

impl Limited<'_> {
    fn fail(&mut self, e: ArchiveError) -> io::Error {
        let err = io::Error::new(io::ErrorKind::InvalidData, e.to_string());
        self.failed = Some(e);
        err
    }

    /// Reads to the end of the entry, or to the first failure.
    fn drain(&mut self, buf: &mut [u8]) {
        loop {
            match self.read(buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    }
}

impl Read for Limited<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(e) = &self.failed {
            return Err(io::Error::new(io::ErrorKind::InvalidData, e.to_string()));
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                let e = (self.read_err)(e);
                return Err(self.fail(e));
            }
        };
        self.count += n as u64;
        *self.total_out += n as u64;
        let checked = check_progress(
            self.limits,
            self.shown,
            self.count,
            *self.total_out,
            self.meter,
        );
        match checked {
            Ok(()) => Ok(n),
            Err(e) => Err(self.fail(e)),
        }
    }
}

/// Validation state shared by the tar and zip walks.
struct Core<'a> {
    limits: &'a Limits,
    seen: Seen,
    entries: u64,
    /// Everything decompressed and counted, including drained data nobody kept.
    total_out: u64,
    visited: Visited,
    /// For draining.
    buf: Vec<u8>,
}

impl Core<'_> {
    fn count_entry(&mut self) -> Result<(), ArchiveError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(ArchiveError::TooManyEntries {
                limit: self.limits.max_entries,
            });
        }
        Ok(())
    }

    fn check_declared(&self, name: &Name, size: u64) -> Result<(), ArchiveError> {
        if size > self.limits.max_entry_bytes {
            return Err(ArchiveError::EntryTooLarge {
                path: name.shown.clone(),
                limit: self.limits.max_entry_bytes,
            });
        }
        Ok(())
    }

    /// Runs `use_data` on a [`Limited`] reader over `src`, then drains what it left; returns the
    /// bytes read in all. A failure the reader recorded wins over `use_data`'s own result.
    fn pass(
        &mut self,
        shown: Option<&str>,
        src: &mut dyn Read,
        meter: &Meter,
        read_err: &dyn Fn(io::Error) -> ArchiveError,
        use_data: &mut dyn FnMut(&mut Limited<'_>) -> Result<(), ArchiveError>,
    ) -> Result<u64, ArchiveError> {
        let mut reader = Limited {
            inner: src,
            limits: self.limits,
            total_out: &mut self.total_out,
            shown,
            meter,
            read_err,
            count: 0,
            failed: None,
        };
        let used = use_data(&mut reader);
        if used.is_ok() {
            reader.drain(&mut self.buf);
        }
        if let Some(e) = reader.failed {
            return Err(e);
        }
        used?;
        Ok(reader.count)
    }

    /// Reads and discards `src`, still counted against the limits (a bomb could hide in data we
    /// do not keep).
    fn drain(
        &mut self,
        shown: Option<&str>,
        src: &mut dyn Read,
        meter: &Meter,
        read_err: &dyn Fn(io::Error) -> ArchiveError,
    ) -> Result<(), ArchiveError> {
        self.pass(shown, src, meter, read_err, &mut |_| Ok(()))
            .map(|_| ())
    }

    /// Hands a regular file to the sink; returns its size as read.
    fn file(
        &mut self,
        name: &Name,
        declared: u64,
        src: &mut dyn Read,
        meter: &Meter,
        read_err: &dyn Fn(io::Error) -> ArchiveError,
        sink: &mut dyn Sink,
    ) -> Result<u64, ArchiveError> {
        let info = EntryInfo {
            path: &name.rel,
            size: declared,
        };
        let read = self.pass(Some(&name.shown), src, meter, read_err, &mut |reader| {
            sink.file(&info, reader)
        })?;
        self.visited.files += 1;
        self.visited.bytes += read;
        Ok(read)
    }
}

/// Detects the format and walks the archive into `sink`.
fn walk(archive: &Path, limits: &Limits, sink: &mut dyn Sink) -> Result<Visited, ArchiveError> {
    let format = detect(archive)?;
    let mut core = Core {
        limits,
        seen: Seen::default(),
        entries: 0,
        total_out: 0,
        visited: Visited::default(),
        buf: vec![0; BUF_SIZE],
    };
    match format {
        Format::TarGz => walk_tar(archive, true, &mut core, sink)?,
        Format::Tar => walk_tar(archive, false, &mut core, sink)?,
        Format::Zip => walk_zip(archive, &mut core, sink)?,
    }
    Ok(core.visited)
}

// ---------------------------------------------------------------------------------------------
// tar and tar.gz

/// Shared between the readers inside the tar/gzip stack and the walk.
#[derive(Default)]
struct StreamState {
    /// Compressed bytes read from the file (tar.gz).
    compressed: Cell<u64>,
    /// The decompressed stream ended while the tar reader wanted more.
    eof: Cell<bool>,
    /// Bytes the tar reader may still consume before the next entry; `None` while we read data.
    budget: Cell<Option<u64>>,
    over_budget: Cell<bool>,
}

/// Counts bytes read from the compressed file.
struct Counting<R> {
    inner: R,
    state: Rc<StreamState>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let c = &self.state.compressed;
        c.set(c.get() + n as u64);
        Ok(n)
    }
}

/// Sits between the (decompressed) stream and the tar reader: notes end of stream and enforces
/// [`META_BUDGET`].
struct Tracked<R> {
    inner: R,
    state: Rc<StreamState>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut len = buf.len();
        if let Some(budget) = self.state.budget.get() {
            if budget == 0 && len > 0 {
                self.state.over_budget.set(true);
                return Err(io::Error::other("extended tar header too large"));
            }
            len = len.min(usize::try_from(budget).unwrap_or(usize::MAX));
        }
        let n = self.inner.read(&mut buf[..len])?;
        if n == 0 && len > 0 {
            self.state.eof.set(true);
        }
        if let Some(budget) = self.state.budget.get() {
            self.state.budget.set(Some(budget - n as u64));
        }
        Ok(n)
    }
}

/// Maps a read error from the tar/gzip stack: cut-off streams are `Truncated`, malformed data is
/// `Corrupt`, anything else is a real I/O error.
fn stream_error(
    e: io::Error,
    path: Option<&str>,
    state: &StreamState,
    archive: &Path,
) -> ArchiveError {
    let path = path.map(str::to_owned);
    if state.over_budget.get() {
        return ArchiveError::Corrupt {
            path,
            reason: format!(
                "an extended header (long name or PAX record) is larger than {}",
                human(META_BUDGET)
            ),
        };
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => ArchiveError::Truncated { path },
        _ if state.eof.get() => ArchiveError::Truncated { path },
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::Other => {
            ArchiveError::Corrupt {
                path,
                reason: e.to_string(),
            }
        }
        _ => io_err("read", archive)(e),
    }
}

fn walk_tar(
    archive: &Path,
    gzip: bool,
    core: &mut Core,
    sink: &mut dyn Sink,
) -> Result<(), ArchiveError> {
    let file = File::open(archive).map_err(io_err("open", archive))?;
    let state = Rc::new(StreamState::default());
    let (source, meter): (Box<dyn Read>, _) = if gzip {
        let counted = Counting {
            inner: file,
            state: Rc::clone(&state),
        };
        (
            Box::new(MultiGzDecoder::new(counted)),
            Meter::Stream(&state.compressed),
        )
    } else {
        (
            Box::new(BufReader::with_capacity(BUF_SIZE, file)),
            Meter::None,
        )
    };
    let mut tar = tar::Archive::new(Tracked {
        inner: source,
        state: Rc::clone(&state),
    });
    let mut entries = tar
        .entries()
        .map_err(|e| stream_error(e, None, &state, archive))?;
    loop {
        state.budget.set(Some(META_BUDGET));
        let next = entries.next();
        state.budget.set(None);
        let mut entry = match next {
            None => break,
            Some(Ok(entry)) => entry,
            Some(Err(e)) => return Err(stream_error(e, None, &state, archive)),
        };
        core.count_entry()?;
        let kind = entry.header().entry_type();
        let raw_name = entry.path_bytes().into_owned();
        if kind.is_pax_global_extensions()
            || kind.is_gnu_longname()
            || kind.is_gnu_longlink()
            || kind.is_pax_local_extensions()
        {
            let shown = String::from_utf8_lossy(&raw_name).into_owned();
            let read_err = |e| stream_error(e, Some(&shown), &state, archive);
            core.drain(Some(&shown), &mut entry, &meter, &read_err)?;
            core.visited.skipped.push(format!(
                "{shown}: tar extended header skipped (it only holds metadata)"
            ));
            continue;
        }
        let name = entry_name(&raw_name)?;
        let read_err = |e| stream_error(e, Some(&name.shown), &state, archive);
        match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous
                if !name.shown.ends_with('/') && !name.rel.is_empty() =>
            {
                let declared = entry.size();
                core.check_declared(&name, declared)?;
                core.seen.file(&name)?;
                let read = core.file(&name, declared, &mut entry, &meter, &read_err, sink)?;
                if read < declared {
                    return Err(ArchiveError::Truncated {
                        path: Some(name.shown),
                    });
                }
            }
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::Directory => {
                core.seen.dir(&name)?;
                if !name.rel.is_empty() {
                    sink.dir(&name.rel)?;
                }
                core.drain(Some(&name.shown), &mut entry, &meter, &read_err)?;
            }
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned());
                let kind = if kind == tar::EntryType::Symlink {
                    LinkKind::Symbolic
                } else {
                    LinkKind::Hard
                };
                core.drain(Some(&name.shown), &mut entry, &meter, &read_err)?;
                let skipped = link_skipped(&name.shown, kind, target.as_deref());
                core.visited.skipped.push(skipped);
            }
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => {
                let kind = match kind {
                    tar::EntryType::Char => "character device",
                    tar::EntryType::Block => "block device",
                    _ => "named pipe (FIFO)",
                };
                return Err(ArchiveError::SpecialFile {
                    path: name.shown,
                    kind,
                });
            }
            tar::EntryType::GNUSparse => {
                return Err(ArchiveError::Unsupported {
                    path: Some(name.shown),
                    reason: "GNU sparse files are not supported".into(),
                })
            }
            other => {
                return Err(ArchiveError::Unsupported {
                    path: Some(name.shown),
                    reason: format!(
                        "tar entry type {:?} is neither a file nor a folder",
                        char::from(other.as_byte())
                    ),
                })
            }
        }
    }
    // The tar reader also stops at a clean end of stream; only the zero-block end marker proves
    // the upload is complete (a cut at a 512-byte boundary would otherwise go unnoticed).
    if state.eof.get() {
        return Err(ArchiveError::Truncated { path: None });
    }
    // Read on to the end so that gzip verifies its checksum and length trailer.
    let mut rest = tar.into_inner();
    let read_err = |e| stream_error(e, None, &state, archive);
    core.drain(None, &mut rest, &meter, &read_err)
}

// ---------------------------------------------------------------------------------------------
// zip

#[derive(Clone, Copy, PartialEq, Eq)]
enum ZipKind {
    File,
    Dir,
    Symlink,
}

struct ZipItem {
    index: usize,
    name: Name,
    kind: ZipKind,
    compressed: u64,
}

fn zip_error(e: ZipError, path: Option<&str>, archive: &Path) -> ArchiveError {
    let path = path.map(str::to_owned);
    match e {
        ZipError::Io(e) => match e.kind() {
            io::ErrorKind::UnexpectedEof => ArchiveError::Truncated { path },
            io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::Other => {
                ArchiveError::Corrupt {
                    path,
                    reason: e.to_string(),
                }
            }
            _ => io_err("read", archive)(e),
        },
        ZipError::UnsupportedArchive(reason) => ArchiveError::Unsupported {
            path,
            reason: reason.to_owned(),
        },
        other => ArchiveError::Corrupt {
            path,
            reason: other.to_string(),
        },
    }
}

fn zip_read_error(e: io::Error, path: &str, archive: &Path) -> ArchiveError {
    zip_error(ZipError::Io(e), Some(path), archive)
}

/// Raw names from the central directory. The `zip` crate keys entries by name, so a repeated
/// name would silently hide the earlier entry; reading the directory ourselves reveals it.
fn central_names(reader: &mut BufReader<File>, start: u64, max: usize) -> io::Result<Vec<Vec<u8>>> {
    reader.seek(SeekFrom::Start(start))?;
    let mut names = Vec::new();
    let mut fixed = [0u8; 46];
    while names.len() <= max {
        if reader.read_exact(&mut fixed).is_err() || !fixed.starts_with(b"PK\x01\x02") {
            break;
        }
        let u16_at = |i: usize| u16::from_le_bytes([fixed[i], fixed[i + 1]]);
        let (name_len, extra_len, comment_len) = (u16_at(28), u16_at(30), u16_at(32));
        let mut name = vec![0; usize::from(name_len)];
        reader.read_exact(&mut name)?;
        // seek_relative keeps the buffer, unlike seek.
        reader.seek_relative(i64::from(extra_len) + i64::from(comment_len))?;
        names.push(name);
    }
    Ok(names)
}

fn walk_zip(archive: &Path, core: &mut Core, sink: &mut dyn Sink) -> Result<(), ArchiveError> {
    let file = File::open(archive).map_err(io_err("open", archive))?;
    let file_len = file.metadata().map_err(io_err("read", archive))?.len();
    // Default (8 KiB) buffer: the zip crate seeks before every entry, discarding the buffer.
    let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|e| zip_error(e, None, archive))?;
    let limits = core.limits;
    if zip.len() as u64 > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            limit: limits.max_entries,
        });
    }

    // First pass, central directory and local headers only: refuse a bad archive before reading
    // any data.
    let cd_start = zip.central_directory_start();
    let mut second = BufReader::new(File::open(archive).map_err(io_err("open", archive))?);
    let mut raw_names = HashSet::new();
    for raw in central_names(&mut second, cd_start, zip.len())
        .map_err(|e| zip_error(ZipError::Io(e), None, archive))?
    {
        if raw_names.contains(&raw) {
            return Err(ArchiveError::Duplicate {
                path: String::from_utf8_lossy(&raw).into_owned(),
            });
        }
        raw_names.insert(raw);
    }

    let mut items = Vec::with_capacity(zip.len());
    let mut spans = Vec::with_capacity(zip.len());
    let mut declared_total = 0u64;
    for index in 0..zip.len() {
        let entry = zip
            .by_index_raw(index)
            .map_err(|e| zip_error(e, None, archive))?;
        core.count_entry()?;
        let name = entry_name(entry.name_raw())?;
        let mode = entry.unix_mode().unwrap_or(0);
        let kind = match mode & 0o170000 {
            0o120000 => ZipKind::Symlink,
            t @ (0o020000 | 0o060000 | 0o010000 | 0o140000) => {
                let kind = match t {
                    0o020000 => "character device",
                    0o060000 => "block device",
                    0o010000 => "named pipe (FIFO)",
                    _ => "socket",
                };
                return Err(ArchiveError::SpecialFile {
                    path: name.shown,
                    kind,
                });
            }
            0o040000 => ZipKind::Dir,
            _ if name.shown.ends_with(['/', '\\']) || name.rel.is_empty() => ZipKind::Dir,
            _ => ZipKind::File,
        };
        if entry.encrypted() {
            return Err(ArchiveError::Unsupported {
                path: Some(name.shown),
                reason: "it is encrypted".into(),
            });
        }
        if kind != ZipKind::Dir
            && !matches!(
                entry.compression(),
                CompressionMethod::Stored | CompressionMethod::Deflated
            )
        {
            return Err(ArchiveError::Unsupported {
                path: Some(name.shown),
                reason: format!(
                    "it uses the {:?} compression method; only stored and deflate are supported",
                    entry.compression()
                ),
            });
        }
        match kind {
            ZipKind::Dir => core.seen.dir(&name)?,
            ZipKind::File => {
                core.check_declared(&name, entry.size())?;
                declared_total = declared_total.saturating_add(entry.size());
                if declared_total > limits.max_total_bytes {
                    return Err(ArchiveError::TotalTooLarge {
                        path: Some(name.shown),
                        limit: limits.max_total_bytes,
                    });
                }
                core.seen.file(&name)?;
            }
            // Never created, so it claims no name; its data (the target) is still read through
            // the limits.
            ZipKind::Symlink => {}
        }
        let end = entry.data_start().saturating_add(entry.compressed_size());
        if end > cd_start {
            return Err(ArchiveError::Corrupt {
                path: Some(name.shown),
                reason: "its data runs into the central directory".into(),
            });
        }
        spans.push((entry.header_start(), end, index));
        items.push(ZipItem {
            index,
            name,
            kind,
            compressed: entry.compressed_size(),
        });
    }
    // Entries sharing compressed bytes are how "overlapping" zip bombs reach ratios in the
    // millions while every single entry looks modest.
    spans.sort_unstable();
    let mut furthest: Option<(u64, usize)> = None;
    for &(start, end, index) in &spans {
        if let Some((prev_end, prev)) = furthest {
            if start < prev_end {
                return Err(ArchiveError::OverlappingEntries {
                    path: items[index].name.shown.clone(),
                    other: items[prev].name.shown.clone(),
                });
            }
        }
        if furthest.is_none_or(|(prev_end, _)| end > prev_end) {
            furthest = Some((end, index));
        }
    }

    // Second pass: the data.
    let mut compressed_so_far = 0u64;
    for item in &items {
        if item.kind == ZipKind::Dir {
            if !item.name.rel.is_empty() {
                sink.dir(&item.name.rel)?;
            }
            continue;
        }
        compressed_so_far += item.compressed;
        let meter = Meter::Zip {
            entry: item.compressed,
            total: compressed_so_far.min(file_len),
        };
        let shown = &item.name.shown;
        let mut entry = zip
            .by_index(item.index)
            .map_err(|e| zip_error(e, Some(shown), archive))?;
        let declared = entry.size();
        let read_err = |e| zip_read_error(e, shown, archive);
        if item.kind == ZipKind::Symlink {
            let mut target = Vec::new();
            core.pass(Some(shown), &mut entry, &meter, &read_err, &mut |reader| {
                // Errors are recorded by the reader and returned by `pass`.
                let _ = reader.take(LINK_TARGET_SHOWN + 1).read_to_end(&mut target);
                Ok(())
            })?;
            let target = (target.len() as u64 <= LINK_TARGET_SHOWN)
                .then(|| String::from_utf8_lossy(&target).into_owned());
            let skipped = link_skipped(shown, LinkKind::Symbolic, target.as_deref());
            core.visited.skipped.push(skipped);
            continue;
        }
        let read = core.file(&item.name, declared, &mut entry, &meter, &read_err, sink)?;
        if read != declared {
            return Err(ArchiveError::Corrupt {
                path: Some(shown.clone()),
                reason: format!("it holds {read} bytes but its header says {declared}"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Cursor;
    use tar::{EntryType, Header};
    use zip::write::SimpleFileOptions;

    const POLISH: &str = "course/static/Zażółć gęślą jaźń.txt";

    /// A temporary folder holding the archive and an empty `out/` to extract into.
    struct Case {
        _tmp: tempfile::TempDir,
        archive: PathBuf,
        dest: PathBuf,
    }

    impl Case {
        fn new(bytes: impl AsRef<[u8]>) -> Case {
            let tmp = tempfile::tempdir().unwrap();
            let archive = tmp.path().join("upload.bin");
            fs::write(&archive, bytes.as_ref()).unwrap();
            let dest = tmp.path().join("out");
            fs::create_dir(&dest).unwrap();
            Case {
                _tmp: tmp,
                archive,
                dest,
            }
        }

        fn run(&self, limits: &Limits) -> Result<Extracted, ArchiveError> {
            extract(&self.archive, &self.dest, limits)
        }

        fn dest_is_empty(&self) -> bool {
            fs::read_dir(&self.dest).unwrap().next().is_none()
        }
    }

    /// Extracts `bytes` expecting an error that matches the pattern, and an empty destination;
    /// then visits them twice, reading everything and reading nothing, expecting the same error.
    macro_rules! assert_refused {
        ($bytes:expr, $limits:expr, $pattern:pat) => {{
            let case = Case::new($bytes);
            let result = case.run(&$limits);
            assert!(
                matches!(result, Err($pattern)),
                "expected {}, got {result:?}",
                stringify!($pattern)
            );
            assert!(case.dest_is_empty(), "destination not cleaned up");
            let read_all = visit_all(&case.archive, &$limits).map(|(v, _)| v);
            assert!(
                matches!(read_all, Err($pattern)),
                "visit expected {}, got {read_all:?}",
                stringify!($pattern)
            );
            let read_none = visit(&case.archive, &$limits, &mut |_, _| Ok(()));
            assert!(
                matches!(read_none, Err($pattern)),
                "visit without reading expected {}, got {read_none:?}",
                stringify!($pattern)
            );
            result.unwrap_err()
        }};
        ($bytes:expr, $pattern:pat) => {
            assert_refused!($bytes, Limits::default(), $pattern)
        };
    }

    fn header(name: &[u8], kind: EntryType, size: u64) -> Header {
        let mut h = Header::new_gnu();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        h
    }

    fn link_header(name: &[u8], kind: EntryType, target: &[u8]) -> Header {
        let mut h = header(name, kind, 0);
        h.as_old_mut().linkname[..target.len()].copy_from_slice(target);
        h.set_cksum();
        h
    }

    /// A tar whose first entry is a good file (so cleanup has something to remove), then `rest`.
    fn tar_of(rest: &[(Header, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let ok = header(b"course/ok.txt", EntryType::Regular, 2);
        b.append(&ok, &b"ok"[..]).unwrap();
        for (h, data) in rest {
            b.append(h, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn file(name: &str, data: &[u8]) -> (Header, Vec<u8>) {
        (
            header(name.as_bytes(), EntryType::Regular, data.len() as u64),
            data.to_vec(),
        )
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().unix_permissions(0o4777);
        for (name, data) in files {
            if name.ends_with('/') {
                w.add_directory(*name, options).unwrap();
            } else {
                w.start_file(*name, options).unwrap();
                w.write_all(data).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    /// Replaces every occurrence of `from` by `to` (same length): how zips with names the writer
    /// would refuse are made.
    fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) {
        assert_eq!(from.len(), to.len());
        let mut i = 0;
        let mut hits = 0;
        while i + from.len() <= bytes.len() {
            if &bytes[i..i + from.len()] == from {
                bytes[i..i + from.len()].copy_from_slice(to);
                hits += 1;
            }
            i += 1;
        }
        assert!(hits > 0);
    }

    /// A zip with a good file, then a file whose raw name is `raw`.
    fn zip_named(raw: &[u8]) -> Vec<u8> {
        let placeholder = "Q".repeat(raw.len());
        let mut bytes = zip_of(&[("course/ok.txt", b"ok"), (&placeholder, b"evil")]);
        replace_all(&mut bytes, placeholder.as_bytes(), raw);
        bytes
    }

    /// Offsets of the central directory headers, by name.
    fn central_header(bytes: &[u8], name: &str) -> usize {
        (0..bytes.len() - 46)
            .find(|&i| {
                bytes[i..].starts_with(b"PK\x01\x02") && {
                    let len = usize::from(u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]));
                    &bytes[i + 46..i + 46 + len] == name.as_bytes()
                }
            })
            .unwrap()
    }

    fn noise(len: usize) -> Vec<u8> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    fn read(dest: &Path, rel: &str) -> Vec<u8> {
        fs::read(dest.join(rel)).unwrap()
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn detect_by_magic_bytes_not_name() {
        let tar = tar_of(&[]);
        let cases: [(&[u8], Option<Format>); 6] = [
            (&gz(&tar), Some(Format::TarGz)),
            (&tar, Some(Format::Tar)),
            (&zip_of(&[("a.txt", b"a")]), Some(Format::Zip)),
            (&zip_of(&[]), Some(Format::Zip)),
            (b"<course url_name=\"x\"/>", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            // The name always claims .tar.gz: only the content counts.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("course.tar.gz");
            fs::write(&path, bytes).unwrap();
            match expected {
                Some(format) => assert_eq!(detect(&path).unwrap(), format),
                None => assert!(matches!(detect(&path), Err(ArchiveError::UnknownFormat))),
            }
        }
    }

    #[test]
    fn tar_gz_extracts_nested_folders_and_polish_names() {
        let mut b = tar::Builder::new(Vec::new());
        let mut dir = Header::new_gnu();
        dir.set_entry_type(EntryType::Directory);
        dir.set_mode(0o777);
        dir.set_size(0);
        b.append_data(&mut dir, "course/", io::empty()).unwrap();
        for (path, data) in [
            ("course/course.xml", &b"<course/>"[..]),
            (POLISH, "Pchnąć w tę łódź jeża".as_bytes()),
            ("course/a/b/c/deep file.html", b"<p>deep</p>"),
        ] {
            let mut h = Header::new_gnu();
            h.set_mode(0o4777); // setuid, world-writable: must be ignored
            h.set_size(data.len() as u64);
            b.append_data(&mut h, path, data).unwrap();
        }
        let case = Case::new(gz(&b.into_inner().unwrap()));
        let got = case.run(&Limits::default()).unwrap();
        assert_eq!(got.files, 3);
        assert_eq!(got.dirs, 5); // course, static, a, a/b, a/b/c
        assert_eq!(got.bytes, 9 + "Pchnąć w tę łódź jeża".len() as u64 + 11);
        assert!(got.skipped.is_empty());
        assert_eq!(read(&case.dest, POLISH), "Pchnąć w tę łódź jeża".as_bytes());
        assert_eq!(
            read(&case.dest, "course/a/b/c/deep file.html"),
            b"<p>deep</p>"
        );
        #[cfg(unix)]
        {
            assert_eq!(mode(&case.dest.join(POLISH)) & !0o644, 0);
            assert_eq!(mode(&case.dest.join("course/a")) & !0o755, 0);
        }
    }

    #[test]
    fn plain_tar_with_long_names_and_pax_header_extracts() {
        let long = format!("course/{}/file.xml", "x".repeat(150));
        let mut b = tar::Builder::new(Vec::new());
        let mut h = Header::new_gnu();
        h.set_size(3);
        b.append_data(&mut h, &long, &b"abc"[..]).unwrap(); // GNU long name
        let record = b"24 comment=made by test\n";
        b.append(
            &header(b"pax_global_header", EntryType::XGlobalHeader, 24),
            &record[..],
        )
        .unwrap();
        let case = Case::new(b.into_inner().unwrap());
        let got = case.run(&Limits::default()).unwrap();
        assert_eq!((got.files, got.bytes), (1, 3));
        assert_eq!(got.skipped.len(), 1);
        assert_eq!(read(&case.dest, &long), b"abc");
    }

    #[test]
    fn zip_extracts_nested_folders_and_polish_names() {
        let bytes = zip_of(&[
            ("course/", b""),
            ("course/course.xml", b"<course/>"),
            (POLISH, "Pchnąć w tę łódź jeża".as_bytes()),
            ("course/a/b/c/deep file.html", b"<p>deep</p>"),
            ("course/empty/", b""),
        ]);
        let case = Case::new(&bytes);
        let got = case.run(&Limits::default()).unwrap();
        assert_eq!(got.files, 3);
        assert_eq!(got.dirs, 6);
        assert_eq!(read(&case.dest, POLISH), "Pchnąć w tę łódź jeża".as_bytes());
        assert_eq!(read(&case.dest, "course/course.xml"), b"<course/>");
        assert!(case.dest.join("course/empty").is_dir());
        #[cfg(unix)]
        assert_eq!(mode(&case.dest.join("course/course.xml")) & !0o644, 0);
    }

    #[test]
    fn empty_zip_extracts_nothing() {
        let case = Case::new(zip_of(&[]));
        assert_eq!(case.run(&Limits::default()).unwrap(), Extracted::default());
    }

    #[test]
    fn refuses_path_traversal() {
        for name in [
            &b"../evil.txt"[..],
            b"course/../../evil.txt",
            b"course/..\\..\\evil",
        ] {
            let (h, d) = (header(name, EntryType::Regular, 4), b"evil");
            assert_refused!(gz(&tar_of(&[(h, d)])), ArchiveError::PathTraversal { .. });
            assert_refused!(zip_named(name), ArchiveError::PathTraversal { .. });
        }
        let err = assert_refused!(
            zip_named(b"../evil.txt"),
            ArchiveError::PathTraversal { .. }
        );
        assert!(err.to_string().contains("\"../evil.txt\""), "{err}");
    }

    #[test]
    fn refuses_absolute_paths() {
        for name in [
            &b"/etc/evil"[..],
            b"\\evil.txt",
            b"C:\\evil.txt",
            b"c:/evil.txt",
        ] {
            let (h, d) = (header(name, EntryType::Regular, 4), b"evil");
            assert_refused!(tar_of(&[(h, d)]), ArchiveError::AbsolutePath { .. });
            assert_refused!(zip_named(name), ArchiveError::AbsolutePath { .. });
        }
    }

    #[test]
    fn refuses_nul_and_non_utf8_names() {
        // A NUL cannot sit in a plain tar name field; a PAX `path` record can carry one.
        let pax = b"16 path=a\0b.txt\n";
        let ext = header(b"PaxHeader", EntryType::XHeader, pax.len() as u64);
        let (h, d) = file("placeholder", b"evil");
        assert_refused!(
            tar_of(&[(ext, pax), (h, &d)]),
            ArchiveError::NulInName { .. }
        );
        assert_refused!(
            zip_named(b"course/a\0b.txt"),
            ArchiveError::NulInName { .. }
        );

        let h = header(b"course/caf\xe9.txt", EntryType::Regular, 4);
        let err = assert_refused!(
            gz(&tar_of(&[(h, b"evil")])),
            ArchiveError::NonUtf8Name { .. }
        );
        assert!(err.to_string().contains("UTF-8"), "{err}");
        assert_refused!(
            zip_named(b"course/caf\xe9.txt"),
            ArchiveError::NonUtf8Name { .. }
        );
    }

    #[test]
    fn links_are_skipped_not_created() {
        let sym = link_header(b"course/static/passwd", EntryType::Symlink, b"/etc/passwd");
        let hard = link_header(b"course/hard", EntryType::Link, b"course/ok.txt");
        let (h, d) = file("course/after.txt", b"after");
        let case = Case::new(gz(&tar_of(&[(sym, b""), (hard, b""), (h, &d)])));
        let got = case.run(&Limits::default()).unwrap();
        assert_eq!((got.files, got.bytes), (2, 7));
        assert_eq!(
            got.skipped,
            [
                "course/static/passwd: symbolic link to \"/etc/passwd\" skipped \
                 (links are never extracted)",
                "course/hard: hard link to \"course/ok.txt\" skipped (links are never extracted)",
            ]
        );
        for link in ["course/static/passwd", "course/hard"] {
            // symlink_metadata: not even a dangling link may be there.
            assert!(
                fs::symlink_metadata(case.dest.join(link)).is_err(),
                "{link}"
            );
        }
        assert_eq!(read(&case.dest, "course/after.txt"), b"after");

        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        w.start_file("course/ok.txt", options).unwrap();
        w.write_all(b"ok").unwrap();
        w.add_symlink("course/link", "/etc/passwd", options)
            .unwrap();
        let case = Case::new(w.finish().unwrap().into_inner());
        let got = case.run(&Limits::default()).unwrap();
        assert_eq!((got.files, got.bytes), (1, 2));
        assert_eq!(
            got.skipped,
            ["course/link: symbolic link to \"/etc/passwd\" skipped (links are never extracted)"]
        );
        assert!(fs::symlink_metadata(case.dest.join("course/link")).is_err());
        let (visited, files) = visit_all(&case.archive, &Limits::default()).unwrap();
        assert_eq!(visited.skipped, got.skipped);
        assert_eq!(files, [("course/ok.txt".to_owned(), b"ok".to_vec())]);

        // A skipped link's name is still checked.
        let up = link_header(b"../x", EntryType::Symlink, b"course/ok.txt");
        assert_refused!(tar_of(&[(up, b"")]), ArchiveError::PathTraversal { .. });
        let abs = link_header(b"/tmp/x", EntryType::Link, b"course/ok.txt");
        assert_refused!(
            gz(&tar_of(&[(abs, b"")])),
            ArchiveError::AbsolutePath { .. }
        );
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.add_symlink("QQQQ", "target", options).unwrap();
        let mut bytes = w.finish().unwrap().into_inner();
        replace_all(&mut bytes, b"QQQQ", b"../x");
        assert_refused!(bytes, ArchiveError::PathTraversal { .. });
    }

    #[test]
    fn refuses_devices_and_fifos() {
        for (kind, what) in [
            (EntryType::Char, "character device"),
            (EntryType::Block, "block device"),
            (EntryType::Fifo, "named pipe (FIFO)"),
        ] {
            let h = header(b"course/dev", kind, 0);
            let err = assert_refused!(tar_of(&[(h, b"")]), ArchiveError::SpecialFile { .. });
            assert!(err.to_string().contains(what), "{err}");
        }
        let mut bytes = zip_of(&[("course/ok.txt", b"ok"), ("course/fifo", b"")]);
        let cd = central_header(&bytes, "course/fifo");
        bytes[cd + 38..cd + 42].copy_from_slice(&(0o010644u32 << 16).to_le_bytes());
        assert_refused!(bytes, ArchiveError::SpecialFile { .. });
    }

    #[test]
    fn enforces_entry_count_limit() {
        let limits = Limits {
            max_entries: 3,
            ..Limits::default()
        };
        let files: Vec<_> = (0..5)
            .map(|i| file(&format!("course/{i}.txt"), b"x"))
            .collect();
        let rest: Vec<_> = files.iter().map(|(h, d)| (h.clone(), &d[..])).collect();
        assert_refused!(
            gz(&tar_of(&rest)),
            limits,
            ArchiveError::TooManyEntries { limit: 3 }
        );

        let names: Vec<String> = (0..5).map(|i| format!("course/{i}.txt")).collect();
        let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        assert_refused!(
            zip_of(&files),
            limits,
            ArchiveError::TooManyEntries { limit: 3 }
        );
    }

    #[test]
    fn enforces_entry_size_limit() {
        let limits = Limits {
            max_entry_bytes: 10,
            ..Limits::default()
        };
        let (h, d) = file("course/big.bin", &[7; 100]);
        let err = assert_refused!(
            gz(&tar_of(&[(h, &d)])),
            limits,
            ArchiveError::EntryTooLarge { .. }
        );
        assert!(err.to_string().contains("\"course/big.bin\""), "{err}");
        assert_refused!(
            zip_of(&[("course/ok.txt", b"ok"), ("course/big.bin", &[7; 100])]),
            limits,
            ArchiveError::EntryTooLarge { .. }
        );
    }

    #[test]
    fn zip_header_lying_about_size_is_caught_while_writing() {
        let limits = Limits {
            max_entry_bytes: 100,
            ..Limits::default()
        };
        let mut bytes = zip_of(&[("course/ok.txt", b"ok"), ("course/liar.bin", &[7; 1000])]);
        let cd = central_header(&bytes, "course/liar.bin");
        bytes[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
        let local = usize::try_from(u32::from_le_bytes(
            bytes[cd + 42..cd + 46].try_into().unwrap(),
        ))
        .unwrap();
        bytes[local + 22..local + 26].copy_from_slice(&10u32.to_le_bytes());
        assert_refused!(&bytes, limits, ArchiveError::EntryTooLarge { .. });
        // Within the limit the lie still shows: more bytes than the header promised.
        assert_refused!(bytes, ArchiveError::Corrupt { .. });
    }

    #[test]
    fn enforces_total_size_limit() {
        let limits = Limits {
            max_total_bytes: 150,
            ..Limits::default()
        };
        let (a, da) = file("course/a.bin", &[1; 100]);
        let (b, db) = file("course/b.bin", &[2; 100]);
        assert_refused!(
            tar_of(&[(a, &da), (b, &db)]),
            limits,
            ArchiveError::TotalTooLarge { .. }
        );
        assert_refused!(
            zip_of(&[("course/a.bin", &[1; 100]), ("course/b.bin", &[2; 100])]),
            limits,
            ArchiveError::TotalTooLarge { .. }
        );
    }

    /// 8 MiB of zeros compress about 1000:1. With the grace lowered to 1 MiB that is a bomb; with
    /// the default 64 MiB grace the same small archive is fine.
    #[test]
    fn refuses_decompression_bombs() {
        let bomb_limits = Limits {
            ratio_grace_bytes: MIB,
            ..Limits::default()
        };
        let zeros = vec![0u8; 8 * MIB as usize];

        let zip = zip_of(&[("course/ok.txt", b"ok"), ("course/zeros.bin", &zeros)]);
        assert!(zip.len() < 64 * 1024, "zip is {} bytes", zip.len());
        assert_refused!(&zip, bomb_limits, ArchiveError::Bomb { .. });
        assert_eq!(Case::new(&zip).run(&Limits::default()).unwrap().files, 2);

        let (h, d) = file("course/zeros.bin", &zeros);
        let tgz = gz(&tar_of(&[(h, &d)]));
        let err = assert_refused!(&tgz, bomb_limits, ArchiveError::Bomb { .. });
        assert!(err.to_string().contains("course/zeros.bin"), "{err}");
        assert_eq!(Case::new(&tgz).run(&Limits::default()).unwrap().files, 2);

        // Zeros hidden after the tar end marker are decompressed and counted too.
        let mut padded = tar_of(&[]);
        padded.extend_from_slice(&zeros);
        assert_refused!(
            gz(&padded),
            bomb_limits,
            ArchiveError::Bomb { path: None, .. }
        );
    }

    #[test]
    fn refuses_overlapping_zip_entries() {
        let mut bytes = zip_of(&[("course/a.txt", b"same"), ("course/b.txt", b"same")]);
        let cd = central_header(&bytes, "course/b.txt");
        bytes[cd + 42..cd + 46].copy_from_slice(&0u32.to_le_bytes());
        assert_refused!(bytes, ArchiveError::OverlappingEntries { .. });
    }

    #[test]
    fn refuses_truncated_archives() {
        let (a, da) = file("course/a.bin", &noise(200_000));
        let (b, db) = file("course/b.bin", &noise(200_000));
        let tar = tar_of(&[(a, &da), (b, &db)]);
        let tgz = gz(&tar);
        assert_refused!(&tgz[..tgz.len() / 2], ArchiveError::Truncated { .. });
        // Gzip cut just before its trailer: all tar data is there, the checksum is not.
        assert_refused!(&tgz[..tgz.len() - 4], ArchiveError::Truncated { .. });
        // Plain tar: in the middle of an entry, inside a header, and neatly at a block boundary.
        let err = assert_refused!(&tar[..100_000], ArchiveError::Truncated { .. });
        assert!(err.to_string().contains("course/a.bin"), "{err}");
        assert_refused!(&tar[..512 + 512 + 200], ArchiveError::Truncated { .. });
        let end_of_b = 3 * 512 + 200_192 + 512 + 200_192;
        assert_refused!(&tar[..end_of_b], ArchiveError::Truncated { .. });
        assert_eq!(
            Case::new(&tar[..end_of_b + 1024])
                .run(&Limits::default())
                .unwrap()
                .files,
            3
        );
    }

    #[test]
    fn refuses_corrupt_archives() {
        let (a, da) = file("course/a.bin", &noise(10_000));
        let mut tar = tar_of(&[(a, &da)]);
        tar[1024 + 3] ^= 0x20; // a name byte of the second header: the header checksum no longer matches
        assert_refused!(&tar, ArchiveError::Corrupt { .. });

        // Noise is stored uncompressed inside deflate, so a flipped byte only shows in the CRC.
        let tar = tar_of(&[(file("course/a.bin", &noise(10_000)).0, &da)]);
        let mut tgz = gz(&tar);
        let middle = tgz.len() / 2;
        tgz[middle] ^= 0xff;
        assert_refused!(tgz, ArchiveError::Corrupt { .. });

        let zip = zip_of(&[("course/ok.txt", b"ok"), ("course/a.txt", b"aaaa")]);
        let cd = central_header(&zip, "course/ok.txt");
        assert_refused!(&zip[..cd], ArchiveError::Corrupt { .. });

        let mut zip = zip_of(&[("course/ok.txt", b"ok"), ("course/a.bin", &noise(1000))]);
        let cd = central_header(&zip, "course/a.bin");
        zip[cd + 16] ^= 1; // the CRC
        assert_refused!(zip, ArchiveError::Corrupt { path: Some(_), .. });
    }

    #[test]
    fn refuses_unknown_formats() {
        assert_refused!(
            b"just some text, not an archive",
            ArchiveError::UnknownFormat
        );
        assert_refused!(Vec::new(), ArchiveError::UnknownFormat);
    }

    #[test]
    fn refuses_duplicates_and_file_folder_clashes() {
        let (h, d) = file("course/ok.txt", b"again");
        assert_refused!(gz(&tar_of(&[(h, &d)])), ArchiveError::Duplicate { .. });
        let (h, d) = file("./course//ok.txt", b"again");
        assert_refused!(tar_of(&[(h, &d)]), ArchiveError::Duplicate { .. });
        assert_refused!(
            zip_of(&[("course/ok.txt", b"ok"), ("course/./ok.txt", b"again")]),
            ArchiveError::Duplicate { .. }
        );
        // Same raw name twice in the central directory.
        let mut bytes = zip_of(&[("course/ok.txt", b"ok"), ("course/no.txt", b"no")]);
        replace_all(&mut bytes, b"course/no.txt", b"course/ok.txt");
        let err = assert_refused!(bytes, ArchiveError::Duplicate { .. });
        assert!(err.to_string().contains("\"course/ok.txt\""), "{err}");

        let (h, d) = file("course/ok.txt/inner.txt", b"x");
        assert_refused!(tar_of(&[(h, &d)]), ArchiveError::PathConflict { .. });
        let dir = header(b"course/ok.txt/", EntryType::Directory, 0);
        assert_refused!(tar_of(&[(dir, b"")]), ArchiveError::PathConflict { .. });
    }

    #[test]
    fn refuses_oversized_extended_headers() {
        let long = vec![b'a'; 2 * MIB as usize];
        let ext = header(b"././@LongLink", EntryType::GNULongName, long.len() as u64);
        let (h, d) = file("placeholder", b"x");
        let err = assert_refused!(
            gz(&tar_of(&[(ext, &long), (h, &d)])),
            ArchiveError::Corrupt { .. }
        );
        assert!(err.to_string().contains("extended header"), "{err}");
    }

    #[test]
    fn destination_must_be_an_empty_folder() {
        let case = Case::new(zip_of(&[("a.txt", b"a")]));
        fs::write(case.dest.join("mine.txt"), b"keep me").unwrap();
        assert!(matches!(
            case.run(&Limits::default()),
            Err(ArchiveError::BadDestination(_))
        ));
        assert_eq!(read(&case.dest, "mine.txt"), b"keep me");
        let missing = case.dest.join("missing");
        let got = extract(&case.archive, &missing, &Limits::default());
        assert!(matches!(got, Err(ArchiveError::BadDestination(_))));
    }

    type Files = Vec<(String, Vec<u8>)>;

    /// Visits `archive` reading every file whole, in archive order; on success each file's size
    /// matches its header.
    fn visit_all(archive: &Path, limits: &Limits) -> Result<(Visited, Files), ArchiveError> {
        let mut files = Vec::new();
        let mut declared = Vec::new();
        let visited = visit(archive, limits, &mut |info, src| {
            let mut data = Vec::new();
            src.read_to_end(&mut data)?;
            declared.push(info.size);
            files.push((info.path.to_owned(), data));
            Ok(())
        })?;
        let sizes: Vec<u64> = files.iter().map(|(_, d)| d.len() as u64).collect();
        assert_eq!(sizes, declared);
        Ok((visited, files))
    }

    /// Every file under `dir`, by relative path, sorted.
    fn tree(dir: &Path) -> Files {
        fn walk(root: &Path, dir: &Path, out: &mut Files) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path.strip_prefix(root).unwrap().to_str().unwrap();
                    out.push((rel.replace('\\', "/"), fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, &mut out);
        out.sort();
        out
    }

    /// A tar.gz and a zip with folders, nested and Polish names, odd spellings and a link.
    fn mixed_archives() -> [Vec<u8>; 2] {
        let mut b = tar::Builder::new(Vec::new());
        let mut dir = Header::new_gnu();
        dir.set_entry_type(EntryType::Directory);
        dir.set_size(0);
        b.append_data(&mut dir, "course/", io::empty()).unwrap();
        for (path, data) in [
            ("course/course.xml", &b"<course/>"[..]),
            (POLISH, "Pchnąć w tę łódź jeża".as_bytes()),
            ("./course//a/b/deep.html", b"<p>deep</p>"),
            ("course/static/noise.bin", &noise(300_000)),
        ] {
            let mut h = Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, path, data).unwrap();
        }
        let link = link_header(b"course/static/up.js", EntryType::Symlink, b"../../up.js");
        b.append(&link, io::empty()).unwrap();
        let tgz = gz(&b.into_inner().unwrap());

        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        w.add_directory("course/", options).unwrap();
        w.add_directory("course/empty/", options).unwrap();
        for (path, data) in [
            ("course/course.xml", &b"<course/>"[..]),
            (POLISH, "Pchnąć w tę łódź jeża".as_bytes()),
            ("course/a/b/deep.html", b"<p>deep</p>"),
            ("course/static/noise.bin", &noise(300_000)),
        ] {
            w.start_file(path, options).unwrap();
            w.write_all(data).unwrap();
        }
        w.add_symlink("course/static/up.js", "../../up.js", options)
            .unwrap();
        [tgz, w.finish().unwrap().into_inner()]
    }

    #[test]
    fn visit_sees_what_extract_writes() {
        for bytes in mixed_archives() {
            let case = Case::new(&bytes);
            let extracted = case.run(&Limits::default()).unwrap();
            let (visited, files) = visit_all(&case.archive, &Limits::default()).unwrap();
            let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(
                paths,
                [
                    "course/course.xml",
                    POLISH,
                    "course/a/b/deep.html",
                    "course/static/noise.bin"
                ]
            );
            let mut sorted = files.clone();
            sorted.sort();
            assert_eq!(sorted, tree(&case.dest));
            assert_eq!(
                (visited.files, visited.bytes, &visited.skipped),
                (extracted.files, extracted.bytes, &extracted.skipped)
            );
            assert_eq!(visited.skipped.len(), 1, "{:?}", visited.skipped);
            assert!(visited.skipped[0].contains("course/static/up.js"));
        }
    }

    /// A visitor that reads only the start of each file (or nothing) still gets every file, in
    /// step, and the counts of the whole archive.
    #[test]
    fn visit_with_early_stopping_visitor_counts_everything() {
        for bytes in mixed_archives() {
            let case = Case::new(&bytes);
            let (full, files) = visit_all(&case.archive, &Limits::default()).unwrap();
            let mut calls = 0;
            let visited = visit(&case.archive, &Limits::default(), &mut |info, src| {
                let (path, data) = &files[calls];
                calls += 1;
                assert_eq!(info.path, path);
                if calls % 2 == 0 {
                    return Ok(()); // reads nothing at all
                }
                let mut head = [0u8; 4];
                src.read_exact(&mut head)?;
                assert_eq!(&head, &data[..4], "{path}");
                Ok(())
            })
            .unwrap();
            assert_eq!(calls, 4);
            assert_eq!(visited, full);
            assert_eq!(visited.bytes, 9 + 28 + 11 + 300_000);
        }
    }

    #[test]
    fn visitor_errors_stop_the_walk() {
        let (a, da) = file("course/a.txt", b"aaaa");
        let (b, db) = file("course/b.txt", b"bbbb");
        let tgz = gz(&tar_of(&[(a, &da), (b, &db)]));
        let zip = zip_of(&[
            ("course/ok.txt", b"ok"),
            ("course/a.txt", b"aaaa"),
            ("course/b.txt", b"bbbb"),
        ]);
        for bytes in [tgz, zip] {
            let case = Case::new(&bytes);
            let mut seen = Vec::new();
            let got = visit(&case.archive, &Limits::default(), &mut |info, _| {
                seen.push(info.path.to_owned());
                if info.path == "course/a.txt" {
                    return Err(io::Error::other("disk full"));
                }
                Ok(())
            });
            let err = got.unwrap_err();
            assert!(
                matches!(&err, ArchiveError::Visitor { path, source }
                    if path == "course/a.txt" && source.to_string() == "disk full"),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "cannot process archive entry \"course/a.txt\": disk full"
            );
            assert_eq!(seen, ["course/ok.txt", "course/a.txt"]);
        }
    }

    /// Limits hit while the visitor reads: its read fails, and `visit` reports the limit, whether
    /// the visitor passes the read error on or swallows it.
    #[test]
    fn visit_enforces_limits_while_reading() {
        let mut liar = zip_of(&[("course/ok.txt", b"ok"), ("course/liar.bin", &[7; 1000])]);
        let cd = central_header(&liar, "course/liar.bin");
        liar[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
        let local = usize::try_from(u32::from_le_bytes(
            liar[cd + 42..cd + 46].try_into().unwrap(),
        ))
        .unwrap();
        liar[local + 22..local + 26].copy_from_slice(&10u32.to_le_bytes());
        let small_entries = Limits {
            max_entry_bytes: 100,
            ..Limits::default()
        };
        let (h, d) = file("course/zeros.bin", &vec![0u8; 8 * MIB as usize]);
        let bomb = gz(&tar_of(&[(h, &d)]));
        let bomb_limits = Limits {
            ratio_grace_bytes: MIB,
            ..Limits::default()
        };
        let cases: [(&[u8], &Limits, &str); 2] = [
            (&liar, &small_entries, "course/liar.bin"),
            (&bomb, &bomb_limits, "course/zeros.bin"),
        ];
        for (bytes, limits, big) in cases {
            let case = Case::new(bytes);
            for swallow in [false, true] {
                let mut handed_out = 0;
                let mut read_failed = false;
                let got = visit(&case.archive, limits, &mut |info, src| {
                    if info.path != big {
                        return Ok(());
                    }
                    let mut data = Vec::new();
                    let read = src.read_to_end(&mut data);
                    handed_out = data.len();
                    read_failed = read.is_err();
                    // A failed read keeps failing.
                    assert!(read.is_err() == src.read(&mut [0; 16]).is_err());
                    if swallow {
                        Ok(())
                    } else {
                        read.map(|_| ())
                    }
                });
                assert!(read_failed, "{big}");
                match (big, got) {
                    ("course/liar.bin", Err(ArchiveError::EntryTooLarge { path, limit: 100 })) => {
                        assert_eq!(path, big);
                        assert!(handed_out <= 100, "{handed_out}");
                    }
                    ("course/zeros.bin", Err(ArchiveError::Bomb { path, .. })) => {
                        assert_eq!(path.as_deref(), Some(big));
                        assert!(handed_out < 8 * MIB as usize, "{handed_out}");
                    }
                    (_, other) => panic!("{big}: unexpected {other:?}"),
                }
            }
        }

        // A header over the limit is refused before the visitor is called.
        let (h, d) = file("course/big.bin", &[7; 100]);
        let case = Case::new(gz(&tar_of(&[(h, &d)])));
        let limits = Limits {
            max_entry_bytes: 10,
            ..Limits::default()
        };
        let mut seen = Vec::new();
        let got = visit(&case.archive, &limits, &mut |info, _| {
            seen.push(info.path.to_owned());
            Ok(())
        });
        assert!(
            matches!(got, Err(ArchiveError::EntryTooLarge { .. })),
            "{got:?}"
        );
        assert_eq!(seen, ["course/ok.txt"]);
    }

    /// Damage found after the files were handed over still fails `visit`: what a visitor got is
    /// provisional until `visit` returns `Ok`.
    #[test]
    fn visit_refuses_truncated_archives() {
        let (a, da) = file("course/a.bin", &noise(200_000));
        let (b, db) = file("course/b.bin", &noise(200_000));
        let tgz = gz(&tar_of(&[(a, &da), (b, &db)]));
        let case = Case::new(&tgz[..tgz.len() / 2]);
        let got = visit_all(&case.archive, &Limits::default());
        assert!(
            matches!(got, Err(ArchiveError::Truncated { .. })),
            "{got:?}"
        );

        let case = Case::new(&tgz[..tgz.len() - 4]);
        let mut seen = 0;
        let got = visit(&case.archive, &Limits::default(), &mut |_, src| {
            io::copy(src, &mut io::sink())?;
            seen += 1;
            Ok(())
        });
        assert!(
            matches!(got, Err(ArchiveError::Truncated { path: None })),
            "{got:?}"
        );
        assert_eq!(seen, 3);
    }

    #[test]
    fn visit_real_demo_export() {
        let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/olx/demo.tar.gz");
        let mut files = 0;
        let mut bytes = 0;
        let visited = visit(&archive, &Limits::default(), &mut |info, src| {
            assert!(!info.path.starts_with(['.', '/']), "{}", info.path);
            files += 1;
            bytes += io::copy(src, &mut io::sink())?;
            Ok(())
        })
        .unwrap();
        assert_eq!(files, 800);
        assert_eq!(visited.files, 800);
        assert_eq!(visited.bytes, bytes);
        assert!(visited.skipped.is_empty());
    }

    /// Timing, not a check: `cargo test --release -p xblock-compat --lib archive -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn time_visit_of_demo_export() {
        let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/olx/demo.tar.gz");
        for round in 0..3 {
            let started = std::time::Instant::now();
            let (visited, files) = visit_all(&archive, &Limits::default()).unwrap();
            let visit_time = started.elapsed();
            let mut quick = 0u64;
            let started = std::time::Instant::now();
            visit(&archive, &Limits::default(), &mut |_, _| {
                quick += 1;
                Ok(())
            })
            .unwrap();
            let drain_time = started.elapsed();
            let tmp = tempfile::tempdir().unwrap();
            let started = std::time::Instant::now();
            extract(&archive, tmp.path(), &Limits::default()).unwrap();
            let extract_time = started.elapsed();
            eprintln!(
                "round {round}: visit into Vecs {visit_time:?} ({} files, {} bytes), \
                 visit reading nothing {drain_time:?}, extract {extract_time:?}",
                files.len(),
                visited.bytes
            );
        }
    }

    /// The real course exports in `shared/olx/` extract completely (file counts from `tar tvzf`:
    /// regular files only; mitx_grading_library also has two symbolic links, which are skipped).
    #[test]
    fn real_exports_extract() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/olx");
        for (name, files, dirs, skipped) in [
            ("demo.tar.gz", 800, 17, 0),
            ("demo_library.tar.gz", 8, 3, 0),
            ("demo_test_course.tar.gz", 436, 20, 0),
            ("kitchen_sink.tar.gz", 77, 13, 0),
            ("mitx_grading_library.tar.gz", 75, 8, 2),
            ("supported_components.tar.gz", 131, 19, 0),
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let started = std::time::Instant::now();
            let got = extract(&dir.join(name), tmp.path(), &Limits::default()).unwrap();
            eprintln!("{name}: {got:?} in {:?}", started.elapsed());
            assert_eq!((got.files, got.dirs), (files, dirs), "{name}");
            assert_eq!(got.skipped.len(), skipped, "{name}");
        }
        let tmp = tempfile::tempdir().unwrap();
        let got = extract(
            &dir.join("mitx_grading_library.tar.gz"),
            tmp.path(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            got.skipped[0],
            "course/static/MJxPrep.js: symbolic link to \"../../MJxPrep.js\" skipped \
             (links are never extracted)"
        );
        assert!(fs::symlink_metadata(tmp.path().join("course/static/MJxPrep.js")).is_err());
        assert!(tmp.path().join("course/course.xml").is_file());
    }
}
