//! ISO 8601 durations (`PT2M`, `P1DT12H`, `PT0.5S`) as `std::time::Duration`.
//!
//! The management API uses the subset .NET's `XmlConvert` reads for `TimeSpan`: days, hours,
//! minutes and seconds with up to seven fractional digits (100 ns ticks). Years and months
//! have no fixed length, so they are refused rather than guessed. Written by hand because
//! the general ISO 8601 crates model calendar durations, not this fixed-length subset.

use std::time::Duration;

/// The longest duration the service can hold: .NET's `TimeSpan.MaxValue` (`i64::MAX` ticks of
/// 100 ns), which .NET writes for "infinite". Its fraction counts: dropping it would refuse
/// the very value .NET services send.
pub const MAX: Duration = Duration::new(922_337_203_685, 477_580_700);

/// [`MAX`] as .NET writes it, for messages.
const MAX_TEXT: &str = "P10675199DT2H48M5.4775807S";

const TICK_NANOS: u32 = 100;

/// Writes `duration` as the shortest ISO 8601 form: `PT2M`, `P1DT2H`, `PT0.5S`, `PT0S`.
/// Fails for durations the service cannot represent: longer than [`MAX`], or finer than its
/// 100 ns tick.
pub fn format(duration: Duration) -> Result<String, String> {
    if duration > MAX {
        return Err(format!(
            "a duration longer than {MAX_TEXT} (.NET's TimeSpan.MaxValue) cannot be represented by the service"
        ));
    }
    if !duration.subsec_nanos().is_multiple_of(TICK_NANOS) {
        return Err("a duration finer than 100 ns cannot be represented by the service".into());
    }
    let total = duration.as_secs();
    let (days, hours, minutes, seconds) = (
        total / 86_400,
        total / 3_600 % 24,
        total / 60 % 60,
        total % 60,
    );
    let nanos = duration.subsec_nanos();
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if hours > 0 || minutes > 0 || seconds > 0 || nanos > 0 || days == 0 {
        out.push('T');
        if hours > 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if seconds > 0 || nanos > 0 || (hours == 0 && minutes == 0) {
            out.push_str(&seconds.to_string());
            if nanos > 0 {
                let fraction = format!("{:07}", nanos / TICK_NANOS);
                out.push('.');
                out.push_str(fraction.trim_end_matches('0'));
            }
            out.push('S');
        }
    }
    Ok(out)
}

/// Reads `PnW`, or `P[nD][T[nH][nM][n[.f]S]]`. Refuses negative, calendar (years, months)
/// and malformed durations, and durations longer than [`MAX`].
pub fn parse(text: &str) -> Result<Duration, String> {
    let invalid = |why: &str| {
        Err(format!(
            "`{text}` is not an ISO 8601 duration like PT2M or P1DT30M: {why}"
        ))
    };
    let Some(rest) = text.strip_prefix('P') else {
        return invalid(if text.starts_with('-') {
            "negative durations are not allowed"
        } else {
            "it must start with `P`"
        });
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    if date.is_empty() && time.is_none_or(str::is_empty) {
        return invalid("it has no components");
    }
    let mut total = Duration::ZERO;
    let mut add = |value: Duration| -> Result<(), String> {
        total = total
            .checked_add(value)
            .filter(|t| *t <= MAX)
            .ok_or_else(|| {
                format!(
                    "`{text}` is longer than the service's maximum, {MAX_TEXT} (.NET's TimeSpan.MaxValue)"
                )
            })?;
        Ok(())
    };
    for (number, unit) in
        components(date).map_err(|why| format!("`{text}` is not an ISO 8601 duration: {why}"))?
    {
        let seconds = match unit {
            'W' => 604_800,
            'D' => 86_400,
            'Y' | 'M' => return invalid("years and months have no fixed length; use days"),
            _ => return invalid("unknown date component"),
        };
        add(scaled(number, seconds).or_else(&invalid)?)?;
    }
    if let Some(time) = time {
        if time.is_empty() {
            return invalid("`T` must be followed by hours, minutes or seconds");
        }
        for (number, unit) in components(time)
            .map_err(|why| format!("`{text}` is not an ISO 8601 duration: {why}"))?
        {
            let seconds = match unit {
                'H' => 3_600,
                'M' => 60,
                'S' => 1,
                _ => return invalid("unknown time component"),
            };
            add(scaled(number, seconds).or_else(&invalid)?)?;
        }
    }
    Ok(total)
}

/// Splits `12H30M5.5S` into `("12", 'H'), ("30", 'M'), ("5.5", 'S')`, in the order the
/// standard requires and each unit at most once.
fn components(text: &str) -> Result<Vec<(&str, char)>, &'static str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() || c == '.' {
            continue;
        }
        let number = &text[start..i];
        if number.is_empty() {
            return Err("a component has no number");
        }
        out.push((number, c));
        start = i + c.len_utf8();
    }
    if start != text.len() {
        return Err("a number has no unit");
    }
    let order = "WDHMS";
    let positions: Vec<Option<usize>> = out.iter().map(|(_, u)| order.find(*u)).collect();
    if positions
        .windows(2)
        .any(|w| matches!(w, [Some(a), Some(b)] if a >= b))
    {
        return Err("components are out of order or repeated");
    }
    if out
        .iter()
        .take(out.len().saturating_sub(1))
        .any(|(n, _)| n.contains('.'))
    {
        return Err("only the last component may have a fraction");
    }
    Ok(out)
}

/// `number` (digits, optionally with a fraction of up to 7 digits) times `unit` seconds.
///
/// Either side of the `.` may be empty (`.5`, `5.`), not both: .NET's `XmlConvert`, which
/// the service uses, reads `PT.5S` as half a second, so refusing it would refuse values the
/// service itself accepts.
fn scaled(number: &str, unit: u64) -> Result<Duration, &'static str> {
    const TOO_LARGE: &str = "a component is too large";
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err("a component has no number");
    }
    if fraction.contains('.') {
        return Err("a number has more than one `.`");
    }
    if fraction.len() > 7 {
        return Err("seconds have at most 7 fractional digits (100 ns ticks)");
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| TOO_LARGE)?
    };
    // At most 7 ASCII digits (`components` lets only digits and `.` through), as ticks.
    let ticks: u64 = format!("{fraction:0<7}").parse().map_err(|_| TOO_LARGE)?;
    let seconds = whole.checked_mul(unit).ok_or(TOO_LARGE)?;
    let fraction_nanos = ticks
        .checked_mul(unit)
        .and_then(|t| t.checked_mul(u64::from(TICK_NANOS)))
        .ok_or(TOO_LARGE)?;
    Duration::from_secs(seconds)
        .checked_add(Duration::from_nanos(fraction_nanos))
        .ok_or(TOO_LARGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn formats_shortest_forms() {
        assert_eq!(format(secs(120)).unwrap(), "PT2M");
        assert_eq!(format(secs(3)).unwrap(), "PT3S");
        assert_eq!(format(Duration::ZERO).unwrap(), "PT0S");
        assert_eq!(format(secs(86_400)).unwrap(), "P1D");
        assert_eq!(format(secs(93_784)).unwrap(), "P1DT2H3M4S");
        assert_eq!(format(secs(5_400)).unwrap(), "PT1H30M");
        assert_eq!(format(Duration::from_millis(500)).unwrap(), "PT0.5S");
        assert_eq!(format(Duration::from_nanos(100)).unwrap(), "PT0.0000001S");
        assert!(format(Duration::from_nanos(150)).is_err());
        assert!(format(MAX + secs(1)).is_err());
    }

    #[test]
    fn parses_the_timespan_subset() {
        assert_eq!(parse("PT2M").unwrap(), secs(120));
        assert_eq!(parse("PT3S").unwrap(), secs(3));
        assert_eq!(parse("P1DT2H3M4S").unwrap(), secs(93_784));
        assert_eq!(parse("P2W").unwrap(), secs(1_209_600));
        assert_eq!(parse("PT0.5S").unwrap(), Duration::from_millis(500));
        assert_eq!(parse("PT1.5M").unwrap(), secs(90));
        assert_eq!(parse("PT0S").unwrap(), Duration::ZERO);
        for bad in [
            "",
            "P",
            "PT",
            "2M",
            "-PT2M",
            "P1Y",
            "P1M",
            "PT2X",
            "PT1.5M30S",
            "PTM",
            "PT2M2M",
            "PT2S2M",
            "PT1.12345678S",
            "P1DT",
            "PT 2M",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("P99999999D").is_err());
    }

    /// What .NET writes for `TimeSpan.MaxValue` ("infinite"), e.g. a circuit breaker's
    /// `tripDuration`.
    const TIMESPAN_MAX_VALUE: &str = "P10675199DT2H48M5.4775807S";

    #[test]
    fn timespan_max_value_is_read_and_round_trips() {
        let max = Duration::new(922_337_203_685, 477_580_700);
        assert_eq!(parse(TIMESPAN_MAX_VALUE), Ok(max));
        assert_eq!(format(max).as_deref(), Ok(TIMESPAN_MAX_VALUE));
        assert_eq!(MAX, max);
        let just_over = max + Duration::from_nanos(100);
        assert!(format(just_over).unwrap_err().contains(TIMESPAN_MAX_VALUE));
        assert!(
            parse("P10675199DT2H48M5.4775808S")
                .unwrap_err()
                .contains(TIMESPAN_MAX_VALUE)
        );
    }

    #[test]
    fn fraction_without_whole_seconds_is_read_like_dotnet() {
        assert_eq!(parse("PT.5S"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("PT1M.25S"), Ok(Duration::from_millis(60_250)));
        let no_digits = parse("PT.S").unwrap_err();
        assert!(no_digits.contains("has no number"), "{no_digits}");
        for (text, why) in [
            ("PT1.12345678S", "at most 7 fractional digits"),
            ("PT1.2.3S", "more than one `.`"),
            ("P99999999999999999999D", "too large"),
        ] {
            let message = parse(text).unwrap_err();
            assert!(message.contains(why), "{text}: {message}");
        }
    }

    #[test]
    fn round_trips() {
        for d in [
            secs(0),
            secs(1),
            secs(59),
            secs(61),
            secs(3_601),
            secs(86_401),
            Duration::from_millis(1_250),
            MAX,
        ] {
            assert_eq!(parse(&format(d).unwrap()).unwrap(), d);
        }
    }
}
