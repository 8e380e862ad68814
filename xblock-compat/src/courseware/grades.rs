//! The course outline with grades, as Open edX's progress page computes it
//! (`lms/djangoapps/grades/`: `SubsectionGradeFactory`, `CourseGrade`; CAPA-SPEC §6):
//!
//! - a subsection (sequential) scores every scorable block below it that the learner sees;
//! - a problem's score is weighted by its `weight`; it is graded unless it sets `graded="false"`
//!   itself, and never when nothing is possible; an unattempted problem earns 0 of its maximum;
//! - graded subsections with something possible go on the gradesheet under their `format`;
//! - the grading policy turns the gradesheet into the course grade ([`crate::grading::grade`]).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::policy::{inherited_field, parse_date};
use super::{parse_bool, parse_float};
use crate::grading::{
    aggregate_scores, compute_percent, AggregatedScore, CourseGrade, Gradesheet, GradingPolicy,
    ProblemScore, SubsectionScore,
};
use crate::olx::Course;

/// One scored block of a subsection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredBlock {
    pub block: usize,
    pub score: ProblemScore,
    /// The learner has a score for it (else it counts 0 of its maximum).
    pub attempted: bool,
}

/// A subsection (sequential) with its scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubsectionGrade {
    pub block: usize,
    pub display_name: String,
    /// The assignment type (`format`), e.g. "Homework".
    pub format: Option<String>,
    pub graded: bool,
    /// The subsection's due date (its own or inherited from the chapter or course).
    pub due: Option<DateTime<Utc>>,
    /// Sums over graded problems (what the grader uses).
    pub graded_total: AggregatedScore,
    /// Sums over all problems.
    pub all_total: AggregatedScore,
    /// `numpy.around(graded earned / graded possible, 2)`, 0 if nothing possible.
    pub percent_graded: f64,
    pub problems: Vec<ScoredBlock>,
    /// Any problem in it has a score.
    pub attempted: bool,
}

/// A chapter (section) and its subsections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterGrade {
    pub block: usize,
    pub display_name: String,
    pub subsections: Vec<SubsectionGrade>,
}

/// One assignment type of the grading policy, for a progress chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssignmentTypeGrade {
    pub assignment_type: String,
    pub short_label: String,
    /// The type's weight in the course grade (a fraction).
    pub weight: f64,
    /// The type's average after padding to `min_count` and dropping the lowest `drop_count`.
    pub average: f64,
    /// `average * weight`: the type's share of the course percent.
    pub contribution: f64,
    /// Graded subsections of this type on the gradesheet.
    pub count: usize,
    pub min_count: i64,
    pub drop_count: i64,
}

/// The whole outline with grades and the course grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseOutlineGrades {
    pub chapters: Vec<ChapterGrade>,
    #[serde(skip)]
    pub gradesheet: Gradesheet,
    pub course_grade: CourseGrade,
    pub assignment_types: Vec<AssignmentTypeGrade>,
    /// Any problem in the course has a score. Open edX shows a learner who attempted nothing a
    /// zero grade (no letter, not passed) without consulting the cutoffs; callers that want
    /// that apply it when this is false.
    pub attempted: bool,
}

/// Everything below `block` the learner sees, depth first in course order (the block excluded).
fn descendants(
    block: usize,
    visible_children: &dyn Fn(usize) -> Vec<usize>,
    out: &mut Vec<usize>,
    budget: &mut usize,
) {
    for c in visible_children(block) {
        if *budget == 0 || out.contains(&c) {
            continue;
        }
        *budget -= 1;
        out.push(c);
        descendants(c, visible_children, out, budget);
    }
}

/// A block's own `graded` as the grades app reads it: explicitly set on the block, else true.
fn explicit_graded(course: &Course, block: usize) -> bool {
    course.blocks[block]
        .field("graded")
        .is_none_or(|v| parse_bool(&v))
}

impl CourseOutlineGrades {
    /// Computes the outline grades for one learner.
    ///
    /// - `score(block)`: the learner's raw `(earned, possible)` for a scored block, `None` if
    ///   never scored;
    /// - `max_score(block)`: the raw maximum of a scorable block (a CAPA problem's number of
    ///   responses, ...), `None` if the block is not scorable (html, video, containers);
    /// - `visible_children(block)`: the children the learner sees (see
    ///   [`super::structure::visible_children`]); `|i| course.blocks[i].children.clone()` for
    ///   everything.
    ///
    /// A block counts when `score` or `max_score` gives something; its weight is its `weight`
    /// field. Chapters are the course's visible children of type `chapter`; subsections their
    /// visible children.
    pub fn compute(
        course: &Course,
        policy: &GradingPolicy,
        score: &dyn Fn(usize) -> Option<(f64, f64)>,
        max_score: &dyn Fn(usize) -> Option<f64>,
        visible_children: &dyn Fn(usize) -> Vec<usize>,
    ) -> Self {
        let mut chapters = Vec::new();
        let mut sheet = Gradesheet::new();
        let mut attempted_any = false;
        let valid = |i: &usize| *i < course.blocks.len();
        for ch in visible_children(course.root).into_iter().filter(valid) {
            if course.blocks[ch].block_type != "chapter" {
                continue;
            }
            let mut subsections = Vec::new();
            for seq in visible_children(ch).into_iter().filter(valid) {
                let sub = subsection_grade(course, seq, score, max_score, visible_children);
                attempted_any |= sub.attempted;
                if let Some(format) = sub.format.as_deref().filter(|f| !f.is_empty()) {
                    sheet.insert_graded_subsection(
                        format,
                        sub.graded,
                        SubsectionScore::new(
                            sub.display_name.clone(),
                            sub.graded_total.earned,
                            sub.graded_total.possible,
                        ),
                    );
                }
                subsections.push(sub);
            }
            chapters.push(ChapterGrade {
                block: ch,
                display_name: display_name(course, ch),
                subsections,
            });
        }
        let course_grade = policy.grade(&sheet);
        let assignment_types = policy
            .grader
            .subgraders
            .iter()
            .map(|sg| {
                let g = &sg.grader;
                let average = g.grade(&sheet).percent;
                AssignmentTypeGrade {
                    assignment_type: g.assignment_type.clone(),
                    short_label: g.short_label().to_string(),
                    weight: sg.weight,
                    average,
                    contribution: average * sg.weight,
                    count: sheet.get(&g.assignment_type).len(),
                    min_count: g.min_count,
                    drop_count: g.drop_count,
                }
            })
            .collect();
        CourseOutlineGrades {
            chapters,
            gradesheet: sheet,
            course_grade,
            assignment_types,
            attempted: attempted_any,
        }
    }

    /// Every subsection, in course order.
    pub fn subsections(&self) -> impl Iterator<Item = &SubsectionGrade> {
        self.chapters.iter().flat_map(|c| c.subsections.iter())
    }
}

fn display_name(course: &Course, block: usize) -> String {
    let b = &course.blocks[block];
    b.display_name()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| b.block_type.clone())
}

/// One subsection's grade (Open edX's `SubsectionGrade`).
pub fn subsection_grade(
    course: &Course,
    seq: usize,
    score: &dyn Fn(usize) -> Option<(f64, f64)>,
    max_score: &dyn Fn(usize) -> Option<f64>,
    visible_children: &dyn Fn(usize) -> Vec<usize>,
) -> SubsectionGrade {
    let mut below = Vec::new();
    let mut budget = course.blocks.len();
    descendants(seq, visible_children, &mut below, &mut budget);
    let mut problems = Vec::new();
    for b in below.into_iter().filter(|&b| b < course.blocks.len()) {
        let (raw, attempted) = match score(b) {
            Some(s) => (s, true),
            None => match max_score(b) {
                Some(m) => ((0.0, m), false),
                None => continue,
            },
        };
        let weight = course.blocks[b]
            .field("weight")
            .and_then(|w| parse_float(&w));
        problems.push(ScoredBlock {
            block: b,
            score: ProblemScore::from_raw(raw.0, raw.1, weight, explicit_graded(course, b)),
            attempted,
        });
    }
    let scores: Vec<ProblemScore> = problems.iter().map(|p| p.score).collect();
    let (all_total, graded_total) = aggregate_scores(&scores);
    let block = &course.blocks[seq];
    let graded = inherited_field(course, seq, "graded")
        .flatten()
        .is_some_and(|v| parse_bool(&v));
    SubsectionGrade {
        block: seq,
        display_name: display_name(course, seq),
        format: block.format().filter(|f| !f.is_empty()),
        graded,
        due: inherited_field(course, seq, "due")
            .flatten()
            .and_then(|d| parse_date(&d)),
        percent_graded: compute_percent(graded_total.earned, graded_total.possible),
        graded_total,
        all_total,
        attempted: problems.iter().any(|p| p.attempted),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::olx::{Block, ContextKind};

    fn block(t: &str, id: &str, parent: Option<usize>, attrs: &[(&str, &str)]) -> Block {
        Block {
            block_type: t.into(),
            id: id.into(),
            parent,
            children: vec![],
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            policy: Default::default(),
            xml: String::new(),
            body: None,
            extra_xml: vec![],
            inline: false,
            draft: false,
            source: Default::default(),
        }
    }

    /// course → ch1 → hw1 (graded Homework: p1 weight 2, p2, p_ungraded) and hw2 (Homework:
    /// p3), ch1 → intro (ungraded: p4); ch2 → exam (graded "Final Exam", due from ch2: p5).
    fn course() -> Course {
        let mut blocks = vec![block("course", "run", None, &[])];
        let mut add = |t: &str, id: &str, parent: usize, attrs: &[(&str, &str)]| {
            let i = blocks.len();
            blocks.push(block(t, id, Some(parent), attrs));
            blocks[parent].children.push(i);
            i
        };
        let ch1 = add("chapter", "ch1", 0, &[("display_name", "Week 1")]);
        let hw1 = add(
            "sequential",
            "hw1",
            ch1,
            &[
                ("graded", "true"),
                ("format", "Homework"),
                ("display_name", "HW 1"),
            ],
        );
        let v = add("vertical", "v1", hw1, &[]);
        add("problem", "p1", v, &[("weight", "2")]);
        add("problem", "p2", v, &[]);
        add("problem", "p_ungraded", v, &[("graded", "false")]);
        add("html", "h1", v, &[]);
        let hw2 = add(
            "sequential",
            "hw2",
            ch1,
            &[("graded", "true"), ("format", "Homework")],
        );
        add("problem", "p3", hw2, &[]);
        let intro = add("sequential", "intro", ch1, &[]);
        add("problem", "p4", intro, &[]);
        let ch2 = add("chapter", "ch2", 0, &[("due", "2030-01-01T00:00:00Z")]);
        let exam = add(
            "sequential",
            "exam",
            ch2,
            &[("graded", "true"), ("format", "Final Exam")],
        );
        add("problem", "p5", exam, &[]);
        Course {
            kind: ContextKind::Course,
            org: "O".into(),
            number: "N".into(),
            run: "run".into(),
            top_attrs: vec![],
            root: 0,
            blocks,
            policy_extra: Default::default(),
            grading_policy: None,
            about: Default::default(),
            info: Default::default(),
            tabs: Default::default(),
            extra_files: Default::default(),
            statics: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn small_course_by_hand() {
        let c = course();
        let idx = |id: &str| c.blocks.iter().position(|b| b.id == id).unwrap();
        let policy = GradingPolicy::from_json_str(
            r#"{"GRADER": [
                {"type": "Homework", "min_count": 2, "drop_count": 0, "short_label": "HW", "weight": 0.5},
                {"type": "Final Exam", "min_count": 1, "drop_count": 0, "short_label": "Final", "weight": 0.5}],
              "GRADE_CUTOFFS": {"Pass": 0.5}}"#,
        )
        .unwrap();
        // p1: 1 of 2 raw → weighted 1 of 2; p2 unattempted (max 1); p_ungraded 1/1; p3 3/4;
        // p4 full; p5 unattempted (max 5).
        let scores = |i: usize| match c.blocks[i].id.as_str() {
            "p1" => Some((1.0, 2.0)),
            "p_ungraded" => Some((1.0, 1.0)),
            "p3" => Some((3.0, 4.0)),
            "p4" => Some((1.0, 1.0)),
            _ => None,
        };
        let max = |i: usize| match c.blocks[i].id.as_str() {
            "p5" => Some(5.0),
            id if id.starts_with('p') => Some(1.0),
            _ => None,
        };
        let g = CourseOutlineGrades::compute(&c, &policy, &scores, &max, &|i| {
            c.blocks[i].children.clone()
        });
        assert_eq!(g.chapters.len(), 2);
        let hw1 = &g.chapters[0].subsections[0];
        assert_eq!(hw1.display_name, "HW 1");
        assert_eq!(hw1.problems.len(), 3, "html is not scorable");
        // graded: p1 1/2 + p2 0/1 = 1/3; all: + p_ungraded 1/1 = 2/4.
        assert_eq!(
            (hw1.graded_total.earned, hw1.graded_total.possible),
            (1.0, 3.0)
        );
        assert_eq!((hw1.all_total.earned, hw1.all_total.possible), (2.0, 4.0));
        assert_eq!(hw1.percent_graded, 0.33);
        let hw2 = &g.chapters[0].subsections[1];
        assert_eq!(hw2.percent_graded, 0.75);
        let intro = &g.chapters[0].subsections[2];
        assert!(!intro.graded);
        let exam = &g.chapters[1].subsections[0];
        assert_eq!(
            exam.due,
            parse_date("2030-01-01T00:00:00Z"),
            "due inherited"
        );
        assert_eq!(exam.percent_graded, 0.0);
        // Homework (0.33 + 0.75) / 2 = 0.54 → 0.27; Final 0 → course 0.27.
        assert_eq!(g.course_grade.percent, 0.27);
        assert!(!g.course_grade.passed);
        assert_eq!(g.gradesheet.get("Homework").len(), 2);
        assert_eq!(g.gradesheet.get("Final Exam").len(), 1);
        let hw = &g.assignment_types[0];
        assert_eq!((hw.short_label.as_str(), hw.count), ("HW", 2));
        assert!((hw.average - 0.54).abs() < 1e-9 && (hw.contribution - 0.27).abs() < 1e-9);
        assert!(g.attempted);
        assert_eq!(g.subsections().count(), 4);
        let _ = idx;
    }

    #[test]
    fn weight_zero_is_not_graded_and_nothing_attempted() {
        let mut c = course();
        let p1 = c.blocks.iter().position(|b| b.id == "p1").unwrap();
        c.blocks[p1].attrs = vec![("weight".into(), "0".into())];
        let none = |_: usize| None;
        let max = |i: usize| c.blocks[i].id.starts_with('p').then_some(1.0);
        let g = CourseOutlineGrades::compute(&c, &GradingPolicy::default(), &none, &max, &|i| {
            c.blocks[i].children.clone()
        });
        let hw1 = &g.chapters[0].subsections[0];
        assert!(!hw1.problems[0].score.graded);
        assert_eq!(hw1.graded_total.possible, 1.0);
        assert!(!g.attempted);
        assert_eq!(g.course_grade.percent, 0.0);
    }
}
