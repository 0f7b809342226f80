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
        &[
            "unit",
            "unité",
            "unités",
            "appareil",
            "appareils",
            "équipement",
            "équipements",
        ],
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

/// Other spellings of Base Carbone unit strings, normalised → the Base Carbone string,
/// normalised: the units renamed between versions (`TEU.km` became `EVP.km` in V23.11) and
/// the labels Bilan Carbone+ shows for them, where a label names exactly one unit and no
/// other unit string. From Bilan Carbone+'s `historyUnits.ts` and its French `units` labels
/// (`ABC-TransitionBasCarbone/bilan-carbone`, commit 949af9c48dff4589450bff7e3ff41fb9eeae0d7a;
/// see `../shared/data/research/bcplus-units.md`).
static ALIASES: [(&str, &str); 30] = [
    ("% appartements", "% des appartements"),
    ("% maisons", "% des maisons"),
    ("100 feuille a4", "100 feuilles a4"),
    ("année", "an"),
    ("ha de clémentines", "ha de clémentine"),
    ("jour", "jours"),
    (
        "kg d'herbe pâturée à 80%",
        "kg d'herbe pâturée à 80% d'humidité",
    ),
    (
        "kg d'ingrédient sortie magasin poids net",
        "kg d'ingrédient en sortie de magasin poids net",
    ),
    ("kg d'oeufs", "kg d'oeuf"),
    ("kg de biodéchet", "kg de biodéchets"),
    (
        "kg de matière brute 16% sucre",
        "kg de matière brute contenant 16% de sucre",
    ),
    (
        "kg de pomme de terre fécule à 74%",
        "kg de pomme de terre fécule à 74% d'humidité",
    ),
    ("kg fioul / km", "kg fioul/ km"),
    ("kg fioul / tonne.km", "kg fioul/ tonne.km"),
    ("kg fluide / kw frigo", "kg de fluide / kw frigo"),
    ("kg fluide / m²", "kg de fluide / m²"),
    ("kg fluide / m³ stockage", "kg de fluide / m³ de stockage"),
    ("kg fluide / équipement", "kg de fluide / équipement"),
    (
        "kg ingrédient sortie magasin poids net gr",
        "kg d'ingrédient en sortie de magasin poids net gr",
    ),
    (
        "kg ingrédient sortie magasin poids net grains",
        "kg d'ingrédient en sortie de magasin poids net grains",
    ),
    ("kw.an", "kw par an de puissance élec"),
    ("noeud", "noeuds"),
    ("passager", "passagers"),
    ("pièce arb pote 3l", "pièce arbuste en pot de 3 litres"),
    ("tonne produite", "tonne produites"),
    (
        "unité importée arb en pot",
        "unité importée pièce arbuste en pot",
    ),
    ("voiture", "voitures"),
    // Its normalisation (`getUnit` in `import.ts`) also reads these as the same unit.
    ("m2 shon", "m² shon"),
    ("kg de matière seche", "kg de matière sèche"),
    ("kf d'oeuf", "kg d'oeuf"),
];

/// The Base Carbone spelling of a normalised unit: `?` written for an apostrophe between
/// letters (`kg d?ingrédient ingéré` in V23.9) restored, `m3` read as `m³`, and the
/// [`ALIASES`] applied.
fn canonical(normal: String) -> String {
    let chars: Vec<char> = normal.chars().collect();
    let mut text: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let letter = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|c| c.is_alphabetic())
            };
            if c == '?' && letter(i.checked_sub(1)) && letter(Some(i + 1)) {
                '\''
            } else {
                c
            }
        })
        .collect();
    if text.split(' ').any(|w| w == "m3" || w.starts_with("m3.")) {
        text = text
            .split(' ')
            .map(|w| match w.strip_prefix("m3") {
                Some(rest) if rest.is_empty() || rest.starts_with('.') => format!("m³{rest}"),
                _ => w.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    match ALIASES.iter().find(|(alias, _)| *alias == text) {
        Some((_, base)) => (*base).to_string(),
        None => text,
    }
}

/// Understands a unit as written by a user or a factor base.
pub fn parse(text: &str) -> Unit {
    let normal = canonical(normalise(text));
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
    fn units_of_later_base_carbone_versions() {
        // V23.11 renamed TEU.km to EVP.km: both are one unit.
        assert_eq!(conv("40", "TEU.km", "EVP.km"), Ok(d("40")));
        assert_eq!(conv("40", "EVP.km", "TEU.km"), Ok(d("40")));
        // V23.11's new units: themselves, and Bilan Carbone+'s labels for them.
        assert_eq!(
            conv("2", "kW.an", "kW par an de puissance élec"),
            Ok(d("2"))
        );
        assert_eq!(conv("3", "Année", "an"), Ok(d("3")));
        assert_eq!(conv("1", "sans unité", "Sans unité"), Ok(d("1")));
        assert_eq!(conv("4", "équipement", "unité"), Ok(d("4")));
        assert_eq!(conv("1", "an", "unité"), Err(ConversionError::Mismatch));
        // A `?` for an apostrophe (V23.9), m3 for m³ inside a unit, BC+'s other spellings.
        assert_eq!(
            conv("5", "kg d?ingrédient ingéré", "kg d'ingrédient ingéré"),
            Ok(d("5"))
        );
        assert_eq!(
            conv(
                "5",
                "kg de fluide / m3 de stockage",
                "kg de fluide / m³ de stockage"
            ),
            Ok(d("5"))
        );
        assert_eq!(conv("7", "kg fioul / km", "kg fioul/ km"), Ok(d("7")));
        assert_eq!(conv("7", "m2 SHON", "m² SHON"), Ok(d("7")));
        // `?` elsewhere stays.
        assert_eq!(parse("?"), Unit::Other("?".into()));
    }

    #[test]
    fn aliases_are_normalised_and_name_no_known_unit() {
        for (alias, base) in ALIASES {
            assert_eq!(normalise(alias), alias);
            assert_eq!(normalise(base), base);
            assert_eq!(known(alias, None, None, None), None, "{alias}");
            assert!(
                ALIASES.iter().all(|(a, _)| a != &base),
                "{base} is an alias"
            );
        }
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
