//! A problem's settings and the rules Open edX derives from them (`xmodule/capa_block.py`):
//! when it closes, whether a learner may submit, when the answer and the correctness show, and
//! which random seed it runs with.
//!
//! Settings come from the block and, for the fields Open edX calls inheritable
//! (`xmodule/modulestore/inheritance.py`: `due`, `graceperiod`, `showanswer`, `show_correctness`,
//! `rerandomize`, `max_attempts`, `show_reset_button`, ...), from the nearest ancestor that sets
//! them, up to the course block (whose `policy.json` entry carries the course-wide defaults):
//! [`effective_settings`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

use super::{parse_bool, parse_float, parse_int};
use crate::grading::correctness_available as grading_correctness_available;
use crate::olx::Course;

// ---------------------------------------------------------------------------------------------
// Field values
// ---------------------------------------------------------------------------------------------

/// `rerandomize`: how often a problem's random variables change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Rerandomize {
    /// One variant for everybody (seed 1). The default.
    #[default]
    Never,
    /// A new seed on every reset, and a reset is required after each submission.
    Always,
    /// A new seed on every reset.
    OnReset,
    /// One of 20 variants per learner, fixed.
    PerStudent,
    /// A value Open edX does not know; it seeds like `always` but never demands a reset.
    Other(String),
}

impl Rerandomize {
    /// Open edX's `Randomization.from_json`: `""` and `"true"` mean `always`, `"false"` means
    /// `per_student` (values of old XML courses).
    pub fn parse(value: &str) -> Self {
        match value {
            "" | "true" => Rerandomize::Always,
            "false" => Rerandomize::PerStudent,
            "never" => Rerandomize::Never,
            "always" => Rerandomize::Always,
            "onreset" => Rerandomize::OnReset,
            "per_student" => Rerandomize::PerStudent,
            other => Rerandomize::Other(other.to_string()),
        }
    }
}

/// `showanswer`: when the Show Answer button works.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ShowAnswer {
    Always,
    /// Once the answer is fully correct (`answered`).
    Answered,
    /// Once attempted, or past due (`attempted`; Studio calls it "Attempted or Past Due").
    Attempted,
    Closed,
    /// Closed or fully correct. The default.
    #[default]
    Finished,
    CorrectOrPastDue,
    PastDue,
    Never,
    /// After `attempts_before_showanswer_button` attempts (capped at `max_attempts`).
    AfterAttempts,
    AfterAllAttempts,
    AfterAllAttemptsOrCorrect,
    /// Once attempted, due date or not (`attempted_no_past_due`, Studio's "Attempted").
    AttemptedNoPastDue,
    /// `showanswer=""`: like `never`, and checked before the staff override, so staff see
    /// nothing either.
    Empty,
    /// An unknown value: the answer is never available (staff still see it).
    Other(String),
}

impl ShowAnswer {
    pub fn parse(value: &str) -> Self {
        match value {
            "always" => ShowAnswer::Always,
            "answered" => ShowAnswer::Answered,
            "attempted" => ShowAnswer::Attempted,
            "closed" => ShowAnswer::Closed,
            "finished" => ShowAnswer::Finished,
            "correct_or_past_due" => ShowAnswer::CorrectOrPastDue,
            "past_due" => ShowAnswer::PastDue,
            "never" => ShowAnswer::Never,
            "after_attempts" => ShowAnswer::AfterAttempts,
            "after_all_attempts" => ShowAnswer::AfterAllAttempts,
            "after_all_attempts_or_correct" => ShowAnswer::AfterAllAttemptsOrCorrect,
            "attempted_no_past_due" => ShowAnswer::AttemptedNoPastDue,
            "" => ShowAnswer::Empty,
            other => ShowAnswer::Other(other.to_string()),
        }
    }
}

/// `show_correctness`: when scores and correct/incorrect marks show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ShowCorrectness {
    #[default]
    Always,
    /// Once the problem's close date (due + grace) has passed; staff always.
    PastDue,
    /// Never, not even to staff.
    Never,
    /// Unknown values behave like `always`.
    Other(String),
}

impl ShowCorrectness {
    pub fn parse(value: &str) -> Self {
        match value {
            "always" => ShowCorrectness::Always,
            "past_due" => ShowCorrectness::PastDue,
            "never" => ShowCorrectness::Never,
            other => ShowCorrectness::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ShowCorrectness::Always => "always",
            ShowCorrectness::PastDue => "past_due",
            ShowCorrectness::Never => "never",
            ShowCorrectness::Other(s) => s,
        }
    }
}

/// Parses a date as Open edX's `Date` field stores it: ISO 8601 (`2013-02-05T05:00:00Z`,
/// `2013-02-05T05:00:00+00:00`, fractional seconds, a space instead of `T`, a date alone);
/// no zone means UTC; a JSON number is milliseconds since the epoch. Empty, `null` or
/// unparseable → `None` (Open edX logs and ignores a date it cannot read, too).
pub fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim().trim_matches('"').trim();
    if v.is_empty() || v == "null" {
        return None;
    }
    if let Ok(ms) = v.parse::<f64>() {
        if !ms.is_finite() {
            return None;
        }
        return DateTime::from_timestamp_millis(ms as i64);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Some(d.with_timezone(&Utc));
    }
    let v = v.replacen(' ', "T", 1);
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(d) = DateTime::parse_from_str(&v, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let naive = v.strip_suffix('Z').unwrap_or(&v);
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(naive, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// Parses a grace period as Open edX's `Timedelta` field does: `"2 days 3 hours 4 minutes 5
/// seconds"`, every part optional but in that order, singular or plural, at most one whitespace
/// character between parts (`^((\d+?) day(s?))?(\s)?((\d+?) hour(s?))?(\s)?...$`). Anything
/// else is `None`; the empty string is a zero period, as in Open edX.
pub fn parse_timedelta(value: &str) -> Option<TimeDelta> {
    // Python's `$` also matches before one final newline.
    let s = value.strip_suffix('\n').unwrap_or(value);
    let b = s.as_bytes();
    let mut pos = 0;
    let mut total: i64 = 0;
    for (unit, secs) in [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        if let Some((n, end)) = timedelta_part(b, pos, unit) {
            total = total.checked_add(n.checked_mul(secs)?)?;
            pos = end;
        }
        if pos < b.len() && (b[pos] as char).is_ascii_whitespace() {
            pos += 1;
        }
    }
    if pos != b.len() {
        return None;
    }
    // Python's timedelta refuses more than 999999999 days.
    if total > 999_999_999 * 86_400 {
        return None;
    }
    TimeDelta::try_seconds(total)
}

/// One `N unit[s]` group at `pos`: the number and where the group ends.
fn timedelta_part(b: &[u8], pos: usize, unit: &str) -> Option<(i64, usize)> {
    let digits = b[pos..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let mut end = pos + digits;
    let rest = &b[end..];
    let word = [b" ".as_slice(), unit.as_bytes()].concat();
    if !rest.starts_with(&word) {
        return None;
    }
    end += word.len();
    if b.get(end) == Some(&b's') {
        end += 1;
    }
    let n = std::str::from_utf8(&b[pos..pos + digits])
        .ok()?
        .parse::<i64>()
        .ok()?;
    Some((n, end))
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/// The settings of one problem, as Open edX's `ProblemBlock` sees them after inheritance.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemSettings {
    /// Points the problem is worth; `None` = its raw points (one per response).
    pub weight: Option<f64>,
    /// `None` = unlimited attempts. `Some(0)` makes a survey: closed for submitting, but Save
    /// and Reset stay.
    pub max_attempts: Option<i64>,
    pub showanswer: ShowAnswer,
    pub rerandomize: Rerandomize,
    /// `graded` set on the problem itself (inherited values do not count: Open edX's grades
    /// read only an explicitly set value and default to true).
    pub graded: Option<bool>,
    pub due: Option<DateTime<Utc>>,
    pub graceperiod: Option<TimeDelta>,
    /// The course's `end`: the close date of a problem without a due date.
    pub course_end: Option<DateTime<Utc>>,
    pub attempts_before_showanswer_button: i64,
    pub show_reset_button: bool,
    pub force_save_button: bool,
    pub submission_wait_seconds: i64,
    pub show_correctness: ShowCorrectness,
    /// `last_score` (default), `first_score`, `highest_score` or `average_score`.
    pub grading_method: String,
}

impl Default for ProblemSettings {
    fn default() -> Self {
        ProblemSettings {
            weight: None,
            max_attempts: None,
            showanswer: ShowAnswer::Finished,
            rerandomize: Rerandomize::Never,
            graded: None,
            due: None,
            graceperiod: None,
            course_end: None,
            attempts_before_showanswer_button: 0,
            show_reset_button: false,
            force_save_button: false,
            submission_wait_seconds: 0,
            show_correctness: ShowCorrectness::Always,
            grading_method: "last_score".to_string(),
        }
    }
}

/// A learner's state of one problem, for the rules below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProblemState {
    /// Submissions that were graded (`attempts`).
    pub attempts: i64,
    /// Submitted and not reset since (`done`; Open edX's `is_submitted`).
    pub done: bool,
    /// Full points: raw earned equals raw possible (`is_correct`). Note that an unanswered
    /// problem worth 0 points counts as correct, as in Open edX.
    pub correct: bool,
    /// When the last graded submission happened.
    pub last_submission_time: Option<DateTime<Utc>>,
}

/// Why a submission is refused ([`ProblemSettings::can_submit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitRefusal {
    /// "Problem is closed.": attempts used up or past the close date.
    Closed,
    /// "Problem must be reset before it can be submitted again." (`rerandomize="always"`).
    MustReset,
    /// "You must wait at least N between submissions." with the whole seconds remaining.
    Wait { remaining_seconds: i64 },
}

/// The close date: the due date (or, without one, the course end) plus the grace period.
pub fn close_date(
    due: Option<DateTime<Utc>>,
    course_end: Option<DateTime<Utc>>,
    graceperiod: Option<TimeDelta>,
) -> Option<DateTime<Utc>> {
    let d = due.or(course_end)?;
    match graceperiod {
        Some(g) => d.checked_add_signed(g).or(Some(d)),
        None => Some(d),
    }
}

/// `closed()`: attempts used up, or `now` strictly after the close date.
pub fn is_closed(
    attempts: i64,
    max_attempts: Option<i64>,
    now: DateTime<Utc>,
    close: Option<DateTime<Utc>>,
) -> bool {
    max_attempts.is_some_and(|m| attempts >= m) || close.is_some_and(|c| now > c)
}

impl ProblemSettings {
    /// The problem's own settings, without inheritance (see [`effective_settings`]).
    pub fn from_block(block: &crate::olx::Block) -> Self {
        let mut s = ProblemSettings::default();
        for name in INHERITABLE.iter().chain(OWN) {
            if let Some(v) = explicit(block, name) {
                s.set(name, v.as_deref());
            }
        }
        s
    }

    /// Applies one field's value (`None` = explicitly null).
    fn set(&mut self, name: &str, value: Option<&str>) {
        let v = value.unwrap_or("");
        match name {
            "weight" => self.weight = parse_float(v),
            "max_attempts" => self.max_attempts = parse_int(v),
            "showanswer" => {
                self.showanswer = value.map(ShowAnswer::parse).unwrap_or_default();
            }
            "rerandomize" => {
                self.rerandomize = value.map(Rerandomize::parse).unwrap_or_default();
            }
            "graded" => self.graded = value.map(parse_bool),
            "due" => self.due = parse_date(v),
            "graceperiod" => self.graceperiod = value.and_then(parse_timedelta),
            "end" => self.course_end = parse_date(v),
            "attempts_before_showanswer_button" => {
                self.attempts_before_showanswer_button = parse_int(v).unwrap_or(0);
            }
            "show_reset_button" => self.show_reset_button = parse_bool(v),
            "force_save_button" => self.force_save_button = parse_bool(v),
            "submission_wait_seconds" => {
                self.submission_wait_seconds = parse_int(v).unwrap_or(0);
            }
            "show_correctness" => {
                self.show_correctness = value.map(ShowCorrectness::parse).unwrap_or_default();
            }
            "grading_method" => {
                self.grading_method = value
                    .filter(|v| !v.is_empty())
                    .unwrap_or("last_score")
                    .to_string();
            }
            _ => {}
        }
    }

    /// [`close_date`] of these settings.
    pub fn close_date(&self) -> Option<DateTime<Utc>> {
        close_date(self.due, self.course_end, self.graceperiod)
    }

    /// `is_past_due()`: `now` is after the close date.
    pub fn is_past_due(&self, now: DateTime<Utc>) -> bool {
        self.close_date().is_some_and(|c| now > c)
    }

    /// `used_all_attempts()`.
    pub fn used_all_attempts(&self, attempts: i64) -> bool {
        self.max_attempts.is_some_and(|m| attempts >= m)
    }

    /// `closed()`: see [`is_closed`].
    pub fn is_closed(&self, attempts: i64, now: DateTime<Utc>) -> bool {
        is_closed(attempts, self.max_attempts, now, self.close_date())
    }

    /// Whether a submission is accepted now, checked in `submit_problem`'s order: closed, must
    /// reset (`always` after a submission), then `submission_wait_seconds` since the last one.
    pub fn can_submit(
        &self,
        state: &ProblemState,
        now: DateTime<Utc>,
    ) -> Result<(), SubmitRefusal> {
        if self.is_closed(state.attempts, now) {
            return Err(SubmitRefusal::Closed);
        }
        if state.done && self.rerandomize == Rerandomize::Always {
            return Err(SubmitRefusal::MustReset);
        }
        if let Some(last) = state.last_submission_time {
            let wait = self.submission_wait_seconds;
            if wait != 0 {
                let since = (now - last).num_milliseconds() as f64 / 1000.0;
                if since < wait as f64 {
                    return Err(SubmitRefusal::Wait {
                        remaining_seconds: (wait as f64 - since) as i64,
                    });
                }
            }
        }
        Ok(())
    }

    /// `should_enable_submit_button()`: not closed, and no reset pending under `always`.
    pub fn submit_button_enabled(&self, state: &ProblemState, now: DateTime<Utc>) -> bool {
        !(self.is_closed(state.attempts, now)
            || (state.done && self.rerandomize == Rerandomize::Always))
    }

    /// `should_show_reset_button()`.
    pub fn reset_button_shown(&self, state: &ProblemState, now: DateTime<Utc>) -> bool {
        let survey = self.max_attempts == Some(0);
        if self.is_closed(state.attempts, now) && !survey {
            return false;
        }
        if matches!(self.rerandomize, Rerandomize::Always | Rerandomize::OnReset) && state.done {
            return true;
        }
        !state.correct && self.show_reset_button
    }

    /// `should_show_save_button()`.
    pub fn save_button_shown(&self, state: &ProblemState, now: DateTime<Utc>) -> bool {
        let closed = self.is_closed(state.attempts, now);
        if self.force_save_button {
            return !closed;
        }
        let survey = self.max_attempts == Some(0);
        let needs_reset = state.done && self.rerandomize == Rerandomize::Always;
        if self.max_attempts.is_none() && self.rerandomize != Rerandomize::Always {
            return false;
        }
        !((closed && !survey) || needs_reset)
    }

    /// `correctness_available()`: `never` hides from everyone; staff see it otherwise;
    /// `past_due` waits for the close date (due + grace; no date = available).
    pub fn correctness_available(&self, now: DateTime<Utc>, is_staff: bool) -> bool {
        grading_correctness_available(
            self.show_correctness.as_str(),
            self.close_date(),
            now,
            is_staff,
        )
    }

    /// `answer_available()`, value by value as `capa_block.py` has it. Correctness hidden hides
    /// the answer too; `""` and `never` beat the staff override; staff see every other case.
    pub fn answer_available(
        &self,
        state: &ProblemState,
        now: DateTime<Utc>,
        is_staff: bool,
    ) -> bool {
        if !self.correctness_available(now, is_staff) {
            return false;
        }
        match self.showanswer {
            ShowAnswer::Empty | ShowAnswer::Never => return false,
            _ if is_staff => return true,
            _ => {}
        }
        let past_due = self.is_past_due(now);
        let closed = self.is_closed(state.attempts, now);
        let attempted = state.attempts > 0;
        match &self.showanswer {
            ShowAnswer::Attempted => attempted || past_due,
            ShowAnswer::Answered => state.correct,
            ShowAnswer::Closed => closed,
            ShowAnswer::Finished => closed || state.correct,
            ShowAnswer::CorrectOrPastDue => state.correct || past_due,
            ShowAnswer::PastDue => past_due,
            ShowAnswer::AfterAttempts => {
                let mut required = self.attempts_before_showanswer_button;
                // `if self.max_attempts and ...`: 0 and None do not cap.
                if let Some(m) = self.max_attempts.filter(|&m| m != 0) {
                    if required >= m {
                        required = m;
                    }
                }
                state.attempts >= required
            }
            ShowAnswer::Always => true,
            ShowAnswer::AfterAllAttempts => self.used_all_attempts(state.attempts),
            ShowAnswer::AfterAllAttemptsOrCorrect => {
                self.used_all_attempts(state.attempts) || state.correct
            }
            ShowAnswer::AttemptedNoPastDue => attempted,
            ShowAnswer::Empty | ShowAnswer::Never | ShowAnswer::Other(_) => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inheritance
// ---------------------------------------------------------------------------------------------

/// Problem fields Open edX inherits from ancestors (a subset of `InheritableFieldsMixin`).
pub const INHERITABLE: &[&str] = &[
    "due",
    "graceperiod",
    "showanswer",
    "show_correctness",
    "rerandomize",
    "max_attempts",
    "show_reset_button",
];

/// Problem fields that are the problem's own.
const OWN: &[&str] = &[
    "weight",
    "graded",
    "attempts_before_showanswer_button",
    "force_save_button",
    "submission_wait_seconds",
    "grading_method",
];

/// A field set on this block: `Some(Some(v))`, explicitly null in the policy: `Some(None)`
/// (which stops inheritance, as an explicitly set `None` does in Open edX), unset: `None`.
fn explicit(block: &crate::olx::Block, name: &str) -> Option<Option<String>> {
    match block.policy.get(name) {
        Some(serde_json::Value::Null) => Some(None),
        Some(_) => Some(block.field(name)),
        None => block.attr(name).map(|v| Some(v.to_string())),
    }
}

/// The value of an inheritable field for a block: its own, else the nearest ancestor's (the
/// course block included). `None` = set nowhere; `Some(None)` = explicitly null.
pub fn inherited_field(course: &Course, block: usize, name: &str) -> Option<Option<String>> {
    let mut at = Some(block);
    let mut guard = 0;
    while let Some(i) = at {
        let b = course.blocks.get(i)?;
        if let Some(v) = explicit(b, name) {
            return Some(v);
        }
        at = b.parent;
        guard += 1;
        if guard > course.blocks.len() {
            return None; // a parent cycle: never in a tree from the reader, but no hang
        }
    }
    None
}

/// The settings a problem runs with: its own fields, inheritable ones from the nearest ancestor
/// that sets them (chapter `due`, course-wide `showanswer` or `graceperiod` from the course's
/// policy entry, ...), and the course `end` for the close date.
pub fn effective_settings(course: &Course, block: usize) -> ProblemSettings {
    let mut s = ProblemSettings::default();
    let Some(b) = course.blocks.get(block) else {
        return s;
    };
    for name in INHERITABLE {
        if let Some(v) = inherited_field(course, block, name) {
            s.set(name, v.as_deref());
        }
    }
    for name in OWN {
        if let Some(v) = explicit(b, name) {
            s.set(name, v.as_deref());
        }
    }
    if let Some(root) = course.blocks.get(course.root) {
        if let Some(end) = root.field("end") {
            s.set("end", Some(&end));
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

/// Number of variants of a `per_student` problem.
pub const NUM_RANDOMIZATION_BINS: i64 = 20;
/// Seeds of `always`/`onreset` problems are taken modulo this.
pub const MAX_RANDOMIZATION_BINS: i64 = 1000;

/// Which `randomization_bin` to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BinHash {
    /// Current edx-platform: SHA-256 of `str(user_id)` then `str(location.encode())`, which in
    /// Python 3 is the bytes' repr `b'block-v1:...'`.
    #[default]
    Current,
    /// The Python 2 code (and CAPA-SPEC §5): SHA-1 of `str(user_id) + location`.
    LegacySha1,
}

/// `randomization_bin(user_id, location)`: `int(hexdigest[:7], 16) % 20`.
pub fn randomization_bin(user_id: &str, location: &str, hash: BinHash) -> i64 {
    let hexd = match hash {
        BinHash::Current => {
            let repr = python_bytes_repr(location.as_bytes());
            super::sha256_hex(&[user_id.as_bytes(), repr.as_bytes()])
        }
        BinHash::LegacySha1 => {
            use sha1::Digest;
            let mut h = sha1::Sha1::new();
            h.update(user_id.as_bytes());
            h.update(location.as_bytes());
            super::hex(&h.finalize())
        }
    };
    i64::from_str_radix(&hexd[..7], 16).unwrap_or(0) % NUM_RANDOMIZATION_BINS
}

/// Python's `repr(bytes)`: `b'...'` (or `b"..."` when only that avoids escaping a `'`).
fn python_bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::with_capacity(b.len() + 3);
    s.push('b');
    s.push(quote);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            c if c as char == quote => {
                s.push('\\');
                s.push(quote);
            }
            0x20..=0x7e => s.push(c as char),
            c => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push(quote);
    s
}

/// The seed a learner's problem gets when it has none stored yet, and again on each reset for
/// `always`/`onreset` (`choose_new_seed`): `never` → 1; `per_student` →
/// [`randomization_bin`] of the user id (`"0"` for anonymous learners, as Open edX uses
/// `user_id or 0`) and the block key; otherwise `fresh_random % 1000` (Python's modulo, so
/// non-negative), where `fresh_random` is a random 32-bit number the caller draws. The caller
/// stores the seed with the learner's state, as Open edX does.
pub fn seed_for(
    rerandomize: &Rerandomize,
    user_id: &str,
    location: &str,
    fresh_random: i32,
) -> i64 {
    match rerandomize {
        Rerandomize::Never => 1,
        Rerandomize::PerStudent => randomization_bin(user_id, location, BinHash::Current),
        _ => i64::from(fresh_random).rem_euclid(MAX_RANDOMIZATION_BINS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: &str) -> DateTime<Utc> {
        parse_date(s).unwrap()
    }

    #[test]
    fn dates_as_open_edx_stores_them() {
        let want = Utc.with_ymd_and_hms(2013, 2, 5, 5, 0, 0).unwrap();
        for v in [
            "2013-02-05T05:00:00Z",
            "2013-02-05T05:00:00+00:00",
            "2013-02-05T05:00:00",
            "2013-02-05 05:00:00",
            "2013-02-05T05:00Z",
            "\"2013-02-05T05:00:00Z\"",
            "2013-02-05T06:00:00+01:00",
            "2013-02-05T05:00:00.000000Z",
            "1360040400000",
        ] {
            assert_eq!(parse_date(v), Some(want), "{v}");
        }
        assert_eq!(
            parse_date("2013-02-05"),
            Some(Utc.with_ymd_and_hms(2013, 2, 5, 0, 0, 0).unwrap())
        );
        for bad in ["", "null", "soon", "2013-13-45", "inf"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn grace_periods_follow_the_timedelta_regex() {
        let secs = |s: &str| parse_timedelta(s).map(|d| d.num_seconds());
        assert_eq!(secs("1 day 2 hours 3 minutes 4 seconds"), Some(93_784));
        assert_eq!(secs("2 days"), Some(172_800));
        assert_eq!(secs("1 hour"), Some(3_600));
        assert_eq!(secs("10 minutes"), Some(600));
        assert_eq!(secs("1 day2 hours"), Some(93_600));
        assert_eq!(secs("5 seconds\n"), Some(5));
        assert_eq!(secs(""), Some(0));
        assert_eq!(secs("2 hours 1 day"), None, "order matters");
        assert_eq!(secs("1 day  2 hours"), None, "one space between parts");
        assert_eq!(secs("1day"), None);
        assert_eq!(secs("1.5 days"), None);
        assert_eq!(secs("99999999999999999999 days"), None);
    }

    #[test]
    fn rerandomize_reads_old_values() {
        assert_eq!(Rerandomize::parse("true"), Rerandomize::Always);
        assert_eq!(Rerandomize::parse(""), Rerandomize::Always);
        assert_eq!(Rerandomize::parse("false"), Rerandomize::PerStudent);
        assert_eq!(Rerandomize::parse("onreset"), Rerandomize::OnReset);
    }

    #[test]
    fn seeds() {
        let loc = "block-v1:edX+DemoX+Demo_Course+type@problem+block@p1";
        assert_eq!(seed_for(&Rerandomize::Never, "7", loc, 12345), 1);
        assert_eq!(seed_for(&Rerandomize::Always, "7", loc, -7), 993);
        assert_eq!(seed_for(&Rerandomize::OnReset, "7", loc, 123_456), 456);
        // int(sha1(b"7" + loc).hexdigest()[:7], 16) % 20, and the sha256 form over
        // b"7" + repr(loc.encode()), both computed with Python's hashlib.
        assert_eq!(randomization_bin("7", loc, BinHash::LegacySha1), LEGACY_7);
        assert_eq!(randomization_bin("7", loc, BinHash::Current), CURRENT_7);
        assert_eq!(seed_for(&Rerandomize::PerStudent, "7", loc, 0), CURRENT_7);
        assert_eq!(python_bytes_repr(b"a'b"), "b\"a'b\"");
        assert_eq!(python_bytes_repr(b"a\xffb"), "b'a\\xffb'");
    }
    const LEGACY_7: i64 = 6;
    const CURRENT_7: i64 = 11;

    fn problem(settings: ProblemSettings) -> ProblemSettings {
        settings
    }

    #[test]
    fn closing_and_submitting() {
        let due = t("2020-01-10T00:00:00Z");
        let s = problem(ProblemSettings {
            due: Some(due),
            graceperiod: parse_timedelta("1 day"),
            max_attempts: Some(2),
            ..Default::default()
        });
        let before = t("2020-01-10T12:00:00Z");
        let after = t("2020-01-11T00:00:01Z");
        assert!(!s.is_closed(1, before));
        assert!(s.is_closed(2, before));
        assert!(s.is_closed(0, after));
        assert!(!s.is_closed(0, t("2020-01-11T00:00:00Z")), "strictly after");
        let st = ProblemState::default();
        assert_eq!(s.can_submit(&st, before), Ok(()));
        assert_eq!(s.can_submit(&st, after), Err(SubmitRefusal::Closed));

        let always = ProblemSettings {
            rerandomize: Rerandomize::Always,
            submission_wait_seconds: 60,
            ..Default::default()
        };
        let done = ProblemState {
            attempts: 1,
            done: true,
            last_submission_time: Some(before),
            ..Default::default()
        };
        assert_eq!(
            always.can_submit(&done, before),
            Err(SubmitRefusal::MustReset)
        );
        let waiting = ProblemState {
            done: false,
            ..done
        };
        assert_eq!(
            always.can_submit(&waiting, before + TimeDelta::seconds(15)),
            Err(SubmitRefusal::Wait {
                remaining_seconds: 45
            })
        );
        assert_eq!(
            always.can_submit(&waiting, before + TimeDelta::seconds(60)),
            Ok(())
        );
        // No due date: the course end closes the problem.
        let by_end = ProblemSettings {
            course_end: Some(due),
            ..Default::default()
        };
        assert!(by_end.is_closed(0, after));
    }

    #[test]
    fn every_showanswer_value() {
        let due = t("2020-01-10T00:00:00Z");
        let before = t("2020-01-01T00:00:00Z");
        let after = t("2020-02-01T00:00:00Z");
        let st = |attempts, correct| ProblemState {
            attempts,
            done: attempts > 0,
            correct,
            last_submission_time: None,
        };
        let avail = |sa: &str, max: Option<i64>, state: ProblemState, now, staff| {
            ProblemSettings {
                showanswer: ShowAnswer::parse(sa),
                due: Some(due),
                max_attempts: max,
                attempts_before_showanswer_button: 3,
                ..Default::default()
            }
            .answer_available(&state, now, staff)
        };
        // (value, max_attempts, attempts, correct, now, expected)
        type Case<'a> = (&'a str, Option<i64>, i64, bool, DateTime<Utc>, bool);
        let cases: &[Case] = &[
            ("always", None, 0, false, before, true),
            ("never", None, 5, true, after, false),
            ("", None, 5, true, after, false),
            ("bogus", None, 5, true, after, false),
            ("answered", None, 1, false, after, false),
            ("answered", None, 1, true, before, true),
            ("attempted", None, 0, false, before, false),
            ("attempted", None, 1, false, before, true),
            ("attempted", None, 0, false, after, true),
            ("attempted_no_past_due", None, 0, false, after, false),
            ("attempted_no_past_due", None, 1, false, before, true),
            ("closed", Some(2), 1, true, before, false),
            ("closed", Some(2), 2, false, before, true),
            ("closed", None, 0, false, after, true),
            ("finished", None, 1, false, before, false),
            ("finished", None, 1, true, before, true),
            ("finished", Some(1), 1, false, before, true),
            ("correct_or_past_due", None, 1, false, before, false),
            ("correct_or_past_due", None, 1, true, before, true),
            ("correct_or_past_due", None, 0, false, after, true),
            ("past_due", None, 3, true, before, false),
            ("past_due", None, 0, false, after, true),
            ("after_attempts", None, 2, false, before, false),
            ("after_attempts", None, 3, false, before, true),
            ("after_attempts", Some(2), 2, false, before, true),
            ("after_attempts", Some(0), 2, false, before, false),
            ("after_all_attempts", Some(2), 1, true, after, false),
            ("after_all_attempts", Some(2), 2, false, before, true),
            ("after_all_attempts", None, 9, false, after, false),
            (
                "after_all_attempts_or_correct",
                Some(2),
                1,
                true,
                before,
                true,
            ),
            (
                "after_all_attempts_or_correct",
                Some(2),
                1,
                false,
                before,
                false,
            ),
        ];
        for &(sa, max, attempts, correct, now, want) in cases {
            assert_eq!(
                avail(sa, max, st(attempts, correct), now, false),
                want,
                "{sa} max={max:?} attempts={attempts} correct={correct} now={now}"
            );
        }
        // Staff: everything but "never" and "".
        assert!(avail("past_due", None, st(0, false), before, true));
        assert!(avail("bogus", None, st(0, false), before, true));
        assert!(!avail("never", None, st(0, false), before, true));
        assert!(!avail("", None, st(0, false), before, true));
        // Hidden correctness hides the answer.
        let hidden = ProblemSettings {
            showanswer: ShowAnswer::Always,
            show_correctness: ShowCorrectness::PastDue,
            due: Some(due),
            ..Default::default()
        };
        assert!(!hidden.answer_available(&st(1, true), before, false));
        assert!(hidden.answer_available(&st(1, true), after, false));
        assert!(hidden.answer_available(&st(1, true), before, true));
        let never = ProblemSettings {
            show_correctness: ShowCorrectness::Never,
            showanswer: ShowAnswer::Always,
            ..Default::default()
        };
        assert!(!never.answer_available(&st(1, true), before, true));
    }

    #[test]
    fn buttons() {
        let now = t("2020-01-01T00:00:00Z");
        let st = ProblemState {
            attempts: 1,
            done: true,
            correct: false,
            last_submission_time: None,
        };
        let onreset = ProblemSettings {
            rerandomize: Rerandomize::OnReset,
            ..Default::default()
        };
        assert!(onreset.reset_button_shown(&st, now));
        assert!(!ProblemSettings::default().reset_button_shown(&st, now));
        let survey = ProblemSettings {
            max_attempts: Some(0),
            show_reset_button: true,
            ..Default::default()
        };
        assert!(survey.reset_button_shown(&st, now));
        assert!(survey.save_button_shown(&st, now));
        assert!(!ProblemSettings::default().save_button_shown(&st, now));
        assert!(!ProblemSettings {
            rerandomize: Rerandomize::Always,
            ..Default::default()
        }
        .submit_button_enabled(&st, now));
    }
}
