//! Free appointment slots for one official (or department) and one matter.
//!
//! Conventions, each pinned by a test below:
//! - Hours are wall-clock times in Europe/Warsaw, because that is how an office states them;
//!   slots come out as UTC instants, because that is what is stored and sent to Outlook.
//! - A local start or end time becomes an instant first. A time that does not exist (the hour
//!   skipped on the last Sunday of March) moves forward to the first instant that does (03:00);
//!   a time that happens twice (the hour repeated on the last Sunday of October) takes the
//!   earlier instant, as people mean it. Slots are then stepped in real elapsed time from the
//!   start instant and must end by the end instant, so hours across a clock change give exactly
//!   as many slots as real time allows: none at a time that doesn't exist, no instant twice.
//! - An end of 00:00 means midnight at the end of the day (so night duty can reach it).
//! - Buffers are the official's own time around an appointment (preparing before, notes after)
//!   and they add up: a slot widened by the matter's buffers must not overlap any busy interval
//!   widened by its own. Hours bound the appointment itself, not its buffers. Intervals are
//!   half-open: an appointment ending at 09:00 leaves 09:00 free.
//! - Days (exceptions, caps, the booking window) are local dates; a slot, a booking and `now`
//!   belong to the local date on which they start.
//!
//! [`free_slots`] and [`check_slot`] share one verdict, so a slot offered on the page is exactly
//! a slot the booking POST accepts (a test checks every 5 minutes over weeks around both changes).

use chrono::{DateTime, Days, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike};
use chrono::{Datelike, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt;

/// Every office is in Poland; the zone is fixed rather than configured so it cannot be wrong.
pub const ZONE: Tz = chrono_tz::Europe::Warsaw;

/// One stretch of working time on a day, local wall clock. `end` 00:00 means the day's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// A departure from the weekly hours on particular dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exception {
    /// Whole days off, both ends included (a holiday, leave). Wins over [`Exception::Hours`]:
    /// someone on leave is away whatever hours were planned for that day.
    Off { from: NaiveDate, to: NaiveDate },
    /// Replaces the weekly hours on one date (a shorter Christmas Eve, a Saturday duty, a
    /// half-day leave). The last one listed for a date counts.
    Hours { date: NaiveDate, hours: Vec<Hours> },
}

/// Availability of one official or department for one matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Identifies the matter, for the per-matter daily cap.
    pub matter: String,
    /// Working hours per weekday, Monday first (`Weekday::num_days_from_monday`).
    pub weekly: [Vec<Hours>; 7],
    pub exceptions: Vec<Exception>,
    pub duration_min: u32,
    pub buffer_before_min: u32,
    pub buffer_after_min: u32,
    /// Distance between consecutive slot starts; `None` (or 0) means the duration.
    pub step_min: Option<u32>,
    /// How long before its start a slot can still be booked.
    pub min_notice_min: u32,
    /// The last bookable day is today (local) plus this many days.
    pub window_days: u32,
    /// At most this many bookings with this official per local day, whatever the matter.
    pub cap_official: Option<u32>,
    /// At most this many bookings of this matter per local day (with anyone, see [`BusyKind`]).
    pub cap_matter: Option<u32>,
}

impl Rules {
    /// No hours, buffers, notice or caps; a window of 30 days, a month being what offices publish.
    pub fn new(matter: impl Into<String>, duration_min: u32) -> Self {
        Rules {
            matter: matter.into(),
            weekly: Default::default(),
            exceptions: Vec::new(),
            duration_min,
            buffer_before_min: 0,
            buffer_after_min: 0,
            step_min: None,
            min_notice_min: 0,
            window_days: 30,
            cap_official: None,
            cap_matter: None,
        }
    }

    /// Adds working hours on a weekday.
    pub fn with_hours(mut self, day: Weekday, start: NaiveTime, end: NaiveTime) -> Self {
        self.weekly[day.num_days_from_monday() as usize].push(Hours { start, end });
        self
    }

    fn step(&self) -> u32 {
        match self.step_min {
            Some(s) if s > 0 => s,
            _ => self.duration_min,
        }
    }

    fn is_off(&self, date: NaiveDate) -> bool {
        self.exceptions
            .iter()
            .any(|e| matches!(e, Exception::Off { from, to } if (*from..=*to).contains(&date)))
    }

    /// The hours that apply on a date, `None` on a day off.
    fn hours_on(&self, date: NaiveDate) -> Option<&[Hours]> {
        if self.is_off(date) {
            return None;
        }
        let changed = self.exceptions.iter().rev().find_map(|e| match e {
            Exception::Hours { date: d, hours } if *d == date => Some(hours.as_slice()),
            _ => None,
        });
        Some(changed.unwrap_or(&self.weekly[date.weekday().num_days_from_monday() as usize]))
    }
}

/// What an existing interval in the official's calendar means for new bookings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusyKind {
    /// A meeting or other event of the official: blocks time, counts towards no cap.
    Event,
    /// A booking with this official: blocks time, counts towards the official's cap, and
    /// towards the matter's cap when the matter is the same.
    Booking { matter: String },
    /// A booking handled by someone else: blocks nothing here but counts towards the matter's
    /// cap when the matter is the same, so a cap can hold for the whole office.
    Elsewhere { matter: String },
}

/// An interval already taken, with the buffers it was booked with (0 for plain events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub buffer_before_min: u32,
    pub buffer_after_min: u32,
    pub kind: BusyKind,
}

/// A bookable appointment: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Why a requested slot cannot be booked, in the order they are checked, so the web layer can
/// say exactly that and offer other slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotRefusal {
    /// Starts earlier than now plus the minimum notice (or in the past).
    TooSoon,
    /// On a day after the booking window.
    BeyondWindow,
    /// On a day off (holiday, leave).
    DayOff,
    /// Not one of the slots the hours of that day give (wrong time, or no hours that day).
    OutsideHours,
    /// Overlaps another appointment or event, buffers included.
    Taken,
    /// The official already has the most bookings allowed that day.
    OfficialCapReached,
    /// The matter already has the most bookings allowed that day.
    MatterCapReached,
}

impl fmt::Display for SlotRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SlotRefusal::TooSoon => "too soon to book",
            SlotRefusal::BeyondWindow => "beyond the booking window",
            SlotRefusal::DayOff => "a day off",
            SlotRefusal::OutsideHours => "outside the hours",
            SlotRefusal::Taken => "already taken",
            SlotRefusal::OfficialCapReached => "the official's daily limit is reached",
            SlotRefusal::MatterCapReached => "the matter's daily limit is reached",
        })
    }
}

impl std::error::Error for SlotRefusal {}

/// The free slots whose local date lies in `from..=to`, in UTC, sorted, each once.
pub fn free_slots(
    rules: &Rules,
    busy: &[Busy],
    now: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Slot> {
    // Days before today or after the window can hold no free slot; don't walk them.
    let today = local_date(now);
    let from = from.max(today);
    let to = match last_day(rules, today) {
        Some(last) => to.min(last),
        None => to,
    };
    let mut out = Vec::new();
    for date in from.iter_days().take_while(|d| *d <= to) {
        let grid = grid(rules, date);
        out.extend(
            grid.iter()
                .filter_map(|s| verdict(rules, busy, now, date, &grid, s.start).ok()),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// Whether one requested slot, given by its start, can be booked; the slot or the reason not.
pub fn check_slot(
    rules: &Rules,
    busy: &[Busy],
    now: DateTime<Utc>,
    start: DateTime<Utc>,
) -> Result<Slot, SlotRefusal> {
    let date = local_date(start);
    verdict(rules, busy, now, date, &grid(rules, date), start)
}

/// The one decision both public functions use, so they cannot disagree.
fn verdict(
    rules: &Rules,
    busy: &[Busy],
    now: DateTime<Utc>,
    date: NaiveDate,
    grid: &[Slot],
    start: DateTime<Utc>,
) -> Result<Slot, SlotRefusal> {
    if start < now + minutes(rules.min_notice_min) {
        return Err(SlotRefusal::TooSoon);
    }
    if last_day(rules, local_date(now)).is_some_and(|last| date > last) {
        return Err(SlotRefusal::BeyondWindow);
    }
    if rules.is_off(date) {
        return Err(SlotRefusal::DayOff);
    }
    let slot = *grid
        .iter()
        .find(|s| s.start == start)
        .ok_or(SlotRefusal::OutsideHours)?;
    let (from, to) = (
        slot.start - minutes(rules.buffer_before_min),
        slot.end + minutes(rules.buffer_after_min),
    );
    let blocks = |b: &&Busy| !matches!(b.kind, BusyKind::Elsewhere { .. });
    if busy.iter().filter(blocks).any(|b| {
        let (b_from, b_to) = (
            b.start - minutes(b.buffer_before_min),
            b.end + minutes(b.buffer_after_min),
        );
        b_from < b_to && b_from < to && from < b_to
    }) {
        return Err(SlotRefusal::Taken);
    }
    let same_day: Vec<&BusyKind> = busy
        .iter()
        .filter(|b| local_date(b.start) == date)
        .map(|b| &b.kind)
        .collect();
    let reached = |cap: Option<u32>, count: usize| cap.is_some_and(|c| count >= c as usize);
    let official = same_day
        .iter()
        .filter(|k| matches!(k, BusyKind::Booking { .. }))
        .count();
    if reached(rules.cap_official, official) {
        return Err(SlotRefusal::OfficialCapReached);
    }
    let matter = same_day
        .iter()
        .filter(|k| match k {
            BusyKind::Booking { matter } | BusyKind::Elsewhere { matter } => {
                *matter == rules.matter
            }
            BusyKind::Event => false,
        })
        .count();
    if reached(rules.cap_matter, matter) {
        return Err(SlotRefusal::MatterCapReached);
    }
    Ok(slot)
}

/// Every slot the hours of a date give, before anything else is considered; sorted, each once.
fn grid(rules: &Rules, date: NaiveDate) -> Vec<Slot> {
    let (duration, step) = (minutes(rules.duration_min), minutes(rules.step()));
    let Some(hours) = rules.hours_on(date) else {
        return Vec::new();
    };
    if rules.duration_min == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for h in hours {
        let start = instant(date, h.start);
        let end = if h.end == NaiveTime::MIN {
            match date.succ_opt() {
                Some(next) => instant(next, NaiveTime::MIN),
                None => continue,
            }
        } else {
            instant(date, h.end)
        };
        let mut s = start;
        while s + duration <= end {
            out.push(Slot {
                start: s,
                end: s + duration,
            });
            s += step;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The instant of a local wall-clock time, by the rule in the module header.
pub fn instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let mut local = date.and_time(time);
    loop {
        match ZONE.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            // Inside the skipped hour: walk to the next whole minute until time exists again
            // (clock changes happen on whole minutes, so this lands on the change itself).
            LocalResult::None => {
                local = local
                    .with_second(0)
                    .unwrap_or(local)
                    .with_nanosecond(0)
                    .unwrap_or(local)
                    + Duration::minutes(1);
            }
        }
    }
}

pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&ZONE).date_naive()
}

fn last_day(rules: &Rules, today: NaiveDate) -> Option<NaiveDate> {
    today.checked_add_days(Days::new(u64::from(rules.window_days)))
}

fn minutes(m: u32) -> Duration {
    Duration::minutes(i64::from(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(y: i32, mo: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, day, h, mi, 0).unwrap()
    }

    /// A local Warsaw time that exists once.
    fn local(y: i32, mo: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
        ZONE.with_ymd_and_hms(y, mo, day, h, mi, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Local wall-clock labels with their offset, easy to read in assertions.
    fn labels(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| {
                s.start
                    .with_timezone(&ZONE)
                    .format("%m-%d %H:%M%:z")
                    .to_string()
            })
            .collect()
    }

    fn starts(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| s.start.with_timezone(&ZONE).format("%H:%M").to_string())
            .collect()
    }

    fn booking(start: DateTime<Utc>, min: i64, matter: &str) -> Busy {
        Busy {
            start,
            end: start + Duration::minutes(min),
            buffer_before_min: 0,
            buffer_after_min: 0,
            kind: BusyKind::Booking {
                matter: matter.into(),
            },
        }
    }

    fn elsewhere(start: DateTime<Utc>, min: i64, matter: &str) -> Busy {
        Busy {
            kind: BusyKind::Elsewhere {
                matter: matter.into(),
            },
            ..booking(start, min, matter)
        }
    }

    fn event(start: DateTime<Utc>, min: i64) -> Busy {
        Busy {
            kind: BusyKind::Event,
            ..booking(start, min, "")
        }
    }

    // 2026-01-12 is a Monday in winter (+01:00); `NOW` is the Friday before, at noon.
    const MON: (i32, u32, u32) = (2026, 1, 12);

    fn now() -> DateTime<Utc> {
        local(2026, 1, 9, 12, 0)
    }

    fn monday() -> NaiveDate {
        d(MON.0, MON.1, MON.2)
    }

    fn weekday_rules(duration: u32) -> Rules {
        let mut r = Rules::new("dowod", duration);
        for day in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            r = r.with_hours(day, t(8, 0), t(16, 0));
        }
        r
    }

    fn on_monday(rules: &Rules, busy: &[Busy]) -> Vec<String> {
        starts(&free_slots(rules, busy, now(), monday(), monday()))
    }

    #[test]
    fn weekly_hours_give_slots_on_the_grid_in_utc() {
        let rules = Rules::new("dowod", 30).with_hours(Weekday::Mon, t(8, 0), t(10, 0));
        let slots = free_slots(&rules, &[], now(), d(2026, 1, 12), d(2026, 1, 18));
        assert_eq!(
            labels(&slots),
            [
                "01-12 08:00+01:00",
                "01-12 08:30+01:00",
                "01-12 09:00+01:00",
                "01-12 09:30+01:00"
            ]
        );
        assert_eq!(slots[0].start, utc(2026, 1, 12, 7, 0));
        assert_eq!(slots[0].end, utc(2026, 1, 12, 7, 30));
        // Summer time: the same hours are an hour earlier in UTC.
        let june = free_slots(
            &rules,
            &[],
            local(2026, 6, 1, 0, 0),
            d(2026, 6, 1),
            d(2026, 6, 1),
        );
        assert_eq!(june[0].start, utc(2026, 6, 1, 6, 0));
    }

    #[test]
    fn several_intervals_a_day_and_a_slot_must_fit_before_the_end() {
        let rules = Rules::new("dowod", 60)
            .with_hours(Weekday::Mon, t(8, 0), t(10, 0))
            .with_hours(Weekday::Mon, t(12, 0), t(14, 50));
        assert_eq!(on_monday(&rules, &[]), ["08:00", "09:00", "12:00", "13:00"]);
        assert_eq!(
            check_slot(&rules, &[], now(), local(2026, 1, 12, 14, 0)),
            Err(SlotRefusal::OutsideHours)
        );
        assert_eq!(
            check_slot(&rules, &[], now(), local(2026, 1, 12, 11, 0)),
            Err(SlotRefusal::OutsideHours)
        );
        // No hours on Tuesday at all.
        assert_eq!(
            check_slot(&rules, &[], now(), local(2026, 1, 13, 8, 0)),
            Err(SlotRefusal::OutsideHours)
        );
    }

    #[test]
    fn step_shorter_than_duration_overlapping_hours_once_each() {
        let mut rules = Rules::new("dowod", 45).with_hours(Weekday::Mon, t(8, 0), t(9, 30));
        rules.step_min = Some(15);
        assert_eq!(on_monday(&rules, &[]), ["08:00", "08:15", "08:30", "08:45"]);
        assert_eq!(
            check_slot(&rules, &[], now(), local(2026, 1, 12, 8, 10)),
            Err(SlotRefusal::OutsideHours)
        );
        // Overlapping intervals on the same grid: 09:00 comes once, sorted.
        let rules = Rules::new("dowod", 60)
            .with_hours(Weekday::Mon, t(9, 0), t(11, 0))
            .with_hours(Weekday::Mon, t(8, 0), t(10, 0));
        assert_eq!(on_monday(&rules, &[]), ["08:00", "09:00", "10:00"]);
    }

    #[test]
    fn end_at_midnight_means_end_of_day() {
        let rules = Rules::new("dyzur", 60).with_hours(Weekday::Mon, t(22, 0), t(0, 0));
        let slots = free_slots(&rules, &[], now(), monday(), monday());
        assert_eq!(starts(&slots), ["22:00", "23:00"]);
        assert_eq!(slots[1].end, local(2026, 1, 13, 0, 0));
    }

    #[test]
    fn days_off_and_changed_hours() {
        let mut rules = weekday_rules(60);
        rules.exceptions = vec![
            // Leave Tuesday to Wednesday.
            Exception::Off {
                from: d(2026, 1, 13),
                to: d(2026, 1, 14),
            },
            // Short Thursday, and a Saturday duty.
            Exception::Hours {
                date: d(2026, 1, 15),
                hours: vec![Hours {
                    start: t(10, 0),
                    end: t(12, 0),
                }],
            },
            Exception::Hours {
                date: d(2026, 1, 17),
                hours: vec![Hours {
                    start: t(9, 0),
                    end: t(10, 0),
                }],
            },
            // Changed hours on a day inside leave: the leave wins.
            Exception::Hours {
                date: d(2026, 1, 14),
                hours: vec![Hours {
                    start: t(9, 0),
                    end: t(10, 0),
                }],
            },
        ];
        let slots = free_slots(&rules, &[], now(), d(2026, 1, 13), d(2026, 1, 18));
        let days: BTreeSet<NaiveDate> = slots.iter().map(|s| local_date(s.start)).collect();
        assert_eq!(
            days.into_iter().collect::<Vec<_>>(),
            [d(2026, 1, 15), d(2026, 1, 16), d(2026, 1, 17)]
        );
        let thursday = free_slots(&rules, &[], now(), d(2026, 1, 15), d(2026, 1, 15));
        assert_eq!(starts(&thursday), ["10:00", "11:00"]);
        let saturday = free_slots(&rules, &[], now(), d(2026, 1, 17), d(2026, 1, 17));
        assert_eq!(starts(&saturday), ["09:00"]);
        for day in [13, 14] {
            assert_eq!(
                check_slot(&rules, &[], now(), local(2026, 1, day, 9, 0)),
                Err(SlotRefusal::DayOff)
            );
        }
        assert_eq!(
            check_slot(&rules, &[], now(), local(2026, 1, 15, 8, 0)),
            Err(SlotRefusal::OutsideHours)
        );
        // An empty change closes a normal working day.
        rules.exceptions = vec![Exception::Hours {
            date: monday(),
            hours: vec![],
        }];
        assert!(on_monday(&rules, &[]).is_empty());
    }

    #[test]
    fn adjacent_bookings_without_buffers_leave_the_edges_free() {
        let rules = Rules::new("dowod", 30).with_hours(Weekday::Mon, t(8, 0), t(11, 0));
        let busy = [booking(local(2026, 1, 12, 9, 0), 30, "inna")];
        assert_eq!(
            on_monday(&rules, &busy),
            ["08:00", "08:30", "09:30", "10:00", "10:30"]
        );
        assert_eq!(
            check_slot(&rules, &busy, now(), local(2026, 1, 12, 9, 0)),
            Err(SlotRefusal::Taken)
        );
        // A calendar event blocks time just the same.
        let busy = [event(local(2026, 1, 12, 9, 15), 10)];
        assert_eq!(
            on_monday(&rules, &busy),
            ["08:00", "08:30", "09:30", "10:00", "10:30"]
        );
    }

    #[test]
    fn the_matters_buffers_before_and_after() {
        let mut rules = Rules::new("dowod", 30).with_hours(Weekday::Mon, t(8, 0), t(11, 0));
        let busy = [booking(local(2026, 1, 12, 9, 0), 30, "inna")];
        rules.buffer_after_min = 15;
        // 08:30–09:00 plus 15 minutes after reaches into the booking.
        assert_eq!(
            on_monday(&rules, &busy),
            ["08:00", "09:30", "10:00", "10:30"]
        );
        rules.buffer_after_min = 0;
        rules.buffer_before_min = 15;
        // 09:30 minus 15 minutes before reaches back into it.
        assert_eq!(
            on_monday(&rules, &busy),
            ["08:00", "08:30", "10:00", "10:30"]
        );
        // Buffers may fall outside the hours: 08:00 with 15 minutes before is still offered.
        assert_eq!(on_monday(&rules, &[])[0], "08:00");
    }

    #[test]
    fn buffers_of_a_booking_count_and_add_up_with_the_matters() {
        let mut rules = Rules::new("dowod", 30).with_hours(Weekday::Mon, t(8, 0), t(12, 0));
        rules.step_min = Some(5);
        let mut b = booking(local(2026, 1, 12, 10, 0), 30, "inna");
        b.buffer_before_min = 10;
        b.buffer_after_min = 20;
        let busy = [b];
        let free = on_monday(&rules, &busy);
        // Its own buffers alone: free until 09:50 (ending), again from 10:50.
        assert!(free.contains(&"09:20".to_string()));
        assert!(!free.contains(&"09:25".to_string()));
        assert!(!free.contains(&"10:45".to_string()));
        assert!(free.contains(&"10:50".to_string()));
        // Plus the matter's: 10 minutes after ours and 10 before the booking's make 20 minutes.
        rules.buffer_before_min = 5;
        rules.buffer_after_min = 10;
        let free = on_monday(&rules, &busy);
        assert!(free.contains(&"09:10".to_string()));
        assert!(!free.contains(&"09:15".to_string()));
        assert!(!free.contains(&"10:50".to_string()));
        assert!(free.contains(&"10:55".to_string()));
        assert_eq!(
            check_slot(&rules, &busy, now(), local(2026, 1, 12, 9, 15)),
            Err(SlotRefusal::Taken)
        );
        assert!(check_slot(&rules, &busy, now(), local(2026, 1, 12, 9, 10)).is_ok());
    }

    #[test]
    fn minimum_notice_cuts_today_partially() {
        let mut rules = weekday_rules(30);
        rules.min_notice_min = 60;
        let now = local(2026, 1, 12, 10, 17);
        let today = free_slots(&rules, &[], now, monday(), monday());
        assert_eq!(starts(&today)[0], "11:30");
        assert_eq!(today.len(), 9);
        assert_eq!(
            check_slot(&rules, &[], now, local(2026, 1, 12, 11, 0)),
            Err(SlotRefusal::TooSoon)
        );
        // Exactly the notice is enough.
        rules.min_notice_min = 43;
        assert_eq!(
            starts(&free_slots(&rules, &[], now, monday(), monday()))[0],
            "11:00"
        );
        // Without notice, a slot already started is gone, as is any past day.
        rules.min_notice_min = 0;
        assert_eq!(
            starts(&free_slots(&rules, &[], now, monday(), monday()))[0],
            "10:30"
        );
        assert_eq!(
            check_slot(&rules, &[], now, local(2026, 1, 12, 10, 0)),
            Err(SlotRefusal::TooSoon)
        );
        assert!(free_slots(&rules, &[], now, d(2026, 1, 5), d(2026, 1, 11)).is_empty());
        // Notice over a weekend: Friday 14:00 with 72 hours leaves Monday from 14:00.
        rules.min_notice_min = 72 * 60;
        let friday = local(2026, 1, 9, 14, 0);
        assert_eq!(
            starts(&free_slots(&rules, &[], friday, monday(), monday()))[0],
            "14:00"
        );
    }

    #[test]
    fn booking_window_is_counted_in_local_days() {
        let mut rules = weekday_rules(60);
        rules.window_days = 3;
        // 23:30 UTC on Sunday is already Monday 00:30 in Warsaw: the window runs to Thursday.
        let now = utc(2026, 1, 11, 23, 30);
        let slots = free_slots(&rules, &[], now, d(2026, 1, 1), d(2026, 2, 28));
        assert_eq!(local_date(slots[0].start), monday());
        assert_eq!(local_date(slots.last().unwrap().start), d(2026, 1, 15));
        assert_eq!(slots.len(), 4 * 8);
        assert!(check_slot(&rules, &[], now, local(2026, 1, 15, 15, 0)).is_ok());
        assert_eq!(
            check_slot(&rules, &[], now, local(2026, 1, 16, 8, 0)),
            Err(SlotRefusal::BeyondWindow)
        );
        rules.window_days = 0;
        assert_eq!(
            free_slots(&rules, &[], now, d(2026, 1, 1), d(2026, 2, 28)).len(),
            8
        );
    }

    #[test]
    fn cap_per_official_counts_all_matters_not_events() {
        let mut rules = weekday_rules(60);
        rules.cap_official = Some(2);
        let busy = vec![
            booking(local(2026, 1, 12, 8, 0), 60, "paszport"),
            event(local(2026, 1, 12, 9, 0), 60),
            elsewhere(local(2026, 1, 12, 10, 0), 60, "paszport"),
        ];
        assert_eq!(on_monday(&rules, &busy).len(), 6);
        let mut busy = busy;
        busy.push(booking(local(2026, 1, 12, 15, 0), 60, "dowod"));
        assert!(on_monday(&rules, &busy).is_empty());
        assert_eq!(
            check_slot(&rules, &busy, now(), local(2026, 1, 12, 12, 0)),
            Err(SlotRefusal::OfficialCapReached)
        );
        // Taken is said before the cap, being about the slot itself.
        assert_eq!(
            check_slot(&rules, &busy, now(), local(2026, 1, 12, 8, 0)),
            Err(SlotRefusal::Taken)
        );
        // Tuesday is not affected.
        assert_eq!(
            free_slots(&rules, &busy, now(), d(2026, 1, 13), d(2026, 1, 13)).len(),
            8
        );
    }

    #[test]
    fn cap_per_matter_counts_the_matter_here_and_elsewhere() {
        let mut rules = weekday_rules(60);
        rules.cap_matter = Some(2);
        let busy = vec![
            booking(local(2026, 1, 12, 8, 0), 60, "dowod"),
            booking(local(2026, 1, 12, 9, 0), 60, "paszport"),
            elsewhere(local(2026, 1, 12, 8, 0), 60, "paszport"),
        ];
        // Elsewhere blocks no time here: 10:00 onwards and nothing else lost.
        assert_eq!(on_monday(&rules, &busy).len(), 6);
        let mut busy = busy;
        busy.push(elsewhere(local(2026, 1, 12, 9, 0), 60, "dowod"));
        assert!(on_monday(&rules, &busy).is_empty());
        assert_eq!(
            check_slot(&rules, &busy, now(), local(2026, 1, 12, 12, 0)),
            Err(SlotRefusal::MatterCapReached)
        );
        // The official's cap is checked first when both are reached.
        rules.cap_official = Some(2);
        assert_eq!(
            check_slot(&rules, &busy, now(), local(2026, 1, 12, 12, 0)),
            Err(SlotRefusal::OfficialCapReached)
        );
    }

    #[test]
    fn caps_count_the_local_day_a_booking_starts_on() {
        let mut rules = weekday_rules(60).with_hours(Weekday::Sun, t(0, 0), t(0, 0));
        rules.cap_official = Some(1);
        // Sunday 23:30 UTC is Monday 00:30 in Warsaw: it fills Monday, not Sunday.
        let busy = [booking(utc(2026, 1, 11, 23, 30), 30, "dowod")];
        assert!(on_monday(&rules, &busy).is_empty());
        let sunday = free_slots(&rules, &busy, now(), d(2026, 1, 11), d(2026, 1, 11));
        assert_eq!(sunday.len(), 24);
    }

    #[test]
    fn degenerate_input_gives_nothing() {
        let rules = weekday_rules(30);
        assert!(free_slots(&rules, &[], now(), d(2026, 1, 13), monday()).is_empty());
        let rules = weekday_rules(0);
        assert!(on_monday(&rules, &[]).is_empty());
        // Hours ending before they start.
        let rules = Rules::new("dowod", 30).with_hours(Weekday::Mon, t(12, 0), t(8, 0));
        assert!(on_monday(&rules, &[]).is_empty());
    }

    /// The last Sundays of March and October of both years, and the Saturdays before.
    const CHANGES: [(i32, u32, u32); 4] =
        [(2026, 3, 29), (2026, 10, 25), (2027, 3, 28), (2027, 10, 31)];

    fn every_day(rules: Rules) -> Rules {
        let mut r = rules;
        for day in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ] {
            r = r.with_hours(day, t(8, 0), t(16, 0));
        }
        r
    }

    #[test]
    fn day_hours_on_the_clock_change_days_keep_their_local_times() {
        let mut rules = every_day(Rules::new("dowod", 30));
        rules.window_days = 60;
        for (y, m, day) in CHANGES {
            let sunday = d(y, m, day);
            assert_eq!(sunday.weekday(), Weekday::Sun);
            let saturday = sunday.pred_opt().unwrap();
            let monday = sunday.succ_opt().unwrap();
            let now = local(y, m, 1, 0, 0);
            let (before, after) = if m == 3 { (1, 2) } else { (2, 1) };
            for (date, offset) in [(saturday, before), (sunday, after), (monday, after)] {
                let slots = free_slots(&rules, &[], now, date, date);
                assert_eq!(slots.len(), 16, "{date}");
                let first = date.and_time(t(8, 0)).and_utc() - Duration::hours(offset);
                let last = date.and_time(t(15, 30)).and_utc() - Duration::hours(offset);
                assert_eq!(slots[0].start, first, "{date}");
                assert_eq!(slots[15].start, last, "{date}");
                assert_eq!(starts(&slots)[0], "08:00");
                assert_eq!(starts(&slots)[15], "15:30");
            }
        }
    }

    #[test]
    fn night_hours_across_the_skipped_hour_in_march() {
        for (y, m, day) in CHANGES.into_iter().filter(|c| c.1 == 3) {
            let sunday = d(y, m, day);
            let now = local(y, m, 1, 0, 0);
            let rules = Rules::new("dyzur", 30).with_hours(Weekday::Sun, t(1, 0), t(4, 0));
            let slots = free_slots(&rules, &[], now, sunday, sunday);
            // Three wall-clock hours are two real ones; nothing at 02:xx.
            let md = format!("{m:02}-{day}");
            assert_eq!(
                labels(&slots),
                [
                    format!("{md} 01:00+01:00"),
                    format!("{md} 01:30+01:00"),
                    format!("{md} 03:00+02:00"),
                    format!("{md} 03:30+02:00"),
                ]
            );
            // Consecutive slots are one step apart in real time.
            assert_eq!(slots[2].start - slots[1].start, Duration::minutes(30));
            // An hour-long slot from 01:30 ends at 03:30, not 02:30.
            let rules = Rules::new("dyzur", 60).with_hours(Weekday::Sun, t(1, 30), t(4, 0));
            let slots = free_slots(&rules, &[], now, sunday, sunday);
            assert_eq!(labels(&slots), [format!("{md} 01:30+01:00")]);
            assert_eq!(
                slots[0]
                    .end
                    .with_timezone(&ZONE)
                    .format("%H:%M")
                    .to_string(),
                "03:30"
            );
            // Hours starting inside the gap start when time exists again, at 03:00.
            let rules = Rules::new("dyzur", 60).with_hours(Weekday::Sun, t(2, 30), t(5, 0));
            let slots = free_slots(&rules, &[], now, sunday, sunday);
            assert_eq!(
                labels(&slots),
                [format!("{md} 03:00+02:00"), format!("{md} 04:00+02:00")]
            );
            // And hours ending inside it end there too.
            let rules = Rules::new("dyzur", 30).with_hours(Weekday::Sun, t(1, 0), t(2, 30));
            assert_eq!(free_slots(&rules, &[], now, sunday, sunday).len(), 2);
        }
    }

    #[test]
    fn night_hours_across_the_repeated_hour_in_october() {
        for (y, m, day) in CHANGES.into_iter().filter(|c| c.1 == 10) {
            let sunday = d(y, m, day);
            let now = local(y, m, 1, 0, 0);
            let rules = Rules::new("dyzur", 60).with_hours(Weekday::Sun, t(1, 0), t(4, 0));
            let slots = free_slots(&rules, &[], now, sunday, sunday);
            // Three wall-clock hours are four real ones: 02:00 twice, as two distinct instants.
            let md = format!("{m:02}-{day}");
            assert_eq!(
                labels(&slots),
                [
                    format!("{md} 01:00+02:00"),
                    format!("{md} 02:00+02:00"),
                    format!("{md} 02:00+01:00"),
                    format!("{md} 03:00+01:00"),
                ]
            );
            let distinct: BTreeSet<_> = slots.iter().map(|s| s.start).collect();
            assert_eq!(distinct.len(), 4);
            for pair in slots.windows(2) {
                assert_eq!(pair[1].start - pair[0].start, Duration::hours(1));
            }
            // Hours starting in the repeated hour take its first occurrence.
            let rules = Rules::new("dyzur", 60).with_hours(Weekday::Sun, t(2, 30), t(4, 0));
            let slots = free_slots(&rules, &[], now, sunday, sunday);
            assert_eq!(
                labels(&slots),
                [format!("{md} 02:30+02:00"), format!("{md} 02:30+01:00")]
            );
            // Hours ending in it end at its first occurrence.
            let rules = Rules::new("dyzur", 30).with_hours(Weekday::Sun, t(1, 0), t(2, 30));
            assert_eq!(free_slots(&rules, &[], now, sunday, sunday).len(), 3);
            // Each 02:00 is asked for by its own instant; the half hour between is no slot.
            let rules = Rules::new("dyzur", 60).with_hours(Weekday::Sun, t(1, 0), t(4, 0));
            let first = sunday.and_time(t(0, 0)).and_utc();
            let second = sunday.and_time(t(1, 0)).and_utc();
            assert!(check_slot(&rules, &[], now, first).is_ok());
            assert!(check_slot(&rules, &[], now, second).is_ok());
            assert_eq!(
                check_slot(&rules, &[], now, first + Duration::minutes(30)),
                Err(SlotRefusal::OutsideHours)
            );
        }
    }

    #[test]
    fn a_booking_across_the_change_blocks_by_real_time() {
        // 2026-10-25: a booking 01:30+02 (23:30 UTC) lasting 90 minutes ends at 02:00+01.
        let sunday = d(2026, 10, 25);
        let mut rules = Rules::new("dyzur", 30).with_hours(Weekday::Sun, t(1, 0), t(4, 0));
        rules.window_days = 60;
        let now = local(2026, 10, 1, 0, 0);
        let busy = [booking(utc(2026, 10, 24, 23, 30), 90, "dowod")];
        let slots = free_slots(&rules, &busy, now, sunday, sunday);
        assert_eq!(
            labels(&slots),
            [
                "10-25 01:00+02:00",
                "10-25 02:00+01:00",
                "10-25 02:30+01:00",
                "10-25 03:00+01:00",
                "10-25 03:30+01:00"
            ]
        );
    }

    /// Every instant on a 5-minute grid across `from..=to`: `check_slot` accepts exactly the
    /// slots `free_slots` lists, and they come sorted and once each. Returns the reasons met.
    fn assert_consistent(
        rules: &Rules,
        busy: &[Busy],
        now: DateTime<Utc>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<SlotRefusal> {
        let mut reasons = Vec::new();
        let free = free_slots(rules, busy, now, from, to);
        assert!(!free.is_empty());
        assert!(free.windows(2).all(|p| p[0].start < p[1].start));
        let offered: BTreeSet<DateTime<Utc>> = free.iter().map(|s| s.start).collect();
        let mut t = instant(from, NaiveTime::MIN);
        let end = instant(to.succ_opt().unwrap(), NaiveTime::MIN);
        let (mut accepted, mut refused) = (0, 0);
        while t < end {
            match check_slot(rules, busy, now, t) {
                Ok(slot) => {
                    assert!(offered.contains(&t), "accepted but not offered: {t}");
                    assert_eq!(
                        slot.end - slot.start,
                        Duration::minutes(rules.duration_min.into())
                    );
                    accepted += 1;
                }
                Err(why) => {
                    assert!(!offered.contains(&t), "offered but refused ({why}): {t}");
                    if !reasons.contains(&why) {
                        reasons.push(why);
                    }
                    refused += 1;
                }
            }
            t += Duration::minutes(5);
        }
        assert_eq!(accepted, free.len());
        assert!(refused > accepted);
        reasons
    }

    fn busy_rules() -> Rules {
        let mut rules = every_day(Rules::new("dowod", 40))
            .with_hours(Weekday::Sun, t(1, 0), t(4, 0))
            .with_hours(Weekday::Sat, t(22, 0), t(0, 0));
        rules.step_min = Some(20);
        rules.buffer_before_min = 5;
        rules.buffer_after_min = 10;
        rules.min_notice_min = 90;
        rules.window_days = 16;
        rules.cap_official = Some(5);
        rules.cap_matter = Some(4);
        rules
    }

    fn busy_around(day: NaiveDate) -> Vec<Busy> {
        let mut busy = Vec::new();
        for offset in -6i64..=6 {
            let date = day + Duration::days(offset);
            let at = |h, m| date.and_time(t(h, m)).and_utc();
            let mut b = booking(at(8, 0), 30, "paszport");
            b.buffer_after_min = 15;
            busy.push(b);
            busy.push(event(at(11, 7), 23));
            busy.push(elsewhere(at(12, 0), 40, "dowod"));
            busy.push(booking(at(0, 40), 60, "dowod"));
            // Some days reach the official's cap, some only the matter's.
            if offset % 3 == 0 {
                for h in [13, 14, 15] {
                    busy.push(booking(at(h, 0), 20, "dowod"));
                }
            } else if offset.rem_euclid(4) == 1 {
                for h in [13, 14] {
                    busy.push(elsewhere(at(h, 0), 20, "dowod"));
                }
            }
        }
        busy
    }

    #[test]
    fn free_slots_and_check_slot_agree_around_every_change() {
        let mut reasons = Vec::new();
        for (y, m, day) in CHANGES {
            let sunday = d(y, m, day);
            let mut rules = busy_rules();
            rules.exceptions = vec![
                Exception::Off {
                    from: sunday + Duration::days(2),
                    to: sunday + Duration::days(3),
                },
                Exception::Hours {
                    date: sunday + Duration::days(5),
                    hours: vec![Hours {
                        start: t(2, 10),
                        end: t(9, 0),
                    }],
                },
            ];
            let now = local(y, m, day - 7, 10, 13);
            let busy = busy_around(sunday);
            reasons.extend(assert_consistent(
                &rules,
                &busy,
                now,
                sunday - Duration::days(8),
                sunday + Duration::days(10),
            ));
        }
        // The ranges met every reason, so the agreement is not only about empty days.
        for why in [
            SlotRefusal::TooSoon,
            SlotRefusal::BeyondWindow,
            SlotRefusal::DayOff,
            SlotRefusal::OutsideHours,
            SlotRefusal::Taken,
            SlotRefusal::OfficialCapReached,
            SlotRefusal::MatterCapReached,
        ] {
            assert!(reasons.contains(&why), "{why}");
        }
    }

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(SlotRefusal::Taken.to_string(), "already taken");
        let err: Box<dyn std::error::Error> = Box::new(SlotRefusal::TooSoon);
        assert_eq!(err.to_string(), "too soon to book");
    }
}
