//! The public catalog, course about pages, enrolment and "learn without an account".

use actix_web::{web, HttpRequest, HttpResponse};
use platform::web::render::{render, see_other};
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};
use studio::store::Visibility;

use super::access::{self, Access};
use super::cache::{catalog_rows, CourseCache, LoadedCourse};
use super::learner;
use super::render::{author_html, course_dates, static_url, DateInfo};
use super::{db, grades};

/// Routes under `/kursy/{key}` (the catalog itself is `/kursy`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(about))
        .route("/zapisz", web::post().to(enroll))
        .route("/wypisz", web::post().to(unenroll))
        .route("/bez-konta", web::post().to(start_anonymously));
}

#[derive(Deserialize, Default)]
pub struct CatalogQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    jezyk: String,
    #[serde(default)]
    organizacja: String,
}

#[derive(Serialize)]
struct CatalogItem {
    key: String,
    title: String,
    organisation: Option<String>,
    language: String,
    summary: String,
    public: bool,
    enrolled: bool,
}

#[derive(Serialize)]
struct FilterOption {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct CatalogPage {
    q: String,
    courses: Vec<CatalogItem>,
    languages: Vec<FilterOption>,
    organisations: Vec<FilterOption>,
    filtered: bool,
}

/// Lowercase without Polish diacritics, so "lodz" finds "Łódź".
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}

pub fn language_name(code: &str, lang: platform::i18n::Lang) -> String {
    let pl = lang == platform::i18n::Lang::Pl;
    match code {
        "pl" => if pl { "polski" } else { "Polish" }.into(),
        "en" => if pl { "angielski" } else { "English" }.into(),
        "de" => if pl { "niemiecki" } else { "German" }.into(),
        "uk" => if pl { "ukraiński" } else { "Ukrainian" }.into(),
        "" => if pl { "nie podano" } else { "not given" }.into(),
        c => c.to_string(),
    }
}

pub async fn catalog(
    state: web::Data<AppState>,
    ctx: Ctx,
    query: web::Query<CatalogQuery>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user.clone();
    let (rows, enrolled) = state
        .db
        .run(move |conn| {
            let rows = catalog_rows(conn)?;
            let enrolled = match &user {
                Some(u) => db::enrolled_courses(conn, &u.user.id)?,
                None => vec![],
            };
            Ok::<_, AppError>((rows, enrolled))
        })
        .await?;
    let member_of = |org: &Option<String>| match (&ctx.user, org) {
        (Some(u), Some(o)) => u.principal.is_platform_admin || !u.principal.roles_in(o).is_empty(),
        (Some(u), None) => u.principal.is_platform_admin,
        _ => false,
    };
    let visible: Vec<_> = rows
        .into_iter()
        .filter(|(r, _)| {
            r.visibility() != Visibility::Organisation || member_of(&r.organisation_id)
        })
        .collect();
    let q = fold(query.q.trim());
    let mut languages: Vec<String> = visible.iter().map(|(r, _)| r.language.clone()).collect();
    languages.sort();
    languages.dedup();
    let mut orgs: Vec<(String, String)> = visible.iter().filter_map(|(_, o)| o.clone()).collect();
    orgs.sort();
    orgs.dedup();
    let courses = visible
        .into_iter()
        .filter(|(r, o)| {
            q.is_empty()
                || fold(&r.title).contains(&q)
                || o.as_ref().is_some_and(|(n, _)| fold(n).contains(&q))
                || fold(&r.summary).contains(&q)
        })
        .filter(|(r, _)| query.jezyk.is_empty() || r.language == query.jezyk)
        .filter(|(_, o)| {
            query.organizacja.is_empty() || o.as_ref().is_some_and(|(_, s)| *s == query.organizacja)
        })
        .map(|(r, o)| CatalogItem {
            enrolled: enrolled.contains(&r.id),
            public: r.visibility() == Visibility::Public,
            key: r.course_key,
            title: r.title,
            organisation: o.map(|(n, _)| n),
            language: language_name(&r.language, ctx.lang),
            summary: r.summary,
        })
        .collect();
    let page = CatalogPage {
        q: query.q.clone(),
        courses,
        languages: languages
            .into_iter()
            .map(|l| FilterOption {
                selected: l == query.jezyk,
                label: language_name(&l, ctx.lang),
                value: l,
            })
            .collect(),
        organisations: orgs
            .into_iter()
            .map(|(name, slug)| FilterOption {
                selected: slug == query.organizacja,
                value: slug,
                label: name,
            })
            .collect(),
        filtered: !query.q.is_empty() || !query.jezyk.is_empty() || !query.organizacja.is_empty(),
    };
    render(&state, &ctx, "learn/catalog.html", &page)
}

/// The course or 404 (also for organisation courses the visitor may not see).
pub async fn course_or_404(
    state: &AppState,
    cache: &CourseCache,
    key: &str,
) -> Result<std::sync::Arc<LoadedCourse>, AppError> {
    cache
        .get(&state.db, key)
        .await?
        .filter(|c| c.course.kind == xblock_compat::olx::ContextKind::Course)
        .ok_or(AppError::NotFound)
}

/// Access for this request, reading enrolment only when it matters.
pub async fn access_for(
    state: &AppState,
    ctx: &platform::web::context::RequestContext,
    req: &HttpRequest,
    course: &LoadedCourse,
) -> Result<Access, AppError> {
    let enrolled = enrolled_in(state, ctx, course).await?;
    Ok(access::decide(
        ctx,
        course,
        learner::anonymous_of(state, req),
        enrolled,
    ))
}

/// Whether the signed-in person is enrolled; asked only where it decides access (enrolled-only
/// courses), false otherwise.
async fn enrolled_in(
    state: &AppState,
    ctx: &platform::web::context::RequestContext,
    course: &LoadedCourse,
) -> Result<bool, AppError> {
    match (&ctx.user, course.row.visibility()) {
        (Some(u), Visibility::Enrolled) => {
            let (cid, uid) = (course.row.id.clone(), u.user.id.clone());
            state
                .db
                .read(move |conn| db::is_enrolled(conn, &cid, &uid).map_err(AppError::from))
                .await
        }
        _ => Ok(false),
    }
}

#[derive(Serialize)]
struct AboutPage {
    key: String,
    title: String,
    organisation: Option<String>,
    subtitle: Option<String>,
    short_description: Option<String>,
    overview: Option<String>,
    effort: Option<String>,
    duration: Option<String>,
    image: Option<String>,
    dates: DateInfo,
    language: String,
    /// learn | start | enroll | signin
    action: &'static str,
    enrolled: bool,
    login_next: String,
    visibility: &'static str,
    grade: Option<f64>,
}

async fn about(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    if !access::may_see_about(&ctx, &course) {
        return Err(AppError::NotFound);
    }
    // Enrolment decides access to enrolled-only courses, and only there is there a "leave the
    // course" button: one query serves both.
    let enrolled = enrolled_in(&state, &ctx, &course).await?;
    let access = access::decide(&ctx, &course, learner::anonymous_of(&state, &req), enrolled);
    let (action, enrolled) = match &access {
        Access::Learn { .. } => ("learn", enrolled),
        Access::StartAnonymously => ("start", false),
        Access::Enroll => ("enroll", false),
        Access::SignIn => ("signin", false),
        Access::Forbidden => return Err(AppError::NotFound),
    };
    let grade = match &access {
        Access::Learn { learner, .. } => {
            grades::stored_percent(&state, &course, learner.id()).await?
        }
        _ => None,
    };
    let about = &course.course.about;
    // Exports hold `about/overview.html`; the file name is the key.
    let get = |name: &str| {
        about
            .get(&format!("{name}.html"))
            .or_else(|| about.get(name))
    };
    let text = |name: &str| {
        get(name)
            .map(|h| author_html(&course, h))
            .filter(|h| !h.trim().is_empty())
    };
    let plain = |name: &str| {
        get(name)
            .map(|h| studio::store::plain_text(h, 500))
            .filter(|h| !h.trim().is_empty())
    };
    let image = course
        .course
        .root_block()
        .field("course_image")
        .filter(|i| !i.is_empty())
        .and_then(|i| {
            static_url(
                &course,
                &format!("/static/{}", i.trim_start_matches("/static/")),
            )
        });
    let page = AboutPage {
        key: course.key().to_string(),
        title: course.course.title(),
        organisation: course.organisation.as_ref().map(|(n, _)| n.clone()),
        subtitle: plain("subtitle"),
        short_description: plain("short_description"),
        overview: text("overview"),
        effort: plain("effort"),
        duration: plain("duration"),
        image,
        dates: course_dates(&course, ctx.lang),
        language: super::catalog::language_name(&course.row.language, ctx.lang),
        action,
        enrolled,
        login_next: format!("/kursy/{}", course.key()),
        visibility: course.row.visibility().as_str(),
        grade,
    };
    render(&state, &ctx, "learn/about.html", &page)
}

async fn enroll(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let Some(u) = ctx.user.clone() else {
        return Err(AppError::SignInRequired(format!("/kursy/{}", course.key())));
    };
    match access_for(&state, &ctx, &req, &course).await? {
        Access::Forbidden => return Err(AppError::Forbidden),
        Access::SignIn | Access::StartAnonymously => {
            return Err(AppError::SignInRequired(format!("/kursy/{}", course.key())))
        }
        Access::Enroll | Access::Learn { .. } => {}
    }
    let cid = course.row.id.clone();
    state
        .db
        .run(move |conn| db::enroll(conn, &cid, &u.user.id).map_err(AppError::from))
        .await?;
    Ok(see_other(
        &state,
        &format!("/kursy/{}/nauka", course.key()),
        Some("flash-enrolled"),
    ))
}

async fn unenroll(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let Some(u) = ctx.user.clone() else {
        return Err(AppError::SignInRequired(format!("/kursy/{}", course.key())));
    };
    let cid = course.row.id.clone();
    state
        .db
        .run(move |conn| db::unenroll(conn, &cid, &u.user.id).map_err(AppError::from))
        .await?;
    Ok(see_other(
        &state,
        &format!("/kursy/{}", course.key()),
        Some("flash-unenrolled"),
    ))
}

/// "Ucz się bez konta": gives the visitor a pseudonymous learner id and opens the course.
async fn start_anonymously(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    let target = format!("/kursy/{}/nauka", course.key());
    if ctx.user.is_some() {
        return Ok(see_other(&state, &target, None));
    }
    if course.row.visibility() != Visibility::Public {
        return Err(AppError::SignInRequired(format!("/kursy/{}", course.key())));
    }
    let mut res = see_other(&state, &target, None);
    if learner::anonymous_of(&state, &req).is_none() {
        // A new learner identity is like a new account: the registration limit per IP applies.
        state.limits.check(
            &state.limits.register_ip,
            &platform::web::security::client_ip(&state, &req),
        )?;
        res.add_cookie(&learner::learner_cookie(
            &state,
            &learner::new_anonymous_id(),
        ))
        .map_err(AppError::internal)?;
    }
    Ok(res)
}
