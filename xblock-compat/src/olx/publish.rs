//! Drafts and publishing over course trees: what Studio's "Publish" does to the published tree,
//! and the list of unpublished changes an author reads. Pure functions; storage is Studio's.
//!
//! A block is the same block in two trees when its `(block_type, id)` is the same (ids are stable
//! through import, export and editing). Only the tree reachable from `root` takes part; blocks
//! from an OLX export's `drafts/` folder (`Block::draft`) are carried along untouched.
//!
//! Course-level data (grading policy, about/info/tabs pages, policies, kept files, the top
//! element's attributes) is not drafted, as in Open edX: Studio applies it to the published tree
//! and the draft at once (see [`rebase`]), so publishing takes it from the published tree. Static
//! files are shared the same way; publishing keeps the published list and adds any file only the
//! draft has, so published content never points at a file the published tree lacks (the bytes are
//! content-addressed, so sharing an entry costs nothing).

use std::collections::{HashMap, HashSet};

use super::{Block, Course};

/// A block's identity across versions: `(block_type, id)`.
pub type BlockKey<'a> = (&'a str, &'a str);

fn key(b: &Block) -> BlockKey<'_> {
    (b.block_type.as_str(), b.id.as_str())
}

/// Reachable (published-tree) blocks by identity.
fn index(c: &Course) -> HashMap<BlockKey<'_>, usize> {
    c.walk()
        .into_iter()
        .map(|i| (key(&c.blocks[i]), i))
        .collect()
}

/// Why a block cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    #[error("{block_type}/{id} is neither in the draft nor in the published course")]
    NotFound { block_type: String, id: String },
    #[error(
        "{block_type}/{id} is in {parent_type}/{parent_id}, which is not published yet: publish \
         {parent_type}/{parent_id} first"
    )]
    ParentNotPublished {
        block_type: String,
        id: String,
        parent_type: String,
        parent_id: String,
    },
}

/// Appends a copy of `src`'s subtree at `i` to `out` under `parent`; returns its new index.
fn copy_subtree(out: &mut Vec<Block>, src: &Course, i: usize, parent: Option<usize>) -> usize {
    let mut b = src.blocks[i].clone();
    b.parent = parent;
    b.children = Vec::new();
    let me = out.len();
    out.push(b);
    let kids: Vec<usize> = src.blocks[i]
        .children
        .iter()
        .map(|&c| copy_subtree(out, src, c, Some(me)))
        .collect();
    out[me].children = kids;
    me
}

/// Where a draft subtree goes in the published tree.
struct Insert<'a> {
    /// The published parent.
    parent: BlockKey<'a>,
    /// The published sibling it follows (`None`: first).
    after: Option<BlockKey<'a>>,
    /// The subtree's root in the draft.
    draft_index: usize,
}

struct Merge<'a> {
    published: &'a Course,
    draft: &'a Course,
    skip: HashSet<BlockKey<'a>>,
    insert: Option<Insert<'a>>,
    inserted: bool,
    out: Vec<Block>,
}

impl<'a> Merge<'a> {
    /// Copies the published block `i` and its children, leaving out skipped subtrees and putting
    /// the draft subtree in place.
    fn copy(&mut self, i: usize, parent: Option<usize>) -> usize {
        let published = self.published;
        let src = &published.blocks[i];
        let mut b = src.clone();
        b.parent = parent;
        b.children = Vec::new();
        let me = self.out.len();
        self.out.push(b);
        let here = self
            .insert
            .as_ref()
            .filter(|ins| ins.parent == key(src))
            .map(|ins| (ins.after, ins.draft_index));
        let mut kids = Vec::new();
        if let Some((None, d)) = here {
            kids.push(copy_subtree(&mut self.out, self.draft, d, Some(me)));
            self.inserted = true;
        }
        for &c in &src.children {
            let ck = key(&published.blocks[c]);
            if self.skip.contains(&ck) {
                continue;
            }
            kids.push(self.copy(c, Some(me)));
            if let Some((Some(after), d)) = here {
                if after == ck {
                    kids.push(copy_subtree(&mut self.out, self.draft, d, Some(me)));
                    self.inserted = true;
                }
            }
        }
        self.out[me].children = kids;
        me
    }
}

/// The published course with new blocks and course-level data from `published`; static files
/// from both (see the module documentation).
fn assemble(published: &Course, draft: &Course, mut blocks: Vec<Block>) -> Course {
    // Blocks from an OLX export's `drafts/` folder stay as the published tree has them.
    blocks.extend(
        published
            .blocks
            .iter()
            .filter(|b| b.draft && b.parent.is_none())
            .cloned(),
    );
    let mut statics = published.statics.clone();
    let have: HashSet<&str> = published.statics.iter().map(|s| s.path.as_str()).collect();
    statics.extend(
        draft
            .statics
            .iter()
            .filter(|s| !have.contains(s.path.as_str()))
            .cloned(),
    );
    statics.sort_by(|a, b| a.path.cmp(&b.path));
    Course {
        root: 0,
        blocks,
        statics,
        ..published.clone()
    }
}

/// The whole draft published: its tree, with the course-level data of the published course.
pub fn publish_all(published: &Course, draft: &Course) -> Course {
    let mut out = Vec::with_capacity(draft.blocks.len());
    copy_subtree(&mut out, draft, draft.root, None);
    assemble(published, draft, out)
}

/// The course without blocks an editor detached (neither in the tree nor OLX drafts), indexes
/// renumbered from the root in tree order.
pub fn compact(course: &Course) -> Course {
    publish_all(course, course)
}

/// The published course with the subtree of block `target` taken from the draft, at its draft
/// position under its parent (after the nearest earlier draft sibling that is published). Blocks
/// deleted in the draft within the subtree disappear; for a section this carries its structure
/// (order of subsections and units, added and removed ones). A block deleted in the draft is
/// removed from the published course. A block the draft moved into the subtree leaves its old
/// published place; one the draft moved out of it disappears from the published course until its
/// new place is published.
pub fn publish_subtree(
    published: &Course,
    draft: &Course,
    target: (&str, &str),
) -> Result<Course, PublishError> {
    if key(published.root_block()) == target || key(draft.root_block()) == target {
        return Ok(publish_all(published, draft));
    }
    let pi = index(published);
    let di = index(draft);
    let mut merge = Merge {
        published,
        draft,
        skip: HashSet::new(),
        insert: None,
        inserted: false,
        out: Vec::with_capacity(published.blocks.len()),
    };
    match (di.get(&target), pi.get(&target)) {
        (None, None) => {
            return Err(PublishError::NotFound {
                block_type: target.0.to_string(),
                id: target.1.to_string(),
            })
        }
        (None, Some(&p)) => {
            merge.skip.insert(key(&published.blocks[p]));
        }
        (Some(&d), _) => {
            let dp = draft.blocks[d]
                .parent
                .expect("a non-root reachable block has a parent");
            let parent = key(&draft.blocks[dp]);
            let not_published = || PublishError::ParentNotPublished {
                block_type: target.0.to_string(),
                id: target.1.to_string(),
                parent_type: parent.0.to_string(),
                parent_id: parent.1.to_string(),
            };
            let Some(&pp) = pi.get(&parent) else {
                return Err(not_published());
            };
            let mut stack = vec![d];
            while let Some(i) = stack.pop() {
                merge.skip.insert(key(&draft.blocks[i]));
                stack.extend(&draft.blocks[i].children);
            }
            let published_siblings: HashSet<BlockKey<'_>> = published.blocks[pp]
                .children
                .iter()
                .map(|&c| key(&published.blocks[c]))
                .filter(|k| !merge.skip.contains(k))
                .collect();
            let siblings = &draft.blocks[dp].children;
            let at = siblings.iter().position(|&c| c == d).unwrap_or(0);
            let after = siblings[..at]
                .iter()
                .rev()
                .map(|&c| key(&draft.blocks[c]))
                .find(|k| published_siblings.contains(k));
            merge.insert = Some(Insert {
                parent,
                after,
                draft_index: d,
            });
            let root = published.root;
            merge.copy(root, None);
            if !merge.inserted {
                // The parent itself sits inside the replaced subtree in the published tree.
                return Err(not_published());
            }
            return Ok(assemble(published, draft, merge.out));
        }
    }
    merge.copy(published.root, None);
    Ok(assemble(published, draft, merge.out))
}

/// What kind of unpublished change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    /// Another parent, or another place among the same siblings.
    Moved,
    /// Attributes, policy, XML, body or setting elements.
    Changed,
}

/// A block an unpublished change is in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    pub block_type: String,
    pub id: String,
    pub display_name: Option<String>,
}

impl Place {
    fn of(b: &Block) -> Place {
        Place {
            block_type: b.block_type.clone(),
            id: b.id.clone(),
            display_name: b.display_name(),
        }
    }
}

/// One unpublished change. A block both moved and changed gives two, `Moved` first. The places
/// are the block's section, subsection and unit (in the draft; in the published tree for a
/// removed block); a block's own level is `None`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub block_type: String,
    pub id: String,
    pub display_name: Option<String>,
    pub section: Option<Place>,
    pub subsection: Option<Place>,
    pub unit: Option<Place>,
}

fn change(kind: ChangeKind, c: &Course, i: usize) -> Change {
    let b = &c.blocks[i];
    let (mut section, mut subsection, mut unit) = (None, None, None);
    let mut p = b.parent;
    while let Some(a) = p {
        let ab = &c.blocks[a];
        match ab.block_type.as_str() {
            "chapter" if section.is_none() => section = Some(Place::of(ab)),
            "sequential" if subsection.is_none() => subsection = Some(Place::of(ab)),
            "vertical" if unit.is_none() => unit = Some(Place::of(ab)),
            _ => {}
        }
        p = ab.parent;
    }
    Change {
        kind,
        block_type: b.block_type.clone(),
        id: b.id.clone(),
        display_name: b.display_name(),
        section,
        subsection,
        unit,
    }
}

/// Whether two versions of a block have the same content (attributes in any order; a
/// container's verbatim XML is not compared, since its children are the tree's).
pub fn same_content(a: &Block, b: &Block) -> bool {
    let sorted = |v: &[(String, String)]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    sorted(&a.attrs) == sorted(&b.attrs)
        && a.policy == b.policy
        && a.body == b.body
        && a.extra_xml == b.extra_xml
        && (a.is_container() || a.xml == b.xml)
}

/// Positions (into `seq`) of a longest strictly increasing subsequence.
fn longest_increasing(seq: &[usize]) -> HashSet<usize> {
    // O(n²) is fine for the children of one block.
    let n = seq.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if seq[j] < seq[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let mut out = HashSet::new();
    let Some(mut i) = (0..n).max_by_key(|&i| (len[i], usize::MAX - i)) else {
        return out;
    };
    loop {
        out.insert(i);
        if prev[i] == usize::MAX {
            break;
        }
        i = prev[i];
    }
    out
}

/// The unpublished changes: the draft against the published course by block identity, in the
/// draft's tree order; removed blocks come right after the place their parent has in the draft
/// (a removed subtree lists every block in it). Among siblings with the same parent in both,
/// the fewest blocks are reported as moved (those outside a longest run in the same order).
pub fn diff(published: &Course, draft: &Course) -> Vec<Change> {
    let pi = index(published);
    let di = index(draft);
    // Children kept under the same parent but out of order.
    let mut reordered: HashSet<usize> = HashSet::new();
    for i in draft.walk() {
        let Some(&p) = pi.get(&key(&draft.blocks[i])) else {
            continue;
        };
        let common: Vec<(usize, usize)> = draft.blocks[i]
            .children
            .iter()
            .filter_map(|&c| {
                let &pc = pi.get(&key(&draft.blocks[c]))?;
                (published.blocks[pc].parent == Some(p)).then_some((c, pc))
            })
            .collect();
        let positions: Vec<usize> = common
            .iter()
            .map(|&(_, pc)| {
                published.blocks[p]
                    .children
                    .iter()
                    .position(|&x| x == pc)
                    .unwrap_or(0)
            })
            .collect();
        let keep = longest_increasing(&positions);
        for (n, &(c, _)) in common.iter().enumerate() {
            if !keep.contains(&n) {
                reordered.insert(c);
            }
        }
    }
    fn parent_key(c: &Course, i: usize) -> Option<BlockKey<'_>> {
        c.blocks[i].parent.map(|p| key(&c.blocks[p]))
    }
    let mut out = Vec::new();
    for i in draft.walk() {
        let b = &draft.blocks[i];
        match pi.get(&key(b)) {
            None => out.push(change(ChangeKind::Added, draft, i)),
            Some(&p) => {
                if parent_key(published, p) != parent_key(draft, i) || reordered.contains(&i) {
                    out.push(change(ChangeKind::Moved, draft, i));
                }
                if !same_content(&published.blocks[p], b) {
                    out.push(change(ChangeKind::Changed, draft, i));
                }
                // Published children that the draft no longer has anywhere.
                for &pc in &published.blocks[p].children {
                    if di.contains_key(&key(&published.blocks[pc])) {
                        continue;
                    }
                    let mut stack = vec![pc];
                    while let Some(r) = stack.pop() {
                        if di.contains_key(&key(&published.blocks[r])) {
                            continue; // moved elsewhere, reported there
                        }
                        out.push(change(ChangeKind::Removed, published, r));
                        stack.extend(published.blocks[r].children.iter().rev());
                    }
                }
            }
        }
    }
    out
}

/// Applies to `draft` what a non-drafted change (settings, schedule, grading, files) did to the
/// published course, `before` → `after`: changed course-level data is taken over whole; for every
/// block both trees have, each changed attribute and policy field (set or removed), and a changed
/// body, XML or setting element list, is set in the draft's block of the same identity. Other
/// draft edits stay. Blocks the change added or removed are not carried over (no such change
/// exists). Returns whether the draft changed.
pub fn rebase(before: &Course, after: &Course, draft: &mut Course) -> bool {
    let original = draft.clone();
    macro_rules! take {
        ($($f:ident),*) => {$(
            if before.$f != after.$f {
                draft.$f = after.$f.clone();
            }
        )*};
    }
    take!(
        top_attrs,
        policy_extra,
        grading_policy,
        about,
        info,
        tabs,
        extra_files,
        statics
    );
    let bi = index(before);
    let di: HashMap<(String, String), usize> = index(draft)
        .into_iter()
        .map(|((t, id), i)| ((t.to_string(), id.to_string()), i))
        .collect();
    for a in after.walk() {
        let ab = &after.blocks[a];
        let (Some(&b), Some(&d)) = (
            bi.get(&key(ab)),
            di.get(&(ab.block_type.clone(), ab.id.clone())),
        ) else {
            continue;
        };
        let bb = &before.blocks[b];
        let db = &mut draft.blocks[d];
        let names: Vec<&String> = bb
            .attrs
            .iter()
            .chain(&ab.attrs)
            .map(|(k, _)| k)
            .collect::<Vec<_>>();
        let mut seen = HashSet::new();
        for name in names {
            if !seen.insert(name) || bb.attr(name) == ab.attr(name) {
                continue;
            }
            match ab.attr(name) {
                Some(v) => match db.attrs.iter_mut().find(|(k, _)| k == name) {
                    Some(slot) => slot.1 = v.to_string(),
                    None => db.attrs.push((name.clone(), v.to_string())),
                },
                None => db.attrs.retain(|(k, _)| k != name),
            }
        }
        for name in bb.policy.keys().chain(ab.policy.keys()) {
            if bb.policy.get(name) == ab.policy.get(name) {
                continue;
            }
            match ab.policy.get(name) {
                Some(v) => {
                    db.policy.insert(name.clone(), v.clone());
                }
                None => {
                    db.policy.remove(name);
                }
            }
        }
        if bb.body != ab.body {
            db.body = ab.body.clone();
        }
        if bb.xml != ab.xml {
            db.xml = ab.xml.clone();
        }
        if bb.extra_xml != ab.extra_xml {
            db.extra_xml = ab.extra_xml.clone();
        }
    }
    *draft != original
}
