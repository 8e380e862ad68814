//! Results for the course's staff: per question a bar chart (SVG with its data in text) and the
//! same numbers in a table, free-text answers listed, and every response as CSV.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use platform::i18n::{Arg, Lang};
use platform::web::render::render;
use platform::web::{AppError, AppState, Ctx};
use serde::Serialize;

use super::author::{load, staff_course};
use super::store::{self, Answer, Kind, Question, Response, Survey};
use crate::learning::cache::CourseCache;
use crate::learning::polls::{csv_field, pseudonym};
use crate::learning::render::warsaw;

/// Counts of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    /// Responses that answered the question: the base of the percentages.
    pub answered: u64,
    /// Per option (choice) or per value 1–5 (scale).
    pub counts: Vec<u64>,
    /// Scale only: sum of the values.
    pub sum: u64,
    /// Free-text answers.
    pub texts: Vec<String>,
}

pub fn tally(q: &Question, responses: &[(Response, Vec<Answer>)]) -> Tally {
    let slots = match q.kind {
        Kind::Single | Kind::Multiple => q.options.len(),
        Kind::Scale => 5,
        Kind::Text => 0,
    };
    let mut t = Tally {
        answered: 0,
        counts: vec![0; slots],
        sum: 0,
        texts: vec![],
    };
    for (_, answers) in responses {
        let mine: Vec<&Answer> = answers.iter().filter(|a| a.question_id == q.id).collect();
        if mine.is_empty() {
            continue;
        }
        t.answered += 1;
        for a in mine {
            match q.kind {
                Kind::Single | Kind::Multiple => {
                    if let Some(c) = t.counts.get_mut(a.choice as usize) {
                        *c += 1;
                    }
                }
                Kind::Scale => {
                    if let Some(c) = t.counts.get_mut((a.choice - 1) as usize) {
                        *c += 1;
                        t.sum += a.choice as u64;
                    }
                }
                Kind::Text => t.texts.extend(a.text.clone()),
            }
        }
    }
    t
}

/// Whole percent of `n` in `base`, rounded half up (0 when nobody answered).
pub fn percent(n: u64, base: u64) -> u64 {
    (n * 200 + base).checked_div(base * 2).unwrap_or(0)
}

/// A decimal number as people write it in the language (comma in Polish).
pub fn decimal(v: f64, lang: Lang) -> String {
    let s = format!("{v:.2}");
    match lang {
        Lang::Pl => s.replace('.', ","),
        _ => s,
    }
}

const BAR_MAX: f64 = 420.0;
const ROW: u32 = 46;

#[derive(Serialize)]
struct Row {
    label: String,
    short_label: String,
    count: u64,
    percent: u64,
    width: f64,
    y_label: u32,
    y_bar: u32,
    y_text: u32,
    x_text: f64,
}

#[derive(Serialize)]
struct QuestionResult {
    number: usize,
    id: String,
    kind: Kind,
    text: String,
    answered: u64,
    rows: Vec<Row>,
    chart_height: u32,
    desc: String,
    mean: Option<String>,
    texts: Vec<String>,
}

#[derive(Serialize)]
struct ResultsPage<'a> {
    key: String,
    title: String,
    survey: &'a Survey,
    responses: usize,
    questions: Vec<QuestionResult>,
}

fn short(s: &str) -> String {
    if s.chars().count() > 70 {
        format!("{}…", s.chars().take(69).collect::<String>())
    } else {
        s.to_string()
    }
}

fn labels(q: &Question) -> Vec<String> {
    match q.kind {
        Kind::Scale => (1..=5)
            .map(|v| {
                let end = match v {
                    1 => q.options.first(),
                    5 => q.options.get(1),
                    _ => None,
                }
                .filter(|l| !l.is_empty());
                match end {
                    Some(l) => format!("{v} – {l}"),
                    None => v.to_string(),
                }
            })
            .collect(),
        _ => q.options.clone(),
    }
}

fn question_result(
    state: &AppState,
    lang: Lang,
    i: usize,
    q: &Question,
    t: Tally,
) -> QuestionResult {
    let rows: Vec<Row> = labels(q)
        .into_iter()
        .zip(&t.counts)
        .enumerate()
        .map(|(r, (label, &count))| {
            let p = percent(count, t.answered);
            let width = if t.answered == 0 {
                0.0
            } else {
                (count as f64 / t.answered as f64 * BAR_MAX).round()
            };
            let top = r as u32 * ROW;
            Row {
                short_label: short(&label),
                label,
                count,
                percent: p,
                width,
                y_label: top + 15,
                y_bar: top + 21,
                y_text: top + 35,
                x_text: 4.0 + width + 8.0,
            }
        })
        .collect();
    let desc = rows
        .iter()
        .map(|r| {
            state.i18n.t(
                lang,
                "survey-chart-item",
                &[
                    ("label", Arg::Str(r.label.clone())),
                    ("count", Arg::Num(r.count as f64)),
                    ("percent", Arg::Num(r.percent as f64)),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    QuestionResult {
        number: i + 1,
        id: q.id.clone(),
        kind: q.kind,
        text: q.text.clone(),
        answered: t.answered,
        chart_height: rows.len() as u32 * ROW + 4,
        desc,
        mean: (q.kind == Kind::Scale && t.answered > 0)
            .then(|| decimal(t.sum as f64 / t.answered as f64, lang)),
        texts: t.texts,
        rows,
    }
}

pub async fn page(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, _) = load(&state, &course, &id).await?;
    let sid = s.id.clone();
    let responses = state
        .db
        .read(move |conn| store::responses(conn, &sid).map_err(AppError::from))
        .await?;
    let questions = qs
        .iter()
        .enumerate()
        .map(|(i, q)| question_result(&state, ctx.lang, i, q, tally(q, &responses)))
        .collect();
    let page = ResultsPage {
        key: course.key().to_string(),
        title: course.course.title(),
        survey: &s,
        responses: responses.len(),
        questions,
    };
    render(&state, &ctx, "learn/survey_results.html", &page)
}

/// One answer as a CSV cell: option labels (several joined with "; "), the scale value, or the
/// text.
fn cell(q: &Question, answers: &[Answer]) -> String {
    let mine = answers.iter().filter(|a| a.question_id == q.id);
    match q.kind {
        Kind::Single | Kind::Multiple => mine
            .filter_map(|a| q.options.get(a.choice as usize).cloned())
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Scale => mine
            .map(|a| a.choice.to_string())
            .next()
            .unwrap_or_default(),
        Kind::Text => mine
            .filter_map(|a| a.text.clone())
            .next()
            .unwrap_or_default(),
    }
}

/// The CSV: one row per response. Named surveys give the time and the person (the account's
/// name, or a stable pseudonym for a learner without an account); anonymous ones neither.
pub fn csv_text(
    state: &AppState,
    lang: Lang,
    survey: &Survey,
    qs: &[Question],
    responses: &[(Response, Vec<Answer>)],
    names: &HashMap<String, String>,
) -> String {
    let tr = |k: &str| state.i18n.t(lang, k, &[]);
    let mut head = vec![tr("survey-csv-response")];
    if !survey.anonymous {
        head.push(tr("survey-csv-time"));
        head.push(tr("survey-csv-person"));
    }
    head.extend(qs.iter().map(|q| q.text.clone()));
    // A BOM, so that spreadsheet programs read the file as UTF-8.
    let mut out = String::from("\u{feff}");
    let line = |fields: Vec<String>, out: &mut String| {
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    };
    line(head, &mut out);
    for (n, (r, answers)) in responses.iter().enumerate() {
        let mut row = vec![(n + 1).to_string()];
        if !survey.anonymous {
            row.push(
                r.submitted_at
                    .map(|t| warsaw(&t.and_utc()).format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default(),
            );
            row.push(match &r.learner_id {
                Some(id) => names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("anon-{}", pseudonym(id))),
                None => String::new(),
            });
        }
        row.extend(qs.iter().map(|q| cell(q, answers)));
        line(row, &mut out);
    }
    out
}

pub async fn csv(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = staff_course(&state, &cache, &ctx, &key).await?;
    let (s, qs, _) = load(&state, &course, &id).await?;
    let (sid, anonymous) = (s.id.clone(), s.anonymous);
    let (responses, names) = state
        .db
        .read(move |conn| {
            let rs = store::responses(conn, &sid)?;
            let names = if anonymous {
                HashMap::new()
            } else {
                let ids: Vec<String> = rs
                    .iter()
                    .filter_map(|(r, _)| r.learner_id.clone())
                    .filter(|id| !id.starts_with("anon-"))
                    .collect();
                store::names(conn, &ids)?
            };
            Ok::<_, AppError>((rs, names))
        })
        .await?;
    let body = csv_text(&state, ctx.lang, &s, &qs, &responses, &names);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"ankieta-{}.csv\"", s.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_round_half_up_and_survive_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(decimal(3.5, Lang::Pl), "3,50");
        assert_eq!(decimal(3.5, Lang::En), "3.50");
    }
}
