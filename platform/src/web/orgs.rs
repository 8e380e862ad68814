//! Organisations (urzędy): the administrators' pages for members, roles and departments, and the
//! platform administrators' list of organisations. Every handler checks the permission in the
//! organisation named by the URL, never in "any" organisation.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::context::SignedIn;
use super::render::{render, render_page, see_other, FieldError, FormErrors};
use super::{AppError, AppState};
use crate::access::{Permission, Role};
use crate::domain::Email;
use crate::models::organisation::{self, Department, Member, OrgError, Organisation, KINDS};
use crate::models::user;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // A scope, so requests elsewhere never try these patterns (route matching is regex work).
    cfg.route("/organizacje", web::get().to(my_organisations))
        .service(
            web::scope("/organizacje/{slug}")
                .route("", web::get().to(show))
                .route("/logo", web::get().to(logo))
                .route("/logo", web::post().to(upload_logo))
                .route("/logo/usun", web::post().to(remove_logo))
                .route("/dzialy", web::post().to(add_department))
                .route("/czlonkowie", web::post().to(add_member))
                .route("/czlonkowie/{user_id}/usun", web::post().to(remove_member))
                .route(
                    "/czlonkowie/{user_id}/dzial",
                    web::post().to(set_department),
                ),
        )
        .service(
            web::resource("/admin/organizacje")
                .route(web::get().to(admin_list))
                .route(web::post().to(admin_create)),
        );
}

/// Loads the organisation named in the URL and checks `permission` there: 404 when it does not
/// exist, 403 when the person has no such right in it.
async fn authorise(
    state: &AppState,
    signed: &SignedIn,
    slug: &str,
    permission: Permission,
) -> Result<Organisation, AppError> {
    let s = slug.to_string();
    let org = state
        .db
        .run(move |conn| organisation::find_by_slug(conn, &s).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound)?;
    if !signed.0.principal.can(&org.id, permission) {
        tracing::warn!(user = %signed.0.user.id, org = %org.slug, ?permission, "access denied");
        return Err(AppError::Forbidden);
    }
    Ok(org)
}

#[derive(Serialize)]
struct MyOrgsPage {
    organisations: Vec<Organisation>,
}

async fn my_organisations(
    state: web::Data<AppState>,
    signed: SignedIn,
) -> Result<HttpResponse, AppError> {
    let uid = signed.0.user.id.clone();
    let principal = signed.0.principal.clone();
    let organisations = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(user::organisations_of(conn, &uid)?
                .into_iter()
                .map(|(o, _)| o)
                .filter(|o| principal.can(&o.id, Permission::ViewOrganisation))
                .collect::<Vec<_>>())
        })
        .await?;
    render(
        &state,
        &signed.1,
        "org/list.html",
        &MyOrgsPage { organisations },
    )
}

#[derive(Serialize)]
struct MemberView {
    #[serde(flatten)]
    member: Member,
    role_names: Vec<String>,
    department: Option<String>,
}

#[derive(Serialize)]
struct OrgPage {
    org: Organisation,
    kind_label: String,
    can_manage: bool,
    members: Vec<MemberView>,
    member_count: usize,
    departments: Vec<Department>,
    roles: Vec<(&'static str, String)>,
    errors: Vec<FieldError>,
    member_email: String,
    department_name: String,
}

async fn org_page(
    state: &AppState,
    signed: &SignedIn,
    org: Organisation,
    errors: Vec<FieldError>,
    member_email: String,
    department_name: String,
) -> Result<OrgPage, AppError> {
    let lang = signed.1.lang;
    let id = org.id.clone();
    let (members, departments) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                organisation::members(conn, &id)?,
                organisation::departments(conn, &id)?,
            ))
        })
        .await?;
    let members: Vec<MemberView> = members
        .into_iter()
        .map(|m| MemberView {
            role_names: m
                .roles
                .iter()
                .map(|r| state.i18n.t(lang, &format!("role-{}", r.as_str()), &[]))
                .collect(),
            department: m
                .department_id
                .as_ref()
                .and_then(|d| departments.iter().find(|x| &x.id == d))
                .map(|d| d.name.clone()),
            member: m,
        })
        .collect();
    Ok(OrgPage {
        kind_label: state.i18n.t(lang, &format!("org-kind-{}", org.kind), &[]),
        can_manage: signed
            .0
            .principal
            .can(&org.id, Permission::ManageOrganisation),
        member_count: members.len(),
        members,
        departments,
        roles: Role::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str(),
                    state.i18n.t(lang, &format!("role-{}", r.as_str()), &[]),
                )
            })
            .collect(),
        org,
        errors,
        member_email,
        department_name,
    })
}

async fn show(
    state: web::Data<AppState>,
    signed: SignedIn,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let org = authorise(&state, &signed, &slug, Permission::ViewOrganisation).await?;
    let page = org_page(&state, &signed, org, vec![], String::new(), String::new()).await?;
    render(&state, &signed.1, "org/show.html", &page)
}

#[derive(Deserialize)]
pub struct DepartmentForm {
    #[serde(default)]
    department_name: String,
}

async fn add_department(
    state: web::Data<AppState>,
    signed: SignedIn,
    slug: web::Path<String>,
    form: web::Form<DepartmentForm>,
) -> Result<HttpResponse, AppError> {
    let org = authorise(&state, &signed, &slug, Permission::ManageOrganisation).await?;
    let name = form
        .department_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut errors = FormErrors::default();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add("department_name", "error-department-name");
    } else {
        let id = org.id.clone();
        let n = name.clone();
        let r = state
            .db
            .run(move |conn| Ok::<_, AppError>(organisation::create_department(conn, &id, &n)))
            .await?;
        match r {
            Ok(_) => {
                return Ok(see_other(
                    &state,
                    &format!("/organizacje/{}", org.slug),
                    Some("flash-department-added"),
                ))
            }
            Err(OrgError::DepartmentExists) => {
                errors.add("department_name", "error-department-exists")
            }
            Err(e) => return Err(AppError::internal(e)),
        }
    }
    let page = org_page(
        &state,
        &signed,
        org,
        errors.translate(&state, signed.1.lang),
        String::new(),
        name,
    )
    .await?;
    render_page(
        &state,
        &signed.1,
        "org/show.html",
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    member_email: String,
    #[serde(default)]
    role: String,
}

async fn add_member(
    state: web::Data<AppState>,
    signed: SignedIn,
    slug: web::Path<String>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let org = authorise(&state, &signed, &slug, Permission::ManageOrganisation).await?;
    let mut errors = FormErrors::default();
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.add("role", "error-role-invalid");
    }
    match (Email::parse(&form.member_email), role) {
        (Err(k), _) => errors.add("member_email", k),
        (Ok(email), Some(role)) => {
            let id = org.id.clone();
            let added = state
                .db
                .run(move |conn| -> Result<bool, AppError> {
                    let Some(u) = user::find_by_email(conn, email.as_str())? else {
                        return Ok(false);
                    };
                    organisation::grant_role(conn, &id, &u.id, role)?;
                    Ok(true)
                })
                .await?;
            if added {
                return Ok(see_other(
                    &state,
                    &format!("/organizacje/{}", org.slug),
                    Some("flash-member-added"),
                ));
            }
            errors.add("member_email", "error-no-such-user");
        }
        (Ok(_), None) => {}
    }
    let page = org_page(
        &state,
        &signed,
        org,
        errors.translate(&state, signed.1.lang),
        form.member_email.clone(),
        String::new(),
    )
    .await?;
    render_page(
        &state,
        &signed.1,
        "org/show.html",
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

async fn remove_member(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, user_id) = path.into_inner();
    let org = authorise(&state, &signed, &slug, Permission::ManageOrganisation).await?;
    let id = org.id.clone();
    state
        .db
        .run(move |conn| organisation::remove_member(conn, &id, &user_id).map_err(AppError::from))
        .await?;
    Ok(see_other(
        &state,
        &format!("/organizacje/{}", org.slug),
        Some("flash-member-removed"),
    ))
}

#[derive(Deserialize)]
pub struct SetDepartmentForm {
    #[serde(default)]
    department_id: String,
}

async fn set_department(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<SetDepartmentForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, user_id) = path.into_inner();
    let org = authorise(&state, &signed, &slug, Permission::ManageOrganisation).await?;
    let id = org.id.clone();
    let dep = Some(form.department_id.clone()).filter(|d| !d.is_empty());
    let ok = state
        .db
        .run(move |conn| {
            organisation::set_department(conn, &id, &user_id, dep.as_deref())
                .map_err(AppError::from)
        })
        .await?;
    if !ok {
        return Err(AppError::BadRequest("no such member or department".into()));
    }
    Ok(see_other(
        &state,
        &format!("/organizacje/{}", org.slug),
        Some("flash-department-set"),
    ))
}

// ---------- platform administration ----------

#[derive(Serialize)]
struct AdminPage {
    organisations: Vec<Organisation>,
    kinds: Vec<(&'static str, String)>,
    errors: Vec<FieldError>,
    slug: String,
    name: String,
    kind: String,
}

fn require_platform_admin(signed: &SignedIn) -> Result<(), AppError> {
    if signed.0.user.is_platform_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn admin_page(
    state: &AppState,
    signed: &SignedIn,
    errors: Vec<FieldError>,
    slug: String,
    name: String,
    kind: String,
) -> Result<AdminPage, AppError> {
    let organisations = state
        .db
        .run(|conn| organisation::list(conn).map_err(AppError::from))
        .await?;
    Ok(AdminPage {
        organisations,
        kinds: KINDS
            .iter()
            .map(|k| {
                (
                    *k,
                    state.i18n.t(signed.1.lang, &format!("org-kind-{k}"), &[]),
                )
            })
            .collect(),
        errors,
        slug,
        name,
        kind,
    })
}

async fn admin_list(
    state: web::Data<AppState>,
    signed: SignedIn,
) -> Result<HttpResponse, AppError> {
    require_platform_admin(&signed)?;
    let page = admin_page(
        &state,
        &signed,
        vec![],
        String::new(),
        String::new(),
        "municipality".into(),
    )
    .await?;
    render(&state, &signed.1, "admin/organisations.html", &page)
}

#[derive(Deserialize)]
pub struct NewOrgForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

async fn admin_create(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<NewOrgForm>,
) -> Result<HttpResponse, AppError> {
    require_platform_admin(&signed)?;
    let form = form.into_inner();
    let slug = form.slug.trim().to_lowercase();
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut errors = FormErrors::default();
    if !organisation::valid_slug(&slug) {
        errors.add("slug", "error-slug-invalid");
    }
    if name.is_empty() || name.chars().count() > 300 {
        errors.add("name", "error-org-name");
    }
    if !KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "error-org-kind");
    }
    if errors.is_empty() {
        let (s, n, k) = (slug.clone(), name.clone(), form.kind.clone());
        let r = state
            .db
            .run(move |conn| Ok::<_, AppError>(organisation::create(conn, &s, &n, &k)))
            .await?;
        match r {
            Ok(_) => {
                return Ok(see_other(
                    &state,
                    "/admin/organizacje",
                    Some("flash-org-created"),
                ))
            }
            Err(OrgError::SlugTaken) => errors.add("slug", "error-slug-taken"),
            Err(e) => return Err(AppError::internal(e)),
        }
    }
    let page = admin_page(
        &state,
        &signed,
        errors.translate(&state, signed.1.lang),
        form.slug,
        form.name,
        form.kind,
    )
    .await?;
    render_page(
        &state,
        &signed.1,
        "admin/organisations.html",
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// The office's logo, public: it appears on public certificate verification pages.
async fn logo(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let s = slug.into_inner();
    let org = state
        .db
        .run(move |conn| organisation::find_by_slug(conn, &s).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound)?;
    let (Some(sha), Some(ct)) = (org.logo_sha256, org.logo_type) else {
        return Err(AppError::NotFound);
    };
    let store = crate::storage::BlobStore::new(&state.config.data_dir);
    let bytes = web::block(move || -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut v = Vec::new();
        store.open(&sha)?.read_to_end(&mut v)?;
        Ok(v)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|_| AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(ct)
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=300",
        ))
        .body(bytes))
}

/// Replaces the logo (multipart field `logo`; the CSRF token comes in the query string, as for
/// every multipart form). Only PNG and JPEG up to [`organisation::MAX_LOGO_BYTES`]; anything else
/// is refused with the page and its error summary, and the old logo stays.
async fn upload_logo(
    state: web::Data<AppState>,
    signed: SignedIn,
    slug: web::Path<String>,
    mut payload: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    use futures_util::StreamExt;
    let org = authorise(&state, &signed, &slug, Permission::ManageOrganisation).await?;
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let is_logo = field.name() == Some("logo");
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
            if !is_logo || too_large {
                continue;
            }
            if bytes.len() + chunk.len() > organisation::MAX_LOGO_BYTES {
                too_large = true;
                bytes.clear();
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    let error = if too_large {
        Some("org-logo-too-large")
    } else if bytes.is_empty() {
        Some("org-logo-missing")
    } else if organisation::logo_type(&bytes).is_none() {
        Some("org-logo-type")
    } else {
        None
    };
    if let Some(key) = error {
        let mut errors = FormErrors::default();
        errors.add("logo", key);
        let errors = errors.translate(&state, signed.1.lang);
        let page = org_page(&state, &signed, org, errors, String::new(), String::new()).await?;
        return render_page(
            &state,
            &signed.1,
            "org/show.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let ct = organisation::logo_type(&bytes).expect("checked above");
    let store = crate::storage::BlobStore::new(&state.config.data_dir);
    let (sha, _, _) = web::block(move || store.put_reader(&bytes[..]))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let id = org.id.clone();
    state
        .db
        .run(move |conn| {
            organisation::set_logo(conn, &id, Some((&sha, ct))).map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/organizacje/{}", org.slug),
        Some("flash-logo-saved"),
    ))
}

async fn remove_logo(
    state: web::Data<AppState>,
    signed: SignedIn,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let org = authorise(&state, &signed, &slug, Permission::ManageOrganisation).await?;
    let id = org.id.clone();
    state
        .db
        .run(move |conn| organisation::set_logo(conn, &id, None).map_err(AppError::from))
        .await?;
    Ok(see_other(
        &state,
        &format!("/organizacje/{}", org.slug),
        Some("flash-logo-removed"),
    ))
}
