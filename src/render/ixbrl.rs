//! The VSME B3 / ESRS E1-6 greenhouse-gas figures as an Inline XBRL 1.1 document (XHTML):
//! readable in a browser, its facts machine-readable.
//!
//! Concept names, their data and period types and the units come from EFRAG's VSME XBRL
//! taxonomy, version 2026-05-01 (entry point
//! `https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd`), as dumped by EFRAG's own
//! converter: repository `EFRAG-EU/Digital-Template-to-XBRL-Converter`, commit
//! `56114ee10429b6141ca28c904b784050841b09c6`, files
//! `src/mireport/data/taxonomies/vsme-2026-05-01.json` (concepts, presentation group
//! "[1100] B3 - Environment - Estimated Greenhouse Gas Emissions" and "[1110] B3 - Environment -
//! Greenhouse Gas Emissions intensity": every concept used here is `dtr-types:ghgEmissionsItemType`
//! or `dtr-types:ghgEmissionsPerMonetaryItemType`, period type `duration`) and
//! `src/mireport/data/disclosures/vsme.json` (`dtr-types:ghgEmissionsItemType` → `utr:tCO2e`,
//! the intensity unit tCO2e / EUR, the LEI scheme `http://standards.iso.org/iso/17442`).
//! The same concept names hold in the 2024-12-17 and 2025-07-30 versions. Numbers are written
//! as `--lang` reads them and tagged with the Inline XBRL Transformation Registry 4's
//! `num-dot-decimal` / `num-comma-decimal`.
//!
//! Not tagged, for want of a concept name found in a primary source: the scope 3 categories and
//! biogenic CO2 (ESRS E1-6 concepts; VSME B3 has none). They are shown as plain text.

use crate::post::Lang;
use crate::report::Report;
use crate::vsme::B3;
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// The taxonomy's entry point.
pub const SCHEMA: &str = "https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme-all.xsd";
/// The `vsme` namespace.
pub const VSME_NAMESPACE: &str = "https://xbrl.efrag.org/taxonomy/vsme/2026-05-01/vsme";
/// The entity identifier scheme of an LEI (ISO 17442), as EFRAG's converter writes it.
pub const LEI_SCHEME: &str = "http://standards.iso.org/iso/17442";
/// The scheme of any other organisation id: the id as written in the inventory.
pub const ORGANISATION_ID_SCHEME: &str = "urn:bilan:organisation-id";
/// Decimals of the emissions, in tCO2e: to the kilogram.
pub const EMISSION_DECIMALS: u32 = 3;
/// Decimals of the intensities, in tCO2e per euro: 10⁻⁶ tCO2e per M€.
pub const INTENSITY_DECIMALS: u32 = 12;

/// Why no document can be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The inventory gives no `organisation: { id: … }`: XBRL identifies the entity by it.
    MissingId,
    /// A character XML 1.0 cannot carry (a control character) in the organisation's name or id
    /// or the revenue indicator's label.
    Unwritable {
        /// `organisation name`, `organisation id` or `indicator label`.
        field: &'static str,
        /// The character.
        character: char,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::MissingId => write!(
                f,
                "organisation: {{ id: … }} is missing: the Inline XBRL document identifies the entity by it (an LEI, or another identifier such as a SIREN); add it to the inventory"
            ),
            Refusal::Unwritable { field, character } => write!(
                f,
                "the {field} holds the control character U+{:04X}, which an XHTML document cannot carry: remove it from the inventory",
                u32::from(*character)
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// The XBRL entity: identifier scheme and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The scheme URI.
    pub scheme: &'static str,
    /// The identifier.
    pub identifier: String,
}

/// The entity of an organisation id: an LEI (20 characters whose ISO 17442 check digits hold,
/// `LEI` before it allowed) under the LEI scheme, anything else as written under
/// [`ORGANISATION_ID_SCHEME`].
pub fn entity(id: &str) -> Entity {
    let trimmed = id.trim();
    let bare = trimmed
        .strip_prefix("LEI")
        .or_else(|| trimmed.strip_prefix("lei"))
        .map_or(trimmed, |rest| rest.trim_start_matches([' ', ':']));
    if is_lei(bare) {
        Entity {
            scheme: LEI_SCHEME,
            identifier: bare.to_string(),
        }
    } else {
        Entity {
            scheme: ORGANISATION_ID_SCHEME,
            identifier: trimmed.to_string(),
        }
    }
}

/// An LEI: 18 upper-case letters or digits, 2 check digits, the whole mod 97 = 1 (ISO 17442,
/// the ISO 7064 MOD 97-10 check with letters as 10 … 35).
pub fn is_lei(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() != 20
        || !bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        || !bytes.iter().rev().take(2).all(u8::is_ascii_digit)
    {
        return false;
    }
    let mut rest: u32 = 0;
    for b in bytes {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    rest == 1
}

/// Text escaped for XHTML content and attribute values; `None` at a character XML 1.0 forbids.
fn escape(text: &str) -> Result<String, char> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => return Err(c),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A number as people read it and as the fact's content: its absolute value with `places`
/// decimals, thousands grouped (`1,857.428` in English, `1 857,428` with a no-break space in
/// French, which the Inline XBRL transformations `num-dot-decimal` and `num-comma-decimal`
/// read), and whether it is negative (iXBRL writes the sign in a `sign="-"` attribute).
fn content(value: Decimal, places: u32, lang: Lang) -> (String, bool) {
    let value = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    let negative = value.is_sign_negative() && !value.is_zero();
    let plain = format!("{:.*}", places as usize, value.abs());
    let (integer, fraction) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Fr => ('\u{a0}', ','),
    };
    let mut text = String::with_capacity(plain.len() + integer.len() / 3);
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            text.push(group);
        }
        text.push(digit);
    }
    if !fraction.is_empty() {
        text.push(point);
        text.push_str(fraction);
    }
    (text, negative)
}

/// The transformation that reads [`content`] back, in the Inline XBRL Transformation
/// Registry 4.
fn transformation(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "ixt:num-dot-decimal",
        Lang::Fr => "ixt:num-comma-decimal",
    }
}

/// One tagged fact in a table row.
fn fact_row(
    out: &mut String,
    label: &str,
    concept: &str,
    unit: &str,
    value: Decimal,
    places: u32,
    lang: Lang,
) {
    let (text, negative) = content(value, places, lang);
    let sign = if negative { " sign=\"-\"" } else { "" };
    let minus = if negative { "-" } else { "" };
    let format = transformation(lang);
    out.push_str(&format!(
        "<tr><td>{label}</td><td class=\"n\">{minus}<ix:nonFraction name=\"vsme:{concept}\" contextRef=\"{CONTEXT}\" unitRef=\"{unit}\" decimals=\"{places}\" format=\"{format}\"{sign}>{text}</ix:nonFraction></td></tr>\n"
    ));
}

/// An untagged row.
fn plain_row(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!(
        "<tr><td>{label}</td><td class=\"n\">{value}</td></tr>\n"
    ));
}

const CONTEXT: &str = "period";
const UNIT_T: &str = "tCO2e";
const UNIT_PER_EUR: &str = "tCO2e-per-EUR";

fn tonnes(kg: Decimal) -> Decimal {
    kg / Decimal::ONE_THOUSAND
}

/// The document. The same report gives the same bytes (no clock, no randomness).
pub fn document(report: &Report, b3: &B3, lang: Lang) -> Result<String, Refusal> {
    let id = report
        .organisation
        .id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
        .ok_or(Refusal::MissingId)?;
    let entity = entity(id);
    let identifier = escape(&entity.identifier).map_err(|character| Refusal::Unwritable {
        field: "organisation id",
        character,
    })?;
    let name = escape(&report.organisation.name).map_err(|character| Refusal::Unwritable {
        field: "organisation name",
        character,
    })?;
    let fr = lang == Lang::Fr;
    let t = |fr_text: &'static str, en_text: &'static str| if fr { fr_text } else { en_text };
    let (start, end) = (report.period.start, report.period.end);
    let code = if fr { "fr" } else { "en" };
    let title = format!(
        "{} — {name} — {start} – {end}",
        t(
            "VSME B3 / ESRS E1-6 : émissions de gaz à effet de serre",
            "VSME B3 / ESRS E1-6: greenhouse gas emissions"
        )
    );

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\" xmlns:ixt=\"http://www.xbrl.org/inlineXBRL/transformation/2020-02-12\" xmlns:link=\"http://www.xbrl.org/2003/linkbase\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xbrli=\"http://www.xbrl.org/2003/instance\" xmlns:iso4217=\"http://www.xbrl.org/2003/iso4217\" xmlns:utr=\"http://www.xbrl.org/2009/utr\" xmlns:vsme=\"{VSME_NAMESPACE}\" xml:lang=\"{code}\">\n"
    ));
    out.push_str(
        "<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"/>\n",
    );
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"bilan {}\"/>\n<title>{title}</title>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str("<style type=\"text/css\">body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ccc;padding:.3em .8em;text-align:left}.n{text-align:right;font-variant-numeric:tabular-nums}</style>\n</head>\n<body>\n");

    // The hidden header: taxonomy, context, units.
    out.push_str("<div style=\"display:none\">\n<ix:header>\n<ix:references>\n");
    out.push_str(&format!(
        "<link:schemaRef xlink:type=\"simple\" xlink:href=\"{SCHEMA}\"/>\n"
    ));
    out.push_str("</ix:references>\n<ix:resources>\n");
    out.push_str(&format!(
        "<xbrli:context id=\"{CONTEXT}\"><xbrli:entity><xbrli:identifier scheme=\"{}\">{identifier}</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:startDate>{start}</xbrli:startDate><xbrli:endDate>{end}</xbrli:endDate></xbrli:period></xbrli:context>\n",
        entity.scheme
    ));
    out.push_str(&format!(
        "<xbrli:unit id=\"{UNIT_T}\"><xbrli:measure>utr:tCO2e</xbrli:measure></xbrli:unit>\n"
    ));
    if b3.intensity.is_some() {
        out.push_str(&format!(
            "<xbrli:unit id=\"{UNIT_PER_EUR}\"><xbrli:divide><xbrli:unitNumerator><xbrli:measure>utr:tCO2e</xbrli:measure></xbrli:unitNumerator><xbrli:unitDenominator><xbrli:measure>iso4217:EUR</xbrli:measure></xbrli:unitDenominator></xbrli:divide></xbrli:unit>\n"
        ));
    }
    out.push_str("</ix:resources>\n</ix:header>\n</div>\n");

    out.push_str(&format!("<h1>{title}</h1>\n"));
    out.push_str(&format!(
        "<p>{}{name} ({identifier}). {}{start} – {end}.</p>\n",
        t("Organisation : ", "Organisation: "),
        t("Période : ", "Period: "),
    ));

    out.push_str(&format!(
        "<h2>{}</h2>\n<table>\n<tr><th></th><th class=\"n\">tCO2e</th></tr>\n",
        t(
            "Émissions brutes de gaz à effet de serre estimées",
            "Estimated gross greenhouse gas emissions"
        )
    ));
    let emissions: [(&str, &str, &str, Decimal); 8] = [
        (
            "Émissions brutes de gaz à effet de serre du scope 1",
            "Gross Scope 1 greenhouse gas emissions",
            "GrossScope1GreenhouseGasEmissions",
            b3.scope1,
        ),
        (
            "Émissions brutes de gaz à effet de serre du scope 2 basées sur la localisation",
            "Gross location-based Scope 2 greenhouse gas emissions",
            "GrossLocationBasedScope2GreenhouseGasEmissions",
            b3.scope2_location,
        ),
        (
            "Émissions brutes de gaz à effet de serre du scope 2 basées sur le marché",
            "Gross market-based Scope 2 greenhouse gas emissions",
            "GrossMarketBasedScope2GreenhouseGasEmissions",
            b3.scope2_market,
        ),
        (
            "Émissions totales (brutes) de GES des scopes 1 et 2 basées sur la localisation",
            "Total (gross) location-based Scope 1 and Scope 2 GHG emissions",
            "TotalGrossLocationBasedScope1AndScope2GHGEmissions",
            b3.scope12_location(),
        ),
        (
            "Émissions totales (brutes) de GES des scopes 1 et 2 basées sur le marché",
            "Total (gross) market-based Scope 1 and Scope 2 GHG emissions",
            "TotalGrossMarketBasedScope1AndScope2GHGEmissions",
            b3.scope12_market(),
        ),
        (
            "Émissions brutes de gaz à effet de serre du scope 3",
            "Gross Scope 3 greenhouse gas emissions",
            "GrossScope3GreenhouseGasEmissions",
            b3.scope3,
        ),
        (
            "Émissions totales (brutes) de GES basées sur la localisation",
            "Total (gross) location-based GHG emissions",
            "TotalGrossLocationBasedGHGEmissions",
            b3.total_location,
        ),
        (
            "Émissions totales (brutes) de GES basées sur le marché",
            "Total (gross) market-based GHG emissions",
            "TotalGrossMarketBasedGHGEmissions",
            b3.total_market,
        ),
    ];
    for (fr_label, en_label, concept, kg) in emissions {
        fact_row(
            &mut out,
            t(fr_label, en_label),
            concept,
            UNIT_T,
            tonnes(kg),
            EMISSION_DECIMALS,
            lang,
        );
    }
    out.push_str("</table>\n");

    if let Some(intensity) = &b3.intensity {
        let label = escape(&intensity.label).map_err(|character| Refusal::Unwritable {
            field: "indicator label",
            character,
        })?;
        out.push_str(&format!(
            "<h2>{}</h2>\n<p>{}{label}, {} €.</p>\n<table>\n<tr><th></th><th class=\"n\">tCO2e / €</th></tr>\n",
            t(
                "Intensité des émissions de GES par chiffre d'affaires net",
                "GHG emissions intensity per net revenue"
            ),
            t("Chiffre d'affaires net : ", "Net revenue: "),
            super::human(intensity.euros, 0, lang),
        ));
        let rows: [(&str, &str, &str, Decimal); 4] = [
            (
                "Intensité des émissions de gaz à effet de serre des scopes 1 et 2 basées sur la localisation",
                "Location-based Scope 1 and Scope 2 Greenhouse Gas Emissions intensity",
                "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
                intensity.scope12_location,
            ),
            (
                "Intensité des émissions de gaz à effet de serre des scopes 1 et 2 basées sur le marché",
                "Market-based Scope 1 and Scope 2 Greenhouse Gas Emissions intensity",
                "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
                intensity.scope12_market,
            ),
            (
                "Intensité des émissions de gaz à effet de serre totales basées sur la localisation",
                "Total location-based Greenhouse Gas Emissions intensity",
                "TotalLocationBasedGreenhouseGasEmissionsIntensityValue",
                intensity.total_location,
            ),
            (
                "Intensité des émissions de gaz à effet de serre totales basées sur le marché",
                "Total market-based Greenhouse Gas Emissions intensity",
                "TotalMarketBasedGreenhouseGasEmissionsIntensityValue",
                intensity.total_market,
            ),
        ];
        for (fr_label, en_label, concept, per_euro) in rows {
            fact_row(
                &mut out,
                t(fr_label, en_label),
                concept,
                UNIT_PER_EUR,
                per_euro,
                INTENSITY_DECIMALS,
                lang,
            );
        }
        out.push_str("</table>\n");
    }

    out.push_str(&format!(
        "<h2>{}</h2>\n<p>{}</p>\n<table>\n<tr><th></th><th class=\"n\">tCO2e</th></tr>\n",
        t(
            "Pour information (non balisé en XBRL)",
            "For information (not tagged in XBRL)"
        ),
        t(
            "La taxonomie VSME n'a pas de concept pour ces chiffres d'ESRS E1-6.",
            "The VSME taxonomy has no concept for these ESRS E1-6 figures."
        )
    ));
    for (_, fr_name, en_name, kg) in &b3.scope3_categories {
        let (text, negative) = content(tonnes(*kg), EMISSION_DECIMALS, lang);
        let minus = if negative { "-" } else { "" };
        plain_row(
            &mut out,
            &format!("{} — {}", t("Scope 3", "Scope 3"), t(fr_name, en_name)),
            &format!("{minus}{text}"),
        );
    }
    let (text, negative) = content(tonnes(b3.co2_biogenic), EMISSION_DECIMALS, lang);
    plain_row(
        &mut out,
        t(
            "CO2 biogénique (hors scopes, non compris dans les totaux), tCO2",
            "Biogenic CO2 (outside the scopes, not in the totals), tCO2",
        ),
        &format!("{}{text}", if negative { "-" } else { "" }),
    );
    out.push_str("</table>\n");

    out.push_str(&format!(
        "<p>{}</p>\n",
        t(
            "Chiffres du GHG Protocol (vue ESRS E1-6 de bilan) : biens d'équipement comptés en entier l'année d'acquisition, sans amortissement. Faits balisés avec la taxonomie XBRL VSME de l'EFRAG du 2026-05-01.",
            "GHG Protocol figures (bilan's ESRS E1-6 view): capital goods counted whole in their acquisition year, without amortisation. Facts tagged with EFRAG's VSME XBRL taxonomy of 2026-05-01."
        )
    ));
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn fact_contents_are_unsigned_grouped_decimals_with_a_sign_apart() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(
            content(d("1.2345"), 3, Lang::En),
            ("1.235".to_string(), false)
        );
        assert_eq!(
            content(d("-1.2345"), 3, Lang::En),
            ("1.235".to_string(), true)
        );
        assert_eq!(content(d("2"), 3, Lang::Fr), ("2,000".to_string(), false));
        assert_eq!(
            content(d("1857427.9"), 3, Lang::En),
            ("1,857,427.900".to_string(), false)
        );
        assert_eq!(
            content(d("1857.4279"), 3, Lang::Fr),
            ("1\u{a0}857,428".to_string(), false)
        );
        assert_eq!(
            content(d("123456"), 0, Lang::En),
            ("123,456".to_string(), false)
        );
        // A tiny negative rounds to zero: no sign.
        assert_eq!(
            content(d("-0.0004"), 3, Lang::En),
            ("0.000".to_string(), false)
        );
        assert_eq!(
            content(d("0.00000275412"), 12, Lang::Fr),
            ("0,000002754120".to_string(), false)
        );
    }

    #[test]
    fn text_is_escaped_and_control_characters_refused() {
        assert_eq!(
            escape("<a href=\"x\">L'É & co</a>"),
            Ok("&lt;a href=&quot;x&quot;&gt;L&#39;É &amp; co&lt;/a&gt;".to_string())
        );
        assert_eq!(escape("a\tb\nc"), Ok("a\tb\nc".to_string()));
        assert_eq!(escape("a\u{1}b"), Err('\u{1}'));
        assert_eq!(escape("a\u{FFFF}"), Err('\u{FFFF}'));
    }
}
