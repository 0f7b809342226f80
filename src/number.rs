//! Exact decimal numbers read from their text: `0.1` is 0.1, `5,92E-3` is 0.00592.

use rust_decimal::Decimal;

/// Why a text is not a number we accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a decimal number at all (includes NaN and infinities).
    NotANumber,
    /// A number, but beyond what an exact decimal holds (about ±7.9e28, 28 digits).
    OutOfRange,
    /// A bare number where a percentage is expected: `0.05` could mean 5 % or 0.05 %.
    MissingPercent,
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumberError::NotANumber => f.write_str("not a decimal number"),
            NumberError::OutOfRange => f.write_str(
                "out of range (exact decimals hold up to 28 significant digits, ±7.9e28)",
            ),
            NumberError::MissingPercent => f.write_str("a number without a % sign"),
        }
    }
}

/// Parses a decimal with `.` as separator, optional sign, optional exponent (`1.5e3`).
/// Underscores between digits (`21_340`) are accepted, as YAML 1.1 writers use them.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    let text = text.trim();
    let cleaned: String;
    let text = if text.contains('_') {
        cleaned = text.replace('_', "");
        cleaned.as_str()
    } else {
        text
    };
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mantissa = body.split(['e', 'E']).next().unwrap_or("");
    let well_formed = !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().filter(|c| *c == '.').count() <= 1
        && mantissa.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return Err(NumberError::NotANumber);
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => {
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(NumberError::NotANumber);
            }
            // An exponent beyond i64 is beyond any decimal too (zero aside).
            let exponent = exponent.parse::<i64>().unwrap_or(i64::MAX);
            let plain = without_exponent(mantissa, exponent).ok_or(NumberError::OutOfRange)?;
            exact(&plain)
        }
        None => exact(text),
    }
}

/// Parses plain decimal text exactly: more than a decimal holds (28 digits after the point,
/// ±7.9e28) is out of range, never silently rounded.
fn exact(text: &str) -> Result<Decimal, NumberError> {
    // Trailing zeros after the point carry no value: drop them when they exceed the scale.
    let text = match text.split_once('.') {
        Some((_, fraction)) if fraction.len() > 28 => {
            text.trim_end_matches('0').trim_end_matches('.')
        }
        _ => text,
    };
    Decimal::from_str_exact(text).map_err(|_| NumberError::OutOfRange)
}

/// `mantissa × 10^exponent` written without exponent (`1.5`, 3 → `1500`), `None` when far out
/// of a decimal's range. `mantissa` is digits with at most one `.`, maybe a leading `-`.
fn without_exponent(mantissa: &str, exponent: i64) -> Option<String> {
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{fraction}");
    let digits = all.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".to_string());
    }
    // Where the point goes among `digits`.
    let leading_zeros = i64::try_from(all.len() - digits.len()).ok()?;
    let point = i64::try_from(int.len())
        .ok()?
        .checked_add(exponent)?
        .checked_sub(leading_zeros)?;
    if !(-40..=40).contains(&point) {
        return None;
    }
    let len = i64::try_from(digits.len()).ok()?;
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    Some(if point <= 0 {
        format!("{sign}0.{}{digits}", zeros(-point))
    } else if point >= len {
        format!("{sign}{digits}{}", zeros(point - len))
    } else {
        let at = usize::try_from(point).ok()?;
        format!("{sign}{}.{}", digits.get(..at)?, digits.get(at..)?)
    })
}

/// Adds decimals, `None` on overflow (rust_decimal's `+` panics instead).
pub fn checked_sum<I: IntoIterator<Item = Decimal>>(values: I) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// Parses a decimal written with a comma (`0,052`, `5,92E-3`), as French exports do.
pub fn parse_decimal_comma(text: &str) -> Result<Decimal, NumberError> {
    let text = text.trim();
    if text.contains('.') && text.contains(',') {
        return Err(NumberError::NotANumber);
    }
    parse_decimal(&text.replace(',', "."))
}

/// A percentage: `15%`, `15 %` or a bare number meaning percent (`15`). Returns the fraction
/// (0.15).
pub fn parse_percent(text: &str) -> Result<Decimal, NumberError> {
    let body = text.trim();
    // `0.05` alone could be 5 % written as a fraction or 0.05 %: the sign says which.
    let Some(body) = body.strip_suffix('%') else {
        parse_decimal(body)?;
        return Err(NumberError::MissingPercent);
    };
    let value = parse_decimal(body.trim_end())?;
    Ok(value / Decimal::ONE_HUNDRED)
}

/// What to write instead of a bare number `text` where a percentage is expected.
pub fn percent_hint(text: &str) -> String {
    match parse_decimal(text) {
        Ok(value) => {
            let as_fraction = (value * Decimal::ONE_HUNDRED).normalize();
            format!(
                "write {as_fraction}% if {} is a fraction, or {}% if it is already a percentage",
                text.trim(),
                text.trim()
            )
        }
        Err(_) => "write a percentage such as 15%".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_exact_decimals() {
        assert_eq!(parse_decimal("0.1"), Ok(d("0.1")));
        assert_eq!(parse_decimal("21340"), Ok(d("21340")));
        assert_eq!(parse_decimal("-3.5"), Ok(d("-3.5")));
        assert_eq!(parse_decimal("+2"), Ok(d("2")));
        assert_eq!(parse_decimal("21_340"), Ok(d("21340")));
        assert_eq!(parse_decimal("1.5e3"), Ok(d("1500")));
        assert_eq!(parse_decimal("5.92E-3"), Ok(d("0.00592")));
        assert_eq!(parse_decimal("1e+2"), Ok(d("100")));
        assert_eq!(parse_decimal(".5"), Ok(d("0.5")));
    }

    #[test]
    fn rejects_what_is_not_a_decimal() {
        for bad in [
            "", "abc", "NaN", ".inf", "-.inf", "inf", "1.2.3", "1e", "e5", "0x10", "1,5",
        ] {
            assert_eq!(parse_decimal(bad), Err(NumberError::NotANumber), "{bad}");
        }
    }

    #[test]
    fn reports_overflow_instead_of_panicking() {
        assert_eq!(parse_decimal("1e40"), Err(NumberError::OutOfRange));
        assert_eq!(
            parse_decimal("99999999999999999999999999999999"),
            Err(NumberError::OutOfRange)
        );
        for rounded in [
            "1.00000000000000000000000000001",
            "0.0000000000000000000000000000000001",
            "1.00000000000000000000000000001e0",
        ] {
            assert_eq!(
                parse_decimal(rounded),
                Err(NumberError::OutOfRange),
                "{rounded}"
            );
        }
        assert_eq!(
            parse_decimal("0.0000000000000000000000000001"),
            Ok(Decimal::new(1, 28))
        );
        assert_eq!(parse_decimal("1e-28"), Ok(Decimal::new(1, 28)));
        assert_eq!(parse_decimal("1e-29"), Err(NumberError::OutOfRange));
        assert_eq!(parse_decimal("1.5e-28"), Err(NumberError::OutOfRange));
        assert_eq!(
            parse_decimal("7.9e28"),
            Ok(d("79000000000000000000000000000"))
        );
        assert_eq!(parse_decimal("8e28"), Err(NumberError::OutOfRange));
        assert_eq!(parse_decimal("0e99999999999999999999"), Ok(Decimal::ZERO));
        assert_eq!(
            parse_decimal("1e99999999999999999999"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(parse_decimal("-0.00125e3"), Ok(d("-1.25")));
        assert_eq!(parse_decimal("00012.5e-1"), Ok(d("1.25")));
        assert_eq!(parse_decimal("1e5e3"), Err(NumberError::NotANumber));
        // Zeros beyond 28 decimals carry nothing: still read.
        assert_eq!(
            parse_decimal("1.500000000000000000000000000000000"),
            Ok(d("1.5"))
        );
    }

    #[test]
    fn reads_french_decimals() {
        assert_eq!(parse_decimal_comma("0,052"), Ok(d("0.052")));
        assert_eq!(parse_decimal_comma("5,92E-3"), Ok(d("0.00592")));
        assert_eq!(parse_decimal_comma("1,00E-2"), Ok(d("0.01")));
        assert_eq!(parse_decimal_comma("#N/A"), Err(NumberError::NotANumber));
    }

    #[test]
    fn reads_percentages() {
        assert_eq!(parse_percent("15%"), Ok(d("0.15")));
        assert_eq!(parse_percent("5 %"), Ok(d("0.05")));
        assert_eq!(parse_percent("30"), Err(NumberError::MissingPercent));
        assert_eq!(parse_percent("0.05"), Err(NumberError::MissingPercent));
        assert_eq!(parse_percent("x"), Err(NumberError::NotANumber));
        assert_eq!(parse_percent("x%"), Err(NumberError::NotANumber));
    }
}
