//! The course tree read from (and written to) Open edX's OLX format.
//!
//! A [`Course`] is an arena of [`Block`]s: the published tree hangs from `root`, drafts sit beside
//! it. Every block keeps its attributes in source order, its policy fields, and the element's
//! original XML verbatim, so blocks SZPoN cannot run yet survive a round trip untouched.

pub mod edit;
pub mod publish;
mod read;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use read::{hash_file, is_static_path, read_dir, read_files, FileData, FileSet, OlxError};
pub use write::{write_tar_gz, AssetSource};

/// Block types whose child elements are blocks (Open edX's `has_children`). Every other block is a
/// leaf whose content (CAPA XML, ORA rubric, video sources...) stays in its verbatim XML.
pub const CONTAINER_TYPES: &[&str] = &[
    "course",
    "chapter",
    "sequential",
    "vertical",
    "library",
    "library_content",
    "itembank",
    "split_test",
    "conditional",
    "wrapper",
    "randomize",
    "videosequence",
    "problemset",
];

/// Child elements of containers that are settings, not blocks.
pub const NON_BLOCK_CHILDREN: &[(&str, &str)] = &[
    ("course", "wiki"),
    ("course", "textbook"),
    ("conditional", "show"),
];

pub fn is_container(block_type: &str) -> bool {
    CONTAINER_TYPES.contains(&block_type)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContextKind {
    Course,
    Library,
}

/// Where a block came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub block_type: String,
    /// The block id (`url_name`), unique per type within the course.
    pub id: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Attributes in source order (pointer attributes merged over the definition's), without
    /// `url_name`.
    pub attrs: Vec<(String, String)>,
    /// Fields from `policies/RUN/policy.json` for `TYPE/ID`; they win over attributes.
    pub policy: serde_json::Map<String, serde_json::Value>,
    /// The defining element's XML exactly as it appeared in the source.
    pub xml: String,
    /// `html` blocks: the body file's text, opaque (often not well-formed XML).
    pub body: Option<String>,
    /// Setting elements inside a container that are not blocks (`<wiki/>`, `<show/>`), verbatim.
    pub extra_xml: Vec<String>,
    /// Defined inline in its parent rather than through a pointer tag and its own file.
    pub inline: bool,
    /// An unpublished version from `drafts/`.
    pub draft: bool,
    pub source: Source,
}

impl Block {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A field's value: the policy's if set there, else the attribute. JSON strings come back
    /// unquoted, other JSON values as JSON text.
    pub fn field(&self, name: &str) -> Option<String> {
        match self.policy.get(name) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Null) => None,
            Some(v) => Some(v.to_string()),
            None => self.attr(name).map(str::to_string),
        }
    }

    pub fn display_name(&self) -> Option<String> {
        self.field("display_name")
    }

    /// `graded="true"` on a sequential (Open edX accepts any case of "true").
    pub fn graded(&self) -> bool {
        self.field("graded")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The assignment type of a graded subsection (`format`), e.g. "Homework".
    pub fn format(&self) -> Option<String> {
        self.field("format")
    }

    pub fn is_container(&self) -> bool {
        is_container(&self.block_type)
    }
}

/// A file of the course's `static/` folder. The bytes stay on disk; the hash and size identify
/// them (the store is content-addressed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Path relative to `static/`, with `/` separators.
    pub path: String,
    pub size: u64,
    /// Lowercase hex SHA-256 of the contents.
    pub sha256: String,
    /// Where the bytes are now (absent for a course loaded from storage).
    pub disk_path: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub kind: ContextKind,
    pub org: String,
    /// Course number, or the library code for libraries.
    pub number: String,
    /// Run (the `url_name` of the course element); `library` for libraries.
    pub run: String,
    /// Attributes of the top `course.xml` element (or `library.xml` root) other than
    /// `url_name`, `org`, `course`.
    pub top_attrs: Vec<(String, String)>,
    pub root: usize,
    pub blocks: Vec<Block>,
    /// `policies/RUN/policy.json` entries that name no block, kept for export.
    pub policy_extra: serde_json::Map<String, serde_json::Value>,
    /// `policies/RUN/grading_policy.json`, verbatim.
    pub grading_policy: Option<String>,
    /// `about/`, `info/` and `tabs/` files by name (e.g. `overview.html`), verbatim text.
    pub about: BTreeMap<String, String>,
    pub info: BTreeMap<String, String>,
    pub tabs: BTreeMap<String, String>,
    /// Other files kept for a faithful export (`policies/assets.json`, `assets/assets.xml`, ...).
    pub extra_files: BTreeMap<String, Vec<u8>>,
    pub statics: Vec<StaticFile>,
    pub warnings: Vec<String>,
}

impl Course {
    /// `course-v1:ORG+NUM+RUN` or `library-v1:ORG+LIB`.
    pub fn key(&self) -> String {
        match self.kind {
            ContextKind::Course => format!("course-v1:{}+{}+{}", self.org, self.number, self.run),
            ContextKind::Library => format!("library-v1:{}+{}", self.org, self.number),
        }
    }

    pub fn root_block(&self) -> &Block {
        &self.blocks[self.root]
    }

    pub fn title(&self) -> String {
        self.root_block()
            .display_name()
            .unwrap_or_else(|| self.key())
    }

    /// Blocks reachable from the root, depth first in child order (the published tree).
    pub fn walk(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.blocks.len());
        let mut stack = vec![self.root];
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.blocks[i].children.iter().rev());
        }
        out
    }

    /// Counts of published blocks per type, the course block included.
    pub fn block_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for i in self.walk() {
            *counts.entry(self.blocks[i].block_type.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Everything an export must preserve, in a form that compares equal across a round trip:
    /// the key; every block's type, id, parent, children, attributes, policy, body, setting
    /// elements, and verbatim XML (leaves and drafts); course-level texts, policies and kept
    /// files; static files by path and hash. Where a block was defined (inline or in a file of its
    /// own) and source positions may change, so they are left out. This is the definition of
    /// "lossless" the round-trip tests use.
    pub fn round_trip_view(&self) -> serde_json::Value {
        let name = |i: usize| format!("{}/{}", self.blocks[i].block_type, self.blocks[i].id);
        let mut blocks: Vec<String> = self
            .blocks
            .iter()
            .map(|b| {
                serde_json::json!({
                    "type": b.block_type, "id": b.id, "draft": b.draft,
                    "parent": b.parent.map(name),
                    "children": b.children.iter().map(|&i| name(i)).collect::<Vec<_>>(),
                    "attrs": b.attrs, "policy": b.policy, "body": b.body, "extra": b.extra_xml,
                    "xml": if b.is_container() && !b.draft { None } else { Some(&b.xml) },
                })
                .to_string()
            })
            .collect();
        blocks.sort();
        let statics: Vec<_> = self
            .statics
            .iter()
            .map(|s| (&s.path, &s.sha256, s.size))
            .collect();
        let extra: BTreeMap<&String, String> = self
            .extra_files
            .iter()
            .map(|(k, v)| (k, String::from_utf8_lossy(v).into_owned()))
            .collect();
        serde_json::json!({
            "key": self.key(), "top": self.top_attrs, "blocks": blocks,
            "policy_extra": self.policy_extra, "grading": self.grading_policy,
            "about": self.about, "info": self.info, "tabs": self.tabs, "extra": extra,
            "statics": statics, "counts": self.block_counts(),
        })
    }

    pub fn drafts(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.draft)
    }

    /// The published block with this type and id.
    pub fn find(&self, block_type: &str, id: &str) -> Option<usize> {
        self.blocks
            .iter()
            .position(|b| !b.draft && b.block_type == block_type && b.id == id)
    }

    /// Resolves a reference found in course content to a published block: a `block-v1:` key,
    /// a deprecated `i4x://ORG/COURSE/TYPE/ID`, or a `/jump_to_id/ID` link (any type).
    pub fn resolve_reference(&self, reference: &str) -> Option<usize> {
        let r = reference.trim();
        if let Some(rest) = r.strip_prefix("i4x://") {
            let parts: Vec<&str> = rest.split('/').collect();
            if let [_, _, t, id] = parts[..] {
                return self.find(t, id);
            }
            return None;
        }
        if let Some(rest) = r.strip_prefix("block-v1:") {
            let (_, tail) = rest.split_once("+type@")?;
            let (t, id) = tail.split_once("+block@")?;
            return self.find(t, id);
        }
        let id = r
            .strip_prefix("/jump_to_id/")
            .or_else(|| r.strip_prefix("jump_to_id/"))?;
        let id = id.split(['?', '#', '/']).next()?;
        self.blocks.iter().position(|b| !b.draft && b.id == id)
    }

    /// Finds a static file by the name content uses: the exact path under `static/`, or Open
    /// edX's cleaned asset name (file names with spaces are linked with underscores).
    pub fn resolve_static(&self, name: &str) -> Option<&StaticFile> {
        let name = name
            .strip_prefix("/static/")
            .unwrap_or(name)
            .split(['?', '#'])
            .next()
            .unwrap_or("");
        if let Some(f) = self.statics.iter().find(|f| f.path == name) {
            return Some(f);
        }
        let wanted = clean_asset_name(name);
        self.statics
            .iter()
            .find(|f| clean_asset_name(&f.path) == wanted)
    }
}

pub use crate::keys::clean_asset_name;
