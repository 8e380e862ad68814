use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{is_unique_violation, new_id, now};
use crate::access::{Principal, Role};
use crate::db::schema::{memberships, organisations, user_roles, users};
use crate::db::DbConn;
use crate::models::organisation::Organisation;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub full_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub is_platform_admin: bool,
    pub is_active: bool,
    pub language: Option<String>,
    pub terms_accepted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    id: &'a str,
    email: &'a str,
    full_name: &'a str,
    password_hash: &'a str,
    is_platform_admin: bool,
    is_active: bool,
    language: Option<&'a str>,
    terms_accepted_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Input for [`create`]; the email must already be normalised (see `domain::Email`).
pub struct NewUser<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub is_platform_admin: bool,
    pub language: Option<&'a str>,
    pub terms_accepted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

pub fn create(conn: &mut DbConn, new: NewUser<'_>) -> Result<User, CreateUserError> {
    let id = new_id();
    let t = now();
    let row = NewUserRow {
        id: &id,
        email: new.email,
        full_name: new.full_name,
        password_hash: new.password_hash,
        is_platform_admin: new.is_platform_admin,
        is_active: true,
        language: new.language,
        terms_accepted_at: new.terms_accepted.then_some(t),
        created_at: t,
        updated_at: t,
    };
    match diesel::insert_into(users::table).values(&row).execute(conn) {
        Ok(_) => Ok(find(conn, &id)?.ok_or(diesel::result::Error::NotFound)?),
        Err(e) if is_unique_violation(&e) => Err(CreateUserError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn set_password_hash(conn: &mut DbConn, id: &str, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now())))
        .execute(conn)
        .map(drop)
}

pub fn set_platform_admin(conn: &mut DbConn, id: &str, admin: bool) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::is_platform_admin.eq(admin),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn update_profile(
    conn: &mut DbConn,
    id: &str,
    full_name: &str,
    language: Option<&str>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::full_name.eq(full_name),
            users::language.eq(language),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_language(conn: &mut DbConn, id: &str, language: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::language.eq(language))
        .execute(conn)
        .map(drop)
}

pub fn record_login(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(now()))
        .execute(conn)
        .map(drop)
}

/// The person with all their roles, for access checks.
pub fn principal(conn: &mut DbConn, user: &User) -> QueryResult<Principal> {
    let rows: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq(&user.id))
        .select((user_roles::organisation_id, user_roles::role))
        .load(conn)?;
    Ok(Principal {
        user_id: user.id.clone(),
        is_platform_admin: user.is_platform_admin,
        roles: rows
            .into_iter()
            .filter_map(|(org, role)| Role::parse(&role).map(|r| (org, r)))
            .collect(),
    })
}

/// Organisations the user belongs to, with the user's roles in each, ordered by name.
pub fn organisations_of(
    conn: &mut DbConn,
    user_id: &str,
) -> QueryResult<Vec<(Organisation, Vec<Role>)>> {
    let orgs: Vec<Organisation> = memberships::table
        .inner_join(organisations::table)
        .filter(memberships::user_id.eq(user_id))
        .order(organisations::name.asc())
        .select(Organisation::as_select())
        .load(conn)?;
    let roles: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select((user_roles::organisation_id, user_roles::role))
        .load(conn)?;
    Ok(orgs
        .into_iter()
        .map(|o| {
            let mut rs: Vec<Role> = roles
                .iter()
                .filter(|(org, _)| *org == o.id)
                .filter_map(|(_, r)| Role::parse(r))
                .collect();
            rs.sort();
            (o, rs)
        })
        .collect())
}
