//! Studio pages: the authors' entry page, course import by upload (streamed to disk, up to
//! 2 GiB, with the import report), and the same import as a JSON endpoint.

use std::collections::BTreeMap;
use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use platform::access::Permission;
use platform::models::{organisation, user};
use platform::storage::BlobStore;
use platform::web::render::{render, render_page, see_other, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;

use crate::import::{import, ImportError, ImportOptions, ImportReport, SUPPORTED_TYPES};
use crate::store;

/// The largest export an author may upload.
pub const MAX_UPLOAD: u64 = 2 * 1024 * 1024 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/studio", web::get().to(index))
        .service(
            web::resource("/studio/import")
                .route(web::get().to(import_form))
                .route(web::post().to(import_upload)),
        )
        .route("/studio/api/import", web::post().to(import_api))
        .route(
            "/studio/kursy/{course_id}/eksport",
            web::get().to(export_download),
        )
        .service(
            web::resource("/studio/kursy/{course_id}/ocenianie")
                .route(web::get().to(grading_form))
                .route(web::post().to(grading_save)),
        )
        .service(
            web::resource("/studio/nowy-kurs")
                .route(web::get().to(new_course_form))
                .route(web::post().to(new_course_create)),
        )
        .route("/studio/kursy/{course_id}", web::get().to(course_report))
        .service(
            web::resource("/studio/kursy/{course_id}/ustawienia")
                .route(web::get().to(settings_form))
                .route(web::post().to(settings_save)),
        )
        .configure(crate::assets::routes)
        .configure(crate::outline::routes)
        .configure(crate::components::routes)
        .configure(crate::schedule::routes)
        .configure(crate::team::routes)
        .configure(crate::publishing::routes);
}

/// The course named in the URL, for a Studio page: 404 when unknown, 403 when this person may
/// not author it (the one access check every course page starts with).
pub(crate) async fn course_row(
    state: &AppState,
    signed: &SignedIn,
    id: String,
) -> Result<store::CourseRow, AppError> {
    require_author(signed)?;
    let principal = signed.0.principal.clone();
    state
        .db
        .run(move |conn| authorised_course(conn, &principal, &id))
        .await?
        .ok_or(AppError::NotFound)
}

/// [`course_row`] with the course's current version.
pub(crate) async fn course_current(
    state: &AppState,
    signed: &SignedIn,
    id: String,
) -> Result<(store::CourseRow, xblock_compat::olx::Course), AppError> {
    require_author(signed)?;
    let principal = signed.0.principal.clone();
    state
        .db
        .run(move |conn| {
            let Some(row) = authorised_course(conn, &principal, &id)? else {
                return Ok(None);
            };
            let Some(v) = row.current_version_id.clone() else {
                return Ok(None);
            };
            Ok::<_, AppError>(Some((row, store::load_version(conn, &v)?)))
        })
        .await?
        .ok_or(AppError::NotFound)
}

/// The course row, if this person may author it: in its organisation, or on its team as `admin`
/// or `author` (403 otherwise; courses without an organisation belong to platform
/// administrators). See `crate::team` for the rules.
pub(crate) fn authorised_course(
    conn: &mut platform::db::DbConn,
    principal: &platform::access::Principal,
    id: &str,
) -> Result<Option<store::CourseRow>, AppError> {
    use diesel::prelude::*;
    let row: Option<store::CourseRow> = store::courses::table
        .find(id)
        .select(store::CourseRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    // Office authors and administrators, or the course team's admins and authors (staff: 403).
    if !crate::team::course_access(conn, principal, &row)?.is_some_and(|a| a.edits()) {
        return Err(AppError::Forbidden);
    }
    Ok(Some(row))
}

#[derive(Serialize)]
struct OrgOption {
    id: String,
    name: String,
    slug: String,
}

#[derive(Serialize)]
struct CourseItem {
    id: String,
    title: String,
    course_key: String,
    organisation: Option<String>,
}

#[derive(Serialize)]
struct IndexPage {
    organisations: Vec<OrgOption>,
    courses: Vec<CourseItem>,
}

/// Organisations where this person may author courses (all of them for platform admins).
async fn author_orgs(state: &AppState, signed: &SignedIn) -> Result<Vec<OrgOption>, AppError> {
    let uid = signed.0.user.id.clone();
    let principal = signed.0.principal.clone();
    let orgs = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(if principal.is_platform_admin {
                organisation::list(conn)?
            } else {
                user::organisations_of(conn, &uid)?
                    .into_iter()
                    .map(|(o, _)| o)
                    .filter(|o| principal.can(&o.id, Permission::AuthorCourses))
                    .collect()
            })
        })
        .await?;
    Ok(orgs
        .into_iter()
        .map(|o| OrgOption {
            id: o.id,
            name: o.name,
            slug: o.slug,
        })
        .collect())
}

/// The first gate of Studio's course pages: office authors, platform administrators and anyone
/// with a role in an office (who may be on a course team). Not enough on its own: every course
/// handler then asks [`authorised_course`].
pub(crate) fn require_author(signed: &SignedIn) -> Result<(), AppError> {
    let p = &signed.0.principal;
    if p.can_anywhere(Permission::AuthorCourses) || !p.roles.is_empty() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Pages that work on an office rather than one course (import, new course): office authors and
/// platform administrators only.
pub(crate) fn require_office_author(signed: &SignedIn) -> Result<(), AppError> {
    if signed.0.principal.can_anywhere(Permission::AuthorCourses) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn index(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    require_author(&signed)?;
    let organisations = author_orgs(&state, &signed).await?;
    let ids: Vec<String> = organisations.iter().map(|o| o.id.clone()).collect();
    // Platform administrators also see courses without an organisation (the sample course,
    // command-line imports without --org).
    let sees_all = signed.0.user.is_platform_admin;
    let mut names: BTreeMap<String, String> = organisations
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    // Courses of a team this person edits (admin or author), in an office they still belong to.
    let (uid, principal) = (signed.0.user.id.clone(), signed.0.principal.clone());
    let (all, team, offices) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let team = crate::team::courses_of(conn, &uid)?;
            let offices = if team.is_empty() {
                vec![]
            } else {
                user::organisations_of(conn, &uid)?
            };
            Ok((store::list(conn)?, team, offices))
        })
        .await?;
    for (o, _) in offices {
        names.entry(o.id).or_insert(o.name);
    }
    let on_team = |c: &store::CourseRow| {
        crate::team::team_counts(&principal, c.organisation_id.as_deref())
            && team.iter().any(|(id, r)| *id == c.id && r.edits())
    };
    if !sees_all && organisations.is_empty() && !all.iter().any(on_team) {
        return Err(AppError::Forbidden);
    }
    let courses = all
        .into_iter()
        .filter(|c| {
            sees_all || c.organisation_id.as_ref().is_some_and(|o| ids.contains(o)) || on_team(c)
        })
        .map(|c| CourseItem {
            organisation: c
                .organisation_id
                .as_ref()
                .and_then(|o| names.get(o).cloned()),
            id: c.id,
            title: c.title,
            course_key: c.course_key,
        })
        .collect();
    render(
        &state,
        &signed.1,
        "studio/index.html",
        &IndexPage {
            organisations,
            courses,
        },
    )
}

#[derive(Serialize, Default)]
struct ImportPage {
    organisations: Vec<OrgOption>,
    selected: String,
    errors: Vec<FieldError>,
    max_gib: u64,
}

async fn import_form(
    state: web::Data<AppState>,
    signed: SignedIn,
) -> Result<HttpResponse, AppError> {
    require_office_author(&signed)?;
    let organisations = author_orgs(&state, &signed).await?;
    render(
        &state,
        &signed.1,
        "studio/import.html",
        &ImportPage {
            selected: organisations
                .first()
                .map(|o| o.id.clone())
                .unwrap_or_default(),
            organisations,
            errors: vec![],
            max_gib: MAX_UPLOAD >> 30,
        },
    )
}

/// The upload, saved to a scratch file as it streams in.
struct Upload {
    organisation_id: String,
    file: Option<tempfile::TempPath>,
    too_large: bool,
    /// Who may learn the course; `None` keeps it (a new course: enrolled learners only).
    visibility: Option<store::Visibility>,
}

async fn receive(state: &AppState, mut payload: Multipart) -> Result<Upload, AppError> {
    let mut up = Upload {
        organisation_id: String::new(),
        file: None,
        too_large: false,
        visibility: None,
    };
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "organisation" => {
                up.organisation_id = read_text_field(&mut field, "organisation", 200).await?;
            }
            "visibility" => {
                let v = read_text_field(&mut field, "visibility", 40).await?;
                up.visibility = match v.as_str() {
                    "" => None,
                    other => Some(store::Visibility::parse(other).ok_or_else(|| {
                        AppError::BadRequest(format!("unknown visibility {other:?}"))
                    })?),
                };
            }
            "file" => match receive_file(state, &mut field, MAX_UPLOAD).await? {
                Received::File(path) => up.file = Some(path),
                Received::Empty(_) => {}
                Received::TooLarge => {
                    // Read nothing more: dropping the payload ends the request.
                    up.too_large = true;
                    return Ok(up);
                }
            },
            _ => drain_field(&mut field).await?,
        }
    }
    Ok(up)
}

/// A small text field of a multipart form, trimmed; longer than `limit` bytes is a bad request.
pub(crate) async fn read_text_field(
    field: &mut actix_multipart::Field,
    name: &str,
    limit: usize,
) -> Result<String, AppError> {
    let mut v = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
        if v.len() + chunk.len() > limit {
            return Err(AppError::BadRequest(format!("{name} field too long")));
        }
        v.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&v).trim().to_string())
}

/// Reads and ignores a multipart field.
pub(crate) async fn drain_field(field: &mut actix_multipart::Field) -> Result<(), AppError> {
    while let Some(chunk) = field.next().await {
        chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    Ok(())
}

pub(crate) use platform::web::upload::{receive_file, Received};

/// Why an upload was not imported: shown on the form (in the visitor's language) or as JSON.
pub(crate) struct Refusal {
    pub(crate) field: &'static str,
    pub(crate) status: StatusCode,
    /// A Fluent message id, or the importer's own explanation (file and line).
    reason: Reason,
}

enum Reason {
    Message(String),
    Detail(String),
}

impl Refusal {
    pub(crate) fn message(field: &'static str, id: &str) -> Refusal {
        let status = match id {
            "studio-error-too-large" => StatusCode::PAYLOAD_TOO_LARGE,
            "studio-error-other-organisation" => StatusCode::FORBIDDEN,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Refusal {
            field,
            status,
            reason: Reason::Message(id.to_string()),
        }
    }

    /// How a failed import is told to the author (an unavailable database is an error page).
    pub(crate) fn of_import(e: ImportError) -> Result<Refusal, AppError> {
        match e {
            ImportError::Refused(key) => Ok(Refusal::message("file", &key)),
            ImportError::Database(e) => Err(AppError::Unavailable(e)),
            e => Ok(Refusal {
                field: "file",
                status: StatusCode::UNPROCESSABLE_ENTITY,
                reason: Reason::Detail(e.to_string()),
            }),
        }
    }

    pub(crate) fn text(&self, state: &AppState, lang: platform::i18n::Lang) -> String {
        match &self.reason {
            Reason::Message(id) => state.i18n.t(lang, id, &[]),
            Reason::Detail(d) => state.i18n.t(
                lang,
                "studio-error-import",
                &[("detail", platform::i18n::Arg::Str(d.clone()))],
            ),
        }
    }
}

/// Runs the import for an upload after checking the person may author in the organisation and,
/// when the course exists, that it belongs to that organisation.
async fn run_import(
    state: &AppState,
    signed: &SignedIn,
    up: Upload,
) -> Result<Result<ImportReport, Refusal>, AppError> {
    if up.too_large {
        return Ok(Err(Refusal::message("file", "studio-error-too-large")));
    }
    let orgs = author_orgs(state, signed).await?;
    let Some(org) = orgs.into_iter().find(|o| o.id == up.organisation_id) else {
        return Ok(Err(Refusal::message(
            "organisation",
            "studio-error-organisation",
        )));
    };
    let Some(file) = up.file else {
        return Ok(Err(Refusal::message("file", "studio-error-no-file")));
    };
    let db = state.db.clone();
    let data_dir = state.config.data_dir.clone();
    let uid = signed.0.user.id.clone();
    let is_admin = signed.0.user.is_platform_admin;
    let org_id = org.id.clone();
    let visibility = up.visibility;
    let path: PathBuf = file.to_path_buf();
    let result = web::block(move || {
        let check = move |_: &xblock_compat::olx::Course, existing: Option<&store::CourseRow>| {
            match existing {
                Some(row)
                    if row.organisation_id.as_deref() != Some(org_id.as_str()) && !is_admin =>
                {
                    Err("studio-error-other-organisation".to_string())
                }
                _ => Ok(()),
            }
        };
        let r = import(
            &db,
            &BlobStore::new(&data_dir),
            &data_dir,
            &path,
            &ImportOptions {
                organisation_id: Some(&org.id),
                user_id: Some(&uid),
                check: &check,
            },
        );
        drop(file);
        let report = r?;
        if let Some(v) = visibility {
            let mut conn = db.get().map_err(|e| ImportError::Database(e.to_string()))?;
            store::set_visibility(&mut conn, &report.course_id, v)?;
        }
        Ok(report)
    })
    .await
    .map_err(AppError::internal)?;
    Ok(match result {
        Ok(report) => Ok(report),
        Err(e) => Err(Refusal::of_import(e)?),
    })
}

async fn import_upload(
    state: web::Data<AppState>,
    signed: SignedIn,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    require_office_author(&signed)?;
    let up = receive(&state, payload).await?;
    let selected = up.organisation_id.clone();
    match run_import(&state, &signed, up).await? {
        Ok(report) => Ok(see_other(
            &state,
            &format!("/studio/kursy/{}", report.course_id),
            Some("flash-course-imported"),
        )),
        Err(refusal) => {
            let page = ImportPage {
                organisations: author_orgs(&state, &signed).await?,
                selected,
                errors: vec![FieldError {
                    field: refusal.field,
                    message: refusal.text(&state, signed.1.lang),
                }],
                max_gib: MAX_UPLOAD >> 30,
            };
            render_page(
                &state,
                &signed.1,
                "studio/import.html",
                &page,
                refusal.status,
            )
        }
    }
}

/// `POST /studio/api/import` (multipart: `organisation`, `file`): the import report as JSON.
async fn import_api(
    state: web::Data<AppState>,
    signed: SignedIn,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    require_office_author(&signed)?;
    let up = receive(&state, payload).await?;
    match run_import(&state, &signed, up).await? {
        Ok(report) => Ok(HttpResponse::Ok().json(report)),
        Err(refusal) => {
            let error = match &refusal.reason {
                Reason::Detail(d) => d.clone(),
                Reason::Message(id) => state.i18n.t(platform::i18n::Lang::En, id, &[]),
            };
            let mut res = HttpResponse::build(refusal.status)
                .json(serde_json::json!({"error": error, "field": refusal.field}));
            res.extensions_mut()
                .insert(platform::web::error::RenderedPage);
            Ok(res)
        }
    }
}

#[derive(Serialize)]
struct TypeCount {
    block_type: String,
    count: usize,
    supported: bool,
}

#[derive(Serialize)]
struct ReportPage {
    id: String,
    title: String,
    course_key: String,
    version: i32,
    blocks: Vec<TypeCount>,
    total_blocks: usize,
    unsupported: Vec<TypeCount>,
    assets: usize,
    /// Fluent keys of what Open edX's validator would miss in an export.
    for_open_edx: Vec<&'static str>,
    warnings: Vec<String>,
    scripted_problems: usize,
}

async fn course_report(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_author(&signed)?;
    let id = course_id.into_inner();
    let principal = signed.0.principal.clone();
    let loaded = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            use diesel::prelude::*;
            let Some(row) = authorised_course(conn, &principal, &id)? else {
                return Ok(None);
            };
            let Some(v) = row.current_version_id.clone() else {
                return Ok(None);
            };
            let number: i32 = store::course_versions::table
                .find(&v)
                .select(store::course_versions::number)
                .first(conn)?;
            Ok(Some((row, store::load_version(conn, &v)?, number)))
        })
        .await?;
    let Some((row, course, version)) = loaded else {
        return Err(AppError::NotFound);
    };
    let counts = course.block_counts();
    let blocks: Vec<TypeCount> = counts
        .iter()
        .map(|(t, n)| TypeCount {
            block_type: t.clone(),
            count: *n,
            supported: SUPPORTED_TYPES.contains(&t.as_str()),
        })
        .collect();
    let page = ReportPage {
        id: row.id,
        title: row.title,
        course_key: row.course_key,
        version,
        total_blocks: counts.values().sum(),
        unsupported: blocks
            .iter()
            .filter(|b| !b.supported)
            .map(|b| TypeCount {
                block_type: b.block_type.clone(),
                count: b.count,
                supported: false,
            })
            .collect(),
        blocks,
        assets: course.statics.len(),
        scripted_problems: crate::import::scripted_problems(&course),
        for_open_edx: crate::readiness::missing_for_open_edx(&course),
        warnings: course.warnings,
    };
    render(&state, &signed.1, "studio/report.html", &page)
}

#[derive(Serialize)]
struct SettingsPage {
    id: String,
    title: String,
    course_key: String,
    visibility: String,
    certificates: String,
    certificate_shows_grade: bool,
    gamification: bool,
    points_per_unit: String,
    points_per_correct: String,
    errors: Vec<FieldError>,
}

impl SettingsPage {
    fn of(row: &store::CourseRow) -> Self {
        let o = row.options();
        Self {
            id: row.id.clone(),
            title: row.title.clone(),
            course_key: row.course_key.clone(),
            visibility: row.visibility().as_str().into(),
            certificates: o.certificates.as_str().into(),
            certificate_shows_grade: o.certificate_shows_grade,
            gamification: o.gamification,
            points_per_unit: o.points_per_unit.to_string(),
            points_per_correct: o.points_per_correct.to_string(),
            errors: vec![],
        }
    }
}

async fn settings_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    render(
        &state,
        &signed.1,
        "studio/settings.html",
        &SettingsPage::of(&row),
    )
}

#[derive(serde::Deserialize)]
struct SettingsForm {
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    certificates: String,
    #[serde(default)]
    certificate_shows_grade: Option<String>,
    #[serde(default)]
    gamification: Option<String>,
    #[serde(default)]
    points_per_unit: String,
    #[serde(default)]
    points_per_correct: String,
}

/// The most points one event may give: enough for any scheme, small enough that sums never overflow.
const MAX_POINTS: u32 = 1000;

fn points(s: &str) -> Result<u32, &'static str> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= MAX_POINTS => Ok(n),
        _ => Err("studio-error-points"),
    }
}

async fn settings_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let mut errors = platform::web::render::FormErrors::default();
    let visibility = store::Visibility::parse(&form.visibility);
    if visibility.is_none() {
        errors.add("visibility", "studio-error-visibility");
    }
    let mode = store::CertificateMode::parse(&form.certificates);
    if mode.is_none() {
        errors.add("certificates", "studio-error-certificates");
    }
    let per_unit = points(&form.points_per_unit);
    errors.check("points_per_unit", per_unit.map(|_| ()));
    let per_correct = points(&form.points_per_correct);
    errors.check("points_per_correct", per_correct.map(|_| ()));
    let (Some(visibility), Some(mode), Ok(per_unit), Ok(per_correct)) =
        (visibility, mode, per_unit, per_correct)
    else {
        let mut page = SettingsPage::of(&row);
        page.visibility = form.visibility.chars().take(32).collect();
        page.certificates = form.certificates.chars().take(32).collect();
        page.certificate_shows_grade = form.certificate_shows_grade.is_some();
        page.gamification = form.gamification.is_some();
        page.points_per_unit = form.points_per_unit.chars().take(32).collect();
        page.points_per_correct = form.points_per_correct.chars().take(32).collect();
        page.errors = errors.translate(&state, signed.1.lang);
        return render_page(
            &state,
            &signed.1,
            "studio/settings.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let options = store::CourseOptions {
        certificates: mode,
        certificate_shows_grade: form.certificate_shows_grade.is_some(),
        gamification: form.gamification.is_some(),
        points_per_unit: per_unit,
        points_per_correct: per_correct,
    };
    let cid = row.id.clone();
    state
        .db
        .run(move |conn| {
            platform::db::write_transaction(conn, |conn| {
                store::set_visibility(conn, &cid, visibility)?;
                store::set_options(conn, &cid, &options)
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/ustawienia", row.id),
        Some("flash-settings-saved"),
    ))
}

#[derive(Serialize, Default)]
struct NewCoursePage {
    organisations: Vec<OrgOption>,
    organisation: String,
    number: String,
    run: String,
    title: String,
    language: String,
    errors: Vec<FieldError>,
}

async fn new_course_form(
    state: web::Data<AppState>,
    signed: SignedIn,
) -> Result<HttpResponse, AppError> {
    require_office_author(&signed)?;
    let organisations = author_orgs(&state, &signed).await?;
    let page = NewCoursePage {
        organisation: organisations
            .first()
            .map(|o| o.id.clone())
            .unwrap_or_default(),
        organisations,
        run: chrono::Utc::now().format("%Y").to_string(),
        language: "pl".into(),
        ..Default::default()
    };
    render(&state, &signed.1, "studio/new_course.html", &page)
}

#[derive(serde::Deserialize)]
struct NewCourseForm {
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    run: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    language: String,
}

/// Creates an empty course (version 1) in an office where this person may author; the key is
/// `course-v1:{office slug}+{number}+{run}`, as unique as Open edX requires.
async fn new_course_create(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<NewCourseForm>,
) -> Result<HttpResponse, AppError> {
    require_office_author(&signed)?;
    let organisations = author_orgs(&state, &signed).await?;
    let f = form.into_inner();
    let (number, run, title) = (f.number.trim(), f.run.trim(), f.title.trim());
    let mut errors = platform::web::render::FormErrors::default();
    let org = organisations.iter().find(|o| o.id == f.organisation);
    if org.is_none() {
        errors.add("organisation", "studio-error-organisation");
    }
    for e in crate::create::check(number, run, title, &f.language) {
        errors.add(e.field(), e.message());
    }
    let mut created = None;
    if let (Some(org), true) = (org, errors.is_empty()) {
        let course = crate::create::new_course(&org.slug, number, run, title, &f.language)
            .map_err(AppError::internal)?;
        let (oid, uid) = (org.id.clone(), signed.0.user.id.clone());
        created = state
            .db
            .run(move |conn| {
                use diesel::Connection;
                // Diesel's own transaction: `save_version` may open savepoints inside.
                conn.transaction(|conn| {
                    if store::find_by_key(conn, &course.key())?.is_some() {
                        return Ok(None);
                    }
                    store::save_version(conn, &course, Some(&oid), Some(&uid), "studio")
                        .map(|saved| Some(saved.course_id))
                })
                .map_err(|e: diesel::result::Error| AppError::from(e))
            })
            .await?;
        if created.is_none() {
            errors.add("number", "studio-error-course-exists");
        }
    }
    match created {
        Some(id) => Ok(see_other(
            &state,
            &format!("/studio/kursy/{id}"),
            Some("flash-course-created"),
        )),
        None => {
            let page = NewCoursePage {
                organisations,
                organisation: f.organisation.chars().take(64).collect(),
                number: number.chars().take(80).collect(),
                run: run.chars().take(80).collect(),
                title: title.chars().take(220).collect(),
                language: f.language.chars().take(8).collect(),
                errors: errors.translate(&state, signed.1.lang),
            };
            render_page(
                &state,
                &signed.1,
                "studio/new_course.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// An error of the grading form: its field id is built from the row (`weight_2`).
#[derive(Serialize)]
struct RowError {
    field: String,
    message: String,
}

#[derive(Serialize)]
struct GradingPage {
    id: String,
    title: String,
    course_key: String,
    graders: Vec<crate::grading::GraderRow>,
    cutoffs: Vec<crate::grading::CutoffRow>,
    errors: Vec<RowError>,
}

/// Blank rows the form offers for adding an assignment type or a grade.
const SPARE_GRADERS: usize = 2;
const MAX_CUTOFF_ROWS: usize = 6;
/// More rows than any real policy has; a form with more is refused as malformed.
const MAX_GRADER_ROWS: usize = 40;

fn with_spare_rows(
    mut graders: Vec<crate::grading::GraderRow>,
    mut cutoffs: Vec<crate::grading::CutoffRow>,
) -> (
    Vec<crate::grading::GraderRow>,
    Vec<crate::grading::CutoffRow>,
) {
    graders.extend((0..SPARE_GRADERS).map(|_| Default::default()));
    while cutoffs.len() < MAX_CUTOFF_ROWS {
        cutoffs.push(Default::default());
    }
    (graders, cutoffs)
}

async fn grading_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    let (graders, cutoffs) = crate::grading::rows_of(course.grading_policy.as_deref());
    let (graders, cutoffs) = with_spare_rows(graders, cutoffs);
    render(
        &state,
        &signed.1,
        "studio/grading.html",
        &GradingPage {
            id: row.id,
            title: row.title,
            course_key: row.course_key,
            graders,
            cutoffs,
            errors: vec![],
        },
    )
}

/// Saves the grading policy as a new version of the course (versions are immutable). As in
/// Open edX, a grading change applies at once, not through drafts; learners' stored grades are
/// recomputed when they next look at their progress.
async fn grading_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    use crate::grading::{CutoffRow, GraderRow};
    let row = course_row(&state, &signed, course_id.into_inner()).await?;
    let get = |name: String| -> String {
        form.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.chars().take(200).collect())
            .unwrap_or_default()
    };
    let rows = (0..MAX_GRADER_ROWS)
        .take_while(|i| form.iter().any(|(k, _)| *k == format!("kind_{i}")))
        .filter(|i| get(format!("remove_{i}")).is_empty())
        .map(|i| GraderRow {
            kind: get(format!("kind_{i}")),
            short_label: get(format!("label_{i}")),
            weight: get(format!("weight_{i}")),
            min_count: get(format!("min_{i}")),
            drop_count: get(format!("drop_{i}")),
        })
        .collect::<Vec<_>>();
    let cutoffs = (0..MAX_CUTOFF_ROWS)
        .map(|j| CutoffRow {
            grade: get(format!("grade_{j}")),
            cutoff: get(format!("cutoff_{j}")),
        })
        .collect::<Vec<_>>();
    let json = match crate::grading::build(&rows, &cutoffs) {
        Ok(json) => json,
        Err(problems) => {
            // Show the rows as sent (removed ones gone, blank ones kept as spare rows).
            let mut graders: Vec<GraderRow> = rows
                .into_iter()
                .filter(|r| *r != GraderRow::default())
                .collect();
            let problems = remap_rows(&problems, &form);
            graders.extend((0..SPARE_GRADERS).map(|_| Default::default()));
            let page = GradingPage {
                id: row.id,
                title: row.title,
                course_key: row.course_key,
                graders,
                cutoffs,
                errors: problems
                    .into_iter()
                    .map(|p| RowError {
                        field: p.field,
                        message: state.i18n.t(signed.1.lang, p.message, &[]),
                    })
                    .collect(),
            };
            return render_page(
                &state,
                &signed.1,
                "studio/grading.html",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    state
        .db
        .run(move |conn| {
            store::change_current(conn, &cid, Some(&uid), "grading", |course| {
                let changed = course.grading_policy.as_deref() != Some(json.as_str());
                course.grading_policy = Some(json);
                changed
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/ocenianie", row.id),
        Some("flash-grading-saved"),
    ))
}

/// Field ids of errors refer to the rows `build` saw; the page shows the rows without the removed
/// and blank ones, so the numbers are mapped to positions on the page.
fn remap_rows(
    problems: &[crate::grading::Problem],
    form: &[(String, String)],
) -> Vec<crate::grading::Problem> {
    let kept: Vec<usize> = (0..MAX_GRADER_ROWS)
        .take_while(|i| form.iter().any(|(k, _)| *k == format!("kind_{i}")))
        .filter(|i| !form.iter().any(|(k, _)| *k == format!("remove_{i}")))
        .collect();
    let blank = |i: usize| {
        ["kind", "label", "weight", "min", "drop"].iter().all(|n| {
            form.iter()
                .find(|(k, _)| *k == format!("{n}_{}", kept[i]))
                .is_none_or(|(_, v)| v.trim().is_empty())
        })
    };
    // Position on the page of the i-th row given to `build` (blank ones are dropped from view).
    let shown: Vec<Option<usize>> = {
        let mut n = 0;
        (0..kept.len())
            .map(|i| {
                if blank(i) {
                    None
                } else {
                    n += 1;
                    Some(n - 1)
                }
            })
            .collect()
    };
    problems
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if let Some((name, idx)) = p.field.rsplit_once('_') {
                let grader = matches!(name, "kind" | "label" | "weight" | "min" | "drop");
                if let (true, Ok(i)) = (grader, idx.parse::<usize>()) {
                    let to = shown.get(i).copied().flatten().unwrap_or(0);
                    p.field = format!("{name}_{to}");
                }
            }
            p
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct ExportQuery {
    /// `robocza`: the draft (the published course when there is no draft).
    wersja: Option<String>,
}

/// Downloads the current version as an Open edX export (`.tar.gz`), or with `?wersja=robocza`
/// the draft. The archive is written to a scratch file and streamed from it in chunks, so a large
/// course never sits in memory; the file goes away when the download ends.
async fn export_download(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let draft = query.wersja.as_deref() == Some("robocza");
    let (row, course) = if draft {
        let row = course_row(&state, &signed, course_id.into_inner()).await?;
        let id = row.id.clone();
        let course = state
            .db
            .run(move |conn| -> Result<_, AppError> {
                match crate::drafts::draft_version_id(conn, &id)? {
                    Some(v) => Ok(Some(store::load_version(conn, &v)?)),
                    None => Ok(store::load_current_by_id(conn, &id)?.map(|(_, c)| c)),
                }
            })
            .await?
            .ok_or(AppError::NotFound)?;
        (row, course)
    } else {
        course_current(&state, &signed, course_id.into_inner()).await?
    };
    let tmp_dir = state.config.data_dir.join("tmp");
    let blobs = BlobStore::new(&state.config.data_dir);
    let file = web::block(move || -> Result<tempfile::NamedTempFile, AppError> {
        std::fs::create_dir_all(&tmp_dir).map_err(AppError::internal)?;
        let tmp = tempfile::NamedTempFile::new_in(&tmp_dir).map_err(AppError::internal)?;
        crate::import::export_course(&course, &blobs, tmp.path()).map_err(AppError::internal)?;
        Ok(tmp)
    })
    .await
    .map_err(AppError::internal)??;
    let reader = tokio::fs::File::open(file.path())
        .await
        .map_err(AppError::internal)?;
    let len = reader.metadata().await.map_err(AppError::internal)?.len();
    let body = futures_util::stream::unfold((reader, file), |(mut r, f)| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match r.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(web::Bytes::from(buf)), (r, f)))
            }
            Err(e) => Some((Err(e), (r, f))),
        }
    });
    let name: String = row
        .course_key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("application/gzip")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{name}{}.tar.gz\"",
                if draft { "-wersja-robocza" } else { "" }
            ),
        ))
        .insert_header((actix_web::http::header::CONTENT_LENGTH, len))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}
