//! Personal subscription feeds (`webcal://`): one secret link per person covering all their
//! offices, for Outlook and Thunderbird. Only the token's SHA-256 is stored; a new link revokes
//! the old one, and "revoke" leaves none.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{Duration, TimeZone, Utc};
use diesel::prelude::*;
use platform::access::Permission;
use platform::db::{write_transaction, DbConn};
use platform::models::{new_id, now, random_token, token_digest, user};
use platform::web::render::{render, see_other};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};

use super::ical::{self, Person, Status};
use super::store::{self, ItemKind};
use crate::schema::office_feed_tokens;

/// How far back and ahead a feed reaches: enough for a calendar, small enough to stay cheap.
const PAST_DAYS: i64 = 31;
const FUTURE_DAYS: i64 = 366;
/// At most this many items of each kind in a feed.
const FEED_LIMIT: i64 = 2000;

fn revoke_all(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
    diesel::update(
        office_feed_tokens::table
            .filter(office_feed_tokens::user_id.eq(user_id))
            .filter(office_feed_tokens::revoked_at.is_null()),
    )
    .set(office_feed_tokens::revoked_at.eq(Some(now())))
    .execute(conn)
}

/// A new secret link for the person, revoking any earlier one. Returns the token (shown once).
pub fn new_token(conn: &mut DbConn, user_id: &str) -> QueryResult<String> {
    let token = random_token();
    write_transaction(conn, |conn| {
        revoke_all(conn, user_id)?;
        diesel::insert_into(office_feed_tokens::table)
            .values((
                office_feed_tokens::id.eq(new_id()),
                office_feed_tokens::user_id.eq(user_id),
                office_feed_tokens::digest.eq(token_digest(&token)),
                office_feed_tokens::created_at.eq(now()),
            ))
            .execute(conn)
    })?;
    Ok(token)
}

/// Whether the person may use the calendar feed at all: an official somewhere.
fn may_subscribe(principal: &platform::access::Principal) -> bool {
    principal.can_anywhere(Permission::UseOffice)
}

#[derive(Serialize)]
struct SubscriptionPage {
    /// When a live link exists.
    active_since: Option<String>,
    /// The link itself, only right after it was made (we do not keep it).
    https: Option<String>,
    webcal: Option<String>,
}

#[derive(Deserialize)]
pub struct SubscriptionQuery {
    /// The fresh token, passed once through the redirect after "create".
    nowy: Option<String>,
}

pub async fn subscription(
    state: web::Data<AppState>,
    signed: SignedIn,
    query: web::Query<SubscriptionQuery>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    if !may_subscribe(&cu.principal) {
        return Err(AppError::Forbidden);
    }
    let uid = cu.user.id.clone();
    let fresh = query.into_inner().nowy;
    let (active, valid_fresh) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let active: Option<(String, chrono::NaiveDateTime)> = office_feed_tokens::table
                .filter(office_feed_tokens::user_id.eq(&uid))
                .filter(office_feed_tokens::revoked_at.is_null())
                .select((office_feed_tokens::digest, office_feed_tokens::created_at))
                .first(conn)
                .optional()?;
            // Show the link only if it is the person's live one.
            let valid =
                fresh.filter(|t| active.as_ref().is_some_and(|(d, _)| *d == token_digest(t)));
            Ok((active.map(|(_, c)| c), valid))
        })
        .await?;
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let https = valid_fresh.map(|t| format!("{base}/kalendarz/{t}.ics"));
    let webcal = https.as_ref().map(|u| {
        let rest = u.split_once("://").map(|(_, r)| r).unwrap_or(u);
        format!("webcal://{rest}")
    });
    let page = SubscriptionPage {
        active_since: active.map(crate::page::local_text),
        https,
        webcal,
    };
    render(&state, &ctx, "office/calendar/subscription.html", &page)
}

#[derive(Deserialize)]
pub struct SubscriptionForm {
    akcja: String,
}

pub async fn subscription_post(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<SubscriptionForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _ctx) = signed;
    if !may_subscribe(&cu.principal) {
        return Err(AppError::Forbidden);
    }
    let uid = cu.user.id.clone();
    let action = form.into_inner().akcja;
    match action.as_str() {
        "nowy" => {
            let token = state
                .db
                .run(move |conn| -> Result<_, AppError> { Ok(new_token(conn, &uid)?) })
                .await?;
            // The token travels once in the redirect to the person's own page, so a reload
            // of the POST never makes another one.
            Ok(see_other(
                &state,
                &format!("/biuro/kalendarz/subskrypcja?nowy={token}"),
                Some("flash-calendar-feed-created"),
            ))
        }
        "odwolaj" => {
            state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    write_transaction(conn, |conn| revoke_all(conn, &uid))?;
                    Ok(())
                })
                .await?;
            Ok(see_other(
                &state,
                "/biuro/kalendarz/subskrypcja",
                Some("flash-calendar-feed-revoked"),
            ))
        }
        _ => Err(AppError::BadRequest("unknown action".into())),
    }
}

/// `GET /kalendarz/{token}.ics`: the person's calendar, no sign-in (the token is the secret).
pub async fn feed(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let file = path.into_inner();
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    // A token is 43 URL-safe characters; anything else is not worth a database query.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(AppError::NotFound);
    }
    let digest = token_digest(token);
    let portal = state.mailer.from().clone();
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let host = store::uid_host(&base);
    let body = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (token_id, user_id, last_used): (String, String, Option<chrono::NaiveDateTime>) =
                office_feed_tokens::table
                    .filter(office_feed_tokens::digest.eq(&digest))
                    .filter(office_feed_tokens::revoked_at.is_null())
                    .select((
                        office_feed_tokens::id,
                        office_feed_tokens::user_id,
                        office_feed_tokens::last_used_at,
                    ))
                    .first(conn)
                    .optional()?
                    .ok_or(AppError::NotFound)?;
            let person = user::find(conn, &user_id)?
                .filter(|u| u.is_active)
                .ok_or(AppError::NotFound)?;
            let principal = user::principal(conn, &person)?;
            let orgs: Vec<(String, String)> = user::organisations_of(conn, &user_id)?
                .into_iter()
                .map(|(o, _)| o)
                .filter(|o| principal.can(&o.id, Permission::UseOffice))
                .map(|o| (o.id, o.slug))
                .collect();
            let org_ids: Vec<String> = orgs.iter().map(|(id, _)| id.clone()).collect();
            let t = now();
            let items = store::items(
                conn,
                &user_id,
                &org_ids,
                t - Duration::days(PAST_DAYS),
                t + Duration::days(FUTURE_DAYS),
                FEED_LIMIT,
            )?;
            // Noting use at most hourly keeps the feed a read almost always.
            if last_used.is_none_or(|l| t - l > Duration::hours(1)) {
                diesel::update(office_feed_tokens::table.find(&token_id))
                    .set(office_feed_tokens::last_used_at.eq(Some(t)))
                    .execute(conn)?;
            }
            let utc = |x| Utc.from_utc_datetime(&x);
            let stamp = Utc::now();
            let events: Vec<ical::Event> = items
                .into_iter()
                .map(|i| {
                    let slug = orgs
                        .iter()
                        .find(|(id, _)| *id == i.organisation_id)
                        .map(|(_, s)| s.as_str())
                        .unwrap_or("");
                    let (uid, summary, path, end) = match i.kind {
                        ItemKind::Event => (
                            i.uid.clone().unwrap_or_default(),
                            i.title.clone(),
                            format!("/biuro/{slug}/kalendarz/{}", i.id),
                            i.ends_at,
                        ),
                        ItemKind::Task => (
                            ical::uid_for(&format!("task-{}", i.id), &host),
                            format!("Termin: {}", i.title),
                            format!("/biuro/{slug}/zadania/{}", i.id),
                            i.starts_at + store::deadline_length(),
                        ),
                        ItemKind::Booking => (
                            ical::uid_for(&format!("booking-{}", i.id), &host),
                            format!("Wizyta: {}", i.title),
                            format!("/biuro/{slug}/wizyty/{}", i.id),
                            i.ends_at,
                        ),
                    };
                    ical::Event {
                        uid,
                        sequence: u32::try_from(i.sequence).unwrap_or(0),
                        summary,
                        description: Some(i.description).filter(|d| !d.is_empty()),
                        location: Some(i.location).filter(|l| !l.is_empty()),
                        url: Some(format!("{base}{path}")),
                        start: utc(i.starts_at),
                        end: utc(end),
                        organizer: Person {
                            name: String::new(),
                            email: portal.email.to_string(),
                        },
                        attendees: vec![],
                        status: Status::Confirmed,
                        dtstamp: stamp,
                    }
                })
                .collect();
            Ok(ical::feed_ics(
                &format!("SZPoN — {}", person.full_name),
                &events,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .insert_header(("X-Robots-Tag", "noindex"))
        .body(body))
}
