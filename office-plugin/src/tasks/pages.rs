//! The tasks pages of an office: the lists ("my tasks", "delegated by me", the department
//! board, overdue, all), the new-task and edit forms, and the task page with its checklist,
//! comments, attachments, watchers and history. Every handler checks the office in the URL
//! first (`office_for`), then that the task belongs to it (else 404).

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use platform::access::Principal;
use platform::db::{write_transaction, DbConn};
use platform::i18n::{Arg, Lang};
use platform::models::now;
use platform::models::organisation::{self, Organisation};
use platform::storage::BlobStore;
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::upload::{receive_file, Received};
use platform::web::{AppError, AppState, RequestContext, SignedIn};
use serde::{Deserialize, Serialize};

use super::recurrence::{Freq, Rule, MAX_INTERVAL};
use super::store::{self, Actor, Assignee, Task, View, PRIORITIES, STATUSES};
use crate::notifications::spawn_send;
use crate::page::{colleagues, local_text, office_for, OfficeNav, Section};

/// The largest attachment: documents and scans, not archives of a whole case.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 10_000;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/biuro/{office}/zadania")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .route("/biuro/{office}/zadania/nowe", web::get().to(new_form))
    .route("/biuro/{office}/zadania/{id}", web::get().to(show))
    .service(
        web::resource("/biuro/{office}/zadania/{id}/edycja")
            .route(web::get().to(edit_form))
            .route(web::post().to(edit)),
    )
    .route(
        "/biuro/{office}/zadania/{id}/status",
        web::post().to(status),
    )
    .route(
        "/biuro/{office}/zadania/{id}/przekaz",
        web::post().to(delegate),
    )
    .route(
        "/biuro/{office}/zadania/{id}/lista",
        web::post().to(item_add),
    )
    .route(
        "/biuro/{office}/zadania/{id}/lista/{item}",
        web::post().to(item_change),
    )
    .route(
        "/biuro/{office}/zadania/{id}/komentarze",
        web::post().to(comment),
    )
    .route(
        "/biuro/{office}/zadania/{id}/obserwujacy",
        web::post().to(watch),
    )
    .route(
        "/biuro/{office}/zadania/{id}/zalaczniki",
        web::post().to(upload),
    )
    .route(
        "/biuro/{office}/zadania/{id}/zalaczniki/{file}",
        web::get().to(download),
    );
}

fn status_label(state: &AppState, lang: Lang, s: &str) -> String {
    let key = match s {
        "new" => "tasks-status-new",
        "in_progress" => "tasks-status-in_progress",
        "waiting" => "tasks-status-waiting",
        "done" => "tasks-status-done",
        "cancelled" => "tasks-status-cancelled",
        _ => return s.to_string(),
    };
    state.i18n.t(lang, key, &[])
}

fn priority_label(state: &AppState, lang: Lang, p: &str) -> String {
    let key = match p {
        "low" => "tasks-priority-low",
        "normal" => "tasks-priority-normal",
        "high" => "tasks-priority-high",
        "urgent" => "tasks-priority-urgent",
        _ => return p.to_string(),
    };
    state.i18n.t(lang, key, &[])
}

fn recurrence_label(state: &AppState, lang: Lang, rrule: Option<&str>) -> Option<String> {
    let r = Rule::parse(rrule?)?;
    let key = match r.freq {
        Freq::Daily => "tasks-repeat-every-days",
        Freq::Weekly => "tasks-repeat-every-weeks",
        Freq::Monthly => "tasks-repeat-every-months",
    };
    Some(
        state
            .i18n
            .t(lang, key, &[("count", Arg::Num(f64::from(r.interval)))]),
    )
}

#[derive(Serialize, Clone)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(
    state: &AppState,
    lang: Lang,
    values: &[&str],
    current: &str,
    status: bool,
) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: v.to_string(),
            label: if status {
                status_label(state, lang, v)
            } else {
                priority_label(state, lang, v)
            },
            selected: *v == current,
        })
        .collect()
}

/// Names of the office's people and departments, for assignees and history.
struct Names {
    people: Vec<(String, String)>,
    departments: Vec<(String, String)>,
}

impl Names {
    fn load(conn: &mut DbConn, org_id: &str) -> Result<Names, AppError> {
        Ok(Names {
            people: colleagues(conn, org_id)?
                .into_iter()
                .map(|m| (m.user_id, m.full_name))
                .collect(),
            departments: organisation::departments(conn, org_id)?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
        })
    }

    fn person(&self, conn: &mut DbConn, id: &str) -> String {
        self.people
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.clone())
            .or_else(|| store::user_name(conn, id).ok())
            .unwrap_or_default()
    }

    fn code(&self, conn: &mut DbConn, state: &AppState, lang: Lang, code: &str) -> String {
        match code.split_once(':') {
            Some(("u", id)) => self.person(conn, id),
            Some(("d", id)) => {
                let name = self
                    .departments
                    .iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                state
                    .i18n
                    .t(lang, "tasks-department-named", &[("name", Arg::Str(name))])
            }
            _ => String::new(),
        }
    }

    fn assignee_choices(&self, state: &AppState, lang: Lang, current: &str) -> Vec<Choice> {
        let mut v: Vec<Choice> = self
            .people
            .iter()
            .map(|(id, n)| Choice {
                value: format!("u:{id}"),
                label: n.clone(),
                selected: current == format!("u:{id}"),
            })
            .collect();
        v.extend(self.departments.iter().map(|(id, n)| Choice {
            value: format!("d:{id}"),
            label: state.i18n.t(
                lang,
                "tasks-department-named",
                &[("name", Arg::Str(n.clone()))],
            ),
            selected: current == format!("d:{id}"),
        }));
        v
    }

    fn people_choices(&self, current: Option<&str>) -> Vec<Choice> {
        self.people
            .iter()
            .map(|(id, n)| Choice {
                value: id.clone(),
                label: n.clone(),
                selected: current == Some(id.as_str()),
            })
            .collect()
    }
}

#[derive(Serialize)]
struct Card {
    id: String,
    title: String,
    status: String,
    status_label: String,
    priority_label: String,
    due: Option<String>,
    overdue: bool,
    assignee: Option<String>,
    statuses: Vec<Choice>,
    can_edit: bool,
}

#[derive(Serialize)]
struct Column {
    status: &'static str,
    label: String,
    cards: Vec<Card>,
}

#[derive(Serialize)]
struct ListPage {
    office: OfficeNav,
    view: &'static str,
    status: String,
    status_choices: Vec<Choice>,
    tasks: Vec<Card>,
    /// The department board: one column per status.
    columns: Vec<Column>,
    departments: Vec<Choice>,
    department: Option<String>,
    department_name: String,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    widok: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    dzial: String,
}

fn card(
    state: &AppState,
    lang: Lang,
    conn: &mut DbConn,
    names: &Names,
    principal: &Principal,
    t: Task,
    at: chrono::NaiveDateTime,
) -> Result<Card, AppError> {
    let assignee = t
        .assignee()
        .map(|a| names.code(conn, state, lang, &a.code()));
    let can_edit = store::can_edit(conn, principal, &t)?;
    Ok(Card {
        overdue: t.due_at.is_some_and(|d| d < at) && !store::is_closed(&t.status),
        due: t.due_at.map(store::due_text),
        status_label: status_label(state, lang, &t.status),
        priority_label: priority_label(state, lang, &t.priority),
        statuses: choices(state, lang, &STATUSES, &t.status, true),
        id: t.id,
        title: t.title,
        status: t.status,
        assignee,
        can_edit,
    })
}

async fn list(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let slug = path.into_inner();
    let q = q.into_inner();
    let view = View::parse(&q.widok).ok_or(AppError::NotFound)?;
    let principal = cu.principal.clone();
    let lang = ctx.lang;
    let st = state.clone();
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let office = OfficeNav::load(conn, &org, &principal, Section::Tasks)?;
            let names = Names::load(conn, &org.id)?;
            let me = principal.user_id.as_str();
            let department = match view {
                View::Department if q.dzial.is_empty() => store::department_of(conn, &org.id, me)?
                    .or_else(|| names.departments.first().map(|(id, _)| id.clone())),
                View::Department => Some(q.dzial.clone())
                    .filter(|d| names.departments.iter().any(|(id, _)| id == d)),
                _ => None,
            };
            let status = match q.status.as_str() {
                "" if view == View::Department => "all".to_string(),
                "" => "open".to_string(),
                s if s == "all" || s == "open" || STATUSES.contains(&s) => s.to_string(),
                _ => return Err(AppError::BadRequest("status".into())),
            };
            let at = now();
            let tasks = if view == View::Department && department.is_none() {
                vec![]
            } else {
                store::list(conn, &org.id, me, view, department.as_deref(), &status, at)?
            };
            let mut cards = Vec::new();
            for t in tasks {
                cards.push(card(&st, lang, conn, &names, &principal, t, at)?);
            }
            let mut columns = Vec::new();
            if view == View::Department {
                for s in STATUSES {
                    let (here, rest): (Vec<Card>, Vec<Card>) =
                        cards.into_iter().partition(|c| c.status == s);
                    cards = rest;
                    columns.push(Column {
                        status: s,
                        label: status_label(&st, lang, s),
                        cards: here,
                    });
                }
            }
            let mut status_choices = vec![
                Choice {
                    value: "open".into(),
                    label: st.i18n.t(lang, "tasks-filter-open", &[]),
                    selected: status == "open",
                },
                Choice {
                    value: "all".into(),
                    label: st.i18n.t(lang, "tasks-filter-all", &[]),
                    selected: status == "all",
                },
            ];
            status_choices.extend(choices(&st, lang, &STATUSES, &status, true));
            Ok(ListPage {
                office,
                view: view.code(),
                status,
                status_choices,
                tasks: cards,
                columns,
                department_name: department
                    .as_ref()
                    .and_then(|d| names.departments.iter().find(|(id, _)| id == d))
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                departments: names
                    .departments
                    .iter()
                    .map(|(id, n)| Choice {
                        value: id.clone(),
                        label: n.clone(),
                        selected: department.as_deref() == Some(id.as_str()),
                    })
                    .collect(),
                department,
            })
        })
        .await?;
    render(&state, &ctx, "office/tasks/list.html", &page)
}

/// What the new-task and edit forms send.
#[derive(Deserialize, Default, Serialize, Clone)]
struct TaskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    due_time: String,
    #[serde(default)]
    repeat: String,
    #[serde(default)]
    interval: String,
}

#[derive(Serialize)]
struct FormPage {
    office: OfficeNav,
    /// The task being edited; none for a new task.
    task_id: Option<String>,
    form: TaskForm,
    assignees: Vec<Choice>,
    priorities: Vec<Choice>,
    repeats: Vec<Choice>,
    errors: Vec<FieldError>,
}

/// Checked values of a task form.
struct Checked {
    due_at: Option<chrono::NaiveDateTime>,
    recurrence: Option<Rule>,
}

fn check_form(f: &mut TaskForm, errors: &mut FormErrors) -> Checked {
    f.title = f.title.trim().to_string();
    f.description = f.description.trim().to_string();
    if f.title.is_empty() {
        errors.add("title", "tasks-error-title");
    } else if f.title.chars().count() > MAX_TITLE {
        errors.add("title", "tasks-error-title-long");
    }
    if f.description.chars().count() > MAX_TEXT {
        errors.add("description", "tasks-error-text-long");
    }
    if f.priority.is_empty() {
        f.priority = "normal".into();
    }
    if !PRIORITIES.contains(&f.priority.as_str()) {
        errors.add("priority", "tasks-error-priority");
    }
    let due_at = if f.due_date.trim().is_empty() {
        if !f.due_time.trim().is_empty() {
            errors.add("due_date", "tasks-error-due-time-without-date");
        }
        None
    } else {
        let d = store::due_from_form(&f.due_date, &f.due_time);
        if d.is_none() {
            errors.add("due_date", "tasks-error-due");
        }
        d
    };
    let recurrence = match f.repeat.as_str() {
        "" | "none" => None,
        r => match (
            Freq::parse(r),
            f.interval.trim().parse::<u32>().unwrap_or(1),
        ) {
            (Some(freq), interval) if (1..=MAX_INTERVAL).contains(&interval) => {
                if f.due_date.trim().is_empty() {
                    errors.add("repeat", "tasks-error-repeat-needs-due");
                }
                Some(Rule { freq, interval })
            }
            (Some(_), _) => {
                errors.add("interval", "tasks-error-interval");
                None
            }
            _ => {
                errors.add("repeat", "tasks-error-repeat");
                None
            }
        },
    };
    Checked { due_at, recurrence }
}

fn repeat_choices(state: &AppState, lang: Lang, current: &str) -> Vec<Choice> {
    [
        ("none", "tasks-repeat-none"),
        ("daily", "tasks-repeat-daily"),
        ("weekly", "tasks-repeat-weekly"),
        ("monthly", "tasks-repeat-monthly"),
    ]
    .into_iter()
    .map(|(v, k)| Choice {
        value: v.into(),
        label: state.i18n.t(lang, k, &[]),
        selected: v == current || (current.is_empty() && v == "none"),
    })
    .collect()
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &AppState,
    ctx: &RequestContext,
    conn: &mut DbConn,
    org: &Organisation,
    principal: &Principal,
    task_id: Option<String>,
    form: TaskForm,
    errors: Vec<FieldError>,
) -> Result<FormPage, AppError> {
    let names = Names::load(conn, &org.id)?;
    Ok(FormPage {
        office: OfficeNav::load(conn, org, principal, Section::Tasks)?,
        task_id,
        assignees: names.assignee_choices(state, ctx.lang, &form.assignee),
        priorities: choices(state, ctx.lang, &PRIORITIES, &form.priority, false),
        repeats: repeat_choices(state, ctx.lang, &form.repeat),
        form,
        errors,
    })
}

async fn new_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let slug = path.into_inner();
    let principal = cu.principal.clone();
    let (st, c) = (state.clone(), ctx.clone());
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let form = TaskForm {
                priority: "normal".into(),
                interval: "1".into(),
                ..TaskForm::default()
            };
            form_page(&st, &c, conn, &org, &principal, None, form, vec![])
        })
        .await?;
    render(&state, &ctx, "office/tasks/form.html", &page)
}

fn actor(cu: &platform::web::context::CurrentUser) -> Actor {
    Actor {
        id: cu.user.id.clone(),
        name: cu.user.full_name.clone(),
    }
}

/// What a form's database work ends in: where to go next, or the page to show again with its
/// errors (status 422), already turned into template data.
enum Outcome<T> {
    Done(T),
    Invalid(serde_json::Value),
}

fn invalid<T, P: Serialize>(page: &P) -> Result<Outcome<T>, AppError> {
    Ok(Outcome::Invalid(
        serde_json::to_value(page).map_err(AppError::internal)?,
    ))
}

fn unprocessable(
    state: &AppState,
    ctx: &RequestContext,
    template: &str,
    page: &serde_json::Value,
) -> Result<HttpResponse, AppError> {
    render_page(state, ctx, template, page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn create(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<String>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let slug = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let mut f = form.into_inner();
    let (st, c) = (state.clone(), ctx.clone());
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let org = office_for(conn, &principal, &slug)?;
            let mut errors = FormErrors::default();
            let checked = check_form(&mut f, &mut errors);
            let assignee = if f.assignee.is_empty() {
                None
            } else {
                let a = Assignee::parse_in(conn, &org.id, &f.assignee)?;
                if a.is_none() {
                    errors.add("assignee", "tasks-error-assignee");
                }
                a
            };
            if !errors.is_empty() {
                let e = errors.translate(&st, c.lang);
                let page = form_page(&st, &c, conn, &org, &principal, None, f, e)?;
                return invalid(&page);
            }
            let new = store::NewTask {
                title: f.title,
                description: f.description,
                assignee,
                due_at: checked.due_at,
                priority: f.priority,
                recurrence: checked.recurrence,
            };
            let id = write_transaction(conn, |c| store::create(c, &org, &who, &new))?;
            Ok(Outcome::Done(format!("/biuro/{}/zadania/{id}", org.slug)))
        })
        .await?;
    match out {
        Outcome::Done(to) => {
            spawn_send(&state);
            Ok(see_other(&state, &to, Some("flash-tasks-created")))
        }
        Outcome::Invalid(p) => unprocessable(&state, &ctx, "office/tasks/form.html", &p),
    }
}

/// The office and task named in the URL: 403/404 for the office, 404 for a task of another.
fn office_task(
    conn: &mut DbConn,
    principal: &Principal,
    slug: &str,
    id: &str,
) -> Result<(Organisation, Task), AppError> {
    let org = office_for(conn, principal, slug)?;
    let task = store::find(conn, &org.id, id)?.ok_or(AppError::NotFound)?;
    Ok((org, task))
}

fn form_of(task: &Task) -> TaskForm {
    let rule = task.recurrence.as_deref().and_then(Rule::parse);
    TaskForm {
        title: task.title.clone(),
        description: task.description.clone(),
        assignee: String::new(),
        priority: task.priority.clone(),
        due_date: task
            .due_at
            .map(|d| crate::page::local(d).format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        due_time: task
            .due_at
            .filter(|d| !store::is_date_only(*d))
            .map(|d| crate::page::local(d).format("%H:%M").to_string())
            .unwrap_or_default(),
        repeat: rule
            .map(|r| r.freq.as_str().to_string())
            .unwrap_or_default(),
        interval: rule.map(|r| r.interval).unwrap_or(1).to_string(),
    }
}

async fn edit_form(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let (st, c) = (state.clone(), ctx.clone());
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            if !store::can_edit(conn, &principal, &task)? {
                return Err(AppError::Forbidden);
            }
            let form = form_of(&task);
            form_page(&st, &c, conn, &org, &principal, Some(task.id), form, vec![])
        })
        .await?;
    render(&state, &ctx, "office/tasks/form.html", &page)
}

async fn edit(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let mut f = form.into_inner();
    let (st, c) = (state.clone(), ctx.clone());
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            if !store::can_edit(conn, &principal, &task)? {
                return Err(AppError::Forbidden);
            }
            let mut errors = FormErrors::default();
            let checked = check_form(&mut f, &mut errors);
            if !errors.is_empty() {
                let e = errors.translate(&st, c.lang);
                let page = form_page(&st, &c, conn, &org, &principal, Some(task.id), f, e)?;
                return invalid(&page);
            }
            let e = store::Edit {
                title: f.title,
                description: f.description,
                priority: f.priority,
                due_at: checked.due_at,
                recurrence: checked.recurrence,
            };
            write_transaction(conn, |c| store::edit(c, &task, &who, &e))?;
            Ok(Outcome::Done(format!(
                "/biuro/{}/zadania/{}",
                org.slug, task.id
            )))
        })
        .await?;
    match out {
        Outcome::Done(to) => Ok(see_other(&state, &to, Some("flash-tasks-saved"))),
        Outcome::Invalid(p) => unprocessable(&state, &ctx, "office/tasks/form.html", &p),
    }
}

#[derive(Serialize)]
struct ItemView {
    id: String,
    text: String,
    done: bool,
    assignee: Option<String>,
    people: Vec<Choice>,
    can_tick: bool,
}

#[derive(Serialize)]
struct CommentView {
    author: String,
    when: String,
    body: String,
}

#[derive(Serialize)]
struct AttachmentView {
    id: String,
    name: String,
    size_kb: i64,
    uploaded: String,
}

#[derive(Serialize)]
struct WatcherView {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct HistoryView {
    when: String,
    text: String,
    note: String,
}

#[derive(Serialize, Default)]
struct Drafts {
    comment: String,
    note: String,
    item: String,
}

#[derive(Serialize)]
struct TaskPage {
    office: OfficeNav,
    id: String,
    title: String,
    description: String,
    status: String,
    status_label: String,
    priority: String,
    priority_label: String,
    due: Option<String>,
    overdue: bool,
    recurrence: Option<String>,
    assignee: Option<String>,
    creator: String,
    delegated_by: Option<String>,
    created: String,
    can_edit: bool,
    is_creator: bool,
    watching: bool,
    statuses: Vec<Choice>,
    assignees: Vec<Choice>,
    people: Vec<Choice>,
    checklist: Vec<ItemView>,
    comments: Vec<CommentView>,
    attachments: Vec<AttachmentView>,
    watchers: Vec<WatcherView>,
    history: Vec<HistoryView>,
    max_mb: usize,
    errors: Vec<FieldError>,
    drafts: Drafts,
}

fn describe(
    state: &AppState,
    lang: Lang,
    conn: &mut DbConn,
    names: &Names,
    h: &store::HistoryRow,
) -> String {
    let who = h.actor_name.clone().unwrap_or_default();
    let old = h.old_value.clone().unwrap_or_default();
    let new = h.new_value.clone().unwrap_or_default();
    let s = |v: String| Arg::Str(v);
    let none = || state.i18n.t(lang, "tasks-none", &[]);
    let (key, args): (&str, Vec<(&str, Arg)>) = match h.kind.as_str() {
        "created" => ("tasks-history-created", vec![]),
        "assigned" => (
            "tasks-history-assigned",
            vec![("to", s(names.code(conn, state, lang, &new)))],
        ),
        "delegated" => {
            let from = if old.is_empty() {
                none()
            } else {
                names.code(conn, state, lang, &old)
            };
            (
                "tasks-history-delegated",
                vec![
                    ("from", s(from)),
                    ("to", s(names.code(conn, state, lang, &new))),
                ],
            )
        }
        "due" => (
            "tasks-history-due",
            vec![
                ("from", s(if old.is_empty() { none() } else { old })),
                ("to", s(if new.is_empty() { none() } else { new })),
            ],
        ),
        "priority" => (
            "tasks-history-priority",
            vec![
                ("from", s(priority_label(state, lang, &old))),
                ("to", s(priority_label(state, lang, &new))),
            ],
        ),
        "status" => (
            "tasks-history-status",
            vec![
                ("from", s(status_label(state, lang, &old))),
                ("to", s(status_label(state, lang, &new))),
            ],
        ),
        "edited" => ("tasks-history-edited", vec![]),
        "recurrence" => (
            "tasks-history-recurrence",
            vec![(
                "to",
                s(recurrence_label(state, lang, Some(&new)).unwrap_or_else(none)),
            )],
        ),
        "recurred" => ("tasks-history-recurred", vec![("due", s(new))]),
        "checklist_added" => ("tasks-history-checklist-added", vec![("item", s(new))]),
        "checklist_done" => ("tasks-history-checklist-done", vec![("item", s(new))]),
        "checklist_undone" => ("tasks-history-checklist-undone", vec![("item", s(new))]),
        "checklist_assigned" => {
            let to = if new.is_empty() {
                none()
            } else {
                names.person(conn, &new)
            };
            (
                "tasks-history-checklist-assigned",
                vec![("item", s(old)), ("to", s(to))],
            )
        }
        "attachment" => ("tasks-history-attachment", vec![("name", s(new))]),
        "watcher_added" => (
            "tasks-history-watcher-added",
            vec![("name", s(names.person(conn, &new)))],
        ),
        "watcher_removed" => (
            "tasks-history-watcher-removed",
            vec![("name", s(names.person(conn, &new)))],
        ),
        _ => ("tasks-history-other", vec![]),
    };
    let mut args = args;
    args.push(("actor", s(who)));
    state.i18n.t(lang, key, &args)
}

#[allow(clippy::too_many_arguments)]
fn task_page(
    state: &AppState,
    ctx: &RequestContext,
    conn: &mut DbConn,
    org: &Organisation,
    principal: &Principal,
    task: Task,
    errors: Vec<FieldError>,
    drafts: Drafts,
) -> Result<TaskPage, AppError> {
    let lang = ctx.lang;
    let names = Names::load(conn, &org.id)?;
    let can_edit = store::can_edit(conn, principal, &task)?;
    let me = principal.user_id.as_str();
    let watcher_ids = store::watchers(conn, &task.id)?;
    let mut checklist = Vec::new();
    for i in store::checklist(conn, &task.id)? {
        checklist.push(ItemView {
            assignee: i.assignee_user_id.as_deref().map(|u| names.person(conn, u)),
            people: names.people_choices(i.assignee_user_id.as_deref()),
            can_tick: can_edit || i.assignee_user_id.as_deref() == Some(me),
            id: i.id,
            text: i.text,
            done: i.done,
        });
    }
    let comments = store::comments(conn, &task.id)?
        .into_iter()
        .map(|c| CommentView {
            author: c.author.unwrap_or_default(),
            when: local_text(c.created_at),
            body: c.body,
        })
        .collect();
    let attachments = store::attachments(conn, &task.id)?
        .into_iter()
        .map(|a| AttachmentView {
            id: a.id,
            name: a.name,
            size_kb: (a.size + 1023) / 1024,
            uploaded: local_text(a.created_at),
        })
        .collect();
    let mut history = Vec::new();
    for h in store::history_of(conn, &task.id)? {
        history.push(HistoryView {
            when: local_text(h.created_at),
            text: describe(state, lang, conn, &names, &h),
            note: h.note.clone(),
        });
    }
    let watchers = watcher_ids
        .iter()
        .map(|w| WatcherView {
            id: w.clone(),
            name: names.person(conn, w),
        })
        .collect();
    let current = task.assignee().map(|a| a.code()).unwrap_or_default();
    Ok(TaskPage {
        office: OfficeNav::load(conn, org, principal, Section::Tasks)?,
        overdue: task.due_at.is_some_and(|d| d < now()) && !store::is_closed(&task.status),
        due: task.due_at.map(store::due_text),
        recurrence: recurrence_label(state, lang, task.recurrence.as_deref()),
        assignee: (!current.is_empty()).then(|| names.code(conn, state, lang, &current)),
        creator: names.person(conn, &task.created_by),
        delegated_by: task.delegated_by.as_deref().map(|d| names.person(conn, d)),
        created: local_text(task.created_at),
        is_creator: task.created_by == me,
        watching: watcher_ids.iter().any(|w| w == me),
        statuses: choices(state, lang, &STATUSES, &task.status, true),
        status_label: status_label(state, lang, &task.status),
        priority_label: priority_label(state, lang, &task.priority),
        assignees: names.assignee_choices(state, lang, ""),
        people: names.people_choices(None),
        can_edit,
        checklist,
        comments,
        attachments,
        watchers,
        history,
        max_mb: MAX_ATTACHMENT >> 20,
        errors,
        drafts,
        id: task.id,
        title: task.title,
        description: task.description,
        status: task.status,
        priority: task.priority,
    })
}

async fn show(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let (st, c) = (state.clone(), ctx.clone());
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            // Seeing the task is reading what was said about it.
            store::mark_read(conn, &principal.user_id, &store::task_link(&org, &task.id))?;
            task_page(
                &st,
                &c,
                conn,
                &org,
                &principal,
                task,
                vec![],
                Drafts::default(),
            )
        })
        .await?;
    render(&state, &ctx, "office/tasks/task.html", &page)
}

/// What a refused POST on a task's page needs to show that page again with its error.
struct OnTask<'a> {
    state: &'a AppState,
    ctx: &'a RequestContext,
    org: &'a Organisation,
    principal: &'a Principal,
}

impl OnTask<'_> {
    /// The task page again (422) with one field's error (field, message id) and what was typed.
    fn refuse(
        &self,
        conn: &mut DbConn,
        task: Task,
        (field, key): (&'static str, &'static str),
        drafts: Drafts,
    ) -> Result<Outcome<String>, AppError> {
        let mut errors = FormErrors::default();
        errors.add(field, key);
        let e = errors.translate(self.state, self.ctx.lang);
        let page = task_page(
            self.state,
            self.ctx,
            conn,
            self.org,
            self.principal,
            task,
            e,
            drafts,
        )?;
        invalid(&page)
    }
}

/// Finishes a POST on the task page: a redirect back (sending mail if anyone was told) or the
/// page with its error.
fn finish(
    state: &AppState,
    ctx: &RequestContext,
    out: Outcome<String>,
    flash: &'static str,
    notified: bool,
) -> Result<HttpResponse, AppError> {
    match out {
        Outcome::Done(to) => {
            if notified {
                spawn_send(state);
            }
            Ok(see_other(state, &to, Some(flash)))
        }
        Outcome::Invalid(p) => unprocessable(state, ctx, "office/tasks/task.html", &p),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
    /// Where to go back to (the board); only office task paths are followed.
    #[serde(default)]
    back: String,
}

async fn status(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let f = form.into_inner();
    if !STATUSES.contains(&f.status.as_str()) {
        return Err(AppError::BadRequest("status".into()));
    }
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            if !store::can_edit(conn, &principal, &task)? {
                return Err(AppError::Forbidden);
            }
            write_transaction(conn, |c| store::set_status(c, &org, &task, &who, &f.status))?;
            let prefix = format!("/biuro/{}/zadania", org.slug);
            let to = if f.back.starts_with(&prefix) && !f.back.contains("//") {
                f.back
            } else {
                format!("{prefix}/{}", task.id)
            };
            Ok(Outcome::Done(to))
        })
        .await?;
    finish(&state, &ctx, out, "flash-tasks-status", true)
}

#[derive(Deserialize)]
struct DelegateForm {
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    note: String,
}

async fn delegate(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<DelegateForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let f = form.into_inner();
    let (st, c) = (state.clone(), ctx.clone());
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            let on = OnTask {
                state: &st,
                ctx: &c,
                org: &org,
                principal: &principal,
            };
            if !store::can_edit(conn, &principal, &task)? {
                return Err(AppError::Forbidden);
            }
            let note = f.note.trim().to_string();
            let drafts = Drafts {
                note: note.clone(),
                ..Drafts::default()
            };
            let Some(to) = Assignee::parse_in(conn, &org.id, &f.assignee)? else {
                return on.refuse(conn, task, ("assignee", "tasks-error-assignee"), drafts);
            };
            if note.chars().count() > MAX_TEXT {
                return on.refuse(conn, task, ("note", "tasks-error-text-long"), drafts);
            }
            write_transaction(conn, |c| store::delegate(c, &org, &task, &who, &to, &note))?;
            Ok(Outcome::Done(format!(
                "/biuro/{}/zadania/{}",
                org.slug, task.id
            )))
        })
        .await?;
    finish(&state, &ctx, out, "flash-tasks-delegated", true)
}

#[derive(Deserialize)]
struct ItemForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    assignee: String,
}

async fn item_add(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let f = form.into_inner();
    let (st, c) = (state.clone(), ctx.clone());
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            let on = OnTask {
                state: &st,
                ctx: &c,
                org: &org,
                principal: &principal,
            };
            if !store::can_edit(conn, &principal, &task)? {
                return Err(AppError::Forbidden);
            }
            let text = f.text.trim().to_string();
            let drafts = Drafts {
                item: text.clone(),
                ..Drafts::default()
            };
            if text.is_empty() || text.chars().count() > MAX_TITLE {
                return on.refuse(conn, task, ("item-text", "tasks-error-item"), drafts);
            }
            let assignee = match f.assignee.as_str() {
                "" => None,
                a if store::is_colleague(conn, &org.id, a)? => Some(a.to_string()),
                _ => {
                    return on.refuse(
                        conn,
                        task,
                        ("item-assignee", "tasks-error-assignee"),
                        drafts,
                    )
                }
            };
            write_transaction(conn, |c| {
                store::add_item(c, &org, &task, &who, &text, assignee.as_deref())
            })?;
            Ok(Outcome::Done(format!(
                "/biuro/{}/zadania/{}#checklist",
                org.slug, task.id
            )))
        })
        .await?;
    finish(&state, &ctx, out, "flash-tasks-item-added", true)
}

#[derive(Deserialize)]
struct ItemChange {
    /// `done`, `undone` or `assign`.
    action: String,
    #[serde(default)]
    assignee: String,
}

async fn item_change(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
    form: web::Form<ItemChange>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id, item_id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let f = form.into_inner();
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            let item = store::find_item(conn, &task.id, &item_id)?.ok_or(AppError::NotFound)?;
            let editor = store::can_edit(conn, &principal, &task)?;
            let own = item.assignee_user_id.as_deref() == Some(principal.user_id.as_str());
            match f.action.as_str() {
                "done" | "undone" if editor || own => {
                    let done = f.action == "done";
                    write_transaction(conn, |c| store::set_item_done(c, &task, &who, &item, done))?;
                }
                "assign" if editor => {
                    let to = match f.assignee.as_str() {
                        "" => None,
                        a if store::is_colleague(conn, &org.id, a)? => Some(a.to_string()),
                        _ => return Err(AppError::BadRequest("assignee".into())),
                    };
                    write_transaction(conn, |c| {
                        store::assign_item(c, &org, &task, &who, &item, to.as_deref())
                    })?;
                }
                "done" | "undone" | "assign" => return Err(AppError::Forbidden),
                _ => return Err(AppError::BadRequest("action".into())),
            }
            Ok(Outcome::Done(format!(
                "/biuro/{}/zadania/{}#checklist",
                org.slug, task.id
            )))
        })
        .await?;
    finish(&state, &ctx, out, "flash-tasks-item-saved", true)
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    body: String,
}

async fn comment(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<CommentForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let body = form.into_inner().body.trim().to_string();
    let (st, c) = (state.clone(), ctx.clone());
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            let on = OnTask {
                state: &st,
                ctx: &c,
                org: &org,
                principal: &principal,
            };
            if body.is_empty() || body.chars().count() > MAX_TEXT {
                let drafts = Drafts {
                    comment: body,
                    ..Drafts::default()
                };
                return on.refuse(conn, task, ("comment", "tasks-error-comment"), drafts);
            }
            write_transaction(conn, |c| store::comment(c, &org, &task, &who, &body))?;
            Ok(Outcome::Done(format!(
                "/biuro/{}/zadania/{}#comments",
                org.slug, task.id
            )))
        })
        .await?;
    finish(&state, &ctx, out, "flash-tasks-commented", true)
}

#[derive(Deserialize)]
struct WatchForm {
    /// `add` or `remove`.
    action: String,
    /// Someone else (only the task's creator may); empty for oneself.
    #[serde(default)]
    user: String,
}

async fn watch(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<WatchForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    let f = form.into_inner();
    let on = match f.action.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(AppError::BadRequest("action".into())),
    };
    let out = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            let user = if f.user.is_empty() || f.user == principal.user_id {
                principal.user_id.clone()
            } else if task.created_by != principal.user_id {
                return Err(AppError::Forbidden);
            } else if store::is_colleague(conn, &org.id, &f.user)? {
                f.user.clone()
            } else {
                return Err(AppError::BadRequest("user".into()));
            };
            write_transaction(conn, |c| store::set_watching(c, &task, &who, &user, on))?;
            Ok(Outcome::Done(format!(
                "/biuro/{}/zadania/{}#watchers",
                org.slug, task.id
            )))
        })
        .await?;
    finish(&state, &ctx, out, "flash-tasks-watchers", false)
}

/// A file name as it may be shown and offered for download: no folders, no control characters.
fn clean_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let s: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let s = s.trim().trim_start_matches('.').to_string();
    if s.is_empty() {
        "plik".into()
    } else {
        s
    }
}

enum Upload {
    File {
        name: String,
        content_type: String,
        /// The bytes, in a scratch file removed when dropped.
        path: tempfile::TempPath,
    },
    Missing,
    TooLarge,
}

/// Reads the form's `file` part to a scratch file (`platform::web::upload`), ignoring others.
async fn receive(state: &AppState, mut payload: Multipart) -> Result<Upload, AppError> {
    let mut got = Upload::Missing;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let sent = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_string();
        if field.name() != Some("file") || sent.is_empty() {
            while let Some(chunk) = field.next().await {
                chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
            }
            continue;
        }
        let content_type = field
            .content_type()
            .map(|m| m.essence_str().to_string())
            .unwrap_or_else(|| "application/octet-stream".into());
        got = match receive_file(state, &mut field, MAX_ATTACHMENT as u64).await? {
            // Read nothing more: dropping the payload ends the request.
            Received::TooLarge => return Ok(Upload::TooLarge),
            Received::File(path) | Received::Empty(path) => Upload::File {
                name: clean_name(&sent),
                content_type,
                path,
            },
        };
    }
    Ok(got)
}

async fn upload(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    let (slug, id) = path.into_inner();
    let principal = cu.principal.clone();
    let who = actor(&cu);
    // Access first: another office's official sends nothing into the store.
    let (p, s, i) = (principal.clone(), slug.clone(), id.clone());
    state
        .db
        .run(move |conn| office_task(conn, &p, &s, &i).map(|_| ()))
        .await?;
    let got = receive(&state, payload).await?;
    let (name, content_type, path) = match got {
        Upload::File {
            name,
            content_type,
            path,
        } => (name, content_type, path),
        Upload::Missing => {
            let key = "tasks-error-no-file";
            return upload_refused(
                &state,
                &ctx,
                principal,
                slug,
                id,
                key,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Upload::TooLarge => {
            let key = "tasks-error-file-too-large";
            return upload_refused(
                &state,
                &ctx,
                principal,
                slug,
                id,
                key,
                StatusCode::PAYLOAD_TOO_LARGE,
            )
            .await;
        }
    };
    let store_dir = state.config.data_dir.clone();
    let (sha, size, _) =
        web::block(move || BlobStore::new(&store_dir).put_reader(std::fs::File::open(&path)?))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
    let size = i64::try_from(size).map_err(AppError::internal)?;
    let to = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            write_transaction(conn, |c| {
                store::add_attachment(c, &task, &who, &name, &content_type, size, &sha)
            })?;
            Ok(format!(
                "/biuro/{}/zadania/{}#attachments",
                org.slug, task.id
            ))
        })
        .await?;
    Ok(see_other(&state, &to, Some("flash-tasks-attached")))
}

/// The task page with the upload's error: 422 for no file, 413 for one over the limit.
async fn upload_refused(
    state: &web::Data<AppState>,
    ctx: &RequestContext,
    principal: Principal,
    slug: String,
    id: String,
    key: &'static str,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (st, c) = (state.clone(), ctx.clone());
    let page = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (org, task) = office_task(conn, &principal, &slug, &id)?;
            let mut errors = FormErrors::default();
            errors.add("file", key);
            let e = errors.translate(&st, c.lang);
            task_page(&st, &c, conn, &org, &principal, task, e, Drafts::default())
        })
        .await?;
    render_page(state, ctx, "office/tasks/task.html", &page, status)
}

async fn download(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, _) = signed;
    let (slug, id, file) = path.into_inner();
    let principal = cu.principal.clone();
    let att = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (_, task) = office_task(conn, &principal, &slug, &id)?;
            store::find_attachment(conn, &task.id, &file)?.ok_or(AppError::NotFound)
        })
        .await?;
    let store_dir = state.config.data_dir.clone();
    let sha = att.sha256.clone();
    let bytes = web::block(move || std::fs::read(BlobStore::new(&store_dir).path(&sha)?))
        .await
        .map_err(AppError::internal)?
        .map_err(|_| AppError::NotFound)?;
    let ascii: String = att
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = header::ContentDisposition {
        disposition: header::DispositionType::Attachment,
        parameters: vec![
            header::DispositionParam::Filename(ascii),
            header::DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: att.name.into_bytes(),
            }),
        ],
    };
    Ok(HttpResponse::Ok()
        .content_type(att.content_type)
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}
