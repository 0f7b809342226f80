//! The low-carbon trajectory (`bilan trajectory`): a target path, the path the action plan
//! gives, and the inventories measured, year by year. Pure: values in, a [`Trajectory`] out.
//!
//! **Targets** are linear reductions of a reference year's emissions, as ABC's open-source
//! Bilan Carbone+ computes them: value(y) = E_ref × max(0, 1 − r·(y − y₀)).
//! - SBTi 1.5 °C (r = 4.2 %/yr) and well below 2 °C (2.5 %/yr) run from y₀ = 2020. For an
//!   inventory of year Y after 2020 (Bilan Carbone+'s `getSBTiCorrectedRateAndEndYear`):
//!   E₂₀₂₀ is read between the measured inventories (linear between the two around 2020; the
//!   earliest after it when none is before; E_Y when there is no history), and the 2020 path
//!   is P(y) = E₂₀₂₀·(1 − r·(y − 2020)). When E_Y is within 5 % of P(Y), that path stays the
//!   target. Otherwise what was emitted from 2020 to Y above it (the overshoot, trapezoids
//!   between the yearly values, interpolated between inventories) comes off the budget left
//!   under it after Y, P(Y)²/(2·r·E₂₀₂₀), and the path from (Y, E_Y) spends the rest:
//!   t = 2·(P(Y)²/(2·r·E₂₀₂₀) − overshoot)/E_Y years to zero, r′ = 1/t. Without history this
//!   is r′ = 1 / (1/r − 2(Y − 2020)).
//! - A custom rate runs from the reference year, without compensation.
//! - SNBC paths (general or one sector) run from the inventory's year in segments to 2015,
//!   2030 and 2050 at Bilan Carbone+'s national rates (see [`crate::snbc`]); with earlier
//!   inventories, against the latest one's path, its budget kept by raising the rates.
//!
//! **Actions** reach their reduction on a linear ramp from their start to their end, read at
//! each year's end; each post's reductions are summed and capped at the post's emissions, so
//! no post goes below zero.

use crate::action::{Action, Reduction, Status};
use crate::number::parse_percent;
use crate::post::{Lang, Post};
use crate::report::{Report, Warning, to_f64};
use crate::snbc::{self, Sector};
use crate::warning::Code;
use rust_decimal::Decimal;
use std::fmt;

/// The year the SBTi linear paths start from.
pub const SBTI_FROM: i32 = 2020;

/// Which target path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// SBTi 1.5 °C: 4.2 % of the 2020 emissions a year.
    Sbti15,
    /// SBTi well below 2 °C: 2.5 % of the 2020 emissions a year.
    WellBelow2,
    /// A rate (0.05 for 5 %) of the reference emissions a year, from the reference year.
    Custom(Decimal),
    /// The SNBC path of a sector, or the general one (`None`), as Bilan Carbone+ builds it.
    Snbc(Option<Sector>),
}

impl TargetKind {
    /// Reads `sbti-1.5`, `wb-2`, `custom:5%`, `snbc` or `snbc:SECTOR`.
    pub fn parse(text: &str) -> Option<TargetKind> {
        TargetKind::read(text).ok()
    }

    /// Reads a target like [`TargetKind::parse`], or says what is wrong (for an unknown SNBC
    /// sector, the sectors there are).
    pub fn read(text: &str) -> Result<TargetKind, String> {
        let general = || {
            format!(
                "`{text}` is not a target: use sbti-1.5, wb-2, custom:RATE (e.g. custom:5%) or snbc[:SECTOR]"
            )
        };
        match text.trim() {
            "sbti-1.5" | "1.5" => Ok(TargetKind::Sbti15),
            "wb-2" | "sbti-wb2" | "wb2" => Ok(TargetKind::WellBelow2),
            "snbc" | "snbc:general" => Ok(TargetKind::Snbc(None)),
            other => {
                if let Some(sector) = other.strip_prefix("snbc:") {
                    return Sector::parse(sector)
                        .map(|s| TargetKind::Snbc(Some(s)))
                        .ok_or_else(|| {
                            let names: Vec<&str> = Sector::ALL.iter().map(|s| s.code()).collect();
                            format!(
                                "`{sector}` is not an SNBC sector: use snbc (the general path) or snbc:SECTOR with SECTOR one of {}",
                                names.join(", ")
                            )
                        });
                }
                let rate = other
                    .strip_prefix("custom:")
                    .and_then(|r| parse_percent(r).ok())
                    .ok_or_else(general)?;
                (rate > Decimal::ZERO && rate <= Decimal::ONE)
                    .then_some(TargetKind::Custom(rate))
                    .ok_or_else(general)
            }
        }
    }

    /// Its linear rate before any compensation.
    pub fn rate(self) -> Decimal {
        match self {
            TargetKind::Sbti15 => Decimal::new(42, 3),
            TargetKind::WellBelow2 => Decimal::new(25, 3),
            TargetKind::Custom(rate) => rate,
            TargetKind::Snbc(_) => Decimal::ZERO,
        }
    }

    /// Its code in the JSON (`sbti-1.5`, `wb-2`, `custom`, `snbc`, `snbc:energy` …).
    pub fn code(self) -> &'static str {
        match self {
            TargetKind::Sbti15 => "sbti-1.5",
            TargetKind::WellBelow2 => "wb-2",
            TargetKind::Custom(_) => "custom",
            TargetKind::Snbc(None) => "snbc",
            TargetKind::Snbc(Some(Sector::Energy)) => "snbc:energy",
            TargetKind::Snbc(Some(Sector::Industry)) => "snbc:industry",
            TargetKind::Snbc(Some(Sector::Waste)) => "snbc:waste",
            TargetKind::Snbc(Some(Sector::Buildings)) => "snbc:buildings",
            TargetKind::Snbc(Some(Sector::Agriculture)) => "snbc:agriculture",
            TargetKind::Snbc(Some(Sector::Transportation)) => "snbc:transportation",
        }
    }

    /// Its name for people.
    pub fn name(self, lang: Lang) -> String {
        match (self, lang) {
            (TargetKind::Sbti15, Lang::Fr) => "trajectoire 1,5 °C (SBTi)".to_string(),
            (TargetKind::Sbti15, Lang::En) => "1.5 °C path (SBTi)".to_string(),
            (TargetKind::WellBelow2, Lang::Fr) => {
                "trajectoire bien en dessous de 2 °C (SBTi)".to_string()
            }
            (TargetKind::WellBelow2, Lang::En) => "well-below 2 °C path (SBTi)".to_string(),
            (TargetKind::Custom(_), Lang::Fr) => "trajectoire personnalisée".to_string(),
            (TargetKind::Custom(_), Lang::En) => "custom path".to_string(),
            (TargetKind::Snbc(None), Lang::Fr) => "trajectoire SNBC générale".to_string(),
            (TargetKind::Snbc(None), Lang::En) => "general SNBC path".to_string(),
            (TargetKind::Snbc(Some(s)), Lang::Fr) => {
                format!("trajectoire SNBC du secteur {}", s.name(Lang::Fr))
            }
            (TargetKind::Snbc(Some(s)), Lang::En) => {
                format!("SNBC path of the {} sector", s.name(Lang::En))
            }
        }
    }

    fn is_sbti(self) -> bool {
        matches!(self, TargetKind::Sbti15 | TargetKind::WellBelow2)
    }

    /// True for an SNBC path.
    pub fn is_snbc(self) -> bool {
        matches!(self, TargetKind::Snbc(_))
    }
}

/// A linear target path from a reference inventory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// Which path.
    pub kind: TargetKind,
    /// The reference inventory's year.
    pub reference_year: i32,
    /// The reference inventory's emissions, kgCO2e.
    pub reference_kgco2e: Decimal,
    /// The year the decline counts from (y₀): 2020 for an SBTi path referenced in 2020 or
    /// before (emissions held at the reference until then), else the reference year.
    pub from_year: i32,
    /// The share of the reference emissions removed each year (28 digits).
    pub rate: Decimal,
    /// The rate before compensation (4.2 %, 2.5 %, the custom rate).
    pub base_rate: Decimal,
    /// The share of the 2020 path's carbon budget left at the reference year, 1 − 2n·r
    /// (1 when not compensated): rate = base_rate / budget_left. Values are computed with
    /// both, so a path reaches exactly zero.
    pub budget_left: Decimal,
    /// The same rate as Bilan Carbone+ computes it in f64 (1 / (1/r − 2n)), for display.
    pub rate_f64: f64,
    /// True when the rate was raised to keep the 2020 carbon budget.
    pub compensated: bool,
    /// True when the 2020 budget is spent by the reference year: the path falls to zero the
    /// year after it.
    pub budget_spent: bool,
    /// SBTi with a reference after 2020: the emissions of 2020 read between the measured
    /// inventories, where the 2020 path starts; the target before the reference year.
    pub emissions_2020: Option<Decimal>,
    /// SBTi with a reference after 2020: what was emitted from 2020 to the reference year
    /// above the 2020 path, kgCO2e (negative when below).
    pub overshoot_kgco2e: Option<Decimal>,
    /// True when the reference emissions are within 5 % of the 2020 path: that path stays the
    /// target, at its own rate.
    pub on_track: bool,
    /// An SNBC path: its segments and rates (raised when compensated).
    pub snbc: Option<snbc::Path>,
    /// An SNBC path with earlier inventories: the latest one and its path, which the target
    /// follows before the reference year (and after it when on track).
    pub snbc_reference: Option<snbc::Reference>,
}

/// How far above the 2020 path an inventory may be and still be on it (Bilan Carbone+'s
/// `OVERSHOOT_THRESHOLD`).
pub const ON_TRACK_MARGIN: Decimal = Decimal::from_parts(5, 0, 0, false, 2);

impl Target {
    /// The path of `kind` from an inventory of `reference_year` emitting `kgco2e`, with no
    /// earlier inventory; `None` when the figures overflow.
    pub fn new(kind: TargetKind, reference_year: i32, kgco2e: Decimal) -> Option<Target> {
        Target::with_history(kind, reference_year, kgco2e, &[])
    }

    /// The path of `kind` from an inventory of `reference_year` emitting `kgco2e`, with the
    /// inventories measured before it (others are ignored), as Bilan Carbone+ computes it;
    /// `None` when the figures overflow.
    pub fn with_history(
        kind: TargetKind,
        reference_year: i32,
        kgco2e: Decimal,
        history: &[Measured],
    ) -> Option<Target> {
        let rate = kind.rate();
        let plain = Target {
            kind,
            reference_year,
            reference_kgco2e: kgco2e,
            from_year: reference_year,
            rate,
            base_rate: rate,
            budget_left: Decimal::ONE,
            rate_f64: to_f64(rate),
            compensated: false,
            budget_spent: false,
            emissions_2020: None,
            overshoot_kgco2e: None,
            on_track: false,
            snbc: None,
            snbc_reference: None,
        };
        if let TargetKind::Snbc(sector) = kind {
            return Target::snbc(plain, sector, history);
        }
        if !kind.is_sbti() {
            return Some(plain);
        }
        if reference_year <= SBTI_FROM {
            return Some(Target {
                from_year: SBTI_FROM,
                ..plain
            });
        }
        let mut earlier: Vec<(i32, Decimal)> = history
            .iter()
            .filter(|m| m.year < reference_year)
            .map(|m| (m.year, m.kgco2e))
            .collect();
        earlier.sort_by_key(|(year, _)| *year);
        let at = |year| emissions_at(year, &earlier, reference_year, kgco2e);
        let late = reference_year - SBTI_FROM;
        let n = Decimal::from(late);
        let e2020 = at(SBTI_FROM)?;
        // 1 − r·n: the share of E₂₀₂₀ the 2020 path keeps at the reference year.
        let declined = Decimal::ONE - rate.checked_mul(n)?;
        let path_now = e2020.checked_mul(declined)?.max(Decimal::ZERO);
        let reference_budget = e2020
            .checked_add(e2020.checked_mul(declined)?)?
            .checked_mul(n)?
            / Decimal::TWO;
        let mut actual = Decimal::ZERO;
        for year in SBTI_FROM..reference_year {
            actual = actual.checked_add(at(year)?.checked_add(at(year + 1)?)? / Decimal::TWO)?;
        }
        let overshoot = actual.checked_sub(reference_budget)?;
        let with_2020 = Target {
            emissions_2020: Some(e2020),
            overshoot_kgco2e: Some(overshoot),
            ..plain
        };
        if kgco2e <= path_now.checked_mul(Decimal::ONE + ON_TRACK_MARGIN)? {
            return Some(Target {
                from_year: SBTI_FROM,
                on_track: true,
                ..with_2020
            });
        }
        // r·t = (E₂₀₂₀·(1 − r·n)² − 2r·overshoot) / E_Y: the years left to zero, times r.
        let left = if declined <= Decimal::ZERO || kgco2e.is_zero() {
            Decimal::ZERO
        } else {
            e2020
                .checked_mul(declined)?
                .checked_mul(declined)?
                .checked_sub(Decimal::TWO.checked_mul(rate)?.checked_mul(overshoot)?)?
                .checked_div(kgco2e)?
        };
        if left <= rate {
            // One year or less of budget left: zero the year after the reference.
            return Some(Target {
                rate: Decimal::ONE,
                base_rate: Decimal::ONE,
                rate_f64: 1.0,
                compensated: true,
                budget_spent: true,
                ..with_2020
            });
        }
        let compensated = rate.checked_div(left)?;
        let rate_f64 = if earlier.is_empty() {
            // Bilan Carbone+'s own f64 expression, so the displayed rate is the same.
            1.0 / (1.0 / to_f64(rate) - 2.0 * f64::from(late))
        } else {
            to_f64(compensated)
        };
        Some(Target {
            rate: compensated,
            budget_left: left,
            rate_f64,
            compensated: true,
            ..with_2020
        })
    }

    /// An SNBC path from `plain`'s inventory, compensated against the latest earlier one as
    /// Bilan Carbone+ does (`getSNBCData`, `getObjectivesWithOvershootCompensation`): that
    /// inventory's own path is the reference; within 5 % of it in the reference year it stays
    /// the target; otherwise what was emitted above it between the two inventories (yearly
    /// values interpolated between inventories, trapezoids) comes off its budget from the
    /// reference year to 2050, and the rates of the path from the inventory are multiplied by
    /// the k that spends the rest (Newton–Raphson, as Bilan Carbone+ finds it).
    fn snbc(plain: Target, sector: Option<Sector>, history: &[Measured]) -> Option<Target> {
        let (year, kgco2e) = (plain.reference_year, plain.reference_kgco2e);
        let path = snbc::Path::new(sector, year)?;
        let with_path = |path: snbc::Path| {
            let rate = path.first_rate();
            Target {
                from_year: path.start_year,
                rate,
                base_rate: rate,
                rate_f64: to_f64(rate),
                snbc: Some(path),
                ..plain
            }
        };
        let mut earlier: Vec<(i32, Decimal)> = history
            .iter()
            .filter(|m| m.year < year)
            .map(|m| (m.year, m.kgco2e))
            .collect();
        earlier.sort_by_key(|(y, _)| *y);
        let Some(&(r_year, r_kgco2e)) = earlier.last() else {
            return Some(with_path(path));
        };
        let r_path = snbc::Path::new(sector, r_year)?;
        let planned = |y: i32| r_path.value(r_year, r_kgco2e, y);
        let actual = |y: i32| emissions_at(y, &earlier, year, kgco2e);
        let trapezoids = |values: &dyn Fn(i32) -> Option<Decimal>, from: i32, to: i32| {
            let mut sum = Decimal::ZERO;
            for y in from..to {
                sum = sum.checked_add(values(y)?.checked_add(values(y + 1)?)? / Decimal::TWO)?;
            }
            Some(sum)
        };
        let overshoot =
            trapezoids(&actual, r_year, year)?.checked_sub(trapezoids(&planned, r_year, year)?)?;
        let reference = snbc::Reference {
            year: r_year,
            kgco2e: r_kgco2e,
            path: r_path,
            multiplier: None,
        };
        let with_reference = Target {
            snbc_reference: Some(reference),
            overshoot_kgco2e: Some(overshoot),
            ..with_path(path)
        };
        if kgco2e <= planned(year)?.checked_mul(Decimal::ONE + ON_TRACK_MARGIN)? {
            let rate = r_path.first_rate();
            return Some(Target {
                from_year: r_path.start_year,
                rate,
                base_rate: rate,
                rate_f64: to_f64(rate),
                on_track: true,
                ..with_reference
            });
        }
        if overshoot <= Decimal::ZERO {
            return Some(with_reference);
        }
        let budget = trapezoids(&planned, year, snbc::FINAL_TARGET_YEAR)?.checked_sub(overshoot)?;
        let k = path.multiplier(year, to_f64(kgco2e), to_f64(budget));
        let raised = path.scaled(Decimal::from_f64_retain(k)?)?;
        Some(Target {
            compensated: true,
            snbc_reference: Some(snbc::Reference {
                multiplier: Some(k),
                ..reference
            }),
            overshoot_kgco2e: Some(overshoot),
            ..with_path(raised)
        })
    }

    /// The 2020 path's value for `year` (SBTi with a reference after 2020; `None` otherwise).
    pub fn path_2020(&self, year: i32) -> Option<Decimal> {
        let e2020 = self.emissions_2020?;
        let years = Decimal::from(year - SBTI_FROM);
        let kept = (Decimal::ONE - self.kind.rate().checked_mul(years)?).max(Decimal::ZERO);
        e2020.checked_mul(kept)
    }

    /// The target for `year`; `None` before the reference year (before 2020 when the
    /// reference is after it: the 2020 path until the reference year).
    pub fn value(&self, year: i32) -> Option<Decimal> {
        if let Some(path) = &self.snbc {
            if let Some(r) = &self.snbc_reference
                && (self.on_track || year < self.reference_year)
            {
                return r.path.value(r.year, r.kgco2e, year);
            }
            return path.value(self.reference_year, self.reference_kgco2e, year);
        }
        if self.emissions_2020.is_some()
            && year >= SBTI_FROM
            && (self.on_track || year < self.reference_year)
        {
            return self.path_2020(year);
        }
        if year < self.reference_year {
            return None;
        }
        let years = Decimal::from(year - self.from_year).max(Decimal::ZERO);
        // E × (1 − r′·n) with r′ = r / left, as E × (left − r·n) / left.
        let left = self
            .budget_left
            .checked_sub(self.base_rate.checked_mul(years)?)?
            .max(Decimal::ZERO);
        self.reference_kgco2e
            .checked_mul(left)?
            .checked_div(self.budget_left)
    }
}

/// The emissions of `year` from inventories measured before `last` (by year) and `last`'s
/// own: the inventory's figure in its year, linear between two inventories, the earliest's
/// before the first (Bilan Carbone+'s `computePastOrPresentValue`).
fn emissions_at(
    year: i32,
    earlier: &[(i32, Decimal)],
    last: i32,
    kgco2e: Decimal,
) -> Option<Decimal> {
    if year >= last {
        return Some(kgco2e);
    }
    if let Some((_, kg)) = earlier.iter().find(|(y, _)| *y == year) {
        return Some(*kg);
    }
    let before = earlier.iter().rev().find(|(y, _)| *y < year);
    let after = earlier
        .iter()
        .find(|(y, _)| *y > year)
        .copied()
        .unwrap_or((last, kgco2e));
    match before {
        None => Some(after.1),
        Some(&(y0, e0)) => {
            let (y1, e1) = after;
            // (e0·(y1 − y) + e1·(y − y0)) / (y1 − y0)
            e0.checked_mul(Decimal::from(y1 - year))?
                .checked_add(e1.checked_mul(Decimal::from(year - y0))?)?
                .checked_div(Decimal::from(y1 - y0))
        }
    }
}

/// One inventory's total for a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measured {
    /// Its file, as named.
    pub name: String,
    /// Its year (the period's end).
    pub year: i32,
    /// Its total, kgCO2e.
    pub kgco2e: Decimal,
}

/// The inventory the actions are projected from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    /// The organisation.
    pub organisation: String,
    /// Its file, year and total.
    pub inventory: Measured,
    /// The posts' emissions, kgCO2e, in code order.
    pub posts: Vec<(Post, Decimal)>,
}

impl Baseline {
    /// The baseline of a computed report read from `name`.
    pub fn from_report(name: &str, report: &Report) -> Baseline {
        Baseline {
            organisation: report.organisation.name.clone(),
            inventory: Measured {
                name: name.to_string(),
                year: report.period.year(),
                kgco2e: report.total.kgco2e,
            },
            posts: report
                .posts
                .iter()
                .map(|p| (p.post, p.figure.kgco2e))
                .collect(),
        }
    }

    fn post(&self, post: Post) -> Decimal {
        self.posts
            .iter()
            .find(|(p, _)| *p == post)
            .map_or(Decimal::ZERO, |(_, kg)| *kg)
    }
}

/// What the projection asks for.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The inventory projected.
    pub baseline: &'a Baseline,
    /// Earlier inventories, any order.
    pub history: &'a [Measured],
    /// The action plan.
    pub actions: &'a [Action],
    /// The target path.
    pub target: TargetKind,
    /// The last year shown.
    pub until: i32,
}

/// One action in the projection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionPlan {
    /// The action.
    pub action: Action,
    /// True when it counts in the projection: quantified and not `done` by the end of the
    /// inventory's year.
    pub projected: bool,
    /// Its reduction on each of its posts once fully in effect, before capping.
    pub posts: Vec<PostReduction>,
    /// Their sum, kgCO2e/yr.
    pub kgco2e: Decimal,
}

/// An action's reduction on one post once fully in effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostReduction {
    /// The post.
    pub post: Post,
    /// kgCO2e a year.
    pub kgco2e: Decimal,
    /// Its share of the post's emissions; `None` when the post emits nothing.
    pub share: Option<Decimal>,
}

/// One post with actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostPlan {
    /// The post.
    pub post: Post,
    /// Its emissions in the inventory, kgCO2e.
    pub kgco2e: Decimal,
    /// The ids of the actions on it, in plan order.
    pub actions: Vec<String>,
    /// The projected actions' reductions once all in full effect, before capping.
    pub reduction: Decimal,
    /// True when that exceeds the post's emissions (capped at them).
    pub capped: bool,
    /// The reduction once capped.
    pub capped_reduction: Decimal,
    /// Its share of the post's emissions; `None` when the post emits nothing.
    pub share: Option<Decimal>,
}

/// One year of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearRow {
    /// The year.
    pub year: i32,
    /// The target; `None` before the reference year.
    pub target: Option<Decimal>,
    /// The inventory minus the actions' reductions; from the inventory's year on.
    pub with_actions: Option<Decimal>,
    /// The actions' reductions that year (capped per post); from the inventory's year on.
    pub reduction: Option<Decimal>,
    /// An inventory of that year, if any.
    pub measured: Option<Decimal>,
    /// With actions (or, before the inventory's year, measured) minus the target.
    pub gap: Option<Decimal>,
}

/// A cell of the impact × ease matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixCell {
    /// Impact 1–5.
    pub impact: u8,
    /// Ease 1–5.
    pub ease: u8,
    /// The ids of the actions there, in plan order.
    pub actions: Vec<String>,
}

/// Average annual reductions, as shares of the inventory's emissions a year, up to `horizon`
/// (the target's own rate is [`Target::rate_f64`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    /// The year the actions are all in full effect (at least the inventory's year + 1, at most
    /// `--until`); `None` when the table stops at the inventory's year.
    pub horizon: Option<i32>,
    /// What the actions give: (E − with actions at the horizon) / E / years.
    pub actions: Option<Decimal>,
    /// What reaching the target at the horizon takes: (E − target) / E / years.
    pub needed: Option<Decimal>,
}

/// The whole projection.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The organisation.
    pub organisation: String,
    /// The inventory projected.
    pub inventory: Measured,
    /// The earlier inventories, by year.
    pub history: Vec<Measured>,
    /// The inventory the target is computed from (one of the above).
    pub reference: Measured,
    /// The target path.
    pub target: Target,
    /// One row per year, from the first inventory to `until`.
    pub years: Vec<YearRow>,
    /// Every action, in plan order.
    pub actions: Vec<ActionPlan>,
    /// The posts with actions, in code order.
    pub posts: Vec<PostPlan>,
    /// The impact × ease matrix: non-empty cells, impact 5 → 1, ease 1 → 5.
    pub matrix: Vec<MatrixCell>,
    /// Actions without impact or ease.
    pub unrated: Vec<String>,
    /// Average annual rates.
    pub rates: Rates,
    /// What the reader should know; never changes a figure.
    pub warnings: Vec<Warning>,
}

/// Why a projection cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrajectoryError(pub String);

impl fmt::Display for TrajectoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TrajectoryError {}

/// The reference inventory: for an SBTi path the latest (the path starts from it, the
/// earlier ones giving the emissions since 2020); for an SNBC path the latest; for a custom
/// rate the earliest.
pub fn reference(kind: TargetKind, inventories: &[Measured]) -> Option<&Measured> {
    if kind.is_sbti() || kind.is_snbc() {
        return inventories.iter().max_by_key(|m| m.year);
    }
    inventories.iter().min_by_key(|m| m.year)
}

/// Projects the plan.
pub fn trajectory(request: &Request<'_>) -> Result<Trajectory, TrajectoryError> {
    let baseline = request.baseline;
    let year = baseline.inventory.year;
    if request.until < year {
        return Err(TrajectoryError(format!(
            "--until {} is before the inventory's year {year}",
            request.until
        )));
    }
    let mut history = request.history.to_vec();
    history.sort_by_key(|m| m.year);
    for pair in history.windows(2) {
        if let [a, b] = pair
            && a.year == b.year
        {
            return Err(TrajectoryError(format!(
                "{} and {} are both for {}: give one inventory per year",
                a.name, b.name, a.year
            )));
        }
    }
    if let Some(late) = history.iter().find(|m| m.year >= year) {
        return Err(TrajectoryError(format!(
            "--history {} is for {}, not before the inventory projected ({year})",
            late.name, late.year
        )));
    }
    if request.target.is_snbc() && year > snbc::LAST_INVENTORY_YEAR {
        return Err(TrajectoryError(format!(
            "an SNBC target starts from an inventory of {} at the latest (its segments end in 2030 and 2050), not {year}",
            snbc::LAST_INVENTORY_YEAR
        )));
    }
    let mut inventories = history.clone();
    inventories.push(baseline.inventory.clone());
    let reference = reference(request.target, &inventories)
        .cloned()
        .unwrap_or_else(|| baseline.inventory.clone());
    let target = Target::with_history(request.target, reference.year, reference.kgco2e, &history)
        .ok_or_else(|| {
        TrajectoryError(format!(
            "the totals ({} kgCO2e in {}) are too large to project",
            reference.kgco2e, reference.year
        ))
    })?;
    let mut warnings = Vec::new();
    if target.budget_spent {
        warnings.push(Warning::new(
            Code::BudgetSpent,
            None,
            format!(
                "the 2020 carbon budget of the {} is spent by {}: the target is zero from {}",
                request.target.name(Lang::En),
                reference.year,
                reference.year + 1
            ),
            format!(
                "le budget carbone 2020 de la {} est épuisé en {} : la cible est nulle dès {}",
                request.target.name(Lang::Fr),
                reference.year,
                reference.year + 1
            ),
        ));
    }
    let actions = plan_actions(baseline, request.actions, &mut warnings);
    let posts = plan_posts(baseline, &actions, &mut warnings);
    let first = inventories.iter().map(|m| m.year).min().unwrap_or(year);
    let years: Vec<YearRow> = (first..=request.until)
        .map(|y| {
            let measured = inventories.iter().find(|m| m.year == y).map(|m| m.kgco2e);
            // The inventory's own year is measured: the path with actions starts from it, and
            // what actions reach during that year shows from the next one.
            let reduction = (y >= year).then(|| {
                if y == year {
                    Decimal::ZERO
                } else {
                    reduction_in(baseline, &actions, &posts, y)
                }
            });
            let with_actions = reduction.map(|r| baseline.inventory.kgco2e - r);
            let target_value = target.value(y);
            let gap = target_value
                .zip(with_actions.or(measured))
                .map(|(t, e)| e - t);
            YearRow {
                year: y,
                target: target_value,
                with_actions,
                reduction,
                measured,
                gap,
            }
        })
        .collect();
    let rates = rates(baseline, &actions, &years, request.until);
    let (matrix, unrated) = matrix(&actions);
    Ok(Trajectory {
        organisation: baseline.organisation.clone(),
        inventory: baseline.inventory.clone(),
        history,
        reference,
        target,
        years,
        actions,
        posts,
        matrix,
        unrated,
        rates,
        warnings,
    })
}

/// Each action's reduction per post once in full effect.
fn plan_actions(
    baseline: &Baseline,
    actions: &[Action],
    warnings: &mut Vec<Warning>,
) -> Vec<ActionPlan> {
    let inventory_end = Decimal::from(baseline.inventory.year) + Decimal::ONE;
    actions
        .iter()
        .map(|action| {
            let emitted: Vec<(Post, Decimal)> = action
                .posts
                .iter()
                .map(|p| (*p, baseline.post(*p)))
                .collect();
            let sum = emitted
                .iter()
                .fold(Decimal::ZERO, |acc, (_, kg)| acc.saturating_add(*kg));
            let posts: Vec<PostReduction> = match action.reduction {
                None => Vec::new(),
                // A share of each post; a kgCO2e amount split in proportion to the posts'
                // emissions (nothing to split when they emit nothing).
                Some(Reduction::Share(share)) => emitted
                    .iter()
                    .map(|(p, kg)| PostReduction {
                        post: *p,
                        kgco2e: kg.saturating_mul(share),
                        share: (!kg.is_zero()).then_some(share),
                    })
                    .collect(),
                Some(Reduction::Kgco2e(amount)) => emitted
                    .iter()
                    .map(|(p, kg)| {
                        // amount × kg / sum, exact when it fits; the other order otherwise.
                        let reduction = amount
                            .checked_mul(*kg)
                            .and_then(|x| x.checked_div(sum))
                            .unwrap_or_else(|| {
                                amount.saturating_mul(kg.checked_div(sum).unwrap_or_default())
                            });
                        PostReduction {
                            post: *p,
                            kgco2e: reduction,
                            share: reduction.checked_div(*kg),
                        }
                    })
                    .collect(),
            };
            let kgco2e = posts
                .iter()
                .fold(Decimal::ZERO, |acc, r| acc.saturating_add(r.kgco2e));
            let done_before = action.status == Status::Done && action.ending() <= inventory_end;
            let projected = action.reduction.is_some() && !done_before;
            if projected && sum.is_zero() {
                let codes: Vec<&str> = action.posts.iter().map(|p| p.code()).collect();
                warnings.push(Warning::new(
                    Code::ActionWithoutEmissions,
                    Some(action.at.clone()),
                    format!(
                        "action `{}` acts on post(s) {} with no emissions in the inventory: it reduces nothing",
                        action.id,
                        codes.join(", ")
                    ),
                    format!(
                        "l'action `{}` porte sur le(s) poste(s) {} sans émissions dans l'inventaire : elle ne réduit rien",
                        action.id,
                        codes.join(", ")
                    ),
                ));
            }
            if projected && action.status != Status::Done && action.ending() <= inventory_end {
                warnings.push(Warning::new(
                    Code::ActionNotDone,
                    Some(action.at.clone()),
                    format!(
                        "action `{}` is in full effect by the end of {} but `{}`: its reduction is counted against the inventory; mark it `done` if the inventory already reflects it",
                        action.id,
                        baseline.inventory.year,
                        action.status.code()
                    ),
                    format!(
                        "l'action `{}` produit tout son effet fin {} mais est `{}` : sa réduction est comptée sur l'inventaire ; marquez-la `done` si l'inventaire la reflète déjà",
                        action.id,
                        baseline.inventory.year,
                        action.status.code()
                    ),
                ));
            }
            ActionPlan {
                action: action.clone(),
                projected,
                posts,
                kgco2e,
            }
        })
        .collect()
}

/// The posts with actions, with their reductions in full effect and whether they are capped.
fn plan_posts(
    baseline: &Baseline,
    actions: &[ActionPlan],
    warnings: &mut Vec<Warning>,
) -> Vec<PostPlan> {
    let mut out = Vec::new();
    for post in Post::all() {
        let on_post: Vec<&ActionPlan> = actions
            .iter()
            .filter(|a| a.action.posts.contains(&post))
            .collect();
        if on_post.is_empty() {
            continue;
        }
        let kgco2e = baseline.post(post);
        let reduction = on_post
            .iter()
            .filter(|a| a.projected)
            .flat_map(|a| a.posts.iter().filter(|r| r.post == post))
            .fold(Decimal::ZERO, |acc, r| acc.saturating_add(r.kgco2e));
        let capped = reduction > kgco2e;
        let capped_reduction = reduction.min(kgco2e);
        if capped && !kgco2e.is_zero() {
            warnings.push(Warning::new(
                Code::ReductionCapped,
                None,
                format!(
                    "post {post}: its actions add up to {} kgCO2e a year, more than its {} kgCO2e; the reduction is capped at the post's emissions",
                    reduction.round_dp(3).normalize(),
                    kgco2e.round_dp(3).normalize()
                ),
                format!(
                    "poste {post} : ses actions totalisent {} kgCO2e par an, plus que ses {} kgCO2e ; la réduction est plafonnée aux émissions du poste",
                    reduction.round_dp(3).normalize().to_string().replace('.', ","),
                    kgco2e.round_dp(3).normalize().to_string().replace('.', ",")
                ),
            ));
        }
        out.push(PostPlan {
            post,
            kgco2e,
            actions: on_post.iter().map(|a| a.action.id.clone()).collect(),
            reduction,
            capped,
            capped_reduction,
            share: capped_reduction.checked_div(kgco2e),
        });
    }
    out
}

/// The reductions reached at the end of `year`: per post, the sum of its projected actions'
/// reductions times their progress, capped at the post's emissions.
fn reduction_in(
    baseline: &Baseline,
    actions: &[ActionPlan],
    posts: &[PostPlan],
    year: i32,
) -> Decimal {
    posts
        .iter()
        .map(|plan| {
            let reached = actions
                .iter()
                .filter(|a| a.projected)
                .flat_map(|a| {
                    let progress = a.action.progress(year);
                    a.posts
                        .iter()
                        .filter(|r| r.post == plan.post)
                        .map(move |r| r.kgco2e.saturating_mul(progress))
                })
                .fold(Decimal::ZERO, Decimal::saturating_add);
            reached.min(baseline.post(plan.post))
        })
        .fold(Decimal::ZERO, Decimal::saturating_add)
}

fn rates(baseline: &Baseline, actions: &[ActionPlan], years: &[YearRow], until: i32) -> Rates {
    let year = baseline.inventory.year;
    let last = actions
        .iter()
        .filter(|a| a.projected)
        .map(|a| a.action.full_year())
        .max()
        .unwrap_or(year);
    let horizon = (until > year).then(|| last.max(year + 1).min(until));
    let emissions = baseline.inventory.kgco2e;
    let per_year = |value: Option<Decimal>, h: i32| -> Option<Decimal> {
        let drop = emissions.checked_sub(value?)?;
        drop.checked_div(emissions)?
            .checked_div(Decimal::from(h - year))
    };
    let row = |h: i32| years.iter().find(|r| r.year == h);
    Rates {
        horizon,
        actions: horizon.and_then(|h| per_year(row(h)?.with_actions, h)),
        needed: horizon.and_then(|h| per_year(row(h)?.target, h)),
    }
}

/// The impact × ease matrix (non-empty cells, impact 5 → 1, ease 1 → 5) and the actions not
/// rated.
fn matrix(actions: &[ActionPlan]) -> (Vec<MatrixCell>, Vec<String>) {
    let mut cells = Vec::new();
    for impact in (1..=5).rev() {
        for ease in 1..=5 {
            let ids: Vec<String> = actions
                .iter()
                .filter(|a| a.action.impact == Some(impact) && a.action.ease == Some(ease))
                .map(|a| a.action.id.clone())
                .collect();
            if !ids.is_empty() {
                cells.push(MatrixCell {
                    impact,
                    ease,
                    actions: ids,
                });
            }
        }
    }
    let unrated = actions
        .iter()
        .filter(|a| a.action.impact.is_none() || a.action.ease.is_none())
        .map(|a| a.action.id.clone())
        .collect();
    (cells, unrated)
}
