//! Streaks: runs of consecutive days (UTC) with at least one attempt.

use chrono::NaiveDate;

/// `(current, longest)` for the given days, which must be sorted and distinct. The current
/// streak is the run that ends today, or yesterday (today is not over yet); else 0.
pub fn streaks(days: &[NaiveDate], today: NaiveDate) -> (u32, u32) {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<NaiveDate> = None;
    for &day in days {
        run = match previous {
            Some(prev) if prev.succ_opt() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match previous {
        Some(last) if last == today || last.succ_opt() == Some(today) => run,
        _ => 0,
    };
    (current, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
    }

    #[test]
    fn no_days_no_streak() {
        assert_eq!(streaks(&[], day(10)), (0, 0));
    }

    #[test]
    fn a_run_ending_today_or_yesterday_is_current() {
        let days = [day(1), day(2), day(5), day(6), day(7)];
        assert_eq!(streaks(&days, day(7)), (3, 3));
        assert_eq!(streaks(&days, day(8)), (3, 3));
        assert_eq!(streaks(&days, day(9)), (0, 3));
    }

    #[test]
    fn the_longest_run_may_be_in_the_past() {
        let days = [day(1), day(2), day(3), day(4), day(9)];
        assert_eq!(streaks(&days, day(9)), (1, 4));
    }

    #[test]
    fn runs_cross_month_ends() {
        let days = [NaiveDate::from_ymd_opt(2026, 2, 28).expect("date"), day(1)];
        assert_eq!(streaks(&days, day(1)), (2, 2));
    }
}
