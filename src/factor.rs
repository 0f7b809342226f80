//! Emission factors: what one unit of activity emits, with its parts, gases and quality.

use crate::error::Position;
use crate::uncertainty::Quality;
use rust_decimal::Decimal;

/// The validity of a factor in its base (Base Carbone "Statut de l'élément").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FactorStatus {
    /// "Valide générique": the default choice.
    ValidGeneric,
    /// "Valide spécifique": valid for a specific context.
    ValidSpecific,
    /// "Archivé": superseded; still usable so old inventories compute, with a warning.
    Archived,
}

impl FactorStatus {
    /// The status as Base Carbone prints it.
    pub fn label(self) -> &'static str {
        match self {
            FactorStatus::ValidGeneric => "Valide générique",
            FactorStatus::ValidSpecific => "Valide spécifique",
            FactorStatus::Archived => "Archivé",
        }
    }
}

/// One part of a factor's decomposition (Base Carbone `Poste` row): e.g. "Combustion", "Amont".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The part type ("Type poste"), which drives the energy split (posts.md).
    pub kind: String,
    /// Its free name ("Nom poste français"), may be empty.
    pub name: String,
    /// kgCO2e per unit of activity for this part.
    pub kgco2e: Decimal,
    /// Its gases, when the base gives them (biogenic CO2 often sits here, not on the total).
    pub gases: Gases,
}

/// The gas breakdown of a factor, kgCO2e per unit; `None` when the base gives none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gases {
    /// Fossil CO2.
    pub co2f: Option<Decimal>,
    /// Fossil CH4.
    pub ch4f: Option<Decimal>,
    /// Biogenic CH4.
    pub ch4b: Option<Decimal>,
    /// N2O.
    pub n2o: Option<Decimal>,
    /// Additional gases (code, kgCO2e) and "Autres GES".
    pub other: Vec<(String, Decimal)>,
    /// Biogenic CO2: reported apart, never in the total.
    pub co2b: Option<Decimal>,
}

impl Gases {
    /// The sum of the listed greenhouse gases (biogenic CO2 excluded), kgCO2e per unit.
    pub fn sum(&self) -> Option<Decimal> {
        let values = [self.co2f, self.ch4f, self.ch4b, self.n2o];
        let extra = self.other.iter().map(|(_, v)| Some(*v));
        values
            .into_iter()
            .chain(extra)
            .flatten()
            .try_fold(Decimal::ZERO, |a, v| a.checked_add(v))
    }

    /// True when the base gives no gas at all.
    pub fn is_empty(&self) -> bool {
        self.co2f.is_none()
            && self.ch4f.is_none()
            && self.ch4b.is_none()
            && self.n2o.is_none()
            && self.other.is_empty()
            && self.co2b.is_none()
    }
}

/// What the base says about a factor's uncertainty (uncertainty.md §1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FactorUncertainty {
    /// ADEME's stated percentage ("Incertitude"), as a fraction (0.10 for 10 %).
    pub percent: Option<Decimal>,
    /// The quality columns (TeR, GR, TiR, C); reliability is not in the base.
    pub quality: Quality,
}

/// The kind of file a factor base was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseKind {
    /// The base compiled into the binary.
    Embedded,
    /// The project's own CSV format (`id,name,unit,kgco2e,…`).
    Own,
    /// The official ADEME Base Carbone CSV export.
    Ademe,
    /// A factor written inline in the inventory.
    Inline,
}

impl BaseKind {
    /// A short stable name for outputs.
    pub fn label(self) -> &'static str {
        match self {
            BaseKind::Embedded => "embedded",
            BaseKind::Own => "bilan-csv",
            BaseKind::Ademe => "ademe-base-carbone",
            BaseKind::Inline => "inline",
        }
    }
}

/// An emission factor.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// Its id in the base (Base Carbone "Identifiant de l'élément").
    pub id: String,
    /// A readable name (base name - attribute - boundary).
    pub name: String,
    /// The unit as the base writes it, e.g. `kgCO2e/kWh`.
    pub unit: String,
    /// kgCO2e per unit: the total (Base Carbone `Elément` row, "Total poste non décomposé").
    pub kgco2e: Decimal,
    /// Its decomposition, possibly empty.
    pub parts: Vec<Part>,
    /// Its gases, possibly empty.
    pub gases: Gases,
    /// What the base says of its uncertainty.
    pub uncertainty: FactorUncertainty,
    /// The category path, segments separated by ` > `; drives the assignment rules.
    pub category: String,
    /// Tags, free text.
    pub tags: String,
    /// Geographic location ("France continentale", …), may be empty.
    pub location: String,
    /// Valid or archived.
    pub status: FactorStatus,
    /// Where the value comes from, e.g. "ADEME Base Carbone V23.6 id 42513".
    pub source: String,
    /// The file and row it was read from.
    pub origin: Position,
}

impl Factor {
    /// Biogenic CO2 released per unit: the positive biogenic CO2 of its parts (combustion),
    /// else the total's when positive. Base Carbone books the uptake of a biofuel as a negative
    /// upstream part and the carbon stored in wooden goods as a negative total; what the
    /// method reports apart is the release.
    pub fn co2_biogenic(&self) -> Option<Decimal> {
        let released: Vec<Decimal> = self
            .parts
            .iter()
            .filter_map(|p| p.gases.co2b)
            .filter(|v| v.is_sign_positive() && !v.is_zero())
            .collect();
        if released.is_empty() {
            self.gases
                .co2b
                .filter(|v| v.is_sign_positive() && !v.is_zero())
        } else {
            crate::number::checked_sum(released)
        }
    }

    /// The denominator of the unit: `kWh` for `kgCO2e/kWh`.
    pub fn per_unit(&self) -> &str {
        self.unit
            .split_once('/')
            .map_or(self.unit.as_str(), |(_, per)| per)
            .trim()
    }
}
