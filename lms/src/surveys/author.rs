//! Authoring by the course's staff: the survey list, creating a survey, its settings, and adding,
//! editing, deleting and reordering questions.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use platform::i18n::Lang;
use platform::web::context::RequestContext;
use platform::web::render::{render, render_page, see_other};
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};

use super::store::{self, Change, Kind, Question, QuestionInput, Refused, Survey};
use super::FieldError;
use crate::learning::access::is_staff;
use crate::learning::cache::{CourseCache, LoadedCourse};
use crate::learning::catalog::course_or_404;
use crate::learning::courseware::require_learner;

pub const MAX_TITLE: usize = 200;
pub const MAX_INTRO: usize = 4000;
pub const MAX_QUESTION: usize = 1000;
pub const MAX_OPTION: usize = 300;
pub const MAX_OPTIONS: usize = 50;
pub const MAX_SCALE_LABEL: usize = 100;

/// The course, when the visitor is its staff: anonymous visitors sign in first, others get 403.
pub async fn staff_course(
    state: &AppState,
    cache: &CourseCache,
    ctx: &RequestContext,
    key: &str,
) -> Result<Arc<LoadedCourse>, AppError> {
    let course = course_or_404(state, cache, key).await?;
    if ctx.user.is_none() {
        return Err(AppError::SignInRequired(format!(
            "/kursy/{}/ankiety",
            course.key()
        )));
    }
    if !is_staff(ctx, &course) {
        return Err(AppError::Forbidden);
    }
    Ok(course)
}

/// The survey of this course with its questions and response count, or 404.
pub async fn load(
    state: &AppState,
    course: &LoadedCourse,
    id: &str,
) -> Result<(Survey, Vec<Question>, i64), AppError> {
    if !store::is_id(id) {
        return Err(AppError::NotFound);
    }
    let (cid, sid) = (course.row.id.clone(), id.to_string());
    state
        .db
        .read(move |conn| {
            let s = store::find(conn, &cid, &sid)?.ok_or(AppError::NotFound)?;
            let qs = store::questions(conn, &sid)?;
            let n = store::response_count(conn, &sid)?;
            Ok::<_, AppError>((s, qs, n))
        })
        .await
}

fn base(course: &LoadedCourse) -> String {
    format!("/kursy/{}/ankiety", course.key())
}

#[derive(Serialize)]
struct ListRow {
    id: String,
    title: String,
    anonymous: bool,
    is_open: bool,
    responses: i64,
    answered: bool,
    questions: usize,
}

#[derive(Serialize)]
struct ListPage {
    key: String,
    title: String,
    staff: bool,
    surveys: Vec<ListRow>,
}

/// Staff see every survey with its state and links; learners the open surveys, answered or not.
pub async fn list(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (cid, lid) = (course.row.id.clone(), learner.id().to_string());
    let (all, counts, answered, nq) = state
        .db
        .read(move |conn| {
            let all = store::of_course(conn, &cid)?;
            let counts = store::response_counts(conn, &cid)?;
            let answered = store::answered_by(conn, &cid, &lid)?;
            let mut nq = vec![];
            for s in &all {
                nq.push(store::questions(conn, &s.id)?.len());
            }
            Ok::<_, AppError>((all, counts, answered, nq))
        })
        .await?;
    let surveys = all
        .into_iter()
        .zip(nq)
        .filter(|(s, n)| staff || (s.is_open && *n > 0))
        .map(|(s, n)| ListRow {
            responses: counts.get(&s.id).copied().unwrap_or(0),
            answered: answered.contains(&s.id),
            questions: n,
            id: s.id,
            title: s.title,
            anonymous: s.anonymous,
            is_open: s.is_open,
        })
        .collect();
    let page = ListPage {
        key: course.key().to_string(),
        title: course.course.title(),
        staff,
        surveys,
    };
    render(&state, &ctx, "learn/survey_list.html", &page)
}

/// The survey settings as entered (kept on errors).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SettingsForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    intro: String,
    /// "anonymous" or "named".
    #[serde(default)]
    anonymity: String,
    /// "open" or "closed".
    #[serde(default)]
    availability: String,
}

struct Settings {
    title: String,
    intro: String,
    anonymous: bool,
    is_open: bool,
}

fn err(state: &AppState, lang: Lang, field: &str, key: &str) -> FieldError {
    FieldError {
        field: field.to_string(),
        message: state.i18n.t(lang, key, &[]),
    }
}

fn validate_settings(
    f: &SettingsForm,
    state: &AppState,
    lang: Lang,
) -> Result<Settings, Vec<FieldError>> {
    let mut errors = vec![];
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(err(state, lang, "title", "survey-err-title"));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(err(state, lang, "title", "survey-err-title-long"));
    }
    let intro = f.intro.trim();
    if intro.chars().count() > MAX_INTRO {
        errors.push(err(state, lang, "intro", "survey-err-intro-long"));
    }
    let anonymous = match f.anonymity.as_str() {
        "anonymous" => Some(true),
        "named" => Some(false),
        _ => None,
    };
    if anonymous.is_none() {
        errors.push(err(
            state,
            lang,
            "anonymity-anonymous",
            "survey-err-anonymity",
        ));
    }
    let is_open = match f.availability.as_str() {
        "open" => Some(true),
        "closed" => Some(false),
        _ => None,
    };
    if is_open.is_none() {
        errors.push(err(
            state,
            lang,
            "availability-open",
            "survey-err-availability",
        ));
    }
    match (anonymous, is_open) {
        (Some(anonymous), Some(is_open)) if errors.is_empty() => Ok(Settings {
            title: title.to_string(),
            intro: intro.to_string(),
            anonymous,
            is_open,
        }),
        _ => Err(errors),
    }
}

#[derive(Serialize)]
struct NewPage<'a> {
    key: String,
    title: String,
    form: &'a SettingsForm,
    errors: &'a [FieldError],
    settings_errors: &'a [FieldError],
    locked: bool,
}

pub async fn new_form(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let form = SettingsForm {
        anonymity: "anonymous".into(),
        availability: "closed".into(),
        ..Default::default()
    };
    let page = NewPage {
        key: course.key().to_string(),
        title: course.course.title(),
        form: &form,
        errors: &[],
        settings_errors: &[],
        locked: false,
    };
    render(&state, &ctx, "learn/survey_new.html", &page)
}

pub async fn create(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    key: web::Path<String>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let s = match validate_settings(&form, &state, ctx.lang) {
        Ok(s) => s,
        Err(errors) => {
            let page = NewPage {
                key: course.key().to_string(),
                title: course.course.title(),
                form: &form,
                errors: &errors,
                settings_errors: &errors,
                locked: false,
            };
            return render_page(
                &state,
                &ctx,
                "learn/survey_new.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let cid = course.row.id.clone();
    let created = state
        .db
        .run(move |conn| {
            store::create(conn, &cid, &s.title, &s.intro, s.anonymous, s.is_open)
                .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("{}/{}/edycja", base(&course), created.id),
        Some("flash-survey-created"),
    ))
}

/// A question's fields as entered (kept on errors).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct QuestionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    /// One per line.
    #[serde(default)]
    options: String,
    #[serde(default)]
    low: String,
    #[serde(default)]
    high: String,
    #[serde(default)]
    required: Option<String>,
}

impl QuestionForm {
    fn of(q: &Question) -> QuestionForm {
        let scale = q.kind == Kind::Scale;
        QuestionForm {
            kind: q.kind.as_str().to_string(),
            text: q.text.clone(),
            options: if scale {
                String::new()
            } else {
                q.options.join("\n")
            },
            low: if scale {
                q.options.first().cloned().unwrap_or_default()
            } else {
                String::new()
            },
            high: if scale {
                q.options.get(1).cloned().unwrap_or_default()
            } else {
                String::new()
            },
            required: q.required.then(|| "yes".to_string()),
        }
    }

    fn blank() -> QuestionForm {
        QuestionForm {
            kind: "single".into(),
            required: Some("yes".into()),
            ..Default::default()
        }
    }
}

/// Checks a question; field ids are those of `learn/survey_question_fields.html`.
pub fn validate_question(
    f: &QuestionForm,
    state: &AppState,
    lang: Lang,
) -> Result<QuestionInput, Vec<FieldError>> {
    let mut errors = vec![];
    let kind = Kind::parse(&f.kind);
    if kind.is_none() {
        errors.push(err(state, lang, "q-kind-single", "survey-err-kind"));
    }
    let text = f.text.trim();
    if text.is_empty() {
        errors.push(err(state, lang, "q-text", "survey-err-question"));
    } else if text.chars().count() > MAX_QUESTION {
        errors.push(err(state, lang, "q-text", "survey-err-question-long"));
    }
    let mut options = vec![];
    match kind {
        Some(k) if k.has_options() => {
            options = f
                .options
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            let mut seen = std::collections::HashSet::new();
            if options.len() < 2 {
                errors.push(err(state, lang, "q-options", "survey-err-options-few"));
            } else if options.len() > MAX_OPTIONS {
                errors.push(err(state, lang, "q-options", "survey-err-options-many"));
            } else if options.iter().any(|o| o.chars().count() > MAX_OPTION) {
                errors.push(err(state, lang, "q-options", "survey-err-option-long"));
            } else if !options.iter().all(|o| seen.insert(o.to_lowercase())) {
                errors.push(err(state, lang, "q-options", "survey-err-options-same"));
            }
        }
        Some(Kind::Scale) => {
            let (low, high) = (f.low.trim(), f.high.trim());
            if low.chars().count() > MAX_SCALE_LABEL {
                errors.push(err(state, lang, "q-low", "survey-err-label-long"));
            }
            if high.chars().count() > MAX_SCALE_LABEL {
                errors.push(err(state, lang, "q-high", "survey-err-label-long"));
            }
            options = vec![low.to_string(), high.to_string()];
        }
        _ => {}
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(QuestionInput {
            kind,
            text: text.to_string(),
            options,
            required: f.required.is_some(),
        }),
        _ => Err(errors),
    }
}

#[derive(Serialize)]
struct QuestionRowView {
    id: String,
    kind: Kind,
    text: String,
    options: Vec<String>,
    required: bool,
    first: bool,
    last: bool,
}

#[derive(Serialize)]
struct EditPage<'a> {
    key: String,
    title: String,
    survey: &'a Survey,
    form: &'a SettingsForm,
    questions: Vec<QuestionRowView>,
    responses: i64,
    locked: bool,
    question: &'a QuestionForm,
    errors: &'a [FieldError],
    settings_errors: &'a [FieldError],
    question_errors: &'a [FieldError],
}

fn settings_of(s: &Survey) -> SettingsForm {
    SettingsForm {
        title: s.title.clone(),
        intro: s.intro.clone(),
        anonymity: if s.anonymous { "anonymous" } else { "named" }.into(),
        availability: if s.is_open { "open" } else { "closed" }.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn edit_page(
    state: &AppState,
    ctx: &RequestContext,
    course: &LoadedCourse,
    survey: &Survey,
    qs: &[Question],
    responses: i64,
    settings: Option<&SettingsForm>,
    question: Option<&QuestionForm>,
    failed: &'static str,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, AppError> {
    let own_settings = settings_of(survey);
    let blank = QuestionForm::blank();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let n = qs.len();
    let page = EditPage {
        key: course.key().to_string(),
        title: course.course.title(),
        survey,
        form: settings.unwrap_or(&own_settings),
        questions: qs
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionRowView {
                id: q.id.clone(),
                kind: q.kind,
                text: q.text.clone(),
                options: q.options.clone(),
                required: q.required,
                first: i == 0,
                last: i + 1 == n,
            })
            .collect(),
        responses,
        locked: responses > 0,
        question: question.unwrap_or(&blank),
        errors: &errors,
        settings_errors: if failed == "settings" { &errors } else { &[] },
        question_errors: if failed == "question" { &errors } else { &[] },
    };
    render_page(state, ctx, "learn/survey_edit.html", &page, status)
}

pub async fn edit(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, n) = load(&state, &course, &id).await?;
    edit_page(&state, &ctx, &course, &s, &qs, n, None, None, "", vec![])
}

fn refused(state: &AppState, course: &LoadedCourse, id: &str, r: Refused) -> HttpResponse {
    match r {
        Refused::HasResponses => see_other(
            state,
            &format!("{}/{id}/edycja", base(course)),
            Some("flash-survey-locked"),
        ),
        Refused::NotFound => HttpResponse::NotFound().finish(),
    }
}

fn done(
    state: &AppState,
    course: &LoadedCourse,
    id: &str,
    change: Change,
    flash: &'static str,
    anchor: &str,
) -> HttpResponse {
    match change {
        Ok(()) => see_other(
            state,
            &format!("{}/{id}/edycja{anchor}", base(course)),
            Some(flash),
        ),
        Err(r) => refused(state, course, id, r),
    }
}

pub async fn save_settings(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, n) = load(&state, &course, &id).await?;
    let v = match validate_settings(&form, &state, ctx.lang) {
        Ok(v) => v,
        Err(errors) => {
            return edit_page(
                &state,
                &ctx,
                &course,
                &s,
                &qs,
                n,
                Some(&form),
                None,
                "settings",
                errors,
            )
        }
    };
    let sid = id.clone();
    let change = state
        .db
        .run(move |conn| {
            store::update_settings(conn, &sid, &v.title, &v.intro, v.anonymous, v.is_open)
                .map_err(AppError::from)
        })
        .await?;
    Ok(done(&state, &course, &id, change, "flash-survey-saved", ""))
}

pub async fn delete(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    if !store::is_id(&id) {
        return Err(AppError::NotFound);
    }
    let cid = course.row.id.clone();
    let deleted = state
        .db
        .run(move |conn| store::delete(conn, &cid, &id).map_err(AppError::from))
        .await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    Ok(see_other(
        &state,
        &base(&course),
        Some("flash-survey-deleted"),
    ))
}

pub async fn add_question(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, n) = load(&state, &course, &id).await?;
    if n > 0 {
        return Ok(refused(&state, &course, &id, Refused::HasResponses));
    }
    let q = match validate_question(&form, &state, ctx.lang) {
        Ok(q) => q,
        Err(errors) => {
            return edit_page(
                &state,
                &ctx,
                &course,
                &s,
                &qs,
                n,
                None,
                Some(&form),
                "question",
                errors,
            )
        }
    };
    let sid = id.clone();
    let change = state
        .db
        .run(move |conn| store::add_question(conn, &sid, &q).map_err(AppError::from))
        .await?;
    Ok(done(
        &state,
        &course,
        &id,
        change,
        "flash-survey-question-added",
        "#questions-h",
    ))
}

#[derive(Serialize)]
struct QuestionPage<'a> {
    key: String,
    title: String,
    survey: &'a Survey,
    qid: String,
    question: &'a QuestionForm,
    errors: &'a [FieldError],
    question_errors: &'a [FieldError],
}

fn find_question<'a>(qs: &'a [Question], qid: &str) -> Result<&'a Question, AppError> {
    qs.iter().find(|q| q.id == qid).ok_or(AppError::NotFound)
}

pub async fn question_form(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, n) = load(&state, &course, &id).await?;
    let q = find_question(&qs, &qid)?;
    if n > 0 {
        return Ok(refused(&state, &course, &id, Refused::HasResponses));
    }
    let page = QuestionPage {
        key: course.key().to_string(),
        title: course.course.title(),
        survey: &s,
        qid,
        question: &QuestionForm::of(q),
        errors: &[],
        question_errors: &[],
    };
    render(&state, &ctx, "learn/survey_question.html", &page)
}

pub async fn save_question(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, n) = load(&state, &course, &id).await?;
    find_question(&qs, &qid)?;
    if n > 0 {
        return Ok(refused(&state, &course, &id, Refused::HasResponses));
    }
    let q = match validate_question(&form, &state, ctx.lang) {
        Ok(q) => q,
        Err(errors) => {
            let page = QuestionPage {
                key: course.key().to_string(),
                title: course.course.title(),
                survey: &s,
                qid,
                question: &form,
                errors: &errors,
                question_errors: &errors,
            };
            return render_page(
                &state,
                &ctx,
                "learn/survey_question.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let sid = id.clone();
    let change = state
        .db
        .run(move |conn| store::update_question(conn, &sid, &qid, &q).map_err(AppError::from))
        .await?;
    Ok(done(
        &state,
        &course,
        &id,
        change,
        "flash-survey-question-saved",
        "#questions-h",
    ))
}

pub async fn delete_question(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    load(&state, &course, &id).await?;
    let sid = id.clone();
    let change = state
        .db
        .run(move |conn| store::delete_question(conn, &sid, &qid).map_err(AppError::from))
        .await?;
    Ok(done(
        &state,
        &course,
        &id,
        change,
        "flash-survey-question-deleted",
        "#questions-h",
    ))
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    direction: String,
}

pub async fn move_question(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    load(&state, &course, &id).await?;
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::BadRequest("direction".into())),
    };
    let sid = id.clone();
    let q = qid.clone();
    let change = state
        .db
        .run(move |conn| store::move_question(conn, &sid, &q, up).map_err(AppError::from))
        .await?;
    Ok(done(
        &state,
        &course,
        &id,
        change,
        "flash-survey-question-moved",
        &format!("#q-{qid}"),
    ))
}
