//! A diff as a table, Markdown (for a pull request), CSV or JSON.

use super::grid::{Grid, escape_markdown};
use super::{exact, human, num_rounded, percent, rounded, tonnes};
use crate::contract::Num;
use crate::contract::diff as doc;
use crate::diff::{Change, Diff, LineStatus};
use crate::post::Lang;
use rust_decimal::Decimal;

fn header(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Fr => [
            "Poste",
            "Intitulé",
            "Avant (t)",
            "Après (t)",
            "Écart (t)",
            "Écart",
            "Activité (t)",
            "Facteur (t)",
            "Périmètre (t)",
        ],
        Lang::En => [
            "Post",
            "Name",
            "Before (t)",
            "After (t)",
            "Change (t)",
            "Change",
            "Activity (t)",
            "Factor (t)",
            "Perimeter (t)",
        ],
    }
}

fn signed(value: Decimal, lang: Lang) -> String {
    let text = human(tonnes(value), 2, lang);
    if value.is_sign_positive() && !text.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        format!("+{text}")
    } else {
        text
    }
}

fn cells(code: String, name: &str, change: &Change, lang: Lang) -> Vec<String> {
    vec![
        code,
        name.to_string(),
        human(tonnes(change.before), 2, lang),
        human(tonnes(change.after), 2, lang),
        signed(change.delta(), lang),
        change
            .share()
            .map_or_else(|| "–".to_string(), |s| percent(s, lang)),
        signed(change.effects.activity, lang),
        signed(change.effects.factor, lang),
        signed(change.effects.perimeter, lang),
    ]
}

/// Rows shown to people: posts that are non-zero on either side, each scope, the total.
fn rows(diff: &Diff, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (scope, change) in &diff.scopes {
        for p in diff.posts.iter().filter(|p| p.post.scope() == *scope) {
            if !(p.change.before.is_zero() && p.change.after.is_zero()) {
                rows.push(cells(
                    p.post.code().to_string(),
                    p.post.name(lang),
                    &p.change,
                    lang,
                ));
            }
        }
        rows.push(cells(
            format!("Scope {}", scope.number()),
            scope.name(lang),
            change,
            lang,
        ));
    }
    rows.push(cells("Total".to_string(), "", &diff.total, lang));
    rows
}

fn title(diff: &Diff, lang: Lang) -> String {
    let (b, bp) = &diff.before;
    let (a, ap) = &diff.after;
    match lang {
        Lang::Fr => format!("Écarts : {b} ({bp}) → {a} ({ap})"),
        Lang::En => format!("Changes: {b} ({bp}) → {a} ({ap})"),
    }
}

/// The lines behind each post's change, and the factors whose value changed.
fn details(diff: &Diff, lang: Lang, bullet: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in diff.posts.iter().filter(|p| !p.lines.is_empty()) {
        out.push(format!(
            "{} {} ({} t):",
            p.post.code(),
            p.post.name(lang),
            signed(p.change.delta(), lang)
        ));
        for l in &p.lines {
            let how = match (l.status, lang) {
                (LineStatus::Added, Lang::Fr) => "ajoutée".to_string(),
                (LineStatus::Added, Lang::En) => "added".to_string(),
                (LineStatus::Removed, Lang::Fr) => "retirée".to_string(),
                (LineStatus::Removed, Lang::En) => "removed".to_string(),
                (LineStatus::Matched, Lang::Fr) => format!(
                    "activité {}, facteur {}",
                    signed(l.effects.activity, lang),
                    signed(l.effects.factor, lang)
                ),
                (LineStatus::Matched, Lang::En) => format!(
                    "activity {}, factor {}",
                    signed(l.effects.activity, lang),
                    signed(l.effects.factor, lang)
                ),
            };
            out.push(format!(
                "{bullet}`{}` {}: {} t ({how})",
                l.id,
                l.label,
                signed(l.after - l.before, lang)
            ));
        }
    }
    if !diff.factors.is_empty() {
        out.push(match lang {
            Lang::Fr => "Facteurs dont la valeur a changé :".to_string(),
            Lang::En => "Factors whose value changed:".to_string(),
        });
        for f in &diff.factors {
            let change = if f.before.is_zero() {
                String::new()
            } else {
                format!(" ({})", percent((f.after - f.before) / f.before, lang))
            };
            out.push(format!(
                "{bullet}{} {}: {} → {} {}{change}",
                f.id,
                f.name,
                super::exact_for(f.before, lang),
                super::exact_for(f.after, lang),
                f.unit
            ));
        }
    }
    out
}

fn grid(diff: &Diff, lang: Lang) -> Grid {
    Grid::new(header(lang), rows(diff, lang), 2)
}

/// The diff as a table.
pub fn table(diff: &Diff, lang: Lang) -> String {
    let mut out = format!("{}\n{}\n", title(diff, lang), grid(diff, lang).table());
    for line in details(diff, lang, "  ") {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The diff as Markdown, for a pull request comment.
pub fn markdown(diff: &Diff, lang: Lang) -> String {
    let mut out = format!(
        "### {}\n\n{}",
        escape_markdown(&title(diff, lang)),
        grid(diff, lang).markdown()
    );
    let details = details(diff, lang, "  - ");
    if !details.is_empty() {
        out.push('\n');
        for line in details {
            let line = if line.starts_with("  - ") {
                line
            } else {
                format!("- {line}")
            };
            out.push_str(&escape_markdown(&line));
            out.push('\n');
        }
    }
    out
}

/// The diff as CSV: every post, scope and the total, exact kgCO2e.
pub fn csv(diff: &Diff, lang: Lang) -> String {
    let header = [
        "code",
        "name",
        "before",
        "after",
        "change",
        "change_share",
        "activity",
        "factor",
        "perimeter",
    ]
    .map(String::from)
    .to_vec();
    let record = |code: String, name: &str, c: &Change| {
        vec![
            code,
            name.to_string(),
            exact(c.before),
            exact(c.after),
            exact(c.delta()),
            c.share().map_or_else(String::new, |s| rounded(s, 6)),
            exact(c.effects.activity),
            exact(c.effects.factor),
            exact(c.effects.perimeter),
        ]
    };
    let mut rows = vec![header];
    rows.extend(
        diff.posts
            .iter()
            .map(|p| record(p.post.code().to_string(), p.post.name(lang), &p.change)),
    );
    rows.extend(
        diff.scopes
            .iter()
            .map(|(scope, c)| record(format!("scope {}", scope.number()), scope.name(lang), c)),
    );
    rows.push(record("total".to_string(), "Total", &diff.total));
    super::grid::csv(rows)
}

fn side((name, period): &(String, String)) -> doc::Side<'_> {
    doc::Side {
        name: name.as_str().into(),
        period: period.as_str().into(),
    }
}

fn change_json(c: &Change) -> doc::Change {
    doc::Change {
        before: Num(c.before),
        after: Num(c.after),
        change: Num(c.delta()),
        change_share: c.share().map(|s| num_rounded(s, 6)),
        activity: Num(c.effects.activity),
        factor: Num(c.effects.factor),
        perimeter: Num(c.effects.perimeter),
    }
}

/// The diff as its JSON document (`bilan.diff/1`).
pub fn document(diff: &Diff, lang: Lang) -> doc::Document<'_> {
    doc::Document {
        schema: crate::contract::DIFF.into(),
        unit: "kgCO2e".into(),
        before: side(&diff.before),
        after: side(&diff.after),
        total: change_json(&diff.total),
        scopes: diff
            .scopes
            .iter()
            .map(|(s, c)| doc::ScopeChange {
                change: change_json(c),
                scope: s.number(),
            })
            .collect(),
        posts: diff
            .posts
            .iter()
            .map(|p| doc::PostChange {
                change: change_json(&p.change),
                code: p.post.code().into(),
                name: p.post.name(lang).into(),
                lines: p
                    .lines
                    .iter()
                    .map(|l| doc::LineChange {
                        id: l.id.as_str().into(),
                        label: l.label.as_str().into(),
                        status: match l.status {
                            LineStatus::Matched => "matched",
                            LineStatus::Added => "added",
                            LineStatus::Removed => "removed",
                        }
                        .into(),
                        before: Num(l.before),
                        after: Num(l.after),
                        activity: Num(l.effects.activity),
                        factor: Num(l.effects.factor),
                        perimeter: Num(l.effects.perimeter),
                    })
                    .collect(),
            })
            .collect(),
        factors: diff
            .factors
            .iter()
            .map(|f| doc::Factor {
                id: f.id.as_str().into(),
                name: f.name.as_str().into(),
                unit: f.unit.as_str().into(),
                before: Num(f.before),
                after: Num(f.after),
            })
            .collect(),
    }
}

/// The diff as JSON (`bilan.diff/1`).
pub fn json(diff: &Diff, lang: Lang) -> String {
    let mut text = serde_json::to_string_pretty(&document(diff, lang)).unwrap_or_default();
    text.push('\n');
    text
}
