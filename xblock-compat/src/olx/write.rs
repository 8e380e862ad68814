//! Writing a [`Course`] as an Open edX export (`.tar.gz` with one top folder), in the standard
//! layout: pointer tags, one file per block, policies, about/info/tabs, static, drafts.
//!
//! Leaf blocks are written from their verbatim XML (inline where they were inline), so what
//! SZPoN does not understand goes out exactly as it came in. Containers are written from their
//! attributes and children.

use std::io::{self, Read, Write};

use super::{Block, ContextKind, Course, StaticFile};

/// Where the bytes of static files come from when exporting (the content-addressed store, or the
/// extracted folder).
pub trait AssetSource {
    fn open(&self, file: &StaticFile) -> io::Result<Box<dyn Read + '_>>;
}

/// Escapes an attribute value so a parser gives back exactly `v` (newlines and tabs included).
fn escape_attr(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn open_tag(tag: &str, attrs: &[(String, String)]) -> String {
    let mut s = format!("<{tag}");
    for (k, v) in attrs {
        s.push_str(&format!(" {k}=\"{}\"", escape_attr(v)));
    }
    s
}

fn block_path(b: &Block) -> String {
    format!("{}/{}.xml", b.block_type, b.id.replace(':', "/"))
}

/// A container's definition: its attributes, then one line per child (a pointer, or the verbatim
/// XML of an inline leaf), then its setting elements.
fn render_container(course: &Course, b: &Block, extra_attrs: &[(String, String)]) -> String {
    let mut attrs = extra_attrs.to_vec();
    attrs.extend(b.attrs.iter().cloned());
    let mut s = open_tag(&b.block_type, &attrs);
    if b.children.is_empty() && b.extra_xml.is_empty() {
        s.push_str("/>\n");
        return s;
    }
    s.push_str(">\n");
    for &c in &b.children {
        let child = &course.blocks[c];
        if child.inline && !child.is_container() {
            s.push_str("  ");
            s.push_str(&child.xml);
            s.push('\n');
        } else {
            s.push_str(&format!(
                "  <{} url_name=\"{}\"/>\n",
                child.block_type,
                escape_attr(&child.id)
            ));
        }
    }
    for x in &b.extra_xml {
        s.push_str("  ");
        s.push_str(x);
        s.push('\n');
    }
    s.push_str(&format!("</{}>\n", b.block_type));
    s
}

struct TarOut<W: Write> {
    tar: tar::Builder<W>,
    top: String,
    mtime: u64,
    files: std::collections::HashSet<String>,
    dirs: std::collections::HashSet<String>,
}

impl<W: Write> TarOut<W> {
    /// Claims a path; false when it was written already or clashes with a file or folder of
    /// an earlier entry (two blocks sharing one html body, a kept file named like a folder).
    /// The first writer wins, so an export always unpacks.
    fn claim(&mut self, rel: &str) -> bool {
        let parents: Vec<String> = rel
            .match_indices('/')
            .map(|(i, _)| rel[..i].to_string())
            .collect();
        if self.files.contains(rel)
            || self.dirs.contains(rel)
            || parents.iter().any(|p| self.files.contains(p))
        {
            return false;
        }
        self.dirs.extend(parents);
        self.files.insert(rel.to_string());
        true
    }

    fn file(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if !self.claim(rel) {
            return Ok(());
        }
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(self.mtime);
        h.set_entry_type(tar::EntryType::Regular);
        self.tar
            .append_data(&mut h, format!("{}/{rel}", self.top), bytes)
    }

    fn stream(&mut self, rel: &str, size: u64, reader: impl Read) -> io::Result<()> {
        if !self.claim(rel) {
            return Ok(());
        }
        let mut h = tar::Header::new_gnu();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_mtime(self.mtime);
        h.set_entry_type(tar::EntryType::Regular);
        self.tar
            .append_data(&mut h, format!("{}/{rel}", self.top), reader)
    }
}

/// Writes the course as a gzip-compressed tar to `out`.
pub fn write_tar_gz<W: Write>(course: &Course, out: W, assets: &dyn AssetSource) -> io::Result<W> {
    let gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    let mut t = TarOut {
        tar: tar::Builder::new(gz),
        top: match course.kind {
            ContextKind::Course => "course".into(),
            ContextKind::Library => "library".into(),
        },
        mtime: 1_700_000_000,
        files: Default::default(),
        dirs: Default::default(),
    };
    t.tar.mode(tar::HeaderMode::Deterministic);
    write_tree(course, &mut t)?;
    for f in &course.statics {
        let reader = assets.open(f)?;
        t.stream(&format!("static/{}", f.path), f.size, reader.take(f.size))?;
    }
    let gz = t.tar.into_inner()?;
    gz.finish()
}

fn write_tree<W: Write>(course: &Course, t: &mut TarOut<W>) -> io::Result<()> {
    let root = course.root_block();
    match course.kind {
        ContextKind::Course => {
            let mut top = vec![
                ("url_name".to_string(), course.run.clone()),
                ("org".to_string(), course.org.clone()),
                ("course".to_string(), course.number.clone()),
            ];
            top.extend(course.top_attrs.iter().cloned());
            let course_xml = format!("{}/>\n", open_tag("course", &top));
            t.file("course.xml", course_xml.as_bytes())?;
            let run_file = render_container(course, root, &[]);
            t.file(
                &format!("course/{}.xml", course.run.replace(':', "/")),
                run_file.as_bytes(),
            )?;
        }
        ContextKind::Library => {
            let lib = render_container(course, root, &[("url_name".to_string(), root.id.clone())]);
            t.file("library.xml", lib.as_bytes())?;
        }
    }

    let mut policy = course.policy_extra.clone();
    for i in course.walk() {
        let b = &course.blocks[i];
        if !b.policy.is_empty() {
            policy.insert(
                format!("{}/{}", b.block_type, b.id),
                serde_json::Value::Object(b.policy.clone()),
            );
        }
        if i == course.root {
            continue;
        }
        if b.is_container() {
            t.file(&block_path(b), render_container(course, b, &[]).as_bytes())?;
        } else if !b.inline {
            let mut xml = b.xml.clone();
            xml.push('\n');
            t.file(&block_path(b), xml.as_bytes())?;
        }
        write_body(b, "html", t)?;
    }
    if course.kind == ContextKind::Course {
        let json = serde_json::to_string_pretty(&serde_json::Value::Object(policy))
            .map_err(io::Error::other)?;
        t.file(
            &format!("policies/{}/policy.json", course.run),
            json.as_bytes(),
        )?;
        if let Some(g) = &course.grading_policy {
            t.file(
                &format!("policies/{}/grading_policy.json", course.run),
                g.as_bytes(),
            )?;
        }
    }
    for (name, text) in &course.about {
        t.file(&format!("about/{name}"), text.as_bytes())?;
    }
    for (name, text) in &course.info {
        t.file(&format!("info/{name}"), text.as_bytes())?;
    }
    for (name, text) in &course.tabs {
        t.file(&format!("tabs/{name}"), text.as_bytes())?;
    }
    for (rel, bytes) in &course.extra_files {
        t.file(rel, bytes)?;
    }
    for b in course.drafts() {
        let mut xml = b.xml.clone();
        xml.push('\n');
        t.file(&format!("drafts/{}", block_path(b)), xml.as_bytes())?;
        write_body(b, "drafts/html", t)?;
    }
    Ok(())
}

/// An html block's body file, named by its `filename` attribute.
fn write_body<W: Write>(b: &Block, base: &str, t: &mut TarOut<W>) -> io::Result<()> {
    if let (Some(body), Some(filename)) = (&b.body, b.attr("filename")) {
        let name = filename.trim_end_matches(".html").replace(':', "/");
        // A filename that cannot be a path inside the export goes under the block id, where the
        // reader looks next.
        let usable = name
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != ".." && p.len() <= 200 && !p.contains('\\'));
        let name = if usable { name } else { b.id.replace(':', "/") };
        t.file(&format!("{base}/{name}.html"), body.as_bytes())?;
    }
    Ok(())
}
