//! The JSON documents `bilan` writes, as serde types: one file per document (result, view,
//! trajectory, diff, trend, explain, factors diff) with its schema name, so the renderers that
//! write them and the loader that reads a result back agree on every field. Exact figures are
//! [`Num`]s.

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::str::FromStr;

pub mod diff;
pub mod explain;
pub mod factors_diff;
pub mod group;
pub mod result;
pub mod trajectory;
pub mod trend;
pub mod view;

/// `compute --format json`: one inventory's result.
pub const RESULT: &str = "bilan.result/1";
/// `compute --view … --format json`: the result in another framework.
pub const VIEW: &str = "bilan.view/1";
/// `trajectory --format json`.
pub const TRAJECTORY: &str = "bilan.trajectory/1";
/// `diff --format json`.
pub const DIFF: &str = "bilan.diff/1";
/// A trend of several inventories.
pub const TREND: &str = "bilan.trend/1";
/// `explain --format json`.
pub const EXPLAIN: &str = "bilan.explain/1";
/// `factors diff --format json`.
pub const FACTORS_DIFF: &str = "bilan.factors-diff/1";

/// Text in a document: borrowed from the values when written, owned when read back.
pub type Text<'a> = Cow<'a, str>;

/// Borrowed texts.
pub fn texts(all: &[String]) -> Vec<Text<'_>> {
    all.iter().map(|t| t.as_str().into()).collect()
}

/// An exact decimal as a JSON number. Written with every digit and no trailing zero
/// (`1109.68`, `0`; never `1109.680`, `-0` or `1109.6800000000001`): serde_json's arbitrary
/// precision carries the text. Read back only from a JSON number, exactly (a quoted number, a
/// null or a number beyond an exact decimal is an error saying so, never a rounded or zero
/// figure).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Num {
    /// The value as written: normalised, zero without a sign (what `normalize()` then
    /// `Display` give, made directly: a million-line result writes several per line).
    pub fn text(&self) -> String {
        let mut mantissa = self.0.mantissa().unsigned_abs();
        if mantissa == 0 {
            return "0".to_string();
        }
        let mut scale = self.0.scale() as usize;
        while scale > 0 && mantissa.is_multiple_of(10) {
            mantissa /= 10;
            scale -= 1;
        }
        // At most 29 digits (a mantissa below 2^96), as ASCII, the last in the last place.
        let mut digits = [b'0'; 40];
        let mut start = digits.len();
        match u64::try_from(mantissa) {
            Ok(mut small) => {
                while small > 0 {
                    start -= 1;
                    if let Some(d) = digits.get_mut(start) {
                        *d = b'0' + (small % 10) as u8;
                    }
                    small /= 10;
                }
            }
            Err(_) => {
                while mantissa > 0 {
                    start -= 1;
                    if let Some(d) = digits.get_mut(start) {
                        *d = b'0' + (mantissa % 10) as u8;
                    }
                    mantissa /= 10;
                }
            }
        }
        let written = digits.get(start..).unwrap_or_default();
        let mut text = String::with_capacity(written.len().max(scale) + 3);
        if self.0.is_sign_negative() {
            text.push('-');
        }
        let (whole, fraction) = written.split_at(written.len().saturating_sub(scale));
        match whole {
            [] => text.push('0'),
            whole => text.extend(whole.iter().map(|&b| char::from(b))),
        }
        if scale > 0 {
            text.push('.');
            text.extend(std::iter::repeat_n('0', scale - fraction.len()));
            text.extend(fraction.iter().map(|&b| char::from(b)));
        }
        text
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::Number::from_str(&self.text())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Num, D::Error> {
        use serde_json::Value;
        match Value::deserialize(deserializer)? {
            Value::Number(number) => {
                let text = number.to_string();
                crate::number::parse_decimal(&text)
                    .map(Num)
                    .map_err(|e| D::Error::custom(format!("the number {text} is {e}")))
            }
            Value::String(s) => Err(D::Error::custom(format!(
                "the string \"{s}\" where a number goes (write {s}, without quotes)"
            ))),
            Value::Null => Err(D::Error::custom("null where a number goes")),
            Value::Bool(b) => Err(D::Error::custom(format!("{b} where a number goes"))),
            Value::Array(_) => Err(D::Error::custom("a list where a number goes")),
            Value::Object(_) => Err(D::Error::custom("an object where a number goes")),
        }
    }
}

/// A period, its first and last day (`2025-01-01`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Period<'a> {
    /// First day.
    pub start: Text<'a>,
    /// Last day.
    pub end: Text<'a>,
}

#[cfg(test)]
mod tests {
    use super::Num;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn write(value: &str) -> String {
        serde_json::to_string(&Num(Decimal::from_str(value).unwrap())).unwrap()
    }

    fn read(json: &str) -> Result<Decimal, String> {
        serde_json::from_str::<Num>(json)
            .map(|n| n.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_number_is_written_with_every_digit_and_no_trailing_zero() {
        assert_eq!(write("1109.680"), "1109.68");
        assert_eq!(write("-0.000"), "0");
        assert_eq!(
            write("0.0000000000000000000000000001"),
            "0.0000000000000000000000000001"
        );
        // 28 significant digits, none lost to a float.
        assert_eq!(
            write("1234567890.123456789012345678"),
            "1234567890.123456789012345678"
        );
        assert_eq!(write("-250"), "-250");
    }

    #[test]
    fn a_number_text_is_the_normalised_display_of_rust_decimal() {
        // Every scale, mantissas of every length up to 96 bits, both signs, trailing zeros.
        let mut mantissas: Vec<i128> = vec![0, 1, 5, 9, 10, 100, 120, 1_000_000, 123_456_789];
        let mut m: i128 = 7;
        while m < (1 << 96) {
            mantissas.push(m);
            mantissas.push(m * 10 % (1 << 96));
            m = m * 3 + 1;
        }
        mantissas.extend([
            i128::from(u64::MAX),
            i128::from(u64::MAX) + 1,
            (1 << 96) - 1,
            10_i128.pow(28),
            79_228_162_514_264_337_593_543_950_330,
        ]);
        let mut checked = 0;
        for &mantissa in &mantissas {
            for scale in 0..=28 {
                for sign in [1, -1] {
                    let Ok(value) = Decimal::try_from_i128_with_scale(sign * mantissa, scale)
                    else {
                        continue;
                    };
                    let expected = if value.is_zero() {
                        "0".to_string()
                    } else {
                        value.normalize().to_string()
                    };
                    assert_eq!(Num(value).text(), expected, "{mantissa} scale {scale}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 5_000, "{checked}");
        assert_eq!(Num(Decimal::MAX).text(), "79228162514264337593543950335");
        assert_eq!(Num(Decimal::MIN).text(), "-79228162514264337593543950335");
        assert_eq!(
            Num(Decimal::new(-5, 28)).text(),
            "-0.0000000000000000000000000005"
        );
        assert_eq!(Num(Decimal::new(1_500, 3)).text(), "1.5");
        assert_eq!(Num(Decimal::new(-0, 3)).text(), "0");
    }

    #[test]
    fn a_number_reads_back_exactly_and_nothing_else_does() {
        assert_eq!(
            read("1234567890.123456789012345678"),
            Ok(Decimal::from_str("1234567890.123456789012345678").unwrap())
        );
        // Read from its text: as a float, 0.3 would be 0.299999999999999988897769753748….
        assert_eq!(read("0.3"), Ok(Decimal::from_str("0.3").unwrap()));
        assert_eq!(read("1.5e3"), Ok(Decimal::from(1500)));
        assert_eq!(
            read("\"12\""),
            Err("the string \"12\" where a number goes (write 12, without quotes)".to_string())
        );
        assert_eq!(read("null"), Err("null where a number goes".to_string()));
        assert_eq!(read("true"), Err("true where a number goes".to_string()));
        assert_eq!(read("[1]"), Err("a list where a number goes".to_string()));
        assert!(read("12345678901234567890123456789012").is_err_and(|e| {
            e.starts_with("the number 12345678901234567890123456789012 is out of range")
        }),);
    }
}
