//! CAPA problems in the courseware: rendering with the learner's state, and the submission
//! endpoint (check, hint, show answer, reset) with Open edX's rules for attempts, due dates,
//! showanswer and rerandomize. A submission grades, stores the answer and recomputes the course
//! grade in one transaction.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use platform::i18n::Lang;
use platform::models::now;
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};
use xblock_compat::capa::render as capa_render;
use xblock_compat::capa::{AnswerValue, Answers, CapaError, Problem};
use xblock_compat::courseware::policy::{self, effective_settings, ProblemSettings, SubmitRefusal};

use super::cache::{CourseCache, LoadedCourse};
use super::catalog::course_or_404;
use super::courseware::require_learner;
use super::db::{self, block_key, BlockState};
use super::learner::Learner;
use super::render::{encode_path, escape, static_url, t};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/problem/{id}", web::post().to(submit));
}

/// A learner's state of one problem, stored as JSON in `learner_blocks.state`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProblemState {
    /// The seed the learner's variant was generated with (kept across merges and reloads).
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub answers: Answers,
    #[serde(default)]
    pub correct_map: BTreeMap<String, StoredResult>,
    /// Demand hints revealed so far.
    #[serde(default)]
    pub hints: usize,
    /// "Show answer" was pressed (and allowed).
    #[serde(default)]
    pub shown: bool,
    #[serde(default)]
    pub resets: u32,
    /// The last problem with the learner's input (no attempt used).
    #[serde(default)]
    pub error: Option<String>,
    /// Submitted to a scripted problem (graded once the sandbox exists).
    #[serde(default)]
    pub scripted: bool,
    /// Raw earned points of every graded attempt, oldest first (Open edX's score history).
    #[serde(default)]
    pub history: Vec<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredResult {
    pub correctness: String,
    pub npoints: Option<f64>,
    #[serde(default)]
    pub msg: String,
}

/// The learner's variant: the stored seed, or (first visit) the one Open edX's `rerandomize`
/// gives: 1 for `never`, the learner's bin for `per_student`, and for `always`/`onreset` a
/// value drawn from the learner and location until a reset draws a new one.
pub fn seed_for(
    settings: &ProblemSettings,
    learner: &str,
    location: &str,
    st: &ProblemState,
) -> u64 {
    if let Some(s) = st.seed {
        return s;
    }
    let fresh = policy::randomization_bin(learner, location, policy::BinHash::Current) as i32;
    policy::seed_for(&settings.rerandomize, learner, location, fresh).unsigned_abs()
}

/// The variant of a problem a learner sees before any reset.
pub fn learner_problem(
    course: &LoadedCourse,
    idx: usize,
    learner: &str,
) -> Result<Arc<Problem>, CapaError> {
    let settings = effective_settings(&course.course, idx);
    let seed = seed_for(
        &settings,
        learner,
        &location(course, idx),
        &ProblemState::default(),
    );
    course.problem(idx, seed)
}

/// Open edX's location string of a problem, for seeds.
fn location(course: &LoadedCourse, idx: usize) -> String {
    let c = &course.course;
    format!(
        "block-v1:{}+{}+{}+type@problem+block@{}",
        c.org,
        c.number,
        c.run,
        course.block(idx).id
    )
}

/// The rules' view of a learner's state.
fn rule_state(row: Option<&BlockState>, st: &ProblemState, max: u32) -> policy::ProblemState {
    let (earned, possible) = row
        .and_then(|r| r.earned.zip(r.possible))
        .unwrap_or((0.0, f64::from(max)));
    policy::ProblemState {
        attempts: i64::from(row.map_or(0, |r| r.attempts)),
        done: !st.correct_map.is_empty(),
        correct: earned >= possible,
        last_submission_time: row
            .filter(|r| r.attempts > 0)
            .map(|r| r.updated_at.and_utc()),
    }
}

fn state_of(st: Option<&BlockState>) -> ProblemState {
    st.and_then(|r| serde_json::from_str(&r.state).ok())
        .unwrap_or_default()
}

/// A message shown under a problem after an action.
#[derive(Debug, Clone)]
pub enum Feedback {
    Graded {
        score: f64,
        max: u32,
    },
    InputError(String),
    Scripted,
    Closed,
    NeedsReset,
    Wait(i64),
    Conflict,
    /// A timed subsection not started yet (see `exams`).
    ExamNotStarted,
    /// A timed subsection whose time is up or that the learner finished.
    ExamOver,
}

/// The problem as HTML inside its form, with the learner's answers, results and buttons.
#[allow(clippy::too_many_arguments)]
pub fn render_problem(
    course: &Arc<LoadedCourse>,
    idx: usize,
    learner: &Learner,
    staff: bool,
    row: Option<&BlockState>,
    lang: Lang,
    state: &AppState,
    csrf: &str,
    feedback: Option<Feedback>,
) -> String {
    let tr = |k: &str, args: &[(&str, &str)]| escape(&t(state, lang, k, args));
    let b = course.block(idx);
    let settings = effective_settings(&course.course, idx);
    let st = state_of(row);
    let attempts = row.map_or(0, |r| r.attempts);
    let seed = seed_for(&settings, learner.id(), &location(course, idx), &st);
    let title = course.display_name(idx);
    let html_id = format!("block-{}", b.id);
    let mut out = format!(
        "<section class=\"problem\" id=\"{}\" aria-labelledby=\"{}-h\"><h2 id=\"{}-h\">{}</h2>",
        escape(&html_id),
        escape(&html_id),
        escape(&html_id),
        escape(&title)
    );
    let problem = match course.problem(idx, seed) {
        Ok(p) => p,
        Err(e) => {
            out.push_str(&format!(
                "<p class=\"block-notice\" role=\"note\">{}</p></section>",
                tr("problem-broken", &[("error", &e.to_string())])
            ));
            return out;
        }
    };
    let max = problem.max_score();
    let now = Utc::now();
    let rules = rule_state(row, &st, max);
    let closed = settings.is_closed(rules.attempts, now);
    let can_show = settings.answer_available(&rules, now, staff);
    // Meta line: points, attempts, due date.
    let points = match settings.weight {
        Some(w) => w,
        None => f64::from(max),
    };
    let mut meta = vec![];
    let earned = row
        .and_then(|r| r.earned.zip(r.possible))
        .map(|(e, p)| match settings.weight {
            Some(w) if p > 0.0 => e * w / p,
            _ => e,
        });
    meta.push(match earned {
        Some(e) => tr(
            "problem-points-earned",
            &[("earned", &fmt_num(e)), ("possible", &fmt_num(points))],
        ),
        None => tr("problem-points", &[("possible", &fmt_num(points))]),
    });
    if let Some(m) = settings.max_attempts {
        meta.push(tr(
            "problem-attempts",
            &[("used", &attempts.to_string()), ("max", &m.to_string())],
        ));
    }
    if let Some(d) = settings.close_date() {
        meta.push(tr(
            "problem-due",
            &[("date", &super::render::human_date(&d, lang))],
        ));
    }
    out.push_str(&format!(
        "<p class=\"problem-meta\">{}</p>",
        meta.join(" · ")
    ));
    out.push_str(&format!(
        "<form method=\"post\" action=\"/kursy/{}/problem/{}\" class=\"capa-form\" novalidate><input type=\"hidden\" name=\"csrf_token\" value=\"{}\">",
        escape(course.key()),
        escape(&encode_path(&b.id)),
        escape(csrf)
    ));
    let static_fn = |p: &str| static_url(course, p).unwrap_or_else(|| p.to_string());
    let answers: BTreeMap<String, capa_render::RenderAnswer> = st
        .answers
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                match v {
                    AnswerValue::One(s) => capa_render::RenderAnswer::One(s.clone()),
                    AnswerValue::Many(l) => capa_render::RenderAnswer::Many(l.clone()),
                },
            )
        })
        .collect();
    let mut answers = answers;
    for input in problem.inputs() {
        if is_choicetext(&input.input_tag) {
            if let Some(AnswerValue::One(json)) = st.answers.get(&input.id) {
                decompose_choicetext(&mut answers, &input.id, json);
            }
        }
    }
    let shown = (st.shown && can_show).then(|| problem.correct_answers());
    let results: BTreeMap<String, capa_render::RenderResult> = st
        .correct_map
        .iter()
        .filter_map(|(k, r)| {
            Some((
                k.clone(),
                capa_render::RenderResult {
                    correctness: capa_render::Correctness::parse(&r.correctness)?,
                    msg: r.msg.clone(),
                },
            ))
        })
        .collect();
    let rstate = capa_render::RenderState {
        answers: &answers,
        results: &results,
        show_answers: shown.as_ref(),
        show_solutions: shown.is_some(),
        hints_shown: st.hints,
        disabled: closed && !staff,
        lang: match lang {
            Lang::Pl => capa_render::Lang::Pl,
            Lang::En => capa_render::Lang::En,
        },
        static_url: &static_fn,
    };
    // A problem nobody has touched looks the same for every learner with the same variant:
    // render it once.
    let untouched = answers.is_empty()
        && results.is_empty()
        && rstate.show_answers.is_none()
        && st.hints == 0
        && !rstate.disabled;
    let render = || match capa_render::render(problem.annotated_xml(), &rstate) {
        Ok(r) => (r.html, r.demand_hints),
        Err(e) => (
            format!(
                "<p class=\"block-notice\" role=\"note\">{}</p>",
                tr("problem-broken", &[("error", &e.to_string())])
            ),
            0,
        ),
    };
    let (body, demand_hints) = if untouched {
        course.fresh_problem(idx, seed, lang.code(), render)
    } else {
        let (h, n) = render();
        (h.into(), n)
    };
    out.push_str(&body);
    // The live region: results of the last action.
    let fb = match feedback {
        Some(Feedback::Graded { score, max }) => Some(tr(
            "problem-graded",
            &[("score", &fmt_num(score)), ("max", &max.to_string())],
        )),
        Some(Feedback::InputError(e)) => Some(tr("problem-input-error", &[("error", &e)])),
        Some(Feedback::Scripted) => Some(tr("problem-scripted", &[])),
        Some(Feedback::Closed) => Some(tr("problem-closed", &[])),
        Some(Feedback::NeedsReset) => Some(tr("problem-needs-reset", &[])),
        Some(Feedback::Wait(n)) => Some(tr("problem-wait", &[("seconds", &n.to_string())])),
        Some(Feedback::Conflict) => Some(tr("problem-conflict", &[])),
        Some(Feedback::ExamNotStarted) => Some(tr("exam-problem-not-started", &[])),
        Some(Feedback::ExamOver) => Some(tr("exam-problem-over", &[])),
        None => st
            .error
            .as_ref()
            .map(|e| tr("problem-input-error", &[("error", e)]))
            .or_else(|| st.scripted.then(|| tr("problem-scripted", &[])))
            .or_else(|| {
                // The last graded result stays visible after a reload.
                let (e, p) = row.and_then(|r| r.earned.zip(r.possible))?;
                (!st.correct_map.is_empty()).then(|| {
                    tr(
                        "problem-graded",
                        &[("score", &fmt_num(e)), ("max", &fmt_num(p))],
                    )
                })
            }),
    };
    out.push_str(&format!(
        "<div class=\"problem-feedback\" role=\"status\" aria-live=\"polite\">{}</div>",
        fb.map(|f| format!("<p>{f}</p>")).unwrap_or_default()
    ));
    if problem.needs_python() {
        out.push_str(&format!(
            "<p class=\"block-notice\" role=\"note\">{}</p>",
            tr("problem-scripted", &[])
        ));
    }
    out.push_str("<div class=\"problem-actions\">");
    if settings.submit_button_enabled(&rules, now) || staff {
        out.push_str(&format!(
            "<button type=\"submit\" name=\"action\" value=\"check\" class=\"button\">{}</button>",
            tr("problem-check", &[])
        ));
    }
    if st.hints < demand_hints {
        out.push_str(&format!(
            "<button type=\"submit\" name=\"action\" value=\"hint\" class=\"button-secondary\">{}</button>",
            tr("problem-hint", &[("n", &(st.hints + 1).to_string()), ("total", &demand_hints.to_string())])
        ));
    }
    if can_show && !st.shown {
        out.push_str(&format!(
            "<button type=\"submit\" name=\"action\" value=\"show\" class=\"button-secondary\">{}</button>",
            tr("problem-show-answer", &[])
        ));
    }
    if settings.reset_button_shown(&rules, now) {
        out.push_str(&format!(
            "<button type=\"submit\" name=\"action\" value=\"reset\" class=\"button-secondary\">{}</button>",
            tr("problem-reset", &[])
        ));
    }
    out.push_str("</div></form></section>");
    out
}

/// A problem as the results page shows it: the learner's answers with their results, the
/// correct answers when `show_answers`, every input disabled and no form (nothing to submit).
/// `show_results: false` hides correctness (the author's `show_correctness`).
pub fn render_review(
    course: &LoadedCourse,
    idx: usize,
    learner: &str,
    row: Option<&BlockState>,
    lang: Lang,
    show_results: bool,
    show_answers: bool,
) -> Result<String, String> {
    let settings = effective_settings(&course.course, idx);
    let st = state_of(row);
    let seed = seed_for(&settings, learner, &location(course, idx), &st);
    let problem = course.problem(idx, seed).map_err(|e| e.to_string())?;
    let mut answers: BTreeMap<String, capa_render::RenderAnswer> = st
        .answers
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                match v {
                    AnswerValue::One(s) => capa_render::RenderAnswer::One(s.clone()),
                    AnswerValue::Many(l) => capa_render::RenderAnswer::Many(l.clone()),
                },
            )
        })
        .collect();
    for input in problem.inputs() {
        if is_choicetext(&input.input_tag) {
            if let Some(AnswerValue::One(json)) = st.answers.get(&input.id) {
                decompose_choicetext(&mut answers, &input.id, json);
            }
        }
    }
    let results: BTreeMap<String, capa_render::RenderResult> = if show_results {
        st.correct_map
            .iter()
            .filter_map(|(k, r)| {
                Some((
                    k.clone(),
                    capa_render::RenderResult {
                        correctness: capa_render::Correctness::parse(&r.correctness)?,
                        msg: r.msg.clone(),
                    },
                ))
            })
            .collect()
    } else {
        BTreeMap::new()
    };
    let shown = show_answers.then(|| problem.correct_answers());
    let static_fn = |p: &str| static_url(course, p).unwrap_or_else(|| p.to_string());
    let rstate = capa_render::RenderState {
        answers: &answers,
        results: &results,
        show_answers: shown.as_ref(),
        show_solutions: shown.is_some(),
        hints_shown: 0,
        disabled: true,
        lang: match lang {
            Lang::Pl => capa_render::Lang::Pl,
            Lang::En => capa_render::Lang::En,
        },
        static_url: &static_fn,
    };
    capa_render::render(problem.annotated_xml(), &rstate)
        .map(|r| r.html)
        .map_err(|e| e.to_string())
}

/// Weighted points of a problem as the learner reads them: (earned, possible); earned is
/// `None` before any graded answer.
pub fn weighted_points(
    course: &LoadedCourse,
    idx: usize,
    row: Option<&BlockState>,
) -> (Option<f64>, f64) {
    let settings = effective_settings(&course.course, idx);
    let max = super::grades::max_score(course, idx).unwrap_or(0.0);
    let points = settings.weight.unwrap_or(max);
    let earned = row
        .filter(|r| r.attempts > 0)
        .and_then(|r| r.earned.zip(r.possible))
        .map(|(e, p)| match settings.weight {
            Some(w) if p > 0.0 => e * w / p,
            _ => e,
        });
    (earned, points)
}

pub fn fmt_num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round())
    } else {
        format!("{:.2}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Form fields → CAPA answers (the renderer's field names; composite inputs such as image
/// coordinates are put together there). Inputs the browser did not send (no checkbox ticked)
/// count as empty.
pub fn answers_from_form(form: &[(String, String)], problem: &Problem) -> Answers {
    let composed =
        capa_render::answers_from_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut answers: Answers = composed
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                match v {
                    capa_render::RenderAnswer::One(s) => AnswerValue::One(s),
                    capa_render::RenderAnswer::Many(l) => AnswerValue::Many(l),
                },
            )
        })
        .collect();
    for input in problem.inputs() {
        if is_choicetext(&input.input_tag) {
            compose_choicetext(&mut answers, &input.id);
        }
        if !answers.contains_key(&input.id) {
            let empty = if matches!(
                input.input_tag.as_str(),
                "checkboxgroup" | "checkboxtextgroup" | "radiogroup"
            ) {
                AnswerValue::Many(vec![])
            } else {
                AnswerValue::One(String::new())
            };
            answers.insert(input.id.clone(), empty);
        }
    }
    answers
}

fn is_choicetext(tag: &str) -> bool {
    matches!(
        tag,
        "choicetextgroup" | "radiotextgroup" | "checkboxtextgroup"
    )
}

/// Open edX posts a choice-with-text input as one object: the ticked choices
/// (`ID_choiceinput_Ibc: "choiceinput_I"`) and the number fields inside them; the form has them as
/// separate fields.
fn compose_choicetext(answers: &mut Answers, id: &str) {
    let mut obj = serde_json::Map::new();
    let selected = match answers.remove(id) {
        Some(AnswerValue::One(v)) if !v.is_empty() => vec![v],
        Some(AnswerValue::Many(l)) => l,
        _ => vec![],
    };
    for v in selected {
        let label = v
            .strip_prefix(&format!("{id}_"))
            .and_then(|r| r.strip_suffix("bc"))
            .unwrap_or(&v)
            .to_string();
        obj.insert(v, serde_json::Value::String(label));
    }
    let prefix = format!("{id}_choiceinput_");
    let fields: Vec<String> = answers
        .keys()
        .filter(|k| k.starts_with(&prefix) && k.contains("_numtolerance_input_"))
        .cloned()
        .collect();
    for k in fields {
        if let Some(AnswerValue::One(v)) = answers.remove(&k) {
            obj.insert(k, serde_json::Value::String(v));
        }
    }
    answers.insert(
        id.to_string(),
        AnswerValue::One(serde_json::Value::Object(obj).to_string()),
    );
}

/// The other way, for showing a stored choice-with-text answer in its form fields.
fn decompose_choicetext(
    out: &mut BTreeMap<String, capa_render::RenderAnswer>,
    id: &str,
    json: &str,
) {
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_str::<serde_json::Value>(json) else {
        return;
    };
    let mut ticked = vec![];
    for (k, v) in obj {
        let v = v.as_str().unwrap_or_default().to_string();
        if k.ends_with("bc") {
            ticked.push(k);
        } else {
            out.insert(k, capa_render::RenderAnswer::One(v));
        }
    }
    out.insert(id.to_string(), capa_render::RenderAnswer::Many(ticked));
}

/// The outcome of one submission, computed and stored in one transaction.
struct Outcome {
    row: Option<BlockState>,
    feedback: Option<Feedback>,
}

#[allow(clippy::too_many_arguments)]
fn apply(
    conn: &mut platform::db::DbConn,
    course: &LoadedCourse,
    idx: usize,
    learner: &Learner,
    staff: bool,
    action: &str,
    form: &[(String, String)],
) -> Result<Outcome, AppError> {
    let b = course.block(idx);
    let key = block_key(&b.block_type, &b.id);
    let settings = effective_settings(&course.course, idx);
    let loc = location(course, idx);
    for _ in 0..5 {
        let result = platform::db::write_transaction::<_, AppError, _>(conn, |conn| {
            let old = db::block_state(conn, &course.row.id, learner.id(), &key)?;
            let mut st = state_of(old.as_ref());
            let attempts = old.as_ref().map_or(0, |r| r.attempts);
            let seed = seed_for(&settings, learner.id(), &loc, &st);
            st.seed = Some(seed);
            let problem = course
                .problem(idx, seed)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let now_utc = Utc::now();
            let rules = rule_state(old.as_ref(), &st, problem.max_score());
            let mut new_attempts = attempts;
            let mut earned = old.as_ref().and_then(|r| r.earned);
            let mut possible = old.as_ref().and_then(|r| r.possible);
            let mut completed = old.as_ref().is_some_and(|r| r.completed);
            let mut feedback = None;
            let mut regrade = false;
            // A timed subsection accepts answers (and gives hints or answers) only while its
            // attempt runs, read in this transaction: no grace after the deadline. Staff keep
            // their bypass.
            if !staff {
                if let Some(r) = super::exams::submission_refusal(conn, course, idx, learner.id())?
                {
                    return Ok(Some(Outcome {
                        row: old,
                        feedback: Some(match r {
                            super::exams::Refusal::NotStarted => Feedback::ExamNotStarted,
                            super::exams::Refusal::Over => Feedback::ExamOver,
                        }),
                    }));
                }
            }
            match action {
                "check" => {
                    match settings.can_submit(&rules, now_utc) {
                        Ok(()) => {}
                        Err(_) if staff => {}
                        Err(SubmitRefusal::Closed) => {
                            return Ok(Some(Outcome {
                                row: old,
                                feedback: Some(Feedback::Closed),
                            }))
                        }
                        Err(SubmitRefusal::MustReset) => {
                            return Ok(Some(Outcome {
                                row: old,
                                feedback: Some(Feedback::NeedsReset),
                            }))
                        }
                        Err(SubmitRefusal::Wait { remaining_seconds }) => {
                            return Ok(Some(Outcome {
                                row: old,
                                feedback: Some(Feedback::Wait(remaining_seconds)),
                            }))
                        }
                    }
                    let answers = answers_from_form(form, &problem);
                    st.answers = answers.clone();
                    match problem.grade(&answers) {
                        Ok(g) => {
                            st.correct_map = g
                                .correct_map
                                .iter()
                                .map(|(k, r)| {
                                    (
                                        k.clone(),
                                        StoredResult {
                                            correctness: serde_json::to_value(r.correctness)
                                                .ok()
                                                .and_then(|v| v.as_str().map(str::to_string))
                                                .unwrap_or_default(),
                                            npoints: r.npoints,
                                            msg: r.msg.clone(),
                                        },
                                    )
                                })
                                .collect();
                            st.error = None;
                            st.scripted = false;
                            st.history.push(g.score);
                            new_attempts = attempts + 1;
                            earned = Some(g.score);
                            possible = Some(f64::from(g.max_score));
                            completed = true;
                            regrade = true;
                            feedback = Some(Feedback::Graded {
                                score: g.score,
                                max: g.max_score,
                            });
                        }
                        // Errors in the learner's input never use up an attempt.
                        Err(CapaError::Script(_)) => {
                            st.scripted = true;
                            st.error = None;
                            feedback = Some(Feedback::Scripted);
                        }
                        Err(e) => {
                            st.error = Some(e.to_string());
                            feedback = Some(Feedback::InputError(e.to_string()));
                        }
                    }
                }
                "hint" => {
                    st.hints += 1;
                }
                "show" => {
                    if settings.answer_available(&rules, now_utc, staff) {
                        st.shown = true;
                    }
                }
                "reset" => {
                    if !settings.reset_button_shown(&rules, now_utc) && !staff {
                        return Ok(Some(Outcome {
                            row: old,
                            feedback: Some(Feedback::Closed),
                        }));
                    }
                    st.answers.clear();
                    st.correct_map.clear();
                    st.shown = false;
                    st.error = None;
                    st.resets += 1;
                    if matches!(
                        settings.rerandomize,
                        policy::Rerandomize::Always | policy::Rerandomize::OnReset
                    ) {
                        use rand::Rng;
                        st.seed = Some(rand::thread_rng().gen_range(0..1000));
                    }
                    // Open edX keeps the score until the next submission; attempts stay.
                }
                _ => return Err(AppError::BadRequest("unknown action".into())),
            }
            let row = BlockState {
                course_id: course.row.id.clone(),
                learner_id: learner.id().to_string(),
                block_key: key.clone(),
                state: serde_json::to_string(&st).map_err(AppError::internal)?,
                attempts: new_attempts,
                earned,
                possible,
                completed,
                updated_at: now(),
            };
            if !db::save_block_state(conn, &row, old.as_ref().map(|r| r.attempts))? {
                // Another submission of the same problem won the race: start over.
                return Ok(None);
            }
            if let Learner::User(_) = learner {
                db::enroll(conn, &course.row.id, learner.id())?;
            }
            if regrade {
                let (progress, detail) = super::grades::recompute(conn, course, learner.id())?;
                super::events::on_graded(
                    conn,
                    course,
                    learner.id(),
                    idx,
                    earned.unwrap_or(0.0),
                    possible.unwrap_or(0.0),
                    new_attempts,
                    &progress,
                    &detail,
                )?;
            }
            Ok(Some(Outcome {
                row: Some(row),
                feedback,
            }))
        })?;
        if let Some(o) = result {
            return Ok(o);
        }
    }
    Ok(Outcome {
        row: db::block_state(conn, &course.row.id, learner.id(), &key)?,
        feedback: Some(Feedback::Conflict),
    })
}

async fn submit(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let idx = course.find("problem", &id).ok_or(AppError::NotFound)?;
    let form = form.into_inner();
    let action = form
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "check".into());
    let (c2, l2, f2) = (course.clone(), learner.clone(), form);
    let outcome = state
        .db
        .run(move |conn| apply(conn, &c2, idx, &l2, staff, &action, &f2))
        .await?;
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let unit = course.unit_of(idx);
    if wants_json {
        // A timed test not yet started shows nothing of its questions, here as on the unit page.
        let html = if matches!(outcome.feedback, Some(Feedback::ExamNotStarted)) {
            format!(
                "<p class=\"notice\" role=\"alert\">{}</p>",
                super::render::escape(&state.i18n.t(ctx.lang, "exam-problem-not-started", &[]))
            )
        } else {
            render_problem(
                &course,
                idx,
                &learner,
                staff,
                outcome.row.as_ref(),
                ctx.lang,
                &state,
                &ctx.csrf_token,
                outcome.feedback.clone(),
            )
        };
        let row = outcome.row.as_ref();
        return Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({
                "html": html,
                "attempts": row.map_or(0, |r| r.attempts),
                "earned": row.and_then(|r| r.earned),
                "possible": row.and_then(|r| r.possible),
                "result": match &outcome.feedback {
                    Some(Feedback::Graded { .. }) => "graded",
                    Some(Feedback::InputError(_)) => "input_error",
                    Some(Feedback::Scripted) => "scripted",
                    Some(Feedback::Closed) => "closed",
                    Some(Feedback::NeedsReset) => "needs_reset",
                    Some(Feedback::Wait(_)) => "wait",
                    Some(Feedback::Conflict) => "conflict",
                    Some(Feedback::ExamNotStarted) => "exam_not_started",
                    Some(Feedback::ExamOver) => "exam_over",
                    None => "ok",
                },
            })));
    }
    let target = match unit {
        Some(u) => format!(
            "/kursy/{}/nauka/{}#block-{}",
            course.key(),
            encode_path(&course.block(u).id),
            encode_path(&id)
        ),
        None => format!("/kursy/{}/nauka", course.key()),
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .finish())
}
