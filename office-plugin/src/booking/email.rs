//! The citizen's emails: an iMIP invitation (REQUEST) on booking and on every move, a CANCEL when
//! the appointment is cancelled. Built inside the handler from committed data and sent after the
//! transaction, off the async workers.

use chrono::Utc;
use lettre::message::Mailbox;
use lettre::Message;
use platform::i18n::{Arg, Lang};
use platform::web::AppState;

use super::links::{self, Purpose};
use super::store::{Booking, Matter};
use crate::calendar::ical::{self, Attendee, Event, Method, Person, Status};
use crate::page::local_text;

/// The host part of the portal's address, for UIDs.
fn host(state: &AppState) -> String {
    let b = state.config.base_url.trim_end_matches('/');
    let rest = b.split_once("://").map(|(_, r)| r).unwrap_or(b);
    rest.split(['/', ':'])
        .next()
        .unwrap_or("localhost")
        .to_string()
}

pub fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.base_url.trim_end_matches('/'))
}

/// Where the appointment happens: the call room for online visits, the matter's place otherwise.
pub fn place(state: &AppState, m: &Matter, b: &Booking) -> String {
    if b.mode == "online" {
        absolute(
            state,
            &links::path(&state.secret, &b.id, Purpose::Call, b.link_version),
        )
    } else {
        m.location.clone()
    }
}

fn event(state: &AppState, office: &str, m: &Matter, b: &Booking, description: String) -> Event {
    let where_ = place(state, m, b);
    Event {
        uid: ical::uid_for(&b.id, &host(state)),
        sequence: u32::try_from(b.sequence).unwrap_or(0),
        summary: format!("{} – {office}", m.name),
        description: Some(description),
        url: (b.mode == "online").then(|| where_.clone()),
        location: Some(where_),
        start: b.starts_at.and_utc(),
        end: b.ends_at.and_utc(),
        organizer: Person {
            name: office.to_string(),
            email: state.mailer.from().email.to_string(),
        },
        attendees: vec![Attendee::invited(&b.citizen_name, &b.citizen_email)],
        status: Status::Confirmed,
        dtstamp: Utc::now(),
    }
}

/// The invitation (new or updated, by `b.sequence`) or the cancellation for the citizen.
/// `message`: the office's words on a cancellation.
pub fn build(
    state: &AppState,
    lang: Lang,
    office: &str,
    m: &Matter,
    b: &Booking,
    method: Method,
    message: Option<&str>,
) -> Result<Message, String> {
    let t = |key: &str| state.i18n.t(lang, key, &[]);
    let when = local_text(b.starts_at);
    let args = [
        ("matter", Arg::Str(m.name.clone())),
        ("office", Arg::Str(office.to_string())),
        ("when", Arg::Str(when.clone())),
    ];
    let mut text = String::new();
    let subject;
    if method == Method::Cancel {
        subject = state.i18n.t(lang, "booking-mail-cancel-subject", &args);
        text.push_str(&state.i18n.t(lang, "booking-mail-cancel-body", &args));
        text.push('\n');
        if let Some(msg) = message.filter(|s| !s.trim().is_empty()) {
            text.push_str(&format!(
                "\n{}\n{}\n",
                t("booking-mail-message"),
                msg.trim()
            ));
        }
    } else {
        subject = if b.sequence == 0 {
            state.i18n.t(lang, "booking-mail-new-subject", &args)
        } else {
            state.i18n.t(lang, "booking-mail-update-subject", &args)
        };
        text.push_str(&state.i18n.t(lang, "booking-mail-body", &args));
        text.push_str("\n\n");
        let where_ = place(state, m, b);
        if !where_.is_empty() {
            let key = if b.mode == "online" {
                "booking-mail-call"
            } else {
                "booking-mail-place"
            };
            text.push_str(&format!("{}: {where_}\n", t(key)));
        }
        let docs = m.document_list();
        if !docs.is_empty() {
            text.push_str(&format!("\n{}\n", t("booking-mail-documents")));
            for d in docs {
                text.push_str(&format!("- {d}\n"));
            }
        }
        text.push_str(&format!(
            "\n{}: {}\n{}: {}\n",
            t("booking-mail-reschedule"),
            absolute(
                state,
                &links::path(&state.secret, &b.id, Purpose::Reschedule, b.link_version)
            ),
            t("booking-mail-cancel"),
            absolute(
                state,
                &links::path(&state.secret, &b.id, Purpose::Cancel, b.link_version)
            ),
        ));
    }
    let e = event(state, office, m, b, text.clone());
    let ics = match method {
        Method::Request => ical::request_ics(&e),
        Method::Cancel => ical::cancel_ics(&e),
    };
    let to: Mailbox = format!(
        "{} <{}>",
        b.citizen_name.replace(['<', '>', '"'], ""),
        b.citizen_email
    )
    .parse()
    .or_else(|_| b.citizen_email.parse())
    .map_err(|e| format!("bad address: {e}"))?;
    ical::invitation_message(
        state.mailer.from().clone(),
        to,
        &subject,
        &text,
        None,
        &ics,
        method,
    )
    .map_err(|e| e.to_string())
}

/// Sends a message off the async workers. A failure is logged, not shown: the booking stands
/// and the official sees it either way.
pub async fn send(state: &AppState, msg: Result<Message, String>) {
    let msg = match msg {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "booking email not built");
            return;
        }
    };
    let mailer = state.mailer.clone();
    let r = actix_web::web::block(move || mailer.send_message(&msg)).await;
    match r {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "booking email not sent"),
        Err(e) => tracing::warn!(error = %e, "booking email task failed"),
    }
}
