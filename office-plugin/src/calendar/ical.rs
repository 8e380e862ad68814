//! iCalendar for Outlook and friends: iMIP invitations (RFC 6047 over RFC 5546 iTIP), their
//! cancellations, read-only subscription feeds, and the REPLY a client sends back.
//!
//! Rules that Outlook holds us to (see `shared/office/NOTES.md`): times are written in UTC (`Z`),
//! so no client can show an appointment an hour off; the UID never changes for one event and every
//! change is sent with a higher SEQUENCE; a cancellation is `METHOD:CANCEL` with the same UID and
//! `STATUS:CANCELLED`. The `icalendar` crate writes CRLF line ends, folds at 75 octets on UTF-8
//! character boundaries and escapes TEXT values (all covered by the tests below).

use std::fmt;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, Property};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// Our PRODID: clients show it in diagnostics, and Outlook keys some quirks on it.
pub const PRODID: &str = "-//SZPoN//Wirtualny urząd//PL";

/// The file name of the attached copy of an invitation.
pub const ATTACHMENT_NAME: &str = "zaproszenie.ics";

/// Someone with a mailbox: the organizer, or the base of an attendee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// An attendee's participation status (RFC 5545 §3.2.12, the values a VEVENT allows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartStat {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
}

impl PartStat {
    pub fn as_str(self) -> &'static str {
        match self {
            PartStat::NeedsAction => "NEEDS-ACTION",
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
            PartStat::Tentative => "TENTATIVE",
            PartStat::Delegated => "DELEGATED",
        }
    }

    /// Case-insensitive, as iCalendar parameter values are.
    pub fn parse(s: &str) -> Option<PartStat> {
        [
            PartStat::NeedsAction,
            PartStat::Accepted,
            PartStat::Declined,
            PartStat::Tentative,
            PartStat::Delegated,
        ]
        .into_iter()
        .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    pub name: String,
    pub email: String,
    pub partstat: PartStat,
    /// Whether the organizer asks for a reply (Outlook shows Accept/Decline only with it).
    pub rsvp: bool,
}

impl Attendee {
    /// An attendee who has not answered yet and is asked to: what a new invitation carries.
    pub fn invited(name: impl Into<String>, email: impl Into<String>) -> Attendee {
        Attendee {
            name: name.into(),
            email: email.into(),
            partstat: PartStat::NeedsAction,
            rsvp: true,
        }
    }
}

/// VEVENT STATUS (RFC 5545 §3.8.1.11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Tentative,
    Confirmed,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Tentative => "TENTATIVE",
            Status::Confirmed => "CONFIRMED",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// One appointment or meeting as the calendar files see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable for the life of the event; see [`uid_for`].
    pub uid: String,
    /// Raised by the caller on every change that is sent out (update or cancel).
    pub sequence: u32,
    pub summary: String,
    pub description: Option<String>,
    /// Where it happens: an office room, or the call link for an online visit.
    pub location: Option<String>,
    /// The online call link, if any (also shown by clients as a clickable link).
    pub url: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub organizer: Person,
    pub attendees: Vec<Attendee>,
    pub status: Status,
    /// When this version of the event was written (DTSTAMP).
    pub dtstamp: DateTime<Utc>,
}

/// A UID that stays the same for an event's whole life: the database id at our host name, the
/// form RFC 5545 §3.8.4.7 suggests. Never derive it from data that can change (time, title).
pub fn uid_for(id: &str, host: &str) -> String {
    format!("{id}@{host}")
}

/// iTIP methods this module sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 5545 TEXT has no CR: a CRLF or lone CR from a form becomes LF, which the crate escapes as
/// `\n`; other control characters are dropped (they are not allowed in a content line).
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// A parameter value (CN) may not contain DQUOTE or control characters at all (§3.1); the crate
/// quotes values with `:`, `;` or `,`.
fn clean_param(s: &str) -> String {
    s.chars()
        .map(|c| if c == '"' { '\'' } else { c })
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

fn mailto(email: &str) -> String {
    format!("mailto:{}", email.trim())
}

/// `YYYYMMDDTHHMMSSZ`, the UTC form of DATE-TIME.
fn utc(dt: DateTime<Utc>) -> String {
    dt.format("%Y%m%dT%H%M%SZ").to_string()
}

fn organizer_property(p: &Person) -> Property {
    let mut prop = Property::new("ORGANIZER", mailto(&p.email));
    if !p.name.trim().is_empty() {
        prop.add_parameter("CN", &clean_param(&p.name));
    }
    prop
}

fn attendee_property(a: &Attendee) -> Property {
    let mut prop = Property::new("ATTENDEE", mailto(&a.email));
    if !a.name.trim().is_empty() {
        prop.add_parameter("CN", &clean_param(&a.name));
    }
    prop.add_parameter("CUTYPE", "INDIVIDUAL")
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .add_parameter("PARTSTAT", a.partstat.as_str())
        .add_parameter("RSVP", if a.rsvp { "TRUE" } else { "FALSE" });
    prop
}

/// The VEVENT common to every output. `with_people`: feeds leave out organizer and attendees, as a
/// feed URL is a bearer secret that may leak, and without them Outlook shows a plain appointment.
fn vevent(e: &Event, status: Status, with_people: bool) -> icalendar::Event {
    let mut ev = icalendar::Event::new();
    ev.uid(&e.uid)
        .sequence(e.sequence)
        .timestamp(e.dtstamp)
        .add_property("DTSTART", utc(e.start))
        .add_property("DTEND", utc(e.end))
        .summary(&clean_text(&e.summary))
        .append_property(Property::new("STATUS", status.as_str()))
        .append_property(Property::new("TRANSP", "OPAQUE"));
    if let Some(d) = e.description.as_deref().filter(|d| !d.is_empty()) {
        ev.description(&clean_text(d));
    }
    if let Some(l) = e.location.as_deref().filter(|l| !l.is_empty()) {
        ev.location(&clean_text(l));
    }
    if let Some(u) = e.url.as_deref().filter(|u| !u.is_empty()) {
        ev.url(u.trim());
    }
    if with_people {
        ev.append_property(organizer_property(&e.organizer));
        for a in &e.attendees {
            ev.append_multi_property(attendee_property(a));
        }
    }
    ev.done()
}

fn calendar(method: Option<Method>) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(("PRODID", PRODID))
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"));
    if let Some(m) = method {
        cal.append_property(("METHOD", m.as_str()));
    }
    cal
}

/// An invitation or an update of one (`METHOD:REQUEST`): an update is the same event with the
/// same UID and a higher `sequence`. Attendees carry the status the caller gives them; a new
/// invitation uses [`Attendee::invited`] (NEEDS-ACTION, RSVP=TRUE).
pub fn request_ics(e: &Event) -> String {
    let mut cal = calendar(Some(Method::Request));
    let status = match e.status {
        Status::Cancelled => Status::Confirmed, // a REQUEST that cancels is a contradiction
        s => s,
    };
    cal.push(vevent(e, status, true));
    cal.to_string()
}

/// A cancellation (`METHOD:CANCEL`, `STATUS:CANCELLED`) with the event's UID. The caller raises
/// `sequence` above the last one sent, or clients ignore the cancellation as stale.
pub fn cancel_ics(e: &Event) -> String {
    let mut cal = calendar(Some(Method::Cancel));
    cal.push(vevent(e, Status::Cancelled, true));
    cal.to_string()
}

/// How often a subscribed client should refetch a feed (RFC 7986 REFRESH-INTERVAL and the older
/// X-PUBLISHED-TTL that Outlook reads). Outlook may still wait longer: appointments also go by iMIP.
pub const FEED_REFRESH: &str = "PT1H";

/// A subscription feed (`webcal://`): no METHOD (it is a published calendar, not a scheduling
/// message), a display name, and refresh hints. Cancelled events stay in with STATUS:CANCELLED
/// only if the caller passes them; usually it leaves them out.
pub fn feed_ics(name: &str, events: &[Event]) -> String {
    let mut cal = calendar(None);
    let name = clean_text(name);
    cal.append_property(("X-WR-CALNAME", name.as_str()))
        .append_property(("NAME", name.as_str()))
        .append_property(
            Property::new("REFRESH-INTERVAL", FEED_REFRESH)
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(("X-PUBLISHED-TTL", FEED_REFRESH));
    for e in events {
        cal.push(vevent(e, e.status, false));
    }
    cal.to_string()
}

/// An attendee's answer to an invitation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub uid: String,
    /// The SEQUENCE the attendee answered (0 when absent). A reply to an older sequence answers
    /// an earlier version of the event: the caller decides whether it still counts.
    pub sequence: u32,
    /// As written by the client, without `mailto:`; compare case-insensitively.
    pub attendee_email: String,
    pub attendee_name: Option<String>,
    /// ACCEPTED, DECLINED or TENTATIVE.
    pub partstat: PartStat,
    /// The note the attendee typed, if the client sent one (Outlook's "edit the response").
    pub comment: Option<String>,
}

/// Why an iCalendar object or an email is not a REPLY we can apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyError {
    /// The text does not parse as iCalendar.
    Unparsable(String),
    /// METHOD is missing or not REPLY (e.g. someone forwarded the invitation itself).
    NotReply(Option<String>),
    NoEvent,
    MissingUid,
    /// A REPLY names exactly one attendee: the one answering (RFC 5546 §3.2.3).
    AttendeeCount(usize),
    /// A PARTSTAT other than ACCEPTED, DECLINED, TENTATIVE (or none at all).
    UnsupportedPartStat(Option<String>),
    /// The email is not MIME we can read.
    NotEmail,
    /// The email has no text/calendar (or application/ics) part.
    NoCalendarPart,
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::Unparsable(e) => write!(f, "not an iCalendar object: {e}"),
            ReplyError::NotReply(Some(m)) => write!(f, "METHOD is {m}, not REPLY"),
            ReplyError::NotReply(None) => f.write_str("no METHOD, so not an iTIP REPLY"),
            ReplyError::NoEvent => f.write_str("the REPLY has no VEVENT"),
            ReplyError::MissingUid => f.write_str("the REPLY's VEVENT has no UID"),
            ReplyError::AttendeeCount(n) => {
                write!(f, "a REPLY names exactly one ATTENDEE, this one has {n}")
            }
            ReplyError::UnsupportedPartStat(Some(p)) => {
                write!(f, "PARTSTAT {p} is not ACCEPTED, DECLINED or TENTATIVE")
            }
            ReplyError::UnsupportedPartStat(None) => f.write_str("the ATTENDEE has no PARTSTAT"),
            ReplyError::NotEmail => f.write_str("not a MIME email"),
            ReplyError::NoCalendarPart => f.write_str("the email has no text/calendar part"),
        }
    }
}

impl std::error::Error for ReplyError {}

type ParsedProperty<'a> = icalendar::parser::Property<'a>;

fn prop<'p, 'a>(props: &'p [ParsedProperty<'a>], name: &str) -> Option<&'p ParsedProperty<'a>> {
    props
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'p>(p: &'p ParsedProperty<'_>, name: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|x| x.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str())
}

fn strip_mailto(v: &str) -> String {
    let v = v.trim();
    match v.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => v[7..].trim().to_owned(),
        _ => v.to_owned(),
    }
}

/// Reads an iTIP REPLY (what Outlook, Thunderbird or Gmail send when an attendee answers).
/// Anything else, including the invitation itself, is refused with the reason.
pub fn parse_reply(ics: &str) -> Result<Reply, ReplyError> {
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).map_err(ReplyError::Unparsable)?;
    let method = prop(&cal.properties, "METHOD").map(|p| p.val.as_str().trim().to_owned());
    if !method
        .as_deref()
        .is_some_and(|m| m.eq_ignore_ascii_case("REPLY"))
    {
        return Err(ReplyError::NotReply(method));
    }
    let ev = cal
        .components
        .iter()
        .find(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .ok_or(ReplyError::NoEvent)?;
    let uid = prop(&ev.properties, "UID")
        .map(|p| p.val.as_str().trim().to_owned())
        .filter(|u| !u.is_empty())
        .ok_or(ReplyError::MissingUid)?;
    let sequence = prop(&ev.properties, "SEQUENCE")
        .and_then(|p| p.val.as_str().trim().parse().ok())
        .unwrap_or(0);
    let attendees: Vec<_> = ev
        .properties
        .iter()
        .filter(|p| p.name.as_str().eq_ignore_ascii_case("ATTENDEE"))
        .collect();
    let [attendee] = attendees[..] else {
        return Err(ReplyError::AttendeeCount(attendees.len()));
    };
    let raw_partstat = param(attendee, "PARTSTAT");
    let partstat = match raw_partstat.and_then(PartStat::parse) {
        Some(p @ (PartStat::Accepted | PartStat::Declined | PartStat::Tentative)) => p,
        _ => {
            return Err(ReplyError::UnsupportedPartStat(
                raw_partstat.map(str::to_owned),
            ))
        }
    };
    let comment = prop(&ev.properties, "COMMENT")
        .map(|p| p.val.clone().unescape_text().as_str().trim().to_owned())
        .filter(|c| !c.is_empty());
    Ok(Reply {
        uid,
        sequence,
        attendee_email: strip_mailto(attendee.val.as_str()),
        attendee_name: param(attendee, "CN").map(str::to_owned),
        partstat,
        comment,
    })
}

/// Finds the calendar in a reply email and reads it with [`parse_reply`]. MIME is read by the
/// `mail-parser` crate (transfer encodings, charsets, nesting). A `text/calendar` part comes
/// first (that is where iMIP puts it), then `application/ics` attachments; the first one that
/// is a valid REPLY wins, otherwise the first candidate's error is returned.
pub fn reply_from_eml(bytes: &[u8]) -> Result<Reply, ReplyError> {
    use mail_parser::{MessageParser, MimeHeaders};
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or(ReplyError::NotEmail)?;
    let kind = |part: &mail_parser::MessagePart<'_>| -> Option<u8> {
        let ct = part.content_type()?;
        let sub = ct.subtype()?;
        match (
            ct.ctype().to_ascii_lowercase().as_str(),
            sub.to_ascii_lowercase().as_str(),
        ) {
            ("text", "calendar") => Some(0),
            ("application", "ics") => Some(1),
            _ => None,
        }
    };
    let mut candidates: Vec<_> = msg
        .parts
        .iter()
        .filter_map(|p| kind(p).map(|k| (k, p)))
        .collect();
    candidates.sort_by_key(|(k, _)| *k);
    let mut first_error = None;
    for (_, part) in candidates {
        let text = String::from_utf8_lossy(part.contents());
        match parse_reply(&text) {
            Ok(r) => return Ok(r),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(ReplyError::NoCalendarPart))
}

/// The iMIP email for `ics` (RFC 6047 §2.4, in the shape Outlook accepts):
///
/// ```text
/// multipart/mixed
/// ├── multipart/alternative
/// │   ├── text/plain; charset=utf-8
/// │   ├── text/html; charset=utf-8            (when given)
/// │   └── text/calendar; method=REQUEST; charset=utf-8   (base64)
/// └── application/ics; name="zaproszenie.ics"  attachment (base64)
/// ```
///
/// Outlook acts on the inline `text/calendar` part; the attachment is for clients and people who
/// only save files. Both are base64 so the CRLF line ends survive every relay byte for byte.
/// `method` must be the METHOD inside `ics`.
pub fn invitation_message(
    from: Mailbox,
    to: Mailbox,
    subject: &str,
    text_body: &str,
    html_body: Option<&str>,
    ics: &str,
    method: Method,
) -> Result<Message, lettre::error::Error> {
    debug_assert!(
        ics.contains(&format!("\r\nMETHOD:{method}\r\n")),
        "the method parameter must match the calendar's METHOD"
    );
    let calendar_type = |t: &str| ContentType::parse(t).expect("a constant, valid content type");
    let mut alternative =
        MultiPart::alternative().singlepart(SinglePart::plain(text_body.to_owned()));
    if let Some(html) = html_body {
        alternative = alternative.singlepart(SinglePart::html(html.to_owned()));
    }
    let alternative = alternative.singlepart(
        SinglePart::builder()
            .header(calendar_type(&format!(
                "text/calendar; method={method}; charset=utf-8"
            )))
            .header(ContentTransferEncoding::Base64)
            .body(ics.to_owned()),
    );
    let attachment = Attachment::new(ATTACHMENT_NAME.to_owned()).body(
        // Base64 accepts any bytes, so this never fails.
        lettre::message::Body::new_with_encoding(ics.to_owned(), ContentTransferEncoding::Base64)
            .map_err(|_| lettre::error::Error::NonAsciiChars)?,
        calendar_type(&format!("application/ics; name=\"{ATTACHMENT_NAME}\"")),
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(
            MultiPart::mixed()
                .multipart(alternative)
                .singlepart(attachment),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use mail_parser::{MessageParser, MimeHeaders, PartType};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 30, h, m, 0).unwrap()
    }

    fn event() -> Event {
        Event {
            uid: uid_for("0190a1b2c3d4", "urzad.example.pl"),
            sequence: 0,
            summary: "Wydanie dowodu osobistego".into(),
            description: Some("Proszę zabrać:\n- zdjęcie,\n- stary dowód; paszport".into()),
            location: Some("https://urzad.example.pl/biuro/rozmowa/abc".into()),
            url: Some("https://urzad.example.pl/biuro/rozmowa/abc".into()),
            start: at(8, 0),
            end: at(8, 30),
            organizer: Person {
                name: "Urząd Gminy Żółkiewka".into(),
                email: "biuro@urzad.example.pl".into(),
            },
            attendees: vec![Attendee::invited(
                "Kowalski, Jan",
                "jan.kowalski@example.com",
            )],
            status: Status::Confirmed,
            dtstamp: at(7, 15),
        }
    }

    /// Content lines with folding undone (RFC 5545 §3.1), after checking the physical lines.
    fn lines(ics: &str) -> Vec<String> {
        assert!(ics.ends_with("\r\n"), "ends with CRLF");
        let physical: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
        for l in &physical {
            assert!(
                !l.contains('\n') && !l.contains('\r'),
                "bare line break in {l:?}"
            );
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        let mut out: Vec<String> = Vec::new();
        for l in physical {
            match l.strip_prefix(' ') {
                Some(rest) => out.last_mut().expect("no fold first").push_str(rest),
                None => out.push(l.to_owned()),
            }
        }
        out
    }

    fn has(lines: &[String], want: &str) -> bool {
        lines.iter().any(|l| l == want)
    }

    #[test]
    fn request_has_what_outlook_needs() {
        let ics = request_ics(&event());
        let l = lines(&ics);
        for want in [
            "BEGIN:VCALENDAR",
            "PRODID:-//SZPoN//Wirtualny urząd//PL",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            "UID:0190a1b2c3d4@urzad.example.pl",
            "SEQUENCE:0",
            "DTSTAMP:20260330T071500Z",
            "DTSTART:20260330T080000Z",
            "DTEND:20260330T083000Z",
            "STATUS:CONFIRMED",
            "SUMMARY:Wydanie dowodu osobistego",
            "URL:https://urzad.example.pl/biuro/rozmowa/abc",
            "ORGANIZER;CN=Urząd Gminy Żółkiewka:mailto:biuro@urzad.example.pl",
            "ATTENDEE;CN=\"Kowalski, Jan\";CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:jan.kowalski@example.com",
            "END:VEVENT",
            "END:VCALENDAR",
        ] {
            assert!(has(&l, want), "missing {want:?} in\n{ics}");
        }
        assert_eq!(l.first().unwrap(), "BEGIN:VCALENDAR");
        assert_eq!(l.iter().filter(|l| l.starts_with("DTSTAMP")).count(), 1);
    }

    #[test]
    fn text_is_escaped_and_crlf_from_forms_normalised() {
        let mut e = event();
        e.summary = "Sprawa: a, b; c\\d".into();
        e.description = Some("pierwsza\r\ndruga\rtrzecia\u{7}".into());
        let l = lines(&request_ics(&e));
        assert!(has(&l, "SUMMARY:Sprawa: a\\, b\\; c\\\\d"), "{l:#?}");
        assert!(has(&l, "DESCRIPTION:pierwsza\\ndruga\\ntrzecia"), "{l:#?}");
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        let mut e = event();
        e.summary = "Zażółć gęślą jaźń — źdźbło, łąka i żółw 🐢 ".repeat(6);
        e.organizer.name =
            "Łukasz Żółć-Źdźbłowski z Wydziału Spraw Obywatelskich i Ewidencji Ludności".into();
        let ics = request_ics(&e);
        // `lines` checks each physical line is at most 75 octets; as &str slices they are all
        // valid UTF-8, but check the bytes too, as a client reading line by line would.
        for raw in ics.as_bytes().split(|&b| b == b'\n') {
            std::str::from_utf8(raw).expect("a fold split a UTF-8 character");
        }
        let l = lines(&ics);
        assert!(ics.contains("\r\n "), "long lines are folded");
        let summary = l.iter().find(|l| l.starts_with("SUMMARY:")).unwrap();
        assert_eq!(
            summary,
            &format!("SUMMARY:{}", e.summary.replace(',', "\\,"))
        );
        let parsed = icalendar::parser::unfold(&ics);
        assert!(parsed.contains(&e.organizer.name));
    }

    #[test]
    fn update_keeps_uid_and_raises_sequence() {
        let first = event();
        let mut moved = first.clone();
        moved.sequence += 1;
        moved.start = at(9, 0);
        moved.end = at(9, 30);
        let l = lines(&request_ics(&moved));
        assert!(has(&l, "UID:0190a1b2c3d4@urzad.example.pl"));
        assert!(has(&l, "SEQUENCE:1"));
        assert!(has(&l, "DTSTART:20260330T090000Z"));
        // A REQUEST never says CANCELLED, whatever the stored status.
        moved.status = Status::Cancelled;
        assert!(has(&lines(&request_ics(&moved)), "STATUS:CONFIRMED"));
    }

    #[test]
    fn cancel_is_method_cancel_with_same_uid() {
        let mut e = event();
        e.sequence = 2;
        let l = lines(&cancel_ics(&e));
        for want in [
            "METHOD:CANCEL",
            "UID:0190a1b2c3d4@urzad.example.pl",
            "SEQUENCE:2",
            "STATUS:CANCELLED",
        ] {
            assert!(has(&l, want), "missing {want}: {l:#?}");
        }
        assert!(l.iter().any(|l| l.starts_with("ATTENDEE")));
        assert!(!has(&l, "METHOD:REQUEST"));
    }

    #[test]
    fn feed_has_no_method_and_no_people() {
        let mut second = event();
        second.uid = uid_for("second", "urzad.example.pl");
        let ics = feed_ics("Moje wizyty; Jan", &[event(), second]);
        let l = lines(&ics);
        assert!(!l.iter().any(|l| l.starts_with("METHOD")));
        assert!(!l
            .iter()
            .any(|l| l.starts_with("ATTENDEE") || l.starts_with("ORGANIZER")));
        assert!(has(&l, "X-WR-CALNAME:Moje wizyty\\; Jan"), "{l:#?}");
        assert!(has(&l, "REFRESH-INTERVAL;VALUE=DURATION:PT1H"));
        assert!(has(&l, "X-PUBLISHED-TTL:PT1H"));
        assert_eq!(l.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 2);
        assert!(feed_ics("Pusty", &[]).contains("X-WR-CALNAME:Pusty\r\n"));
    }

    fn reply(method: &str, attendees: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nMETHOD:{method}\r\nPRODID:Microsoft Exchange Server 2010\r\n\
             VERSION:2.0\r\nBEGIN:VEVENT\r\n{attendees}\
             COMMENT;LANGUAGE=pl-PL:Będę\\, dziękuję.\r\nUID:0190a1b2c3d4@urzad.example.pl\r\n\
             SEQUENCE:3\r\nDTSTAMP:20260324T101500Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    const ACCEPTED: &str =
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=\"Kowalski, Jan\":MAILTO:jan.kowalski@example.com\r\n";

    #[test]
    fn parse_reply_reads_the_answer() {
        let r = parse_reply(&reply("REPLY", ACCEPTED)).unwrap();
        assert_eq!(
            r,
            Reply {
                uid: "0190a1b2c3d4@urzad.example.pl".into(),
                sequence: 3,
                attendee_email: "jan.kowalski@example.com".into(),
                attendee_name: Some("Kowalski, Jan".into()),
                partstat: PartStat::Accepted,
                comment: Some("Będę, dziękuję.".into()),
            }
        );
        for (stat, want) in [
            ("DECLINED", PartStat::Declined),
            ("tentative", PartStat::Tentative),
        ] {
            let att = format!("ATTENDEE;PARTSTAT={stat}:mailto:a@b.pl\r\n");
            let r = parse_reply(&reply("REPLY", &att)).unwrap();
            assert_eq!((r.partstat, r.attendee_email.as_str()), (want, "a@b.pl"));
            assert_eq!(r.attendee_name, None);
        }
    }

    #[test]
    fn parse_reply_refuses_anything_else() {
        let ours = request_ics(&event());
        assert_eq!(
            parse_reply(&ours),
            Err(ReplyError::NotReply(Some("REQUEST".into())))
        );
        assert_eq!(
            parse_reply(&feed_ics("x", &[event()])),
            Err(ReplyError::NotReply(None))
        );
        assert_eq!(
            parse_reply(&reply("REPLY", "")),
            Err(ReplyError::AttendeeCount(0))
        );
        let two = format!("{ACCEPTED}ATTENDEE;PARTSTAT=DECLINED:mailto:x@y.pl\r\n");
        assert_eq!(
            parse_reply(&reply("REPLY", &two)),
            Err(ReplyError::AttendeeCount(2))
        );
        assert_eq!(
            parse_reply(&reply(
                "REPLY",
                "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:a@b.pl\r\n"
            )),
            Err(ReplyError::UnsupportedPartStat(Some("NEEDS-ACTION".into())))
        );
        assert_eq!(
            parse_reply(&reply("REPLY", "ATTENDEE:mailto:a@b.pl\r\n")),
            Err(ReplyError::UnsupportedPartStat(None))
        );
        let no_uid = reply("REPLY", ACCEPTED).replace("UID:0190a1b2c3d4@urzad.example.pl\r\n", "");
        assert_eq!(parse_reply(&no_uid), Err(ReplyError::MissingUid));
        assert!(matches!(
            parse_reply("to nie jest kalendarz"),
            Err(ReplyError::Unparsable(_))
        ));
        let msg = ReplyError::NotReply(Some("REQUEST".into())).to_string();
        assert!(msg.contains("REQUEST") && msg.contains("REPLY"));
    }

    fn mailbox(s: &str) -> Mailbox {
        s.parse().unwrap()
    }

    fn message(html: Option<&str>, method: Method) -> (String, Vec<u8>) {
        let e = event();
        let ics = match method {
            Method::Request => request_ics(&e),
            Method::Cancel => cancel_ics(&e),
        };
        let m = invitation_message(
            mailbox("Urząd Gminy <biuro@urzad.example.pl>"),
            mailbox("Jan Kowalski <jan.kowalski@example.com>"),
            "Zaproszenie: Wydanie dowodu osobistego",
            "Zapraszamy na wizytę 30 marca o 10:00.",
            html,
            &ics,
            method,
        )
        .unwrap();
        (ics, m.formatted())
    }

    fn ctype(p: &mail_parser::MessagePart<'_>) -> String {
        let ct = p.content_type().unwrap();
        format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase()
    }

    fn children<'a>(
        msg: &'a mail_parser::Message<'a>,
        p: &'a mail_parser::MessagePart<'a>,
    ) -> Vec<&'a mail_parser::MessagePart<'a>> {
        match &p.body {
            PartType::Multipart(ids) => ids.iter().map(|&i| &msg.parts[i as usize]).collect(),
            other => panic!("not a multipart: {other:?}"),
        }
    }

    #[test]
    fn invitation_mime_is_mixed_alternative_calendar_plus_attachment() {
        let (ics, raw) = message(Some("<p>Zapraszamy</p>"), Method::Request);
        let text = String::from_utf8(raw.clone()).unwrap();
        assert!(
            text.contains("Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n"),
            "{text}"
        );
        let msg = MessageParser::default().parse(&raw).unwrap();
        let root = &msg.parts[0];
        assert_eq!(ctype(root), "multipart/mixed");
        let top = children(&msg, root);
        assert_eq!(
            top.iter().map(|p| ctype(p)).collect::<Vec<_>>(),
            ["multipart/alternative", "application/ics"]
        );
        let alt = children(&msg, top[0]);
        assert_eq!(
            alt.iter().map(|p| ctype(p)).collect::<Vec<_>>(),
            ["text/plain", "text/html", "text/calendar"]
        );
        let cal = alt[2];
        let ct = cal.content_type().unwrap();
        assert_eq!(ct.attribute("method"), Some("REQUEST"));
        assert_eq!(ct.attribute("charset"), Some("utf-8"));
        assert_eq!(cal.content_transfer_encoding(), Some("base64"));
        assert_eq!(
            cal.contents(),
            ics.as_bytes(),
            "CRLFs survive byte for byte"
        );
        assert!(
            cal.content_disposition().is_none(),
            "inline, not an attachment"
        );

        let att = top[1];
        assert_eq!(att.attachment_name(), Some(ATTACHMENT_NAME));
        assert_eq!(att.content_disposition().unwrap().ctype(), "attachment");
        assert_eq!(att.contents(), ics.as_bytes());
        // Nested boundaries: the alternative's boundary differs from the mixed one.
        let b_mixed = root.content_type().unwrap().attribute("boundary").unwrap();
        let b_alt = top[0]
            .content_type()
            .unwrap()
            .attribute("boundary")
            .unwrap();
        assert_ne!(b_mixed, b_alt);
        assert!(text.contains(&format!("--{b_mixed}--")) && text.contains(&format!("--{b_alt}--")));
    }

    #[test]
    fn cancel_message_without_html() {
        let (ics, raw) = message(None, Method::Cancel);
        let msg = MessageParser::default().parse(&raw).unwrap();
        let top = children(&msg, &msg.parts[0]);
        let alt = children(&msg, top[0]);
        assert_eq!(
            alt.iter().map(|p| ctype(p)).collect::<Vec<_>>(),
            ["text/plain", "text/calendar"]
        );
        assert_eq!(
            alt[1].content_type().unwrap().attribute("method"),
            Some("CANCEL")
        );
        assert_eq!(alt[1].contents(), ics.as_bytes());
    }

    fn eml(calendar_part: &str) -> Vec<u8> {
        format!(
            "From: Jan Kowalski <jan.kowalski@example.com>\r\n\
             To: biuro@urzad.example.pl\r\nSubject: Zaakceptowano\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
             --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOK\r\n\
             {calendar_part}--b1--\r\n"
        )
        .into_bytes()
    }

    fn quoted_printable(s: &str) -> String {
        let mut out = String::new();
        for line in s.split("\r\n") {
            for b in line.bytes() {
                if b == b'=' || !(32..127).contains(&b) {
                    out.push_str(&format!("={b:02X}"));
                } else {
                    out.push(b as char);
                }
            }
            out.push_str("\r\n");
        }
        out
    }

    #[test]
    fn reply_from_quoted_printable_email() {
        let body = quoted_printable(&reply("REPLY", ACCEPTED));
        let part = format!(
            "--b1\r\nContent-Type: text/calendar; charset=\"utf-8\"; method=REPLY\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\n{body}"
        );
        let r = reply_from_eml(&eml(&part)).unwrap();
        assert_eq!(r.partstat, PartStat::Accepted);
        assert_eq!(r.comment.as_deref(), Some("Będę, dziękuję."));
    }

    #[test]
    fn reply_from_email_without_a_reply() {
        assert_eq!(reply_from_eml(&eml("")), Err(ReplyError::NoCalendarPart));
        let part = format!(
            "--b1\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n{}",
            request_ics(&event())
        );
        assert_eq!(
            reply_from_eml(&eml(&part)),
            Err(ReplyError::NotReply(Some("REQUEST".into())))
        );
        // A REPLY only as an application/ics attachment is still read.
        let part = format!(
            "--b1\r\nContent-Type: application/ics; name=\"reply.ics\"\r\n\
             Content-Disposition: attachment; filename=\"reply.ics\"\r\n\r\n{}",
            reply("REPLY", ACCEPTED)
        );
        assert_eq!(reply_from_eml(&eml(&part)).unwrap().sequence, 3);
    }
}
