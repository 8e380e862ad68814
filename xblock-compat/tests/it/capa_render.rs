//! The CAPA renderer: hand-written annotated XML per input type, and every problem of the
//! shared exports after a naive annotation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use xblock_compat::capa::render::{
    answers_from_form, render, Correctness, Lang, RenderAnswer, RenderResult, RenderState,
    RenderedProblem,
};

fn static_url(u: &str) -> String {
    format!("/assets/course{}", u.trim_start_matches("/static"))
}

fn plain(xml: &str) -> RenderedProblem {
    render(xml, &RenderState::new(Lang::Pl, &static_url)).unwrap()
}

/// Every `attr="…"` value in the HTML.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find('"').unwrap();
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// Ids unique; every for=, aria-labelledby= and aria-describedby= target exists.
fn check_references(html: &str) {
    let ids = attr_values(html, "id");
    let mut seen = BTreeSet::new();
    for id in &ids {
        assert!(seen.insert(id.clone()), "duplicate id {id} in {html}");
        assert!(!id.is_empty() && !id.contains(' '), "bad id {id:?}");
    }
    for attr in ["for", "aria-labelledby", "aria-describedby"] {
        for v in attr_values(html, attr) {
            for target in v.split_whitespace() {
                assert!(
                    seen.contains(target),
                    "{attr}={target} has no element in {html}"
                );
            }
        }
    }
}

pub fn dump(name: &str, p: &RenderedProblem) {
    if std::env::var_os("CAPA_RENDER_DUMP").is_some() {
        eprintln!("==== {name}\n{}\n", p.html);
    }
}

// ---------------------------------------------------------------------------------------------
// A naive stand-in for the grader's annotation (ids, <text>, optioninput options/correct).

const RESPONSES: &[&str] = &[
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

const INPUTS: &[&str] = &[
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
    "imageinput",
    "annotationinput",
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn annotate(raw: &str, pid: &str) -> String {
    let text = raw
        .replace("<startouttext/>", "<text>")
        .replace("<startouttext />", "<text>")
        .replace("<endouttext/>", "</text>")
        .replace("<endouttext />", "</text>");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let mut ids: HashMap<roxmltree::NodeId, String> = HashMap::new();
    let mut k = 0;
    let mut done = HashSet::new();
    for resp in doc
        .descendants()
        .filter(|n| RESPONSES.contains(&n.tag_name().name()))
    {
        k += 1;
        ids.insert(resp.id(), format!("{pid}_{k}"));
        let mut j = 0;
        for input in resp
            .descendants()
            .filter(|n| INPUTS.contains(&n.tag_name().name()))
        {
            if done.insert(input.id()) {
                j += 1;
                ids.insert(input.id(), format!("{pid}_{}_{j}", k + 1));
            }
        }
    }
    for (n, sol) in doc
        .descendants()
        .filter(|n| n.tag_name().name() == "solution")
        .enumerate()
    {
        ids.insert(sol.id(), format!("{pid}_solution_{}", n + 1));
    }
    let mut out = String::new();
    write(doc.root_element(), &ids, &mut out);
    out
}

fn write(n: roxmltree::Node, ids: &HashMap<roxmltree::NodeId, String>, out: &mut String) {
    let name = n.tag_name().name();
    out.push('<');
    out.push_str(name);
    for a in n.attributes() {
        if a.namespace().is_some() || (a.name() == "id" && ids.contains_key(&n.id())) {
            continue;
        }
        out.push_str(&format!(" {}=\"{}\"", a.name(), esc(a.value())));
    }
    if let Some(id) = ids.get(&n.id()) {
        out.push_str(&format!(" id=\"{id}\""));
    }
    let options: Vec<roxmltree::Node> = n
        .children()
        .filter(|c| c.tag_name().name() == "option")
        .collect();
    if name == "optioninput" && n.attribute("options").is_none() {
        let texts: Vec<String> = options
            .iter()
            .map(|o| o.text().unwrap_or("").trim().replace('\'', "\\'"))
            .collect();
        let list: Vec<String> = texts.iter().map(|t| format!("'{t}'")).collect();
        out.push_str(&format!(" options=\"({})\"", esc(&list.join(","))));
        if let Some(c) = options.iter().find(|o| {
            o.attribute("correct")
                .is_some_and(|c| c.eq_ignore_ascii_case("true"))
        }) {
            out.push_str(&format!(
                " correct=\"{}\"",
                esc(c.text().unwrap_or("").trim())
            ));
        }
    }
    out.push('>');
    for c in n.children() {
        if c.is_element() {
            write(c, ids, out);
        } else if c.is_text() {
            out.push_str(&esc(c.text().unwrap_or("")));
        }
    }
    out.push_str(&format!("</{name}>"));
}

#[test]
fn every_shared_problem_renders() {
    let mut count = 0;
    for archive in [
        "demo",
        "demo_library",
        "demo_test_course",
        "kitchen_sink",
        "mitx_grading_library",
        "supported_components",
    ] {
        let dir = crate::olx::unpack(&crate::olx::shared(&format!("{archive}.tar.gz")));
        let mut files = Vec::new();
        for entry in walk(dir.path()) {
            if entry.extension().is_some_and(|e| e == "xml")
                && entry.parent().is_some_and(|p| p.ends_with("problem"))
            {
                files.push(entry);
            }
        }
        files.sort();
        for (i, f) in files.iter().enumerate() {
            let raw = std::fs::read_to_string(f).unwrap();
            let pid = format!("p{i}x{}", archive.len());
            let xml = annotate(&raw, &pid);
            let name = f.display().to_string();
            for lang in [Lang::Pl, Lang::En] {
                let mut st = RenderState::new(lang, &static_url);
                let p = render(&xml, &st).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(
                    p.html.len() > "<div class=\"capa-problem\"></div>".len(),
                    "{name}"
                );
                check_references(&p.html);
                for id in &p.input_ids {
                    assert!(
                        p.html.contains(&format!("id=\"inputtype_{id}\"")),
                        "{name}: {id}"
                    );
                }
                assert!(!p.html.contains("<script"), "{name}");
                dump(&name, &p);
                // Everything shown at once still holds together.
                let answers: BTreeMap<String, Vec<String>> = p
                    .input_ids
                    .iter()
                    .map(|id| (id.clone(), vec!["choice_0".to_string(), "42".to_string()]))
                    .collect();
                let results: BTreeMap<String, RenderResult> = p
                    .input_ids
                    .iter()
                    .map(|id| {
                        (
                            id.clone(),
                            RenderResult {
                                correctness: Correctness::PartiallyCorrect,
                                msg: "<p>Almost <b>there</b></p>".into(),
                            },
                        )
                    })
                    .collect();
                st.show_answers = Some(&answers);
                st.results = &results;
                st.show_solutions = true;
                st.hints_shown = usize::MAX;
                st.disabled = true;
                let full = render(&xml, &st).unwrap();
                check_references(&full.html);
                dump(&format!("{name} (all shown)"), &full);
                if p.has_solution {
                    assert!(full.html.contains("capa-solution"), "{name}");
                }
                assert_eq!(
                    full.html.matches("class=\"capa-hint\"").count(),
                    p.demand_hints,
                    "{name}"
                );
                count += 1;
            }
        }
    }
    assert!(count >= 2 * 150, "only {count} renders");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Hand-written annotated problems, one per input type.

fn with<'a>(
    answers: &'a BTreeMap<String, RenderAnswer>,
    results: &'a BTreeMap<String, RenderResult>,
) -> RenderState<'a> {
    let mut st = RenderState::new(Lang::Pl, &static_url);
    st.answers = answers;
    st.results = results;
    st
}

fn one(id: &str, v: &str) -> BTreeMap<String, RenderAnswer> {
    BTreeMap::from([(id.to_string(), RenderAnswer::One(v.to_string()))])
}

fn result(id: &str, c: Correctness, msg: &str) -> BTreeMap<String, RenderResult> {
    BTreeMap::from([(
        id.to_string(),
        RenderResult {
            correctness: c,
            msg: msg.to_string(),
        },
    )])
}

const MC: &str = r#"<problem>
<multiplechoiceresponse id="q_1">
  <label>Which is a <b>fruit</b>?</label>
  <description>Pick one.</description>
  <choicegroup type="MultipleChoice" id="q_2_1">
    <choice correct="false">Carrot<choicehint>No, a root.</choicehint></choice>
    <choice correct="true" name="apple">Apple</choice>
    <choice correct="false">Potato</choice>
  </choicegroup>
</multiplechoiceresponse>
<solution id="q_solution_1"><p>Apples grow on trees.</p></solution>
<demandhint><hint>Think of trees.</hint><hint>Red.</hint><hint>Starts with A.</hint></demandhint>
</problem>"#;

#[test]
fn multiple_choice_is_a_fieldset_with_native_radios() {
    let p = plain(MC);
    let h = &p.html;
    check_references(h);
    assert_eq!(p.input_ids, ["q_2_1"]);
    assert_eq!(p.demand_hints, 3);
    assert!(p.has_solution);
    assert!(h.contains("<fieldset"));
    assert!(h.contains(
        "<legend class=\"capa-question\" id=\"label_q_2_1\">Which is a <b>fruit</b>?</legend>"
    ));
    assert!(h.contains("<p class=\"question-description\" id=\"description_q_1_1\">Pick one.</p>"));
    assert!(h.contains("aria-describedby=\"status_q_2_1 description_q_1_1\""));
    // Open edX's values: unnamed choices count from 0, named ones are choice_<name>.
    for v in ["choice_0", "choice_apple", "choice_1"] {
        assert!(h.contains(&format!(
            "<input type=\"radio\" name=\"input_q_2_1\" id=\"input_q_2_1_{v}\" value=\"{v}\">"
        )));
        assert!(h.contains(&format!("<label for=\"input_q_2_1_{v}\"")));
    }
    // Hints, solutions and the label's original place are not shown.
    assert!(!h.contains("No, a root"));
    assert!(!h.contains("Apples grow"));
    assert!(!h.contains("Think of trees"));
    assert_eq!(h.matches("Which is a").count(), 1);
    assert!(!h.contains("checked"));
    assert!(!h.contains("disabled"));
}

#[test]
fn multiple_choice_after_grading_shows_status_as_text_and_icon() {
    let answers = one("q_2_1", "choice_0");
    let results = result("q_2_1", Correctness::Incorrect, "<p>No, a <i>root</i>.</p>");
    let mut st = with(&answers, &results);
    st.disabled = true;
    let h = render(MC, &st).unwrap().html;
    check_references(&h);
    assert!(h.contains("value=\"choice_0\" checked disabled>"));
    assert!(h.contains("value=\"choice_apple\" disabled>"));
    assert!(h.contains(
        "<div class=\"capa-status\" id=\"status_q_2_1\"><span class=\"capa-status-icon capa-status-incorrect\" aria-hidden=\"true\">✗</span> <span class=\"capa-status-text\">Niepoprawnie</span></div>"
    ));
    assert!(h.contains(
        "<div class=\"capa-feedback\" id=\"feedback_q_2_1\"><p>No, a <i>root</i>.</p></div>"
    ));
    assert!(h.contains("aria-describedby=\"status_q_2_1 description_q_1_1 feedback_q_2_1\""));

    for (c, text) in [
        (Correctness::Correct, "Poprawnie"),
        (Correctness::PartiallyCorrect, "Częściowo poprawnie"),
        (Correctness::Incomplete, "Oczekuje"),
    ] {
        let results = result("q_2_1", c, "");
        let h = render(MC, &with(&answers, &results)).unwrap().html;
        assert!(h.contains(&format!("<span class=\"capa-status-text\">{text}</span>")));
        assert!(!h.contains("feedback_q_2_1"));
    }
    let pending = result("q_2_1", Correctness::Incomplete, "");
    let mut en = with(&answers, &pending);
    en.lang = Lang::En;
    assert!(render(MC, &en).unwrap().html.contains(">Pending</span>"));
}

#[test]
fn show_answer_marks_correct_choices_and_shows_the_solution_and_hints() {
    let shown = BTreeMap::from([("q_2_1".to_string(), vec!["choice_apple".to_string()])]);
    let mut st = RenderState::new(Lang::Pl, &static_url);
    st.show_answers = Some(&shown);
    st.show_solutions = true;
    st.hints_shown = 2;
    let p = render(MC, &st).unwrap();
    let h = &p.html;
    check_references(h);
    assert!(
        h.contains("Apple <span class=\"capa-correct-mark\">(poprawna odpowiedź)</span></label>")
    );
    assert_eq!(h.matches("(poprawna odpowiedź)").count(), 1);
    assert!(h.contains(
        "<div class=\"capa-answer\" id=\"answer_q_2_1\"><span class=\"capa-answer-label\">Odpowiedź:</span> <span class=\"capa-answer-value\">Apple</span></div>"
    ));
    assert!(h.contains(
        "<section class=\"capa-solution\" id=\"solution_q_solution_1\" aria-labelledby=\"solution_q_solution_1_heading\"><h3 id=\"solution_q_solution_1_heading\">Wyjaśnienie</h3><p>Apples grow on trees.</p></section>"
    ));
    assert!(h.contains("<span class=\"capa-hint-label\">Wskazówka 1 z 3:</span> Think of trees."));
    assert!(h.contains("<span class=\"capa-hint-label\">Wskazówka 2 z 3:</span> Red."));
    assert!(!h.contains("Starts with A"));

    st.lang = Lang::En;
    let h = render(MC, &st).unwrap().html;
    assert!(h.contains(">Hint 2 of 3:</span>"));
    assert!(h.contains(">Explanation</h3>"));
    assert!(h.contains("(correct answer)"));
}

#[test]
fn checkboxes_use_index_values_and_array_names() {
    let xml = r#"<problem><choiceresponse id="c_1"><label>Pick primes</label>
      <checkboxgroup id="c_2_1">
        <choice correct="true" name="two">2</choice>
        <choice correct="false">4</choice>
        <choice correct="true">5</choice>
      </checkboxgroup></choiceresponse></problem>"#;
    let answers = BTreeMap::from([(
        "c_2_1".to_string(),
        RenderAnswer::Many(vec!["choice_0".into(), "choice_2".into()]),
    )]);
    let h = render(xml, &with(&answers, &BTreeMap::new())).unwrap().html;
    check_references(&h);
    assert!(h.contains("<legend class=\"capa-question\" id=\"label_c_2_1\">Pick primes</legend>"));
    assert!(h.contains(
        "<input type=\"checkbox\" name=\"input_c_2_1[]\" id=\"input_c_2_1_choice_0\" value=\"choice_0\" checked>"
    ));
    assert!(h.contains(
        "<input type=\"checkbox\" name=\"input_c_2_1[]\" id=\"input_c_2_1_choice_1\" value=\"choice_1\">"
    ));
    assert!(h.contains("value=\"choice_2\" checked>"));
}

#[test]
fn option_input_is_a_labelled_select() {
    let xml = r#"<problem><optionresponse id="o_1">
      <label>The sky is</label>
      <optioninput id="o_2_1" options="('blue','green','it\'s red','don't know')" correct="blue"/>
      </optionresponse></problem>"#;
    let answers = one("o_2_1", "don't know");
    let h = render(xml, &with(&answers, &BTreeMap::new())).unwrap().html;
    check_references(&h);
    assert!(h.contains(
        "<label class=\"capa-question\" for=\"input_o_2_1\" id=\"label_o_2_1\">The sky is</label><select name=\"input_o_2_1\" id=\"input_o_2_1\" aria-describedby=\"status_o_2_1\"><option value=\"\">Wybierz opcję</option><option value=\"blue\">blue</option><option value=\"green\">green</option><option value=\"it&#39;s red\">it&#39;s red</option><option value=\"don&#39;t know\" selected>don&#39;t know</option></select>"
    ));
    let mut st = RenderState::new(Lang::En, &static_url);
    let shown = BTreeMap::from([("o_2_1".to_string(), vec!["blue".to_string()])]);
    st.show_answers = Some(&shown);
    let h = render(xml, &st).unwrap().html;
    assert!(h.contains("<option value=\"\">Select an option</option>"));
    assert!(h.contains("<span class=\"capa-answer-label\">Answer:</span> <span class=\"capa-answer-value\">blue</span>"));
}

#[test]
fn inline_option_inputs_in_a_paragraph_stay_phrasing_content() {
    let xml = r#"<problem><optionresponse id="o_1">
      <p>Rust is <optioninput id="o_2_1" options="('fast','slow')" correct="fast"/> and
      <optioninput id="o_2_2" label="Safety" options="('safe','unsafe')" correct="safe"/>.</p>
      </optionresponse></problem>"#;
    let p = plain(xml);
    let h = &p.html;
    check_references(h);
    assert_eq!(p.input_ids, ["o_2_1", "o_2_2"]);
    assert!(h.contains("<p id=\"question_o_2_1\">Rust is <span class=\"capa-input capa-optioninput\" id=\"inputtype_o_2_1\">"));
    assert!(h.contains("aria-labelledby=\"question_o_2_1\""));
    assert!(h.contains(
        "<label class=\"capa-question\" for=\"input_o_2_2\" id=\"label_o_2_2\">Safety</label>"
    ));
    assert!(h.contains("<span class=\"capa-status\" id=\"status_o_2_1\"></span>"));
    // No block element inside the paragraph.
    let para = &h[h.find("<p id=").unwrap() + 2..h.find("</p>").unwrap()];
    assert!(!para.contains("<div") && !para.contains("<p "), "{para}");
}

#[test]
fn textline_has_label_size_trailing_text_and_value() {
    let xml = r#"<problem><numericalresponse id="n_1" answer="9.8">
      <label>Gravity?</label>
      <responseparam type="tolerance" default="1%"/>
      <textline id="n_2_1" size="7" trailing_text="m/s²"/>
      <additional_answer answer="10"/>
      </numericalresponse></problem>"#;
    let answers = one("n_2_1", "9.81 \"quoted\" <b>");
    let results = result("n_2_1", Correctness::Correct, "");
    let h = render(xml, &with(&answers, &results)).unwrap().html;
    check_references(&h);
    assert!(h.contains(
        "<label class=\"capa-question\" for=\"input_n_2_1\" id=\"label_n_2_1\">Gravity?</label>"
    ));
    assert!(h.contains(
        "<input type=\"text\" class=\"capa-text-field\" name=\"input_n_2_1\" id=\"input_n_2_1\" value=\"9.81 &quot;quoted&quot; &lt;b&gt;\" aria-describedby=\"trailing_text_n_2_1 status_n_2_1\" size=\"7\""
    ));
    assert!(h.contains("<span class=\"capa-trailing-text\" id=\"trailing_text_n_2_1\">m/s²</span>"));
    assert!(h.contains("✓</span> <span class=\"capa-status-text\">Poprawnie</span>"));
    assert!(h.contains("capa-input capa-textline capa-correct"));
    assert!(!h.contains("10\""));
}

#[test]
fn old_style_problems_take_the_question_from_the_paragraph() {
    // `label` attribute equal to the preceding paragraph (Open edX: that <p> becomes the label).
    let xml = r#"<problem><p>What is 2+2?</p><stringresponse id="s_1" answer="4">
      <textline id="s_2_1" label="What is 2+2?"/></stringresponse></problem>"#;
    let h = plain(xml).html;
    check_references(&h);
    assert_eq!(h.matches("What is 2+2?").count(), 1);
    assert!(h.contains("<label class=\"capa-question\" for=\"input_s_2_1\" id=\"label_s_2_1\">What is 2+2?</label>"));

    // No label at all: the paragraph before names the field.
    let xml = r#"<problem><text><p>Capital of Poland?</p><br/><stringresponse id="s_1" answer="Warszawa">
      <textline id="s_2_1"/></stringresponse></text></problem>"#;
    let h = plain(xml).html;
    check_references(&h);
    assert!(h.contains("<p id=\"question_s_2_1\">Capital of Poland?</p>"));
    assert!(h.contains("aria-labelledby=\"question_s_2_1\""));

    // A label attribute with no matching paragraph: a visually hidden label.
    let xml = r#"<problem><stringresponse id="s_1" answer="x"><textline id="s_2_1" label="Your name"/></stringresponse></problem>"#;
    assert!(plain(xml).html.contains(
        "<label class=\"visually-hidden\" for=\"input_s_2_1\" id=\"label_s_2_1\">Your name</label>"
    ));
}

#[test]
fn formula_and_textbox() {
    let xml = r#"<problem><formularesponse id="f_1" answer="x^2" samples="x@1:2#5">
      <label>Square x</label><formulaequationinput id="f_2_1"/></formularesponse>
      <coderesponse id="f_3"><label>Code</label><textbox id="f_4_1" rows="5" cols="40">def f():
    pass</textbox><codeparam/></coderesponse></problem>"#;
    let p = plain(xml);
    let h = &p.html;
    check_references(h);
    assert!(p.scripted);
    assert!(h.contains("name=\"input_f_2_1\" id=\"input_f_2_1\" value=\"\" aria-describedby=\"status_f_2_1\" size=\"20\""));
    assert!(h.contains("spellcheck=\"false\""));
    assert!(h.contains("<textarea class=\"capa-code\" name=\"input_f_4_1\" id=\"input_f_4_1\" rows=\"5\" cols=\"40\""));
    assert!(h.contains(">def f():\n    pass</textarea>"));
    assert!(h.contains(
        "Ten problem jest oceniany skryptem; ocenianie skryptów pojawi się w kolejnej wersji."
    ));
    let mut st = RenderState::new(Lang::En, &static_url);
    st.disabled = true;
    let h = render(xml, &st).unwrap().html;
    assert!(
        h.contains("This problem is graded by a script; script grading comes in a later version.")
    );
    assert!(h.contains(" disabled>def f()"));
}

#[test]
fn choicetext_uses_open_edx_names() {
    let xml = r#"<problem><choicetextresponse id="t_1"><label>Dice</label>
      <radiotextgroup id="t_2_1">
        <choice correct="false">Lowest was <decoy_input/> and highest <decoy_input/>.</choice>
        <choice correct="true">Lowest was <numtolerance_input answer="1"/>; highest unknown.</choice>
      </radiotextgroup></choicetextresponse></problem>"#;
    let answers = BTreeMap::from([
        (
            "t_2_1".to_string(),
            RenderAnswer::One("t_2_1_choiceinput_1bc".into()),
        ),
        (
            "t_2_1_choiceinput_1_numtolerance_input_0".to_string(),
            RenderAnswer::One("1".into()),
        ),
    ]);
    let h = render(xml, &with(&answers, &BTreeMap::new())).unwrap().html;
    check_references(&h);
    assert!(h.contains("<legend class=\"capa-question\" id=\"label_t_2_1\">Dice</legend>"));
    assert!(h.contains(
        "<input type=\"radio\" name=\"input_t_2_1\" id=\"input_t_2_1_choiceinput_0bc\" value=\"t_2_1_choiceinput_0bc\""
    ));
    assert!(h.contains("value=\"t_2_1_choiceinput_1bc\" aria-labelledby=\"input_t_2_1_choiceinput_1bc-text-0 input_t_2_1_choiceinput_1bc-text-1\" checked>"));
    for f in [
        "t_2_1_choiceinput_0_numtolerance_input_0",
        "t_2_1_choiceinput_0_numtolerance_input_1",
    ] {
        assert!(h.contains(&format!("name=\"input_{f}\" id=\"input_{f}\" value=\"\"")));
    }
    assert!(h.contains(
        "name=\"input_t_2_1_choiceinput_1_numtolerance_input_0\" id=\"input_t_2_1_choiceinput_1_numtolerance_input_0\" value=\"1\" aria-label=\"Pole 1: Lowest was ___ ; highest unknown.\""
    ));
    // The checkbox variant collects several choices.
    let h = plain(&xml.replace("radiotextgroup", "checkboxtextgroup")).html;
    assert!(h.contains("<input type=\"checkbox\" name=\"input_t_2_1[]\""));
}

#[test]
fn image_input_has_a_keyboard_alternative() {
    let xml = r#"<problem><imageresponse id="i_1"><p>Click Egypt.</p>
      <imageinput id="i_2_1" src="/static/africa.png" width="600" height="638" rectangle="(338,98)-(412,168)" alt="Map of Africa"/>
      </imageresponse></problem>"#;
    let answers = one("i_2_1", "[350, 120]");
    let h = render(xml, &with(&answers, &BTreeMap::new())).unwrap().html;
    check_references(&h);
    assert!(h.contains("<fieldset class=\"capa-fieldset\" aria-labelledby=\"question_i_2_1\""));
    assert!(h.contains("src=\"/assets/course/africa.png\" alt=\"Map of Africa\" data-x-input=\"input_i_2_1_x\" data-y-input=\"input_i_2_1_y\""));
    assert!(h.contains("class=\"capa-imageinput-image\""));
    assert!(h.contains("<label for=\"input_i_2_1_x\">"));
    assert!(h.contains("type=\"number\" inputmode=\"numeric\" min=\"0\" step=\"1\" name=\"input_i_2_1_x\" id=\"input_i_2_1_x\" value=\"350\""));
    assert!(h.contains("name=\"input_i_2_1_y\" id=\"input_i_2_1_y\" value=\"120\""));
    assert!(h.contains("max=\"638\""));
    assert!(!h.contains("onclick"));
}

#[test]
fn annotation_input_options_are_radios() {
    let xml = r#"<problem><annotationresponse id="a_1"><annotationinput id="a_2_1">
      <title>Sonnet</title><text>zealous pilgrimage</text><comment>Analyse.</comment>
      <comment_prompt>Discuss:</comment_prompt><tag_prompt>Where to?</tag_prompt>
      <options><option choice="incorrect">Verona</option><option choice="correct">Nowhere</option></options>
      </annotationinput></annotationresponse></problem>"#;
    let answers = one("a_2_1", r#"{"options":[1],"comment":"I think <so>"}"#);
    let h = render(xml, &with(&answers, &BTreeMap::new())).unwrap().html;
    check_references(&h);
    assert!(h.contains("<label for=\"input_a_2_1_comment\">Discuss:</label><textarea name=\"input_a_2_1_comment\" id=\"input_a_2_1_comment\" rows=\"4\" cols=\"60\">I think &lt;so&gt;</textarea>"));
    assert!(h.contains("<legend id=\"label_a_2_1\">Where to?</legend>"));
    assert!(h.contains("<input type=\"radio\" name=\"input_a_2_1_option\" id=\"input_a_2_1_option_0\" value=\"0\"> <label for=\"input_a_2_1_option_0\">Verona</label>"));
    assert!(h.contains("value=\"1\" checked> <label for=\"input_a_2_1_option_1\">Nowhere</label>"));
}

#[test]
fn unsupported_inputs_get_a_notice_never_a_blank() {
    for tag in [
        "jsinput",
        "schematic",
        "drag_and_drop_input",
        "chemicalequationinput",
        "crystallography",
    ] {
        let xml = format!(
            r#"<problem><customresponse id="u_1" cfn="f"><{tag} id="u_2_1" title="Tool"/></customresponse></problem>"#
        );
        let p = plain(&xml);
        check_references(&p.html);
        assert_eq!(p.unsupported_inputs, ["u_2_1"]);
        assert!(p.html.contains(&format!(
            "<p class=\"capa-notice capa-notice-unsupported\" id=\"label_u_2_1\">Ta część zadania korzysta z interaktywnego narzędzia, które nie jest jeszcze dostępne: <code>{tag}</code> (Tool)</p>"
        )));
        assert!(p.scripted);
    }
}

#[test]
fn content_is_sanitised() {
    let xml = r##"<problem>
      <p onclick="steal()" style="color:red" class="big note" id="intro">Hi <a href="javascript:alert(1)">x</a>
      <a href=" JaVa&#9;script:alert(1)">y</a> <a href="https://example.org" target="_blank">ok</a>
      <a href="/static/handout.pdf">pdf</a> <a href="#intro">top</a></p>
      <script type="text/javascript">alert(1)</script><style>p{}</style>
      <iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>
      <object data="x.swf"><p>obj</p></object>
      <img src="/static/a.png" onerror="x()"/><img src="data:image/png;base64,AA" alt="dot"/>
      <img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="svg"/>
      <h1>Big</h1><unknownthing>kept text</unknownthing>
      <stringresponse id="z_1" answer="a"><textline id="z_2_1"/><hintgroup><stringhint answer="b">hidden hint</stringhint></hintgroup></stringresponse>
      <p>[mathjax]x^2[/mathjax] and \(y\) and $var</p>
    </problem>"##;
    let h = plain(xml).html;
    check_references(&h);
    for bad in [
        "onclick",
        "steal",
        "style=",
        "javascript",
        "<script",
        "alert",
        "<style",
        "<iframe",
        "<object",
        "obj",
        "onerror",
        "image/svg",
        "hidden hint",
        "<h1",
        "unknownthing",
    ] {
        assert!(
            !h.to_lowercase().contains(&bad.to_lowercase()),
            "{bad} in {h}"
        );
    }
    assert!(h.contains("<p id=\"cz_intro\" class=\"big note\">Hi <a>x</a>"));
    assert!(h.contains("<a href=\"https://example.org\" target=\"_blank\" rel=\"noopener noreferrer\">ok<span class=\"visually-hidden\"> (otwiera się w nowym oknie)</span></a>"));
    assert!(h.contains("<a href=\"/assets/course/handout.pdf\">pdf</a>"));
    assert!(h.contains("<a href=\"#cz_intro\">top</a>"));
    assert!(h.contains("<a class=\"capa-embed-link\" href=\"https://www.youtube.com/embed/x\""));
    assert!(h.contains("<img src=\"/assets/course/a.png\" alt=\"\">"));
    assert!(h.contains("<img src=\"data:image/png;base64,AA\" alt=\"dot\">"));
    assert!(h.contains("<h3>Big</h3>kept text"));
    assert!(h.contains("<p>[mathjax]x^2[/mathjax] and \\(y\\) and $var</p>"));
}

#[test]
fn feedback_html_is_sanitised_too() {
    let xml = r#"<problem><stringresponse id="s_1" answer="a"><label>Q</label><textline id="s_2_1"/></stringresponse></problem>"#;
    let answers = one("s_2_1", "b");
    for (msg, want) in [
        (
            "<div onclick=\"x()\">Not <script>alert(1)</script>quite<br>&nbsp;</div>",
            "<div>Not quite<br>\u{a0}</div>",
        ),
        ("<p>unclosed", "unclosed"),
    ] {
        let results = result("s_2_1", Correctness::Incorrect, msg);
        let h = render(xml, &with(&answers, &results)).unwrap().html;
        assert!(
            h.contains(&format!(
                "<div class=\"capa-feedback\" id=\"feedback_s_2_1\">{want}</div>"
            )),
            "{h}"
        );
    }
}

#[test]
fn two_problems_on_one_page_have_distinct_ids() {
    let a = plain(&annotate(
        &MC.replace(" id=\"q_1\"", "")
            .replace(" id=\"q_2_1\"", "")
            .replace(" id=\"q_solution_1\"", ""),
        "aaa",
    ))
    .html;
    let b = plain(&annotate(
        &MC.replace(" id=\"q_1\"", "")
            .replace(" id=\"q_2_1\"", "")
            .replace(" id=\"q_solution_1\"", ""),
        "bbb",
    ))
    .html;
    check_references(&format!("{a}{b}"));
}

#[test]
fn multi_input_response_is_a_labelled_group() {
    let xml = r#"<problem><customresponse id="m_1" cfn="f"><label>Two numbers summing to 10</label>
      <description>Integers only.</description>
      <textline id="m_2_1" label="First"/><textline id="m_2_2"/></customresponse></problem>"#;
    let h = plain(xml).html;
    check_references(&h);
    assert!(h.contains("role=\"group\" aria-labelledby=\"multiinput-group-label-m_1\" aria-describedby=\"multiinput-group-description-m_1-0\""));
    assert!(h.contains("<p id=\"multiinput-group-label-m_1\" class=\"capa-group-label\">Two numbers summing to 10</p>"));
    assert!(h.contains(
        "<label class=\"capa-question\" for=\"input_m_2_1\" id=\"label_m_2_1\">First</label>"
    ));
    assert!(h.contains("<label class=\"visually-hidden\" for=\"input_m_2_2\" id=\"label_m_2_2\">Odpowiedź 2 z 2</label>"));
}

#[test]
fn table_cells_are_named_by_their_headers() {
    let xml = r#"<problem><table><tr><th>Discovery</th><th>Scientist</th></tr>
      <tr><td>Relativity</td><td><optionresponse id="t_1"><optioninput id="t_2_1" options="('Einstein','Newton')" correct="Einstein"/></optionresponse></td></tr>
      </table></problem>"#;
    let h = plain(xml).html;
    check_references(&h);
    assert!(h.contains("<th id=\"colhead_t_2_1\">Scientist</th>"));
    assert!(h.contains("<td id=\"rowhead_t_2_1\">Relativity</td>"));
    assert!(h.contains("aria-labelledby=\"colhead_t_2_1 rowhead_t_2_1\""));
}

#[test]
fn malformed_xml_is_an_error_not_a_panic() {
    for bad in [
        "",
        "<problem>",
        "<problem><p></problem>",
        "<!DOCTYPE x [<!ENTITY a 'b'>]><problem/>",
        "<problem>&nbsp;</problem>",
    ] {
        assert!(
            render(bad, &RenderState::new(Lang::Pl, &static_url)).is_err(),
            "{bad}"
        );
    }
    let deep = format!(
        "<problem>{}{}</problem>",
        "<div>".repeat(500),
        "</div>".repeat(500)
    );
    assert!(render(&deep, &RenderState::new(Lang::Pl, &static_url)).is_err());
    let empty = plain("<problem/>");
    assert!(empty.html.contains("Ten problem nie ma jeszcze treści."));
}

#[test]
fn posted_forms_map_back_to_answers() {
    let form = [
        ("input_q_2_1", "choice_apple"),
        ("input_c_2_1[]", "choice_0"),
        ("input_c_2_1[]", "choice_2"),
        ("input_i_2_1_x", "350"),
        ("input_i_2_1_y", " 120"),
        ("input_a_2_1_option", "1"),
        ("input_a_2_1_comment", "hm \"ok\""),
        ("input_t_2_1_choiceinput_1_numtolerance_input_0", "1"),
        ("csrf", "x"),
    ];
    let a = answers_from_form(form);
    assert_eq!(a["q_2_1"], RenderAnswer::One("choice_apple".into()));
    assert_eq!(
        a["c_2_1"],
        RenderAnswer::Many(vec!["choice_0".into(), "choice_2".into()])
    );
    assert_eq!(a["i_2_1"], RenderAnswer::One("[350,120]".into()));
    assert_eq!(
        a["a_2_1"],
        RenderAnswer::One(r#"{"comment":"hm \"ok\"","options":[1]}"#.into())
    );
    assert_eq!(
        a["t_2_1_choiceinput_1_numtolerance_input_0"],
        RenderAnswer::One("1".into())
    );
    assert_eq!(a.len(), 5);
}
