//! Open edX's "simple editor" markdown problem syntax → OLX, as Studio converts it.
//!
//! Behaviour follows `markdownToXml` in edx-platform `xmodule/js/src/problem/edit.js` (commit
//! 0af92db2974c33357f5c0ab06252d2e99f279afd, the template-literal version), reimplemented from
//! its observable behaviour and its Jasmine specs, not copied. Studio stores the XML this
//! function returns, so matching it text for text (whitespace included) keeps problems authored
//! here byte-identical to ones authored in Studio.
//!
//! The converter is a chain of regular-expression rewrites over each `---`-separated section:
//! headers, `>>label||description<<`, `||demand hints||`, `[[dropdowns]]`, `( )` multiple
//! choice, `[ ]` checkboxes with `{{ }}` hints, `=`/`or=`/`not=` answers (numerical when the
//! first answer parses as a number or is a range), `[explanation]`, `[code]`, then `<p>` around
//! bare lines. When a section holds exactly one response, Open edX parses it as XML and moves
//! the section's other top-level elements inside that response (before its first input) and
//! re-serialises it the way browsers' `XMLSerializer` does; that step is reproduced here with
//! [`roxmltree`] and a serializer writing what Chromium writes.
//!
//! Line ends: CRLF becomes LF as in Open edX; lone CR, U+2028 and U+2029 (line ends for
//! JavaScript's `^`, `$` and `.`) are treated as ordinary characters. CDATA sections and
//! namespace declarations inside a single-response section are not re-serialised as a browser
//! would (CDATA comes out as escaped text, `xmlns:*` declarations are dropped).

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Why Studio refuses to convert (it throws, and the author sees the message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkdownError {
    /// A `( )`, `[ ]` or dropdown option with no text (Open edX's own message).
    #[error("An answer option has been left blank. Please review and edit the component.")]
    BlankOption,
    /// The generated section is not well-formed XML (jQuery's `parseXML` throws).
    #[error("Invalid XML: {0}")]
    InvalidXml(String),
    /// The only response sits inside an authored element, which the DOM cannot move into it.
    #[error("HierarchyRequestError: the response is nested inside authored markup")]
    Hierarchy,
}

/// JavaScript's `\s` (WhiteSpace and LineTerminator), which differs from Rust's at U+0085 and
/// U+FEFF; used for `\s` in every pattern and for `trim()`.
const JS_WS: &str = r"[\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]";

fn is_js_ws(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_ws)
}

/// A pattern written with JavaScript's `\s`.
fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\s", JS_WS)).expect("static pattern")
}

macro_rules! pattern {
    ($name:ident, $p:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| re($p));
    };
}

pattern!(SECTION_SPLIT, r"\n\s*---\s*\n");
pattern!(UNDERLINE, r"(?m)\n^==+$");
pattern!(LABEL, r"(?s)>>(.+?)<<");
pattern!(DEMAND_BLOCK, r"(?m)(^\s*\|\|.*?\|\|\s*$\n?)+");
pattern!(DEMAND_INNER, r"\s*\|\|(.*?)\|\|");
pattern!(CURLY_ANY, r"(?s)\{\{.*?\}\}");
pattern!(CURLY_NEWLINE, r"\r?\n[ \t]*");
pattern!(HINT, r"\s*\{\{(.*?)\}\}");
pattern!(HINT_LABEL, r"^(.*?)::");
pattern!(SELECT, r"(?s)\[\[(.+?)\]\]");
pattern!(OPTION_SPLIT, r",\s*");
pattern!(OPTION_PARENS, r"(?:^|,)\s*\((.*?)\)\s*(?:$|,)");
pattern!(MC_BLOCK, r"(?m)(^\s*\(.{0,3}\).*?$\n*)+");
pattern!(MC_PREFIX, r"^\s*\((.{0,3})\)\s*");
pattern!(CB_BLOCK, r"(?m)(^\s*((\[.?\])|(\{\{.*?\}\})).*?$\n*)+");
pattern!(CB_COMPOUND, r"^\s*\{\{\s*\(\((.*?)\)\)(.*?)\}\}");
pattern!(CB_PREFIX, r"^\s*\[.?\]\s*");
pattern!(CB_CORRECT, r"(?i)^\s*\[x\]");
pattern!(CB_SELECTED, r"(?is)\{\s*(s|selected):(.*?)\}");
pattern!(CB_UNSELECTED, r"(?is)\{\s*(u|unselected):(.*?)\}");
pattern!(
    ANSWER_BLOCK,
    r"(?m)(^s?=\s*(.*?$)(\n*(or|not)=\s*(.*?$))*)+"
);
pattern!(TOLERANCE, r"(.*?)\+-\s*(.*?$)");
pattern!(ALL_WS, r"\s+");
pattern!(OR_ANSWER, r"^or=\s*(.*)");
pattern!(NOT_ANSWER, r"^not=\s*(.*)");
pattern!(FIRST_EQ, r"^=\s*");
pattern!(FIRST_SEQ, r"^s?=\s*");
pattern!(
    EXPLANATION,
    r"(?i)\[explanation\]\n?([^\]]*)\[/?explanation\]"
);
pattern!(CODE, r"(?i)\[code\]\n?([^\]]*)\[/?code\]");
pattern!(SPLIT_TAGS, r"(</?(?:script|pre|label|description).*?>)");
pattern!(OPENS_RAW, r"<(script|pre|label|description)");
pattern!(CLOSES_RAW, r"</(script|pre|label|description)");
pattern!(XMLNS, r#"(?i)\sxmlns=['"].*?['"]"#);
pattern!(CLOSE_THEN_OPEN, r"(</.*?>)(<.*?>)");
pattern!(QTITLE, r"(?i)\sclass='qtitle'");

const RESPONSE_TYPES: [&str; 5] = [
    "optionresponse",
    "multiplechoiceresponse",
    "stringresponse",
    "numericalresponse",
    "choiceresponse",
];

/// Convert simple-editor markdown to the OLX Studio saves. Errors where Studio refuses to
/// convert (blank options, markdown whose XML is not well-formed), since storing anything else
/// would diverge from Open edX.
pub fn markdown_to_olx(markdown: &str) -> Result<String, MarkdownError> {
    let mut demand_hints: Vec<String> = Vec::new();
    let mut sections = Vec::new();
    for section in SECTION_SPLIT.split(markdown) {
        if !js_trim(section).is_empty() {
            sections.push(section_to_xml(section, &mut demand_hints)?);
        }
    }
    let mut out = String::from("<problem>\n");
    out.push_str(&sections.join("\n\n"));
    if !demand_hints.is_empty() {
        out.push_str("\n<demandhint>\n");
        out.push_str(&demand_hints.concat());
        out.push_str("</demandhint>");
    }
    out.push_str("\n</problem>");
    Ok(out)
}

/// `extractHint`: the first `{{ label:: hint }}` of a line, and optionally `(…)` around the rest.
struct Hint {
    nothint: String,
    hint: String,
    label_attr: String,
    label: String,
    parens: bool,
}

fn extract_hint(text: &str, detect_parens: bool) -> Hint {
    let mut nothint = text.to_string();
    let mut hint = String::new();
    let mut label = String::new();
    let mut label_attr = String::new();
    let mut parens = false;
    if let Some(c) = HINT.captures(text) {
        nothint = nothint.replacen(&c[0], "", 1);
        hint = js_trim(&c[1]).to_string();
        if let Some(l) = HINT_LABEL.captures(&hint) {
            label = js_trim(&l[1]).to_string();
            let whole = l[0].to_string();
            hint = js_trim(&hint.replacen(&whole, "", 1)).to_string();
            label_attr = format!(" label=\"{label}\"");
        }
    }
    if detect_parens {
        let chars: Vec<char> = nothint.chars().collect();
        // JavaScript counts UTF-16 units; only the first and last character matter here.
        if nothint.encode_utf16().count() >= 2
            && chars.first() == Some(&'(')
            && chars.last() == Some(&')')
        {
            nothint = nothint[1..nothint.len() - 1].to_string();
            parens = true;
        }
    }
    Hint {
        nothint,
        hint,
        label_attr,
        label,
        parens,
    }
}

/// `replace` with a callback that may fail.
fn try_replace(
    re: &Regex,
    text: &str,
    mut f: impl FnMut(&Captures) -> Result<String, MarkdownError>,
) -> Result<String, MarkdownError> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for c in re.captures_iter(text) {
        let m = c.get(0).expect("group 0");
        out.push_str(&text[last..m.start()]);
        out.push_str(&f(&c)?);
        last = m.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

fn section_to_xml(markdown: &str, demand_tags: &mut Vec<String>) -> Result<String, MarkdownError> {
    let mut xml = markdown.replace("\r\n", "\n");

    xml = headers(&xml);
    xml = UNDERLINE.replace_all(&xml, "").into_owned();

    xml = LABEL
        .replace_all(&xml, |c: &Captures| {
            let parts: Vec<&str> = c[1].split("||").collect();
            let mut s = format!("<label>{}</label>\n", parts[0]);
            if parts.len() > 1 && !parts[1].is_empty() {
                s.push_str(&format!("<description>{}</description>\n", parts[1]));
            }
            s
        })
        .into_owned();

    let mut demand = String::new();
    xml = DEMAND_BLOCK
        .replace_all(&xml, |c: &Captures| {
            for line in c[0].split('\n') {
                if let Some(inner) = DEMAND_INNER.captures(line) {
                    demand.push_str(&format!("  <hint>{}</hint>\n", js_trim(&inner[1])));
                }
            }
            String::new()
        })
        .into_owned();

    xml = CURLY_ANY
        .replace_all(&xml, |c: &Captures| {
            CURLY_NEWLINE.replace_all(&c[0], " ").into_owned()
        })
        .into_owned();

    xml = try_replace(&SELECT, &xml, |c| dropdown(&c[0], &c[1]))?;
    xml = try_replace(&MC_BLOCK, &xml, |c| multiple_choice(&c[0]))?;
    xml = try_replace(&CB_BLOCK, &xml, |c| checkboxes(&c[0]))?;
    xml = ANSWER_BLOCK
        .replace_all(&xml, |c: &Captures| {
            let answers: Vec<&str> = c[1].split('\n').collect();
            numerical(&answers).unwrap_or_else(|| string_response(&answers))
        })
        .into_owned();

    xml = EXPLANATION
        .replace_all(&xml, |c: &Captures| {
            format!(
                "<solution>\n<div class=\"detailed-solution\">\nExplanation\n\n{}\n</div>\n</solution>",
                &c[1]
            )
        })
        .into_owned();
    xml = CODE
        .replace_all(&xml, |c: &Captures| {
            format!("<pre><code>{}</code></pre>", &c[1])
        })
        .into_owned();

    xml = paragraphs(&xml);
    xml = xml.replace("\n\n\n", "\n");

    if !demand.is_empty() {
        demand_tags.push(demand);
    }

    if let Some(single) = single_response(&xml)? {
        xml = single;
        xml = XMLNS.replace_all(&xml, "").into_owned();
        xml = CLOSE_THEN_OPEN.replace_all(&xml, "$1\n$2").into_owned();
    }
    Ok(QTITLE.replace_all(&xml, "").into_owned())
}

/// A line followed by a line of two or more `=` becomes an `<h3>` (the underline goes later).
fn headers(xml: &str) -> String {
    let lines: Vec<&str> = xml.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let underlined = lines
            .get(i + 1)
            .is_some_and(|n| n.len() >= 2 && n.bytes().all(|b| b == b'='));
        if underlined {
            out.push(format!("<h3 class=\"hd hd-2 problem-header\">{line}</h3>"));
        } else {
            out.push((*line).to_string());
        }
    }
    out.join("\n")
}

fn dropdown(whole: &str, body: &str) -> Result<String, MarkdownError> {
    if !whole.contains('\n') {
        // One-line form: options="('a','b')" correct="b".
        let options: Vec<&str> = OPTION_SPLIT.split(body).collect();
        let mut tag = String::from("  <optioninput options=\"(");
        for (i, o) in options.iter().enumerate() {
            tag.push('\'');
            tag.push_str(&OPTION_PARENS.replace_all(o, "$1"));
            tag.push('\'');
            if i + 1 < options.len() {
                tag.push(',');
            }
        }
        tag.push_str(")\" correct=\"");
        if let Some(c) = OPTION_PARENS.captures(body) {
            tag.push_str(&c[1]);
        }
        tag.push_str("\">");
        return Ok(format!(
            "\n<optionresponse>\n{tag}</optioninput>\n</optionresponse>\n\n"
        ));
    }
    let mut lines = String::new();
    for raw in body.split('\n') {
        let line = js_trim(raw);
        if line.is_empty() {
            continue;
        }
        let h = extract_hint(line, true);
        if h.nothint.is_empty() {
            return Err(MarkdownError::BlankOption);
        }
        let correct = if h.parens { "True" } else { "False" };
        let mut hint = String::new();
        if !h.hint.is_empty() {
            let label = if h.label.is_empty() {
                String::new()
            } else {
                format!(" label=\"{}\"", h.label)
            };
            hint = format!(" <optionhint{label}>{}</optionhint>", h.hint);
        }
        lines.push_str(&format!(
            "    <option correct=\"{correct}\">{}{hint}</option>\n",
            h.nothint
        ));
    }
    Ok(format!(
        "\n<optionresponse>\n  <optioninput>\n{lines}  </optioninput>\n</optionresponse>\n\n"
    ))
}

fn multiple_choice(block: &str) -> Result<String, MarkdownError> {
    let mut choices = String::new();
    let mut shuffle = false;
    for raw in block.split('\n') {
        let line = js_trim(raw);
        if line.is_empty() {
            continue;
        }
        let prefix = MC_PREFIX
            .captures(line)
            .expect("block lines start with ( )");
        let mut value = line[prefix.get(0).expect("group 0").end()..].to_string();
        if value.is_empty() {
            return Err(MarkdownError::BlankOption);
        }
        let inparens = &prefix[1];
        let correct = inparens.contains(['x', 'X']);
        let fixed = if inparens.contains('@') {
            " fixed=\"true\""
        } else {
            ""
        };
        if inparens.contains('!') {
            shuffle = true;
        }
        let h = extract_hint(&value, false);
        if !h.hint.is_empty() {
            value = format!(
                "{} <choicehint{}>{}</choicehint>",
                h.nothint, h.label_attr, h.hint
            );
        }
        choices.push_str(&format!(
            "    <choice correct=\"{correct}\"{fixed}>{value}</choice>\n"
        ));
    }
    let shuffle = if shuffle { " shuffle=\"true\"" } else { "" };
    Ok(format!(
        "<multiplechoiceresponse>\n  <choicegroup type=\"MultipleChoice\"{shuffle}>\n{choices}  </choicegroup>\n</multiplechoiceresponse>\n\n"
    ))
}

fn checkboxes(block: &str) -> Result<String, MarkdownError> {
    let mut group = String::from("<choiceresponse>\n  <checkboxgroup>\n");
    let mut end_hints = String::new();
    for line in block.split('\n') {
        if js_trim(line).is_empty() {
            continue;
        }
        if let Some(ab) = CB_COMPOUND.captures(line) {
            let body = ab[2].replacen("&lf;", "\n", 1);
            end_hints.push_str(&format!(
                "    <compoundhint value=\"{}\">{}</compoundhint>\n",
                js_trim(&ab[1]),
                js_trim(&body)
            ));
            continue;
        }
        // A `{{ }}` line that is not a compound hint has no `[ ]` either: Open edX throws.
        let Some(prefix) = CB_PREFIX.find(line) else {
            return Err(MarkdownError::BlankOption);
        };
        let mut value = line[prefix.end()..].to_string();
        if value.is_empty() {
            return Err(MarkdownError::BlankOption);
        }
        let correct = CB_CORRECT.is_match(line);
        let mut hints = String::new();
        let h = extract_hint(&value, false);
        if !h.hint.is_empty() {
            let inner = format!("{{{}}}", h.hint);
            if let Some(s) = CB_SELECTED.captures(&inner) {
                hints.push_str(&format!(
                    "\n      <choicehint selected=\"true\">{}</choicehint>",
                    js_trim(&s[2])
                ));
            }
            if let Some(u) = CB_UNSELECTED.captures(&inner) {
                hints.push_str(&format!(
                    "\n      <choicehint selected=\"false\">{}</choicehint>",
                    js_trim(&u[2])
                ));
            }
            if !hints.is_empty() {
                value = h.nothint;
            }
        }
        group.push_str(&format!(
            "    <choice correct=\"{correct}\">{value}{hints}</choice>\n"
        ));
    }
    group.push_str(&end_hints);
    group.push_str("  </checkboxgroup>\n</choiceresponse>\n\n");
    Ok(group)
}

/// JavaScript's `!isNaN(parseFloat(s))`: a number prefix after leading white space.
fn parses_as_float(s: &str) -> bool {
    let s = s.trim_start_matches(is_js_ws);
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let b = s.as_bytes();
    s.starts_with("Infinity")
        || b.first().is_some_and(u8::is_ascii_digit)
        || (b.first() == Some(&b'.') && b.get(1).is_some_and(u8::is_ascii_digit))
}

/// `checkIsNumeric`: hints removed, no letter but `e`, and a number prefix.
fn is_numeric(value: &str) -> bool {
    let mut v = value.to_string();
    if v.contains("{{") && v.contains("}}") {
        v = js_trim(&CURLY_ANY.replace_all(&v, "")).to_string();
    }
    if v.chars()
        .any(|c| c.is_ascii_alphabetic() && !c.eq_ignore_ascii_case(&'e'))
    {
        return false;
    }
    parses_as_float(&v)
}

/// `[a, b]`, `(a, b)`, `[a, b)`…: first and last characters are brackets.
fn is_range(answer: &str) -> bool {
    answer.starts_with(['[', '(']) && answer.ends_with([']', ')'])
}

fn numerical(answers: &[&str]) -> Option<String> {
    let mut first = FIRST_EQ.replace(answers[0], "").into_owned();
    if !is_numeric(&first) && !is_range(&first) {
        return None;
    }
    let h = extract_hint(&first, false);
    let mut hint_line = String::new();
    if !h.hint.is_empty() {
        first = h.nothint;
        hint_line = format!("  <correcthint{}>{}</correcthint>\n", h.label_attr, h.hint);
    }
    let mut out;
    if is_range(&first) {
        out = format!("<numericalresponse answer=\"{first}\">\n");
    } else {
        let (answer, tolerance) = match TOLERANCE.captures(&first) {
            Some(c) => (ALL_WS.replace_all(&c[1], "").into_owned(), c[2].to_string()),
            None => (ALL_WS.replace_all(&first, "").into_owned(), String::new()),
        };
        out = format!("<numericalresponse answer=\"{answer}\">\n");
        if !tolerance.is_empty() {
            out.push_str(&format!(
                "  <responseparam type=\"tolerance\" default=\"{tolerance}\" />\n"
            ));
        }
    }
    for extra in &answers[1..] {
        let h = extract_hint(extra, false);
        let Some(or) = OR_ANSWER.captures(&h.nothint) else {
            continue;
        };
        let value = &or[1];
        // Only plain numbers become additional answers: no ranges, no tolerances.
        if !parses_as_float(value) || is_range(value) || TOLERANCE.is_match(value) {
            continue;
        }
        out.push_str(&format!("  <additional_answer answer=\"{value}\">"));
        if !h.hint.is_empty() {
            out.push_str(&format!(
                "<correcthint{}>{}</correcthint>",
                h.label_attr, h.hint
            ));
        }
        out.push_str("</additional_answer>\n");
    }
    out.push_str("  <formulaequationinput />\n");
    out.push_str(&hint_line);
    out.push_str("</numericalresponse>\n\n");
    Some(out)
}

fn string_response(answers: &[&str]) -> String {
    let first = FIRST_SEQ.replace(answers[0], "").into_owned();
    let h = extract_hint(&first, false);
    let mut answer = h.nothint.clone();
    let mut typ = " type=\"ci\"";
    if let Some(rest) = answer.strip_prefix('|') {
        typ = " type=\"ci regexp\"";
        answer = js_trim(rest).to_string();
    }
    let mut out = format!("<stringresponse answer=\"{answer}\"{typ} >\n");
    if !h.hint.is_empty() {
        out.push_str(&format!(
            "  <correcthint{}>{}</correcthint>\n",
            h.label_attr, h.hint
        ));
    }
    for extra in &answers[1..] {
        let h = extract_hint(extra, false);
        if let Some(not) = NOT_ANSWER.captures(&h.nothint) {
            out.push_str(&format!(
                "  <stringequalhint answer=\"{}\"{}>{}</stringequalhint>\n",
                &not[1], h.label_attr, h.hint
            ));
            continue;
        }
        if let Some(or) = OR_ANSWER.captures(&h.nothint) {
            out.push_str(&format!("  <additional_answer answer=\"{}\">", &or[1]));
            if !h.hint.is_empty() {
                out.push_str(&format!(
                    "<correcthint{}>{}</correcthint>",
                    h.label_attr, h.hint
                ));
            }
            out.push_str("</additional_answer>\n");
        }
    }
    out.push_str("  <textline size=\"20\"/>\n</stringresponse>\n\n");
    out
}

/// Wrap bare lines in `<p>`, except inside `<script>`, `<pre>`, `<label>`, `<description>`.
fn paragraphs(xml: &str) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let mut last = 0;
    for m in SPLIT_TAGS.find_iter(xml) {
        pieces.push(xml[last..m.start()].to_string());
        pieces.push(m.as_str().to_string());
        last = m.end();
    }
    pieces.push(xml[last..].to_string());

    let mut wrap = true;
    for piece in &mut pieces {
        if OPENS_RAW.is_match(piece) {
            wrap = false;
        }
        if wrap {
            *piece = wrap_lines(piece);
        }
        if CLOSES_RAW.is_match(piece) {
            wrap = true;
        }
    }
    pieces.concat()
}

/// A line is wrapped unless it is empty or the text from its start, past any white space
/// (newlines included), begins with `<`.
fn wrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut start = 0;
    loop {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let rest = text[start..].trim_start_matches(is_js_ws);
        if line.is_empty() || rest.starts_with('<') {
            out.push_str(line);
        } else {
            out.push_str("<p>");
            out.push_str(line);
            out.push_str("</p>");
        }
        if end == text.len() {
            break;
        }
        out.push('\n');
        start = end + 1;
    }
    out
}

/// With exactly one response in the section, the section's other top-level elements move into
/// it (before its first input, or after it when they follow it) and the response alone is
/// serialised; top-level text between elements is dropped, as in Open edX.
fn single_response(xml: &str) -> Result<Option<String>, MarkdownError> {
    let wrapped = format!("<prob>{xml}</prob>");
    let doc = roxmltree::Document::parse(&wrapped)
        .map_err(|e| MarkdownError::InvalidXml(e.to_string()))?;
    let prob = doc.root_element();
    let responses: Vec<roxmltree::Node> = prob
        .descendants()
        .filter(|n| n.is_element() && RESPONSE_TYPES.contains(&n.tag_name().name()))
        .collect();
    if responses.len() != 1 {
        return Ok(None);
    }
    let response = responses[0];
    if response.parent() != Some(prob) {
        return Err(MarkdownError::Hierarchy);
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut seen = false;
    for child in prob.children().filter(|n| n.is_element()) {
        if child == response {
            seen = true;
        } else if seen {
            after.push(child);
        } else {
            before.push(child);
        }
    }
    let own: Vec<roxmltree::Node> = response.children().collect();
    let first_input = own.iter().position(|n| n.is_element());

    let mut out = String::new();
    open_tag(response, &mut out);
    if own.is_empty() && before.is_empty() && after.is_empty() {
        out.push_str("/>");
        return Ok(Some(out));
    }
    out.push('>');
    for (i, child) in own.iter().enumerate() {
        if Some(i) == first_input {
            before.iter().for_each(|b| serialize(*b, &mut out));
        }
        serialize(*child, &mut out);
    }
    if first_input.is_none() {
        before.iter().for_each(|b| serialize(*b, &mut out));
    }
    after.iter().for_each(|a| serialize(*a, &mut out));
    out.push_str("</");
    out.push_str(&qualified_name(response));
    out.push('>');
    Ok(Some(out))
}

fn qualified_name(node: roxmltree::Node) -> String {
    let name = node.tag_name();
    match name.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", name.name()),
        _ => name.name().to_string(),
    }
}

fn open_tag(node: roxmltree::Node, out: &mut String) {
    out.push('<');
    out.push_str(&qualified_name(node));
    for a in node.attributes() {
        out.push(' ');
        if let Some(ns) = a.namespace() {
            let prefix = if ns == "http://www.w3.org/XML/1998/namespace" {
                Some("xml")
            } else {
                node.lookup_prefix(ns)
            };
            if let Some(p) = prefix.filter(|p| !p.is_empty()) {
                out.push_str(p);
                out.push(':');
            }
        }
        out.push_str(a.name());
        out.push_str("=\"");
        for c in a.value().chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\t' => out.push_str("&#9;"),
                '\n' => out.push_str("&#10;"),
                '\r' => out.push_str("&#13;"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

/// What Chromium's `XMLSerializer` writes for an XML-document node.
fn serialize(node: roxmltree::Node, out: &mut String) {
    match node.node_type() {
        roxmltree::NodeType::Element => {
            open_tag(node, out);
            if node.has_children() {
                out.push('>');
                node.children().for_each(|c| serialize(c, out));
                out.push_str("</");
                out.push_str(&qualified_name(node));
                out.push('>');
            } else {
                out.push_str("/>");
            }
        }
        roxmltree::NodeType::Text => {
            for c in node.text().unwrap_or("").chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    c => out.push(c),
                }
            }
        }
        roxmltree::NodeType::Comment => {
            out.push_str("<!--");
            out.push_str(node.text().unwrap_or(""));
            out.push_str("-->");
        }
        roxmltree::NodeType::PI => {
            if let Some(pi) = node.pi() {
                out.push_str("<?");
                out.push_str(pi.target);
                if let Some(v) = pi.value {
                    out.push(' ');
                    out.push_str(v);
                }
                out.push_str("?>");
            }
        }
        roxmltree::NodeType::Root => {}
    }
}
