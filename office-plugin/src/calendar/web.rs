//! The calendar pages of one office: the list (the accessible default), week and month views,
//! and events with attendees (create, show, edit, cancel). Every change that attendees see goes
//! out by iMIP email after the transaction commits.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use lettre::message::Mailbox;
use platform::db::{write_transaction, DbConn};
use platform::i18n::{Arg, Lang};
use platform::models::organisation::{self, Organisation};
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};

use super::invite::{self, Why};
use super::store::{self, AttendeeRow, EventInput, EventRow, Invitee, Item, ItemKind};
use crate::booking::slots::{instant, local_date};
use crate::notifications::{self, Kind, Notice};
use crate::page::{colleagues, local, local_text, office_for, utc_from_local, OfficeNav, Section};

const MAX_TITLE: usize = 200;
const MAX_LOCATION: usize = 300;
const MAX_DESCRIPTION: usize = 5000;
const MAX_GUESTS: usize = 100;
/// How many days the list view shows at once.
const LIST_DAYS: i64 = 14;
/// At most this many items of each kind on one page.
const PAGE_LIMIT: i64 = 500;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/biuro/kalendarz/subskrypcja",
        web::get().to(super::feed::subscription),
    )
    .route(
        "/biuro/kalendarz/subskrypcja",
        web::post().to(super::feed::subscription_post),
    )
    .route("/kalendarz/{file}", web::get().to(super::feed::feed))
    .route("/biuro/{office}/kalendarz", web::get().to(calendar))
    .route("/biuro/{office}/kalendarz/nowe", web::get().to(new_form))
    .route("/biuro/{office}/kalendarz/nowe", web::post().to(create))
    .route("/biuro/{office}/kalendarz/{id}", web::get().to(show))
    .route(
        "/biuro/{office}/kalendarz/{id}/edycja",
        web::get().to(edit_form),
    )
    .route(
        "/biuro/{office}/kalendarz/{id}/edycja",
        web::post().to(edit_save),
    )
    .route(
        "/biuro/{office}/kalendarz/{id}/odwolanie",
        web::get().to(cancel_confirm),
    )
    .route(
        "/biuro/{office}/kalendarz/{id}/odwolanie",
        web::post().to(cancel_save),
    );
}

// ---------------------------------------------------------------------------------------------
// Dates in words

fn weekday_label(state: &AppState, lang: Lang, d: NaiveDate) -> String {
    let key = match d.weekday() {
        Weekday::Mon => "calendar-weekday-mon",
        Weekday::Tue => "calendar-weekday-tue",
        Weekday::Wed => "calendar-weekday-wed",
        Weekday::Thu => "calendar-weekday-thu",
        Weekday::Fri => "calendar-weekday-fri",
        Weekday::Sat => "calendar-weekday-sat",
        Weekday::Sun => "calendar-weekday-sun",
    };
    state.i18n.t(lang, key, &[])
}

const MONTH_KEYS: [&str; 12] = [
    "calendar-month-1",
    "calendar-month-2",
    "calendar-month-3",
    "calendar-month-4",
    "calendar-month-5",
    "calendar-month-6",
    "calendar-month-7",
    "calendar-month-8",
    "calendar-month-9",
    "calendar-month-10",
    "calendar-month-11",
    "calendar-month-12",
];

const MONTH_NAME_KEYS: [&str; 12] = [
    "calendar-month-name-1",
    "calendar-month-name-2",
    "calendar-month-name-3",
    "calendar-month-name-4",
    "calendar-month-name-5",
    "calendar-month-name-6",
    "calendar-month-name-7",
    "calendar-month-name-8",
    "calendar-month-name-9",
    "calendar-month-name-10",
    "calendar-month-name-11",
    "calendar-month-name-12",
];

/// "poniedziałek, 30 marca 2026".
pub fn day_label(state: &AppState, lang: Lang, d: NaiveDate) -> String {
    state.i18n.t(
        lang,
        "calendar-day-label",
        &[
            ("weekday", Arg::Str(weekday_label(state, lang, d))),
            ("day", Arg::Str(d.day().to_string())),
            (
                "month",
                Arg::Str(state.i18n.t(lang, MONTH_KEYS[d.month0() as usize], &[])),
            ),
            ("year", Arg::Str(d.year().to_string())),
        ],
    )
}

/// "30 marca 2026".
fn date_label(state: &AppState, lang: Lang, d: NaiveDate) -> String {
    state.i18n.t(
        lang,
        "calendar-date-label",
        &[
            ("day", Arg::Str(d.day().to_string())),
            (
                "month",
                Arg::Str(state.i18n.t(lang, MONTH_KEYS[d.month0() as usize], &[])),
            ),
            ("year", Arg::Str(d.year().to_string())),
        ],
    )
}

fn hm(t: NaiveDateTime) -> String {
    local(t).format("%H:%M").to_string()
}

/// The time of an item in words: "od 10:00 do 11:30", "termin o 15:00", or with the end's date
/// when it ends on another day.
pub fn time_text(
    state: &AppState,
    lang: Lang,
    kind: ItemKind,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> String {
    if kind == ItemKind::Task {
        return state
            .i18n
            .t(lang, "calendar-time-deadline", &[("at", Arg::Str(hm(s)))]);
    }
    let (ds, de) = (local(s).date_naive(), local(e).date_naive());
    let to = if ds == de {
        hm(e)
    } else {
        format!("{} {}", date_label(state, lang, de), hm(e))
    };
    state.i18n.t(
        lang,
        "calendar-time-range",
        &[("from", Arg::Str(hm(s))), ("to", Arg::Str(to))],
    )
}

/// The start of a local day as a UTC instant.
fn day_start(d: NaiveDate) -> NaiveDateTime {
    instant(d, NaiveTime::MIN).naive_utc()
}

fn today() -> NaiveDate {
    local_date(chrono::Utc::now())
}

// ---------------------------------------------------------------------------------------------
// The views

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum View {
    List,
    Week,
    Month,
}

impl View {
    fn param(self) -> &'static str {
        match self {
            View::List => "lista",
            View::Week => "tydzien",
            View::Month => "miesiac",
        }
    }
}

#[derive(Deserialize)]
struct ViewQuery {
    widok: Option<String>,
    od: Option<String>,
}

#[derive(Serialize)]
struct ItemView {
    kind: ItemKind,
    department: bool,
    title: String,
    href: String,
    time: String,
    location: String,
}

#[derive(Serialize)]
struct DayView {
    date: String,
    label: String,
    /// Day of the month, for the month grid.
    number: u32,
    /// Outside the month shown (month view).
    outside: bool,
    today: bool,
    items: Vec<ItemView>,
}

#[derive(Serialize)]
struct CalendarPage {
    office: OfficeNav,
    view: View,
    caption: String,
    /// List view: days that have items.
    days: Vec<DayView>,
    /// Week and month views: rows of seven days.
    weeks: Vec<Vec<DayView>>,
    weekdays: Vec<String>,
    prev: String,
    next: String,
    today: String,
    from: String,
    empty: bool,
}

pub fn item_href(slug: &str, i: &Item) -> String {
    match i.kind {
        ItemKind::Event => format!("/biuro/{slug}/kalendarz/{}", i.id),
        ItemKind::Task => format!("/biuro/{slug}/zadania/{}", i.id),
        ItemKind::Booking => format!("/biuro/{slug}/wizyty/{}", i.id),
    }
}

async fn calendar(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    query: web::Query<ViewQuery>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let lang = ctx.lang;
    let slug = path.into_inner();
    let q = query.into_inner();
    let view = match q.widok.as_deref() {
        None | Some("") | Some("lista") => View::List,
        Some("tydzien") => View::Week,
        Some("miesiac") => View::Month,
        Some(_) => return Err(AppError::BadRequest("unknown view".into())),
    };
    let anchor = match q.od.as_deref().filter(|s| !s.is_empty()) {
        None => today(),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| AppError::BadRequest("bad date".into()))?,
    };
    // The days shown, first inclusive, last exclusive.
    let (first, last, prev, next) = match view {
        View::List => (
            anchor,
            anchor + Duration::days(LIST_DAYS),
            anchor - Duration::days(LIST_DAYS),
            anchor + Duration::days(LIST_DAYS),
        ),
        View::Week => {
            let monday = anchor - Duration::days(anchor.weekday().num_days_from_monday().into());
            (
                monday,
                monday + Duration::days(7),
                monday - Duration::days(7),
                monday + Duration::days(7),
            )
        }
        View::Month => {
            let first = anchor.with_day(1).expect("day 1 exists");
            let next = first + Months::new(1);
            let prev = first - Months::new(1);
            (first, next, prev, next)
        }
    };
    // The month grid runs from the Monday before the 1st to the Sunday after the last day.
    let (grid_first, grid_last) = match view {
        View::Month => (
            first - Duration::days(first.weekday().num_days_from_monday().into()),
            {
                let end = last - Duration::days(1);
                end + Duration::days((6 - end.weekday().num_days_from_monday()).into())
                    + Duration::days(1)
            },
        ),
        _ => (first, last),
    };
    let principal = cu.principal.clone();
    let uid = cu.user.id.clone();
    let (office, items) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
            let items = store::items(
                conn,
                &uid,
                std::slice::from_ref(&org.id),
                day_start(grid_first),
                day_start(grid_last),
                PAGE_LIMIT,
            )?;
            Ok((office, items))
        })
        .await?;
    let slug = office.slug.clone();
    let now_day = today();
    let mut by_day: BTreeMap<NaiveDate, Vec<ItemView>> = BTreeMap::new();
    let empty = items.is_empty();
    for i in &items {
        let day = local(i.starts_at).date_naive().max(grid_first);
        by_day.entry(day).or_default().push(ItemView {
            kind: i.kind,
            department: i.department,
            title: i.title.clone(),
            href: item_href(&slug, i),
            time: time_text(&state, lang, i.kind, i.starts_at, i.ends_at),
            location: i.location.clone(),
        });
    }
    let mut day_view = |d: NaiveDate, outside: bool| DayView {
        date: d.format("%Y-%m-%d").to_string(),
        label: day_label(&state, lang, d),
        number: d.day(),
        outside,
        today: d == now_day,
        items: by_day.remove(&d).unwrap_or_default(),
    };
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    match view {
        View::List => {
            let mut d = first;
            while d < last {
                let dv = day_view(d, false);
                if !dv.items.is_empty() {
                    days.push(dv);
                }
                d += Duration::days(1);
            }
        }
        View::Week | View::Month => {
            let mut d = grid_first;
            while d < grid_last {
                let mut week = Vec::with_capacity(7);
                for _ in 0..7 {
                    week.push(day_view(d, d < first || d >= last));
                    d += Duration::days(1);
                }
                weeks.push(week);
            }
        }
    }
    let caption = match view {
        View::List => state.i18n.t(
            lang,
            "calendar-caption-list",
            &[
                ("from", Arg::Str(date_label(&state, lang, first))),
                (
                    "to",
                    Arg::Str(date_label(&state, lang, last - Duration::days(1))),
                ),
            ],
        ),
        View::Week => state.i18n.t(
            lang,
            "calendar-caption-week",
            &[
                ("from", Arg::Str(date_label(&state, lang, first))),
                (
                    "to",
                    Arg::Str(date_label(&state, lang, last - Duration::days(1))),
                ),
            ],
        ),
        View::Month => state.i18n.t(
            lang,
            "calendar-caption-month",
            &[
                (
                    "month",
                    Arg::Str(
                        state
                            .i18n
                            .t(lang, MONTH_NAME_KEYS[first.month0() as usize], &[]),
                    ),
                ),
                ("year", Arg::Str(first.year().to_string())),
            ],
        ),
    };
    let monday = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a Monday");
    let weekdays = (0..7)
        .map(|n| weekday_label(&state, lang, monday + Duration::days(n)))
        .collect();
    let link = |d: NaiveDate| {
        format!(
            "/biuro/{slug}/kalendarz?widok={}&od={}",
            view.param(),
            d.format("%Y-%m-%d")
        )
    };
    let page = CalendarPage {
        view,
        caption,
        days,
        weeks,
        weekdays,
        prev: link(prev),
        next: link(next),
        today: link(now_day),
        from: first.format("%Y-%m-%d").to_string(),
        empty,
        office,
    };
    render(&state, &ctx, "office/calendar/calendar.html", &page)
}

// ---------------------------------------------------------------------------------------------
// The event form

/// The form as typed, kept to show it again with errors.
#[derive(Debug, Clone, Default, Serialize)]
struct EventForm {
    title: String,
    description: String,
    location: String,
    date: String,
    start: String,
    end: String,
    department: String,
    colleagues: Vec<String>,
    guests: String,
}

impl EventForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> EventForm {
        let mut f = EventForm::default();
        let keep = |s: String, n: usize| s.chars().take(n).collect::<String>();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = keep(v, MAX_TITLE + 50),
                "description" => f.description = keep(v, MAX_DESCRIPTION + 50),
                "location" => f.location = keep(v, MAX_LOCATION + 50),
                "date" => f.date = keep(v, 20),
                "start" => f.start = keep(v, 10),
                "end" => f.end = keep(v, 10),
                "department" => f.department = keep(v, 64),
                "colleague" if f.colleagues.len() < 500 => f.colleagues.push(keep(v, 64)),
                "guests" => f.guests = keep(v, 20_000),
                _ => {}
            }
        }
        f
    }

    fn of(e: &EventRow, attendees: &[AttendeeRow]) -> EventForm {
        let s = local(e.starts_at);
        EventForm {
            title: e.title.clone(),
            description: e.description.clone(),
            location: e.location.clone(),
            date: s.format("%Y-%m-%d").to_string(),
            start: s.format("%H:%M").to_string(),
            end: local(e.ends_at).format("%H:%M").to_string(),
            department: e.department_id.clone().unwrap_or_default(),
            colleagues: attendees.iter().filter_map(|a| a.user_id.clone()).collect(),
            guests: attendees
                .iter()
                .filter(|a| a.user_id.is_none())
                .map(|a| {
                    if a.name.is_empty() {
                        a.email.clone()
                    } else {
                        format!("{} <{}>", a.name, a.email)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Field errors in form order, as Fluent ids (one per field).
#[derive(Debug, Default)]
struct Problems(Vec<(&'static str, &'static str)>);

impl Problems {
    fn add(&mut self, field: &'static str, key: &'static str) {
        if !self.0.iter().any(|(f, _)| *f == field) {
            self.0.push((field, key));
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn translate(&self, state: &AppState, lang: Lang) -> Vec<FieldError> {
        let mut e = FormErrors::default();
        for (f, k) in &self.0 {
            e.add(f, k);
        }
        e.translate(state, lang)
    }
}

/// Checks the form against the office's colleagues and departments. `me` is the organiser, who
/// is never their own attendee.
fn check(
    f: &EventForm,
    me: &str,
    people: &[organisation::Member],
    departments: &[organisation::Department],
) -> Result<EventInput, Problems> {
    let mut errors = Problems::default();
    let title = f.title.trim().to_owned();
    if title.is_empty() {
        errors.add("title", "calendar-error-title");
    } else if title.chars().count() > MAX_TITLE {
        errors.add("title", "calendar-error-title-long");
    }
    if f.location.trim().chars().count() > MAX_LOCATION {
        errors.add("location", "calendar-error-location-long");
    }
    if f.description.chars().count() > MAX_DESCRIPTION {
        errors.add("description", "calendar-error-description-long");
    }
    let start = utc_from_local(&f.date, &f.start);
    let end = utc_from_local(&f.date, &f.end);
    if NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d").is_err() {
        errors.add("date", "calendar-error-date");
    }
    if start.is_none() {
        errors.add("start", "calendar-error-time");
    }
    if end.is_none() {
        errors.add("end", "calendar-error-time");
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            errors.add("end", "calendar-error-end");
        }
    }
    let department = Some(f.department.trim().to_owned()).filter(|d| !d.is_empty());
    if let Some(d) = &department {
        if !departments.iter().any(|x| &x.id == d) {
            errors.add("department", "calendar-error-department");
        }
    }
    let mut invitees: Vec<Invitee> = Vec::new();
    for id in &f.colleagues {
        if id == me {
            continue;
        }
        match people.iter().find(|m| &m.user_id == id) {
            Some(m) => {
                let email = m.email.trim().to_lowercase();
                if !invitees.iter().any(|i| i.email == email) {
                    invitees.push(Invitee {
                        email,
                        name: m.full_name.clone(),
                        user_id: Some(m.user_id.clone()),
                    });
                }
            }
            None => errors.add("colleagues", "calendar-error-colleague"),
        }
    }
    let mut guests = 0;
    for line in f.guests.lines().map(str::trim).filter(|l| !l.is_empty()) {
        guests += 1;
        let Ok(mb) = line.parse::<Mailbox>() else {
            errors.add("guests", "calendar-error-guests");
            continue;
        };
        let email = mb.email.to_string().to_lowercase();
        if invitees.iter().any(|i| i.email == email) {
            continue;
        }
        // A colleague typed by address is still a colleague (notified in the app too).
        match people.iter().find(|m| m.email.eq_ignore_ascii_case(&email)) {
            Some(m) if m.user_id != me => invitees.push(Invitee {
                email,
                name: m.full_name.clone(),
                user_id: Some(m.user_id.clone()),
            }),
            Some(_) => {}
            None => invitees.push(Invitee {
                email,
                name: mb.name.unwrap_or_default().trim().to_owned(),
                user_id: None,
            }),
        }
    }
    if guests > MAX_GUESTS {
        errors.add("guests", "calendar-error-guests-many");
    }
    match (errors.is_empty(), start, end) {
        (true, Some(starts_at), Some(ends_at)) => Ok(EventInput {
            title,
            description: f.description.trim().replace("\r\n", "\n"),
            location: f.location.trim().to_owned(),
            starts_at,
            ends_at,
            department_id: department,
            invitees,
        }),
        _ => Err(errors),
    }
}

#[derive(Serialize)]
struct Choice {
    id: String,
    name: String,
    email: String,
    selected: bool,
}

#[derive(Serialize)]
struct FormPage {
    office: OfficeNav,
    /// The event being edited, if any.
    event_id: Option<String>,
    form: EventForm,
    departments: Vec<Choice>,
    colleagues: Vec<Choice>,
    errors: Vec<FieldError>,
}

/// The office, its colleagues (without me) and departments, for the form.
fn form_data(
    conn: &mut DbConn,
    org: &Organisation,
    me: &str,
) -> Result<(Vec<organisation::Member>, Vec<organisation::Department>), AppError> {
    let people = colleagues(conn, &org.id)?
        .into_iter()
        .filter(|m| m.user_id != me)
        .collect();
    Ok((people, organisation::departments(conn, &org.id)?))
}

fn form_page(
    office: OfficeNav,
    event_id: Option<String>,
    form: EventForm,
    people: &[organisation::Member],
    departments: &[organisation::Department],
    errors: Vec<FieldError>,
) -> FormPage {
    FormPage {
        departments: departments
            .iter()
            .map(|d| Choice {
                selected: d.id == form.department,
                id: d.id.clone(),
                name: d.name.clone(),
                email: String::new(),
            })
            .collect(),
        colleagues: people
            .iter()
            .map(|m| Choice {
                selected: form.colleagues.contains(&m.user_id),
                id: m.user_id.clone(),
                name: m.full_name.clone(),
                email: m.email.clone(),
            })
            .collect(),
        office,
        event_id,
        form,
        errors,
    }
}

async fn new_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    query: web::Query<ViewQuery>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let slug = path.into_inner();
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let date = query
        .od
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(today);
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
            let (people, departments) = form_data(conn, &org, &me)?;
            let form = EventForm {
                date: date.format("%Y-%m-%d").to_string(),
                start: "09:00".into(),
                end: "10:00".into(),
                ..EventForm::default()
            };
            Ok(form_page(office, None, form, &people, &departments, vec![]))
        })
        .await?;
    render(&state, &ctx, "office/calendar/form.html", &page)
}

/// Mail and notices to send once the change is committed.
struct After {
    messages: Vec<lettre::Message>,
}

/// Stored notices for colleagues among `who` (inside the transaction).
fn notify_colleagues(
    conn: &mut DbConn,
    org_id: &str,
    who: &[AttendeeRow],
    subject: &str,
    link: &str,
    actor: &str,
) -> diesel::QueryResult<()> {
    for a in who {
        if let Some(uid) = &a.user_id {
            notifications::notify(
                conn,
                &Notice {
                    user_id: uid,
                    organisation_id: Some(org_id),
                    kind: Kind::Invitation,
                    subject,
                    link,
                    actor_name: Some(actor),
                    dedupe_key: None,
                },
            )?;
        }
    }
    Ok(())
}

/// The time of an event for the email, in Polish time, in words of `lang`.
fn when_text(state: &AppState, e: &EventRow, lang: Lang) -> String {
    let s = local_text(e.starts_at);
    let end = local(e.ends_at);
    let when = if local(e.starts_at).date_naive() == end.date_naive() {
        format!("{s}–{}", end.format("%H:%M"))
    } else {
        format!("{s} – {}", local_text(e.ends_at))
    };
    state.i18n.t(
        lang,
        "calendar-mail-local-time",
        &[("when", Arg::Str(when))],
    )
}

/// The words of the emails about `e` to `people`: each colleague's language from their account.
fn words<'a>(
    state: &'a AppState,
    conn: &mut DbConn,
    e: &'a EventRow,
    people: &[&[AttendeeRow]],
) -> diesel::QueryResult<invite::Words<'a>> {
    use diesel::prelude::*;
    use platform::db::schema::users;
    let ids: Vec<&str> = people
        .iter()
        .flat_map(|p| p.iter())
        .filter_map(|a| a.user_id.as_deref())
        .collect();
    let langs = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::language))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .filter_map(|(id, l)| Some((id, Lang::parse(l.as_deref()?)?)))
        .collect();
    Ok(invite::Words {
        i18n: &state.i18n,
        langs,
        when: Box::new(move |lang| when_text(state, e, lang)),
    })
}

fn event_link(state: &AppState, slug: &str, id: &str) -> String {
    format!(
        "{}/biuro/{slug}/kalendarz/{id}",
        state.config.base_url.trim_end_matches('/')
    )
}

async fn create(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let lang = ctx.lang;
    let slug = path.into_inner();
    let form = EventForm::from_pairs(form.into_inner());
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let my_name = cu.user.full_name.clone();
    let host = store::uid_host(&state.config.base_url);
    let st = state.clone();
    let outcome = state
        .db
        .run(
            move |conn| -> Result<Result<(String, After), FormPage>, AppError> {
                let org = office_for(conn, &principal, &slug)?;
                let (people, departments) = form_data(conn, &org, &me)?;
                let input = match check(&form, &me, &people, &departments) {
                    Ok(i) => i,
                    Err(errors) => {
                        let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
                        return Ok(Err(form_page(
                            office,
                            None,
                            form,
                            &people,
                            &departments,
                            errors.translate(&st, lang),
                        )));
                    }
                };
                let (event, attendees) = write_transaction(conn, |conn| -> Result<_, AppError> {
                    let event = store::create(conn, &org.id, &me, &host, &input)?;
                    let attendees = store::attendees(conn, &event.id)?;
                    let link = format!("/biuro/{}/kalendarz/{}", org.slug, event.id);
                    notify_colleagues(conn, &org.id, &attendees, &event.title, &link, &my_name)?;
                    Ok((event, attendees))
                })?;
                let messages = invite::messages(
                    &words(&st, conn, &event, &[&attendees])?,
                    st.mailer.from(),
                    &event,
                    &attendees,
                    &attendees,
                    &my_name,
                    Why::Invited,
                    &event_link(&st, &org.slug, &event.id),
                );
                Ok(Ok((
                    format!("/biuro/{}/kalendarz/{}", org.slug, event.id),
                    After { messages },
                )))
            },
        )
        .await?;
    match outcome {
        Ok((to, after)) => {
            invite::send_all(state.mailer.clone(), after.messages).await;
            Ok(see_other(&state, &to, Some("flash-calendar-created")))
        }
        Err(page) => render_page(
            &state,
            &ctx,
            "office/calendar/form.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

/// The event at `id` in the office at `slug`, if the visitor may see it (404 otherwise, also for
/// an event of another office: its existence is not revealed).
fn visible_event(
    conn: &mut DbConn,
    org: &Organisation,
    id: &str,
    user_id: &str,
) -> Result<EventRow, AppError> {
    let e = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    if e.organisation_id != org.id || !store::can_see(conn, &e, user_id)? {
        return Err(AppError::NotFound);
    }
    Ok(e)
}

/// The event, for its organiser only (403 for others who see it).
fn own_event(
    conn: &mut DbConn,
    org: &Organisation,
    id: &str,
    user_id: &str,
) -> Result<EventRow, AppError> {
    let e = visible_event(conn, org, id, user_id)?;
    if e.organiser_id != user_id {
        return Err(AppError::Forbidden);
    }
    Ok(e)
}

#[derive(Serialize)]
struct AttendeeView {
    name: String,
    email: String,
    colleague: bool,
    partstat: String,
}

#[derive(Serialize)]
struct EventPage {
    office: OfficeNav,
    id: String,
    title: String,
    description: String,
    location: String,
    day: String,
    time: String,
    organiser: String,
    department: Option<String>,
    cancelled: bool,
    mine: bool,
    attendees: Vec<AttendeeView>,
    week_link: String,
}

async fn show(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let lang = ctx.lang;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let st = state.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let e = visible_event(conn, &org, &id, &me)?;
            let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
            let attendees = store::attendees(conn, &e.id)?;
            let department = match &e.department_id {
                Some(d) => organisation::departments(conn, &org.id)?
                    .into_iter()
                    .find(|x| &x.id == d)
                    .map(|x| x.name),
                None => None,
            };
            let day = local(e.starts_at).date_naive();
            Ok(EventPage {
                week_link: format!(
                    "/biuro/{}/kalendarz?widok=tydzien&od={}",
                    org.slug,
                    day.format("%Y-%m-%d")
                ),
                office,
                day: day_label(&st, lang, day),
                time: time_text(&st, lang, ItemKind::Event, e.starts_at, e.ends_at),
                organiser: crate::tasks::store::user_name(conn, &e.organiser_id)?,
                department,
                cancelled: e.cancelled(),
                mine: e.organiser_id == me,
                attendees: attendees
                    .into_iter()
                    .map(|a| AttendeeView {
                        colleague: a.user_id.is_some(),
                        name: a.name,
                        email: a.email,
                        partstat: a.partstat,
                    })
                    .collect(),
                id: e.id,
                title: e.title,
                description: e.description,
                location: e.location,
            })
        })
        .await?;
    render(&state, &ctx, "office/calendar/event.html", &page)
}

async fn edit_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let e = own_event(conn, &org, &id, &me)?;
            if e.cancelled() {
                return Err(AppError::NotFound);
            }
            let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
            let attendees = store::attendees(conn, &e.id)?;
            let (people, departments) = form_data(conn, &org, &me)?;
            Ok(form_page(
                office,
                Some(e.id.clone()),
                EventForm::of(&e, &attendees),
                &people,
                &departments,
                vec![],
            ))
        })
        .await?;
    render(&state, &ctx, "office/calendar/form.html", &page)
}

async fn edit_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let lang = ctx.lang;
    let (slug, id) = path.into_inner();
    let form = EventForm::from_pairs(form.into_inner());
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let my_name = cu.user.full_name.clone();
    let st = state.clone();
    let outcome = state
        .db
        .run(
            move |conn| -> Result<Result<(String, After), FormPage>, AppError> {
                let org = office_for(conn, &principal, &slug)?;
                let (people, departments) = form_data(conn, &org, &me)?;
                let input = match check(&form, &me, &people, &departments) {
                    Ok(i) => i,
                    Err(errors) => {
                        // Still only for the organiser of a live event.
                        let e = own_event(conn, &org, &id, &me)?;
                        if e.cancelled() {
                            return Err(AppError::NotFound);
                        }
                        let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
                        return Ok(Err(form_page(
                            office,
                            Some(e.id),
                            form,
                            &people,
                            &departments,
                            errors.translate(&st, lang),
                        )));
                    }
                };
                let link = format!("/biuro/{}/kalendarz/{}", org.slug, id);
                let up = write_transaction(conn, |conn| -> Result<_, AppError> {
                    let e = own_event(conn, &org, &id, &me)?;
                    if e.cancelled() {
                        return Err(AppError::NotFound);
                    }
                    let up = store::update(conn, &e, &input)?;
                    if up.sent {
                        notify_colleagues(
                            conn,
                            &org.id,
                            &up.attendees,
                            &up.event.title,
                            &link,
                            &my_name,
                        )?;
                        notify_colleagues(
                            conn,
                            &org.id,
                            &up.removed,
                            &up.event.title,
                            &link,
                            &my_name,
                        )?;
                    }
                    Ok(up)
                })?;
                let mut messages = Vec::new();
                if up.sent {
                    let words = words(&st, conn, &up.event, &[&up.attendees, &up.removed])?;
                    let full = event_link(&st, &org.slug, &up.event.id);
                    // Newcomers get an invitation, the others an update: both are the same REQUEST.
                    let (new, old): (Vec<_>, Vec<_>) = up
                        .attendees
                        .iter()
                        .cloned()
                        .partition(|a| up.added.contains(a));
                    for (who, why) in [(new, Why::Invited), (old, Why::Changed)] {
                        messages.extend(invite::messages(
                            &words,
                            st.mailer.from(),
                            &up.event,
                            &up.attendees,
                            &who,
                            &my_name,
                            why,
                            &full,
                        ));
                    }
                    messages.extend(invite::messages(
                        &words,
                        st.mailer.from(),
                        &up.event,
                        &up.removed,
                        &up.removed,
                        &my_name,
                        Why::Removed,
                        &full,
                    ));
                }
                Ok(Ok((link, After { messages })))
            },
        )
        .await?;
    match outcome {
        Ok((to, after)) => {
            invite::send_all(state.mailer.clone(), after.messages).await;
            Ok(see_other(&state, &to, Some("flash-calendar-saved")))
        }
        Err(page) => render_page(
            &state,
            &ctx,
            "office/calendar/form.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

#[derive(Serialize)]
struct CancelPage {
    office: OfficeNav,
    id: String,
    title: String,
    day: String,
    time: String,
    attendees: usize,
}

async fn cancel_confirm(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let lang = ctx.lang;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let st = state.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let e = own_event(conn, &org, &id, &me)?;
            if e.cancelled() {
                return Err(AppError::NotFound);
            }
            let office = OfficeNav::load(conn, &org, &principal, Section::Calendar)?;
            let attendees = store::attendees(conn, &e.id)?.len();
            Ok(CancelPage {
                office,
                day: day_label(&st, lang, local(e.starts_at).date_naive()),
                time: time_text(&st, lang, ItemKind::Event, e.starts_at, e.ends_at),
                id: e.id,
                title: e.title,
                attendees,
            })
        })
        .await?;
    render(&state, &ctx, "office/calendar/cancel.html", &page)
}

async fn cancel_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let me = cu.user.id.clone();
    let my_name = cu.user.full_name.clone();
    let st = state.clone();
    let (to, after) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let link = format!("/biuro/{}/kalendarz/{}", org.slug, id);
            let (e, attendees) = write_transaction(conn, |conn| -> Result<_, AppError> {
                let e = own_event(conn, &org, &id, &me)?;
                if e.cancelled() {
                    return Err(AppError::NotFound);
                }
                let e = store::cancel(conn, &e)?;
                let attendees = store::attendees(conn, &e.id)?;
                notify_colleagues(conn, &org.id, &attendees, &e.title, &link, &my_name)?;
                Ok((e, attendees))
            })?;
            let messages = invite::messages(
                &words(&st, conn, &e, &[&attendees])?,
                st.mailer.from(),
                &e,
                &attendees,
                &attendees,
                &my_name,
                Why::Cancelled,
                &event_link(&st, &org.slug, &e.id),
            );
            Ok((format!("/biuro/{}/kalendarz", org.slug), After { messages }))
        })
        .await?;
    invite::send_all(state.mailer.clone(), after.messages).await;
    Ok(see_other(&state, &to, Some("flash-calendar-cancelled")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, email: &str) -> organisation::Member {
        organisation::Member {
            user_id: id.into(),
            email: email.into(),
            full_name: format!("Osoba {id}"),
            department_id: None,
            roles: vec![],
        }
    }

    fn form() -> EventForm {
        EventForm {
            title: " Narada ".into(),
            date: "2026-03-29".into(),
            start: "10:00".into(),
            end: "11:00".into(),
            ..EventForm::default()
        }
    }

    #[test]
    fn form_times_are_local_and_attendees_deduplicated() {
        let people = [member("a", "Anna@urzad.pl"), member("me", "me@urzad.pl")];
        let mut f = form();
        f.colleagues = vec!["a".into(), "me".into()];
        f.guests = "Jan Kowalski <Jan@Example.com>\nanna@urzad.pl\n\nme@urzad.pl\nx@y.pl".into();
        let i = check(&f, "me", &people, &[]).unwrap();
        assert_eq!(i.title, "Narada");
        // 29 March 2026 is the first day of summer time: 10:00 local is 08:00 UTC.
        assert_eq!(i.starts_at.format("%H:%M").to_string(), "08:00");
        let emails: Vec<_> = i.invitees.iter().map(|x| x.email.as_str()).collect();
        assert_eq!(emails, ["anna@urzad.pl", "jan@example.com", "x@y.pl"]);
        assert_eq!(i.invitees[1].name, "Jan Kowalski");
        assert_eq!(i.invitees[0].user_id.as_deref(), Some("a"));
    }

    #[test]
    fn form_errors_name_the_fields() {
        let mut f = form();
        f.title = "  ".into();
        f.end = "09:00".into();
        f.guests = "to nie adres".into();
        f.colleagues = vec!["obcy".into()];
        f.department = "nie-ma".into();
        let e = check(&f, "me", &[], &[]).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["title", "end", "department", "colleagues", "guests"]
        );
    }
}
