//! Reading an extracted OLX folder into a [`Course`].
//!
//! "Parsing never fails" where Open edX itself carries on: a missing pointer target, an orphan
//! file or a duplicate id becomes a warning and the import goes on, so an author sees every
//! problem at once. Only unusable input is an error: no `course.xml`, XML that does not parse
//! (reported with file and line), XML with a DTD, invalid policy JSON.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha1::Digest as _;

use super::{is_container, Block, ContextKind, Course, Source, StaticFile, NON_BLOCK_CHILDREN};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OlxError {
    /// Neither `course.xml` nor `library.xml` was found.
    NoCourse(String),
    /// A file could not be read.
    Io { file: String, message: String },
    /// XML that does not parse, or that declares a DTD.
    Xml {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    /// Valid XML or JSON with content that cannot be used.
    Invalid {
        file: String,
        line: u32,
        message: String,
    },
}

impl std::fmt::Display for OlxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OlxError::NoCourse(m) => write!(f, "{m}"),
            OlxError::Io { file, message } => write!(f, "{file}: {message}"),
            OlxError::Xml {
                file,
                line,
                column,
                message,
            } => {
                write!(f, "{file}, line {line}, column {column}: {message}")
            }
            OlxError::Invalid {
                file,
                line,
                message,
            } => write!(f, "{file}, line {line}: {message}"),
        }
    }
}

impl std::error::Error for OlxError {}

/// Junk that real exports carry: macOS metadata and the like.
fn is_junk(name: &str) -> bool {
    name.starts_with("._") || name == ".DS_Store" || name == "__MACOSX" || name == "Thumbs.db"
}

/// One file of an export: its bytes in memory, or (static files) already hashed and stored.
#[derive(Debug, Clone)]
pub enum FileData {
    Bytes(Vec<u8>),
    Stored {
        sha256: String,
        size: u64,
        disk_path: Option<PathBuf>,
    },
}

/// The files of an export by path (`/`-separated, relative to the archive or folder root).
/// Course text (XML, HTML, JSON) is small and kept in memory; static files are streamed into
/// storage by whoever builds the set and appear here only by hash.
#[derive(Debug, Default, Clone)]
pub struct FileSet {
    files: BTreeMap<String, FileData>,
}

/// Whether an archive path is a course static file: `static/...` at the top or inside the one
/// top folder. Such files are stored by content, never held in memory.
pub fn is_static_path(path: &str) -> bool {
    let mut parts = path.split('/');
    match (parts.next(), parts.next()) {
        (Some("static"), Some(_)) => true,
        (Some(_), Some("static")) => parts.next().is_some(),
        _ => false,
    }
}

impl FileSet {
    pub fn new() -> FileSet {
        FileSet::default()
    }

    pub fn insert(&mut self, path: &str, data: FileData) {
        self.files
            .insert(path.trim_start_matches("./").to_string(), data);
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Loads a folder: static files are hashed in place (their bytes stay on disk), everything
    /// else is read into memory.
    pub fn from_dir(dir: &Path) -> Result<FileSet, OlxError> {
        let mut paths = Vec::new();
        walk(dir, &mut paths).map_err(|e| OlxError::Io {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let mut set = FileSet::new();
        for path in paths {
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let io = |e: std::io::Error| OlxError::Io {
                file: rel.clone(),
                message: e.to_string(),
            };
            let data = if is_static_path(&rel) {
                let (sha256, size) = hash_file(&path).map_err(io)?;
                FileData::Stored {
                    sha256,
                    size,
                    disk_path: Some(path.clone()),
                }
            } else {
                FileData::Bytes(std::fs::read(&path).map_err(io)?)
            };
            set.insert(&rel, data);
        }
        Ok(set)
    }

    /// Finds `course.xml` or `library.xml` at the top or inside the one top folder (exports wrap
    /// everything in `course/` or a folder of any name) and makes paths relative to it.
    pub fn rooted(self) -> Result<(FileSet, ContextKind), OlxError> {
        let kind_at = |set: &FileSet, prefix: &str| {
            if set.files.contains_key(&format!("{prefix}course.xml")) {
                Some(ContextKind::Course)
            } else if set.files.contains_key(&format!("{prefix}library.xml")) {
                Some(ContextKind::Library)
            } else {
                None
            }
        };
        if let Some(kind) = kind_at(&self, "") {
            return Ok((self, kind));
        }
        let tops: BTreeSet<&str> = self
            .files
            .keys()
            .filter_map(|k| k.split_once('/').map(|(top, _)| top))
            .filter(|top| !is_junk(top))
            .collect();
        let loose = self
            .files
            .keys()
            .any(|k| !k.contains('/') && !is_junk(k) && k != FOLDER_MARKER);
        if let ([top], false) = (tops.iter().copied().collect::<Vec<_>>().as_slice(), loose) {
            let prefix = format!("{top}/");
            if let Some(kind) = kind_at(&self, &prefix) {
                let folder = top.to_string();
                let files = self
                    .files
                    .into_iter()
                    .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|r| (r.to_string(), v)))
                    .collect();
                let mut set = FileSet { files };
                set.files.insert(
                    FOLDER_MARKER.to_string(),
                    FileData::Bytes(folder.into_bytes()),
                );
                return Ok((set, kind));
            }
        }
        Err(OlxError::NoCourse(
            "no course.xml or library.xml at the top of the archive (or inside its one top folder)"
                .into(),
        ))
    }
}

/// Remembers the name of the top folder (Open edX's fallback for a missing course number).
const FOLDER_MARKER: &str = "\u{0}folder";

/// Reads a course or library export from a folder.
pub fn read_dir(dir: &Path) -> Result<Course, OlxError> {
    let mut set = FileSet::from_dir(dir)?;
    if let Some(name) = dir.file_name() {
        set.files
            .entry(FOLDER_MARKER.to_string())
            .or_insert(FileData::Bytes(name.to_string_lossy().as_bytes().to_vec()));
    }
    read_files(set)
}

/// Reads a course or library export from its files.
pub fn read_files(set: FileSet) -> Result<Course, OlxError> {
    let outer_folder = set.files.get(FOLDER_MARKER).cloned();
    let (mut set, kind) = set.rooted()?;
    let folder_name = match set.files.remove(FOLDER_MARKER).or(outer_folder) {
        Some(FileData::Bytes(b)) => String::from_utf8_lossy(&b).into_owned(),
        _ => String::new(),
    };
    let mut r = Reader {
        files: set.files,
        blocks: Vec::new(),
        warnings: Vec::new(),
        used: HashMap::new(),
        consumed: HashSet::new(),
        policy: serde_json::Map::new(),
    };
    let mut course = match kind {
        ContextKind::Course => r.read_course(&folder_name)?,
        ContextKind::Library => r.read_library()?,
    };
    r.read_drafts()?;
    course.statics = r.read_statics();
    r.read_texts(&mut course)?;
    r.collect_rest(&mut course);
    // Policy entries that named no block stay for export.
    course.policy_extra = std::mem::take(&mut r.policy);
    course.blocks = r.blocks;
    course.warnings = r.warnings;
    check_references(&mut course);
    Ok(course)
}

struct Reader {
    files: BTreeMap<String, FileData>,
    blocks: Vec<Block>,
    warnings: Vec<String>,
    used: HashMap<String, HashSet<String>>,
    consumed: HashSet<String>,
    policy: serde_json::Map<String, serde_json::Value>,
}

/// One parsed XML file: its text (without a BOM) kept beside the tree that borrows it.
struct XmlFile {
    rel: String,
    text: String,
}

impl XmlFile {
    fn parse(&self) -> Result<roxmltree::Document<'_>, OlxError> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 5_000_000,
        };
        roxmltree::Document::parse_with_options(&self.text, opts).map_err(|e| {
            let pos = e.pos();
            let message = match e {
                roxmltree::Error::DtdDetected => {
                    "XML with a DTD or entity declarations is refused".to_string()
                }
                other => other.to_string(),
            };
            OlxError::Xml {
                file: self.rel.clone(),
                line: pos.row,
                column: pos.col,
                message,
            }
        })
    }
}

fn line_of(doc: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> u32 {
    doc.text_pos_at(node.range().start).row
}

/// Open edX's `Location.clean`: characters outside `[\w\-~.:]` become `_`.
fn clean_id(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-~.:".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn sha1_12(xml: &str) -> String {
    let d = sha1::Sha1::digest(xml.as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Attributes as written: prefixed names keep their prefix (`xml:lang`), and every namespace in
/// scope (`xmlns:x`, declared here or above) is kept too, so a block written back into a file
/// of its own still declares what its inline children use.
pub(crate) fn attrs_of(node: roxmltree::Node<'_, '_>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = node
        .namespaces()
        .filter(|n| n.name() != Some("xml"))
        .map(|n| match n.name() {
            Some(prefix) => (format!("xmlns:{prefix}"), n.uri().to_string()),
            None => ("xmlns".to_string(), n.uri().to_string()),
        })
        .collect();
    out.extend(node.attributes().map(|a| {
        let name = match a.namespace() {
            Some(uri) => match node.lookup_prefix(uri) {
                Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", a.name()),
                _ => a.name().to_string(),
            },
            None => a.name().to_string(),
        };
        (name, a.value().to_string())
    }));
    out
}

/// Open edX's pointer test: no children, no text, and exactly `url_name` (for `<course>` also
/// `org` and `course`).
fn is_pointer(node: roxmltree::Node<'_, '_>) -> bool {
    let has_children = node.children().any(|c| c.is_element());
    let has_text = node
        .children()
        .any(|c| c.is_text() && !c.text().unwrap_or("").trim().is_empty());
    let names: HashSet<&str> = node.attributes().map(|a| a.name()).collect();
    let expected: HashSet<&str> = if node.tag_name().name() == "course" {
        ["url_name", "org", "course"].into_iter().collect()
    } else {
        ["url_name"].into_iter().collect()
    };
    !has_children
        && !has_text
        && (names == expected
            || (node.tag_name().name() == "course"
                && names.contains("url_name")
                && names.is_subset(&expected)))
}

impl Reader {
    fn read_text(&mut self, rel: &str) -> Result<Option<String>, OlxError> {
        let bytes = match self.files.get(rel) {
            Some(FileData::Bytes(b)) => b.clone(),
            Some(FileData::Stored { .. }) => {
                return Err(OlxError::Io {
                    file: rel.to_string(),
                    message: "expected a text file".into(),
                })
            }
            None => return Ok(None),
        };
        self.consumed.insert(rel.to_string());
        let text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                self.warnings.push(format!(
                    "{rel}: not valid UTF-8; invalid bytes were replaced"
                ));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        Ok(Some(
            text.strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text),
        ))
    }

    /// Paths under `prefix/`, in order.
    fn under(&self, prefix: &str) -> Vec<String> {
        let p = format!("{prefix}/");
        self.files
            .range(p.clone()..)
            .take_while(|(k, _)| k.starts_with(&p))
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn read_xml(&mut self, rel: &str) -> Result<Option<XmlFile>, OlxError> {
        Ok(self.read_text(rel)?.map(|text| XmlFile {
            rel: rel.to_string(),
            text,
        }))
    }

    fn read_json(&mut self, rel: &str) -> Result<Option<(String, serde_json::Value)>, OlxError> {
        let Some(text) = self.read_text(rel)? else {
            return Ok(None);
        };
        let value = serde_json::from_str(&text).map_err(|e| OlxError::Invalid {
            file: rel.to_string(),
            line: e.line() as u32,
            message: format!("invalid JSON: {e}"),
        })?;
        Ok(Some((text, value)))
    }

    /// A unique id for an element without a usable `url_name`, as Open edX derives it.
    fn element_id(
        &mut self,
        tag: &str,
        node: roxmltree::Node<'_, '_>,
        xml: &str,
        file: &str,
    ) -> String {
        let from_attrs = node
            .attribute("url_name")
            .map(str::to_string)
            .or_else(|| node.attribute("slug").map(str::to_string))
            .or_else(|| node.attribute("name").map(clean_id))
            .or_else(|| node.attribute("display_name").map(clean_id))
            .filter(|s| !s.is_empty());
        let id = match from_attrs {
            Some(id) => id,
            None => format!("{tag}_{}", sha1_12(xml)),
        };
        self.unique(tag, id, xml, file)
    }

    fn unique(&mut self, tag: &str, id: String, xml: &str, file: &str) -> String {
        // Ids become file names and key parts: Open edX allows `[\w\-~.:]`, and a file name must
        // stay short. Anything else is renamed the way Open edX renames a clash.
        let valid = !id.is_empty()
            && id.len() <= 120
            && id
                .chars()
                .all(|c| crate::keys::is_word_char(c) || "-~.:".contains(c))
            && !id.split(':').any(|p| p.is_empty() || p == "." || p == "..");
        let id = if valid {
            id
        } else {
            let short: String = clean_id(&id).chars().take(60).collect();
            let new = format!("{tag}_{short}_{}", sha1_12(xml));
            self.warnings.push(format!(
                "{file}: {tag} id {:?} is not a valid Open edX id; renamed {new:?}",
                id.chars().take(80).collect::<String>()
            ));
            new
        };
        let used = self.used.entry(tag.to_string()).or_default();
        if used.insert(id.clone()) {
            return id;
        }
        let new = format!("{tag}_{id}_{}", sha1_12(xml));
        self.warnings.push(format!(
            "{file}: {tag} id {id:?} is used twice; the second one is renamed {new:?}"
        ));
        self.used.get_mut(tag).map(|u| u.insert(new.clone()));
        new
    }

    fn take_policy(&mut self, tag: &str, id: &str) -> serde_json::Map<String, serde_json::Value> {
        match self.policy.remove(&format!("{tag}/{id}")) {
            Some(serde_json::Value::Object(m)) => m,
            Some(other) => {
                self.policy.insert(format!("{tag}/{id}"), other);
                serde_json::Map::new()
            }
            None => serde_json::Map::new(),
        }
    }

    fn read_course(&mut self, folder_name: &str) -> Result<Course, OlxError> {
        let file = self
            .read_xml("course.xml")?
            .expect("find_root saw course.xml");
        let doc = file.parse()?;
        let top = doc.root_element();
        if top.tag_name().name() != "course" {
            return Err(OlxError::Invalid {
                file: "course.xml".into(),
                line: line_of(&doc, top),
                message: format!(
                    "the root element is <{}>, expected <course>",
                    top.tag_name().name()
                ),
            });
        }
        let run = top
            .attribute("url_name")
            .or_else(|| top.attribute("slug"))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| OlxError::Invalid {
                file: "course.xml".into(),
                line: line_of(&doc, top),
                message: "<course> has no url_name (the course run)".into(),
            })?;
        let org = top.attribute("org").unwrap_or("edx").to_string();
        let number = top
            .attribute("course")
            .map(str::to_string)
            .unwrap_or_else(|| folder_name.to_string());
        // A pointer has no other attributes; an inline course keeps them on its block. Either
        // way nothing extra belongs to the `course.xml` element itself.
        let top_attrs: Vec<(String, String)> = Vec::new();
        if [&org, &number, &run].iter().any(|p| p.len() > 100) {
            return Err(OlxError::Invalid {
                file: "course.xml".into(),
                line: line_of(&doc, top),
                message: "org, course and url_name may have at most 100 characters each".into(),
            });
        }
        // `:` in the run is `/` in file names, so no part between colons may be empty or a dot.
        if run
            .split(':')
            .any(|p| p.is_empty() || p == "." || p == "..")
        {
            return Err(OlxError::Invalid {
                file: "course.xml".into(),
                line: line_of(&doc, top),
                message: format!(
                    "the course run {run:?} cannot name a file (empty part between colons)"
                ),
            });
        }
        // The parts must make a valid course-v1 key, or nothing could link to the course.
        crate::keys::CourseKey::new(&org, &number, &run).map_err(|e| OlxError::Invalid {
            file: "course.xml".into(),
            line: line_of(&doc, top),
            message: e.to_string(),
        })?;

        if let Some((_, serde_json::Value::Object(m))) =
            self.read_json(&format!("policies/{run}/policy.json"))?
        {
            self.policy = m;
        }
        let grading = self
            .read_json(&format!("policies/{run}/grading_policy.json"))?
            .map(|(text, _)| text);

        self.used
            .entry("course".into())
            .or_default()
            .insert(run.clone());
        let root = if is_pointer(top) {
            let rel = format!("course/{}.xml", run.replace(':', "/"));
            match self.read_xml(&rel)? {
                Some(def) => {
                    let ddoc = def.parse()?;
                    self.add_block(
                        &def,
                        &ddoc,
                        ddoc.root_element(),
                        "course",
                        run.clone(),
                        None,
                        false,
                        &top_attrs_for_merge(top),
                    )?
                }
                None => {
                    return Err(OlxError::Invalid {
                        file: "course.xml".into(),
                        line: line_of(&doc, top),
                        message: format!("the course run file {rel} is missing"),
                    })
                }
            }
        } else {
            self.add_block(&file, &doc, top, "course", run.clone(), None, true, &[])?
        };
        // org/course live in course.xml and in the Course, not among the block's attributes.
        self.blocks[root]
            .attrs
            .retain(|(k, _)| !matches!(k.as_str(), "org" | "course"));
        Ok(Course {
            kind: ContextKind::Course,
            org,
            number,
            run,
            top_attrs,
            root,
            blocks: Vec::new(),
            policy_extra: serde_json::Map::new(),
            grading_policy: grading,
            about: BTreeMap::new(),
            info: BTreeMap::new(),
            tabs: BTreeMap::new(),
            extra_files: BTreeMap::new(),
            statics: Vec::new(),
            warnings: Vec::new(),
        })
    }

    fn read_library(&mut self) -> Result<Course, OlxError> {
        let file = self
            .read_xml("library.xml")?
            .expect("find_root saw library.xml");
        let doc = file.parse()?;
        let top = doc.root_element();
        let line = line_of(&doc, top);
        let need = |name: &str| {
            top.attribute(name)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| OlxError::Invalid {
                    file: "library.xml".into(),
                    line,
                    message: format!("<library> has no {name} attribute"),
                })
        };
        let org = need("org")?;
        let number = need("library")?;
        crate::keys::LibraryKey::new(&org, &number).map_err(|e| OlxError::Invalid {
            file: "library.xml".into(),
            line,
            message: e.to_string(),
        })?;
        let id = top.attribute("url_name").unwrap_or("library").to_string();
        self.used
            .entry("library".into())
            .or_default()
            .insert(id.clone());
        let root = self.add_block(&file, &doc, top, "library", id, None, true, &[])?;
        Ok(Course {
            kind: ContextKind::Library,
            org,
            number,
            run: "library".into(),
            top_attrs: Vec::new(),
            root,
            blocks: Vec::new(),
            policy_extra: serde_json::Map::new(),
            grading_policy: None,
            about: BTreeMap::new(),
            info: BTreeMap::new(),
            tabs: BTreeMap::new(),
            extra_files: BTreeMap::new(),
            statics: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// Adds the block defined by `node` (and, for containers, its subtree).
    #[allow(clippy::too_many_arguments)]
    fn add_block(
        &mut self,
        file: &XmlFile,
        doc: &roxmltree::Document<'_>,
        node: roxmltree::Node<'_, '_>,
        tag: &str,
        id: String,
        parent: Option<usize>,
        inline: bool,
        pointer_attrs: &[(String, String)],
    ) -> Result<usize, OlxError> {
        let xml = file.text[node.range()].to_string();
        let mut attrs: Vec<(String, String)> = attrs_of(node)
            .into_iter()
            .filter(|(k, _)| k != "url_name")
            .collect();
        for (k, v) in pointer_attrs {
            match attrs.iter_mut().find(|(ak, _)| ak == k) {
                Some(slot) => slot.1 = v.clone(),
                None => attrs.push((k.clone(), v.clone())),
            }
        }
        let body = if tag == "html" {
            self.html_body(node, &id, &file.rel, false)?
        } else {
            None
        };
        let policy = self.take_policy(tag, &id);
        let idx = self.blocks.len();
        self.blocks.push(Block {
            block_type: tag.to_string(),
            id,
            parent,
            children: Vec::new(),
            attrs,
            policy,
            xml,
            body,
            extra_xml: Vec::new(),
            inline,
            draft: false,
            source: Source {
                file: file.rel.clone(),
                line: line_of(doc, node),
            },
        });
        if is_container(tag) {
            for child in node.children().filter(|c| c.is_element()) {
                let ctag = child.tag_name().name().to_string();
                if NON_BLOCK_CHILDREN.contains(&(tag, ctag.as_str())) {
                    let raw = file.text[child.range()].to_string();
                    self.blocks[idx].extra_xml.push(raw);
                    continue;
                }
                let c = self.child_block(file, doc, child, &ctag, idx)?;
                self.blocks[idx].children.push(c);
            }
        }
        Ok(idx)
    }

    fn child_block(
        &mut self,
        file: &XmlFile,
        doc: &roxmltree::Document<'_>,
        child: roxmltree::Node<'_, '_>,
        tag: &str,
        parent: usize,
    ) -> Result<usize, OlxError> {
        let raw = &file.text[child.range()];
        // The element name is the block type, which names a folder of the export.
        if tag.len() > 100
            || !tag
                .chars()
                .all(|c| crate::keys::is_word_char(c) || "-.".contains(c))
        {
            return Err(OlxError::Invalid {
                file: file.rel.clone(),
                line: line_of(doc, child),
                message: format!(
                    "<{}> cannot be a block type (at most 100 letters, digits, _ - .)",
                    tag.chars().take(40).collect::<String>()
                ),
            });
        }
        if is_pointer(child) {
            let url_name = child.attribute("url_name").unwrap_or_default().to_string();
            let rel = format!("{tag}/{}.xml", url_name.replace(':', "/"));
            let id = self.unique(tag, url_name.clone(), raw, &file.rel);
            match self.read_xml(&rel)? {
                Some(def) => {
                    let ddoc = def.parse()?;
                    let droot = ddoc.root_element();
                    if droot.tag_name().name() != tag {
                        self.warnings.push(format!(
                            "{rel}: root element <{}> where <{tag}> was expected; read as {tag}",
                            droot.tag_name().name()
                        ));
                    }
                    self.add_block(&def, &ddoc, droot, tag, id, Some(parent), false, &[])
                }
                None => {
                    self.warnings.push(format!(
                        "{}, line {}: {rel} is missing; the {tag} block {url_name:?} is kept empty",
                        file.rel,
                        line_of(doc, child)
                    ));
                    let policy = self.take_policy(tag, &id);
                    let idx = self.blocks.len();
                    self.blocks.push(Block {
                        block_type: tag.to_string(),
                        id,
                        parent: Some(parent),
                        children: vec![],
                        attrs: vec![],
                        policy,
                        xml: format!("<{tag}/>"),
                        body: None,
                        extra_xml: vec![],
                        inline: false,
                        draft: false,
                        source: Source {
                            file: file.rel.clone(),
                            line: line_of(doc, child),
                        },
                    });
                    Ok(idx)
                }
            }
        } else {
            let id = self.element_id(tag, child, raw, &file.rel);
            self.add_block(file, doc, child, tag, id, Some(parent), true, &[])
        }
    }

    /// The body of an `html` block: `html/FILENAME.html` (opaque text, not XML). Inline html
    /// without `filename` keeps its content in the verbatim XML.
    fn html_body(
        &mut self,
        node: roxmltree::Node<'_, '_>,
        id: &str,
        file: &str,
        draft: bool,
    ) -> Result<Option<String>, OlxError> {
        let Some(filename) = node.attribute("filename").filter(|f| !f.is_empty()) else {
            return Ok(None);
        };
        let base = if draft { "drafts/html" } else { "html" };
        let name = filename.trim_end_matches(".html").replace(':', "/");
        for rel in [format!("{base}/{name}.html"), format!("{base}/{id}.html")] {
            if let Some(text) = self.read_text(&rel)? {
                return Ok(Some(text));
            }
        }
        self.warnings.push(format!(
            "{file}: html body {base}/{name}.html is missing; the block is kept empty"
        ));
        Ok(Some(String::new()))
    }

    /// `drafts/TYPE/ID.xml`: unpublished versions, kept verbatim outside the tree.
    fn read_drafts(&mut self) -> Result<(), OlxError> {
        for rel in self.under("drafts") {
            let name = rel.rsplit('/').next().unwrap_or_default().to_string();
            if is_junk(&name) || !rel.ends_with(".xml") {
                continue;
            }
            let Some(file) = self.read_xml(&rel)? else {
                continue;
            };
            let doc = file.parse()?;
            let node = doc.root_element();
            let tag = node.tag_name().name().to_string();
            let id = rel
                .trim_start_matches("drafts/")
                .split_once('/')
                .map(|(_, rest)| rest.trim_end_matches(".xml").replace('/', ":"))
                .unwrap_or_default();
            let body = if tag == "html" {
                self.html_body(node, &id, &rel, true)?
            } else {
                None
            };
            self.blocks.push(Block {
                block_type: tag,
                id,
                parent: None,
                children: vec![],
                attrs: attrs_of(node)
                    .into_iter()
                    .filter(|(k, _)| k != "url_name")
                    .collect(),
                policy: serde_json::Map::new(),
                xml: file.text[node.range()].to_string(),
                body,
                extra_xml: vec![],
                inline: false,
                draft: true,
                source: Source {
                    file: rel.clone(),
                    line: line_of(&doc, node),
                },
            });
        }
        Ok(())
    }

    fn read_statics(&mut self) -> Vec<StaticFile> {
        let mut out = Vec::new();
        for rel in self.under("static") {
            let name = rel.rsplit('/').next().unwrap_or_default();
            self.consumed.insert(rel.clone());
            if is_junk(name) {
                self.warnings
                    .push(format!("{rel}: ignored (operating-system metadata file)"));
                continue;
            }
            let path = rel.trim_start_matches("static/").to_string();
            match &self.files[&rel] {
                FileData::Stored {
                    sha256,
                    size,
                    disk_path,
                } => out.push(StaticFile {
                    path,
                    size: *size,
                    sha256: sha256.clone(),
                    disk_path: disk_path.clone(),
                }),
                FileData::Bytes(b) => {
                    use sha2::Digest;
                    let sha = sha2::Sha256::digest(b);
                    out.push(StaticFile {
                        path,
                        size: b.len() as u64,
                        sha256: sha.iter().map(|x| format!("{x:02x}")).collect(),
                        disk_path: None,
                    })
                }
            }
        }
        out
    }

    fn read_texts(&mut self, course: &mut Course) -> Result<(), OlxError> {
        for (folder, which) in [("about", 0), ("info", 1), ("tabs", 2)] {
            for rel in self.under(folder) {
                let name = rel[folder.len() + 1..].to_string();
                if is_junk(rel.rsplit('/').next().unwrap_or_default()) {
                    continue;
                }
                let Some(text) = self.read_text(&rel)? else {
                    continue;
                };
                let map = match which {
                    0 => &mut course.about,
                    1 => &mut course.info,
                    _ => &mut course.tabs,
                };
                map.insert(name, text);
            }
        }
        Ok(())
    }

    /// Everything not read yet: `policies/` and `assets/` files are kept for export, junk and
    /// orphans produce a warning.
    fn collect_rest(&mut self, course: &mut Course) {
        let rest: Vec<String> = self
            .files
            .keys()
            .filter(|k| !self.consumed.contains(*k))
            .cloned()
            .collect();
        for rel in rest {
            let name = rel.rsplit('/').next().unwrap_or_default();
            if is_junk(name) || rel.split('/').any(is_junk) {
                self.warnings
                    .push(format!("{rel}: ignored (operating-system metadata file)"));
            } else if rel.starts_with("policies/") || rel.starts_with("assets/") {
                if let Some(FileData::Bytes(b)) = self.files.get(&rel) {
                    course.extra_files.insert(rel.clone(), b.clone());
                }
            } else if rel.starts_with("drafts/") {
                // Draft html bodies were read with their block; anything else there is stale.
                self.warnings
                    .push(format!("{rel}: ignored (not a draft block)"));
            } else if rel.ends_with(".xml") && rel.contains('/') {
                self.warnings
                    .push(format!("{rel}: ignored (not reachable from the course)"));
            } else {
                self.warnings
                    .push(format!("{rel}: ignored (not part of the course format)"));
            }
        }
    }
}

/// Warns about references between blocks that lead nowhere: `conditional` sources and
/// `split_test` groups (both may hold deprecated `i4x://` ids).
fn check_references(course: &mut Course) {
    let mut missing = Vec::new();
    for b in course.blocks.iter().filter(|b| !b.draft) {
        let refs: Vec<String> = match b.block_type.as_str() {
            "conditional" => b
                .field("sources")
                .map(|s| {
                    s.split(';')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            "split_test" => b
                .field("group_id_to_child")
                .and_then(|j| serde_json::from_str::<BTreeMap<String, String>>(&j).ok())
                .map(|m| m.into_values().collect())
                .unwrap_or_default(),
            _ => vec![],
        };
        for r in refs {
            if course.resolve_reference(&r).is_none() {
                missing.push(format!(
                    "{}, line {}: {} {:?} refers to {r}, which is not in the course",
                    b.source.file, b.source.line, b.block_type, b.id
                ));
            }
        }
    }
    course.warnings.extend(missing);
}

/// The attributes a `<course>` pointer in `course.xml` passes to its run file.
fn top_attrs_for_merge(top: roxmltree::Node<'_, '_>) -> Vec<(String, String)> {
    attrs_of(top)
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "url_name" | "org" | "course"))
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ft = entry.file_type()?;
        if ft.is_dir() {
            walk(&entry.path(), out)?;
        } else if ft.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// SHA-256 (hex) and size of a file, streamed.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((
        h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        size,
    ))
}
