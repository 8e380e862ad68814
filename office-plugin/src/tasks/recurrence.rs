//! Recurring tasks: the small part of RFC 5545's RRULE the office offers (`FREQ=DAILY`, `WEEKLY`
//! or `MONTHLY` with an `INTERVAL`), and the next due time after one occurrence.
//!
//! Occurrences keep their local (Europe/Warsaw) wall-clock time across clock changes, as a
//! calendar does: a task due at 9:00 stays due at 9:00 in summer. A monthly rule on a day some
//! months lack (the 31st) skips those months, as RFC 5545 says, instead of moving the day.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};

use crate::page::local;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
}

impl Freq {
    pub fn as_str(self) -> &'static str {
        match self {
            Freq::Daily => "daily",
            Freq::Weekly => "weekly",
            Freq::Monthly => "monthly",
        }
    }

    pub fn parse(s: &str) -> Option<Freq> {
        match s {
            "daily" => Some(Freq::Daily),
            "weekly" => Some(Freq::Weekly),
            "monthly" => Some(Freq::Monthly),
            _ => None,
        }
    }
}

/// The most an interval may be: a rule beyond this is a typing mistake, not a plan.
pub const MAX_INTERVAL: u32 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
}

impl Rule {
    /// The RRULE text stored with the task, e.g. `FREQ=WEEKLY;INTERVAL=2`.
    pub fn to_rrule(self) -> String {
        let f = match self.freq {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
        };
        format!("FREQ={f};INTERVAL={}", self.interval)
    }

    /// Reads an RRULE with FREQ and an optional INTERVAL; anything else is refused rather than
    /// half understood.
    pub fn parse(text: &str) -> Option<Rule> {
        let mut freq = None;
        let mut interval = 1u32;
        for part in text.trim().trim_start_matches("RRULE:").split(';') {
            let (k, v) = part.split_once('=')?;
            match k.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = Some(match v.trim().to_ascii_uppercase().as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        _ => return None,
                    })
                }
                "INTERVAL" => interval = v.trim().parse().ok()?,
                _ => return None,
            }
        }
        if interval == 0 || interval > MAX_INTERVAL {
            return None;
        }
        Some(Rule {
            freq: freq?,
            interval,
        })
    }

    /// The local date `steps` intervals after `start`, if that date exists.
    fn step(self, start: NaiveDate, steps: u32) -> Option<NaiveDate> {
        let n = self.interval.checked_mul(steps)?;
        match self.freq {
            Freq::Daily => start.checked_add_days(Days::new(u64::from(n))),
            Freq::Weekly => start.checked_add_days(Days::new(u64::from(n) * 7)),
            Freq::Monthly => {
                let d = start.checked_add_months(Months::new(n))?;
                // chrono clamps to the month's last day; RFC 5545 skips such months instead.
                (d.day() == start.day()).then_some(d)
            }
        }
    }

    /// The due time (UTC) of the occurrence after the one due at `due` (UTC), at the same local
    /// wall-clock time.
    pub fn next_after(self, due: NaiveDateTime) -> Option<NaiveDateTime> {
        let l = local(due);
        let (date, time) = (l.date_naive(), l.time());
        // Twelve tries find the next existing 31st of a month (at most two months lack it in a row).
        (1..=12)
            .filter_map(|k| self.step(date, k))
            .next()
            .map(|d| crate::booking::slots::instant(d, time).naive_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::utc_from_local;

    fn at(d: &str, t: &str) -> NaiveDateTime {
        utc_from_local(d, t).unwrap()
    }

    #[test]
    fn parses_and_writes_rrules() {
        let r = Rule::parse("FREQ=WEEKLY;INTERVAL=2").unwrap();
        assert_eq!(
            r,
            Rule {
                freq: Freq::Weekly,
                interval: 2
            }
        );
        assert_eq!(r.to_rrule(), "FREQ=WEEKLY;INTERVAL=2");
        assert_eq!(Rule::parse("RRULE:FREQ=daily").unwrap().interval, 1);
        assert!(Rule::parse("FREQ=YEARLY").is_none());
        assert!(Rule::parse("FREQ=DAILY;INTERVAL=0").is_none());
        assert!(Rule::parse("FREQ=DAILY;BYDAY=MO").is_none());
        assert!(Rule::parse("INTERVAL=2").is_none());
    }

    #[test]
    fn daily_and_weekly_keep_local_time_across_clock_changes() {
        let daily = Rule::parse("FREQ=DAILY;INTERVAL=1").unwrap();
        // 2026-03-29 is the last Sunday of March: 9:00 is 8:00 UTC before, 7:00 UTC after.
        assert_eq!(
            daily.next_after(at("2026-03-28", "09:00")),
            Some(at("2026-03-29", "09:00"))
        );
        assert_eq!(
            at("2026-03-29", "09:00") - at("2026-03-28", "09:00"),
            chrono::Duration::hours(23)
        );
        let weekly = Rule::parse("FREQ=WEEKLY;INTERVAL=2").unwrap();
        assert_eq!(
            weekly.next_after(at("2026-10-20", "14:30")),
            Some(at("2026-11-03", "14:30"))
        );
    }

    #[test]
    fn monthly_skips_months_without_the_day() {
        let monthly = Rule::parse("FREQ=MONTHLY").unwrap();
        assert_eq!(
            monthly.next_after(at("2026-01-31", "10:00")),
            Some(at("2026-03-31", "10:00"))
        );
        assert_eq!(
            monthly.next_after(at("2026-01-15", "10:00")),
            Some(at("2026-02-15", "10:00"))
        );
        let quarterly = Rule::parse("FREQ=MONTHLY;INTERVAL=3").unwrap();
        assert_eq!(
            quarterly.next_after(at("2026-11-30", "08:00")),
            // 30 February does not exist: the next occurrence is three months later.
            Some(at("2027-05-30", "08:00"))
        );
    }
}
