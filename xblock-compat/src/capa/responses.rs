//! The response types: setup at parse time (what Open edX's `LoncapaResponse.__init__` and each
//! `setup_response` check and compute), `get_score`, `get_answers`, and the hints that go into
//! a correct map's `msg`. Behaviour per CAPA-SPEC.md §4; every quirk kept on purpose is
//! commented where it is implemented.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::calc::{evaluator, CalcError, Complex, Number};
use super::problem::{required_upper, AnswerValue, Answers, CapaError, Correctness};
use super::pyutil::{py_complex, py_float, py_float_repr, py_int, py_regex, py_strip, PyNum};
use super::random2::Random2;
use super::tolerance::{try_compare_with_numeric_tolerance, try_compare_with_tolerance};
use super::xml::{escape_text, html_escape, Tree};

/// Problem-level data responses need.
pub(crate) struct Ctx {
    pub seed: u64,
}

impl Ctx {
    /// `contextualize_text` with the context Open edX builds when no script runs: `seed`,
    /// `script_code` (""), `python_path` ("[]"), `extra_files` ("None"), longest name first.
    /// (`anonymous_student_id` is per user and left as written.)
    pub fn contextualize(&self, text: &str) -> String {
        if !text.contains('$') {
            return text.to_string();
        }
        let seed = self.seed.to_string();
        let mut t = text.to_string();
        for (k, v) in [
            ("$script_code", ""),
            ("$python_path", "[]"),
            ("$extra_files", "None"),
            ("$seed", seed.as_str()),
        ] {
            if t.contains(k) {
                t = t.replace(k, v);
            }
        }
        t
    }

    fn ctx_opt(&self, v: Option<&str>) -> Option<String> {
        v.map(|s| self.contextualize(s))
    }
}

/// One CorrectMap entry. `correctness` is `None` only where Open edX stores `None`
/// (an annotation option with an unknown `choice`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Entry {
    pub correctness: Option<Correctness>,
    pub npoints: Option<PyNum>,
    pub msg: String,
}

impl Entry {
    fn new(c: Correctness, npoints: Option<PyNum>) -> Entry {
        Entry {
            correctness: Some(c),
            npoints,
            msg: String::new(),
        }
    }

    /// `CorrectMap.get_npoints`.
    pub fn get_npoints(&self) -> PyNum {
        match self.npoints {
            Some(n) => n,
            None => match self.correctness {
                Some(Correctness::Correct | Correctness::PartiallyCorrect) => PyNum::Int(1),
                _ => PyNum::Int(0),
            },
        }
    }
}

pub(crate) type Cmap = BTreeMap<String, Entry>;

fn single(aid: &str, c: Correctness, npoints: Option<PyNum>) -> Cmap {
    let mut m = Cmap::new();
    m.insert(aid.to_string(), Entry::new(c, npoints));
    m
}

fn verdict(ok: bool) -> Correctness {
    if ok {
        Correctness::Correct
    } else {
        Correctness::Incorrect
    }
}

/// `round_away_from_zero(number, digits)` of responsetypes.py.
fn round_away_from_zero(x: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    if x >= 0.0 {
        (x * p + 0.5).floor() / p
    } else {
        (x * p - 0.5).ceil() / p
    }
}

fn py_error(kind: &str, msg: impl std::fmt::Display) -> CapaError {
    CapaError::Problem(format!("{kind}: {msg}"))
}

fn missing(aid: &str) -> CapaError {
    CapaError::StudentInput(format!("No answer was submitted for {aid} (KeyError)"))
}

#[derive(Clone, Debug)]
enum Kind {
    Choice {
        correct: Vec<String>,
        incorrect: Vec<String>,
    },
    Multiple {
        truefalse: bool,
        correct: Vec<Option<String>>,
        partial: Vec<(Option<String>, f64)>,
    },
    Options {
        correct: Vec<Option<String>>,
    },
    Numerical {
        /// The staff answer, or for a range its normalised text (`[a, b)`).
        answer: String,
        range: Option<((bool, bool), Vec<String>)>,
        tolerance: String,
        additional: Vec<Option<String>>,
        /// `responseparam@partial_range` and `@partial_answers` (direct children, first).
        partial_range: Option<String>,
        partial_answers: Option<String>,
    },
    Str {
        answers: Vec<String>,
        regexp: bool,
        ci: bool,
        backward: bool,
    },
    Formula {
        answer: String,
        samples: String,
        tolerance: String,
        case_sensitive: bool,
    },
    Image,
    Annotation {
        /// Per input: each option's (`choice`, text).
        options: Vec<Vec<(Option<String>, Option<String>)>>,
    },
    ChoiceText {
        correct_choices: BTreeSet<String>,
        /// input name → (answer, tolerance)
        correct_inputs: HashMap<Option<String>, (String, String)>,
        answer_values: Vec<(String, Vec<String>)>,
    },
    /// Graded by Python in Open edX.
    Script,
}

/// A response of the problem.
#[derive(Clone, Debug)]
pub(crate) struct Response {
    pub id: String,
    pub node: usize,
    pub tag: String,
    pub input_ids: Vec<String>,
    pub input_nodes: Vec<usize>,
    pub maxpoints: Vec<i64>,
    credit: Option<Vec<String>>,
    kind: Kind,
}

/// Per-submission facts grading passes on to the hints.
#[derive(Default)]
pub(crate) struct Aux {
    additional_answer_index: Option<usize>,
}

const CUSTOM_INPUTS: [&str; 11] = [
    "textline",
    "textbox",
    "crystallography",
    "chemicalequationinput",
    "vsepr_input",
    "drag_and_drop_input",
    "designprotein2dinput",
    "editageneinput",
    "annotationinput",
    "jsinput",
    "formulaequationinput",
];

/// `allowed_inputfields`, `max_inputfields`, `required_attributes` per tag.
fn constraints(
    tag: &str,
) -> (
    &'static [&'static str],
    Option<usize>,
    &'static [&'static str],
) {
    match tag {
        "choiceresponse" => (&["checkboxgroup", "radiogroup"], Some(1), &[]),
        "multiplechoiceresponse" | "truefalseresponse" => (&["choicegroup"], Some(1), &[]),
        "optionresponse" => (&["optioninput"], None, &[]),
        "numericalresponse" => (&["textline", "formulaequationinput"], Some(1), &["answer"]),
        "stringresponse" => (&["textline"], Some(1), &["answer"]),
        "customresponse" => (&CUSTOM_INPUTS, None, &[]),
        "symbolicresponse" => (&CUSTOM_INPUTS, Some(1), &[]),
        "coderesponse" => (&["textbox", "filesubmission", "matlabinput"], Some(1), &[]),
        "externalresponse" => (&["textline", "textbox"], None, &[]),
        "formularesponse" => (
            &["textline", "formulaequationinput"],
            Some(1),
            &["answer", "samples"],
        ),
        "schematicresponse" => (&["schematic"], None, &[]),
        "imageresponse" => (&["imageinput"], None, &[]),
        "annotationresponse" => (&["annotationinput"], Some(1), &[]),
        "choicetextresponse" => (
            &["choicetextgroup", "checkboxtextgroup", "radiotextgroup"],
            Some(1),
            &[],
        ),
        _ => (&[], None, &[]),
    }
}

/// `responseparam[@type="tolerance"]/@default` anywhere under the response, stripped.
fn tolerance_of(tree: &Tree, node: usize, ctx: &Ctx) -> String {
    tree.descendants(node)
        .into_iter()
        .filter(|&n| tree.tag(n) == "responseparam" && tree.attr(n, "type") == Some("tolerance"))
        .find_map(|n| tree.attr(n, "default"))
        .map(|d| ctx.contextualize(d.trim()))
        .unwrap_or_else(|| super::tolerance::DEFAULT_TOLERANCE.to_string())
}

/// Construct a response as `LoncapaResponse.__init__` + `setup_response`.
pub(crate) fn setup(
    tree: &mut Tree,
    node: usize,
    rid: &str,
    inputs: &[usize],
    ctx: &Ctx,
) -> Result<Response, CapaError> {
    let tag = tree.tag(node).to_string();
    let me = format!("LoncapaProblem Response {tag}");
    let (allowed, max_inputs, required) = constraints(&tag);
    for &i in inputs {
        if !allowed.contains(&tree.tag(i)) {
            return Err(CapaError::Problem(format!(
                "{me}: cannot have input field {}",
                tree.tag(i)
            )));
        }
    }
    if let Some(m) = max_inputs {
        if inputs.len() > m {
            return Err(CapaError::Problem(format!(
                "{me}: cannot have more than {m} input fields"
            )));
        }
    }
    for prop in required {
        if tree.attr(node, prop).is_none_or(str::is_empty) {
            return Err(CapaError::Problem(format!(
                "Error in problem specification: {me} missing required attribute {prop}"
            )));
        }
    }
    let input_ids: Vec<String> = inputs
        .iter()
        .map(|&i| tree.attr(i, "id").unwrap_or("").to_string())
        .collect();
    if max_inputs == Some(1) && inputs.is_empty() {
        // `self.answer_id = self.answer_ids[0]`
        return Err(py_error("IndexError", "list index out of range"));
    }
    let mut maxpoints = Vec::new();
    for &i in inputs {
        let p = tree.attr(i, "points").unwrap_or("1");
        maxpoints.push(py_int(p).ok_or_else(|| {
            py_error(
                "ValueError",
                format!("invalid literal for int() with base 10: '{p}'"),
            )
        })?);
    }
    let credit = match tree.attr(node, "partial_credit") {
        None => None,
        Some(s) if s.to_lowercase().trim() == "false" => None,
        Some(s) => Some(s.split(',').map(|w| w.trim().to_lowercase()).collect()),
    };
    let aid = input_ids.first().cloned().unwrap_or_default();

    let kind = match tag.as_str() {
        "multiplechoiceresponse" | "truefalseresponse" => {
            let truefalse = tag == "truefalseresponse";
            let mut i = 0;
            for cg in tree.children_named(node, "choicegroup") {
                if truefalse {
                    tree.set_attr(cg, "type", "TrueFalse");
                } else if tree.attr(cg, "type") != Some("MultipleChoice") {
                    tree.set_attr(cg, "type", "MultipleChoice");
                }
                for ch in tree.children(cg) {
                    let name = match tree.attr(ch, "name") {
                        Some(n) => format!("choice_{n}"),
                        None => {
                            i += 1;
                            format!("choice_{}", i - 1)
                        }
                    };
                    tree.set_attr(ch, "name", &name);
                }
            }
            let choices: Vec<usize> = tree
                .descendants(node)
                .into_iter()
                .filter(|&n| tree.tag(n) == "choice")
                .collect();
            let mut correct = Vec::new();
            let mut partial = Vec::new();
            for &c in &choices {
                let corr = ctx.ctx_opt(tree.attr(c, "correct"));
                if required_upper(corr.as_deref(), "choice@correct")? == "TRUE" {
                    correct.push(ctx.ctx_opt(tree.attr(c, "name")));
                }
            }
            if credit.is_some() {
                for &c in &choices {
                    let corr = ctx.ctx_opt(tree.attr(c, "correct")).unwrap_or_default();
                    if corr.to_lowercase() == "partial" {
                        let pv = tree.attr(c, "point_value").unwrap_or("0.5");
                        let v = py_float(pv).ok_or_else(|| {
                            py_error(
                                "ValueError",
                                format!("could not convert string to float: '{pv}'"),
                            )
                        })?;
                        partial.push((ctx.ctx_opt(tree.attr(c, "name")), v));
                    }
                }
            }
            Kind::Multiple {
                truefalse,
                correct,
                partial,
            }
        }
        "choiceresponse" => {
            let choices: Vec<usize> = tree
                .descendants(node)
                .into_iter()
                .filter(|&n| tree.tag(n) == "choice")
                .collect();
            let mut correct = Vec::new();
            let mut incorrect = Vec::new();
            for (index, &c) in choices.iter().enumerate() {
                tree.set_attr(c, "name", &format!("choice_{index}"));
                if tree.attr(c, "id").is_none_or(str::is_empty) {
                    // ids A, B, … are what <compoundhint value="A C"> refers to
                    let letter = char::from_u32(65 + index as u32).unwrap_or('?');
                    tree.set_attr(c, "id", &letter.to_string());
                }
            }
            for &c in &choices {
                let name = ctx.contextualize(tree.attr(c, "name").unwrap_or(""));
                let corr = ctx.ctx_opt(tree.attr(c, "correct"));
                match required_upper(corr.as_deref(), "choice@correct")?.as_str() {
                    "TRUE" if !correct.contains(&name) => correct.push(name),
                    "FALSE" if !incorrect.contains(&name) => incorrect.push(name),
                    _ => {}
                }
            }
            Kind::Choice { correct, incorrect }
        }
        "optionresponse" => Kind::Options {
            correct: inputs
                .iter()
                .map(|&i| ctx.ctx_opt(tree.attr(i, "correct")))
                .collect(),
        },
        "numericalresponse" => {
            let answer = tree.attr(node, "answer").unwrap_or("").to_string();
            let additional = tree
                .children_named(node, "additional_answer")
                .into_iter()
                .map(|a| tree.attr(a, "answer").map(str::to_string))
                .collect();
            let param = |a: &str| {
                tree.children_named(node, "responseparam")
                    .into_iter()
                    .find_map(|p| tree.attr(p, a).map(str::to_string))
            };
            let partial_range = param("partial_range");
            let partial_answers = param("partial_answers");
            let is_range =
                answer.starts_with(['[', '(']) && answer.ends_with([']', ')']) && answer.len() >= 2;
            if is_range {
                let inner = &answer[1..answer.len() - 1];
                let parts: Vec<String> = inner.split(',').map(|x| ctx.contextualize(x)).collect();
                if parts.len() < 2 {
                    return Err(CapaError::StudentInput(
                        "There was a problem with the staff answer to this problem.".into(),
                    ));
                }
                let first = &answer[..1];
                let last = &answer[answer.len() - 1..];
                Kind::Numerical {
                    answer: format!("{first}{}, {}{last}", parts[0], parts[1]),
                    range: Some(((first == "[", last == "]"), parts)),
                    tolerance: super::tolerance::DEFAULT_TOLERANCE.to_string(),
                    additional,
                    partial_range,
                    partial_answers,
                }
            } else {
                Kind::Numerical {
                    answer: ctx.contextualize(&answer),
                    range: None,
                    tolerance: tolerance_of(tree, node, ctx),
                    additional,
                    partial_range,
                    partial_answers,
                }
            }
        }
        "stringresponse" => {
            let answer = tree.attr(node, "answer").unwrap_or("").to_string();
            let backward = answer.to_lowercase().contains("_or_");
            let types: Vec<String> = tree
                .attr(node, "type")
                .map(|t| t.to_lowercase().split(' ').map(str::to_string).collect())
                .unwrap_or_default();
            let regexp = types.iter().any(|t| t == "regexp");
            let ci = types.iter().any(|t| t == "ci");
            let answers = if backward {
                answer
                    .split("_or_")
                    .map(|a| py_strip(&ctx.contextualize(a)).to_string())
                    .collect()
            } else {
                let mut v = vec![py_strip(&ctx.contextualize(&answer)).to_string()];
                for a in tree.children_named(node, "additional_answer") {
                    match tree.attr(a, "answer") {
                        Some(x) => v.push(py_strip(&ctx.contextualize(x)).to_string()),
                        None => {
                            return Err(py_error(
                                "AttributeError",
                                "'NoneType' object has no attribute 'strip'",
                            ))
                        }
                    }
                }
                v
            };
            Kind::Str {
                answers,
                regexp,
                ci,
                backward,
            }
        }
        "formularesponse" => {
            let types: Vec<&str> = tree
                .attr(node, "type")
                .map(|t| t.split(',').collect())
                .unwrap_or_default();
            let case_sensitive = !types.contains(&"ci") && types.contains(&"cs");
            Kind::Formula {
                answer: ctx.contextualize(tree.attr(node, "answer").unwrap_or("")),
                samples: ctx.contextualize(tree.attr(node, "samples").unwrap_or("")),
                tolerance: tolerance_of(tree, node, ctx),
                case_sensitive,
            }
        }
        "imageresponse" => Kind::Image,
        "annotationresponse" => {
            maxpoints = vec![2; inputs.len()];
            Kind::Annotation {
                options: inputs
                    .iter()
                    .map(|&i| {
                        tree.children_named(i, "options")
                            .into_iter()
                            .flat_map(|o| tree.children_named(o, "option"))
                            .map(|o| {
                                (
                                    tree.attr(o, "choice").map(str::to_string),
                                    tree.text(o).map(str::to_string),
                                )
                            })
                            .collect()
                    })
                    .collect(),
            }
        }
        "choicetextresponse" => {
            let choices: Vec<usize> = tree
                .descendants(node)
                .into_iter()
                .filter(|&n| tree.tag(n) == "choice")
                .collect();
            for (index, &c) in choices.iter().enumerate() {
                tree.set_attr(c, "name", &format!("{aid}_choiceinput_{index}bc"));
                let nts = tree.children_named(c, "numtolerance_input");
                let inner = if nts.is_empty() {
                    tree.children_named(c, "decoy_input")
                } else {
                    nts
                };
                for (ind, &x) in inner.iter().enumerate() {
                    tree.set_attr(
                        x,
                        "name",
                        &format!("{aid}_choiceinput_{index}_numtolerance_input_{ind}"),
                    );
                }
            }
            let mut correct_choices = BTreeSet::new();
            let mut correct_inputs = HashMap::new();
            let mut answer_values = vec![(aid.clone(), Vec::new())];
            for &c in &choices {
                if tree.attr(c, "correct") != Some("true") {
                    continue;
                }
                let parent = tree.attr(c, "name").unwrap_or("").to_string();
                correct_choices.insert(parent.clone());
                answer_values[0].1.push(parent.clone());
                let mut list = Vec::new();
                for child in tree.children(c) {
                    let answer = match tree.attr(child, "answer") {
                        Some(a) if !a.is_empty() => ctx.contextualize(a),
                        _ => {
                            return Err(CapaError::Problem(
                                "Answer not provided for numtolerance_input".into(),
                            ))
                        }
                    };
                    let tol = ctx.contextualize(
                        tree.attr(child, "tolerance")
                            .unwrap_or(super::tolerance::DEFAULT_TOLERANCE),
                    );
                    correct_inputs.insert(
                        tree.attr(child, "name").map(str::to_string),
                        (answer.clone(), tol),
                    );
                    list.push(answer);
                }
                answer_values.push((parent, vec![list.join(", ")]));
            }
            Kind::ChoiceText {
                correct_choices,
                correct_inputs,
                answer_values,
            }
        }
        _ => Kind::Script,
    };
    Ok(Response {
        id: rid.to_string(),
        node,
        tag,
        input_ids,
        input_nodes: inputs.to_vec(),
        maxpoints,
        credit,
        kind,
    })
}

/// Submit values of a choice-like input, in display order.
pub(crate) fn input_choices(tree: &Tree, input: usize) -> Vec<String> {
    match tree.tag(input) {
        "choicegroup" | "radiogroup" | "checkboxgroup" | "radiotextgroup" | "checkboxtextgroup" => {
            tree.children_named(input, "choice")
                .into_iter()
                .filter_map(|c| tree.attr(c, "name").map(str::to_string))
                .collect()
        }
        "optioninput" => tree
            .attr(input, "options")
            .map(parse_options)
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `OptionInput.parse_options`: apostrophes between letters are protected, then the text
/// between the outer parentheses is split by a non-POSIX `shlex` with `'` quotes and `", "`
/// whitespace, and each token loses its first and last character.
pub(crate) fn parse_options(options: &str) -> Vec<String> {
    let chars: Vec<char> = options.chars().collect();
    let mut s = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let (qlen, ok) = match (chars.get(i + 1), chars.get(i + 2)) {
                (Some('\''), Some(n)) if n.is_ascii_alphabetic() => (1, true),
                (Some('\\'), Some('\'')) => {
                    (2, chars.get(i + 3).is_some_and(char::is_ascii_alphabetic))
                }
                _ => (0, false),
            };
            if ok {
                s.push(c);
                s.push_str("&#39;");
                s.push(chars[i + 1 + qlen]);
                i += 2 + qlen;
                continue;
            }
        }
        s.push(c);
        i += 1;
    }
    let s = s.replace("\\'", "&#39;");
    let inner: Vec<char> = {
        let v: Vec<char> = s.chars().collect();
        if v.len() >= 2 {
            v[1..v.len() - 1].to_vec()
        } else {
            Vec::new()
        }
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if c == ',' || c == ' ' {
            i += 1;
        } else if c == '#' {
            while i < inner.len() && inner[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' {
            let mut tok = String::from('\'');
            i += 1;
            while i < inner.len() && inner[i] != '\'' {
                tok.push(inner[i]);
                i += 1;
            }
            if i < inner.len() {
                tok.push('\'');
                i += 1;
            } else {
                break; // "No closing quotation"
            }
            tokens.push(tok);
        } else if is_word(c) {
            let mut tok = String::new();
            while i < inner.len() && (is_word(inner[i]) || inner[i] == '\'') {
                tok.push(inner[i]);
                i += 1;
            }
            tokens.push(tok);
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    tokens
        .into_iter()
        .map(|t| {
            let v: Vec<char> = t.chars().collect();
            let core: String = if v.len() >= 2 {
                v[1..v.len() - 1].iter().collect()
            } else {
                String::new()
            };
            core.replace("&#39;", "'")
        })
        .collect()
}

fn one<'a>(answers: &'a Answers, aid: &str) -> Option<&'a AnswerValue> {
    answers.get(aid)
}

/// `get_staff_ans`: Python `complex()` first, then calc.
fn staff_ans(s: &str) -> Result<Complex, CapaError> {
    if let Some(c) = py_complex(s) {
        return Ok(c);
    }
    evaluator(&[], &[], s, false)
        .map(Number::to_complex)
        .map_err(|_| {
            CapaError::StudentInput(
                "There was a problem with the staff answer to this problem.".into(),
            )
        })
}

fn cmp_err(e: impl std::fmt::Display) -> CapaError {
    CapaError::Problem(format!("compare_with_tolerance failed: {e}"))
}

/// A tolerance as Python passes it: a string (evaluated by calc), or a number.
enum Tol {
    Str(String),
    Num(f64),
}

fn within(s: Number, i: Complex, tol: &Tol) -> Result<bool, CapaError> {
    match tol {
        Tol::Str(t) => try_compare_with_tolerance(s.to_complex(), i, t, false).map_err(cmp_err),
        Tol::Num(t) => {
            try_compare_with_numeric_tolerance(s.to_complex(), i, *t, false).map_err(cmp_err)
        }
    }
}

fn numerical_input_error(e: CalcError, s: &str) -> CapaError {
    let esc = html_escape(s);
    match e {
        CalcError::UndefinedVariable(m) | CalcError::UnmatchedParenthesis(m) => {
            CapaError::StudentInput(m)
        }
        CalcError::Value(m) if m.contains("factorial") => CapaError::StudentInput(format!(
            "Factorial function evaluated outside its domain:'{esc}'"
        )),
        CalcError::Parse { .. } => CapaError::StudentInput(format!("Invalid math syntax: '{esc}'")),
        _ => CapaError::StudentInput(format!("Could not interpret '{esc}' as a number.")),
    }
}

fn formula_input_error(e: CalcError, s: &str) -> CapaError {
    let esc = html_escape(s);
    match e {
        CalcError::UndefinedVariable(m) | CalcError::UnmatchedParenthesis(m) => {
            CapaError::StudentInput(m)
        }
        CalcError::Value(m) if m.contains("factorial") => CapaError::StudentInput(format!(
            "Factorial function not permitted in answer for this problem. Provided answer was: {esc}"
        )),
        CalcError::Value(_) => CapaError::StudentInput(format!(
            "Invalid input: Could not parse '{esc}' as a formula."
        )),
        _ => CapaError::StudentInput(format!(
            "Invalid input: Could not parse '{esc}' as a formula"
        )),
    }
}

/// `FormulaResponse.randomize_variables`: `"x,y@lo1,lo2:hi1,hi2#n"`.
fn randomize_variables(
    samples: &str,
    rng: &mut Random2,
) -> Result<Vec<Vec<(String, f64)>>, CapaError> {
    let at: Vec<&str> = samples.split('@').collect();
    let variables: Vec<&str> = at[0].split(',').collect();
    let rest = at
        .get(1)
        .ok_or_else(|| py_error("IndexError", "list index out of range"))?;
    let hash: Vec<&str> = rest.split('#').collect();
    let n_str = hash
        .get(1)
        .ok_or_else(|| py_error("IndexError", "list index out of range"))?;
    let numsamples = py_int(n_str).ok_or_else(|| {
        py_error(
            "ValueError",
            format!("invalid literal for int() with base 10: '{n_str}'"),
        )
    })?;
    let mut lists: Vec<Vec<f64>> = Vec::new();
    for part in hash[0].split(':') {
        let mut l = Vec::new();
        for x in part.split(',') {
            l.push(py_float(x).ok_or_else(|| {
                py_error(
                    "ValueError",
                    format!("could not convert string to float: '{x}'"),
                )
            })?);
        }
        lists.push(l);
    }
    let width = lists.iter().map(Vec::len).min().unwrap_or(0);
    // dict(zip(variables, zip(*lists))): a repeated name keeps its first position, last value.
    let mut ranges: Vec<(String, Vec<f64>)> = Vec::new();
    for (k, v) in variables.iter().enumerate().take(width) {
        let tuple: Vec<f64> = lists.iter().map(|l| l[k]).collect();
        match ranges.iter_mut().find(|(n, _)| n == v) {
            Some(slot) => slot.1 = tuple,
            None => ranges.push((v.to_string(), tuple)),
        }
    }
    let mut out = Vec::new();
    for _ in 0..numsamples.clamp(0, 10_000) {
        let mut d = Vec::new();
        for (name, t) in &ranges {
            if t.len() != 2 {
                return Err(py_error(
                    "TypeError",
                    format!("uniform() takes 2 arguments ({} given)", t.len()),
                ));
            }
            d.push((name.clone(), rng.uniform(t[0], t[1])));
        }
        out.push(d);
    }
    Ok(out)
}

fn tupleize(
    answer: &str,
    samples: &[Vec<(String, f64)>],
    case_sensitive: bool,
) -> Result<Vec<Number>, CapaError> {
    samples
        .iter()
        .map(|d| {
            let vars: Vec<(&str, Number)> = d
                .iter()
                .map(|(k, v)| (k.as_str(), Number::Float(*v)))
                .collect();
            evaluator(&vars, &[], answer, case_sensitive)
                .map_err(|e| formula_input_error(e, answer))
        })
        .collect()
}

/// `FormulaResponse.check_formula`.
fn check_formula(
    expected: &str,
    given: &str,
    samples: &str,
    tolerance: &str,
    case_sensitive: bool,
    rng: &mut Random2,
) -> Result<bool, CapaError> {
    let vars = randomize_variables(samples, rng)?;
    let student = tupleize(given, &vars, case_sensitive)?;
    let instructor = tupleize(expected, &vars, case_sensitive)?;
    for (s, i) in student.iter().zip(&instructor) {
        if !try_compare_with_tolerance(s.to_complex(), i.to_complex(), tolerance, false)
            .map_err(cmp_err)?
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `StringResponse.check_string`.
fn check_string(
    expected: &[String],
    given: &str,
    regexp: bool,
    ci: bool,
    backward: bool,
) -> Result<bool, CapaError> {
    if given.is_empty() {
        return Ok(false);
    }
    if backward {
        return Ok(if ci {
            let g = given.to_lowercase();
            expected.iter().any(|e| e.to_lowercase() == g)
        } else {
            expected.iter().any(|e| e == given)
        });
    }
    if regexp {
        // Not grouped: '^a|b|c$' anchors only the first alternative at the start and only the
        // last at the end (Open edX's behaviour, kept).
        let pattern = format!("^{}$", expected.join("|"));
        let re = py_regex(&pattern, ci).map_err(|e| {
            CapaError::Response(format!(
                "[courseware.capa.responsetypes.stringresponse] error: {e}"
            ))
        })?;
        return Ok(re.is_match(given));
    }
    Ok(if ci {
        let g = given.to_lowercase();
        expected.iter().any(|e| e.to_lowercase() == g)
    } else {
        expected.iter().any(|e| e == given)
    })
}

/// `StringResponse.match_hint_node`.
fn match_hint_node(tree: &Tree, node: usize, given: &str, regex_mode: bool, ci: bool) -> bool {
    let answer = tree.attr(node, "answer").unwrap_or("").trim();
    if answer.is_empty() {
        return false;
    }
    if regex_mode {
        return py_regex(&format!("^{answer}$"), ci).is_ok_and(|re| re.is_match(given));
    }
    if ci {
        answer.to_lowercase() == given.to_lowercase()
    } else {
        answer == given
    }
}

/// The hint text of a hint element (`get_inner_html_from_xpath`: inner XML plus the tail,
/// stripped), or "" for an empty one.
fn hint_html(tree: &Tree, node: Option<usize>) -> String {
    let Some(n) = node else {
        return String::new();
    };
    if tree.node(n).children.is_empty() {
        return String::new();
    }
    let mut s = tree.inner_xml(n);
    if let Some(t) = tree.tail(n) {
        escape_text(t, &mut s);
    }
    s.trim().to_string()
}

fn convex_hull(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut lower: Vec<(f64, f64)> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<(f64, f64)> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// shapely's `MultiPoint(region).convex_hull.contains(Point(x, y))` for a hull that is a
/// polygon: strictly inside (the boundary does not count).
fn strictly_inside_hull(region: &[(f64, f64)], x: f64, y: f64) -> bool {
    let hull = convex_hull(region.to_vec());
    if hull.len() < 3 {
        return false; // a point or a segment, not a Polygon
    }
    (0..hull.len()).all(|k| {
        let a = hull[k];
        let b = hull[(k + 1) % hull.len()];
        (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) > 0.0
    })
}

fn json_points(v: &serde_json::Value) -> Option<Vec<(f64, f64)>> {
    v.as_array()?
        .iter()
        .map(|p| {
            let a = p.as_array()?;
            if a.len() < 2 || a.len() > 3 {
                return None;
            }
            Some((a[0].as_f64()?, a[1].as_f64()?))
        })
        .collect()
}

/// `re.match(r"\[([0-9]+),([0-9]+)]", s)`: anchored at the start only.
fn parse_click(s: &str) -> Option<(i128, i128)> {
    let rest = s.strip_prefix('[')?;
    let (a, rest) = take_digits(rest)?;
    let rest = rest.strip_prefix(',')?;
    let (b, rest) = take_digits(rest)?;
    rest.strip_prefix(']')?;
    Some((a, b))
}

fn take_digits(s: &str) -> Option<(i128, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let v = s[..end].parse::<i128>().unwrap_or(i128::MAX);
    Some((v, &s[end..]))
}

/// `[\(\[]x,y[\)\]]-[\(\[]x,y[\)\]]` at the start.
fn parse_rectangle(s: &str) -> Option<(i128, i128, i128, i128)> {
    let corner = |s: &str| -> Option<((i128, i128), usize)> {
        let rest = s.strip_prefix(['(', '['])?;
        let (a, r) = take_digits(rest)?;
        let r = r.strip_prefix(',')?;
        let (b, r) = take_digits(r)?;
        let r = r.strip_prefix([')', ']'])?;
        Some(((a, b), s.len() - r.len()))
    };
    let ((x1, y1), used) = corner(s)?;
    let rest = s[used..].strip_prefix('-')?;
    let ((x2, y2), _) = corner(rest)?;
    Some((x1, y1, x2, y2))
}

fn partition_before<'a>(s: &'a str, sep: &str) -> &'a str {
    s.split_once(sep).map_or(s, |(a, _)| a)
}

impl Response {
    /// Errors Open edX's `get_answers()` raises while the problem is built.
    pub fn check_answers(&self) -> Result<(), CapaError> {
        if let Kind::Numerical { additional, .. } = &self.kind {
            if additional.iter().any(Option::is_none) {
                return Err(py_error(
                    "TypeError",
                    "sequence item: expected str instance, NoneType found",
                ));
            }
        }
        Ok(())
    }

    pub fn needs_python(&self, tree: &Tree) -> bool {
        matches!(self.kind, Kind::Script)
            || tree
                .child_named(self.node, "hintgroup")
                .is_some_and(|h| tree.attr(h, "hintfn").is_some())
    }

    fn aid(&self) -> &str {
        self.input_ids.first().map_or("", String::as_str)
    }

    /// `do_shuffle` then `do_answer_pool` (multiple choice and true/false), with the problem's
    /// shared generator, created on first use.
    pub fn late_transforms(
        &self,
        tree: &mut Tree,
        rng: &mut Option<Random2>,
        seed: u64,
    ) -> Result<(), CapaError> {
        if !matches!(self.kind, Kind::Multiple { .. }) {
            return Ok(());
        }
        let groups = tree.children_named(self.node, "choicegroup");
        if let Some(&cg) = groups
            .iter()
            .find(|&&g| tree.attr(g, "shuffle") == Some("true"))
        {
            if tree.attr(cg, "answer-pool").is_some() {
                return Err(CapaError::Problem(
                    "Do not use shuffle and answer-pool at the same time".into(),
                ));
            }
            let mut head = Vec::new();
            let mut middle = Vec::new();
            let mut tail = Vec::new();
            let mut at_head = true;
            for c in tree.child_nodes(cg) {
                let fixed = tree.attr(c, "fixed") == Some("true");
                if at_head && fixed {
                    head.push(c);
                    continue;
                }
                at_head = false;
                if fixed {
                    tail.push(c);
                } else {
                    middle.push(c);
                }
            }
            rng.get_or_insert_with(|| Random2::new(i128::from(seed)))
                .shuffle(&mut middle);
            head.extend(middle);
            head.extend(tail);
            tree.reorder_children(cg, &head);
        }
        let groups = tree.children_named(self.node, "choicegroup");
        if let Some(&cg) = groups
            .iter()
            .find(|&&g| tree.attr(g, "answer-pool").is_some())
        {
            let num_str = tree.attr(cg, "answer-pool").unwrap_or("").to_string();
            if num_str == "0" {
                return Ok(());
            }
            let num = py_int(&num_str).ok_or_else(|| {
                CapaError::Problem("answer-pool value should be an integer".into())
            })?;
            let mut correct = Vec::new();
            let mut incorrect = Vec::new();
            for c in tree.children(cg) {
                if required_upper(tree.attr(c, "correct"), "choice@correct")? == "TRUE" {
                    correct.push(c);
                } else {
                    incorrect.push(c);
                }
            }
            if correct.is_empty() || incorrect.is_empty() {
                return Err(CapaError::Problem(
                    "Choicegroup must include at least 1 correct and 1 incorrect choice".into(),
                ));
            }
            let num_incorrect = (num - 1).min(incorrect.len() as i64);
            let r = rng.get_or_insert_with(|| Random2::new(i128::from(seed)));
            let index = r.randint(0, correct.len() as i64 - 1) as usize;
            let chosen = correct[index.min(correct.len() - 1)];
            let solution_id = tree.attr(chosen, "explanation-id").map(str::to_string);
            r.shuffle(&mut incorrect);
            // Python slice incorrect[:num_incorrect] (a negative bound counts from the end)
            let len = incorrect.len() as i64;
            let upto = if num_incorrect < 0 {
                (len + num_incorrect).max(0)
            } else {
                num_incorrect
            } as usize;
            let mut subset = vec![chosen];
            subset.extend(&incorrect[..upto]);
            r.shuffle(&mut subset);
            tree.reorder_children(cg, &subset);
            // ../following-sibling::solutionset: keep only the chosen answer's explanation
            if let Some(parent) = tree.parent(cg) {
                if let Some(grand) = tree.parent(parent) {
                    let sibs = tree.children(grand);
                    let pos = sibs.iter().position(|&s| s == parent).unwrap_or(sibs.len());
                    if let Some(&set) = sibs[pos..].iter().find(|&&s| tree.tag(s) == "solutionset")
                    {
                        for sol in tree.children_named(set, "solution") {
                            if tree.attr(sol, "explanation-id").map(str::to_string) != solution_id {
                                tree.remove(sol);
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// `get_answers()`: (key, values) pairs; the keys are also what Open edX's
    /// `get_question_answers` lists.
    pub fn answers(&self, tree: &Tree) -> Vec<(String, Vec<String>)> {
        let aid = self.aid().to_string();
        match &self.kind {
            Kind::Choice { correct, .. } => vec![(aid, correct.clone())],
            Kind::Multiple { correct, .. } => {
                vec![(aid, correct.iter().flatten().cloned().collect())]
            }
            Kind::Options { correct } => self
                .input_ids
                .iter()
                .zip(correct)
                .map(|(id, c)| (id.clone(), c.iter().cloned().collect()))
                .collect(),
            Kind::Numerical {
                answer, additional, ..
            } => {
                let mut v = vec![answer.clone()];
                v.extend(additional.iter().flatten().cloned());
                vec![(aid, v)]
            }
            Kind::Str { answers, .. } => vec![(aid, answers.clone())],
            Kind::Formula { answer, .. } => vec![(aid, vec![answer.clone()])],
            Kind::Image => self
                .input_ids
                .iter()
                .zip(&self.input_nodes)
                .map(|(id, &n)| {
                    let v = ["rectangle", "regions"]
                        .iter()
                        .filter_map(|a| tree.attr(n, a).map(str::to_string))
                        .collect();
                    (id.clone(), v)
                })
                .collect(),
            Kind::Annotation { options } => self
                .input_ids
                .iter()
                .zip(options)
                .filter_map(|(id, opts)| {
                    let o = opts.iter().find(|(c, _)| c.as_deref() == Some("correct"))?;
                    Some((id.clone(), o.1.iter().cloned().collect()))
                })
                .collect(),
            Kind::ChoiceText { answer_values, .. } => answer_values.clone(),
            Kind::Script => self.script_answers(tree),
        }
    }

    fn script_answers(&self, tree: &Tree) -> Vec<(String, Vec<String>)> {
        let ctx_free = |s: &str| s.to_string();
        let default_map: Vec<(String, Vec<String>)> = self
            .input_ids
            .iter()
            .zip(&self.input_nodes)
            .filter_map(|(id, &n)| {
                let a = tree.attr(n, "correct_answer").filter(|a| !a.is_empty())?;
                Some((id.clone(), vec![ctx_free(a)]))
            })
            .collect();
        match self.tag.as_str() {
            "customresponse" | "symbolicresponse" => {
                if self.input_ids.len() > 1 {
                    return default_map;
                }
                let expect = tree
                    .attr(self.node, "expect")
                    .filter(|e| !e.is_empty())
                    .or_else(|| tree.attr(self.node, "answer"))
                    .filter(|e| !e.is_empty());
                match (expect, self.input_ids.first()) {
                    (Some(e), Some(id)) => vec![(id.clone(), vec![e.to_string()])],
                    _ => default_map,
                }
            }
            "coderesponse" => {
                let shown = tree
                    .child_named(self.node, "codeparam")
                    .and_then(|c| tree.child_named(c, "answer_display"))
                    .map(|a| tree.text_content(a))
                    .unwrap_or_else(|| "No answer provided.".into());
                vec![(self.aid().to_string(), vec![shown])]
            }
            "schematicresponse" => default_map,
            _ => Vec::new(),
        }
    }

    /// `get_score`.
    pub fn grade(
        &self,
        _tree: &Tree,
        answers: &Answers,
        rng: &mut Random2,
    ) -> Result<(Cmap, Aux), CapaError> {
        let aid = self.aid();
        let mut aux = Aux::default();
        let cmap = match &self.kind {
            Kind::Script => {
                return Err(CapaError::Script(format!(
                    "{} is graded by Python",
                    self.tag
                )))
            }
            Kind::Multiple {
                truefalse: true,
                correct,
                ..
            } => {
                let given: Vec<Option<String>> = match one(answers, aid) {
                    None => Vec::new(),
                    Some(AnswerValue::One(s)) => vec![Some(s.clone())],
                    Some(AnswerValue::Many(v)) => v.iter().cloned().map(Some).collect(),
                };
                let a: BTreeSet<_> = correct.iter().collect();
                let b: BTreeSet<_> = given.iter().collect();
                single(aid, verdict(a == b), None)
            }
            Kind::Multiple {
                correct, partial, ..
            } => {
                let given = match one(answers, aid) {
                    Some(AnswerValue::One(s)) => Some(s.as_str()),
                    _ => None,
                };
                let is_correct =
                    given.is_some_and(|g| correct.iter().any(|c| c.as_deref() == Some(g)));
                let style = match &self.credit {
                    None => "false",
                    Some(types) => {
                        if types.len() > 1 {
                            return Err(CapaError::Problem(
                                "Only one type of partial credit is allowed for Multiple Choice problems."
                                    .into(),
                            ));
                        }
                        match types[0].as_str() {
                            "points" => "points",
                            "false" => "false",
                            _ => {
                                return Err(CapaError::Problem(
                                    "partial_credit attribute should be one of: points,false"
                                        .into(),
                                ))
                            }
                        }
                    }
                };
                if is_correct {
                    single(aid, Correctness::Correct, None)
                } else if let Some((_, v)) = partial
                    .iter()
                    .find(|(n, _)| style == "points" && given.is_some() && n.as_deref() == given)
                {
                    single(aid, Correctness::PartiallyCorrect, Some(PyNum::Float(*v)))
                } else {
                    single(aid, Correctness::Incorrect, None)
                }
            }
            Kind::Choice { correct, incorrect } => {
                let given: Vec<&str> = match one(answers, aid) {
                    None => Vec::new(),
                    Some(AnswerValue::One(s)) => vec![s.as_str()],
                    Some(AnswerValue::Many(v)) => v.iter().map(String::as_str).collect(),
                };
                if given.is_empty() {
                    return Ok((single(aid, Correctness::Incorrect, None), aux));
                }
                let student: BTreeSet<&str> = given.into_iter().collect();
                let correct: BTreeSet<&str> = correct.iter().map(String::as_str).collect();
                let incorrect: BTreeSet<&str> = incorrect.iter().map(String::as_str).collect();
                let all: BTreeSet<&str> = correct.union(&incorrect).copied().collect();
                let max = self.maxpoints.iter().sum::<i64>();
                let style = match &self.credit {
                    None => "false".to_string(),
                    Some(types) => {
                        if types.len() > 1 {
                            return Err(CapaError::Problem(
                                "Only one type of partial credit is allowed for Checkbox problems."
                                    .into(),
                            ));
                        }
                        if !["edc", "halves", "false"].contains(&types[0].as_str()) {
                            return Err(CapaError::Problem(
                                "partial_credit attribute should be one of: edc,halves,false"
                                    .into(),
                            ));
                        }
                        types[0].clone()
                    }
                };
                match style.as_str() {
                    "edc" => {
                        let n = all.len();
                        if n == 0 {
                            return Err(py_error("ZeroDivisionError", "float division by zero"));
                        }
                        let good = student.iter().filter(|a| correct.contains(*a)).count()
                            + all
                                .iter()
                                .filter(|a| !student.contains(*a) && incorrect.contains(*a))
                                .count();
                        let grade = round_away_from_zero(max as f64 * good as f64 / n as f64, 2);
                        if good == n {
                            single(aid, Correctness::Correct, None)
                        } else if good > 0 {
                            single(
                                aid,
                                Correctness::PartiallyCorrect,
                                Some(PyNum::Float(grade)),
                            )
                        } else {
                            single(aid, Correctness::Incorrect, Some(PyNum::Int(0)))
                        }
                    }
                    "halves" => {
                        let errors = student.iter().filter(|a| incorrect.contains(*a)).count()
                            + all
                                .iter()
                                .filter(|a| !student.contains(*a) && correct.contains(*a))
                                .count();
                        let n = all.len();
                        if errors == 0 {
                            single(aid, Correctness::Correct, Some(PyNum::Int(max)))
                        } else if errors == 1 && n > 2 {
                            let g = round_away_from_zero(max as f64 / 2.0, 2);
                            single(aid, Correctness::PartiallyCorrect, Some(PyNum::Float(g)))
                        } else if errors == 2 && n > 4 {
                            let g = round_away_from_zero(max as f64 / 4.0, 2);
                            single(aid, Correctness::PartiallyCorrect, Some(PyNum::Float(g)))
                        } else {
                            single(aid, Correctness::Incorrect, None)
                        }
                    }
                    _ => single(aid, verdict(student == correct), None),
                }
            }
            Kind::Options { correct } => {
                let mut m = Cmap::new();
                for (id, c) in self.input_ids.iter().zip(correct) {
                    let ok = matches!((one(answers, id), c), (Some(AnswerValue::One(s)), Some(c)) if s == c);
                    m.insert(id.clone(), Entry::new(verdict(ok), None));
                }
                m
            }
            Kind::Numerical { .. } => {
                let (m, idx) = self.grade_numerical(answers)?;
                aux.additional_answer_index = idx;
                m
            }
            Kind::Str {
                answers: expected,
                regexp,
                ci,
                backward,
            } => match one(answers, aid) {
                None => single(aid, Correctness::Incorrect, None),
                Some(AnswerValue::Many(_)) => {
                    return Err(CapaError::StudentInput(
                        "A text answer must be a single string".into(),
                    ))
                }
                Some(AnswerValue::One(s)) => {
                    let ok = check_string(expected, py_strip(s), *regexp, *ci, *backward)?;
                    single(aid, verdict(ok), None)
                }
            },
            Kind::Formula {
                answer,
                samples,
                tolerance,
                case_sensitive,
            } => {
                let given = match one(answers, aid) {
                    None => return Err(missing(aid)),
                    Some(AnswerValue::Many(_)) => {
                        return Err(CapaError::StudentInput(
                            "A formula must be a single string".into(),
                        ))
                    }
                    Some(AnswerValue::One(s)) => s,
                };
                let ok = check_formula(answer, given, samples, tolerance, *case_sensitive, rng)?;
                single(aid, verdict(ok), None)
            }
            Kind::Image => self.grade_image(_tree, answers)?,
            Kind::Annotation { options } => {
                let given = match one(answers, aid) {
                    None => return Err(missing(aid)),
                    Some(AnswerValue::Many(_)) => {
                        return Err(CapaError::StudentInput(
                            "An annotation answer must be a JSON string".into(),
                        ))
                    }
                    Some(AnswerValue::One(s)) => s,
                };
                let v: serde_json::Value = serde_json::from_str(given)
                    .map_err(|e| CapaError::StudentInput(format!("JSONDecodeError: {e}")))?;
                let opts = v
                    .as_object()
                    .and_then(|o| o.get("options"))
                    .and_then(|o| o.as_array())
                    .cloned()
                    .unwrap_or_default();
                let n = options.first().map_or(0, Vec::len);
                // Python compares with ==: 1.0 and true both select option 1.
                let index = match opts.as_slice() {
                    [x] => match x {
                        serde_json::Value::Bool(b) => Some(*b as usize),
                        serde_json::Value::Number(num) => num
                            .as_f64()
                            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < n as f64)
                            .map(|f| f as usize),
                        _ => None,
                    },
                    _ => None,
                }
                .filter(|&i| i < n);
                match index {
                    Some(i) => {
                        let (c, p) = match options[0][i].0.as_deref() {
                            Some("correct") => (Some(Correctness::Correct), Some(PyNum::Int(2))),
                            Some("partially-correct") => {
                                (Some(Correctness::PartiallyCorrect), Some(PyNum::Int(1)))
                            }
                            Some("incorrect") => {
                                (Some(Correctness::Incorrect), Some(PyNum::Int(0)))
                            }
                            _ => (None, None),
                        };
                        let mut m = Cmap::new();
                        m.insert(
                            aid.to_string(),
                            Entry {
                                correctness: c,
                                npoints: p,
                                msg: String::new(),
                            },
                        );
                        m
                    }
                    None => single(aid, Correctness::Incorrect, None),
                }
            }
            Kind::ChoiceText {
                correct_choices,
                correct_inputs,
                ..
            } => {
                let pairs: Vec<(String, String)> = match one(answers, aid) {
                    None => Vec::new(),
                    Some(AnswerValue::Many(_)) => {
                        return Err(CapaError::StudentInput(
                            "A choice-with-text answer must be a JSON object".into(),
                        ))
                    }
                    // Python iterates a non-dict answer's characters: nothing is selected.
                    Some(AnswerValue::One(s)) => match serde_json::from_str::<serde_json::Value>(s)
                    {
                        Ok(serde_json::Value::Object(o)) => o
                            .into_iter()
                            .map(|(k, v)| {
                                let v = match v {
                                    serde_json::Value::String(s) => s,
                                    other => other.to_string(),
                                };
                                (k, v)
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                };
                let selected: BTreeSet<&str> = pairs
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .filter(|k| k.ends_with("bc"))
                    .collect();
                let choices_correct = selected.len() == correct_choices.len()
                    && correct_choices
                        .iter()
                        .all(|c| selected.contains(c.as_str()));
                let mut inputs_correct = true;
                for (name, value) in &pairs {
                    let parent = format!("{}bc", partition_before(name, "_numtolerance_input_"));
                    if !selected.contains(parent.as_str()) {
                        continue; // inputs of unselected choices are not even validated
                    }
                    let params = correct_inputs.get(&Some(name.clone()));
                    let (ans, tol) = match params {
                        Some((a, t)) => (a.as_str(), t.as_str()),
                        None => ("0", super::tolerance::DEFAULT_TOLERANCE),
                    };
                    let staff = py_complex(ans).ok_or_else(|| {
                        CapaError::StudentInput(
                            "The Staff answer could not be interpreted as a number.".into(),
                        )
                    })?;
                    let bad = || {
                        CapaError::StudentInput(format!(
                            "Could not interpret '{}' as a number.",
                            html_escape(value)
                        ))
                    };
                    let student = evaluator(&[], &[], value, false).map_err(|_| bad())?;
                    let ok = try_compare_with_tolerance(student.to_complex(), staff, tol, false)
                        .map_err(|_| bad())?;
                    if params.is_some() && !ok {
                        inputs_correct = false;
                    }
                }
                single(aid, verdict(choices_correct && inputs_correct), None)
            }
        };
        Ok((cmap, aux))
    }

    fn grade_numerical(&self, answers: &Answers) -> Result<(Cmap, Option<usize>), CapaError> {
        let Kind::Numerical {
            answer,
            range,
            tolerance,
            additional,
            partial_range,
            partial_answers,
        } = &self.kind
        else {
            return Ok((Cmap::new(), None));
        };
        let aid = self.aid();
        let given = match one(answers, aid) {
            None => return Ok((single(aid, Correctness::Incorrect, None), None)),
            Some(AnswerValue::Many(_)) => {
                return Err(CapaError::StudentInput(
                    "A number must be a single string".into(),
                ))
            }
            Some(AnswerValue::One(s)) => s,
        };
        if let Some(types) = &self.credit {
            if types.iter().any(|t| t != "list" && t != "close") {
                return Err(CapaError::Problem(
                    "partial_credit attribute should be one of: list,close".into(),
                ));
            }
        }
        let student =
            evaluator(&[], &[], given, false).map_err(|e| numerical_input_error(e, given))?;
        let partial_range = match partial_range {
            Some(p) => py_float(p).ok_or_else(|| {
                py_error(
                    "ValueError",
                    format!("could not convert string to float: '{p}'"),
                )
            })?,
            None => 2.0,
        };
        let partial_answers: Option<Vec<Complex>> = match partial_answers {
            Some(list) => Some(
                list.split(',')
                    .map(|w| staff_ans(w.trim()))
                    .collect::<Result<_, _>>()?,
            ),
            None => None,
        };
        let has_credit = self.credit.is_some();
        let credit_has = |t: &str| {
            self.credit
                .as_ref()
                .is_some_and(|c| c.iter().any(|x| x == t))
        };
        let mut partial_score = 0.5;
        let mut result = Correctness::Incorrect;

        if let Some(((incl_lo, incl_hi), bounds)) = range {
            if student.is_complex() {
                return Err(CapaError::StudentInput(
                    "You may not use complex numbers in range tolerance problems".into(),
                ));
            }
            let mut boundaries = Vec::new();
            let mut decided = false;
            for (inclusion, b) in [*incl_lo, *incl_hi].into_iter().zip(bounds) {
                let boundary = staff_ans(b)?;
                if boundary.im != 0.0 {
                    return Err(CapaError::StudentInput(
                        "There was a problem with the staff answer to this problem: complex boundary."
                            .into(),
                    ));
                }
                if boundary.re.is_nan() {
                    return Err(CapaError::StudentInput(
                        "There was a problem with the staff answer to this problem: empty boundary."
                            .into(),
                    ));
                }
                boundaries.push(boundary.re);
                if try_compare_with_numeric_tolerance(
                    student.to_complex(),
                    boundary,
                    f64::EPSILON,
                    true,
                )
                .map_err(cmp_err)?
                {
                    result = verdict(inclusion);
                    decided = true;
                    break;
                }
            }
            if !decided {
                let s = student.real();
                if boundaries[0] < s && s < boundaries[1] {
                    result = Correctness::Correct;
                } else if has_credit && credit_has("close") {
                    let width = boundaries[1] - boundaries[0];
                    let lo = boundaries[0] - partial_range * width;
                    let hi = boundaries[1] + partial_range * width;
                    if lo < s && s < hi {
                        result = Correctness::PartiallyCorrect;
                    }
                }
            }
        } else {
            let correct = staff_ans(answer)?;
            let expanded = match tolerance.strip_suffix('%') {
                Some(p) => {
                    let v = py_float(p).ok_or_else(|| {
                        py_error(
                            "ValueError",
                            format!("could not convert string to float: '{p}'"),
                        )
                    })?;
                    Tol::Str(format!("{}%", py_float_repr(partial_range * v)))
                }
                None => {
                    let v = py_float(tolerance).ok_or_else(|| {
                        py_error(
                            "ValueError",
                            format!("could not convert string to float: '{tolerance}'"),
                        )
                    })?;
                    Tol::Num(partial_range * v)
                }
            };
            let tol = Tol::Str(tolerance.clone());
            if within(student, correct, &tol)? {
                result = Correctness::Correct;
            } else if !has_credit {
            } else if credit_has("list") {
                let Some(values) = &partial_answers else {
                    return Err(py_error("TypeError", "'bool' object is not iterable"));
                };
                for &value in values {
                    if within(student, value, &tol)? {
                        result = Correctness::PartiallyCorrect;
                        break;
                    }
                    if credit_has("close") {
                        if within(student, correct, &expanded)? {
                            result = Correctness::PartiallyCorrect;
                            break;
                        }
                        if within(student, value, &expanded)? {
                            result = Correctness::PartiallyCorrect;
                            partial_score *= partial_score;
                            break;
                        }
                    }
                }
            } else if credit_has("close") && within(student, correct, &expanded)? {
                result = Correctness::PartiallyCorrect;
            }
        }

        let mut index = None;
        if result == Correctness::Incorrect {
            for (k, add) in additional.iter().enumerate() {
                let Some(add) = add else {
                    return Err(py_error(
                        "TypeError",
                        "complex() first argument must be a string or a number, not 'NoneType'",
                    ));
                };
                // exact complex equality, no tolerance
                if student.to_complex() == staff_ans(add)? {
                    result = Correctness::Correct;
                    index = Some(k);
                    break;
                }
            }
        }
        let npoints =
            (result == Correctness::PartiallyCorrect).then_some(PyNum::Float(partial_score));
        Ok((single(aid, result, npoints), index))
    }

    fn grade_image(&self, tree: &Tree, answers: &Answers) -> Result<Cmap, CapaError> {
        let mut m = Cmap::new();
        for (aid, &node) in self.input_ids.iter().zip(&self.input_nodes) {
            m.insert(aid.clone(), Entry::new(Correctness::Incorrect, None));
            let given = match one(answers, aid) {
                None => return Err(missing(aid)),
                Some(AnswerValue::Many(v)) if v.is_empty() => continue,
                Some(AnswerValue::Many(_)) => {
                    return Err(CapaError::StudentInput(
                        "An image click must be a single string".into(),
                    ))
                }
                Some(AnswerValue::One(s)) if s.is_empty() => continue,
                Some(AnswerValue::One(s)) => s,
            };
            let click = given.trim().replace(' ', "");
            let (x, y) = parse_click(&click).ok_or_else(|| {
                CapaError::StudentInput(format!(
                    "[capamodule.capa.responsetypes.imageinput] error grading {aid} (input={given})"
                ))
            })?;
            let mut ok = false;
            if let Some(rects) = tree.attr(node, "rectangle").filter(|r| !r.is_empty()) {
                for rect in rects.split(';') {
                    let r = rect.trim().replace(' ', "");
                    let (llx, lly, urx, ury) = parse_rectangle(&r).ok_or_else(|| {
                        CapaError::Problem(format!(
                            "[capamodule.capa.responsetypes.imageinput] Error in problem specification! Cannot parse rectangle in {rect}"
                        ))
                    })?;
                    if llx <= x && x <= urx && lly <= y && y <= ury {
                        ok = true;
                        break;
                    }
                }
            }
            if !ok {
                if let Some(regions) = tree.attr(node, "regions").filter(|r| !r.is_empty()) {
                    let v: serde_json::Value = serde_json::from_str(regions)
                        .map_err(|e| py_error("JSONDecodeError", e))?;
                    let bad = || py_error("TypeError", "invalid regions");
                    let list = match &v {
                        serde_json::Value::Array(a) if !a.is_empty() => a,
                        serde_json::Value::Array(_) | serde_json::Value::Null => {
                            m.insert(aid.clone(), Entry::new(verdict(ok), None));
                            continue;
                        }
                        _ => return Err(bad()),
                    };
                    let nested = list[0]
                        .as_array()
                        .and_then(|a| a.first())
                        .ok_or_else(bad)?
                        .is_array();
                    let regions: Vec<&serde_json::Value> = if nested {
                        list.iter().collect()
                    } else {
                        vec![&v]
                    };
                    for region in regions {
                        let pts = json_points(region).ok_or_else(bad)?;
                        if strictly_inside_hull(&pts, x as f64, y as f64) {
                            ok = true;
                            break;
                        }
                    }
                }
            }
            m.insert(aid.clone(), Entry::new(verdict(ok), None));
        }
        Ok(m)
    }

    /// `get_hints`: the old `hintgroup` conditions if present, else extended hints.
    pub fn hints(
        &self,
        tree: &Tree,
        answers: &Answers,
        cmap: &mut Cmap,
        aux: &Aux,
        rng: &mut Random2,
    ) -> Result<(), CapaError> {
        let aid = self.aid().to_string();
        let hint_tag = match self.kind {
            Kind::Options { .. } => Some("optionhint"),
            Kind::Numerical { .. } => Some("numericalhint"),
            Kind::Str { .. } => Some("stringhint"),
            Kind::Formula { .. } => Some("formulahint"),
            _ => None,
        };
        let hintgroup = tree.child_named(self.node, "hintgroup");
        if let (Some(ht), Some(hg)) = (hint_tag, hintgroup) {
            let rephints = tree.children_named(hg, ht);
            if !rephints.is_empty() {
                let shown = self.hint_conditions(tree, &rephints, answers, rng)?;
                let last = self.input_ids.last().cloned().unwrap_or_default();
                for part in tree.children_named(hg, "hintpart") {
                    let Some(shown) = &shown else {
                        return Err(py_error(
                            "TypeError",
                            "argument of type 'NoneType' is not iterable",
                        ));
                    };
                    let on = tree.attr(part, "on").map(str::to_string);
                    if shown.contains(&on) {
                        let text = tree
                            .child_named(part, "text")
                            .and_then(|t| tree.text(t))
                            .unwrap_or("");
                        if let Some(e) = cmap.get_mut(&last) {
                            e.msg = html_escape(text.trim());
                        }
                    }
                }
                return Ok(());
            }
        }
        let verdict_now = cmap.get(&aid).and_then(|e| e.correctness);
        let mut add = |id: &str, html: String| {
            if let Some(e) = cmap.get_mut(id) {
                e.msg.push_str(&html);
            }
        };
        match &self.kind {
            Kind::Choice { .. } => {
                let Some(&group) = self.input_nodes.first() else {
                    return Ok(());
                };
                if tree.tag(group) != "checkboxgroup" {
                    return Ok(());
                }
                let choices = tree.children_named(group, "choice");
                let given = one(answers, &aid);
                // compound hints first
                if let Some(g) = given {
                    let names: Vec<&str> = match g {
                        // Python iterates a string's characters; none names a choice
                        AnswerValue::One(_) => Vec::new(),
                        AnswerValue::Many(v) => v.iter().map(String::as_str).collect(),
                    };
                    let mut student_set = BTreeSet::new();
                    for n in names {
                        if let Some(&c) = choices.iter().find(|&&c| tree.attr(c, "name") == Some(n))
                        {
                            student_set.insert(tree.attr(c, "id").unwrap_or("").to_uppercase());
                        }
                    }
                    for ch in tree.children_named(group, "compoundhint") {
                        let sel: BTreeSet<String> = tree
                            .attr(ch, "value")
                            .unwrap_or("")
                            .to_uppercase()
                            .split_whitespace()
                            .map(str::to_string)
                            .collect();
                        if sel == student_set {
                            add(&aid, html_escape(tree.text(ch).unwrap_or("").trim()));
                            return Ok(());
                        }
                    }
                }
                let mut texts = Vec::new();
                for c in choices {
                    let name = tree.attr(c, "name").unwrap_or("");
                    let selected = match given {
                        None => false,
                        Some(AnswerValue::One(s)) => s.contains(name),
                        Some(AnswerValue::Many(v)) => v.iter().any(|x| x == name),
                    };
                    let selector = if selected { "true" } else { "false" };
                    for h in tree.children_named(c, "choicehint") {
                        if tree.attr(h, "selected").unwrap_or("").to_lowercase() == selector {
                            let t = hint_html(tree, Some(h));
                            if !t.is_empty() {
                                texts.push(t);
                            }
                        }
                    }
                }
                match texts.len() {
                    0 => {}
                    1 => add(&aid, texts.remove(0)),
                    _ => add(
                        &aid,
                        texts
                            .iter()
                            .map(|t| format!("<div class=\"hint-text\">{t}</div>"))
                            .collect(),
                    ),
                }
            }
            Kind::Multiple { .. } => {
                let given = match one(answers, &aid) {
                    Some(AnswerValue::One(s)) => s.as_str(),
                    Some(AnswerValue::Many(v)) if !v.is_empty() => v[0].as_str(),
                    _ => return Ok(()),
                };
                let choice = tree
                    .children_named(self.node, "choicegroup")
                    .into_iter()
                    .filter(|&g| tree.attr(g, "id") == Some(aid.as_str()))
                    .flat_map(|g| tree.children_named(g, "choice"))
                    .find(|&c| tree.attr(c, "name") == Some(given));
                if let Some(c) = choice {
                    add(&aid, hint_html(tree, tree.child_named(c, "choicehint")));
                }
            }
            Kind::Options { .. } => {
                // Only the first dropdown of the response gets hints (Open edX's answer_ids[0]).
                let (Some(first), Some(&node)) = (self.input_ids.first(), self.input_nodes.first())
                else {
                    return Ok(());
                };
                if let Some(AnswerValue::One(s)) = one(answers, first) {
                    let opt = tree
                        .children_named(node, "option")
                        .into_iter()
                        .find(|&o| tree.text(o).unwrap_or("").trim() == s);
                    if let Some(o) = opt {
                        let h = tree.child_named(o, "optionhint");
                        if h.is_some() {
                            add(first, hint_html(tree, h));
                        }
                    }
                }
            }
            Kind::Numerical { .. } => {
                if one(answers, &aid).is_none() || verdict_now != Some(Correctness::Correct) {
                    return Ok(());
                }
                let node = match aux.additional_answer_index {
                    None => tree.child_named(self.node, "correcthint"),
                    Some(i) => tree
                        .children_named(self.node, "additional_answer")
                        .get(i)
                        .and_then(|&a| tree.child_named(a, "correcthint")),
                };
                add(&aid, hint_html(tree, node));
            }
            Kind::Str {
                regexp,
                ci,
                backward,
                ..
            } => {
                let Some(AnswerValue::One(given)) = one(answers, &aid) else {
                    return Ok(());
                };
                let expected = tree
                    .attr(self.node, "answer")
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if check_string(&[expected], given, *regexp, *ci, *backward)? {
                    let h = tree.child_named(self.node, "correcthint");
                    if h.is_some() {
                        add(&aid, hint_html(tree, h));
                    }
                    return Ok(());
                }
                for a in tree.children_named(self.node, "additional_answer") {
                    if match_hint_node(tree, a, given, *regexp, *ci) {
                        add(&aid, hint_html(tree, tree.child_named(a, "correcthint")));
                        return Ok(());
                    }
                }
                for h in tree.children_named(self.node, "stringequalhint") {
                    if match_hint_node(tree, h, given, false, *ci) {
                        add(&aid, hint_html(tree, Some(h)));
                        return Ok(());
                    }
                }
                for h in tree.children_named(self.node, "regexphint") {
                    if match_hint_node(tree, h, given, true, *ci) {
                        add(&aid, hint_html(tree, Some(h)));
                        return Ok(());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `check_hint_condition` of the old hintgroup (string and formula responses; `None` where
    /// Open edX's base class returns None).
    fn hint_conditions(
        &self,
        tree: &Tree,
        hints: &[usize],
        answers: &Answers,
        rng: &mut Random2,
    ) -> Result<Option<Vec<Option<String>>>, CapaError> {
        let aid = self.aid();
        let ctx_given = || match one(answers, aid) {
            None => Err(missing(aid)),
            Some(AnswerValue::Many(_)) => Err(CapaError::StudentInput(
                "A text answer must be a single string".into(),
            )),
            Some(AnswerValue::One(s)) => Ok(s.clone()),
        };
        match &self.kind {
            Kind::Str {
                regexp,
                ci,
                backward,
                ..
            } => {
                let given = ctx_given()?;
                let given = py_strip(&given);
                let mut out = Vec::new();
                for &h in hints {
                    let hinted = tree.attr(h, "answer").ok_or_else(|| {
                        py_error(
                            "AttributeError",
                            "'NoneType' object has no attribute 'strip'",
                        )
                    })?;
                    if check_string(&[hinted.trim().to_string()], given, *regexp, *ci, *backward)? {
                        out.push(tree.attr(h, "name").map(str::to_string));
                    }
                }
                Ok(Some(out))
            }
            Kind::Formula {
                tolerance,
                case_sensitive,
                ..
            } => {
                let given = ctx_given()?;
                let mut out = Vec::new();
                for &h in hints {
                    let ok = match (tree.attr(h, "samples"), tree.attr(h, "answer")) {
                        (Some(samples), Some(answer)) => {
                            check_formula(answer, &given, samples, tolerance, *case_sensitive, rng)
                                .unwrap_or(false)
                        }
                        _ => false,
                    };
                    if ok {
                        out.push(tree.attr(h, "name").map(str::to_string));
                    }
                }
                Ok(Some(out))
            }
            _ => Ok(None),
        }
    }
}
