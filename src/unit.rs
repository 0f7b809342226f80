//! Units of activity data: normalisation, dimensions and conversion (inventory.md, units table).

use rust_decimal::Decimal;

/// A physical dimension; conversions happen only within one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// kWh, MWh, GWh, MJ, GJ, tep.
    Energy,
    /// g, kg, t.
    Mass,
    /// L, m³.
    Volume,
    /// €, k€, M€.
    Money,
    /// km.
    Distance,
    /// passenger.km.
    PassengerDistance,
    /// t.km.
    FreightDistance,
    /// Container transport: TEU.km, which Base Carbone V23.11 spells EVP.km.
    ContainerDistance,
    /// m², ha.
    Area,
    /// unit, appareil, pièce.
    Count,
}

impl Dimension {
    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Energy => "energy",
            Dimension::Mass => "mass",
            Dimension::Volume => "volume",
            Dimension::Money => "money",
            Dimension::Distance => "distance",
            Dimension::PassengerDistance => "passenger transport",
            Dimension::FreightDistance => "freight transport",
            Dimension::ContainerDistance => "container transport",
            Dimension::Area => "area",
            Dimension::Count => "count",
        }
    }
}

/// One known unit: its spellings, dimension and size in the dimension's base unit as the
/// fraction `num / den` (so MJ = 1/3.6 kWh stays exact until the one final division).
struct UnitDef {
    spellings: &'static [&'static str],
    dimension: Dimension,
    num: i64,
    den: Decimal,
}

const fn unit(spellings: &'static [&'static str], dimension: Dimension, num: i64) -> UnitDef {
    UnitDef {
        spellings,
        dimension,
        num,
        den: Decimal::ONE,
    }
}

/// The unit table (spellings are compared after [`normalise`], lowercase).
static UNITS: [UnitDef; 23] = [
    unit(&["kwh"], Dimension::Energy, 1),
    unit(&["mwh"], Dimension::Energy, 1_000),
    unit(&["gwh"], Dimension::Energy, 1_000_000),
    UnitDef {
        spellings: &["mj"],
        dimension: Dimension::Energy,
        num: 1,
        den: Decimal::from_parts(36, 0, 0, false, 1),
    },
    UnitDef {
        spellings: &["gj"],
        dimension: Dimension::Energy,
        num: 1_000,
        den: Decimal::from_parts(36, 0, 0, false, 1),
    },
    unit(&["tep"], Dimension::Energy, 11_630),
    unit(&["g"], Dimension::Mass, 1).with_den_thousand(),
    unit(&["kg", "kg de poids net"], Dimension::Mass, 1),
    unit(
        &["t", "tonne", "tonnes", "tonne de déchets"],
        Dimension::Mass,
        1_000,
    ),
    unit(&["l", "litre", "litres"], Dimension::Volume, 1),
    unit(&["m3", "m³"], Dimension::Volume, 1_000),
    unit(&["€", "eur", "euro", "euros"], Dimension::Money, 1),
    unit(&["k€", "keur", "keuro", "keuros"], Dimension::Money, 1_000),
    unit(
        &["m€", "meur", "meuro", "meuros"],
        Dimension::Money,
        1_000_000,
    ),
    unit(&["km"], Dimension::Distance, 1),
    unit(
        &[
            "passenger.km",
            "p.km",
            "passager.km",
            "peq.km",
            "pkm",
            "passagers.km",
        ],
        Dimension::PassengerDistance,
        1,
    ),
    unit(
        &["t.km", "tonne.km", "tkm", "tonnes.km"],
        Dimension::FreightDistance,
        1,
    ),
    // V23.9 wrote TEU.km, V23.11 renamed it EVP.km (Bilan Carbone+ maps both to TEU_KM).
    unit(
        &["teu.km", "evp.km", "teu km", "evp km"],
        Dimension::ContainerDistance,
        1,
    ),
    unit(&["m²", "m2"], Dimension::Area, 1),
    unit(&["ha", "hectare", "hectares"], Dimension::Area, 10_000),
    unit(
        &["unit", "unité", "unités", "appareil", "appareils"],
        Dimension::Count,
        1,
    ),
    unit(&["pièce", "pièces", "piece", "pieces"], Dimension::Count, 1),
    unit(&["u"], Dimension::Count, 1),
];

impl UnitDef {
    const fn with_den_thousand(mut self) -> UnitDef {
        self.den = Decimal::from_parts(1_000, 0, 0, false, 0);
        self
    }
}

/// The heating value a quantity of energy is stated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatingValue {
    /// Lower heating value (PCI).
    Pci,
    /// Higher heating value (PCS).
    Pcs,
}

/// Whether a money amount includes VAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tax {
    /// Excluding VAT (the default).
    Ht,
    /// Including VAT.
    Ttc,
}

/// A unit understood: a known one with its qualifiers, or any other unit matched by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A unit of the table.
    Known {
        /// Its dimension.
        dimension: Dimension,
        /// Size in the base unit: numerator.
        num: i64,
        /// Size in the base unit: denominator.
        den: Decimal,
        /// PCI / PCS for energy.
        heating: Option<HeatingValue>,
        /// HT / TTC for money.
        tax: Option<Tax>,
        /// Price year for money (`keuro (2023) HT`).
        year: Option<i32>,
    },
    /// Any other unit (`repas`, `kg de poids vif`): matches only itself, normalised.
    Other(String),
}

/// Normalises spelling: parentheses and repeated spaces removed, `PCI`/`PCS` split from the
/// unit, lowercase except `mL` (mètre linéaire, never a millilitre).
pub fn normalise(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c == '(' || c == ')' { ' ' } else { c })
        .collect();
    let mut words: Vec<String> = Vec::new();
    for word in spaced.split_whitespace() {
        let lower = word.to_lowercase();
        let split = ["pci", "pcs"]
            .iter()
            .find(|q| lower.len() > 3 && lower.ends_with(*q))
            .map(|q| lower.len() - q.len());
        match split {
            Some(at) if lower.is_char_boundary(at) => {
                let (head, tail) = lower.split_at(at);
                words.push(head.to_string());
                words.push(tail.to_string());
            }
            _ if word == "mL" => words.push(word.to_string()),
            _ => words.push(lower),
        }
    }
    words.join(" ")
}

/// Understands a unit as written by a user or a factor base.
pub fn parse(text: &str) -> Unit {
    let normal = normalise(text);
    if let Some(unit) = known(&normal, None, None, None) {
        return unit;
    }
    // Strip qualifiers from the end: PCI/PCS, HT/TTC, a price year.
    let mut words: Vec<&str> = normal.split(' ').collect();
    let (mut heating, mut tax, mut year) = (None, None, None);
    while let Some(last) = words.last().copied() {
        match last {
            "pci" if heating.is_none() => heating = Some(HeatingValue::Pci),
            "pcs" if heating.is_none() => heating = Some(HeatingValue::Pcs),
            "ht" if tax.is_none() => tax = Some(Tax::Ht),
            "ttc" if tax.is_none() => tax = Some(Tax::Ttc),
            y if year.is_none() && y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
                year = y.parse().ok();
            }
            _ => break,
        }
        words.pop();
    }
    let base = words.join(" ");
    match known(&base, heating, tax, year) {
        Some(unit @ Unit::Known { dimension, .. })
            if (heating.is_none() || dimension == Dimension::Energy)
                && ((tax.is_none() && year.is_none()) || dimension == Dimension::Money) =>
        {
            unit
        }
        _ => Unit::Other(normal),
    }
}

fn known(
    base: &str,
    heating: Option<HeatingValue>,
    tax: Option<Tax>,
    year: Option<i32>,
) -> Option<Unit> {
    UNITS
        .iter()
        .find(|u| u.spellings.contains(&base))
        .map(|u| Unit::Known {
            dimension: u.dimension,
            num: u.num,
            den: u.den,
            heating,
            tax,
            year,
        })
}

/// Why a quantity could not be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConversionError {
    /// Different dimensions or unrelated units.
    Mismatch,
    /// Bare kWh against a PCI/PCS factor.
    HeatingValueMissing(HeatingValue),
    /// PCI ↔ PCS needs `pci_per_pcs:` on the line.
    PciPerPcsMissing,
    /// A kWh PCI or PCS quantity against a factor per bare kWh: which one the factor means is
    /// not stated, and the two differ by about 10 % for natural gas.
    HeatingValueUnstated(HeatingValue),
    /// A TTC amount against an HT factor.
    TaxIncluded,
    /// The result does not fit an exact decimal.
    Overflow,
}

/// A converted quantity and what the user should know about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    /// The quantity in the factor's unit.
    pub value: Decimal,
    /// For money whose factor states a price year: (the amount's price year — its unit's, else
    /// the period's —, the factor's) when they differ. The value is still in the amount's euros.
    pub price_years: Option<(i32, i32)>,
}

/// Converts `quantity` in `from` to the unit `to` (a factor's denominator).
/// `pci_per_pcs` converts kWh PCS ↔ kWh PCI; `year` is the period's year.
pub fn convert(
    quantity: Decimal,
    from: &Unit,
    to: &Unit,
    pci_per_pcs: Option<Decimal>,
    year: i32,
) -> Result<Converted, ConversionError> {
    match (from, to) {
        (Unit::Other(a), Unit::Other(b)) if a == b => Ok(Converted {
            value: quantity,
            price_years: None,
        }),
        (
            Unit::Known {
                dimension: d1,
                num: n1,
                den: den1,
                heating: h1,
                tax: t1,
                year: y1,
            },
            Unit::Known {
                dimension: d2,
                num: n2,
                den: den2,
                heating: h2,
                tax: t2,
                year: y2,
            },
        ) if d1 == d2 => {
            let mut value = quantity;
            if *d1 == Dimension::Energy {
                value = heating(value, *h1, *h2, pci_per_pcs)?;
            }
            if *t1 == Some(Tax::Ttc) && *t2 != Some(Tax::Ttc) {
                return Err(ConversionError::TaxIncluded);
            }
            let value = scale(value, *n1, *den1, *n2, *den2).ok_or(ConversionError::Overflow)?;
            let from = y1.unwrap_or(year);
            let price_years = y2
                .filter(|to| *d1 == Dimension::Money && *to != from)
                .map(|to| (from, to));
            Ok(Converted { value, price_years })
        }
        _ => Err(ConversionError::Mismatch),
    }
}

fn heating(
    value: Decimal,
    from: Option<HeatingValue>,
    to: Option<HeatingValue>,
    pci_per_pcs: Option<Decimal>,
) -> Result<Decimal, ConversionError> {
    match (from, to) {
        (None, None) => Ok(value),
        (Some(stated), None) => Err(ConversionError::HeatingValueUnstated(stated)),
        (None, Some(wanted)) => Err(ConversionError::HeatingValueMissing(wanted)),
        (Some(a), Some(b)) if a == b => Ok(value),
        (Some(HeatingValue::Pcs), Some(HeatingValue::Pci)) => {
            let ratio = pci_per_pcs.ok_or(ConversionError::PciPerPcsMissing)?;
            value.checked_mul(ratio).ok_or(ConversionError::Overflow)
        }
        (Some(_), Some(_)) => {
            let ratio = pci_per_pcs.ok_or(ConversionError::PciPerPcsMissing)?;
            value.checked_div(ratio).ok_or(ConversionError::Overflow)
        }
    }
}

/// `value × (n1/den1) / (n2/den2)`, multiplying first so exact cases stay exact.
fn scale(value: Decimal, n1: i64, den1: Decimal, n2: i64, den2: Decimal) -> Option<Decimal> {
    if n1 == n2 && den1 == den2 {
        return Some(value);
    }
    let numerator = value.checked_mul(Decimal::from(n1))?.checked_mul(den2)?;
    let denominator = den1.checked_mul(Decimal::from(n2))?;
    numerator.checked_div(denominator)
}

/// Describes a unit for messages: `kWh PCI (energy)`.
pub fn describe(text: &str) -> String {
    match parse(text) {
        Unit::Known { dimension, .. } => format!("'{}' ({})", text.trim(), dimension.name()),
        Unit::Other(_) => format!("'{}'", text.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn conv(q: &str, from: &str, to: &str) -> Result<Decimal, ConversionError> {
        convert(d(q), &parse(from), &parse(to), None, 2023).map(|c| c.value)
    }

    #[test]
    fn spellings_normalise() {
        assert_eq!(normalise("kWh (PCI)"), "kwh pci");
        assert_eq!(normalise("kWhPCI"), "kwh pci");
        assert_eq!(normalise("KWh  PCI"), "kwh pci");
        assert_eq!(normalise("mL"), "mL");
        assert_eq!(normalise("keuro (2023) HT"), "keuro 2023 ht");
        assert_eq!(parse("kWh (PCI)"), parse("KWh PCI"));
        assert_eq!(parse("mL"), Unit::Other("mL".into()));
        assert_ne!(parse("ml"), parse("mL"));
    }

    #[test]
    fn converts_within_a_dimension() {
        assert_eq!(conv("2", "MWh", "kWh"), Ok(d("2000")));
        assert_eq!(conv("36", "MJ", "kWh"), Ok(d("10")));
        assert_eq!(conv("1", "tep", "kWh"), Ok(d("11630")));
        assert_eq!(
            conv("1", "GJ PCI", "kWh PCI").map(|v| v.round_dp(10)),
            Ok(d("277.7777777778"))
        );
        assert_eq!(conv("5", "t", "kg"), Ok(d("5000")));
        assert_eq!(conv("5", "tonne de déchets", "kg"), Ok(d("5000")));
        assert_eq!(conv("250", "g", "kg"), Ok(d("0.25")));
        assert_eq!(conv("1.5", "m3", "litre"), Ok(d("1500")));
        assert_eq!(conv("137000", "€", "keuro (2023) HT"), Ok(d("137")));
        assert_eq!(conv("1", "M€", "k€"), Ok(d("1000")));
        assert_eq!(conv("12", "p.km", "passager.km"), Ok(d("12")));
        assert_eq!(conv("12", "tonne.km", "t.km"), Ok(d("12")));
        assert_eq!(conv("3", "pièce", "unité"), Ok(d("3")));
        assert_eq!(conv("2", "ha", "m²"), Ok(d("20000")));
    }

    #[test]
    fn refuses_across_dimensions_and_unknown_units() {
        assert_eq!(conv("1", "kWh", "litre"), Err(ConversionError::Mismatch));
        assert_eq!(
            conv("1", "kg de poids vif", "kg"),
            Err(ConversionError::Mismatch)
        );
        assert_eq!(conv("1", "repas", "repas"), Ok(d("1")));
        assert_eq!(conv("1", "Repas", "repas"), Ok(d("1")));
        assert_eq!(
            conv("1", "km", "passager.km"),
            Err(ConversionError::Mismatch)
        );
    }

    #[test]
    fn heating_values() {
        assert_eq!(
            conv("100", "kWh", "kWh PCI"),
            Err(ConversionError::HeatingValueMissing(HeatingValue::Pci))
        );
        assert_eq!(
            conv("100", "kWh PCS", "kWh PCI"),
            Err(ConversionError::PciPerPcsMissing)
        );
        let pcs_to_pci = convert(
            d("100"),
            &parse("kWh PCS"),
            &parse("kWh PCI"),
            Some(d("0.9")),
            2023,
        );
        assert_eq!(pcs_to_pci.map(|c| c.value), Ok(d("90")));
        let pci_to_pcs = convert(
            d("90"),
            &parse("kWh PCI"),
            &parse("kWh PCS"),
            Some(d("0.9")),
            2023,
        );
        assert_eq!(pci_to_pcs.map(|c| c.value), Ok(d("100")));
        assert_eq!(conv("3", "MWh PCI", "kWh PCI"), Ok(d("3000")));
    }

    #[test]
    fn money_tax_and_price_year() {
        assert_eq!(
            conv("10", "k€ TTC", "keuro (2023) HT"),
            Err(ConversionError::TaxIncluded)
        );
        assert_eq!(conv("10", "k€ HT", "keuro (2023) HT"), Ok(d("10")));
        let c = convert(d("1"), &parse("k€"), &parse("keuro (2021) HT"), None, 2023).unwrap();
        assert_eq!(c.price_years, Some((2023, 2021)));
        let c = convert(
            d("1"),
            &parse("keuro (2019) HT"),
            &parse("keuro (2023) HT"),
            None,
            2025,
        )
        .unwrap();
        assert_eq!(c.price_years, Some((2019, 2023)));
    }
}

#[cfg(test)]
mod later_versions {
    use super::*;

    #[test]
    fn teu_km_and_evp_km_are_one_unit() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let c = convert(d("12"), &parse("TEU.km"), &parse("EVP.km"), None, 2025).unwrap();
        assert_eq!(c.value, d("12"));
        assert_eq!(
            convert(d("1"), &parse("EVP.km"), &parse("t.km"), None, 2025),
            Err(ConversionError::Mismatch)
        );
    }
}
