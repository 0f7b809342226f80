//! `bilan batch`: every inventory under a folder, computed in parallel, each result written
//! under the output folder mirroring the tree, and a summary (one row per inventory, sorted by
//! path, the same bytes whatever the number of threads).
//!
//! One bad inventory never stops the others: its first error goes into the summary, all of
//! them into [`Outcome::messages`]. The factor bases are parsed once for the whole run.

use crate::error::{InputError, InputErrors};
use crate::interrupt;
use crate::load::files;
use crate::output::{self, Sink};
use crate::post::Lang;
use crate::render;
use crate::report::Report;
use crate::session::{Bases, compute_one};
use anyhow::{Context, Result, bail};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The patterns used when none is given: YAML files at any depth.
pub const DEFAULT_GLOBS: [&str; 2] = ["**/*.yaml", "**/*.yml"];

/// The summary's file name in the output folder.
pub const SUMMARY: &str = "summary.csv";
/// The summary as a workbook, written beside [`SUMMARY`] with `--format xlsx`.
pub const SUMMARY_XLSX: &str = "summary.xlsx";

/// What to compute and where to write it.
#[derive(Clone, Debug)]
pub struct Options {
    /// The folder searched for inventories.
    pub root: PathBuf,
    /// Patterns matched against paths relative to `root` (`/`-separated; `*` stays within a
    /// folder, `**` crosses them); empty means [`DEFAULT_GLOBS`].
    pub globs: Vec<String>,
    /// The folder results and the summary are written into (created as needed).
    pub output: PathBuf,
    /// Extra factor bases shared by every inventory, in merge order.
    pub factors: Vec<PathBuf>,
    /// The format of each inventory's result.
    pub format: ResultFormat,
    /// The dialect of the CSV files written (results and summary).
    pub dialect: crate::render::sheet::Dialect,
    /// Label language of the results and the summary table.
    pub lang: Lang,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Warning codes dropped from every result (`--allow`).
    pub allow: Vec<crate::warning::Code>,
    /// Only errors in [`Outcome::messages`] (`--quiet`).
    pub quiet: bool,
}

/// The format of each inventory's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultFormat {
    /// JSON (schema bilan.result/1), `.json`.
    Json,
    /// CSV, one row per post, `.csv`.
    Csv,
    /// GitHub-flavoured Markdown, `.md`.
    Md,
    /// An Excel workbook, `.xlsx` (and the summary as `summary.xlsx` too).
    Xlsx,
}

/// The figures of an inventory that computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// The total, kgCO2e.
    pub total_kgco2e: Decimal,
    /// Scopes 1, 2 and 3, kgCO2e.
    pub scopes_kgco2e: [Decimal; 3],
    /// The code of the post with the most emissions (the first in code order on a tie); `None`
    /// when nothing is emitted.
    pub largest_post: Option<&'static str>,
    /// The total's uncertainty α (0.11 for ±11 %).
    pub uncertainty: f64,
    /// Intensity ratios: indicator key → kgCO2e per unit.
    pub ratios: Vec<(String, Decimal)>,
    /// Number of warnings.
    pub warnings: usize,
}

/// One inventory's line of the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Its path relative to the root, `/`-separated.
    pub path: String,
    /// The first folder under the root; for an inventory directly in the root, its
    /// organisation's name.
    pub client: String,
    /// The organisation's name (empty when the inventory could not be read).
    pub organisation: String,
    /// The period's year.
    pub year: Option<i32>,
    /// Where its result is written (or would have been, on an error).
    pub output: PathBuf,
    /// Its figures, or its first error.
    pub result: Result<Figures, String>,
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    /// One row per inventory, sorted by path.
    pub rows: Vec<Row>,
    /// Every indicator key found, sorted: one ratio column each.
    pub ratio_keys: Vec<String>,
    /// Diagnostics for stderr (`error: …`, `warning: …`), in path order.
    pub messages: Vec<String>,
    /// Folders that could not be read while searching (each also in `messages`).
    pub unreadable: usize,
    /// YAML files without a top-level `bilan:` key (a `docker-compose.yml`, lines for
    /// `include:`): not inventories, skipped.
    pub skipped: Vec<PathBuf>,
    /// The summary file written.
    pub summary: PathBuf,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

/// Finds, computes and writes every inventory under `options.root`; writes the summary CSV.
///
/// Errors only when nothing can be done (no inventory, unusable folders or factor bases); an
/// inventory's own error is in its row.
pub fn run(options: &Options) -> Result<Outcome> {
    let start = Instant::now();
    let root = &options.root;
    if !root.is_dir() {
        bail!(
            "{} is not a folder: give the folder holding the inventories",
            root.display()
        );
    }
    let root_canonical = std::fs::canonicalize(root)
        .with_context(|| format!("cannot read folder {}", root.display()))?;
    let out_canonical = std::fs::canonicalize(&options.output).ok();
    if out_canonical.as_ref() == Some(&root_canonical) {
        bail!(
            "--output {} is the input folder: choose another folder (results would mix with the inventories)",
            options.output.display()
        );
    }
    let globs = glob_set(&options.globs)?;
    let mut messages = Vec::new();
    let (paths, unreadable, skipped) = find(
        root,
        &root_canonical,
        &globs,
        out_canonical.as_deref(),
        &mut messages,
    );
    if paths.is_empty() {
        let patterns = patterns(&options.globs).join(", ");
        bail!(
            "no inventory under {} matches {patterns}{}{}",
            root.display(),
            if skipped.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} YAML file{} without `bilan: 1` skipped)",
                    skipped.len(),
                    if skipped.len() == 1 { "" } else { "s" }
                )
            },
            if unreadable > 0 {
                " (some folders could not be read)"
            } else {
                ""
            }
        );
    }
    let bases = Bases::load(&options.factors)?
        .allowing(options.allow.clone())
        .within(root_canonical.clone());
    messages.extend(
        bases
            .defects()
            .iter()
            .map(|warning| format!("warning: {warning}")),
    );
    std::fs::create_dir_all(&options.output).with_context(|| {
        format!(
            "cannot create the output folder {}",
            options.output.display()
        )
    })?;
    // One batch at a time into a folder: a second one waits for nothing and says so. The
    // lock goes with the process, however it ends.
    let lock = std::fs::File::open(&options.output)
        .with_context(|| format!("cannot open the output folder {}", options.output.display()))?;
    if let Err(std::fs::TryLockError::WouldBlock) = lock.try_lock() {
        bail!(
            "another `bilan batch` is writing into {}: wait for it to finish, or choose another --output",
            options.output.display()
        );
    }
    // The summary describes the files beside it: the previous one goes before any result is
    // replaced, the new one comes once they all are. An interrupted run leaves none.
    let summary = options.output.join(SUMMARY);
    let summary_xlsx = options.output.join(SUMMARY_XLSX);
    remove_result(&summary)?;
    remove_result(&summary_xlsx)?;
    let _graceful = interrupt::Graceful::new();
    let jobs = plan(paths, options);

    let bar = progress_bar(jobs.len(), options.progress);
    let done = compute_and_write(&jobs, &bases, options, &bar);
    bar.finish_and_clear();

    // Files that an inventory includes (`include:`, lines only) are not inventories.
    let included: HashSet<PathBuf> = done
        .iter()
        .flat_map(|(_, _, included)| included.iter().cloned())
        .collect();
    let mut rows = Vec::with_capacity(done.len());
    for ((row, diagnostics, _), job) in done.into_iter().zip(&jobs) {
        let is_included = !included.is_empty()
            && row.result.is_err()
            && std::fs::canonicalize(&job.path).is_ok_and(|p| included.contains(&p));
        if !is_included {
            messages.extend(diagnostics);
            rows.push(row);
        }
    }
    let ratio_keys: Vec<String> = rows
        .iter()
        .filter_map(|row| row.result.as_ref().ok())
        .flat_map(|figures| figures.ratios.iter().map(|(key, _)| key.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if interrupt::requested() {
        let written = rows.iter().filter(|row| row.result.is_ok()).count();
        return Err(interrupt::Interrupted(format!(
            "interrupted: {written} of {} results written, no {SUMMARY} (run the same command again to complete the folder)",
            rows.len()
        ))
        .into());
    }
    let mut outcome = Outcome {
        rows,
        ratio_keys,
        messages,
        unreadable,
        skipped,
        summary,
        elapsed: Duration::ZERO,
    };
    let csv = render::batch::csv(&outcome);
    if options.format == ResultFormat::Xlsx {
        let bytes = render::xlsx::table("summary", &csv, &[])?;
        output::write_atomically(&summary_xlsx, &bytes)?;
    }
    // The CSV summary last: its presence says the folder is complete.
    let csv = render::sheet::in_dialect(csv, options.dialect, &[]);
    output::write_atomically(&outcome.summary, csv.as_bytes())?;
    drop(lock);
    outcome.elapsed = start.elapsed();
    Ok(outcome)
}

fn patterns(globs: &[String]) -> Vec<String> {
    if globs.is_empty() {
        DEFAULT_GLOBS.iter().map(|g| (*g).to_string()).collect()
    } else {
        globs.to_vec()
    }
}

fn glob_set(globs: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns(globs) {
        // Paths are matched relative to the root: `./x/*.yaml` means `x/*.yaml`.
        let relative = pattern.trim_start_matches("./");
        let glob = GlobBuilder::new(relative)
            .literal_separator(true)
            .build()
            .with_context(|| format!("--glob {pattern}: not a valid pattern"))?;
        builder.add(glob);
    }
    builder.build().context("--glob: cannot build the patterns")
}

/// A path relative to the root, `/`-separated whatever the platform.
fn slash_path(relative: &Path) -> String {
    relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The files under `root` matching `globs`, relative to the root and sorted; the output folder
/// is not searched. Folders that cannot be read are reported in `messages` and counted.
fn find(
    root: &Path,
    root_canonical: &Path,
    globs: &GlobSet,
    output: Option<&Path>,
    messages: &mut Vec<String>,
) -> (Vec<PathBuf>, usize, Vec<PathBuf>) {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let mut unreadable = 0;
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| {
            let is_output = entry.depth() > 0
                && entry.file_type().is_dir()
                && output.is_some()
                && std::fs::canonicalize(entry.path()).ok().as_deref() == output;
            // A linked folder leading outside is not searched (a link to `/` would walk the
            // whole disk).
            let leads_out = entry.depth() > 0
                && entry.path_is_symlink()
                && entry.file_type().is_dir()
                && !std::fs::canonicalize(entry.path())
                    .is_ok_and(|p| p.starts_with(root_canonical));
            !is_output && !leads_out
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                unreadable += 1;
                let at = e
                    .path()
                    .map_or_else(|| root.display().to_string(), files::display);
                let reason = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                messages.push(format!("error: {at}: cannot search: {reason}"));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        if !globs.is_match(slash_path(relative)) {
            continue;
        }
        // A link leading out of the folder is not followed: its target is someone else's.
        let inside =
            std::fs::canonicalize(entry.path()).is_ok_and(|real| real.starts_with(root_canonical));
        if !inside {
            messages.push(format!(
                "warning: {}: skipped, a link leading outside {}",
                files::display(entry.path()),
                root.display()
            ));
            continue;
        }
        if !declares_inventory(entry.path()) {
            skipped.push(relative.to_path_buf());
            continue;
        }
        found.push(relative.to_path_buf());
    }
    found.sort();
    skipped.sort();
    (found, unreadable, skipped)
}

/// False for a YAML file with content but no top-level `bilan:` key: not an inventory. An
/// empty file (an inventory not yet written) or one that cannot be read is one: its row says
/// why.
fn declares_inventory(path: &Path) -> bool {
    match files::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let blank = text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
            blank || has_bilan_key(&text)
        }
        Err(_) => true,
    }
}

/// True when some line opens with the key `bilan` at the top level (plain or quoted), or the
/// document is a flow mapping naming it.
fn has_bilan_key(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().any(|line| {
        let key = ["bilan", "\"bilan\"", "'bilan'"]
            .iter()
            .find_map(|k| line.strip_prefix(k));
        if let Some(rest) = key {
            return rest.trim_start().starts_with(':');
        }
        line.starts_with('{') && line.contains("bilan")
    })
}

/// One inventory to compute.
struct Job {
    /// As read: root joined with `relative`.
    path: PathBuf,
    relative: PathBuf,
    output: PathBuf,
    /// Why its result cannot be written, found before computing.
    conflict: Option<String>,
}

/// Output paths for the sorted inventories; a second inventory with the same output (`a.yaml`
/// and `a.yml`), or one whose output would be the summary, is an error.
fn plan(paths: Vec<PathBuf>, options: &Options) -> Vec<Job> {
    let extension = match options.format {
        ResultFormat::Json => "json",
        ResultFormat::Csv => "csv",
        ResultFormat::Md => "md",
        ResultFormat::Xlsx => "xlsx",
    };
    let mut taken: HashMap<PathBuf, String> = HashMap::new();
    paths
        .into_iter()
        .map(|relative| {
            let target = relative.with_extension(extension);
            let output = options.output.join(&target);
            let conflict = if target == Path::new(SUMMARY) || target == Path::new(SUMMARY_XLSX) {
                Some(format!(
                    "its result would overwrite the summary {}: rename the file or use another --format",
                    files::display(&output)
                ))
            } else if let Some(first) = taken.get(&target) {
                Some(format!(
                    "its result {} is already the result of {first}: rename one of them",
                    files::display(&output)
                ))
            } else {
                taken.insert(target, slash_path(&relative));
                None
            };
            Job {
                path: options.root.join(&relative),
                relative,
                output,
                conflict,
            }
        })
        .collect()
}

fn progress_bar(len: usize, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} inventories, {elapsed} (ETA {eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// Threads writing results: a write ends with an fsync, which would otherwise hold a compute
/// thread idle.
const WRITERS: usize = 4;

/// A rendered result on its way to its file.
struct Pending {
    /// Its job's index.
    index: usize,
    /// Its bytes.
    bytes: Vec<u8>,
    /// The files it was computed from, never overwritten.
    inputs: Vec<PathBuf>,
}

/// Computes and renders on rayon's pool while [`WRITERS`] threads write the results; returns
/// each job's row, diagnostics and the files it includes, in job order.
fn compute_and_write(
    jobs: &[Job],
    bases: &Bases,
    options: &Options,
    bar: &ProgressBar,
) -> Vec<(Row, Vec<String>, Vec<PathBuf>)> {
    let (mut done, written) = std::thread::scope(|scope| {
        // Bounded: at most this many rendered results wait in memory. Shared by the writers
        // only, so were they all gone, sending would fail rather than block.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Pending>(4 * WRITERS);
        let receiver = Arc::new(Mutex::new(receiver));
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                scope.spawn(move || {
                    let mut results = Vec::new();
                    loop {
                        let next = receiver
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .recv();
                        let Ok(pending) = next else { break };
                        let result = if interrupt::requested() {
                            Err(anyhow::anyhow!(INTERRUPTED))
                        } else {
                            jobs.get(pending.index)
                                .map_or(Ok(()), |job| write(job, &pending))
                        };
                        results.push((pending.index, result));
                    }
                    results
                })
            })
            .collect();
        drop(receiver);
        let done: Vec<(Row, Vec<String>, Vec<PathBuf>)> = jobs
            .par_iter()
            .enumerate()
            .map_with(sender, |sender, (index, job)| {
                if interrupt::requested() {
                    return (interrupted(job), Vec::new(), Vec::new());
                }
                let (row, diagnostics, pending) = one(index, job, bases, options);
                if let Some(pending) = pending {
                    // Fails only when every writer is gone (a bug): the row says so below.
                    let _ = sender.send(pending);
                }
                bar.inc(1);
                (row, diagnostics, included_by(&job.path))
            })
            .collect();
        let written: HashMap<usize, Result<()>> = writers
            .into_iter()
            .filter_map(|writer| writer.join().ok())
            .flatten()
            .collect();
        (done, written)
    });
    for (index, (row, diagnostics, _)) in done.iter_mut().enumerate() {
        if row.result.is_err() {
            continue;
        }
        let error = match written.get(&index) {
            Some(Ok(())) => continue,
            Some(Err(e)) => format!("{e:#}"),
            None => "the result was not written".to_string(),
        };
        let name = jobs
            .get(index)
            .map_or_else(String::new, |job| files::display(&job.path));
        diagnostics.push(format!("error: {name}: {error}"));
        row.result = Err(error);
    }
    done
}

/// The files an inventory includes, canonical. Read apart from the computation (which does not
/// report them), and only for a file that mentions `include`.
fn included_by(path: &Path) -> Vec<PathBuf> {
    let Ok(text) = files::read(path).map(String::from_utf8) else {
        return Vec::new();
    };
    let Ok(text) = text else {
        return Vec::new();
    };
    if !text.contains("include") {
        return Vec::new();
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Ok(inventory) = crate::load::inventory::parse(&files::display(path), text) else {
        return Vec::new();
    };
    let folder = path.parent().unwrap_or(Path::new(""));
    inventory
        .includes
        .iter()
        .filter_map(|(file, _)| std::fs::canonicalize(folder.join(file)).ok())
        .collect()
}

/// Computes and renders one inventory; returns its summary row, its diagnostics and the
/// result to write.
fn one(
    index: usize,
    job: &Job,
    bases: &Bases,
    options: &Options,
) -> (Row, Vec<String>, Option<Pending>) {
    let path = slash_path(&job.relative);
    let name = files::display(&job.path);
    let top_folder = (job.relative.components().count() > 1)
        .then(|| job.relative.components().next())
        .flatten()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let mut row = Row {
        client: top_folder.clone().unwrap_or_default(),
        path,
        organisation: String::new(),
        year: None,
        output: job.output.clone(),
        result: Err(String::new()),
    };
    let mut diagnostics = Vec::new();
    if let Some(conflict) = &job.conflict {
        diagnostics.push(format!("error: {name}: {conflict}"));
        row.result = Err(conflict.clone());
        return (row, diagnostics, None);
    }
    let report = match compute_one(&job.path, bases) {
        Ok(report) => report,
        Err(errors) => {
            diagnostics.extend(errors.0.iter().map(|e| diagnostic(e, &name)));
            row.result = Err(first_message(&errors, &name));
            // A result of an earlier run would stand beside a summary saying it failed.
            if let Err(e) = remove_result(&job.output) {
                diagnostics.push(format!("error: {name}: {e:#}"));
            }
            return (row, diagnostics, None);
        }
    };
    row.organisation.clone_from(&report.organisation.name);
    if top_folder.is_none() {
        row.client.clone_from(&report.organisation.name);
    }
    row.year = Some(report.period.year());
    // One line per inventory: a batch of hundreds would drown in the details, which
    // `bilan check` (and a JSON result) give.
    if !report.warnings.is_empty() && !options.quiet {
        let mut codes: Vec<&str> = report.warnings.iter().map(|w| w.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        let count = report.warnings.len();
        diagnostics.push(match options.lang {
            Lang::Fr => format!(
                "warning: {name}: {count} avertissement{} ({}) ; le détail : bilan check {name}",
                if count == 1 { "" } else { "s" },
                codes.join(", ")
            ),
            Lang::En => format!(
                "warning: {name}: {count} warning{} ({}); details: bilan check {name}",
                if count == 1 { "" } else { "s" },
                codes.join(", ")
            ),
        });
    }
    let lang = options.lang;
    let bytes = match options.format {
        ResultFormat::Json => render::json::render(&report, lang).into_bytes(),
        ResultFormat::Csv => {
            render::sheet::in_dialect(render::csv::posts(&report, lang), options.dialect, &[])
                .into_bytes()
        }
        ResultFormat::Md => render::markdown::render(&report, lang).into_bytes(),
        ResultFormat::Xlsx => {
            let analysed = crate::analysed::Analysed {
                analysis: Some(crate::uncertainty_analysis::analyse(
                    &report,
                    crate::uncertainty_analysis::TOP_LINES,
                )),
                ..crate::analysed::Analysed::of(&report)
            };
            match render::xlsx::result(&analysed, None, lang) {
                Ok(bytes) => bytes,
                Err(e) => {
                    let message = format!("cannot make the workbook: {e}");
                    diagnostics.push(format!("error: {name}: {message}"));
                    row.result = Err(message);
                    return (row, diagnostics, None);
                }
            }
        }
    };
    // The inputs it was computed from: the inventory and every factor file it used.
    let mut inputs = vec![job.path.clone()];
    inputs.extend(report.bases.iter().map(|b| PathBuf::from(&b.name)));
    inputs.extend(options.factors.iter().cloned());
    row.result = Ok(figures(&report));
    let pending = Pending {
        index,
        bytes,
        inputs,
    };
    (row, diagnostics, Some(pending))
}

fn diagnostic(error: &InputError, name: &str) -> String {
    if error.position.file.is_empty() {
        format!("error: {name}: {error}")
    } else {
        format!("error: {error}")
    }
}

/// The first error in one line, without the inventory's name (the summary's path says it).
fn first_message(errors: &InputErrors, name: &str) -> String {
    let Some(error) = errors.0.first() else {
        return "failed".to_string();
    };
    let at = &error.position;
    let message = error.message.lines().next().unwrap_or_default();
    if *at.file != *name && !at.file.is_empty() {
        format!("{at}: {message}")
    } else {
        match (at.line, at.column) {
            (0, _) => message.to_string(),
            (line, 0) => format!("{line}: {message}"),
            (line, column) => format!("{line}:{column}: {message}"),
        }
    }
}

/// What a job not run because of an interrupt says.
const INTERRUPTED: &str = "interrupted";

fn interrupted(job: &Job) -> Row {
    Row {
        client: String::new(),
        path: slash_path(&job.relative),
        organisation: String::new(),
        year: None,
        output: job.output.clone(),
        result: Err(INTERRUPTED.to_string()),
    }
}

/// Removes a result (or summary) of an earlier run at `path`: a file or a link, never what a
/// link points at, never an input of this run. Nothing there is fine.
fn remove_result(path: &Path) -> Result<()> {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !(metadata.is_file() || metadata.is_symlink()) || files::read_as(path).is_some() {
        return Ok(());
    }
    std::fs::remove_file(path)
        .with_context(|| format!("cannot remove the earlier result {}", path.display()))
}

fn write(job: &Job, pending: &Pending) -> Result<()> {
    if let Some(folder) = job.output.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create folder {}", folder.display()))?;
    }
    let inputs: Vec<&Path> = pending.inputs.iter().map(PathBuf::as_path).collect();
    output::refuse_inputs(&Sink::File(&job.output), &inputs)?;
    output::write_atomically(&job.output, &pending.bytes)
}

fn figures(report: &Report) -> Figures {
    let mut scopes = [Decimal::ZERO; 3];
    for scope in &report.scopes {
        let index = scope.scope.index();
        if let Some(slot) = scopes.get_mut(index) {
            *slot += scope.figure.kgco2e;
        }
    }
    let mut largest: Option<(&'static str, Decimal)> = None;
    for post in &report.posts {
        let kg = post.figure.kgco2e;
        if kg > Decimal::ZERO && largest.is_none_or(|(_, best)| kg > best) {
            largest = Some((post.post.code(), kg));
        }
    }
    Figures {
        total_kgco2e: report.total.kgco2e,
        scopes_kgco2e: scopes,
        largest_post: largest.map(|(code, _)| code),
        uncertainty: report.total.alpha(),
        ratios: report
            .ratios
            .iter()
            .map(|r| (r.indicator.key.clone(), r.kgco2e_per_unit))
            .collect(),
        warnings: report.warnings.len(),
    }
}

impl Outcome {
    /// Inventories that failed.
    pub fn failed(&self) -> usize {
        self.rows.iter().filter(|r| r.result.is_err()).count()
    }

    /// True when every inventory computed and every folder could be searched.
    pub fn success(&self) -> bool {
        self.failed() == 0 && self.unreadable == 0
    }
}

impl Figures {
    /// kgCO2e per unit of the indicator `key`, when the inventory has it.
    pub fn ratio(&self, key: &str) -> Option<Decimal> {
        self.ratios
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, kg)| *kg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_slashes_and_globs_stay_within_folders() {
        assert_eq!(slash_path(Path::new("acme/2025.yaml")), "acme/2025.yaml");
        let defaults = glob_set(&[]).unwrap();
        assert!(defaults.is_match("2025.yaml"));
        assert!(defaults.is_match("acme/sub/2025.yml"));
        assert!(!defaults.is_match("acme/factors.csv"));
        let top = glob_set(&["*.yaml".to_string()]).unwrap();
        assert!(top.is_match("2025.yaml"));
        assert!(!top.is_match("acme/2025.yaml"));
        assert!(glob_set(&["a[".to_string()]).is_err());
        assert!(
            glob_set(&["./acme/*.yaml".to_string()])
                .unwrap()
                .is_match("acme/2025.yaml")
        );
    }

    #[test]
    fn an_inventory_names_bilan_at_the_top_level() {
        assert!(has_bilan_key("bilan: 1\norganisation: {}\n"));
        assert!(has_bilan_key("\u{feff}# header\nbilan : 1\n"));
        assert!(has_bilan_key("organisation: {}\n\"bilan\": 1\n"));
        assert!(has_bilan_key("{bilan: 1, lines: []}\n"));
        assert!(!has_bilan_key("services:\n  bilan: 1\n"));
        assert!(!has_bilan_key("bilans: 3\n"));
        assert!(!has_bilan_key("lines:\n  - label: bilan\n"));
    }

    #[test]
    fn first_messages_drop_the_inventory_name() {
        let file: std::sync::Arc<str> = std::sync::Arc::from("root/a.yaml");
        let at = crate::error::Position::new(&file, 5, 3);
        let errors = InputErrors(vec![InputError::new(at, "unknown field `x`").help("h")]);
        assert_eq!(
            first_message(&errors, "root/a.yaml"),
            "5:3: unknown field `x`"
        );
        assert_eq!(
            first_message(&errors, "other.yaml"),
            "root/a.yaml:5:3: unknown field `x`"
        );
    }
}
