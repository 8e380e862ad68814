use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{is_unique_violation, new_id, now};
use crate::access::Role;
use crate::db::schema::{departments, memberships, organisations, user_roles, users};
use crate::db::DbConn;

/// Kinds of public bodies (urzędy) SZPoN serves.
pub const KINDS: [&str; 7] = [
    "ministry",
    "central_office",
    "voivodeship_office",
    "marshal_office",
    "county_office",
    "municipality",
    "other",
];

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub theme: String,
    pub created_at: NaiveDateTime,
    /// The logo in the blob store (SHA-256) and its content type.
    pub logo_sha256: Option<String>,
    pub logo_type: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = departments)]
pub struct Department {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

/// One member as the organisation's administrators see them.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub full_name: String,
    pub department_id: Option<String>,
    pub roles: Vec<Role>,
}

#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    #[error("this address (slug) is already taken")]
    SlugTaken,
    #[error("a department with this name already exists")]
    DepartmentExists,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// A slug is lowercase ASCII letters, digits and single hyphens, 2–64 characters.
pub fn valid_slug(slug: &str) -> bool {
    (2..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

pub fn create(
    conn: &mut DbConn,
    slug: &str,
    name: &str,
    kind: &str,
) -> Result<Organisation, OrgError> {
    let id = new_id();
    let r = diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&id),
            organisations::slug.eq(slug),
            organisations::name.eq(name),
            organisations::kind.eq(kind),
            organisations::theme.eq("default"),
            organisations::created_at.eq(now()),
        ))
        .execute(conn);
    match r {
        Ok(_) => Ok(organisations::table
            .find(&id)
            .select(Organisation::as_select())
            .first(conn)?),
        Err(e) if is_unique_violation(&e) => Err(OrgError::SlugTaken),
        Err(e) => Err(e.into()),
    }
}

pub fn find_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Organisation>> {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select(Organisation::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<Organisation>> {
    organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Organisation>> {
    organisations::table
        .order(organisations::name.asc())
        .select(Organisation::as_select())
        .load(conn)
}

pub fn departments(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<Department>> {
    departments::table
        .filter(departments::organisation_id.eq(org_id))
        .order(departments::name.asc())
        .select(Department::as_select())
        .load(conn)
}

pub fn create_department(
    conn: &mut DbConn,
    org_id: &str,
    name: &str,
) -> Result<Department, OrgError> {
    let id = new_id();
    let r = diesel::insert_into(departments::table)
        .values((
            departments::id.eq(&id),
            departments::organisation_id.eq(org_id),
            departments::name.eq(name),
            departments::created_at.eq(now()),
        ))
        .execute(conn);
    match r {
        Ok(_) => Ok(departments::table
            .find(&id)
            .select(Department::as_select())
            .first(conn)?),
        Err(e) if is_unique_violation(&e) => Err(OrgError::DepartmentExists),
        Err(e) => Err(e.into()),
    }
}

/// Gives a person a role in an organisation, making them a member first if needed. Idempotent.
pub fn grant_role(conn: &mut DbConn, org_id: &str, user_id: &str, role: Role) -> QueryResult<()> {
    conn.transaction(|conn| {
        let is_member: i64 = memberships::table
            .filter(memberships::user_id.eq(user_id))
            .filter(memberships::organisation_id.eq(org_id))
            .count()
            .get_result(conn)?;
        if is_member == 0 {
            diesel::insert_into(memberships::table)
                .values((
                    memberships::user_id.eq(user_id),
                    memberships::organisation_id.eq(org_id),
                    memberships::created_at.eq(now()),
                ))
                .execute(conn)?;
        }
        let has_role: i64 = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::organisation_id.eq(org_id))
            .filter(user_roles::role.eq(role.as_str()))
            .count()
            .get_result(conn)?;
        if has_role == 0 {
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(user_id),
                    user_roles::organisation_id.eq(org_id),
                    user_roles::role.eq(role.as_str()),
                    user_roles::created_at.eq(now()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

pub fn revoke_role(conn: &mut DbConn, org_id: &str, user_id: &str, role: Role) -> QueryResult<()> {
    diesel::delete(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::organisation_id.eq(org_id))
            .filter(user_roles::role.eq(role.as_str())),
    )
    .execute(conn)
    .map(drop)
}

/// Removes a person from the organisation with all their roles there.
pub fn remove_member(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(
            user_roles::table
                .filter(user_roles::user_id.eq(user_id))
                .filter(user_roles::organisation_id.eq(org_id)),
        )
        .execute(conn)?;
        diesel::delete(
            memberships::table
                .filter(memberships::user_id.eq(user_id))
                .filter(memberships::organisation_id.eq(org_id)),
        )
        .execute(conn)
        .map(drop)
    })
}

/// Puts a member into a department of the same organisation (or none).
pub fn set_department(
    conn: &mut DbConn,
    org_id: &str,
    user_id: &str,
    department_id: Option<&str>,
) -> QueryResult<bool> {
    if let Some(d) = department_id {
        let belongs: i64 = departments::table
            .filter(departments::id.eq(d))
            .filter(departments::organisation_id.eq(org_id))
            .count()
            .get_result(conn)?;
        if belongs == 0 {
            return Ok(false);
        }
    }
    let n = diesel::update(
        memberships::table
            .filter(memberships::user_id.eq(user_id))
            .filter(memberships::organisation_id.eq(org_id)),
    )
    .set(memberships::department_id.eq(department_id))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn members(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<Member>> {
    let rows: Vec<(String, String, String, Option<String>)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::organisation_id.eq(org_id))
        .order(users::full_name.asc())
        .select((
            users::id,
            users::email,
            users::full_name,
            memberships::department_id,
        ))
        .load(conn)?;
    let roles: Vec<(String, String)> = user_roles::table
        .filter(user_roles::organisation_id.eq(org_id))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user_id, email, full_name, department_id)| {
            let mut rs: Vec<Role> = roles
                .iter()
                .filter(|(u, _)| *u == user_id)
                .filter_map(|(_, r)| Role::parse(r))
                .collect();
            rs.sort();
            Member {
                user_id,
                email,
                full_name,
                department_id,
                roles: rs,
            }
        })
        .collect())
}

/// The most a logo may weigh: plenty for a sharp logo, small enough for certificates.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// The content type of a logo by its first bytes: PNG or JPEG only (what certificates can embed).
pub fn logo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Sets or clears (`None`) an organisation's logo.
pub fn set_logo(conn: &mut DbConn, org_id: &str, logo: Option<(&str, &str)>) -> QueryResult<usize> {
    diesel::update(organisations::table.find(org_id))
        .set((
            organisations::logo_sha256.eq(logo.map(|l| l.0)),
            organisations::logo_type.eq(logo.map(|l| l.1)),
        ))
        .execute(conn)
}
