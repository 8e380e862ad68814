//! Database rows and the queries over them. Model code returns `diesel::QueryResult` (or a small
//! error enum) and knows nothing of HTTP.

pub mod organisation;
pub mod session;
pub mod user;

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// Current UTC time at microsecond precision, so SQLite and PostgreSQL round-trip it identically.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A random URL-safe token with 256 bits of entropy.
pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored instead of a token: a leaked database must not yield working sessions or links.
pub fn token_digest(token: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(token.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
