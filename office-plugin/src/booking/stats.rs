//! Booking statistics for an office's administrators (`/biuro/{office}/statystyki`, and the same
//! numbers as CSV): per matter and per week, lead time, cancellations, no-shows, online share.
//! Bookings count by the local day of the appointment, within the chosen dates.

use actix_web::{http::header, web, HttpResponse};
use chrono::{Datelike, Days, NaiveDate, Utc};
use diesel::prelude::*;
use platform::access::Permission;
use platform::db::DbConn;
use platform::web::render::render;
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};

use super::slots;
use super::store::{Booking, Matter};
use crate::page::{office_for, OfficeNav, Section};
use crate::schema::office_bookings;

#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct Counts {
    pub total: u32,
    pub booked: u32,
    pub done: u32,
    pub no_show: u32,
    pub cancelled_by_citizen: u32,
    pub cancelled_by_office: u32,
    /// Not cancelled, online / in the office.
    pub online: u32,
    pub in_office: u32,
}

impl Counts {
    fn add(&mut self, b: &Booking) {
        self.total += 1;
        match b.status.as_str() {
            "done" => self.done += 1,
            "no_show" => self.no_show += 1,
            "cancelled" => {
                if b.cancelled_by.as_deref() == Some("citizen") {
                    self.cancelled_by_citizen += 1
                } else {
                    self.cancelled_by_office += 1
                }
            }
            _ => self.booked += 1,
        }
        if b.status != "cancelled" {
            if b.mode == "online" {
                self.online += 1
            } else {
                self.in_office += 1
            }
        }
    }

    /// Visits not cancelled.
    pub fn held(&self) -> u32 {
        self.total - self.cancelled_by_citizen - self.cancelled_by_office
    }
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub counts: Counts,
    /// Bar length in the chart, 0..=100 (of the largest row).
    pub bar: u32,
}

#[derive(Debug, Serialize)]
pub struct Stats {
    pub from: String,
    pub to: String,
    pub per_matter: Vec<Row>,
    /// By the Monday of the appointment's week.
    pub per_week: Vec<Row>,
    pub total: Counts,
    /// Hours from booking to appointment, over all bookings in the range.
    pub lead_median_h: Option<f64>,
    pub lead_average_h: Option<f64>,
    /// Percent of the visits held (not cancelled) that were online.
    pub online_percent: Option<u32>,
}

fn bars(rows: &mut [Row]) {
    let max = rows
        .iter()
        .map(|r| r.counts.total)
        .max()
        .unwrap_or(0)
        .max(1);
    for r in rows {
        r.bar = r.counts.total * 100 / max;
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The statistics of these bookings (of these matters) between two local dates.
pub fn compute(bookings: &[Booking], matters: &[Matter], from: NaiveDate, to: NaiveDate) -> Stats {
    let mut total = Counts::default();
    let mut per_matter: Vec<Row> = matters
        .iter()
        .map(|m| Row {
            label: m.name.clone(),
            counts: Counts::default(),
            bar: 0,
        })
        .collect();
    let mut weeks: std::collections::BTreeMap<NaiveDate, Counts> = Default::default();
    let mut leads: Vec<f64> = Vec::new();
    for b in bookings {
        total.add(b);
        if let Some(i) = matters.iter().position(|m| m.id == b.matter_id) {
            per_matter[i].counts.add(b);
        }
        let day = NaiveDate::parse_from_str(&b.local_day, "%Y-%m-%d").unwrap_or(from);
        let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
        weeks.entry(monday).or_default().add(b);
        leads.push((b.starts_at - b.created_at).num_seconds() as f64 / 3600.0);
    }
    per_matter.retain(|r| r.counts.total > 0);
    let mut per_week: Vec<Row> = weeks
        .into_iter()
        .map(|(w, counts)| Row {
            label: w.to_string(),
            counts,
            bar: 0,
        })
        .collect();
    bars(&mut per_matter);
    bars(&mut per_week);
    leads.sort_by(|a, b| a.total_cmp(b));
    let median = (!leads.is_empty()).then(|| {
        let n = leads.len();
        if n % 2 == 1 {
            leads[n / 2]
        } else {
            (leads[n / 2 - 1] + leads[n / 2]) / 2.0
        }
    });
    let average = (!leads.is_empty()).then(|| leads.iter().sum::<f64>() / leads.len() as f64);
    let held = total.held();
    Stats {
        from: from.to_string(),
        to: to.to_string(),
        per_matter,
        per_week,
        lead_median_h: median.map(round1),
        lead_average_h: average.map(round1),
        online_percent: (held > 0).then(|| (total.online * 100 + held / 2) / held),
        total,
    }
}

#[derive(Deserialize)]
pub struct Range {
    od: Option<String>,
    #[serde(rename = "do")]
    to: Option<String>,
}

fn range(r: &Range) -> (NaiveDate, NaiveDate) {
    let today = slots::local_date(Utc::now());
    let p = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    };
    let from = p(&r.od).unwrap_or(today - Days::new(90));
    let to = p(&r.to).unwrap_or(today + Days::new(30)).max(from);
    (from, to)
}

fn load(
    conn: &mut DbConn,
    org_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<(Vec<Booking>, Vec<Matter>)> {
    let bookings = office_bookings::table
        .filter(office_bookings::organisation_id.eq(org_id))
        .filter(office_bookings::local_day.ge(from.to_string()))
        .filter(office_bookings::local_day.le(to.to_string()))
        .select(Booking::as_select())
        .load(conn)?;
    Ok((bookings, super::store::matters(conn, org_id, false)?))
}

async fn gather(
    state: &AppState,
    signed: &SignedIn,
    slug: String,
    r: &Range,
) -> Result<(OfficeNav, Stats), AppError> {
    let p = signed.0.principal.clone();
    let (from, to) = range(r);
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &p, &slug)?;
            if !p.can(&org.id, Permission::ManageOrganisation) {
                return Err(AppError::Forbidden);
            }
            let (b, m) = load(conn, &org.id, from, to)?;
            Ok((
                OfficeNav::load(conn, &org, &p, Section::Statistics)?,
                compute(&b, &m, from, to),
            ))
        })
        .await
}

#[derive(Serialize)]
struct StatsPage {
    office: OfficeNav,
    stats: Stats,
    csv_link: String,
    /// Lead times written with the language's decimal separator.
    lead_median: Option<String>,
    lead_average: Option<String>,
}

fn decimal(x: f64, lang: platform::i18n::Lang) -> String {
    let s = format!("{x}");
    if lang == platform::i18n::Lang::Pl {
        s.replace('.', ",")
    } else {
        s
    }
}

pub async fn page(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    q: web::Query<Range>,
) -> Result<HttpResponse, AppError> {
    let (office, stats) = gather(&state, &signed, path.into_inner(), &q).await?;
    let csv_link = format!(
        "/biuro/{}/statystyki.csv?od={}&do={}",
        office.slug, stats.from, stats.to
    );
    let lang = signed.1.lang;
    render(
        &state,
        &signed.1,
        "office/booking/stats.html",
        &StatsPage {
            lead_median: stats.lead_median_h.map(|x| decimal(x, lang)),
            lead_average: stats.lead_average_h.map(|x| decimal(x, lang)),
            office,
            stats,
            csv_link,
        },
    )
}

fn csv_field(s: &str) -> String {
    // Quote always; neutralise formulas spreadsheets would run.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// One line per matter and per week, then the whole range, with the same columns.
pub fn csv(stats: &Stats) -> String {
    let mut out = String::from(
        "section,label,total,booked,done,no_show,cancelled_by_citizen,cancelled_by_office,online,in_office\r\n",
    );
    let mut line = |section: &str, label: &str, c: &Counts| {
        out.push_str(&format!(
            "{section},{},{},{},{},{},{},{},{},{}\r\n",
            csv_field(label),
            c.total,
            c.booked,
            c.done,
            c.no_show,
            c.cancelled_by_citizen,
            c.cancelled_by_office,
            c.online,
            c.in_office
        ));
    };
    for r in &stats.per_matter {
        line("matter", &r.label, &r.counts);
    }
    for r in &stats.per_week {
        line("week", &r.label, &r.counts);
    }
    line(
        "total",
        &format!("{}..{}", stats.from, stats.to),
        &stats.total,
    );
    out
}

pub async fn csv_export(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    q: web::Query<Range>,
) -> Result<HttpResponse, AppError> {
    let (office, stats) = gather(&state, &signed, path.into_inner(), &q).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"wizyty-{}-{}-{}.csv\"",
                office.slug, stats.from, stats.to
            ),
        ))
        .body(csv(&stats)))
}
