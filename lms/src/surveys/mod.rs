//! Course surveys: authored by the course's staff (single and multiple choice, a 1–5 scale, free
//! text; anonymous or named), answered once by anyone who may learn the course (also without an
//! account), with results as charts and tables and a CSV export for staff.
//!
//! Answers refer to choice options by index, so once a survey has a response its questions (and
//! its anonymity, which respondents were promised) are frozen: the author closes it and makes a
//! new survey instead. Title, introduction and open/closed can always change.
//!
//! Anonymous surveys store their answers without learner id or time; who has answered is kept
//! apart, in `survey_respondents`, only for the once-only check.

pub mod answer;
pub mod author;
pub mod results;
pub mod store;

use actix_web::web;

/// Routes under `/kursy/{key}`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/ankiety", web::get().to(author::list))
        .route("/ankiety/nowa", web::get().to(author::new_form))
        .route("/ankiety/nowa", web::post().to(author::create))
        .route("/ankiety/{id}/edycja", web::get().to(author::edit))
        .route(
            "/ankiety/{id}/edycja",
            web::post().to(author::save_settings),
        )
        .route("/ankiety/{id}/usun", web::post().to(author::delete))
        .route(
            "/ankiety/{id}/pytania",
            web::post().to(author::add_question),
        )
        .route(
            "/ankiety/{id}/pytania/{qid}",
            web::get().to(author::question_form),
        )
        .route(
            "/ankiety/{id}/pytania/{qid}",
            web::post().to(author::save_question),
        )
        .route(
            "/ankiety/{id}/pytania/{qid}/usun",
            web::post().to(author::delete_question),
        )
        .route(
            "/ankiety/{id}/pytania/{qid}/przesun",
            web::post().to(author::move_question),
        )
        .route("/ankiety/{id}/wyniki", web::get().to(results::page))
        .route("/ankiety/{id}/wyniki.csv", web::get().to(results::csv))
        .route("/ankiety/{id}", web::get().to(answer::form))
        .route("/ankiety/{id}", web::post().to(answer::submit));
}

/// A form error for a template's `errors` (the `error_summary` macro): the id of the field it
/// links to and the translated message.
#[derive(Debug, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}
