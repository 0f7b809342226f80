//! `bilan factors search|show|diff`: find factors in the embedded base plus any `--factors`;
//! compare two bases.

use crate::cli::{FactorsCommand, Format};
use crate::factor::Factor;
use crate::factor_base::FactorBase;
use crate::load::files;
use crate::output::{self, Sink};
use crate::render;
use crate::render::exact;
use crate::render::grid::Grid;
use anyhow::{Result, bail};

pub(crate) fn run(command: FactorsCommand) -> Result<u8> {
    match command {
        FactorsCommand::Search {
            text,
            unit,
            factors: crate::cli::FactorFiles { factors },
            limit,
        } => {
            let bases = super::bases(&factors)?;
            let base = bases.merged();
            let query = text.join(" ");
            let found = crate::search::search(base.iter(), &query, unit.as_deref());
            if found.is_empty() {
                super::note!("no factor matches \"{query}\"");
                if let Some(unit) = &unit {
                    let any_unit = crate::search::search(base.iter(), &query, None);
                    if !any_unit.is_empty() {
                        // The unit filter is why: say which units the matches have.
                        let mut units: Vec<&str> =
                            any_unit.iter().map(|f| f.unit.as_str()).collect();
                        units.sort_unstable();
                        units.dedup();
                        super::note!(
                            "{} factor{} match without --unit {unit}; their units: {}",
                            any_unit.len(),
                            if any_unit.len() == 1 { "" } else { "s" },
                            units.join(", ")
                        );
                    }
                }
                return Ok(1);
            }
            let rows = found
                .iter()
                .take(limit)
                .map(|f| {
                    vec![
                        f.id.clone(),
                        f.name.clone(),
                        f.unit.clone(),
                        exact(f.kgco2e),
                        f.uncertainty.percent.map_or_else(String::new, |p| {
                            format!("{}%", exact(p * rust_decimal::Decimal::ONE_HUNDRED))
                        }),
                        f.status.label().to_string(),
                    ]
                })
                .collect();
            let header = ["id", "name", "unit", "kgCO2e", "uncertainty", "status"];
            let mut text = format!(
                "{}\n",
                Grid {
                    header: header.map(String::from).to_vec(),
                    rows,
                    right: vec![]
                }
                .table()
            );
            if found.len() > limit {
                text.push_str(&format!("{} more (use --limit)\n", found.len() - limit));
            }
            output::write(&Sink::Stdout, &text)?;
            Ok(0)
        }
        FactorsCommand::Diff {
            old,
            new,
            format,
            output,
        } => {
            super::refuse_beges(format)?;
            let sink = Sink::new(output.as_deref());
            output::refuse_inputs(&sink, &[old.as_path(), new.as_path()])?;
            let (old_base, new_base) = (read(&old)?, read(&new)?);
            let diff = crate::factor_diff::compare(old_base.iter(), new_base.iter());
            let (old_name, new_name) = (files::display(&old), files::display(&new));
            let text = match format {
                Format::Table => render::factor_diff::table(&diff, &old_name, &new_name),
                Format::Md => render::factor_diff::markdown(&diff, &old_name, &new_name),
                Format::Csv => render::factor_diff::csv(&diff),
                Format::Json => render::factor_diff::json(&diff, &old_name, &new_name),
                Format::Beges | Format::BegesMd => {
                    super::refuse_beges(format)?;
                    String::new()
                }
                Format::Xlsx => {
                    super::refuse_terminal(&sink)?;
                    let bytes = crate::render::xlsx::table(
                        "factors diff",
                        &render::factor_diff::csv(&diff),
                        &[],
                    )?;
                    output::write_with(&sink, |out| std::io::Write::write_all(out, &bytes))?;
                    return Ok(0);
                }
            };
            output::write(&sink, &text)?;
            Ok(0)
        }
        FactorsCommand::Show {
            id,
            factors: crate::cli::FactorFiles { factors },
        } => {
            let bases = super::bases(&factors)?;
            let base = bases.merged();
            let Some(factor) = base.get(id.trim()) else {
                let closest: Vec<String> = base
                    .closest(&id, 3)
                    .iter()
                    .map(|f| format!("{} ({})", f.id, f.name))
                    .collect();
                bail!("unknown factor id `{id}`; closest: {}", closest.join(", "));
            };
            output::write(&Sink::Stdout, &describe(factor))?;
            Ok(0)
        }
    }
}

fn describe(f: &Factor) -> String {
    let mut out = String::new();
    let mut row = |key: &str, value: String| {
        if !value.is_empty() {
            out.push_str(&format!("{key:<14}{value}\n"));
        }
    };
    row("id", f.id.clone());
    row("name", f.name.clone());
    row("value", format!("{} {}", exact(f.kgco2e), f.unit));
    row("status", f.status.label().to_string());
    row("category", f.category.clone());
    row("location", f.location.clone());
    row("tags", f.tags.clone());
    row(
        "uncertainty",
        f.uncertainty.percent.map_or_else(String::new, |p| {
            format!("{}%", exact(p * rust_decimal::Decimal::ONE_HUNDRED))
        }),
    );
    let q = f.uncertainty.quality;
    if !q.is_empty() {
        let s = |v: Option<u8>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        row(
            "quality",
            format!(
                "technical {} · geographic {} · temporal {} · completeness {}",
                s(q.technical),
                s(q.geographic),
                s(q.temporal),
                s(q.completeness)
            ),
        );
    }
    row("source", f.source.clone());
    row("origin", f.origin.to_string());
    if !f.parts.is_empty() {
        out.push_str("parts\n");
        for p in &f.parts {
            let name = if p.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.name)
            };
            out.push_str(&format!("  {}{name}: {}\n", p.kind, exact(p.kgco2e)));
        }
    }
    let g = &f.gases;
    if !g.is_empty() {
        out.push_str("gases (kgCO2e per unit)\n");
        for (name, value) in [
            ("CO2 fossil", g.co2f),
            ("CH4 fossil", g.ch4f),
            ("CH4 biogenic", g.ch4b),
            ("N2O", g.n2o),
        ] {
            if let Some(v) = value {
                out.push_str(&format!("  {name}: {}\n", exact(v)));
            }
        }
        for (name, v) in &g.other {
            out.push_str(&format!("  {name}: {}\n", exact(*v)));
        }
        if let Some(v) = g.co2b {
            out.push_str(&format!(
                "  CO2 biogenic (apart, not in the total): {}\n",
                exact(v)
            ));
        }
    }
    out
}

/// One base file alone (no embedded base); its skipped defective rows are warnings on stderr,
/// as for `--factors`.
fn read(path: &std::path::Path) -> Result<FactorBase> {
    let loaded = files::read_base(path)?;
    let name = files::display(path);
    for defect in &loaded.defects {
        eprintln!(
            "warning: {name}:{}: row skipped: {}",
            defect.line, defect.reason
        );
    }
    let mut base = FactorBase::new();
    base.merge(loaded);
    Ok(base)
}
