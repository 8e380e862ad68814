//! Courseware logic against the real exports in `../shared/olx/`.

use std::collections::BTreeMap;

use xblock_compat::courseware::grades::CourseOutlineGrades;
use xblock_compat::courseware::html::{rewrite_links, FnResolver, LinkContext};
use xblock_compat::courseware::policy::{effective_settings, ShowAnswer};
use xblock_compat::courseware::structure::{
    library_children, split_test_child, visible_children, ConditionAttr, ConditionalSpec,
    SourceState, Viewer,
};
use xblock_compat::courseware::video::{
    transcript_asset_candidates, transcript_to_vtt, TranscriptFormat, VideoInfo,
};
use xblock_compat::grading::GradingPolicy;
use xblock_compat::olx::{self, Course};

use crate::olx::{shared, unpack};

fn load(name: &str) -> (tempfile::TempDir, Course) {
    let dir = unpack(&shared(&format!("{name}.tar.gz")));
    let c = olx::read_dir(dir.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
    (dir, c)
}

fn videos(c: &Course) -> Vec<(String, VideoInfo)> {
    c.walk()
        .into_iter()
        .filter(|&i| c.blocks[i].block_type == "video")
        .map(|i| (c.blocks[i].id.clone(), VideoInfo::from_block(&c.blocks[i])))
        .collect()
}

/// The first candidate that exists among the course's static files, converted to WebVTT.
fn first_transcript(c: &Course, v: &VideoInfo, lang: &str) -> Option<(String, String)> {
    for path in transcript_asset_candidates(v, lang) {
        if let Some(f) = c.statics.iter().find(|f| f.path == path) {
            let bytes = std::fs::read(f.disk_path.as_ref().unwrap()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let vtt = transcript_to_vtt(&text, TranscriptFormat::from_path(&path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            return Some((path, vtt));
        }
    }
    None
}

#[test]
fn demo_videos_and_their_transcripts() {
    let (_d, c) = load("demo");
    let vs = videos(&c);
    assert_eq!(vs.len(), 11);
    let jelly = &vs
        .iter()
        .find(|(_, v)| v.display_name == "Jellyfish Video")
        .unwrap()
        .1;
    assert_eq!(jelly.youtube_id, None);
    assert!(!jelly.only_youtube);
    assert_eq!(jelly.sources[0].mime, Some("video/mp4"));
    assert_eq!(vs.iter().filter(|(_, v)| v.only_youtube).count(), 10);
    // Every declared transcript language has a file, and it converts.
    let mut found = 0;
    for (id, v) in &vs {
        for lang in v.transcripts.keys() {
            let (path, vtt) =
                first_transcript(&c, v, lang).unwrap_or_else(|| panic!("{id} {lang}"));
            assert!(vtt.starts_with("WEBVTT\n\n00:"), "{path}");
            assert!(vtt.matches(" --> ").count() > 10, "{path}");
            found += 1;
        }
    }
    assert_eq!(found, 6);
}

#[test]
fn legacy_sjson_and_language_transcripts() {
    let (_d, c) = load("supported_components");
    let vs = videos(&c);
    let choc = &vs
        .iter()
        .find(|(_, v)| v.display_name == "Chocolate Rain")
        .unwrap()
        .1;
    assert_eq!(choc.sources.len(), 2);
    assert_eq!(choc.sources[0].mime, Some("video/ogg"));
    // `sub` is an asset key; its SJSON file exists under that name.
    let (path, vtt) = first_transcript(&c, choc, "en").unwrap();
    assert_eq!(
        path,
        "subs_asset-v1:edX+TC102+2016+type@asset+block@chocolate_rain.srt.sjson"
    );
    assert!(vtt.contains(" --> "));
    for lang in ["fr", "de", "es"] {
        let (path, _) = first_transcript(&c, choc, lang).unwrap();
        assert_eq!(path, format!("chocolate_rain_{lang}.srt"));
    }
    assert_eq!(choc.transcript_languages(), ["de", "en", "es", "fr"]);
    let yt = &vs
        .iter()
        .find(|(_, v)| v.youtube_id.as_deref() == Some("YiiHNiSfmKI"))
        .unwrap()
        .1;
    assert_eq!(
        first_transcript(&c, yt, "en").unwrap().0,
        "subs_YiiHNiSfmKI.srt.sjson"
    );

    let (_d2, t) = load("demo_test_course");
    let multi = videos(&t)
        .into_iter()
        .find(|(_, v)| v.transcripts.len() == 20)
        .unwrap()
        .1;
    let (path, vtt) = first_transcript(&t, &multi, "fr").unwrap();
    assert_eq!(path, "edX \u{2013}\u{a0}How It Works [French].srt");
    assert!(vtt.contains(" --> "));
    // English comes from the sub's SJSON.
    assert_eq!(
        first_transcript(&t, &multi, "en").unwrap().0,
        "subs_3_yD_cEKoCk.srt.sjson"
    );

    let (_d3, k) = load("kitchen_sink");
    let vtt_file = k.statics.iter().find(|f| f.path.ends_with(".vtt")).unwrap();
    let text = std::fs::read_to_string(vtt_file.disk_path.as_ref().unwrap()).unwrap();
    let out = transcript_to_vtt(&text, TranscriptFormat::Vtt).unwrap();
    assert!(out.starts_with("WEBVTT\n\n00:00:06.050 --> 00:00:08.630\n"));
}

#[test]
fn demo_links_rewrite() {
    let (_d, c) = load("demo");
    let key = c.key();
    let r = FnResolver {
        static_url: |p: &str| {
            c.resolve_static(p)
                .map(|f| format!("/assets/{key}/{}", f.path))
        },
        course_url: |rest: &str| format!("/courses/{key}/{rest}"),
        jump_to_id: |id: &str| {
            c.resolve_reference(&format!("/jump_to_id/{id}"))
                .map(|i| format!("/courses/{key}/jump/{}", c.blocks[i].id))
        },
    };
    let ctx = LinkContext::new(&r);
    let mut rewritten = 0;
    for i in c.walk() {
        let b = &c.blocks[i];
        for text in [b.body.as_deref(), Some(b.xml.as_str())]
            .into_iter()
            .flatten()
        {
            let out = rewrite_links(text, &ctx);
            if out != text {
                rewritten += 1;
                assert!(!out.contains("\"/jump_to_id/"), "{}", b.id);
            }
        }
    }
    assert!(rewritten > 50, "{rewritten}");
}

#[test]
fn library_split_test_and_conditionals() {
    let (_d, demo) = load("demo");
    let lib = demo
        .walk()
        .into_iter()
        .find(|&i| demo.blocks[i].block_type == "library_content")
        .unwrap();
    for learner in ["1", "2", "3"] {
        let picks = library_children(&demo, lib, learner);
        assert_eq!(picks.len(), 2);
        assert_eq!(picks, library_children(&demo, lib, learner));
    }

    let (_d2, t) = load("demo_test_course");
    let split = t
        .walk()
        .into_iter()
        .find(|&i| t.blocks[i].block_type == "split_test")
        .unwrap();
    let mut shown = BTreeMap::new();
    for l in 0..40 {
        let child =
            split_test_child(&t, split, &format!("u{l}")).expect("every learner has a group");
        assert!(t.blocks[split].children.contains(&child));
        *shown.entry(child).or_insert(0) += 1;
    }
    assert_eq!(shown.len(), 2, "both groups get learners");

    let conds: Vec<usize> = t
        .walk()
        .into_iter()
        .filter(|&i| t.blocks[i].block_type == "conditional")
        .collect();
    assert_eq!(conds.len(), 10);
    let mut attrs = BTreeMap::new();
    for &i in &conds {
        let spec = ConditionalSpec::parse(&t.blocks[i]);
        assert!(!spec.sources.is_empty());
        assert!(spec.message.contains("{link}"));
        for s in &spec.sources {
            // The export lacks every block its conditionals name (they were deleted in Studio).
            assert!(t.resolve_reference(s).is_none(), "{s}");
        }
        *attrs
            .entry(format!("{:?}={}", spec.attr, spec.value))
            .or_insert(0) += 1;
    }
    assert_eq!(attrs.get("Attempted=True"), Some(&2));
    assert_eq!(attrs.get("PollAnswer=blue"), Some(&1));
    // With the sources missing, Open edX shows every conditional's message.
    let in_course =
        |r: &str| -> Option<SourceState> { t.resolve_reference(r).map(|_| SourceState::Other) };
    let viewer = Viewer {
        learner_key: "u1",
        is_staff: false,
        source_state: &in_course,
    };
    for &i in &conds {
        assert!(visible_children(&t, i, &viewer).is_empty());
    }
    // Were the sources there and unattempted, "attempted=False" and "correct=False" would
    // open, the rest stay shut.
    let unattempted = |r: &str| -> Option<SourceState> {
        Some(if r.contains("/poll/") {
            SourceState::Poll {
                voted: false,
                answer: String::new(),
            }
        } else {
            SourceState::Problem {
                submitted: false,
                attempted: false,
                correct: false,
            }
        })
    };
    let viewer = Viewer {
        learner_key: "u1",
        is_staff: false,
        source_state: &unattempted,
    };
    let mut open = 0;
    for &i in &conds {
        let spec = ConditionalSpec::parse(&t.blocks[i]);
        let shown = visible_children(&t, i, &viewer);
        let want = spec.attr != ConditionAttr::PollAnswer && spec.value == "False";
        assert_eq!(!shown.is_empty(), want, "{:?}={}", spec.attr, spec.value);
        open += usize::from(want);
    }
    assert_eq!(open, 4);
}

#[test]
fn inherited_problem_settings() {
    let (_d, m) = load("mitx_grading_library");
    let p = m
        .walk()
        .into_iter()
        .find(|&i| m.blocks[i].block_type == "problem")
        .unwrap();
    let s = effective_settings(&m, p);
    assert_eq!(s.showanswer, ShowAnswer::Always, "course-wide showanswer");
    assert!(s.course_end.is_some());
    let (_d2, t) = load("demo_test_course");
    let p = t
        .walk()
        .into_iter()
        .find(|&i| t.blocks[i].block_type == "problem")
        .unwrap();
    let s = effective_settings(&t, p);
    assert_eq!(
        s.graceperiod.map(|g| g.num_seconds()),
        Some(86_400),
        "\"1 days\""
    );
}

/// A CAPA problem's maximum, roughly: one point per response element (enough for a test).
fn responses(c: &Course, i: usize) -> Option<f64> {
    let b = &c.blocks[i];
    if b.block_type != "problem" {
        return None;
    }
    let doc = roxmltree::Document::parse(&b.xml).ok()?;
    let n = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name().ends_with("response"))
        .count();
    Some(n as f64)
}

#[test]
fn demo_course_grade_by_hand() {
    let (_d, c) = load("demo");
    let policy = GradingPolicy::from_json_str(c.grading_policy.as_deref().unwrap()).unwrap();
    let no_state = |_: &str| None;
    let viewer = Viewer {
        learner_key: "learner-42",
        is_staff: false,
        source_state: &no_state,
    };
    let children = |i: usize| visible_children(&c, i, &viewer);
    let format_of = |i: usize| -> Option<String> {
        let mut at = Some(i);
        while let Some(b) = at {
            if c.blocks[b].block_type == "sequential" {
                return c.blocks[b].format();
            }
            at = c.blocks[b].parent;
        }
        None
    };
    // Full marks in "Basic", half marks in "Intermediate", nothing in "Advanced".
    let score = |i: usize| -> Option<(f64, f64)> {
        let max = responses(&c, i)?;
        match format_of(i).as_deref() {
            Some("Basic Assessment Tools") => Some((max, max)),
            Some("Intermediate Assessment Tools") => Some((max / 2.0, max)),
            _ => None,
        }
    };
    let max = |i: usize| responses(&c, i);
    let g = CourseOutlineGrades::compute(&c, &policy, &score, &max, &children);
    let graded: Vec<_> = g.subsections().filter(|s| s.graded).collect();
    assert_eq!(graded.len(), 3);
    for s in &graded {
        match s.format.as_deref() {
            Some("Basic Assessment Tools") => assert_eq!(s.percent_graded, 1.0),
            Some("Intermediate Assessment Tools") => assert_eq!(s.percent_graded, 0.5),
            _ => assert_eq!(s.percent_graded, 0.0),
        }
    }
    // 0.3 * 1 + 0.35 * 0.5 + 0.35 * 0 = 0.475 → round_away_from_zero(47.5 + 0.05) = 48%.
    assert!((g.course_grade.grader_percent - 0.475).abs() < 1e-9);
    assert_eq!(g.course_grade.percent, 0.48);
    assert!(!g.course_grade.passed);
    assert_eq!(g.assignment_types.len(), 3);
    assert!((g.assignment_types[1].contribution - 0.175).abs() < 1e-9);
}
