//! The notifications pages: the in-app list (unread first), marking read, and the per-person
//! settings (a table of kinds × in the app / by email).

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use platform::access::{Permission, Principal};
use platform::db::DbConn;
use platform::models::{now, user};
use platform::web::render::{render, see_other};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;

use super::outbox::kind_key;
use super::{preference, Kind};
use crate::page::{local_text, OfficeNav, Section};
use crate::schema::{office_notification_prefs, office_notifications};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/biuro/powiadomienia", web::get().to(list))
        .service(
            web::resource("/biuro/powiadomienia/ustawienia")
                .route(web::get().to(settings))
                .route(web::post().to(save_settings)),
        )
        .route("/biuro/powiadomienia/przeczytane", web::post().to(mark_all))
        .route(
            "/biuro/powiadomienia/{id}/przeczytane",
            web::post().to(mark_one),
        );
}

/// The office whose sub-navigation a personal page (notifications, to-do) shows: the first one
/// (by name) the person works in. Someone who works in no office may not use these pages.
pub fn home_office(
    conn: &mut DbConn,
    principal: &Principal,
    section: Section,
) -> Result<OfficeNav, AppError> {
    let org = user::organisations_of(conn, &principal.user_id)?
        .into_iter()
        .map(|(o, _)| o)
        .filter(|o| principal.can(&o.id, Permission::UseOffice))
        .min_by(|a, b| a.name.cmp(&b.name))
        .ok_or(AppError::Forbidden)?;
    Ok(OfficeNav::load(conn, &org, principal, section)?)
}

#[derive(Serialize)]
struct Row {
    id: String,
    kind: &'static str,
    subject: String,
    link: String,
    actor: Option<String>,
    when: String,
    unread: bool,
}

#[derive(Serialize)]
struct ListPage {
    office: OfficeNav,
    items: Vec<Row>,
    unread: i64,
}

type NoticeRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

async fn list(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let principal = cu.principal.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let office = home_office(conn, &principal, Section::Notifications)?;
            let rows: Vec<NoticeRow> = office_notifications::table
                .filter(office_notifications::user_id.eq(&principal.user_id))
                // Email-only notices are born read and are not the app's to show.
                .filter(office_notifications::read_at.is_null().or(
                    office_notifications::read_at.ne(office_notifications::created_at.nullable()),
                ))
                .order((
                    office_notifications::read_at.is_not_null(),
                    office_notifications::created_at.desc(),
                ))
                .limit(200)
                .select((
                    office_notifications::id,
                    office_notifications::kind,
                    office_notifications::subject,
                    office_notifications::link,
                    office_notifications::actor_name,
                    office_notifications::created_at,
                    office_notifications::read_at,
                ))
                .load(conn)?;
            let items: Vec<Row> = rows
                .into_iter()
                .filter_map(|(id, kind, subject, link, actor, at, read)| {
                    Some(Row {
                        id,
                        kind: kind_key(Kind::parse(&kind)?),
                        subject,
                        link,
                        actor,
                        when: local_text(at),
                        unread: read.is_none(),
                    })
                })
                .collect();
            Ok(ListPage {
                unread: office.unread,
                office,
                items,
            })
        })
        .await?;
    render(&state, &ctx, "office/notifications/list.html", &page)
}

async fn mark_one(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let id = path.into_inner();
    let uid = cu.user.id.clone();
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            // Someone else's notice is "not found", as an unknown one.
            let n = platform::db::write_transaction(conn, |c| {
                diesel::update(
                    office_notifications::table
                        .filter(office_notifications::id.eq(&id))
                        .filter(office_notifications::user_id.eq(&uid)),
                )
                .set(office_notifications::read_at.eq(now()))
                .execute(c)
            })?;
            if n == 0 {
                return Err(AppError::NotFound);
            }
            Ok(())
        })
        .await?;
    Ok(see_other(
        &state,
        "/biuro/powiadomienia",
        Some("flash-notification-read"),
    ))
}

async fn mark_all(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let uid = cu.user.id.clone();
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            platform::db::write_transaction(conn, |c| {
                diesel::update(
                    office_notifications::table
                        .filter(office_notifications::user_id.eq(&uid))
                        .filter(office_notifications::read_at.is_null()),
                )
                .set(office_notifications::read_at.eq(now()))
                .execute(c)
            })?;
            Ok(())
        })
        .await?;
    Ok(see_other(
        &state,
        "/biuro/powiadomienia",
        Some("flash-notification-all-read"),
    ))
}

#[derive(Serialize)]
struct PrefRow {
    kind: &'static str,
    label: &'static str,
    in_app: bool,
    email: bool,
}

#[derive(Serialize)]
struct SettingsPage {
    office: OfficeNav,
    rows: Vec<PrefRow>,
}

async fn settings(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let principal = cu.principal.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let office = home_office(conn, &principal, Section::Notifications)?;
            let mut rows = Vec::new();
            for k in Kind::ALL {
                let (in_app, email) = preference(conn, &principal.user_id, k)?;
                rows.push(PrefRow {
                    kind: k.as_str(),
                    label: kind_key(k),
                    in_app,
                    email,
                });
            }
            Ok(SettingsPage { office, rows })
        })
        .await?;
    render(&state, &ctx, "office/notifications/settings.html", &page)
}

/// Checkboxes are named `app-<kind>` and `email-<kind>`; an unticked box is not sent.
async fn save_settings(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let principal = cu.principal.clone();
    let fields = form.into_inner();
    state
        .db
        .run(move |conn| -> Result<_, AppError> {
            home_office(conn, &principal, Section::Notifications)?;
            let on = |name: String| fields.iter().any(|(k, _)| *k == name);
            let uid = principal.user_id.clone();
            platform::db::write_transaction(conn, |c| -> Result<(), AppError> {
                for k in Kind::ALL {
                    let in_app = on(format!("app-{}", k.as_str()));
                    let email = on(format!("email-{}", k.as_str()));
                    diesel::delete(office_notification_prefs::table.find((&uid, k.as_str())))
                        .execute(c)?;
                    diesel::insert_into(office_notification_prefs::table)
                        .values((
                            office_notification_prefs::user_id.eq(&uid),
                            office_notification_prefs::kind.eq(k.as_str()),
                            office_notification_prefs::in_app.eq(in_app),
                            office_notification_prefs::email.eq(email),
                        ))
                        .execute(c)?;
                }
                Ok(())
            })
        })
        .await?;
    Ok(see_other(
        &state,
        "/biuro/powiadomienia/ustawienia",
        Some("flash-notification-settings"),
    ))
}
