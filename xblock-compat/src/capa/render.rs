//! Accessible HTML for a CAPA problem body (WCAG 2.1 AA), from the annotated problem XML
//! (`Problem::annotated_xml()`: ids on every response and input, `<text>` for the old
//! `startouttext`/`endouttext`, `optioninput` with `options`/`correct`, choices in display order).
//!
//! The output is the problem *body* only: the page wraps it in a `<form>` with the heading, the
//! submit/reset/show-answer buttons and an `aria-live` region. Markup semantics follow Open edX's
//! `xmodule/capa/inputtypes.py`, `capa_problem.py` (labels, descriptions) and the problem templates,
//! re-done for accessibility; nothing is copied.
//!
//! # Form fields
//! Every field is named so that a POSTed form maps back onto [`RenderAnswer`]s with
//! [`answers_from_form`] (strip `input_`; a trailing `[]` collects several values):
//!
//! | input | field(s) | answer under the input id |
//! |---|---|---|
//! | textline, formulaequationinput, textbox | `input_{id}` | `One(text)` |
//! | optioninput | `input_{id}` (`<select>`, first option value `""`) | `One(option text)` |
//! | choicegroup (multiple choice, true/false) | `input_{id}` radios | `One("choice_<name>"` or `"choice_<i>")` |
//! | checkboxgroup / radiogroup (choiceresponse) | `input_{id}[]` | `Many(["choice_<index>", …])` |
//! | radiotextgroup / checkboxtextgroup | `input_{id}` radios / `input_{id}[]` checkboxes, values `{id}_choiceinput_{i}bc`; text fields `input_{id}_choiceinput_{i}_numtolerance_input_{j}` | choices under `{id}`, each text field under its own name (Open edX's dict keys) |
//! | imageinput | `input_{id}_x`, `input_{id}_y` (numbers) | `One("[x,y]")` (combined by [`answers_from_form`]) |
//! | annotationinput | `input_{id}_option` radios (option index), `input_{id}_comment` | `One({"options":[i],"comment":"…"})` JSON |
//!
//! # Ids
//! Generated ids derive from the (page-unique) input ids: `input_{id}`, `label_{id}`,
//! `status_{id}`, `feedback_{id}`, `answer_{id}`, `inputtype_{id}`, `description_{response id}_{n}`,
//! `multiinput-group-label-{response id}`, `solution_{solution id}`, `hint_{problem id}_{n}`.
//! Author ids in the content are prefixed with `c{problem id}_` (same-page `#` links follow);
//! a repeated author id is dropped.
//!
//! # Labels (Open edX's `response_a11y_data`, extended)
//! One input: the response's `<label>` child (moved next to the field), else the input's (or
//! response's) `label` attribute — the paragraph just before the response becomes the label when
//! its text equals the attribute, otherwise the attribute is a visually hidden label — else a
//! `<label>` right before the response. Beyond Open edX, fields without any of these are named
//! (`aria-labelledby`) by the `<p>`/`<li>`/`<label>` they sit in, by their table headers, or by
//! the last paragraph before them; failing all, a visually hidden "Odpowiedź"/"Answer".
//! Several inputs: the response is a `role="group"` named by its `<label>` (rendered as
//! `<p id="multiinput-group-label-…">`); each field uses its `label` attribute, else the same
//! fallbacks, else "Odpowiedź j z n". `<description>`s are tied with `aria-describedby`.
//!
//! # Approximations
//! * Author `style` attributes are dropped; `<h1>`/`<h2>` in content become `<h3>` (the page's
//!   problem heading is an `<h2>`); `<img>` without `alt` gets `alt=""`; `<iframe>` becomes a link
//!   to its `src`; MathML `<math>` keeps only its text; `<clarification>` is shown inline;
//!   `<targetedfeedbackset>`, `<svg>`, `<object>`, forms and scripts are not shown.
//! * Block content inside a label/legend/paragraph is demoted to `<span class="capa-block">` (and a
//!   `<p>` holding block content becomes `<div class="capa-p">`) so the output stays valid HTML5.
//! * jsinput, schematic, drag_and_drop_input, chemicalequationinput, crystallography,
//!   vsepr_input, designprotein2dinput, editageneinput, editamoleculeinput and filesubmission
//!   are a notice naming the input type ([`RenderedProblem::unsupported_inputs`]).
//! * imageinput/annotationinput/choicetext use plain native fields instead of Open edX's
//!   JavaScript widgets (the image has the hook class `capa-imageinput-image` with
//!   `data-x-input`/`data-y-input` for the page's script).
//! * Feedback HTML that is not well-formed XML (after `<br>`/`&nbsp;` fixes) is shown as text.
//! * Decoy inputs beside numtolerance inputs in one choice (unnamed in Open edX) are named
//!   `{id}_choiceinput_{i}_decoy_input_{k}`.
//! * The page must style `visually-hidden`, and the status icons are `aria-hidden` characters
//!   (✓ ◑ ✗ …) beside the status text.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use roxmltree::{Node, NodeId};

/// The language of the few built-in strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Pl,
    En,
}

impl Lang {
    /// `"en"`, `"en-GB"`, … → English; anything else → Polish (the platform's first language).
    pub fn from_code(code: &str) -> Lang {
        if code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en")) {
            Lang::En
        } else {
            Lang::Pl
        }
    }
}

/// A student's value for one input (or one choicetext sub-field), as the form gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderAnswer {
    One(String),
    Many(Vec<String>),
}

impl RenderAnswer {
    fn contains(&self, v: &str) -> bool {
        match self {
            RenderAnswer::One(s) => s == v,
            RenderAnswer::Many(vs) => vs.iter().any(|s| s == v),
        }
    }
    fn single(&self) -> &str {
        match self {
            RenderAnswer::One(s) => s,
            RenderAnswer::Many(vs) => vs.first().map_or("", String::as_str),
        }
    }
}

/// Open edX's per-input correctness (`CorrectMap` `correctness`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Correctness {
    Correct,
    PartiallyCorrect,
    Incorrect,
    /// Submitted but not graded yet (xqueue) or unanswered.
    Incomplete,
}

impl Correctness {
    /// `correct`, `partially-correct`, `incorrect`, `incomplete` (Open edX's strings).
    pub fn parse(s: &str) -> Option<Correctness> {
        Some(match s {
            "correct" => Correctness::Correct,
            "partially-correct" => Correctness::PartiallyCorrect,
            "incorrect" => Correctness::Incorrect,
            "incomplete" => Correctness::Incomplete,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Correctness::Correct => "correct",
            Correctness::PartiallyCorrect => "partially-correct",
            Correctness::Incorrect => "incorrect",
            Correctness::Incomplete => "incomplete",
        }
    }
}

/// The graded state of one input after a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderResult {
    pub correctness: Correctness,
    /// Feedback HTML (hints); sanitised here like problem content.
    pub msg: String,
}

/// Everything the renderer needs besides the XML.
pub struct RenderState<'a> {
    /// Input id → the student's value (see the module docs for the keys of choicetext,
    /// imageinput and annotationinput).
    pub answers: &'a BTreeMap<String, RenderAnswer>,
    /// Input id → graded state; empty before a graded submission.
    pub results: &'a BTreeMap<String, RenderResult>,
    /// Input id → correct answers (`Problem::correct_answers()`), when "Show answer" was pressed
    /// and is allowed. Choice inputs list choice values (`choice_2`, `{id}_choiceinput_0bc`).
    pub show_answers: Option<&'a BTreeMap<String, Vec<String>>>,
    /// Show the `<solution>` blocks.
    pub show_solutions: bool,
    /// How many problem-level demand hints have been revealed.
    pub hints_shown: usize,
    /// Render every field `disabled` (closed problem, no attempts left).
    pub disabled: bool,
    pub lang: Lang,
    /// Rewrites a `/static/…` URL (given whole, e.g. `/static/img/a.png`) to the course asset URL.
    pub static_url: &'a dyn Fn(&str) -> String,
}

static NO_ANSWERS: BTreeMap<String, RenderAnswer> = BTreeMap::new();
static NO_RESULTS: BTreeMap<String, RenderResult> = BTreeMap::new();

impl<'a> RenderState<'a> {
    /// A fresh, unanswered, enabled problem.
    pub fn new(lang: Lang, static_url: &'a dyn Fn(&str) -> String) -> Self {
        RenderState {
            answers: &NO_ANSWERS,
            results: &NO_RESULTS,
            show_answers: None,
            show_solutions: false,
            hints_shown: 0,
            disabled: false,
            lang,
            static_url,
        }
    }
}

/// The rendered body and what the page needs to know about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedProblem {
    pub html: String,
    /// Every input id, in document order (including unsupported ones).
    pub input_ids: Vec<String>,
    /// Inputs shown only as a notice (jsinput, drag and drop, …): they cannot be answered here.
    pub unsupported_inputs: Vec<String>,
    /// Total `<demandhint><hint>` count.
    pub demand_hints: usize,
    /// The problem has at least one `<solution>`.
    pub has_solution: bool,
    /// Some response needs Python/an external grader (customresponse, schematicresponse,
    /// symbolicresponse, coderesponse, externalresponse, javascriptresponse); the body says so.
    pub scripted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("problem XML, line {line} column {column}: {message}")]
    Xml {
        line: u32,
        column: u32,
        message: String,
    },
    #[error("problem XML nested deeper than {0} elements")]
    TooDeep(usize),
}

const MAX_DEPTH: usize = 200;

/// Renders the annotated problem XML. Never panics; malformed XML is an error.
pub fn render(annotated_xml: &str, state: &RenderState) -> Result<RenderedProblem, RenderError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1_000_000,
    };
    let doc = roxmltree::Document::parse_with_options(annotated_xml, opts).map_err(|e| {
        let pos = e.pos();
        RenderError::Xml {
            line: pos.row,
            column: pos.col,
            message: e.to_string(),
        }
    })?;
    let root = doc.root_element();
    let mut r = Renderer::new(state, root);
    r.plan(root)?;
    let mut out = String::with_capacity(annotated_xml.len() * 2);
    out.push_str("<div class=\"capa-problem\">");
    let cx = Cx {
        phrasing: false,
        depth: 0,
    };
    r.children(root, &mut out, cx)?;
    r.demand_hints(root, &mut out, cx)?;
    if r.input_ids.is_empty() && !has_visible_content(&out) {
        let _ = write!(
            out,
            "<p class=\"capa-notice capa-notice-empty\">{}</p>",
            r.t.empty
        );
    }
    out.push_str("</div>");
    Ok(RenderedProblem {
        html: out,
        input_ids: r.input_ids,
        unsupported_inputs: r.unsupported,
        demand_hints: r.hint_total,
        has_solution: r.has_solution,
        scripted: r.scripted,
    })
}

/// Turns POSTed `(name, value)` pairs into answers keyed by input id (see the module docs).
/// Fields not named `input_…` are ignored; empty checkbox groups are simply absent.
pub fn answers_from_form<'f>(
    form: impl IntoIterator<Item = (&'f str, &'f str)>,
) -> BTreeMap<String, RenderAnswer> {
    let mut out: BTreeMap<String, RenderAnswer> = BTreeMap::new();
    let mut coords: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut annotations: BTreeMap<String, (Option<u64>, String)> = BTreeMap::new();
    for (name, value) in form {
        let Some(key) = name.strip_prefix("input_") else {
            continue;
        };
        if let Some(key) = key.strip_suffix("[]") {
            match out
                .entry(key.to_string())
                .or_insert_with(|| RenderAnswer::Many(Vec::new()))
            {
                RenderAnswer::Many(vs) => vs.push(value.to_string()),
                one @ RenderAnswer::One(_) => *one = RenderAnswer::Many(vec![value.to_string()]),
            }
            continue;
        }
        let split = |suffix: &str| {
            key.strip_suffix(suffix)
                .filter(|stem| ends_with_number_segment(stem))
        };
        if let Some(stem) = split("_x") {
            coords.entry(stem.to_string()).or_default().0 = value.trim().to_string();
        } else if let Some(stem) = split("_y") {
            coords.entry(stem.to_string()).or_default().1 = value.trim().to_string();
        } else if let Some(stem) = split("_option") {
            annotations.entry(stem.to_string()).or_default().0 = value.trim().parse().ok();
        } else if let Some(stem) = split("_comment") {
            annotations.entry(stem.to_string()).or_default().1 = value.to_string();
        } else {
            out.insert(key.to_string(), RenderAnswer::One(value.to_string()));
        }
    }
    for (id, (x, y)) in coords {
        if !x.is_empty() || !y.is_empty() {
            out.insert(id, RenderAnswer::One(format!("[{x},{y}]")));
        }
    }
    for (id, (option, comment)) in annotations {
        let json = serde_json::json!({
            "options": option.into_iter().collect::<Vec<_>>(),
            "comment": comment,
        });
        out.insert(id, RenderAnswer::One(json.to_string()));
    }
    out
}

/// Any text outside tags, or an image/media element.
fn has_visible_content(html: &str) -> bool {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
    }
    ["<img", "<video", "<audio", "<a "]
        .iter()
        .any(|t| html.contains(t))
}

fn ends_with_number_segment(s: &str) -> bool {
    s.rsplit_once('_')
        .is_some_and(|(_, last)| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

// ---------------------------------------------------------------------------------------------
// Tag tables

const RESPONSE_TAGS: &[&str] = &[
    "numericalresponse",
    "formularesponse",
    "customresponse",
    "schematicresponse",
    "externalresponse",
    "imageresponse",
    "optionresponse",
    "symbolicresponse",
    "stringresponse",
    "choiceresponse",
    "multiplechoiceresponse",
    "truefalseresponse",
    "javascriptresponse",
    "annotationresponse",
    "choicetextresponse",
    "coderesponse",
];

/// Responses our grader cannot run yet (Python, xqueue, HTTP).
const SCRIPTED_RESPONSES: &[&str] = &[
    "customresponse",
    "schematicresponse",
    "symbolicresponse",
    "externalresponse",
    "javascriptresponse",
    "coderesponse",
];

const INPUT_TAGS: &[&str] = &[
    "textline",
    "formulaequationinput",
    "optioninput",
    "choicegroup",
    "radiogroup",
    "checkboxgroup",
    "textbox",
    "codeinput",
    "matlabinput",
    "radiotextgroup",
    "checkboxtextgroup",
    "choicetextgroup",
    "imageinput",
    "annotationinput",
    // Shown as a notice only:
    "jsinput",
    "schematic",
    "drag_and_drop_input",
    "chemicalequationinput",
    "crystallography",
    "vsepr_input",
    "designprotein2dinput",
    "editageneinput",
    "editamoleculeinput",
    "filesubmission",
];

/// Inputs that can sit inside running text (rendered with `<span>` wrappers there).
const INLINE_INPUTS: &[&str] = &["textline", "formulaequationinput", "optioninput"];

/// CAPA semantics and dangerous HTML: never shown, children included.
const HIDDEN_TAGS: &[&str] = &[
    "responseparam",
    "additional_answer",
    "hintgroup",
    "hintpart",
    "answer",
    "script",
    "style",
    "codeparam",
    "openendedparam",
    "openendedrubric",
    "choicehint",
    "optionhint",
    "compoundhint",
    "correcthint",
    "stringequalhint",
    "regexphint",
    "formulahint",
    "numericalhint",
    "hint",
    "demandhint",
    "targetedfeedbackset",
    "targetedfeedback",
    "solutionset",
    "booleans",
    "draggable",
    "target",
    "options",
    "numtolerance_input",
    "decoy_input",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "link",
    "meta",
    "base",
    "head",
    "title",
    "template",
    "svg",
    "canvas",
    "noscript",
    "frame",
    "frameset",
];

/// Allowed HTML content tags and their own attributes (besides class, title, lang, dir, id).
fn content_attrs(tag: &str) -> Option<&'static [&'static str]> {
    Some(match tag {
        "p" | "div" | "span" | "b" | "i" | "em" | "strong" | "u" | "s" | "small" | "mark"
        | "abbr" | "cite" | "dfn" | "kbd" | "samp" | "var" | "code" | "pre" | "ul" | "dl"
        | "dt" | "dd" | "table" | "caption" | "thead" | "tbody" | "tfoot" | "tr" | "h3" | "h4"
        | "h5" | "h6" | "br" | "hr" | "sub" | "sup" | "figure" | "figcaption" | "section"
        | "article" | "aside" | "header" | "footer" | "details" | "summary" | "wbr" | "address"
        | "bdi" | "ruby" | "rt" | "rp" | "center" | "font" | "tt" | "big" | "h1" | "h2" => &[],
        "q" | "blockquote" | "ins" | "del" => &["cite"],
        "bdo" => &["dir"],
        "time" => &["datetime"],
        "ol" => &["start", "type", "reversed"],
        "li" => &["value"],
        "th" => &["colspan", "rowspan", "scope", "abbr"],
        "td" => &["colspan", "rowspan"],
        "colgroup" | "col" => &["span"],
        "img" => &["src", "alt", "width", "height"],
        "a" => &["href", "target", "hreflang"],
        "audio" => &["src", "controls", "preload", "loop"],
        "video" => &[
            "src", "controls", "preload", "poster", "width", "height", "loop",
        ],
        "source" => &["src", "type"],
        "track" => &["src", "kind", "srclang", "label", "default"],
        _ => return None,
    })
}

const VOID_TAGS: &[&str] = &["br", "hr", "img", "col", "source", "track", "wbr"];

/// Tags that need flow content around them (not allowed inside `<p>`/`<label>`/`<span>`).
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "colgroup",
    "col",
    "pre",
    "blockquote",
    "figure",
    "figcaption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "details",
    "summary",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "center",
    "solution",
    "description",
    "iframe",
];

fn is(tag: &str, set: &[&str]) -> bool {
    set.contains(&tag)
}

fn tag<'a>(n: Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

fn needs_flow(n: Node) -> bool {
    n.descendants().skip(1).any(|d| {
        d.is_element() && {
            let t = tag(d);
            (is(t, BLOCK_TAGS) || (is(t, INPUT_TAGS) && !is(t, INLINE_INPUTS)))
                && !d.ancestors().skip(1).any(|a| is(tag(a), HIDDEN_TAGS))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Built-in strings

struct Texts {
    correct: &'static str,
    partial: &'static str,
    incorrect: &'static str,
    incomplete: &'static str,
    answer: &'static str,
    correct_choice: &'static str,
    explanation: &'static str,
    hint: &'static str,
    of: &'static str,
    scripted: &'static str,
    select_option: &'static str,
    unsupported: &'static str,
    answer_field: &'static str,
    image_x: &'static str,
    image_y: &'static str,
    image_help: &'static str,
    new_window: &'static str,
    comment: &'static str,
    tags: &'static str,
    no_id: &'static str,
    field: &'static str,
    empty: &'static str,
}

const PL: Texts = Texts {
    correct: "Poprawnie",
    partial: "Częściowo poprawnie",
    incorrect: "Niepoprawnie",
    incomplete: "Oczekuje",
    answer: "Odpowiedź:",
    correct_choice: "(poprawna odpowiedź)",
    explanation: "Wyjaśnienie",
    hint: "Wskazówka",
    of: "z",
    scripted:
        "Ten problem jest oceniany skryptem; ocenianie skryptów pojawi się w kolejnej wersji.",
    select_option: "Wybierz opcję",
    unsupported:
        "Ta część zadania korzysta z interaktywnego narzędzia, które nie jest jeszcze dostępne:",
    answer_field: "Odpowiedź",
    image_x: "Współrzędna X (piksele od lewej krawędzi obrazu)",
    image_y: "Współrzędna Y (piksele od górnej krawędzi obrazu)",
    image_help: "Kliknij obraz albo wpisz współrzędne punktu.",
    new_window: "(otwiera się w nowym oknie)",
    comment: "Komentarz",
    tags: "Wybierz jeden znacznik:",
    no_id: "To pole nie ma identyfikatora i nie może zostać wyświetlone.",
    field: "pole",
    empty: "Ten problem nie ma jeszcze treści.",
};

const EN: Texts = Texts {
    correct: "Correct",
    partial: "Partially correct",
    incorrect: "Incorrect",
    incomplete: "Pending",
    answer: "Answer:",
    correct_choice: "(correct answer)",
    explanation: "Explanation",
    hint: "Hint",
    of: "of",
    scripted: "This problem is graded by a script; script grading comes in a later version.",
    select_option: "Select an option",
    unsupported: "This part of the problem uses an interactive tool that is not available yet:",
    answer_field: "Answer",
    image_x: "X coordinate (pixels from the left edge of the image)",
    image_y: "Y coordinate (pixels from the top edge of the image)",
    image_help: "Click the image or type the coordinates of a point.",
    new_window: "(opens in a new window)",
    comment: "Comment",
    tags: "Select one tag:",
    no_id: "This field has no id and cannot be shown.",
    field: "field",
    empty: "This problem has no content yet.",
};

// ---------------------------------------------------------------------------------------------
// Escaping

fn esc_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    esc_into(&mut o, s);
    o
}

/// Safe for an id/for attribute and a CSS selector: `[A-Za-z0-9_-]`, others become `_`.
fn id_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The visible text of a node, without hidden CAPA elements, whitespace collapsed.
fn plain_text(n: Node) -> String {
    fn walk(n: Node, s: &mut String) {
        for c in n.children() {
            if c.is_text() {
                s.push_str(c.text().unwrap_or(""));
                s.push(' ');
            } else if c.is_element() && !is(tag(c), HIDDEN_TAGS) {
                walk(c, s);
            }
        }
    }
    let mut s = String::new();
    if n.is_text() {
        s.push_str(n.text().unwrap_or(""));
    } else {
        walk(n, &mut s);
    }
    collapse_ws(&s)
}

// ---------------------------------------------------------------------------------------------
// Planning: labels, descriptions, choice values

#[derive(Clone, Debug)]
enum Label {
    /// Visible question text (rendered HTML, phrasing content).
    Html(String),
    /// Visually hidden label text.
    Hidden(String),
    /// Named by another element with this id.
    By(String),
}

#[derive(Clone, Debug)]
struct InputPlan {
    label: Label,
    descriptions: Vec<(String, String)>,
    response_tag: String,
}

#[derive(Clone, Debug, Default)]
struct ResponsePlan {
    group_label: Option<String>,
    group_descriptions: Vec<String>,
}

/// An element rendered with an added id (and maybe another tag/class).
#[derive(Clone, Debug)]
struct Mark {
    id: String,
    tag: Option<&'static str>,
    class: Option<&'static str>,
}

#[derive(Clone, Copy)]
struct Cx {
    phrasing: bool,
    depth: usize,
}

impl Cx {
    fn deeper(self) -> Result<Cx, RenderError> {
        if self.depth >= MAX_DEPTH {
            return Err(RenderError::TooDeep(MAX_DEPTH));
        }
        Ok(Cx {
            depth: self.depth + 1,
            ..self
        })
    }
    fn phrasing(self) -> Cx {
        Cx {
            phrasing: true,
            ..self
        }
    }
    fn flow(self) -> Cx {
        Cx {
            phrasing: false,
            ..self
        }
    }
}

struct Renderer<'s, 'a> {
    st: &'s RenderState<'a>,
    t: &'static Texts,
    pid: String,
    inputs: HashMap<NodeId, InputPlan>,
    responses: HashMap<NodeId, ResponsePlan>,
    choice_values: HashMap<NodeId, String>,
    skip: HashSet<NodeId>,
    marks: HashMap<NodeId, Mark>,
    used_ids: HashSet<String>,
    input_ids: Vec<String>,
    unsupported: Vec<String>,
    hint_total: usize,
    has_solution: bool,
    scripted: bool,
    /// The "Answer:" line of the input being rendered (choice inputs compute their own).
    pending_answer: Option<Vec<String>>,
}

impl<'s, 'a> Renderer<'s, 'a> {
    fn new(st: &'s RenderState<'a>, root: Node) -> Self {
        let pid = root
            .descendants()
            .find_map(|n| {
                let id = n.attribute("id")?;
                if is(tag(n), RESPONSE_TAGS) {
                    id.rsplit_once('_').map(|(p, _)| p.to_string())
                } else if tag(n) == "solution" {
                    id.rsplit_once("_solution_").map(|(p, _)| p.to_string())
                } else {
                    None
                }
            })
            .unwrap_or_else(|| "problem".to_string());
        Renderer {
            st,
            t: match st.lang {
                Lang::Pl => &PL,
                Lang::En => &EN,
            },
            pid: id_safe(&pid),
            inputs: HashMap::new(),
            responses: HashMap::new(),
            choice_values: HashMap::new(),
            skip: HashSet::new(),
            marks: HashMap::new(),
            used_ids: HashSet::new(),
            input_ids: Vec::new(),
            unsupported: Vec::new(),
            hint_total: 0,
            has_solution: false,
            scripted: false,
            pending_answer: None,
        }
    }

    fn plan(&mut self, root: Node) -> Result<(), RenderError> {
        self.hint_total = root
            .descendants()
            .filter(|n| tag(*n) == "demandhint")
            .flat_map(|d| d.children().filter(|c| tag(*c) == "hint"))
            .count();
        self.has_solution = root.descendants().any(|n| tag(n) == "solution");
        let responses: Vec<Node> = root
            .descendants()
            .filter(|n| is(tag(*n), RESPONSE_TAGS))
            .collect();
        for resp in responses {
            self.plan_response(resp)?;
        }
        Ok(())
    }

    fn plan_response(&mut self, resp: Node) -> Result<(), RenderError> {
        let rtag = tag(resp).to_string();
        let rid = id_safe(resp.attribute("id").unwrap_or("response"));
        if is(&rtag, SCRIPTED_RESPONSES) {
            self.scripted = true;
        }
        let inputs: Vec<Node> = resp
            .descendants()
            .filter(|n| is(tag(*n), INPUT_TAGS) && !self.inputs.contains_key(&n.id()))
            .collect();
        self.plan_choice_values(resp, &rtag);
        let label_el = resp.children().find(|c| tag(*c) == "label");
        let desc_els: Vec<Node> = resp
            .children()
            .filter(|c| tag(*c) == "description")
            .collect();
        let cx = Cx {
            phrasing: true,
            depth: 0,
        };
        if inputs.len() > 1 {
            let mut plan = ResponsePlan::default();
            if let Some(l) = label_el {
                let id = format!("multiinput-group-label-{rid}");
                self.marks.insert(
                    l.id(),
                    Mark {
                        id: id.clone(),
                        tag: Some("p"),
                        class: Some("capa-group-label"),
                    },
                );
                plan.group_label = Some(id);
            }
            for (i, d) in desc_els.iter().enumerate() {
                let id = format!("multiinput-group-description-{rid}-{i}");
                self.marks.insert(
                    d.id(),
                    Mark {
                        id: id.clone(),
                        tag: Some("p"),
                        class: Some("question-description"),
                    },
                );
                plan.group_descriptions.push(id);
            }
            self.responses.insert(resp.id(), plan);
            let n = inputs.len();
            for (j, input) in inputs.iter().enumerate() {
                let label = match input.attribute("label").map(str::trim) {
                    Some(l) if !l.is_empty() => {
                        let mut h = String::new();
                        esc_into(&mut h, l);
                        Label::Html(h)
                    }
                    _ => match self
                        .enclosing_paragraph(*input)
                        .or_else(|| self.table_headers(*input))
                        .or_else(|| self.previous_sibling_paragraph(*input))
                    {
                        Some(id) => Label::By(id),
                        None => Label::Hidden(format!(
                            "{} {} {} {}",
                            self.t.answer_field,
                            j + 1,
                            self.t.of,
                            n
                        )),
                    },
                };
                self.inputs.insert(
                    input.id(),
                    InputPlan {
                        label,
                        descriptions: Vec::new(),
                        response_tag: rtag.clone(),
                    },
                );
            }
            return Ok(());
        }
        self.responses.insert(resp.id(), ResponsePlan::default());
        let Some(input) = inputs.first().copied() else {
            return Ok(());
        };
        let prev = resp.prev_sibling_element();
        let label_attr = input
            .attribute("label")
            .or_else(|| resp.attribute("label"))
            .map(str::trim)
            .filter(|l| !l.is_empty());
        let label = if let Some(l) = label_el {
            self.skip.insert(l.id());
            Label::Html(self.render_to_string(l, cx)?)
        } else if let Some(attr) = label_attr {
            match prev.filter(|p| tag(*p) == "p" && plain_text(*p) == collapse_ws(attr)) {
                Some(p) => {
                    self.skip.insert(p.id());
                    Label::Html(self.render_to_string(p, cx)?)
                }
                None => Label::Hidden(attr.to_string()),
            }
        } else if let Some(l) = prev.filter(|p| tag(*p) == "label") {
            self.skip.insert(l.id());
            Label::Html(self.render_to_string(l, cx)?)
        } else if let Some(id) = self
            .enclosing_paragraph(input)
            .or_else(|| self.table_headers(input))
        {
            Label::By(id)
        } else if let Some(id) = self.preceding_paragraph(input, resp) {
            Label::By(id)
        } else {
            Label::Hidden(self.t.answer_field.to_string())
        };
        let mut descriptions = Vec::new();
        for (i, d) in desc_els.iter().enumerate() {
            self.skip.insert(d.id());
            let id = format!("description_{rid}_{}", i + 1);
            descriptions.push((id, self.render_to_string(*d, cx)?));
        }
        self.inputs.insert(
            input.id(),
            InputPlan {
                label,
                descriptions,
                response_tag: rtag,
            },
        );
        Ok(())
    }

    /// Open edX's choice values: `choice_<index>` over all choices of a choiceresponse;
    /// `choice_<name>` / `choice_<i>` (i counting unnamed) for the other choice responses.
    fn plan_choice_values(&mut self, resp: Node, rtag: &str) {
        if rtag == "choicetextresponse" {
            let Some(aid) = resp
                .descendants()
                .find(|n| is(tag(*n), INPUT_TAGS))
                .and_then(|n| n.attribute("id"))
            else {
                return;
            };
            for (i, choice) in resp
                .descendants()
                .filter(|n| tag(*n) == "choice")
                .enumerate()
            {
                self.choice_values
                    .insert(choice.id(), format!("{aid}_choiceinput_{i}bc"));
                let nums: Vec<Node> = choice
                    .children()
                    .filter(|c| tag(*c) == "numtolerance_input")
                    .collect();
                let named: Vec<Node> = if nums.is_empty() {
                    choice
                        .children()
                        .filter(|c| tag(*c) == "decoy_input")
                        .collect()
                } else {
                    nums
                };
                for (j, inp) in named.iter().enumerate() {
                    self.choice_values.insert(
                        inp.id(),
                        format!("{aid}_choiceinput_{i}_numtolerance_input_{j}"),
                    );
                }
                // Decoys beside numtolerance inputs get no name in Open edX; give them one.
                let mut k = 0;
                for c in choice.children().filter(|c| tag(*c) == "decoy_input") {
                    if let std::collections::hash_map::Entry::Vacant(e) =
                        self.choice_values.entry(c.id())
                    {
                        e.insert(format!("{aid}_choiceinput_{i}_decoy_input_{k}"));
                        k += 1;
                    }
                }
            }
        } else if rtag == "choiceresponse" {
            for (i, choice) in resp
                .descendants()
                .filter(|n| tag(*n) == "choice")
                .enumerate()
            {
                self.choice_values
                    .insert(choice.id(), format!("choice_{i}"));
            }
        } else {
            let mut i = 0;
            for group in resp
                .descendants()
                .filter(|n| matches!(tag(*n), "choicegroup" | "radiogroup" | "checkboxgroup"))
            {
                for choice in group.children().filter(|c| tag(*c) == "choice") {
                    // The grader's annotated XML already carries the submit value
                    // (`choice_<name>`), as Open edX's own tree does after its preprocessing.
                    let v = match choice.attribute("name") {
                        Some(name) if name.starts_with("choice_") => name.to_string(),
                        Some(name) => format!("choice_{name}"),
                        None => {
                            i += 1;
                            format!("choice_{}", i - 1)
                        }
                    };
                    self.choice_values.insert(choice.id(), v);
                }
            }
        }
    }

    /// The `<p>`/`<li>`/`<label>` an inline input sits in, given an id so it can name the input.
    fn enclosing_paragraph(&mut self, input: Node) -> Option<String> {
        let p = input
            .ancestors()
            .skip(1)
            .find(|a| matches!(tag(*a), "p" | "li" | "label"))?;
        if self.skip.contains(&p.id()) || plain_text(p).is_empty() {
            return None;
        }
        Some(self.mark_for_label(p, input))
    }

    /// An input in a table cell is named by its column header and its row's first cell.
    fn table_headers(&mut self, input: Node) -> Option<String> {
        let td = input.ancestors().skip(1).find(|a| tag(*a) == "td")?;
        let tr = td.parent().filter(|p| tag(*p) == "tr")?;
        let cells: Vec<Node> = tr
            .children()
            .filter(|c| matches!(tag(*c), "td" | "th"))
            .collect();
        let col = cells.iter().position(|c| c.id() == td.id())?;
        let mut ids = Vec::new();
        let table = tr.ancestors().find(|a| tag(*a) == "table")?;
        let first_row = table.descendants().find(|d| tag(*d) == "tr")?;
        if first_row.id() != tr.id() {
            if let Some(h) = first_row
                .children()
                .filter(|c| matches!(tag(*c), "td" | "th"))
                .nth(col)
                .filter(|h| tag(*h) == "th" && !plain_text(*h).is_empty())
            {
                ids.push(self.mark_with(h, "colhead", input));
            }
        }
        if col > 0 && !plain_text(cells[0]).is_empty() {
            ids.push(self.mark_with(cells[0], "rowhead", input));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    /// In a response with several inputs: the paragraph right before the input.
    fn previous_sibling_paragraph(&mut self, input: Node) -> Option<String> {
        let p = input
            .prev_sibling_element()
            .filter(|p| matches!(tag(*p), "p" | "h3" | "h4" | "h5" | "h6"))
            .filter(|p| !self.skip.contains(&p.id()) && !plain_text(*p).is_empty())?;
        Some(self.mark_for_label(p, input))
    }

    /// Old-style problems: the last paragraph before the input inside the response, or the
    /// paragraph right before the response.
    fn preceding_paragraph(&mut self, input: Node, resp: Node) -> Option<String> {
        let start = input.range().start;
        let inside = resp.descendants().rfind(|d| {
            matches!(tag(*d), "p" | "h3" | "h4" | "h5" | "h6")
                && d.range().end <= start
                && !d
                    .ancestors()
                    .any(|a| is(tag(a), HIDDEN_TAGS) || tag(a) == "solution")
        });
        let p = inside
            .or_else(|| {
                // The paragraph before the response, across `<br/>`s and empty elements.
                let mut prev = resp.prev_sibling_element();
                while let Some(p) = prev {
                    if tag(p) == "p" {
                        return Some(p);
                    }
                    if tag(p) != "br" && !plain_text(p).is_empty() {
                        return None;
                    }
                    prev = p.prev_sibling_element();
                }
                None
            })
            .filter(|p| !self.skip.contains(&p.id()) && !plain_text(*p).is_empty())?;
        Some(self.mark_for_label(p, input))
    }

    fn mark_for_label(&mut self, p: Node, input: Node) -> String {
        self.mark_with(p, "question", input)
    }

    fn mark_with(&mut self, p: Node, prefix: &str, input: Node) -> String {
        if let Some(m) = self.marks.get(&p.id()) {
            return m.id.clone();
        }
        let id = format!(
            "{prefix}_{}",
            id_safe(input.attribute("id").unwrap_or("input"))
        );
        self.marks.insert(
            p.id(),
            Mark {
                id: id.clone(),
                tag: None,
                class: None,
            },
        );
        id
    }

    fn render_to_string(&mut self, n: Node, cx: Cx) -> Result<String, RenderError> {
        let mut s = String::new();
        self.children(n, &mut s, cx)?;
        Ok(s.trim().to_string())
    }

    // -----------------------------------------------------------------------------------------
    // The walk

    fn children(&mut self, n: Node, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        let cx = cx.deeper()?;
        for c in n.children() {
            self.node(c, out, cx)?;
        }
        Ok(())
    }

    fn node(&mut self, n: Node, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        if n.is_text() {
            esc_into(out, n.text().unwrap_or(""));
            return Ok(());
        }
        if !n.is_element() || self.skip.contains(&n.id()) {
            return Ok(());
        }
        let t = tag(n);
        if is(t, HIDDEN_TAGS) {
            return Ok(());
        }
        if is(t, RESPONSE_TAGS) {
            return self.response(n, out, cx);
        }
        if is(t, INPUT_TAGS) {
            return self.input(n, out, cx);
        }
        match t {
            "solution" => return self.solution(n, out, cx),
            "iframe" => return self.iframe(n, out),
            "math" | "clarification" => {
                return self.children(n, out, cx);
            }
            _ => {}
        }
        let mark = self.marks.get(&n.id()).cloned();
        let (out_tag, class): (&str, Option<&str>) = match t {
            "problem" | "text" | "span" | "font" | "big" | "label" | "description" => {
                let block = !cx.phrasing && needs_flow(n);
                match t {
                    "problem" => ("div", None),
                    _ if block => ("div", None),
                    "label" | "description" if !cx.phrasing => ("p", None),
                    _ => ("span", None),
                }
            }
            "p" if cx.phrasing => ("span", Some("capa-p")),
            "p" if needs_flow(n) => ("div", Some("capa-p")),
            "tt" => ("code", None),
            "center" => ("div", Some("capa-center")),
            "h1" | "h2" => ("h3", None),
            _ if content_attrs(t).is_none() => {
                // Unknown element: show its content, not the element.
                return self.children(n, out, cx);
            }
            _ => (t, None),
        };
        let (out_tag, class) = if cx.phrasing && is(out_tag, BLOCK_TAGS) {
            if is(out_tag, VOID_TAGS) || matches!(out_tag, "colgroup" | "col") {
                return Ok(());
            }
            ("span", Some("capa-block"))
        } else {
            (out_tag, class)
        };
        let (out_tag, class) = match &mark {
            Some(Mark {
                tag: Some(mt),
                class: mc,
                ..
            }) => (if cx.phrasing { "span" } else { *mt }, mc.or(class)),
            Some(Mark { class: mc, .. }) => (out_tag, mc.or(class)),
            None => (out_tag, class),
        };
        out.push('<');
        out.push_str(out_tag);
        self.attributes(n, out_tag, class, mark.as_ref().map(|m| m.id.as_str()), out);
        out.push('>');
        if is(out_tag, VOID_TAGS) {
            return Ok(());
        }
        let inner = if matches!(out_tag, "p" | "span" | "h3" | "h4" | "h5" | "h6") {
            cx.phrasing()
        } else if out_tag == "div" && !cx.phrasing {
            cx.flow()
        } else {
            cx
        };
        self.children(n, out, inner)?;
        if out_tag == "a" && n.attribute("target") == Some("_blank") {
            let _ = write!(
                out,
                "<span class=\"visually-hidden\"> {}</span>",
                self.t.new_window
            );
        }
        let _ = write!(out, "</{out_tag}>");
        Ok(())
    }

    fn attributes(
        &mut self,
        n: Node,
        out_tag: &str,
        class: Option<&str>,
        forced_id: Option<&str>,
        out: &mut String,
    ) {
        let own = content_attrs(tag(n)).unwrap_or(&[]);
        let mut classes: Vec<String> = class.map(str::to_string).into_iter().collect();
        let mut has_alt = false;
        let mut id_done = false;
        if let Some(id) = forced_id {
            let _ = write!(out, " id=\"{}\"", esc(id));
            id_done = true;
        }
        for a in n.attributes() {
            if a.namespace().is_some() {
                continue;
            }
            let name = a.name();
            let v = a.value();
            match name {
                "class" => {
                    classes.extend(v.split_whitespace().map(id_safe).filter(|c| !c.is_empty()))
                }
                "id" if !id_done && !is(tag(n), RESPONSE_TAGS) => {
                    let id = format!("c{}_{}", self.pid, id_safe(v));
                    if self.used_ids.insert(id.clone()) {
                        let _ = write!(out, " id=\"{id}\"");
                    }
                    id_done = true;
                }
                "title" | "lang" => {
                    let _ = write!(out, " {name}=\"{}\"", esc(v));
                }
                "dir" if matches!(v, "ltr" | "rtl" | "auto") => {
                    let _ = write!(out, " dir=\"{v}\"");
                }
                _ if own.contains(&name) && out_tag == tag(n) => match name {
                    "href" | "src" | "poster" | "cite" => {
                        if let Some(u) = self.safe_url(v, name == "src" && out_tag == "img") {
                            let _ = write!(out, " {name}=\"{}\"", esc(&u));
                        }
                    }
                    "target" => {
                        if v == "_blank" {
                            out.push_str(" target=\"_blank\" rel=\"noopener noreferrer\"");
                        }
                    }
                    "controls" | "loop" | "default" | "reversed" => {
                        let _ = write!(out, " {name}");
                    }
                    "width" | "height" | "colspan" | "rowspan" | "span" | "start" | "value" => {
                        let v = v.trim();
                        if !v.is_empty()
                            && v.len() < 10
                            && v.bytes().all(|b| b.is_ascii_digit() || b == b'%')
                        {
                            let _ = write!(out, " {name}=\"{v}\"");
                        }
                    }
                    "alt" => {
                        has_alt = true;
                        let _ = write!(out, " alt=\"{}\"", esc(v));
                    }
                    _ => {
                        let _ = write!(out, " {name}=\"{}\"", esc(v));
                    }
                },
                _ => {}
            }
        }
        if out_tag == "img" && !has_alt {
            out.push_str(" alt=\"\"");
        }
        if !classes.is_empty() {
            let _ = write!(out, " class=\"{}\"", classes.join(" "));
        }
    }

    /// http(s), mailto, relative and `#` URLs; `data:image/` (not SVG) for images; `/static/`
    /// through `static_url`; same-page `#id` follows the author-id prefix.
    fn safe_url(&self, raw: &str, image: bool) -> Option<String> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        let lower = compact.to_ascii_lowercase();
        if lower.starts_with("/static/") {
            return Some((self.st.static_url)(&compact));
        }
        if let Some(frag) = compact.strip_prefix('#') {
            return Some(format!("#c{}_{}", self.pid, id_safe(frag)));
        }
        if let Some(colon) = lower.find(':') {
            let scheme = &lower[..colon];
            if !scheme.contains(['/', '?', '#']) {
                let ok = matches!(scheme, "http" | "https" | "mailto")
                    || (image
                        && scheme == "data"
                        && lower.starts_with("data:image/")
                        && !lower.starts_with("data:image/svg"));
                if !ok {
                    return None;
                }
            }
        }
        Some(raw.trim().to_string())
    }

    fn iframe(&mut self, n: Node, out: &mut String) -> Result<(), RenderError> {
        let Some(src) = n.attribute("src").and_then(|s| self.safe_url(s, false)) else {
            return Ok(());
        };
        if !(src.starts_with("http") || src.starts_with('/')) {
            return Ok(());
        }
        let title = n.attribute("title").unwrap_or(&src).to_string();
        let _ = write!(
            out,
            "<a class=\"capa-embed-link\" href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}<span class=\"visually-hidden\"> {}</span></a>",
            esc(&src),
            esc(&title),
            self.t.new_window
        );
        Ok(())
    }

    fn solution(&mut self, n: Node, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        if !self.st.show_solutions {
            return Ok(());
        }
        let sid = id_safe(n.attribute("id").unwrap_or("solution"));
        let id = format!("solution_{sid}");
        if !self.used_ids.insert(id.clone()) {
            return Ok(());
        }
        let _ = write!(
            out,
            "<section class=\"capa-solution\" id=\"{id}\" aria-labelledby=\"{id}_heading\"><h3 id=\"{id}_heading\">{}</h3>",
            self.t.explanation
        );
        self.children(n, out, cx.flow())?;
        out.push_str("</section>");
        Ok(())
    }

    fn demand_hints(&mut self, root: Node, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        let shown = self.st.hints_shown.min(self.hint_total);
        if shown == 0 {
            return Ok(());
        }
        let hints: Vec<Node> = root
            .descendants()
            .filter(|n| tag(*n) == "demandhint")
            .flat_map(|d| d.children().filter(|c| tag(*c) == "hint"))
            .take(shown)
            .collect();
        out.push_str("<div class=\"capa-demand-hints\">");
        for (i, h) in hints.into_iter().enumerate() {
            let _ = write!(
                out,
                "<div class=\"capa-hint\" id=\"hint_{}_{}\"><span class=\"capa-hint-label\">{} {} {} {}:</span> ",
                self.pid,
                i + 1,
                self.t.hint,
                i + 1,
                self.t.of,
                self.hint_total
            );
            self.children(h, out, cx.flow())?;
            out.push_str("</div>");
        }
        out.push_str("</div>");
        Ok(())
    }

    fn response(&mut self, n: Node, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        let t = tag(n);
        let plan = self.responses.get(&n.id()).cloned().unwrap_or_default();
        let w = if cx.phrasing { "span" } else { "div" };
        let _ = write!(out, "<{w} class=\"capa-response capa-{t}\"");
        if let Some(id) = n.attribute("id") {
            let _ = write!(out, " data-response-id=\"{}\"", esc(id));
        }
        if plan.group_label.is_some() || !plan.group_descriptions.is_empty() {
            out.push_str(" role=\"group\"");
            if let Some(l) = &plan.group_label {
                let _ = write!(out, " aria-labelledby=\"{l}\"");
            }
            if !plan.group_descriptions.is_empty() {
                let _ = write!(
                    out,
                    " aria-describedby=\"{}\"",
                    plan.group_descriptions.join(" ")
                );
            }
        }
        out.push('>');
        if is(t, SCRIPTED_RESPONSES) {
            let pw = if cx.phrasing { "span" } else { "p" };
            let _ = write!(
                out,
                "<{pw} class=\"capa-notice capa-notice-scripted\">{}</{pw}>",
                self.t.scripted
            );
        }
        self.children(n, out, cx)?;
        let _ = write!(out, "</{w}>");
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Inputs

    fn input(&mut self, n: Node, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        let Some(raw_id) = n.attribute("id") else {
            let w = if cx.phrasing { "span" } else { "p" };
            let _ = write!(
                out,
                "<{w} class=\"capa-notice capa-notice-error\">{}</{w}>",
                self.t.no_id
            );
            return Ok(());
        };
        let id = id_safe(raw_id);
        if !self.used_ids.insert(format!("input_{id}")) {
            return Ok(());
        }
        self.input_ids.push(raw_id.to_string());
        let plan = self.inputs.get(&n.id()).cloned().unwrap_or(InputPlan {
            label: Label::Hidden(self.t.answer_field.to_string()),
            descriptions: Vec::new(),
            response_tag: String::new(),
        });
        let t = tag(n);
        let inline = cx.phrasing && is(t, INLINE_INPUTS);
        let w = if inline { "span" } else { "div" };
        let cx = if inline { cx } else { cx.flow() };
        let _ = write!(
            out,
            "<{w} class=\"capa-input capa-{t}{}\" id=\"inputtype_{id}\">",
            self.status_class(raw_id)
        );
        let io = Io {
            raw_id,
            id: &id,
            w,
            plan: &plan,
        };
        match t {
            "textline" | "formulaequationinput" => self.textline(n, &io, out, cx)?,
            "optioninput" => self.optioninput(n, &io, out, cx)?,
            "choicegroup" | "radiogroup" | "checkboxgroup" => self.choicegroup(n, &io, out, cx)?,
            "textbox" | "codeinput" | "matlabinput" => self.textbox(n, &io, out, cx)?,
            "radiotextgroup" | "checkboxtextgroup" | "choicetextgroup" => {
                self.choicetext(n, &io, out, cx)?
            }
            "imageinput" => self.imageinput(n, &io, out, cx)?,
            "annotationinput" => self.annotationinput(n, &io, out, cx)?,
            _ => self.unsupported_input(n, &io, out, cx)?,
        }
        let textual = matches!(
            t,
            "textline"
                | "formulaequationinput"
                | "optioninput"
                | "textbox"
                | "codeinput"
                | "matlabinput"
        );
        self.after_input(&io, textual, out, cx)?;
        let _ = write!(out, "</{w}>");
        Ok(())
    }

    fn status_class(&self, raw_id: &str) -> String {
        match self.st.results.get(raw_id) {
            Some(r) => format!(" capa-{}", r.correctness.as_str()),
            None => String::new(),
        }
    }

    fn disabled(&self) -> &'static str {
        if self.st.disabled {
            " disabled"
        } else {
            ""
        }
    }

    fn value(&self, raw_id: &str) -> Option<&'s RenderAnswer> {
        self.st.answers.get(raw_id)
    }

    fn describedby(&self, io: &Io, extra: &[String]) -> String {
        let mut ids: Vec<String> = extra.to_vec();
        ids.push(format!("status_{}", io.id));
        ids.extend(io.plan.descriptions.iter().map(|(d, _)| d.clone()));
        if self
            .st
            .results
            .get(io.raw_id)
            .is_some_and(|r| !r.msg.trim().is_empty())
        {
            ids.push(format!("feedback_{}", io.id));
        }
        format!(" aria-describedby=\"{}\"", ids.join(" "))
    }

    /// `<label for>` (or nothing, for `aria-labelledby`) plus the descriptions.
    fn label(&self, io: &Io, target: &str, out: &mut String) {
        match &io.plan.label {
            Label::Html(h) => {
                let _ = write!(
                    out,
                    "<label class=\"capa-question\" for=\"{target}\" id=\"label_{}\">{h}</label>",
                    io.id
                );
            }
            Label::Hidden(t) => {
                let _ = write!(
                    out,
                    "<label class=\"visually-hidden\" for=\"{target}\" id=\"label_{}\">{}</label>",
                    io.id,
                    esc(t)
                );
            }
            Label::By(_) => {}
        }
        self.descriptions(io, out);
    }

    fn descriptions(&self, io: &Io, out: &mut String) {
        let pw = if io.w == "span" { "span" } else { "p" };
        for (did, html) in &io.plan.descriptions {
            let _ = write!(
                out,
                "<{pw} class=\"question-description\" id=\"{did}\">{html}</{pw}>"
            );
        }
    }

    fn labelledby(io: &Io) -> String {
        match &io.plan.label {
            Label::By(p) => format!(" aria-labelledby=\"{p}\""),
            _ => String::new(),
        }
    }

    fn textline(&mut self, n: Node, io: &Io, out: &mut String, _cx: Cx) -> Result<(), RenderError> {
        let id = io.id;
        let value = self.value(io.raw_id).map_or("", |v| v.single());
        if n.attribute("hidden")
            .is_some_and(|h| !h.is_empty() && h != "false")
        {
            let _ = write!(
                out,
                "<input type=\"hidden\" name=\"input_{id}\" id=\"input_{id}\" value=\"{}\">",
                esc(value)
            );
            return Ok(());
        }
        self.label(io, &format!("input_{id}"), out);
        let trailing = n
            .attribute("trailing_text")
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let extra: Vec<String> = trailing
            .map(|_| format!("trailing_text_{id}"))
            .into_iter()
            .collect();
        let size = n
            .attribute("size")
            .or(if tag(n) == "formulaequationinput" {
                Some("20")
            } else {
                None
            })
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() < 5 && s.bytes().all(|b| b.is_ascii_digit()));
        let _ = write!(
            out,
            "<input type=\"text\" class=\"capa-text-field\" name=\"input_{id}\" id=\"input_{id}\" value=\"{}\"{}{}{}",
            esc(value),
            Self::labelledby(io),
            self.describedby(io, &extra),
            self.disabled()
        );
        if let Some(s) = size {
            let _ = write!(out, " size=\"{s}\"");
        }
        match io.plan.response_tag.as_str() {
            "stringresponse" => out.push_str(" autocomplete=\"off\""),
            // Calc expressions (2*pi, 1e-3, sqrt(2)) and formulas: no numeric keyboard, no
            // autocorrection.
            _ => out.push_str(
                " autocomplete=\"off\" autocapitalize=\"off\" autocorrect=\"off\" spellcheck=\"false\"",
            ),
        }
        out.push('>');
        if let Some(tt) = trailing {
            let _ = write!(
                out,
                " <span class=\"capa-trailing-text\" id=\"trailing_text_{id}\">{}</span>",
                esc(tt)
            );
        }
        Ok(())
    }

    fn optioninput(
        &mut self,
        n: Node,
        io: &Io,
        out: &mut String,
        _cx: Cx,
    ) -> Result<(), RenderError> {
        let id = io.id;
        self.label(io, &format!("input_{id}"), out);
        let value = self.value(io.raw_id).map(|v| v.single());
        let _ = write!(
            out,
            "<select name=\"input_{id}\" id=\"input_{id}\"{}{}{}><option value=\"\">{}</option>",
            Self::labelledby(io),
            self.describedby(io, &[]),
            self.disabled(),
            self.t.select_option
        );
        let options = match n.attribute("options") {
            Some(o) => parse_options(o),
            None => n
                .children()
                .filter(|c| tag(*c) == "option")
                .map(|c| plain_text(c))
                .collect(),
        };
        for o in options {
            let sel = if value == Some(o.as_str()) {
                " selected"
            } else {
                ""
            };
            let e = esc(&o);
            let _ = write!(out, "<option value=\"{e}\"{sel}>{e}</option>");
        }
        out.push_str("</select>");
        Ok(())
    }

    /// `<fieldset>` + `<legend>` (the question), descriptions.
    fn fieldset_open(&self, io: &Io, out: &mut String) {
        let _ = write!(
            out,
            "<fieldset class=\"capa-fieldset\"{}{}>",
            Self::labelledby(io),
            self.describedby(io, &[])
        );
        match &io.plan.label {
            Label::Html(h) => {
                let _ = write!(
                    out,
                    "<legend class=\"capa-question\" id=\"label_{}\">{h}</legend>",
                    io.id
                );
            }
            Label::Hidden(t) => {
                let _ = write!(
                    out,
                    "<legend class=\"visually-hidden\" id=\"label_{}\">{}</legend>",
                    io.id,
                    esc(t)
                );
            }
            Label::By(_) => {}
        }
        self.descriptions(io, out);
    }

    fn choicegroup(
        &mut self,
        n: Node,
        io: &Io,
        out: &mut String,
        cx: Cx,
    ) -> Result<(), RenderError> {
        let id = io.id;
        let t = tag(n);
        let (kind, name) = match t {
            "checkboxgroup" => ("checkbox", format!("input_{id}[]")),
            "radiogroup" => ("radio", format!("input_{id}[]")),
            _ => ("radio", format!("input_{id}")),
        };
        self.fieldset_open(io, out);
        let value = self.value(io.raw_id);
        let shown = self.st.show_answers.and_then(|m| m.get(io.raw_id));
        let result = self.st.results.get(io.raw_id).map(|r| r.correctness);
        let mut correct_texts = Vec::new();
        for (i, choice) in n.children().filter(|c| tag(*c) == "choice").enumerate() {
            let v = self
                .choice_values
                .get(&choice.id())
                .cloned()
                .unwrap_or_else(|| format!("choice_{i}"));
            let cid = self.unique(format!("input_{id}_{}", id_safe(&v)));
            let checked = value.is_some_and(|a| a.contains(&v));
            let is_correct = shown.is_some_and(|s| s.contains(&v));
            let mut classes = String::from("capa-choice");
            if checked {
                classes.push_str(" capa-choice-selected");
                if let (Some(r), "radio") = (result, kind) {
                    let _ = write!(classes, " capa-choice-{}", r.as_str());
                }
            }
            if is_correct {
                classes.push_str(" capa-choice-correct-answer");
                correct_texts.push(plain_text(choice));
            }
            let _ = write!(
                out,
                "<div class=\"{classes}\"><input type=\"{kind}\" name=\"{name}\" id=\"{cid}\" value=\"{}\"{}{}> <label for=\"{cid}\" id=\"{cid}-label\">",
                esc(&v),
                if checked { " checked" } else { "" },
                self.disabled()
            );
            self.children(choice, out, cx.phrasing())?;
            if is_correct {
                let _ = write!(
                    out,
                    " <span class=\"capa-correct-mark\">{}</span>",
                    self.t.correct_choice
                );
            }
            out.push_str("</label></div>");
        }
        out.push_str("</fieldset>");
        if shown.is_some() {
            self.pending_answer = Some(correct_texts);
        }
        Ok(())
    }

    fn textbox(&mut self, n: Node, io: &Io, out: &mut String, _cx: Cx) -> Result<(), RenderError> {
        let id = io.id;
        self.label(io, &format!("input_{id}"), out);
        let value = match self.value(io.raw_id) {
            Some(v) => v.single().to_string(),
            None => n.text().unwrap_or("").trim().to_string(),
        };
        let num = |name: &str, default: u32, max: u32| {
            n.attribute(name)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .unwrap_or(default)
                .clamp(1, max)
        };
        let _ = write!(
            out,
            "<textarea class=\"capa-code\" name=\"input_{id}\" id=\"input_{id}\" rows=\"{}\" cols=\"{}\" spellcheck=\"false\" autocapitalize=\"off\"{}{}{}>{}</textarea>",
            num("rows", 10, 30),
            num("cols", 80, 120),
            Self::labelledby(io),
            self.describedby(io, &[]),
            self.disabled(),
            esc(&value)
        );
        Ok(())
    }

    fn choicetext(
        &mut self,
        n: Node,
        io: &Io,
        out: &mut String,
        cx: Cx,
    ) -> Result<(), RenderError> {
        let id = io.id;
        let (kind, name) = if tag(n) == "checkboxtextgroup" {
            ("checkbox", format!("input_{id}[]"))
        } else {
            ("radio", format!("input_{id}"))
        };
        self.fieldset_open(io, out);
        let value = self.value(io.raw_id);
        let shown = self.st.show_answers.and_then(|m| m.get(io.raw_id));
        let mut shown_texts = Vec::new();
        for (i, choice) in n.children().filter(|c| tag(*c) == "choice").enumerate() {
            let v = self
                .choice_values
                .get(&choice.id())
                .cloned()
                .unwrap_or_else(|| format!("{}_choiceinput_{i}bc", io.raw_id));
            let cid = self.unique(format!("input_{}", id_safe(&v)));
            let checked = value.is_some_and(|a| a.contains(&v));
            let is_correct = shown.is_some_and(|s| s.contains(&v));
            // Split the choice into text runs around its number fields.
            let mut runs: Vec<Vec<Node>> = vec![Vec::new()];
            let mut fields: Vec<Node> = Vec::new();
            for c in choice.children() {
                if matches!(tag(c), "numtolerance_input" | "decoy_input") {
                    fields.push(c);
                    runs.push(Vec::new());
                } else if let Some(last) = runs.last_mut() {
                    last.push(c);
                }
            }
            let sentence = {
                let mut s = String::new();
                for (k, run) in runs.iter().enumerate() {
                    for c in run {
                        if c.is_text() {
                            s.push_str(c.text().unwrap_or(""));
                        } else {
                            s.push_str(&plain_text(*c));
                        }
                        s.push(' ');
                    }
                    if k + 1 < runs.len() {
                        s.push_str("___ ");
                    }
                }
                collapse_ws(&s)
            };
            if is_correct {
                shown_texts.push(sentence.clone());
            }
            let run_ids: Vec<String> = (0..runs.len()).map(|k| format!("{cid}-text-{k}")).collect();
            let _ = write!(
                out,
                "<div class=\"capa-choice{}{}\"><input type=\"{kind}\" name=\"{name}\" id=\"{cid}\" value=\"{}\" aria-labelledby=\"{}\"{}{}> ",
                if checked { " capa-choice-selected" } else { "" },
                if is_correct { " capa-choice-correct-answer" } else { "" },
                esc(&v),
                run_ids.join(" "),
                if checked { " checked" } else { "" },
                self.disabled()
            );
            for (k, run) in runs.iter().enumerate() {
                if k == 0 {
                    let _ = write!(out, "<label for=\"{cid}\" id=\"{}\">", run_ids[0]);
                } else {
                    let field = fields[k - 1];
                    let fname = self
                        .choice_values
                        .get(&field.id())
                        .cloned()
                        .unwrap_or_else(|| {
                            format!("{}_choiceinput_{i}_decoy_input_x{k}", io.raw_id)
                        });
                    let fid = self.unique(format!("input_{}", id_safe(&fname)));
                    let fval = self.st.answers.get(&fname).map_or("", |a| a.single());
                    let _ = write!(
                        out,
                        " <input type=\"text\" class=\"capa-text-field\" size=\"8\" name=\"input_{}\" id=\"{fid}\" value=\"{}\" aria-label=\"{} {k}: {}\" autocomplete=\"off\" spellcheck=\"false\"{}> <span id=\"{}\">",
                        esc(&fname),
                        esc(fval),
                        esc(&capitalise(self.t.field)),
                        esc(&sentence),
                        self.disabled(),
                        run_ids[k]
                    );
                }
                for c in run {
                    self.node(*c, out, cx.phrasing())?;
                }
                if k == 0 {
                    if is_correct && runs.len() == 1 {
                        let _ = write!(
                            out,
                            " <span class=\"capa-correct-mark\">{}</span>",
                            self.t.correct_choice
                        );
                    }
                    out.push_str("</label>");
                } else {
                    out.push_str("</span>");
                }
            }
            if is_correct && runs.len() > 1 {
                let _ = write!(
                    out,
                    " <span class=\"capa-correct-mark\">{}</span>",
                    self.t.correct_choice
                );
            }
            out.push_str("</div>");
        }
        out.push_str("</fieldset>");
        if let Some(vals) = shown {
            // Choice names are marked above; other values are the numbers to type.
            let mut texts = shown_texts;
            texts.extend(vals.iter().filter(|v| !v.ends_with("bc")).cloned());
            self.pending_answer = Some(texts);
        }
        Ok(())
    }

    fn imageinput(
        &mut self,
        n: Node,
        io: &Io,
        out: &mut String,
        _cx: Cx,
    ) -> Result<(), RenderError> {
        let id = io.id;
        self.fieldset_open(io, out);
        let (x, y) = self
            .value(io.raw_id)
            .and_then(|v| parse_point(v.single()))
            .map_or((String::new(), String::new()), |(x, y)| {
                (x.to_string(), y.to_string())
            });
        let dim = |name: &str| {
            n.attribute(name)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|v| *v > 0 && *v < 100_000)
        };
        let (w, h) = (dim("width"), dim("height"));
        let _ = write!(
            out,
            "<p class=\"capa-imageinput-help\" id=\"help_{id}\">{}</p><div class=\"capa-imageinput-figure\">",
            self.t.image_help
        );
        if let Some(src) = n.attribute("src").and_then(|s| self.safe_url(s, true)) {
            let _ = write!(
                out,
                "<img class=\"capa-imageinput-image\" id=\"imageinput_{id}\" src=\"{}\" alt=\"{}\" data-x-input=\"input_{id}_x\" data-y-input=\"input_{id}_y\"",
                esc(&src),
                esc(n.attribute("alt").unwrap_or(""))
            );
            if let Some(w) = w {
                let _ = write!(out, " width=\"{w}\"");
            }
            if let Some(h) = h {
                let _ = write!(out, " height=\"{h}\"");
            }
            out.push('>');
        }
        out.push_str("</div><div class=\"capa-imageinput-coords\">");
        for (axis, label, val, max) in [("x", self.t.image_x, &x, w), ("y", self.t.image_y, &y, h)]
        {
            let _ = write!(
                out,
                "<label for=\"input_{id}_{axis}\">{label}</label> <input type=\"number\" inputmode=\"numeric\" min=\"0\" step=\"1\" name=\"input_{id}_{axis}\" id=\"input_{id}_{axis}\" value=\"{}\"{}{}",
                esc(val),
                self.describedby(io, &[format!("help_{id}")]),
                self.disabled()
            );
            if let Some(m) = max {
                let _ = write!(out, " max=\"{m}\"");
            }
            out.push_str("> ");
        }
        out.push_str("</div></fieldset>");
        if let Some(vals) = self.st.show_answers.and_then(|m| m.get(io.raw_id)) {
            self.pending_answer = Some(vals.clone());
        }
        Ok(())
    }

    fn annotationinput(
        &mut self,
        n: Node,
        io: &Io,
        out: &mut String,
        cx: Cx,
    ) -> Result<(), RenderError> {
        let id = io.id;
        let child = |name: &str| n.children().find(|c| tag(*c) == name);
        let (selected, comment) = self
            .value(io.raw_id)
            .and_then(|v| serde_json::from_str::<serde_json::Value>(v.single()).ok())
            .map_or((None, String::new()), |j| {
                (
                    j["options"].get(0).and_then(serde_json::Value::as_u64),
                    j["comment"].as_str().unwrap_or("").to_string(),
                )
            });
        if let Some(title) = child("title") {
            out.push_str("<p class=\"capa-annotation-title\">");
            self.children(title, out, cx.phrasing())?;
            out.push_str("</p>");
        }
        if let Some(text) = child("text") {
            out.push_str("<blockquote class=\"capa-annotation-text\">");
            self.children(text, out, cx.phrasing())?;
            out.push_str("</blockquote>");
        }
        if let Some(c) = child("comment") {
            out.push_str("<p class=\"capa-annotation-comment\">");
            self.children(c, out, cx.phrasing())?;
            out.push_str("</p>");
        }
        let _ = write!(out, "<label for=\"input_{id}_comment\">");
        match child("comment_prompt") {
            Some(p) => self.children(p, out, cx.phrasing())?,
            None => out.push_str(self.t.comment),
        }
        let _ = write!(
            out,
            "</label><textarea name=\"input_{id}_comment\" id=\"input_{id}_comment\" rows=\"4\" cols=\"60\"{}>{}</textarea>",
            self.disabled(),
            esc(&comment)
        );
        let _ = write!(
            out,
            "<fieldset class=\"capa-fieldset\"{}><legend id=\"label_{id}\">",
            self.describedby(io, &[])
        );
        match child("tag_prompt") {
            Some(p) => self.children(p, out, cx.phrasing())?,
            None => out.push_str(self.t.tags),
        }
        out.push_str("</legend>");
        let shown = self.st.show_answers.and_then(|m| m.get(io.raw_id));
        let mut correct = Vec::new();
        let options: Vec<Node> = child("options")
            .map(|o| o.children().filter(|c| tag(*c) == "option").collect())
            .unwrap_or_default();
        for (i, o) in options.into_iter().enumerate() {
            let text = plain_text(o);
            let is_correct =
                shown.is_some_and(|s| s.iter().any(|v| v == &i.to_string() || v == &text));
            if is_correct {
                correct.push(text.clone());
            }
            let _ = write!(
                out,
                "<div class=\"capa-choice\"><input type=\"radio\" name=\"input_{id}_option\" id=\"input_{id}_option_{i}\" value=\"{i}\"{}{}> <label for=\"input_{id}_option_{i}\">{}",
                if selected == Some(i as u64) { " checked" } else { "" },
                self.disabled(),
                esc(&text)
            );
            if is_correct {
                let _ = write!(
                    out,
                    " <span class=\"capa-correct-mark\">{}</span>",
                    self.t.correct_choice
                );
            }
            out.push_str("</label></div>");
        }
        out.push_str("</fieldset>");
        if shown.is_some() {
            self.pending_answer = Some(correct);
        }
        Ok(())
    }

    fn unsupported_input(
        &mut self,
        n: Node,
        io: &Io,
        out: &mut String,
        _cx: Cx,
    ) -> Result<(), RenderError> {
        self.unsupported.push(io.raw_id.to_string());
        let title = n
            .attribute("title")
            .map(|t| format!(" ({})", esc(t)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<p class=\"capa-notice capa-notice-unsupported\" id=\"label_{}\">{} <code>{}</code>{title}</p>",
            io.id,
            self.t.unsupported,
            esc(tag(n))
        );
        Ok(())
    }

    /// Status (text + icon), feedback, and the shown answer for text-like inputs.
    fn after_input(
        &mut self,
        io: &Io,
        textual: bool,
        out: &mut String,
        cx: Cx,
    ) -> Result<(), RenderError> {
        let w = io.w;
        let _ = write!(out, "<{w} class=\"capa-status\" id=\"status_{}\">", io.id);
        if let Some(r) = self.st.results.get(io.raw_id) {
            let (icon, text) = match r.correctness {
                Correctness::Correct => ("✓", self.t.correct),
                Correctness::PartiallyCorrect => ("◑", self.t.partial),
                Correctness::Incorrect => ("✗", self.t.incorrect),
                Correctness::Incomplete => ("…", self.t.incomplete),
            };
            let _ = write!(
                out,
                "<span class=\"capa-status-icon capa-status-{}\" aria-hidden=\"true\">{icon}</span> <span class=\"capa-status-text\">{text}</span>",
                r.correctness.as_str()
            );
        }
        let _ = write!(out, "</{w}>");
        if let Some(r) = self.st.results.get(io.raw_id) {
            if !r.msg.trim().is_empty() {
                let _ = write!(
                    out,
                    "<{w} class=\"capa-feedback\" id=\"feedback_{}\">",
                    io.id
                );
                let msg = r.msg.clone();
                self.fragment(&msg, out, if w == "span" { cx.phrasing() } else { cx })?;
                let _ = write!(out, "</{w}>");
            }
        }
        if let Some(vals) = self.pending_answer.take() {
            self.answer_line(io, &vals, out);
        } else if textual {
            if let Some(vals) = self.st.show_answers.and_then(|m| m.get(io.raw_id)) {
                self.answer_line(io, vals, out);
            }
        }
        Ok(())
    }

    fn answer_line(&self, io: &Io, values: &[String], out: &mut String) {
        let w = io.w;
        let _ = write!(
            out,
            "<{w} class=\"capa-answer\" id=\"answer_{}\"><span class=\"capa-answer-label\">{}</span> <span class=\"capa-answer-value\">{}</span></{w}>",
            io.id,
            self.t.answer,
            esc(&values.join(", "))
        );
    }

    /// A feedback HTML string, sanitised like problem content (plain text if it is not XML).
    fn fragment(&mut self, html: &str, out: &mut String, cx: Cx) -> Result<(), RenderError> {
        let fixed = html
            .replace("&nbsp;", "&#160;")
            .replace("<br>", "<br/>")
            .replace("<hr>", "<hr/>");
        let wrapped = format!("<div>{fixed}</div>");
        match roxmltree::Document::parse(&wrapped) {
            Ok(doc) => self.children(doc.root_element(), out, cx),
            Err(_) => {
                let mut text = String::new();
                let mut in_tag = false;
                for c in html.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' if in_tag => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                esc_into(out, &text);
                Ok(())
            }
        }
    }

    fn unique(&mut self, id: String) -> String {
        if self.used_ids.insert(id.clone()) {
            return id;
        }
        let mut k = 2;
        loop {
            let c = format!("{id}-{k}");
            if self.used_ids.insert(c.clone()) {
                return c;
            }
            k += 1;
        }
    }
}

struct Io<'x> {
    raw_id: &'x str,
    id: &'x str,
    /// `div`, or `span` inside running text.
    w: &'static str,
    plan: &'x InputPlan,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `"[12, 34]"` → (12, 34).
fn parse_point(s: &str) -> Option<(i64, i64)> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?;
    let (x, y) = inner.split_once(',')?;
    Some((x.trim().parse().ok()?, y.trim().parse().ok()?))
}

/// Open edX's `OptionInput.parse_options`: `"('a','b c','it\'s')"` → `["a", "b c", "it's"]`.
/// Apostrophes between letters and `\'` are literal; tokens are separated by commas/spaces.
fn parse_options(raw: &str) -> Vec<String> {
    let chars: Vec<char> = raw.trim().chars().collect();
    let inner: &[char] = if chars.len() >= 2 {
        &chars[1..chars.len() - 1]
    } else {
        &[]
    };
    // Mark literal apostrophes.
    const LIT: char = '\u{E000}';
    let mut s: Vec<char> = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        let prev_alpha = i > 0 && inner[i - 1].is_ascii_alphabetic();
        if c == '\\' && inner.get(i + 1) == Some(&'\'') {
            s.push(LIT);
            i += 2;
            continue;
        }
        if c == '\'' && prev_alpha && inner.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
            s.push(LIT);
            i += 1;
            continue;
        }
        s.push(c);
        i += 1;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == ',' || c == ' ' || c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut tok = String::new();
        if c == '\'' {
            i += 1;
            while i < s.len() && s[i] != '\'' {
                tok.push(s[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < s.len() && !(s[i] == ',' || s[i].is_whitespace()) {
                tok.push(s[i]);
                i += 1;
            }
        }
        out.push(tok.replace(LIT, "'"));
    }
    out
}
