//! The official's side of appointments (`/biuro/{office}/wizyty`): their own upcoming visits
//! (every visit of the office for administrators), and one visit's page with reschedule, cancel
//! with a message, done and no-show.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Days, NaiveTime, Utc};
use platform::access::{Permission, Principal};
use platform::db::DbConn;
use platform::models::organisation::Organisation;
use platform::web::render::{render, render_page, see_other};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};

use super::admin::{field, Fields};
use super::public::{
    self, booking_view, days_of, page_start, parse_slot, BookingView, DayView, FromQuery,
};
use super::slots;
use super::store::{self, Booking, Matter};
use crate::page::{colleagues, office_for, OfficeNav, Section};

/// The booking, if it is in this office (404 otherwise) and the visitor handles it or
/// administers the office (403 otherwise).
fn visible(
    conn: &mut DbConn,
    p: &Principal,
    slug: &str,
    id: &str,
) -> Result<(Organisation, Booking, Matter), AppError> {
    let org = office_for(conn, p, slug)?;
    let b = store::load_booking(conn, id)?
        .filter(|b| b.organisation_id == org.id)
        .ok_or(AppError::NotFound)?;
    if b.official_id != p.user_id && !p.can(&org.id, Permission::ManageOrganisation) {
        return Err(AppError::Forbidden);
    }
    let m = store::matter(conn, &org.id, &b.matter_id)?.ok_or(AppError::NotFound)?;
    Ok((org, b, m))
}

fn names(conn: &mut DbConn, org_id: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(colleagues(conn, org_id)?
        .into_iter()
        .map(|c| (c.user_id, c.full_name))
        .collect())
}

fn name_of(names: &[(String, String)], id: &str) -> String {
    names
        .iter()
        .find(|n| n.0 == id)
        .map(|n| n.1.clone())
        .unwrap_or_default()
}

#[derive(Serialize)]
struct ListPage {
    office: OfficeNav,
    all: bool,
    me: String,
    bookings: Vec<BookingView>,
}

pub async fn list(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let slug = path.into_inner();
    let p = cu.principal.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &p, &slug)?;
            let all = p.can(&org.id, Permission::ManageOrganisation);
            let today = slots::instant(slots::local_date(Utc::now()), NaiveTime::MIN).naive_utc();
            let rows =
                store::bookings_of(conn, &org.id, (!all).then_some(p.user_id.as_str()), today)?;
            let names = names(conn, &org.id)?;
            let matters = store::matters(conn, &org.id, false)?;
            let bookings = rows
                .iter()
                .filter_map(|b| {
                    let m = matters.iter().find(|m| m.id == b.matter_id)?;
                    Some(booking_view(b, m, name_of(&names, &b.official_id)))
                })
                .collect();
            Ok(ListPage {
                office: OfficeNav::load(conn, &org, &p, Section::Bookings)?,
                all,
                me: p.user_id.clone(),
                bookings,
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/list.html", &page)
}

#[derive(Serialize)]
struct DetailPage {
    office: OfficeNav,
    booking: BookingView,
    live: bool,
    days: Vec<DayView>,
    prev: Option<String>,
    next: Option<String>,
    refusal: Option<&'static str>,
}

fn detail_page(
    conn: &mut DbConn,
    p: &Principal,
    slug: &str,
    id: &str,
    from: chrono::NaiveDate,
    refusal: Option<&'static str>,
) -> Result<DetailPage, AppError> {
    let (org, b, m) = visible(conn, p, slug, id)?;
    let names = names(conn, &org.id)?;
    let to = from + Days::new(public::DAYS_PER_PAGE - 1);
    let live = b.is_live();
    let free: Vec<_> = if live {
        store::free_slots(conn, &m, Utc::now(), from, to, Some(&b.id))?
            .into_iter()
            .filter(|(s, _)| s.start.naive_utc() != b.starts_at)
            .collect()
    } else {
        vec![]
    };
    let today = slots::local_date(Utc::now());
    let last = today + Days::new(u64::try_from(m.window_days).unwrap_or(0));
    Ok(DetailPage {
        office: OfficeNav::load(conn, &org, p, Section::Bookings)?,
        booking: booking_view(&b, &m, name_of(&names, &b.official_id)),
        live,
        days: days_of(&free),
        prev: (from > today).then(|| {
            (from - Days::new(public::DAYS_PER_PAGE))
                .max(today)
                .to_string()
        }),
        next: (to < last).then(|| (to + Days::new(1)).to_string()),
        refusal,
    })
}

pub async fn detail(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    q: web::Query<FromQuery>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let p = cu.principal.clone();
    let from = page_start(q.into_inner().od());
    let page = state
        .db
        .run(move |conn| detail_page(conn, &p, &slug, &id, from, None))
        .await?;
    render(&state, &ctx, "office/booking/detail.html", &page)
}

pub async fn reschedule(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let p = cu.principal.clone();
    let (s, i) = (slug.clone(), id.clone());
    let b = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(visible(conn, &p, &s, &i)?.1) })
        .await?;
    let here = format!("/biuro/{slug}/wizyty/{id}");
    let Some(start) = parse_slot(&field(&form, "termin")) else {
        return Ok(see_other(&state, &here, Some("flash-booking-choose-slot")));
    };
    // The citizen's email goes in the language they booked in, not the official's.
    match public::move_booking(&state, None, b.id, start, Some(cu.user.id.clone())).await? {
        Ok(_) => Ok(see_other(&state, &here, Some("flash-booking-rescheduled"))),
        Err(key) => {
            let p = cu.principal.clone();
            let from = slots::local_date(start).max(page_start(None));
            let page = state
                .db
                .run(move |conn| detail_page(conn, &p, &slug, &id, from, Some(key)))
                .await?;
            render_page(
                &state,
                &ctx,
                "office/booking/detail.html",
                &page,
                StatusCode::CONFLICT,
            )
        }
    }
}

pub async fn cancel(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let (slug, id) = path.into_inner();
    let p = cu.principal.clone();
    let (s, i) = (slug.clone(), id.clone());
    let b = state
        .db
        .run(move |conn| -> Result<_, AppError> { Ok(visible(conn, &p, &s, &i)?.1) })
        .await?;
    let message = field(&form, "message");
    let message = (!message.is_empty()).then(|| message.chars().take(2000).collect::<String>());
    let done = public::cancel_booking(
        &state,
        None,
        b.id,
        "official",
        Some(cu.user.id.clone()),
        message,
    )
    .await?;
    Ok(see_other(
        &state,
        &format!("/biuro/{slug}/wizyty/{id}"),
        Some(if done.is_some() {
            "flash-booking-cancelled-office"
        } else {
            "flash-booking-not-live"
        }),
    ))
}

#[derive(Deserialize)]
pub struct MarkPath {
    office: String,
    id: String,
}

async fn mark(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<MarkPath>,
    status: &'static str,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let MarkPath { office, id } = path.into_inner();
    let p = cu.principal.clone();
    let (s, i) = (office.clone(), id.clone());
    let changed = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (_, b, _) = visible(conn, &p, &s, &i)?;
            Ok(store::mark(conn, &b.id, status)?)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/biuro/{office}/wizyty/{id}"),
        Some(if !changed {
            "flash-booking-not-live"
        } else if status == "done" {
            "flash-booking-done"
        } else {
            "flash-booking-no-show"
        }),
    ))
}

pub async fn done(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<MarkPath>,
) -> Result<HttpResponse, AppError> {
    mark(state, signed, path, "done").await
}

pub async fn no_show(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<MarkPath>,
) -> Result<HttpResponse, AppError> {
    mark(state, signed, path, "no_show").await
}
