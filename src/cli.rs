//! The command line, as clap parses it. Checked into a run by [`crate::cmd`].

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// bilan — Bilan Carbone® calculator: a YAML inventory and emission-factor bases in, the 22
/// posts with their uncertainty out.
#[derive(Debug, Parser)]
#[command(name = "bilan", version, about, max_term_width = 100)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
    /// Fit tables to this many columns [default: the terminal's width (or COLUMNS) when
    /// printing to a terminal; natural width into a file or a pipe].
    #[arg(long, global = true, value_name = "COLUMNS",
          value_parser = clap::value_parser!(u16).range(40..=1000))]
    pub width: Option<u16>,
    /// Colour in tables: bold totals and scopes, dim empty posts [auto: on a terminal, unless
    /// NO_COLOR is set].
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Silence a warning code (`price-year`, `post-uncertainty`, … listed in the README), or
    /// allow `mixed-organisations` in a trend; repeatable.
    #[arg(long, global = true, value_name = "CODE", value_parser = parse_allow)]
    pub allow: Vec<Allow>,
    /// Print only errors: no warnings, no summaries on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Language of labels, messages and warnings.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

/// The extra factor bases of a command, merged on top of the embedded one in order.
#[derive(Clone, Debug, Default, Args)]
pub struct FactorFiles {
    /// Extra factor base (own CSV, or an ADEME Base Carbone export as CSV, data-fair JSON or
    /// xlsx); repeatable, later wins.
    #[arg(long = "factors", value_name = "FILE.csv")]
    pub factors: Vec<PathBuf>,
}

/// Where a command writes its data: a file, or standard output.
#[derive(Clone, Debug, Default, Args)]
pub struct OutputFile {
    /// Write to this file instead of standard output (atomically; never onto an input; `-`
    /// is standard output).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

impl OutputFile {
    /// The file, `None` for standard output.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.output.as_deref()
    }

    /// True when the data goes to standard output.
    pub fn to_stdout(&self) -> bool {
        self.output.as_ref().is_none_or(|p| p.as_os_str() == "-")
    }
}

/// Which CSV a command writes.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct CsvArgs {
    /// CSV for programs (`standard`) or for French Excel (`excel-fr`: `;`, decimal comma,
    /// byte-order mark).
    #[arg(long, value_enum, default_value_t = CsvDialect::Standard)]
    pub csv_dialect: CsvDialect,
}

/// When to colour tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always (even into a pipe).
    Always,
    /// Never.
    Never,
}

impl Cli {
    /// The language of the command's output (French when it has none).
    pub fn lang(&self) -> crate::post::Lang {
        self.lang.into()
    }

    /// The warning codes `--allow` silences.
    pub fn allowed_warnings(&self) -> Vec<crate::warning::Code> {
        self.allow
            .iter()
            .filter_map(|a| match a {
                Allow::Warning(code) => Some(*code),
                Allow::MixedOrganisations => None,
            })
            .collect()
    }

    /// Whether the command's data goes to standard output (no `-o FILE`).
    pub fn prints_to_stdout(&self) -> bool {
        match &self.command {
            Command::Compute(args) => args.output.to_stdout(),
            Command::Diff(args) => args.output.to_stdout(),
            Command::Trajectory(args) => args.output.to_stdout(),
            Command::Report(_) => false,
            _ => true,
        }
    }
}

/// Output formats of `diff`, `trajectory`, `explain` and `factors diff` (`compute` has
/// [`ComputeFormat`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// CSV (one row per post; per line part with --lines).
    Csv,
    /// JSON, the machine contract (schema bilan.result/1).
    Json,
    /// GitHub-flavoured Markdown.
    Md,
    /// An Excel workbook (numbers as numbers, a chart of the posts); with -o FILE.xlsx or
    /// redirected, never to a terminal.
    Xlsx,
}

/// Output formats of `compute`: those of [`Format`] and the Inline XBRL document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ComputeFormat {
    /// A table for people.
    Table,
    /// CSV (one row per post; per line part with --lines).
    Csv,
    /// JSON, the machine contract (schema bilan.result/1).
    Json,
    /// GitHub-flavoured Markdown.
    Md,
    /// An Excel workbook (numbers as numbers, a chart of the posts); with -o FILE.xlsx or
    /// redirected, never to a terminal.
    Xlsx,
    /// Inline XBRL (XHTML): the VSME B3 / ESRS E1-6 greenhouse-gas facts, tagged with EFRAG's
    /// VSME taxonomy; needs organisation.id.
    Ixbrl,
    /// The BEGES publication sheet as CSV (with --view beges-v5): identification and postes
    /// 1.1 … 6.1 in tCO2e, in the order of ADEME's form.
    Beges,
    /// The BEGES publication sheet as Markdown (with --view beges-v5).
    BegesMd,
}

impl ComputeFormat {
    /// True for the BEGES publication sheet (`beges`, `beges-md`).
    pub fn is_beges(self) -> bool {
        matches!(self, ComputeFormat::Beges | ComputeFormat::BegesMd)
    }
}

/// Which CSV to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CsvDialect {
    /// `,` and a decimal point: the contract for programs.
    #[default]
    Standard,
    /// What French Excel opens by double-click: `;`, decimal comma, UTF-8 byte-order mark.
    ExcelFr,
}

impl From<CsvDialect> for crate::render::sheet::Dialect {
    fn from(dialect: CsvDialect) -> Self {
        match dialect {
            CsvDialect::Standard => crate::render::sheet::Dialect::Standard,
            CsvDialect::ExcelFr => crate::render::sheet::Dialect::ExcelFr,
        }
    }
}

impl From<BatchFormat> for crate::batch::ResultFormat {
    fn from(format: BatchFormat) -> Self {
        match format {
            BatchFormat::Json => crate::batch::ResultFormat::Json,
            BatchFormat::Csv => crate::batch::ResultFormat::Csv,
            BatchFormat::Md => crate::batch::ResultFormat::Md,
            BatchFormat::Xlsx => crate::batch::ResultFormat::Xlsx,
        }
    }
}

/// Output formats of `batch`: one file per inventory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// JSON (schema bilan.result/1), `.json`.
    Json,
    /// CSV, one row per post, `.csv`.
    Csv,
    /// GitHub-flavoured Markdown, `.md`.
    Md,
    /// An Excel workbook, `.xlsx` (and the summary as `summary.xlsx` too).
    Xlsx,
}

/// Which framework `compute --view` reports in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ViewArg {
    /// The 22 posts of the Bilan Carbone® (default).
    Bilan,
    /// BEGES v5 / ISO 14064-1:2018: 6 categories, 22 posts.
    #[value(name = "beges-v5")]
    BegesV5,
    /// GHG Protocol: scopes 1, 2 and the 15 scope 3 categories.
    GhgProtocol,
    /// ESRS E1-6 (CSRD): gross scopes 1, 2 (both methods), 3, total, intensity.
    #[value(name = "esrs-e1")]
    EsrsE1,
}

/// What `compute --by` breaks the posts down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// The 22 posts only (default).
    Post,
    /// The lines' `site`.
    Site,
    /// The lines' `tags` (a line with several tags counts in each).
    Tag,
    /// A group's entities (consolidated figures).
    Entity,
}

/// What `--allow` lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allow {
    /// A warning code: not printed, not in the results, not failing `check --strict`.
    Warning(crate::warning::Code),
    /// A trend of inventories of different organisations.
    MixedOrganisations,
}

/// Reads `--allow CODE`.
fn parse_allow(text: &str) -> Result<Allow, String> {
    if text.trim() == "mixed-organisations" {
        return Ok(Allow::MixedOrganisations);
    }
    crate::warning::Code::parse(text)
        .map(Allow::Warning)
        .ok_or_else(|| {
            let codes: Vec<&str> = crate::warning::Code::ALL
                .iter()
                .map(|c| c.as_str())
                .chain(["mixed-organisations"])
                .collect();
            format!("unknown code `{text}`: one of {}", codes.join(", "))
        })
}

/// Label language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Français.
    Fr,
    /// English.
    En,
}

impl From<LangArg> for crate::post::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::Fr => crate::post::Lang::Fr,
            LangArg::En => crate::post::Lang::En,
        }
    }
}

/// Correlation models of `compute --monte-carlo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CorrelationArg {
    /// One draw per line: comparable with the method's analytic interval.
    Independent,
    /// One draw per factor id per iteration, shared by every line using that factor.
    SharedFactors,
}

impl From<CorrelationArg> for crate::monte_carlo::Correlation {
    fn from(correlation: CorrelationArg) -> Self {
        match correlation {
            CorrelationArg::Independent => crate::monte_carlo::Correlation::Independent,
            CorrelationArg::SharedFactors => crate::monte_carlo::Correlation::SharedFactors,
        }
    }
}

/// `compute`'s uncertainty options (table, Markdown, JSON; CSV for Monte Carlo).
#[derive(Clone, Copy, Debug, Args)]
#[command(next_help_heading = "Uncertainty")]
pub struct UncertaintyArgs {
    /// Also estimate the 95 % intervals by Monte Carlo simulation (log-normal draws).
    #[arg(long)]
    pub monte_carlo: bool,
    /// Monte Carlo: number of draws (1 to 1,000,000).
    #[arg(long, value_name = "N", default_value_t = crate::monte_carlo::DEFAULT_DRAWS,
          value_parser = parse_draws, requires = "monte_carlo")]
    pub draws: usize,
    /// Monte Carlo: seed of the ChaCha8 generator (the same seed gives the same figures).
    #[arg(long, value_name = "S", default_value_t = crate::monte_carlo::DEFAULT_SEED,
          requires = "monte_carlo")]
    pub seed: u64,
    /// Monte Carlo: how the lines' draws relate.
    #[arg(long, value_enum, default_value_t = CorrelationArg::Independent, requires = "monte_carlo")]
    pub correlation: CorrelationArg,
    /// Rank the lines and posts that contribute most to the total's uncertainty, with advice.
    #[arg(long)]
    pub uncertainty_report: bool,
}

fn parse_draws(text: &str) -> Result<usize, String> {
    let draws: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of draws (1 to 1000000)"))?;
    crate::monte_carlo::check_draws(draws).map_err(|e| e.to_string())
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute an inventory: the 22 posts, scopes, total, uncertainty, ratios.
    Compute(crate::cmd::compute::Args),
    /// Check inventories: silent and exit 0 when fine; errors (and warnings) on stderr.
    Check(crate::cmd::check::Args),
    /// Compute every inventory under a folder, in parallel: one result file each (the tree
    /// mirrored under --output) and a summary (OUTPUT/summary.csv and a table on stdout).
    Batch(crate::cmd::batch::Args),
    /// Compare two results: each post's change and why (activity, factor, perimeter).
    Diff(crate::cmd::diff::Args),
    /// Write the report for people: one self-contained HTML file with charts, printable on A4.
    Report(crate::cmd::report::Args),
    /// The low-carbon trajectory: a target path, the inventory with its action plan, earlier
    /// inventories, year by year; the action matrix and the actions per post.
    Trajectory(crate::cmd::trajectory::Args),
    /// The audit trail of one line (or of one post, `3.9`): quantity → conversion →
    /// amortisation → factor (id, base, row, value, uncertainty) → parts → posts (with the
    /// rule) → its uncertainty and weight in the post's and the total's variance.
    Explain(crate::cmd::explain::Args),
    /// List the 22 posts of the Bilan Carbone®.
    Posts,
    /// Find and inspect emission factors.
    Factors {
        /// What to do.
        #[command(subcommand)]
        command: FactorsCommand,
    },
    /// Write a commented starter inventory (one line per common post, real factor ids of the
    /// embedded base) that `bilan check` accepts. Never overwrites a file.
    Init(crate::cmd::init::Args),
    /// Write the collection workbook (xlsx) to send to colleagues: a `lines` sheet with
    /// drop-down lists, the most used factors, instructions; filled in, it is an `include:`.
    Template(crate::cmd::template::Args),
    /// Print a shell completion script: `bilan completions bash > /etc/bash_completion.d/bilan`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `bilan man > bilan.1 && man ./bilan.1`.
    Man,
    /// Turn other files into inventory lines.
    Import {
        /// What to import.
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write an inventory in another tool's format.
    Export {
        /// What to export.
        #[command(subcommand)]
        command: ExportCommand,
    },
}

/// `bilan import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Purchases from the accounting ledger (FEC) → lines with monetary factors (YAML `lines:`,
    /// for `include:`); a summary of what is mapped, excluded and unmapped on stderr.
    Fec {
        /// The FEC: 18 columns, tab- or pipe-separated, UTF-8 or Windows-1252.
        #[arg(value_name = "FEC.txt")]
        file: PathBuf,
        /// Sum the entries dated in this year (default: the --inventory's period).
        #[arg(long, required_unless_present = "inventory")]
        year: Option<i32>,
        /// Rules that override or extend the default mapping (account prefix → factor).
        #[arg(long, value_name = "MAPPING.yaml")]
        mapping: Option<PathBuf>,
        /// One line per account and supplier (CompAuxNum) instead of one per account.
        #[arg(long)]
        by_supplier: bool,
        /// The inventory the lines are for: what it counts physically (travel, freight) is
        /// excluded, its period is the default, its `factors:` are known.
        #[arg(long, value_name = "INVENTORY.yaml")]
        inventory: Option<PathBuf>,
        #[command(flatten)]
        factors: FactorFiles,
        /// Write to this file instead of standard output (atomically; never onto an input).
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// A Bilan Carbone+ emission-source export (.csv or .xlsx) → lines (YAML `lines:`); the
    /// sources that cannot be mapped are listed on stderr.
    Bcplus {
        /// The export: `sources-emission-export.csv` or `.xlsx` as downloaded.
        #[arg(value_name = "EXPORT.csv|xlsx")]
        file: PathBuf,
        /// Write to this file instead of standard output (atomically; never onto an input).
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
}

/// `bilan export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The inventory as Bilan Carbone+'s emission-source import sheet (xlsx): what cannot be
    /// exported faithfully is listed on stderr.
    Bcplus {
        /// The inventory.
        #[arg(value_name = "INVENTORY.yaml")]
        inventory: PathBuf,
        #[command(flatten)]
        factors: FactorFiles,
        /// The workbook to write (atomically; never onto an input).
        #[arg(long, short, value_name = "sources.xlsx")]
        output: PathBuf,
    },
}

/// Reads `5%` or `3.9:10%`.
pub(crate) fn parse_threshold(text: &str) -> Result<crate::diff::Threshold, String> {
    let (post, percent) = match text.split_once(':') {
        Some((code, percent)) => {
            let post = crate::post::Post::from_code(code)
                .ok_or_else(|| format!("unknown post `{code}` (posts are 1.1 … 3.22)"))?;
            (Some(post), percent)
        }
        None => (None, text),
    };
    let share = match crate::number::parse_percent(percent) {
        Ok(share) if !share.is_sign_negative() => share,
        Err(crate::number::NumberError::MissingPercent) => {
            return Err(format!(
                "`{percent}` needs a % sign: {}",
                crate::number::percent_hint(percent)
            ));
        }
        _ => return Err(format!("`{percent}` is not a percentage such as 5%")),
    };
    Ok(crate::diff::Threshold { post, share })
}

/// Reads `sbti-1.5`, `wb-2`, `custom:5%`, `snbc` or `snbc:SECTOR`.
pub(crate) fn parse_target(text: &str) -> Result<crate::trajectory::TargetKind, String> {
    crate::trajectory::TargetKind::read(text)
}

/// `bilan factors …`.
#[derive(Debug, Subcommand)]
pub enum FactorsCommand {
    /// Search factors by words (accent- and case-insensitive) over names, tags and category.
    Search {
        /// Words to look for, e.g. "electricite france 2022".
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Only factors per this unit (e.g. kWh, litre, keuro).
        #[arg(long)]
        unit: Option<String>,
        #[command(flatten)]
        factors: FactorFiles,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show everything about one factor: value, unit, parts, gases, uncertainty, source.
    Show {
        /// The factor id, e.g. 42513.
        id: String,
        #[command(flatten)]
        factors: FactorFiles,
    },
    /// The factors added, removed and changed (value, unit, parts) between two bases.
    Diff {
        /// The old base (any format `--factors` reads).
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The new base.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}
