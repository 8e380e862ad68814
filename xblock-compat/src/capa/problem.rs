//! A CAPA problem as Open edX's `LoncapaProblem` prepares and grades it (edx-platform
//! `xmodule/capa/capa_problem.py`, `responsetypes.py`, `correctmap.py`; CAPA-SPEC.md §1, §4).
//! Reimplemented from behaviour, not copied.
//!
//! Pipeline of [`Problem::parse`], in Open edX's order (the order decides which error wins and
//! how the shared random generator is consumed):
//!
//! 1. `startouttext/` → `text`, `endouttext/` → `/text` on the raw string; parse.
//! 2. `make_xml_compatible`: `stringresponse/additional_answer` text → `answer=`; `optioninput`
//!    `<option>` children → `options="('a','b')"` and `correct=`.
//! 3. Scripts are not run. `$seed` (and the other names Open edX always puts in the script
//!    context) is substituted where Open edX contextualizes; any other `$name` stays literal,
//!    as it does in Open edX when no script defines it.
//! 4. Responses numbered `{pid}_{k}` in document order, their inputs `{pid}_{k+1}_{j}`; each
//!    response checked (allowed inputs, input count, required attributes, `points`) and set up
//!    (choice names, answers, tolerances); `<solution>`s numbered `{pid}_solution_{n}`.
//! 5. Late transforms, response by response: `shuffle` and `answer-pool` of choicegroups, with
//!    one `random2.Random(seed)` shared by the whole problem ([`super::random2`]).
//!
//! [`Problem::grade`] runs each response's `get_score` then its hints, in document order, and
//! scores with `get_npoints` (npoints if set, else 1 for correct/partially-correct, else 0).

use std::collections::BTreeMap;

use super::random2::Random2;
use super::responses::{self, Cmap, Response};
use super::xml::Tree;

/// A submitted value: one string, or a list for checkbox groups. Choice-with-text groups take
/// one string holding the JSON object Open edX's `input_<id>{}` form field carries.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    One(String),
    Many(Vec<String>),
}

/// Student answers keyed by input id (`"1_2_1"`).
pub type Answers = BTreeMap<String, AnswerValue>;

/// Open edX's correctness strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correctness {
    Correct,
    PartiallyCorrect,
    Incorrect,
    Incomplete,
}

impl Correctness {
    pub fn as_str(self) -> &'static str {
        match self {
            Correctness::Correct => "correct",
            Correctness::PartiallyCorrect => "partially-correct",
            Correctness::Incorrect => "incorrect",
            Correctness::Incomplete => "incomplete",
        }
    }
}

/// One input's result.
#[derive(Debug, Clone, PartialEq)]
pub struct InputResult {
    pub correctness: Correctness,
    /// Set for partial credit (and a few full-credit cases); `None` means 1 if correct, else 0.
    pub npoints: Option<f64>,
    /// Feedback HTML (extended hints) to show beside the input, "" if none. Only the hint
    /// content: labels ("Correct:", author `label=`) are left to the renderer. One hint is its
    /// content as authored (inner XML); several checkbox hints are each wrapped in
    /// `<div class="hint-text">`.
    pub msg: String,
}

/// A graded submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Grading {
    pub correct_map: BTreeMap<String, InputResult>,
    /// Σ get_npoints over the correct map.
    pub score: f64,
    pub max_score: u32,
}

/// An input as Open edX numbers it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputInfo {
    pub id: String,
    pub response_id: String,
    pub response_tag: String,
    pub input_tag: String,
    /// Submit values of choice-like inputs in display order (`choice_0`, option values, …).
    pub choices: Vec<String>,
    pub points: u32,
}

/// Why a problem or a submission is refused. None of these consumes an attempt.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CapaError {
    /// The student's input cannot be interpreted (Open edX's `StudentInputError`).
    #[error("{0}")]
    StudentInput(String),
    /// A response could not grade (`ResponseError`, e.g. an invalid author regexp).
    #[error("{0}")]
    Response(String),
    /// The problem itself is broken (`LoncapaProblemError`, and Python errors such as
    /// `ValueError` Open edX raises from malformed attributes: their name prefixes the message).
    #[error("{0}")]
    Problem(String),
    /// Grading needs Python (problem scripts, customresponse, symbolicresponse,
    /// schematicresponse, coderesponse, externalresponse, hint functions): not gradable yet.
    #[error("{0}")]
    Script(String),
}

impl CapaError {
    /// The exception name Open edX reports.
    pub fn python_name(&self) -> &'static str {
        match self {
            CapaError::StudentInput(_) => "StudentInputError",
            CapaError::Response(_) => "ResponseError",
            CapaError::Problem(_) => "LoncapaProblemError",
            CapaError::Script(_) => "ScriptNotSupported",
        }
    }
}

/// The response tags Open edX registers.
pub const RESPONSE_TAGS: [&str; 15] = [
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

/// The input tags Open edX registers.
pub const INPUT_TAGS: [&str; 22] = [
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
];

/// A parsed, preprocessed problem.
#[derive(Debug, Clone)]
pub struct Problem {
    problem_id: String,
    seed: u64,
    tree: Tree,
    annotated: String,
    inputs: Vec<InputInfo>,
    responses: Vec<Response>,
    solutions: Vec<(String, usize)>,
    needs_python: bool,
}

/// `re.sub(r"startouttext\s*/", "text", s)` then the same for `endouttext` → `/text`.
fn convert_outtext(s: &str) -> String {
    fn pass(s: &str, word: &str, repl: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(pos) = rest.find(word) {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + word.len()..];
            let trimmed = after.trim_start_matches(|c: char| c.is_whitespace());
            if let Some(tail) = trimmed.strip_prefix('/') {
                out.push_str(repl);
                rest = tail;
            } else {
                out.push_str(word);
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }
    pass(&pass(s, "startouttext", "text"), "endouttext", "/text")
}

/// Python's `str.upper()` of an attribute that must exist (`None.upper()` raises).
pub(crate) fn required_upper(v: Option<&str>, what: &str) -> Result<String, CapaError> {
    v.map(str::to_uppercase).ok_or_else(|| {
        CapaError::Problem(format!(
            "AttributeError: 'NoneType' object has no attribute 'upper' ({what})"
        ))
    })
}

impl Problem {
    /// Parse and preprocess `xml` as Open edX's `LoncapaProblem(xml, id=problem_id, seed=seed)`.
    pub fn parse(xml: &str, problem_id: &str, seed: u64) -> Result<Problem, CapaError> {
        let text = convert_outtext(xml);
        if text.contains("<!ENTITY") {
            // Open edX's parser refuses entity declarations (defusedxml's check).
            return Err(CapaError::Problem(
                "EntitiesForbidden: entity declarations are not allowed".into(),
            ));
        }
        let mut tree =
            Tree::parse(&text).map_err(|e| CapaError::Problem(format!("XMLSyntaxError: {e}")))?;
        make_xml_compatible(&mut tree)?;

        let all = {
            let mut v = vec![Tree::ROOT];
            v.extend(tree.descendants(Tree::ROOT));
            v
        };
        let needs_script = all.iter().any(|&n| {
            tree.tag(n) == "script" && {
                let ty = tree.attr(n, "type").unwrap_or("");
                !ty.contains("javascript")
                    && !ty.contains("perl")
                    && !tree.text_content(n).trim().is_empty()
            }
        });

        let ctx = responses::Ctx { seed };
        let response_nodes: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&n| RESPONSE_TAGS.contains(&tree.tag(n)))
            .collect();
        let mut responses_out = Vec::new();
        for (k, &rnode) in response_nodes.iter().enumerate() {
            let rid = format!("{problem_id}_{}", k + 1);
            tree.set_attr(rnode, "id", &rid);
            let inputs: Vec<usize> = tree
                .descendants(rnode)
                .into_iter()
                .filter(|&n| INPUT_TAGS.contains(&tree.tag(n)))
                .collect();
            for (j, &inp) in inputs.iter().enumerate() {
                tree.set_attr(inp, "response_id", &(k + 2).to_string());
                tree.set_attr(inp, "answer_id", &(j + 1).to_string());
                tree.set_attr(inp, "id", &format!("{problem_id}_{}_{}", k + 2, j + 1));
            }
            responses_out.push(responses::setup(&mut tree, rnode, &rid, &inputs, &ctx)?);
        }
        for r in &responses_out {
            r.check_answers()?;
        }
        let mut solutions = Vec::new();
        for n in tree.descendants(Tree::ROOT) {
            if tree.tag(n) == "solution" {
                let sid = format!("{problem_id}_solution_{}", solutions.len() + 1);
                tree.set_attr(n, "id", &sid);
                solutions.push((sid, n));
            }
        }
        let mut rng: Option<Random2> = None;
        for r in &responses_out {
            r.late_transforms(&mut tree, &mut rng, seed)?;
        }
        // Solutions removed by answer-pool are no longer in the tree.
        solutions.retain(|&(_, n)| attached(&tree, n));
        for r in &responses_out {
            for &inp in &r.input_nodes {
                validate_input(&tree, inp)?;
            }
        }

        let mut inputs = Vec::new();
        for r in &responses_out {
            for (idx, &inp) in r.input_nodes.iter().enumerate() {
                inputs.push(InputInfo {
                    id: r.input_ids[idx].clone(),
                    response_id: r.id.clone(),
                    response_tag: r.tag.clone(),
                    input_tag: tree.tag(inp).to_string(),
                    choices: responses::input_choices(&tree, inp),
                    points: r.maxpoints[idx].max(0) as u32,
                });
            }
        }
        let needs_python = needs_script || responses_out.iter().any(|r| r.needs_python(&tree));
        let annotated = tree.to_xml(Tree::ROOT);
        Ok(Problem {
            problem_id: problem_id.to_string(),
            seed,
            tree,
            annotated,
            inputs,
            responses: responses_out,
            solutions,
            needs_python,
        })
    }

    /// The preprocessed XML (ids, choice names, shuffled/pooled choices) for the renderer.
    pub fn annotated_xml(&self) -> &str {
        &self.annotated
    }

    pub fn inputs(&self) -> &[InputInfo] {
        &self.inputs
    }

    /// Σ over inputs of `int(points or 1)` (annotationinput: 2).
    pub fn max_score(&self) -> u32 {
        let total: i64 = self.responses.iter().flat_map(|r| r.maxpoints.iter()).sum();
        total.max(0) as u32
    }

    /// Has a Python `<script>`, a response type that runs Python, or a hint function.
    pub fn needs_python(&self) -> bool {
        self.needs_python
    }

    pub fn problem_id(&self) -> &str {
        &self.problem_id
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Grade a submission as `grade_answers` + `calculate_score`.
    pub fn grade(&self, answers: &Answers) -> Result<Grading, CapaError> {
        let cmap = self.grade_cmap(answers)?;
        let score: f64 = cmap.values().map(|e| e.get_npoints().as_f64()).sum();
        let correct_map = cmap
            .into_iter()
            .map(|(k, e)| {
                (
                    k,
                    InputResult {
                        correctness: e.correctness.unwrap_or(Correctness::Incorrect),
                        npoints: e.npoints.map(|n| n.as_f64()),
                        msg: e.msg,
                    },
                )
            })
            .collect();
        Ok(Grading {
            correct_map,
            score,
            max_score: self.max_score(),
        })
    }

    /// The raw correct map, with Python's int/float distinction kept for the JSON contract.
    pub(crate) fn grade_cmap(&self, answers: &Answers) -> Result<Cmap, CapaError> {
        if self.needs_python {
            return Err(CapaError::Script(
                "this problem needs Python (a script or a script-graded response)".into(),
            ));
        }
        // FormulaResponse samples with the module-level random2 generator, which Open edX does
        // not seed per problem; seeding it here only makes grading repeatable.
        let mut sampler = Random2::new(i128::from(self.seed));
        let mut cmap = Cmap::new();
        for r in &self.responses {
            let (mut part, aux) = r.grade(&self.tree, answers, &mut sampler)?;
            r.hints(&self.tree, answers, &mut part, &aux, &mut sampler)?;
            cmap.extend(part);
        }
        Ok(cmap)
    }

    /// The keys of Open edX's `get_question_answers()` (answers, then solutions).
    pub(crate) fn question_answer_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .responses
            .iter()
            .flat_map(|r| r.answers(&self.tree).into_iter().map(|(k, _)| k))
            .collect();
        ids.extend(self.solutions.iter().map(|(s, _)| s.clone()));
        ids
    }

    /// What "Show answer" reveals, per id (Open edX's `get_question_answers`): correct choice
    /// names for choice groups, the answer (and additional answers) for numerical, string and
    /// formula inputs, the correct option for dropdowns, and each `<solution>` serialised
    /// under its id.
    pub fn correct_answers(&self) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for r in &self.responses {
            for (k, v) in r.answers(&self.tree) {
                out.insert(k, v);
            }
        }
        for (sid, n) in &self.solutions {
            out.insert(sid.clone(), vec![self.tree.to_xml(*n)]);
        }
        out
    }
}

/// What Open edX's input types check when the problem is rendered at load time (required
/// attributes, allowed children); a failure refuses the problem.
fn validate_input(tree: &Tree, inp: usize) -> Result<(), CapaError> {
    let tag = tree.tag(inp);
    let required: &[&str] = match tag {
        "optioninput" => &["options"],
        "imageinput" => &["src", "height", "width"],
        "crystallography" => &["height", "width"],
        "vsepr_input" => &["height", "width", "molecules", "geometries"],
        "designprotein2dinput" => &["width", "height", "target_shape"],
        "editageneinput" => &["genex_dna_sequence", "genex_problem_number"],
        "drag_and_drop_input" => &["img"],
        _ => &[],
    };
    let fail = |why: String| {
        Err(CapaError::Problem(format!(
            "Exception: Error in xml '{}': {why}",
            tree.to_xml(inp)
        )))
    };
    for a in required {
        if tree.attr(inp, a).is_none() {
            return fail(format!("Missing required attribute {a}."));
        }
    }
    match tag {
        "choicegroup" | "radiogroup" | "checkboxgroup" => {
            for c in tree.children(inp) {
                if !matches!(tree.tag(c), "choice" | "compoundhint") {
                    return fail(format!(
                        "Expected a <choice> or <compoundhint> tag; got {} instead",
                        tree.tag(c)
                    ));
                }
            }
        }
        "radiotextgroup" | "checkboxtextgroup" => {
            for c in tree.children(inp) {
                if tree.tag(c) != "choice" {
                    return fail(format!(
                        "Expected a <choice> tag; got {} instead",
                        tree.tag(c)
                    ));
                }
            }
        }
        "annotationinput" => {
            for o in tree.children_named(inp, "options") {
                for opt in tree.children_named(o, "option") {
                    match tree.attr(opt, "choice") {
                        None => return fail("Missing required choice attribute.".into()),
                        Some("correct" | "partially-correct" | "incorrect") => {}
                        Some(c) => {
                            return fail(format!(
                                "Invalid choice attribute: {c}. Must be one of: correct, partially-correct, incorrect"
                            ))
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn attached(tree: &Tree, mut n: usize) -> bool {
    while let Some(p) = tree.parent(n) {
        if !tree.node(p).children.contains(&n) {
            return false;
        }
        n = p;
    }
    n == Tree::ROOT
}

/// `LoncapaProblem.make_xml_compatible`.
fn make_xml_compatible(tree: &mut Tree) -> Result<(), CapaError> {
    for n in tree.descendants(Tree::ROOT) {
        if tree.tag(n) != "stringresponse" {
            continue;
        }
        for a in tree.children_named(n, "additional_answer") {
            let has_answer = tree.attr(a, "answer").is_some_and(|v| !v.is_empty());
            let text = tree.text(a).unwrap_or("").to_string();
            if !has_answer && !text.is_empty() {
                tree.set_attr(a, "answer", &text);
                tree.set_text(a, "");
            }
        }
    }
    for n in tree.descendants(Tree::ROOT) {
        if tree.tag(n) != "optioninput" {
            continue;
        }
        let options = tree.children_named(n, "option");
        let mut correct_count = 0;
        for &o in &options {
            if required_upper(tree.attr(o, "correct"), "option@correct")? == "TRUE" {
                correct_count += 1;
            }
        }
        if correct_count > 1 {
            return Err(CapaError::Problem(
                "Dropdown questions can only have one correct answer.".into(),
            ));
        }
        let mut correct = None;
        let mut names = Vec::new();
        for &o in &options {
            let name = tree.text(o).unwrap_or("").trim().to_string();
            if tree.attr(o, "correct").unwrap_or("").to_uppercase() == "TRUE" {
                correct = Some(name.clone());
            }
            names.push(format!("'{name}'"));
        }
        if !names.is_empty() {
            tree.set_attr(n, "options", &format!("({})", names.join(",")));
            if let Some(c) = correct.filter(|c| !c.is_empty()) {
                tree.set_attr(n, "correct", &c);
            }
        }
    }
    Ok(())
}
