//! Drafts and publishing over small course trees (`olx::publish`).

use xblock_compat::olx::publish::{
    compact, diff, publish_all, publish_subtree, rebase, ChangeKind, PublishError,
};
use xblock_compat::olx::{self, Block, Course, FileData, FileSet, StaticFile};

/// Section s1 (subsection q1: units u1 [h1], u2 [h2]), section s2 (q2: u3 [h3]).
fn course() -> Course {
    let mut set = FileSet::new();
    let mut put = |p: &str, s: &str| set.insert(p, FileData::Bytes(s.as_bytes().to_vec()));
    put("course.xml", r#"<course url_name="r" org="O" course="C"/>"#);
    put(
        "course/r.xml",
        r#"<course display_name="Kurs">
  <chapter url_name="s1" display_name="Sekcja 1">
    <sequential url_name="q1" display_name="Podsekcja 1">
      <vertical url_name="u1" display_name="Jednostka 1"><html url_name="h1" filename="h1" display_name="Tekst 1"/></vertical>
      <vertical url_name="u2" display_name="Jednostka 2"><html url_name="h2" filename="h2"/></vertical>
    </sequential>
  </chapter>
  <chapter url_name="s2" display_name="Sekcja 2">
    <sequential url_name="q2">
      <vertical url_name="u3" display_name="Jednostka 3"><html url_name="h3" filename="h3"/></vertical>
    </sequential>
  </chapter>
</course>"#,
    );
    put("policies/r/policy.json", r#"{"course/r": {}}"#);
    put("policies/r/grading_policy.json", r#"{"GRADER": []}"#);
    for (n, t) in [("h1", "Jeden"), ("h2", "Dwa"), ("h3", "Trzy")] {
        put(&format!("html/{n}.html"), &format!("<p>{t}</p>"));
    }
    olx::read_files(set).unwrap()
}

fn at(c: &Course, t: &str, id: &str) -> usize {
    c.find(t, id).unwrap_or_else(|| panic!("{t}/{id} missing"))
}

fn body(c: &Course, id: &str) -> String {
    c.blocks[at(c, "html", id)].body.clone().unwrap()
}

fn set_body(c: &mut Course, id: &str, text: &str) {
    let i = at(c, "html", id);
    c.blocks[i].body = Some(text.to_string());
}

/// Child ids of a block, in order.
fn kids(c: &Course, t: &str, id: &str) -> Vec<String> {
    c.blocks[at(c, t, id)]
        .children
        .iter()
        .map(|&k| c.blocks[k].id.clone())
        .collect()
}

/// Detaches a block from its parent (as an editor deleting it).
fn remove(c: &mut Course, t: &str, id: &str) {
    let i = at(c, t, id);
    let p = c.blocks[i].parent.take().unwrap();
    c.blocks[p].children.retain(|&k| k != i);
}

fn add(c: &mut Course, parent: (&str, &str), pos: usize, t: &str, id: &str) -> usize {
    let p = at(c, parent.0, parent.1);
    let i = c.blocks.len();
    c.blocks.push(Block {
        block_type: t.to_string(),
        id: id.to_string(),
        parent: Some(p),
        children: vec![],
        attrs: vec![("display_name".into(), format!("Nowy {id}"))],
        policy: Default::default(),
        xml: format!("<{t}/>"),
        body: (t == "html").then(|| format!("<p>{id}</p>")),
        extra_xml: vec![],
        inline: false,
        draft: false,
        source: Default::default(),
    });
    c.blocks[p].children.insert(pos, i);
    i
}

fn move_to(c: &mut Course, t: &str, id: &str, parent: (&str, &str), pos: usize) {
    let i = at(c, t, id);
    remove(c, t, id);
    let p = at(c, parent.0, parent.1);
    c.blocks[i].parent = Some(p);
    c.blocks[p].children.insert(pos, i);
}

fn kinds(changes: &[xblock_compat::olx::publish::Change]) -> Vec<(ChangeKind, String)> {
    changes.iter().map(|c| (c.kind, c.id.clone())).collect()
}

#[test]
fn an_unchanged_draft_has_no_changes_and_publishes_to_the_same_course() {
    let published = course();
    let draft = published.clone();
    assert!(diff(&published, &draft).is_empty());
    let all = publish_all(&published, &draft);
    assert_eq!(all.round_trip_view(), published.round_trip_view());
    for (t, id) in [
        ("vertical", "u1"),
        ("chapter", "s2"),
        ("html", "h3"),
        ("course", "r"),
    ] {
        let one = publish_subtree(&published, &draft, (t, id)).unwrap();
        assert_eq!(
            one.round_trip_view(),
            published.round_trip_view(),
            "{t}/{id}"
        );
    }
}

#[test]
fn publishing_a_unit_takes_only_that_unit() {
    let published = course();
    let mut draft = published.clone();
    set_body(&mut draft, "h1", "<p>Jeden, poprawione</p>");
    set_body(&mut draft, "h3", "<p>Trzy, poprawione</p>");
    let changes = diff(&published, &draft);
    assert_eq!(
        kinds(&changes),
        [
            (ChangeKind::Changed, "h1".into()),
            (ChangeKind::Changed, "h3".into())
        ]
    );
    let c = &changes[0];
    assert_eq!(c.block_type, "html");
    assert_eq!(c.display_name.as_deref(), Some("Tekst 1"));
    assert_eq!(c.unit.as_ref().unwrap().id, "u1");
    assert_eq!(
        c.unit.as_ref().unwrap().display_name.as_deref(),
        Some("Jednostka 1")
    );
    assert_eq!(c.subsection.as_ref().unwrap().id, "q1");
    assert_eq!(c.section.as_ref().unwrap().id, "s1");

    let next = publish_subtree(&published, &draft, ("vertical", "u1")).unwrap();
    assert_eq!(body(&next, "h1"), "<p>Jeden, poprawione</p>");
    assert_eq!(body(&next, "h3"), "<p>Trzy</p>");
    assert_eq!(
        kinds(&diff(&next, &draft)),
        [(ChangeKind::Changed, "h3".into())]
    );
    // The published course is untouched; the rest of the tree keeps its order.
    assert_eq!(body(&published, "h1"), "<p>Jeden</p>");
    assert_eq!(kids(&next, "sequential", "q1"), ["u1", "u2"]);
    assert_eq!(next.block_counts(), published.block_counts());
    // Everything published: no changes left, and the same tree as the draft.
    let all = publish_all(&next, &draft);
    assert!(diff(&all, &draft).is_empty());
    assert_eq!(all.round_trip_view(), draft.round_trip_view());
}

#[test]
fn a_new_unit_goes_to_its_draft_place() {
    let published = course();
    let mut draft = published.clone();
    let u4 = add(&mut draft, ("sequential", "q1"), 1, "vertical", "u4");
    let _ = u4;
    add(&mut draft, ("vertical", "u4"), 0, "html", "h4");
    assert_eq!(
        kinds(&diff(&published, &draft)),
        [
            (ChangeKind::Added, "u4".into()),
            (ChangeKind::Added, "h4".into())
        ]
    );
    let next = publish_subtree(&published, &draft, ("vertical", "u4")).unwrap();
    assert_eq!(kids(&next, "sequential", "q1"), ["u1", "u4", "u2"]);
    assert_eq!(kids(&next, "vertical", "u4"), ["h4"]);
    assert_eq!(body(&next, "h4"), "<p>h4</p>");
    assert!(diff(&next, &draft).is_empty());
    // Its parent links are right in the new arena.
    let i = at(&next, "html", "h4");
    assert_eq!(next.blocks[next.blocks[i].parent.unwrap()].id, "u4");
}

#[test]
fn a_unit_in_an_unpublished_section_needs_the_section_first() {
    let published = course();
    let mut draft = published.clone();
    add(&mut draft, ("course", "r"), 2, "chapter", "s3");
    add(&mut draft, ("chapter", "s3"), 0, "sequential", "q3");
    add(&mut draft, ("sequential", "q3"), 0, "vertical", "u5");
    let err = publish_subtree(&published, &draft, ("vertical", "u5")).unwrap_err();
    assert_eq!(
        err,
        PublishError::ParentNotPublished {
            block_type: "vertical".into(),
            id: "u5".into(),
            parent_type: "sequential".into(),
            parent_id: "q3".into()
        }
    );
    assert!(
        err.to_string().contains("publish sequential/q3 first"),
        "{err}"
    );
    let next = publish_subtree(&published, &draft, ("chapter", "s3")).unwrap();
    assert_eq!(kids(&next, "course", "r"), ["s1", "s2", "s3"]);
    assert_eq!(kids(&next, "sequential", "q3"), ["u5"]);
    assert!(diff(&next, &draft).is_empty());
    assert_eq!(
        publish_subtree(&published, &draft, ("vertical", "nie-ma")).unwrap_err(),
        PublishError::NotFound {
            block_type: "vertical".into(),
            id: "nie-ma".into()
        }
    );
}

#[test]
fn deleted_blocks_disappear_when_published() {
    let published = course();
    let mut draft = published.clone();
    remove(&mut draft, "html", "h2");
    remove(&mut draft, "vertical", "u3");
    let changes = diff(&published, &draft);
    assert_eq!(
        kinds(&changes),
        [
            (ChangeKind::Removed, "h2".into()),
            (ChangeKind::Removed, "u3".into()),
            (ChangeKind::Removed, "h3".into())
        ]
    );
    assert_eq!(changes[0].unit.as_ref().unwrap().id, "u2");
    assert_eq!(changes[1].section.as_ref().unwrap().id, "s2");
    let next = publish_subtree(&published, &draft, ("vertical", "u2")).unwrap();
    assert!(kids(&next, "vertical", "u2").is_empty());
    assert!(next.find("html", "h2").is_none());
    assert!(next.find("vertical", "u3").is_some());
    // A unit deleted in the draft: publishing it removes it.
    let next = publish_subtree(&next, &draft, ("vertical", "u3")).unwrap();
    assert!(next.find("vertical", "u3").is_none());
    assert!(next.find("html", "h3").is_none());
    assert!(diff(&next, &draft).is_empty());
}

#[test]
fn publishing_a_section_carries_its_structure() {
    let published = course();
    let mut draft = published.clone();
    // Reorder the units of q1, delete u1's text, move u3 from section 2 into q1.
    move_to(&mut draft, "vertical", "u2", ("sequential", "q1"), 0);
    move_to(&mut draft, "vertical", "u3", ("sequential", "q1"), 1);
    remove(&mut draft, "html", "h1");
    let changes = diff(&published, &draft);
    let moved: Vec<_> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Moved)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(moved, ["u3", "u1"]);
    assert!(changes
        .iter()
        .any(|c| c.kind == ChangeKind::Removed && c.id == "h1"));
    // Only u3 leaves section 2: nothing else there is reported.
    assert!(!changes.iter().any(|c| c.id == "q2" || c.id == "h3"));

    let next = publish_subtree(&published, &draft, ("chapter", "s1")).unwrap();
    assert_eq!(kids(&next, "sequential", "q1"), ["u2", "u3", "u1"]);
    assert!(kids(&next, "sequential", "q2").is_empty());
    assert!(next.find("html", "h1").is_none());
    // No block is in two places.
    let mut ids: Vec<_> = next
        .walk()
        .into_iter()
        .map(|i| (&next.blocks[i].block_type, &next.blocks[i].id))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert!(diff(&next, &draft).is_empty());
    // The detached h1 stays in the draft's arena until it is compacted.
    assert_ne!(next.round_trip_view(), draft.round_trip_view());
    assert_eq!(next.round_trip_view(), compact(&draft).round_trip_view());
}

#[test]
fn attribute_and_policy_changes_are_changes() {
    let published = course();
    let mut draft = published.clone();
    let q = at(&draft, "sequential", "q2");
    draft.blocks[q]
        .policy
        .insert("graded".into(), serde_json::json!(true));
    let u = at(&draft, "vertical", "u2");
    draft.blocks[u].attrs[0].1 = "Jednostka druga".into();
    let changes = diff(&published, &draft);
    assert_eq!(
        kinds(&changes),
        [
            (ChangeKind::Changed, "u2".into()),
            (ChangeKind::Changed, "q2".into())
        ]
    );
    assert_eq!(changes[0].display_name.as_deref(), Some("Jednostka druga"));
    assert!(changes[0].unit.is_none());
    let next = publish_subtree(&published, &draft, ("sequential", "q2")).unwrap();
    assert!(next.blocks[at(&next, "sequential", "q2")].graded());
    assert_eq!(
        kinds(&diff(&next, &draft)),
        [(ChangeKind::Changed, "u2".into())]
    );
}

#[test]
fn course_level_data_comes_from_the_published_course_and_files_from_both() {
    let published = course();
    let mut draft = published.clone();
    let file = |p: &str| StaticFile {
        path: p.into(),
        size: 1,
        sha256: "a".repeat(64),
        disk_path: None,
    };
    draft.statics.push(file("tylko-w-szkicu.png"));
    draft.grading_policy = Some("{}".into());
    set_body(&mut draft, "h1", "<img src=\"/static/tylko-w-szkicu.png\">");
    let next = publish_subtree(&published, &draft, ("vertical", "u1")).unwrap();
    assert_eq!(next.grading_policy, published.grading_policy);
    assert_eq!(next.statics, vec![file("tylko-w-szkicu.png")]);
}

#[test]
fn rebase_applies_settings_to_the_draft_and_keeps_draft_edits() {
    let before = course();
    let mut draft = before.clone();
    set_body(&mut draft, "h1", "<p>Szkic</p>");
    let d2 = at(&draft, "vertical", "u2");
    draft.blocks[d2].attrs[0].1 = "Szkic jednostki".into();
    // A non-drafted change to the published course: grading, a start date, a file, a setting.
    let mut after = before.clone();
    after.grading_policy = Some(r#"{"GRADER": [{"type": "Egzamin"}]}"#.into());
    let s1 = at(&after, "chapter", "s1");
    after.blocks[s1]
        .attrs
        .push(("start".into(), "2027-01-01T00:00:00Z".into()));
    let q2 = at(&after, "sequential", "q2");
    after.blocks[q2]
        .policy
        .insert("format".into(), serde_json::json!("Egzamin"));
    after.statics.push(StaticFile {
        path: "a.png".into(),
        size: 1,
        sha256: "b".repeat(64),
        disk_path: None,
    });
    let root = after.root;
    after.blocks[root].attrs[0].1 = "Nowa nazwa".into();

    assert!(rebase(&before, &after, &mut draft));
    assert_eq!(draft.grading_policy, after.grading_policy);
    assert_eq!(draft.statics, after.statics);
    assert_eq!(draft.title(), "Nowa nazwa");
    assert_eq!(
        draft.blocks[at(&draft, "chapter", "s1")].attr("start"),
        Some("2027-01-01T00:00:00Z")
    );
    assert_eq!(
        draft.blocks[at(&draft, "sequential", "q2")]
            .format()
            .as_deref(),
        Some("Egzamin")
    );
    assert_eq!(body(&draft, "h1"), "<p>Szkic</p>");
    // The unpublished changes are still only the draft's own.
    assert_eq!(
        kinds(&diff(&after, &draft)),
        [
            (ChangeKind::Changed, "h1".into()),
            (ChangeKind::Changed, "u2".into())
        ]
    );
    // Nothing to do a second time.
    assert!(!rebase(&before, &after, &mut draft.clone()));
    let mut again = draft.clone();
    assert!(!rebase(&after, &after, &mut again));
}

#[test]
fn olx_drafts_stay_beside_the_tree() {
    let mut set = FileSet::new();
    let mut put = |p: &str, s: &str| set.insert(p, FileData::Bytes(s.as_bytes().to_vec()));
    put("course.xml", r#"<course url_name="r" org="O" course="C"/>"#);
    put(
        "course/r.xml",
        r#"<course><chapter url_name="s1"><sequential url_name="q1"><vertical url_name="u1"/></sequential></chapter></course>"#,
    );
    put(
        "drafts/vertical/u9.xml",
        r#"<vertical parent_url="i4x://O/C/sequential/q1" index_in_children_list="1"/>"#,
    );
    let published = olx::read_files(set).unwrap();
    assert_eq!(published.drafts().count(), 1);
    let mut draft = published.clone();
    add(&mut draft, ("sequential", "q1"), 1, "vertical", "u2");
    let next = publish_subtree(&published, &draft, ("vertical", "u2")).unwrap();
    assert_eq!(next.drafts().count(), 1);
    assert_eq!(kids(&next, "sequential", "q1"), ["u1", "u2"]);
}
