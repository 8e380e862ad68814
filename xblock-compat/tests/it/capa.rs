//! CAPA grading against Open edX's own test expectations (`../shared/capa/conformance.jsonl`).

use std::path::Path;

use xblock_compat::capa::{grade_json_line, AnswerValue, Answers, Correctness, Problem};

fn conformance_rows() -> Vec<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/capa/conformance.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn answers_of(v: &serde_json::Value) -> Answers {
    let mut a = Answers::new();
    for (k, v) in v.as_object().unwrap() {
        let value = match v {
            serde_json::Value::String(s) => AnswerValue::One(s.clone()),
            serde_json::Value::Array(items) => AnswerValue::Many(
                items
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect(),
            ),
            // choice-with-text: the JSON object as Open edX's `input_<id>{}` field carries it
            other => AnswerValue::One(other.to_string()),
        };
        a.insert(k.clone(), value);
    }
    a
}

#[test]
fn conformance_rows_grade_as_open_edx() {
    let rows = conformance_rows();
    let mut passed = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        if row.get("needs").is_some() {
            skipped += 1;
            continue;
        }
        let xml = row["xml"].as_str().unwrap();
        let pid = row["problem_id"].as_str().unwrap_or("1");
        let seed = row["seed"].as_u64().unwrap_or(1);
        let answers = answers_of(&row["answers"]);
        let check = row
            .get("check_input")
            .and_then(|c| c.as_str())
            .map(str::to_string)
            .or_else(|| answers.keys().next().cloned())
            .unwrap();
        let outcome = Problem::parse(xml, pid, seed).and_then(|p| p.grade(&answers));
        let grading = match outcome {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("row {n} ({}): error {e:?}", row["source"]));
                continue;
            }
        };
        let r = &grading.correct_map[&check];
        let got = serde_json::to_value(r.correctness).unwrap();
        let mut ok = got == row["expected"];
        if let Some(np) = row.get("npoints").and_then(|x| x.as_f64()) {
            let points = r.npoints.unwrap_or(match r.correctness {
                Correctness::Correct | Correctness::PartiallyCorrect => 1.0,
                _ => 0.0,
            });
            ok &= (points - np).abs() < 1e-9;
        }
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "row {n} ({}): expected {} {:?}, got {got} {:?}",
                row["source"],
                row["expected"],
                row.get("npoints"),
                r.npoints
            ));
        }
    }
    println!(
        "capa conformance: {passed} passed, {} failed, {skipped} need Python",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(passed + skipped, rows.len());
}

#[test]
fn json_contract_matches_oracle_shape() {
    let line = r#"{"xml": "<problem><multiplechoiceresponse><choicegroup><choice correct=\"false\"/><choice correct=\"true\"/></choicegroup></multiplechoiceresponse></problem>", "answers": {"1_2_1": "choice_1"}, "seed": 723}"#;
    assert_eq!(
        grade_json_line(line),
        r#"{"correct_map": {"1_2_1": {"correctness": "correct", "npoints": 1}}, "max_score": 1, "score": 1.0}"#
    );
    assert!(grade_json_line("not json").starts_with(r#"{"error": "#));
}
