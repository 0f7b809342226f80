//! `bilan compute`: one inventory or group → table, CSV, JSON, Markdown, a workbook, Inline
//! XBRL or the BEGES sheet; several → a trend.

use super::spill::{self, Spill};
use super::{compute_totals_one, print_warnings};
use crate::analysed::Analysed;
use crate::breakdown::{self, By};
use crate::cli::{ByArg, ComputeFormat as Format, UncertaintyArgs, ViewArg};
use crate::cli::{CsvArgs, FactorFiles, OutputFile};
use crate::compute::{EachResult, Folds, SeeResults};
use crate::inventory::Inventory;
use crate::load::files;
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render;
use crate::render::json::LineSource;
use crate::render::sheet::{ColumnKinds, Dialect, in_dialect};
use crate::report::{LineResult, LinesKept, Report};
use crate::session::{Bases, Computed, compute_parts_seeing};
use crate::view::Framework;
use anyhow::Result;
use rust_xlsxwriter::XlsxError;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// `bilan compute`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inventory file (YAML); `-` reads standard input.
    #[arg(required = true, value_name = "INVENTORY.yaml")]
    pub inventories: Vec<PathBuf>,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputFile,
    /// CSV: one row per line part instead of one per post.
    #[arg(long)]
    pub lines: bool,
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Break the posts down by the lines' site or tags, or a group's entities (table,
    /// Markdown, CSV, xlsx).
    #[arg(long, value_enum, default_value_t = ByArg::Post)]
    pub by: ByArg,
    /// Monte Carlo and the uncertainty report.
    #[command(flatten)]
    pub uncertainty: UncertaintyArgs,
    /// The framework to report in: the 22 Bilan Carbone posts, or another view of them.
    #[arg(long, value_enum, default_value_t = ViewArg::Bilan)]
    pub view: ViewArg,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(
            &self.inventories,
            &self.factors.factors,
            Options {
                format: self.format,
                output: self.output.path(),
                lang: globals.lang,
                lines: self.lines,
                dialect: self.csv.csv_dialect.into(),
                by: self.by,
                uncertainty: self.uncertainty,
                view: self.view,
                allow_mixed_organisations: globals.mixed_organisations,
            },
        )
    }
}

/// How to present the result.
pub(crate) struct Options<'a> {
    pub(crate) format: Format,
    pub(crate) output: Option<&'a Path>,
    pub(crate) lang: Lang,
    pub(crate) lines: bool,
    pub(crate) dialect: Dialect,
    pub(crate) by: ByArg,
    pub(crate) uncertainty: UncertaintyArgs,
    pub(crate) view: ViewArg,
    /// A trend may mix organisations (`--allow mixed-organisations`).
    pub(crate) allow_mixed_organisations: bool,
}

pub(crate) fn run(
    inventories: &[PathBuf],
    factors: &[PathBuf],
    options: Options<'_>,
) -> Result<u8> {
    let sink = Sink::new(options.output);
    let inputs: Vec<&Path> = inventories
        .iter()
        .chain(factors)
        .map(PathBuf::as_path)
        .collect();
    output::refuse_inputs(&sink, &inputs)?;
    if options.format == Format::Xlsx {
        super::refuse_terminal(&sink)?;
    }
    if options.dialect != Dialect::Standard && options.format != Format::Csv {
        crate::usage!("--csv-dialect applies to --format csv");
    }
    if options.lines && options.format != Format::Csv {
        crate::usage!("--lines applies to --format csv; JSON always lists the lines");
    }
    let by = match options.by {
        ByArg::Post => None,
        ByArg::Site => Some(By::Site),
        ByArg::Tag => Some(By::Tag),
        ByArg::Entity => Some(By::Entity),
    };
    if by.is_some() && (options.lines || options.format == Format::Json) {
        crate::usage!(
            "--by applies to --format table, md or csv (JSON lists each line with its site and tags)"
        );
    }
    if options.format == Format::Ixbrl
        && (inventories.len() > 1
            || by.is_some()
            || !matches!(options.view, ViewArg::Bilan | ViewArg::EsrsE1)
            || options.uncertainty.monte_carlo
            || options.uncertainty.uncertainty_report)
    {
        crate::usage!(
            "--format ixbrl writes the VSME B3 / ESRS E1-6 figures of one inventory: without --by, --monte-carlo, --uncertainty-report or a --view other than esrs-e1"
        );
    }
    super::uncertainty::check(
        &options.uncertainty,
        options.format,
        options.lines,
        by.is_some(),
        inventories.len(),
    )?;
    let framework = match options.view {
        ViewArg::Bilan => None,
        ViewArg::BegesV5 => Some(Framework::BegesV5),
        ViewArg::GhgProtocol => Some(Framework::GhgProtocol),
        ViewArg::EsrsE1 => Some(Framework::EsrsE1),
    };
    if framework != Some(Framework::BegesV5) {
        super::refuse_beges(options.format)?;
    }
    if framework.is_some() && (options.lines || by.is_some() || inventories.len() > 1) {
        crate::usage!("--view applies to one inventory, without --lines or --by");
    }
    if framework.is_some()
        && (options.uncertainty.monte_carlo || options.uncertainty.uncertainty_report)
    {
        crate::usage!(
            "--monte-carlo and --uncertainty-report apply to the Bilan Carbone posts, not to --view"
        );
    }
    // One inventory is read while the factor bases load (a big one takes as long).
    let (bases, parts) = match inventories {
        [inventory] => {
            let (bases, parts) = rayon::join(
                || super::bases(factors),
                || files::read_inventory_parts(inventory, None),
            );
            (bases?, Some(parts))
        }
        _ => (super::bases(factors)?, None),
    };
    print_warnings(&bases.defects());
    let ([inventory], Some(parts)) = (inventories, parts) else {
        if options.lines || by.is_some() {
            crate::usage!("--lines and --by apply to one inventory, not to a trend of several");
        }
        return trend(inventories, &bases, &options, &sink);
    };
    // Neither the inventory nor the report is freed: the process ends with the command, and
    // freeing a million lines and results one by one takes longer than the output.
    // Each line's result is summed and dropped as soon as it is made (a group's report keeps
    // its lines). What an output takes from the lines is a fold fed each result as it is
    // made: a breakdown, a view (ESRS E1-6's for Inline XBRL), the uncertainty analysis and
    // the Monte Carlo model, the number columns of the lines in the Excel dialect or in the
    // workbook, and the texts of the lines that JSON, `--lines` and the workbook write after
    // the totals (kept in a temporary file until then).
    let mut by_sums = by.map(breakdown::Sums::new);
    // Inline XBRL takes the GHG Protocol figures of ESRS E1-6, whatever --view (bilan or
    // esrs-e1).
    let view_of = match options.format {
        Format::Ixbrl => Some(Framework::EsrsE1),
        _ => framework,
    };
    // The period's year is the inventory's, given when its lines start.
    let mut view_sums = view_of.map(|f| crate::view::Sums::new(f, 0));
    // The Monte Carlo model and the lines that weigh most in the uncertainty (neither goes
    // with --by or --view).
    // The workbook always carries the uncertainty analysis.
    let uncertainty = match options.format {
        Format::Xlsx if by.is_none() => UncertaintyArgs {
            uncertainty_report: true,
            ..options.uncertainty
        },
        _ => options.uncertainty,
    };
    let mut uncertainty_sums = super::uncertainty::Sums::new(&uncertainty);
    // The number columns of the lines' CSV in the Excel dialect, or of the workbook's lines.
    let workbook_lines = options.format == Format::Xlsx && by.is_none();
    let mut line_columns = (workbook_lines
        || (options.format == Format::Csv
            && options.lines
            && options.dialect != Dialect::Standard))
        .then(LineColumns::new);
    let every_line = match options.format {
        Format::Json => framework.is_none(),
        Format::Csv => options.lines,
        Format::Xlsx => workbook_lines,
        _ => false,
    };
    // What the output writes of each line: the JSON of each, or CSV rows (of the workbook's
    // sheet too); made as the lines are computed for the totals, and kept until they are
    // written.
    let json_texts = |results: &[&LineResult]| render::json::line_texts(results);
    let rows = |results: &[&LineResult]| Ok(vec![render::csv::line_rows(results.iter().copied())]);
    let render_lines: &spill::Render<'_> = match options.format {
        Format::Json => &json_texts,
        _ => &rows,
    };
    let mut spill = every_line.then(|| Spill::new(render_lines));
    let computed = {
        // One but for the workbook (its lines, uncertainty analysis and view): --by, --view,
        // the uncertainty options and --lines exclude each other.
        let mut each = Folds(
            [
                by_sums.as_mut().map(|s| s as &mut EachResult<'_>),
                view_sums.as_mut().map(|s| s as &mut EachResult<'_>),
                uncertainty_sums.as_mut().map(|s| s as &mut EachResult<'_>),
                line_columns.as_mut().map(|s| s as &mut EachResult<'_>),
                spill.as_mut().map(|s| s as &mut EachResult<'_>),
            ]
            .into_iter()
            .flatten()
            .collect(),
        );
        let each = (!each.0.is_empty()).then_some(&mut each as &mut EachResult<'_>);
        compute_parts_seeing(inventory, parts, &bases, each)?
    };
    let computed = std::mem::ManuallyDrop::new(computed);
    let report = &computed.report;
    // A report that kept every line (a group's, or every line computed) is summed from it.
    let summed = report.lines_kept == LinesKept::Apart;
    let breakdown = by.map(|by| match by_sums {
        Some(sums) if summed => sums.finish(),
        _ => breakdown::breakdown(report, by),
    });
    let view = view_of.map(|f| match view_sums {
        Some(sums) if summed => sums.finish(report),
        _ => crate::view::view(report, f),
    });
    // The inventory's own `factors:` files are inputs too (known once it is read).
    let used: Vec<PathBuf> = report
        .bases
        .iter()
        .filter(|b| b.kind != crate::factor::BaseKind::Embedded)
        .map(|b| PathBuf::from(&b.name))
        .collect();
    output::refuse_inputs(
        &sink,
        &used.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    )?;
    print_warnings(&report.warnings);
    if options.format == Format::Ixbrl {
        let Some(esrs) = &view else {
            anyhow::bail!("internal error: no ESRS E1-6 view for Inline XBRL");
        };
        let b3 = crate::vsme::b3_of(report, esrs);
        let text = render::ixbrl::document(report, &b3, options.lang)
            .map_err(|e| anyhow::anyhow!("{}: {e}", files::display(inventory)))?;
        output::write(&sink, &text)?;
        return Ok(0);
    }
    if options.format == Format::Xlsx {
        let bytes = match &breakdown {
            Some(b) => render::xlsx::table("breakdown", &by_key(b, &options), &[])?,
            None => match (uncertainty_sums, &mut line_columns) {
                (Some(sums), Some(columns)) if summed => {
                    let analysed = sums.finish(report, &uncertainty)?;
                    // The lines' sheet, its rows written as they were made.
                    let mut spill = spill.take();
                    let bytes = render::xlsx::result_with_lines(
                        &analysed,
                        view.as_ref(),
                        options.lang,
                        columns.kinds(),
                        &mut |write| {
                            write_texts(
                                &computed,
                                spill.take(),
                                render_lines,
                                write,
                                XlsxError::CustomError,
                            )
                        },
                    );
                    bytes.map_err(|e| anyhow::anyhow!("{}: {e}", files::display(inventory)))?
                }
                _ => {
                    let analysed = super::uncertainty::analysed(report, &uncertainty)?;
                    render::xlsx::result(&analysed, view.as_ref(), options.lang)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", files::display(inventory)))?
                }
            },
        };
        output::write_with(&sink, |out| out.write_all(&bytes))?;
        return Ok(0);
    }
    let text = match (breakdown, view) {
        (Some(b), _) => by_key(&b, &options),
        (None, Some(view)) => in_view(report, &view, &options),
        (None, None) => {
            let analysed = match uncertainty_sums {
                Some(sums) if summed => sums.finish(report, &options.uncertainty)?,
                _ => super::uncertainty::analysed(report, &options.uncertainty)?,
            };
            if options.format == Format::Json {
                // Streamed: a million-line result is never held whole as text, nor its lines'
                // results when the report kept none (their texts made with the totals).
                let lang = options.lang;
                let spill = RefCell::new(spill.take());
                let texts = |each: &mut dyn FnMut(&[&str]) -> bool| {
                    each_text(&computed, spill.borrow_mut().take(), render_lines, each)
                };
                let source = match report.lines_kept {
                    LinesKept::All => LineSource::Report,
                    LinesKept::Apart => LineSource::Texts(&texts),
                };
                output::write_with(&sink, |out| {
                    render::json::write_lines_from(&analysed, lang, source, out)
                })?;
                return Ok(0);
            }
            if options.format == Format::Csv
                && options.lines
                && report.lines_kept == LinesKept::Apart
            {
                // Streamed: the rows of each batch of lines written as they were made.
                let header = render::csv::lines_header();
                let (header, numeric) = match &mut line_columns {
                    Some(columns) => (
                        render::sheet::header_in_excel(&render::sheet::header(&header)),
                        Some(columns.numeric()),
                    ),
                    None => (header, None),
                };
                let mut spill = spill.take();
                output::write_with(&sink, |out| {
                    out.write_all(header.as_bytes())?;
                    write_texts(
                        &computed,
                        spill.take(),
                        render_lines,
                        &mut |rows| match &numeric {
                            Some(numeric) => out
                                .write_all(render::sheet::rows_in_excel(rows, numeric).as_bytes()),
                            None => out.write_all(rows.as_bytes()),
                        },
                        std::io::Error::other,
                    )
                })?;
                return Ok(0);
            }
            single(&analysed, &options)
        }
    };
    output::write(&sink, &text)?;
    Ok(0)
}

/// The number columns of the lines' CSV in the Excel dialect, told from each line's rows as
/// the lines are made (rows gathered up to [`LineColumns::GATHER`] bytes, then read at once).
struct LineColumns {
    kinds: ColumnKinds,
    rows: String,
}

impl LineColumns {
    const GATHER: usize = 1 << 20;

    fn new() -> LineColumns {
        let header = render::sheet::header(&render::csv::lines_header());
        LineColumns {
            kinds: ColumnKinds::new(&header, &[]),
            rows: String::new(),
        }
    }

    /// Whether each column is numbers, after every line.
    fn numeric(&mut self) -> Vec<bool> {
        self.kinds().numeric()
    }

    /// The columns, after every line.
    fn kinds(&mut self) -> &ColumnKinds {
        self.kinds.add(&std::mem::take(&mut self.rows));
        &self.kinds
    }
}

impl SeeResults for LineColumns {
    fn start(&mut self, _: &Inventory) {
        *self = LineColumns::new();
    }

    fn see(&mut self, line: &LineResult) {
        self.rows += &render::csv::line_rows(std::slice::from_ref(line));
        if self.rows.len() >= Self::GATHER {
            self.kinds.add(&std::mem::take(&mut self.rows));
        }
    }
}

/// Writes the texts of every line of `computed` with `write` (see [`each_text`]): the first
/// error of `write`, or, when a text could not be made, that reason as an internal error.
fn write_texts<E>(
    computed: &Computed<'_>,
    spill: Option<Spill<'_>>,
    render: &spill::Render<'_>,
    write: &mut dyn FnMut(&str) -> Result<(), E>,
    internal: impl Fn(String) -> E,
) -> Result<(), E> {
    let mut failed = None;
    let made = each_text(computed, spill, render, &mut |texts| match texts
        .iter()
        .try_for_each(|text| write(text))
    {
        Ok(()) => true,
        Err(e) => {
            failed = Some(e);
            false
        }
    });
    match (failed, made) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(internal(format!("internal error: {e}"))),
        (None, Ok(())) => Ok(()),
    }
}

/// What writes a batch of lines' results; false stops the lines.
type Write<'a> = dyn FnMut(&[LineResult]) -> bool + 'a;

/// Gives `each` the texts of every line of `computed` in order, as `render` makes them of a
/// batch of results, until `each` returns false: those of `spill`, made as the lines were
/// computed for the totals, or made again a batch at a time when the spill could not keep
/// them (a temporary file that could not be written); an error when a text could not be made.
fn each_text(
    computed: &Computed<'_>,
    spill: Option<Spill<'_>>,
    render: &spill::Render<'_>,
    each: &mut dyn FnMut(&[&str]) -> bool,
) -> Result<(), String> {
    // Texts that could not all be kept (a temporary file that could not be made or written
    // to the end) are made again.
    if let Some(Ok(written)) = spill.map(Spill::written) {
        return written.give(each).map(|_| ());
    }
    let mut failed = None;
    let made = each_result_batch(computed, &mut |results| {
        let results: Vec<&LineResult> = results.iter().collect();
        match render(&results) {
            Ok(texts) => each(&texts.iter().map(String::as_str).collect::<Vec<_>>()),
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    });
    match failed {
        Some(e) => Err(e),
        None => made.map_err(String::from),
    }
}

/// Gives `write` the results of every line of `computed`, in order, a batch at a time (the
/// lines kept, or read again from the inventory's files, computed again); an error when a
/// batch could not be made, never fewer lines than the inventory's (a write that failed stops
/// them too: its writer gives that error first).
fn each_result_batch(computed: &Computed<'_>, write: &mut Write<'_>) -> Result<(), &'static str> {
    let base = computed.base.as_deref().ok_or("no factor base")?;
    let given = computed.each_line_batch(&mut |lines| {
        crate::compute::line_results(&computed.inventory, base, lines)
            .is_some_and(|results| write(&results))
    });
    given
        .then_some(())
        .ok_or("a line's result could not be made again")
}

fn single(analysed: &Analysed<'_>, options: &Options<'_>) -> String {
    let (report, lang) = (analysed.report, options.lang);
    match options.format {
        // The BEGES sheet is refused without --view beges-v5 before this.
        Format::Table | Format::Beges | Format::BegesMd => {
            render::table::render(report, lang) + &render::uncertainty::table(analysed, lang)
        }
        Format::Json => render::json::render_with(analysed, lang),
        Format::Md => {
            render::markdown::render(report, lang) + &render::uncertainty::markdown(analysed, lang)
        }
        Format::Csv if options.lines => {
            in_dialect(render::csv::lines(report), options.dialect, &[])
        }
        // Written as a workbook or an Inline XBRL document before this.
        Format::Csv | Format::Xlsx | Format::Ixbrl => in_dialect(
            render::csv::posts_with(report, lang, analysed.monte_carlo.as_ref()),
            options.dialect,
            &[],
        ),
    }
}

fn in_view(report: &Report, view: &crate::view::View, options: &Options<'_>) -> String {
    let lang = options.lang;
    match options.format {
        Format::Table => render::view::table(view, report, lang),
        Format::Md => render::view::markdown(view, report, lang),
        // Written as an Inline XBRL document before this.
        Format::Csv | Format::Xlsx | Format::Ixbrl => {
            in_dialect(render::view::csv(view, lang), options.dialect, &[])
        }
        Format::Json => render::view::json(view, report, lang),
        Format::Beges => render::beges::csv(view, report, lang),
        Format::BegesMd => render::beges::markdown(view, report, lang),
    }
}

fn by_key(b: &breakdown::Breakdown, options: &Options<'_>) -> String {
    let lang = options.lang;
    match options.format {
        // A workbook takes the CSV; --by is refused with Inline XBRL.
        Format::Csv | Format::Xlsx | Format::Ixbrl => {
            in_dialect(render::breakdown::csv(b, lang), options.dialect, &[])
        }
        Format::Md => render::breakdown::markdown(b, lang),
        // The BEGES sheet is refused with --by before this.
        Format::Table | Format::Json | Format::Beges | Format::BegesMd => {
            render::breakdown::table(b, lang)
        }
    }
}

/// Several inventories: one column per period.
fn trend(
    inventories: &[PathBuf],
    bases: &Bases,
    options: &Options<'_>,
    sink: &Sink<'_>,
) -> Result<u8> {
    let mut reports = Vec::with_capacity(inventories.len());
    let mut errors = Vec::new();
    for path in inventories {
        match compute_totals_one(path, bases) {
            Ok(report) => {
                print_warnings(&report.warnings);
                reports.push(report);
            }
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(crate::error::InputErrors(errors).into());
    }
    let trend = crate::trend::trend(&reports).map_err(|e| match e {
        crate::trend::TrendError::SamePeriod(a, b) => anyhow::anyhow!(
            "{} and {} cover the same period: a trend takes one inventory per period",
            files::display(inventories.get(a).map_or(Path::new(""), PathBuf::as_path)),
            files::display(inventories.get(b).map_or(Path::new(""), PathBuf::as_path)),
        ),
    })?;
    if trend.organisations.len() > 1 && !options.allow_mixed_organisations {
        anyhow::bail!(
            "these inventories are of different organisations ({}): a trend compares one organisation over time (--allow mixed-organisations to compare them anyway)",
            trend.organisations.join(", ")
        );
    }
    let lang = options.lang;
    let text = match options.format {
        Format::Table => render::trend::table(&trend, lang),
        Format::Md => render::trend::markdown(&trend, lang),
        Format::Csv => in_dialect(render::trend::csv(&trend, lang), options.dialect, &[]),
        // A trend is refused with Inline XBRL and the BEGES sheet.
        Format::Json | Format::Ixbrl | Format::Beges | Format::BegesMd => {
            render::trend::json(&trend, lang)
        }
        Format::Xlsx => {
            let bytes = render::xlsx::table("trend", &render::trend::csv(&trend, lang), &[])?;
            output::write_with(sink, |out| out.write_all(&bytes))?;
            return Ok(0);
        }
    };
    output::write(sink, &text)?;
    Ok(0)
}
