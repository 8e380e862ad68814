//! Surveys, their questions and responses in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::now;
use serde::Serialize;

diesel::table! {
    surveys (id) {
        id -> Text,
        course_id -> Text,
        title -> Text,
        intro -> Text,
        anonymous -> Bool,
        is_open -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_questions (id) {
        id -> Text,
        survey_id -> Text,
        position -> Integer,
        kind -> Text,
        text -> Text,
        options -> Text,
        required -> Bool,
    }
}

diesel::table! {
    survey_respondents (survey_id, learner_id) {
        survey_id -> Text,
        learner_id -> Text,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> Text,
        survey_id -> Text,
        learner_id -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    survey_answers (response_id, question_id, choice) {
        response_id -> Text,
        question_id -> Text,
        choice -> Integer,
        text -> Nullable<Text>,
    }
}

diesel::joinable!(survey_answers -> survey_responses (response_id));
diesel::allow_tables_to_appear_in_same_query!(
    surveys,
    survey_questions,
    survey_respondents,
    survey_responses,
    survey_answers
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = surveys)]
pub struct Survey {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub intro: String,
    pub anonymous: bool,
    pub is_open: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multiple,
    Scale,
    Text,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Single, Kind::Multiple, Kind::Scale, Kind::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Scale => "scale",
            Kind::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_questions)]
pub struct QuestionRow {
    pub id: String,
    pub survey_id: String,
    pub position: i32,
    pub kind: String,
    pub text: String,
    pub options: String,
    pub required: bool,
}

/// A question as the pages use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub kind: Kind,
    pub text: String,
    /// Choice labels; for a scale its end labels (1 and 5), possibly empty.
    pub options: Vec<String>,
    pub required: bool,
}

impl From<QuestionRow> for Question {
    fn from(r: QuestionRow) -> Question {
        Question {
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Text),
            options: serde_json::from_str(&r.options).unwrap_or_default(),
            id: r.id,
            text: r.text,
            required: r.required,
        }
    }
}

/// A question's content as the author enters it (already validated).
#[derive(Debug, Clone)]
pub struct QuestionInput {
    pub kind: Kind,
    pub text: String,
    pub options: Vec<String>,
    pub required: bool,
}

/// One answer as stored: see `survey_answers.choice`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = survey_answers)]
pub struct Answer {
    pub response_id: String,
    pub question_id: String,
    pub choice: i32,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_responses)]
pub struct Response {
    pub id: String,
    pub survey_id: String,
    pub learner_id: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether a path segment can be one of our ids (32 lowercase hex digits).
pub fn is_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn of_course(conn: &mut DbConn, course_id: &str) -> QueryResult<Vec<Survey>> {
    surveys::table
        .filter(surveys::course_id.eq(course_id))
        .order((surveys::created_at.asc(), surveys::id.asc()))
        .select(Survey::as_select())
        .load(conn)
}

/// The survey, only if it belongs to this course (staff of one course never reach another's).
pub fn find(conn: &mut DbConn, course_id: &str, id: &str) -> QueryResult<Option<Survey>> {
    surveys::table
        .find(id)
        .filter(surveys::course_id.eq(course_id))
        .select(Survey::as_select())
        .first(conn)
        .optional()
}

pub fn questions(conn: &mut DbConn, survey_id: &str) -> QueryResult<Vec<Question>> {
    Ok(survey_questions::table
        .filter(survey_questions::survey_id.eq(survey_id))
        .order((survey_questions::position.asc(), survey_questions::id.asc()))
        .select(QuestionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Question::from)
        .collect())
}

pub fn response_count(conn: &mut DbConn, survey_id: &str) -> QueryResult<i64> {
    survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)
}

/// Response counts of the course's surveys, by survey id.
pub fn response_counts(
    conn: &mut DbConn,
    course_id: &str,
) -> QueryResult<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = survey_responses::table
        .inner_join(surveys::table.on(surveys::id.eq(survey_responses::survey_id)))
        .filter(surveys::course_id.eq(course_id))
        .group_by(survey_responses::survey_id)
        .select((survey_responses::survey_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The surveys of the course this learner has answered.
pub fn answered_by(conn: &mut DbConn, course_id: &str, learner: &str) -> QueryResult<Vec<String>> {
    survey_respondents::table
        .inner_join(surveys::table.on(surveys::id.eq(survey_respondents::survey_id)))
        .filter(surveys::course_id.eq(course_id))
        .filter(survey_respondents::learner_id.eq(learner))
        .select(survey_respondents::survey_id)
        .load(conn)
}

pub fn has_answered(conn: &mut DbConn, survey_id: &str, learner: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        survey_respondents::table
            .filter(survey_respondents::survey_id.eq(survey_id))
            .filter(survey_respondents::learner_id.eq(learner)),
    ))
    .get_result(conn)
}

pub fn create(
    conn: &mut DbConn,
    course_id: &str,
    title: &str,
    intro: &str,
    anonymous: bool,
    is_open: bool,
) -> QueryResult<Survey> {
    let t = now();
    let s = Survey {
        id: new_id(),
        course_id: course_id.to_string(),
        title: title.to_string(),
        intro: intro.to_string(),
        anonymous,
        is_open,
        created_at: t,
        updated_at: t,
    };
    diesel::insert_into(surveys::table)
        .values(&s)
        .execute(conn)?;
    Ok(s)
}

/// Takes the survey's row lock (PostgreSQL; SQLite has one writer anyway), so that a response
/// and a change of the questions never interleave.
fn lock(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::update(surveys::table.find(id))
        .set(surveys::updated_at.eq(surveys::updated_at))
        .execute(conn)
}

/// Why a change was not made.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The survey has responses: its questions and anonymity are frozen.
    HasResponses,
    NotFound,
}

pub type Change = Result<(), Refused>;

/// Title, introduction and open/closed may change at any time; anonymity only while there are
/// no responses (respondents were promised one or the other).
pub fn update_settings(
    conn: &mut DbConn,
    id: &str,
    title: &str,
    intro: &str,
    anonymous: bool,
    is_open: bool,
) -> QueryResult<Change> {
    platform::db::write_transaction(conn, |conn| {
        if lock(conn, id)? == 0 {
            return Ok(Err(Refused::NotFound));
        }
        let current: bool = surveys::table
            .find(id)
            .select(surveys::anonymous)
            .first(conn)?;
        if current != anonymous && response_count(conn, id)? > 0 {
            return Ok(Err(Refused::HasResponses));
        }
        diesel::update(surveys::table.find(id))
            .set((
                surveys::title.eq(title),
                surveys::intro.eq(intro),
                surveys::anonymous.eq(anonymous),
                surveys::is_open.eq(is_open),
                surveys::updated_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(Ok(()))
    })
}

/// Runs `f` in a write transaction if the survey has no responses yet.
fn while_unanswered(
    conn: &mut DbConn,
    survey_id: &str,
    f: impl FnOnce(&mut DbConn) -> QueryResult<Change>,
) -> QueryResult<Change> {
    platform::db::write_transaction(conn, |conn| {
        if lock(conn, survey_id)? == 0 {
            return Ok(Err(Refused::NotFound));
        }
        if response_count(conn, survey_id)? > 0 {
            return Ok(Err(Refused::HasResponses));
        }
        f(conn)
    })
}

fn options_json(q: &QuestionInput) -> String {
    serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into())
}

pub fn add_question(conn: &mut DbConn, survey_id: &str, q: &QuestionInput) -> QueryResult<Change> {
    while_unanswered(conn, survey_id, |conn| {
        let last: Option<i32> = survey_questions::table
            .filter(survey_questions::survey_id.eq(survey_id))
            .select(diesel::dsl::max(survey_questions::position))
            .first(conn)?;
        diesel::insert_into(survey_questions::table)
            .values(QuestionRow {
                id: new_id(),
                survey_id: survey_id.to_string(),
                position: last.map_or(0, |p| p + 1),
                kind: q.kind.as_str().to_string(),
                text: q.text.clone(),
                options: options_json(q),
                required: q.required,
            })
            .execute(conn)?;
        Ok(Ok(()))
    })
}

pub fn update_question(
    conn: &mut DbConn,
    survey_id: &str,
    qid: &str,
    q: &QuestionInput,
) -> QueryResult<Change> {
    while_unanswered(conn, survey_id, |conn| {
        let n = diesel::update(
            survey_questions::table
                .filter(survey_questions::survey_id.eq(survey_id))
                .filter(survey_questions::id.eq(qid)),
        )
        .set((
            survey_questions::kind.eq(q.kind.as_str()),
            survey_questions::text.eq(&q.text),
            survey_questions::options.eq(options_json(q)),
            survey_questions::required.eq(q.required),
        ))
        .execute(conn)?;
        Ok(if n == 1 {
            Ok(())
        } else {
            Err(Refused::NotFound)
        })
    })
}

pub fn delete_question(conn: &mut DbConn, survey_id: &str, qid: &str) -> QueryResult<Change> {
    while_unanswered(conn, survey_id, |conn| {
        let n = diesel::delete(
            survey_questions::table
                .filter(survey_questions::survey_id.eq(survey_id))
                .filter(survey_questions::id.eq(qid)),
        )
        .execute(conn)?;
        Ok(if n == 1 {
            Ok(())
        } else {
            Err(Refused::NotFound)
        })
    })
}

/// Swaps the question with its neighbour above (`up`) or below; at either end nothing moves.
pub fn move_question(
    conn: &mut DbConn,
    survey_id: &str,
    qid: &str,
    up: bool,
) -> QueryResult<Change> {
    while_unanswered(conn, survey_id, |conn| {
        let rows: Vec<(String, i32)> = survey_questions::table
            .filter(survey_questions::survey_id.eq(survey_id))
            .order((survey_questions::position.asc(), survey_questions::id.asc()))
            .select((survey_questions::id, survey_questions::position))
            .load(conn)?;
        let Some(i) = rows.iter().position(|(id, _)| id == qid) else {
            return Ok(Err(Refused::NotFound));
        };
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        let Some(j) = j.filter(|j| *j < rows.len()) else {
            return Ok(Ok(()));
        };
        // Renumber all, so equal positions (never written, but cheap to repair) cannot stick.
        let mut order: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
        order.swap(i, j);
        for (pos, id) in order.iter().enumerate() {
            diesel::update(survey_questions::table.find(*id))
                .set(survey_questions::position.eq(pos as i32))
                .execute(conn)?;
        }
        Ok(Ok(()))
    })
}

/// Deletes the survey with its questions and responses.
pub fn delete(conn: &mut DbConn, course_id: &str, id: &str) -> QueryResult<bool> {
    platform::db::write_transaction(conn, |conn| {
        // Explicit children first: SQLite cascades only with foreign keys switched on.
        let responses = survey_responses::table
            .filter(survey_responses::survey_id.eq(id))
            .select(survey_responses::id);
        let questions = survey_questions::table
            .filter(survey_questions::survey_id.eq(id))
            .select(survey_questions::id);
        if find(conn, course_id, id)?.is_none() {
            return Ok(false);
        }
        diesel::delete(survey_answers::table.filter(survey_answers::response_id.eq_any(responses)))
            .execute(conn)?;
        diesel::delete(survey_answers::table.filter(survey_answers::question_id.eq_any(questions)))
            .execute(conn)?;
        diesel::delete(survey_responses::table.filter(survey_responses::survey_id.eq(id)))
            .execute(conn)?;
        diesel::delete(survey_respondents::table.filter(survey_respondents::survey_id.eq(id)))
            .execute(conn)?;
        diesel::delete(survey_questions::table.filter(survey_questions::survey_id.eq(id)))
            .execute(conn)?;
        Ok(diesel::delete(surveys::table.find(id)).execute(conn)? == 1)
    })
}

/// A validated answer to one question, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    Choices(Vec<i32>),
    Scale(i32),
    Text(String),
}

/// Why a response was not stored.
#[derive(Debug, PartialEq, Eq)]
pub enum NotStored {
    AlreadyAnswered,
    Closed,
    /// The questions changed since the form was shown (checked against what is stored now).
    Changed,
}

/// Stores one response, once per learner. `check` validates the answers against the questions
/// read inside the same transaction, so a response always matches the questions it answers.
pub fn respond(
    conn: &mut DbConn,
    survey_id: &str,
    learner: &str,
    check: impl FnOnce(&Survey, &[Question]) -> Option<Vec<(String, Given)>>,
) -> QueryResult<Result<(), NotStored>> {
    platform::db::write_transaction(conn, |conn| {
        lock(conn, survey_id)?;
        let Some(survey) = surveys::table
            .find(survey_id)
            .select(Survey::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(Err(NotStored::Closed));
        };
        if !survey.is_open {
            return Ok(Err(NotStored::Closed));
        }
        let qs = questions(conn, survey_id)?;
        let Some(given) = check(&survey, &qs) else {
            return Ok(Err(NotStored::Changed));
        };
        let n = platform::with_backend!(conn, |c| diesel::insert_into(survey_respondents::table)
            .values((
                survey_respondents::survey_id.eq(survey_id),
                survey_respondents::learner_id.eq(learner),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if n == 0 {
            return Ok(Err(NotStored::AlreadyAnswered));
        }
        let rid = new_id();
        let (who, when) = if survey.anonymous {
            (None, None)
        } else {
            (Some(learner), Some(now()))
        };
        diesel::insert_into(survey_responses::table)
            .values((
                survey_responses::id.eq(&rid),
                survey_responses::survey_id.eq(survey_id),
                survey_responses::learner_id.eq(who),
                survey_responses::submitted_at.eq(when),
            ))
            .execute(conn)?;
        for (qid, g) in given {
            let rows: Vec<(i32, Option<String>)> = match g {
                Given::Choices(v) => v.into_iter().map(|c| (c, None)).collect(),
                Given::Scale(v) => vec![(v, None)],
                Given::Text(t) => vec![(0, Some(t))],
            };
            for (choice, text) in rows {
                diesel::insert_into(survey_answers::table)
                    .values((
                        survey_answers::response_id.eq(&rid),
                        survey_answers::question_id.eq(&qid),
                        survey_answers::choice.eq(choice),
                        survey_answers::text.eq(text),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(Ok(()))
    })
}

/// Every response of a survey with its answers. Named surveys in the order they came; anonymous
/// ones in the order of their random ids (which says nothing about who or when).
pub fn responses(conn: &mut DbConn, survey_id: &str) -> QueryResult<Vec<(Response, Vec<Answer>)>> {
    let rs: Vec<Response> = survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .order((
            survey_responses::submitted_at.asc(),
            survey_responses::id.asc(),
        ))
        .select(Response::as_select())
        .load(conn)?;
    let answers: Vec<Answer> = survey_answers::table
        .inner_join(survey_responses::table)
        .filter(survey_responses::survey_id.eq(survey_id))
        .order((
            survey_answers::response_id.asc(),
            survey_answers::choice.asc(),
        ))
        .select(Answer::as_select())
        .load(conn)?;
    let mut by: std::collections::HashMap<String, Vec<Answer>> = Default::default();
    for a in answers {
        by.entry(a.response_id.clone()).or_default().push(a);
    }
    Ok(rs
        .into_iter()
        .map(|r| {
            let a = by.remove(&r.id).unwrap_or_default();
            (r, a)
        })
        .collect())
}

/// Moves an anonymous learner's survey participation into the account (inside the caller's
/// transaction). Where both answered the same survey, the account keeps its own response and the
/// other stays under the anonymous id, so no response is lost and none is counted twice.
pub fn merge(conn: &mut DbConn, anon: &str, user: &str) -> QueryResult<()> {
    let theirs: Vec<String> = survey_respondents::table
        .filter(survey_respondents::learner_id.eq(anon))
        .select(survey_respondents::survey_id)
        .load(conn)?;
    for sid in theirs {
        if has_answered(conn, &sid, user)? {
            continue;
        }
        diesel::update(
            survey_respondents::table
                .filter(survey_respondents::survey_id.eq(&sid))
                .filter(survey_respondents::learner_id.eq(anon)),
        )
        .set(survey_respondents::learner_id.eq(user))
        .execute(conn)?;
        diesel::update(
            survey_responses::table
                .filter(survey_responses::survey_id.eq(&sid))
                .filter(survey_responses::learner_id.eq(anon)),
        )
        .set(survey_responses::learner_id.eq(user))
        .execute(conn)?;
    }
    Ok(())
}

/// Full names of these users, by id (for the named survey CSV).
pub fn names(
    conn: &mut DbConn,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    use platform::db::schema::users;
    let rows: Vec<(String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
