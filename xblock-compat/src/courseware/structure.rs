//! Which children of a container a learner sees: `library_content` (a subset of its problems),
//! `split_test` (the child of the learner's experiment group) and `conditional` (its children
//! once the source problems or polls are in the required state).
//!
//! Open edX draws library picks and experiment groups at random and stores them in the
//! learner's state. SZPoN derives them from a hash of the learner and the block instead, so they
//! are stable without storage and the same on every server; the distribution is as uniform, but
//! a learner imported from Open edX will not get the pick Open edX stored for them.
//! [`reconcile_selection`] keeps a stored pick where the caller has one.

use std::collections::BTreeMap;

use super::{learner_hash, parse_bool, parse_int};
use crate::olx::{Block, Course};

// ---------------------------------------------------------------------------------------------
// library_content
// ---------------------------------------------------------------------------------------------

/// `max_count` of a `library_content` (or `itembank`) block: default 1; negative = all.
pub fn library_max_count(block: &Block) -> i64 {
    block
        .field("max_count")
        .and_then(|v| parse_int(&v))
        .unwrap_or(1)
}

fn rank(learner_key: &str, block_id: &str, child_id: &str) -> u64 {
    learner_hash(&["library_content", learner_key, block_id, child_id])
}

/// The children a learner gets from a `library_content` block: positions into `child_ids`
/// (their `url_name`s), in course order. `max_count < 0` (or at least the number of children)
/// selects all. The pick is the `max_count` children with the lowest hash of
/// (learner, block, child): deterministic per learner, and adding a child to the library changes
/// at most one pick. Open edX instead draws `random.sample` once, shows the picks in a random
/// order, and stores them.
pub fn select_children(
    child_ids: &[&str],
    max_count: i64,
    learner_key: &str,
    block_id: &str,
) -> Vec<usize> {
    reconcile_selection(&[], child_ids, max_count, learner_key, block_id)
}

/// Like Open edX's `make_selection`, keeping a stored selection (child `url_name`s): picks that
/// are no longer children are dropped; if there are more than `max_count`, the ones with the
/// highest hash go; missing places are filled with the lowest-hash other children. Positions into
/// `child_ids`, in course order.
pub fn reconcile_selection(
    stored: &[&str],
    child_ids: &[&str],
    max_count: i64,
    learner_key: &str,
    block_id: &str,
) -> Vec<usize> {
    let n = child_ids.len();
    let want = if max_count < 0 {
        n
    } else {
        usize::try_from(max_count).unwrap_or(usize::MAX).min(n)
    };
    let ranked = |positions: Vec<usize>| -> Vec<usize> {
        let mut p = positions;
        p.sort_by_key(|&i| (rank(learner_key, block_id, child_ids[i]), i));
        p
    };
    let (kept, others): (Vec<usize>, Vec<usize>) =
        (0..n).partition(|&i| stored.contains(&child_ids[i]));
    let mut chosen: Vec<usize> = ranked(kept).into_iter().take(want).collect();
    let missing = want - chosen.len();
    chosen.extend(ranked(others).into_iter().take(missing));
    chosen.sort_unstable();
    chosen
}

/// [`select_children`] for a block of the course: the chosen children's block indices.
pub fn library_children(course: &Course, block: usize, learner_key: &str) -> Vec<usize> {
    let Some(b) = course.blocks.get(block) else {
        return vec![];
    };
    let ids: Vec<&str> = b
        .children
        .iter()
        .map(|&c| course.blocks[c].id.as_str())
        .collect();
    select_children(&ids, library_max_count(b), learner_key, &b.id)
        .into_iter()
        .map(|i| b.children[i])
        .collect()
}

// ---------------------------------------------------------------------------------------------
// split_test
// ---------------------------------------------------------------------------------------------

/// A content experiment's settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SplitTestSpec {
    /// `user_partition_id`; `None` when unset or -1 ("Not Selected").
    pub user_partition_id: Option<i64>,
    /// `group_id_to_child`: group id (as text, JSON keys) → child reference (`i4x://...`,
    /// `block-v1:...`).
    pub group_id_to_child: BTreeMap<String, String>,
}

impl SplitTestSpec {
    pub fn parse(block: &Block) -> Self {
        let user_partition_id = block
            .field("user_partition_id")
            .and_then(|v| parse_int(&v))
            .filter(|&id| id != -1);
        let group_id_to_child = block
            .field("group_id_to_child")
            .and_then(|v| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&v).ok())
            .map(|m| {
                m.into_iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        SplitTestSpec {
            user_partition_id,
            group_id_to_child,
        }
    }

    /// The child shown to `group_id`: the mapped reference, if it is one of the block's children
    /// (Open edX's `get_child_block_by_location`); `None` for a group without a child, which
    /// Open edX renders as nothing.
    pub fn child_for_group(&self, course: &Course, block: usize, group_id: i64) -> Option<usize> {
        let reference = self.group_id_to_child.get(&group_id.to_string())?;
        let children = &course.blocks.get(block)?.children;
        if let Some(i) = course.resolve_reference(reference) {
            if children.contains(&i) {
                return Some(i);
            }
        }
        // Exports from another course run keep the old course in the reference: match by id.
        let id = reference
            .rsplit(['/', '@'])
            .next()
            .filter(|s| !s.is_empty())?;
        children
            .iter()
            .copied()
            .find(|&c| course.blocks[c].id == id)
    }
}

/// The group ids of an active `random`-scheme partition in the course's `user_partitions`
/// (course policy), in their configured order. `None` if there is no such partition: Open edX
/// then assigns no group and the experiment shows nothing.
pub fn partition_groups(course: &Course, partition_id: i64) -> Option<Vec<i64>> {
    let raw = course.root_block().field("user_partitions")?;
    let list: Vec<serde_json::Value> = serde_json::from_str(&raw).ok()?;
    let p = list
        .iter()
        .find(|p| p.get("id").and_then(serde_json::Value::as_i64) == Some(partition_id))?;
    let active = p.get("active").is_none_or(|a| a.as_bool().unwrap_or(true));
    let scheme = p.get("scheme").and_then(|s| s.as_str()).unwrap_or("random");
    if !active || scheme != "random" {
        return None;
    }
    Some(
        p.get("groups")?
            .as_array()?
            .iter()
            .filter_map(|g| g.get("id").and_then(serde_json::Value::as_i64))
            .collect(),
    )
}

/// The learner's group in a random partition: a hash of (learner, partition) over the groups.
/// Open edX draws `random.choice(groups)` once and stores it as a user course tag
/// (`xblock.partition_service.partition_{id}`).
pub fn choose_group(learner_key: &str, partition_id: i64, groups: &[i64]) -> Option<i64> {
    if groups.is_empty() {
        return None;
    }
    let h = learner_hash(&["partition", learner_key, &partition_id.to_string()]);
    Some(groups[(h % groups.len() as u64) as usize])
}

/// The child of a `split_test` block the learner sees, if any.
pub fn split_test_child(course: &Course, block: usize, learner_key: &str) -> Option<usize> {
    let spec = SplitTestSpec::parse(course.blocks.get(block)?);
    let pid = spec.user_partition_id?;
    let groups = partition_groups(course, pid)?;
    let group = choose_group(learner_key, pid, &groups)?;
    spec.child_for_group(course, block, group)
}

// ---------------------------------------------------------------------------------------------
// conditional
// ---------------------------------------------------------------------------------------------

/// The property of the source blocks a `conditional` tests (Open edX's `conditions_map`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionAttr {
    /// A poll's `poll_answer`.
    PollAnswer,
    /// A problem's `is_submitted()`: submitted and not reset since.
    Submitted,
    /// A problem's `is_attempted()`: at least one attempt.
    Attempted,
    /// A problem's `is_correct()`: full points.
    Correct,
    /// A poll's `voted`.
    Voted,
    /// Not a condition Open edX knows: never satisfied.
    Other(String),
}

impl ConditionAttr {
    /// The XML attribute names in Open edX's `conditions_map` order.
    pub const NAMES: [&'static str; 5] =
        ["poll_answer", "submitted", "attempted", "correct", "voted"];

    pub fn parse(name: &str) -> Self {
        match name {
            "poll_answer" => ConditionAttr::PollAnswer,
            "submitted" => ConditionAttr::Submitted,
            "attempted" => ConditionAttr::Attempted,
            "correct" => ConditionAttr::Correct,
            "voted" => ConditionAttr::Voted,
            other => ConditionAttr::Other(other.to_string()),
        }
    }
}

/// What a conditional may ask of a source block, for one learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    Problem {
        submitted: bool,
        attempted: bool,
        correct: bool,
    },
    Poll {
        voted: bool,
        /// The learner's answer; empty before voting (the field's default).
        answer: String,
    },
    /// A block with none of these properties (or the learner cannot see it): the condition
    /// fails, as in Open edX.
    Other,
}

impl SourceState {
    /// The property as Python's `str()` shows it (`True`/`False`, or the poll answer); `None`
    /// when the block lacks it.
    pub fn value(&self, attr: &ConditionAttr) -> Option<String> {
        let b = |v: bool| Some(if v { "True" } else { "False" }.to_string());
        match (self, attr) {
            (SourceState::Problem { submitted, .. }, ConditionAttr::Submitted) => b(*submitted),
            (SourceState::Problem { attempted, .. }, ConditionAttr::Attempted) => b(*attempted),
            (SourceState::Problem { correct, .. }, ConditionAttr::Correct) => b(*correct),
            (SourceState::Poll { voted, .. }, ConditionAttr::Voted) => b(*voted),
            (SourceState::Poll { answer, .. }, ConditionAttr::PollAnswer) => Some(answer.clone()),
            _ => None,
        }
    }
}

/// A `conditional` block's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionalSpec {
    /// Source references (`sources="a;b"`), trimmed, empty ones dropped.
    pub sources: Vec<String>,
    pub attr: ConditionAttr,
    /// The required value, compared with the source's `str()` value exactly (`"True"`).
    pub value: String,
    /// Shown when the condition fails; may contain `{link}` (links to the sources). Empty =
    /// show nothing.
    pub message: String,
    /// References from `<show sources="..."/>`: further blocks shown with the children.
    pub show: Vec<String>,
}

fn split_sources(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl ConditionalSpec {
    /// Reads the block as Open edX's `definition_from_xml`: the last of the `conditions_map`
    /// attributes present (`attempted="True"`, `poll_answer="blue"`, ...) is the condition;
    /// otherwise `conditional_attr`/`conditional_value` fields, defaulting to `correct`/`True`.
    pub fn parse(block: &Block) -> Self {
        let mut attr = None;
        for name in ConditionAttr::NAMES {
            if let Some(v) = block.field(name) {
                attr = Some((ConditionAttr::parse(name), v));
            }
        }
        let (attr, value) = attr.unwrap_or_else(|| {
            (
                ConditionAttr::parse(
                    &block
                        .field("conditional_attr")
                        .unwrap_or_else(|| "correct".into()),
                ),
                block
                    .field("conditional_value")
                    .unwrap_or_else(|| "True".into()),
            )
        });
        let mut sources = block
            .field("sources")
            .map(|s| split_sources(&s))
            .unwrap_or_default();
        if sources.is_empty() {
            if let Some(list) = block
                .field("sources_list")
                .and_then(|v| serde_json::from_str::<Vec<String>>(&v).ok())
            {
                sources = list.into_iter().filter(|s| !s.trim().is_empty()).collect();
            }
        }
        let mut show = Vec::new();
        for xml in &block.extra_xml {
            if let Ok(doc) = roxmltree::Document::parse(xml) {
                let el = doc.root_element();
                if el.has_tag_name("show") {
                    show.extend(split_sources(el.attribute("sources").unwrap_or("")));
                }
            }
        }
        ConditionalSpec {
            sources,
            attr,
            value,
            message: block
                .field("message")
                .or_else(|| block.field("conditional_message"))
                .unwrap_or_default(),
            show,
        }
    }

    /// `is_condition_satisfied()`. `lookup` gives a source's state for the learner, or `None`
    /// when the reference names no block in the course. As in Open edX, unknown sources are
    /// skipped; the condition holds when at least one source was found and every found source
    /// has the property with the required value. An empty required value never holds.
    pub fn evaluate(&self, lookup: impl Fn(&str) -> Option<SourceState>) -> bool {
        if self.value.is_empty() {
            return false;
        }
        let mut found = 0;
        for s in &self.sources {
            let Some(state) = lookup(s) else { continue };
            found += 1;
            if state.value(&self.attr).as_deref() != Some(self.value.as_str()) {
                return false;
            }
        }
        found > 0
    }
}

// ---------------------------------------------------------------------------------------------
// Visible children
// ---------------------------------------------------------------------------------------------

/// Who is looking, for [`visible_children`].
pub struct Viewer<'a> {
    /// A stable per-learner key (user id or anonymous id) for picks and groups.
    pub learner_key: &'a str,
    /// Staff also see `visible_to_staff_only` blocks.
    pub is_staff: bool,
    /// Source states for `conditional` blocks (see [`ConditionalSpec::evaluate`]).
    pub source_state: &'a dyn Fn(&str) -> Option<SourceState>,
}

/// The children of any container a learner sees, in course order: the library picks of a
/// `library_content`/`itembank`, the group's child of a `split_test`, the children (and `<show>`
/// blocks) of a satisfied `conditional` and nothing of an unsatisfied one, every child of
/// anything else; `visible_to_staff_only` children only for staff. Release dates and content
/// groups (`group_access`) are the caller's to apply.
pub fn visible_children(course: &Course, block: usize, viewer: &Viewer) -> Vec<usize> {
    let Some(b) = course.blocks.get(block) else {
        return vec![];
    };
    let mut out: Vec<usize> = match b.block_type.as_str() {
        "library_content" | "itembank" => library_children(course, block, viewer.learner_key),
        "split_test" => split_test_child(course, block, viewer.learner_key)
            .into_iter()
            .collect(),
        "conditional" => {
            let spec = ConditionalSpec::parse(b);
            if spec.evaluate(viewer.source_state) {
                let mut v = b.children.clone();
                for r in &spec.show {
                    if let Some(i) = course.resolve_reference(r) {
                        if !v.contains(&i) {
                            v.push(i);
                        }
                    }
                }
                v
            } else {
                vec![]
            }
        }
        _ => b.children.clone(),
    };
    if !viewer.is_staff {
        out.retain(|&c| {
            !course.blocks[c]
                .field("visible_to_staff_only")
                .is_some_and(|v| parse_bool(&v))
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_selection_is_stable_and_in_course_order() {
        let ids = ["p1", "p2", "p3", "p4", "p5", "p6"];
        let a = select_children(&ids, 2, "learner-1", "lib");
        assert_eq!(a.len(), 2);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(a, select_children(&ids, 2, "learner-1", "lib"));
        assert_eq!(select_children(&ids, -1, "x", "lib"), [0, 1, 2, 3, 4, 5]);
        assert_eq!(select_children(&ids, 99, "x", "lib"), [0, 1, 2, 3, 4, 5]);
        assert!(select_children(&ids, 0, "x", "lib").is_empty());
        assert!(select_children(&[], 3, "x", "lib").is_empty());
        // Learners spread over the children.
        let mut counts = [0; 6];
        for l in 0..600 {
            for i in select_children(&ids, 1, &format!("u{l}"), "lib") {
                counts[i] += 1;
            }
        }
        assert!(counts.iter().all(|&c| c > 50), "{counts:?}");
        // A stored pick survives; an invalid one is replaced.
        let r = reconcile_selection(&["p6", "gone"], &ids, 2, "learner-1", "lib");
        assert!(r.contains(&5) && r.len() == 2);
        let r = reconcile_selection(&["p1", "p2", "p3"], &ids, 1, "learner-1", "lib");
        assert_eq!(r.len(), 1);
        assert!(r[0] <= 2);
    }

    #[test]
    fn groups_spread_and_stay() {
        let g = [455306730, 1762115162];
        let first = choose_group("u1", 1640392374, &g);
        assert_eq!(first, choose_group("u1", 1640392374, &g));
        let a = (0..200)
            .filter(|i| choose_group(&format!("u{i}"), 1, &g) == Some(g[0]))
            .count();
        assert!((60..140).contains(&a), "{a}");
        assert_eq!(choose_group("u", 1, &[]), None);
    }

    #[test]
    fn conditions_as_open_edx() {
        let spec = ConditionalSpec {
            sources: vec!["a".into(), "b".into(), "missing".into()],
            attr: ConditionAttr::Attempted,
            value: "True".into(),
            message: String::new(),
            show: vec![],
        };
        let problem = |attempted| SourceState::Problem {
            submitted: attempted,
            attempted,
            correct: false,
        };
        assert!(spec.evaluate(|s| (s != "missing").then(|| problem(true))));
        assert!(!spec.evaluate(|s| match s {
            "a" => Some(problem(true)),
            "b" => Some(problem(false)),
            _ => None,
        }));
        assert!(!spec.evaluate(|_| None), "no source found");
        assert!(
            !spec.evaluate(|_| Some(SourceState::Other)),
            "no such property"
        );
        let poll = ConditionalSpec {
            attr: ConditionAttr::PollAnswer,
            value: "blue".into(),
            sources: vec!["p".into()],
            ..spec.clone()
        };
        let answered = |a: &str| SourceState::Poll {
            voted: true,
            answer: a.into(),
        };
        assert!(poll.evaluate(|_| Some(answered("blue"))));
        assert!(!poll.evaluate(|_| Some(answered("Blue"))));
        let empty = ConditionalSpec {
            value: String::new(),
            ..spec.clone()
        };
        assert!(!empty.evaluate(|_| Some(problem(true))));
        let other = ConditionalSpec {
            attr: ConditionAttr::Other("done".into()),
            ..spec
        };
        assert!(!other.evaluate(|_| Some(problem(true))));
    }
}
