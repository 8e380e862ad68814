//! The virtual office (wirtualny urząd), mounted under `/biuro` through the platform's plugin
//! trait. It brings its own migrations, templates and translations, so the portal builds and runs
//! without it when the `office` feature of `lms` is off.

pub mod booking;
pub mod calendar;
pub mod notifications;
pub mod page;
pub mod schema;
pub mod tasks;

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use platform::access::{Permission, Principal};
use platform::db::MigrationSet;
use platform::i18n::{FtlSource, Lang};
use platform::models::user;
use platform::plugin::{NavItem, Plugin};
use platform::web::render::render;
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;

use crate::page::{office_for, OfficeNav, Section};
use crate::schema::office_settings;

static SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
static POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub struct Office;

impl Plugin for Office {
    fn id(&self) -> &'static str {
        "office"
    }

    fn routes(&self, cfg: &mut web::ServiceConfig) {
        cfg.route("/biuro", web::get().to(index));
        // Fixed paths first: `/biuro/{office}` would otherwise take them.
        tasks::routes(cfg);
        notifications::routes(cfg);
        calendar::routes(cfg);
        booking::routes(cfg);
        cfg.route("/biuro/{office}", web::get().to(overview));
    }

    fn nav_items(&self, principal: Option<&Principal>) -> Vec<NavItem> {
        match principal {
            Some(p) if p.can_anywhere(Permission::UseOffice) => vec![NavItem {
                label: "nav-office",
                href: "/biuro",
            }],
            _ => vec![],
        }
    }

    fn migrations(&self) -> Option<MigrationSet> {
        Some(MigrationSet {
            name: "office",
            sqlite: &SQLITE,
            postgres: &POSTGRES,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &'static str)> {
        let mut v = vec![
            (
                "office/base.html",
                include_str!("../templates/office/base.html"),
            ),
            (
                "office/index.html",
                include_str!("../templates/office/index.html"),
            ),
            (
                "office/overview.html",
                include_str!("../templates/office/overview.html"),
            ),
        ];
        v.extend_from_slice(tasks::TEMPLATES);
        v.extend_from_slice(notifications::TEMPLATES);
        v.extend_from_slice(calendar::TEMPLATES);
        v.extend_from_slice(booking::TEMPLATES);
        v
    }

    fn translations(&self) -> Vec<FtlSource> {
        macro_rules! area {
            ($($name:literal),*) => {
                vec![$(
                    FtlSource {
                        lang: Lang::Pl,
                        name: concat!("office/pl/", $name).into(),
                        text: include_str!(concat!("../locales/pl/", $name, ".ftl")).into(),
                    },
                    FtlSource {
                        lang: Lang::En,
                        name: concat!("office/en/", $name).into(),
                        text: include_str!(concat!("../locales/en/", $name, ".ftl")).into(),
                    },
                )*]
            };
        }
        area!("office", "tasks", "notifications", "calendar", "booking")
    }

    /// Reminders (due tomorrow, overdue) and the notification outbox, every minute.
    fn start(&self, state: &AppState) {
        notifications::outbox::start(state);
    }
}

#[derive(Serialize)]
struct OfficeRow {
    name: String,
    slug: String,
    public_booking: bool,
}

#[derive(Serialize)]
struct IndexPage {
    offices: Vec<OfficeRow>,
}

async fn index(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    if !cu.principal.can_anywhere(Permission::UseOffice) {
        return Err(AppError::Forbidden);
    }
    let uid = cu.user.id.clone();
    let principal = cu.principal.clone();
    let offices = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let orgs: Vec<_> = user::organisations_of(conn, &uid)?
                .into_iter()
                .map(|(o, _)| o)
                .filter(|o| principal.can(&o.id, Permission::UseOffice))
                .collect();
            let ids: Vec<&str> = orgs.iter().map(|o| o.id.as_str()).collect();
            let enabled: Vec<String> = office_settings::table
                .filter(office_settings::organisation_id.eq_any(&ids))
                .filter(office_settings::public_booking_enabled.eq(true))
                .select(office_settings::organisation_id)
                .load(conn)?;
            Ok(orgs
                .into_iter()
                .map(|o| OfficeRow {
                    public_booking: enabled.contains(&o.id),
                    name: o.name,
                    slug: o.slug,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    render(&state, &ctx, "office/index.html", &IndexPage { offices })
}

/// One entry of the office's start page agenda.
#[derive(Serialize)]
struct AgendaItem {
    kind: calendar::store::ItemKind,
    title: String,
    href: String,
    /// Local start, `YYYY-MM-DD HH:MM`.
    when: String,
}

#[derive(Serialize)]
struct OverviewPage {
    office: OfficeNav,
    /// Open tasks assigned to the visitor or their department.
    open_tasks: i64,
    /// Of those, the ones past their due time.
    overdue_tasks: i64,
    /// The visitor's events, deadlines and appointments in the next seven days.
    agenda: Vec<AgendaItem>,
}

/// How far ahead the start page looks, and how much it lists.
const AGENDA_DAYS: i64 = 7;
const AGENDA_ITEMS: usize = 10;

/// One office's start page: what needs the visitor's attention (open and overdue tasks, unread
/// notices in the sub-navigation) and their next week, then where each area is.
async fn overview(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    use crate::schema::office_tasks;
    use platform::db::schema::memberships;
    let SignedIn(cu, ctx) = signed;
    let slug = path.into_inner();
    let principal = cu.principal.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let office = OfficeNav::load(conn, &org, &principal, Section::Overview)?;
            let me = principal.user_id.as_str();
            let department: Option<String> = memberships::table
                .filter(memberships::user_id.eq(me))
                .filter(memberships::organisation_id.eq(&org.id))
                .select(memberships::department_id)
                .first::<Option<String>>(conn)
                .optional()?
                .flatten();
            let mine = || {
                office_tasks::table
                    .filter(office_tasks::organisation_id.eq(&org.id))
                    .filter(office_tasks::status.ne_all(["done", "cancelled"]))
                    .filter(
                        office_tasks::assignee_user_id
                            .eq(me)
                            .or(office_tasks::assignee_department_id.eq(department.clone())),
                    )
            };
            let now = platform::models::now();
            let open_tasks = mine().count().get_result(conn)?;
            let overdue_tasks = mine()
                .filter(office_tasks::due_at.lt(now))
                .count()
                .get_result(conn)?;
            let items = calendar::store::items(
                conn,
                me,
                std::slice::from_ref(&org.id),
                now,
                now + chrono::Duration::days(AGENDA_DAYS),
                AGENDA_ITEMS as i64,
            )?;
            let agenda = items
                .iter()
                .take(AGENDA_ITEMS)
                .map(|i| AgendaItem {
                    kind: i.kind,
                    title: i.title.clone(),
                    href: calendar::web::item_href(&org.slug, i),
                    when: page::local_text(i.starts_at),
                })
                .collect();
            Ok(OverviewPage {
                office,
                open_tasks,
                overdue_tasks,
                agenda,
            })
        })
        .await?;
    render(&state, &ctx, "office/overview.html", &page)
}
