//! Other frameworks' views of the same lines (posts.md, "Other views"): BEGES v5 /
//! ISO 14064-1:2018 categories, GHG Protocol scopes and scope 3 categories, ESRS E1-6. Derived,
//! never entered: each line's parts are placed by a mapping table.

use crate::post::{Post, codes};
use crate::report::{Destination, Figure, LineResult, Report};
use crate::uncertainty::SumUncertainty;
use crate::unit::{self, Dimension, Unit};
use rust_decimal::Decimal;

/// A reporting framework.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    /// French regulatory BEGES, method v5 (ISO 14064-1:2018 categories).
    BegesV5,
    /// GHG Protocol corporate standard: scopes 1, 2 and the 15 scope 3 categories.
    GhgProtocol,
    /// CSRD ESRS E1-6: gross scopes 1, 2, 3 and total GHG emissions.
    EsrsE1,
}

impl Framework {
    /// The name used on the command line and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Framework::BegesV5 => "beges-v5",
            Framework::GhgProtocol => "ghg-protocol",
            Framework::EsrsE1 => "esrs-e1",
        }
    }
}

/// What a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A category receiving lines.
    Item,
    /// The sum of the items whose code starts with its prefix.
    Subtotal(&'static str),
    /// Shown for information, not added to the total (market-based figures).
    Memo,
}

impl RowKind {
    /// The stable name used in CSV and JSON.
    pub fn code(self) -> &'static str {
        match self {
            RowKind::Item => "item",
            RowKind::Subtotal(_) => "subtotal",
            RowKind::Memo => "memo",
        }
    }
}

/// A row definition: code, French name, English name, kind.
type Def = (&'static str, &'static str, &'static str, RowKind);

const BEGES: [Def; 28] = [
    (
        "1",
        "Émissions directes de GES",
        "Direct GHG emissions",
        RowKind::Subtotal("1."),
    ),
    (
        "1.1",
        "Émissions directes des sources fixes de combustion",
        "Direct emissions from stationary combustion",
        RowKind::Item,
    ),
    (
        "1.2",
        "Émissions directes des sources mobiles à moteur thermique",
        "Direct emissions from mobile combustion",
        RowKind::Item,
    ),
    (
        "1.3",
        "Émissions directes des procédés hors énergie",
        "Direct process emissions (non-energy)",
        RowKind::Item,
    ),
    (
        "1.4",
        "Émissions directes fugitives",
        "Direct fugitive emissions",
        RowKind::Item,
    ),
    (
        "1.5",
        "Émissions issues de la biomasse (sols et forêts)",
        "Biomass emissions (land and forests)",
        RowKind::Item,
    ),
    (
        "2",
        "Émissions indirectes associées à l'énergie",
        "Indirect emissions from imported energy",
        RowKind::Subtotal("2."),
    ),
    (
        "2.1",
        "Émissions indirectes liées à la consommation d'électricité",
        "Imported electricity",
        RowKind::Item,
    ),
    (
        "2.2",
        "Émissions indirectes liées à la consommation d'énergie autre que l'électricité",
        "Imported energy other than electricity",
        RowKind::Item,
    ),
    (
        "3",
        "Émissions indirectes associées au transport",
        "Indirect emissions from transport",
        RowKind::Subtotal("3."),
    ),
    (
        "3.1",
        "Transport de marchandise amont",
        "Upstream freight",
        RowKind::Item,
    ),
    (
        "3.2",
        "Transport de marchandise aval",
        "Downstream freight",
        RowKind::Item,
    ),
    (
        "3.3",
        "Déplacements domicile-travail",
        "Employee commuting",
        RowKind::Item,
    ),
    (
        "3.4",
        "Déplacements des visiteurs et des clients",
        "Visitor and client transport",
        RowKind::Item,
    ),
    (
        "3.5",
        "Déplacements professionnels",
        "Business travel",
        RowKind::Item,
    ),
    (
        "4",
        "Émissions indirectes associées aux produits achetés",
        "Indirect emissions from products used",
        RowKind::Subtotal("4."),
    ),
    ("4.1", "Achats de biens", "Purchased goods", RowKind::Item),
    (
        "4.2",
        "Immobilisations de biens",
        "Capital goods",
        RowKind::Item,
    ),
    ("4.3", "Gestion des déchets", "Waste", RowKind::Item),
    (
        "4.4",
        "Actifs en leasing amont",
        "Upstream leased assets",
        RowKind::Item,
    ),
    (
        "4.5",
        "Achats de services",
        "Purchased services",
        RowKind::Item,
    ),
    (
        "5",
        "Émissions indirectes associées aux produits vendus",
        "Indirect emissions from products sold",
        RowKind::Subtotal("5."),
    ),
    (
        "5.1",
        "Utilisation des produits vendus",
        "Use of sold products",
        RowKind::Item,
    ),
    (
        "5.2",
        "Actifs en leasing aval",
        "Downstream leased assets",
        RowKind::Item,
    ),
    (
        "5.3",
        "Fin de vie des produits vendus",
        "End of life of sold products",
        RowKind::Item,
    ),
    ("5.4", "Investissements", "Investments", RowKind::Item),
    (
        "6",
        "Autres émissions indirectes",
        "Other indirect emissions",
        RowKind::Subtotal("6."),
    ),
    (
        "6.1",
        "Autres émissions indirectes",
        "Other indirect emissions",
        RowKind::Item,
    ),
];

const GHG: [Def; 21] = [
    ("S1", "Scope 1", "Scope 1", RowKind::Item),
    (
        "S2",
        "Scope 2 (location-based)",
        "Scope 2 (location-based)",
        RowKind::Item,
    ),
    (
        "S2-MB",
        "Scope 2 (market-based, pour information)",
        "Scope 2 (market-based, memo)",
        RowKind::Memo,
    ),
    ("S3", "Scope 3", "Scope 3", RowKind::Subtotal("3.")),
    (
        "3.1",
        "Cat. 1 Biens et services achetés",
        "Cat. 1 Purchased goods and services",
        RowKind::Item,
    ),
    (
        "3.2",
        "Cat. 2 Biens d'équipement",
        "Cat. 2 Capital goods",
        RowKind::Item,
    ),
    (
        "3.3",
        "Cat. 3 Activités liées aux combustibles et à l'énergie",
        "Cat. 3 Fuel- and energy-related activities",
        RowKind::Item,
    ),
    (
        "3.4",
        "Cat. 4 Transport et distribution amont",
        "Cat. 4 Upstream transportation and distribution",
        RowKind::Item,
    ),
    (
        "3.5",
        "Cat. 5 Déchets générés par les opérations",
        "Cat. 5 Waste generated in operations",
        RowKind::Item,
    ),
    (
        "3.6",
        "Cat. 6 Déplacements professionnels",
        "Cat. 6 Business travel",
        RowKind::Item,
    ),
    (
        "3.7",
        "Cat. 7 Déplacements domicile-travail",
        "Cat. 7 Employee commuting",
        RowKind::Item,
    ),
    (
        "3.8",
        "Cat. 8 Actifs loués en amont",
        "Cat. 8 Upstream leased assets",
        RowKind::Item,
    ),
    (
        "3.9",
        "Cat. 9 Transport et distribution aval",
        "Cat. 9 Downstream transportation and distribution",
        RowKind::Item,
    ),
    (
        "3.10",
        "Cat. 10 Transformation des produits vendus",
        "Cat. 10 Processing of sold products",
        RowKind::Item,
    ),
    (
        "3.11",
        "Cat. 11 Utilisation des produits vendus",
        "Cat. 11 Use of sold products",
        RowKind::Item,
    ),
    (
        "3.12",
        "Cat. 12 Fin de vie des produits vendus",
        "Cat. 12 End-of-life treatment of sold products",
        RowKind::Item,
    ),
    (
        "3.13",
        "Cat. 13 Actifs loués en aval",
        "Cat. 13 Downstream leased assets",
        RowKind::Item,
    ),
    (
        "3.14",
        "Cat. 14 Franchises",
        "Cat. 14 Franchises",
        RowKind::Item,
    ),
    (
        "3.15",
        "Cat. 15 Investissements",
        "Cat. 15 Investments",
        RowKind::Item,
    ),
    (
        "3.O",
        "Autres (hors catégorie) : visiteurs et clients",
        "Other (no category): visitors and clients",
        RowKind::Item,
    ),
    (
        "T-MB",
        "Total (scope 2 market-based, pour information)",
        "Total (market-based scope 2, memo)",
        RowKind::Memo,
    ),
];

/// ESRS E1-6 uses the GHG Protocol's rows under its own names.
const ESRS_NAMES: [(&str, &str, &str); 4] = [
    (
        "S1",
        "Émissions brutes de GES de scope 1",
        "Gross Scope 1 GHG emissions",
    ),
    (
        "S2",
        "Émissions brutes de GES de scope 2 (location-based)",
        "Gross location-based Scope 2 GHG emissions",
    ),
    (
        "S2-MB",
        "Émissions brutes de GES de scope 2 (market-based)",
        "Gross market-based Scope 2 GHG emissions",
    ),
    (
        "S3",
        "Émissions brutes de GES de scope 3 significatives",
        "Significant Scope 3 GHG emissions",
    ),
];

/// A row of a view.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewRow {
    /// Its code in the framework.
    pub code: &'static str,
    /// French name.
    pub fr: &'static str,
    /// English name.
    pub en: &'static str,
    /// Item, subtotal or memo.
    pub kind: RowKind,
    /// Its emissions and uncertainty.
    pub figure: Figure,
    /// Lines with a part in it (items only).
    pub lines: usize,
}

/// A framework's view of a report.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// The framework.
    pub framework: Framework,
    /// Its rows, in the framework's order.
    pub rows: Vec<ViewRow>,
    /// The total of its items (location-based).
    pub total: Figure,
    /// ESRS: tCO2e per M€ of net revenue (location-based, market-based), when an indicator
    /// in euros is declared, with its label.
    pub intensity: Option<(String, Decimal, Decimal)>,
    /// ESRS: biogenic CO2 of the lines, kg, reported apart from the scopes (E1-6).
    pub co2_biogenic: Option<Decimal>,
    /// ESRS, when some lines say `ets: true`: their scope 1 emissions (kg) and that share of
    /// scope 1.
    pub scope1_ets: Option<(Decimal, Decimal)>,
}

/// Meals: bought as a service in Base Carbone, but food goods (4.1) for BEGES, as Bilan
/// Carbone+ maps its sub-post `NourritureRepasBoissons` (`beges.config.ts`).
const MEALS: &str = "Achats de services > Restauration";

/// Where a post's part goes in `framework`.
fn item(framework: Framework, post: Post, line: &LineResult) -> &'static str {
    let beges = [
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "4.1", "4.1", "4.2", "4.3", "3.1", "3.5",
        "4.4", "5.4", "3.4", "3.2", "5.1", "5.3", "6.1", "5.2", "3.3",
    ];
    let ghg = [
        "S1", "S1", "S1", "S1", "S1", "S2", "S2", "3.3", "3.1", "3.2", "3.5", "3.4", "3.6", "3.8",
        "3.15", "3.O", "3.9", "3.11", "3.12", "3.14", "3.13", "3.7",
    ];
    match framework {
        Framework::BegesV5
            if post == codes::PURCHASES
                && line.factor.category.starts_with("Achats de services")
                && !line.factor.category.starts_with(MEALS) =>
        {
            "4.5"
        }
        Framework::BegesV5 => beges.get(post.index()).copied().unwrap_or("6.1"),
        Framework::GhgProtocol | Framework::EsrsE1 => {
            ghg.get(post.index()).copied().unwrap_or("3.O")
        }
    }
}

/// A line's parts in `framework`: capital goods amortised in the Bilan Carbone count whole
/// in their acquisition year and nothing after under the GHG Protocol and ESRS.
fn parts(framework: Framework, line: &LineResult, year: i32) -> Vec<(Post, Decimal)> {
    match (framework, line.amortization) {
        (Framework::GhgProtocol | Framework::EsrsE1, Some((a, _))) => {
            let whole = if a.acquired == year {
                line.converted_quantity
                    .checked_mul(line.factor.kgco2e)
                    .unwrap_or_default()
            } else {
                Decimal::ZERO
            };
            vec![(line.post, whole)]
        }
        _ => line.parts.clone(),
    }
}

/// The view of `report` in `framework`.
pub fn view(report: &Report, framework: Framework) -> View {
    let mut sums = Sums::new(framework, report.period.year());
    for line in &report.lines {
        sums.add(line);
    }
    sums.finish(report)
}

/// A view in the making: the lines' results added one by one, in file order (a report's, or
/// results made a batch at a time and dropped).
pub struct Sums {
    framework: Framework,
    /// The period's year (capital goods count whole in their acquisition year).
    year: i32,
    defs: Vec<Def>,
    sums: Vec<Decimal>,
    ks: Vec<SumUncertainty>,
    counts: Vec<usize>,
    total: Decimal,
    total_k: SumUncertainty,
    /// Scope 1 of the lines under an emission trading scheme, of every line, and whether some
    /// line is under one (amortisation does not touch scope 1, so the Bilan Carbone parts are
    /// the ESRS ones).
    ets_scope1: Decimal,
    all_scope1: Decimal,
    any_ets: bool,
}

impl crate::compute::SeeResults for Sums {
    /// Starts from no line, in the inventory's period.
    fn start(&mut self, inventory: &crate::inventory::Inventory) {
        *self = Sums::new(self.framework, inventory.period.year());
    }

    fn see(&mut self, line: &LineResult) {
        self.add(line);
    }
}

impl Sums {
    /// No line added yet; `year` is the period's.
    pub fn new(framework: Framework, year: i32) -> Sums {
        let defs: Vec<Def> = match framework {
            Framework::BegesV5 => BEGES.to_vec(),
            Framework::GhgProtocol => GHG.to_vec(),
            Framework::EsrsE1 => GHG
                .iter()
                .map(|(code, fr, en, kind)| {
                    let renamed = ESRS_NAMES.iter().find(|(c, _, _)| c == code);
                    renamed.map_or((*code, *fr, *en, *kind), |(_, fr, en)| {
                        (*code, *fr, *en, *kind)
                    })
                })
                .collect(),
        };
        let n = defs.len();
        Sums {
            framework,
            year,
            defs,
            sums: vec![Decimal::ZERO; n],
            ks: vec![SumUncertainty::default(); n],
            counts: vec![0usize; n],
            total: Decimal::ZERO,
            total_k: SumUncertainty::default(),
            ets_scope1: Decimal::ZERO,
            all_scope1: Decimal::ZERO,
            any_ets: false,
        }
    }

    /// Adds a line's result.
    pub fn add(&mut self, line: &LineResult) {
        if line.destination != Destination::Emissions {
            return;
        }
        let scope1: Decimal = line
            .parts
            .iter()
            .filter(|(p, _)| p.scope() == crate::post::Scope::One)
            .map(|(_, v)| *v)
            .sum();
        if line.ets {
            self.any_ets = true;
            self.ets_scope1 += scope1;
        }
        self.all_scope1 += scope1;
        let (framework, year) = (self.framework, self.year);
        let Sums {
            defs,
            sums,
            ks,
            counts,
            total,
            total_k,
            ..
        } = self;
        let mut per_row: Vec<(usize, Decimal)> = Vec::new();
        let mut line_total = Decimal::ZERO;
        for (post, kg) in parts(framework, line, year) {
            let code = item(framework, post, line);
            let Some(index) = defs.iter().position(|d| d.0 == code) else {
                continue;
            };
            line_total += kg;
            match per_row.iter_mut().find(|(i, _)| *i == index) {
                Some((_, v)) => *v += kg,
                None => per_row.push((index, kg)),
            }
        }
        // A subtotal takes the line once, with all its parts under the subtotal's prefix.
        for (i, def) in defs.iter().enumerate() {
            if let RowKind::Subtotal(prefix) = def.3 {
                let under: Vec<Decimal> = per_row
                    .iter()
                    .filter(|(index, _)| defs.get(*index).is_some_and(|d| d.0.starts_with(prefix)))
                    .map(|(_, kg)| *kg)
                    .collect();
                if !under.is_empty() {
                    per_row.push((i, under.into_iter().sum()));
                }
            }
        }
        for (index, kg) in per_row {
            if let (Some(sum), Some(k), Some(count)) = (
                sums.get_mut(index),
                ks.get_mut(index),
                counts.get_mut(index),
            ) {
                *sum += kg;
                k.add(crate::report::to_f64(kg), line.figure.k);
                *count += 1;
            }
        }
        *total += line_total;
        total_k.add(crate::report::to_f64(line_total), line.figure.k);
    }

    /// The view of the lines added, in the report they belong to.
    pub fn finish(self, report: &Report) -> View {
        let Sums {
            framework,
            defs,
            sums,
            ks,
            counts,
            total,
            total_k,
            ets_scope1,
            all_scope1,
            any_ets,
            ..
        } = self;
        let n = defs.len();
        let scope1_ets = any_ets.then(|| {
            let share = if all_scope1.is_zero() {
                Decimal::ZERO
            } else {
                ets_scope1.checked_div(all_scope1).unwrap_or_default()
            };
            (ets_scope1, share)
        });
        let total_figure = Figure {
            kgco2e: total,
            k: total_k.k(),
        };
        let location_scope2 = defs
            .iter()
            .position(|d| d.0 == "S2")
            .and_then(|i| sums.get(i))
            .copied();
        let mut rows: Vec<ViewRow> = Vec::with_capacity(n);
        for (i, (code, fr, en, kind)) in defs.iter().enumerate() {
            let figure = match kind {
                RowKind::Item | RowKind::Subtotal(_) => Figure {
                    kgco2e: sums.get(i).copied().unwrap_or_default(),
                    k: ks.get(i).map_or(1.0, SumUncertainty::k),
                },
                RowKind::Memo if *code == "S2-MB" => report.scope2_market,
                RowKind::Memo => Figure {
                    kgco2e: total - location_scope2.unwrap_or_default()
                        + report.scope2_market.kgco2e,
                    k: total_figure.k,
                },
            };
            rows.push(ViewRow {
                code,
                fr,
                en,
                kind: *kind,
                figure,
                lines: counts.get(i).copied().unwrap_or(0),
            });
        }
        let intensity = (framework == Framework::EsrsE1)
            .then(|| revenue(report))
            .flatten()
            .map(|(label, million_euros)| {
                let per = |kg: Decimal| {
                    (kg / Decimal::ONE_THOUSAND)
                        .checked_div(million_euros)
                        .unwrap_or_default()
                };
                let market_total = rows
                    .iter()
                    .find(|r| r.code == "T-MB")
                    .map_or(total, |r| r.figure.kgco2e);
                (label, per(total), per(market_total))
            });
        View {
            framework,
            rows,
            total: total_figure,
            intensity,
            co2_biogenic: (framework == Framework::EsrsE1).then_some(report.co2_biogenic),
            scope1_ets: (framework == Framework::EsrsE1)
                .then_some(scope1_ets)
                .flatten(),
        }
    }
}

/// The first indicator in euros (net revenue), in M€, with its label.
pub fn revenue(report: &Report) -> Option<(String, Decimal)> {
    report.ratios.iter().find_map(|r| {
        let unit_text = r.indicator.unit.as_deref()?;
        let million = unit::parse("M€");
        let converted = unit::convert(
            r.indicator.value,
            &unit::parse(unit_text),
            &million,
            None,
            0,
        )
        .ok()?;
        matches!(
            unit::parse(unit_text),
            Unit::Known {
                dimension: Dimension::Money,
                ..
            }
        )
        .then(|| (r.indicator.label.clone(), converted.value))
    })
}
