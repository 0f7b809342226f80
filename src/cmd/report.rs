//! `bilan report`: the HTML report of one inventory, with its uncertainty analysis and, when it
//! has actions or history, its trajectory.

use super::{print_warnings, trajectory::history};
use crate::breakdown::{self, By};
use crate::cli::{FactorFiles, parse_target};
use crate::compute::SeeResults;
use crate::diff::{Side, SideLines};
use crate::inventory::Inventory;
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::post_lines::PostLines;
use crate::render::html::{Extras, Footer};
use crate::report::{LineResult, LinesKept};
use crate::session::compute_totals_seeing;
use crate::trajectory::{self, Baseline, Request, TargetKind};
use crate::uncertainty_analysis::Ranking;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// `bilan report`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inventory (YAML).
    #[arg(value_name = "INVENTORY.yaml")]
    pub inventory: PathBuf,
    /// The HTML file to write.
    #[arg(long, short, value_name = "FILE.html")]
    pub output: PathBuf,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Earlier inventories, for the trajectory (YAML or results saved with `--format json`).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub history: Vec<PathBuf>,
    /// The trajectory's target path: sbti-1.5, wb-2, custom:RATE or snbc[:SECTOR].
    #[arg(long, value_name = "TARGET", default_value = "sbti-1.5", value_parser = parse_target)]
    pub target: crate::trajectory::TargetKind,
    /// The organisation's logo on the first page: a PNG or SVG file (at most 512 KiB),
    /// embedded in the report.
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub logo: Option<PathBuf>,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(Options {
            inventory: &self.inventory,
            output: &self.output,
            factors: &self.factors.factors,
            history: &self.history,
            target: self.target,
            lang: globals.lang,
            logo: self.logo.as_deref(),
        })
    }
}

/// The lines listed among the largest sources of uncertainty.
const TOP_LINES: usize = 10;

/// The last year of the trajectory chart.
const UNTIL: i32 = 2050;

pub(crate) struct Options<'a> {
    pub(crate) inventory: &'a Path,
    pub(crate) output: &'a Path,
    pub(crate) factors: &'a [PathBuf],
    pub(crate) history: &'a [PathBuf],
    pub(crate) target: TargetKind,
    pub(crate) lang: Lang,
    pub(crate) logo: Option<&'a Path>,
}

/// The largest logo accepted: a logo is a few kilobytes; more is a mistake (a photo).
const LOGO_MAX_BYTES: u64 = 512 * 1024;

/// The logo as a `data:` URI for an `<img>` (never inline markup: an SVG in an image cannot run
/// scripts or load anything). PNG by its signature, SVG by its extension and root element.
fn logo(path: &Path) -> Result<String> {
    let name = crate::load::files::display(path);
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("--logo {name}: cannot read it: {e}"))?
        .len();
    if size > LOGO_MAX_BYTES {
        crate::usage!(
            "--logo {name}: {size} bytes, more than the {} KiB a logo may weigh; give a smaller PNG or SVG",
            LOGO_MAX_BYTES / 1024
        );
    }
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("--logo {name}: cannot read it: {e}"))?;
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        && std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("<svg"));
    let mime = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if is_svg {
        "image/svg+xml"
    } else {
        crate::usage!("--logo {name}: not a PNG or SVG image; give a .png or .svg file");
    };
    Ok(format!(
        "data:{mime};base64,{}",
        crate::render::html::base64(&bytes)
    ))
}

/// The generation date: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
/// convention) when set, so a report can be rebuilt byte for byte; else today (UTC).
fn generated() -> Result<String> {
    let timestamp = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let seconds: i64 = text.trim().parse().map_err(|_| {
                anyhow::anyhow!("SOURCE_DATE_EPOCH={text}: not a number of seconds since 1970-01-01; unset it or give e.g. 1767225600")
            })?;
            jiff::Timestamp::from_second(seconds).map_err(|e| {
                anyhow::anyhow!("SOURCE_DATE_EPOCH={text}: {e}; unset it or give e.g. 1767225600")
            })?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(timestamp
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string())
}

/// A period's label in charts: its end's year (`2025-12-31` → `2025`), else the text as is.
fn year_of(period: &str) -> String {
    let end = period.rsplit(' ').next().unwrap_or(period);
    end.get(..4)
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(period)
        .to_string()
}

/// What the report takes from each line's result as it is made.
struct Seen {
    ranking: Ranking,
    sites: breakdown::Sums,
    tags: breakdown::Sums,
    lines: PostLines,
    /// The lines compared with the latest earlier inventory, when there is one.
    side: Option<SideLines>,
}

impl Seen {
    fn new(history: bool) -> Seen {
        Seen {
            ranking: Ranking::new(TOP_LINES),
            sites: breakdown::Sums::new(By::Site),
            tags: breakdown::Sums::new(By::Tag),
            lines: PostLines::new(crate::render::html::ZOOM_LINES),
            side: history.then(SideLines::default),
        }
    }
}

impl SeeResults for Seen {
    fn start(&mut self, _: &Inventory) {
        *self = Seen::new(self.side.is_some());
    }

    fn see(&mut self, line: &LineResult) {
        self.ranking.add(line);
        self.sites.add(None, line);
        self.tags.add(None, line);
        self.lines.add(line);
        if let Some(side) = &mut self.side {
            side.add(line);
        }
    }
}

pub(crate) fn run(options: Options<'_>) -> Result<u8> {
    let extension = options
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    if let Some(other @ ("pdf" | "png" | "svg" | "docx" | "odt" | "xlsx" | "md" | "json" | "csv")) =
        extension.as_deref()
    {
        crate::usage!(
            "--output {}: the report is HTML, not {}; write it to a .html file, then print it to PDF from a browser (A4, it is laid out for print)",
            options.output.display(),
            other.to_uppercase()
        );
    }
    let sink = Sink::new(Some(options.output));
    let mut inputs = vec![options.inventory];
    inputs.extend(options.factors.iter().map(PathBuf::as_path));
    inputs.extend(options.history.iter().map(PathBuf::as_path));
    output::refuse_inputs(&sink, &inputs)?;
    let bases = super::bases(options.factors)?;
    print_warnings(&bases.defects());
    // What the report shows of the lines is taken as they are made: a million lines are never
    // held at once (a group's report keeps its lines: taken from them after).
    let mut seen = Seen::new(!options.history.is_empty());
    let computed = std::mem::ManuallyDrop::new(compute_totals_seeing(
        options.inventory,
        &bases,
        Some(&mut seen),
    )?);
    let (inventory, report) = (&computed.inventory, &computed.report);
    let group = report.lines_kept == LinesKept::All;
    if group {
        seen = Seen::new(!options.history.is_empty());
        report.lines.iter().for_each(|line| seen.see(line));
    }
    print_warnings(&report.warnings);
    let history = history(options.history, &bases)?;
    let trajectory = if inventory.actions.is_empty() && history.is_empty() {
        None
    } else {
        let baseline =
            Baseline::from_report(&crate::load::files::display(options.inventory), report);
        let trajectory = trajectory::trajectory(&Request {
            baseline: &baseline,
            history: &history,
            actions: &inventory.actions,
            target: options.target,
            until: UNTIL,
        })?;
        print_warnings(&trajectory.warnings);
        Some(trajectory)
    };
    let analysis = seen.ranking.finish(report);
    let logo = options.logo.map(logo).transpose()?;
    // Year over year: the earlier results in period order, then this inventory; the change
    // is from the latest earlier one.
    let mut sides = options
        .history
        .iter()
        .map(|path| super::diff::side(path, &bases))
        .collect::<Result<Vec<_>>>()?;
    sides.sort_by(|a, b| a.period.cmp(&b.period));
    let current = Side::with_lines(
        &crate::load::files::display(options.inventory),
        report,
        seen.side.unwrap_or_default(),
    );
    let change = sides
        .last()
        .map(|previous| crate::diff::diff(previous, &current));
    sides.push(current);
    let years: Vec<(String, Vec<rust_decimal::Decimal>)> = sides
        .into_iter()
        .map(|s| (year_of(&s.period), s.posts))
        .collect();
    let footer = Footer {
        generated: generated()?,
        version: env!("CARGO_PKG_VERSION"),
    };
    let analysed = crate::analysed::Analysed {
        report,
        monte_carlo: None,
        analysis: Some(analysis),
        trajectory,
    };
    let extras = Extras {
        change: change.as_ref(),
        years: if years.len() > 1 { &years } else { &[] },
        footer: &footer,
        logo: logo.as_deref(),
        // A group's lines by site and tag, with its entities'.
        sites: if group {
            breakdown::breakdown(report, By::Site)
        } else {
            seen.sites.finish()
        },
        tags: if group {
            breakdown::breakdown(report, By::Tag)
        } else {
            seen.tags.finish()
        },
        lines: seen.lines,
    };
    output::write(
        &sink,
        &crate::render::html::render(&analysed, &extras, options.lang),
    )?;
    Ok(0)
}
