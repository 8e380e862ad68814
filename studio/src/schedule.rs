//! The course's schedule and about page, as Open edX Studio's "Schedule & Details" keeps them:
//! dates and `self_paced` on the course root block's policy (`policies/RUN/policy.json`, dates
//! as UTC ISO 8601, `"2027-01-15T08:00:00Z"`), the texts as `about/*.html` files and the card
//! image as a static file named by the root's `course_image`. Authors enter dates in Polish
//! time. Saved at once as a new version of the course (Open edX does not draft these).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use futures_util::StreamExt;
use platform::storage::BlobStore;
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};
use xblock_compat::olx::{Course, StaticFile};

use crate::store;
use crate::web::{course_current, course_row};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/studio/kursy/{course_id}/harmonogram")
            .route(web::get().to(schedule_form))
            .route(web::post().to(schedule_save)),
    )
    .service(
        web::resource("/studio/kursy/{course_id}/opis")
            .route(web::get().to(about_form))
            .route(web::post().to(about_save)),
    );
}

// ---------------------------------------------------------------------------------------------
// Schedule model

/// The dates on the course root block, in Open edX's field names.
pub const DATE_FIELDS: [&str; 4] = ["start", "end", "enrollment_start", "enrollment_end"];

/// The schedule form as typed (dates as `YYYY-MM-DDTHH:MM` in Polish time, what
/// `<input type="datetime-local">` sends).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub enrollment_start: String,
    #[serde(default)]
    pub enrollment_end: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub self_paced: bool,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.is_some_and(|v| !v.is_empty()))
}

/// A checked schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub enrollment_start: Option<DateTime<Utc>>,
    pub enrollment_end: Option<DateTime<Utc>>,
    pub self_paced: bool,
}

impl Schedule {
    fn get(&self, field: &str) -> Option<DateTime<Utc>> {
        match field {
            "start" => Some(self.start),
            "end" => self.end,
            "enrollment_start" => self.enrollment_start,
            "enrollment_end" => self.enrollment_end,
            _ => None,
        }
    }
}

/// A date as Open edX writes it in `policy.json`.
pub fn iso(d: &DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A stored date as the form shows it: Polish wall-clock time.
pub fn local_input(d: &DateTime<Utc>) -> String {
    d.with_timezone(&chrono_tz::Europe::Warsaw)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn stored_date(course: &Course, field: &str) -> Option<DateTime<Utc>> {
    course
        .root_block()
        .field(field)
        .and_then(|v| xblock_compat::courseware::policy::parse_date(&v))
}

fn stored_self_paced(course: &Course) -> bool {
    course
        .root_block()
        .field("self_paced")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The form filled from the course.
pub fn schedule_of(course: &Course) -> ScheduleForm {
    let f = |name: &str| {
        stored_date(course, name)
            .map(|d| local_input(&d))
            .unwrap_or_default()
    };
    ScheduleForm {
        start: f("start"),
        end: f("end"),
        enrollment_start: f("enrollment_start"),
        enrollment_end: f("enrollment_end"),
        self_paced: stored_self_paced(course),
    }
}

/// Why a typed date is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadDate {
    /// Not a date and time we read.
    Format,
    /// A wall-clock time skipped when clocks go forward (e.g. 2027-03-28 02:30).
    Gap,
}

/// A date typed in Polish time: `2027-01-15T09:00` (the date-time field), also with a space,
/// seconds, or only the day (midnight), or as `15.01.2027 09:00`. Empty is `None`.
pub fn parse_local(s: &str) -> Result<Option<DateTime<Utc>>, BadDate> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > 40 {
        return Err(BadDate::Format);
    }
    let t = s.replacen('T', " ", 1);
    let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
        .or_else(|| {
            ["%Y-%m-%d", "%d.%m.%Y"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(&t, f).ok())
                .map(|d| d.and_time(NaiveTime::MIN))
        })
        .ok_or(BadDate::Format)?;
    // Four-digit years only: `<input type="datetime-local">` allows more, Open edX does not.
    if !(1900..=9999).contains(&chrono::Datelike::year(&naive)) {
        return Err(BadDate::Format);
    }
    match chrono_tz::Europe::Warsaw.from_local_datetime(&naive) {
        chrono::LocalResult::Single(d) => Ok(Some(d.with_timezone(&Utc))),
        // The hour repeated when clocks go back: the first of the two, as people mean it.
        chrono::LocalResult::Ambiguous(d, _) => Ok(Some(d.with_timezone(&Utc))),
        chrono::LocalResult::None => Err(BadDate::Gap),
    }
}

/// A problem with a form: the field and a Fluent id.
pub type Problem = (&'static str, &'static str);

/// Checks the schedule as Open edX Studio does (`course_details.js`): a start is required; the
/// end after the start; enrolment opening no later than the start, closing after it opens and
/// not after the course ends.
pub fn check_schedule(form: &ScheduleForm) -> Result<Schedule, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut read = |field: &'static str, text: &str| match parse_local(text) {
        Ok(d) => d,
        Err(e) => {
            problems.push((
                field,
                match e {
                    BadDate::Format => "studio-schedule-error-date",
                    BadDate::Gap => "studio-schedule-error-gap",
                },
            ));
            None
        }
    };
    let start = read("start", &form.start);
    let end = read("end", &form.end);
    let enrollment_start = read("enrollment_start", &form.enrollment_start);
    let enrollment_end = read("enrollment_end", &form.enrollment_end);
    let bad = |f: &str, p: &[Problem]| p.iter().any(|(x, _)| *x == f);
    if start.is_none() && !bad("start", &problems) {
        problems.push(("start", "studio-schedule-error-start-missing"));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            problems.push(("end", "studio-schedule-error-end"));
        }
    }
    if let (Some(s), Some(es)) = (start, enrollment_start) {
        if es > s {
            problems.push(("enrollment_start", "studio-schedule-error-enrollment-start"));
        }
    }
    if let (Some(es), Some(ee)) = (enrollment_start, enrollment_end) {
        if ee <= es {
            problems.push(("enrollment_end", "studio-schedule-error-enrollment-end"));
        }
    }
    if let (Some(e), Some(ee)) = (end, enrollment_end) {
        if ee > e && !bad("enrollment_end", &problems) {
            problems.push((
                "enrollment_end",
                "studio-schedule-error-enrollment-after-end",
            ));
        }
    }
    match (start, problems.is_empty()) {
        (Some(start), true) => Ok(Schedule {
            start,
            end,
            enrollment_start,
            enrollment_end,
            self_paced: form.self_paced,
        }),
        _ => Err(problems),
    }
}

/// Writes the schedule on the root block's policy (where `policy.json` keeps it); dates that
/// are the same instant stay as stored. Returns whether anything changed.
pub fn apply_schedule(course: &mut Course, s: &Schedule) -> bool {
    let mut changed = false;
    for field in DATE_FIELDS {
        let new = s.get(field);
        if stored_date(course, field) == new {
            continue;
        }
        let root = course.root;
        let b = &mut course.blocks[root];
        b.attrs.retain(|(k, _)| k != field);
        match new {
            Some(d) => {
                b.policy
                    .insert(field.to_string(), serde_json::Value::String(iso(&d)));
            }
            None => {
                b.policy.remove(field);
            }
        }
        changed = true;
    }
    if stored_self_paced(course) != s.self_paced {
        let root = course.root;
        let b = &mut course.blocks[root];
        b.attrs.retain(|(k, _)| k != "self_paced");
        b.policy
            .insert("self_paced".into(), serde_json::Value::Bool(s.self_paced));
        changed = true;
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// About page model

/// The `about/` files this page edits (Open edX's names).
pub const SHORT_DESCRIPTION: &str = "short_description.html";
pub const OVERVIEW: &str = "overview.html";
pub const EFFORT: &str = "effort.html";
pub const DURATION: &str = "duration.html";

/// Longest texts accepted (characters).
pub const MAX_SHORT_DESCRIPTION: usize = 300;
pub const MAX_OVERVIEW: usize = 100_000;
pub const MAX_EFFORT: usize = 50;
pub const MAX_DURATION: usize = 100;
/// The largest course image (Open edX Studio's default upload limit is 10 MB).
pub const MAX_IMAGE: usize = 10 * 1024 * 1024;

/// The about form's texts as typed (plain text except `overview`, which is HTML).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AboutForm {
    pub short_description: String,
    pub overview: String,
    pub effort: String,
    pub duration: String,
}

fn about_text(course: &Course, name: &str) -> Option<String> {
    // Exports name the files `overview.html`; older SZPoN versions may hold them without it.
    course
        .about
        .get(name)
        .or_else(|| course.about.get(name.trim_end_matches(".html")))
        .cloned()
}

/// Plain text stored in an `.html` file: `&`, `<` and `>` escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The plain text of a stored plain field (tags dropped, the usual entities read).
pub fn unescape(s: &str) -> String {
    store::plain_text(s, usize::MAX)
}

/// The form filled from the course.
pub fn about_of(course: &Course) -> AboutForm {
    let plain = |n: &str| {
        about_text(course, n)
            .map(|t| unescape(&t))
            .unwrap_or_default()
    };
    AboutForm {
        short_description: plain(SHORT_DESCRIPTION),
        overview: about_text(course, OVERVIEW).unwrap_or_default(),
        effort: plain(EFFORT),
        duration: plain(DURATION),
    }
}

/// Author HTML for the about page, cleaned of scripts, styles, frames and event handlers.
pub fn sanitise(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "lang", "dir", "title"])
        .add_tags(["section", "article", "figure", "figcaption"]);
    b.clean(html).to_string()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the texts; returns them as stored (plain ones escaped, the overview sanitised).
pub fn check_about(form: &AboutForm) -> Result<AboutForm, Vec<Problem>> {
    let mut problems = Vec::new();
    let short = one_line(&form.short_description);
    if short.chars().count() > MAX_SHORT_DESCRIPTION {
        problems.push(("short_description", "studio-about-error-short-description"));
    }
    let overview = form.overview.replace("\r\n", "\n");
    if overview.chars().count() > MAX_OVERVIEW {
        problems.push(("overview", "studio-about-error-overview"));
    }
    let effort = one_line(&form.effort);
    if effort.chars().count() > MAX_EFFORT {
        problems.push(("effort", "studio-about-error-effort"));
    }
    let duration = one_line(&form.duration);
    if duration.chars().count() > MAX_DURATION {
        problems.push(("duration", "studio-about-error-duration"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let overview = sanitise(&overview);
    Ok(AboutForm {
        short_description: escape(&short),
        overview: if overview.trim().is_empty() {
            String::new()
        } else {
            overview
        },
        effort: escape(&effort),
        duration: escape(&duration),
    })
}

/// The kind of an uploaded image by its first bytes: `png` or `jpg`.
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else {
        None
    }
}

/// The static file name for an uploaded image: the upload's name reduced to Open edX's asset
/// characters, with the extension of what the file really is.
pub fn image_name(upload: &str, kind: &str) -> String {
    let base = upload.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((s, _)) => s,
        None => base,
    };
    let mut stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if stem.trim_matches('_').is_empty() {
        stem = "course_image".into();
    }
    format!("{stem}.{kind}")
}

/// Stores the texts (empty ones removed) and, when given, the image as the course image.
/// Returns whether anything changed.
pub fn apply_about(course: &mut Course, texts: &AboutForm, image: Option<StaticFile>) -> bool {
    let mut changed = false;
    for (name, value) in [
        (SHORT_DESCRIPTION, &texts.short_description),
        (OVERVIEW, &texts.overview),
        (EFFORT, &texts.effort),
        (DURATION, &texts.duration),
    ] {
        let bare = name.trim_end_matches(".html");
        let old = about_text(course, name).unwrap_or_default();
        if old == *value && !course.about.contains_key(bare) {
            continue;
        }
        course.about.remove(bare);
        if value.is_empty() {
            course.about.remove(name);
        } else {
            course.about.insert(name.to_string(), value.clone());
        }
        changed |= old != *value;
    }
    if let Some(file) = image {
        let path = file.path.clone();
        match course.statics.iter_mut().find(|f| f.path == path) {
            Some(f) if f.sha256 == file.sha256 => {}
            Some(f) => {
                *f = file;
                changed = true;
            }
            None => {
                course.statics.push(file);
                course.statics.sort_by(|a, b| a.path.cmp(&b.path));
                changed = true;
            }
        }
        if course.root_block().field("course_image").as_deref() != Some(path.as_str()) {
            let root = course.root;
            let b = &mut course.blocks[root];
            b.attrs.retain(|(k, _)| k != "course_image");
            b.policy
                .insert("course_image".into(), serde_json::Value::String(path));
            changed = true;
        }
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// Pages

#[derive(Serialize)]
struct SchedulePage {
    id: String,
    title: String,
    course_key: String,
    form: ScheduleForm,
    errors: Vec<FieldError>,
}

fn translate(
    state: &AppState,
    lang: platform::i18n::Lang,
    problems: &[Problem],
) -> Vec<FieldError> {
    let mut errors = FormErrors::default();
    for (f, m) in problems {
        errors.add(f, m);
    }
    errors.translate(state, lang)
}

async fn schedule_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    render(
        &state,
        &signed.1,
        "studio/schedule.html",
        &SchedulePage {
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            form: schedule_of(&course),
            errors: vec![],
        },
    )
}

async fn schedule_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<ScheduleForm>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let form = form.into_inner();
    let schedule = match check_schedule(&form) {
        Ok(s) => s,
        Err(problems) => {
            let keep = |s: &str| s.chars().take(40).collect::<String>();
            let page = SchedulePage {
                id: row.id,
                title: row.title,
                course_key: row.course_key,
                form: ScheduleForm {
                    start: keep(&form.start),
                    end: keep(&form.end),
                    enrollment_start: keep(&form.enrollment_start),
                    enrollment_end: keep(&form.enrollment_end),
                    self_paced: form.self_paced,
                },
                errors: translate(&state, signed.1.lang, &problems),
            };
            return render_page(
                &state,
                &signed.1,
                "studio/schedule.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    state
        .db
        .run(move |conn| {
            store::change_current(conn, &cid, Some(&uid), "schedule", |course| {
                apply_schedule(course, &schedule)
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/harmonogram", row.id),
        Some("flash-schedule-saved"),
    ))
}

#[derive(Serialize)]
struct AboutPage {
    id: String,
    title: String,
    course_key: String,
    form: AboutForm,
    /// The current course image's file name, if any.
    image: Option<String>,
    max_image_mib: usize,
    errors: Vec<FieldError>,
}

fn current_image(course: &Course) -> Option<String> {
    course
        .root_block()
        .field("course_image")
        .map(|i| i.trim_start_matches("/static/").to_string())
        .filter(|i| !i.is_empty())
}

async fn about_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    render(
        &state,
        &signed.1,
        "studio/about_edit.html",
        &AboutPage {
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            form: about_of(&course),
            image: current_image(&course),
            max_image_mib: MAX_IMAGE >> 20,
            errors: vec![],
        },
    )
}

/// The about form as received (multipart, for the image). Texts not sent at all keep their
/// stored value (a browser always sends every field; other clients may send only the image).
#[derive(Default)]
struct AboutUpload {
    form: AboutForm,
    sent: Vec<String>,
    image_name: String,
    image: Vec<u8>,
    too_large: bool,
}

async fn receive(mut payload: Multipart) -> Result<AboutUpload, AppError> {
    let mut up = AboutUpload::default();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = match name.as_str() {
            "course_image" => MAX_IMAGE,
            // Bytes: room for the longest text in multi-byte characters.
            "overview" => MAX_OVERVIEW * 4 + 1,
            _ => 4096,
        };
        let mut v = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
            if v.len() + chunk.len() > limit {
                if name == "course_image" {
                    up.too_large = true;
                    // Drain the rest without keeping it.
                    while let Some(c) = field.next().await {
                        c.map_err(|e| AppError::BadRequest(e.to_string()))?;
                    }
                    break;
                }
                return Err(AppError::BadRequest(format!("field {name} too long")));
            }
            v.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&v).into_owned();
        up.sent.push(name.clone());
        match name.as_str() {
            "short_description" => up.form.short_description = text(),
            "overview" => up.form.overview = text(),
            "effort" => up.form.effort = text(),
            "duration" => up.form.duration = text(),
            "course_image" => {
                up.image_name = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .unwrap_or_default()
                    .to_string();
                if !up.too_large {
                    up.image = v;
                }
            }
            _ => {}
        }
    }
    Ok(up)
}

async fn about_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    let mut up = receive(payload).await?;
    let stored = about_of(&course);
    let keep = |name: &str, field: &mut String, value: &str| {
        if !up.sent.iter().any(|s| s == name) {
            *field = value.to_string();
        }
    };
    let mut form = up.form.clone();
    keep(
        "short_description",
        &mut form.short_description,
        &stored.short_description,
    );
    keep("overview", &mut form.overview, &stored.overview);
    keep("effort", &mut form.effort, &stored.effort);
    keep("duration", &mut form.duration, &stored.duration);
    up.form = form;
    let mut problems = Vec::new();
    let texts = match check_about(&up.form) {
        Ok(t) => Some(t),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let kind = if up.too_large {
        problems.push(("course_image", "studio-about-error-image-size"));
        None
    } else if up.image.is_empty() {
        None
    } else {
        let k = image_kind(&up.image);
        if k.is_none() {
            problems.push(("course_image", "studio-about-error-image-type"));
        }
        k
    };
    let Some(texts) = texts.filter(|_| problems.is_empty()) else {
        let page = AboutPage {
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            form: AboutForm {
                short_description: up.form.short_description.chars().take(2000).collect(),
                overview: up.form.overview.chars().take(MAX_OVERVIEW + 1000).collect(),
                effort: up.form.effort.chars().take(200).collect(),
                duration: up.form.duration.chars().take(200).collect(),
            },
            image: current_image(&course),
            max_image_mib: MAX_IMAGE >> 20,
            errors: translate(&state, signed.1.lang, &problems),
        };
        return render_page(
            &state,
            &signed.1,
            "studio/about_edit.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    // The image goes to the content-addressed store first; a blob this save added is removed
    // again if the version is not written.
    let mut image = None;
    let mut added_blob = None;
    if let Some(kind) = kind {
        let blobs = BlobStore::new(&state.config.data_dir);
        let bytes = up.image;
        let (sha256, size, new) = web::block(move || blobs.put_reader(bytes.as_slice()))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        if new {
            added_blob = Some(sha256.clone());
        }
        image = Some(StaticFile {
            path: image_name(&up.image_name, kind),
            sha256,
            size,
            disk_path: None,
        });
    }
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    let saved = state
        .db
        .run(move |conn| {
            store::change_current(conn, &cid, Some(&uid), "about", |course| {
                apply_about(course, &texts, image)
            })
            .map_err(AppError::from)
        })
        .await;
    if let (Err(_) | Ok(None), Some(sha)) = (&saved, &added_blob) {
        let _ = BlobStore::new(&state.config.data_dir).remove(sha);
    }
    saved?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/opis", row.id),
        Some("flash-about-saved"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(start: &str, end: &str, es: &str, ee: &str) -> ScheduleForm {
        ScheduleForm {
            start: start.into(),
            end: end.into(),
            enrollment_start: es.into(),
            enrollment_end: ee.into(),
            self_paced: false,
        }
    }

    #[test]
    fn polish_time_is_stored_as_utc_the_way_open_edx_writes_it() {
        // Winter (CET, UTC+1) and summer (CEST, UTC+2).
        let d = parse_local("2027-01-15T09:00").unwrap().unwrap();
        assert_eq!(iso(&d), "2027-01-15T08:00:00Z");
        let d = parse_local("2027-07-01 09:30").unwrap().unwrap();
        assert_eq!(iso(&d), "2027-07-01T07:30:00Z");
        assert_eq!(local_input(&d), "2027-07-01T09:30");
        let d = parse_local("15.01.2027 09:00").unwrap().unwrap();
        assert_eq!(iso(&d), "2027-01-15T08:00:00Z");
        let d = parse_local("2027-01-15").unwrap().unwrap();
        assert_eq!(iso(&d), "2027-01-14T23:00:00Z");
        assert_eq!(parse_local("  "), Ok(None));
        assert_eq!(parse_local("jutro"), Err(BadDate::Format));
        assert_eq!(parse_local("2027-02-30T09:00"), Err(BadDate::Format));
        assert_eq!(parse_local("20270-01-01T09:00"), Err(BadDate::Format));
        // Clocks go forward at 02:00 on 28 March 2027: 02:30 does not exist.
        assert_eq!(parse_local("2027-03-28T02:30"), Err(BadDate::Gap));
        // Back at 03:00 on 31 October 2027: 02:30 happens twice, the first (CEST) is taken.
        let d = parse_local("2027-10-31T02:30").unwrap().unwrap();
        assert_eq!(iso(&d), "2027-10-31T00:30:00Z");
    }

    #[test]
    fn schedule_rules_as_open_edx_studio_checks_them() {
        let ok = check_schedule(&form(
            "2027-01-15T09:00",
            "2027-06-30T18:00",
            "2027-01-01T00:00",
            "2027-06-30T18:00",
        ))
        .unwrap();
        assert_eq!(iso(&ok.start), "2027-01-15T08:00:00Z");
        assert!(check_schedule(&form("2027-01-15T09:00", "", "", "")).is_ok());
        let fields = |f: ScheduleForm| -> Vec<Problem> { check_schedule(&f).unwrap_err() };
        assert_eq!(
            fields(form("", "", "", "")),
            vec![("start", "studio-schedule-error-start-missing")]
        );
        assert_eq!(
            fields(form("2027-01-15T09:00", "2027-01-15T09:00", "", "")),
            vec![("end", "studio-schedule-error-end")]
        );
        assert_eq!(
            fields(form("2027-01-15T09:00", "", "2027-01-16T09:00", "")),
            vec![("enrollment_start", "studio-schedule-error-enrollment-start")]
        );
        assert_eq!(
            fields(form(
                "2027-01-15T09:00",
                "",
                "2027-01-10T09:00",
                "2027-01-09T09:00"
            )),
            vec![("enrollment_end", "studio-schedule-error-enrollment-end")]
        );
        assert_eq!(
            fields(form(
                "2027-01-15T09:00",
                "2027-02-01T00:00",
                "",
                "2027-02-02T00:00"
            )),
            vec![(
                "enrollment_end",
                "studio-schedule-error-enrollment-after-end"
            )]
        );
        assert_eq!(
            fields(form("x", "2027-13-01", "", "")),
            vec![
                ("start", "studio-schedule-error-date"),
                ("end", "studio-schedule-error-date")
            ]
        );
    }

    fn course() -> Course {
        crate::create::new_course("urzad", "K1", "2027", "Kurs", "pl").unwrap()
    }

    #[test]
    fn schedule_goes_on_the_root_policy_and_unchanged_saves_change_nothing() {
        let mut c = course();
        let s = check_schedule(&ScheduleForm {
            self_paced: true,
            ..form("2027-01-15T09:00", "2027-06-30T18:00", "", "")
        })
        .unwrap();
        assert!(apply_schedule(&mut c, &s));
        let p = &c.root_block().policy;
        assert_eq!(p["start"], "2027-01-15T08:00:00Z");
        assert_eq!(p["end"], "2027-06-30T16:00:00Z");
        assert_eq!(p["self_paced"], true);
        assert!(!p.contains_key("enrollment_start"));
        assert!(!apply_schedule(&mut c, &s));
        assert_eq!(schedule_of(&c).start, "2027-01-15T09:00");
        assert!(schedule_of(&c).self_paced);
        // The same instant written another way is left as it is.
        let root = c.root;
        c.blocks[root]
            .policy
            .insert("start".into(), "2027-01-15T08:00:00+00:00".into());
        assert!(!apply_schedule(&mut c, &s));
        // Clearing a date removes it.
        let s2 = Schedule { end: None, ..s };
        assert!(apply_schedule(&mut c, &s2));
        assert!(!c.root_block().policy.contains_key("end"));
    }

    #[test]
    fn about_texts_are_escaped_sanitised_and_stored_as_open_edx_files() {
        let t = check_about(&AboutForm {
            short_description: "  Kurs  o RODO & <b>danych</b>\r\n ".into(),
            overview: "<p onclick=\"x()\">Opis</p><script>alert(1)</script>".into(),
            effort: "2:00".into(),
            duration: "".into(),
        })
        .unwrap();
        assert_eq!(
            t.short_description,
            "Kurs o RODO &amp; &lt;b&gt;danych&lt;/b&gt;"
        );
        assert_eq!(t.overview, "<p>Opis</p>");
        let mut c = course();
        assert!(apply_about(&mut c, &t, None));
        assert_eq!(c.about[OVERVIEW], "<p>Opis</p>");
        assert!(!c.about.contains_key(DURATION));
        assert!(!apply_about(&mut c, &t, None));
        let back = about_of(&c);
        assert_eq!(back.short_description, "Kurs o RODO & <b>danych</b>");
        assert_eq!(check_about(&back).unwrap(), t);
        let long = AboutForm {
            effort: "x".repeat(MAX_EFFORT + 1),
            ..Default::default()
        };
        assert_eq!(
            check_about(&long).unwrap_err(),
            vec![("effort", "studio-about-error-effort")]
        );
    }

    #[test]
    fn images_are_known_by_their_bytes_and_named_safely() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(image_kind(&[0xff, 0xd8, 0xff, 0xe0]), Some("jpg"));
        assert_eq!(image_kind(b"<svg/>"), None);
        assert_eq!(
            image_name("C:\\x\\Okładka kursu.PNG", "png"),
            "Ok_adka_kursu.png"
        );
        assert_eq!(image_name("zdjecie.jpeg", "jpg"), "zdjecie.jpg");
        assert_eq!(image_name("", "png"), "course_image.png");
        let mut c = course();
        let f = StaticFile {
            path: "k.png".into(),
            sha256: "ab".into(),
            size: 2,
            disk_path: None,
        };
        assert!(apply_about(&mut c, &AboutForm::default(), Some(f.clone())));
        assert_eq!(c.root_block().policy["course_image"], "k.png");
        assert!(!apply_about(&mut c, &AboutForm::default(), Some(f)));
    }
}
