//! The results page of a subsection, `/kursy/{key}/wyniki/{subsection}`: each problem the
//! learner was given (their library picks included) with their answer, whether it was correct
//! (in words), the points, and the correct answers. Shown once nobody can still use them: after
//! the due date (and grace period), or for a timed subsection without one, once the learner's
//! attempt is over ([`exams::results_available_from`]). Before that the page (200) says when.
//! Staff see it at any time, also for one learner (`?uczestnik=ID`); nobody else can name a
//! learner.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use platform::web::render::render;
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};
use xblock_compat::courseware::policy::{effective_settings, ShowAnswer};

use super::cache::CourseCache;
use super::catalog::course_or_404;
use super::courseware::{require_learner, visible_leaves};
use super::db::{self, block_key};
use super::exams;
use super::problems::{fmt_num, render_review, weighted_points};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/wyniki/{sub}", web::get().to(results));
}

#[derive(Deserialize)]
pub struct ResultsQuery {
    /// Staff only: whose results.
    uczestnik: Option<String>,
}

#[derive(Serialize)]
struct ProblemResult {
    id: String,
    title: String,
    /// Fluent id of the verdict in words.
    verdict: &'static str,
    points: String,
    /// Safe HTML built by the problem renderer.
    html: String,
    answers_shown: bool,
}

#[derive(Serialize)]
struct ResultsPage {
    key: String,
    course_title: String,
    title: String,
    available: bool,
    /// When results will be available, if known.
    available_from: Option<String>,
    timed: bool,
    due: Option<String>,
    problems: Vec<ProblemResult>,
    total: String,
    staff: bool,
    /// The learner whose results staff are looking at.
    other_learner: Option<String>,
    attempt_started: Option<String>,
    attempt_over: Option<String>,
}

async fn results(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, AppError> {
    let (key, sub) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let seq = course.find("sequential", &sub).ok_or(AppError::NotFound)?;
    let target = match query.into_inner().uczestnik.filter(|u| !u.is_empty()) {
        Some(_) if !staff => return Err(AppError::Forbidden),
        Some(u) => u,
        None => learner.id().to_string(),
    };
    let other = (target != learner.id()).then(|| target.clone());
    let (cid, lid, s2) = (course.row.id.clone(), target.clone(), sub.clone());
    let ((progress, states), attempt) = state
        .db
        .read(move |conn| {
            Ok::<_, AppError>((
                db::progress_and_states(conn, &cid, &lid)?,
                exams::find(conn, &cid, &lid, &s2)?,
            ))
        })
        .await?;
    let now = Utc::now();
    let lang = ctx.lang;
    let from = exams::results_available_from(&course, seq, attempt.as_ref(), now);
    let available = staff || from.is_some_and(|f| f <= now);
    let past_due = exams::closes_at(&course, seq).is_some_and(|c| c <= now);
    let mut problems = Vec::new();
    let (mut sum_earned, mut sum_points) = (0.0, 0.0);
    if available {
        let units: Vec<usize> = course
            .units
            .iter()
            .filter(|u| u.sequential == seq)
            .map(|u| u.idx)
            .collect();
        for u in units {
            let mut leaves = Vec::new();
            visible_leaves(&course, u, &target, &progress, &mut leaves);
            for l in leaves {
                let b = course.block(l);
                if b.block_type != "problem" {
                    continue;
                }
                let row = states.get(&block_key(&b.block_type, &b.id));
                let settings = effective_settings(&course.course, l);
                let show_results = settings.correctness_available(now, staff);
                let rules_attempts = row.map_or(0, |r| i64::from(r.attempts));
                let rules = xblock_compat::courseware::policy::ProblemState {
                    attempts: rules_attempts,
                    done: rules_attempts > 0,
                    correct: row
                        .and_then(|r| r.earned.zip(r.possible))
                        .is_some_and(|(e, p)| p > 0.0 && e >= p),
                    last_submission_time: None,
                };
                // After the due date the correct answers are shown unless the author hides them
                // for good; before it (no due date) the problem's own showanswer rule decides.
                let answers_shown = show_results
                    && (staff
                        || (past_due
                            && !matches!(
                                settings.showanswer,
                                ShowAnswer::Never | ShowAnswer::Empty
                            ))
                        || settings.answer_available(&rules, now, false));
                let (earned, points) = weighted_points(&course, l, row);
                sum_earned += earned.unwrap_or(0.0);
                sum_points += points;
                let verdict = match (show_results, earned) {
                    (false, Some(_)) => "results-verdict-hidden",
                    (_, None) => "results-verdict-unanswered",
                    (true, Some(e)) if points > 0.0 && e >= points - 1e-9 => {
                        "results-verdict-correct"
                    }
                    (true, Some(e)) if e > 0.0 => "results-verdict-partial",
                    (true, Some(_)) => "results-verdict-incorrect",
                };
                let html =
                    render_review(&course, l, &target, row, lang, show_results, answers_shown)
                        .unwrap_or_else(|e| {
                            format!(
                                "<p class=\"block-notice\" role=\"note\">{}</p>",
                                super::render::escape(&super::render::t(
                                    &state,
                                    lang,
                                    "problem-broken",
                                    &[("error", &e)]
                                ))
                            )
                        });
                problems.push(ProblemResult {
                    id: b.id.clone(),
                    title: course.display_name(l),
                    verdict,
                    points: format!(
                        "{}/{}",
                        earned.map_or_else(|| "0".to_string(), fmt_num),
                        fmt_num(points)
                    ),
                    html,
                    answers_shown,
                });
            }
        }
    }
    let page = ResultsPage {
        key: course.key().to_string(),
        course_title: course.course.title(),
        title: course.display_name(seq),
        available,
        available_from: from.filter(|f| *f > now).map(|f| exams::when(&f, lang)),
        timed: exams::time_limit(course.block(seq)).is_some(),
        due: exams::due_of(&course, seq).map(|d| exams::when(&d, lang)),
        problems,
        total: format!("{}/{}", fmt_num(sum_earned), fmt_num(sum_points)),
        staff,
        other_learner: other,
        attempt_started: attempt
            .as_ref()
            .map(|a| exams::when(&a.started_at.and_utc(), lang)),
        attempt_over: attempt
            .as_ref()
            .and_then(|a| a.over_at(now))
            .map(|t| exams::when(&t, lang)),
    };
    let mut res = render(&state, &ctx, "learn/results.html", &page)?;
    // Problem bodies may show course images from other hosts, as on unit pages.
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static(super::courseware::COURSEWARE_CSP),
    );
    Ok(res)
}
