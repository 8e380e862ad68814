//! Tasks in the database: every change is one function that also writes the task's history and
//! tells the people involved (inside the caller's write transaction, so a notice exists exactly
//! when its change was committed).

use chrono::{NaiveDateTime, NaiveTime, Timelike};
use diesel::prelude::*;
use platform::access::{Permission, Principal};
use platform::db::schema::{departments, memberships, users};
use platform::db::DbConn;
use platform::models::organisation::Organisation;
use platform::models::{new_id, now};

use super::recurrence::Rule;
use crate::notifications::{notify, Kind, Notice};
use crate::page::{colleagues, local};
use crate::schema::{
    office_notifications, office_task_attachments, office_task_checklist, office_task_comments,
    office_task_history, office_task_watchers, office_tasks,
};

pub const STATUSES: [&str; 5] = ["new", "in_progress", "waiting", "done", "cancelled"];
pub const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

/// Done and cancelled tasks are closed: not overdue, not reminded, and closing one of a
/// recurring series creates the next occurrence.
pub fn is_closed(status: &str) -> bool {
    matches!(status, "done" | "cancelled")
}

/// A due date without a time is stored as the last second of that local day: forms only give
/// whole minutes, so 23:59:59 cannot come from a form with a time and marks "date only".
pub const DATE_ONLY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(t) => t,
    None => panic!(),
};

pub fn is_date_only(due: NaiveDateTime) -> bool {
    local(due).time() == DATE_ONLY
}

/// A due instant from a form's local date and optional `HH:MM`.
pub fn due_from_form(date: &str, time: &str) -> Option<NaiveDateTime> {
    let d = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let t = if time.trim().is_empty() {
        DATE_ONLY
    } else {
        NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?
    };
    Some(crate::booking::slots::instant(d, t).naive_utc())
}

/// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`, local, as people read a due date.
pub fn due_text(due: NaiveDateTime) -> String {
    let l = local(due);
    if l.time() == DATE_ONLY {
        l.format("%Y-%m-%d").to_string()
    } else {
        l.with_second(0)
            .unwrap_or(l)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = office_tasks)]
pub struct Task {
    pub id: String,
    pub organisation_id: String,
    pub title: String,
    pub description: String,
    pub created_by: String,
    pub delegated_by: Option<String>,
    pub assignee_user_id: Option<String>,
    pub assignee_department_id: Option<String>,
    pub due_at: Option<NaiveDateTime>,
    pub priority: String,
    pub status: String,
    pub recurrence: Option<String>,
    pub series_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

impl Task {
    pub fn assignee(&self) -> Option<Assignee> {
        match (&self.assignee_user_id, &self.assignee_department_id) {
            (Some(u), _) => Some(Assignee::User(u.clone())),
            (None, Some(d)) => Some(Assignee::Department(d.clone())),
            _ => None,
        }
    }
}

/// Who a task is assigned to: a colleague or a whole department of the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    User(String),
    Department(String),
}

impl Assignee {
    /// The form value: `u:<user id>` or `d:<department id>`.
    pub fn code(&self) -> String {
        match self {
            Assignee::User(u) => format!("u:{u}"),
            Assignee::Department(d) => format!("d:{d}"),
        }
    }

    /// Reads a form value, accepting only colleagues and departments of this office.
    pub fn parse_in(conn: &mut DbConn, org_id: &str, code: &str) -> QueryResult<Option<Assignee>> {
        Ok(match code.split_once(':') {
            Some(("u", id)) if is_colleague(conn, org_id, id)? => Some(Assignee::User(id.into())),
            Some(("d", id)) => {
                let n: i64 = departments::table
                    .filter(departments::id.eq(id))
                    .filter(departments::organisation_id.eq(org_id))
                    .count()
                    .get_result(conn)?;
                (n == 1).then(|| Assignee::Department(id.into()))
            }
            _ => None,
        })
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Assignee::User(u) => (Some(u.as_str()), None),
            Assignee::Department(d) => (None, Some(d.as_str())),
        }
    }
}

pub fn is_colleague(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<bool> {
    Ok(colleagues(conn, org_id)?
        .iter()
        .any(|m| m.user_id == user_id))
}

/// The person's department in this office, if any.
pub fn department_of(
    conn: &mut DbConn,
    org_id: &str,
    user_id: &str,
) -> QueryResult<Option<String>> {
    Ok(memberships::table
        .filter(memberships::organisation_id.eq(org_id))
        .filter(memberships::user_id.eq(user_id))
        .select(memberships::department_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// The officials of a department (who a department task reaches).
pub fn department_members(conn: &mut DbConn, org_id: &str, dept: &str) -> QueryResult<Vec<String>> {
    Ok(colleagues(conn, org_id)?
        .into_iter()
        .filter(|m| m.department_id.as_deref() == Some(dept))
        .map(|m| m.user_id)
        .collect())
}

pub fn user_name(conn: &mut DbConn, id: &str) -> QueryResult<String> {
    Ok(users::table
        .find(id)
        .select(users::full_name)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

pub fn department_name(conn: &mut DbConn, id: &str) -> QueryResult<String> {
    Ok(departments::table
        .find(id)
        .select(departments::name)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

pub fn assignee_name(conn: &mut DbConn, a: &Assignee) -> QueryResult<String> {
    match a {
        Assignee::User(u) => user_name(conn, u),
        Assignee::Department(d) => department_name(conn, d),
    }
}

/// The task with this id in this office; a task of another office is "not found".
pub fn find(conn: &mut DbConn, org_id: &str, id: &str) -> QueryResult<Option<Task>> {
    office_tasks::table
        .filter(office_tasks::id.eq(id))
        .filter(office_tasks::organisation_id.eq(org_id))
        .select(Task::as_select())
        .first(conn)
        .optional()
}

/// Who may change a task (edit, delegate, change status, manage the checklist): its creator,
/// who delegated it, its assignee (or an official of the assigned department) and the office's
/// administrators. Everyone in the office may read, comment and watch.
pub fn can_edit(conn: &mut DbConn, principal: &Principal, task: &Task) -> QueryResult<bool> {
    let me = principal.user_id.as_str();
    if task.created_by == me
        || task.delegated_by.as_deref() == Some(me)
        || task.assignee_user_id.as_deref() == Some(me)
        || principal.can(&task.organisation_id, Permission::ManageOrganisation)
    {
        return Ok(true);
    }
    match &task.assignee_department_id {
        Some(d) => Ok(department_of(conn, &task.organisation_id, me)?.as_deref() == Some(d)),
        None => Ok(false),
    }
}

/// The person doing something.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
}

fn history(
    conn: &mut DbConn,
    task_id: &str,
    actor: &Actor,
    kind: &str,
    old: Option<&str>,
    new: Option<&str>,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(office_task_history::table)
        .values((
            office_task_history::id.eq(new_id()),
            office_task_history::task_id.eq(task_id),
            office_task_history::actor_id.eq(&actor.id),
            office_task_history::kind.eq(kind),
            office_task_history::old_value.eq(old),
            office_task_history::new_value.eq(new),
            office_task_history::note.eq(note),
            office_task_history::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The people an assignee stands for: the person, or every official of the department.
pub fn reached_by(
    conn: &mut DbConn,
    org_id: &str,
    a: Option<&Assignee>,
) -> QueryResult<Vec<String>> {
    Ok(match a {
        Some(Assignee::User(u)) => vec![u.clone()],
        Some(Assignee::Department(d)) => department_members(conn, org_id, d)?,
        None => vec![],
    })
}

pub fn watchers(conn: &mut DbConn, task_id: &str) -> QueryResult<Vec<String>> {
    office_task_watchers::table
        .filter(office_task_watchers::task_id.eq(task_id))
        .select(office_task_watchers::user_id)
        .load(conn)
}

pub fn task_link(org: &Organisation, task_id: &str) -> String {
    format!("/biuro/{}/zadania/{task_id}", org.slug)
}

/// Marks a person's unread notices about one page (a task) read, when they open it. Skips the
/// write when there is nothing unread, so an ordinary page view stays a read.
pub fn mark_read(conn: &mut DbConn, user_id: &str, link: &str) -> QueryResult<()> {
    let unread = office_notifications::table
        .filter(office_notifications::user_id.eq(user_id))
        .filter(office_notifications::link.eq(link))
        .filter(office_notifications::read_at.is_null());
    let n: i64 = unread.count().get_result(conn)?;
    if n > 0 {
        platform::db::write_transaction(conn, |c| {
            diesel::update(unread)
                .set(office_notifications::read_at.eq(now()))
                .execute(c)
        })?;
    }
    Ok(())
}

/// Tells each person once, never the actor. Returns how many notices were stored.
pub fn tell(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    kind: Kind,
    people: Vec<String>,
    actor: Option<&Actor>,
) -> QueryResult<usize> {
    let mut seen: Vec<String> = Vec::new();
    let link = task_link(org, &task.id);
    let mut stored = 0;
    for p in people {
        if actor.is_some_and(|a| a.id == p) || seen.contains(&p) {
            continue;
        }
        let dedupe = match kind {
            Kind::DueTomorrow | Kind::Overdue => task.due_at.map(|d| {
                format!(
                    "{}:{}:{}",
                    kind.as_str(),
                    task.id,
                    d.format("%Y%m%dT%H%M%S")
                )
            }),
            _ => None,
        };
        if notify(
            conn,
            &Notice {
                user_id: &p,
                organisation_id: Some(&org.id),
                kind,
                subject: &task.title,
                link: &link,
                actor_name: actor.map(|a| a.name.as_str()),
                dedupe_key: dedupe.as_deref(),
            },
        )? {
            stored += 1;
        }
        seen.push(p);
    }
    Ok(stored)
}

/// Everyone who follows a task: its assignee(s), watchers and creator.
pub fn involved(conn: &mut DbConn, task: &Task) -> QueryResult<Vec<String>> {
    let mut people = reached_by(conn, &task.organisation_id, task.assignee().as_ref())?;
    people.extend(watchers(conn, &task.id)?);
    people.push(task.created_by.clone());
    Ok(people)
}

pub struct NewTask {
    pub title: String,
    pub description: String,
    pub assignee: Option<Assignee>,
    pub due_at: Option<NaiveDateTime>,
    pub priority: String,
    pub recurrence: Option<Rule>,
}

/// Creates a task (assigned by its creator) and tells the assignee.
pub fn create(
    conn: &mut DbConn,
    org: &Organisation,
    actor: &Actor,
    t: &NewTask,
) -> QueryResult<String> {
    let id = new_id();
    let (au, ad) = t
        .assignee
        .as_ref()
        .map(|a| a.columns())
        .unwrap_or((None, None));
    let at = now();
    let rrule = t
        .recurrence
        .filter(|_| t.due_at.is_some())
        .map(|r| r.to_rrule());
    diesel::insert_into(office_tasks::table)
        .values((
            office_tasks::id.eq(&id),
            office_tasks::organisation_id.eq(&org.id),
            office_tasks::title.eq(&t.title),
            office_tasks::description.eq(&t.description),
            office_tasks::created_by.eq(&actor.id),
            office_tasks::delegated_by.eq(t.assignee.as_ref().map(|_| actor.id.as_str())),
            office_tasks::assignee_user_id.eq(au),
            office_tasks::assignee_department_id.eq(ad),
            office_tasks::due_at.eq(t.due_at),
            office_tasks::priority.eq(&t.priority),
            office_tasks::status.eq("new"),
            office_tasks::series_id.eq(rrule.as_ref().map(|_| id.as_str())),
            office_tasks::recurrence.eq(&rrule),
            office_tasks::created_at.eq(at),
            office_tasks::updated_at.eq(at),
        ))
        .execute(conn)?;
    history(conn, &id, actor, "created", None, Some(&t.title), "")?;
    if let Some(a) = &t.assignee {
        history(conn, &id, actor, "assigned", None, Some(&a.code()), "")?;
    }
    let task = find(conn, &org.id, &id)?.ok_or(diesel::result::Error::NotFound)?;
    let people = reached_by(conn, &org.id, t.assignee.as_ref())?;
    tell(conn, org, &task, Kind::Assigned, people, Some(actor))?;
    Ok(id)
}

/// The editable fields of a task.
pub struct Edit {
    pub title: String,
    pub description: String,
    pub priority: String,
    pub due_at: Option<NaiveDateTime>,
    pub recurrence: Option<Rule>,
}

/// Saves the task's fields, with one history line per kind of change (title or description,
/// priority, due date, repetition).
pub fn edit(conn: &mut DbConn, task: &Task, actor: &Actor, e: &Edit) -> QueryResult<()> {
    let id = task.id.as_str();
    if e.title != task.title || e.description != task.description {
        history(
            conn,
            id,
            actor,
            "edited",
            Some(&task.title),
            Some(&e.title),
            "",
        )?;
    }
    if e.priority != task.priority {
        history(
            conn,
            id,
            actor,
            "priority",
            Some(&task.priority),
            Some(&e.priority),
            "",
        )?;
    }
    if e.due_at != task.due_at {
        history(
            conn,
            id,
            actor,
            "due",
            task.due_at.map(due_text).as_deref(),
            e.due_at.map(due_text).as_deref(),
            "",
        )?;
    }
    let rrule = e
        .recurrence
        .filter(|_| e.due_at.is_some())
        .map(|r| r.to_rrule());
    if rrule != task.recurrence {
        history(
            conn,
            id,
            actor,
            "recurrence",
            task.recurrence.as_deref(),
            rrule.as_deref(),
            "",
        )?;
    }
    let series = match (&rrule, &task.series_id) {
        (Some(_), None) => Some(task.id.clone()),
        (_, s) => s.clone(),
    };
    diesel::update(office_tasks::table.find(id))
        .set((
            office_tasks::title.eq(&e.title),
            office_tasks::description.eq(&e.description),
            office_tasks::priority.eq(&e.priority),
            office_tasks::due_at.eq(e.due_at),
            office_tasks::recurrence.eq(&rrule),
            office_tasks::series_id.eq(series),
            office_tasks::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Hands the task to someone else with a note; the actor becomes its delegator. The new
/// assignee, the previous one, watchers and the creator are told.
pub fn delegate(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    actor: &Actor,
    to: &Assignee,
    note: &str,
) -> QueryResult<()> {
    let before = task.assignee();
    let (au, ad) = to.columns();
    diesel::update(office_tasks::table.find(&task.id))
        .set((
            office_tasks::assignee_user_id.eq(au),
            office_tasks::assignee_department_id.eq(ad),
            office_tasks::delegated_by.eq(&actor.id),
            office_tasks::updated_at.eq(now()),
        ))
        .execute(conn)?;
    history(
        conn,
        &task.id,
        actor,
        "delegated",
        before.as_ref().map(|a| a.code()).as_deref(),
        Some(&to.code()),
        note,
    )?;
    let task = find(conn, &org.id, &task.id)?.ok_or(diesel::result::Error::NotFound)?;
    let mut people = reached_by(conn, &org.id, Some(to))?;
    people.extend(reached_by(conn, &org.id, before.as_ref())?);
    people.extend(watchers(conn, &task.id)?);
    people.push(task.created_by.clone());
    tell(conn, org, &task, Kind::Delegated, people, Some(actor))?;
    Ok(())
}

/// Changes the status. Closing an occurrence of a recurring task creates the next one: the
/// status change is guarded (only the request that really closes it goes on), and the unique
/// index on (series, due time) keeps the next occurrence single even across reopening.
/// Returns whether the status changed.
pub fn set_status(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    actor: &Actor,
    status: &str,
) -> QueryResult<bool> {
    let at = now();
    let changed = diesel::update(
        office_tasks::table
            .filter(office_tasks::id.eq(&task.id))
            .filter(office_tasks::status.ne(status)),
    )
    .set((
        office_tasks::status.eq(status),
        office_tasks::updated_at.eq(at),
        office_tasks::completed_at.eq(is_closed(status).then_some(at)),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    history(
        conn,
        &task.id,
        actor,
        "status",
        Some(&task.status),
        Some(status),
        "",
    )?;
    if is_closed(status) && !is_closed(&task.status) {
        next_occurrence(conn, org, task, actor)?;
    }
    Ok(true)
}

/// Creates the occurrence after `task` of its series, if it has a rule and a due time and
/// that occurrence does not exist yet. Returns its id if it was created now.
pub fn next_occurrence(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    actor: &Actor,
) -> QueryResult<Option<String>> {
    let (Some(rule), Some(due), Some(series)) = (
        task.recurrence.as_deref().and_then(Rule::parse),
        task.due_at,
        task.series_id.as_deref(),
    ) else {
        return Ok(None);
    };
    let Some(next_due) = rule.next_after(due) else {
        return Ok(None);
    };
    let id = new_id();
    let at = now();
    let row = (
        office_tasks::id.eq(id.clone()),
        office_tasks::organisation_id.eq(task.organisation_id.clone()),
        office_tasks::title.eq(task.title.clone()),
        office_tasks::description.eq(task.description.clone()),
        office_tasks::created_by.eq(task.created_by.clone()),
        office_tasks::delegated_by.eq(task.delegated_by.clone()),
        office_tasks::assignee_user_id.eq(task.assignee_user_id.clone()),
        office_tasks::assignee_department_id.eq(task.assignee_department_id.clone()),
        office_tasks::due_at.eq(Some(next_due)),
        office_tasks::priority.eq(task.priority.clone()),
        office_tasks::status.eq("new"),
        office_tasks::recurrence.eq(task.recurrence.clone()),
        office_tasks::series_id.eq(Some(series.to_string())),
        office_tasks::created_at.eq(at),
        office_tasks::updated_at.eq(at),
    );
    let inserted = platform::with_backend!(conn, |c| diesel::insert_into(office_tasks::table)
        .values(row.clone())
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 0 {
        return Ok(None);
    }
    history(
        conn,
        &id,
        actor,
        "recurred",
        None,
        Some(&due_text(next_due)),
        "",
    )?;
    // The checklist starts again unticked; watchers keep watching.
    let items: Vec<(i32, String, Option<String>)> = office_task_checklist::table
        .filter(office_task_checklist::task_id.eq(&task.id))
        .order(office_task_checklist::position.asc())
        .select((
            office_task_checklist::position,
            office_task_checklist::text,
            office_task_checklist::assignee_user_id,
        ))
        .load(conn)?;
    for (pos, text, who) in items {
        diesel::insert_into(office_task_checklist::table)
            .values((
                office_task_checklist::id.eq(new_id()),
                office_task_checklist::task_id.eq(&id),
                office_task_checklist::position.eq(pos),
                office_task_checklist::text.eq(text),
                office_task_checklist::done.eq(false),
                office_task_checklist::assignee_user_id.eq(who),
                office_task_checklist::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    for w in watchers(conn, &task.id)? {
        diesel::insert_into(office_task_watchers::table)
            .values((
                office_task_watchers::task_id.eq(&id),
                office_task_watchers::user_id.eq(w),
            ))
            .execute(conn)?;
    }
    let next = find(conn, &org.id, &id)?.ok_or(diesel::result::Error::NotFound)?;
    let people = reached_by(conn, &org.id, next.assignee().as_ref())?;
    tell(conn, org, &next, Kind::Assigned, people, Some(actor))?;
    Ok(Some(id))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = office_task_checklist)]
pub struct Item {
    pub id: String,
    pub task_id: String,
    pub position: i32,
    pub text: String,
    pub done: bool,
    pub assignee_user_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn checklist(conn: &mut DbConn, task_id: &str) -> QueryResult<Vec<Item>> {
    office_task_checklist::table
        .filter(office_task_checklist::task_id.eq(task_id))
        .order((
            office_task_checklist::position.asc(),
            office_task_checklist::created_at.asc(),
        ))
        .select(Item::as_select())
        .load(conn)
}

pub fn find_item(conn: &mut DbConn, task_id: &str, item: &str) -> QueryResult<Option<Item>> {
    office_task_checklist::table
        .filter(office_task_checklist::id.eq(item))
        .filter(office_task_checklist::task_id.eq(task_id))
        .select(Item::as_select())
        .first(conn)
        .optional()
}

/// Adds a checklist item, optionally assigned to a colleague (who is told).
pub fn add_item(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    actor: &Actor,
    text: &str,
    assignee: Option<&str>,
) -> QueryResult<()> {
    let pos: Option<i32> = office_task_checklist::table
        .filter(office_task_checklist::task_id.eq(&task.id))
        .select(diesel::dsl::max(office_task_checklist::position))
        .first(conn)?;
    diesel::insert_into(office_task_checklist::table)
        .values((
            office_task_checklist::id.eq(new_id()),
            office_task_checklist::task_id.eq(&task.id),
            office_task_checklist::position.eq(pos.unwrap_or(0) + 1),
            office_task_checklist::text.eq(text),
            office_task_checklist::done.eq(false),
            office_task_checklist::assignee_user_id.eq(assignee),
            office_task_checklist::created_at.eq(now()),
        ))
        .execute(conn)?;
    history(
        conn,
        &task.id,
        actor,
        "checklist_added",
        None,
        Some(text),
        "",
    )?;
    if let Some(a) = assignee {
        history(
            conn,
            &task.id,
            actor,
            "checklist_assigned",
            Some(text),
            Some(a),
            "",
        )?;
        tell(
            conn,
            org,
            task,
            Kind::Assigned,
            vec![a.to_string()],
            Some(actor),
        )?;
    }
    Ok(())
}

pub fn set_item_done(
    conn: &mut DbConn,
    task: &Task,
    actor: &Actor,
    item: &Item,
    done: bool,
) -> QueryResult<()> {
    let n = diesel::update(
        office_task_checklist::table
            .filter(office_task_checklist::id.eq(&item.id))
            .filter(office_task_checklist::done.ne(done)),
    )
    .set(office_task_checklist::done.eq(done))
    .execute(conn)?;
    if n > 0 {
        let kind = if done {
            "checklist_done"
        } else {
            "checklist_undone"
        };
        history(conn, &task.id, actor, kind, None, Some(&item.text), "")?;
    }
    Ok(())
}

pub fn assign_item(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    actor: &Actor,
    item: &Item,
    to: Option<&str>,
) -> QueryResult<()> {
    if item.assignee_user_id.as_deref() == to {
        return Ok(());
    }
    diesel::update(office_task_checklist::table.find(&item.id))
        .set(office_task_checklist::assignee_user_id.eq(to))
        .execute(conn)?;
    history(
        conn,
        &task.id,
        actor,
        "checklist_assigned",
        Some(&item.text),
        to,
        "",
    )?;
    if let Some(a) = to {
        tell(
            conn,
            org,
            task,
            Kind::Assigned,
            vec![a.to_string()],
            Some(actor),
        )?;
    }
    Ok(())
}

/// A comment; everyone involved but its author is told.
pub fn comment(
    conn: &mut DbConn,
    org: &Organisation,
    task: &Task,
    actor: &Actor,
    body: &str,
) -> QueryResult<()> {
    diesel::insert_into(office_task_comments::table)
        .values((
            office_task_comments::id.eq(new_id()),
            office_task_comments::task_id.eq(&task.id),
            office_task_comments::author_id.eq(&actor.id),
            office_task_comments::body.eq(body),
            office_task_comments::created_at.eq(now()),
        ))
        .execute(conn)?;
    let people = involved(conn, task)?;
    tell(conn, org, task, Kind::Comment, people, Some(actor))?;
    Ok(())
}

pub fn set_watching(
    conn: &mut DbConn,
    task: &Task,
    actor: &Actor,
    user_id: &str,
    on: bool,
) -> QueryResult<()> {
    let n = if on {
        let row = (
            office_task_watchers::task_id.eq(task.id.clone()),
            office_task_watchers::user_id.eq(user_id.to_string()),
        );
        platform::with_backend!(conn, |c| diesel::insert_into(office_task_watchers::table)
            .values(row.clone())
            .on_conflict_do_nothing()
            .execute(c))?
    } else {
        diesel::delete(office_task_watchers::table.find((&task.id, user_id))).execute(conn)?
    };
    if n > 0 {
        let kind = if on {
            "watcher_added"
        } else {
            "watcher_removed"
        };
        history(conn, &task.id, actor, kind, None, Some(user_id), "")?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = office_task_attachments)]
pub struct Attachment {
    pub id: String,
    pub task_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn attachments(conn: &mut DbConn, task_id: &str) -> QueryResult<Vec<Attachment>> {
    office_task_attachments::table
        .filter(office_task_attachments::task_id.eq(task_id))
        .order(office_task_attachments::created_at.asc())
        .select(Attachment::as_select())
        .load(conn)
}

pub fn find_attachment(
    conn: &mut DbConn,
    task_id: &str,
    id: &str,
) -> QueryResult<Option<Attachment>> {
    office_task_attachments::table
        .filter(office_task_attachments::id.eq(id))
        .filter(office_task_attachments::task_id.eq(task_id))
        .select(Attachment::as_select())
        .first(conn)
        .optional()
}

pub fn add_attachment(
    conn: &mut DbConn,
    task: &Task,
    actor: &Actor,
    name: &str,
    content_type: &str,
    size: i64,
    sha256: &str,
) -> QueryResult<()> {
    diesel::insert_into(office_task_attachments::table)
        .values((
            office_task_attachments::id.eq(new_id()),
            office_task_attachments::task_id.eq(&task.id),
            office_task_attachments::name.eq(name),
            office_task_attachments::content_type.eq(content_type),
            office_task_attachments::size.eq(size),
            office_task_attachments::sha256.eq(sha256),
            office_task_attachments::uploaded_by.eq(&actor.id),
            office_task_attachments::created_at.eq(now()),
        ))
        .execute(conn)?;
    history(conn, &task.id, actor, "attachment", None, Some(name), "")
}

/// Full names of these people (the kernel's users table cannot join the office's).
pub fn names_of(
    conn: &mut DbConn,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub kind: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub actor_name: Option<String>,
}

pub fn history_of(conn: &mut DbConn, task_id: &str) -> QueryResult<Vec<HistoryRow>> {
    type Raw = (
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Raw> = office_task_history::table
        .filter(office_task_history::task_id.eq(task_id))
        .order(office_task_history::created_at.asc())
        .select((
            office_task_history::actor_id,
            office_task_history::kind,
            office_task_history::old_value,
            office_task_history::new_value,
            office_task_history::note,
            office_task_history::created_at,
        ))
        .load(conn)?;
    let ids: Vec<String> = rows.iter().filter_map(|r| r.0.clone()).collect();
    let names = names_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(
            |(actor, kind, old_value, new_value, note, created_at)| HistoryRow {
                actor_name: actor.and_then(|a| names.get(&a).cloned()),
                kind,
                old_value,
                new_value,
                note,
                created_at,
            },
        )
        .collect())
}

#[derive(Debug, Clone)]
pub struct CommentRow {
    pub body: String,
    pub created_at: NaiveDateTime,
    pub author: Option<String>,
}

pub fn comments(conn: &mut DbConn, task_id: &str) -> QueryResult<Vec<CommentRow>> {
    let rows: Vec<(Option<String>, String, NaiveDateTime)> = office_task_comments::table
        .filter(office_task_comments::task_id.eq(task_id))
        .order(office_task_comments::created_at.asc())
        .select((
            office_task_comments::author_id,
            office_task_comments::body,
            office_task_comments::created_at,
        ))
        .load(conn)?;
    let ids: Vec<String> = rows.iter().filter_map(|r| r.0.clone()).collect();
    let names = names_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(a, body, created_at)| CommentRow {
            author: a.and_then(|a| names.get(&a).cloned()),
            body,
            created_at,
        })
        .collect())
}

/// The lists of the tasks page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Assigned to me or to my department.
    Mine,
    /// Handed by me to someone else.
    Delegated,
    /// A department's board: assigned to the department or one of its officials.
    Department,
    /// Open and past their due time, in the whole office.
    Overdue,
    /// Every task of the office.
    All,
}

impl View {
    pub fn parse(s: &str) -> Option<View> {
        match s {
            "" | "moje" => Some(View::Mine),
            "zlecone" => Some(View::Delegated),
            "dzial" => Some(View::Department),
            "zalegle" => Some(View::Overdue),
            "wszystkie" => Some(View::All),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            View::Mine => "moje",
            View::Delegated => "zlecone",
            View::Department => "dzial",
            View::Overdue => "zalegle",
            View::All => "wszystkie",
        }
    }
}

/// Tasks of one view. `status`: one status, `open` (not closed) or `all`. `dept` names the
/// board's department.
pub fn list(
    conn: &mut DbConn,
    org_id: &str,
    me: &str,
    view: View,
    dept: Option<&str>,
    status: &str,
    at: NaiveDateTime,
) -> QueryResult<Vec<Task>> {
    let mut q = office_tasks::table
        .filter(office_tasks::organisation_id.eq(org_id))
        .select(Task::as_select())
        .into_boxed();
    match view {
        View::Mine => {
            let my_dept = department_of(conn, org_id, me)?;
            q = match my_dept {
                Some(d) => q.filter(
                    office_tasks::assignee_user_id
                        .eq(me)
                        .or(office_tasks::assignee_department_id.eq(d)),
                ),
                None => q.filter(office_tasks::assignee_user_id.eq(me)),
            };
        }
        View::Delegated => {
            q = q.filter(office_tasks::delegated_by.eq(me)).filter(
                office_tasks::assignee_user_id
                    .ne(me)
                    .or(office_tasks::assignee_user_id.is_null()),
            );
        }
        View::Department => {
            let d = dept.unwrap_or("");
            let people = department_members(conn, org_id, d)?;
            q = q.filter(
                office_tasks::assignee_department_id
                    .eq(d)
                    .or(office_tasks::assignee_user_id.eq_any(people)),
            );
        }
        View::Overdue => {
            q = q
                .filter(office_tasks::due_at.lt(at))
                .filter(office_tasks::status.ne_all(["done", "cancelled"]));
        }
        View::All => {}
    }
    q = match status {
        "all" => q,
        "open" => q.filter(office_tasks::status.ne_all(["done", "cancelled"])),
        s => q.filter(office_tasks::status.eq(s.to_string())),
    };
    q.order((
        office_tasks::due_at.is_null(),
        office_tasks::due_at.asc(),
        office_tasks::created_at.asc(),
    ))
    .load(conn)
}

/// Open tasks due on the local day after `at`'s (due tomorrow) and open tasks past their due
/// time (overdue, looking back 30 days), with one notice per person and due time: the dedupe
/// key makes running this every minute, on several nodes at once, safe. Returns the notices
/// stored.
pub fn remind(conn: &mut DbConn, at: NaiveDateTime) -> QueryResult<usize> {
    let today = local(at).date_naive();
    let tomorrow = today.succ_opt().unwrap_or(today);
    let from = crate::booking::slots::instant(tomorrow, NaiveTime::MIN).naive_utc();
    let to =
        crate::booking::slots::instant(tomorrow.succ_opt().unwrap_or(tomorrow), NaiveTime::MIN)
            .naive_utc();
    let soon: Vec<Task> = office_tasks::table
        .filter(office_tasks::due_at.ge(from))
        .filter(office_tasks::due_at.lt(to))
        .filter(office_tasks::status.ne_all(["done", "cancelled"]))
        .select(Task::as_select())
        .load(conn)?;
    let late: Vec<Task> = office_tasks::table
        .filter(office_tasks::due_at.lt(at))
        .filter(office_tasks::due_at.ge(at - chrono::Duration::days(30)))
        .filter(office_tasks::status.ne_all(["done", "cancelled"]))
        .select(Task::as_select())
        .load(conn)?;
    let mut stored = 0;
    for (kind, tasks) in [(Kind::DueTomorrow, soon), (Kind::Overdue, late)] {
        for task in tasks {
            let Some(org) =
                platform::models::organisation::find_by_id(conn, &task.organisation_id)?
            else {
                continue;
            };
            let mut people = reached_by(conn, &org.id, task.assignee().as_ref())?;
            if people.is_empty() {
                people.push(task.created_by.clone());
            }
            stored += tell(conn, &org, &task, kind, people, None)?;
        }
    }
    Ok(stored)
}
