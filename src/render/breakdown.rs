//! The posts broken down by site or tag: table, Markdown, CSV and JSON.

use super::grid::Grid;
use super::{exact, human, tonnes};
use crate::breakdown::{Breakdown, By};
use crate::post::Lang;

fn by_name(by: By, lang: Lang) -> &'static str {
    match (by, lang) {
        (By::Site, Lang::Fr) => "site",
        (By::Site, Lang::En) => "site",
        (By::Tag, Lang::Fr) => "étiquette",
        (By::Tag, Lang::En) => "tag",
        (By::Entity, Lang::Fr) => "entité",
        (By::Entity, Lang::En) => "entity",
    }
}

fn header(b: &Breakdown, lang: Lang) -> Vec<String> {
    let mut header = match lang {
        Lang::Fr => vec!["Poste".to_string(), "Intitulé".to_string()],
        Lang::En => vec!["Post".to_string(), "Name".to_string()],
    };
    header.extend(b.keys.iter().map(|k| format!("{k} (tCO2e)")));
    header
}

fn rows(b: &Breakdown, lang: Lang) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = b
        .posts
        .iter()
        .map(|(post, values)| {
            let mut row = vec![post.code().to_string(), post.name(lang).to_string()];
            row.extend(values.iter().map(|v| human(tonnes(*v), 2, lang)));
            row
        })
        .collect();
    let mut total = vec!["Total".to_string(), String::new()];
    total.extend(b.totals.iter().map(|v| human(tonnes(*v), 2, lang)));
    rows.push(total);
    rows
}

fn note(b: &Breakdown, lang: Lang) -> Option<&'static str> {
    b.overlapping.then_some(match lang {
        Lang::Fr => "Une ligne à plusieurs étiquettes compte dans chacune : les colonnes ne s'additionnent pas.",
        Lang::En => "A line with several tags counts in each: the columns do not add up.",
    })
}

/// The breakdown as a table.
pub fn table(b: &Breakdown, lang: Lang) -> String {
    let title = match lang {
        Lang::Fr => format!("Répartition par {}", by_name(b.by, lang)),
        Lang::En => format!("Breakdown by {}", by_name(b.by, lang)),
    };
    let mut out = format!(
        "{title}\n{}\n",
        Grid::new(header(b, lang), rows(b, lang), 2).table()
    );
    if let Some(note) = note(b, lang) {
        out.push_str(note);
        out.push('\n');
    }
    out
}

/// The breakdown as Markdown.
pub fn markdown(b: &Breakdown, lang: Lang) -> String {
    let mut out = Grid::new(header(b, lang), rows(b, lang), 2).markdown();
    if let Some(note) = note(b, lang) {
        out.push_str(&format!("\n{note}\n"));
    }
    out
}

/// The breakdown as CSV: `code,name,<key>…` in kgCO2e, exact.
pub fn csv(b: &Breakdown, lang: Lang) -> String {
    let mut header = vec!["code".to_string(), "name".to_string()];
    header.extend(b.keys.iter().cloned());
    let rows = b.posts.iter().map(|(post, values)| {
        let mut record = vec![post.code().to_string(), post.name(lang).to_string()];
        record.extend(values.iter().map(|v| exact(*v)));
        record
    });
    let mut total = vec!["total".to_string(), "Total".to_string()];
    total.extend(b.totals.iter().map(|v| exact(*v)));
    super::grid::csv(
        std::iter::once(header)
            .chain(rows)
            .chain(std::iter::once(total)),
    )
}
