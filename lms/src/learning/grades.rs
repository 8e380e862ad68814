//! Grades as Open edX computes them (subsection totals → gradesheet → the policy's graders →
//! whole-percent course grade, letter, pass), recomputed when a learner submits, stored, and
//! shown on the progress page with a chart per assignment type.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use platform::db::DbConn;
use platform::web::render::render;
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};
use studio::store::CertificateMode;
use xblock_compat::courseware::grades::CourseOutlineGrades;
use xblock_compat::grading;

use super::cache::{CourseCache, LoadedCourse};
use super::catalog::course_or_404;
use super::courseware::{require_learner, visible_children};
use super::db::{self, block_key, Progress, StoredGrade};
use super::render::{human_date, parse_date};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/postep", web::get().to(progress_page));
}

/// One subsection's score as the progress page lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubsectionGrade {
    /// The sequential's id (grades stored before it was added have none).
    #[serde(default)]
    pub id: String,
    pub chapter: String,
    pub title: String,
    pub format: Option<String>,
    pub graded: bool,
    pub due: Option<String>,
    /// Weighted totals of the graded problems.
    pub earned: f64,
    pub possible: f64,
    /// Weighted totals of all problems (graded or not).
    pub all_earned: f64,
    pub all_possible: f64,
    /// `percent_graded`, rounded as Open edX rounds it.
    pub percent: f64,
    pub problems: Vec<(f64, f64)>,
}

/// What the progress page shows; stored as JSON with the grade.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct GradeDetail {
    pub percent: f64,
    pub letter: Option<String>,
    pub passed: bool,
    pub subsections: Vec<SubsectionGrade>,
    pub section_breakdown: Vec<grading::SectionBreakdown>,
    pub grade_breakdown: Vec<grading::GradeBreakdown>,
    /// The lowest passing percent (fraction), if the policy has one.
    pub cutoff: Option<f64>,
    /// [`policy_fingerprint`] of the policy this was computed with: a stored grade from another
    /// policy is recomputed when shown.
    #[serde(default)]
    pub policy: String,
}

/// A short digest of the course's `grading_policy.json` (the policy can change without the
/// learner doing anything: Studio saves it as a new version).
pub fn policy_fingerprint(course: &LoadedCourse) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(
        course
            .course
            .grading_policy
            .as_deref()
            .unwrap_or("")
            .as_bytes(),
    );
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The maximum raw score of a problem as Open edX counts it for an unattempted problem; `None`
/// when the problem cannot be parsed (Open edX would not score it either).
pub fn max_score(course: &LoadedCourse, idx: usize) -> Option<f64> {
    course
        .problem(idx, 1)
        .ok()
        .map(|p| f64::from(p.max_score()))
}

/// Computes the course grade of a learner from their stored block scores (Open edX's rules live
/// in `xblock_compat::courseware::grades`; this supplies the learner's scores and picks).
pub fn compute(course: &LoadedCourse, learner: &str, progress: &Progress) -> GradeDetail {
    let score = |idx: usize| {
        let b = course.block(idx);
        progress
            .blocks
            .get(&block_key(&b.block_type, &b.id))
            .and_then(|s| s.earned.zip(s.possible))
    };
    let max = |idx: usize| max_score(course, idx);
    let children = |idx: usize| visible_children(course, idx, learner, progress);
    let g = CourseOutlineGrades::compute(
        &course.course,
        &course.grading_policy,
        &score,
        &max,
        &children,
    );
    let mut subsections = Vec::new();
    for ch in &g.chapters {
        for s in &ch.subsections {
            subsections.push(SubsectionGrade {
                id: course.block(s.block).id.clone(),
                chapter: ch.display_name.clone(),
                title: s.display_name.clone(),
                format: s.format.clone(),
                graded: s.graded,
                due: s.due.map(|d| d.to_rfc3339()),
                earned: s.graded_total.earned,
                possible: s.graded_total.possible,
                all_earned: s.all_total.earned,
                all_possible: s.all_total.possible,
                percent: s.percent_graded,
                problems: s
                    .problems
                    .iter()
                    .map(|p| (p.score.earned, p.score.possible))
                    .collect(),
            });
        }
    }
    // Open edX gives a learner who attempted nothing a zero grade, no letter, not passed.
    let (percent, letter, passed) = if g.attempted {
        (
            g.course_grade.percent,
            g.course_grade.letter_grade.clone(),
            g.course_grade.passed,
        )
    } else {
        (0.0, None, false)
    };
    GradeDetail {
        percent,
        letter,
        passed,
        subsections,
        section_breakdown: g.course_grade.section_breakdown,
        grade_breakdown: g.course_grade.grade_breakdown,
        cutoff: course.grading_policy.grade_cutoffs.lowest_passing_grade(),
        policy: policy_fingerprint(course),
    }
}

/// Recomputes and stores a learner's grade (called after a submission, inside its transaction).
/// Returns the progress it was computed from and the grade.
pub fn recompute(
    conn: &mut DbConn,
    course: &LoadedCourse,
    learner: &str,
) -> diesel::QueryResult<(Progress, GradeDetail)> {
    let progress = db::progress(conn, &course.row.id, learner)?;
    let detail = compute(course, learner, &progress);
    let stored = StoredGrade {
        percent: detail.percent,
        letter: detail.letter.clone(),
        passed: detail.passed,
    };
    let json = serde_json::to_string(&detail).unwrap_or_else(|_| "{}".into());
    db::set_grade(conn, &course.row.id, learner, &stored, &json)?;
    crate::certificates::award::consider(conn, course, learner, &progress, Some(&detail))?;
    Ok((progress, detail))
}

/// Recomputes by course id (after merging anonymous progress into an account), and awards what
/// the merged progress earns.
pub async fn recompute_by_id(
    state: &AppState,
    cache: &CourseCache,
    course_id: &str,
    learner: &str,
) -> Result<(), AppError> {
    let cid = course_id.to_string();
    let key: Option<String> = state
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            studio::store::courses::table
                .find(&cid)
                .select(studio::store::courses::course_key)
                .first::<String>(conn)
                .optional()
                .map_err(AppError::from)
        })
        .await?;
    let Some(key) = key else { return Ok(()) };
    let Some(course) = cache.get(&state.db, &key).await? else {
        return Ok(());
    };
    let l = learner.to_string();
    state
        .db
        .run(move |conn| {
            let (progress, _) = recompute(conn, &course, &l)?;
            super::events::on_merged(conn, &course, &l, &progress).map_err(AppError::from)
        })
        .await
}

/// The stored course percent, if the learner has a grade.
pub async fn stored_percent(
    state: &AppState,
    course: &Arc<LoadedCourse>,
    learner: &str,
) -> Result<Option<f64>, AppError> {
    let (cid, lid) = (course.row.id.clone(), learner.to_string());
    Ok(state
        .db
        .run(move |conn| db::course_record(conn, &cid, &lid).map_err(AppError::from))
        .await?
        .filter(|r| r.grade != "{}")
        .map(|r| r.percent))
}

#[derive(Serialize)]
struct Bar {
    label: String,
    detail: String,
    percent: f64,
    percent_text: String,
    dropped: bool,
    x: f64,
    height: f64,
    y: f64,
    prominent: bool,
}

#[derive(Serialize)]
struct SubsectionRow {
    chapter: String,
    title: String,
    format: Option<String>,
    graded: bool,
    due: Option<String>,
    score: String,
    percent: String,
    /// The subsection's results page.
    results: Option<String>,
}

#[derive(Serialize)]
struct ProgressPage {
    key: String,
    title: String,
    graded: bool,
    percent: String,
    letter: Option<String>,
    passed: bool,
    cutoff: Option<String>,
    bars: Vec<Bar>,
    chart_width: f64,
    cutoff_y: Option<f64>,
    breakdown: Vec<grading::GradeBreakdown>,
    subsections: Vec<SubsectionRow>,
    anonymous: bool,
    /// verify_uuid of the learner's valid certificate.
    certificate: Option<String>,
    /// How this course gives certificates: `pass`, `completion` or `off`.
    cert_mode: &'static str,
    /// Whether the learner would qualify now (an anonymous learner is invited to register).
    qualifies: bool,
    /// The course has points and a leaderboard (a tab in the course navigation).
    gamification: bool,
}

fn pct(x: f64) -> String {
    format!("{}%", (x * 100.0).round())
}

/// Chart geometry: 200 px of height for 100 %, a bar every 96 px (room for labels such as
/// "Intermediate").
const CHART_H: f64 = 200.0;
const BAR_STEP: f64 = 96.0;

async fn progress_page(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, _) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (cid, lid) = (course.row.id.clone(), learner.id().to_string());
    let (record, certificate) = state
        .db
        .read(move |conn| {
            let record = db::course_record(conn, &cid, &lid)?;
            let cert = if lid.starts_with("anon-") {
                None
            } else {
                crate::certificates::store::of_user_in_course(conn, &lid, &cid)?
            };
            Ok::<_, AppError>((record, cert))
        })
        .await?;
    // Read what the last submission stored; a learner who never submitted gets the grade of an
    // empty record (computed, not stored).
    let mut detail: GradeDetail = match record.as_ref().map(|r| r.grade.as_str()) {
        Some(g) if g != "{}" => serde_json::from_str(g).unwrap_or_default(),
        _ => compute(&course, learner.id(), &Progress::default()),
    };
    let mut certificate = certificate;
    if detail.policy != policy_fingerprint(&course) && record.is_some() {
        // The grading policy changed since this grade was stored: recompute and store it now
        // (which may also issue the certificate).
        let (c2, lid) = (course.clone(), learner.id().to_string());
        (detail, certificate) = state
            .db
            .run(move |conn| {
                let detail =
                    platform::db::write_transaction(conn, |conn| recompute(conn, &c2, &lid))?.1;
                let cert = if lid.starts_with("anon-") {
                    None
                } else {
                    crate::certificates::store::of_user_in_course(conn, &lid, &c2.row.id)?
                };
                Ok::<_, AppError>((detail, cert))
            })
            .await?;
    }
    let mode = course.row.options().certificates;
    let bars: Vec<Bar> = detail
        .section_breakdown
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let h = (s.percent.clamp(0.0, 1.0) * CHART_H).round();
            Bar {
                label: s.label.clone(),
                detail: s.detail.clone(),
                percent: s.percent,
                percent_text: pct(s.percent),
                dropped: s.dropped(),
                x: 44.0 + i as f64 * BAR_STEP,
                height: h,
                y: 10.0 + CHART_H - h,
                prominent: s.prominent,
            }
        })
        .collect();
    let page = ProgressPage {
        key: course.key().to_string(),
        title: course.course.title(),
        graded: !detail.section_breakdown.is_empty(),
        percent: pct(detail.percent),
        letter: detail.letter.clone(),
        passed: detail.passed,
        cutoff: detail.cutoff.map(pct),
        chart_width: 60.0 + bars.len() as f64 * BAR_STEP,
        cutoff_y: detail
            .cutoff
            .map(|c| 10.0 + CHART_H - (c.clamp(0.0, 1.0) * CHART_H).round()),
        bars,
        breakdown: detail.grade_breakdown.clone(),
        subsections: detail
            .subsections
            .iter()
            .map(|s| SubsectionRow {
                chapter: s.chapter.clone(),
                title: s.title.clone(),
                format: s.format.clone(),
                graded: s.graded,
                due: s
                    .due
                    .as_deref()
                    .and_then(parse_date)
                    .map(|d| human_date(&d, ctx.lang)),
                score: format!("{}/{}", trim_num(s.all_earned), trim_num(s.all_possible)),
                percent: if s.possible > 0.0 {
                    pct(s.percent)
                } else {
                    "—".into()
                },
                results: course
                    .find("sequential", &s.id)
                    .filter(|&i| s.graded || super::exams::time_limit(course.block(i)).is_some())
                    .map(|_| super::exams::results_href(&course, &s.id)),
            })
            .collect(),
        anonymous: learner.is_anonymous(),
        cert_mode: mode.as_str(),
        qualifies: match mode {
            CertificateMode::Off => false,
            CertificateMode::Pass => detail.passed,
            CertificateMode::Completion => {
                let lid = learner.id().to_string();
                let (cid, l2) = (course.row.id.clone(), lid.clone());
                let progress = state
                    .db
                    .read(move |conn| db::progress(conn, &cid, &l2).map_err(AppError::from))
                    .await?;
                super::courseware::course_completed(&course, &lid, &progress)
            }
        },
        certificate: certificate
            .filter(|c| c.status == crate::certificates::store::DOWNLOADABLE)
            .map(|c| c.verify_uuid),
        gamification: course.row.options().gamification,
    };
    render(&state, &ctx, "learn/progress.html", &page)
}

fn trim_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{:.2}", x).trim_end_matches('0').to_string()
    }
}
