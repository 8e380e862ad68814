//! Timed subsections (Open edX's timed exams): a `<sequential is_time_limited="true"
//! default_time_limit_minutes="N">`. A learner starts the clock on an interstitial page; the
//! attempt's deadline is fixed then (`min(start + limit, due)`, no grace), units show the time
//! left, and [`submission_refusal`] closes problem submissions on the server at the deadline or
//! when the learner finishes early. `is_proctored_enabled` and `is_practice_exam` subsections
//! are run as plain timed exams: SZPoN has no proctoring. The results page is in
//! [`super::results`].

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use platform::db::DbConn;
use platform::i18n::Lang;
use platform::models::now;
use platform::web::context::RequestContext;
use platform::web::render::{render, see_other};
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};
use xblock_compat::courseware::policy::parse_timedelta;
use xblock_compat::olx::Block;

use super::cache::{CourseCache, LoadedCourse, UnitRef};
use super::catalog::course_or_404;
use super::courseware::{inherited, require_learner};
use super::learner::Learner;
use super::render::{encode_path, parse_date, warsaw};

diesel::table! {
    exam_attempts (course_id, learner_id, subsection_id) {
        course_id -> Text,
        learner_id -> Text,
        subsection_id -> Text,
        started_at -> Timestamp,
        deadline -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

/// Routes under `/kursy/{key}`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/egzamin/{sub}/start", web::post().to(start))
        .route("/egzamin/{sub}/zakoncz", web::get().to(finish_form))
        .route("/egzamin/{sub}/zakoncz", web::post().to(finish));
}

/// One learner's attempt at one timed subsection.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = exam_attempts)]
pub struct Attempt {
    pub course_id: String,
    pub learner_id: String,
    pub subsection_id: String,
    pub started_at: NaiveDateTime,
    pub deadline: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

impl Attempt {
    /// When the attempt stopped accepting answers, if it has: finished early, or the deadline.
    pub fn over_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let deadline = self.deadline.and_utc();
        match self.ended_at {
            Some(e) => Some(e.and_utc().min(deadline)),
            None if now >= deadline => Some(deadline),
            None => None,
        }
    }
}

/// The time limit of a subsection in minutes, when it is a timed one (Open edX's OLX attributes;
/// a limit of zero or less, or one that does not parse, is no limit, as Open edX ignores it).
pub fn time_limit(b: &Block) -> Option<i64> {
    if b.block_type != "sequential"
        || !b
            .field("is_time_limited")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return None;
    }
    b.field("default_time_limit_minutes")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|m| m.round() as i64)
        .filter(|&m| m > 0)
}

/// The subsection (sequential) a block is in.
pub fn subsection_of(course: &LoadedCourse, mut idx: usize) -> Option<usize> {
    loop {
        let b = course.block(idx);
        if b.block_type == "sequential" {
            return Some(idx);
        }
        idx = b.parent?;
    }
}

/// A subsection's due date, set on it or inherited (Open edX's inheritance).
pub fn due_of(course: &LoadedCourse, seq: usize) -> Option<DateTime<Utc>> {
    inherited(course, seq, "due")
        .as_deref()
        .and_then(parse_date)
}

/// Due date plus the course's grace period: when late answers stop being accepted in an untimed
/// subsection, so when its results (and correct answers) may be shown without helping anyone.
pub fn closes_at(course: &LoadedCourse, seq: usize) -> Option<DateTime<Utc>> {
    let due = due_of(course, seq)?;
    let grace = inherited(course, seq, "graceperiod")
        .as_deref()
        .and_then(|g| parse_timedelta(g.trim().trim_matches('"')))
        .unwrap_or(TimeDelta::zero());
    Some(due + grace)
}

/// Where a learner stands in a timed subsection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// May start now.
    NotStarted,
    /// Not started, and the due date has passed: it can no longer be started.
    Missed,
    Running {
        deadline: DateTime<Utc>,
    },
    Over {
        at: DateTime<Utc>,
    },
}

pub fn phase(attempt: Option<&Attempt>, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Phase {
    match attempt {
        None if due.is_some_and(|d| now >= d) => Phase::Missed,
        None => Phase::NotStarted,
        Some(a) => match a.over_at(now) {
            Some(at) => Phase::Over { at },
            None => Phase::Running {
                deadline: a.deadline.and_utc(),
            },
        },
    }
}

pub fn find(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    sub: &str,
) -> QueryResult<Option<Attempt>> {
    exam_attempts::table
        .find((course_id, learner, sub))
        .select(Attempt::as_select())
        .first(conn)
        .optional()
}

/// Starts the clock, once: a second start (another tab, a double click) keeps the first.
/// Returns the stored attempt.
pub fn start_attempt(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    sub: &str,
    limit_minutes: i64,
    due: Option<DateTime<Utc>>,
) -> QueryResult<Attempt> {
    let started = now();
    let mut deadline = started + TimeDelta::minutes(limit_minutes);
    if let Some(d) = due {
        deadline = deadline.min(d.naive_utc());
    }
    let row = Attempt {
        course_id: course_id.into(),
        learner_id: learner.into(),
        subsection_id: sub.into(),
        started_at: started,
        deadline,
        ended_at: None,
    };
    platform::with_backend!(conn, |c| diesel::insert_into(exam_attempts::table)
        .values(&row)
        .on_conflict_do_nothing()
        .execute(c))?;
    find(conn, course_id, learner, sub)?.ok_or(diesel::result::Error::NotFound)
}

/// Ends a running attempt now (an ended or expired one keeps its end). Returns whether one was
/// running.
pub fn finish_attempt(
    conn: &mut DbConn,
    course_id: &str,
    learner: &str,
    sub: &str,
) -> QueryResult<bool> {
    let t = now();
    let n = diesel::update(
        exam_attempts::table
            .find((course_id, learner, sub))
            .filter(exam_attempts::ended_at.is_null())
            .filter(exam_attempts::deadline.gt(t)),
    )
    .set(exam_attempts::ended_at.eq(t))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves an anonymous learner's attempts into an account (inside the merge's transaction). Of
/// two attempts at the same subsection the earlier start wins, so signing in never buys time;
/// if either was finished, the result is finished. Returns the courses touched.
pub fn merge(conn: &mut DbConn, anon: &str, user: &str) -> QueryResult<Vec<String>> {
    let theirs: Vec<Attempt> = exam_attempts::table
        .filter(exam_attempts::learner_id.eq(anon))
        .select(Attempt::as_select())
        .load(conn)?;
    let mut courses = Vec::new();
    for a in theirs {
        let key = |l: &str| {
            exam_attempts::table.find((a.course_id.clone(), l.to_string(), a.subsection_id.clone()))
        };
        match find(conn, &a.course_id, user, &a.subsection_id)? {
            None => {
                diesel::update(key(anon))
                    .set(exam_attempts::learner_id.eq(user))
                    .execute(conn)?;
            }
            Some(mine) => {
                let (kept, other) = if a.started_at < mine.started_at {
                    (&a, &mine)
                } else {
                    (&mine, &a)
                };
                let ended = match (kept.ended_at, other.ended_at) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                diesel::update(key(user))
                    .set((
                        exam_attempts::started_at.eq(kept.started_at),
                        exam_attempts::deadline.eq(kept.deadline),
                        exam_attempts::ended_at.eq(ended),
                    ))
                    .execute(conn)?;
                diesel::delete(key(anon)).execute(conn)?;
            }
        }
        if !courses.contains(&a.course_id) {
            courses.push(a.course_id.clone());
        }
    }
    Ok(courses)
}

/// Why a submission in a timed subsection is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotStarted,
    Over,
}

/// Whether an action on problem `idx` (check, reset, and also hint or show answer, which would
/// otherwise reveal answers before the start) must be refused because of its subsection's
/// timer. Runs inside the submission's transaction, so the answer is the deadline as stored
/// at that moment (no grace).
pub fn submission_refusal(
    conn: &mut DbConn,
    course: &LoadedCourse,
    idx: usize,
    learner: &str,
) -> QueryResult<Option<Refusal>> {
    let Some(seq) = subsection_of(course, idx) else {
        return Ok(None);
    };
    if time_limit(course.block(seq)).is_none() {
        return Ok(None);
    }
    let attempt = find(conn, &course.row.id, learner, &course.block(seq).id)?;
    Ok(match phase(attempt.as_ref(), None, Utc::now()) {
        Phase::NotStarted | Phase::Missed => Some(Refusal::NotStarted),
        Phase::Over { .. } => Some(Refusal::Over),
        Phase::Running { .. } => None,
    })
}

/// A date and Polish wall-clock time as people read them: "25 listopada 2026, 14:35".
pub fn when(d: &DateTime<Utc>, lang: Lang) -> String {
    let local = warsaw(d);
    format!(
        "{}, {}",
        crate::certificates::pdf::format_date(local.date_naive(), lang),
        local.format("%H:%M")
    )
}

/// Remaining time as the countdown shows it: `M:SS`, or `H:MM:SS` from an hour up.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The timer on a unit page of a running attempt.
#[derive(Debug, Clone, Serialize)]
pub struct Banner {
    pub subsection_title: String,
    pub remaining_seconds: i64,
    pub remaining: String,
    /// "14:35" in Polish time.
    pub ends_at_time: String,
    pub ends_at_date: String,
    pub finish_href: String,
}

/// What a unit page of a timed subsection shows.
pub enum Gate {
    /// Not timed, or staff: the unit as usual.
    Open,
    /// A running attempt: the unit with its timer.
    Timed(Banner),
    /// The interstitial (start, missed, or over) instead of the unit.
    Page(HttpResponse),
}

#[derive(Serialize)]
struct GatePage {
    key: String,
    course_title: String,
    title: String,
    subsection_id: String,
    unit_id: String,
    limit_minutes: i64,
    due: Option<String>,
    /// The due date comes before the limit would run out if started now.
    due_cuts: bool,
    missed: bool,
    anonymous: bool,
    over_at: Option<String>,
    results_href: String,
    results_from: Option<String>,
    results_now: bool,
}

/// Whether block `idx` may be shown on its own (the sandboxed frame of author HTML): outside a
/// timed subsection always; inside one only to staff and while the learner's attempt runs, as
/// the unit page shows it.
pub async fn content_visible(
    state: &AppState,
    course: &std::sync::Arc<LoadedCourse>,
    idx: usize,
    learner: &Learner,
    staff: bool,
) -> Result<bool, AppError> {
    let Some(seq) = subsection_of(course, idx) else {
        return Ok(true);
    };
    if staff || time_limit(course.block(seq)).is_none() {
        return Ok(true);
    }
    let (cid, lid, sub) = (
        course.row.id.clone(),
        learner.id().to_string(),
        course.block(seq).id.clone(),
    );
    let attempt = state
        .db
        .read(move |conn| find(conn, &cid, &lid, &sub).map_err(AppError::from))
        .await?;
    Ok(matches!(
        phase(attempt.as_ref(), due_of(course, seq), Utc::now()),
        Phase::Running { .. }
    ))
}

/// Decides what a unit page of `unit` shows for this learner.
pub async fn gate(
    state: &AppState,
    ctx: &RequestContext,
    course: &std::sync::Arc<LoadedCourse>,
    unit: &UnitRef,
    learner: &Learner,
    staff: bool,
) -> Result<Gate, AppError> {
    let seq = unit.sequential;
    let Some(limit) = time_limit(course.block(seq)) else {
        return Ok(Gate::Open);
    };
    if staff {
        return Ok(Gate::Open);
    }
    let sub = course.block(seq).id.clone();
    let (cid, lid, s2) = (course.row.id.clone(), learner.id().to_string(), sub.clone());
    let attempt = state
        .db
        .read(move |conn| find(conn, &cid, &lid, &s2).map_err(AppError::from))
        .await?;
    let due = due_of(course, seq);
    let now_utc = Utc::now();
    let lang = ctx.lang;
    let ph = phase(attempt.as_ref(), due, now_utc);
    if let Phase::Running { deadline } = ph {
        let local = warsaw(&deadline);
        return Ok(Gate::Timed(Banner {
            subsection_title: course.display_name(seq),
            remaining_seconds: (deadline - now_utc).num_seconds().max(0),
            remaining: clock((deadline - now_utc).num_seconds()),
            ends_at_time: local.format("%H:%M").to_string(),
            ends_at_date: crate::certificates::pdf::format_date(local.date_naive(), lang),
            finish_href: format!(
                "/kursy/{}/egzamin/{}/zakoncz",
                course.key(),
                encode_path(&sub)
            ),
        }));
    }
    let results_from = results_available_from(course, seq, attempt.as_ref(), now_utc);
    let page = GatePage {
        key: course.key().to_string(),
        course_title: course.course.title(),
        title: course.display_name(seq),
        subsection_id: sub.clone(),
        unit_id: course.block(unit.idx).id.clone(),
        limit_minutes: limit,
        due: due.map(|d| when(&d, lang)),
        due_cuts: due.is_some_and(|d| d < now_utc + TimeDelta::minutes(limit)),
        missed: ph == Phase::Missed,
        anonymous: learner.is_anonymous(),
        over_at: match ph {
            Phase::Over { at } => Some(when(&at, lang)),
            _ => None,
        },
        results_href: results_href(course, &sub),
        results_now: results_from.is_some_and(|f| f <= now_utc),
        results_from: results_from.map(|f| when(&f, lang)),
    };
    let template = if matches!(ph, Phase::Over { .. }) {
        "learn/exam_ended.html"
    } else {
        "learn/exam_start.html"
    };
    Ok(Gate::Page(render(state, ctx, template, &page)?))
}

pub fn results_href(course: &LoadedCourse, sub: &str) -> String {
    format!("/kursy/{}/wyniki/{}", course.key(), encode_path(sub))
}

/// When a learner may see the results of a subsection: after its due date (and grace period);
/// a timed subsection without a due date once the learner's attempt is over; an untimed one
/// without a due date at once (its answers and results are on its units anyway). `None`: not
/// yet known (a timed subsection without a due date, attempt still to come or running).
pub fn results_available_from(
    course: &LoadedCourse,
    seq: usize,
    attempt: Option<&Attempt>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if let Some(c) = closes_at(course, seq) {
        return Some(c);
    }
    if time_limit(course.block(seq)).is_some() {
        return attempt.and_then(|a| a.over_at(now));
    }
    Some(DateTime::<Utc>::MIN_UTC)
}

/// The timed subsection named in the URL, with its limit.
fn timed_subsection(course: &LoadedCourse, sub: &str) -> Result<(usize, i64), AppError> {
    let seq = course.find("sequential", sub).ok_or(AppError::NotFound)?;
    let limit = time_limit(course.block(seq)).ok_or(AppError::NotFound)?;
    Ok((seq, limit))
}

#[derive(Deserialize)]
pub struct StartForm {
    /// The unit the learner came from, to return to it.
    #[serde(default)]
    unit: String,
}

/// The unit to go to after starting: the one asked for when it is in this subsection, else the
/// subsection's first.
fn unit_in(course: &LoadedCourse, seq: usize, unit: &str) -> String {
    let target = course
        .unit_position(unit)
        .map(|p| &course.units[p])
        .filter(|u| u.sequential == seq)
        .or_else(|| course.units.iter().find(|u| u.sequential == seq));
    match target {
        Some(u) => format!(
            "/kursy/{}/nauka/{}",
            course.key(),
            encode_path(&course.block(u.idx).id)
        ),
        None => format!("/kursy/{}/nauka", course.key()),
    }
}

async fn start(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<StartForm>,
) -> Result<HttpResponse, AppError> {
    let (key, sub) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, _staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (seq, limit) = timed_subsection(&course, &sub)?;
    let due = due_of(&course, seq);
    let target = unit_in(&course, seq, &form.unit);
    if due.is_some_and(|d| Utc::now() >= d) {
        // Too late to start: the unit page explains.
        return Ok(see_other(&state, &target, None));
    }
    let (cid, lid, s2) = (course.row.id.clone(), learner.id().to_string(), sub.clone());
    let enroll = matches!(learner, Learner::User(_));
    state
        .db
        .run(move |conn| {
            platform::db::write_transaction(conn, |conn| {
                if enroll {
                    super::db::enroll(conn, &cid, &lid)?;
                }
                start_attempt(conn, &cid, &lid, &s2, limit, due).map(|_| ())
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(&state, &target, Some("exam-started")))
}

#[derive(Serialize)]
struct FinishPage {
    key: String,
    course_title: String,
    title: String,
    subsection_id: String,
    action: String,
    back: String,
    remaining: String,
    ends_at: String,
}

/// "Finish now?": the confirmation page (a page, not a script dialog, so it works for
/// everyone and says what finishing means).
async fn finish_form(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, sub) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, _staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (seq, _) = timed_subsection(&course, &sub)?;
    let (cid, lid, s2) = (course.row.id.clone(), learner.id().to_string(), sub.clone());
    let attempt = state
        .db
        .read(move |conn| find(conn, &cid, &lid, &s2).map_err(AppError::from))
        .await?;
    let back = unit_in(&course, seq, "");
    let now_utc = Utc::now();
    let Phase::Running { deadline } = phase(attempt.as_ref(), None, now_utc) else {
        // Nothing running to finish: the subsection's page says where things stand.
        return Ok(see_other(&state, &back, None));
    };
    let page = FinishPage {
        key: course.key().to_string(),
        course_title: course.course.title(),
        title: course.display_name(seq),
        subsection_id: sub.clone(),
        action: format!(
            "/kursy/{}/egzamin/{}/zakoncz",
            course.key(),
            encode_path(&sub)
        ),
        back,
        remaining: clock((deadline - now_utc).num_seconds()),
        ends_at: when(&deadline, ctx.lang),
    };
    render(&state, &ctx, "learn/exam_finish.html", &page)
}

async fn finish(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, sub) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, _staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (seq, _) = timed_subsection(&course, &sub)?;
    let (cid, lid, s2) = (course.row.id.clone(), learner.id().to_string(), sub.clone());
    let finished = state
        .db
        .run(move |conn| finish_attempt(conn, &cid, &lid, &s2).map_err(AppError::from))
        .await?;
    Ok(see_other(
        &state,
        &unit_in(&course, seq, ""),
        finished.then_some("exam-finished"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(start: &str, deadline: &str, ended: Option<&str>) -> Attempt {
        let p = |s: &str| parse_date(s).unwrap().naive_utc();
        Attempt {
            course_id: "c".into(),
            learner_id: "l".into(),
            subsection_id: "s".into(),
            started_at: p(start),
            deadline: p(deadline),
            ended_at: ended.map(p),
        }
    }

    #[test]
    fn phases_follow_the_clock() {
        let now = parse_date("2026-01-01T10:00:00Z").unwrap();
        assert_eq!(phase(None, None, now), Phase::NotStarted);
        assert_eq!(
            phase(None, parse_date("2026-01-01T09:00:00Z"), now),
            Phase::Missed
        );
        let running = attempt("2026-01-01T09:50:00Z", "2026-01-01T10:20:00Z", None);
        assert!(matches!(
            phase(Some(&running), None, now),
            Phase::Running { .. }
        ));
        let expired = attempt("2026-01-01T09:00:00Z", "2026-01-01T09:30:00Z", None);
        assert_eq!(
            phase(Some(&expired), None, now),
            Phase::Over {
                at: parse_date("2026-01-01T09:30:00Z").unwrap()
            }
        );
        let finished = attempt(
            "2026-01-01T09:50:00Z",
            "2026-01-01T10:20:00Z",
            Some("2026-01-01T09:55:00Z"),
        );
        assert_eq!(
            phase(Some(&finished), None, now),
            Phase::Over {
                at: parse_date("2026-01-01T09:55:00Z").unwrap()
            }
        );
    }

    #[test]
    fn clock_and_limits() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(-5), "0:00");
        assert_eq!(clock(605), "10:05");
        assert_eq!(clock(3725), "1:02:05");
    }
}
