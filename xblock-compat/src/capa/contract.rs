//! `szpon capa grade`: one JSON line in, one JSON line out, in the shape of the Open edX oracle
//! (`shared/capa/oracle/oracle.py`), so both can be diffed line by line.
//!
//! In: `{"xml": "...", "answers": {"1_2_1": "choice_1"}, "seed": 723, "problem_id": "1"}` (seed
//! defaults to 1, problem_id to "1"; an answer is a string, a list of strings, or an object for
//! choice-with-text groups). Out, keys sorted, Python `json.dumps` spacing:
//! `{"correct_map": {ID: {"correctness": C, "npoints": N}}, "max_score": M, "score": S}` or
//! `{"error": "ExceptionName: message"}`.
//!
//! The correct map lists the ids of Open edX's `get_question_answers()` (which include
//! `<solution>` ids and, for choice-with-text, choice names: those have correctness `null` and
//! npoints 0, as in the oracle), or the answered ids when that is empty, plus every answered id.

use serde_json::{Map, Value};

use super::problem::{AnswerValue, Answers, Problem};
use super::pyutil::{py_json, PyNum};

fn error_line(name: &str, msg: &str) -> String {
    let mut m = Map::new();
    m.insert("error".into(), Value::String(format!("{name}: {msg}")));
    let mut out = String::new();
    py_json(&Value::Object(m), &mut out);
    out
}

fn num(n: PyNum) -> Value {
    match n {
        PyNum::Int(i) => Value::from(i),
        PyNum::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
    }
}

/// Grade one JSON request line; never panics, always one line of JSON.
pub fn grade_json_line(line: &str) -> String {
    let req: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return error_line("JSONDecodeError", &e.to_string()),
    };
    let Some(xml) = req.get("xml").and_then(Value::as_str) else {
        return error_line("KeyError", "'xml'");
    };
    let seed = match req.get("seed") {
        None | Some(Value::Null) => 1,
        Some(v) => match v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        {
            Some(s) => s,
            None => return error_line("ValueError", &format!("invalid seed: {v}")),
        },
    };
    let pid = match req.get("problem_id") {
        None | Some(Value::Null) => "1".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let mut answers = Answers::new();
    let mut order: Vec<String> = Vec::new();
    if let Some(obj) = req.get("answers").and_then(Value::as_object) {
        for (k, v) in obj {
            let a = match v {
                Value::String(s) => AnswerValue::One(s.clone()),
                Value::Array(items) => AnswerValue::Many(
                    items
                        .iter()
                        .map(|x| match x {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect(),
                ),
                // A choice-with-text answer: the JSON object Open edX's `{}` form field carries.
                Value::Object(_) => AnswerValue::One(v.to_string()),
                Value::Null => continue,
                other => AnswerValue::One(other.to_string()),
            };
            order.push(k.clone());
            answers.insert(k.clone(), a);
        }
    }
    let problem = match Problem::parse(xml, &pid, seed) {
        Ok(p) => p,
        Err(e) => return error_line(e.python_name(), &e.to_string()),
    };
    let cmap = match problem.grade_cmap(&answers) {
        Ok(c) => c,
        Err(e) => return error_line(e.python_name(), &e.to_string()),
    };
    let mut ids = problem.question_answer_ids();
    if ids.is_empty() {
        ids = order.clone();
    }
    ids.extend(order);
    let mut cm = Map::new();
    for id in ids {
        if cm.contains_key(&id) {
            continue;
        }
        let entry = cmap.get(&id);
        let mut e = Map::new();
        e.insert(
            "correctness".into(),
            entry
                .and_then(|x| x.correctness)
                .map_or(Value::Null, |c| Value::String(c.as_str().into())),
        );
        e.insert(
            "npoints".into(),
            num(entry.map_or(PyNum::Int(0), |x| x.get_npoints())),
        );
        cm.insert(id, Value::Object(e));
    }
    let score: f64 = cmap.values().map(|e| e.get_npoints().as_f64()).sum();
    let mut out = Map::new();
    out.insert("correct_map".into(), Value::Object(cm));
    out.insert("max_score".into(), Value::from(problem.max_score()));
    out.insert(
        "score".into(),
        serde_json::Number::from_f64(score).map_or(Value::Null, Value::Number),
    );
    let mut s = String::new();
    py_json(&Value::Object(out), &mut s);
    s
}
