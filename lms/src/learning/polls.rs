//! The `poll` and `survey` XBlocks of imported courses (Open edX's xblock-poll): a learner votes
//! (up to `max_submissions`, 1 by default, 0 = unlimited), sees the author's feedback, and the
//! results unless `private_results`. Staff download the votes as CSV.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use platform::i18n::Lang;
use platform::models::now;
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};
use xblock_compat::olx::Block;

use super::cache::{CourseCache, LoadedCourse};
use super::catalog::course_or_404;
use super::courseware::require_learner;
use super::db::{self, block_key, BlockState};
use super::learner::Learner;
use super::render::{encode_path, escape, t};

/// Routes under `/kursy/{key}`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/glosuj/{id}", web::post().to(vote))
        .route("/glosy/{id}.csv", web::get().to(votes_csv));
}

/// One choice or question: its key and label.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    pub label: String,
}

/// A poll or survey as its block defines it.
#[derive(Debug, Clone)]
pub struct PollSpec {
    pub survey: bool,
    pub question: String,
    /// Poll: the choices. Survey: the answer columns.
    pub answers: Vec<Item>,
    /// Survey only: the questions (rows).
    pub questions: Vec<Item>,
    pub feedback: String,
    pub max_submissions: u32,
    pub private_results: bool,
}

/// Items as xblock-poll stores them: `[[key, label]]` or `[[key, {"label": ..}]]`.
fn items(json: Option<String>) -> Vec<Item> {
    let Some(v) = json.and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok()) else {
        return vec![];
    };
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|pair| {
                    let p = pair.as_array()?;
                    let key = p.first()?.as_str()?.to_string();
                    let label = match p.get(1)? {
                        serde_json::Value::String(s) => s.clone(),
                        o => o.get("label")?.as_str()?.to_string(),
                    };
                    Some(Item { key, label })
                })
                .collect()
        })
        .unwrap_or_default()
}

impl PollSpec {
    pub fn of(b: &Block) -> PollSpec {
        let survey = b.block_type == "survey";
        let mut answers = items(b.field("answers"));
        if survey && answers.is_empty() {
            // xblock-poll's default survey columns.
            answers = [("Y", "Yes"), ("N", "No"), ("M", "Maybe")]
                .iter()
                .map(|(k, l)| Item {
                    key: k.to_string(),
                    label: l.to_string(),
                })
                .collect();
        }
        PollSpec {
            survey,
            question: b.field("question").unwrap_or_default(),
            answers,
            questions: items(b.field("questions")),
            feedback: b.field("feedback").unwrap_or_default(),
            max_submissions: b
                .field("max_submissions")
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(1),
            private_results: b
                .field("private_results")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        }
    }

    fn can_vote(&self, st: &VoteState) -> bool {
        self.max_submissions == 0 || st.submissions < self.max_submissions
    }
}

/// A learner's state of a poll or survey.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VoteState {
    /// Poll: `{"": choice}`; survey: question key → answer key.
    #[serde(default)]
    pub choices: BTreeMap<String, String>,
    #[serde(default)]
    pub submissions: u32,
}

fn state_of(row: Option<&BlockState>) -> VoteState {
    row.and_then(|r| serde_json::from_str(&r.state).ok())
        .unwrap_or_default()
}

/// Counts per (question key, answer key); polls use the question key "".
pub type Tally = BTreeMap<(String, String), u64>;

fn tally(
    conn: &mut platform::db::DbConn,
    course_id: &str,
    key: &str,
) -> diesel::QueryResult<(Tally, u64)> {
    let rows = db::block_rows(conn, course_id, key)?;
    let mut t = Tally::new();
    let mut voters = 0;
    for r in rows {
        let st: VoteState = serde_json::from_str(&r.state).unwrap_or_default();
        if st.choices.is_empty() {
            continue;
        }
        voters += 1;
        for (q, a) in st.choices {
            *t.entry((q, a)).or_default() += 1;
        }
    }
    Ok((t, voters))
}

fn text_html(s: &str) -> String {
    escape(s).replace('\n', "<br>")
}

/// The block's HTML for this learner. `results` is the tally when the learner may see it.
#[allow(clippy::too_many_arguments)]
pub fn render(
    course: &Arc<LoadedCourse>,
    idx: usize,
    row: Option<&BlockState>,
    results: Option<&(Tally, u64)>,
    staff: bool,
    lang: Lang,
    state: &AppState,
    csrf: &str,
    message: Option<&str>,
) -> String {
    let b = course.block(idx);
    let spec = PollSpec::of(b);
    let st = state_of(row);
    let tr = |k: &str, a: &[(&str, &str)]| escape(&t(state, lang, k, a));
    let hid = format!("poll-{}", b.id);
    let title = course.display_name(idx);
    let mut out = format!(
        "<section class=\"poll\" id=\"{h}\" aria-labelledby=\"{h}-h\"><h2 id=\"{h}-h\">{}</h2>",
        escape(&title),
        h = escape(&hid)
    );
    let voted = st.submissions > 0;
    if spec.can_vote(&st) {
        out.push_str(&format!(
            "<form method=\"post\" action=\"/kursy/{}/glosuj/{}\" class=\"poll-form\"><input type=\"hidden\" name=\"csrf_token\" value=\"{}\">",
            escape(course.key()),
            escape(&encode_path(&b.id)),
            escape(csrf)
        ));
        let group = |name: &str, legend: &str, out: &mut String, chosen: Option<&String>| {
            out.push_str(&format!(
                "<fieldset class=\"poll-question\"><legend>{}</legend>",
                text_html(legend)
            ));
            for (i, a) in spec.answers.iter().enumerate() {
                let id = format!("{hid}-{}-{i}", encode_path(name).replace('%', "_"));
                out.push_str(&format!(
                    "<div class=\"capa-choice\"><input type=\"radio\" id=\"{id}\" name=\"choice_{}\" value=\"{}\"{}> <label for=\"{id}\">{}</label></div>",
                    escape(name),
                    escape(&a.key),
                    if chosen == Some(&a.key) { " checked" } else { "" },
                    escape(&a.label),
                    id = escape(&id)
                ));
            }
            out.push_str("</fieldset>");
        };
        if spec.survey {
            for q in &spec.questions {
                group(&q.key, &q.label, &mut out, st.choices.get(&q.key));
            }
        } else {
            let legend = if spec.question.is_empty() {
                title.clone()
            } else {
                spec.question.clone()
            };
            group("", &legend, &mut out, st.choices.get(""));
        }
        out.push_str(&format!(
            "<div class=\"problem-feedback\" role=\"status\" aria-live=\"polite\">{}</div><div class=\"problem-actions\"><button type=\"submit\" class=\"button\">{}</button></div></form>",
            message.map(|m| format!("<p>{}</p>", escape(m))).unwrap_or_default(),
            tr(if voted { "poll-vote-again" } else { "poll-vote" }, &[])
        ));
    } else {
        out.push_str(&format!(
            "<div class=\"problem-feedback\" role=\"status\" aria-live=\"polite\"><p>{}</p></div>",
            message.map(escape).unwrap_or_else(|| tr("poll-voted", &[]))
        ));
    }
    if voted && !spec.feedback.trim().is_empty() {
        out.push_str(&format!(
            "<div class=\"poll-feedback\"><p>{}</p></div>",
            text_html(&spec.feedback)
        ));
    }
    if let Some((tally, voters)) = results {
        out.push_str(&results_table(&spec, tally, *voters, &hid, lang, state));
    } else if voted && spec.private_results {
        out.push_str(&format!("<p>{}</p>", tr("poll-results-private", &[])));
    }
    if staff {
        out.push_str(&format!(
            "<p><a href=\"/kursy/{}/glosy/{}.csv\">{}</a></p>",
            escape(course.key()),
            escape(&encode_path(&b.id)),
            tr("poll-csv", &[])
        ));
    }
    out.push_str("</section>");
    out
}

/// Results as a table (counts and percents), with a text-labelled bar per row.
fn results_table(
    spec: &PollSpec,
    tally: &Tally,
    voters: u64,
    hid: &str,
    lang: Lang,
    state: &AppState,
) -> String {
    let tr = |k: &str, a: &[(&str, &str)]| escape(&t(state, lang, k, a));
    let pct = |n: u64| (n * 100 + voters / 2).checked_div(voters).unwrap_or(0);
    let mut out = format!(
        "<table class=\"table poll-results\" id=\"{}-results\"><caption>{}</caption><thead><tr>",
        escape(hid),
        escape(&state.i18n.t(
            lang,
            "poll-results",
            &[("voters", platform::i18n::Arg::Num(voters as f64))]
        ))
    );
    let questions: Vec<Item> = if spec.survey {
        spec.questions.clone()
    } else {
        vec![Item {
            key: String::new(),
            label: String::new(),
        }]
    };
    if spec.survey {
        out.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            tr("poll-col-question", &[])
        ));
    }
    out.push_str(&format!(
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        tr("poll-col-answer", &[]),
        tr("poll-col-votes", &[]),
        tr("poll-col-percent", &[])
    ));
    for q in &questions {
        for a in &spec.answers {
            let n = tally
                .get(&(q.key.clone(), a.key.clone()))
                .copied()
                .unwrap_or(0);
            let p = pct(n);
            out.push_str("<tr>");
            if spec.survey {
                out.push_str(&format!("<th scope=\"row\">{}</th>", escape(&q.label)));
                out.push_str(&format!("<td>{}</td>", escape(&a.label)));
            } else {
                out.push_str(&format!("<th scope=\"row\">{}</th>", escape(&a.label)));
            }
            out.push_str(&format!(
                "<td>{n}</td><td><meter min=\"0\" max=\"100\" value=\"{p}\" aria-hidden=\"true\"></meter> {p}%</td></tr>"
            ));
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// Whether this learner sees the results now (after voting, unless private; staff always).
pub fn shows_results(b: &Block, row: Option<&BlockState>, staff: bool) -> bool {
    let spec = PollSpec::of(b);
    staff || (!spec.private_results && state_of(row).submissions > 0)
}

/// The tally of a block (for rendering results).
pub fn load_tally(
    conn: &mut platform::db::DbConn,
    course: &LoadedCourse,
    idx: usize,
) -> diesel::QueryResult<(Tally, u64)> {
    let b = course.block(idx);
    tally(conn, &course.row.id, &block_key(&b.block_type, &b.id))
}

async fn vote(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    let (learner, _staff) = match require_learner(&state, &ctx, &req, &course).await? {
        Ok(l) => l,
        Err(res) => return Ok(res),
    };
    let idx = course
        .find("poll", &id)
        .or_else(|| course.find("survey", &id))
        .ok_or(AppError::NotFound)?;
    let spec = PollSpec::of(course.block(idx));
    let mut choices = BTreeMap::new();
    for (k, v) in form.into_inner() {
        if let Some(q) = k.strip_prefix("choice_") {
            choices.insert(q.to_string(), v);
        }
    }
    // Every question answered, with one of the offered answers.
    let expected: Vec<String> = if spec.survey {
        spec.questions.iter().map(|q| q.key.clone()).collect()
    } else {
        vec![String::new()]
    };
    let complete = expected.iter().all(|q| {
        choices
            .get(q)
            .is_some_and(|a| spec.answers.iter().any(|x| &x.key == a))
    }) && choices.len() == expected.len();
    let unit = course.unit_of(idx);
    let back = match unit {
        Some(u) => format!(
            "/kursy/{}/nauka/{}#poll-{}",
            course.key(),
            encode_path(&course.block(u).id),
            encode_path(&id)
        ),
        None => format!("/kursy/{}/nauka", course.key()),
    };
    if !complete {
        return Ok(platform::web::render::see_other(
            &state,
            &back,
            Some("flash-poll-incomplete"),
        ));
    }
    let b = course.block(idx);
    let bkey = block_key(&b.block_type, &b.id);
    let (cid, lid) = (course.row.id.clone(), learner.id().to_string());
    let enroll = matches!(learner, Learner::User(_));
    let accepted = state
        .db
        .run(move |conn| {
            platform::db::write_transaction(conn, |conn| {
                let old = db::block_state(conn, &cid, &lid, &bkey)?;
                let mut st = state_of(old.as_ref());
                if !spec.can_vote(&st) {
                    return Ok(false);
                }
                st.choices = choices;
                st.submissions += 1;
                let row = BlockState {
                    course_id: cid.clone(),
                    learner_id: lid.clone(),
                    block_key: bkey.clone(),
                    state: serde_json::to_string(&st).unwrap_or_else(|_| "{}".into()),
                    attempts: st.submissions as i32,
                    earned: None,
                    possible: None,
                    completed: true,
                    updated_at: now(),
                };
                if !db::save_block_state(conn, &row, old.as_ref().map(|r| r.attempts))? {
                    return Ok(false);
                }
                if enroll {
                    db::enroll(conn, &cid, &lid)?;
                }
                Ok::<_, diesel::result::Error>(true)
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(platform::web::render::see_other(
        &state,
        &back,
        Some(if accepted {
            "flash-poll-voted"
        } else {
            "flash-poll-limit"
        }),
    ))
}

/// Every vote as CSV for the course's staff: one line per learner (pseudonymous id) and question.
async fn votes_csv(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (key, file) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    if !super::access::is_staff(&ctx, &course) {
        return Err(AppError::Forbidden);
    }
    let idx = course
        .find("poll", &file)
        .or_else(|| course.find("survey", &file))
        .ok_or(AppError::NotFound)?;
    let b = course.block(idx);
    let spec = PollSpec::of(b);
    let (cid, bkey) = (course.row.id.clone(), block_key(&b.block_type, &b.id));
    let rows = state
        .db
        .run(move |conn| db::block_rows(conn, &cid, &bkey).map_err(AppError::from))
        .await?;
    let label = |items: &[Item], k: &str| {
        items
            .iter()
            .find(|i| i.key == k)
            .map(|i| i.label.clone())
            .unwrap_or_else(|| k.to_string())
    };
    let mut csv = String::from("learner,question_key,question,answer_key,answer,submissions\r\n");
    for r in rows {
        let st: VoteState = serde_json::from_str(&r.state).unwrap_or_default();
        for (q, a) in &st.choices {
            let qlabel = if spec.survey {
                label(&spec.questions, q)
            } else {
                spec.question.clone()
            };
            let fields = [
                pseudonym(&r.learner_id),
                q.clone(),
                qlabel,
                a.clone(),
                label(&spec.answers, a),
                st.submissions.to_string(),
            ];
            csv.push_str(
                &fields
                    .iter()
                    .map(|f| csv_field(f))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            csv.push_str("\r\n");
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"glosy-{}.csv\"",
                b.id.replace('"', "")
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv))
}

/// Staff see who voted only as a stable pseudonym (votes are about the course, not people).
pub(crate) fn pseudonym(learner: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(learner.as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not
/// run it as a formula (CSV injection).
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_in_both_shapes() {
        let a = items(Some(
            r#"[["R", {"label": "Ocena", "img": ""}], ["B", "Inne"]]"#.into(),
        ));
        assert_eq!(
            a[0],
            Item {
                key: "R".into(),
                label: "Ocena".into()
            }
        );
        assert_eq!(a[1].label, "Inne");
        assert!(items(Some("nie json".into())).is_empty());
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("Tak \"chyba\""), "\"Tak \"\"chyba\"\"\"");
    }
}
