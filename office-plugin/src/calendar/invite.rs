//! The iMIP emails that follow a change of an event: REQUEST to every attendee on creation and on
//! every change they see, CANCEL to attendees taken off and to everyone when the event is
//! cancelled. Messages are built inside the request (from committed rows) and sent afterwards.

use chrono::{NaiveDateTime, TimeZone, Utc};
use lettre::message::Mailbox;
use lettre::Message;
use platform::i18n::{Arg, I18n, Lang};
use platform::mail::Mailer;

use super::ical::{self, Attendee, Method, PartStat, Person, Status};
use super::store::{AttendeeRow, EventRow};

fn utc(t: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

/// The event as calendar files see it. ORGANIZER is the organiser's name with the portal's own
/// address: replies must reach a mailbox the portal reads (`szpon mail ingest`), and officials'
/// own mailboxes are not that.
pub fn ical_event(
    e: &EventRow,
    attendees: &[AttendeeRow],
    organiser_name: &str,
    portal: &Mailbox,
    link: &str,
) -> ical::Event {
    ical::Event {
        uid: e.uid.clone(),
        sequence: u32::try_from(e.sequence).unwrap_or(0),
        summary: e.title.clone(),
        description: Some(e.description.clone()).filter(|d| !d.is_empty()),
        location: Some(e.location.clone()).filter(|l| !l.is_empty()),
        url: Some(link.to_owned()).filter(|l| !l.is_empty()),
        start: utc(e.starts_at),
        end: utc(e.ends_at),
        organizer: Person {
            name: organiser_name.to_owned(),
            email: portal.email.to_string(),
        },
        attendees: attendees
            .iter()
            .map(|a| Attendee {
                name: a.name.clone(),
                email: a.email.clone(),
                partstat: PartStat::parse(&a.partstat).unwrap_or(PartStat::NeedsAction),
                rsvp: true,
            })
            .collect(),
        status: if e.cancelled() {
            Status::Cancelled
        } else {
            Status::Confirmed
        },
        dtstamp: Utc::now(),
    }
}

/// Why a message goes out; picks the subject and the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Invited,
    Changed,
    Removed,
    Cancelled,
}

/// What the emails need to speak each recipient's language: colleagues get theirs (their account
/// setting), guests Polish, the language of the office.
pub struct Words<'a> {
    pub i18n: &'a I18n,
    /// Colleagues' languages by user id.
    pub langs: std::collections::HashMap<String, Lang>,
    /// The event's time in words, in a language.
    pub when: Box<dyn Fn(Lang) -> String + 'a>,
}

impl Words<'_> {
    fn lang_of(&self, a: &AttendeeRow) -> Lang {
        a.user_id
            .as_ref()
            .and_then(|u| self.langs.get(u).copied())
            .unwrap_or(Lang::Pl)
    }
}

/// One email per recipient, in the recipient's language. `recipients` are the attendees to write to; the calendar lists
/// `listed` (everyone for a REQUEST or a cancellation of the event, only the recipient when they
/// were taken off).
#[allow(clippy::too_many_arguments)]
pub fn messages(
    words: &Words<'_>,
    portal: &Mailbox,
    e: &EventRow,
    listed: &[AttendeeRow],
    recipients: &[AttendeeRow],
    organiser_name: &str,
    why: Why,
    link: &str,
) -> Vec<Message> {
    let i18n = words.i18n;
    let (subject_key, lead_key) = match why {
        Why::Invited => (
            "calendar-mail-subject-invited",
            "calendar-mail-lead-invited",
        ),
        Why::Changed => (
            "calendar-mail-subject-changed",
            "calendar-mail-lead-changed",
        ),
        Why::Removed => (
            "calendar-mail-subject-removed",
            "calendar-mail-lead-removed",
        ),
        Why::Cancelled => (
            "calendar-mail-subject-cancelled",
            "calendar-mail-lead-cancelled",
        ),
    };
    let compose = |lang: Lang| -> (String, String) {
        let title = Arg::Str(e.title.clone());
        let subject = i18n.t(lang, subject_key, &[("title", title.clone())]);
        let mut text = i18n.t(
            lang,
            lead_key,
            &[
                ("organiser", Arg::Str(organiser_name.to_owned())),
                ("title", title),
            ],
        );
        text.push_str("\n\n");
        text.push_str(&i18n.t(
            lang,
            "calendar-mail-when",
            &[("when", Arg::Str((words.when)(lang)))],
        ));
        if !e.location.is_empty() {
            text.push('\n');
            text.push_str(&i18n.t(
                lang,
                "calendar-mail-where",
                &[("where", Arg::Str(e.location.clone()))],
            ));
        }
        if !e.description.is_empty() {
            text.push_str("\n\n");
            text.push_str(&e.description);
        }
        text.push('\n');
        (subject, text)
    };
    let method = match why {
        Why::Invited | Why::Changed => Method::Request,
        Why::Removed | Why::Cancelled => Method::Cancel,
    };
    let from = Mailbox::new(Some(organiser_name.to_owned()), portal.email.clone());
    let mut out = Vec::new();
    for r in recipients {
        let Ok(address) = r.email.parse() else {
            tracing::warn!(email = %r.email, "attendee address does not parse; not sent");
            continue;
        };
        let to = Mailbox::new(Some(r.name.clone()).filter(|n| !n.is_empty()), address);
        let people: Vec<AttendeeRow> = if why == Why::Removed {
            vec![r.clone()]
        } else {
            listed.to_vec()
        };
        // Colleagues get the event's page; guests cannot open it.
        let url = if r.user_id.is_some() { link } else { "" };
        let ev = ical_event(e, &people, organiser_name, portal, url);
        let (subject, text) = compose(words.lang_of(r));
        let ics = match method {
            Method::Request => ical::request_ics(&ev),
            Method::Cancel => ical::cancel_ics(&ev),
        };
        match ical::invitation_message(from.clone(), to, &subject, &text, None, &ics, method) {
            Ok(m) => out.push(m),
            Err(err) => tracing::warn!(%err, "invitation could not be built"),
        }
    }
    out
}

/// Sends built messages off the async workers. A failure is logged, never shown: the change is
/// already committed, and the next change sends the whole event again.
pub async fn send_all(mailer: Mailer, msgs: Vec<Message>) {
    if msgs.is_empty() {
        return;
    }
    let r = actix_web::web::block(move || {
        for m in &msgs {
            if let Err(err) = mailer.send_message(m) {
                tracing::warn!(%err, "invitation not sent");
            }
        }
    })
    .await;
    if let Err(err) = r {
        tracing::warn!(%err, "invitation sender failed");
    }
}
