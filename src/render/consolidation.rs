//! A group's consolidation in every format: the entities with the share applied, what each
//! weighs alone and in the group, and the intra-group lines left out.

use super::grid::Grid;
use super::{human, percent, tonnes};
use crate::consolidation::Consolidation;
use crate::contract::Num;
use crate::contract::group::{Entity, Group, IntragroupLine};
use crate::post::Lang;
use crate::report::Report;

/// The result document's `group`, `None` for one inventory.
pub fn json(report: &Report) -> Option<Group<'_>> {
    let c = report.consolidation.as_deref()?;
    Some(Group {
        consolidation: c.approach.as_str().into(),
        entities: c
            .entities
            .iter()
            .map(|e| Entity {
                id: e.id.as_str().into(),
                name: e.name.as_str().into(),
                file: e.file.as_str().into(),
                share_applied: Num(e.factor),
                total_kgco2e: Num(e.total_kgco2e),
                consolidated_kgco2e: Num(e.consolidated_kgco2e),
            })
            .collect(),
        intragroup_lines: c
            .intragroup
            .iter()
            .map(|l| IntragroupLine {
                entity: l.entity.as_str().into(),
                id: l.id.as_str().into(),
                label: l.label.as_str().into(),
                post: l.post.code().into(),
                kgco2e: Num(l.kgco2e),
            })
            .collect(),
    })
}

/// The two tables' cells: entities, then intra-group lines (`None` when there are none).
fn grids_cells(c: &Consolidation, lang: Lang) -> (Cells, Option<Cells>) {
    let header = match lang {
        Lang::Fr => vec![
            "Entité",
            "Nom",
            "Fichier",
            "Part retenue",
            "tCO2e (seule)",
            "tCO2e consolidées",
        ],
        Lang::En => vec![
            "Entity",
            "Name",
            "File",
            "Share applied",
            "tCO2e (alone)",
            "tCO2e consolidated",
        ],
    };
    let rows = c
        .entities
        .iter()
        .map(|e| {
            vec![
                e.id.clone(),
                e.name.clone(),
                e.file.clone(),
                percent(e.factor, lang),
                human(tonnes(e.total_kgco2e), 2, lang),
                human(tonnes(e.consolidated_kgco2e), 2, lang),
            ]
        })
        .collect();
    let entities = (header, rows, 3);
    if c.intragroup.is_empty() {
        return (entities, None);
    }
    let header = match lang {
        Lang::Fr => vec!["Entité", "Ligne", "Libellé", "Poste", "tCO2e"],
        Lang::En => vec!["Entity", "Line", "Label", "Post", "tCO2e"],
    };
    let rows = c
        .intragroup
        .iter()
        .map(|l| {
            vec![
                l.entity.clone(),
                l.id.clone(),
                l.label.clone(),
                l.post.code().to_string(),
                human(tonnes(l.kgco2e), 2, lang),
            ]
        })
        .collect();
    (entities, Some((header, rows, 4)))
}

/// The two grids: entities, then intra-group lines.
fn grids(c: &Consolidation, lang: Lang) -> (Grid, Option<Grid>) {
    let (entities, intragroup) = grids_cells(c, lang);
    let grid = |(header, rows, first): Cells| Grid::new(header, rows, first);
    (grid(entities), intragroup.map(grid))
}

fn titles(c: &Consolidation, lang: Lang) -> (String, &'static str) {
    match lang {
        Lang::Fr => (
            format!("Entités ({}) :", c.approach.as_str()),
            "Flux intra-groupe (hors total consolidé) :",
        ),
        Lang::En => (
            format!("Entities ({}):", c.approach.as_str()),
            "Intra-group flows (not in the consolidated total):",
        ),
    }
}

/// The section after the table; empty for one inventory.
pub fn table(report: &Report, lang: Lang) -> String {
    let Some(c) = report.consolidation.as_deref() else {
        return String::new();
    };
    let (entities, intragroup) = grids(c, lang);
    let (title, flows) = titles(c, lang);
    let mut out = format!("\n{title}\n{}\n", entities.table());
    if let Some(grid) = intragroup {
        out.push_str(&format!("\n{flows}\n{}\n", grid.table()));
    }
    out
}

/// The section after the Markdown table; empty for one inventory.
pub fn markdown(report: &Report, lang: Lang) -> String {
    let Some(c) = report.consolidation.as_deref() else {
        return String::new();
    };
    let (entities, intragroup) = grids(c, lang);
    let (title, flows) = titles(c, lang);
    let mut out = format!(
        "\n### {}\n\n{}\n",
        title.trim_end_matches([':', ' ']),
        entities.markdown()
    );
    if let Some(grid) = intragroup {
        out.push_str(&format!(
            "\n### {}\n\n{}\n",
            flows.trim_end_matches([':', ' ']),
            grid.markdown()
        ));
    }
    out
}

/// For `explain` on a group's line: which entity it comes from and the share its quantity was
/// multiplied by (the quantity shown is the consolidated one, not the one written).
pub fn explain_note(report: &Report, line_id: &str, lang: Lang) -> Option<String> {
    let c = report.consolidation.as_deref()?;
    let (e, own) = c.entity_of(line_id)?;
    let entity = &e.id;
    Some(match lang {
        Lang::Fr => format!(
            "Groupe ({}) : ligne `{own}` de l'entité `{entity}` ({}), sa quantité saisie × la part retenue {} : la quantité ci-dessous est la quantité consolidée.\n\n",
            c.approach.as_str(),
            e.file,
            percent(e.factor, lang)
        ),
        Lang::En => format!(
            "Group ({}): line `{own}` of entity `{entity}` ({}), its quantity as written × the share applied {}: the quantity below is the consolidated one.\n\n",
            c.approach.as_str(),
            e.file,
            percent(e.factor, lang)
        ),
    })
}

/// The HTML report's section on a group's entities (nothing for one inventory).
pub fn html(report: &Report, lang: Lang) -> maud::Markup {
    let Some(c) = report.consolidation.as_deref() else {
        return maud::html! {};
    };
    let fr = lang == Lang::Fr;
    let (entities, intragroup) = grids_cells(c, lang);
    let (_, flows) = titles(c, lang);
    let approach = c.approach.as_str();
    maud::html! {
        section #entities {
            h2 { @if fr { "Entités" } @else { "Entities" } }
            p.note {
                @if fr { "Consolidation : " (approach) ". Chaque entité : la part de ses émissions retenue, son total seule et ce qu'elle pèse dans le groupe." }
                @else { "Consolidation: " (approach) ". Each entity: the share of its emissions counted, its total alone and what it weighs in the group." }
            }
            (html_table(&entities))
            @if let Some(flows_table) = &intragroup {
                p.note { (flows.trim_end_matches([':', ' '])) }
                (html_table(flows_table))
            }
        }
    }
}

/// Header and rows of a grid, and from which column the cells are numbers.
type Cells = (Vec<&'static str>, Vec<Vec<String>>, usize);

fn html_table((header, rows, first_number): &Cells) -> maud::Markup {
    maud::html! {
        table {
            thead { tr { @for (i, h) in header.iter().enumerate() { th.num[i >= *first_number] { (h) } } } }
            tbody {
                @for row in rows {
                    tr { @for (i, cell) in row.iter().enumerate() { td.num[i >= *first_number] { (cell) } } }
                }
            }
        }
    }
}
