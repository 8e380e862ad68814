//! Streaks: runs of consecutive calendar days with progress. Days are Polish calendar days
//! (Europe/Warsaw), so learning at 00:30 on a Tuesday counts for Tuesday, as the learner sees it.

use chrono::{DateTime, NaiveDate, Utc};

/// The Polish calendar day of an instant.
pub fn polish_day(t: &DateTime<Utc>) -> NaiveDate {
    crate::learning::render::warsaw(t).date_naive()
}

/// The current streak: consecutive days ending today, or yesterday (a learner who has not
/// learned yet today has not lost their streak). `days` in any order, duplicates allowed.
pub fn current_streak(days: &[NaiveDate], today: NaiveDate) -> u32 {
    let mut sorted: Vec<NaiveDate> = days.iter().copied().filter(|d| *d <= today).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let Some(&last) = sorted.last() else { return 0 };
    if (today - last).num_days() > 1 {
        return 0;
    }
    let mut n = 1;
    for w in sorted.windows(2).rev() {
        if (w[1] - w[0]).num_days() == 1 {
            n += 1;
        } else {
            break;
        }
    }
    n
}

/// The longest run of consecutive days ever.
pub fn longest_streak(days: &[NaiveDate]) -> u32 {
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let (mut best, mut run) = (0u32, 0u32);
    let mut prev: Option<NaiveDate> = None;
    for d in sorted {
        run = match prev {
            Some(p) if (d - p).num_days() == 1 => run + 1,
            _ => 1,
        };
        best = best.max(run);
        prev = Some(d);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn current_streak_ends_today_or_yesterday() {
        let days = [d("2026-03-01"), d("2026-03-02"), d("2026-03-03")];
        assert_eq!(current_streak(&days, d("2026-03-03")), 3);
        assert_eq!(
            current_streak(&days, d("2026-03-04")),
            3,
            "yesterday still counts"
        );
        assert_eq!(
            current_streak(&days, d("2026-03-05")),
            0,
            "a day missed breaks it"
        );
        assert_eq!(current_streak(&[], d("2026-03-05")), 0);
    }

    #[test]
    fn gaps_duplicates_and_order() {
        let days = [
            d("2026-03-03"),
            d("2026-02-27"),
            d("2026-03-02"),
            d("2026-03-03"),
            d("2026-02-28"),
            d("2026-03-01"),
            d("2026-02-20"),
        ];
        // 27 Feb – 3 Mar across the month end: 5 days.
        assert_eq!(current_streak(&days, d("2026-03-03")), 5);
        assert_eq!(longest_streak(&days), 5);
        let broken = [d("2026-01-01"), d("2026-01-02"), d("2026-01-04")];
        assert_eq!(current_streak(&broken, d("2026-01-04")), 1);
        assert_eq!(longest_streak(&broken), 2);
        assert_eq!(longest_streak(&[]), 0);
    }

    #[test]
    fn future_days_are_ignored() {
        let days = [d("2026-03-01"), d("2026-03-02")];
        assert_eq!(current_streak(&days, d("2026-03-01")), 1);
    }

    #[test]
    fn days_are_polish_calendar_days() {
        // 23:30 UTC on 31 Dec is 00:30 on 1 Jan in Warsaw (winter, UTC+1).
        let t = Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(polish_day(&t), d("2026-01-01"));
        // Summer time: UTC+2.
        let t = Utc.with_ymd_and_hms(2026, 7, 1, 21, 59, 0).unwrap();
        assert_eq!(polish_day(&t), d("2026-07-01"));
        let t = Utc.with_ymd_and_hms(2026, 7, 1, 22, 0, 0).unwrap();
        assert_eq!(polish_day(&t), d("2026-07-02"));
    }
}
