//! SNBC (Stratégie Nationale Bas-Carbone, France's low-carbon strategy) target paths, as ABC's
//! open-source Bilan Carbone+ builds them. Pure: values in, a [`Path`] out.
//!
//! Source: `ABC-TransitionBasCarbone/bilan-carbone`, commit
//! `949af9c48dff4589450bff7e3ff41fb9eeae0d7a`:
//! - `apps/bilan-carbone/src/utils/snbc.ts` (`calculateBaseSNBCReductionRates`,
//!   `getTrajectorySegments`, `buildFutureTrajectory`; the −40 % by 2030 and −5/6 by 2050 from
//!   1990 of the general path, the 2015 first sector target year);
//! - `apps/bilan-carbone/src/constants/trajectory.constants.ts` (`SNBC_SECTOR_TARGET_EMISSIONS`,
//!   `SNBC_REFERENCE_YEAR` 1990, `SNBC_FINAL_TARGET_YEAR` 2050, `SECTEN_SECTORS`);
//! - `apps/bilan-carbone/prisma/seed/sectenSeedData.ts` (`SECTEN_SEED_DATA`: France's emissions
//!   per SNBC sector, 1990–2024, CITEPA's Secten inventory as Bilan Carbone+ ships it).
//!
//! The path: national targets for 2030 and 2050 (and 2015 for a sector); the rate of each
//! segment is the national drop over it as a share of the national emissions at its start,
//! per year: (S − T) / S / years. The segment to 2030 starts from the national emissions of
//! the inventory's year (of the latest Secten year, 2024, for a later inventory; of 1990 for an
//! earlier one). A sector whose national emissions are then already below its 2030 target
//! goes at one rate to 2050. The organisation's path applies each segment's rate to its own
//! value at the segment's start: value(y) = V_start × max(0, 1 − r·(y − start)), held at its
//! 2050 value after 2050.
//!
//! With an earlier inventory, the path is measured against that inventory's own path and its
//! rates raised by one multiplier to keep that path's budget (see
//! [`crate::trajectory::Target`]'s SNBC branch and [`Path::multiplier`]).

use crate::post::Lang;
use crate::report::to_f64;
use rust_decimal::Decimal;

/// The year the national targets count from (`SNBC_REFERENCE_YEAR`).
pub const REFERENCE_YEAR: i32 = 1990;
/// The sectors' first target year (`SNBC_SECTOR_FIRST_TARGET_YEAR`).
pub const FIRST_TARGET_YEAR: i32 = 2015;
/// The middle target year (`SNBC_MID_TARGET_YEAR`).
pub const MID_TARGET_YEAR: i32 = 2030;
/// The final target year (`SNBC_FINAL_TARGET_YEAR`); the path is held after it.
pub const FINAL_TARGET_YEAR: i32 = 2050;
/// The last inventory year a path is built for: Bilan Carbone+'s segment to 2050 starts in
/// 2030 whatever the inventory's year, so a later inventory has no consistent path.
pub const LAST_INVENTORY_YEAR: i32 = MID_TARGET_YEAR;

/// One of the SNBC sectors, as Bilan Carbone+ names them (`SECTEN_SECTORS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sector {
    /// `energy`.
    Energy,
    /// `industry`.
    Industry,
    /// `waste`.
    Waste,
    /// `buildings`.
    Buildings,
    /// `agriculture`.
    Agriculture,
    /// `transportation`.
    Transportation,
}

impl Sector {
    /// Every sector, in Bilan Carbone+'s order.
    pub const ALL: [Sector; 6] = [
        Sector::Energy,
        Sector::Industry,
        Sector::Waste,
        Sector::Buildings,
        Sector::Agriculture,
        Sector::Transportation,
    ];

    /// Its name in Bilan Carbone+ (`energy` …).
    pub fn code(self) -> &'static str {
        match self {
            Sector::Energy => "energy",
            Sector::Industry => "industry",
            Sector::Waste => "waste",
            Sector::Buildings => "buildings",
            Sector::Agriculture => "agriculture",
            Sector::Transportation => "transportation",
        }
    }

    /// Reads a sector's code (case ignored).
    pub fn parse(text: &str) -> Option<Sector> {
        Sector::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(text.trim()))
    }

    /// Its name for people (Bilan Carbone+'s `snbcCard` labels).
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Sector::Energy, Lang::Fr) => "Énergie",
            (Sector::Energy, Lang::En) => "Energy",
            (Sector::Industry, Lang::Fr) => "Industrie",
            (Sector::Industry, Lang::En) => "Industry",
            (Sector::Waste, Lang::Fr) => "Déchets",
            (Sector::Waste, Lang::En) => "Waste",
            (Sector::Buildings, Lang::Fr) => "Bâtiments",
            (Sector::Buildings, Lang::En) => "Buildings",
            (Sector::Agriculture, Lang::Fr) => "Agriculture",
            (Sector::Agriculture, Lang::En) => "Agriculture",
            (Sector::Transportation, Lang::Fr) => "Transports",
            (Sector::Transportation, Lang::En) => "Transportation",
        }
    }

    /// The national targets for 2015, 2030 and 2050 (`SNBC_SECTOR_TARGET_EMISSIONS`, in the
    /// Secten table's unit).
    pub fn targets(self) -> [i64; 3] {
        match self {
            Sector::Energy => [50_000, 31_000, 2_000],
            Sector::Industry => [85_000, 53_000, 16_000],
            Sector::Waste => [15_000, 11_000, 6_000],
            Sector::Buildings => [85_000, 45_000, 5_000],
            Sector::Agriculture => [87_000, 73_000, 48_000],
            Sector::Transportation => [138_000, 99_000, 4_000],
        }
    }
}

/// France's emissions by year: year, energy, industry, waste, buildings, agriculture,
/// transportation, total (`SECTEN_SEED_DATA`; the total is Secten's own, not the sum of the
/// rounded sectors). Only ratios of these figures are used.
pub const SECTEN: [(i32, [i64; 7]); 35] = [
    (1990, [79000, 140000, 17000, 93000, 93000, 125000, 547000]),
    (1991, [80000, 152000, 17000, 103000, 92000, 127000, 572000]),
    (1992, [81000, 140000, 18000, 99000, 91000, 132000, 561000]),
    (1993, [69000, 134000, 19000, 95000, 90000, 132000, 540000]),
    (1994, [66000, 135000, 19000, 89000, 89000, 133000, 531000]),
    (1995, [69000, 136000, 19000, 89000, 90000, 135000, 537000]),
    (1996, [72000, 138000, 19000, 98000, 91000, 136000, 555000]),
    (1997, [68000, 137000, 19000, 94000, 91000, 139000, 547000]),
    (1998, [80000, 131000, 20000, 98000, 91000, 142000, 561000]),
    (1999, [73000, 128000, 20000, 100000, 91000, 144000, 556000]),
    (2000, [72000, 125000, 20000, 97000, 94000, 144000, 551000]),
    (2001, [65000, 128000, 21000, 102000, 94000, 147000, 556000]),
    (2002, [67000, 124000, 21000, 98000, 92000, 148000, 550000]),
    (2003, [71000, 123000, 21000, 104000, 88000, 148000, 554000]),
    (2004, [69000, 117000, 21000, 109000, 90000, 148000, 554000]),
    (2005, [74000, 118000, 21000, 108000, 89000, 145000, 555000]),
    (2006, [70000, 117000, 21000, 103000, 88000, 145000, 545000]),
    (2007, [70000, 116000, 21000, 96000, 88000, 144000, 535000]),
    (2008, [69000, 109000, 21000, 103000, 90000, 137000, 530000]),
    (2009, [67000, 90000, 20000, 106000, 89000, 137000, 509000]),
    (2010, [67000, 96000, 20000, 105000, 87000, 138000, 513000]),
    (2011, [61000, 93000, 19000, 89000, 86000, 139000, 488000]),
    (2012, [63000, 89000, 19000, 97000, 86000, 138000, 491000]),
    (2013, [61000, 90000, 17000, 99000, 85000, 137000, 490000]),
    (2014, [47000, 87000, 16000, 82000, 87000, 137000, 457000]),
    (2015, [50000, 85000, 15000, 85000, 87000, 138000, 460000]),
    (2016, [54000, 84000, 15000, 86000, 85000, 139000, 463000]),
    (2017, [57000, 84000, 15000, 85000, 85000, 139000, 465000]),
    (2018, [48000, 82000, 15000, 81000, 84000, 136000, 446000]),
    (2019, [46000, 80000, 16000, 78000, 82000, 134000, 436000]),
    (2020, [41000, 71000, 16000, 73000, 81000, 114000, 396000]),
    (2021, [43000, 77000, 16000, 76000, 80000, 128000, 420000]),
    (2022, [44000, 71000, 16000, 64000, 77000, 132000, 403000]),
    (2023, [37000, 63000, 16000, 57000, 76000, 126000, 376000]),
    (2024, [33000, 62000, 16000, 57000, 76000, 125000, 369000]),
];

/// The national emissions of `year` for `sector` (the total for the general path).
pub fn secten(year: i32, sector: Option<Sector>) -> Option<Decimal> {
    let (_, row) = SECTEN.iter().find(|(y, _)| *y == year)?;
    let column = match sector {
        None => 6,
        Some(s) => Sector::ALL.iter().position(|x| *x == s)?,
    };
    row.get(column).copied().map(Decimal::from)
}

/// The latest year of the Secten table.
pub fn latest_secten_year() -> i32 {
    SECTEN
        .iter()
        .map(|(y, _)| *y)
        .max()
        .unwrap_or(REFERENCE_YEAR)
}

/// One segment of the path: from the end of `from` to the end of `to`, the value falls each
/// year by `rate` × its value at `from`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// The year it starts from.
    pub from: i32,
    /// The year it ends.
    pub to: i32,
    /// The share of the segment's starting value removed each year (28 digits).
    pub rate: Decimal,
}

impl Segment {
    /// The rate in f64, for display.
    pub fn rate_f64(&self) -> f64 {
        to_f64(self.rate)
    }
}

/// An SNBC path for one inventory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Path {
    /// The sector; `None` for the general path.
    pub sector: Option<Sector>,
    /// The Secten year the first rate is read from (the inventory's year, at most the latest
    /// Secten year, at least 1990).
    pub secten_year: i32,
    /// The year the decline starts from (the inventory's year, at least 1990).
    pub start_year: i32,
    /// The segments in order: to 2015 (a sector, from before 2015), to 2030, to 2050.
    pub segments: [Option<Segment>; 3],
}

/// (from − to) / from / years; 0 when `from` is not above `to`; `None` with no years
/// (`calculateRateForSegment`).
fn segment_rate(from: Decimal, to: Decimal, from_year: i32, to_year: i32) -> Option<Decimal> {
    if from <= Decimal::ZERO || from <= to {
        return Some(Decimal::ZERO);
    }
    let years = to_year - from_year;
    if years <= 0 {
        return None;
    }
    from.checked_sub(to)?
        .checked_div(from)?
        .checked_div(Decimal::from(years))
}

impl Path {
    /// The path of `sector` (or the general one) for an inventory of `year`; `None` after
    /// [`LAST_INVENTORY_YEAR`] or when the Secten table lacks the year.
    pub fn new(sector: Option<Sector>, year: i32) -> Option<Path> {
        if year > LAST_INVENTORY_YEAR {
            return None;
        }
        // National targets for 2015 (sectors), 2030, 2050.
        let (t2015, t2030, t2050) = match sector {
            Some(s) => {
                let [a, b, c] = s.targets();
                (Some(Decimal::from(a)), Decimal::from(b), Decimal::from(c))
            }
            None => {
                let e1990 = secten(REFERENCE_YEAR, None)?;
                // −40 % by 2030; −5/6 by 2050 (a sixth of 1990 left).
                let t2030 = e1990.checked_mul(Decimal::new(6, 1))?;
                let t2050 = e1990.checked_div(Decimal::from(6))?;
                (None, t2030, t2050)
            }
        };
        let latest = latest_secten_year();
        let secten_year = if year < REFERENCE_YEAR {
            REFERENCE_YEAR
        } else {
            year.min(latest)
        };
        let start = secten(secten_year, sector)?;
        if start <= Decimal::ZERO {
            return None;
        }
        let start_year = year.max(REFERENCE_YEAR);
        let to_2050 = segment_rate(t2030, t2050, MID_TARGET_YEAR, FINAL_TARGET_YEAR)?;
        let (to_2015, to_2030) = if secten_year >= MID_TARGET_YEAR || start <= t2030 {
            // Past 2030 or already below the 2030 target: one rate to 2050.
            (
                None,
                segment_rate(start, t2050, secten_year, FINAL_TARGET_YEAR)?,
            )
        } else if let Some(t2015) = t2015 {
            let mid = segment_rate(t2015, t2030, FIRST_TARGET_YEAR, MID_TARGET_YEAR)?;
            if secten_year < FIRST_TARGET_YEAR {
                (
                    Some(segment_rate(start, t2015, secten_year, FIRST_TARGET_YEAR)?),
                    mid,
                )
            } else {
                (None, mid)
            }
        } else {
            (
                None,
                segment_rate(start, t2030, secten_year, MID_TARGET_YEAR)?,
            )
        };
        // A zero rate to 2015 is no segment (`if (rates.rateTo2015)`): the rate to 2030 then
        // runs from the start.
        let first = to_2015.filter(|r| !r.is_zero()).map(|rate| Segment {
            from: start_year,
            to: FIRST_TARGET_YEAR,
            rate,
        });
        let mid = Segment {
            from: if first.is_some() {
                FIRST_TARGET_YEAR
            } else {
                start_year
            },
            to: MID_TARGET_YEAR,
            rate: to_2030,
        };
        let last = Segment {
            from: MID_TARGET_YEAR,
            to: FINAL_TARGET_YEAR,
            rate: to_2050,
        };
        Some(Path {
            sector,
            secten_year,
            start_year,
            segments: [first, Some(mid), Some(last)],
        })
    }

    /// The segments in order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter().flatten()
    }

    /// The rate of the first segment.
    pub fn first_rate(&self) -> Decimal {
        self.segments().next().map_or(Decimal::ZERO, |s| s.rate)
    }

    /// The path's value in `year` for `kgco2e` emitted in `reference_year`; `None` before
    /// the reference year or on overflow.
    pub fn value(&self, reference_year: i32, kgco2e: Decimal, year: i32) -> Option<Decimal> {
        if year < reference_year {
            return None;
        }
        let year = year.min(FINAL_TARGET_YEAR);
        let mut value = kgco2e;
        for segment in self.segments() {
            if year <= segment.from {
                return Some(value);
            }
            let years = Decimal::from(year.min(segment.to) - segment.from);
            let kept = (Decimal::ONE - segment.rate.checked_mul(years)?).max(Decimal::ZERO);
            value = value.checked_mul(kept)?;
            if year <= segment.to {
                return Some(value);
            }
        }
        Some(value)
    }
}

/// Bilan Carbone+'s search for the rates' multiplier (`getObjectivesWithOvershootCompensation`
/// in `trajectory-shared.utils.ts`): Newton–Raphson from 1, at most 10 steps, a step of 0.0001
/// for the derivative, stopped within 0.1 % of the budget.
const NEWTON_STEPS: usize = 10;
const NEWTON_DELTA: f64 = 0.0001;
const NEWTON_TOLERANCE: f64 = 0.001;

impl Path {
    /// The same path with every segment's rate times `k` (at least 0).
    pub fn scaled(&self, k: Decimal) -> Option<Path> {
        let mut segments = self.segments;
        for segment in segments.iter_mut().flatten() {
            segment.rate = segment.rate.checked_mul(k)?.max(Decimal::ZERO);
        }
        Some(Path { segments, ..*self })
    }

    /// What the path from `kgco2e` in `year` with its rates times `k` emits from `year` to
    /// 2050, in f64, as Bilan Carbone+ computes it (`calculateBudgetWithObjectivesAndMultiplier`:
    /// yearly values, trapezoids between them).
    fn budget_f64(&self, year: i32, kgco2e: f64, k: f64) -> f64 {
        let mut points = vec![kgco2e];
        let mut current = kgco2e;
        let mut previous_end = year;
        for segment in self.segments() {
            if segment.to <= year {
                continue;
            }
            let start = previous_end + 1;
            let years = segment.to - start + 1;
            let reduction = current * segment.rate_f64() * k;
            for j in 0..years {
                points.push((current - f64::from(j + 1) * reduction).max(0.0));
            }
            current = (current - f64::from(years) * reduction).max(0.0);
            previous_end = segment.to;
        }
        points.windows(2).map(|w| w.iter().sum::<f64>() / 2.0).sum()
    }

    /// The multiplier of the rates that makes the path from `kgco2e` in `year` emit `budget`
    /// from `year` to 2050, found as Bilan Carbone+ finds it (Newton–Raphson from 1, f64).
    pub fn multiplier(&self, year: i32, kgco2e: f64, budget: f64) -> f64 {
        let mut k = 1.0;
        for _ in 0..NEWTON_STEPS {
            let at_k = self.budget_f64(year, kgco2e, k);
            let error = at_k - budget;
            if (error / budget).abs() < NEWTON_TOLERANCE {
                break;
            }
            let derivative =
                (self.budget_f64(year, kgco2e, k + NEWTON_DELTA) - at_k) / NEWTON_DELTA;
            if derivative.abs() > 1e-10 {
                k -= error / derivative;
            }
        }
        k
    }
}

/// The earlier inventory an SNBC target is measured against when there is one (Bilan
/// Carbone+'s reference study: the latest earlier inventory), with its own path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference {
    /// Its year.
    pub year: i32,
    /// Its emissions, kgCO2e.
    pub kgco2e: Decimal,
    /// Its SNBC path.
    pub path: Path,
    /// The multiplier applied to the rates of the path from the later inventory to make up
    /// for the overshoot; `None` when they were not raised.
    pub multiplier: Option<f64>,
}
