//! `bilan trajectory`: one inventory with its action plan, earlier inventories, a target path
//! → the year-by-year table, the rates, the action matrix and the actions per post.

use super::{compute_totals_one, print_warnings};
use crate::cli::Format;
use crate::cli::{CsvArgs, FactorFiles, OutputFile, parse_target};
use crate::error::{InputError, InputErrors, Position};
use crate::inventory::Date;
use crate::load::{files, result_json};
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render;
use crate::session::Bases;
use crate::trajectory::{self, Baseline, Measured, Request, TargetKind};
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `bilan trajectory`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inventory projected, with its `actions:` (YAML).
    #[arg(value_name = "INVENTORY.yaml")]
    pub inventory: PathBuf,
    /// Target path: sbti-1.5 (4.2 %/yr from 2020), wb-2 (2.5 %/yr from 2020),
    /// custom:RATE (e.g. custom:5%, from the reference year), snbc (France's general
    /// low-carbon strategy path) or snbc:SECTOR (energy, industry, waste, buildings,
    /// agriculture, transportation).
    #[arg(long, value_name = "TARGET", default_value = "sbti-1.5", value_parser = parse_target)]
    pub target: crate::trajectory::TargetKind,
    /// The last year shown.
    #[arg(long, value_name = "YEAR", default_value_t = 2050,
          value_parser = clap::value_parser!(i32).range(1900..=2200))]
    pub until: i32,
    /// Earlier inventories (YAML or results saved with `--format json`).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub history: Vec<PathBuf>,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub csv: CsvArgs,
    #[command(flatten)]
    pub output: OutputFile,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(Options {
            inventory: &self.inventory,
            target: self.target,
            until: self.until,
            history: &self.history,
            factors: &self.factors.factors,
            format: self.format,
            dialect: self.csv.csv_dialect.into(),
            output: self.output.path(),
            lang: globals.lang,
        })
    }
}

pub(crate) struct Options<'a> {
    pub(crate) inventory: &'a Path,
    pub(crate) target: TargetKind,
    pub(crate) until: i32,
    pub(crate) history: &'a [PathBuf],
    pub(crate) factors: &'a [PathBuf],
    pub(crate) format: Format,
    pub(crate) dialect: crate::render::sheet::Dialect,
    pub(crate) output: Option<&'a Path>,
    pub(crate) lang: Lang,
}

pub(crate) fn run(options: Options<'_>) -> Result<u8> {
    let sink = Sink::new(options.output);
    let mut inputs: Vec<&Path> = vec![options.inventory];
    inputs.extend(options.history.iter().map(PathBuf::as_path));
    inputs.extend(options.factors.iter().map(PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    if options.format == Format::Xlsx {
        super::refuse_terminal(&sink)?;
    }
    if options.dialect != crate::render::sheet::Dialect::Standard && options.format != Format::Csv {
        crate::usage!("--csv-dialect applies to --format csv");
    }
    let bases = super::bases(options.factors)?;
    print_warnings(&bases.defects());
    // The totals and the actions are what a trajectory needs: the lines are read a batch at
    // a time and dropped.
    let crate::session::Computed {
        inventory, report, ..
    } = crate::session::compute_totals_with_inventory(options.inventory, &bases)?;
    let year = report.period.end.year;
    if options.until < year {
        crate::usage!(
            "--until {} is before the inventory's year {year}: give a year from {year} on",
            options.until
        );
    }
    print_warnings(&report.warnings);
    let history = history(options.history, &bases)?;
    let baseline = Baseline::from_report(&files::display(options.inventory), &report);
    let trajectory = trajectory::trajectory(&Request {
        baseline: &baseline,
        history: &history,
        actions: &inventory.actions,
        target: options.target,
        until: options.until,
    })?;
    print_warnings(&trajectory.warnings);
    let lang = options.lang;
    let text = match options.format {
        Format::Table => render::trajectory::table(&trajectory, lang),
        Format::Md => render::trajectory::markdown(&trajectory, lang),
        Format::Csv => crate::render::sheet::in_dialect(
            render::trajectory::csv(&trajectory),
            options.dialect,
            &[],
        ),
        Format::Xlsx => {
            let bytes = crate::render::xlsx::table(
                "trajectory",
                &render::trajectory::csv(&trajectory),
                &[],
            )?;
            output::write_with(&sink, |out| std::io::Write::write_all(out, &bytes))?;
            String::new()
        }
        Format::Json => render::trajectory::json(&trajectory, lang),
    };
    if options.format != Format::Xlsx {
        output::write(&sink, &text)?;
    }
    Ok(0)
}

/// Earlier inventories' years and totals; every error of every file.
pub(crate) fn history(paths: &[PathBuf], bases: &Bases) -> Result<Vec<Measured>, InputErrors> {
    let mut history = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match measured(path, bases) {
            Ok(m) => history.push(m),
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(history)
    } else {
        Err(InputErrors(errors))
    }
}

/// An earlier inventory's year and total: a saved JSON result as is, or an inventory computed
/// now.
fn measured(path: &Path, bases: &Bases) -> Result<Measured, InputErrors> {
    let name = files::display(path);
    let bytes = files::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    if result_json::looks_like(&text) {
        let side = result_json::parse(&name, &text)?;
        let end = side.period.rsplit(' ').next().and_then(Date::parse);
        let kgco2e = crate::number::checked_sum(side.posts.iter().copied());
        let (Some(end), Some(kgco2e)) = (end, kgco2e) else {
            let file: Arc<str> = Arc::from(name.as_str());
            return Err(InputError::new(
                Position::file(&file),
                "not a bilan JSON result: no period end or no total",
            )
            .help("give an inventory (.yaml) or a result saved with `bilan compute --format json`")
            .into());
        };
        return Ok(Measured {
            name,
            year: end.year,
            kgco2e,
        });
    }
    let report = compute_totals_one(path, bases)?;
    print_warnings(&report.warnings);
    Ok(Measured {
        name,
        year: report.period.year(),
        kgco2e: report.total.kgco2e,
    })
}
