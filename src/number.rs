//! Exact decimal numbers read from their text: `0.1` is 0.1, `5,92E-3` is 0.00592.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a text is not a number we accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a decimal number at all (includes NaN and infinities).
    NotANumber,
    /// A number, but beyond what an exact decimal holds (about ±7.9e28, 28 digits).
    OutOfRange,
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumberError::NotANumber => f.write_str("not a decimal number"),
            NumberError::OutOfRange => f.write_str(
                "out of range (exact decimals hold up to 28 significant digits, ±7.9e28)",
            ),
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
    let parsed = if body.contains(['e', 'E']) {
        let exponent = body.split(['e', 'E']).nth(1).unwrap_or("");
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(NumberError::NotANumber);
        }
        let normalised = text.replace("e+", "e").replace("E+", "E");
        Decimal::from_scientific(&normalised)
    } else {
        Decimal::from_str(text)
    };
    // The text is well formed, so a failure can only be the magnitude or the precision.
    parsed.map_err(|_| NumberError::OutOfRange)
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
    let body = body.strip_suffix('%').unwrap_or(body).trim_end();
    let value = parse_decimal(body)?;
    Ok(value / Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(parse_percent("30"), Ok(d("0.3")));
        assert_eq!(parse_percent("x%"), Err(NumberError::NotANumber));
    }
}
