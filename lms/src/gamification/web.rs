//! Gamification pages: the learner's dashboard `/panel`, public badge pages under `/odznaki/`
//! (page, SVG image, Open Badges 3.0 credential) and the course leaderboard
//! `/kursy/{key}/ranking` with its opt-in form.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{TimeZone, Utc};
use diesel::prelude::*;
use platform::i18n::Lang;
use platform::web::context::SignedIn;
use platform::web::render::{render, see_other};
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};

use super::levels::level_for;
use super::store::{self, Badge};
use super::streaks;
use crate::certificates::openbadges;
use crate::learning::cache::CourseCache;
use crate::learning::catalog::course_or_404;
use crate::learning::courseware::{require_learner, unit_completed};
use crate::learning::db;
use crate::learning::render::{human_date, t};

/// Top-level routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/panel", web::get().to(dashboard))
        .route("/odznaki/{id}", web::get().to(badge_page))
        .route("/odznaki/{id}/obraz.svg", web::get().to(badge_image))
        .route("/odznaki/{id}/openbadge", web::get().to(badge_credential));
}

/// Routes under `/kursy/{key}`.
pub fn course_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/ranking", web::get().to(ranking))
        .route("/ranking", web::post().to(ranking_action));
}

/// How many learners the leaderboard lists (the viewer's own row is added below when lower).
pub const TOP: usize = 20;

fn base(state: &AppState) -> String {
    state.config.base_url.trim_end_matches('/').to_string()
}

pub fn badge_url(state: &AppState, id: &str) -> String {
    format!("{}/odznaki/{id}", base(state))
}

/// A badge's name and what it was awarded for, in `lang`.
pub fn badge_texts(state: &AppState, lang: Lang, b: &Badge) -> (String, String) {
    let args = [
        ("subject", b.subject.as_str()),
        ("course", b.course_title.as_str()),
    ];
    let id = format!("gam-badge-{}", b.kind);
    (
        t(state, lang, &id, &args),
        t(state, lang, &format!("{id}-criteria"), &args),
    )
}

#[derive(Serialize)]
struct DashCourse {
    key: String,
    title: String,
    units_done: usize,
    units_total: usize,
    units_percent: u32,
    /// Whole percent of the course grade, when the learner has one.
    grade_percent: Option<u32>,
    passed: bool,
    /// Points in this course; `None` when the course has no gamification.
    points: Option<i64>,
}

#[derive(Serialize)]
struct DashBadge {
    id: String,
    name: String,
    course_title: String,
    awarded: String,
}

#[derive(Serialize)]
struct DashCertificate {
    uuid: String,
    course_title: String,
    organisation: String,
    issued: String,
    valid: bool,
}

#[derive(Serialize)]
struct DashboardPage {
    name: String,
    points: i64,
    level: u32,
    level_name: String,
    next_level_name: Option<String>,
    to_next: Option<i64>,
    level_percent: u32,
    current_streak: u32,
    longest_streak: u32,
    courses: Vec<DashCourse>,
    badges: Vec<DashBadge>,
    certificates: Vec<DashCertificate>,
}

fn percent(done: usize, total: usize) -> u32 {
    (done * 100).checked_div(total).unwrap_or(0) as u32
}

/// The signed-in learner's own dashboard: only their rows are ever read.
async fn dashboard(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    SignedIn(user, ctx): SignedIn,
) -> Result<HttpResponse, AppError> {
    let uid = user.user.id.clone();
    let lang = ctx.lang;
    let (keys, points, days, badges, certs) = state
        .db
        .read(move |conn| {
            use studio::store::courses;
            let ids = db::learner_course_ids(conn, &uid)?;
            let keys: Vec<(String, String)> = courses::table
                .filter(courses::id.eq_any(&ids))
                .order(courses::title.asc())
                .select((courses::id, courses::course_key))
                .load(conn)?;
            Ok::<_, AppError>((
                keys,
                store::points_of(conn, &uid)?,
                store::days(conn, &uid)?,
                store::badges_of(conn, &uid)?,
                crate::certificates::store::of_user(conn, &uid)?,
            ))
        })
        .await?;
    let mut by_course: HashMap<&str, i64> = HashMap::new();
    for p in &points {
        *by_course.entry(p.course_id.as_str()).or_default() += i64::from(p.points);
    }
    let mut courses = Vec::new();
    for (cid, key) in &keys {
        let Some(course) = cache.get(&state.db, key).await? else {
            continue;
        };
        let (c, l) = (cid.clone(), user.user.id.clone());
        let (progress, record) = state
            .db
            .read(move |conn| {
                Ok::<_, AppError>((
                    db::progress(conn, &c, &l)?,
                    db::course_record(conn, &c, &l)?,
                ))
            })
            .await?;
        let done = course
            .units
            .iter()
            .filter(|u| unit_completed(&course, u.idx, &user.user.id, &progress))
            .count();
        let graded = record.as_ref().filter(|r| r.grade != "{}");
        courses.push(DashCourse {
            key: key.clone(),
            title: course.course.title(),
            units_done: done,
            units_total: course.units.len(),
            units_percent: percent(done, course.units.len()),
            grade_percent: graded.map(|r| (r.percent * 100.0).round() as u32),
            passed: graded.is_some_and(|r| r.passed),
            points: course
                .row
                .options()
                .gamification
                .then(|| by_course.get(cid.as_str()).copied().unwrap_or(0)),
        });
    }
    let total: i64 = by_course.values().sum();
    let level = level_for(total);
    let today = streaks::polish_day(&Utc::now());
    let page = DashboardPage {
        name: user.user.full_name.clone(),
        points: total,
        level: level.number,
        level_name: t(&state, lang, &level.name_id(), &[]),
        next_level_name: level.next.map(|_| {
            t(
                &state,
                lang,
                &format!("gam-level-{}", level.number + 1),
                &[],
            )
        }),
        to_next: level.to_next(total),
        level_percent: level.percent(total),
        current_streak: streaks::current_streak(&days, today),
        longest_streak: streaks::longest_streak(&days),
        courses,
        badges: badges
            .iter()
            .map(|b| DashBadge {
                id: b.id.clone(),
                name: badge_texts(&state, lang, b).0,
                course_title: b.course_title.clone(),
                awarded: human_date(&b.created_at.and_utc(), lang),
            })
            .collect(),
        certificates: certs
            .into_iter()
            .map(|c| DashCertificate {
                valid: c.status == crate::certificates::store::DOWNLOADABLE,
                issued: human_date(&c.created_at.and_utc(), lang),
                uuid: c.verify_uuid,
                course_title: c.course_title,
                organisation: c.organisation,
            })
            .collect(),
    };
    let mut res = render(&state, &ctx, "learn/dashboard.html", &page)?;
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// A badge with its holder's name, for the public page; `None` for unknown ids and for badges
/// of anonymous learners (they have no name to show and no page).
async fn load_badge(state: &AppState, id: &str) -> Result<Option<(Badge, String)>, AppError> {
    if !store::is_badge_id(id) {
        return Ok(None);
    }
    let id = id.to_string();
    state
        .db
        .read(move |conn| {
            use platform::db::schema::users;
            let Some(b) = store::find_badge(conn, &id)? else {
                return Ok(None);
            };
            let name: Option<String> = users::table
                .find(&b.learner_id)
                .select(users::full_name)
                .first(conn)
                .optional()?;
            Ok::<_, AppError>(name.map(|n| (b, n)))
        })
        .await
}

#[derive(Serialize)]
struct BadgePage {
    id: String,
    name: String,
    criteria: String,
    holder: String,
    course_title: String,
    organisation: String,
    awarded: String,
    url: String,
}

async fn badge_page(
    state: web::Data<AppState>,
    ctx: Ctx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (b, holder) = load_badge(&state, &id).await?.ok_or(AppError::NotFound)?;
    let (name, criteria) = badge_texts(&state, ctx.lang, &b);
    let page = BadgePage {
        url: badge_url(&state, &b.id),
        id: b.id.clone(),
        name,
        criteria,
        holder,
        course_title: b.course_title.clone(),
        organisation: b.organisation.clone(),
        awarded: human_date(&b.created_at.and_utc(), ctx.lang),
    };
    render(&state, &ctx, "learn/badge.html", &page)
}

/// The badge's image (the same SVG travels inside the credential).
fn svg_of(state: &AppState, lang: Lang, b: &Badge) -> String {
    openbadges::badge_svg(&badge_texts(state, lang, b).0, &b.course_title)
}

async fn badge_image(
    state: web::Data<AppState>,
    ctx: Ctx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (b, _) = load_badge(&state, &id).await?.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        // Opened on its own, the SVG is a document: no scripts, no same-origin access.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ))
        // Private: the texts follow the visitor's language.
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .body(svg_of(&state, ctx.lang, &b)))
}

/// The badge as an Open Badges 3.0 credential; its id is the badge page's URL. Polish texts,
/// as the portal's official language.
async fn badge_credential(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    use openbadges::*;
    let (b, holder) = load_badge(&state, &id).await?.ok_or(AppError::NotFound)?;
    let url = badge_url(&state, &b.id);
    let base = base(&state);
    let issuer_id = format!("{base}/");
    let achievement_id = format!(
        "{base}/kursy/{}/odznaki/{}",
        b.course_id,
        b.badge_key.replace(':', "-")
    );
    let (name, criteria) = badge_texts(&state, Lang::Pl, &b);
    let image = svg_data_uri(&svg_of(&state, Lang::Pl, &b));
    let cred = credential(&Award {
        verify_url: &url,
        issuer: Issuer {
            id: &issuer_id,
            name: &b.organisation,
            url: Some(&issuer_id),
            image: None,
        },
        achievement: AchievementInfo {
            id: &achievement_id,
            name: &name,
            description: &format!("{name} — {}", b.course_title),
            criteria_narrative: &criteria,
            image: Some(&image),
            achievement_type: if b.kind == store::KIND_COURSE {
                AchievementType::Course
            } else {
                AchievementType::Badge
            },
        },
        recipient: Recipient {
            name: &holder,
            email: None,
        },
        issued_at: Utc.from_utc_datetime(&b.created_at),
        valid_until: None,
        lang: "pl",
    });
    Ok(HttpResponse::Ok()
        .content_type("application/ld+json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"odznaka-{}.json\"", b.id),
        ))
        .body(serde_json::to_string_pretty(&cred).map_err(AppError::internal)?))
}

#[derive(Serialize, Clone)]
struct RankRow {
    rank: usize,
    name: String,
    /// Shown under the pseudonym (not the real name).
    pseudonymous: bool,
    points: i64,
    me: bool,
}

#[derive(Serialize)]
struct RankingPage {
    key: String,
    title: String,
    gamification: bool,
    rows: Vec<RankRow>,
    /// The viewer's row when it is below the top.
    own: Option<RankRow>,
    members: usize,
    signed_in: bool,
    member: bool,
    show_name: bool,
    pseudonym: Option<String>,
    my_points: i64,
    top: usize,
}

async fn ranking(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    if !course.row.options().gamification {
        return Err(AppError::NotFound);
    }
    let (learner, _) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (cid, lid) = (course.row.id.clone(), learner.id().to_string());
    let (standings, membership, my_points) = state
        .db
        .read(move |conn| {
            let mine: i64 = store::points_of(conn, &lid)?
                .iter()
                .filter(|p| p.course_id == cid)
                .map(|p| i64::from(p.points))
                .sum();
            Ok::<_, AppError>((
                store::standings(conn, &cid)?,
                store::membership(conn, &cid, &lid)?,
                mine,
            ))
        })
        .await?;
    let me = learner.id();
    let row = |i: usize, s: &store::Standing| RankRow {
        rank: i + 1,
        name: if s.show_name {
            s.full_name.clone()
        } else {
            s.pseudonym.clone()
        },
        pseudonymous: !s.show_name,
        points: s.points,
        me: s.user_id == me,
    };
    let rows: Vec<RankRow> = standings
        .iter()
        .take(TOP)
        .enumerate()
        .map(|(i, s)| row(i, s))
        .collect();
    let own = standings
        .iter()
        .enumerate()
        .skip(TOP)
        .find(|(_, s)| s.user_id == me)
        .map(|(i, s)| row(i, s));
    let page = RankingPage {
        key: course.key().to_string(),
        title: course.course.title(),
        gamification: true,
        rows,
        own,
        members: standings.len(),
        signed_in: ctx.user.is_some(),
        show_name: membership.as_ref().is_some_and(|m| m.show_name),
        member: membership.is_some(),
        pseudonym: membership.map(|m| m.pseudonym),
        my_points,
        top: TOP,
    };
    let mut res = render(&state, &ctx, "learn/leaderboard.html", &page)?;
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

#[derive(Deserialize)]
struct RankingForm {
    action: String,
}

/// Join, leave, show or hide the name: always for the signed-in person themselves (the form
/// names no one; the CSRF check guards the request).
async fn ranking_action(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
    form: web::Form<RankingForm>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let target = format!("/kursy/{}/ranking", course.key());
    let Some(user) = &ctx.user else {
        return Err(AppError::SignInRequired(target));
    };
    if !course.row.options().gamification {
        return Err(AppError::NotFound);
    }
    if let Err(res) = require_learner(&state, &ctx, &req, &course).await? {
        return Ok(res);
    }
    let (cid, uid) = (course.row.id.clone(), user.user.id.clone());
    let action = form.action.clone();
    let flash = state
        .db
        .run(move |conn| {
            platform::db::write_transaction(conn, |conn| {
                Ok::<_, AppError>(match action.as_str() {
                    "join" => {
                        store::join(conn, &cid, &uid)?;
                        "flash-gam-joined"
                    }
                    "leave" => {
                        store::leave(conn, &cid, &uid)?;
                        "flash-gam-left"
                    }
                    "show-name" => {
                        store::join(conn, &cid, &uid)?;
                        store::set_show_name(conn, &cid, &uid, true)?;
                        "flash-gam-name-shown"
                    }
                    "hide-name" => {
                        store::set_show_name(conn, &cid, &uid, false)?;
                        "flash-gam-name-hidden"
                    }
                    _ => return Err(AppError::BadRequest("unknown action".into())),
                })
            })
        })
        .await?;
    Ok(see_other(&state, &target, Some(flash)))
}
