//! Who is learning: a signed-in user, or an anonymous visitor with a pseudonymous id in a signed
//! cookie ("free" mode). When an anonymous learner signs in or registers, their progress moves
//! into the account ([`merge`]): the middleware [`merge_on_sign_in`] does it on the first request
//! that carries both the session and the learner cookie.

use actix_web::body::BoxBody;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use hmac::{Hmac, Mac};
use platform::db::DbConn;
use platform::web::context::{cookie, removal_cookie, RequestContext};
use platform::web::AppState;
use sha2::Sha256;

use super::db;

pub const LEARNER_COOKIE: &str = "szpon_learner";

/// A learner id as stored in learner state: the user's id, or `anon-` + 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Learner {
    User(String),
    Anonymous(String),
}

impl Learner {
    pub fn id(&self) -> &str {
        match self {
            Learner::User(id) | Learner::Anonymous(id) => id,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self, Learner::Anonymous(_))
    }
}

fn mac(secret: &[u8; 32], value: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    m.update(b"learner:");
    m.update(value.as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `ID.MAC` so nobody can take over another visitor's anonymous progress by guessing.
pub fn sign(secret: &[u8; 32], id: &str) -> String {
    format!("{id}.{}", mac(secret, id))
}

/// The anonymous id in a cookie value, when its signature holds.
pub fn verify(secret: &[u8; 32], value: &str) -> Option<String> {
    let (id, sig) = value.rsplit_once('.')?;
    let valid_id =
        id.len() == 37 && id.starts_with("anon-") && id[5..].bytes().all(|b| b.is_ascii_hexdigit());
    let expected = mac(secret, id);
    use subtle::ConstantTimeEq;
    (valid_id && bool::from(expected.as_bytes().ct_eq(sig.as_bytes()))).then(|| id.to_string())
}

pub fn new_anonymous_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    format!(
        "anon-{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

/// The anonymous learner of this request, if it carries a valid cookie.
pub fn anonymous_of(state: &AppState, req: &HttpRequest) -> Option<String> {
    req.cookie(LEARNER_COOKIE)
        .and_then(|c| verify(&state.secret, c.value()))
}

/// The learner of this request: the signed-in user first.
pub fn current(state: &AppState, ctx: &RequestContext, req: &HttpRequest) -> Option<Learner> {
    match &ctx.user {
        Some(u) => Some(Learner::User(u.user.id.clone())),
        None => anonymous_of(state, req).map(Learner::Anonymous),
    }
}

/// The cookie that makes a visitor an anonymous learner for a year.
pub fn learner_cookie(state: &AppState, id: &str) -> actix_web::cookie::Cookie<'static> {
    cookie(
        state,
        LEARNER_COOKIE,
        sign(&state.secret, id),
        Some(CookieDuration::days(365)),
    )
}

/// Moves everything an anonymous learner did into a user's account. Per block, the row with the
/// more valuable progress wins (a higher score, then more attempts, then completion), so no answer
/// is lost and nothing is counted twice; of two library picks, the one that keeps more answered
/// problems visible; enrolments are united. Returns the courses touched, whose
/// grades the caller recomputes.
pub fn merge(conn: &mut DbConn, anon: &str, user: &str) -> diesel::QueryResult<Vec<String>> {
    platform::db::write_transaction(conn, |conn| {
        let mut courses = db::learner_course_ids(conn, anon)?;
        for c in super::exams::merge(conn, anon, user)? {
            if !courses.contains(&c) {
                courses.push(c);
            }
        }
        for course in &courses {
            let mut theirs = db::all_block_states(conn, course, anon)?;
            // Answers first, library picks last: a pick is judged by the answers it keeps visible.
            theirs.sort_by_key(|r| r.block_key.starts_with(db::LIBRARY_PREFIX));
            for row in theirs {
                let mine = db::block_state(conn, course, user, &row.block_key)?;
                let take = match &mine {
                    None => true,
                    Some(m) if row.block_key.starts_with(db::LIBRARY_PREFIX) => {
                        let answered = db::progress(conn, course, user)?;
                        let count = |r: &db::BlockState| {
                            serde_json::from_str::<db::LibraryState>(&r.state)
                                .map(|s| {
                                    s.selected
                                        .iter()
                                        .filter(|id| {
                                            answered.blocks.iter().any(|(k, b)| {
                                                b.attempts > 0
                                                    && k.rsplit('/').next() == Some(id.as_str())
                                            })
                                        })
                                        .count()
                                })
                                .unwrap_or(0)
                        };
                        count(&row) > count(m)
                    }
                    Some(m) => better(&row, m),
                };
                if take {
                    if mine.is_some() {
                        db::delete_block_state(conn, course, user, &row.block_key)?;
                    }
                    db::reassign_block(conn, course, anon, user, &row.block_key)?;
                }
            }
            if db::is_enrolled(conn, course, anon)? {
                db::enroll(conn, course, user)?;
            }
            if let Some(rec) = db::course_record(conn, course, anon)? {
                if let Some(unit) = rec.last_unit {
                    let mine = db::course_record(conn, course, user)?;
                    if mine
                        .as_ref()
                        .is_none_or(|m| m.updated_at <= rec.updated_at || m.last_unit.is_none())
                    {
                        db::set_last_unit(conn, course, user, &unit)?;
                    }
                }
            }
            db::drop_learner_course(conn, course, anon)?;
        }
        crate::surveys::store::merge(conn, anon, user)?;
        crate::gamification::store::merge(conn, anon, user)?;
        Ok(courses)
    })
}

/// Whether anonymous row `a` carries more progress than the account's row `b`.
fn better(a: &db::BlockState, b: &db::BlockState) -> bool {
    let score = |r: &db::BlockState| r.earned.unwrap_or(-1.0);
    if score(a) != score(b) {
        return score(a) > score(b);
    }
    if a.attempts != b.attempts {
        return a.attempts > b.attempts;
    }
    a.completed && !b.completed
}

/// After sign-in or registration the browser still has the anonymous cookie: merge, recompute
/// the grades of the courses touched, drop the cookie.
pub async fn merge_on_sign_in(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let has_cookie = req.cookie(LEARNER_COOKIE).is_some();
    let user = if has_cookie {
        req.extensions()
            .get::<RequestContext>()
            .and_then(|c| c.user.as_ref().map(|u| u.user.id.clone()))
    } else {
        None
    };
    let Some(user_id) = user else {
        return next.call(req).await;
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState")
        .clone();
    let anon = anonymous_of(&state, req.request());
    if let Some(anon) = anon {
        let cache = req
            .app_data::<web::Data<super::cache::CourseCache>>()
            .cloned();
        let uid = user_id.clone();
        let merged = state
            .db
            .run(move |conn| merge(conn, &anon, &uid).map_err(platform::web::AppError::from))
            .await;
        match (merged, cache) {
            (Ok(course_ids), Some(cache)) => {
                for cid in course_ids {
                    if let Err(e) =
                        super::grades::recompute_by_id(&state, &cache, &cid, &user_id).await
                    {
                        tracing::error!(error = %e, "grade recompute after merge failed");
                    }
                }
            }
            (Ok(_), None) => {}
            (Err(e), _) => {
                // Keep the cookie: the next request tries again, nothing is lost.
                tracing::error!(error = %e, "merging anonymous progress failed");
                return next.call(req).await;
            }
        }
    }
    let mut res = next.call(req).await?;
    res.response_mut()
        .add_cookie(&removal_cookie(&state, LEARNER_COOKIE))?;
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_ids_verify_and_tampering_fails() {
        let key = [7u8; 32];
        let id = new_anonymous_id();
        let v = sign(&key, &id);
        assert_eq!(verify(&key, &v).as_deref(), Some(id.as_str()));
        let other = new_anonymous_id();
        let forged = format!("{other}.{}", v.rsplit_once('.').unwrap().1);
        assert_eq!(verify(&key, &forged), None);
        assert_eq!(verify(&[8u8; 32], &v), None);
        assert_eq!(verify(&key, "user-id.abc"), None);
    }
}
