//! The calculation engine: inventory + factor base → [`Report`]. Pure: no I/O, no printing.

use crate::assignment::{self, AssignmentError, Modifier};
use crate::energy_split::{self, Overflow};
use crate::error::{InputError, InputErrors, Position};
use crate::factor::{Factor, FactorStatus};
use crate::factor_base::FactorBase;
use crate::gas;
use crate::inventory::{Certainty, Declared, FactorRef, Inventory, Line};
use crate::post::{Post, Scope};
use crate::post_map::PostMap;
use crate::report::{
    Apart, Destination, Figure, GasBreakdown, LineResult, LinesKept, Market, PostResult,
    PostStatus, Ratio, Report, ScopeResult, Warning, to_f64,
};
use crate::uncertainty::{self, FLAG_ALPHA, Quality, SumUncertainty};
use crate::unit::{self, ConversionError, HeatingValue, Unit};
use crate::warning::Code;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Computes the report of `inventory` with the factors of `base`. Every error found is
/// returned, each pointing at its place in the inventory.
pub fn compute(inventory: &Inventory, base: &FactorBase) -> Result<Report, InputErrors> {
    // Lines are independent: compute them in parallel, each thread with its own unit cache,
    // then gather results, warnings and errors in file order, so output never depends on the
    // number of threads.
    // Results and diagnostics apart: a million results are gathered once, not copied again.
    let (results, diagnostics): (Vec<Option<LineResult>>, Vec<Diagnostics>) = inventory
        .lines
        .par_iter()
        .map_init(
            || Engine::new(inventory, base),
            |engine, line| {
                let result = engine.line(line);
                (result, engine.take_diagnostics())
            },
        )
        .unzip();
    let mut engine = Engine::new(inventory, base);
    engine.gather(diagnostics.into_iter().flatten());
    // `filter_map` (not `flatten`) collects in place: no second million-result buffer.
    #[allow(clippy::filter_map_identity)]
    let lines: Vec<LineResult> = results
        .into_iter()
        .filter_map(std::convert::identity)
        .collect();
    let report = engine.aggregate(lines);
    engine.finish(report)
}

/// [`compute`] for outputs that show no line (the posts, scopes and totals only): each line's
/// result is summed and dropped as soon as it is made, so a million lines never hold their
/// results at once. The report's `lines` keeps only the lines listed apart (avoided
/// emissions, removals), which its blocks index. Figures, warnings and errors are
/// [`compute`]'s: the same sums in the same chunks, in the same order.
pub fn compute_totals(inventory: &Inventory, base: &FactorBase) -> Result<Report, InputErrors> {
    let mut sums = LineSums::new(inventory, base);
    let chunks: Vec<&[Line]> = inventory.lines.chunks(CHUNK).collect();
    sums.sum(&chunks, None);
    sums.finish()
}

/// A fold over the lines' results in file order, fed as they are made
/// ([`LineSums::add_seeing`]).
pub trait SeeResults {
    /// Starts from no line, for the lines of `inventory` (its keys: the period…); called
    /// again when the lines are given again from the first.
    fn start(&mut self, inventory: &Inventory);
    /// Takes the next line's result.
    fn see(&mut self, line: &LineResult);
    /// Takes the next line's result with the line as read (its position…); [`SeeResults::see`]
    /// unless a fold needs more.
    fn see_line(&mut self, _line: &Line, result: &LineResult) {
        self.see(result);
    }
    /// Takes the results of the next lines at once, each with its index in `lines` (the lines
    /// as read); [`SeeResults::see_line`] of each in order unless a fold works on many at
    /// once.
    fn see_chunk(&mut self, lines: &[Line], results: &[(usize, LineResult)]) {
        for (i, result) in results {
            if let Some(line) = lines.get(*i) {
                self.see_line(line, result);
            }
        }
    }
}

/// What sees each line's result.
pub type EachResult<'a> = dyn SeeResults + 'a;

/// Several folds fed the same lines, each in turn.
pub struct Folds<'a>(pub Vec<&'a mut EachResult<'a>>);

impl SeeResults for Folds<'_> {
    fn start(&mut self, inventory: &Inventory) {
        self.0.iter_mut().for_each(|fold| fold.start(inventory));
    }

    fn see(&mut self, line: &LineResult) {
        self.0.iter_mut().for_each(|fold| fold.see(line));
    }

    fn see_line(&mut self, line: &Line, result: &LineResult) {
        self.0
            .iter_mut()
            .for_each(|fold| fold.see_line(line, result));
    }

    fn see_chunk(&mut self, lines: &[Line], results: &[(usize, LineResult)]) {
        self.0
            .iter_mut()
            .for_each(|fold| fold.see_chunk(lines, results));
    }
}

/// [`compute_totals`] of lines given a batch at a time, in order (the inventory's own `lines`
/// are not read): lines read from a file piece by piece are computed and dropped, and a
/// million of them are never held at once. The sums are [`compute_totals`]'s, chunk for chunk,
/// whatever the sizes of the batches.
pub struct LineSums<'a> {
    engine: Engine<'a>,
    inventory: &'a Inventory,
    base: &'a FactorBase,
    /// The sums so far (`None` after an overflow).
    totals: Option<Totals>,
    /// The lines listed apart so far.
    apart: Vec<LineResult>,
    /// Lines summed so far (a multiple of the chunk's size until the last).
    summed: usize,
    /// Lines of the last batches short of a whole chunk, summed with the next batch.
    pending: Vec<Line>,
}

impl<'a> LineSums<'a> {
    /// No line summed yet.
    pub fn new(inventory: &'a Inventory, base: &'a FactorBase) -> Self {
        LineSums {
            engine: Engine::new(inventory, base),
            inventory,
            base,
            totals: Some(Totals::default()),
            apart: Vec::new(),
            summed: 0,
            pending: Vec::new(),
        }
    }

    /// Sums the next lines: the whole chunks among them (with the lines of earlier batches
    /// short of one); the rest waits for the next batch or the end.
    pub fn add(&mut self, lines: &[Line]) {
        self.add_seeing(lines, None);
    }

    /// [`LineSums::add`], giving `each` the result of every line summed, in file order (a
    /// line in error has none).
    pub fn add_seeing(&mut self, mut lines: &[Line], each: Option<&mut EachResult<'_>>) {
        let mut completed = None;
        if !self.pending.is_empty() {
            let wanted = (CHUNK - self.pending.len()).min(lines.len());
            let (completing, rest) = lines.split_at(wanted);
            self.pending.extend_from_slice(completing);
            lines = rest;
            if self.pending.len() < CHUNK {
                return;
            }
            completed = Some(std::mem::take(&mut self.pending));
        }
        let (whole, rest) = lines.split_at(lines.len() / CHUNK * CHUNK);
        // The chunk completed and the batch's whole chunks, on every core at once.
        let chunks: Vec<&[Line]> = completed
            .as_deref()
            .into_iter()
            .chain(whole.chunks(CHUNK))
            .collect();
        self.sum(&chunks, each);
        self.pending.extend_from_slice(rest);
    }

    /// Sums `chunks` (whole chunks of consecutive lines, but the last of all), giving `each`
    /// their results.
    fn sum(&mut self, chunks: &[&[Line]], mut each: Option<&mut EachResult<'_>>) {
        /// One chunk of lines: its sums (`None` on overflow), its lines listed apart, the
        /// diagnostics of its lines in order, and their results (with their index in the
        /// chunk) when they are seen.
        type Chunk = (
            Option<Totals>,
            Vec<LineResult>,
            Vec<Diagnostics>,
            Vec<(usize, LineResult)>,
        );
        let (inventory, base, first) = (self.inventory, self.base, self.summed);
        let seen = each.is_some();
        let sums: Vec<Chunk> = chunks
            .par_iter()
            .enumerate()
            .map_init(
                || Engine::new(inventory, base),
                |engine, (c, lines)| {
                    let mut totals = Some(Totals::default());
                    let mut apart = Vec::new();
                    let mut diagnostics = Vec::new();
                    let mut results = Vec::new();
                    for (i, line) in lines.iter().enumerate() {
                        let result = engine.line(line);
                        diagnostics.push(engine.take_diagnostics());
                        // A line in error makes the whole computation fail: its sums are not
                        // used.
                        let Some(result) = result else { continue };
                        let index = first + c * CHUNK + i;
                        // In place: the sums weigh kilobytes, too many to move for each line.
                        if totals
                            .as_mut()
                            .and_then(|t| t.add(index, &result))
                            .is_none()
                        {
                            totals = None;
                        }
                        let listed_apart = result.destination != Destination::Emissions;
                        if seen {
                            if listed_apart {
                                apart.push(result.clone());
                            }
                            results.push((i, result));
                        } else if listed_apart {
                            apart.push(result);
                        }
                    }
                    (totals, apart, diagnostics, results)
                },
            )
            .collect();
        for ((sums, apart, diagnostics, results), lines) in sums.into_iter().zip(chunks) {
            if let Some(each) = each.as_deref_mut() {
                each.see_chunk(lines, &results);
            }
            self.engine.gather(diagnostics.into_iter().flatten());
            self.totals = self
                .totals
                .take()
                .zip(sums)
                .and_then(|(mut t, s)| t.merge(s).map(|()| t));
            self.apart.extend(apart);
            self.summed += lines.len();
        }
    }

    /// The report of every line added, or every error found.
    pub fn finish(self) -> Result<Report, InputErrors> {
        self.finish_seeing(None)
    }

    /// [`LineSums::finish`], giving `each` the results of the last lines.
    pub fn finish_seeing(
        mut self,
        each: Option<&mut EachResult<'_>>,
    ) -> Result<Report, InputErrors> {
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.sum(&[&pending], each);
        }
        let LineSums {
            mut engine,
            totals,
            apart,
            ..
        } = self;
        let report = totals.and_then(|mut totals| {
            totals.index_apart();
            let mut report = engine.report(totals, apart)?;
            report.lines_kept = LinesKept::Apart;
            Some(report)
        });
        engine.finish(report)
    }
}

/// The results of `lines` (lines of `inventory` that [`compute_totals`] computed without
/// error), made again in parallel, in order: to write each line's result of a report that
/// kept none, a chunk at a time. `None` if a line fails after all.
pub fn line_results(
    inventory: &Inventory,
    base: &FactorBase,
    lines: &[Line],
) -> Option<Vec<LineResult>> {
    lines
        .par_iter()
        .map_init(
            || Engine::new(inventory, base),
            |engine, line| {
                let result = engine.line(line);
                engine.warnings.clear();
                engine.errors.clear();
                result
            },
        )
        .collect()
}

/// A line's warnings and errors, boxed: most lines have none, and a million empty pairs of
/// vectors would weigh 48 MB.
type Diagnostics = Option<Box<(Vec<Warning>, Vec<InputError>)>>;

/// Published figures the computation moved away from (beyond their tolerance).
fn published_gaps(inventory: &Inventory, report: &Report) -> Vec<InputError> {
    inventory
        .published
        .iter()
        .filter_map(|p| {
            let computed = match p.post {
                Some(post) => report.posts.get(post.index())?.figure.kgco2e,
                None => report.total.kgco2e,
            };
            let gap = (computed - p.kgco2e).abs();
            let allowed = p.kgco2e.abs() * p.tolerance;
            if gap <= allowed {
                return None;
            }
            let what = p.post.map_or_else(|| "the total".to_string(), |post| format!("post {post}"));
            let change = if p.kgco2e.is_zero() {
                String::new()
            } else {
                format!(" ({:+} %)", ((computed - p.kgco2e) / p.kgco2e * Decimal::ONE_HUNDRED).round_dp(2))
            };
            Some(
                InputError::new(
                    p.at.clone(),
                    format!(
                        "{what} is now {} kgCO2e, published {} kgCO2e{change}: beyond the tolerance of {} %",
                        computed.normalize(),
                        p.kgco2e.normalize(),
                        (p.tolerance * Decimal::ONE_HUNDRED).normalize()
                    ),
                )
                .help("if the change is intended, update `published:`; `bilan diff` shows what moved"),
            )
        })
        .collect()
}

/// The start of an unknown factor id's message.
const UNKNOWN_FACTOR: &str = "unknown factor id `";

/// Adds "closest: …" to the unknown factor ids that will be printed (the first
/// [`PER_FILE`](crate::error::PER_FILE)): the search is costly, and 20,000 unknown ids of a
/// broken file must not take minutes.
fn closest_hints(errors: &mut [InputError], base: &FactorBase) {
    let mut hinted = 0;
    for error in errors.iter_mut() {
        let Some(id) = error
            .message
            .strip_prefix(UNKNOWN_FACTOR)
            .and_then(|rest| rest.strip_suffix('`'))
        else {
            continue;
        };
        if error.help.is_some() {
            continue;
        }
        let help = if hinted >= crate::error::PER_FILE {
            "find factors with `bilan factors search TEXT`".to_string()
        } else {
            hinted += 1;
            let closest: Vec<String> = base
                .closest(id, 3)
                .iter()
                .map(|f| format!("{} ({})", f.id, f.name))
                .collect();
            if closest.is_empty() {
                "no factor base is loaded".to_string()
            } else {
                format!(
                    "closest: {}; find factors with `bilan factors search TEXT`",
                    closest.join(", ")
                )
            }
        };
        error.help = Some(help);
    }
}

fn overflow(at: &Position) -> InputError {
    InputError::new(
        at.clone(),
        "a figure exceeds the range of exact decimals (±7.9e28)",
    )
    .help("check the quantity and the factor's unit: a value this large is almost certainly a typo")
}

struct Engine<'a> {
    inventory: &'a Inventory,
    /// The shipped price index with the inventory's `price_index:` on top.
    prices: crate::price_index::PriceIndex,
    base: &'a FactorBase,
    /// Parsed units by spelling: an inventory repeats a handful of units many times.
    units: foldhash::HashMap<String, Unit>,
    errors: Vec<InputError>,
    warnings: Vec<Warning>,
}

impl<'a> Engine<'a> {
    fn new(inventory: &'a Inventory, base: &'a FactorBase) -> Self {
        let mut prices = crate::price_index::PriceIndex::shipped();
        for (year, change) in &inventory.price_index {
            prices.set(*year, *change);
        }
        Engine {
            inventory,
            prices,
            base,
            units: foldhash::HashMap::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The inventory file, for warnings about it as a whole.
    fn file_position(&self) -> Position {
        Position::file(&Arc::from(self.inventory.file.as_str()))
    }

    fn warn(&mut self, code: Code, at: &Position, en: String, fr: String) {
        self.warnings
            .push(Warning::new(code, Some(at.clone()), en, fr));
    }

    fn unit(&mut self, text: &str) -> Unit {
        if let Some(unit) = self.units.get(text) {
            return unit.clone();
        }
        let unit = unit::parse(text);
        self.units.insert(text.to_string(), unit.clone());
        unit
    }

    fn factor(&mut self, line: &'a Line) -> Option<Arc<Factor>> {
        self.resolve(&line.factor, &line.at.factor())
    }

    /// The factor a reference names; an unknown id is an error at `at`.
    fn resolve(&mut self, reference: &FactorRef, at: &Position) -> Option<Arc<Factor>> {
        match reference {
            FactorRef::Inline(factor) => Some(Arc::new(factor.as_ref().clone())),
            FactorRef::Id(id) => {
                let found = self.base.get(id);
                if found.is_none() {
                    if let Some((file, row, reason)) = self.base.defective(id) {
                        // Never the value of an earlier base instead: the user supplied this one.
                        self.errors.push(
                            InputError::new(
                                at.clone(),
                                format!(
                                    "factor `{id}`: its row in {file}:{row} is defective ({reason})"
                                ),
                            )
                            .help("fix that row (bilan does not fall back to another base's value of the same id)"),
                        );
                        return None;
                    }
                    // The "closest" hint is added after, for the errors that get printed.
                    self.errors.push(InputError::new(
                        at.clone(),
                        format!("{UNKNOWN_FACTOR}{id}`"),
                    ));
                }
                found.cloned()
            }
        }
    }

    /// The market-based scope 2 figure of a line in 2.6 or 2.7 with a `market_factor:`: its
    /// quantity × what of the market factor stays in the post (the whole factor when it has
    /// no parts; supplier factors usually have none).
    fn market(
        &mut self,
        line: &'a Line,
        post: Post,
        k_activity: f64,
        scale: Decimal,
    ) -> Option<Market> {
        let reference = line.market_factor()?;
        let at = &line.at.market();
        if !energy_split::is_grid(post) {
            self.errors.push(
                InputError::new(at.clone(), format!("`market_factor:` on a line in post {post}"))
                    .help("a market factor applies to electricity (2.6) and heat or cooling (2.7) lines only"),
            );
            return None;
        }
        let factor = self.resolve(reference, at)?;
        let year = self.inventory.period.year();
        let from = self.unit(&line.unit);
        let to = self.unit(factor.per_unit());
        let converted = match unit::convert(line.quantity, &from, &to, line.pci_per_pcs(), year) {
            Ok(c) => c.value,
            Err(problem) => {
                self.errors.push(InputError {
                    position: at.clone(),
                    ..unit_error(line, &factor, &problem)
                });
                return None;
            }
        };
        // Amortised lines are not grid lines; `scale` is only a zero for a fully amortised one.
        let converted = if scale.is_zero() {
            Decimal::ZERO
        } else {
            converted
        };
        let whole = converted.checked_mul(factor.kgco2e);
        let kgco2e = match energy_split::split(post, &factor, converted, whole.unwrap_or_default())
        {
            Ok(Some(split)) => split
                .parts
                .iter()
                .filter(|(p, _)| *p == post)
                .map(|(_, v)| *v)
                .sum(),
            Ok(None) => whole?,
            Err(Overflow) => None?,
        };
        Some(Market {
            k: uncertainty::k_product(k_activity, base_factor_k(&factor)),
            kgco2e,
            factor,
        })
    }

    /// One line, step by step: its factor, its quantity in the factor's unit (and price year),
    /// its post, the emission (amortised), where it goes (total, avoided, removals), its parts
    /// by post, its gases, its uncertainty. `None` after an error (recorded).
    fn line(&mut self, line: &'a Line) -> Option<LineResult> {
        let factor = self.factor(line)?;
        let (converted, price) = self.quantity(line, &factor)?;
        self.warn_archived(line, &factor);
        let assignment = self.assignment(line, &factor)?;
        let Some(emission) = converted.checked_mul(factor.kgco2e) else {
            self.errors.push(overflow(&line.at.line()));
            return None;
        };
        let (emission, scale, amortization) = self.amortized(line, emission, converted);
        let co2_biogenic = factor
            .co2_biogenic()
            .and_then(|b| scale.checked_mul(b))
            .unwrap_or_default();
        let destination = self.destination(line, &factor, emission);
        let parts = if amortization.is_some() {
            vec![(assignment.post, emission)]
        } else {
            self.energy_parts(line, &factor, assignment.post, converted, emission)?
        };
        // Checked here, so that an overflow points at the line; summed in `Totals::add`.
        if gas::by_post(&factor, &parts, assignment.post, scale).is_none() {
            self.errors.push(overflow(&line.at.line()));
            return None;
        }
        self.warn_factor_gaps(line, &factor, assignment.post);
        let (k_activity, quality_undeclared) = self.activity_k(line);
        if quality_undeclared {
            self.warn_undeclared(line, k_activity);
        }
        let k_factor = factor_k(line, &factor);
        let k = uncertainty::k_product(k_activity, k_factor);
        let market = self.market(line, assignment.post, k_activity, scale);
        Some(LineResult {
            id: line.id.clone(),
            label: line.label.clone(),
            factor,
            quantity: line.quantity,
            unit: line.unit.clone(),
            converted_quantity: converted,
            price: price.map(Box::new),
            rule: assignment.rule,
            post: assignment.post,
            figure: Figure {
                kgco2e: emission,
                k,
            },
            k_activity,
            k_factor,
            parts,
            amortization,
            destination,
            co2_biogenic,
            gas_scale: scale,
            market: market.map(Box::new),
            quality_undeclared,
            ets: line.ets,
            site: line.site.clone(),
            tags: line.tags.clone(),
        })
    }

    /// The line's quantity in the factor's unit, moved to the factor's price year for a
    /// monetary ratio (a year missing from the index: a warning, the amount as is).
    fn quantity(
        &mut self,
        line: &Line,
        factor: &Factor,
    ) -> Option<(Decimal, Option<crate::price_index::PriceConversion>)> {
        let year = self.inventory.period.year();
        let from = self.unit(&line.unit);
        let to = self.unit(factor.per_unit());
        let mut converted = match unit::convert(line.quantity, &from, &to, line.pci_per_pcs(), year)
        {
            Ok(c) => c,
            Err(problem) => {
                self.errors.push(unit_error(line, factor, &problem));
                return None;
            }
        };
        let mut price = None;
        if let Some((from_year, to_year)) = converted.price_years {
            match self.prices.convert(from_year, to_year) {
                Ok(conversion) => {
                    let Some(value) = converted.value.checked_mul(conversion.multiplier) else {
                        self.errors.push(overflow(&line.at.unit()));
                        return None;
                    };
                    converted.value = value;
                    price = Some(conversion);
                }
                Err(missing) => self.warn(
                    Code::PriceYear,
                    &line.at.unit(),
                    format!(
                        "line `{}`: factor {} prices euros of {to_year}, the amount is in euros of {from_year}, and the price index has no change for {missing}: the amount is used as is; add it with `price_index: {{ \"{missing}\": 1.5% }}`",
                        line.id, factor.id
                    ),
                    format!(
                        "ligne `{}` : le facteur {} est en euros de {to_year}, le montant en euros de {from_year}, et l'indice des prix n'a pas l'évolution de {missing} : le montant est pris tel quel ; ajoutez-la avec `price_index: {{ \"{missing}\": 1.5% }}`",
                        line.id, factor.id
                    ),
                ),
            }
        }
        Some((converted.value, price))
    }

    /// Warns when the factor is archived in its base.
    fn warn_archived(&mut self, line: &Line, factor: &Factor) {
        if factor.status == FactorStatus::Archived {
            self.warn(
                Code::ArchivedFactor,
                &line.at.factor(),
                format!(
                    "line `{}`: factor {} is archived (\"{}\") in its base; prefer a valid factor",
                    line.id,
                    factor.id,
                    factor.status.label()
                ),
                format!(
                    "ligne `{}` : le facteur {} a le statut « {} » dans sa base ; préférez un facteur valide",
                    line.id,
                    factor.id,
                    factor.status.label()
                ),
            );
        }
    }

    /// The line's post and the rule that placed it; a capital good not amortised is a warning.
    fn assignment(&mut self, line: &Line, factor: &Factor) -> Option<assignment::Assignment> {
        let assignment = match assignment::assign(line, factor) {
            Ok(a) => a,
            Err(problem) => {
                self.errors.push(assignment_error(line, factor, &problem));
                return None;
            }
        };
        if assignment.capital_good_not_amortized {
            self.warn(
                Code::NotAmortized,
                &line.at.line(),
                format!(
                    "line `{}`: capital good not amortised: add amortization: {{acquired, years}}",
                    line.id
                ),
                format!(
                    "ligne `{}` : immobilisation non amortie : ajoutez amortization: {{acquired, years}}",
                    line.id
                ),
            );
        }
        Some(assignment)
    }

    /// The emission and the factor units counted in the period: all, a year's share of an
    /// amortised capital good, or none outside its years; with the amortisation (and whether it
    /// is over).
    fn amortized(
        &self,
        line: &Line,
        emission: Decimal,
        converted: Decimal,
    ) -> (
        Decimal,
        Decimal,
        Option<(crate::inventory::Amortization, bool)>,
    ) {
        let year = self.inventory.period.year();
        let mut emission = emission;
        let mut scale = converted;
        let mut amortization = None;
        if let Some(a) = line.amortization {
            let last = i64::from(a.acquired) + i64::from(a.years) - 1;
            let running = i64::from(a.acquired) <= i64::from(year) && i64::from(year) <= last;
            let years = Decimal::from(a.years);
            if running {
                emission /= years;
                scale /= years;
            } else {
                emission = Decimal::ZERO;
                scale = Decimal::ZERO;
            }
            amortization = Some((a, !running));
        }
        (emission, scale, amortization)
    }

    /// Where a line's emission goes: the total, or (negative) avoided emissions or removals,
    /// with a warning.
    fn destination(&mut self, line: &Line, factor: &Factor, emission: Decimal) -> Destination {
        if emission.is_sign_negative() && !emission.is_zero() {
            let removal = factor.category.trim_start().starts_with("UTCF");
            self.warn(
                Code::NegativeLine,
                &line.at.line(),
                format!(
                    "line `{}` is negative ({} kgCO2e): reported apart in {}, not in the total",
                    line.id,
                    emission.normalize(),
                    if removal {
                        "removals"
                    } else {
                        "avoided emissions"
                    }
                ),
                format!(
                    "la ligne `{}` est négative ({} kgCO2e) : comptée à part dans les {}, hors total",
                    line.id,
                    emission.normalize().to_string().replace('.', ","),
                    if removal {
                        "absorptions"
                    } else {
                        "émissions évitées"
                    }
                ),
            );
            if removal {
                Destination::Removals
            } else {
                Destination::Avoided
            }
        } else {
            Destination::Emissions
        }
    }

    /// The emission by post: split between combustion and upstream (3.8) for energy, else whole
    /// in the line's post; warnings when a factor's parts cannot be split or miss its total.
    fn energy_parts(
        &mut self,
        line: &Line,
        factor: &Factor,
        post: Post,
        converted: Decimal,
        emission: Decimal,
    ) -> Option<Vec<(Post, Decimal)>> {
        match energy_split::split(post, factor, converted, emission) {
            Ok(Some(split)) => {
                if split.unsplittable {
                    self.warn(
                        Code::Unsplittable,
                        &line.at.factor(),
                        format!(
                            "line `{}`: factor {} has a part that cannot be split (\"Carburant (amont/combustion)\"); the line stays whole in {}",
                            line.id, factor.id, post
                        ),
                        format!(
                            "ligne `{}` : le facteur {} a une part non séparable (« Carburant (amont/combustion) ») ; la ligne reste entière en {}",
                            line.id, factor.id, post
                        ),
                    );
                }
                if split.parts_off_total {
                    self.warn(
                        Code::PartsOffTotal,
                        &line.at.factor(),
                        format!(
                            "line `{}`: the parts of factor {} differ from its total by more than 0.5 %; {} gets the remainder",
                            line.id,
                            factor.id,
                            crate::post::codes::UPSTREAM_ENERGY
                        ),
                        format!(
                            "ligne `{}` : les parts du facteur {} s'écartent de son total de plus de 0,5 % ; {} reçoit le reste",
                            line.id,
                            factor.id,
                            crate::post::codes::UPSTREAM_ENERGY
                        ),
                    );
                }
                Some(split.parts)
            }
            Ok(None) => Some(vec![(post, emission)]),
            Err(Overflow) => {
                self.errors.push(overflow(&line.at.line()));
                None
            }
        }
    }

    /// Warnings on what the factor does not give: the biogenic CO2 of a biomass fuel, the
    /// combustion value of a heat network.
    fn warn_factor_gaps(&mut self, line: &Line, factor: &Factor, post: Post) {
        if factor.category.starts_with("Combustibles > Organiques")
            && factor.co2_biogenic().is_none()
        {
            self.warn(
                Code::BiogenicMissing,
                &line.at.factor(),
                format!(
                    "line `{}`: biomass fuel {} gives no biogenic CO2; it is missing from the biogenic total",
                    line.id, factor.id
                ),
                format!(
                    "ligne `{}` : le combustible biomasse {} ne donne pas de CO2 biogénique ; il manque au total biogénique",
                    line.id, factor.id
                ),
            );
        }
        if post == crate::post::codes::HEAT
            && factor.parts.is_empty()
            && factor
                .category
                .trim_start()
                .starts_with("Réseaux de chaleur")
        {
            self.warn(
                Code::HeatNetworkUnsplit,
                &line.at.factor(),
                format!(
                    "line `{}`: heat network factor {} states no usable combustion value (none, or one above its life-cycle total); the whole total stays in 2.7 (its upstream part belongs in 3.8)",
                    line.id, factor.id
                ),
                format!(
                    "ligne `{}` : le facteur de réseau de chaleur {} ne donne pas de valeur de combustion utilisable (aucune, ou supérieure à son total ACV) ; tout le total reste en 2.7 (son amont relèverait du 3.8)",
                    line.id, factor.id
                ),
            );
        }
    }

    /// Warns that a line declares neither uncertainty nor quality.
    fn warn_undeclared(&mut self, line: &Line, k_activity: f64) {
        self.warn(
            Code::UndeclaredQuality,
            &line.at.line(),
            format!(
                "line `{}` has no declared uncertainty or quality: counted at ±{:.0} %",
                line.id,
                (k_activity - 1.0) * 100.0
            ),
            format!(
                "la ligne `{}` ne déclare ni incertitude ni qualité : comptée à ±{:.0} %",
                line.id,
                (k_activity - 1.0) * 100.0
            ),
        );
    }

    /// k of the activity data, and whether it fell back to the worst case (nothing declared).
    fn activity_k(&self, line: &Line) -> (f64, bool) {
        let defaults = &self.inventory.defaults;
        match (line.certainty, defaults.uncertainty, defaults.quality) {
            (Some(certainty), _, _) => (certainty_k(certainty), false),
            (None, Some(percent), _) => (uncertainty::k_of_percent(to_f64(percent)), false),
            (None, None, Some(quality)) => (quality.k(), false),
            (None, None, None) => (Quality::default().k(), true),
        }
    }

    /// The warnings and errors of the lines computed since the last call.
    fn take_diagnostics(&mut self) -> Diagnostics {
        (!self.warnings.is_empty() || !self.errors.is_empty()).then(|| {
            Box::new((
                std::mem::take(&mut self.warnings),
                std::mem::take(&mut self.errors),
            ))
        })
    }

    /// Takes the lines' warnings and errors, in order.
    fn gather(&mut self, diagnostics: impl Iterator<Item = Box<(Vec<Warning>, Vec<InputError>)>>) {
        for (warnings, errors) in diagnostics.map(|d| *d) {
            self.warnings.extend(warnings);
            self.errors.extend(errors);
        }
    }

    /// The report, or every error found (the published figures it moved away from too).
    fn finish(mut self, report: Option<Report>) -> Result<Report, InputErrors> {
        let inventory = self.inventory;
        if let Some(report) = &report {
            self.errors.extend(published_gaps(inventory, report));
        }
        closest_hints(&mut self.errors, self.base);
        if self.errors.is_empty() {
            report.ok_or_else(|| {
                InputErrors::one(overflow(&Position::file(&inventory.file.as_str().into())))
            })
        } else {
            Err(InputErrors(self.errors))
        }
    }

    fn aggregate(&mut self, lines: Vec<LineResult>) -> Option<Report> {
        // Lines are summed in fixed chunks in parallel, then the chunks in order: the same
        // additions in the same order whatever the number of threads.
        let chunks: Vec<Option<Totals>> = lines
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut totals = Totals::default();
                for (i, line) in chunk.iter().enumerate() {
                    totals.add(c * CHUNK + i, line)?;
                }
                Some(totals)
            })
            .collect();
        let mut totals = Totals::default();
        for chunk in chunks {
            totals.merge(chunk?)?;
        }
        self.report(totals, lines)
    }

    /// The report of the sums of `lines` (every line, or those listed apart).
    fn report(&mut self, totals: Totals, lines: Vec<LineResult>) -> Option<Report> {
        let Totals {
            post_sums,
            post_k,
            post_lines,
            scope_k,
            total_k,
            apart,
            biogenic,
            post_gases,
            total_gases,
            market,
            market_k,
            market_lines,
        } = totals;
        // The scopes and the total are sums of the posts, so the posts partition them exactly
        // even when a sum needs more than a decimal's 28 digits (rounding in another order, line
        // by line, could differ in the last digit).
        let total = crate::number::checked_sum(post_sums.values().copied())?;
        let mut scope_sums = [Decimal::ZERO; 3];
        for (post, sum) in post_sums.iter() {
            let s = post.scope().index();
            *scope_sums.get_mut(s)? = scope_sums.get(s)?.checked_add(*sum)?;
        }
        let share = |value: Decimal| {
            if total.is_zero() {
                Decimal::ZERO
            } else {
                value.checked_div(total).unwrap_or_default()
            }
        };
        let mut posts = Vec::with_capacity(22);
        for post in Post::all() {
            let lines_in = *post_lines.get(post);
            let declared = self.inventory.posts.iter().find(|d| d.post == post);
            let status = match declared.map(|d| &d.status) {
                Some(Declared::NotApplicable(reason)) => {
                    if lines_in > 0 {
                        let at = declared.map(|d| d.at.clone()).unwrap_or_default();
                        self.errors.push(
                            InputError::new(
                                at,
                                format!("post {post} is declared not-applicable but {lines_in} line(s) go to it"),
                            )
                            .help("remove the declaration, or move those lines with `post:`"),
                        );
                    }
                    PostStatus::NotApplicable(reason.clone())
                }
                Some(Declared::InProgress) => PostStatus::InProgress,
                None if lines_in > 0 => PostStatus::Collected,
                None => PostStatus::NotCollected,
            };
            let figure = Figure {
                kgco2e: *post_sums.get(post),
                k: post_k.get(post).k(),
            };
            if lines_in > 0 && figure.alpha() > FLAG_ALPHA {
                self.warnings.push(Warning::new(
                    Code::PostUncertainty,
                    Some(self.file_position()),
                    format!(
                        "post {post} is uncertain at ±{:.0} % (above 20 %): document its factors and improve its main data",
                        figure.alpha() * 100.0
                    ),
                    format!(
                        "le poste {post} est incertain à ±{:.0} % (plus de 20 %) : documentez ses facteurs et améliorez ses données principales",
                        figure.alpha() * 100.0
                    ),
                ));
            }
            posts.push(PostResult {
                post,
                status,
                share: share(figure.kgco2e),
                figure,
                lines: lines_in,
                gases: *post_gases.get(post),
            });
        }
        let scopes = Scope::ALL
            .iter()
            .zip(scope_sums.iter().zip(scope_k.iter()))
            .map(|(scope, (sum, acc))| ScopeResult {
                scope: *scope,
                figure: Figure {
                    kgco2e: *sum,
                    k: acc.k(),
                },
                share: share(*sum),
            })
            .collect();
        let period = self.inventory.period;
        if !period.is_twelve_months() {
            self.warnings.push(Warning::new(
                Code::PeriodLength,
                Some(self.file_position()),
                format!(
                    "the period {} – {} is not 12 months: figures are not comparable with yearly inventories",
                    period.start, period.end
                ),
                format!(
                    "la période {} – {} ne fait pas 12 mois : les chiffres ne se comparent pas à ceux d'inventaires annuels",
                    period.start, period.end
                ),
            ));
        }
        let inventory = self.inventory;
        let mut ratios = Vec::with_capacity(inventory.indicators.len());
        for indicator in &inventory.indicators {
            // A tiny indicator (1e-28) can push the ratio out of range: an error, never 0.
            let Some(kgco2e_per_unit) = total.checked_div(indicator.value) else {
                self.errors.push(
                    InputError::new(
                        Position::file(&inventory.file.as_str().into()),
                        format!(
                            "the ratio per indicator `{}` exceeds the range of exact decimals (±7.9e28)",
                            indicator.key
                        ),
                    )
                    .help("check the indicator's value: it is far too small for this total"),
                );
                continue;
            };
            ratios.push(Ratio {
                indicator: indicator.clone(),
                kgco2e_per_unit,
            });
        }
        let [avoided, removals] = apart;
        let apart = |(sum, acc, lines): (Decimal, SumUncertainty, Vec<usize>)| Apart {
            figure: Figure {
                kgco2e: sum,
                k: acc.k(),
            },
            lines,
        };
        Some(Report {
            organisation: self.inventory.organisation.clone(),
            period,
            perimeter: self.inventory.perimeter.clone(),
            total: Figure {
                kgco2e: total,
                k: total_k.k(),
            },
            scopes,
            posts,
            lines,
            avoided: apart(avoided),
            removals: apart(removals),
            co2_biogenic: biogenic,
            gases: total_gases,
            scope2_market: Figure {
                kgco2e: market,
                k: market_k.k(),
            },
            market_lines,
            ratios,
            warnings: {
                // The inventory's `allow:` silences its codes.
                let allow = &self.inventory.allow;
                let mut warnings = std::mem::take(&mut self.warnings);
                warnings.retain(|w| !allow.contains(&w.code));
                warnings
            },
            allowed: self.inventory.allow.clone(),
            bases: self.base.sources().to_vec(),
            overrides: self.base.overrides().to_vec(),
            lines_kept: LinesKept::All,
            consolidation: None,
        })
    }
}

/// Lines per chunk of the parallel aggregation.
const CHUNK: usize = crate::inventory::LINE_CHUNK;

/// The sums over some lines: posts, scopes, total, apart blocks, gases, market-based scope 2.
#[derive(Default)]
struct Totals {
    post_sums: PostMap<Decimal>,
    post_k: PostMap<SumUncertainty>,
    post_lines: PostMap<usize>,
    scope_k: [SumUncertainty; 3],
    total_k: SumUncertainty,
    apart: [(Decimal, SumUncertainty, Vec<usize>); 2],
    biogenic: Decimal,
    post_gases: PostMap<GasBreakdown>,
    total_gases: GasBreakdown,
    market: Decimal,
    market_k: SumUncertainty,
    market_lines: usize,
}

impl Totals {
    /// Adds line `index`; `None` on decimal overflow.
    fn add(&mut self, index: usize, line: &LineResult) -> Option<()> {
        self.biogenic = self.biogenic.checked_add(line.co2_biogenic)?;
        let k = line.figure.k;
        let spread = uncertainty::Spread::of(k);
        let slot = match line.destination {
            Destination::Emissions => None,
            Destination::Avoided => Some(0),
            Destination::Removals => Some(1),
        };
        if let Some((sum, acc, indices)) = slot.and_then(|s| self.apart.get_mut(s)) {
            *sum = sum.checked_add(line.figure.kgco2e)?;
            acc.add_spread(to_f64(line.figure.kgco2e), spread);
            indices.push(index);
            return Some(());
        }
        let mut per_scope = [Decimal::ZERO; 3];
        for (post, amount) in &line.parts {
            let sum = self.post_sums.get_mut(*post);
            *sum = sum.checked_add(*amount)?;
            self.post_k
                .get_mut(*post)
                .add_spread(to_f64(*amount), spread);
            *self.post_lines.get_mut(*post) += 1;
            let s = post.scope().index();
            *per_scope.get_mut(s)? = per_scope.get(s)?.checked_add(*amount)?;
        }
        for (s, amount) in per_scope.iter().enumerate() {
            // A scope the line is not in adds nothing (its 0 would be skipped as a term).
            if !amount.is_zero() {
                self.scope_k.get_mut(s)?.add_spread(to_f64(*amount), spread);
            }
        }
        let scope2 = per_scope.get(1).copied().unwrap_or_default();
        match &line.market {
            Some(m) => {
                self.market = self.market.checked_add(m.kgco2e)?;
                self.market_k.add(to_f64(m.kgco2e), m.k);
                self.market_lines += 1;
            }
            None if !scope2.is_zero() => {
                self.market = self.market.checked_add(scope2)?;
                self.market_k.add_spread(to_f64(scope2), spread);
            }
            None => {}
        }
        let gases = gas::by_post(&line.factor, &line.parts, line.post, line.gas_scale)?;
        for (post, amounts) in &gases {
            self.post_gases.get_mut(*post).amounts.add(amounts, false)?;
            self.total_gases.amounts.add(amounts, false)?;
        }
        if !gases.is_empty() {
            for (post, amount) in &line.parts {
                let breakdown = self.post_gases.get_mut(*post);
                breakdown.covered_kgco2e = breakdown.covered_kgco2e.checked_add(*amount)?;
            }
            self.total_gases.covered_kgco2e = self
                .total_gases
                .covered_kgco2e
                .checked_add(line.figure.kgco2e)?;
        }
        self.total_k.add_spread(to_f64(line.figure.kgco2e), spread);
        Some(())
    }

    /// Makes the apart blocks index the lines listed apart only (in file order), as a
    /// report of [`compute_totals`] keeps only those.
    fn index_apart(&mut self) {
        let mut listed: Vec<usize> = self
            .apart
            .iter()
            .flat_map(|(_, _, indices)| indices.iter().copied())
            .collect();
        listed.sort_unstable();
        for (_, _, indices) in &mut self.apart {
            for index in indices.iter_mut() {
                *index = listed.binary_search(index).unwrap_or(*index);
            }
        }
    }

    /// Adds the sums of later lines; `None` on decimal overflow.
    fn merge(&mut self, other: Totals) -> Option<()> {
        for post in Post::all() {
            let sum = self.post_sums.get_mut(post);
            *sum = sum.checked_add(*other.post_sums.get(post))?;
            self.post_k.get_mut(post).merge(other.post_k.get(post));
            *self.post_lines.get_mut(post) += other.post_lines.get(post);
            let theirs = other.post_gases.get(post);
            let ours = self.post_gases.get_mut(post);
            ours.amounts.add(&theirs.amounts, false)?;
            ours.covered_kgco2e = ours.covered_kgco2e.checked_add(theirs.covered_kgco2e)?;
        }
        for (ours, theirs) in self.scope_k.iter_mut().zip(&other.scope_k) {
            ours.merge(theirs);
        }
        self.total_k.merge(&other.total_k);
        for (ours, theirs) in self.apart.iter_mut().zip(other.apart) {
            ours.0 = ours.0.checked_add(theirs.0)?;
            ours.1.merge(&theirs.1);
            ours.2.extend(theirs.2);
        }
        self.biogenic = self.biogenic.checked_add(other.biogenic)?;
        self.total_gases
            .amounts
            .add(&other.total_gases.amounts, false)?;
        self.total_gases.covered_kgco2e = self
            .total_gases
            .covered_kgco2e
            .checked_add(other.total_gases.covered_kgco2e)?;
        self.market = self.market.checked_add(other.market)?;
        self.market_k.merge(&other.market_k);
        self.market_lines += other.market_lines;
        Some(())
    }
}

fn certainty_k(certainty: Certainty) -> f64 {
    match certainty {
        Certainty::Percent(p) => uncertainty::k_of_percent(to_f64(p)),
        Certainty::Quality(q) => q.k(),
    }
}

/// k of a line's factor (uncertainty.md §1): the line's override, ADEME's stated percentage,
/// the base's quality columns (reliability 5, absent criteria 3), else the default pedigree.
fn factor_k(line: &Line, factor: &Factor) -> f64 {
    match line.factor_certainty() {
        Some(certainty) => certainty_k(certainty),
        None => base_factor_k(factor),
    }
}

/// k of a factor from what its base says (uncertainty.md §1, steps 2–4).
fn base_factor_k(factor: &Factor) -> f64 {
    if let Some(percent) = factor.uncertainty.percent {
        return uncertainty::k_of_percent(to_f64(percent));
    }
    Quality {
        reliability: Some(5),
        ..factor.uncertainty.quality
    }
    .or_score(3)
    .k()
}

fn unit_error(line: &Line, factor: &Factor, problem: &ConversionError) -> InputError {
    let at = line.at.unit();
    let factor_unit = factor.per_unit();
    match problem {
        ConversionError::Mismatch => InputError::new(
            at,
            format!(
                "unit mismatch: the line is in {} but factor {} is per {}",
                unit::describe(&line.unit),
                factor.id,
                unit::describe(factor_unit)
            ),
        )
        .help(format!("give the quantity in {factor_unit} (or a unit convertible to it), or choose another factor")),
        ConversionError::HeatingValueMissing(wanted) => InputError::new(
            at,
            format!(
                "the line says `{}` but factor {} is per `{factor_unit}`: is the invoice in kWh PCI or kWh PCS?",
                line.unit, factor.id
            ),
        )
        .help(format!(
            "write `unit: kWh {}` (gas invoices are usually in kWh PCS: then add `pci_per_pcs: 0.9`)",
            match wanted {
                HeatingValue::Pci => "PCI",
                HeatingValue::Pcs => "PCS",
            }
        )),
        ConversionError::HeatingValueUnstated(stated) => InputError::new(
            at,
            format!(
                "the line is in `{}` but factor {} is per bare `{factor_unit}`, which does not say PCI or PCS (they differ by about 10 % for natural gas)",
                line.unit, factor.id
            ),
        )
        .help(format!(
            "choose a factor per kWh {} (`bilan factors search …`), or write `unit: kWh` if you know the factor's kWh is on the same basis as your {} figure",
            match stated {
                HeatingValue::Pci => "PCI",
                HeatingValue::Pcs => "PCS",
            },
            match stated {
                HeatingValue::Pci => "PCI",
                HeatingValue::Pcs => "PCS",
            }
        )),
        ConversionError::PciPerPcsMissing => InputError::new(
            at,
            format!("converting `{}` to `{factor_unit}` (factor {}) needs the PCI/PCS ratio", line.unit, factor.id),
        )
        .help("add `pci_per_pcs:` to the line (about 0.9 for natural gas)"),
        ConversionError::TaxIncluded => InputError::new(
            at,
            format!("the line is in `{}` (VAT included) but factor {} is per `{factor_unit}` (excluding VAT)", line.unit, factor.id),
        )
        .help("convert the amount to HT (excluding VAT) first"),
        ConversionError::Overflow => overflow(&line.at.unit()),
    }
}

fn assignment_error(line: &Line, factor: &Factor, problem: &AssignmentError) -> InputError {
    match problem {
        AssignmentError::PurposeMissing => InputError::new(
            line.at.line(),
            format!("line `{}` is passenger transport (factor {}): say why people travel", line.id, factor.id),
        )
        .help("add `purpose: business` (3.13), `purpose: commute` (3.22) or `purpose: visitors` (3.16)"),
        AssignmentError::DirectionMissing => InputError::new(
            line.at.line(),
            format!("line `{}` is freight (factor {}): say which way the goods go", line.id, factor.id),
        )
        .help("add `direction: upstream` (3.12) or `direction: downstream` (3.17)"),
        AssignmentError::TransportRatioUnplaced => InputError::new(
            line.at.line(),
            format!(
                "line `{}` uses a monetary ratio of transport (factor {} \"{}\"): say whether it carries people or goods",
                line.id, factor.id, factor.name
            ),
        )
        .help("add `purpose: business|commute|visitors` (3.13, 3.22, 3.16) for people, or `direction: upstream|downstream` (3.12, 3.17) for goods"),
        AssignmentError::Meaningless(modifier) => {
            let (at, field, help) = match modifier {
                Modifier::Purpose => (
                    &line.at.purpose(),
                    "purpose",
                    "`purpose:` places passenger transport and fuel for vehicles the organisation does not own; for hotel nights of business trips write `post: \"3.13\"`",
                ),
                Modifier::Direction => (
                    &line.at.direction(),
                    "direction",
                    "`direction:` places freight (3.12 upstream, 3.17 downstream); remove it here",
                ),
                Modifier::Mobile => (
                    &line.at.mobile(),
                    "mobile",
                    "`mobile:` marks fuel burnt in the organisation's own vehicles (1.2); fuel with `purpose:` is someone else's vehicle; remove it here",
                ),
            };
            InputError::new(
                at.clone().unwrap_or_else(|| line.at.line()),
                format!(
                    "line `{}`: `{field}:` means nothing for factor {} (category \"{}\")",
                    line.id, factor.id, factor.category
                ),
            )
            .help(help)
        }
        AssignmentError::NoRule => {
            let codes: Vec<&str> = Post::all().map(Post::code).collect();
            InputError::new(
                line.at.line(),
                format!(
                    "no assignment rule for factor {} (category \"{}\")",
                    factor.id, factor.category
                ),
            )
            .help(format!("add `post:` with one of: {}", codes.join(", ")))
        }
    }
}
