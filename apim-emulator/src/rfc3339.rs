//! RFC 3339 timestamps in UTC (`2024-05-01T12:34:56.789012Z`), as ARM writes `startTime`
//! and `endTime` in an operation status.

use std::time::{SystemTime, UNIX_EPOCH};

/// `at` in UTC with microseconds; times before 1970 (which a clock cannot report here) are
/// written as the epoch.
pub(crate) fn format(at: SystemTime) -> String {
    let since_epoch = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_epoch.as_secs();
    let (days, second_of_day) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        since_epoch.subsec_micros()
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01: count whole 400-year eras (which
/// all have the same length), then years in the era, with years starting on 1 March so the
/// leap day is the era-year's last day.
fn civil_date(days: u64) -> (u64, u64, u64) {
    // 1970-01-01 is day 719_468 counted from 0000-03-01.
    let days = days + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March, each run of five months being 153 days long.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(seconds: u64, micros: u32) -> String {
        format(UNIX_EPOCH + Duration::new(seconds, micros * 1000))
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 0), "2000-02-29T00:00:00.000000Z");
        assert_eq!(at(951_868_799, 5), "2000-02-29T23:59:59.000005Z");
        assert_eq!(at(1_714_566_896, 789_012), "2024-05-01T12:34:56.789012Z");
        assert_eq!(at(4_107_542_400, 0), "2100-03-01T00:00:00.000000Z");
        assert_eq!(
            format(UNIX_EPOCH - Duration::from_secs(1)),
            "1970-01-01T00:00:00.000000Z"
        );
    }

    #[test]
    fn agrees_with_http_dates_day_by_day() {
        // httpdate writes the same calendar in another shape: compare a day a month for
        // four centuries.
        for day in (0..146_097u64).step_by(31) {
            let instant = UNIX_EPOCH + Duration::from_secs(day * 86_400);
            let (year, month, date) = civil_date(day);
            let http = httpdate::fmt_http_date(instant);
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let expected = format!("{date:02} {} {year}", MONTHS[month as usize - 1]);
            assert!(http.contains(&expected), "{http} vs {expected}");
        }
    }
}
