//! The email outbox: notices stored with `email_pending` are sent here, after the transaction
//! that made them committed, in the recipient's language. A failed send leaves the row pending
//! for the next run (after the next request that notifies, or the minute's background run).

use std::sync::Mutex;

use diesel::prelude::*;
use platform::db::schema::users;
use platform::i18n::{Arg, Lang};
use platform::mail::Email;
use platform::models::now;
use platform::web::AppState;

use super::Kind;
use crate::schema::office_notifications;

/// One sender at a time in this process, so two runs never mail the same notice twice.
static SENDING: Mutex<()> = Mutex::new(());

/// How many notices one run sends at most; the rest wait for the next run.
const BATCH: i64 = 200;

type Pending = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);

/// Sends pending notice emails and marks each sent one `emailed_at`. Blocking (database and
/// SMTP): run it on the blocking pool. Returns how many were sent.
pub fn send_pending(state: &AppState) -> usize {
    let Ok(_one) = SENDING.lock() else {
        return 0;
    };
    let Ok(mut conn) = state.db.get() else {
        return 0;
    };
    let rows: Vec<Pending> = match pending(&mut conn) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "the notification outbox could not be read");
            return 0;
        }
    };
    let mut sent = 0;
    for (id, kind, subject, link, actor, email, name, language) in rows {
        let lang = language
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or(Lang::Pl);
        let Some(kind) = Kind::parse(&kind) else {
            continue;
        };
        let mail = compose(
            state,
            lang,
            kind,
            &subject,
            &link,
            actor.as_deref(),
            email,
            name,
        );
        match state.mailer.send(&mail) {
            Ok(()) => {
                let r = platform::db::write_transaction(&mut conn, |c| {
                    diesel::update(office_notifications::table.find(&id))
                        .set((
                            office_notifications::email_pending.eq(false),
                            office_notifications::emailed_at.eq(Some(now())),
                        ))
                        .execute(c)
                });
                if let Err(e) = r {
                    tracing::error!(error = %e, "a sent notification could not be marked");
                }
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, notification = %id, "notification email not sent; it stays pending")
            }
        }
    }
    sent
}

/// The oldest pending notices with their recipient's address, name and language.
fn pending(conn: &mut platform::db::DbConn) -> QueryResult<Vec<Pending>> {
    let rows: Vec<(String, String, String, String, String, Option<String>)> =
        office_notifications::table
            .filter(office_notifications::email_pending.eq(true))
            .filter(office_notifications::emailed_at.is_null())
            .order(office_notifications::created_at.asc())
            .limit(BATCH)
            .select((
                office_notifications::id,
                office_notifications::user_id,
                office_notifications::kind,
                office_notifications::subject,
                office_notifications::link,
                office_notifications::actor_name,
            ))
            .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let people: Vec<(String, String, String, Option<String>)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::email, users::full_name, users::language))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, uid, kind, subject, link, actor)| {
            let (_, email, name, language) = people.iter().find(|p| p.0 == uid)?.clone();
            Some((id, kind, subject, link, actor, email, name, language))
        })
        .collect())
}

/// The Fluent id naming a kind in words.
pub fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Assigned => "notification-kind-assigned",
        Kind::Delegated => "notification-kind-delegated",
        Kind::Comment => "notification-kind-comment",
        Kind::DueTomorrow => "notification-kind-due_tomorrow",
        Kind::Overdue => "notification-kind-overdue",
        Kind::BookingNew => "notification-kind-booking_new",
        Kind::BookingChanged => "notification-kind-booking_changed",
        Kind::Invitation => "notification-kind-invitation",
    }
}

#[allow(clippy::too_many_arguments)]
fn compose(
    state: &AppState,
    lang: Lang,
    kind: Kind,
    subject: &str,
    link: &str,
    actor: Option<&str>,
    to: String,
    to_name: String,
) -> Email {
    let i = &state.i18n;
    let what = i.t(lang, kind_key(kind), &[]);
    let url = format!("{}{}", state.config.base_url, link);
    let mut text = format!("{what}: {subject}\n");
    if let Some(a) = actor {
        text.push_str(&i.t(
            lang,
            "notification-email-by",
            &[("name", Arg::Str(a.into()))],
        ));
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&i.t(lang, "notification-email-open", &[("url", Arg::Str(url))]));
    text.push_str("\n\n");
    text.push_str(&i.t(
        lang,
        "notification-email-settings",
        &[(
            "url",
            Arg::Str(format!(
                "{}/biuro/powiadomienia/ustawienia",
                state.config.base_url
            )),
        )],
    ));
    text.push('\n');
    Email {
        to,
        to_name: Some(to_name),
        subject: format!("{what}: {subject}"),
        text,
        html: None,
    }
}

/// Sends the outbox in the background, after a request that notified: the response does not
/// wait for the mail server.
pub fn spawn_send(state: &AppState) {
    let state = state.clone();
    actix_web::rt::spawn(async move {
        let _ = actix_web::web::block(move || send_pending(&state)).await;
    });
}

/// The office's minute: reminders (due tomorrow, overdue), then the outbox.
pub fn start(state: &AppState) {
    let state = state.clone();
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            let s = state.clone();
            let _ = actix_web::web::block(move || {
                if let Ok(mut conn) = s.db.get() {
                    let r = platform::db::write_transaction(&mut conn, |c| {
                        crate::tasks::store::remind(c, now())
                    });
                    if let Err(e) = r {
                        tracing::error!(error = %e, "task reminders failed");
                    }
                }
                send_pending(&s)
            })
            .await;
        }
    });
}
