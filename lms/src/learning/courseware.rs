//! Courseware: the outline, unit pages with sequence navigation, resume, completion, and the
//! course's files (assets, transcripts, sandboxed author HTML).

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use platform::i18n::Lang;
use platform::storage::BlobStore;
use platform::web::render::render;
use platform::web::{AppError, AppState, Ctx};
use serde::Serialize;
use xblock_compat::courseware::{structure, video};
use xblock_compat::olx::Block;

use super::access::{self, Access};
use super::cache::{CourseCache, LoadedCourse};
use super::catalog::{access_for, course_or_404};
use super::db::{self, block_key, BlockState, Progress};
use super::learner::Learner;
use super::render::{
    author_html, encode_path, escape, human_date, needs_frame, parse_date, rewrite_links, t,
};
use super::{events, exams, polls, problems};

/// Routes under `/kursy/{key}`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/nauka/{unit}", web::get().to(unit))
        .route("/nauka", web::get().to(outline))
        .route("/static/{path:.*}", web::get().to(asset))
        .route("/blok/{id}", web::get().to(html_frame))
        .route("/transkrypcja/{id}/{file}", web::get().to(transcript))
        .route("/jump_to_id/{id}", web::get().to(jump_to_id))
        .route("/jump_to/{id}", web::get().to(jump_to_id));
}

/// CSP of courseware pages: the portal's, plus media and images from other hosts (courses link
/// videos and pictures on CDNs) and frames of our own sandboxed author HTML.
pub const COURSEWARE_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; \
font-src 'self'; connect-src 'self'; media-src 'self' https:; frame-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// CSP of a sandboxed author HTML frame: its scripts run, in an opaque origin (no cookies, no
/// portal DOM, no same-origin requests), and only our pages may frame it.
pub const FRAME_CSP: &str = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox; \
default-src 'self' https: data:; script-src 'self' 'unsafe-inline' https:; \
style-src 'self' 'unsafe-inline' https:; img-src 'self' https: data:; media-src 'self' https:; \
frame-src https:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// The learner for courseware, or the response to send instead (about page, sign-in, 403).
pub async fn require_learner(
    state: &AppState,
    ctx: &platform::web::context::RequestContext,
    req: &HttpRequest,
    course: &LoadedCourse,
) -> Result<Result<(Learner, bool), HttpResponse>, AppError> {
    match access_for(state, ctx, req, course).await? {
        Access::Learn { learner, staff } => Ok(Ok((learner, staff))),
        Access::StartAnonymously | Access::Enroll => Ok(Err(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/kursy/{}", course.key())))
            .finish())),
        Access::SignIn => Err(AppError::SignInRequired(req.path().to_string())),
        Access::Forbidden => Err(AppError::Forbidden),
    }
}

#[derive(Serialize)]
struct UnitLink {
    id: String,
    title: String,
    href: String,
    completed: bool,
    current: bool,
}

#[derive(Serialize)]
struct SequentialView {
    id: String,
    title: String,
    format: Option<String>,
    graded: bool,
    due: Option<String>,
    completed: bool,
    units: Vec<UnitLink>,
    /// Minutes, for a timed subsection.
    time_limit: Option<i64>,
    /// The results page, for graded or timed subsections.
    results: Option<String>,
}

#[derive(Serialize)]
struct ChapterView {
    id: String,
    title: String,
    completed: bool,
    sequentials: Vec<SequentialView>,
}

#[derive(Serialize)]
struct OutlinePage {
    key: String,
    title: String,
    organisation: Option<String>,
    chapters: Vec<ChapterView>,
    resume: Option<String>,
    first_unit: Option<String>,
    anonymous: bool,
    percent: Option<f64>,
    completed_units: usize,
    total_units: usize,
    /// The course has points and a leaderboard (a tab in the course navigation).
    gamification: bool,
}

/// Leaf blocks a learner sees in a unit (containers resolved for this learner). A conditional
/// whose condition fails is kept as a leaf, so its message is shown.
pub fn visible_leaves(
    course: &LoadedCourse,
    idx: usize,
    learner: &str,
    progress: &Progress,
    out: &mut Vec<usize>,
) {
    let b = course.block(idx);
    if b.is_container() {
        let children = visible_children(course, idx, learner, progress);
        if b.block_type == "conditional" && children.is_empty() {
            out.push(idx);
        }
        for c in children {
            visible_leaves(course, c, learner, progress, out);
        }
    } else {
        out.push(idx);
    }
}

/// Children of a container as this learner sees them: library_content picks `max_count`
/// per learner, split_test one group, conditional its children once satisfied.
pub fn visible_children(
    course: &LoadedCourse,
    idx: usize,
    learner: &str,
    progress: &Progress,
) -> Vec<usize> {
    let b = course.block(idx);
    if matches!(b.block_type.as_str(), "library_content" | "itembank") {
        if let Some(stored) = progress.selections.get(&b.id) {
            let ids: Vec<&str> = b
                .children
                .iter()
                .map(|&c| course.block(c).id.as_str())
                .collect();
            let stored: Vec<&str> = stored.iter().map(String::as_str).collect();
            return structure::reconcile_selection(
                &stored,
                &ids,
                structure::library_max_count(b),
                learner,
                &b.id,
            )
            .into_iter()
            .map(|i| b.children[i])
            .collect();
        }
    }
    let source_state = |loc: &str| source_state(course, progress, loc);
    structure::visible_children(
        &course.course,
        idx,
        &structure::Viewer {
            learner_key: learner,
            is_staff: false,
            source_state: &source_state,
        },
    )
}

/// Library picks shown in this unit that are not stored yet: (block id, picked child ids).
fn new_library_picks(
    course: &LoadedCourse,
    idx: usize,
    learner: &str,
    progress: &Progress,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let b = course.block(idx);
    if matches!(b.block_type.as_str(), "library_content" | "itembank")
        && !progress.selections.contains_key(&b.id)
    {
        let picked = visible_children(course, idx, learner, progress)
            .into_iter()
            .map(|c| course.block(c).id.clone())
            .collect();
        out.push((b.id.clone(), picked));
    }
    for &c in &b.children {
        if course.block(c).is_container() {
            out.extend(new_library_picks(course, c, learner, progress));
        }
    }
    out
}

/// What a conditional's source has done, from the learner's progress.
fn source_state(
    course: &LoadedCourse,
    progress: &Progress,
    location: &str,
) -> Option<structure::SourceState> {
    let id = location.rsplit(['@', '/']).next().unwrap_or(location);
    let idx = course.find_any(id)?;
    let b = course.block(idx);
    let s = progress.blocks.get(&block_key(&b.block_type, &b.id));
    match b.block_type.as_str() {
        "problem" => Some(structure::SourceState::Problem {
            submitted: s.is_some_and(|s| s.attempts > 0),
            attempted: s.is_some_and(|s| s.attempts > 0),
            correct: s.is_some_and(|s| {
                s.earned
                    .zip(s.possible)
                    .is_some_and(|(e, p)| p > 0.0 && e >= p)
            }),
        }),
        _ => Some(structure::SourceState::Other),
    }
}

/// A unit counts as complete when every completable leaf in it is.
pub fn unit_completed(
    course: &LoadedCourse,
    unit: usize,
    learner: &str,
    progress: &Progress,
) -> bool {
    let mut leaves = Vec::new();
    visible_leaves(course, unit, learner, progress, &mut leaves);
    leaves
        .iter()
        .filter(|&&l| completable(course.block(l)))
        .all(|&l| {
            let b = course.block(l);
            progress.completed(&block_key(&b.block_type, &b.id))
        })
}

/// A course counts as complete when every unit does (as the learner sees them: their library
/// picks and experiment groups).
pub fn course_completed(course: &LoadedCourse, learner: &str, progress: &Progress) -> bool {
    !course.units.is_empty()
        && course
            .units
            .iter()
            .all(|u| unit_completed(course, u.idx, learner, progress))
}

/// Blocks that track completion (Open edX excludes e.g. discussion from completion).
fn completable(b: &Block) -> bool {
    !matches!(b.block_type.as_str(), "discussion")
}

fn unit_href(course: &LoadedCourse, unit: usize) -> String {
    format!(
        "/kursy/{}/nauka/{}",
        course.key(),
        encode_path(&course.block(unit).id)
    )
}

async fn outline(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, _staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (cid, lid) = (course.row.id.clone(), learner.id().to_string());
    let (progress, record) = state
        .db
        .read(move |conn| {
            Ok::<_, AppError>((
                db::progress(conn, &cid, &lid)?,
                db::course_record(conn, &cid, &lid)?,
            ))
        })
        .await?;
    let lid = learner.id();
    let mut completed_units = 0;
    let chapters: Vec<ChapterView> = course
        .chapters
        .iter()
        .map(|ch| {
            let sequentials: Vec<SequentialView> = ch
                .sequentials
                .iter()
                .map(|sq| {
                    let b = course.block(sq.idx);
                    let units: Vec<UnitLink> = sq
                        .units
                        .iter()
                        .map(|&u| {
                            let completed = unit_completed(&course, u, lid, &progress);
                            if completed {
                                completed_units += 1;
                            }
                            UnitLink {
                                id: course.block(u).id.clone(),
                                title: course.display_name(u),
                                href: unit_href(&course, u),
                                completed,
                                current: false,
                            }
                        })
                        .collect();
                    SequentialView {
                        id: b.id.clone(),
                        title: course.display_name(sq.idx),
                        format: b.format().filter(|f| !f.is_empty()),
                        graded: b.graded(),
                        due: inherited(&course, sq.idx, "due")
                            .as_deref()
                            .and_then(parse_date)
                            .map(|d| human_date(&d, ctx.lang)),
                        completed: !units.is_empty() && units.iter().all(|u| u.completed),
                        units,
                        time_limit: exams::time_limit(b),
                        results: (b.graded() || exams::time_limit(b).is_some())
                            .then(|| exams::results_href(&course, &b.id)),
                    }
                })
                .collect();
            ChapterView {
                id: course.block(ch.idx).id.clone(),
                title: course.display_name(ch.idx),
                completed: !sequentials.is_empty() && sequentials.iter().all(|s| s.completed),
                sequentials,
            }
        })
        .collect();
    let resume = record
        .as_ref()
        .and_then(|r| r.last_unit.as_deref())
        .and_then(|u| course.unit_position(u))
        .map(|p| unit_href(&course, course.units[p].idx));
    let page = OutlinePage {
        key: course.key().to_string(),
        title: course.course.title(),
        organisation: course.organisation.as_ref().map(|(n, _)| n.clone()),
        chapters,
        resume,
        first_unit: course.units.first().map(|u| unit_href(&course, u.idx)),
        anonymous: learner.is_anonymous(),
        percent: record.as_ref().map(|r| r.percent),
        completed_units,
        total_units: course.units.len(),
        gamification: course.row.options().gamification,
    };
    with_csp(render(&state, &ctx, "learn/outline.html", &page)?)
}

/// A field set on the block or inherited from an ancestor (Open edX's inheritable settings).
pub fn inherited(course: &LoadedCourse, mut idx: usize, name: &str) -> Option<String> {
    loop {
        let b = course.block(idx);
        if let Some(v) = b.field(name).filter(|v| !v.is_empty()) {
            return Some(v);
        }
        idx = b.parent?;
    }
}

fn with_csp(mut res: HttpResponse) -> Result<HttpResponse, AppError> {
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(COURSEWARE_CSP),
    );
    Ok(res)
}

/// One block on a unit page, rendered.
#[derive(Serialize)]
pub struct BlockView {
    pub id: String,
    pub block_type: String,
    pub title: Option<String>,
    /// Safe HTML (built by us, or sanitised author HTML).
    pub html: String,
}

#[derive(Serialize)]
struct UnitPage {
    key: String,
    course_title: String,
    chapter_title: String,
    sequential_title: String,
    title: String,
    blocks: Vec<BlockView>,
    sequence: Vec<UnitLink>,
    position: usize,
    count: usize,
    previous: Option<UnitLink>,
    next: Option<UnitLink>,
    anonymous: bool,
    completed: bool,
    /// The timer of a running timed subsection.
    exam: Option<exams::Banner>,
}

async fn unit(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, unit_id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let pos = course.unit_position(&unit_id).ok_or(AppError::NotFound)?;
    let unit_ref = course.units[pos].clone();
    // A timed subsection shows its start page (or its end) instead of the unit, and its timer.
    let exam = match exams::gate(&state, &ctx, &course, &unit_ref, &learner, staff).await? {
        exams::Gate::Open => None,
        exams::Gate::Timed(banner) => Some(banner),
        exams::Gate::Page(res) => return with_csp(res),
    };
    let lid = learner.id().to_string();
    let (cid, lid2) = (course.row.id.clone(), lid.clone());
    let enroll_public = matches!(learner, Learner::User(_));
    let c2 = course.clone();
    let unit_idx = unit_ref.idx;
    // Reads first (progress, which conditionals need; the resume point; the state of the unit's
    // blocks), then writes only when this view changes something: completion of content blocks
    // seen for the first time, a new resume point.
    let (progress, record, states, leaves, keys) = state
        .db
        .read(move |conn| {
            let (progress, states) = db::progress_and_states(conn, &cid, &lid2)?;
            let mut leaves = Vec::new();
            visible_leaves(&c2, unit_idx, &lid2, &progress, &mut leaves);
            let keys: Vec<String> = leaves
                .iter()
                .map(|&l| block_key(&c2.block(l).block_type, &c2.block(l).id))
                .collect();
            let record = db::course_record(conn, &cid, &lid2)?;
            Ok::<_, AppError>((progress, record, states, leaves, keys))
        })
        .await?;
    let mut progress = progress;
    // Viewing completes the unit's content blocks; problems complete when answered.
    let missing: Vec<String> = leaves
        .iter()
        .zip(&keys)
        .filter(|(&l, k)| completes_on_view(course.block(l)) && !progress.completed(k))
        .map(|(_, k)| k.clone())
        .collect();
    let moved = record.as_ref().and_then(|r| r.last_unit.as_deref()) != Some(unit_id.as_str());
    let picks = new_library_picks(&course, unit_ref.idx, &lid, &progress);
    if !missing.is_empty() || moved || !picks.is_empty() {
        let (cid, lid2, uid2, m) = (
            course.row.id.clone(),
            lid.clone(),
            unit_id.clone(),
            missing.clone(),
        );
        let (c3, progress_now) = (course.clone(), progress.clone());
        state
            .db
            .run(move |conn| {
                platform::db::write_transaction(conn, |conn| {
                    if enroll_public && !m.is_empty() {
                        db::enroll(conn, &cid, &lid2)?;
                    }
                    db::store_selections(conn, &cid, &lid2, &picks)?;
                    db::mark_completed(conn, &cid, &lid2, &m)?;
                    db::set_last_unit(conn, &cid, &lid2, &uid2)?;
                    if !m.is_empty() {
                        let mut after = progress_now;
                        for k in &m {
                            after.blocks.entry(k.clone()).or_default().completed = true;
                        }
                        events::on_completed(conn, &c3, &lid2, &m, &after)?;
                    }
                    Ok::<_, diesel::result::Error>(())
                })
                .map_err(AppError::from)
            })
            .await?;
        for k in missing {
            progress.blocks.entry(k).or_default().completed = true;
        }
    }
    // Poll and survey results the learner may see (one tally query per such block).
    let tally_for: Vec<usize> = leaves
        .iter()
        .zip(&keys)
        .filter(|(&l, k)| {
            matches!(course.block(l).block_type.as_str(), "poll" | "survey")
                && polls::shows_results(course.block(l), states.get(*k), staff)
        })
        .map(|(&l, _)| l)
        .collect();
    let tallies: HashMap<usize, (polls::Tally, u64)> = if tally_for.is_empty() {
        HashMap::new()
    } else {
        let c3 = course.clone();
        state
            .db
            .read(move |conn| {
                tally_for
                    .into_iter()
                    .map(|l| Ok((l, polls::load_tally(conn, &c3, l)?)))
                    .collect::<Result<HashMap<_, _>, diesel::result::Error>>()
                    .map_err(AppError::from)
            })
            .await?
    };
    let blocks = leaves
        .iter()
        .zip(&keys)
        .map(|(&l, k)| {
            render_block(
                &course,
                l,
                &learner,
                staff,
                states.get(k),
                ctx.lang,
                &state,
                &ctx.csrf_token,
                tallies.get(&l),
            )
        })
        .collect();
    let sequence: Vec<UnitLink> = course
        .chapters
        .iter()
        .flat_map(|c| c.sequentials.iter())
        .find(|s| s.idx == unit_ref.sequential)
        .map(|s| {
            s.units
                .iter()
                .map(|&u| UnitLink {
                    id: course.block(u).id.clone(),
                    title: course.display_name(u),
                    href: unit_href(&course, u),
                    completed: unit_completed(&course, u, &lid, &progress),
                    current: u == unit_ref.idx,
                })
                .collect()
        })
        .unwrap_or_default();
    let link = |p: usize| {
        let u = course.units[p].idx;
        UnitLink {
            id: course.block(u).id.clone(),
            title: course.display_name(u),
            href: unit_href(&course, u),
            completed: unit_completed(&course, u, &lid, &progress),
            current: false,
        }
    };
    let page = UnitPage {
        key: course.key().to_string(),
        course_title: course.course.title(),
        chapter_title: course.display_name(unit_ref.chapter),
        sequential_title: course.display_name(unit_ref.sequential),
        title: course.display_name(unit_ref.idx),
        blocks,
        position: sequence.iter().position(|u| u.current).map_or(1, |p| p + 1),
        count: sequence.len(),
        sequence,
        previous: pos.checked_sub(1).map(link),
        next: (pos + 1 < course.units.len()).then(|| link(pos + 1)),
        anonymous: learner.is_anonymous(),
        completed: unit_completed(&course, unit_ref.idx, &lid, &progress),
        exam,
    };
    with_csp(render(&state, &ctx, "learn/unit.html", &page)?)
}

fn completes_on_view(b: &Block) -> bool {
    !matches!(
        b.block_type.as_str(),
        "problem"
            | "poll"
            | "survey"
            | "word_cloud"
            | "discussion"
            | "openassessment"
            | "drag-and-drop-v2"
    )
}

/// The accessible notice for blocks SZPoN cannot run yet: it names the block type.
fn notice(state: &AppState, lang: Lang, b: &Block) -> String {
    format!(
        "<div class=\"block-notice\" role=\"note\"><p><strong>{}</strong> {}</p></div>",
        escape(&t(state, lang, "block-unsupported-title", &[])),
        escape(&t(
            state,
            lang,
            "block-unsupported",
            &[("type", &b.block_type)]
        ))
    )
}

#[allow(clippy::too_many_arguments)]
pub fn render_block(
    course: &Arc<LoadedCourse>,
    idx: usize,
    learner: &Learner,
    staff: bool,
    st: Option<&BlockState>,
    lang: Lang,
    state: &AppState,
    csrf: &str,
    tally: Option<&(polls::Tally, u64)>,
) -> BlockView {
    let b = course.block(idx);
    let html = match b.block_type.as_str() {
        "html" => course
            .rendered_block(idx, lang.code(), || {
                let body = b.body.as_deref().unwrap_or("");
                if needs_frame(body) {
                    format!(
                        "<iframe class=\"html-frame\" src=\"/kursy/{}/blok/{}\" title=\"{}\" loading=\"lazy\" sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\"></iframe>",
                        escape(course.key()),
                        escape(&encode_path(&b.id)),
                        escape(&course.display_name(idx))
                    )
                } else {
                    format!("<div class=\"html-block\">{}</div>", author_html(course, body))
                }
            })
            .to_string(),
        "video" => course
            .rendered_block(idx, lang.code(), || render_video(course, b, lang, state))
            .to_string(),
        "problem" => {
            problems::render_problem(course, idx, learner, staff, st, lang, state, csrf, None)
        }
        "poll" | "survey" => polls::render(course, idx, st, tally, staff, lang, state, csrf, None),
        "conditional" => {
            let spec = structure::ConditionalSpec::parse(b);
            let msg = Some(spec.message.clone()).filter(|m| !m.trim().is_empty());
            format!(
                "<div class=\"block-notice\" role=\"note\"><p>{}</p></div>",
                escape(&msg.unwrap_or_else(|| t(state, lang, "conditional-locked", &[])))
            )
        }
        _ => notice(state, lang, b),
    };
    BlockView {
        id: b.id.clone(),
        block_type: b.block_type.clone(),
        title: b.display_name().filter(|n| !n.trim().is_empty()),
        html,
    }
}

fn render_video(course: &LoadedCourse, b: &Block, lang: Lang, state: &AppState) -> String {
    let info = video::VideoInfo::from_block(b);
    let key = escape(course.key());
    let id = escape(&encode_path(&b.id));
    let mut tracks = String::new();
    let mut downloads = String::new();
    for (code, _) in info.transcripts.iter() {
        let label = super::catalog::language_name(code, lang);
        let c = escape(code);
        tracks.push_str(&format!(
            "<track kind=\"captions\" src=\"/kursy/{key}/transkrypcja/{id}/{c}.vtt\" srclang=\"{c}\" label=\"{}\"{}>",
            escape(&label),
            if tracks.is_empty() { " default" } else { "" }
        ));
        downloads.push_str(&format!(
            "<li><a href=\"/kursy/{key}/transkrypcja/{id}/{c}.txt\" download>{}</a></li>",
            escape(&t(
                state,
                lang,
                "video-transcript-download",
                &[("language", &label)]
            ))
        ));
    }
    let sources: Vec<String> = info
        .sources
        .iter()
        .filter_map(|s| {
            let url = if s.url.starts_with("http") {
                Some(s.url.clone())
            } else {
                super::render::static_url(course, &s.url)
            }?;
            Some(match &s.mime {
                Some(m) => format!("<source src=\"{}\" type=\"{}\">", escape(&url), escape(m)),
                None => format!("<source src=\"{}\">", escape(&url)),
            })
        })
        .collect();
    let title = course.display_name(course.find("video", &b.id).unwrap_or(0));
    let mut html = String::from("<div class=\"video-block\">");
    if !sources.is_empty() {
        html.push_str(&format!(
            "<video controls preload=\"metadata\" aria-label=\"{}\">{}{}<p>{}</p></video>",
            escape(&title),
            sources.join(""),
            tracks,
            escape(&t(
                state,
                lang,
                if downloads.is_empty() {
                    "video-unsupported-no-transcript"
                } else {
                    "video-unsupported"
                },
                &[]
            ))
        ));
    }
    if let Some(yt) = &info.youtube_id {
        let link = format!("https://www.youtube.com/watch?v={}", encode_path(yt));
        html.push_str(&format!(
            "<p class=\"video-youtube\"><a href=\"{}\" rel=\"noopener noreferrer\">{}</a></p>",
            escape(&link),
            escape(&t(state, lang, "video-youtube-link", &[("title", &title)]))
        ));
    }
    if sources.is_empty() && info.youtube_id.is_none() {
        html.push_str(&format!(
            "<p class=\"block-notice\" role=\"note\">{}</p>",
            escape(&t(state, lang, "video-no-source", &[]))
        ));
    }
    if !downloads.is_empty() {
        html.push_str(&format!(
            "<div class=\"video-transcripts\"><h3>{}</h3><ul>{}</ul></div>",
            escape(&t(state, lang, "video-transcripts", &[])),
            downloads
        ));
    }
    html.push_str("</div>");
    html
}

/// Course files, served from the content-addressed store. Same visibility as the about page.
async fn asset(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, file) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    if !access::may_see_about(&ctx, &course) {
        return Err(AppError::NotFound);
    }
    let sha = course.assets.get(&file).ok_or(AppError::NotFound)?.clone();
    let store = BlobStore::new(&state.config.data_dir);
    let bytes = web::block(move || std::fs::read(store.path(&sha)?))
        .await
        .map_err(AppError::internal)?
        .map_err(|_| AppError::NotFound)?;
    let mime = mime_guess::from_path(&file).first_or_octet_stream();
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, "private, max-age=3600"));
    // Author HTML and SVG files open in a sandbox, never as portal pages.
    let essence = mime.essence_str();
    if essence == "text/html" || essence == "image/svg+xml" || essence.contains("javascript") {
        res.insert_header((header::CONTENT_SECURITY_POLICY, FRAME_CSP));
        res.insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"));
    }
    Ok(res.content_type(mime.essence_str().to_string()).body(bytes))
}

const FRAME_HEIGHT_SCRIPT: &str = "(function(){function s(){parent.postMessage({szponFrameHeight:document.documentElement.scrollHeight},'*');}addEventListener('load',s);if(window.ResizeObserver){new ResizeObserver(s).observe(document.documentElement);}s();})();";

/// An html block with scripts, as its own sandboxed document.
async fn html_frame(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let Ok((learner, staff)) = require_learner(&state, &ctx, &req, &course).await? else {
        return Err(AppError::Forbidden);
    };
    let idx = course.find("html", &id).ok_or(AppError::NotFound)?;
    // A timed test's text is not readable before its start (or after its end) through the frame.
    if !exams::content_visible(&state, &course, idx, &learner, staff).await? {
        return Err(AppError::Forbidden);
    }
    Ok(frame_response(&course, idx))
}

/// An html block with scripts as a sandboxed document of its own (the learner's frame and
/// Studio's preview of it).
pub fn frame_response(course: &LoadedCourse, idx: usize) -> HttpResponse {
    let body = rewrite_links(course, course.block(idx).body.as_deref().unwrap_or(""));
    // The frame reports its height so the page can size it (its origin is opaque: the page
    // cannot measure it, and the frame cannot touch the page).
    let doc = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><link rel=\"stylesheet\" href=\"/static/css/frame.css\"></head><body>{}<script>{}</script></body></html>",
        course.row.language.split('-').next().filter(|l| !l.is_empty()).unwrap_or("pl"),
        escape(&course.display_name(idx)),
        body,
        FRAME_HEIGHT_SCRIPT
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, FRAME_CSP))
        .insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(doc)
}

/// Captions as WebVTT (`LANG.vtt`) or a plain-text transcript to download (`LANG.txt`).
async fn transcript(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id, file) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    if !access::may_see_about(&ctx, &course) {
        return Err(AppError::NotFound);
    }
    let (lang, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let idx = course.find("video", &id).ok_or(AppError::NotFound)?;
    // A video inside a timed test: its transcript only while the learner's attempt runs.
    if exams::subsection_of(&course, idx)
        .is_some_and(|s| exams::time_limit(course.block(s)).is_some())
    {
        let Ok((learner, staff)) = require_learner(&state, &ctx, &req, &course).await? else {
            return Err(AppError::Forbidden);
        };
        if !exams::content_visible(&state, &course, idx, &learner, staff).await? {
            return Err(AppError::Forbidden);
        }
    }
    let info = video::VideoInfo::from_block(course.block(idx));
    let candidates = video::transcript_asset_candidates(&info, lang);
    let found = candidates
        .iter()
        .find_map(|p| course.assets.get(p).map(|sha| (p.clone(), sha.clone())))
        .ok_or(AppError::NotFound)?;
    let store = BlobStore::new(&state.config.data_dir);
    let sha = found.1.clone();
    let bytes = web::block(move || std::fs::read(store.path(&sha)?))
        .await
        .map_err(AppError::internal)?
        .map_err(|_| AppError::NotFound)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let vtt = if found.0.ends_with(".sjson") {
        video::sjson_to_vtt(&text)
    } else {
        video::srt_to_vtt(&text)
    }
    .map_err(|e| AppError::BadRequest(e.to_string()))?;
    match ext {
        "vtt" => Ok(HttpResponse::Ok()
            .content_type("text/vtt; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
            .body(vtt)),
        "txt" => Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"transcript-{}.txt\"",
                    lang.replace('"', "")
                ),
            ))
            .body(video::vtt_to_plain_text(&vtt))),
        _ => Err(AppError::NotFound),
    }
}

/// `/jump_to_id/ID` links in author HTML: to the unit that contains the block.
async fn jump_to_id(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let id = id.rsplit("block@").next().unwrap_or(&id).to_string();
    let idx = course.find_any(&id).ok_or(AppError::NotFound)?;
    let unit = course
        .unit_of(idx)
        .or_else(|| course.first_unit_under(idx))
        .ok_or(AppError::NotFound)?;
    let mut target = unit_href(&course, unit);
    if unit != idx {
        target.push_str(&format!("#block-{}", encode_path(&course.block(idx).id)));
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .finish())
}
