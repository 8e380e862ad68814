//! Editing a course tree in place, for Studio's outline and component editors.
//!
//! The invariants edits keep are the ones the OLX reader produces, so a course edited here exports
//! and reads back to the same [`Course::round_trip_view`]:
//! - a container's attributes are its definition (the writer renders them); its `xml` is only
//!   informative;
//! - a leaf's `xml` is its definition, and its `attrs` are exactly the root element's attributes
//!   (without `url_name`); [`set_field`] rewrites both;
//! - a field set here is removed from the block's `policy`, which would otherwise win over it;
//! - blocks removed from the tree stay in the arena until [`super::publish::compact`].

use super::{Block, Course, Source};

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the XML is not well-formed: {0}")]
    Xml(String),
    #[error("the root element is <{found}>, expected <{expected}>")]
    WrongRoot { expected: String, found: String },
    #[error("{0} cannot contain {1}")]
    NotAllowed(String, String),
    #[error("no such block")]
    NotFound,
    #[error("a block cannot be moved into itself")]
    Cycle,
}

/// The block type an outline level contains (`course` → `chapter` → `sequential` → `vertical`).
pub fn child_type(parent_type: &str) -> Option<&'static str> {
    match parent_type {
        "course" => Some("chapter"),
        "chapter" => Some("sequential"),
        "sequential" => Some("vertical"),
        _ => None,
    }
}

fn start_tag(tag: &str, attrs: &[(String, String)], empty: bool) -> String {
    let mut s = super::write::open_tag(tag, attrs);
    s.push_str(if empty { "/>" } else { ">" });
    s
}

fn new_block(block_type: &str, id: &str, attrs: Vec<(String, String)>, xml: String) -> Block {
    Block {
        block_type: block_type.to_string(),
        id: id.to_string(),
        parent: None,
        children: Vec::new(),
        attrs,
        policy: serde_json::Map::new(),
        xml,
        body: None,
        extra_xml: Vec::new(),
        inline: false,
        draft: false,
        source: Source {
            file: "studio".into(),
            line: 0,
        },
    }
}

/// A new, empty container (chapter, subsection or unit) with a display name.
pub fn container(block_type: &str, id: &str, display_name: &str) -> Block {
    let attrs = vec![("display_name".to_string(), display_name.to_string())];
    let xml = start_tag(block_type, &attrs, true);
    new_block(block_type, id, attrs, xml)
}

/// Parses an authored leaf definition (a `<problem>`, `<video>`, `<poll>`...): one root element
/// of type `block_type`, well-formed, without a DTD. `url_name` on the root is dropped (the id
/// names the block).
pub fn leaf_from_xml(block_type: &str, id: &str, xml: &str) -> Result<Block, EditError> {
    let xml = xml.trim();
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts)
        .map_err(|e| EditError::Xml(e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != block_type || root.tag_name().namespace().is_some() {
        return Err(EditError::WrongRoot {
            expected: block_type.to_string(),
            found: root.tag_name().name().to_string(),
        });
    }
    // Anything before or after the root element (comments, an XML declaration) would not
    // survive the writer, which writes the element alone.
    let element = &xml[root.range()];
    let attrs: Vec<(String, String)> = super::read::attrs_of(root)
        .into_iter()
        .filter(|(k, _)| k != "url_name")
        .collect();
    // The id names the block: a `url_name` on the root would contradict it.
    let xml = if root.attribute("url_name").is_some() {
        replace_start_tag(element, block_type, &attrs)
    } else {
        element.to_string()
    };
    Ok(new_block(block_type, id, attrs, xml))
}

/// An `html` block: its definition points at the body file named by the id.
pub fn html_block(id: &str, display_name: &str, body: &str) -> Block {
    let attrs = vec![
        ("display_name".to_string(), display_name.to_string()),
        ("filename".to_string(), id.to_string()),
    ];
    let xml = start_tag("html", &attrs, true);
    let mut b = new_block("html", id, attrs, xml);
    b.body = Some(body.to_string());
    b
}

/// Replaces the attributes of the root start tag of `xml` (which starts with `<tag`), keeping
/// the rest verbatim.
fn replace_start_tag(xml: &str, tag: &str, attrs: &[(String, String)]) -> String {
    let bytes = xml.as_bytes();
    let mut quote: Option<u8> = None;
    let mut end = None;
    for (i, &c) in bytes.iter().enumerate().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                end = Some(i);
                break;
            }
            None => {}
        }
    }
    let Some(end) = end else {
        return xml.to_string();
    };
    let empty = end > 0 && bytes[end - 1] == b'/';
    format!("{}{}", start_tag(tag, attrs, empty), &xml[end + 1..])
}

/// Sets (or with `None` removes) a field on a block: its attribute, and for a leaf the root
/// element of its XML too. The policy's value is removed so the new one applies.
pub fn set_field(b: &mut Block, name: &str, value: Option<&str>) {
    b.policy.remove(name);
    match (b.attrs.iter().position(|(k, _)| k == name), value) {
        (Some(i), Some(v)) => b.attrs[i].1 = v.to_string(),
        (Some(i), None) => {
            b.attrs.remove(i);
        }
        (None, Some(v)) => b.attrs.push((name.to_string(), v.to_string())),
        (None, None) => {}
    }
    if !b.is_container() {
        b.xml = replace_start_tag(&b.xml, &b.block_type, &b.attrs);
    } else {
        b.xml = start_tag(&b.block_type, &b.attrs, true);
    }
}

/// Whether `ancestor` is `idx` or one of its ancestors.
fn is_within(course: &Course, idx: usize, ancestor: usize) -> bool {
    let mut cur = Some(idx);
    while let Some(i) = cur {
        if i == ancestor {
            return true;
        }
        cur = course.blocks[i].parent;
    }
    false
}

/// Whether a block of `child` type may go into `parent` in the outline (components go into units).
fn allowed(parent: &str, child: &str) -> bool {
    match child_type(parent) {
        Some(t) => t == child,
        None => {
            parent == "vertical"
                && !matches!(child, "course" | "chapter" | "sequential" | "vertical")
        }
    }
}

/// Adds `block` as a child of `parent` at `position` (clamped; `None`: last). Returns its index.
pub fn insert_child(
    course: &mut Course,
    parent: usize,
    position: Option<usize>,
    mut block: Block,
) -> Result<usize, EditError> {
    let p = course.blocks.get(parent).ok_or(EditError::NotFound)?;
    if !allowed(&p.block_type, &block.block_type) {
        return Err(EditError::NotAllowed(
            p.block_type.clone(),
            block.block_type,
        ));
    }
    block.parent = Some(parent);
    let idx = course.blocks.len();
    course.blocks.push(block);
    let kids = &mut course.blocks[parent].children;
    let at = position.unwrap_or(kids.len()).min(kids.len());
    kids.insert(at, idx);
    Ok(idx)
}

/// Detaches a block (and its subtree) from the tree.
pub fn remove(course: &mut Course, idx: usize) -> Result<(), EditError> {
    let parent = course
        .blocks
        .get(idx)
        .and_then(|b| b.parent)
        .ok_or(EditError::NotFound)?;
    course.blocks[parent].children.retain(|&c| c != idx);
    course.blocks[idx].parent = None;
    Ok(())
}

/// Moves a block under `new_parent` at `position` (an index among the new parent's children
/// after the block has left its old place; clamped).
pub fn move_to(
    course: &mut Course,
    idx: usize,
    new_parent: usize,
    position: usize,
) -> Result<(), EditError> {
    let b = course.blocks.get(idx).ok_or(EditError::NotFound)?;
    let np = course.blocks.get(new_parent).ok_or(EditError::NotFound)?;
    if !allowed(&np.block_type, &b.block_type) {
        return Err(EditError::NotAllowed(
            np.block_type.clone(),
            b.block_type.clone(),
        ));
    }
    if is_within(course, new_parent, idx) {
        return Err(EditError::Cycle);
    }
    remove(course, idx)?;
    let kids = &mut course.blocks[new_parent].children;
    let at = position.min(kids.len());
    kids.insert(at, idx);
    course.blocks[idx].parent = Some(new_parent);
    Ok(())
}

/// Moves a block one place up or down among its siblings; at the edge of its parent it moves
/// into the end (or start) of the previous (or next) parent of the same level in outline order,
/// across sections too, as keyboard reordering in an outline expects. Returns whether it moved.
pub fn shift(course: &mut Course, idx: usize, up: bool) -> Result<bool, EditError> {
    let parent = course
        .blocks
        .get(idx)
        .and_then(|b| b.parent)
        .ok_or(EditError::NotFound)?;
    let kids = &course.blocks[parent].children;
    let pos = kids
        .iter()
        .position(|&c| c == idx)
        .ok_or(EditError::NotFound)?;
    if up && pos > 0 {
        course.blocks[parent].children.swap(pos, pos - 1);
        return Ok(true);
    }
    if !up && pos + 1 < kids.len() {
        course.blocks[parent].children.swap(pos, pos + 1);
        return Ok(true);
    }
    // At the edge: into the neighbouring parent of the same type in outline order (the next
    // subsection may be in the next section), if any.
    if course.blocks[parent].parent.is_none() {
        return Ok(false);
    }
    let ptype = course.blocks[parent].block_type.clone();
    let uncles: Vec<usize> = course
        .walk()
        .into_iter()
        .filter(|&u| course.blocks[u].block_type == ptype)
        .collect();
    let ppos = uncles.iter().position(|&u| u == parent).unwrap_or(0);
    let target = if up {
        ppos.checked_sub(1).map(|i| uncles[i])
    } else {
        uncles.get(ppos + 1).copied()
    };
    let Some(target) = target else {
        return Ok(false);
    };
    let at = if up {
        course.blocks[target].children.len()
    } else {
        0
    };
    move_to(course, idx, target, at)?;
    Ok(true)
}

/// A copy of the subtree at `idx` with fresh ids from `new_id`, inserted right after it.
pub fn duplicate(
    course: &mut Course,
    idx: usize,
    new_id: &mut dyn FnMut() -> String,
) -> Result<usize, EditError> {
    let parent = course
        .blocks
        .get(idx)
        .and_then(|b| b.parent)
        .ok_or(EditError::NotFound)?;
    fn copy(
        course: &mut Course,
        i: usize,
        parent: usize,
        new_id: &mut dyn FnMut() -> String,
    ) -> usize {
        let mut b = course.blocks[i].clone();
        let id = new_id();
        if b.block_type == "html" && b.attr("filename").is_some() {
            set_field(&mut b, "filename", Some(&id));
        }
        b.id = id;
        b.parent = Some(parent);
        b.children = Vec::new();
        b.inline = false;
        let me = course.blocks.len();
        course.blocks.push(b);
        let kids: Vec<usize> = course.blocks[i].children.clone();
        let copies: Vec<usize> = kids
            .into_iter()
            .map(|c| copy(course, c, me, new_id))
            .collect();
        course.blocks[me].children = copies;
        me
    }
    let me = copy(course, idx, parent, new_id);
    let kids = &mut course.blocks[parent].children;
    let pos = kids.iter().position(|&c| c == idx).unwrap_or(kids.len());
    kids.insert(pos + 1, me);
    Ok(me)
}

/// The block's index in the tree (reachable from the root) by type and id.
pub fn find_in_tree(course: &Course, block_type: &str, id: &str) -> Option<usize> {
    course
        .walk()
        .into_iter()
        .find(|&i| course.blocks[i].block_type == block_type && course.blocks[i].id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::olx::{read_files, write_tar_gz, AssetSource, FileData, FileSet, StaticFile};

    struct NoAssets;
    impl AssetSource for NoAssets {
        fn open(&self, _: &StaticFile) -> std::io::Result<Box<dyn std::io::Read + '_>> {
            Err(std::io::Error::other("no assets"))
        }
    }

    fn empty() -> Course {
        let mut set = FileSet::new();
        set.insert(
            "course.xml",
            FileData::Bytes(b"<course url_name=\"r\" org=\"o\" course=\"c\"/>".to_vec()),
        );
        set.insert(
            "course/r.xml",
            FileData::Bytes(b"<course display_name=\"T\"/>".to_vec()),
        );
        read_files(set).unwrap()
    }

    fn reread(c: &Course) -> Course {
        use std::io::Read;
        let bytes = write_tar_gz(c, Vec::new(), &NoAssets).unwrap();
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
        let mut set = FileSet::new();
        for e in tar.entries().unwrap() {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_string_lossy().into_owned();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            set.insert(&path, FileData::Bytes(data));
        }
        read_files(set.rooted().unwrap().0).unwrap()
    }

    #[test]
    fn built_tree_survives_export() {
        let mut c = empty();
        let ch = insert_child(
            &mut c,
            0,
            None,
            container("chapter", "ch1", "Rozdział & <1>"),
        )
        .unwrap();
        let sq = insert_child(
            &mut c,
            ch,
            None,
            container("sequential", "sq1", "Podrozdział"),
        )
        .unwrap();
        set_field(&mut c.blocks[sq], "graded", Some("true"));
        set_field(&mut c.blocks[sq], "format", Some("Homework"));
        let u = insert_child(&mut c, sq, None, container("vertical", "u1", "Lekcja")).unwrap();
        insert_child(&mut c, u, None, html_block("h1", "Tekst", "<p>Zażółć</p>")).unwrap();
        let p = leaf_from_xml(
            "problem",
            "p1",
            "<problem url_name=\"zzz\" display_name=\"Q\"><multiplechoiceresponse><choicegroup><choice correct=\"true\">A</choice></choicegroup></multiplechoiceresponse></problem>",
        )
        .unwrap();
        assert!(!p.xml.contains("url_name"));
        let pi = insert_child(&mut c, u, None, p).unwrap();
        set_field(&mut c.blocks[pi], "display_name", Some("Pytanie \"1\""));
        set_field(&mut c.blocks[pi], "weight", Some("2"));
        let c = crate::olx::publish::compact(&c);
        let back = reread(&c);
        assert_eq!(back.round_trip_view(), c.round_trip_view());
        let pi = back.find("problem", "p1").unwrap();
        assert_eq!(
            back.blocks[pi].display_name().as_deref(),
            Some("Pytanie \"1\"")
        );
        assert_eq!(back.blocks[pi].field("weight").as_deref(), Some("2"));
        assert!(back.blocks[back.find("sequential", "sq1").unwrap()].graded());
    }

    #[test]
    fn moves_keep_the_outline_shape() {
        let mut c = empty();
        let a = insert_child(&mut c, 0, None, container("chapter", "a", "A")).unwrap();
        let b = insert_child(&mut c, 0, None, container("chapter", "b", "B")).unwrap();
        let s1 = insert_child(&mut c, a, None, container("sequential", "s1", "S1")).unwrap();
        let s2 = insert_child(&mut c, a, None, container("sequential", "s2", "S2")).unwrap();
        assert!(shift(&mut c, s2, true).unwrap());
        assert_eq!(c.blocks[a].children, vec![s2, s1]);
        // Down at the end of A moves into the start of B.
        assert!(shift(&mut c, s1, false).unwrap());
        assert_eq!(c.blocks[b].children, vec![s1]);
        assert_eq!(c.blocks[s1].parent, Some(b));
        // Up at the start of the first chapter: nowhere to go.
        assert!(!shift(&mut c, s2, true).unwrap());
        // A unit at the end of the last subsection of chapter A moves into B's first one.
        let v = insert_child(&mut c, s2, None, container("vertical", "v1", "V1")).unwrap();
        let s3 = insert_child(&mut c, b, Some(0), container("sequential", "s3", "S3")).unwrap();
        assert!(shift(&mut c, v, false).unwrap());
        assert_eq!(c.blocks[v].parent, Some(s3));
        assert!(shift(&mut c, v, true).unwrap());
        assert_eq!(c.blocks[v].parent, Some(s2));
        remove(&mut c, v).unwrap();
        remove(&mut c, s3).unwrap();
        assert_eq!(
            move_to(&mut c, a, s1, 0),
            Err(EditError::NotAllowed("sequential".into(), "chapter".into()))
        );
        assert!(insert_child(&mut c, a, None, container("vertical", "v", "V")).is_err());
        let mut n = 0;
        let d = duplicate(&mut c, b, &mut || {
            n += 1;
            format!("copy{n}")
        })
        .unwrap();
        assert_eq!(c.blocks[c.root].children, vec![a, b, d]);
        assert_eq!(c.blocks[c.blocks[d].children[0]].id, "copy2");
        remove(&mut c, a).unwrap();
        let c = crate::olx::publish::compact(&c);
        assert_eq!(c.block_counts()["chapter"], 2);
        assert_eq!(c.block_counts()["sequential"], 2);
    }

    #[test]
    fn bad_leaf_xml_is_refused() {
        assert!(matches!(
            leaf_from_xml("problem", "p", "<problem>"),
            Err(EditError::Xml(_))
        ));
        assert!(matches!(
            leaf_from_xml("problem", "p", "<video/>"),
            Err(EditError::WrongRoot { .. })
        ));
        assert!(matches!(
            leaf_from_xml(
                "problem",
                "p",
                "<!DOCTYPE x [<!ENTITY a \"b\">]><problem>&a;</problem>"
            ),
            Err(EditError::Xml(_))
        ));
    }
}
