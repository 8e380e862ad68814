//! The outline editor (issue 6, item 2): a course's draft as chapters (sections) → sequentials
//! (subsections) → verticals (units), with add, rename, reorder (buttons, a "move to" list, and
//! drag and drop in `studio-outline.js` on top of the same forms), delete with confirmation, and
//! the settings Open edX keeps on sections and subsections (release date; graded, assignment
//! type, due date, time limit).
//!
//! Every change is a draft edit (`drafts::edit`, one transaction), so learners keep the published
//! course until the author publishes. Viewing never creates a draft: the page shows the draft
//! when there is one, else the published course. Success is reported after the redirect from
//! the query string (`?zrobiono=…&typ=…&blok=…`), which names a block, never a text: the message
//! is built from the tree, so a crafted link cannot put words on the page.

use std::collections::HashMap;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use platform::i18n::{Arg, Lang};
use platform::web::render::{render, render_page, FieldError, FormErrors};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};
use xblock_compat::courseware::policy::parse_date;
use xblock_compat::olx::edit::{self, EditError};
use xblock_compat::olx::publish::{self, Change, ChangeKind};
use xblock_compat::olx::{Block, Course};

use crate::drafts::{self, EditFailed};
use crate::schedule::{iso, local_input, parse_local, BadDate};
use crate::store;
use crate::web::course_row;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/studio/kursy/{course_id}/struktura",
        web::get().to(outline_page),
    )
    .route(
        "/studio/kursy/{course_id}/struktura/dodaj",
        web::post().to(add),
    )
    .route(
        "/studio/kursy/{course_id}/struktura/{block_type}/{block_id}/nazwa",
        web::post().to(rename),
    )
    .route(
        "/studio/kursy/{course_id}/struktura/{block_type}/{block_id}/przesun",
        web::post().to(move_block),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/struktura/{block_type}/{block_id}/usun")
            .route(web::get().to(delete_confirm))
            .route(web::post().to(delete)),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/struktura/{block_type}/{block_id}/ustawienia")
            .route(web::get().to(settings_form))
            .route(web::post().to(settings_save)),
    );
}

// ---------------------------------------------------------------------------------------------
// Model

/// The outline's levels, top down.
pub const LEVELS: [&str; 3] = ["chapter", "sequential", "vertical"];

/// Longest name accepted (characters).
pub const MAX_NAME: usize = 200;
/// Longest time limit accepted (minutes): a week.
pub const MAX_TIME_LIMIT: u32 = 7 * 24 * 60;

/// A name as typed: trimmed, line breaks and tabs made spaces; required and at most
/// [`MAX_NAME`] characters (the error is a Fluent id).
pub fn check_name(s: &str) -> Result<String, &'static str> {
    let name: String = s
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if name.is_empty() {
        Err("studio-outline-error-name-missing")
    } else if name.chars().count() > MAX_NAME {
        Err("studio-outline-error-name-long")
    } else {
        Ok(name)
    }
}

/// Unpublished-change marks of one block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Marks {
    pub added: bool,
    pub moved: bool,
    pub changed: bool,
    /// Something inside it changed (a child added, removed, moved or edited).
    pub inner: bool,
}

/// The marks by `(block_type, id)`, from the list of unpublished changes.
pub fn marks(changes: &[Change]) -> HashMap<(String, String), Marks> {
    let mut out: HashMap<(String, String), Marks> = HashMap::new();
    for c in changes {
        let own = out.entry((c.block_type.clone(), c.id.clone())).or_default();
        match c.kind {
            ChangeKind::Added => own.added = true,
            ChangeKind::Moved => own.moved = true,
            ChangeKind::Changed => own.changed = true,
            ChangeKind::Removed => {}
        }
        // A removed block's places are where it was; they are marked if the draft still has them.
        for p in [&c.section, &c.subsection, &c.unit].into_iter().flatten() {
            out.entry((p.block_type.clone(), p.id.clone()))
                .or_default()
                .inner = true;
        }
    }
    out
}

/// One chapter, sequential or vertical as the page shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Node {
    pub block_type: String,
    pub id: String,
    pub name: String,
    /// 1-based among its parent's children of its type, and how many there are.
    pub position: usize,
    pub count: usize,
    pub parent_type: String,
    pub parent_id: String,
    pub marks: Marks,
    /// Release date, due date (Polish time, for reading).
    pub start: Option<String>,
    pub due: Option<String>,
    pub graded: bool,
    pub format: Option<String>,
    pub time_limit: Option<u32>,
    /// Units: their components.
    pub components: usize,
    pub children: Vec<Node>,
    /// Form state after a refused edit: the typed value and the message.
    pub rename_value: String,
    pub rename_error: Option<String>,
    pub add_value: String,
    pub add_error: Option<String>,
    pub move_error: Option<String>,
    /// Whether "move to" has somewhere else to offer (another section or subsection).
    pub movable: bool,
}

/// A date for reading: Polish time, `12.12.2026 23:59`.
pub fn display_date(d: &DateTime<Utc>) -> String {
    d.with_timezone(&chrono_tz::Europe::Warsaw)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

fn date_field(b: &Block, name: &str) -> Option<DateTime<Utc>> {
    b.field(name).and_then(|v| parse_date(&v))
}

/// A subsection's time limit (Open edX's `is_time_limited` + `default_time_limit_minutes`;
/// a limit that is not a positive number is none, as Open edX ignores it).
pub fn time_limit(b: &Block) -> Option<u32> {
    if !b
        .field("is_time_limited")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return None;
    }
    b.field("default_time_limit_minutes")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|m| m.is_finite() && *m >= 0.5)
        .map(|m| m.round().min(u32::MAX as f64) as u32)
}

/// The outline of `course` (chapters with their subsections and units; other children are not
/// part of the outline and are left out). `unnamed` gives the label of a block without a name.
pub fn outline(
    course: &Course,
    marks: &HashMap<(String, String), Marks>,
    unnamed: &dyn Fn(&str) -> String,
) -> Vec<Node> {
    fn level(
        course: &Course,
        parent: usize,
        marks: &HashMap<(String, String), Marks>,
        unnamed: &dyn Fn(&str) -> String,
    ) -> Vec<Node> {
        let p = &course.blocks[parent];
        let Some(kind) = edit::child_type(&p.block_type) else {
            return Vec::new();
        };
        let kids: Vec<usize> = p
            .children
            .iter()
            .copied()
            .filter(|&c| course.blocks[c].block_type == kind)
            .collect();
        let count = kids.len();
        kids.into_iter()
            .enumerate()
            .map(|(n, c)| {
                let b = &course.blocks[c];
                Node {
                    block_type: b.block_type.clone(),
                    id: b.id.clone(),
                    name: name_of(b, unnamed),
                    position: n + 1,
                    count,
                    parent_type: p.block_type.clone(),
                    parent_id: p.id.clone(),
                    marks: marks
                        .get(&(b.block_type.clone(), b.id.clone()))
                        .copied()
                        .unwrap_or_default(),
                    start: date_field(b, "start").map(|d| display_date(&d)),
                    due: date_field(b, "due").map(|d| display_date(&d)),
                    graded: b.graded(),
                    format: b.format().filter(|f| !f.trim().is_empty()),
                    time_limit: time_limit(b),
                    components: if kind == "vertical" {
                        b.children.len()
                    } else {
                        0
                    },
                    children: level(course, c, marks, unnamed),
                    ..Default::default()
                }
            })
            .collect()
    }
    level(course, course.root, marks, unnamed)
}

fn name_of(b: &Block, unnamed: &dyn Fn(&str) -> String) -> String {
    b.display_name()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| unnamed(&b.block_type))
}

/// The node with this type and id, anywhere in the outline.
pub fn find_node<'a>(nodes: &'a mut [Node], block_type: &str, id: &str) -> Option<&'a mut Node> {
    for n in nodes {
        if n.block_type == block_type && n.id == id {
            return Some(n);
        }
        if let Some(found) = find_node(&mut n.children, block_type, id) {
            return Some(found);
        }
    }
    None
}

/// What a delete removes: subsections, units and components inside the block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Inside {
    pub sequentials: usize,
    pub verticals: usize,
    pub components: usize,
}

pub fn inside(course: &Course, idx: usize) -> Inside {
    let mut out = Inside::default();
    let mut stack: Vec<usize> = course.blocks[idx].children.clone();
    while let Some(i) = stack.pop() {
        let b = &course.blocks[i];
        match b.block_type.as_str() {
            "sequential" => out.sequentials += 1,
            "vertical" => {
                out.verticals += 1;
                out.components += b.children.len();
                continue;
            }
            _ => {}
        }
        stack.extend(&b.children);
    }
    out
}

/// Why an outline edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutlineError {
    /// No such block in the draft (404).
    NotFound,
    /// The edit itself is not possible (422, with a Fluent id).
    Refused(&'static str),
}

impl From<EditError> for OutlineError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::NotFound => OutlineError::NotFound,
            EditError::Cycle => OutlineError::Refused("studio-outline-error-cycle"),
            _ => OutlineError::Refused("studio-outline-error-not-allowed"),
        }
    }
}

/// The block of an outline level by type and id (the course root for `course`).
pub fn locate(course: &Course, block_type: &str, id: &str) -> Result<usize, OutlineError> {
    if block_type == "course" {
        return Ok(course.root);
    }
    if !LEVELS.contains(&block_type) {
        return Err(OutlineError::NotFound);
    }
    edit::find_in_tree(course, block_type, id).ok_or(OutlineError::NotFound)
}

/// Adds a new chapter, subsection or unit (the type follows the parent) at the end of the parent.
pub fn add_child(
    course: &mut Course,
    parent_type: &str,
    parent_id: &str,
    id: &str,
    name: &str,
) -> Result<usize, OutlineError> {
    let parent = locate(course, parent_type, parent_id)?;
    let kind = edit::child_type(parent_type)
        .ok_or(OutlineError::Refused("studio-outline-error-not-allowed"))?;
    Ok(edit::insert_child(
        course,
        parent,
        None,
        edit::container(kind, id, name),
    )?)
}

/// Moves block `idx` under `parent` to `position` counted among the parent's children of the
/// block's own type (as the outline shows them), after the block has left its place; past the
/// end means last. Children of other types keep their places.
pub fn move_among(
    course: &mut Course,
    idx: usize,
    parent: usize,
    position: usize,
) -> Result<(), OutlineError> {
    let kind = course.blocks[idx].block_type.clone();
    let others: Vec<usize> = course.blocks[parent]
        .children
        .iter()
        .copied()
        .filter(|&c| c != idx)
        .collect();
    let same: Vec<usize> = others
        .iter()
        .copied()
        .filter(|&c| course.blocks[c].block_type == kind)
        .collect();
    let at = match same.get(position) {
        Some(&before) => others.iter().position(|&c| c == before).unwrap_or(0),
        None => match same.last() {
            // After the last of its type (other children after it stay after it).
            Some(&last) => others.iter().position(|&c| c == last).unwrap_or(0) + 1,
            None => others.len(),
        },
    };
    Ok(edit::move_to(course, idx, parent, at)?)
}

/// Where a block is among its parent's children of its type: (1-based position, count, parent).
pub fn place(course: &Course, idx: usize) -> Option<(usize, usize, usize)> {
    let parent = course.blocks[idx].parent?;
    let kind = &course.blocks[idx].block_type;
    let same: Vec<usize> = course.blocks[parent]
        .children
        .iter()
        .copied()
        .filter(|&c| &course.blocks[c].block_type == kind)
        .collect();
    let pos = same.iter().position(|&c| c == idx)?;
    Some((pos + 1, same.len(), parent))
}

/// The settings form as typed (dates as `YYYY-MM-DDTHH:MM` in Polish time).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub graded: bool,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub time_limit: String,
    #[serde(default)]
    pub start: String,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.is_some_and(|v| !v.is_empty()))
}

/// Checked settings of a section (`chapter`: name and release only) or a subsection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub display_name: String,
    pub start: Option<DateTime<Utc>>,
    pub graded: bool,
    pub format: Option<String>,
    pub due: Option<DateTime<Utc>>,
    pub time_limit: Option<u32>,
}

/// The form filled from a block.
pub fn settings_of(b: &Block) -> SettingsForm {
    let date = |n: &str| {
        date_field(b, n)
            .map(|d| local_input(&d))
            .unwrap_or_default()
    };
    SettingsForm {
        display_name: b.display_name().unwrap_or_default(),
        graded: b.graded(),
        format: b.format().unwrap_or_default(),
        due: date("due"),
        time_limit: time_limit(b).map(|m| m.to_string()).unwrap_or_default(),
        start: date("start"),
    }
}

/// A problem with a form: the field and a Fluent id.
pub type Problem = (&'static str, &'static str);

/// Checks the settings of a `chapter` or `sequential`. `formats` are the assignment types the
/// course's grading policy defines (and the block's current one, which may come from elsewhere).
/// A graded subsection needs an assignment type, and an assignment type needs "graded" (Open edX
/// sets both together: "Grade as").
pub fn check_settings(
    block_type: &str,
    form: &SettingsForm,
    formats: &[String],
) -> Result<Settings, Vec<Problem>> {
    let mut problems = Vec::new();
    let display_name = check_name(&form.display_name)
        .map_err(|e| problems.push(("display_name", e)))
        .ok();
    let mut date = |field: &'static str, text: &str| match parse_local(text) {
        Ok(d) => d,
        Err(e) => {
            problems.push((
                field,
                match e {
                    BadDate::Format => "studio-outline-error-date",
                    BadDate::Gap => "studio-outline-error-gap",
                },
            ));
            None
        }
    };
    let start = date("start", &form.start);
    let sequential = block_type == "sequential";
    let (mut graded, mut format, mut due, mut limit) = (false, None, None, None);
    if sequential {
        due = date("due", &form.due);
        let f = form.format.trim();
        if !f.is_empty() {
            if formats.iter().any(|x| x == f) {
                format = Some(f.to_string());
            } else {
                problems.push(("format", "studio-outline-error-format-unknown"));
            }
        }
        graded = form.graded;
        if graded && f.is_empty() {
            problems.push(("format", "studio-outline-error-format-missing"));
        }
        if !graded && format.is_some() {
            problems.push(("graded", "studio-outline-error-graded-missing"));
        }
        let t = form.time_limit.trim();
        if !t.is_empty() {
            match t.parse::<u32>() {
                Ok(m) if (1..=MAX_TIME_LIMIT).contains(&m) => limit = Some(m),
                _ => problems.push(("time_limit", "studio-outline-error-time-limit")),
            }
        }
    }
    match (display_name, problems.is_empty()) {
        (Some(display_name), true) => Ok(Settings {
            display_name,
            start,
            graded,
            format,
            due,
            time_limit: limit,
        }),
        _ => {
            // Summary order follows the form.
            let order = [
                "display_name",
                "graded",
                "format",
                "due",
                "time_limit",
                "start",
            ];
            problems.sort_by_key(|(f, _)| order.iter().position(|o| o == f));
            Err(problems)
        }
    }
}

/// Writes the settings on the block as Open edX attributes (`set_field`: a policy value goes);
/// unchanged values (a date that is the same instant) stay as stored, empty ones are removed.
/// Returns whether anything changed.
pub fn apply_settings(b: &mut Block, s: &Settings) -> bool {
    let mut changed = false;
    let mut set = |b: &mut Block, name: &str, value: Option<&str>| {
        edit::set_field(b, name, value);
        changed = true;
    };
    if b.display_name().as_deref() != Some(s.display_name.as_str()) {
        set(b, "display_name", Some(&s.display_name));
    }
    if date_field(b, "start") != s.start {
        set(b, "start", s.start.map(|d| iso(&d)).as_deref());
    }
    if b.block_type != "sequential" {
        return changed;
    }
    if b.graded() != s.graded {
        set(b, "graded", s.graded.then_some("true"));
    }
    if b.format().filter(|f| !f.trim().is_empty()) != s.format {
        set(b, "format", s.format.as_deref());
    }
    if date_field(b, "due") != s.due {
        set(b, "due", s.due.map(|d| iso(&d)).as_deref());
    }
    if time_limit(b) != s.time_limit {
        match s.time_limit {
            Some(m) => {
                set(b, "is_time_limited", Some("true"));
                set(b, "default_time_limit_minutes", Some(&m.to_string()));
            }
            None => {
                set(b, "is_time_limited", None);
                set(b, "default_time_limit_minutes", None);
            }
        }
    }
    changed
}

/// The assignment types of the course's grading policy, plus the block's own when the policy
/// lacks it (so an imported subsection can be saved as it is).
pub fn formats(course: &Course, b: &Block) -> Vec<String> {
    let (graders, _) = crate::grading::rows_of(course.grading_policy.as_deref());
    let mut out: Vec<String> = graders
        .into_iter()
        .map(|g| g.kind)
        .filter(|k| !k.trim().is_empty())
        .collect();
    if let Some(f) = b.format().filter(|f| !f.trim().is_empty()) {
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Loading

/// The draft if there is one, else the published course; with the unpublished changes.
fn draft_view(
    conn: &mut platform::db::DbConn,
    course_id: &str,
) -> Result<(Course, Vec<Change>), AppError> {
    let (published, draft) = drafts::published_and_draft(conn, course_id)?;
    Ok(match draft {
        Some(draft) => {
            let changes = publish::diff(&published, &draft);
            (draft, changes)
        }
        None => (published, Vec::new()),
    })
}

async fn load_view(state: &AppState, course_id: &str) -> Result<(Course, Vec<Change>), AppError> {
    let cid = course_id.to_string();
    state.db.run(move |conn| draft_view(conn, &cid)).await
}

fn edit_failed(e: EditFailed<OutlineError>) -> Result<OutlineError, AppError> {
    match e {
        EditFailed::Edit(e) => Ok(e),
        EditFailed::Draft(e) => Err(e.into()),
    }
}

/// Applies `f` to the draft in one transaction; returns its result and the edited tree.
async fn edit_draft<T: Send + 'static>(
    state: &AppState,
    signed: &SignedIn,
    course_id: &str,
    f: impl FnOnce(&mut Course) -> Result<T, OutlineError> + Send + 'static,
) -> Result<Result<(T, Course), OutlineError>, AppError> {
    let (cid, uid) = (course_id.to_string(), signed.0.user.id.clone());
    let r = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>(drafts::edit(conn, &cid, Some(&uid), |course| {
                let out = f(course)?;
                Ok((out, course.clone()))
            }))
        })
        .await?;
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(e) => match edit_failed(e)? {
            OutlineError::NotFound => Err(AppError::NotFound),
            e => Ok(Err(e)),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Messages

/// What the last action did, from the query string after its redirect.
#[derive(Debug, Default, Deserialize)]
struct Done {
    zrobiono: Option<String>,
    typ: Option<String>,
    blok: Option<String>,
    kierunek: Option<String>,
}

/// The status message for `done`, read from the tree as it is now.
fn message(state: &AppState, lang: Lang, course: &Course, done: &Done) -> Option<String> {
    let what = done.zrobiono.as_deref()?;
    let kind = done.typ.as_deref().filter(|t| LEVELS.contains(t))?;
    let t = |key: &str, args: &[(&str, Arg)]| state.i18n.t(lang, key, args);
    let kind_arg = ("kind", Arg::Str(kind.to_string()));
    if what == "usunieto" {
        return Some(t("studio-outline-done-deleted", &[kind_arg]));
    }
    let idx = edit::find_in_tree(course, kind, done.blok.as_deref()?)?;
    let unnamed = |k: &str| unnamed_label(state, lang, k);
    let name = name_of(&course.blocks[idx], &unnamed);
    let name_arg = ("name", Arg::Str(name));
    Some(match what {
        "dodano" => t("studio-outline-done-added", &[kind_arg, name_arg]),
        "nazwa" => t("studio-outline-done-renamed", &[name_arg]),
        "ustawienia" => t("studio-outline-done-settings", &[name_arg]),
        "przesunieto" => {
            let (pos, count, parent) = place(course, idx)?;
            let parent_name = if parent == course.root {
                course.title()
            } else {
                name_of(&course.blocks[parent], &unnamed)
            };
            t(
                "studio-outline-done-moved",
                &[
                    name_arg,
                    ("position", Arg::Num(pos as f64)),
                    ("count", Arg::Num(count as f64)),
                    ("parent", Arg::Str(parent_name)),
                ],
            )
        }
        "bez-zmian" => {
            let key = if done.kierunek.as_deref() == Some("gora") {
                "studio-outline-done-first"
            } else {
                "studio-outline-done-last"
            };
            t(key, &[name_arg])
        }
        _ => return None,
    })
}

fn unnamed_label(state: &AppState, lang: Lang, kind: &str) -> String {
    state.i18n.t(
        lang,
        "studio-outline-unnamed",
        &[("kind", Arg::Str(kind.to_string()))],
    )
}

/// Percent-encodes a query or fragment value (block ids are Open edX `url_name`s, almost
/// always safe already).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn outline_url(course_id: &str) -> String {
    format!("/studio/kursy/{course_id}/struktura")
}

/// The outline after an action: the message's query (see [`Done`]) and a fragment to focus.
fn back(course_id: &str, query: &[(&str, &str)], focus: &str) -> String {
    let query: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    format!(
        "{}?{}#{}",
        outline_url(course_id),
        query.join("&"),
        enc(focus)
    )
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

// ---------------------------------------------------------------------------------------------
// The outline page

/// An error on the outline page; its field is a form control's id (`nazwa-vertical-ID`).
#[derive(Serialize)]
struct PageError {
    field: String,
    message: String,
}

/// A place a subsection or unit can be moved to.
#[derive(Serialize)]
struct Target {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct TargetGroup {
    name: String,
    items: Vec<Target>,
}

#[derive(Serialize)]
struct OutlinePage {
    id: String,
    title: String,
    course_key: String,
    chapters: Vec<Node>,
    /// Number of unpublished changes.
    changes: usize,
    message: Option<String>,
    errors: Vec<PageError>,
    add_value: String,
    add_error: Option<String>,
    /// Targets of "move to": chapters (for subsections), subsections by chapter (for units).
    chapter_targets: Vec<Target>,
    sequential_targets: Vec<TargetGroup>,
}

/// A refused edit to show on the outline page (422).
struct Refusal {
    /// Which form: `nazwa`, `dodaj`, `przenies`.
    form: &'static str,
    block_type: String,
    id: String,
    value: String,
    message: &'static str,
}

async fn outline_response(
    state: &AppState,
    signed: &SignedIn,
    row: store::CourseRow,
    done: &Done,
    refusal: Option<Refusal>,
) -> Result<HttpResponse, AppError> {
    let lang = signed.1.lang;
    let (course, changes) = load_view(state, &row.id).await?;
    let marks = marks(&changes);
    let unnamed = |k: &str| unnamed_label(state, lang, k);
    let mut chapters = outline(&course, &marks, &unnamed);
    let chapter_targets = chapters
        .iter()
        .map(|c| Target {
            id: c.id.clone(),
            name: c.name.clone(),
        })
        .collect();
    let sequential_targets = chapters
        .iter()
        .map(|c| TargetGroup {
            name: c.name.clone(),
            items: c
                .children
                .iter()
                .map(|s| Target {
                    id: s.id.clone(),
                    name: s.name.clone(),
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let sequentials: usize = chapters.iter().map(|c| c.children.len()).sum();
    let many_chapters = chapters.len() > 1;
    for c in &mut chapters {
        for s in &mut c.children {
            s.movable = many_chapters;
            for u in &mut s.children {
                u.movable = sequentials > 1;
            }
        }
    }
    let mut page = OutlinePage {
        id: row.id.clone(),
        title: row.title.clone(),
        course_key: row.course_key.clone(),
        chapters: Vec::new(),
        changes: changes.len(),
        message: if refusal.is_none() {
            message(state, lang, &course, done)
        } else {
            None
        },
        errors: Vec::new(),
        add_value: String::new(),
        add_error: None,
        chapter_targets,
        sequential_targets,
    };
    let status = match refusal {
        None => StatusCode::OK,
        Some(r) => {
            let text = state.i18n.t(lang, r.message, &[]);
            let field = format!("{}-{}-{}", r.form, r.block_type, r.id);
            let value: String = r.value.chars().take(MAX_NAME + 50).collect();
            if r.form == "dodaj" && r.block_type == "course" {
                page.add_value = value;
                page.add_error = Some(text.clone());
                page.errors.push(PageError {
                    field,
                    message: text,
                });
            } else if let Some(n) = find_node(&mut chapters, &r.block_type, &r.id) {
                match r.form {
                    "nazwa" => {
                        n.rename_value = value;
                        n.rename_error = Some(text.clone());
                    }
                    "dodaj" => {
                        n.add_value = value;
                        n.add_error = Some(text.clone());
                    }
                    _ => n.move_error = Some(text.clone()),
                }
                page.errors.push(PageError {
                    field,
                    message: text,
                });
            } else {
                page.errors.push(PageError {
                    field: "struktura".into(),
                    message: text,
                });
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    page.chapters = chapters;
    render_page(state, &signed.1, "studio/outline.html", &page, status)
}

async fn outline_page(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    outline_response(&state, &signed, row, &done, None).await
}

// ---------------------------------------------------------------------------------------------
// Add, rename, move, delete

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    parent_type: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    display_name: String,
}

async fn add(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let f = form.into_inner();
    let parent_type = f.parent_type.trim().to_string();
    let parent_id = if parent_type == "course" {
        "course".to_string()
    } else {
        f.parent_id.trim().to_string()
    };
    let Some(kind) = edit::child_type(&parent_type) else {
        return Err(AppError::NotFound);
    };
    let name = match check_name(&f.display_name) {
        Ok(n) => n,
        Err(message) => {
            let refusal = Refusal {
                form: "dodaj",
                block_type: parent_type,
                id: parent_id,
                value: f.display_name,
                message,
            };
            return outline_response(&state, &signed, row, &Done::default(), Some(refusal)).await;
        }
    };
    let id = platform::models::new_id().replace('-', "");
    let new = id.clone();
    let (pt, pi) = (parent_type.clone(), parent_id.clone());
    match edit_draft(&state, &signed, &row.id, move |c| {
        add_child(c, &pt, &pi, &new, &name)
    })
    .await?
    {
        Ok(_) => Ok(see_other(back(
            &row.id,
            &[("zrobiono", "dodano"), ("typ", kind), ("blok", &id)],
            &format!("blok-{kind}-{id}"),
        ))),
        Err(e) => refused(&state, &signed, row, "dodaj", &parent_type, &parent_id, e).await,
    }
}

async fn refused(
    state: &AppState,
    signed: &SignedIn,
    row: store::CourseRow,
    form: &'static str,
    block_type: &str,
    id: &str,
    e: OutlineError,
) -> Result<HttpResponse, AppError> {
    let message = match e {
        OutlineError::NotFound => return Err(AppError::NotFound),
        OutlineError::Refused(m) => m,
    };
    let refusal = Refusal {
        form,
        block_type: block_type.to_string(),
        id: id.to_string(),
        value: String::new(),
        message,
    };
    outline_response(state, signed, row, &Done::default(), Some(refusal)).await
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    display_name: String,
}

/// The block named in the URL: an outline level (404 otherwise).
fn level_of(block_type: &str) -> Result<&'static str, AppError> {
    LEVELS
        .iter()
        .copied()
        .find(|l| *l == block_type)
        .ok_or(AppError::NotFound)
}

async fn rename(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let kind = level_of(&block_type)?;
    let f = form.into_inner();
    let name = match check_name(&f.display_name) {
        Ok(n) => n,
        Err(message) => {
            let refusal = Refusal {
                form: "nazwa",
                block_type: kind.to_string(),
                id: block_id,
                value: f.display_name,
                message,
            };
            return outline_response(&state, &signed, row, &Done::default(), Some(refusal)).await;
        }
    };
    let bid = block_id.clone();
    match edit_draft(&state, &signed, &row.id, move |c| {
        let i = locate(c, kind, &bid)?;
        if c.blocks[i].display_name().as_deref() != Some(name.as_str()) {
            edit::set_field(&mut c.blocks[i], "display_name", Some(&name));
        }
        Ok(())
    })
    .await?
    {
        Ok(_) => Ok(see_other(back(
            &row.id,
            &[("zrobiono", "nazwa"), ("typ", kind), ("blok", &block_id)],
            &format!("blok-{kind}-{block_id}"),
        ))),
        Err(e) => refused(&state, &signed, row, "nazwa", kind, &block_id, e).await,
    }
}

#[derive(Deserialize)]
struct MoveForm {
    kierunek: Option<String>,
    rodzic_typ: Option<String>,
    rodzic_id: Option<String>,
    pozycja: Option<String>,
}

/// A move: one place up or down, or to a parent and position.
enum Move {
    Shift {
        up: bool,
    },
    To {
        parent_type: String,
        parent_id: String,
        position: usize,
    },
}

#[derive(Serialize)]
struct MoveAnswer {
    ok: bool,
    moved: bool,
    message: String,
    /// The id of the element to focus after the outline is shown again.
    focus: String,
}

async fn move_block(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let kind = level_of(&block_type)?;
    let f = form.into_inner();
    let json = wants_json(&req);
    let mv = match (f.kierunek.as_deref(), &f.rodzic_typ, &f.rodzic_id) {
        (Some("gora"), _, _) => Move::Shift { up: true },
        (Some("dol"), _, _) => Move::Shift { up: false },
        (None, Some(t), Some(id)) => {
            let position = match f.pozycja.as_deref().map(str::trim) {
                None | Some("") => usize::MAX,
                Some(p) => p
                    .parse::<usize>()
                    .map_err(|_| AppError::BadRequest("pozycja is not a number".into()))?,
            };
            Move::To {
                parent_type: t.trim().to_string(),
                parent_id: id.trim().to_string(),
                position,
            }
        }
        _ => {
            return Err(AppError::BadRequest(
                "kierunek or rodzic_typ and rodzic_id".into(),
            ))
        }
    };
    let focus = match &mv {
        Move::Shift { up: true } => format!("gora-{kind}-{block_id}"),
        Move::Shift { up: false } => format!("dol-{kind}-{block_id}"),
        Move::To { .. } => format!("blok-{kind}-{block_id}"),
    };
    let up = matches!(mv, Move::Shift { up: true });
    let bid = block_id.clone();
    let result = edit_draft(&state, &signed, &row.id, move |c| {
        let i = locate(c, kind, &bid)?;
        match mv {
            Move::Shift { up } => Ok(edit::shift(c, i, up)?),
            Move::To {
                parent_type,
                parent_id,
                position,
            } => {
                let p = locate(c, &parent_type, &parent_id)
                    .map_err(|_| OutlineError::Refused("studio-outline-error-no-target"))?;
                move_among(c, i, p, position)?;
                Ok(true)
            }
        }
    })
    .await?;
    let (moved, course) = match result {
        Ok(v) => v,
        Err(e) => {
            if json {
                let message = match e {
                    OutlineError::Refused(m) => state.i18n.t(signed.1.lang, m, &[]),
                    OutlineError::NotFound => return Err(AppError::NotFound),
                };
                let mut res = HttpResponse::UnprocessableEntity().json(MoveAnswer {
                    ok: false,
                    moved: false,
                    message,
                    focus,
                });
                // The answer is complete: no HTML error page in its place.
                res.extensions_mut()
                    .insert(platform::web::error::RenderedPage);
                return Ok(res);
            }
            return refused(&state, &signed, row, "przenies", kind, &block_id, e).await;
        }
    };
    let done = if moved { "przesunieto" } else { "bez-zmian" };
    let direction = if up { "gora" } else { "dol" };
    if json {
        let d = Done {
            zrobiono: Some(done.into()),
            typ: Some(kind.into()),
            blok: Some(block_id.clone()),
            kierunek: Some(direction.into()),
        };
        let message = message(&state, signed.1.lang, &course, &d).unwrap_or_default();
        return Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(MoveAnswer {
                ok: true,
                moved,
                message,
                focus,
            }));
    }
    let to = back(
        &row.id,
        &[
            ("zrobiono", done),
            ("typ", kind),
            ("blok", &block_id),
            ("kierunek", direction),
        ],
        &focus,
    );
    Ok(see_other(to))
}

#[derive(Serialize)]
struct DeletePage {
    id: String,
    title: String,
    block_type: String,
    block_id: String,
    name: String,
    inside: Inside,
    /// Whether learners see the block now (it is in the published course).
    published: bool,
}

async fn delete_confirm(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let kind = level_of(&block_type)?;
    let (course, changes) = load_view(&state, &row.id).await?;
    let idx = locate(&course, kind, &block_id).map_err(|_| AppError::NotFound)?;
    let added = changes
        .iter()
        .any(|c| c.kind == ChangeKind::Added && c.block_type == kind && c.id == block_id);
    let lang = signed.1.lang;
    let page = DeletePage {
        id: row.id.clone(),
        title: row.title.clone(),
        block_type: kind.to_string(),
        block_id: block_id.clone(),
        name: name_of(&course.blocks[idx], &|k| unnamed_label(&state, lang, k)),
        inside: inside(&course, idx),
        published: !added,
    };
    render(&state, &signed.1, "studio/outline_delete.html", &page)
}

async fn delete(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let kind = level_of(&block_type)?;
    let bid = block_id.clone();
    let (parent, _) = edit_draft(&state, &signed, &row.id, move |c| {
        let i = locate(c, kind, &bid)?;
        let p = c.blocks[i].parent.ok_or(OutlineError::NotFound)?;
        let parent = (c.blocks[p].block_type.clone(), c.blocks[p].id.clone());
        edit::remove(c, i)?;
        Ok(parent)
    })
    .await?
    .map_err(|_| AppError::NotFound)?;
    let focus = if parent.0 == "course" {
        "struktura".to_string()
    } else {
        format!("blok-{}-{}", parent.0, parent.1)
    };
    Ok(see_other(back(
        &row.id,
        &[("zrobiono", "usunieto"), ("typ", kind)],
        &focus,
    )))
}

// ---------------------------------------------------------------------------------------------
// Section and subsection settings

#[derive(Serialize)]
struct SettingsPage {
    id: String,
    title: String,
    block_type: String,
    block_id: String,
    name: String,
    form: SettingsForm,
    formats: Vec<String>,
    errors: Vec<FieldError>,
}

/// A section or subsection named in the URL (404 for other types).
fn settings_level(block_type: &str) -> Result<&'static str, AppError> {
    match block_type {
        "chapter" => Ok("chapter"),
        "sequential" => Ok("sequential"),
        _ => Err(AppError::NotFound),
    }
}

async fn settings_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let kind = settings_level(&block_type)?;
    let (course, _) = load_view(&state, &row.id).await?;
    let idx = locate(&course, kind, &block_id).map_err(|_| AppError::NotFound)?;
    let b = &course.blocks[idx];
    let lang = signed.1.lang;
    let page = SettingsPage {
        id: row.id.clone(),
        title: row.title.clone(),
        block_type: kind.to_string(),
        block_id,
        name: name_of(b, &|k| unnamed_label(&state, lang, k)),
        form: settings_of(b),
        formats: formats(&course, b),
        errors: vec![],
    };
    render(&state, &signed.1, "studio/outline_settings.html", &page)
}

async fn settings_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let kind = settings_level(&block_type)?;
    let form = form.into_inner();
    let (course, _) = load_view(&state, &row.id).await?;
    let idx = locate(&course, kind, &block_id).map_err(|_| AppError::NotFound)?;
    let allowed = formats(&course, &course.blocks[idx]);
    let settings = match check_settings(kind, &form, &allowed) {
        Ok(s) => s,
        Err(problems) => {
            let lang = signed.1.lang;
            let mut errors = FormErrors::default();
            for (f, m) in &problems {
                errors.add(f, m);
            }
            let keep = |s: &str, n: usize| s.chars().take(n).collect::<String>();
            let page = SettingsPage {
                id: row.id.clone(),
                title: row.title.clone(),
                block_type: kind.to_string(),
                block_id,
                name: name_of(&course.blocks[idx], &|k| unnamed_label(&state, lang, k)),
                form: SettingsForm {
                    display_name: keep(&form.display_name, MAX_NAME + 50),
                    graded: form.graded,
                    format: keep(&form.format, 100),
                    due: keep(&form.due, 40),
                    time_limit: keep(&form.time_limit, 20),
                    start: keep(&form.start, 40),
                },
                formats: allowed,
                errors: errors.translate(&state, lang),
            };
            return render_page(
                &state,
                &signed.1,
                "studio/outline_settings.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let bid = block_id.clone();
    edit_draft(&state, &signed, &row.id, move |c| {
        let i = locate(c, kind, &bid)?;
        Ok(apply_settings(&mut c.blocks[i], &settings))
    })
    .await?
    .map_err(|_| AppError::NotFound)?;
    Ok(see_other(back(
        &row.id,
        &[
            ("zrobiono", "ustawienia"),
            ("typ", kind),
            ("blok", &block_id),
        ],
        &format!("blok-{kind}-{block_id}"),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        crate::create::new_course("urzad", "K1", "2027", "Kurs", "pl").unwrap()
    }

    fn unnamed(k: &str) -> String {
        format!("({k})")
    }

    #[test]
    fn names_are_trimmed_required_and_bounded() {
        assert_eq!(
            check_name("  Wstęp\r\n do kursu "),
            Ok("Wstęp   do kursu".into())
        );
        assert_eq!(check_name(" \t "), Err("studio-outline-error-name-missing"));
        assert_eq!(check_name(&"ą".repeat(MAX_NAME)).map(|n| n.len()), Ok(400));
        assert_eq!(
            check_name(&"a".repeat(MAX_NAME + 1)),
            Err("studio-outline-error-name-long")
        );
    }

    #[test]
    fn adding_follows_the_levels_and_moves_count_blocks_of_one_type() {
        let mut c = course();
        let a = add_child(&mut c, "course", "course", "a", "A").unwrap();
        add_child(&mut c, "course", "", "b", "B").unwrap();
        let s1 = add_child(&mut c, "chapter", "a", "s1", "S1").unwrap();
        add_child(&mut c, "chapter", "a", "s2", "S2").unwrap();
        add_child(&mut c, "sequential", "s1", "u1", "U1").unwrap();
        assert_eq!(
            add_child(&mut c, "vertical", "u1", "x", "X"),
            Err(OutlineError::Refused("studio-outline-error-not-allowed"))
        );
        assert_eq!(
            add_child(&mut c, "chapter", "zzz", "x", "X"),
            Err(OutlineError::NotFound)
        );
        // An html block among the chapter's children is not counted in positions.
        let u1 = c.blocks[s1].children[0];
        edit::insert_child(&mut c, u1, None, edit::html_block("h", "H", "")).unwrap();
        let nodes = outline(&c, &HashMap::new(), &unnamed);
        assert_eq!(nodes.len(), 2);
        assert_eq!(nodes[0].children[1].name, "S2");
        assert_eq!(
            (nodes[0].children[1].position, nodes[0].children[1].count),
            (2, 2)
        );
        assert_eq!(nodes[0].children[0].children[0].components, 1);
        // S2 to the first place of chapter A, then to the end of chapter B.
        let s2 = edit::find_in_tree(&c, "sequential", "s2").unwrap();
        move_among(&mut c, s2, a, 0).unwrap();
        assert_eq!(place(&c, s2).map(|p| (p.0, p.1)), Some((1, 2)));
        let b = edit::find_in_tree(&c, "chapter", "b").unwrap();
        move_among(&mut c, s2, b, 99).unwrap();
        assert_eq!(place(&c, s2), Some((1, 1, b)));
        assert_eq!(
            move_among(&mut c, s2, s1, 0),
            Err(OutlineError::Refused("studio-outline-error-not-allowed"))
        );
        let ins = inside(&c, a);
        assert_eq!(
            ins,
            Inside {
                sequentials: 1,
                verticals: 1,
                components: 1
            }
        );
    }

    #[test]
    fn changes_mark_blocks_and_the_places_around_them() {
        let mut published = course();
        add_child(&mut published, "course", "", "a", "A").unwrap();
        add_child(&mut published, "chapter", "a", "s1", "S1").unwrap();
        add_child(&mut published, "sequential", "s1", "u1", "U1").unwrap();
        add_child(&mut published, "sequential", "s1", "u2", "U2").unwrap();
        let published = publish::compact(&published);
        let mut draft = published.clone();
        add_child(&mut draft, "sequential", "s1", "u3", "U3").unwrap();
        let u2 = edit::find_in_tree(&draft, "vertical", "u2").unwrap();
        edit::remove(&mut draft, u2).unwrap();
        let a = edit::find_in_tree(&draft, "chapter", "a").unwrap();
        edit::set_field(&mut draft.blocks[a], "display_name", Some("A2"));
        let m = marks(&publish::diff(&published, &draft));
        let get = |t: &str, id: &str| m.get(&(t.to_string(), id.to_string())).copied();
        assert!(get("vertical", "u3").unwrap().added);
        let s1 = get("sequential", "s1").unwrap();
        assert!(s1.inner && !s1.added && !s1.changed);
        let a = get("chapter", "a").unwrap();
        assert!(a.changed && a.inner);
        assert_eq!(get("vertical", "u1"), None);
    }

    fn form(name: &str, graded: bool, format: &str, due: &str, limit: &str) -> SettingsForm {
        SettingsForm {
            display_name: name.into(),
            graded,
            format: format.into(),
            due: due.into(),
            time_limit: limit.into(),
            start: String::new(),
        }
    }

    #[test]
    fn subsection_settings_become_open_edx_attributes() {
        let formats = vec!["Homework".to_string(), "Exam".to_string()];
        let s = check_settings(
            "sequential",
            &form("Test", true, "Exam", "2026-12-12T23:59", "30"),
            &formats,
        )
        .unwrap();
        let mut b = edit::container("sequential", "s", "Stara");
        b.policy.insert("due".into(), "2020-01-01T00:00:00Z".into());
        assert!(apply_settings(&mut b, &s));
        assert_eq!(b.attr("display_name"), Some("Test"));
        assert_eq!(b.attr("graded"), Some("true"));
        assert_eq!(b.attr("format"), Some("Exam"));
        assert_eq!(b.attr("due"), Some("2026-12-12T22:59:00Z"));
        assert!(!b.policy.contains_key("due"));
        assert_eq!(b.attr("is_time_limited"), Some("true"));
        assert_eq!(b.attr("default_time_limit_minutes"), Some("30"));
        assert_eq!(settings_of(&b).due, "2026-12-12T23:59");
        assert!(
            !apply_settings(&mut b, &s),
            "the same settings change nothing"
        );
        // Cleared: attributes go.
        let s = check_settings("sequential", &form("Test", false, "", "", ""), &formats).unwrap();
        assert!(apply_settings(&mut b, &s));
        for a in [
            "graded",
            "format",
            "due",
            "is_time_limited",
            "default_time_limit_minutes",
        ] {
            assert_eq!(b.attr(a), None, "{a}");
        }
        // A section keeps only its name and release date.
        let s = check_settings(
            "chapter",
            &SettingsForm {
                start: "2027-01-15T09:00".into(),
                ..form("R", true, "Nope", "x", "y")
            },
            &formats,
        )
        .unwrap();
        let mut ch = edit::container("chapter", "c", "R");
        assert!(apply_settings(&mut ch, &s));
        assert_eq!(ch.attrs.len(), 2);
        assert_eq!(ch.attr("start"), Some("2027-01-15T08:00:00Z"));
    }

    #[test]
    fn settings_errors_name_their_fields_in_form_order() {
        let formats = vec!["Homework".to_string()];
        let err = |f: SettingsForm| check_settings("sequential", &f, &formats).unwrap_err();
        assert_eq!(
            err(form("", true, "Quiz", "jutro", "0")),
            vec![
                ("display_name", "studio-outline-error-name-missing"),
                ("format", "studio-outline-error-format-unknown"),
                ("due", "studio-outline-error-date"),
                ("time_limit", "studio-outline-error-time-limit"),
            ]
        );
        assert_eq!(
            err(form("A", true, "", "", "")),
            vec![("format", "studio-outline-error-format-missing")]
        );
        assert_eq!(
            err(form("A", false, "Homework", "2027-03-28T02:30", "")),
            vec![
                ("graded", "studio-outline-error-graded-missing"),
                ("due", "studio-outline-error-gap")
            ]
        );
    }

    #[test]
    fn the_current_format_is_offered_even_when_the_policy_lacks_it() {
        let c = course();
        let mut b = edit::container("sequential", "s", "S");
        edit::set_field(&mut b, "format", Some("Lab"));
        let f = formats(&c, &b);
        assert!(f.contains(&"Lab".to_string()));
        assert!(f.len() > 1, "{f:?}");
    }

    #[test]
    fn redirect_targets_are_encoded() {
        assert_eq!(
            back(
                "c1",
                &[("zrobiono", "dodano"), ("typ", "vertical"), ("blok", "a b")],
                "blok-vertical-a b"
            ),
            "/studio/kursy/c1/struktura?zrobiono=dodano&typ=vertical&blok=a%20b#blok-vertical-a%20b"
        );
    }
}
