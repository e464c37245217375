//! ISO 8601 durations as the service accepts them for `after`: `PnDTnHnMnS`, every part
//! optional but at least one present, fractional seconds allowed (`PT0.5S`).

use std::time::Duration;

/// Parses `text`, or `None` when it is not a duration of that form (or overflows).
pub(crate) fn parse(text: &str) -> Option<Duration> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => {
            // `T` must introduce at least one time component.
            if time.is_empty() {
                return None;
            }
            (date, Some(time))
        }
        None => (rest, None),
    };
    let mut total = Duration::ZERO;
    let mut parts = 0;

    let mut date_units = Units::new(date, &['D']);
    while let Some((value, _, unit)) = date_units.next_unit()? {
        debug_assert_eq!(unit, 'D');
        total = total.checked_add(whole(value, 86_400)?)?;
        parts += 1;
    }
    if let Some(time) = time {
        let mut time_units = Units::new(time, &['H', 'M', 'S']);
        while let Some((value, fraction, unit)) = time_units.next_unit()? {
            let part = match unit {
                'H' => whole(value, 3_600)?,
                'M' => whole(value, 60)?,
                _ => seconds(value, fraction)?,
            };
            total = total.checked_add(part)?;
            parts += 1;
        }
    }
    (parts > 0).then_some(total)
}

/// Walks `<digits>[.<digits>]<unit>` groups whose units appear in `order`, each at most
/// once and in that order; only the last unit (`S`) may carry a fraction.
struct Units<'a> {
    text: &'a str,
    order: &'static [char],
}

impl<'a> Units<'a> {
    fn new(text: &'a str, order: &'static [char]) -> Self {
        Units { text, order }
    }

    /// `Some(None)` at the end, `None` on a syntax error.
    fn next_unit(&mut self) -> Option<Option<(&'a str, Option<&'a str>, char)>> {
        if self.text.is_empty() {
            return Some(None);
        }
        let digits_end = self
            .text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.text.len());
        let value = &self.text[..digits_end];
        let mut rest = &self.text[digits_end..];
        if value.is_empty() {
            return None;
        }
        let mut fraction = None;
        if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dot.len());
            if end == 0 {
                return None;
            }
            fraction = Some(&after_dot[..end]);
            rest = &after_dot[end..];
        }
        let unit = rest.chars().next()?;
        let position = self.order.iter().position(|&u| u == unit)?;
        if fraction.is_some() && unit != 'S' {
            return None;
        }
        // Later units only: this rejects repeats and out-of-order parts like `PT1M1H`.
        self.order = &self.order[position + 1..];
        self.text = &rest[unit.len_utf8()..];
        Some(Some((value, fraction, unit)))
    }
}

fn whole(value: &str, unit_seconds: u64) -> Option<Duration> {
    let n: u64 = value.parse().ok()?;
    Some(Duration::from_secs(n.checked_mul(unit_seconds)?))
}

fn seconds(value: &str, fraction: Option<&str>) -> Option<Duration> {
    let secs: u64 = value.parse().ok()?;
    let nanos = match fraction {
        None => 0,
        Some(digits) => {
            // Nanosecond precision; further digits are below what a Duration holds.
            let kept: String = digits.chars().take(9).collect();
            let scale = 10u32.pow(9 - kept.len() as u32);
            kept.parse::<u32>().ok()? * scale
        }
    };
    Some(Duration::new(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::parse;
    use std::time::Duration;

    #[test]
    fn accepts_the_documented_forms() {
        assert_eq!(parse("PT3S"), Some(Duration::from_secs(3)));
        assert_eq!(parse("PT2M"), Some(Duration::from_secs(120)));
        assert_eq!(parse("PT1H30M"), Some(Duration::from_secs(5400)));
        assert_eq!(parse("P1D"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse("P1DT1S"), Some(Duration::from_secs(86_401)));
        assert_eq!(parse("PT0.5S"), Some(Duration::from_millis(500)));
        assert_eq!(
            parse("PT1.1234567891S"),
            Some(Duration::new(1, 123_456_789))
        );
        assert_eq!(parse("PT0S"), Some(Duration::ZERO));
        assert_eq!(parse("PT1H2M3.25S"), Some(Duration::new(3723, 250_000_000)));
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "P",
            "PT",
            "T1S",
            "PT1",
            "1S",
            "PTS",
            "PT1.S",
            "PT.5S",
            "PT1.5M",
            "PT1M1H",
            "PT1S1S",
            "P1H",
            "PT1D",
            "pt1s",
            "PT-1S",
            "P1DT",
            "PT1S ",
            " PT1S",
            "PT1SX",
            "P1Y",
            "P1W",
            "PT99999999999999999999S",
            "P999999999999999999D",
            "PT1,5S",
            "PT١S",
        ] {
            assert_eq!(parse(bad), None, "{bad:?} should be rejected");
        }
    }
}
