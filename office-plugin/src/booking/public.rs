//! The public booking pages (no account): `/wizyty/{office}` lists the matters, then free slots,
//! the citizen's details and the confirmation. The citizen's links (reschedule, cancel, call)
//! come only by email; the page after booking is itself a signed link, so nothing about a
//! booking is reachable by a guessable address.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use platform::db::DbConn;
use platform::domain::{Email, FullName};
use platform::i18n::Lang;
use platform::models::organisation::{self, Organisation};
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::security::client_ip;
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};

use super::admin::{field, Fields};
use super::email;
use super::links::{self, Purpose};
use super::slots::{self, Slot, SlotRefusal, ZONE};
use super::store::{self, BookError, Booking, Citizen, Matter};
use crate::calendar::ical::Method;
use crate::notifications::{notify, Kind, Notice};
use crate::page::local_text;

/// How many days one page of slots shows.
pub const DAYS_PER_PAGE: u64 = 7;

/// The office, if it takes public bookings (404 otherwise: a closed office is not advertised).
fn open_office(conn: &mut DbConn, slug: &str) -> Result<Organisation, AppError> {
    let org = organisation::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    if !store::public_booking_enabled(conn, &org.id)? {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

fn open_matter(conn: &mut DbConn, org: &Organisation, id: &str) -> Result<Matter, AppError> {
    store::matter(conn, &org.id, id)?
        .filter(|m| m.active)
        .ok_or(AppError::NotFound)
}

#[derive(Serialize)]
pub struct MatterView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub documents: Vec<String>,
    pub duration_min: i32,
    pub online: bool,
    pub location: String,
}

pub fn matter_view(m: &Matter) -> MatterView {
    MatterView {
        id: m.id.clone(),
        name: m.name.clone(),
        description: m.description.clone(),
        documents: m.document_list(),
        duration_min: m.duration_min,
        online: m.is_online(),
        location: m.location.clone(),
    }
}

#[derive(Serialize)]
struct OfficePage {
    office_name: String,
    slug: String,
    matters: Vec<MatterView>,
}

pub async fn office(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = open_office(conn, &slug)?;
            Ok(OfficePage {
                matters: store::matters(conn, &org.id, true)?
                    .iter()
                    .map(matter_view)
                    .collect(),
                office_name: org.name,
                slug: org.slug,
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/public_office.html", &page)
}

#[derive(Serialize)]
pub struct SlotView {
    /// The start as RFC 3339 UTC, the form value.
    pub value: String,
    pub time: String,
    pub end: String,
}

#[derive(Serialize)]
pub struct DayView {
    pub date: String,
    /// Monday 0 … Sunday 6.
    pub weekday: u32,
    pub slots: Vec<SlotView>,
}

pub fn slot_value(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn parse_slot(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Slots grouped by local day, in order.
pub fn days_of(free: &[(Slot, Vec<String>)]) -> Vec<DayView> {
    let mut out: Vec<DayView> = Vec::new();
    for (s, _) in free {
        let local = s.start.with_timezone(&ZONE);
        let date = local.date_naive().to_string();
        let view = SlotView {
            value: slot_value(s.start),
            time: local.format("%H:%M").to_string(),
            end: s.end.with_timezone(&ZONE).format("%H:%M").to_string(),
        };
        match out.last_mut() {
            Some(d) if d.date == date => d.slots.push(view),
            _ => out.push(DayView {
                weekday: local.weekday().num_days_from_monday(),
                date,
                slots: vec![view],
            }),
        }
    }
    out
}

#[derive(Deserialize)]
pub struct FromQuery {
    od: Option<String>,
}

impl FromQuery {
    pub fn od(&self) -> Option<&str> {
        self.od.as_deref()
    }
}

/// The first day of a page of slots: the asked one, not before today.
pub fn page_start(od: Option<&str>) -> NaiveDate {
    let today = slots::local_date(Utc::now());
    od.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .filter(|d| *d >= today)
        .unwrap_or(today)
}

#[derive(Serialize)]
struct SlotsPage {
    office_name: String,
    slug: String,
    matter: MatterView,
    days: Vec<DayView>,
    from: String,
    to: String,
    prev: Option<String>,
    next: Option<String>,
    /// Why the slot asked for could not be booked (the 409 page), see `refusal_key`.
    refusal: Option<&'static str>,
}

fn slots_page(
    conn: &mut DbConn,
    org: &Organisation,
    m: &Matter,
    from: NaiveDate,
    refusal: Option<&'static str>,
) -> Result<SlotsPage, AppError> {
    let to = from + Days::new(DAYS_PER_PAGE - 1);
    let free = store::free_slots(conn, m, Utc::now(), from, to, None)?;
    let today = slots::local_date(Utc::now());
    let last = today + Days::new(u64::try_from(m.window_days).unwrap_or(0));
    Ok(SlotsPage {
        office_name: org.name.clone(),
        slug: org.slug.clone(),
        matter: matter_view(m),
        days: days_of(&free),
        from: from.to_string(),
        to: to.to_string(),
        prev: (from > today).then(|| (from - Days::new(DAYS_PER_PAGE)).max(today).to_string()),
        next: (to < last).then(|| (to + Days::new(1)).to_string()),
        refusal,
    })
}

pub async fn matter_slots(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
    q: web::Query<FromQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let from = page_start(q.od.as_deref());
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = open_office(conn, &slug)?;
            let m = open_matter(conn, &org, &id)?;
            slots_page(conn, &org, &m, from, None)
        })
        .await?;
    render(&state, &ctx, "office/booking/public_slots.html", &page)
}

#[derive(Serialize, Default)]
struct CitizenValues {
    name: String,
    email: String,
    phone: String,
    note: String,
    consent: bool,
}

#[derive(Serialize)]
struct FormPage {
    office_name: String,
    slug: String,
    matter: MatterView,
    slot: String,
    when: String,
    v: CitizenValues,
    errors: Vec<FieldError>,
}

#[derive(Deserialize)]
pub struct SlotQuery {
    termin: Option<String>,
}

pub async fn details_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
    q: web::Query<SlotQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let Some(start) = q.termin.as_deref().and_then(parse_slot) else {
        // No slot chosen (the form sent empty): back to the list of slots.
        return Ok(see_other(
            &state,
            &format!("/wizyty/{slug}/{id}"),
            Some("flash-booking-choose-slot"),
        ));
    };
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = open_office(conn, &slug)?;
            let m = open_matter(conn, &org, &id)?;
            Ok(FormPage {
                office_name: org.name.clone(),
                slug: org.slug.clone(),
                matter: matter_view(&m),
                slot: slot_value(start),
                when: local_text(start.naive_utc()),
                v: CitizenValues::default(),
                errors: vec![],
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/public_form.html", &page)
}

/// The refusal's code for the page (`macros.html` words it).
fn refusal_key(r: SlotRefusal) -> &'static str {
    match r {
        SlotRefusal::TooSoon => "too_soon",
        SlotRefusal::BeyondWindow => "beyond_window",
        SlotRefusal::DayOff | SlotRefusal::OutsideHours => "outside",
        SlotRefusal::Taken => "taken",
        SlotRefusal::OfficialCapReached | SlotRefusal::MatterCapReached => "cap",
    }
}

/// The official's notice of a new or changed booking.
pub fn tell_official(
    conn: &mut DbConn,
    slug: &str,
    m: &Matter,
    b: &Booking,
    kind: Kind,
) -> diesel::QueryResult<()> {
    let subject = format!(
        "{} – {} – {}",
        m.name,
        local_text(b.starts_at),
        b.citizen_name
    );
    let link = format!("/biuro/{slug}/wizyty/{}", b.id);
    notify(
        conn,
        &Notice {
            user_id: &b.official_id,
            organisation_id: Some(&b.organisation_id),
            kind,
            subject: &subject,
            link: &link,
            actor_name: Some(&b.citizen_name),
            dedupe_key: None,
        },
    )?;
    Ok(())
}

enum BookOutcome {
    Booked(Box<(Booking, Matter, String)>),
    Invalid(FormPage),
    Refused(SlotsPage),
}

pub async fn book(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&state.limits.booking_ip, &client_ip(&state, &req))?;
    let (slug, id) = path.into_inner();
    let f = form.into_inner();
    let st = state.clone();
    let lang = ctx.lang;
    let outcome = state
        .db
        .run(move |conn| -> Result<BookOutcome, AppError> {
            let org = open_office(conn, &slug)?;
            let m = open_matter(conn, &org, &id)?;
            let start = parse_slot(&field(&f, "termin"));
            let mut e = FormErrors::default();
            let name = FullName::parse(&field(&f, "name"));
            let mail = Email::parse(&field(&f, "email"));
            e.check("name", name.as_ref().map(drop).map_err(|k| *k));
            e.check("email", mail.as_ref().map(drop).map_err(|k| *k));
            let phone = field(&f, "phone");
            if phone.chars().count() > 40
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-()".contains(c))
            {
                e.add("phone", "booking-error-phone");
            }
            let note = field(&f, "note");
            if note.chars().count() > 2000 {
                e.add("note", "booking-error-note");
            }
            if field(&f, "consent") != "yes" {
                e.add("consent", "booking-error-consent");
            }
            let Some(start) = start else {
                return Ok(BookOutcome::Refused(slots_page(
                    conn,
                    &org,
                    &m,
                    page_start(None),
                    Some("outside"),
                )?));
            };
            let (Ok(name), Ok(mail), true) = (name, mail, e.is_empty()) else {
                return Ok(BookOutcome::Invalid(FormPage {
                    office_name: org.name.clone(),
                    slug: org.slug.clone(),
                    matter: matter_view(&m),
                    slot: slot_value(start),
                    when: local_text(start.naive_utc()),
                    v: CitizenValues {
                        name: field(&f, "name"),
                        email: field(&f, "email"),
                        phone,
                        note,
                        consent: field(&f, "consent") == "yes",
                    },
                    errors: e.translate(&st, lang),
                }));
            };
            let citizen = Citizen {
                name: name.as_str().to_string(),
                email: mail.as_str().to_string(),
                phone: (!phone.is_empty()).then_some(phone),
                note,
                lang,
            };
            let slug2 = org.slug.clone();
            match store::book(conn, &m, start, &citizen, |conn, b| {
                tell_official(conn, &slug2, &m, b, Kind::BookingNew)
            }) {
                Ok(b) => Ok(BookOutcome::Booked(Box::new((b, m, org.name)))),
                Err(BookError::Refused(r)) => {
                    let from = slots::local_date(start).max(page_start(None));
                    Ok(BookOutcome::Refused(slots_page(
                        conn,
                        &org,
                        &m,
                        from,
                        Some(refusal_key(r)),
                    )?))
                }
                Err(BookError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        BookOutcome::Booked(booked) => {
            let (b, m, office) = *booked;
            email::send(
                &state,
                email::build(&state, lang, &office, &m, &b, Method::Request, None),
            )
            .await;
            let view = links::path(&state.secret, &b.id, Purpose::View, b.link_version);
            Ok(see_other(&state, &view, Some("flash-booking-booked")))
        }
        BookOutcome::Invalid(page) => render_page(
            &state,
            &ctx,
            "office/booking/public_form.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        BookOutcome::Refused(page) => render_page(
            &state,
            &ctx,
            "office/booking/public_slots.html",
            &page,
            StatusCode::CONFLICT,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Signed links

/// The booking, its matter and office, when the link is valid for the purpose and the booking
/// is live; 404 for anything else (a tampered, old or other-purpose link tells nothing).
fn by_link(
    conn: &mut DbConn,
    secret: &[u8; 32],
    id: &str,
    sig: &str,
    purpose: Purpose,
) -> Result<(Booking, Matter, Organisation), AppError> {
    let b = store::load_booking(conn, id)?.ok_or(AppError::NotFound)?;
    if !links::verify(secret, &b.id, purpose, b.link_version, sig) || !b.is_live() {
        return Err(AppError::NotFound);
    }
    if purpose == Purpose::Call && b.mode != "online" {
        return Err(AppError::NotFound);
    }
    let m = store::matter(conn, &b.organisation_id, &b.matter_id)?.ok_or(AppError::NotFound)?;
    let org = organisation::find_by_id(conn, &b.organisation_id)?.ok_or(AppError::NotFound)?;
    Ok((b, m, org))
}

#[derive(Serialize)]
pub struct BookingView {
    pub id: String,
    pub matter: String,
    pub when: String,
    pub end: String,
    pub online: bool,
    pub location: String,
    pub documents: Vec<String>,
    pub citizen_name: String,
    pub citizen_email: String,
    pub citizen_phone: Option<String>,
    pub note: String,
    pub status: String,
    pub official: String,
}

pub fn booking_view(b: &Booking, m: &Matter, official: String) -> BookingView {
    BookingView {
        id: b.id.clone(),
        matter: m.name.clone(),
        when: local_text(b.starts_at),
        end: crate::page::local(b.ends_at).format("%H:%M").to_string(),
        online: b.mode == "online",
        location: m.location.clone(),
        documents: m.document_list(),
        citizen_name: b.citizen_name.clone(),
        citizen_email: b.citizen_email.clone(),
        citizen_phone: b.citizen_phone.clone(),
        note: b.note.clone(),
        status: b.status.clone(),
        official,
    }
}

#[derive(Serialize)]
struct BookedPage {
    office_name: String,
    slug: String,
    booking: BookingView,
}

pub async fn booked(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, sig) = path.into_inner();
    let secret = state.secret.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (b, m, org) = by_link(conn, &secret, &id, &sig, Purpose::View)?;
            Ok(BookedPage {
                office_name: org.name,
                slug: org.slug,
                booking: booking_view(&b, &m, String::new()),
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/public_booked.html", &page)
}

#[derive(Serialize)]
struct ReschedulePage {
    office_name: String,
    booking: BookingView,
    days: Vec<DayView>,
    action: String,
    prev: Option<String>,
    next: Option<String>,
    refusal: Option<&'static str>,
}

fn reschedule_page(
    conn: &mut DbConn,
    org: &Organisation,
    m: &Matter,
    b: &Booking,
    action: String,
    from: NaiveDate,
    refusal: Option<&'static str>,
) -> Result<ReschedulePage, AppError> {
    let to = from + Days::new(DAYS_PER_PAGE - 1);
    let free: Vec<_> = store::free_slots(conn, m, Utc::now(), from, to, Some(&b.id))?
        .into_iter()
        .filter(|(s, _)| s.start.naive_utc() != b.starts_at)
        .collect();
    let today = slots::local_date(Utc::now());
    let last = today + Days::new(u64::try_from(m.window_days).unwrap_or(0));
    Ok(ReschedulePage {
        office_name: org.name.clone(),
        booking: booking_view(b, m, String::new()),
        days: days_of(&free),
        prev: (from > today).then(|| (from - Days::new(DAYS_PER_PAGE)).max(today).to_string()),
        next: (to < last).then(|| (to + Days::new(1)).to_string()),
        action,
        refusal,
    })
}

pub async fn reschedule_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    q: web::Query<FromQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, sig) = path.into_inner();
    let secret = state.secret.clone();
    let from = page_start(q.od.as_deref());
    let action = req.path().to_string();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (b, m, org) = by_link(conn, &secret, &id, &sig, Purpose::Reschedule)?;
            reschedule_page(conn, &org, &m, &b, action, from, None)
        })
        .await?;
    render(&state, &ctx, "office/booking/public_reschedule.html", &page)
}

/// Moves a booking (citizen or office), emails the update and tells the official handling it
/// unless they moved it themselves (`actor`). `Err` carries the refusal's code.
pub async fn move_booking(
    state: &AppState,
    lang: Option<Lang>,
    booking_id: String,
    start: DateTime<Utc>,
    actor: Option<String>,
) -> Result<Result<Booking, &'static str>, AppError> {
    let outcome = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let b = store::load_booking(conn, &booking_id)?.ok_or(AppError::NotFound)?;
            let m =
                store::matter(conn, &b.organisation_id, &b.matter_id)?.ok_or(AppError::NotFound)?;
            let org =
                organisation::find_by_id(conn, &b.organisation_id)?.ok_or(AppError::NotFound)?;
            let slug = org.slug.clone();
            match store::reschedule(conn, &m, &b.id, start, |conn, _old, new| {
                if actor.as_deref() == Some(new.official_id.as_str()) {
                    return Ok(());
                }
                tell_official(conn, &slug, &m, new, Kind::BookingChanged)
            }) {
                Ok(moved) => Ok(Ok((moved, m, org.name))),
                Err(BookError::Refused(r)) => Ok(Err(refusal_key(r))),
                Err(BookError::Db(diesel::result::Error::NotFound)) => Err(AppError::NotFound),
                Err(BookError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    Ok(match outcome {
        Ok((b, m, office)) => {
            email::send(
                state,
                email::build(
                    state,
                    lang.unwrap_or_else(|| b.language()),
                    &office,
                    &m,
                    &b,
                    Method::Request,
                    None,
                ),
            )
            .await;
            Ok(b)
        }
        Err(k) => Err(k),
    })
}

pub async fn reschedule(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&state.limits.booking_ip, &client_ip(&state, &req))?;
    let (id, sig) = path.into_inner();
    let secret = state.secret.clone();
    let (i, s) = (id.clone(), sig.clone());
    // The link first: a reschedule link of another purpose or booking moves nothing.
    let b = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(by_link(conn, &secret, &i, &s, Purpose::Reschedule)?.0)
        })
        .await?;
    let Some(start) = parse_slot(&field(&form, "termin")) else {
        return Ok(see_other(
            &state,
            req.path(),
            Some("flash-booking-choose-slot"),
        ));
    };
    match move_booking(&state, Some(ctx.lang), b.id.clone(), start, None).await? {
        Ok(b) => Ok(see_other(
            &state,
            &links::path(&state.secret, &b.id, Purpose::View, b.link_version),
            Some("flash-booking-rescheduled"),
        )),
        Err(key) => {
            let secret = state.secret.clone();
            let action = req.path().to_string();
            let page = state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    let (b, m, org) = by_link(conn, &secret, &id, &sig, Purpose::Reschedule)?;
                    let from = slots::local_date(start).max(page_start(None));
                    reschedule_page(conn, &org, &m, &b, action, from, Some(key))
                })
                .await?;
            render_page(
                &state,
                &ctx,
                "office/booking/public_reschedule.html",
                &page,
                StatusCode::CONFLICT,
            )
        }
    }
}

#[derive(Serialize)]
struct CancelPage {
    office_name: String,
    booking: BookingView,
    action: String,
}

pub async fn cancel_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, sig) = path.into_inner();
    let secret = state.secret.clone();
    let action = req.path().to_string();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (b, m, org) = by_link(conn, &secret, &id, &sig, Purpose::Cancel)?;
            Ok(CancelPage {
                office_name: org.name,
                booking: booking_view(&b, &m, String::new()),
                action,
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/public_cancel.html", &page)
}

/// Cancels a booking (`by` the citizen or the official side): frees the time, tells the official
/// handling it unless they cancelled it themselves (`actor`), and sends the citizen
/// METHOD:CANCEL. `None` if it was no longer live.
pub async fn cancel_booking(
    state: &AppState,
    lang: Option<Lang>,
    booking_id: String,
    by: &'static str,
    actor: Option<String>,
    message: Option<String>,
) -> Result<Option<(Booking, String)>, AppError> {
    let msg = message.clone();
    let outcome = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let b = store::load_booking(conn, &booking_id)?.ok_or(AppError::NotFound)?;
            let m =
                store::matter(conn, &b.organisation_id, &b.matter_id)?.ok_or(AppError::NotFound)?;
            let org =
                organisation::find_by_id(conn, &b.organisation_id)?.ok_or(AppError::NotFound)?;
            let slug = org.slug.clone();
            let cancelled = store::cancel(conn, &b.id, by, msg.as_deref(), |conn, b| {
                if actor.as_deref() == Some(b.official_id.as_str()) {
                    return Ok(());
                }
                tell_official(conn, &slug, &m, b, Kind::BookingChanged)
            })?;
            Ok(cancelled.map(|c| (c, m, org)))
        })
        .await?;
    Ok(match outcome {
        Some((b, m, org)) => {
            email::send(
                state,
                email::build(
                    state,
                    lang.unwrap_or_else(|| b.language()),
                    &org.name,
                    &m,
                    &b,
                    Method::Cancel,
                    message.as_deref(),
                ),
            )
            .await;
            Some((b, org.slug))
        }
        None => None,
    })
}

pub async fn cancel(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&state.limits.booking_ip, &client_ip(&state, &req))?;
    let (id, sig) = path.into_inner();
    let secret = state.secret.clone();
    let b = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(by_link(conn, &secret, &id, &sig, Purpose::Cancel)?.0)
        })
        .await?;
    match cancel_booking(&state, Some(ctx.lang), b.id, "citizen", None, None).await? {
        Some((_, slug)) => Ok(see_other(
            &state,
            &format!("/wizyty/{slug}"),
            Some("flash-booking-cancelled"),
        )),
        None => Err(AppError::NotFound),
    }
}

#[derive(Serialize)]
struct CallPage {
    office_name: String,
    booking: BookingView,
}

/// The call room of an online appointment: a placeholder until calls arrive.
pub async fn call(
    state: web::Data<AppState>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, sig) = path.into_inner();
    let secret = state.secret.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (b, m, org) = by_link(conn, &secret, &id, &sig, Purpose::Call)?;
            Ok(CallPage {
                office_name: org.name,
                booking: booking_view(&b, &m, String::new()),
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/public_call.html", &page)
}
