//! Components inside units (issue 6, item 3): the unit page of the draft (its components in
//! order, with edit, keyboard reordering, duplicate and delete), adding a component, and the
//! editors by type: HTML ([`html`]), problems in Open edX's markdown syntax or as OLX
//! ([`problem`]), video ([`video`]), poll and survey ([`poll`]).
//!
//! Every change is a draft edit (`drafts::edit`, one transaction), so learners see nothing
//! until the unit is published. Files (images, transcripts) are course assets, which Open edX
//! does not draft: they go through `store::change_current`, under names no published content
//! uses yet. The learner preview of a unit lives in the `lms` crate (it owns the renderer) and
//! uses [`authorised_draft`].

mod html;
mod poll;
mod problem;
mod video;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use platform::web::render::{render, see_other};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use xblock_compat::olx::{edit, Course};

use crate::drafts::{self, EditFailed};
use crate::store;
use crate::web::course_row;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/studio/kursy/{course_id}/jednostka/{unit_id}",
        web::get().to(unit_page),
    )
    .route(
        "/studio/kursy/{course_id}/jednostka/{unit_id}/dodaj",
        web::post().to(add),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/komponent/{block_type}/{block_id}")
            .route(web::get().to(editor))
            .route(web::post().to(save)),
    )
    .route(
        "/studio/kursy/{course_id}/komponent/{block_type}/{block_id}/przesun",
        web::post().to(move_component),
    )
    .route(
        "/studio/kursy/{course_id}/komponent/{block_type}/{block_id}/duplikuj",
        web::post().to(duplicate),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/komponent/{block_type}/{block_id}/usun")
            .route(web::get().to(delete_confirm))
            .route(web::post().to(delete)),
    )
    .route(
        "/studio/kursy/{course_id}/komponent/html/{block_id}/obraz",
        web::post().to(html::upload_image),
    )
    .route(
        "/studio/kursy/{course_id}/komponent/video/{block_id}/transkrypcja",
        web::post().to(video::upload_transcript),
    )
    .route(
        "/studio/kursy/{course_id}/komponent/video/{block_id}/transkrypcja/usun",
        web::post().to(video::remove_transcript),
    );
}

// ---------------------------------------------------------------------------------------------
// Shared: the draft, the component named in the URL, edits
// ---------------------------------------------------------------------------------------------

/// The course named in the URL and its working copy (the draft, or the published version when
/// there is none; nothing is written),
/// for a person who may author it: 404 when unknown, 403 when not allowed. The learner preview
/// (in `lms`) starts with this, so Studio and the preview share one access rule.
pub async fn authorised_draft(
    state: &AppState,
    signed: &SignedIn,
    course_id: String,
) -> Result<(store::CourseRow, Course), AppError> {
    let row = course_row(state, signed, course_id).await?;
    let cid = row.id.clone();
    let course = state
        .db
        .run(move |conn| drafts::working_copy(conn, &cid).map_err(AppError::from))
        .await?;
    Ok((row, course))
}

/// Applies `f` to the draft in one transaction (`drafts::edit`); `Ok(Err(e))` when `f`
/// refused (nothing stored).
async fn edit_draft<T, E, F>(
    state: &AppState,
    signed: &SignedIn,
    course_id: &str,
    f: F,
) -> Result<Result<T, E>, AppError>
where
    F: FnOnce(&mut Course) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let (cid, uid) = (course_id.to_string(), signed.0.user.id.clone());
    state
        .db
        .run(move |conn| match drafts::edit(conn, &cid, Some(&uid), f) {
            Ok(t) => Ok(Ok(t)),
            Err(EditFailed::Edit(e)) => Ok(Err(e)),
            Err(EditFailed::Draft(d)) => Err(d.into()),
        })
        .await
}

/// Why an edit of one component did not happen.
#[derive(Debug)]
enum Refused {
    /// The component (or unit) is no longer in the draft.
    Gone,
    /// The form's content is invalid: field and message (translated or the parser's own).
    Invalid(&'static str, String),
}

impl From<edit::EditError> for Refused {
    fn from(_: edit::EditError) -> Self {
        Refused::Gone
    }
}

/// Runs `f` on the component `(block_type, block_id)` of the draft, if it is still in a unit.
async fn edit_component<T, F>(
    state: &AppState,
    signed: &SignedIn,
    course_id: &str,
    block_type: &str,
    block_id: &str,
    f: F,
) -> Result<Result<T, Refused>, AppError>
where
    F: FnOnce(&mut Course, usize) -> Result<T, Refused> + Send + 'static,
    T: Send + 'static,
{
    let (t, id) = (block_type.to_string(), block_id.to_string());
    edit_draft(state, signed, course_id, move |course: &mut Course| {
        let idx = component_index(course, &t, &id).ok_or(Refused::Gone)?;
        f(course, idx)
    })
    .await
}

/// A component of a unit in the draft's tree.
fn component_index(course: &Course, block_type: &str, block_id: &str) -> Option<usize> {
    let idx = edit::find_in_tree(course, block_type, block_id)?;
    let parent = course.blocks[idx].parent?;
    (course.blocks[parent].block_type == "vertical").then_some(idx)
}

/// The draft and the component the URL names (404 when it is not a component of a unit).
struct Located {
    row: store::CourseRow,
    course: Course,
    idx: usize,
    unit: usize,
}

impl Located {
    fn block(&self) -> &xblock_compat::olx::Block {
        &self.course.blocks[self.idx]
    }

    fn unit_id(&self) -> &str {
        &self.course.blocks[self.unit].id
    }

    fn unit_href(&self) -> String {
        unit_href(&self.row.id, self.unit_id())
    }

    /// What every editor page shows around its form.
    fn frame(&self, lang: platform::i18n::Lang, state: &AppState) -> EditorFrame {
        let b = self.block();
        EditorFrame {
            id: self.row.id.clone(),
            title: self.row.title.clone(),
            course_key: self.row.course_key.clone(),
            unit_id: self.unit_id().to_string(),
            unit_name: name_of(&self.course, self.unit, lang, state),
            unit_href: self.unit_href(),
            block_type: b.block_type.clone(),
            block_id: b.id.clone(),
            action: editor_href(&self.row.id, &b.block_type, &b.id),
        }
    }
}

async fn locate(
    state: &AppState,
    signed: &SignedIn,
    course_id: String,
    block_type: &str,
    block_id: &str,
) -> Result<Located, AppError> {
    let (row, course) = authorised_draft(state, signed, course_id).await?;
    let idx = component_index(&course, block_type, block_id).ok_or(AppError::NotFound)?;
    let unit = course.blocks[idx].parent.ok_or(AppError::NotFound)?;
    Ok(Located {
        row,
        course,
        idx,
        unit,
    })
}

/// The heading and links every editor page shares.
#[derive(Serialize)]
struct EditorFrame {
    id: String,
    title: String,
    course_key: String,
    unit_id: String,
    unit_name: String,
    unit_href: String,
    block_type: String,
    block_id: String,
    /// Where the editor form posts.
    action: String,
}

/// Percent-encodes one path segment (block ids of imported courses may hold `:` and more).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn unit_href(course_id: &str, unit_id: &str) -> String {
    format!(
        "/studio/kursy/{course_id}/jednostka/{}",
        encode_segment(unit_id)
    )
}

fn editor_href(course_id: &str, block_type: &str, block_id: &str) -> String {
    format!(
        "/studio/kursy/{course_id}/komponent/{}/{}",
        encode_segment(block_type),
        encode_segment(block_id)
    )
}

/// A block's display name, or the default name of its type.
fn name_of(course: &Course, idx: usize, lang: platform::i18n::Lang, state: &AppState) -> String {
    let b = &course.blocks[idx];
    b.display_name()
        .or_else(|| {
            (b.block_type == "survey")
                .then(|| b.field("block_name"))
                .flatten()
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| {
            default_name(&b.block_type, problem::is_markdown(b))
                .map(|k| state.i18n.t(lang, k, &[]))
                .unwrap_or_else(|| b.block_type.clone())
        })
}

/// The Fluent id of a new component's name.
fn default_name(block_type: &str, markdown: bool) -> Option<&'static str> {
    Some(match block_type {
        "html" => "studio-comp-default-html",
        "problem" if markdown => "studio-comp-default-problem",
        "problem" => "studio-comp-default-problem-olx",
        "video" => "studio-comp-default-video",
        "poll" => "studio-comp-default-poll",
        "survey" => "studio-comp-default-survey",
        "vertical" => "studio-comp-default-unit",
        _ => return None,
    })
}

/// A new block id, as Open edX makes them (32 hex digits).
fn new_block_id() -> String {
    platform::models::new_id().replace('-', "")
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

// ---------------------------------------------------------------------------------------------
// Uploads (images, transcripts)
// ---------------------------------------------------------------------------------------------

/// A multipart form: its short text fields and one file (`file`), saved to a scratch file as it
/// streams in.
struct Upload {
    fields: Vec<(String, String)>,
    /// The scratch file and the name the browser sent.
    file: Option<(tempfile::TempPath, String)>,
    too_large: bool,
}

impl Upload {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }
}

/// Where a blob's bytes are.
enum BlobSource {
    File(tempfile::TempPath),
    Bytes(Vec<u8>),
}

/// Reads a multipart form: the text fields named in `texts` (with their length limits; longer
/// is a 400), the `file` up to `max_file` bytes (more: `too_large`, and the rest is not read).
async fn receive_upload(
    state: &AppState,
    mut payload: actix_multipart::Multipart,
    texts: &[(&str, usize)],
    max_file: u64,
) -> Result<Upload, AppError> {
    use crate::web::Received;
    use futures_util::StreamExt;
    let mut up = Upload {
        fields: Vec::new(),
        file: None,
        too_large: false,
    };
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let sent = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .unwrap_or_default()
                .to_string();
            match crate::web::receive_file(state, &mut field, max_file).await? {
                Received::File(path) => up.file = Some((path, sent)),
                Received::Empty(_) => {}
                Received::TooLarge => {
                    up.too_large = true;
                    // Dropping the payload ends the request; the scratch file goes too.
                    return Ok(up);
                }
            }
            continue;
        }
        match texts.iter().find(|(n, _)| *n == name) {
            Some(&(_, limit)) => {
                let v = crate::web::read_text_field(&mut field, &name, limit).await?;
                up.fields.push((name, v));
            }
            None => crate::web::drain_field(&mut field).await?,
        }
    }
    Ok(up)
}

/// The first bytes of a file (to recognise its type).
fn head(path: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut buf = vec![0u8; 16];
    let n = std::fs::File::open(path).ok()?.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

// ---------------------------------------------------------------------------------------------
// The unit page
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct ComponentRow {
    block_type: String,
    id: String,
    name: String,
    /// Problems written in the markdown editor (to tell them from OLX ones).
    markdown: bool,
    position: usize,
    editable: bool,
    edit_href: String,
    first: bool,
    last: bool,
    /// The component just moved (the page puts focus back on its button).
    moved: bool,
}

#[derive(Serialize)]
struct UnitPage {
    id: String,
    title: String,
    course_key: String,
    unit_id: String,
    unit_name: String,
    count: usize,
    components: Vec<ComponentRow>,
    /// The direction of the last move (`gora`/`dol`), for focus.
    moved_direction: String,
    preview_href: String,
}

#[derive(serde::Deserialize)]
struct UnitQuery {
    #[serde(default)]
    przesuniety: String,
    #[serde(default)]
    kierunek: String,
}

fn editable(block_type: &str) -> bool {
    matches!(block_type, "html" | "problem" | "video" | "poll" | "survey")
}

async fn unit_page(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    query: web::Query<UnitQuery>,
) -> Result<HttpResponse, AppError> {
    let (course_id, unit_id) = path.into_inner();
    let (row, course) = authorised_draft(&state, &signed, course_id).await?;
    let unit = edit::find_in_tree(&course, "vertical", &unit_id).ok_or(AppError::NotFound)?;
    let lang = signed.1.lang;
    let kids = &course.blocks[unit].children;
    let count = kids.len();
    let components = kids
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let b = &course.blocks[c];
            ComponentRow {
                block_type: b.block_type.clone(),
                id: b.id.clone(),
                name: name_of(&course, c, lang, &state),
                markdown: problem::is_markdown(b),
                position: i + 1,
                editable: editable(&b.block_type),
                edit_href: editor_href(&row.id, &b.block_type, &b.id),
                first: i == 0,
                last: i + 1 == count,
                moved: !query.przesuniety.is_empty() && query.przesuniety == b.id,
            }
        })
        .collect();
    let page = UnitPage {
        preview_href: format!(
            "/studio/kursy/{}/podglad/{}",
            row.id,
            encode_segment(&unit_id)
        ),
        id: row.id,
        title: row.title,
        course_key: row.course_key,
        unit_name: name_of(&course, unit, lang, &state),
        unit_id,
        count,
        components,
        moved_direction: if query.kierunek == "dol" {
            "dol"
        } else {
            "gora"
        }
        .to_string(),
    };
    render(&state, &signed.1, "studio/unit.html", &page)
}

#[derive(serde::Deserialize)]
struct AddForm {
    #[serde(default)]
    typ: String,
}

/// Adds a component at the end of the unit and opens its editor.
async fn add(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, AppError> {
    let (course_id, unit_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let lang = signed.1.lang;
    let id = new_block_id();
    let block = match form.typ.as_str() {
        "html" => html::new_block(&id, &state.i18n.t(lang, "studio-comp-default-html", &[])),
        "problem" => problem::new_markdown_block(
            &id,
            &state.i18n.t(lang, "studio-comp-default-problem", &[]),
        ),
        "problem_olx" => problem::new_olx_block(
            &id,
            &state.i18n.t(lang, "studio-comp-default-problem-olx", &[]),
        ),
        "video" => video::new_block(&id, &state.i18n.t(lang, "studio-comp-default-video", &[])),
        "poll" => poll::new_poll(&id, &state, lang),
        "survey" => poll::new_survey(&id, &state, lang),
        _ => return Err(AppError::BadRequest("unknown component type".into())),
    };
    let block_type = block.block_type.clone();
    let uid = unit_id.clone();
    let added = edit_draft(&state, &signed, &row.id, move |course: &mut Course| {
        let unit = edit::find_in_tree(course, "vertical", &uid).ok_or(Refused::Gone)?;
        edit::insert_child(course, unit, None, block)?;
        Ok::<_, Refused>(())
    })
    .await?;
    if added.is_err() {
        return Err(AppError::NotFound);
    }
    let mut to = editor_href(&row.id, &block_type, &id);
    if form.typ == "problem_olx" {
        to.push_str("?tryb=olx");
    }
    Ok(see_other(&state, &to, Some("flash-comp-added")))
}

#[derive(serde::Deserialize)]
struct MoveForm {
    #[serde(default)]
    kierunek: String,
}

#[derive(Serialize)]
struct Moved {
    moved: bool,
    position: usize,
    count: usize,
    message: String,
}

/// Moves a component one place up or down within its unit. At the unit's edge nothing moves
/// (moving into the neighbouring unit is the outline's job). With `Accept: application/json`
/// (the page's script) the answer says where it is now, for the live region.
async fn move_component(
    state: web::Data<AppState>,
    signed: SignedIn,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let up = match form.kierunek.as_str() {
        "gora" => true,
        "dol" => false,
        _ => return Err(AppError::BadRequest("kierunek: gora or dol".into())),
    };
    let lang = signed.1.lang;
    let st = state.clone();
    let result = edit_component(
        &state,
        &signed,
        &row.id,
        &block_type,
        &block_id,
        move |course, idx| {
            let unit = course.blocks[idx].parent.ok_or(Refused::Gone)?;
            let kids = &course.blocks[unit].children;
            let pos = kids.iter().position(|&c| c == idx).ok_or(Refused::Gone)?;
            let at_edge = if up { pos == 0 } else { pos + 1 == kids.len() };
            let moved = !at_edge && edit::shift(course, idx, up)?;
            let kids = &course.blocks[unit].children;
            let now = kids.iter().position(|&c| c == idx).unwrap_or(pos);
            Ok((
                moved,
                now + 1,
                kids.len(),
                course.blocks[unit].id.clone(),
                name_of(course, idx, lang, &st),
            ))
        },
    )
    .await?;
    let Ok((moved, position, count, unit_id, name)) = result else {
        return Err(AppError::NotFound);
    };
    if wants_json(&req) {
        let (pos, cnt) = (position.to_string(), count.to_string());
        let args = [
            ("name", platform::i18n::Arg::Str(name)),
            ("position", platform::i18n::Arg::Str(pos)),
            ("count", platform::i18n::Arg::Str(cnt)),
        ];
        let key = match (moved, up) {
            (true, _) => "studio-comp-moved",
            (false, true) => "studio-comp-move-first",
            (false, false) => "studio-comp-move-last",
        };
        return Ok(HttpResponse::Ok().json(Moved {
            moved,
            position,
            count,
            message: state.i18n.t(lang, key, &args),
        }));
    }
    Ok(see_other(
        &state,
        &format!(
            "{}?przesuniety={}&kierunek={}#komponent-{}",
            unit_href(&row.id, &unit_id),
            encode_segment(&block_id),
            if up { "gora" } else { "dol" },
            encode_segment(&block_id)
        ),
        Some(if moved {
            "flash-comp-moved"
        } else {
            "flash-comp-not-moved"
        }),
    ))
}

/// A copy of the component (new id) right after it, as Open edX's "Duplicate".
async fn duplicate(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let result = edit_component(
        &state,
        &signed,
        &row.id,
        &block_type,
        &block_id,
        |course, idx| {
            let copy = edit::duplicate(course, idx, &mut new_block_id)?;
            let unit = course.blocks[idx].parent.ok_or(Refused::Gone)?;
            Ok((
                course.blocks[unit].id.clone(),
                course.blocks[copy].id.clone(),
            ))
        },
    )
    .await?;
    let Ok((unit_id, copy)) = result else {
        return Err(AppError::NotFound);
    };
    Ok(see_other(
        &state,
        &format!(
            "{}#komponent-{}",
            unit_href(&row.id, &unit_id),
            encode_segment(&copy)
        ),
        Some("flash-comp-duplicated"),
    ))
}

#[derive(Serialize)]
struct DeletePage {
    #[serde(flatten)]
    frame: EditorFrame,
    name: String,
}

async fn delete_confirm(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let at = locate(&state, &signed, course_id, &block_type, &block_id).await?;
    let page = DeletePage {
        frame: at.frame(signed.1.lang, &state),
        name: name_of(&at.course, at.idx, signed.1.lang, &state),
    };
    render(&state, &signed.1, "studio/component_delete.html", &page)
}

/// Removes the component from the draft (the published course keeps it until the unit is
/// published).
async fn delete(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let row = course_row(&state, &signed, course_id).await?;
    let result = edit_component(
        &state,
        &signed,
        &row.id,
        &block_type,
        &block_id,
        |course, idx| {
            let unit = course.blocks[idx].parent.ok_or(Refused::Gone)?;
            edit::remove(course, idx)?;
            Ok(course.blocks[unit].id.clone())
        },
    )
    .await?;
    let Ok(unit_id) = result else {
        return Err(AppError::NotFound);
    };
    Ok(see_other(
        &state,
        &unit_href(&row.id, &unit_id),
        Some("flash-comp-deleted"),
    ))
}

// ---------------------------------------------------------------------------------------------
// Editors by type
// ---------------------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct EditorQuery {
    #[serde(default)]
    tryb: String,
    /// Names of what sanitising removed on the last save (HTML editor).
    #[serde(default)]
    usunieto: String,
}

async fn editor(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
    query: web::Query<EditorQuery>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let at = locate(&state, &signed, course_id, &block_type, &block_id).await?;
    match block_type.as_str() {
        "html" => html::form(&state, &signed, &at, &query.usunieto),
        "problem" => problem::form(&state, &signed, &at, &query.tryb),
        "video" => video::form(&state, &signed, &at),
        "poll" | "survey" => poll::form(&state, &signed, &at),
        _ => Err(AppError::NotFound),
    }
}

async fn save(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_type, block_id) = path.into_inner();
    let at = locate(&state, &signed, course_id, &block_type, &block_id).await?;
    let form = Fields(form.into_inner());
    match block_type.as_str() {
        "html" => html::save(&state, &signed, at, &form).await,
        "problem" => problem::save(&state, &signed, at, &form).await,
        "video" => video::save(&state, &signed, at, &form).await,
        "poll" | "survey" => poll::save(&state, &signed, at, &form).await,
        _ => Err(AppError::NotFound),
    }
}

/// A posted form as name → value pairs (editors have repeated and numbered fields).
struct Fields(Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// A display name from a form: one line, trimmed, at most 255 characters.
fn clean_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(255)
        .collect()
}

/// Saves done: back to the unit with a flash.
fn saved(state: &AppState, at: &Located) -> HttpResponse {
    see_other(
        state,
        &format!(
            "{}#komponent-{}",
            at.unit_href(),
            encode_segment(&at.block().id)
        ),
        Some("flash-comp-saved"),
    )
}

/// `edit_component`'s answer for a save: `None` when stored, or the field error to show.
fn refused_field(r: Result<(), Refused>) -> Result<Option<(&'static str, String)>, AppError> {
    match r {
        Ok(()) => Ok(None),
        Err(Refused::Gone) => Err(AppError::NotFound),
        Err(Refused::Invalid(f, m)) => Ok(Some((f, m))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("abc_12-x.y"), "abc_12-x.y");
        assert_eq!(encode_segment("a:b/c d"), "a%3Ab%2Fc%20d");
    }

    #[test]
    fn names_are_one_line() {
        assert_eq!(clean_name("  Pytanie\n 1  "), "Pytanie 1");
        assert_eq!(clean_name(&"x".repeat(300)).len(), 255);
    }
}
