//! `szpon mail ingest FILE.eml`: an attendee's answer (an iTIP REPLY, e.g. Outlook's "Accept")
//! that reached the portal's mailbox updates their status on the event.

use std::fmt;
use std::path::Path;

use platform::db::{write_transaction, Db};

use super::ical::{reply_from_eml, ReplyError};
use super::store;
use crate::notifications::{self, Kind, Notice};

#[derive(Debug)]
pub enum IngestError {
    Read(String),
    Malformed(ReplyError),
    UnknownUid(String),
    NotAttendee { uid: String, email: String },
    Database(String),
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::Read(e) => write!(f, "cannot read the email: {e}"),
            IngestError::Malformed(e) => write!(f, "not a calendar reply: {e}"),
            IngestError::UnknownUid(uid) => write!(f, "no event has UID {uid}"),
            IngestError::NotAttendee { uid, email } => {
                write!(f, "{email} is not an attendee of the event {uid}")
            }
            IngestError::Database(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for IngestError {}

impl From<diesel::result::Error> for IngestError {
    fn from(e: diesel::result::Error) -> Self {
        IngestError::Database(e.to_string())
    }
}

/// Applies the REPLY in the email at `path`. Returns what it did, in one line for the terminal.
pub fn ingest_file(db: &Db, path: &Path) -> Result<String, IngestError> {
    let bytes =
        std::fs::read(path).map_err(|e| IngestError::Read(format!("{}: {e}", path.display())))?;
    ingest_bytes(db, &bytes)
}

/// Applies a REPLY email given as bytes (see [`ingest_file`]).
pub fn ingest_bytes(db: &Db, bytes: &[u8]) -> Result<String, IngestError> {
    let reply = reply_from_eml(bytes).map_err(IngestError::Malformed)?;
    let mut conn = db.get().map_err(|e| IngestError::Database(e.to_string()))?;
    write_transaction(&mut conn, |conn| {
        let event = store::find_by_uid(conn, &reply.uid)?
            .ok_or_else(|| IngestError::UnknownUid(reply.uid.clone()))?;
        if event.cancelled() {
            return Ok(format!(
                "ignored: the event {} ({}) is cancelled",
                event.uid, event.title
            ));
        }
        let a = store::set_partstat(
            conn,
            &event.id,
            &reply.attendee_email,
            reply.partstat.as_str(),
        )?
        .ok_or_else(|| IngestError::NotAttendee {
            uid: reply.uid.clone(),
            email: reply.attendee_email.clone(),
        })?;
        // The organiser learns the answer in the app.
        let slug = platform::models::organisation::find_by_id(conn, &event.organisation_id)?
            .map(|o| o.slug)
            .unwrap_or_default();
        let link = format!("/biuro/{slug}/kalendarz/{}", event.id);
        let who = if a.name.is_empty() {
            a.email.clone()
        } else {
            a.name.clone()
        };
        notifications::notify(
            conn,
            &Notice {
                user_id: &event.organiser_id,
                organisation_id: Some(&event.organisation_id),
                kind: Kind::Invitation,
                subject: &event.title,
                link: &link,
                actor_name: Some(&who),
                dedupe_key: None,
            },
        )?;
        Ok(format!(
            "{} is now {} for \"{}\" ({})",
            a.email, a.partstat, event.title, event.uid
        ))
    })
}
