//! Renderers: a [`Report`](crate::report::Report) → text. No renderer computes a figure; they
//! only round for display.

pub mod batch;
pub mod bcplus;
pub mod beges;
pub mod breakdown;
pub mod consolidation;
pub mod csv;
pub mod diff;
pub mod explain;
pub mod factor_diff;
pub mod fec;
pub mod grid;
pub mod html;
pub mod ixbrl;
pub mod json;
pub mod markdown;
pub mod sheet;
pub mod svg;
pub mod table;
pub mod template;
pub mod trajectory;
pub mod trend;
pub mod uncertainty;
pub mod view;
pub mod xlsx;

use crate::contract::Num;
use crate::post::Lang;
use crate::report::{Figure, PostStatus};
use rust_decimal::{Decimal, RoundingStrategy};

/// A decimal printed exactly, without trailing zeros (`1109.68`, never `-0`).
pub fn exact(value: Decimal) -> String {
    if value.is_zero() {
        "0".to_string()
    } else {
        value.normalize().to_string()
    }
}

/// A decimal printed exactly for people: [`exact`], with a decimal comma in French.
pub fn exact_for(value: Decimal, lang: Lang) -> String {
    let text = exact(value);
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A decimal rounded half away from zero to `places`, printed without trailing zeros.
pub fn rounded(value: Decimal, places: u32) -> String {
    exact(round(value, places))
}

/// An f64 rounded to `places` decimals, printed without trailing zeros: outputs carry
/// uncertainty to 6 decimals and interval bounds to the gram so they do not depend on the
/// last bits of a platform's `exp`.
pub fn rounded_f64(value: f64, places: u32) -> String {
    exact(round_f64(value, places))
}

fn round(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

fn round_f64(value: f64, places: u32) -> Decimal {
    round(Decimal::from_f64_retain(value).unwrap_or_default(), places)
}

/// [`rounded`] as a number of a JSON document.
pub fn num_rounded(value: Decimal, places: u32) -> Num {
    Num(round(value, places))
}

/// [`rounded_f64`] as a number of a JSON document.
pub fn num_rounded_f64(value: f64, places: u32) -> Num {
    Num(round_f64(value, places))
}

/// The 95 % interval bounds of a figure, rounded to the gram.
pub fn bounds(figure: &Figure) -> (String, String) {
    let (low, high) = figure.interval();
    (rounded_f64(low, 3), rounded_f64(high, 3))
}

/// A status in words.
pub fn status_label(status: &PostStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (PostStatus::Collected, Lang::Fr) => "collecté",
        (PostStatus::Collected, Lang::En) => "collected",
        (PostStatus::NotApplicable(_), Lang::Fr) => "non applicable",
        (PostStatus::NotApplicable(_), Lang::En) => "not applicable",
        (PostStatus::InProgress, Lang::Fr) => "en cours",
        (PostStatus::InProgress, Lang::En) => "in progress",
        (PostStatus::NotCollected, Lang::Fr) => "non collecté",
        (PostStatus::NotCollected, Lang::En) => "not collected",
    }
}

/// A consolidation approach in words (`operational-control` → `contrôle opérationnel`); an
/// unknown key as written.
pub fn consolidation_label(key: &str, lang: Lang) -> String {
    let label = match (key, lang) {
        ("operational-control", Lang::Fr) => "contrôle opérationnel",
        ("operational-control", Lang::En) => "operational control",
        ("financial-control", Lang::Fr) => "contrôle financier",
        ("financial-control", Lang::En) => "financial control",
        ("equity-share", Lang::Fr) => "quote-part du capital",
        ("equity-share", Lang::En) => "equity share",
        _ => key,
    };
    label.to_string()
}

/// A number for people with at least three significant digits (12.3, 1.23, 0.0123; 123 and
/// above whole), French or English style.
pub fn significant(value: Decimal, lang: Lang) -> String {
    let magnitude = value.abs();
    let places = if magnitude >= Decimal::ONE_HUNDRED || magnitude.is_zero() {
        0
    } else if magnitude >= Decimal::TEN {
        1
    } else {
        // Two places from 1, one more for each leading zero below it.
        let mut places = 2;
        let mut scaled = magnitude;
        while scaled < Decimal::ONE && places < 28 {
            scaled *= Decimal::TEN;
            places += 1;
        }
        places
    };
    human(value, places, lang)
}

/// An indicator's value for people: as given, thousands grouped (`42 000`, `10,5`).
pub fn quantity(value: Decimal, lang: Lang) -> String {
    let value = value.normalize();
    human(value, value.scale(), lang)
}

/// An emission per unit of something for people: in tCO2e, kgCO2e or gCO2e, whichever keeps
/// it at 1 or more, with three significant digits (`12,3 kgCO2e`).
pub fn intensity(kgco2e: Decimal, lang: Lang) -> String {
    let magnitude = kgco2e.abs();
    let thousand = Decimal::ONE_THOUSAND;
    let (value, unit) = if magnitude >= thousand {
        (kgco2e / thousand, "tCO2e")
    } else if magnitude >= Decimal::ONE || magnitude.is_zero() {
        (kgco2e, "kgCO2e")
    } else {
        (kgco2e * thousand, "gCO2e")
    };
    format!("{} {unit}", significant(value, lang))
}

/// A number for people: thousands grouped, `places` decimals, French or English style.
pub fn human(value: Decimal, places: u32, lang: Lang) -> String {
    let text = value
        .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        .to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let (group, point) = match lang {
        Lang::Fr => ('\u{202f}', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let mut frac = frac.to_string();
    while frac.len() < places as usize {
        frac.push('0');
    }
    let sign = if grouped.chars().all(|c| c == '0' || c == group) && frac.chars().all(|c| c == '0')
    {
        ""
    } else {
        sign
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A share as a percentage for people: `2,3 %` / `2.3%`.
pub fn percent(share: Decimal, lang: Lang) -> String {
    let value = human(share * Decimal::ONE_HUNDRED, 1, lang);
    match lang {
        Lang::Fr => format!("{value}\u{a0}%"),
        Lang::En => format!("{value}%"),
    }
}

/// An uncertainty for people: `±11 %`.
pub fn plus_minus(figure: &Figure, lang: Lang) -> String {
    let alpha = Decimal::from_f64_retain(figure.alpha() * 100.0).unwrap_or_default();
    let value = human(alpha, 0, lang);
    match lang {
        Lang::Fr => format!("±{value}\u{a0}%"),
        Lang::En => format!("±{value}%"),
    }
}

/// kgCO2e → tCO2e.
pub fn tonnes(kg: Decimal) -> Decimal {
    kg / Decimal::ONE_THOUSAND
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn intensity_ratios_keep_three_significant_digits() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // 42,960 kg over 49 FTE = 876.73… kg: kilograms, not "0,88 t".
        assert_eq!(intensity(d("42960") / d("49"), Lang::Fr), "877 kgCO2e");
        assert_eq!(intensity(d("10228.57"), Lang::Fr), "10,2 tCO2e");
        assert_eq!(intensity(d("10228.57"), Lang::En), "10.2 tCO2e");
        assert_eq!(intensity(d("1234567"), Lang::Fr), "1\u{202f}235 tCO2e");
        assert_eq!(intensity(d("5.6125"), Lang::Fr), "5,61 kgCO2e");
        assert_eq!(intensity(d("0.0123"), Lang::En), "12.3 gCO2e");
        assert_eq!(intensity(d("0.0000123"), Lang::En), "0.0123 gCO2e");
        assert_eq!(intensity(Decimal::ZERO, Lang::En), "0 kgCO2e");
        assert_eq!(significant(d("0.04567"), Lang::Fr), "0,0457");
        assert_eq!(significant(d("-12.34"), Lang::En), "-12.3");
    }

    #[test]
    fn numbers_for_people() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(human(d("49012.345"), 2, Lang::En), "49,012.35");
        assert_eq!(human(d("49012.345"), 2, Lang::Fr), "49\u{202f}012,35");
        assert_eq!(human(d("-0.001"), 2, Lang::En), "0.00");
        assert_eq!(human(d("999"), 0, Lang::En), "999");
        assert_eq!(human(d("1000"), 1, Lang::En), "1,000.0");
        assert_eq!(exact(d("1109.680")), "1109.68");
        assert_eq!(exact(d("-0.00")), "0");
        assert_eq!(rounded_f64(0.113_021_234_9, 6), "0.113021");
        assert_eq!(rounded_f64(648.0, 3), "648");
    }
}
