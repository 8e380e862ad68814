//! Personal to-do items (`/biuro/notatki`): private notes of one person, never shown to anyone
//! else. Every query is filtered by the signed-in person, so another person's item is "not
//! found".

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use platform::db::{write_transaction, DbConn};
use platform::models::{new_id, now};
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};

use crate::notifications::web::home_office;
use crate::page::{OfficeNav, Section};
use crate::schema::office_todos;

const MAX_TEXT: usize = 500;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/biuro/notatki")
            .route(web::get().to(list))
            .route(web::post().to(add)),
    )
    .route("/biuro/notatki/{id}", web::post().to(change));
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = office_todos)]
pub struct Todo {
    pub id: String,
    pub user_id: String,
    pub text: String,
    pub done: bool,
    pub due_on: Option<String>,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
}

pub fn items(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<Todo>> {
    office_todos::table
        .filter(office_todos::user_id.eq(user_id))
        .order((office_todos::position.asc(), office_todos::created_at.asc()))
        .select(Todo::as_select())
        .load(conn)
}

#[derive(Serialize)]
struct Row {
    id: String,
    text: String,
    done: bool,
    due_on: String,
    first: bool,
    last: bool,
}

#[derive(Serialize)]
struct Page {
    office: OfficeNav,
    items: Vec<Row>,
    errors: Vec<FieldError>,
    text: String,
    due_on: String,
}

fn page(
    conn: &mut DbConn,
    principal: &platform::access::Principal,
    errors: Vec<FieldError>,
    text: String,
    due_on: String,
) -> Result<Page, AppError> {
    let office = home_office(conn, principal, Section::Todo)?;
    let all = items(conn, &principal.user_id)?;
    let n = all.len();
    Ok(Page {
        office,
        items: all
            .into_iter()
            .enumerate()
            .map(|(i, t)| Row {
                id: t.id,
                text: t.text,
                done: t.done,
                due_on: t.due_on.unwrap_or_default(),
                first: i == 0,
                last: i + 1 == n,
            })
            .collect(),
        errors,
        text,
        due_on,
    })
}

async fn list(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let principal = cu.principal.clone();
    let p = state
        .db
        .run(move |conn| page(conn, &principal, vec![], String::new(), String::new()))
        .await?;
    render(&state, &ctx, "office/tasks/todo.html", &p)
}

#[derive(Deserialize)]
struct ItemForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    due_on: String,
    /// For changes: `done`, `undone`, `up`, `down`, `edit`, `delete`.
    #[serde(default)]
    action: String,
}

fn check(f: &ItemForm, errors: &mut FormErrors) -> (String, Option<String>) {
    let text = f.text.trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        errors.add("text", "tasks-todo-error-text");
    }
    let due = f.due_on.trim();
    let due = if due.is_empty() {
        None
    } else if NaiveDate::parse_from_str(due, "%Y-%m-%d").is_ok() {
        Some(due.to_string())
    } else {
        errors.add("due_on", "tasks-todo-error-date");
        None
    };
    (text, due)
}

async fn add(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let principal = cu.principal.clone();
    let f = form.into_inner();
    let st = state.clone();
    let lang = ctx.lang;
    let invalid = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            home_office(conn, &principal, Section::Todo)?;
            let mut errors = FormErrors::default();
            let (text, due) = check(&f, &mut errors);
            if !errors.is_empty() {
                let e = errors.translate(&st, lang);
                return Ok(Some(page(conn, &principal, e, f.text, f.due_on)?));
            }
            let uid = principal.user_id.clone();
            write_transaction(conn, |c| -> QueryResult<()> {
                let max: Option<i32> = office_todos::table
                    .filter(office_todos::user_id.eq(&uid))
                    .select(diesel::dsl::max(office_todos::position))
                    .first(c)?;
                diesel::insert_into(office_todos::table)
                    .values((
                        office_todos::id.eq(new_id()),
                        office_todos::user_id.eq(&uid),
                        office_todos::text.eq(&text),
                        office_todos::done.eq(false),
                        office_todos::due_on.eq(&due),
                        office_todos::position.eq(max.unwrap_or(0) + 1),
                        office_todos::created_at.eq(now()),
                    ))
                    .execute(c)?;
                Ok(())
            })?;
            Ok(None)
        })
        .await?;
    match invalid {
        Some(p) => render_page(
            &state,
            &ctx,
            "office/tasks/todo.html",
            &p,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => Ok(see_other(
            &state,
            "/biuro/notatki",
            Some("flash-tasks-todo-added"),
        )),
    }
}

async fn change(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    form: web::Form<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let principal = cu.principal.clone();
    let id = path.into_inner();
    let f = form.into_inner();
    let st = state.clone();
    let lang = ctx.lang;
    let invalid = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            home_office(conn, &principal, Section::Todo)?;
            let uid = principal.user_id.clone();
            let mine = |c: &mut DbConn| -> QueryResult<Option<Todo>> {
                office_todos::table
                    .filter(office_todos::id.eq(&id))
                    .filter(office_todos::user_id.eq(&uid))
                    .select(Todo::as_select())
                    .first(c)
                    .optional()
            };
            let item = mine(conn)?.ok_or(AppError::NotFound)?;
            let one = office_todos::table
                .filter(office_todos::id.eq(item.id.clone()))
                .filter(office_todos::user_id.eq(uid.clone()));
            match f.action.as_str() {
                "done" | "undone" => {
                    let done = f.action == "done";
                    write_transaction(conn, |c| {
                        diesel::update(one)
                            .set((
                                office_todos::done.eq(done),
                                office_todos::done_at.eq(done.then(now)),
                            ))
                            .execute(c)
                    })?;
                }
                "delete" => {
                    write_transaction(conn, |c| diesel::delete(one).execute(c))?;
                }
                "edit" => {
                    let mut errors = FormErrors::default();
                    let (text, due) = check(&f, &mut errors);
                    if !errors.is_empty() {
                        let e = errors.translate(&st, lang);
                        return Ok(Some(page(
                            conn,
                            &principal,
                            e,
                            String::new(),
                            String::new(),
                        )?));
                    }
                    write_transaction(conn, |c| {
                        diesel::update(one)
                            .set((office_todos::text.eq(&text), office_todos::due_on.eq(&due)))
                            .execute(c)
                    })?;
                }
                "up" | "down" => {
                    write_transaction(conn, |c| -> QueryResult<()> {
                        // Swap with the neighbour in the person's order (renumbered first, so
                        // equal positions cannot make a move do nothing).
                        let all = items(c, &uid)?;
                        let Some(i) = all.iter().position(|t| t.id == item.id) else {
                            return Ok(());
                        };
                        let j = if f.action == "up" {
                            i.checked_sub(1)
                        } else {
                            Some(i + 1).filter(|j| *j < all.len())
                        };
                        let Some(j) = j else { return Ok(()) };
                        let mut order: Vec<&Todo> = all.iter().collect();
                        order.swap(i, j);
                        for (n, t) in order.iter().enumerate() {
                            let pos = n as i32 + 1;
                            if t.position != pos {
                                diesel::update(office_todos::table.find(&t.id))
                                    .set(office_todos::position.eq(pos))
                                    .execute(c)?;
                            }
                        }
                        Ok(())
                    })?;
                }
                _ => return Err(AppError::BadRequest("action".into())),
            }
            Ok(None)
        })
        .await?;
    match invalid {
        Some(p) => render_page(
            &state,
            &ctx,
            "office/tasks/todo.html",
            &p,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => Ok(see_other(
            &state,
            "/biuro/notatki",
            Some("flash-tasks-todo-saved"),
        )),
    }
}
