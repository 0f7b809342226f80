//! `bilan explain INVENTORY ID`: the audit trail of one line, or of one post (`3.9`).

use super::{compute_with_inventory, print_warnings};
use crate::cli::FactorFiles;
use crate::cli::Format;
use crate::output::{self, Sink};
use crate::post::{Lang, Post};
use crate::render;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// `bilan explain`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inventory (YAML).
    #[arg(value_name = "INVENTORY.yaml")]
    pub inventory: PathBuf,
    /// A line id, or a post code such as 3.9.
    #[arg(value_name = "LINE|POST")]
    pub id: String,
    #[command(flatten)]
    pub factors: FactorFiles,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl Args {
    /// Runs the command.
    pub(crate) fn run(self, globals: &super::Globals) -> Result<u8> {
        run(Options {
            inventory: &self.inventory,
            id: &self.id,
            factors: &self.factors.factors,
            format: self.format,
            lang: globals.lang,
        })
    }
}

pub(crate) struct Options<'a> {
    pub(crate) inventory: &'a Path,
    pub(crate) id: &'a str,
    pub(crate) factors: &'a [PathBuf],
    pub(crate) format: Format,
    pub(crate) lang: Lang,
}

pub(crate) fn run(options: Options<'_>) -> Result<u8> {
    if matches!(options.format, Format::Csv | Format::Md | Format::Xlsx) {
        crate::usage!("explain writes --format table or json");
    }
    let bases = super::bases(options.factors)?;
    let (inventory, report) = compute_with_inventory(options.inventory, &bases)?;
    print_warnings(&report.warnings);
    let json = options.format == Format::Json;
    if let Some(explanation) = crate::explain::line(&report, options.id) {
        let at = inventory
            .lines
            .iter()
            .find(|l| *l.id == *options.id)
            .map(|l| l.at.line().to_string());
        let text = if json {
            render::explain::line_json(&explanation, at.as_deref())
        } else {
            let note = render::consolidation::explain_note(&report, options.id, options.lang);
            note.unwrap_or_default()
                + &render::explain::line_table(&explanation, at.as_deref(), options.lang)
        };
        output::write(&Sink::Stdout, &text)?;
        return Ok(0);
    }
    if let Some(post) = Post::from_code(options.id) {
        let explanation = crate::explain::post(&report, post);
        let text = if json {
            render::explain::post_json(&report, &explanation)
        } else {
            render::explain::post_table(&report, &explanation, options.lang)
        };
        output::write(&Sink::Stdout, &text)?;
        return Ok(0);
    }
    let mut ids: Vec<(usize, &str)> = report
        .lines
        .iter()
        .map(|l| (strsim::levenshtein(options.id, &l.id), l.id.as_ref()))
        .collect();
    ids.sort();
    let closest: Vec<&str> = ids.iter().take(3).map(|(_, id)| *id).collect();
    bail!(
        "{}: no line `{}` and no post of that code{}",
        crate::load::files::display(options.inventory),
        options.id,
        if closest.is_empty() {
            String::new()
        } else {
            format!("; closest line ids: {}", closest.join(", "))
        }
    )
}
