//! Course teams: roles per course on top of the office roles (issue 6, item 5).
//!
//! The rules:
//! - Office roles work as before: the office's Administrators and Authors may author every
//!   course of their office ([`Permission::AuthorCourses`]); platform administrators may do
//!   everything.
//! - A course team adds per-course roles, for **members of the course's office** only (a person
//!   with at least one role in it; anyone else is refused with a form error). A team role stops
//!   counting as soon as the person leaves the office, without touching the team:
//!   - `admin`: everything on that course, including managing its team;
//!   - `author`: edit the content and settings, like an office Author, but only this course;
//!   - `staff`: the course's learner-facing staff pages (certificates list and revocation, poll
//!     CSV, survey results, learners' exam results), but not Studio (403 there).
//! - Studio course handlers go through `web::authorised_course`, which accepts office
//!   authors/administrators, platform administrators and team `admin`/`author`. It reads the team
//!   (one lookup by primary key) only when the office roles do not already allow the course.
//! - The learner side (`lms::learning::access::is_staff`) accepts all three team roles: the
//!   learner course cache keeps each course's team ([`members`]) and re-reads it with the course,
//!   at most every 2 s, so a staff page costs no extra query.
//! - The team page (`/studio/kursy/{id}/zespol`) is shown to everyone who may author the course;
//!   it may be changed by office Administrators, platform administrators and the course's team
//!   `admin`s.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use platform::access::{Permission, Principal};
use platform::db::DbConn;
use platform::models::{now, user};
use platform::web::render::{render, render_page, see_other, FieldError, FormErrors};
use platform::web::{AppError, AppState, SignedIn};
use serde::{Deserialize, Serialize};

use crate::store::{self, CourseRow};
use crate::web::require_author;

diesel::table! {
    course_team (course_id, user_id) {
        course_id -> Text,
        user_id -> Text,
        role -> Text,
        added_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

/// A person's role on one course's team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    Admin,
    Author,
    Staff,
}

impl TeamRole {
    pub const ALL: [TeamRole; 3] = [TeamRole::Admin, TeamRole::Author, TeamRole::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Admin => "admin",
            TeamRole::Author => "author",
            TeamRole::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<TeamRole> {
        TeamRole::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role may edit the course in Studio.
    pub fn edits(self) -> bool {
        matches!(self, TeamRole::Admin | TeamRole::Author)
    }
}

/// How a person reaches a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseAccess {
    /// A platform administrator, or an Author/Administrator of the course's office.
    Office,
    /// Through the course's team.
    Team(TeamRole),
}

impl CourseAccess {
    /// Whether Studio's course pages are open to this access.
    pub fn edits(self) -> bool {
        match self {
            CourseAccess::Office => true,
            CourseAccess::Team(r) => r.edits(),
        }
    }
}

/// Whether the office roles alone let this person author the course.
pub fn office_authors(principal: &Principal, organisation_id: Option<&str>) -> bool {
    principal.is_platform_admin
        || organisation_id.is_some_and(|o| principal.can(o, Permission::AuthorCourses))
}

/// Whether a team role of this person counts for a course of this office: team roles are for
/// members of the course's office only.
pub fn team_counts(principal: &Principal, organisation_id: Option<&str>) -> bool {
    organisation_id.is_some_and(|o| !principal.roles_in(o).is_empty())
}

/// How this person reaches the course, if at all. At most one query (by primary key), and none
/// when the office roles suffice.
pub fn course_access(
    conn: &mut DbConn,
    principal: &Principal,
    row: &CourseRow,
) -> QueryResult<Option<CourseAccess>> {
    let org = row.organisation_id.as_deref();
    if office_authors(principal, org) {
        return Ok(Some(CourseAccess::Office));
    }
    if !team_counts(principal, org) {
        return Ok(None);
    }
    Ok(role_of(conn, &row.id, &principal.user_id)?.map(CourseAccess::Team))
}

/// Whether this person may change the course's team.
pub fn may_manage(principal: &Principal, row: &CourseRow, access: CourseAccess) -> bool {
    principal.is_platform_admin
        || row
            .organisation_id
            .as_deref()
            .is_some_and(|o| principal.can(o, Permission::ManageOrganisation))
        || access == CourseAccess::Team(TeamRole::Admin)
}

pub fn role_of(conn: &mut DbConn, course_id: &str, user_id: &str) -> QueryResult<Option<TeamRole>> {
    let r: Option<String> = course_team::table
        .find((course_id, user_id))
        .select(course_team::role)
        .first(conn)
        .optional()?;
    Ok(r.as_deref().and_then(TeamRole::parse))
}

/// The course's team as (user id, role), for the learner side's cache.
pub fn members(conn: &mut DbConn, course_id: &str) -> QueryResult<Vec<(String, TeamRole)>> {
    let rows: Vec<(String, String)> = course_team::table
        .filter(course_team::course_id.eq(course_id))
        .select((course_team::user_id, course_team::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, r)| TeamRole::parse(&r).map(|r| (u, r)))
        .collect())
}

/// The courses this person is on the team of, as (course id, role).
pub fn courses_of(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<(String, TeamRole)>> {
    let rows: Vec<(String, String)> = course_team::table
        .filter(course_team::user_id.eq(user_id))
        .select((course_team::course_id, course_team::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, r)| TeamRole::parse(&r).map(|r| (c, r)))
        .collect())
}

/// One team member, for the page.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub user_id: String,
    pub full_name: String,
    pub email: String,
    pub role: TeamRole,
    pub added_at: NaiveDateTime,
}

/// The team with names and e-mail addresses, by name.
pub fn list(conn: &mut DbConn, course_id: &str) -> QueryResult<Vec<Member>> {
    use platform::db::schema::users;
    let rows: Vec<(String, String, NaiveDateTime)> = course_team::table
        .filter(course_team::course_id.eq(course_id))
        .select((
            course_team::user_id,
            course_team::role,
            course_team::created_at,
        ))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|(u, _, _)| u).collect();
    let people: Vec<(String, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name, users::email))
        .load(conn)?;
    let mut out: Vec<Member> = rows
        .iter()
        .filter_map(|(u, r, at)| {
            let (_, name, email) = people.iter().find(|(id, _, _)| id == u)?;
            Some(Member {
                user_id: u.clone(),
                full_name: name.clone(),
                email: email.clone(),
                role: TeamRole::parse(r)?,
                added_at: *at,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.full_name.to_lowercase(), &a.email).cmp(&(b.full_name.to_lowercase(), &b.email))
    });
    Ok(out)
}

/// Adds the person or changes their role.
pub fn set(
    conn: &mut DbConn,
    course_id: &str,
    user_id: &str,
    role: TeamRole,
    added_by: Option<&str>,
) -> QueryResult<()> {
    platform::db::write_transaction(conn, |conn| {
        let n = diesel::update(course_team::table.find((course_id, user_id)))
            .set(course_team::role.eq(role.as_str()))
            .execute(conn)?;
        if n == 0 {
            diesel::insert_into(course_team::table)
                .values((
                    course_team::course_id.eq(course_id),
                    course_team::user_id.eq(user_id),
                    course_team::role.eq(role.as_str()),
                    course_team::added_by.eq(added_by),
                    course_team::created_at.eq(now()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Removes the person from the team; whether they were on it.
pub fn remove(conn: &mut DbConn, course_id: &str, user_id: &str) -> QueryResult<bool> {
    Ok(diesel::delete(course_team::table.find((course_id, user_id))).execute(conn)? > 0)
}

/// Why a person cannot be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddError {
    NoEmail,
    UnknownPerson,
    OtherOffice,
    AlreadyMember,
    Role,
}

impl AddError {
    pub fn field(self) -> &'static str {
        match self {
            AddError::Role => "role",
            _ => "email",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            AddError::NoEmail => "studio-team-error-email",
            AddError::UnknownPerson => "studio-team-error-unknown",
            AddError::OtherOffice => "studio-team-error-other-office",
            AddError::AlreadyMember => "studio-team-error-already",
            AddError::Role => "studio-team-error-role",
        }
    }
}

/// Adds a member of the course's office by e-mail (the rules in the module docs).
pub fn add_by_email(
    conn: &mut DbConn,
    row: &CourseRow,
    email: &str,
    role: &str,
    added_by: &str,
) -> QueryResult<Result<(), Vec<AddError>>> {
    let mut errors = vec![];
    let role = TeamRole::parse(role);
    if role.is_none() {
        errors.push(AddError::Role);
    }
    let email = email.trim();
    let person = if email.is_empty() {
        errors.push(AddError::NoEmail);
        None
    } else {
        match user::find_by_email(conn, email)? {
            None => {
                errors.push(AddError::UnknownPerson);
                None
            }
            Some(u) => {
                let p = user::principal(conn, &u)?;
                if !team_counts(&p, row.organisation_id.as_deref()) {
                    errors.push(AddError::OtherOffice);
                    None
                } else if role_of(conn, &row.id, &u.id)?.is_some() {
                    errors.push(AddError::AlreadyMember);
                    None
                } else {
                    Some(u)
                }
            }
        }
    };
    match (person, role, errors.is_empty()) {
        (Some(u), Some(role), true) => {
            set(conn, &row.id, &u.id, role, Some(added_by))?;
            Ok(Ok(()))
        }
        _ => Ok(Err(errors)),
    }
}

/// The profile page's "course teams" list: where the person is on a team (none: no section).
/// Editors go to the course in Studio, staff to the course's certificates list.
pub fn profile_section(
    conn: &mut DbConn,
    user_id: &str,
) -> QueryResult<Option<platform::plugin::ProfileSection>> {
    let team = courses_of(conn, user_id)?;
    if team.is_empty() {
        return Ok(None);
    }
    let Some(person) = user::find(conn, user_id)? else {
        return Ok(None);
    };
    let principal = user::principal(conn, &person)?;
    let ids: Vec<&String> = team.iter().map(|(c, _)| c).collect();
    let rows: Vec<CourseRow> = store::courses::table
        .filter(store::courses::id.eq_any(ids))
        .order(store::courses::title.asc())
        .select(CourseRow::as_select())
        .load(conn)?;
    let items: Vec<platform::plugin::ProfileItem> = rows
        .into_iter()
        .filter(|r| team_counts(&principal, r.organisation_id.as_deref()))
        .filter_map(|r| {
            let role = team.iter().find(|(c, _)| *c == r.id)?.1;
            Some(platform::plugin::ProfileItem {
                href: if role.edits() {
                    format!("/studio/kursy/{}", r.id)
                } else {
                    format!("/kursy/{}/zaswiadczenia", r.course_key)
                },
                label: r.title,
                detail: String::new(),
                status: Some(role_label(role)),
            })
        })
        .collect();
    if items.is_empty() {
        return Ok(None);
    }
    Ok(Some(platform::plugin::ProfileSection {
        heading: "studio-team-profile-heading",
        empty: "studio-team-empty",
        items,
        more: None,
    }))
}

fn role_label(r: TeamRole) -> &'static str {
    match r {
        TeamRole::Admin => "studio-team-role-admin",
        TeamRole::Author => "studio-team-role-author",
        TeamRole::Staff => "studio-team-role-staff",
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/studio/kursy/{course_id}/zespol")
            .route(web::get().to(team_page))
            .route(web::post().to(team_add)),
    )
    .route(
        "/studio/kursy/{course_id}/zespol/rola",
        web::post().to(team_role),
    )
    .route(
        "/studio/kursy/{course_id}/zespol/usun",
        web::post().to(team_remove),
    );
}

#[derive(Serialize)]
struct RoleOption {
    value: &'static str,
    label: &'static str,
}

fn role_options() -> Vec<RoleOption> {
    TeamRole::ALL
        .into_iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            label: role_label(r),
        })
        .collect()
}

#[derive(Serialize)]
struct Confirm {
    user_id: String,
    full_name: String,
    email: String,
}

#[derive(Serialize)]
struct TeamPage {
    id: String,
    title: String,
    course_key: String,
    members: Vec<Member>,
    manage: bool,
    roles: Vec<RoleOption>,
    email: String,
    role: String,
    errors: Vec<FieldError>,
    confirm: Option<Confirm>,
    me: String,
}

/// The course, the members and whether this person may change them; 403 unless the person may
/// author the course.
async fn load(
    state: &AppState,
    signed: &SignedIn,
    id: String,
) -> Result<(CourseRow, Vec<Member>, bool), AppError> {
    require_author(signed)?;
    let principal = signed.0.principal.clone();
    state
        .db
        .run(move |conn| {
            let row: Option<CourseRow> = store::courses::table
                .find(&id)
                .select(CourseRow::as_select())
                .first(conn)
                .optional()?;
            let Some(row) = row else {
                return Err(AppError::NotFound);
            };
            let access = course_access(conn, &principal, &row)?;
            let Some(access) = access.filter(|a| a.edits()) else {
                return Err(AppError::Forbidden);
            };
            let manage = may_manage(&principal, &row, access);
            let members = list(conn, &row.id)?;
            Ok((row, members, manage))
        })
        .await
}

fn page(row: &CourseRow, members: Vec<Member>, manage: bool, me: &str) -> TeamPage {
    TeamPage {
        id: row.id.clone(),
        title: row.title.clone(),
        course_key: row.course_key.clone(),
        members,
        manage,
        roles: role_options(),
        email: String::new(),
        role: TeamRole::Author.as_str().into(),
        errors: vec![],
        confirm: None,
        me: me.to_string(),
    }
}

async fn team_page(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (row, members, manage) = load(&state, &signed, course_id.into_inner()).await?;
    let p = page(&row, members, manage, &signed.0.user.id);
    render(&state, &signed.1, "studio/team.html", &p)
}

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn team_add(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, AppError> {
    let (row, members, manage) = load(&state, &signed, course_id.into_inner()).await?;
    if !manage {
        return Err(AppError::Forbidden);
    }
    let f = form.into_inner();
    let (r, email, role, by) = (
        row.clone(),
        f.email.clone(),
        f.role.clone(),
        signed.0.user.id.clone(),
    );
    let result = state
        .db
        .run(move |conn| add_by_email(conn, &r, &email, &role, &by).map_err(AppError::from))
        .await?;
    match result {
        Ok(()) => Ok(see_other(
            &state,
            &format!("/studio/kursy/{}/zespol", row.id),
            Some("flash-team-added"),
        )),
        Err(problems) => {
            let mut errors = FormErrors::default();
            for e in problems {
                errors.add(e.field(), e.message());
            }
            let mut p = page(&row, members, manage, &signed.0.user.id);
            p.email = f.email.chars().take(200).collect();
            p.role = f.role.chars().take(16).collect();
            p.errors = errors.translate(&state, signed.1.lang);
            render_page(
                &state,
                &signed.1,
                "studio/team.html",
                &p,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    role: String,
}

async fn team_role(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let (row, members, manage) = load(&state, &signed, course_id.into_inner()).await?;
    if !manage {
        return Err(AppError::Forbidden);
    }
    let Some(role) = TeamRole::parse(&form.role) else {
        return Err(AppError::BadRequest("unknown team role".into()));
    };
    if !members.iter().any(|m| m.user_id == form.user_id) {
        return Err(AppError::NotFound);
    }
    let (cid, uid) = (row.id.clone(), form.user_id.clone());
    state
        .db
        .run(move |conn| set(conn, &cid, &uid, role, None).map_err(AppError::from))
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/zespol", row.id),
        Some("flash-team-role-changed"),
    ))
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    confirm: String,
}

/// Without `confirm=yes` this asks first; with it, removes the member.
async fn team_remove(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let (row, members, manage) = load(&state, &signed, course_id.into_inner()).await?;
    if !manage {
        return Err(AppError::Forbidden);
    }
    let Some(m) = members.iter().find(|m| m.user_id == form.user_id).cloned() else {
        return Err(AppError::NotFound);
    };
    if form.confirm != "yes" {
        let mut p = page(&row, vec![], manage, &signed.0.user.id);
        p.confirm = Some(Confirm {
            user_id: m.user_id,
            full_name: m.full_name,
            email: m.email,
        });
        return render(&state, &signed.1, "studio/team.html", &p);
    }
    let (cid, uid) = (row.id.clone(), m.user_id.clone());
    state
        .db
        .run(move |conn| remove(conn, &cid, &uid).map_err(AppError::from))
        .await?;
    // A team admin who removed themselves can no longer see the page.
    let back = if m.user_id == signed.0.user.id
        && !office_authors(&signed.0.principal, row.organisation_id.as_deref())
    {
        "/studio".to_string()
    } else {
        format!("/studio/kursy/{}/zespol", row.id)
    };
    Ok(see_other(&state, &back, Some("flash-team-removed")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::access::Role;

    fn p(roles: &[(&str, Role)]) -> Principal {
        Principal {
            user_id: "u".into(),
            is_platform_admin: false,
            roles: roles.iter().map(|(o, r)| (o.to_string(), *r)).collect(),
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in TeamRole::ALL {
            assert_eq!(TeamRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(TeamRole::parse("owner"), None);
        assert!(TeamRole::Admin.edits() && TeamRole::Author.edits() && !TeamRole::Staff.edits());
    }

    #[test]
    fn office_rules() {
        assert!(office_authors(&p(&[("a", Role::Author)]), Some("a")));
        assert!(office_authors(&p(&[("a", Role::Administrator)]), Some("a")));
        assert!(!office_authors(&p(&[("a", Role::Official)]), Some("a")));
        assert!(!office_authors(&p(&[("b", Role::Author)]), Some("a")));
        assert!(!office_authors(&p(&[("a", Role::Author)]), None));
        // Team roles count only for members of the course's office.
        assert!(team_counts(&p(&[("a", Role::Official)]), Some("a")));
        assert!(team_counts(&p(&[("a", Role::Learner)]), Some("a")));
        assert!(!team_counts(&p(&[("b", Role::Author)]), Some("a")));
        assert!(!team_counts(&p(&[("a", Role::Official)]), None));
    }
}
