//! Markdown problem syntax → OLX against Open edX's own expectations
//! (`markdown_cases.json`: inputs and expected XML from edx-platform's Jasmine specs and the
//! documented syntax; sources in each case). Their matcher `toXMLEqual` compares with all
//! white space removed, so cases marked `"compare": "nows"` do the same; `"exact"` cases
//! compare the text as is.

use std::path::Path;

use xblock_compat::capa::markdown::{markdown_to_olx, MarkdownError};
use xblock_compat::capa::{AnswerValue, Answers, Problem};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    source: String,
    markdown: String,
    #[serde(default)]
    expected: Option<String>,
    #[serde(default)]
    error: Option<String>,
    compare: String,
    /// Right answers in input order (a list for checkbox groups); full marks expected.
    #[serde(default)]
    right: Option<Vec<serde_json::Value>>,
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/markdown_cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn no_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn markdown_cases_convert_as_open_edx() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let got = markdown_to_olx(&case.markdown);
        match (&case.expected, &case.error, got) {
            (Some(want), None, Ok(got)) => {
                let same = match case.compare.as_str() {
                    "exact" => &got == want,
                    "nows" => no_ws(&got) == no_ws(want),
                    other => panic!("{}: unknown compare {other}", case.name),
                };
                if !same {
                    failures.push(format!(
                        "{} ({}):\n--- got\n{got}\n--- want\n{want}",
                        case.name, case.source
                    ));
                }
            }
            (None, Some(want), Err(e)) => {
                if !e.to_string().starts_with(want.as_str()) {
                    failures.push(format!("{}: error {e}, want {want}", case.name));
                }
            }
            (_, _, got) => failures.push(format!("{}: got {got:?}", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn converted_problems_parse_and_grade_their_right_answers() {
    for case in cases() {
        let Ok(xml) = markdown_to_olx(&case.markdown) else {
            continue;
        };
        let problem =
            Problem::parse(&xml, "md", 1).unwrap_or_else(|e| panic!("{}: {e}\n{xml}", case.name));
        let Some(right) = &case.right else {
            continue;
        };
        let inputs = problem.inputs();
        assert_eq!(inputs.len(), right.len(), "{}: inputs\n{xml}", case.name);
        let mut answers = Answers::new();
        for (input, value) in inputs.iter().zip(right) {
            let v = match value {
                serde_json::Value::String(s) => AnswerValue::One(s.clone()),
                serde_json::Value::Array(a) => {
                    AnswerValue::Many(a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                }
                other => panic!("{}: answer {other}", case.name),
            };
            answers.insert(input.id.clone(), v);
        }
        let grading = problem
            .grade(&answers)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(
            grading.score,
            f64::from(grading.max_score),
            "{}: {:?}\n{xml}",
            case.name,
            grading.correct_map
        );
    }
}

#[test]
fn blank_option_is_refused_like_studio() {
    assert_eq!(
        markdown_to_olx(">>Q<<\n[ ]\n[x] Urdu\n"),
        Err(MarkdownError::BlankOption)
    );
}
