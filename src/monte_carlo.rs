//! Monte Carlo uncertainty (uncertainty.md §5, IPCC 2006 Vol. 1 ch. 3 "Approach 2"), beyond the
//! Bilan Carbone® method: every emission line is drawn log-normal around its value, the draws are
//! summed to posts, scopes and total, and each aggregate is summarised by its mean, median and
//! 2.5th / 97.5th percentiles. Pure: a report in (or its lines' results one by one, as they are
//! made: [`Lines`]), statistics out; no I/O.
//!
//! A quantity of central value x and uncertainty k is drawn as `x · exp(σ · Z)`, σ = ln(k) / 1.96,
//! Z standard normal: its median is x and its 95 % interval `[x/k, x·k]`, as in §1–3.
//! - [`Correlation::Independent`]: one Z per line, with the line's k (activity and factor
//!   combined, §3): comparable with the analytic sum of §4.
//! - [`Correlation::SharedFactors`]: per draw one Z per factor id, shared by every line using that
//!   factor (scaled by each line's own factor σ), and one Z per line for its activity data:
//!   `x · exp(σ_activity · Z_line + σ_factor · Z_factor)`.
//!
//! A line split across posts (energy split) scales all its parts by the same draw. Avoided
//! emissions and removals are left out, as they are from the total.
//!
//! Reproducible by construction: the random numbers of draw `i` come from ChaCha8 seeded with
//! `seed` (via `seed_from_u64`) on stream `i`, so a draw does not depend on which thread computes
//! it or in what order; each draw sums its lines in file order, and statistics are taken over
//! the draws in index order. Only the aggregates of each draw are kept (at most 26 numbers), never
//! draws × lines.

use crate::blocks::Blocks;
use crate::post::{Post, Scope};
use crate::report::{Destination, LineResult, Report, to_f64};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt;

/// Default number of draws.
pub const DEFAULT_DRAWS: usize = 10_000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// The most draws accepted: their aggregates are kept in memory (8 bytes × up to 26 per draw).
pub const MAX_DRAWS: usize = 1_000_000;
/// The random number generator, by name (reported with the results).
pub const RNG: &str = "ChaCha8";

/// The 97.5th percentile of the standard normal: σ = ln(k) / 1.96.
const Z_975: f64 = 1.96;
/// Draws per unit of parallel work (and per progress tick).
const CHUNK: usize = 64;

/// How the draws of different lines relate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Correlation {
    /// One draw per line (activity and factor together): comparable with the analytic method.
    #[default]
    Independent,
    /// One draw per factor id per iteration, shared by the lines using it; activity data apart.
    SharedFactors,
}

impl Correlation {
    /// The stable name used in JSON and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Correlation::Independent => "independent",
            Correlation::SharedFactors => "shared-factors",
        }
    }
}

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Number of draws, 1 to [`MAX_DRAWS`].
    pub draws: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Correlation model.
    pub correlation: Correlation,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            correlation: Correlation::Independent,
        }
    }
}

impl Settings {
    /// Simulation passes: shared factors also run the independent model, for comparison.
    pub fn passes(&self) -> u64 {
        match self.correlation {
            Correlation::Independent => 1,
            Correlation::SharedFactors => 2,
        }
    }
}

/// A number of draws out of range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawsError {
    /// Zero draws.
    Zero,
    /// More than [`MAX_DRAWS`].
    TooMany(usize),
    /// Shared factors asked of lines kept for independent draws only (a defect of the caller).
    NotKept,
}

impl fmt::Display for DrawsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrawsError::Zero => f.write_str("the number of Monte Carlo draws must be at least 1"),
            DrawsError::NotKept => f.write_str(
                "internal error: the lines were kept for independent Monte Carlo draws, not for shared factors",
            ),
            DrawsError::TooMany(n) => write!(
                f,
                "{n} Monte Carlo draws is above the maximum of {MAX_DRAWS} (10,000 already give percentiles to about 1 %)"
            ),
        }
    }
}

impl std::error::Error for DrawsError {}

/// Checks a number of draws: 1 to [`MAX_DRAWS`].
pub fn check_draws(draws: usize) -> Result<usize, DrawsError> {
    match draws {
        0 => Err(DrawsError::Zero),
        n if n > MAX_DRAWS => Err(DrawsError::TooMany(n)),
        n => Ok(n),
    }
}

/// Statistics of one aggregate over the draws, kgCO2e.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// 2.5th percentile.
    pub p2_5: f64,
    /// 97.5th percentile.
    pub p97_5: f64,
}

impl Stats {
    /// Width of the 95 % interval, `p97_5 − p2_5`.
    pub fn width(&self) -> f64 {
        self.p97_5 - self.p2_5
    }
}

/// The result of a simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    /// What was simulated.
    pub settings: Settings,
    /// The total.
    pub total: Stats,
    /// The three scopes.
    pub scopes: Vec<(Scope, Stats)>,
    /// The posts that have emission lines, in code order.
    pub posts: Vec<(Post, Stats)>,
    /// Under shared factors: the total simulated with independent lines (same seed), to show
    /// how much the correlation widens the interval.
    pub independent_total: Option<Stats>,
}

impl MonteCarlo {
    /// Under shared factors: the total's 95 % width over its width under independence.
    pub fn width_ratio(&self) -> Option<f64> {
        let independent = self.independent_total?;
        let width = independent.width();
        (width > 0.0).then(|| self.total.width() / width)
    }

    /// The statistics of one post, when it has emission lines.
    pub fn post(&self, post: Post) -> Option<&Stats> {
        self.posts.iter().find(|(p, _)| *p == post).map(|(_, s)| s)
    }

    /// The statistics of one scope.
    pub fn scope(&self, scope: Scope) -> Option<&Stats> {
        self.scopes
            .iter()
            .find(|(s, _)| *s == scope)
            .map(|(_, s)| s)
    }
}

/// Line draws a simulation makes (lines × draws × passes): how long it will take.
pub fn work(report: &Report, settings: &Settings) -> u64 {
    Lines::of(report, settings.correlation).work(settings)
}

/// Simulates the report's emissions.
pub fn simulate(report: &Report, settings: &Settings) -> Result<MonteCarlo, DrawsError> {
    simulate_with_progress(report, settings, &|_| {})
}

/// Simulates the report's emissions, calling `progress(n)` each time n more draws are done
/// (from any thread; `settings.draws × settings.passes()` in all).
pub fn simulate_with_progress(
    report: &Report,
    settings: &Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<MonteCarlo, DrawsError> {
    Lines::of(report, settings.correlation).simulate(settings, progress)
}

/// The emission lines as the draws need them (16 bytes each, 32 for shared factors, and 9 a
/// part), taken one by one in file order: a report's, or each line's result as it is made when
/// the report keeps none.
#[derive(Debug, Default)]
pub struct Lines {
    /// The draws these lines are kept for.
    correlation: Correlation,
    lines: Blocks<ModelLine>,
    /// For shared factors: each line's σ of its activity and of its factor.
    shared: Blocks<[f64; 2]>,
    /// The lines' parts in line order: kgCO2e, and the index of the post, until
    /// [`Lines::simulate`] makes it a column.
    kgs: Blocks<f64>,
    columns: Blocks<u8>,
    /// Distinct factor ids, numbered in order of first use.
    factor_ids: HashMap<String, usize>,
    /// The posts with emission parts.
    used: [bool; 22],
}

impl Lines {
    /// No line yet, to be kept for draws under `correlation`.
    pub fn new(correlation: Correlation) -> Lines {
        Lines {
            correlation,
            ..Lines::default()
        }
    }

    /// A report's lines, kept for draws under `correlation`.
    pub fn of(report: &Report, correlation: Correlation) -> Lines {
        let mut lines = Lines::new(correlation);
        report.lines.iter().for_each(|line| lines.add(line));
        lines
    }

    /// Takes the next line's result (avoided emissions, removals and lines of zero are left
    /// out).
    pub fn add(&mut self, line: &LineResult) {
        if line.destination != Destination::Emissions || line.figure.kgco2e.is_zero() {
            return;
        }
        for (post, _) in &line.parts {
            if let Some(u) = self.used.get_mut(post.index()) {
                *u = true;
            }
        }
        let id = line.factor.id.as_str();
        let factor = match self.factor_ids.get(id) {
            Some(factor) => *factor,
            None => {
                let next = self.factor_ids.len();
                self.factor_ids.insert(id.to_owned(), next);
                next
            }
        };
        let mut parts = 0;
        for (post, kg) in line.parts.iter().filter(|(_, kg)| !kg.is_zero()) {
            self.kgs.push(to_f64(*kg));
            self.columns
                .push(u8::try_from(post.index()).unwrap_or(u8::MAX));
            parts += 1;
        }
        self.lines.push(ModelLine {
            sigma: sigma(line.figure.k),
            factor: u32::try_from(factor).unwrap_or(u32::MAX),
            parts,
        });
        if self.correlation == Correlation::SharedFactors {
            self.shared
                .push([sigma(line.k_activity), sigma(line.k_factor)]);
        }
    }

    /// Line draws a simulation of these lines makes (lines × draws × passes).
    pub fn work(&self, settings: &Settings) -> u64 {
        (self.lines.len() as u64)
            .saturating_mul(settings.draws as u64)
            .saturating_mul(settings.passes())
    }

    /// Simulates these lines' emissions, calling `progress(n)` each time n more draws are done.
    pub fn simulate(
        self,
        settings: &Settings,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<MonteCarlo, DrawsError> {
        check_draws(settings.draws)?;
        if settings.correlation == Correlation::SharedFactors
            && (self.correlation != Correlation::SharedFactors
                || self.shared.len() != self.lines.len())
        {
            return Err(DrawsError::NotKept);
        }
        let model = self.model();
        let stats = model.run(settings, settings.correlation, progress);
        let independent_total = match settings.correlation {
            Correlation::Independent => None,
            Correlation::SharedFactors => model
                .run(settings, Correlation::Independent, progress)
                .last()
                .copied(),
        };
        let posts = model
            .posts
            .iter()
            .zip(stats.iter())
            .map(|(post, s)| (*post, *s))
            .collect();
        let first_scope = model.posts.len();
        let scopes = Scope::ALL
            .iter()
            .enumerate()
            .map(|(i, scope)| {
                let s = stats.get(first_scope + i).copied().unwrap_or_default();
                (*scope, s)
            })
            .collect();
        Ok(MonteCarlo {
            settings: *settings,
            total: stats.last().copied().unwrap_or_default(),
            scopes,
            posts,
            independent_total,
        })
    }

    /// The model: the posts used, in code order, are the first columns of a draw's row.
    fn model(self) -> Model {
        let Lines {
            correlation: _,
            lines,
            shared,
            kgs,
            mut columns,
            factor_ids,
            used,
        } = self;
        let posts: Vec<Post> = Post::all()
            .filter(|p| used.get(p.index()).copied().unwrap_or(false))
            .collect();
        let mut column = [0u8; 22];
        for (c, post) in posts.iter().enumerate() {
            if let Some(slot) = column.get_mut(post.index()) {
                *slot = u8::try_from(c).unwrap_or(u8::MAX);
            }
        }
        for post in columns.iter_mut() {
            *post = column.get(usize::from(*post)).copied().unwrap_or(0);
        }
        let post_scope = posts.iter().map(|p| p.scope().index()).collect();
        Model {
            lines,
            shared,
            kgs,
            columns,
            factors: factor_ids.len(),
            posts,
            post_scope,
        }
    }
}

impl crate::compute::SeeResults for Lines {
    fn start(&mut self, _: &crate::inventory::Inventory) {
        *self = Lines::new(self.correlation);
    }

    fn see(&mut self, line: &LineResult) {
        self.add(line);
    }
}

/// σ of a log-normal quantity of uncertainty k.
fn sigma(k: f64) -> f64 {
    let s = k.ln() / Z_975;
    if s.is_finite() && s > 0.0 { s } else { 0.0 }
}

/// One emission line, ready to draw.
#[derive(Clone, Copy, Debug)]
struct ModelLine {
    /// σ of the line's emissions (activity and factor together).
    sigma: f64,
    /// Index of its factor id among the distinct ids.
    factor: u32,
    /// How many parts it has (the next ones of the model's parts).
    parts: u32,
}

/// The report reduced to what the draws need. A draw's row holds the posts with lines (in code
/// order), then the three scopes, then the total.
struct Model {
    lines: Blocks<ModelLine>,
    /// Shared factors: each line's σ of its activity and of its factor (none otherwise).
    shared: Blocks<[f64; 2]>,
    /// The lines' parts in line order: kgCO2e and the post's column.
    kgs: Blocks<f64>,
    columns: Blocks<u8>,
    /// Distinct factor ids.
    factors: usize,
    /// The posts with emission parts, in code order: the first columns of a row.
    posts: Vec<Post>,
    /// The scope (0, 1, 2) of each post column.
    post_scope: Vec<usize>,
}

impl Model {
    /// Numbers per draw: the posts, three scopes, the total.
    fn stride(&self) -> usize {
        self.posts.len() + 4
    }

    /// Draws everything and summarises each column of the rows.
    fn run(
        &self,
        settings: &Settings,
        correlation: Correlation,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Vec<Stats> {
        let stride = self.stride();
        let base = ChaCha8Rng::seed_from_u64(settings.seed);
        let mut rows = vec![0.0f64; settings.draws.saturating_mul(stride)];
        rows.par_chunks_mut(CHUNK * stride)
            .enumerate()
            .for_each_init(
                || (vec![0.0f64; self.factors], vec![0.0f64; self.posts.len()]),
                |(z_factors, posts), (chunk, out)| {
                    let mut done = 0;
                    for (j, row) in out.chunks_mut(stride).enumerate() {
                        let index = (chunk * CHUNK + j) as u64;
                        self.draw(&base, index, correlation, z_factors, posts, row);
                        done += 1;
                    }
                    progress(done);
                },
            );
        (0..stride)
            .into_par_iter()
            .map(|column| {
                let values: Vec<f64> = rows.iter().skip(column).step_by(stride).copied().collect();
                summarise(values)
            })
            .collect()
    }

    /// Draw number `index` into `row`.
    fn draw(
        &self,
        base: &ChaCha8Rng,
        index: u64,
        correlation: Correlation,
        z_factors: &mut [f64],
        posts: &mut [f64],
        row: &mut [f64],
    ) {
        let mut rng = base.clone();
        rng.set_stream(index);
        posts.fill(0.0);
        // Each line's parts are the next ones.
        let mut parts = self.kgs.iter().zip(self.columns.iter());
        let mut add = |line: &ModelLine, multiplier: f64| {
            for (kg, column) in parts.by_ref().take(line.parts as usize) {
                if let Some(sum) = posts.get_mut(usize::from(*column)) {
                    *sum += kg * multiplier;
                }
            }
        };
        match correlation {
            Correlation::Independent => {
                for line in self.lines.iter() {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    add(line, (line.sigma * z).exp());
                }
            }
            Correlation::SharedFactors => {
                for z in z_factors.iter_mut() {
                    *z = StandardNormal.sample(&mut rng);
                }
                for (line, [sigma_activity, sigma_factor]) in
                    self.lines.iter().zip(self.shared.iter())
                {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    let z_factor = z_factors.get(line.factor as usize).copied().unwrap_or(0.0);
                    add(line, (sigma_activity * z + sigma_factor * z_factor).exp());
                }
            }
        }
        let mut scopes = [0.0f64; 3];
        let mut total = 0.0;
        for (column, value) in posts.iter().enumerate() {
            let scope = self.post_scope.get(column).copied().unwrap_or(0);
            if let Some(s) = scopes.get_mut(scope) {
                *s += value;
            }
            total += value;
        }
        for (slot, value) in row
            .iter_mut()
            .zip(posts.iter().chain(scopes.iter()).chain([total].iter()))
        {
            *slot = *value;
        }
    }
}

/// Mean (summed in draw order), median and 95 % percentiles of one aggregate's draws.
fn summarise(mut values: Vec<f64>) -> Stats {
    if values.is_empty() {
        return Stats::default();
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.sort_unstable_by(f64::total_cmp);
    Stats {
        mean,
        median: quantile(&values, 0.5),
        p2_5: quantile(&values, 0.025),
        p97_5: quantile(&values, 0.975),
    }
}

/// The p-quantile of sorted values, interpolating linearly between order statistics
/// (position `(n − 1)·p`, the usual "type 7" definition of R and NumPy).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return 0.0;
    };
    let h = last as f64 * p.clamp(0.0, 1.0);
    let below = h.floor();
    let i = below as usize;
    let a = sorted.get(i).copied().unwrap_or(0.0);
    let b = sorted.get(i + 1).copied().unwrap_or(a);
    a + (h - below) * (b - a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factor_base::FactorBase;

    /// A report of inline-factor lines: (kgCO2e/kWh, factor %, activity %, kWh, factor id).
    fn report(lines: &[(&str, &str, &str, u32, &str)]) -> Report {
        let mut text =
            String::from("bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n");
        for (i, (value, factor_pct, activity_pct, quantity, id)) in lines.iter().enumerate() {
            text.push_str(&format!(
                "  - id: l{i}\n    label: L{i}\n    factor: {{ id: \"{id}\", name: F, kgco2e: {value}, unit: kgCO2e/kWh, source: test, uncertainty: {factor_pct} }}\n    quantity: {quantity}\n    unit: kWh\n    uncertainty: {activity_pct}\n    post: \"1.1\"\n"
            ));
        }
        let inventory = crate::load::inventory::parse("t.yaml", &text).unwrap();
        crate::compute::compute(&inventory, &FactorBase::default()).unwrap()
    }

    #[test]
    fn each_line_draws_its_own_parts_across_blocks() {
        // More lines and parts than a block holds; every third line with a second part in
        // another post. Without uncertainty every draw is the sums themselves, exact in f64
        // (integers and halves far below 2^53): a part read for the wrong line would show.
        let (first, second) = (Post::known(0), Post::known(9));
        let mut lines = Lines::new(Correlation::SharedFactors);
        lines.factor_ids.insert("f".to_string(), 0);
        for p in [first, second] {
            lines.used[p.index()] = true;
        }
        let n = crate::blocks::BLOCK + 10_007;
        let (mut in_first, mut in_second) = (0.0, 0.0);
        for i in 0..n {
            let two = i % 3 == 0;
            lines.kgs.push(i as f64);
            lines.columns.push(first.index() as u8);
            in_first += i as f64;
            if two {
                lines.kgs.push(0.5);
                lines.columns.push(second.index() as u8);
                in_second += 0.5;
            }
            lines.lines.push(ModelLine {
                sigma: 0.0,
                factor: 0,
                parts: 1 + u32::from(two),
            });
            lines.shared.push([0.0, 0.0]);
        }
        assert!(lines.lines.blocks() > 1 && lines.kgs.blocks() > 1);
        for correlation in [Correlation::Independent, Correlation::SharedFactors] {
            let settings = Settings {
                draws: 3,
                seed: 1,
                correlation,
            };
            let mc = lines_again(&lines).simulate(&settings, &|_| {}).unwrap();
            let post = |p: Post| mc.post(p).map(|s| (s.p2_5, s.median, s.p97_5));
            assert_eq!(post(first), Some((in_first, in_first, in_first)));
            assert_eq!(post(second), Some((in_second, in_second, in_second)));
            assert_eq!(mc.total.median, in_first + in_second);
        }
    }

    #[test]
    fn lines_kept_for_independent_draws_refuse_shared_factors() {
        // Kept without each line's two σ, shared factors would draw nothing for the lines: an
        // error rather than a total of zero.
        let r = report(&[("1", "10%", "5%", 100, "a"), ("1", "20%", "5%", 50, "b")]);
        let shared = Settings {
            draws: 10,
            correlation: Correlation::SharedFactors,
            ..Settings::default()
        };
        let kept = Lines::of(&r, Correlation::Independent);
        assert_eq!(kept.lines.len(), 2);
        assert!(kept.shared.len() == 0);
        assert_eq!(
            kept.simulate(&shared, &|_| {}).map(|mc| mc.total.median),
            Err(DrawsError::NotKept)
        );
        let mut short = Lines::of(&r, Correlation::SharedFactors);
        assert_eq!(short.shared.len(), 2);
        short.shared = Blocks::default();
        short.shared.push([0.1, 0.1]);
        assert_eq!(
            short.simulate(&shared, &|_| {}).map(|mc| mc.total.median),
            Err(DrawsError::NotKept)
        );
        // Independent draws need no more than they keep.
        let independent = Settings {
            correlation: Correlation::Independent,
            ..shared
        };
        let total = Lines::of(&r, Correlation::Independent)
            .simulate(&independent, &|_| {})
            .unwrap()
            .total;
        assert!(total.median > 100.0 && total.median < 200.0, "{total:?}");
    }

    /// A copy of `lines` (simulating takes them).
    fn lines_again(lines: &Lines) -> Lines {
        let mut copy = Lines::new(lines.correlation);
        copy.factor_ids = lines.factor_ids.clone();
        lines.shared.iter().for_each(|pair| copy.shared.push(*pair));
        copy.used = lines.used;
        lines.kgs.iter().for_each(|kg| copy.kgs.push(*kg));
        lines.columns.iter().for_each(|c| copy.columns.push(*c));
        for l in lines.lines.iter() {
            copy.lines.push(*l);
        }
        copy
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 5.0);
        assert_eq!(quantile(&v, 0.125), 1.5);
        assert_eq!(quantile(&[], 0.5), 0.0);
        assert_eq!(quantile(&[7.0], 0.975), 7.0);
    }

    #[test]
    fn draws_are_checked() {
        assert_eq!(check_draws(0), Err(DrawsError::Zero));
        assert_eq!(check_draws(MAX_DRAWS), Ok(MAX_DRAWS));
        assert_eq!(
            check_draws(MAX_DRAWS + 1),
            Err(DrawsError::TooMany(MAX_DRAWS + 1))
        );
        let r = report(&[("1", "10%", "5%", 100, "a")]);
        let settings = Settings {
            draws: 0,
            ..Settings::default()
        };
        assert_eq!(simulate(&r, &settings), Err(DrawsError::Zero));
    }

    #[test]
    fn a_certain_line_draws_itself() {
        let r = report(&[("2", "0%", "0%", 50, "a")]);
        let mc = simulate(&r, &Settings::default()).unwrap();
        let exact = Stats {
            mean: 100.0,
            median: 100.0,
            p2_5: 100.0,
            p97_5: 100.0,
        };
        assert_eq!(mc.total, exact);
        assert_eq!(mc.posts, vec![(crate::post::codes::STATIONARY, exact)]);
        assert_eq!(mc.scope(Scope::One), Some(&exact));
        assert_eq!(mc.scope(Scope::Three), Some(&Stats::default()));
    }

    #[test]
    fn the_same_seed_gives_the_same_draws_in_any_pool() {
        let r = report(&[
            ("1", "10%", "5%", 100, "a"),
            ("3", "50%", "20%", 40, "b"),
            ("0.5", "30%", "80%", 900, "a"),
        ]);
        for correlation in [Correlation::Independent, Correlation::SharedFactors] {
            let settings = Settings {
                draws: 1_000,
                seed: 7,
                correlation,
            };
            let results: Vec<MonteCarlo> = [1, 3]
                .iter()
                .map(|threads| {
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(*threads)
                        .build()
                        .unwrap()
                        .install(|| simulate(&r, &settings).unwrap())
                })
                .collect();
            assert_eq!(results[0], results[1]);
            let other = simulate(
                &r,
                &Settings {
                    seed: 8,
                    ..settings
                },
            )
            .unwrap();
            assert_ne!(results[0].total, other.total);
        }
    }

    #[test]
    fn a_longer_run_extends_a_shorter_one() {
        // Draw i depends only on (seed, i): the first draws of a longer run are the same draws.
        let r = report(&[("1", "10%", "5%", 100, "a")]);
        let draw = |draws| {
            let settings = Settings {
                draws,
                ..Settings::default()
            };
            simulate(&r, &settings).unwrap().total
        };
        assert_eq!(draw(1), draw(1));
        let one = draw(1);
        assert_eq!(one.mean, one.median);
        let model = Lines::of(&r, Correlation::Independent).model();
        let base = ChaCha8Rng::seed_from_u64(DEFAULT_SEED);
        let mut row = vec![0.0; model.stride()];
        let mut posts = vec![0.0; model.posts.len()];
        model.draw(
            &base,
            0,
            Correlation::Independent,
            &mut [0.0],
            &mut posts,
            &mut row,
        );
        assert_eq!(row.last().copied(), Some(one.mean));
    }

    #[test]
    fn shared_factors_move_together() {
        // Two lines of one factor known at ±40 %, activity exact: the total is one log-normal of
        // k = 1.4 under shared factors, and narrower under independence.
        let r = report(&[("1", "40%", "0%", 100, "f"), ("1", "40%", "0%", 300, "f")]);
        let settings = Settings {
            draws: 20_000,
            seed: 1,
            correlation: Correlation::SharedFactors,
        };
        let mc = simulate(&r, &settings).unwrap();
        let close = |a: f64, b: f64| ((a - b) / b).abs() < 0.02;
        assert!(close(mc.total.p2_5, 400.0 / 1.4), "{:?}", mc.total);
        assert!(close(mc.total.p97_5, 400.0 * 1.4), "{:?}", mc.total);
        assert!(close(mc.total.median, 400.0), "{:?}", mc.total);
        let ratio = mc.width_ratio().unwrap();
        assert!(ratio > 1.2, "{ratio}");
        let independent = simulate(
            &r,
            &Settings {
                correlation: Correlation::Independent,
                ..settings
            },
        )
        .unwrap();
        assert_eq!(mc.independent_total, Some(independent.total));
        assert_eq!(independent.width_ratio(), None);
    }

    #[test]
    fn work_counts_line_draws() {
        let r = report(&[("1", "10%", "5%", 100, "a"), ("1", "10%", "5%", 100, "b")]);
        let settings = Settings {
            correlation: Correlation::SharedFactors,
            ..Settings::default()
        };
        assert_eq!(work(&r, &settings), 2 * 10_000 * 2);
    }
}
