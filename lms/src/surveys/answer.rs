//! Answering a survey: anyone who may learn the course (also anonymous learners of public
//! courses), once.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use platform::i18n::Lang;
use platform::web::render::{render_page, see_other};
use platform::web::{AppError, AppState, Ctx};
use serde::Serialize;

use super::author::load;
use super::store::{self, Given, Kind, NotStored, Question, Survey};
use super::FieldError;
use crate::learning::cache::{CourseCache, LoadedCourse};
use crate::learning::catalog::course_or_404;
use crate::learning::courseware::require_learner;

/// Longest free-text answer, in characters.
pub const MAX_TEXT: usize = 4000;

/// The form field of a question (repeated for multiple choice).
pub fn field_name(qid: &str) -> String {
    format!("q-{qid}")
}

/// The id of the first control of a question, where its error links to.
fn first_control(q: &Question) -> String {
    match q.kind {
        Kind::Text => format!("q-{}", q.id),
        Kind::Scale => format!("q-{}-1", q.id),
        Kind::Single | Kind::Multiple => format!("q-{}-0", q.id),
    }
}

/// Per question id: what to store, or the id of the message saying what is wrong.
pub type Checked = Result<Vec<(String, Given)>, Vec<(String, &'static str)>>;

/// Checks the submitted fields against the questions. Unanswered optional questions give
/// nothing; errors are (question id, message id).
pub fn validate(questions: &[Question], fields: &[(String, String)]) -> Checked {
    let mut by: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in fields {
        by.entry(k.as_str()).or_default().push(v.as_str());
    }
    let mut given = vec![];
    let mut errors = vec![];
    for q in questions {
        let values: Vec<&str> = by
            .get(field_name(&q.id).as_str())
            .map(|v| v.iter().copied().filter(|s| !s.trim().is_empty()).collect())
            .unwrap_or_default();
        let mut fail = |k: &'static str| errors.push((q.id.clone(), k));
        let choice = |s: &str, n: usize| {
            s.trim()
                .parse::<i32>()
                .ok()
                .filter(|c| (0..n as i32).contains(c))
        };
        match q.kind {
            Kind::Single | Kind::Multiple => {
                if values.is_empty() {
                    if q.required {
                        fail("survey-err-required");
                    }
                    continue;
                }
                if q.kind == Kind::Single && values.len() > 1 {
                    fail("survey-err-option");
                    continue;
                }
                let picked: Option<Vec<i32>> =
                    values.iter().map(|v| choice(v, q.options.len())).collect();
                match picked {
                    Some(mut p) => {
                        p.sort_unstable();
                        let n = p.len();
                        p.dedup();
                        if p.len() != n {
                            fail("survey-err-option");
                        } else {
                            given.push((q.id.clone(), Given::Choices(p)));
                        }
                    }
                    None => fail("survey-err-option"),
                }
            }
            Kind::Scale => {
                if values.is_empty() {
                    if q.required {
                        fail("survey-err-required");
                    }
                    continue;
                }
                match (values.len(), values[0].trim().parse::<i32>()) {
                    (1, Ok(v)) if (1..=5).contains(&v) => {
                        given.push((q.id.clone(), Given::Scale(v)))
                    }
                    _ => fail("survey-err-scale"),
                }
            }
            Kind::Text => {
                let text = values.first().map(|s| s.trim()).unwrap_or("");
                if values.len() > 1 {
                    fail("survey-err-option");
                } else if text.is_empty() {
                    if q.required {
                        fail("survey-err-required");
                    }
                } else if text.chars().count() > MAX_TEXT {
                    fail("survey-err-text-long");
                } else {
                    given.push((q.id.clone(), Given::Text(text.replace("\r\n", "\n"))));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(given)
    } else {
        Err(errors)
    }
}

#[derive(Serialize)]
struct OptionView {
    value: i32,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct QuestionView {
    id: String,
    kind: Kind,
    text: String,
    required: bool,
    options: Vec<OptionView>,
    low: String,
    high: String,
    value: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct AnswerPage<'a> {
    key: String,
    title: String,
    survey: &'a Survey,
    /// "form", "answered" or "closed".
    status: &'static str,
    staff: bool,
    anonymous_learner: bool,
    questions: Vec<QuestionView>,
    errors: Vec<FieldError>,
    max_text: usize,
}

#[allow(clippy::too_many_arguments)]
fn page(
    state: &AppState,
    ctx: &platform::web::context::RequestContext,
    course: &LoadedCourse,
    survey: &Survey,
    qs: &[Question],
    status: &'static str,
    staff: bool,
    anonymous_learner: bool,
    submitted: &[(String, String)],
    errors: &[(String, &'static str)],
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let mut by: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in submitted {
        by.entry(k.as_str()).or_default().push(v.as_str());
    }
    let questions = qs
        .iter()
        .map(|q| {
            let vals = by
                .get(field_name(&q.id).as_str())
                .cloned()
                .unwrap_or_default();
            let options = match q.kind {
                Kind::Single | Kind::Multiple => q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, l)| OptionView {
                        value: i as i32,
                        label: l.clone(),
                        checked: vals.contains(&i.to_string().as_str()),
                    })
                    .collect(),
                Kind::Scale => (1..=5)
                    .map(|v| OptionView {
                        value: v,
                        label: v.to_string(),
                        checked: vals.contains(&v.to_string().as_str()),
                    })
                    .collect(),
                Kind::Text => vec![],
            };
            let scale = q.kind == Kind::Scale;
            QuestionView {
                id: q.id.clone(),
                kind: q.kind,
                text: q.text.clone(),
                required: q.required,
                options,
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
                value: if q.kind == Kind::Text {
                    vals.first().map(|s| s.to_string()).unwrap_or_default()
                } else {
                    String::new()
                },
                error: errors
                    .iter()
                    .find(|(id, _)| *id == q.id)
                    .map(|(_, k)| state.i18n.t(lang, k, &[])),
            }
        })
        .collect();
    let errors_view = errors
        .iter()
        .filter_map(|(id, k)| {
            let q = qs.iter().find(|q| &q.id == id)?;
            Some(FieldError {
                field: first_control(q),
                message: format!("{}: {}", q.text, state.i18n.t(lang, k, &[])),
            })
        })
        .collect::<Vec<_>>();
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = AnswerPage {
        key: course.key().to_string(),
        title: course.course.title(),
        survey,
        status,
        staff,
        anonymous_learner,
        questions,
        errors: errors_view,
        max_text: MAX_TEXT,
    };
    render_page(state, ctx, "learn/survey_answer.html", &p, code)
}

/// The survey's form, or a note that it is answered or closed.
pub async fn form(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (s, qs, _) = load(&state, &course, &id).await?;
    // Closed surveys do not exist for learners; staff preview them.
    if !staff && (!s.is_open || qs.is_empty()) {
        return Err(AppError::NotFound);
    }
    let (sid, lid) = (s.id.clone(), learner.id().to_string());
    let answered = state
        .db
        .read(move |conn| store::has_answered(conn, &sid, &lid).map_err(AppError::from))
        .await?;
    let status = if answered {
        "answered"
    } else if !s.is_open || qs.is_empty() {
        "closed"
    } else {
        "form"
    };
    page(
        &state,
        &ctx,
        &course,
        &s,
        &qs,
        status,
        staff,
        learner.is_anonymous(),
        &[],
        &[],
        ctx.lang,
    )
}

/// Stores a response once; invalid answers give the form back (422) with what was entered.
pub async fn submit(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let (s, qs, _) = load(&state, &course, &id).await?;
    let here = format!("/kursy/{}/ankiety/{}", course.key(), s.id);
    if !s.is_open || qs.is_empty() {
        if staff {
            return Ok(see_other(&state, &here, Some("flash-survey-closed")));
        }
        return Err(AppError::NotFound);
    }
    let (sid, lid) = (s.id.clone(), learner.id().to_string());
    let answered = state
        .db
        .read(move |conn| store::has_answered(conn, &sid, &lid).map_err(AppError::from))
        .await?;
    if answered {
        return Ok(see_other(&state, &here, Some("flash-survey-already")));
    }
    let fields = fields.into_inner();
    let given = match validate(&qs, &fields) {
        Ok(g) => g,
        Err(errors) => {
            return page(
                &state,
                &ctx,
                &course,
                &s,
                &qs,
                "form",
                staff,
                learner.is_anonymous(),
                &fields,
                &errors,
                ctx.lang,
            )
        }
    };
    let (sid, lid) = (s.id.clone(), learner.id().to_string());
    let shown = qs.clone();
    let outcome = state
        .db
        .run(move |conn| {
            store::respond(conn, &sid, &lid, |_, now| {
                (now == shown.as_slice()).then_some(given)
            })
            .map_err(AppError::from)
        })
        .await?;
    let flash = match outcome {
        Ok(()) => "flash-survey-thanks",
        Err(NotStored::AlreadyAnswered) => "flash-survey-already",
        Err(NotStored::Closed) => "flash-survey-closed",
        Err(NotStored::Changed) => "flash-survey-changed",
    };
    Ok(see_other(&state, &here, Some(flash)))
}
