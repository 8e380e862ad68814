//! Issued certificates in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::now;
use serde::Serialize;

diesel::table! {
    certificates (verify_uuid) {
        verify_uuid -> Text,
        user_id -> Text,
        course_id -> Text,
        name -> Text,
        course_title -> Text,
        organisation -> Text,
        grade -> Text,
        status -> Text,
        revoke_reason -> Nullable<Text>,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

/// Open edX's statuses that SZPoN uses.
pub const DOWNLOADABLE: &str = "downloadable";
/// The learner completed the course without reaching the pass cutoff. Not a certificate: public
/// pages treat it as unknown, as Open edX does; passing later turns it into `downloadable`.
pub const NOTPASSING: &str = "notpassing";
pub const REVOKED: &str = "revoked";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub verify_uuid: String,
    pub user_id: String,
    pub course_id: String,
    pub name: String,
    pub course_title: String,
    pub organisation: String,
    /// The course percent as text, as Open edX stores it ("0.85").
    pub grade: String,
    pub status: String,
    pub revoke_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub modified_at: NaiveDateTime,
}

/// A new verify_uuid: 32 lowercase hex digits, as Open edX's `uuid4().hex`.
pub fn new_verify_uuid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether a path segment can be a verify_uuid (Open edX's `^[0-9a-f]{32}$`).
pub fn is_verify_uuid(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn find(conn: &mut DbConn, verify_uuid: &str) -> QueryResult<Option<Certificate>> {
    certificates::table
        .find(verify_uuid)
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

pub fn of_user_in_course(
    conn: &mut DbConn,
    user_id: &str,
    course_id: &str,
) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::user_id.eq(user_id))
        .filter(certificates::course_id.eq(course_id))
        .select(Certificate::as_select())
        .first(conn)
        .optional()
}

/// A person's certificates (valid or revoked, not `notpassing` records), newest first.
pub fn of_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<Certificate>> {
    certificates::table
        .filter(certificates::user_id.eq(user_id))
        .filter(certificates::status.ne(NOTPASSING))
        .order(certificates::created_at.desc())
        .select(Certificate::as_select())
        .load(conn)
}

pub fn of_course(conn: &mut DbConn, course_id: &str) -> QueryResult<Vec<Certificate>> {
    certificates::table
        .filter(certificates::course_id.eq(course_id))
        .order(certificates::created_at.asc())
        .select(Certificate::as_select())
        .load(conn)
}

/// Records a certificate of `status` ([`DOWNLOADABLE`] or [`NOTPASSING`]) once per person and
/// course. A stored `notpassing` row becomes `downloadable` when the learner passes (dated then);
/// a downloadable or revoked one never changes here (a later lower score does not take it back,
/// as in Open edX; only staff revoke). Returns what is stored.
#[allow(clippy::too_many_arguments)]
pub fn issue(
    conn: &mut DbConn,
    user_id: &str,
    course_id: &str,
    course_title: &str,
    organisation: &str,
    percent: f64,
    status: &str,
) -> QueryResult<Certificate> {
    if let Some(c) = of_user_in_course(conn, user_id, course_id)? {
        if c.status == NOTPASSING && status == DOWNLOADABLE {
            let t = now();
            diesel::update(certificates::table.find(&c.verify_uuid))
                .filter(certificates::status.eq(NOTPASSING))
                .set((
                    certificates::status.eq(DOWNLOADABLE),
                    certificates::grade.eq(format!("{percent}")),
                    certificates::course_title.eq(course_title),
                    certificates::organisation.eq(organisation),
                    certificates::created_at.eq(t),
                    certificates::modified_at.eq(t),
                ))
                .execute(conn)?;
            return Ok(find(conn, &c.verify_uuid)?.unwrap_or(c));
        }
        return Ok(c);
    }
    let name: String = platform::db::schema::users::table
        .find(user_id)
        .select(platform::db::schema::users::full_name)
        .first(conn)?;
    let t = now();
    let c = Certificate {
        verify_uuid: new_verify_uuid(),
        user_id: user_id.to_string(),
        course_id: course_id.to_string(),
        name,
        course_title: course_title.to_string(),
        organisation: organisation.to_string(),
        grade: format!("{percent}"),
        status: status.to_string(),
        revoke_reason: None,
        created_at: t,
        modified_at: t,
    };
    platform::with_backend!(conn, |x| diesel::insert_into(certificates::table)
        .values(&c)
        .on_conflict_do_nothing()
        .execute(x))?;
    // A concurrent submission may have issued it first: return whichever is stored.
    Ok(of_user_in_course(conn, user_id, course_id)?.unwrap_or(c))
}

pub fn revoke(conn: &mut DbConn, verify_uuid: &str, reason: &str) -> QueryResult<usize> {
    diesel::update(certificates::table.find(verify_uuid))
        .set((
            certificates::status.eq(REVOKED),
            certificates::revoke_reason.eq(reason),
            certificates::modified_at.eq(now()),
        ))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_uuids_look_like_open_edx() {
        let u = new_verify_uuid();
        assert!(is_verify_uuid(&u), "{u}");
        assert!(!is_verify_uuid("ABCDEF0123456789ABCDEF0123456789"));
        assert!(!is_verify_uuid("abc"));
    }
}
