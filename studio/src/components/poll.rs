//! Poll and survey, the Open edX poll XBlock's `poll` and `survey`: question and answers (poll)
//! or questions and answer columns (survey), feedback after voting, private results and the
//! number of votes allowed.
//!
//! Written as Open edX exports them: attributes on the element, lists as the XBlock's JSON
//! fields (`json.dumps(indent=2, sort_keys=True)`): poll answers and survey questions are
//! `[key, {"img", "img_alt", "label"}]`, survey answers `[key, label]`; `xblock-family` names
//! the XBlock runtime; a survey's heading is its `block_name`. Keys of existing items are kept
//! so votes stay with their answers; new items get fresh ones. As in the XBlock, at least two
//! answers (and two questions) are needed.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use platform::i18n::Lang;
use platform::web::render::{render_page, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use serde_json::Value;
use xblock_compat::capa::pyutil::py_json_str;
use xblock_compat::olx::{edit, Block};

use super::{
    clean_name, edit_component, refused_field, saved, EditorFrame, Fields, Located, Refused,
};

/// Rows the form offers beyond the existing items.
const SPARE: usize = 2;
/// More items than any poll needs; further rows are ignored.
const MAX_ITEMS: usize = 40;

/// `json.dumps(v, indent=2, sort_keys=True)` (ASCII only, as Python writes it).
fn py_json_indent(v: &Value, depth: usize, out: &mut String) {
    let pad = |d: usize, out: &mut String| {
        out.push('\n');
        out.push_str(&"  ".repeat(d));
    };
    match v {
        Value::Array(a) if !a.is_empty() => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                py_json_indent(x, depth + 1, out);
            }
            pad(depth, out);
            out.push(']');
        }
        Value::Object(m) if !m.is_empty() => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                py_json_str(k, out);
                out.push_str(": ");
                py_json_indent(&m[k], depth + 1, out);
            }
            pad(depth, out);
            out.push('}');
        }
        other => xblock_compat::capa::pyutil::py_json(other, out),
    }
}

fn dumps(v: &Value) -> String {
    let mut out = String::new();
    py_json_indent(v, 0, &mut out);
    out
}

/// One item as the form shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
struct Row {
    key: String,
    label: String,
}

/// Items of a JSON list field: `[key, label]` or `[key, {"label": ..}]` (the old values kept
/// for images and anything else the XBlock stores).
fn items(json: Option<String>) -> Vec<(String, Value)> {
    json.and_then(|j| serde_json::from_str::<Value>(&j).ok())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|pair| {
            let p = pair.as_array()?;
            Some((p.first()?.as_str()?.to_string(), p.get(1)?.clone()))
        })
        .collect()
}

fn label_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        o => o
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    }
}

fn rows(json: Option<String>) -> Vec<Row> {
    items(json)
        .into_iter()
        .map(|(key, v)| Row {
            label: label_of(&v),
            key,
        })
        .collect()
}

/// The JSON of a list field from rows: labels only (`plain`), or objects keeping the old
/// values of existing keys.
fn list_json(rows: &[Row], old: &[(String, Value)], plain: bool) -> String {
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let v = if plain {
                Value::String(r.label.clone())
            } else {
                let mut o = old
                    .iter()
                    .find(|(k, _)| *k == r.key)
                    .and_then(|(_, v)| v.as_object().cloned())
                    .unwrap_or_default();
                o.entry("img")
                    .or_insert_with(|| Value::String(String::new()));
                o.entry("img_alt")
                    .or_insert_with(|| Value::String(String::new()));
                o.insert("label".into(), Value::String(r.label.clone()));
                Value::Object(o)
            };
            Value::Array(vec![Value::String(r.key.clone()), v])
        })
        .collect();
    dumps(&Value::Array(list))
}

/// A key no other row has.
fn fresh_key(taken: &[Row]) -> String {
    loop {
        let k: String = super::new_block_id().chars().take(8).collect();
        if !taken.iter().any(|r| r.key == k) {
            return k;
        }
    }
}

/// What the form edits.
#[derive(Debug, Clone, Serialize, Default)]
struct PollFields {
    display_name: String,
    question: String,
    questions: Vec<Row>,
    answers: Vec<Row>,
    feedback: String,
    private_results: bool,
    max_submissions: String,
}

impl PollFields {
    fn of(b: &Block) -> PollFields {
        let survey = b.block_type == "survey";
        let name = b
            .display_name()
            .or_else(|| survey.then(|| b.field("block_name")).flatten())
            .unwrap_or_default();
        PollFields {
            display_name: name,
            question: b.field("question").unwrap_or_default(),
            questions: rows(b.field("questions")),
            answers: rows(b.field("answers")),
            feedback: b.field("feedback").unwrap_or_default(),
            private_results: b
                .field("private_results")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            max_submissions: b.field("max_submissions").unwrap_or_else(|| "1".into()),
        }
    }

    fn rows_from(form: &Fields, prefix: &str) -> Vec<Row> {
        let mut out: Vec<Row> = Vec::new();
        for i in 0..MAX_ITEMS {
            let (k, l) = (format!("{prefix}_key_{i}"), format!("{prefix}_label_{i}"));
            if !form.has(&l) {
                break;
            }
            let label: String = form
                .get(&l)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(500)
                .collect();
            if label.is_empty() {
                continue;
            }
            let key: String = form.get(&k).trim().chars().take(64).collect();
            let key = if key.is_empty() || out.iter().any(|r| r.key == key) {
                fresh_key(&out)
            } else {
                key
            };
            out.push(Row { key, label });
        }
        out
    }

    fn from_form(form: &Fields) -> PollFields {
        PollFields {
            display_name: clean_name(form.get("display_name")),
            question: form.get("question").trim().chars().take(5000).collect(),
            questions: Self::rows_from(form, "question"),
            answers: Self::rows_from(form, "answer"),
            feedback: form
                .get("feedback")
                .replace("\r\n", "\n")
                .trim()
                .chars()
                .take(5000)
                .collect(),
            private_results: form.has("private_results"),
            max_submissions: form
                .get("max_submissions")
                .trim()
                .chars()
                .take(20)
                .collect(),
        }
    }

    fn check(&self, survey: bool) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.display_name.is_empty() {
            out.push(("display_name", "studio-comp-error-name"));
        }
        if !survey && self.question.is_empty() {
            out.push(("question", "studio-comp-error-question"));
        }
        if survey && self.questions.len() < 2 {
            out.push(("question_label_0", "studio-comp-error-questions"));
        }
        if self.answers.len() < 2 {
            out.push(("answer_label_0", "studio-comp-error-answers"));
        }
        if self.max_submissions.parse::<u32>().is_err() {
            out.push(("max_submissions", "studio-comp-error-max-submissions"));
        }
        out
    }

    /// Sets the fields on the block's element (other attributes kept).
    fn apply(&self, b: &mut Block) {
        let survey = b.block_type == "survey";
        let old_answers = items(b.field("answers"));
        let old_questions = items(b.field("questions"));
        edit::set_field(b, "display_name", Some(&self.display_name));
        if survey {
            edit::set_field(b, "block_name", Some(&self.display_name));
            edit::set_field(
                b,
                "questions",
                Some(&list_json(&self.questions, &old_questions, false)),
            );
            edit::set_field(b, "answers", Some(&list_json(&self.answers, &[], true)));
        } else {
            edit::set_field(b, "question", Some(&self.question));
            edit::set_field(
                b,
                "answers",
                Some(&list_json(&self.answers, &old_answers, false)),
            );
        }
        edit::set_field(b, "feedback", Some(&self.feedback));
        edit::set_field(
            b,
            "private_results",
            Some(if self.private_results {
                "true"
            } else {
                "false"
            }),
        );
        edit::set_field(b, "max_submissions", Some(&self.max_submissions));
    }
}

fn blank(block_type: &str, id: &str) -> Block {
    edit::leaf_from_xml(
        block_type,
        id,
        &format!("<{block_type} xblock-family=\"xblock.v1\"/>"),
    )
    .expect("static")
}

/// A new poll with a question and two answers to replace.
pub(super) fn new_poll(id: &str, state: &AppState, lang: Lang) -> Block {
    let t = |k: &str| state.i18n.t(lang, k, &[]);
    let mut b = blank("poll", id);
    PollFields {
        display_name: t("studio-comp-default-poll"),
        question: t("studio-comp-default-poll-question"),
        answers: vec![
            Row {
                key: "A".into(),
                label: t("studio-comp-default-answer-a"),
            },
            Row {
                key: "B".into(),
                label: t("studio-comp-default-answer-b"),
            },
        ],
        max_submissions: "1".into(),
        ..Default::default()
    }
    .apply(&mut b);
    b
}

/// A new survey with the XBlock's answer columns (yes, no, maybe) and two questions.
pub(super) fn new_survey(id: &str, state: &AppState, lang: Lang) -> Block {
    let t = |k: &str| state.i18n.t(lang, k, &[]);
    let mut b = blank("survey", id);
    let row = |key: &str, k: &str| Row {
        key: key.into(),
        label: t(k),
    };
    PollFields {
        display_name: t("studio-comp-default-survey"),
        questions: vec![
            row("q1", "studio-comp-default-survey-q1"),
            row("q2", "studio-comp-default-survey-q2"),
        ],
        answers: vec![
            row("Y", "studio-comp-default-yes"),
            row("N", "studio-comp-default-no"),
            row("M", "studio-comp-default-maybe"),
        ],
        max_submissions: "1".into(),
        ..Default::default()
    }
    .apply(&mut b);
    b
}

/// A form row: its index in the field names.
#[derive(Serialize)]
struct FormRow {
    index: usize,
    key: String,
    label: String,
}

#[derive(Serialize)]
struct PollPage {
    #[serde(flatten)]
    frame: EditorFrame,
    survey: bool,
    poll: PollFields,
    question_rows: Vec<FormRow>,
    answer_rows: Vec<FormRow>,
    errors: Vec<FieldError>,
}

fn form_rows(rows: &[Row]) -> Vec<FormRow> {
    rows.iter()
        .map(|r| (r.key.clone(), r.label.clone()))
        .chain(std::iter::repeat_n((String::new(), String::new()), SPARE))
        .enumerate()
        .map(|(index, (key, label))| FormRow { index, key, label })
        .collect()
}

fn show(
    state: &AppState,
    signed: &SignedIn,
    at: &Located,
    poll: PollFields,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = PollPage {
        frame: at.frame(signed.1.lang, state),
        survey: at.block().block_type == "survey",
        question_rows: form_rows(&poll.questions),
        answer_rows: form_rows(&poll.answers),
        poll,
        errors,
    };
    render_page(
        state,
        &signed.1,
        "studio/component_poll.html",
        &page,
        status,
    )
}

pub(super) fn form(
    state: &AppState,
    signed: &SignedIn,
    at: &Located,
) -> Result<HttpResponse, AppError> {
    let poll = PollFields::of(at.block());
    show(state, signed, at, poll, vec![], StatusCode::OK)
}

pub(super) async fn save(
    state: &AppState,
    signed: &SignedIn,
    at: Located,
    form: &Fields,
) -> Result<HttpResponse, AppError> {
    let survey = at.block().block_type == "survey";
    let fields = PollFields::from_form(form);
    let problems = fields.check(survey);
    if !problems.is_empty() {
        let errors = problems
            .into_iter()
            .map(|(field, k)| FieldError {
                field,
                message: state.i18n.t(signed.1.lang, k, &[]),
            })
            .collect();
        return show(
            state,
            signed,
            &at,
            fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let block_type = at.block().block_type.clone();
    let r = edit_component(
        state,
        signed,
        &at.row.id,
        &block_type,
        &at.block().id,
        move |course, idx| {
            fields.apply(&mut course.blocks[idx]);
            Ok::<_, Refused>(())
        },
    )
    .await?;
    refused_field(r)?;
    Ok(saved(state, &at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_written_as_the_xblock_exports_them() {
        let list = vec![
            Row {
                key: "R".into(),
                label: "Czerwony".into(),
            },
            Row {
                key: "B".into(),
                label: "Blue".into(),
            },
        ];
        let old = vec![(
            "R".to_string(),
            serde_json::json!({"img": "/static/r.png", "img_alt": "Red", "label": "Red"}),
        )];
        assert_eq!(
            list_json(&list, &old, false),
            "[\n  [\n    \"R\",\n    {\n      \"img\": \"/static/r.png\",\n      \"img_alt\": \"Red\",\n      \"label\": \"Czerwony\"\n    }\n  ],\n  [\n    \"B\",\n    {\n      \"img\": \"\",\n      \"img_alt\": \"\",\n      \"label\": \"Blue\"\n    }\n  ]\n]"
        );
        assert_eq!(
            list_json(&list[1..], &[], true),
            "[\n  [\n    \"B\",\n    \"Blue\"\n  ]\n]"
        );
        assert_eq!(list_json(&[], &[], true), "[]");
        // Non-ASCII is escaped as Python does, and reads back.
        let r = rows(Some(list_json(&list, &old, false)));
        assert_eq!(r[0].label, "Czerwony");
        assert!(list_json(
            &[Row {
                key: "x".into(),
                label: "żółw".into()
            }],
            &[],
            true
        )
        .contains("\\u017c\\u00f3\\u0142w"));
    }

    #[test]
    fn fields_round_trip_through_the_element() {
        let mut b = blank("survey", "s1");
        let f = PollFields {
            display_name: "Ankieta".into(),
            questions: vec![
                Row {
                    key: "q1".into(),
                    label: "Czy?".into(),
                },
                Row {
                    key: "q2".into(),
                    label: "A czy?".into(),
                },
            ],
            answers: vec![
                Row {
                    key: "Y".into(),
                    label: "Tak".into(),
                },
                Row {
                    key: "N".into(),
                    label: "Nie".into(),
                },
            ],
            feedback: "Dzięki\nbardzo".into(),
            private_results: true,
            max_submissions: "0".into(),
            ..Default::default()
        };
        assert!(f.check(true).is_empty());
        f.apply(&mut b);
        assert!(b.xml.starts_with(
            "<survey xblock-family=\"xblock.v1\" display_name=\"Ankieta\" block_name=\"Ankieta\""
        ));
        let back = PollFields::of(&b);
        assert_eq!(back.questions, f.questions);
        assert_eq!(back.answers, f.answers);
        assert_eq!(back.feedback, "Dzięki\nbardzo");
        assert!(back.private_results);
        assert_eq!(back.max_submissions, "0");
        let fields: Vec<&str> = PollFields::default()
            .check(false)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                "display_name",
                "question",
                "answer_label_0",
                "max_submissions"
            ]
        );
    }
}
