//! Problems: Open edX's markdown editor and its advanced (OLX) editor, with the settings Studio
//! shows beside them.
//!
//! A markdown-edited problem is stored as Open edX stores one: the OLX that
//! `capa::markdown::markdown_to_olx` returns (Studio's own conversion), its root carrying the
//! settings and the source in a `markdown` attribute, so it re-opens in the markdown editor:
//! `<problem display_name="…" markdown="…" max_attempts="…" …>` + the converted body. The
//! advanced editor shows the OLX without the settings attributes (they have their own fields,
//! as Open edX's Settings tab) and saves it after the OLX reader and the CAPA engine accept it;
//! saving there drops `markdown`, as switching to the advanced editor does in Open edX. Invalid
//! input is answered with 422 and the parser's message; nothing is stored.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use platform::web::render::{render_page, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use xblock_compat::capa::markdown::markdown_to_olx;
use xblock_compat::capa::Problem;
use xblock_compat::olx::{edit, Block, Course};

use super::{
    clean_name, edit_component, refused_field, saved, EditorFrame, Fields, Located, Refused,
};

/// Settings of a problem that have their own fields (Open edX's Settings tab), in the order
/// they are written on the root element after `display_name` and `markdown`.
const SETTINGS: [&str; 4] = ["max_attempts", "weight", "showanswer", "rerandomize"];

/// `showanswer` values Open edX offers (`ShowAnswer` in `courseware::policy`), with their
/// labels' Fluent ids.
const SHOWANSWER: [(&str, &str); 12] = [
    ("always", "studio-comp-showanswer-always"),
    ("answered", "studio-comp-showanswer-answered"),
    ("attempted", "studio-comp-showanswer-attempted"),
    (
        "attempted_no_past_due",
        "studio-comp-showanswer-attempted-no-past-due",
    ),
    ("closed", "studio-comp-showanswer-closed"),
    ("finished", "studio-comp-showanswer-finished"),
    (
        "correct_or_past_due",
        "studio-comp-showanswer-correct-or-past-due",
    ),
    ("past_due", "studio-comp-showanswer-past-due"),
    ("never", "studio-comp-showanswer-never"),
    ("after_attempts", "studio-comp-showanswer-after-attempts"),
    (
        "after_all_attempts",
        "studio-comp-showanswer-after-all-attempts",
    ),
    (
        "after_all_attempts_or_correct",
        "studio-comp-showanswer-after-all-attempts-or-correct",
    ),
];

const RERANDOMIZE: [(&str, &str); 4] = [
    ("never", "studio-comp-rerandomize-never"),
    ("always", "studio-comp-rerandomize-always"),
    ("onreset", "studio-comp-rerandomize-onreset"),
    ("per_student", "studio-comp-rerandomize-per-student"),
];

/// An option of a settings list (the first one: the course's default, an empty value).
#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

fn choices(
    state: &AppState,
    lang: platform::i18n::Lang,
    values: &[(&'static str, &'static str)],
    current: &str,
) -> Vec<Choice> {
    std::iter::once(("", "studio-comp-setting-default"))
        .chain(values.iter().copied())
        .map(|(value, key)| Choice {
            value,
            label: state.i18n.t(lang, key, &[]),
            selected: value == current,
        })
        .collect()
}

/// Whether a problem was written in the markdown editor (it keeps its source).
pub(super) fn is_markdown(b: &Block) -> bool {
    b.block_type == "problem" && b.field("markdown").is_some()
}

/// A new problem for the markdown editor: empty source, as Open edX's blank problem.
pub(super) fn new_markdown_block(id: &str, name: &str) -> Block {
    let olx = markdown_to_olx("").unwrap_or_else(|_| "<problem>\n</problem>".into());
    let mut b = edit::leaf_from_xml("problem", id, &olx)
        .unwrap_or_else(|_| edit::leaf_from_xml("problem", id, "<problem/>").expect("static"));
    edit::set_field(&mut b, "display_name", Some(name));
    edit::set_field(&mut b, "markdown", Some(""));
    b
}

/// A new problem for the advanced editor.
pub(super) fn new_olx_block(id: &str, name: &str) -> Block {
    let mut b = edit::leaf_from_xml("problem", id, "<problem>\n</problem>").expect("static");
    edit::set_field(&mut b, "display_name", Some(name));
    b
}

/// The OLX the advanced editor shows: the definition without the settings attributes.
fn editable_olx(b: &Block) -> String {
    match edit::leaf_from_xml("problem", &b.id, &b.xml) {
        Ok(mut copy) => {
            for f in ["display_name", "markdown"].iter().chain(SETTINGS.iter()) {
                edit::set_field(&mut copy, f, None);
            }
            copy.xml
        }
        Err(_) => b.xml.clone(),
    }
}

#[derive(Serialize, Default)]
struct Settings {
    display_name: String,
    weight: String,
    max_attempts: String,
    showanswer: String,
    rerandomize: String,
}

impl Settings {
    fn of(b: &Block) -> Settings {
        let f = |n: &str| b.field(n).unwrap_or_default();
        Settings {
            display_name: f("display_name"),
            weight: f("weight"),
            max_attempts: f("max_attempts"),
            showanswer: f("showanswer"),
            rerandomize: f("rerandomize"),
        }
    }

    fn from_form(form: &Fields) -> Settings {
        let short = |n: &str| form.get(n).trim().chars().take(40).collect::<String>();
        Settings {
            display_name: clean_name(form.get("display_name")),
            weight: short("weight"),
            max_attempts: short("max_attempts"),
            showanswer: short("showanswer"),
            rerandomize: short("rerandomize"),
        }
    }

    /// Field errors as (field, Fluent id).
    fn check(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.display_name.is_empty() {
            out.push(("display_name", "studio-comp-error-name"));
        }
        if !self.weight.is_empty()
            && !self
                .weight
                .parse::<f64>()
                .is_ok_and(|w| w.is_finite() && w >= 0.0)
        {
            out.push(("weight", "studio-comp-error-weight"));
        }
        if !self.max_attempts.is_empty() && self.max_attempts.parse::<u32>().is_err() {
            out.push(("max_attempts", "studio-comp-error-max-attempts"));
        }
        if !self.showanswer.is_empty() && !SHOWANSWER.iter().any(|(v, _)| *v == self.showanswer) {
            out.push(("showanswer", "studio-comp-error-choice"));
        }
        if !self.rerandomize.is_empty() && !RERANDOMIZE.iter().any(|(v, _)| *v == self.rerandomize)
        {
            out.push(("rerandomize", "studio-comp-error-choice"));
        }
        out
    }

    /// Writes the settings on the block's root (empty values remove the attribute, so the
    /// course's defaults apply).
    fn apply(&self, b: &mut Block) {
        edit::set_field(b, "display_name", Some(&self.display_name));
        for (name, v) in [
            ("max_attempts", &self.max_attempts),
            ("weight", &self.weight),
            ("showanswer", &self.showanswer),
            ("rerandomize", &self.rerandomize),
        ] {
            edit::set_field(b, name, Some(v.as_str()).filter(|v| !v.is_empty()));
        }
    }
}

#[derive(Serialize)]
struct ProblemPage {
    #[serde(flatten)]
    frame: EditorFrame,
    /// `markdown` or `olx`.
    mode: &'static str,
    /// The markdown source or the OLX.
    source: String,
    settings: Settings,
    showanswer_choices: Vec<Choice>,
    rerandomize_choices: Vec<Choice>,
    errors: Vec<FieldError>,
    /// The problem keeps a markdown source (the advanced editor warns that saving drops it).
    has_markdown: bool,
}

fn render(
    state: &AppState,
    signed: &SignedIn,
    page: &ProblemPage,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_page(
        state,
        &signed.1,
        "studio/component_problem.html",
        page,
        status,
    )
}

/// The editor: markdown for problems written in it (unless `tryb=olx`), else the OLX.
pub(super) fn form(
    state: &AppState,
    signed: &SignedIn,
    at: &Located,
    mode: &str,
) -> Result<HttpResponse, AppError> {
    let b = at.block();
    let markdown = b.field("markdown");
    let (mode, source) = match (&markdown, mode) {
        (Some(md), m) if m != "olx" => ("markdown", md.clone()),
        _ => ("olx", editable_olx(b)),
    };
    let settings = Settings::of(b);
    let lang = signed.1.lang;
    let page = ProblemPage {
        frame: at.frame(lang, state),
        mode,
        source,
        showanswer_choices: choices(state, lang, &SHOWANSWER, &settings.showanswer),
        rerandomize_choices: choices(state, lang, &RERANDOMIZE, &settings.rerandomize),
        settings,
        errors: vec![],
        has_markdown: markdown.is_some(),
    };
    render(state, signed, &page, StatusCode::OK)
}

/// A checked problem ready to store: its new XML and attributes.
#[derive(Debug)]
struct Checked {
    block: Block,
    markdown: Option<String>,
}

/// Converts or validates the source; the message of a refusal is shown to the author.
fn check_source(id: &str, mode: &str, source: &str) -> Result<Checked, String> {
    let (xml, markdown) = if mode == "markdown" {
        let olx = markdown_to_olx(source).map_err(|e| e.to_string())?;
        (olx, Some(source.to_string()))
    } else {
        (source.to_string(), None)
    };
    let mut block = edit::leaf_from_xml("problem", id, &xml).map_err(|e| e.to_string())?;
    // Settings come from their own fields; markdown from the markdown editor only.
    for f in ["display_name", "markdown"].iter().chain(SETTINGS.iter()) {
        edit::set_field(&mut block, f, None);
    }
    Problem::parse(&block.xml, &html_id(id), 1).map_err(|e| format!("{}: {e}", e.python_name()))?;
    Ok(Checked { block, markdown })
}

/// The id Open edX gives a problem's inputs (the block id made safe for HTML ids).
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

/// Replaces a problem's definition in place (id, place and other policy kept).
fn apply(course: &mut Course, idx: usize, checked: Checked, settings: &Settings) {
    let b = &mut course.blocks[idx];
    b.xml = checked.block.xml;
    b.attrs = checked.block.attrs;
    b.inline = false;
    // display_name first, then the source, then the other settings (Open edX's order).
    edit::set_field(b, "display_name", Some(&settings.display_name));
    edit::set_field(b, "markdown", checked.markdown.as_deref());
    settings.apply(b);
}

pub(super) async fn save(
    state: &AppState,
    signed: &SignedIn,
    at: Located,
    form: &Fields,
) -> Result<HttpResponse, AppError> {
    let lang = signed.1.lang;
    let mode: &'static str = if form.get("tryb") == "markdown" {
        "markdown"
    } else {
        "olx"
    };
    let source = form.get("source").replace("\r\n", "\n");
    let settings = Settings::from_form(form);
    let mut errors: Vec<FieldError> = Vec::new();
    let checked = match check_source(&at.block().id, mode, &source) {
        Ok(c) => Some(c),
        Err(message) => {
            errors.push(FieldError {
                field: "source",
                message: state.i18n.t(
                    lang,
                    if mode == "markdown" {
                        "studio-comp-error-markdown"
                    } else {
                        "studio-comp-error-olx"
                    },
                    &[("detail", platform::i18n::Arg::Str(message))],
                ),
            });
            None
        }
    };
    for (field, key) in settings.check() {
        errors.push(FieldError {
            field,
            message: state.i18n.t(lang, key, &[]),
        });
    }
    let refuse = |errors: Vec<FieldError>, settings: Settings| {
        let page = ProblemPage {
            frame: at.frame(lang, state),
            mode,
            source: source.clone(),
            showanswer_choices: choices(state, lang, &SHOWANSWER, &settings.showanswer),
            rerandomize_choices: choices(state, lang, &RERANDOMIZE, &settings.rerandomize),
            settings,
            errors,
            has_markdown: at.block().field("markdown").is_some(),
        };
        render(state, signed, &page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let (Some(checked), true) = (checked, errors.is_empty()) else {
        return refuse(errors, settings);
    };
    let r = edit_component(
        state,
        signed,
        &at.row.id,
        "problem",
        &at.block().id,
        move |course, idx| {
            apply(course, idx, checked, &settings);
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
    fn markdown_is_stored_as_open_edx_stores_it() {
        let md = ">>Stolica Polski?<<\n\n( ) Kraków\n(x) Warszawa\n";
        let c = check_source("p1", "markdown", md).unwrap();
        let olx = markdown_to_olx(md).unwrap();
        let mut b = c.block.clone();
        let settings = Settings {
            display_name: "Stolica".into(),
            max_attempts: "2".into(),
            ..Default::default()
        };
        edit::set_field(&mut b, "display_name", Some(&settings.display_name));
        edit::set_field(&mut b, "markdown", Some(md));
        settings.apply(&mut b);
        let body = olx.strip_prefix("<problem>").unwrap();
        assert_eq!(
            b.xml,
            format!(
                "<problem display_name=\"Stolica\" markdown=\"&gt;&gt;Stolica Polski?&lt;&lt;&#10;&#10;( ) Kraków&#10;(x) Warszawa&#10;\" max_attempts=\"2\">{body}"
            )
        );
        assert!(is_markdown(&b));
        assert_eq!(b.field("markdown").as_deref(), Some(md));
    }

    #[test]
    fn bad_sources_are_refused_with_the_parsers_message() {
        let e = check_source("p", "olx", "<problem><p>a</problem>").unwrap_err();
        assert!(e.contains("not well-formed") || e.contains("1:"), "{e}");
        let e = check_source("p", "olx", "<video/>").unwrap_err();
        assert!(e.contains("<video>"), "{e}");
        assert!(check_source("p", "markdown", "( )\n(x) a\n").is_err());
        // The editor's settings attributes never come from the OLX itself.
        let c = check_source(
            "p",
            "olx",
            "<problem display_name=\"x\" markdown=\"y\" show_reset_button=\"true\"><p/></problem>",
        )
        .unwrap();
        assert_eq!(
            c.block.xml,
            "<problem show_reset_button=\"true\"><p/></problem>"
        );
    }

    #[test]
    fn settings_are_checked() {
        let s = Settings {
            display_name: String::new(),
            weight: "-1".into(),
            max_attempts: "x".into(),
            showanswer: "sometimes".into(),
            rerandomize: "per_student".into(),
        };
        let fields: Vec<&str> = s.check().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["display_name", "weight", "max_attempts", "showanswer"]
        );
    }
}
