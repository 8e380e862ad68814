//! The grading policy editor's model: the form's rows read from a course's
//! `grading_policy.json`, checked as Open edX Studio checks them, and written back as the file
//! Open edX writes (`json.dumps(…, sort_keys=True, indent=4)`: weights and cutoffs as fractions).

use serde::Serialize;
use serde_json::{json, Map, Value};

/// One assignment type as the form shows it (numbers as typed, weights in percent).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GraderRow {
    pub kind: String,
    pub short_label: String,
    pub weight: String,
    pub min_count: String,
    pub drop_count: String,
}

/// One grade and its lower bound in percent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CutoffRow {
    pub grade: String,
    pub cutoff: String,
}

/// Percent text of a fraction, without float noise (0.15 → "15", 0.125 → "12.5").
fn percent(f: f64) -> String {
    let p = (f * 100.0 * 1000.0).round() / 1000.0;
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p}")
    }
}

/// The rows of a stored policy (Open edX's default when the course has none or it is damaged).
pub fn rows_of(policy: Option<&str>) -> (Vec<GraderRow>, Vec<CutoffRow>) {
    let v: Value = policy
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_else(|| {
            serde_json::from_str(crate::create::DEFAULT_GRADING_POLICY).expect("valid default")
        });
    let num = |g: &Value, k: &str| match &g[k] {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    };
    let graders = v["GRADER"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|g| GraderRow {
                    kind: g["type"].as_str().unwrap_or_default().to_string(),
                    short_label: g["short_label"].as_str().unwrap_or_default().to_string(),
                    weight: g["weight"].as_f64().map(percent).unwrap_or_default(),
                    min_count: num(g, "min_count"),
                    drop_count: num(g, "drop_count"),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut cutoffs: Vec<CutoffRow> = v["GRADE_CUTOFFS"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, c)| CutoffRow {
                    grade: k.clone(),
                    cutoff: c.as_f64().map(percent).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    // Highest first, as people read a grade scale.
    cutoffs.sort_by(|a, b| {
        let f = |r: &CutoffRow| r.cutoff.parse::<f64>().unwrap_or(0.0);
        f(b).partial_cmp(&f(a)).unwrap_or(std::cmp::Ordering::Equal)
    });
    (graders, cutoffs)
}

/// A problem with the form: the field (`{name}_{row}` or a whole-form id) and a Fluent id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: &'static str,
}

fn problem(field: impl Into<String>, message: &'static str) -> Problem {
    Problem {
        field: field.into(),
        message,
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

fn count(s: &str) -> Option<u32> {
    s.trim().parse::<u32>().ok().filter(|&n| n <= 1000)
}

/// Checks the rows (blank rows are left out) and builds Open edX's `grading_policy.json`.
/// Rules, as Open edX Studio's grading page enforces them: every type named once; weights
/// 0–100 adding up to 100 %; counts whole numbers, fewer dropped than counted; at least one grade,
/// named once, with a lower bound between 1 and 100 %, all different.
pub fn build(graders: &[GraderRow], cutoffs: &[CutoffRow]) -> Result<String, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out_graders = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut total = 0.0;
    for (i, g) in graders.iter().enumerate() {
        let blank = g.kind.trim().is_empty()
            && g.short_label.trim().is_empty()
            && g.weight.trim().is_empty()
            && g.min_count.trim().is_empty()
            && g.drop_count.trim().is_empty();
        if blank {
            continue;
        }
        let kind = g.kind.trim();
        if kind.is_empty() || kind.chars().count() > 100 {
            problems.push(problem(format!("kind_{i}"), "studio-grading-error-kind"));
        } else if names.iter().any(|n| n.eq_ignore_ascii_case(kind)) {
            problems.push(problem(
                format!("kind_{i}"),
                "studio-grading-error-kind-twice",
            ));
        }
        names.push(kind.to_string());
        let weight = number(&g.weight).filter(|w| (0.0..=100.0).contains(w));
        if weight.is_none() {
            problems.push(problem(
                format!("weight_{i}"),
                "studio-grading-error-weight",
            ));
        }
        let min = count(&g.min_count).filter(|&n| n >= 1);
        if min.is_none() {
            problems.push(problem(format!("min_{i}"), "studio-grading-error-min"));
        }
        let drop = count(if g.drop_count.trim().is_empty() {
            "0"
        } else {
            &g.drop_count
        });
        match (drop, min) {
            (None, _) => problems.push(problem(format!("drop_{i}"), "studio-grading-error-drop")),
            (Some(d), Some(m)) if d >= m => problems.push(problem(
                format!("drop_{i}"),
                "studio-grading-error-drop-too-many",
            )),
            _ => {}
        }
        if g.short_label.trim().chars().count() > 30 {
            problems.push(problem(format!("label_{i}"), "studio-grading-error-label"));
        }
        if let (Some(w), Some(m), Some(d)) = (weight, min, drop) {
            total += w;
            let mut o = Map::new();
            o.insert("type".into(), json!(kind));
            if !g.short_label.trim().is_empty() {
                o.insert("short_label".into(), json!(g.short_label.trim()));
            }
            o.insert("min_count".into(), json!(m));
            o.insert("drop_count".into(), json!(d));
            o.insert("weight".into(), json!((w * 1000.0).round() / 100_000.0));
            out_graders.push(Value::Object(o));
        }
    }
    if names.is_empty() {
        problems.push(problem("kind_0", "studio-grading-error-none"));
    } else if problems.is_empty() && (total - 100.0).abs() > 1e-6 {
        problems.push(problem("weight_0", "studio-grading-error-total"));
    }
    let mut out_cutoffs = Map::new();
    let mut values: Vec<f64> = Vec::new();
    for (j, c) in cutoffs.iter().enumerate() {
        if c.grade.trim().is_empty() && c.cutoff.trim().is_empty() {
            continue;
        }
        let grade = c.grade.trim();
        if grade.is_empty() || grade.chars().count() > 30 {
            problems.push(problem(format!("grade_{j}"), "studio-grading-error-grade"));
        } else if out_cutoffs.contains_key(grade) {
            problems.push(problem(
                format!("grade_{j}"),
                "studio-grading-error-grade-twice",
            ));
        }
        match number(&c.cutoff).filter(|x| (1.0..=100.0).contains(x)) {
            Some(x) if values.iter().any(|v| (v - x).abs() < 1e-9) => problems.push(problem(
                format!("cutoff_{j}"),
                "studio-grading-error-cutoff-twice",
            )),
            Some(x) => {
                values.push(x);
                if !grade.is_empty() {
                    out_cutoffs.insert(grade.to_string(), json!((x * 1000.0).round() / 100_000.0));
                }
            }
            None => problems.push(problem(
                format!("cutoff_{j}"),
                "studio-grading-error-cutoff",
            )),
        }
    }
    if values.is_empty() && problems.iter().all(|p| !p.field.starts_with("grade_")) {
        problems.push(problem("grade_0", "studio-grading-error-no-grade"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(open_edx_json(&json!({
        "GRADER": out_graders,
        "GRADE_CUTOFFS": out_cutoffs,
    })))
}

/// JSON as Python's `json.dumps(v, sort_keys=True, indent=4)` writes it (what Open edX
/// exports): keys sorted, four-space indent, `", "`-free line ends, non-ASCII escaped.
pub fn open_edx_json(v: &Value) -> String {
    fn write(v: &Value, indent: usize, out: &mut String) {
        let pad = |n: usize| " ".repeat(n * 4);
        match v {
            Value::Object(o) if !o.is_empty() => {
                let mut keys: Vec<&String> = o.keys().collect();
                keys.sort();
                out.push_str("{\n");
                for (i, k) in keys.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    out.push_str(&ascii_json(&Value::String((*k).clone())));
                    out.push_str(": ");
                    write(&o[*k], indent + 1, out);
                    out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push('}');
            }
            Value::Array(a) if !a.is_empty() => {
                out.push_str("[\n");
                for (i, x) in a.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    write(x, indent + 1, out);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            Value::Number(n) if n.is_f64() => {
                let f = n.as_f64().unwrap_or(0.0);
                // Python prints whole floats with ".0".
                if f.fract() == 0.0 && f.abs() < 1e16 {
                    out.push_str(&format!("{f:.1}"));
                } else {
                    out.push_str(&n.to_string());
                }
            }
            other => out.push_str(&ascii_json(other)),
        }
    }
    let mut out = String::new();
    write(v, 0, &mut out);
    out
}

/// Python's `ensure_ascii=True`: non-ASCII characters as `\uXXXX` (surrogate pairs above BMP).
fn ascii_json(v: &Value) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            let mut buf = [0u16; 2];
            for u in ch.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, label: &str, weight: &str, min: &str, drop: &str) -> GraderRow {
        GraderRow {
            kind: kind.into(),
            short_label: label.into(),
            weight: weight.into(),
            min_count: min.into(),
            drop_count: drop.into(),
        }
    }

    fn cut(grade: &str, cutoff: &str) -> CutoffRow {
        CutoffRow {
            grade: grade.into(),
            cutoff: cutoff.into(),
        }
    }

    /// The demo course's file, byte for byte as Open edX exported it.
    #[test]
    fn writes_the_file_open_edx_writes() {
        let json = build(
            &[
                row("Basic Assessment Tools", "Basic", "30", "1", "0"),
                row(
                    "Intermediate Assessment Tools",
                    "Intermediate",
                    "35",
                    "1",
                    "0",
                ),
                row("Advanced Assessment Tools", "Advanced", "35", "1", "0"),
                row("", "", "", "", ""),
            ],
            &[cut("Pass", "50"), cut("", "")],
        )
        .unwrap();
        let expected = "{\n    \"GRADER\": [\n        {\n            \"drop_count\": 0,\n            \"min_count\": 1,\n            \"short_label\": \"Basic\",\n            \"type\": \"Basic Assessment Tools\",\n            \"weight\": 0.3\n        },\n        {\n            \"drop_count\": 0,\n            \"min_count\": 1,\n            \"short_label\": \"Intermediate\",\n            \"type\": \"Intermediate Assessment Tools\",\n            \"weight\": 0.35\n        },\n        {\n            \"drop_count\": 0,\n            \"min_count\": 1,\n            \"short_label\": \"Advanced\",\n            \"type\": \"Advanced Assessment Tools\",\n            \"weight\": 0.35\n        }\n    ],\n    \"GRADE_CUTOFFS\": {\n        \"Pass\": 0.5\n    }\n}";
        assert_eq!(json, expected);
        // Read back into rows: the same form.
        let (g, c) = rows_of(Some(&json));
        assert_eq!(
            g[1],
            row(
                "Intermediate Assessment Tools",
                "Intermediate",
                "35",
                "1",
                "0"
            )
        );
        assert_eq!(c, vec![cut("Pass", "50")]);
    }

    #[test]
    fn letter_grades_fractions_and_polish_text() {
        let json = build(
            &[row("Egzamin końcowy", "", "100", "1", "")],
            &[
                cut("Dostateczny", "50"),
                cut("Bardzo dobry", "90"),
                cut("Dobry", "72,5"),
            ],
        )
        .unwrap();
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["GRADER"][0]["type"], "Egzamin końcowy");
        assert!(v["GRADER"][0].get("short_label").is_none());
        assert_eq!(v["GRADER"][0]["weight"], 1.0);
        assert!(json.contains("\"weight\": 1.0"), "{json}");
        assert!(json.contains("ko\\u0144cowy"), "{json}");
        assert_eq!(v["GRADE_CUTOFFS"]["Dobry"], 0.725);
        // The file parses with the grader the LMS uses.
        xblock_compat::grading::GradingPolicy::from_json_str(&json).unwrap();
    }

    #[test]
    fn refuses_what_open_edx_studio_refuses() {
        let e = build(
            &[
                row("HW", "", "60", "2", "2"),
                row("hw", "", "abc", "0", "x"),
            ],
            &[cut("", "50"), cut("A", "150")],
        )
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["drop_0", "kind_1", "weight_1", "min_1", "drop_1", "grade_0", "cutoff_1"],
            "{e:?}"
        );
        let total = build(&[row("HW", "", "60", "2", "0")], &[cut("Pass", "50")]).unwrap_err();
        assert_eq!(total[0].message, "studio-grading-error-total");
        let none = build(&[], &[]).unwrap_err();
        assert_eq!(none[0].message, "studio-grading-error-none");
    }
}
