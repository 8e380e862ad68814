//! The office's side of booking set-up: matters (`/biuro/{office}/sprawy`), who handles them,
//! each official's availability (`/biuro/{office}/dostepnosc/{official}`: administrators for
//! anyone, an official for themselves) and the switch for public booking.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use platform::access::{Permission, Principal};
use platform::db::DbConn;
use platform::models::organisation::{self, Organisation};
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;

use super::store::{self, Availability, Matter, MatterInput};
use crate::page::{colleagues, office_for, OfficeNav, Section};

pub type Fields = Vec<(String, String)>;

pub fn field(f: &Fields, k: &str) -> String {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

fn all(f: &Fields, k: &str) -> Vec<String> {
    f.iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The office, for an administrator of it.
fn managed(conn: &mut DbConn, p: &Principal, slug: &str) -> Result<Organisation, AppError> {
    let org = office_for(conn, p, slug)?;
    if !p.can(&org.id, Permission::ManageOrganisation) {
        return Err(AppError::Forbidden);
    }
    Ok(org)
}

#[derive(Serialize)]
struct MatterRow {
    matter: Matter,
    handlers: usize,
}

#[derive(Serialize)]
struct PersonRow {
    user_id: String,
    full_name: String,
    has_hours: bool,
}

#[derive(Serialize)]
struct MattersPage {
    office: OfficeNav,
    matters: Vec<MatterRow>,
    people: Vec<PersonRow>,
    public_booking: bool,
}

pub async fn matters(
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
            let org = managed(conn, &p, &slug)?;
            let mut rows = Vec::new();
            for m in store::matters(conn, &org.id, false)? {
                let handlers = store::handlers(conn, &m)?.len();
                rows.push(MatterRow {
                    matter: m,
                    handlers,
                });
            }
            let mut people = Vec::new();
            for c in colleagues(conn, &org.id)? {
                let has_hours = store::availability(conn, &org.id, &c.user_id)?
                    .is_some_and(|a| a.weekly.iter().any(|d| !d.is_empty()));
                people.push(PersonRow {
                    user_id: c.user_id,
                    full_name: c.full_name,
                    has_hours,
                });
            }
            Ok(MattersPage {
                public_booking: store::public_booking_enabled(conn, &org.id)?,
                office: OfficeNav::load(conn, &org, &p, Section::Matters)?,
                matters: rows,
                people,
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/matters.html", &page)
}

pub async fn set_public(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let slug = path.into_inner();
    let on = field(&form, "enabled") == "yes";
    let p = cu.principal.clone();
    let s = slug.clone();
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = managed(conn, &p, &s)?;
            platform::db::write_transaction(conn, |conn| {
                store::set_public_booking(conn, &org.id, on)
            })?;
            Ok(())
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/biuro/{slug}/sprawy"),
        Some(if on {
            "flash-booking-public-on"
        } else {
            "flash-booking-public-off"
        }),
    ))
}

#[derive(Serialize, Default)]
struct Choice {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Serialize, Default)]
struct MatterValues {
    name: String,
    description: String,
    documents: String,
    mode: String,
    location: String,
    duration_min: String,
    buffer_before_min: String,
    buffer_after_min: String,
    step_min: String,
    min_notice_min: String,
    window_days: String,
    cap_per_day: String,
}

#[derive(Serialize)]
struct MatterFormPage {
    office: OfficeNav,
    /// None for a new matter.
    matter_id: Option<String>,
    active: bool,
    v: MatterValues,
    officials: Vec<Choice>,
    departments: Vec<Choice>,
    errors: Vec<FieldError>,
}

fn values_of(m: &Matter) -> MatterValues {
    let opt = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    MatterValues {
        name: m.name.clone(),
        description: m.description.clone(),
        documents: m.documents.clone(),
        mode: m.mode.clone(),
        location: m.location.clone(),
        duration_min: m.duration_min.to_string(),
        buffer_before_min: m.buffer_before_min.to_string(),
        buffer_after_min: m.buffer_after_min.to_string(),
        step_min: opt(m.step_min),
        min_notice_min: m.min_notice_min.to_string(),
        window_days: m.window_days.to_string(),
        cap_per_day: opt(m.cap_per_day),
    }
}

fn values_from(f: &Fields) -> MatterValues {
    MatterValues {
        name: field(f, "name"),
        description: field(f, "description"),
        documents: field(f, "documents"),
        mode: field(f, "mode"),
        location: field(f, "location"),
        duration_min: field(f, "duration_min"),
        buffer_before_min: field(f, "buffer_before_min"),
        buffer_after_min: field(f, "buffer_after_min"),
        step_min: field(f, "step_min"),
        min_notice_min: field(f, "min_notice_min"),
        window_days: field(f, "window_days"),
        cap_per_day: field(f, "cap_per_day"),
    }
}

/// A whole number of minutes on the 5-minute grid, at least `min`.
fn five(s: &str, min: i32, max: i32) -> Result<i32, &'static str> {
    let n: i32 = s.parse().map_err(|_| "booking-error-number")?;
    if n < min || n > max {
        return Err("booking-error-range");
    }
    if n % 5 != 0 {
        return Err("booking-error-multiple-of-5");
    }
    Ok(n)
}

fn whole(s: &str, min: i32, max: i32) -> Result<i32, &'static str> {
    let n: i32 = s.parse().map_err(|_| "booking-error-number")?;
    if n < min || n > max {
        return Err("booking-error-range");
    }
    Ok(n)
}

/// Checks a submitted matter against the office's people and departments.
fn parse_matter(
    f: &Fields,
    people: &[String],
    departments: &[String],
) -> Result<MatterInput, FormErrors> {
    let v = values_from(f);
    let mut e = FormErrors::default();
    let mut input = MatterInput {
        name: v.name.clone(),
        description: v.description.clone(),
        documents: v.documents.clone(),
        mode: v.mode.clone(),
        location: v.location.clone(),
        officials: all(f, "official")
            .into_iter()
            .filter(|o| people.contains(o))
            .collect(),
        departments: all(f, "department")
            .into_iter()
            .filter(|d| departments.contains(d))
            .collect(),
        ..Default::default()
    };
    if v.name.is_empty() || v.name.chars().count() > 200 {
        e.add("name", "booking-error-name");
    }
    if !matches!(v.mode.as_str(), "office" | "online") {
        e.add("mode", "booking-error-mode");
    }
    let mut num = |field: &'static str, r: Result<i32, &'static str>| match r {
        Ok(n) => n,
        Err(k) => {
            e.add(field, k);
            0
        }
    };
    input.duration_min = num("duration_min", five(&v.duration_min, 5, 720));
    input.buffer_before_min = num(
        "buffer_before_min",
        five(or_zero(&v.buffer_before_min), 0, 240),
    );
    input.buffer_after_min = num(
        "buffer_after_min",
        five(or_zero(&v.buffer_after_min), 0, 240),
    );
    input.step_min = (!v.step_min.is_empty()).then(|| num("step_min", five(&v.step_min, 5, 720)));
    input.min_notice_min = num(
        "min_notice_min",
        whole(or_zero(&v.min_notice_min), 0, 60 * 24 * 60),
    );
    input.window_days = num("window_days", whole(&v.window_days, 1, 366));
    input.cap_per_day =
        (!v.cap_per_day.is_empty()).then(|| num("cap_per_day", whole(&v.cap_per_day, 1, 1000)));
    if input.officials.is_empty() && input.departments.is_empty() {
        e.add("handlers", "booking-error-handlers");
    }
    if e.is_empty() {
        Ok(input)
    } else {
        Err(e)
    }
}

fn or_zero(s: &str) -> &str {
    if s.is_empty() {
        "0"
    } else {
        s
    }
}

/// The form's choices of people and departments, with what is ticked.
fn choices(
    conn: &mut DbConn,
    org_id: &str,
    officials: &[String],
    deps: &[String],
) -> Result<(Vec<Choice>, Vec<Choice>), AppError> {
    let people = colleagues(conn, org_id)?
        .into_iter()
        .map(|c| Choice {
            checked: officials.contains(&c.user_id),
            id: c.user_id,
            name: c.full_name,
        })
        .collect();
    let departments = organisation::departments(conn, org_id)?
        .into_iter()
        .map(|d| Choice {
            checked: deps.contains(&d.id),
            id: d.id,
            name: d.name,
        })
        .collect();
    Ok((people, departments))
}

pub async fn matter_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let p = cu.principal.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = managed(conn, &p, &slug)?;
            let office = OfficeNav::load(conn, &org, &p, Section::Matters)?;
            if id == "nowa" {
                let (officials, departments) = choices(conn, &org.id, &[], &[])?;
                return Ok(MatterFormPage {
                    office,
                    matter_id: None,
                    active: true,
                    v: MatterValues {
                        mode: "office".into(),
                        duration_min: "30".into(),
                        buffer_before_min: "0".into(),
                        buffer_after_min: "0".into(),
                        min_notice_min: "120".into(),
                        window_days: "30".into(),
                        ..Default::default()
                    },
                    officials,
                    departments,
                    errors: vec![],
                });
            }
            let m = store::matter(conn, &org.id, &id)?.ok_or(AppError::NotFound)?;
            let (u, d) = store::handler_ids(conn, &m.id)?;
            let (officials, departments) = choices(conn, &org.id, &u, &d)?;
            Ok(MatterFormPage {
                office,
                matter_id: Some(m.id.clone()),
                active: m.active,
                v: values_of(&m),
                officials,
                departments,
                errors: vec![],
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/matter_form.html", &page)
}

pub async fn save_matter(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let p = cu.principal.clone();
    let f = form.into_inner();
    let st = state.clone();
    let lang = ctx.lang;
    let s = slug.clone();
    let outcome = state
        .db
        .run(
            move |conn| -> Result<Result<String, MatterFormPage>, AppError> {
                let org = managed(conn, &p, &s)?;
                let existing = if id == "nowa" {
                    None
                } else {
                    Some(store::matter(conn, &org.id, &id)?.ok_or(AppError::NotFound)?)
                };
                let people: Vec<String> = colleagues(conn, &org.id)?
                    .into_iter()
                    .map(|c| c.user_id)
                    .collect();
                let deps: Vec<String> = organisation::departments(conn, &org.id)?
                    .into_iter()
                    .map(|d| d.id)
                    .collect();
                match parse_matter(&f, &people, &deps) {
                    Ok(input) => {
                        let saved = platform::db::write_transaction(conn, |conn| {
                            store::save_matter(
                                conn,
                                &org.id,
                                existing.as_ref().map(|m| m.id.as_str()),
                                &input,
                            )
                        })?;
                        Ok(Ok(saved))
                    }
                    Err(errors) => {
                        let (officials, departments) =
                            choices(conn, &org.id, &all(&f, "official"), &all(&f, "department"))?;
                        Ok(Err(MatterFormPage {
                            office: OfficeNav::load(conn, &org, &p, Section::Matters)?,
                            active: existing.as_ref().is_none_or(|m| m.active),
                            matter_id: existing.map(|m| m.id),
                            v: values_from(&f),
                            officials,
                            departments,
                            errors: errors.translate(&st, lang),
                        }))
                    }
                }
            },
        )
        .await?;
    match outcome {
        Ok(_) => Ok(see_other(
            &state,
            &format!("/biuro/{slug}/sprawy"),
            Some("flash-booking-matter-saved"),
        )),
        Err(page) => render_page(
            &state,
            &ctx,
            "office/booking/matter_form.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

pub async fn toggle_matter(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let (slug, id) = path.into_inner();
    let p = cu.principal.clone();
    let s = slug.clone();
    let active = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = managed(conn, &p, &s)?;
            let m = store::matter(conn, &org.id, &id)?.ok_or(AppError::NotFound)?;
            platform::db::write_transaction(conn, |conn| {
                store::set_matter_active(conn, &m.id, !m.active)
            })?;
            Ok(!m.active)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/biuro/{slug}/sprawy"),
        Some(if active {
            "flash-booking-matter-on"
        } else {
            "flash-booking-matter-off"
        }),
    ))
}

// ---------------------------------------------------------------------------------------------
// Availability

#[derive(Serialize)]
struct DayField {
    name: String,
    label: String,
    value: String,
}

#[derive(Serialize)]
struct AvailabilityPage {
    office: OfficeNav,
    official_id: String,
    official_name: String,
    days: Vec<DayField>,
    exceptions: String,
    cap_per_day: String,
    errors: Vec<FieldError>,
}

const DAYS: [(&str, &str); 7] = [
    ("day0", "booking-day-mon"),
    ("day1", "booking-day-tue"),
    ("day2", "booking-day-wed"),
    ("day3", "booking-day-thu"),
    ("day4", "booking-day-fri"),
    ("day5", "booking-day-sat"),
    ("day6", "booking-day-sun"),
];

/// The office and the official, if the visitor may edit that official's availability.
fn availability_access(
    conn: &mut DbConn,
    p: &Principal,
    slug: &str,
    official: &str,
) -> Result<(Organisation, String), AppError> {
    let org = office_for(conn, p, slug)?;
    if official != p.user_id && !p.can(&org.id, Permission::ManageOrganisation) {
        return Err(AppError::Forbidden);
    }
    let person = colleagues(conn, &org.id)?
        .into_iter()
        .find(|c| c.user_id == official)
        .ok_or(AppError::NotFound)?;
    Ok((org, person.full_name))
}

pub async fn availability_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, official) = path.into_inner();
    let p = cu.principal.clone();
    let (st, lang) = (state.clone(), ctx.lang);
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let tr = |k: &str| st.i18n.t(lang, k, &[]);
            let (org, name) = availability_access(conn, &p, &slug, &official)?;
            let a = store::availability(conn, &org.id, &official)?.unwrap_or_default();
            Ok(AvailabilityPage {
                office: OfficeNav::load(conn, &org, &p, Section::Bookings)?,
                days: DAYS
                    .iter()
                    .enumerate()
                    .map(|(i, (n, l))| DayField {
                        name: n.to_string(),
                        label: tr(l),
                        value: store::format_ranges(&a.weekly[i]),
                    })
                    .collect(),
                exceptions: store::format_exceptions(&a.exceptions),
                cap_per_day: a.cap_per_day.map(|c| c.to_string()).unwrap_or_default(),
                official_id: official,
                official_name: name,
                errors: vec![],
            })
        })
        .await?;
    render(&state, &ctx, "office/booking/availability.html", &page)
}

pub async fn save_availability(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, official) = path.into_inner();
    let p = cu.principal.clone();
    let f = form.into_inner();
    let st = state.clone();
    let lang = ctx.lang;
    let (s, o) = (slug.clone(), official.clone());
    let outcome = state
        .db
        .run(move |conn| -> Result<Option<AvailabilityPage>, AppError> {
            let tr = |k: &str| st.i18n.t(lang, k, &[]);
            let (org, name) = availability_access(conn, &p, &s, &o)?;
            let mut e = FormErrors::default();
            let mut a = Availability::default();
            for (i, (n, _)) in DAYS.iter().enumerate() {
                match store::parse_ranges(&field(&f, n)) {
                    Ok(h) => a.weekly[i] = h,
                    Err(k) => e.add(n, k),
                }
            }
            match store::parse_exceptions(&field(&f, "exceptions")) {
                Ok(x) => a.exceptions = x,
                Err(k) => e.add("exceptions", k),
            }
            let cap = field(&f, "cap_per_day");
            if !cap.is_empty() {
                match whole(&cap, 1, 1000) {
                    Ok(c) => a.cap_per_day = Some(c as u32),
                    Err(k) => e.add("cap_per_day", k),
                }
            }
            if e.is_empty() {
                platform::db::write_transaction(conn, |conn| {
                    store::save_availability(conn, &org.id, &o, &a)
                })?;
                return Ok(None);
            }
            Ok(Some(AvailabilityPage {
                office: OfficeNav::load(conn, &org, &p, Section::Bookings)?,
                days: DAYS
                    .iter()
                    .map(|(n, l)| DayField {
                        name: n.to_string(),
                        label: tr(l),
                        value: field(&f, n),
                    })
                    .collect(),
                exceptions: field(&f, "exceptions"),
                cap_per_day: cap,
                official_id: o,
                official_name: name,
                errors: e.translate(&st, lang),
            }))
        })
        .await?;
    match outcome {
        None => Ok(see_other(
            &state,
            &format!("/biuro/{slug}/dostepnosc/{official}"),
            Some("flash-booking-availability-saved"),
        )),
        Some(page) => render_page(
            &state,
            &ctx,
            "office/booking/availability.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}
