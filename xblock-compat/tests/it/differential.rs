//! Differential test: our CAPA grader ([`xblock_compat::capa::grade_json_line`]) against Open
//! edX's real one, on every problem of the six real course exports in `../shared/olx/`.
//!
//! The reference is `../shared/capa/oracle/oracle.py` (AGPL test tool, never copied here): it
//! runs xblocks-contrib's `LoncapaProblem` and speaks the same JSON lines as `grade_json_line`.
//! Its Python venv comes from `tests/oracle/setup.sh` (pinned `tests/oracle/requirements.txt`),
//! which this test runs itself (a no-op when the venv is current). No venv, no skip: the test
//! fails.
//!
//! For each problem that does not need Python (`Problem::needs_python()`), answer sets are
//! derived per input from the XML (every choice, checkbox subsets, the staff answer, near
//! misses around it and its tolerance, case and whitespace variants, garbage, empty), one input
//! varied at a time with the others held at their right answer. All cases go through one
//! oracle process. Correctness per input id, npoints (1e-9), score and max_score must agree;
//! an error must meet an error (messages may differ). Disagreements fail the test unless
//! listed, with a reason, in `differential_known.txt`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use xblock_compat::capa::calc::{evaluator, Number};
use xblock_compat::capa::{grade_json_line, InputInfo, Problem};
use xblock_compat::olx;

use crate::olx::{shared, unpack};

/// The six exports; every `problem` block of each (drafts included) is a subject.
const COURSES: [&str; 6] = [
    "demo",
    "demo_library",
    "supported_components",
    "kitchen_sink",
    "demo_test_course",
    "mitx_grading_library",
];

/// Open edX's default seed (`rerandomize="never"`). Problems that shuffle or pool their choices
/// are graded under a second seed too.
const SEEDS: [u64; 1] = [1];
const SHUFFLE_SEEDS: [u64; 2] = [1, 723];

/// Response tags Open edX registers (`responsetypes.py`), in the order ids are assigned: document
/// order over all of them.
const RESPONSE_TAGS: &[&str] = &[
    "choiceresponse",
    "multiplechoiceresponse",
    "truefalseresponse",
    "optionresponse",
    "numericalresponse",
    "stringresponse",
    "customresponse",
    "symbolicresponse",
    "coderesponse",
    "externalresponse",
    "formularesponse",
    "schematicresponse",
    "imageresponse",
    "annotationresponse",
    "choicetextresponse",
];

/// Input tags Open edX registers (`inputtypes.py`); the inputs of a response are numbered in
/// document order over these.
const INPUT_TAGS: &[&str] = &[
    "optioninput",
    "choicegroup",
    "radiogroup",
    "checkboxgroup",
    "jsinput",
    "textline",
    "filesubmission",
    "codeinput",
    "textbox",
    "matlabinput",
    "schematic",
    "imageinput",
    "crystallography",
    "vsepr_input",
    "chemicalequationinput",
    "formulaequationinput",
    "drag_and_drop_input",
    "designprotein2dinput",
    "editageneinput",
    "annotationinput",
    "radiotextgroup",
    "checkboxtextgroup",
    "choicetextgroup",
];

/// Answers Open edX must refuse or mark wrong, for any text input.
const GARBAGE: &[&str] = &["abc", "1/0", "2+", "", " "];

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The oracle venv's Python, after `tests/oracle/setup.sh` (idempotent; builds the venv from
/// PyPI when missing or stale). Panics when it cannot be set up: this test never skips.
fn oracle_python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let venv = match std::env::var_os("SZPON_ORACLE_VENV") {
                Some(v) if !v.is_empty() => PathBuf::from(v),
                _ => PathBuf::from(std::env::var_os("HOME").ok_or("HOME is not set")?)
                    .join(".cache/szpon-oracle-venv"),
            };
            let setup = repo_root().join("tests/oracle/setup.sh");
            let started = Instant::now();
            let status = Command::new("bash")
                .arg(&setup)
                .env("SZPON_ORACLE_VENV", &venv)
                .status()
                .map_err(|e| format!("cannot run {}: {e}", setup.display()))?;
            if !status.success() {
                return Err(format!("{} failed ({status})", setup.display()));
            }
            let python = venv.join("bin/python");
            if !python.exists() {
                return Err(format!("{} is missing after setup", python.display()));
            }
            eprintln!(
                "oracle venv {} ready ({:.1} s)",
                venv.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(python)
        })
        .clone()
        .unwrap_or_else(|e| {
            panic!("the CAPA oracle cannot be set up: {e}; run tests/oracle/setup.sh (needs PyPI)")
        })
}

/// Grades `lines` with one oracle process: a writer thread feeds stdin while the results are
/// read, one JSON line each. Returns the results and the wall time (Python start-up included).
fn run_oracle(lines: &[String]) -> (Vec<Value>, Duration) {
    let python = oracle_python();
    let script = repo_root().join("../shared/capa/oracle/oracle.py");
    assert!(script.exists(), "{} is missing", script.display());
    let started = Instant::now();
    let mut child = Command::new(&python)
        .arg(&script)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
    let mut stdin = child.stdin.take().unwrap();
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let writer = std::thread::spawn(move || {
        // A broken pipe means the oracle died; its stderr tells why.
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut out = Vec::with_capacity(lines.len());
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.expect("oracle stdout");
        out.push(
            serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("oracle printed a non-JSON line ({e}): {line}")),
        );
    }
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let stderr = err_reader.join().unwrap();
    assert!(
        status.success() && out.len() == lines.len(),
        "oracle {status}: {} results for {} cases; stderr:\n{stderr}",
        out.len(),
        lines.len()
    );
    (out, started.elapsed())
}

// ---------------------------------------------------------------------------------------------
// Problems and answer sets
// ---------------------------------------------------------------------------------------------

struct Subject {
    /// `course/path/in/export.xml` (line), for reports.
    source: String,
    xml: String,
    problem_id: String,
    /// Response tags, for the per-type tallies.
    tags: BTreeSet<String>,
}

struct Case {
    subject: usize,
    label: String,
    seed: u64,
    answers: Value,
}

impl Case {
    fn line(&self, subjects: &[Subject]) -> String {
        let s = &subjects[self.subject];
        json!({"xml": s.xml, "answers": self.answers, "seed": self.seed, "problem_id": s.problem_id})
            .to_string()
    }
}

/// One candidate answer for an input, with why it is there.
struct Variant {
    label: String,
    value: Value,
}

fn v(label: impl Into<String>, value: impl Into<Value>) -> Variant {
    Variant {
        label: label.into(),
        value: value.into(),
    }
}

/// The response element and the input element an input id (`PID_R_A`) names: responses are
/// numbered from 2 in document order (Open edX increments before numbering inputs), inputs
/// from 1 within their response.
fn locate<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    problem_id: &str,
    input_id: &str,
) -> Option<(roxmltree::Node<'a, 'i>, roxmltree::Node<'a, 'i>)> {
    let rest = input_id.strip_prefix(problem_id)?.strip_prefix('_')?;
    let (r, a) = rest.split_once('_')?;
    let (r, a): (usize, usize) = (r.parse().ok()?, a.parse().ok()?);
    let response = doc
        .descendants()
        .filter(|n| n.is_element() && RESPONSE_TAGS.contains(&n.tag_name().name()))
        .nth(r.checked_sub(2)?)?;
    let input = response
        .descendants()
        .filter(|n| n.is_element() && INPUT_TAGS.contains(&n.tag_name().name()))
        .nth(a.checked_sub(1)?)?;
    Some((response, input))
}

fn children_named<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    tag: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.descendants()
        .filter(move |n| n.is_element() && n.tag_name().name() == tag)
}

fn is_true(node: roxmltree::Node) -> bool {
    node.attribute("correct")
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("true"))
}

/// Submit values of the choices Open edX marks correct, named as it names them.
fn correct_choices(response: roxmltree::Node, input: roxmltree::Node) -> Vec<String> {
    match response.tag_name().name() {
        // ChoiceResponse: every `.//choice` of the response is `choice_<index>`.
        "choiceresponse" => children_named(response, "choice")
            .enumerate()
            .filter(|(_, c)| is_true(*c))
            .map(|(i, _)| format!("choice_{i}"))
            .collect(),
        // MultipleChoice/TrueFalse: `choice_<name>`, or `choice_<i>` where i counts the unnamed
        // children of the choicegroups (lxml's `list(group)` counts comments too).
        "multiplechoiceresponse" | "truefalseresponse" => {
            let mut i = 0;
            let mut out = Vec::new();
            for group in response
                .children()
                .filter(|n| n.tag_name().name() == "choicegroup")
            {
                for c in group
                    .children()
                    .filter(|n| n.is_element() || n.is_comment())
                {
                    let name = match c.attribute("name") {
                        Some(n) => format!("choice_{n}"),
                        None => {
                            i += 1;
                            format!("choice_{}", i - 1)
                        }
                    };
                    if group == input && c.is_element() && is_true(c) {
                        out.push(name);
                    }
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The staff answer of a numerical/string/formula response (`answer` attribute).
fn staff_answer(response: roxmltree::Node) -> Option<String> {
    response
        .attribute("answer")
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
}

fn tolerance(response: roxmltree::Node) -> Option<String> {
    response
        .children()
        .find(|n| {
            n.tag_name().name() == "responseparam" && n.attribute("type") == Some("tolerance")
        })
        .and_then(|n| n.attribute("default"))
        .map(|t| t.trim().to_string())
}

fn real(expr: &str) -> Option<f64> {
    match evaluator(&[], &[], expr, true).ok()? {
        Number::Complex(c) if c.im != 0.0 => None,
        n => Some(n.real()).filter(|x| x.is_finite()),
    }
}

/// A float as an answer string: Rust's shortest round-trip digits, never exponent notation
/// (calc accepts both; plain digits keep the cases readable).
fn num(x: f64) -> String {
    format!("{x}")
}

fn numerical_variants(response: roxmltree::Node, out: &mut Vec<Variant>) {
    let Some(answer) = staff_answer(response) else {
        return;
    };
    out.push(v("the answer", answer.clone()));
    out.push(v("the answer, padded", format!("  {answer}  ")));
    out.push(v("the answer times 2", format!("2*({answer})")));
    let ranged = (answer.starts_with('[') || answer.starts_with('('))
        && (answer.ends_with(']') || answer.ends_with(')'));
    if ranged {
        // Range answers: both bounds (inclusive or not), the middle, just outside each side.
        let inner = &answer[1..answer.len() - 1];
        if let Some((lo, hi)) = inner.split_once(',') {
            if let (Some(lo), Some(hi)) = (real(lo), real(hi)) {
                let w = (hi - lo).abs().max(1e-9);
                for (l, x) in [
                    ("lower bound", lo),
                    ("upper bound", hi),
                    ("middle", (lo + hi) / 2.0),
                    ("below", lo - w * 0.1),
                    ("above", hi + w * 0.1),
                    ("far above", hi + w * 5.0),
                ] {
                    out.push(v(format!("range {l}"), num(x)));
                }
            }
        }
    } else if let Some(x) = real(&answer) {
        for d in [1e-7, -1e-7, 1e-5, -1e-5, 1e-3, 1e-2, -0.5] {
            out.push(v(format!("answer×(1{d:+e})"), num(x * (1.0 + d))));
        }
        out.push(v("answer+1", num(x + 1.0)));
        // Around the tolerance: inside, and the `close` partial-credit band (2× by default).
        let tol = tolerance(response).unwrap_or_else(|| "0.001%".into());
        let (t, relative) = match tol.strip_suffix('%') {
            Some(p) => (real(p).map(|p| p * 0.01), true),
            None => (real(&tol), false),
        };
        if let Some(t) = t {
            for k in [0.5, 1.5, 2.0, 2.5, 4.0] {
                let y = if relative {
                    x * (1.0 + t * k)
                } else {
                    x + t * k
                };
                out.push(v(format!("answer + {k}·tolerance ({tol})"), num(y)));
            }
        }
    } else {
        // Complex or unevaluable staff answers: expression near misses.
        out.push(v("answer×1.0000001", format!("({answer})*1.0000001")));
        out.push(v("answer×1.01", format!("({answer})*1.01")));
        out.push(v("answer+1", format!("({answer})+1")));
    }
    // Inputs calc reads its own way: overflow, percent suffix, complex, Python-only syntax.
    for odd in [
        "1e999", "-1e999", "50%", "i", "sqrt(-1)", "2**3", "1,5", "nan", "inf", "0x10",
    ] {
        out.push(v(format!("odd number {odd:?}"), odd));
    }
    for p in response
        .children()
        .filter(|n| n.tag_name().name() == "responseparam")
        .filter_map(|n| n.attribute("partial_answers"))
        .flat_map(|a| a.split(','))
    {
        out.push(v("a partial answer", p.trim().to_string()));
    }
    for a in children_named(response, "additional_answer").filter_map(|n| n.attribute("answer")) {
        out.push(v("an additional answer", a.to_string()));
    }
}

fn string_variants(response: roxmltree::Node, out: &mut Vec<Variant>) {
    let mut answers: Vec<(&str, String)> = Vec::new();
    if let Some(a) = staff_answer(response) {
        answers.push(("the answer", a));
    }
    for n in children_named(response, "additional_answer") {
        let a = n
            .attribute("answer")
            .map(str::to_string)
            .or_else(|| n.text().map(str::to_string));
        if let Some(a) = a {
            answers.push(("an additional answer", a.trim().to_string()));
        }
    }
    for (label, a) in &answers {
        out.push(v(*label, a.clone()));
        out.push(v(format!("{label}, upper case"), a.to_uppercase()));
        out.push(v(format!("{label}, lower case"), a.to_lowercase()));
        out.push(v(format!("{label}, trailing spaces"), format!("{a}   ")));
        out.push(v(format!("{label}, leading space"), format!(" {a}")));
        // Whitespace Python's str.strip() removes: NBSP, and \x1c-\x1f (not Unicode White_Space).
        out.push(v(
            format!("{label}, NBSP-padded"),
            format!("\u{a0}{a}\u{a0}"),
        ));
        out.push(v(
            format!("{label}, \\x1f-padded"),
            format!("\u{1f}{a}\t\n"),
        ));
        out.push(v(
            format!("{label}, doubled inner spaces"),
            a.replace(' ', "  "),
        ));
        out.push(v(format!("{label} + x"), format!("{a}x")));
        let mut shorter = a.clone();
        shorter.pop();
        out.push(v(format!("{label} minus its last char"), shorter));
    }
    // Wrong answers the author anticipated (hint targets).
    for tag in ["stringequalhint", "regexphint"] {
        for a in children_named(response, tag).filter_map(|n| n.attribute("answer")) {
            out.push(v(format!("a {tag} answer"), a.to_string()));
        }
    }
}

/// Formula responses compare at `samples` points drawn by Open edX from the *unseeded*
/// module-level `random2` RNG (not the problem seed), so a near miss (the answer ± a small
/// delta) can be right or wrong depending on the draw, and no implementation can reproduce
/// the draw. Only cases whose outcome holds for every draw are generated: the answer itself
/// (identical values), whitespace and parentheses around it, case changes (identical values
/// when `ci`; an unknown name, thus an error, when `cs` changes a name), a clearly wrong
/// `2·answer + 17` (wrong at every sample unless the answer is −17 there), and garbage.
fn formula_variants(response: roxmltree::Node, out: &mut Vec<Variant>) {
    let Some(answer) = staff_answer(response) else {
        return;
    };
    out.push(v("the answer", answer.clone()));
    out.push(v("the answer, trailing spaces", format!("{answer}   ")));
    out.push(v("the answer, parenthesized", format!("({answer})")));
    out.push(v("the answer, upper case", answer.to_uppercase()));
    out.push(v("the answer, lower case", answer.to_lowercase()));
    out.push(v("clearly wrong: 2·answer+17", format!("2*({answer})+17")));
    out.push(v("unbalanced", format!("({answer}")));
}

fn image_variants(input: roxmltree::Node, out: &mut Vec<Variant>) {
    let point = |x: f64, y: f64| format!("[{},{}]", x.round() as i64, y.round() as i64);
    if let Some(rects) = input.attribute("rectangle") {
        for rect in rects.split(';') {
            let nums: Vec<f64> = rect
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter(|s| !s.is_empty() && *s != "-")
                .filter_map(|s| s.parse().ok())
                .collect();
            if let [x1, y1, x2, y2] = nums[..] {
                out.push(v(
                    "rectangle centre",
                    point((x1 + x2) / 2.0, (y1 + y2) / 2.0),
                ));
                out.push(v("rectangle corner", point(x1, y1)));
                out.push(v("rectangle far corner", point(x2, y2)));
                out.push(v("just outside", point(x2 + 1.0, y2)));
            }
        }
    }
    if let Some(regions) = input.attribute("regions") {
        // A polygon or a list of polygons; try the vertex average (inside a convex region).
        if let Ok(val) = serde_json::from_str::<Value>(regions) {
            let polys: Vec<Value> = match val.as_array() {
                Some(a)
                    if a.first()
                        .and_then(|p| p.get(0))
                        .is_some_and(Value::is_array) =>
                {
                    a.clone()
                }
                _ => vec![val.clone()],
            };
            for poly in polys {
                let pts: Vec<(f64, f64)> = poly
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                    .collect();
                if pts.is_empty() {
                    continue;
                }
                let n = pts.len() as f64;
                let (sx, sy) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
                out.push(v("region centroid", point(sx / n, sy / n)));
                out.push(v("region vertex", point(pts[0].0, pts[0].1)));
            }
        }
    }
    out.push(v("origin", "[0,0]"));
    out.push(v("non-integer point", "[1.5,2]"));
    out.push(v("unclosed point", "[1,2"));
}

fn annotation_variants(input: roxmltree::Node, out: &mut Vec<Variant>) -> Option<Value> {
    let options: Vec<_> = children_named(input, "option").collect();
    let mut best = None;
    for (i, o) in options.iter().enumerate() {
        let choice = o.attribute("choice").unwrap_or("");
        let val = json!({"options": [i]}).to_string();
        if choice == "correct" && best.is_none() {
            best = Some(Value::from(val.clone()));
        }
        out.push(v(format!("option {i} ({choice})"), val));
    }
    out.push(v("no option", json!({"options": []}).to_string()));
    out.push(v("two options", json!({"options": [0, 1]}).to_string()));
    out.push(v("no options key", "{}"));
    best
}

/// The right answer (when the XML tells it) and the candidate answers of one input.
fn variants(
    info: &InputInfo,
    at: Option<(roxmltree::Node, roxmltree::Node)>,
) -> (Option<Value>, Vec<Variant>) {
    let mut out = Vec::new();
    let mut right: Option<Value> = None;
    let at = at.filter(|(r, i)| {
        r.tag_name().name() == info.response_tag && i.tag_name().name() == info.input_tag
    });
    match info.input_tag.as_str() {
        "checkboxgroup" => {
            out.push(v("no box", json!([])));
            for c in &info.choices {
                out.push(v(format!("only {c}"), json!([c])));
            }
            out.push(v("every box", json!(info.choices)));
            if let Some((resp, input)) = at {
                let correct = correct_choices(resp, input);
                let wrong: Vec<&String> = info
                    .choices
                    .iter()
                    .filter(|c| !correct.contains(c))
                    .collect();
                out.push(v("the correct boxes", json!(correct)));
                if let Some(w) = wrong.first() {
                    let mut plus = correct.clone();
                    plus.push((*w).clone());
                    out.push(v("the correct boxes + one wrong", json!(plus)));
                }
                if correct.len() > 1 {
                    out.push(v("the correct boxes but one", json!(correct[1..])));
                }
                right = Some(json!(correct));
            }
            out.push(v(
                "a string, not a list",
                info.choices.first().cloned().unwrap_or_default(),
            ));
        }
        "choicegroup" | "radiogroup" | "optioninput" => {
            for c in &info.choices {
                out.push(v(format!("choice {c}"), c.clone()));
            }
            out.push(v("empty", ""));
            out.push(v("not a choice", "choice_nonexistent"));
            if let Some((resp, input)) = at {
                if info.input_tag == "optioninput" {
                    // `correct="..."`, or the (stripped) leading text of the
                    // `<option correct="True">` child (make_xml_compatible).
                    right = input
                        .attribute("correct")
                        .or_else(|| {
                            children_named(input, "option")
                                .find(|o| is_true(*o))
                                .map(|o| o.text().unwrap_or(""))
                        })
                        .map(|c| Value::from(c.trim()));
                } else if let [c, ..] = &correct_choices(resp, input)[..] {
                    right = Some(Value::from(c.clone()));
                }
            }
        }
        "imageinput" => {
            if let Some((_, input)) = at {
                image_variants(input, &mut out);
                right = out.first().map(|v| v.value.clone());
            }
        }
        "annotationinput" => {
            if let Some((_, input)) = at {
                right = annotation_variants(input, &mut out);
            }
        }
        _ => {
            if let Some((resp, _)) = at {
                match info.response_tag.as_str() {
                    "numericalresponse" => numerical_variants(resp, &mut out),
                    "stringresponse" => string_variants(resp, &mut out),
                    "formularesponse" => formula_variants(resp, &mut out),
                    _ => {}
                }
                if matches!(
                    info.response_tag.as_str(),
                    "numericalresponse" | "stringresponse" | "formularesponse"
                ) {
                    right = staff_answer(resp).map(Value::from);
                }
            }
            for c in &info.choices {
                out.push(v(format!("choice {c}"), c.clone()));
            }
        }
    }
    for g in GARBAGE {
        out.push(v(format!("garbage {g:?}"), *g));
    }
    (right, out)
}

/// Falls back on the XML when our grader cannot parse a problem: Python scripts or response
/// types that run Python.
fn looks_like_python(xml: &str) -> bool {
    [
        "customresponse",
        "schematicresponse",
        "symbolicresponse",
        "/python\"",
    ]
    .iter()
    .any(|s| xml.contains(s))
}

/// Open edX's html id of a block location: anything but `[A-Za-z0-9_-]` becomes `_`.
fn html_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[derive(Default)]
struct Inventory {
    subjects: Vec<Subject>,
    cases: Vec<Case>,
    problems: usize,
    needs_python: usize,
    /// Subjects our grader refused to parse (their `{}` case is still compared).
    ours_unparsed: Vec<String>,
}

fn add_problem(inv: &mut Inventory, course: &str, block: &olx::Block) {
    inv.problems += 1;
    let problem_id = html_id(&block.id);
    let source = format!("{course}/{}:{}", block.source.file, block.source.line);
    let xml = block.xml.clone();
    let parsed = Problem::parse(&xml, &problem_id, 1);
    let needs_python = match &parsed {
        Ok(p) => p.needs_python(),
        Err(_) => looks_like_python(&xml),
    };
    if needs_python {
        inv.needs_python += 1;
        return;
    }
    let doc = roxmltree::Document::parse_with_options(
        &xml,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .ok();
    let tags: BTreeSet<String> = doc
        .iter()
        .flat_map(|d| d.descendants())
        .filter(|n| n.is_element() && RESPONSE_TAGS.contains(&n.tag_name().name()))
        .map(|n| n.tag_name().name().to_string())
        .collect();
    let subject = inv.subjects.len();
    inv.subjects.push(Subject {
        source: source.clone(),
        xml: xml.clone(),
        problem_id: problem_id.clone(),
        tags,
    });

    let mut answer_sets: Vec<(String, Value)> = vec![("nothing answered".into(), json!({}))];
    match &parsed {
        Err(_) => inv.ours_unparsed.push(source),
        Ok(p) => {
            let per_input: Vec<(String, Option<Value>, Vec<Variant>)> = p
                .inputs()
                .iter()
                .map(|info| {
                    let at = doc.as_ref().and_then(|d| locate(d, &problem_id, &info.id));
                    let (right, vars) = variants(info, at);
                    (info.id.clone(), right, vars)
                })
                .collect();
            // Held values: the right answer where known, else the first candidate.
            let base: serde_json::Map<String, Value> = per_input
                .iter()
                .filter_map(|(id, right, vars)| {
                    let val = right
                        .clone()
                        .or_else(|| vars.first().map(|v| v.value.clone()))?;
                    Some((id.clone(), val))
                })
                .collect();
            answer_sets.push(("all right (as derived)".into(), Value::Object(base.clone())));
            let every = |val: &str| -> Value {
                per_input
                    .iter()
                    .map(|(id, _, _)| (id.clone(), Value::from(val)))
                    .collect::<serde_json::Map<_, _>>()
                    .into()
            };
            answer_sets.push(("every input empty".into(), every("")));
            answer_sets.push(("every input garbage".into(), every("abc")));
            for (id, _, vars) in &per_input {
                for var in vars {
                    let mut answers = base.clone();
                    answers.insert(id.clone(), var.value.clone());
                    answer_sets.push((format!("{id}: {}", var.label), Value::Object(answers)));
                }
            }
        }
    }
    let seeds: &[u64] = if xml.contains("shuffle") || xml.contains("answer-pool") {
        &SHUFFLE_SEEDS
    } else {
        &SEEDS
    };
    let mut seen = BTreeSet::new();
    for &seed in seeds {
        for (label, answers) in &answer_sets {
            if seen.insert((seed, answers.to_string())) {
                inv.cases.push(Case {
                    subject,
                    label: label.clone(),
                    seed,
                    answers: answers.clone(),
                });
            }
        }
    }
}

fn inventory() -> Inventory {
    let mut inv = Inventory::default();
    for course in COURSES {
        let dir = unpack(&shared(&format!("{course}.tar.gz")));
        let c = olx::read_dir(dir.path()).unwrap_or_else(|e| panic!("{course}: {e}"));
        for block in c.blocks.iter().filter(|b| b.block_type == "problem") {
            add_problem(&mut inv, course, block);
        }
    }
    inv
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

#[derive(Debug, PartialEq)]
enum Verdict {
    Agree,
    BothError,
    Disagree(String),
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn compare(ours: &Value, theirs: &Value) -> Verdict {
    match (ours.get("error"), theirs.get("error")) {
        (Some(_), Some(_)) => return Verdict::BothError,
        (Some(_), None) => return Verdict::Disagree("we error, Open edX grades".into()),
        (None, Some(_)) => return Verdict::Disagree("Open edX errors, we grade".into()),
        (None, None) => {}
    }
    let mut why = Vec::new();
    let map = |v: &Value| v.get("correct_map").and_then(Value::as_object).cloned();
    let (Some(a), Some(b)) = (map(ours), map(theirs)) else {
        return Verdict::Disagree("a correct_map is missing".into());
    };
    // An id one side leaves out counts as ungraded: `CorrectMap.get_correctness` is None and
    // `get_npoints` 0 for ids it does not hold (the oracle lists every question id, `<solution>`
    // ids included, which are never graded).
    let ungraded = json!({"correctness": null, "npoints": 0});
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for id in ids {
        let (x, y) = (
            a.get(id).unwrap_or(&ungraded),
            b.get(id).unwrap_or(&ungraded),
        );
        let (cx, cy) = (
            x.get("correctness").unwrap_or(&Value::Null),
            y.get("correctness").unwrap_or(&Value::Null),
        );
        if cx != cy {
            why.push(format!("{id} correctness {cx} vs {cy}"));
        }
        let (p, q) = (
            x.get("npoints").and_then(number),
            y.get("npoints").and_then(number),
        );
        if !matches!((p, q), (Some(p), Some(q)) if (p - q).abs() <= 1e-9) {
            why.push(format!("{id} npoints {p:?} vs {q:?}"));
        }
    }
    for key in ["score", "max_score"] {
        let (p, q) = (
            ours.get(key).and_then(number),
            theirs.get(key).and_then(number),
        );
        if !matches!((p, q), (Some(p), Some(q)) if (p - q).abs() <= 1e-9) {
            why.push(format!("{key} {p:?} vs {q:?}"));
        }
    }
    if why.is_empty() {
        Verdict::Agree
    } else {
        Verdict::Disagree(why.join("; "))
    }
}

/// `differential_known.txt`: `SOURCE<TAB>ANSWERS<TAB>REASON` per line (`#` comments). SOURCE is
/// the report's `course/file:line`, ANSWERS the compact answers JSON or `*` for every case of
/// the problem; a reason is required.
fn known() -> Vec<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/differential_known.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.splitn(3, '\t').collect();
            match parts[..] {
                [s, a, r] if !r.trim().is_empty() => (s.into(), a.into(), r.trim().into()),
                _ => panic!(
                    "{}: want SOURCE<TAB>ANSWERS<TAB>REASON: {l}",
                    path.display()
                ),
            }
        })
        .collect()
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

#[test]
fn our_grader_agrees_with_open_edx_on_real_courses() {
    let inv = inventory();
    let lines: Vec<String> = inv.cases.iter().map(|c| c.line(&inv.subjects)).collect();

    let started = Instant::now();
    let ours: Vec<Value> = lines
        .iter()
        .map(|l| {
            let out = grade_json_line(l);
            serde_json::from_str(&out)
                .unwrap_or_else(|e| json!({"error": format!("not JSON ({e}): {out}")}))
        })
        .collect();
    let our_time = started.elapsed();
    let (theirs, oracle_time) = run_oracle(&lines);

    // Problems Open edX itself cannot load (every case errors there) are counted, not compared.
    let mut oracle_ok: BTreeSet<usize> = BTreeSet::new();
    for (case, t) in inv.cases.iter().zip(&theirs) {
        if t.get("error").is_none() {
            oracle_ok.insert(case.subject);
        }
    }
    let oracle_rejects: Vec<usize> = (0..inv.subjects.len())
        .filter(|s| !oracle_ok.contains(s))
        .collect();

    // SZPON_DIFFERENTIAL_DUMP=FILE: every compared case as a JSON line, for digging.
    if let Some(path) = std::env::var_os("SZPON_DIFFERENTIAL_DUMP") {
        let dump: String = inv
            .cases
            .iter()
            .zip(&ours)
            .zip(&theirs)
            .map(|((c, o), t)| {
                let s = &inv.subjects[c.subject];
                let row = json!({"source": s.source, "problem_id": s.problem_id, "seed": c.seed,
                    "label": c.label, "answers": c.answers, "ours": o, "open_edx": t});
                format!("{row}\n")
            })
            .collect();
        std::fs::write(&path, dump).unwrap();
    }

    let allow = known();
    let mut used_allow = vec![false; allow.len()];
    let (mut n, mut agree, mut both_error, mut allowed) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    let mut by_type: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for ((case, o), t) in inv.cases.iter().zip(&ours).zip(&theirs) {
        if !oracle_ok.contains(&case.subject) {
            continue;
        }
        n += 1;
        let subject = &inv.subjects[case.subject];
        let tag = subject.tags.iter().cloned().collect::<Vec<_>>().join("+");
        let tally = by_type.entry(tag).or_default();
        tally.0 += 1;
        match compare(o, t) {
            Verdict::Agree => agree += 1,
            Verdict::BothError => both_error += 1,
            Verdict::Disagree(why) => {
                let answers = case.answers.to_string();
                if let Some(i) = allow
                    .iter()
                    .position(|(s, a, _)| *s == subject.source && (a == "*" || *a == answers))
                {
                    used_allow[i] = true;
                    allowed += 1;
                    continue;
                }
                tally.1 += 1;
                disagreements.push((case, why, o, t));
            }
        }
    }

    let mut report = String::new();
    let _ = writeln!(
        report,
        "differential: {n} cases, {agree} agree, {} disagree, {both_error} both-error, problems {} ({} skipped: needs python)",
        disagreements.len(),
        inv.problems,
        inv.needs_python
    );
    let _ = writeln!(
        report,
        "  {} problems compared; {} rejected by Open edX itself (every case errors; not compared): {}",
        inv.subjects.len() - oracle_rejects.len(),
        oracle_rejects.len(),
        oracle_rejects
            .iter()
            .map(|&s| inv.subjects[s].source.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !inv.ours_unparsed.is_empty() {
        let _ = writeln!(
            report,
            "  our Problem::parse refused {}: {}",
            inv.ours_unparsed.len(),
            inv.ours_unparsed.join(", ")
        );
    }
    if allowed > 0 {
        let _ = writeln!(
            report,
            "  {allowed} disagreements allowed by differential_known.txt"
        );
    }
    for ((s, a, _), used) in allow.iter().zip(&used_allow) {
        if !used {
            let _ = writeln!(
                report,
                "  stale allow-list entry (matched nothing): {s} {a}"
            );
        }
    }
    let _ = writeln!(
        report,
        "  time: ours {:.2} s for {} cases; oracle {:.2} s (Python start-up included)",
        our_time.as_secs_f64(),
        lines.len(),
        oracle_time.as_secs_f64()
    );
    let _ = writeln!(report, "  by response type (cases / disagreements):");
    for (tag, (c, d)) in &by_type {
        let _ = writeln!(report, "    {tag:<40} {c:>5} / {d}");
    }
    for (case, why, o, t) in disagreements.iter().take(30) {
        let s = &inv.subjects[case.subject];
        let _ = writeln!(
            report,
            "\n- {} (problem_id {}, seed {}) — {}\n  {why}\n  answers: {}\n  ours:    {}\n  Open edX: {}\n  xml: {}",
            s.source,
            s.problem_id,
            case.seed,
            case.label,
            case.answers,
            short(&o.to_string(), 600),
            short(&t.to_string(), 600),
            short(&s.xml.split_whitespace().collect::<Vec<_>>().join(" "), 400)
        );
    }
    eprintln!("{report}");
    assert!(
        inv.cases.len() > 500 && n > 0,
        "too few cases: the inventory is broken\n{report}"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with Open edX (see above)",
        disagreements.len()
    );
}

/// The oracle against the hand-checked rows of `../shared/capa/conformance.jsonl` (those that
/// need no Python): a row where Open edX disagrees with its `expected` is a data error.
#[test]
fn the_oracle_agrees_with_the_conformance_file() {
    let path = repo_root().join("../shared/capa/conformance.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &Value| {
            !r.get("needs")
                .and_then(Value::as_array)
                .is_some_and(|n| n.iter().any(|x| x == "python"))
        })
        .collect();
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            json!({"xml": r["xml"], "answers": r["answers"], "seed": r.get("seed").cloned().unwrap_or(json!(1)),
                   "problem_id": r.get("problem_id").cloned().unwrap_or(json!("1"))})
            .to_string()
        })
        .collect();
    let (results, time) = run_oracle(&lines);
    let mut bad = Vec::new();
    for (row, out) in rows.iter().zip(&results) {
        let input = row
            .get("check_input")
            .and_then(Value::as_str)
            .unwrap_or("1_2_1");
        let got = &out["correct_map"][input];
        let ok = got["correctness"] == row["expected"]
            && row
                .get("npoints")
                .and_then(Value::as_f64)
                .is_none_or(|want| {
                    got["npoints"]
                        .as_f64()
                        .is_some_and(|p| (p - want).abs() <= 1e-9)
                });
        if !ok {
            bad.push(format!(
                "{} answers {}: expected {} (npoints {}), oracle {}",
                row["source"], row["answers"], row["expected"], row["npoints"], out
            ));
        }
    }
    eprintln!(
        "conformance via oracle: {} rows, {} disagree ({:.2} s)",
        rows.len(),
        bad.len(),
        time.as_secs_f64()
    );
    assert!(
        bad.is_empty(),
        "the oracle disagrees with conformance.jsonl:\n{}",
        bad.join("\n")
    );
}

/// The comparison rules themselves, without the oracle.
#[test]
fn comparison_rules() {
    let graded = |c: &str, p: f64, score: f64| json!({"correct_map": {"1_2_1": {"correctness": c, "npoints": p}}, "score": score, "max_score": 1});
    let err = json!({"error": "StudentInputError: no"});
    assert_eq!(
        compare(&graded("correct", 1.0, 1.0), &graded("correct", 1.0, 1.0)),
        Verdict::Agree
    );
    assert_eq!(
        compare(&err, &json!({"error": "Other: yes"})),
        Verdict::BothError
    );
    assert!(matches!(
        compare(&err, &graded("incorrect", 0.0, 0.0)),
        Verdict::Disagree(_)
    ));
    assert!(matches!(
        compare(&graded("incorrect", 0.0, 0.0), &err),
        Verdict::Disagree(_)
    ));
    assert!(matches!(
        compare(&graded("correct", 1.0, 1.0), &graded("incorrect", 0.0, 0.0)),
        Verdict::Disagree(_)
    ));
    // npoints within 1e-9; integer and float JSON numbers are the same number.
    assert_eq!(
        compare(
            &graded("partially-correct", 0.5, 0.5),
            &graded("partially-correct", 0.5 + 1e-12, 0.5)
        ),
        Verdict::Agree
    );
    assert_eq!(
        compare(
            &json!({"correct_map": {"1_2_1": {"correctness": "incorrect", "npoints": 0.0}}, "score": 0.0, "max_score": 1.0}),
            &json!({"correct_map": {"1_2_1": {"correctness": "incorrect", "npoints": 0}}, "score": 0, "max_score": 1})
        ),
        Verdict::Agree
    );
    // An id one side omits is ungraded (the oracle lists `<solution>` ids).
    let mut with_solution = graded("correct", 1.0, 1.0);
    with_solution["correct_map"]["1_solution_1"] = json!({"correctness": null, "npoints": 0});
    assert_eq!(
        compare(&graded("correct", 1.0, 1.0), &with_solution),
        Verdict::Agree
    );
    let mut extra = graded("correct", 1.0, 1.0);
    extra["correct_map"]["1_3_1"] = json!({"correctness": "incorrect", "npoints": 0});
    assert!(matches!(
        compare(&graded("correct", 1.0, 1.0), &extra),
        Verdict::Disagree(_)
    ));
}
