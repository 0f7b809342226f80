//! `bilan diff`: two results (inventories or saved JSON), or one inventory under two factor
//! bases; exit 3 when a change exceeds `--fail-above`.

use super::print_warnings;
use crate::cli::Format;
use crate::cli::{CsvArgs, FactorFiles, OutputFile, parse_threshold};
use crate::diff::{self, Side, SideLines, Threshold};
use crate::load::{files, result_json};
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render;
use crate::report::LinesKept;
use crate::session::{Bases, compute_totals_seeing};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// `bilan diff`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old result: an inventory (.yaml) or a result saved with `--format json`.
    #[arg(value_name = "BEFORE")]
    pub before: PathBuf,
    /// The new result. Leave it out with --factors-old/--factors-new to see what a new
    /// factor base changes on one inventory.
    #[arg(
        value_name = "AFTER",
        required_unless_present = "factors_old",
        conflicts_with = "factors_old"
    )]
    pub after: Option<PathBuf>,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// The factor base before an upgrade (with --factors-new and one inventory).
    #[arg(long, value_name = "OLD.csv", requires = "factors_new")]
    pub factors_old: Option<PathBuf>,
    /// The factor base after an upgrade.
    #[arg(long, value_name = "NEW.csv", requires = "factors_old")]
    pub factors_new: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub csv: CsvArgs,
    #[command(flatten)]
    pub output: OutputFile,
    /// Exit 3 when a change exceeds this: `5%` for the total and every post, `3.9:10%` for
    /// one post (overrides the general one); repeatable.
    #[arg(long, value_name = "[POST:]PERCENT", value_parser = parse_threshold)]
    pub fail_above: Vec<crate::diff::Threshold>,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(Options {
            before: &self.before,
            after: self.after.as_deref(),
            factors: &self.factors.factors,
            upgrade: self.factors_old.as_deref().zip(self.factors_new.as_deref()),
            format: self.format,
            dialect: self.csv.csv_dialect.into(),
            output: self.output.path(),
            lang: globals.lang,
            fail_above: &self.fail_above,
        })
    }
}

pub(crate) struct Options<'a> {
    pub(crate) before: &'a Path,
    pub(crate) after: Option<&'a Path>,
    pub(crate) factors: &'a [PathBuf],
    pub(crate) upgrade: Option<(&'a Path, &'a Path)>,
    pub(crate) format: Format,
    pub(crate) dialect: crate::render::sheet::Dialect,
    pub(crate) output: Option<&'a Path>,
    pub(crate) lang: Lang,
    pub(crate) fail_above: &'a [Threshold],
}

/// One side: a saved JSON result as is, or an inventory computed now.
pub(crate) fn side(path: &Path, bases: &Bases) -> Result<Side> {
    let name = files::display(path);
    {
        // Dropped before the inventory is read again to be computed.
        let bytes = files::read(path)?;
        let text = String::from_utf8_lossy(&bytes);
        if result_json::looks_like(&text) {
            return Ok(result_json::parse(&name, &text)?);
        }
    }
    // The lines as compared, gathered as they are made: a million lines' results are never
    // held at once (a group's report keeps every line).
    let mut lines = SideLines::default();
    let computed =
        std::mem::ManuallyDrop::new(compute_totals_seeing(path, bases, Some(&mut lines))?);
    let report = &computed.report;
    print_warnings(&report.warnings);
    Ok(match report.lines_kept {
        LinesKept::Apart => {
            let side = Side::with_lines(&name, report, lines);
            // No line kept: what is freed is the files read (a few big buffers), before the
            // other side is read.
            drop(std::mem::ManuallyDrop::into_inner(computed));
            side
        }
        LinesKept::All => Side::from_report(&name, report),
    })
}

pub(crate) fn run(options: Options<'_>) -> Result<u8> {
    let sink = Sink::new(options.output);
    let mut inputs: Vec<&Path> = vec![options.before];
    inputs.extend(options.after);
    inputs.extend(options.factors.iter().map(PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    if options.format == Format::Xlsx {
        super::refuse_terminal(&sink)?;
    }
    if options.dialect != crate::render::sheet::Dialect::Standard && options.format != Format::Csv {
        crate::usage!("--csv-dialect applies to --format csv");
    }
    // Under two bases, the changed factors come from the bases themselves.
    let mut factor_bases = None;
    let (before, after) = match (options.after, options.upgrade) {
        (Some(after), None) => {
            let bases = super::bases(options.factors)?;
            (side(options.before, &bases)?, side(after, &bases)?)
        }
        (None, Some((old, new))) => {
            let with = |extra: &Path| {
                let mut files: Vec<PathBuf> = options.factors.to_vec();
                files.push(extra.to_path_buf());
                super::bases(&files)
            };
            let (old_bases, new_bases) = (with(old)?, with(new)?);
            let mut before = side(options.before, &old_bases)?;
            let mut after = side(options.before, &new_bases)?;
            if let Ok((inventory, _)) = files::read_inventory(options.before) {
                factor_bases = Some((
                    old_bases
                        .for_inventory(&inventory, options.before)?
                        .into_owned(),
                    new_bases
                        .for_inventory(&inventory, options.before)?
                        .into_owned(),
                ));
            }
            before.name = files::display(old);
            after.name = files::display(new);
            (before, after)
        }
        (Some(_), Some(_)) => crate::usage!(
            "give two results, or one inventory with --factors-old and --factors-new, not both"
        ),
        (None, None) => crate::usage!(
            "give the new result too (`bilan diff BEFORE AFTER`), or --factors-old and --factors-new"
        ),
    };
    let mut diff = diff::diff(&before, &after);
    if let Some((old, new)) = &factor_bases {
        let used = |id: &str| {
            // A side's factors are those its lines use.
            before
                .lines
                .factors()
                .iter()
                .chain(after.lines.factors())
                .any(|f| f.id == id)
        };
        diff.factors = diff::factor_value_changes(old.iter(), new.iter(), used);
    }
    let lang = options.lang;
    let text = match options.format {
        Format::Table => render::diff::table(&diff, lang),
        Format::Md => render::diff::markdown(&diff, lang),
        Format::Csv => crate::render::sheet::in_dialect(
            render::diff::csv(&diff, lang),
            options.dialect,
            &["factor"],
        ),
        Format::Xlsx => {
            let bytes =
                crate::render::xlsx::table("diff", &render::diff::csv(&diff, lang), &["factor"])?;
            output::write_with(&sink, |out| std::io::Write::write_all(out, &bytes))?;
            String::new()
        }
        Format::Json => render::diff::json(&diff, lang),
    };
    if options.format != Format::Xlsx {
        output::write(&sink, &text)?;
    }
    let exceeded = diff::exceeded(&diff, options.fail_above);
    for (what, share) in &exceeded {
        let change = share.map_or_else(
            || "appeared".to_string(),
            |s| {
                format!(
                    "{:+} %",
                    (s * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2)
                )
            },
        );
        super::note!("error: {what} changed by {change}, above --fail-above");
    }
    Ok(if exceeded.is_empty() { 0 } else { 3 })
}
