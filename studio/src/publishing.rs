//! Drafts and publishing pages (issue 6, items 4 and 7): the unpublished changes in words with
//! "publish" for a unit, a section or everything and "discard"; the published versions with
//! rollback; and an import of a new version over an existing course. The data layer is
//! `crate::drafts`; these handlers only check access and input, call it, and explain results.
//!
//! Success messages carry the new version's number in the query string of this module's own
//! pages (`?opublikowano=7`), since a flash message is a fixed text; a publish that returns to
//! another page (`wroc`) leaves the fixed flash message instead.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use futures_util::StreamExt;
use platform::db::DbConn;
use platform::i18n::{Arg, I18n, Lang};
use platform::storage::BlobStore;
use platform::web::render::{render, render_page, see_other, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};
use xblock_compat::olx::edit::find_in_tree;
use xblock_compat::olx::publish::{self, Change, ChangeKind, PublishError};
use xblock_compat::olx::{Block, Course};

use crate::drafts::{self, DraftError, Scope};
use crate::store::{self, CourseRow};
use crate::web::{course_row, Received, Refusal, MAX_UPLOAD};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/studio/kursy/{course_id}/zmiany",
        web::get().to(changes_page),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/zmiany/odrzuc")
            .route(web::get().to(discard_form))
            .route(web::post().to(discard)),
    )
    .route(
        "/studio/kursy/{course_id}/publikuj",
        web::post().to(publish_post),
    )
    .route(
        "/studio/kursy/{course_id}/wersje",
        web::get().to(versions_page),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/wersje/{number}/przywroc")
            .route(web::get().to(rollback_form))
            .route(web::post().to(rollback_post)),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/import")
            .route(web::get().to(import_form))
            .route(web::post().to(import_post)),
    );
}

// ---------------------------------------------------------------- changes in words

/// One unpublished change as the author reads it.
#[derive(Debug, Serialize)]
pub struct ChangeLine {
    /// `added`, `removed`, `moved`, `changed` (for styling; the marker says it in text).
    pub kind: &'static str,
    /// "+ Dodano", "− Usunięto", "~ Zmieniono", "↕ Przeniesiono".
    pub marker: String,
    /// The block's type in words and its name: `jednostka „Lekcja 3”`.
    pub text: String,
    /// Where: "Sekcja 2 › Podrozdział 1 › Jednostka 3" (empty for the course itself).
    pub place: String,
    /// For a changed block, what changed; for a moved one, where it was.
    pub details: Vec<String>,
}

/// The changes of one unit, or those at a section's own level (no `unit_id`).
#[derive(Debug, Serialize)]
pub struct ChangeGroup {
    pub anchor: String,
    /// "Jednostka 3: Lekcja 3"; empty for the section's own changes.
    pub heading: String,
    pub place: String,
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub lines: Vec<ChangeLine>,
}

/// The changes within one section (chapter), or the course's own (no `chapter_id`).
#[derive(Debug, Serialize)]
pub struct ChangeSection {
    pub anchor: String,
    pub heading: String,
    pub chapter_id: Option<String>,
    pub name: String,
    pub groups: Vec<ChangeGroup>,
}

fn is_outline(t: &str) -> bool {
    matches!(t, "chapter" | "sequential" | "vertical")
}

/// A block type in words, lower case (as it reads after "Dodano:").
fn type_words(i18n: &I18n, lang: Lang, block_type: &str) -> String {
    let key = match block_type {
        "course" => "studio-publish-type-course",
        "chapter" => "studio-publish-type-chapter",
        "sequential" => "studio-publish-type-sequential",
        "vertical" => "studio-publish-type-vertical",
        "html" => "studio-publish-type-html",
        "problem" => "studio-publish-type-problem",
        "video" => "studio-publish-type-video",
        "poll" => "studio-publish-type-poll",
        "survey" => "studio-publish-type-survey",
        "word_cloud" => "studio-publish-type-word-cloud",
        "discussion" => "studio-publish-type-discussion",
        "library_content" => "studio-publish-type-library-content",
        "openassessment" => "studio-publish-type-openassessment",
        other => {
            return i18n.t(
                lang,
                "studio-publish-type-other",
                &[("type", Arg::Str(other.to_string()))],
            )
        }
    };
    i18n.t(lang, key, &[])
}

/// `jednostka „Lekcja 3”`, or `jednostka (bez nazwy)`.
fn named(i18n: &I18n, lang: Lang, block_type: &str, name: Option<&str>) -> String {
    let what = type_words(i18n, lang, block_type);
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => i18n.t(
            lang,
            "studio-publish-named",
            &[("what", Arg::Str(what)), ("name", Arg::Str(n.to_string()))],
        ),
        None => i18n.t(lang, "studio-publish-unnamed", &[("what", Arg::Str(what))]),
    }
}

/// "Sekcja 2 › Podrozdział 1 › Jednostka 3": the outline levels from the section down to the
/// block (itself included when it is one), numbered by position among their siblings.
fn place(i18n: &I18n, lang: Lang, c: &Course, idx: usize) -> String {
    let mut parts = Vec::new();
    let mut at = Some(idx);
    while let Some(i) = at {
        let b = &c.blocks[i];
        if is_outline(&b.block_type) {
            let n = b
                .parent
                .and_then(|p| c.blocks[p].children.iter().position(|&x| x == i))
                .map_or(0, |n| n + 1);
            let key = match b.block_type.as_str() {
                "chapter" => "studio-publish-place-section",
                "sequential" => "studio-publish-place-subsection",
                _ => "studio-publish-place-unit",
            };
            parts.push(i18n.t(lang, key, &[("n", Arg::Num(n as f64))]));
        }
        at = b.parent;
    }
    parts.reverse();
    parts.join(" › ")
}

/// A heading: "Sekcja 2: Rozdział 1" (`place` of the block itself, then its name).
fn heading(i18n: &I18n, lang: Lang, c: &Course, idx: usize) -> String {
    let b = &c.blocks[idx];
    let n = b
        .parent
        .and_then(|p| c.blocks[p].children.iter().position(|&x| x == idx))
        .map_or(0, |n| n + 1);
    let key = if b.block_type == "chapter" {
        "studio-publish-heading-section"
    } else {
        "studio-publish-heading-unit"
    };
    let name = b
        .display_name()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| i18n.t(lang, "studio-publish-no-name", &[]));
    i18n.t(
        lang,
        key,
        &[("n", Arg::Num(n as f64)), ("name", Arg::Str(name))],
    )
}

/// The end of a leaf's start tag (the byte after `>`), quotes respected.
fn start_tag_end(xml: &str) -> usize {
    let mut quote = None;
    for (i, ch) in xml.char_indices() {
        match (quote, ch) {
            (None, '"' | '\'') => quote = Some(ch),
            (Some(q), _) if ch == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    xml.len()
}

/// A field in words, for "changed settings: ...", or the field's own name.
fn field_words(i18n: &I18n, lang: Lang, name: &str) -> String {
    let key = match name {
        "graded" => "studio-publish-field-graded",
        "format" => "studio-publish-field-format",
        "due" => "studio-publish-field-due",
        "start" => "studio-publish-field-start",
        "visible_to_staff_only" => "studio-publish-field-hidden",
        "weight" => "studio-publish-field-weight",
        "max_attempts" => "studio-publish-field-attempts",
        "showanswer" => "studio-publish-field-showanswer",
        "is_time_limited" | "default_time_limit_minutes" => "studio-publish-field-time-limit",
        "filename" => return String::new(),
        other => return other.to_string(),
    };
    i18n.t(lang, key, &[])
}

/// What changed in a block, cheaply: its name, its content, other fields by name.
fn field_summary(i18n: &I18n, lang: Lang, old: &Block, new: &Block) -> Vec<String> {
    let mut out = Vec::new();
    let (a, b) = (old.display_name(), new.display_name());
    if a != b {
        let none = || i18n.t(lang, "studio-publish-no-name", &[]);
        out.push(i18n.t(
            lang,
            "studio-publish-detail-name",
            &[
                ("from", Arg::Str(a.unwrap_or_else(none))),
                ("to", Arg::Str(b.unwrap_or_else(none))),
            ],
        ));
    }
    fn inner(b: &Block) -> &str {
        if b.is_container() {
            ""
        } else {
            &b.xml[start_tag_end(&b.xml)..]
        }
    }
    if old.body != new.body || old.extra_xml != new.extra_xml || inner(old) != inner(new) {
        out.push(i18n.t(lang, "studio-publish-detail-content", &[]));
    }
    let mut names: Vec<&str> = old
        .attrs
        .iter()
        .chain(&new.attrs)
        .map(|(k, _)| k.as_str())
        .chain(old.policy.keys().map(String::as_str))
        .chain(new.policy.keys().map(String::as_str))
        .filter(|n| *n != "display_name")
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut fields: Vec<String> = names
        .into_iter()
        .filter(|n| old.field(n) != new.field(n))
        .map(|n| field_words(i18n, lang, n))
        .filter(|w| !w.is_empty())
        .collect();
    fields.dedup();
    if !fields.is_empty() {
        out.push(i18n.t(
            lang,
            "studio-publish-detail-fields",
            &[("fields", Arg::Str(fields.join(", ")))],
        ));
    }
    out
}

fn kind_str(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Moved => "moved",
        ChangeKind::Changed => "changed",
    }
}

fn marker(i18n: &I18n, lang: Lang, k: ChangeKind) -> String {
    let key = match k {
        ChangeKind::Added => "studio-publish-kind-added",
        ChangeKind::Removed => "studio-publish-kind-removed",
        ChangeKind::Moved => "studio-publish-kind-moved",
        ChangeKind::Changed => "studio-publish-kind-changed",
    };
    i18n.t(lang, key, &[])
}

/// The unpublished changes (`publish::diff`) grouped by section, then unit, in words.
pub fn describe(i18n: &I18n, lang: Lang, published: &Course, draft: &Course) -> Vec<ChangeSection> {
    let changes = publish::diff(published, draft);
    let mut sections: Vec<ChangeSection> = Vec::new();
    // Where a block is: the draft's tree, or the published one for blocks the draft removed.
    let locate = |t: &str, id: &str| -> Option<(&Course, usize)> {
        find_in_tree(draft, t, id)
            .map(|i| (draft, i))
            .or_else(|| find_in_tree(published, t, id).map(|i| (published, i)))
    };
    for c in &changes {
        let (section_id, unit_id) = group_of(c);
        let s = match sections
            .iter()
            .position(|s| s.chapter_id.as_deref() == section_id)
        {
            Some(s) => s,
            None => {
                let n = sections.len() + 1;
                let (heading_text, name) = match section_id.and_then(|id| locate("chapter", id)) {
                    Some((tree, i)) => (
                        heading(i18n, lang, tree, i),
                        tree.blocks[i].display_name().unwrap_or_default(),
                    ),
                    None => (
                        i18n.t(lang, "studio-publish-course-level", &[]),
                        String::new(),
                    ),
                };
                sections.push(ChangeSection {
                    anchor: format!("sekcja-{n}"),
                    heading: heading_text,
                    chapter_id: section_id.map(str::to_string),
                    name,
                    groups: Vec::new(),
                });
                sections.len() - 1
            }
        };
        let section = &mut sections[s];
        let g = match section
            .groups
            .iter()
            .position(|g| g.unit_id.as_deref() == unit_id)
        {
            Some(g) => g,
            None => {
                let anchor = format!("{}-{}", section.anchor, section.groups.len() + 1);
                let (heading_text, place_text, unit_name) =
                    match unit_id.and_then(|id| locate("vertical", id)) {
                        Some((tree, i)) => (
                            heading(i18n, lang, tree, i),
                            place(i18n, lang, tree, i),
                            tree.blocks[i].display_name().unwrap_or_default(),
                        ),
                        None => Default::default(),
                    };
                section.groups.push(ChangeGroup {
                    anchor,
                    heading: heading_text,
                    place: place_text,
                    unit_id: unit_id.map(str::to_string),
                    unit_name,
                    lines: Vec::new(),
                });
                section.groups.len() - 1
            }
        };
        let tree = if c.kind == ChangeKind::Removed {
            published
        } else {
            draft
        };
        let idx = find_in_tree(tree, &c.block_type, &c.id);
        let mut details = Vec::new();
        match c.kind {
            ChangeKind::Changed => {
                if let (Some(p), Some(d)) = (
                    find_in_tree(published, &c.block_type, &c.id),
                    find_in_tree(draft, &c.block_type, &c.id),
                ) {
                    details = field_summary(i18n, lang, &published.blocks[p], &draft.blocks[d]);
                }
            }
            ChangeKind::Moved => {
                if let Some(p) = find_in_tree(published, &c.block_type, &c.id) {
                    let was = place(i18n, lang, published, p);
                    if !was.is_empty() {
                        details.push(i18n.t(
                            lang,
                            "studio-publish-detail-moved-from",
                            &[("place", Arg::Str(was))],
                        ));
                    }
                }
            }
            _ => {}
        }
        section.groups[g].lines.push(ChangeLine {
            kind: kind_str(c.kind),
            marker: marker(i18n, lang, c.kind),
            text: named(i18n, lang, &c.block_type, c.display_name.as_deref()),
            place: idx.map(|i| place(i18n, lang, tree, i)).unwrap_or_default(),
            details,
        });
    }
    // The section's own changes first, then its units.
    for s in &mut sections {
        s.groups.sort_by_key(|g| g.unit_id.is_some());
    }
    sections
}

/// The section and unit a change is listed under.
fn group_of(c: &Change) -> (Option<&str>, Option<&str>) {
    let section = c.section.as_ref().map(|p| p.id.as_str());
    let unit = c.unit.as_ref().map(|p| p.id.as_str());
    match c.block_type.as_str() {
        "chapter" => (Some(c.id.as_str()), None),
        "sequential" => (section, None),
        "vertical" => (section, Some(c.id.as_str())),
        "course" => (None, None),
        _ => (section, unit),
    }
}

/// The published course and the draft (if any) of a course.
fn trees(conn: &mut DbConn, course_id: &str) -> Result<(Course, Option<Course>), AppError> {
    Ok(drafts::published_and_draft(conn, course_id)?)
}

/// How many unpublished changes the course has.
fn change_count(conn: &mut DbConn, course_id: &str) -> Result<usize, AppError> {
    Ok(drafts::changes(conn, course_id)?.len())
}

/// A positive number from the query string, for a status message.
fn number(v: &Option<String>) -> Option<i32> {
    v.as_deref()
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|n| *n > 0)
}

#[derive(Deserialize)]
struct StatusQuery {
    opublikowano: Option<String>,
    przywrocono: Option<String>,
    jako: Option<String>,
}

#[derive(Serialize)]
struct ChangesPage {
    id: String,
    title: String,
    course_key: String,
    /// "Opublikowano jako wersję 7." after a publish.
    status: String,
    count: usize,
    sections: Vec<ChangeSection>,
}

async fn changes_page(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let (id, i18n, lang) = (row.id.clone(), state.i18n.clone(), signed.1.lang);
    // Comparing two trees of a large course is work for the blocking pool, not the async workers.
    let sections = state
        .db
        .run(move |conn| {
            let (published, draft) = trees(conn, &id)?;
            Ok::<_, AppError>(match &draft {
                Some(d) => describe(&i18n, lang, &published, d),
                None => Vec::new(),
            })
        })
        .await?;
    let count = sections
        .iter()
        .flat_map(|s| &s.groups)
        .map(|g| g.lines.len())
        .sum();
    let status = number(&query.opublikowano)
        .map(|n| {
            state.i18n.t(
                lang,
                "studio-publish-done",
                &[("number", Arg::Num(n as f64))],
            )
        })
        .unwrap_or_default();
    render(
        &state,
        &signed.1,
        "studio/changes.html",
        &ChangesPage {
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            status,
            count,
            sections,
        },
    )
}

// ---------------------------------------------------------------- publish

#[derive(Deserialize)]
struct PublishForm {
    #[serde(default)]
    zakres: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    wroc: String,
}

/// A path to return to after publishing: this course's Studio pages only (no open redirect).
fn safe_return(course_id: &str, wroc: &str) -> Option<String> {
    let base = format!("/studio/kursy/{course_id}");
    let rest = wroc.strip_prefix(&base)?;
    let well_formed = wroc.len() <= 512
        && (rest.is_empty() || rest.starts_with(['/', '?', '#']))
        && wroc.chars().all(|c| c.is_ascii_graphic())
        && !wroc.contains("//")
        && !wroc.contains('\\')
        && !wroc.to_ascii_lowercase().contains("%2e");
    let path = wroc.split(['?', '#']).next().unwrap_or_default();
    let dots = path.split('/').any(|s| s == "." || s == "..");
    (well_formed && !dots).then(|| wroc.to_string())
}

/// A section to publish instead, offered on the error page.
#[derive(Serialize)]
struct Offer {
    chapter_id: String,
    name: String,
}

#[derive(Serialize)]
struct ProblemPage {
    id: String,
    title: String,
    heading: String,
    errors: Vec<FieldError>,
    /// Publishing this section instead would work.
    offer: Option<Offer>,
    wroc: String,
    back: String,
}

/// The 422 page of a refused publish or rollback: what went wrong and what to do.
fn problem(
    state: &AppState,
    signed: &SignedIn,
    row: &CourseRow,
    heading_key: &str,
    message: String,
    offer: Option<Offer>,
    wroc: Option<String>,
) -> Result<HttpResponse, AppError> {
    let lang = signed.1.lang;
    let page = ProblemPage {
        id: row.id.clone(),
        title: row.title.clone(),
        heading: state.i18n.t(lang, heading_key, &[]),
        errors: vec![FieldError {
            field: "fix",
            message,
        }],
        offer,
        back: wroc
            .clone()
            .unwrap_or_else(|| format!("/studio/kursy/{}/zmiany", row.id)),
        wroc: wroc.unwrap_or_default(),
    };
    render_page(
        state,
        &signed.1,
        "studio/publish_error.html",
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// What a publish attempt came to.
enum Published {
    Version(i32),
    Nothing,
    NotFound,
    /// The unit's subsection or section is not published: (block, parent, parent's section).
    ParentMissing {
        block: (String, Option<String>),
        parent: (String, Option<String>),
        section: Option<(String, Option<String>)>,
    },
}

fn publish_in_db(
    conn: &mut DbConn,
    course_id: &str,
    scope: &Scope,
    user_id: &str,
) -> Result<Published, AppError> {
    match drafts::publish(conn, course_id, scope, Some(user_id)) {
        Ok(n) => Ok(Published::Version(n)),
        Err(DraftError::NothingToPublish) => Ok(Published::Nothing),
        Err(DraftError::Publish(PublishError::NotFound { .. })) => Ok(Published::NotFound),
        Err(DraftError::Publish(PublishError::ParentNotPublished {
            block_type,
            id,
            parent_type,
            parent_id,
        })) => {
            let (_, draft) = trees(conn, course_id)?;
            let draft = draft.ok_or(AppError::NotFound)?;
            let name = |t: &str, id: &str| {
                find_in_tree(&draft, t, id).and_then(|i| draft.blocks[i].display_name())
            };
            // The section holding the parent (the parent itself when it is a section).
            let mut section = None;
            let mut at = find_in_tree(&draft, &parent_type, &parent_id);
            while let Some(i) = at {
                if draft.blocks[i].block_type == "chapter" {
                    section = Some((draft.blocks[i].id.clone(), draft.blocks[i].display_name()));
                    break;
                }
                at = draft.blocks[i].parent;
            }
            Ok(Published::ParentMissing {
                block: (block_type.clone(), name(&block_type, &id)),
                parent: (parent_type.clone(), name(&parent_type, &parent_id)),
                section,
            })
        }
        Err(DraftError::NoCourse) => Err(AppError::NotFound),
        Err(e) => Err(AppError::internal(e)),
    }
}

async fn publish_post(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<PublishForm>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let lang = signed.1.lang;
    let t = |key: &str| state.i18n.t(lang, key, &[]);
    let wroc = match form.wroc.trim() {
        "" => None,
        w => match safe_return(&row.id, w) {
            Some(w) => Some(w),
            None => {
                return problem(
                    &state,
                    &signed,
                    &row,
                    "studio-publish-error-title",
                    t("studio-publish-error-return"),
                    None,
                    None,
                )
            }
        },
    };
    let id = form.id.trim().to_string();
    let scope = match (form.zakres.as_str(), id.is_empty() || id.len() > 255) {
        ("wszystko", _) => Some(Scope::All),
        ("sekcja", false) => Some(Scope::Section(id)),
        ("jednostka", false) => Some(Scope::Unit(id)),
        _ => None,
    };
    let Some(scope) = scope else {
        return problem(
            &state,
            &signed,
            &row,
            "studio-publish-error-title",
            t("studio-publish-error-scope"),
            None,
            wroc,
        );
    };
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    let outcome = state
        .db
        .run(move |conn| publish_in_db(conn, &cid, &scope, &uid))
        .await?;
    match outcome {
        Published::Version(n) => Ok(match wroc {
            Some(w) => see_other(&state, &w, Some("flash-published")),
            None => see_other(
                &state,
                &format!("/studio/kursy/{}/zmiany?opublikowano={n}", row.id),
                None,
            ),
        }),
        Published::Nothing => problem(
            &state,
            &signed,
            &row,
            "studio-publish-error-title",
            t("studio-publish-error-nothing"),
            None,
            wroc,
        ),
        Published::NotFound => problem(
            &state,
            &signed,
            &row,
            "studio-publish-error-title",
            t("studio-publish-error-not-found"),
            None,
            wroc,
        ),
        Published::ParentMissing {
            block,
            parent,
            section,
        } => {
            let i18n = &state.i18n;
            let key = match parent.0.as_str() {
                "sequential" => "studio-publish-error-parent-subsection",
                "chapter" => "studio-publish-error-parent-section",
                _ => "studio-publish-error-parent-other",
            };
            let no_name = || t("studio-publish-no-name");
            let section_name = section
                .as_ref()
                .and_then(|(_, n)| n.clone())
                .unwrap_or_else(no_name);
            let message = i18n.t(
                lang,
                key,
                &[
                    ("name", Arg::Str(block.1.clone().unwrap_or_else(no_name))),
                    (
                        "block",
                        Arg::Str(named(i18n, lang, &block.0, block.1.as_deref())),
                    ),
                    ("parent", Arg::Str(parent.1.clone().unwrap_or_else(no_name))),
                    (
                        "parent_named",
                        Arg::Str(named(i18n, lang, &parent.0, parent.1.as_deref())),
                    ),
                    ("section", Arg::Str(section_name.clone())),
                ],
            );
            let offer = section.map(|(chapter_id, _)| Offer {
                chapter_id,
                name: section_name,
            });
            problem(
                &state,
                &signed,
                &row,
                "studio-publish-error-title",
                message,
                offer,
                wroc,
            )
        }
    }
}

// ---------------------------------------------------------------- discard

#[derive(Serialize)]
struct DiscardPage {
    id: String,
    title: String,
    count: usize,
}

async fn discard_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let id = row.id.clone();
    let count = state.db.run(move |conn| change_count(conn, &id)).await?;
    render(
        &state,
        &signed.1,
        "studio/discard.html",
        &DiscardPage {
            id: row.id,
            title: row.title,
            count,
        },
    )
}

async fn discard(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let id = row.id.clone();
    let had = state
        .db
        .run(move |conn| {
            conn.transaction(|c| drafts::discard_draft(c, &id))
                .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/zmiany", row.id),
        Some(if had {
            "flash-draft-discarded"
        } else {
            "flash-draft-none"
        }),
    ))
}

// ---------------------------------------------------------------- versions and rollback

/// A published version as the history lists it.
#[derive(Serialize)]
struct VersionRow {
    number: i32,
    source: String,
    who: String,
    when: String,
    current: bool,
}

/// Where a version came from, in words (`rollback:3` → "Przywrócenie wersji 3").
fn source_words(i18n: &I18n, lang: Lang, source: &str) -> String {
    if let Some(n) = source
        .strip_prefix("rollback:")
        .and_then(|n| n.parse::<i32>().ok())
    {
        return i18n.t(
            lang,
            "studio-publish-source-rollback",
            &[("number", Arg::Num(n as f64))],
        );
    }
    let key = match source {
        "import" => "studio-publish-source-import",
        "publish" => "studio-publish-source-publish",
        "studio" => "studio-publish-source-studio",
        "grading" => "studio-publish-source-grading",
        "schedule" => "studio-publish-source-schedule",
        "about" => "studio-publish-source-about",
        "assets" => "studio-publish-source-assets",
        "settings" => "studio-publish-source-settings",
        other => {
            return i18n.t(
                lang,
                "studio-publish-source-other",
                &[("source", Arg::Str(other.to_string()))],
            )
        }
    };
    i18n.t(lang, key, &[])
}

/// A stored (UTC) time as Polish wall-clock time.
fn polish_time(lang: Lang, at: chrono::NaiveDateTime) -> String {
    use chrono::TimeZone;
    let local = chrono_tz::Europe::Warsaw.from_utc_datetime(&at);
    match lang {
        Lang::Pl => local.format("%d.%m.%Y, %H:%M").to_string(),
        _ => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The published versions, the names of who made them, and the current version's number.
struct History {
    list: Vec<drafts::VersionInfo>,
    names: HashMap<String, String>,
    current: i32,
}

impl History {
    /// The next version's number.
    fn next(&self) -> i32 {
        self.list.iter().map(|v| v.number).max().unwrap_or(0) + 1
    }

    fn rows(&self, i18n: &I18n, lang: Lang) -> Vec<VersionRow> {
        self.list
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                source: source_words(i18n, lang, &v.source),
                who: v
                    .created_by
                    .as_ref()
                    .and_then(|u| self.names.get(u).cloned())
                    .unwrap_or_else(|| i18n.t(lang, "studio-publish-who-unknown", &[])),
                when: polish_time(lang, v.created_at),
                current: v.number == self.current,
            })
            .collect()
    }
}

fn history(conn: &mut DbConn, row: &CourseRow) -> Result<History, AppError> {
    use platform::db::schema::users;
    let list = drafts::versions(conn, &row.id)?;
    let ids: Vec<&String> = list.iter().filter_map(|v| v.created_by.as_ref()).collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let current: i32 = match &row.current_version_id {
        Some(v) => store::course_versions::table
            .find(v)
            .select(store::course_versions::number)
            .first(conn)?,
        None => 0,
    };
    Ok(History {
        list,
        names,
        current,
    })
}

#[derive(Serialize)]
struct VersionsPage {
    id: String,
    title: String,
    course_key: String,
    status: String,
    versions: Vec<VersionRow>,
}

async fn versions_page(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let r = row.clone();
    let history = state.db.run(move |conn| history(conn, &r)).await?;
    let lang = signed.1.lang;
    let status = match (number(&query.przywrocono), number(&query.jako)) {
        (Some(from), Some(to)) => state.i18n.t(
            lang,
            "studio-publish-rolled-back",
            &[
                ("number", Arg::Num(from as f64)),
                ("new", Arg::Num(to as f64)),
            ],
        ),
        _ => String::new(),
    };
    render(
        &state,
        &signed.1,
        "studio/versions.html",
        &VersionsPage {
            versions: history.rows(&state.i18n, lang),
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            status,
        },
    )
}

#[derive(Serialize)]
struct RollbackPage {
    id: String,
    title: String,
    version: VersionRow,
    /// The number the restored copy will get.
    next: i32,
    count: usize,
}

async fn rollback_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, number) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let r = row.clone();
    let (history, count) = state
        .db
        .run(move |conn| {
            let history = history(conn, &r)?;
            let count = change_count(conn, &r.id)?;
            Ok::<_, AppError>((history, count))
        })
        .await?;
    let lang = signed.1.lang;
    let next = history.next();
    let Some(version) = history
        .rows(&state.i18n, lang)
        .into_iter()
        .find(|v| v.number == number)
    else {
        return Err(AppError::NotFound);
    };
    if version.current {
        return problem(
            &state,
            &signed,
            &row,
            "studio-publish-rollback-error-title",
            state.i18n.t(lang, "studio-publish-rollback-current", &[]),
            None,
            Some(format!("/studio/kursy/{}/wersje", row.id)),
        );
    }
    render(
        &state,
        &signed.1,
        "studio/rollback.html",
        &RollbackPage {
            id: row.id,
            title: row.title,
            version,
            next,
            count,
        },
    )
}

async fn rollback_post(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, number) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    let current = row.current_version_id.clone();
    let result = state
        .db
        .run(move |conn| {
            // Restoring the current version would only copy it.
            let now: Option<i32> = match &current {
                Some(v) => store::course_versions::table
                    .find(v)
                    .select(store::course_versions::number)
                    .first(conn)
                    .optional()?,
                None => None,
            };
            if now == Some(number) {
                return Ok(None);
            }
            match drafts::rollback(conn, &cid, number, Some(&uid)) {
                Ok(n) => Ok(Some(n)),
                Err(DraftError::NoVersion(_) | DraftError::NoCourse) => Err(AppError::NotFound),
                Err(e) => Err(AppError::internal(e)),
            }
        })
        .await?;
    match result {
        Some(n) => Ok(see_other(
            &state,
            &format!(
                "/studio/kursy/{}/wersje?przywrocono={number}&jako={n}",
                row.id
            ),
            None,
        )),
        None => problem(
            &state,
            &signed,
            &row,
            "studio-publish-rollback-error-title",
            state
                .i18n
                .t(signed.1.lang, "studio-publish-rollback-current", &[]),
            None,
            Some(format!("/studio/kursy/{}/wersje", row.id)),
        ),
    }
}

// ---------------------------------------------------------------- import over a course

#[derive(Serialize)]
struct ImportOverPage {
    id: String,
    title: String,
    course_key: String,
    count: usize,
    /// The author ticked "unpublished changes will be lost" (kept when the form comes back).
    confirmed: bool,
    errors: Vec<FieldError>,
    max_gib: u64,
}

async fn import_page(
    state: &AppState,
    signed: &SignedIn,
    row: CourseRow,
    (errors, confirmed): (Vec<FieldError>, bool),
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let id = row.id.clone();
    let count = state.db.run(move |conn| change_count(conn, &id)).await?;
    render_page(
        state,
        &signed.1,
        "studio/import_over.html",
        &ImportOverPage {
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            count,
            confirmed,
            errors,
            max_gib: MAX_UPLOAD >> 30,
        },
        status,
    )
}

async fn import_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    import_page(&state, &signed, row, (vec![], false), StatusCode::OK).await
}

/// The import-over form as received: the file streamed to disk, and the confirmation.
struct OverUpload {
    file: Option<tempfile::TempPath>,
    too_large: bool,
    confirmed: bool,
}

async fn receive_over(state: &AppState, mut payload: Multipart) -> Result<OverUpload, AppError> {
    let mut up = OverUpload {
        file: None,
        too_large: false,
        confirmed: false,
    };
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "potwierdzam" => {
                up.confirmed =
                    crate::web::read_text_field(&mut field, "potwierdzam", 20).await? == "yes";
            }
            "file" => {
                match crate::web::receive_file(state, &mut field, crate::web::MAX_UPLOAD).await? {
                    Received::File(path) => up.file = Some(path),
                    Received::Empty(_) => {}
                    Received::TooLarge => {
                        up.too_large = true;
                        return Ok(up);
                    }
                }
            }
            _ => crate::web::drain_field(&mut field).await?,
        }
    }
    Ok(up)
}

/// Imports an uploaded export as the next published version of this course (see
/// `crate::import::import_over`: an archive of another course is re-keyed to this one).
async fn import_post(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let up = receive_over(&state, payload).await?;
    let lang = signed.1.lang;
    let refuse = |field: &'static str, key: &str| {
        let r = Refusal::message(field, key);
        (
            r.status,
            vec![FieldError {
                field,
                message: r.text(&state, lang),
            }],
        )
    };
    let refused = if up.too_large {
        Some(refuse("file", "studio-error-too-large"))
    } else if up.file.is_none() {
        Some(refuse("file", "studio-error-no-file"))
    } else {
        None
    };
    if let Some((status, errors)) = refused {
        return import_page(&state, &signed, row, (errors, up.confirmed), status).await;
    }
    if !up.confirmed {
        let id = row.id.clone();
        let count = state.db.run(move |conn| change_count(conn, &id)).await?;
        if count > 0 {
            let (status, errors) = refuse("potwierdzam", "studio-publish-import-confirm-error");
            return import_page(&state, &signed, row, (errors, false), status).await;
        }
    }
    let confirmed = up.confirmed;
    let file = up.file.expect("checked above");
    let db = state.db.clone();
    let blobs = BlobStore::new(&state.config.data_dir);
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    let result = web::block(move || {
        let r = crate::import::import_over(&db, &blobs, &file, &cid, Some(&uid));
        drop(file);
        r
    })
    .await
    .map_err(AppError::internal)?;
    match result {
        Ok((report, rekeyed)) => Ok(see_other(
            &state,
            &format!("/studio/kursy/{}", report.course_id),
            Some(if rekeyed.is_some() {
                "flash-course-imported-rekeyed"
            } else {
                "flash-course-imported-over"
            }),
        )),
        Err(e) => {
            let r = Refusal::of_import(e)?;
            let errors = vec![FieldError {
                field: r.field,
                message: r.text(&state, lang),
            }];
            import_page(&state, &signed, row, (errors, confirmed), r.status).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_only_to_this_course() {
        let ok = |w: &str| safe_return("abc", w).is_some();
        assert!(ok("/studio/kursy/abc"));
        assert!(ok("/studio/kursy/abc/zmiany"));
        assert!(ok("/studio/kursy/abc/jednostki/u1?tab=2#top"));
        assert!(!ok("/studio/kursy/abcd/zmiany"));
        assert!(!ok("/studio/kursy/other"));
        assert!(!ok("https://evil.example/studio/kursy/abc"));
        assert!(!ok("//evil.example/studio/kursy/abc"));
        assert!(!ok("/studio/kursy/abc//evil.example"));
        assert!(!ok("/studio/kursy/abc/../../../wyloguj"));
        assert!(!ok("/studio/kursy/abc/%2E%2E/x"));
        assert!(!ok("/studio/kursy/abc/\\evil"));
        assert!(!ok("/studio/kursy/abc/ x"));
        assert!(!ok("/studio/kursy/abc\r\nSet-Cookie: a=b"));
    }

    #[test]
    fn start_tags_end_after_quoted_brackets() {
        let xml = r#"<problem display_name="a > b">body</problem>"#;
        assert_eq!(&xml[start_tag_end(xml)..], "body</problem>");
        assert_eq!(start_tag_end("<html/>"), 7);
    }
}
