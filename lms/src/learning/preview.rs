//! The learner preview of a unit of a course's draft, for its authors
//! (`/studio/kursy/{course_id}/podglad/{unit_id}`). It lives here, not in Studio, because the
//! renderer is the learner side's (`courseware::render_block`).
//!
//! Access is Studio's (`studio::components::authorised_draft`: 404 unknown, 403 not allowed).
//! The draft gets a [`LoadedCourse`] of its own, built per request and never put in the
//! learners' [`super::cache::CourseCache`]; blocks render with no learner state, inside a
//! disabled fieldset (nothing is submitted). Course files are shared by the draft and the
//! published version, so their `/kursy/{key}/static/...` links work. Author HTML that runs
//! scripts loads in its sandboxed frame from the draft (`/studio/kursy/{id}/podglad-blok/{id}`).

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use platform::web::render::render;
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use xblock_compat::olx::edit::find_in_tree;

use super::cache::LoadedCourse;
use super::courseware::{render_block, BlockView, COURSEWARE_CSP};
use super::learner::Learner;
use super::render::escape;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/studio/kursy/{course_id}/podglad/{unit_id}",
        web::get().to(preview),
    )
    .route(
        "/studio/kursy/{course_id}/podglad-blok/{block_id}",
        web::get().to(preview_frame),
    );
}

/// The draft as a [`LoadedCourse`] of its own, for an author of the course.
async fn loaded_draft(
    state: &AppState,
    signed: &SignedIn,
    course_id: String,
) -> Result<LoadedCourse, AppError> {
    let (row, course) = studio::components::authorised_draft(state, signed, course_id).await?;
    let (cid, org_id) = (row.id.clone(), row.organisation_id.clone());
    let (version_id, organisation) = state
        .db
        .run(move |conn| {
            let v = studio::drafts::draft_version_id(conn, &cid)?.unwrap_or_default();
            let org = match org_id {
                Some(id) => {
                    platform::models::organisation::find_by_id(conn, &id)?.map(|o| (o.name, o.slug))
                }
                None => None,
            };
            Ok::<_, AppError>((v, org))
        })
        .await?;
    Ok(LoadedCourse::build(row, version_id, course, organisation))
}

/// An html block of the draft that runs scripts, as the sandboxed frame the learner's page
/// would load from the published course (`/kursy/{key}/blok/{id}`).
async fn preview_frame(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_id) = path.into_inner();
    let loaded = loaded_draft(&state, &signed, course_id).await?;
    let idx = find_in_tree(&loaded.course, "html", &block_id).ok_or(AppError::NotFound)?;
    Ok(super::courseware::frame_response(&loaded, idx))
}

#[derive(Serialize)]
struct PreviewPage {
    course_title: String,
    chapter_title: String,
    sequential_title: String,
    title: String,
    blocks: Vec<BlockView>,
    unit_href: String,
}

/// Leaves of a unit in order (containers such as a library or split test show every child:
/// an author previews all of them).
fn leaves(course: &LoadedCourse, idx: usize, out: &mut Vec<usize>) {
    let b = course.block(idx);
    if b.is_container() && b.block_type != "conditional" {
        for &c in &b.children {
            leaves(course, c, out);
        }
    } else {
        out.push(idx);
    }
}

async fn preview(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (course_id, unit_id) = path.into_inner();
    let loaded = Arc::new(loaded_draft(&state, &signed, course_id).await?);
    let course = &loaded.course;
    let unit = find_in_tree(course, "vertical", &unit_id).ok_or(AppError::NotFound)?;
    let title_of = |i: Option<usize>| {
        i.map(|i| {
            let b = &course.blocks[i];
            b.display_name()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| b.block_type.clone())
        })
        .unwrap_or_default()
    };
    let sequential = course.blocks[unit].parent;
    let chapter = sequential.and_then(|s| course.blocks[s].parent);
    let (chapter_title, sequential_title) = (title_of(chapter), title_of(sequential));
    let mut idxs = Vec::new();
    for &c in &loaded.block(unit).children {
        leaves(&loaded, c, &mut idxs);
    }
    // The author as a learner with no state: nothing is read or written for them.
    let learner = Learner::User(signed.0.user.id.clone());
    // Frames of author scripts come from the draft too, not from the published course.
    let learner_frames = format!("src=\"/kursy/{}/blok/", escape(loaded.key()));
    let draft_frames = format!(
        "src=\"/studio/kursy/{}/podglad-blok/",
        escape(&loaded.row.id)
    );
    let blocks = idxs
        .into_iter()
        .map(|i| {
            let mut view = render_block(
                &loaded,
                i,
                &learner,
                false,
                None,
                signed.1.lang,
                &state,
                "",
                None,
            );
            view.html = view.html.replace(&learner_frames, &draft_frames);
            view
        })
        .collect();
    let page = PreviewPage {
        course_title: loaded.course.title(),
        chapter_title,
        sequential_title,
        title: loaded.display_name(unit),
        blocks,
        unit_href: format!(
            "/studio/kursy/{}/jednostka/{}",
            loaded.row.id,
            studio::components::encode_segment(&unit_id)
        ),
    };
    let mut res = render(&state, &signed.1, "studio/preview.html", &page)?;
    // Course content may show images and media from other hosts, as on the learner's page.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(COURSEWARE_CSP),
    );
    Ok(res)
}
