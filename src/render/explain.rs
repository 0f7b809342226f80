//! `bilan explain`: the audit trail of a line or a post, as a table of steps or as JSON
//! (`bilan.explain/1`). Figures are exact (an auditor rebuilds them by hand), with a decimal
//! comma in French.

use super::grid::{Grid, write_long_table};
use super::{num_rounded_f64, rounded_f64};
use crate::contract::explain as doc;
use crate::contract::{Num, result::Amortization};
use crate::explain::{LineExplanation, PostExplanation};
use crate::post::Lang;
use crate::report::Destination;
use std::io::{self, Write};

use super::exact_for as num;

/// A share (0–1) as a percentage to one decimal.
fn pct(share: f64, lang: Lang) -> String {
    let text = rounded_f64(share * 100.0, 2);
    match lang {
        Lang::Fr => format!("{} %", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
    }
}

/// k and ±α, e.g. `k = 1.113 (±11.3%)`.
fn k(k: f64, lang: Lang) -> String {
    let text = rounded_f64(k, 3);
    let alpha = pct(k - 1.0, lang);
    match lang {
        Lang::Fr => format!("k = {} (±{alpha})", text.replace('.', ",")),
        Lang::En => format!("k = {text} (±{alpha})"),
    }
}

/// The steps of a line, one row each.
pub fn line_table(e: &LineExplanation<'_>, at: Option<&str>, lang: Lang) -> String {
    let l = e.line;
    let f = &l.factor;
    let fr = lang == Lang::Fr;
    // French puts a space before a colon.
    let c = if fr { " : " } else { ": " };
    let t = |fr_text: &str, en_text: &str| {
        if fr {
            fr_text.to_string()
        } else {
            en_text.to_string()
        }
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    rows.push(vec![
        t("Quantité saisie", "Quantity as written"),
        format!("{} {}", num(l.quantity, lang), l.unit),
    ]);
    rows.push(vec![
        t("Conversion", "Conversion"),
        match e.conversion {
            Some(c) => format!(
                "× {} → {} {} ({} {})",
                num(c, lang),
                num(l.converted_quantity, lang),
                f.per_unit(),
                t("unité du facteur :", "the factor's unit:"),
                f.unit
            ),
            None => format!("{} {}", num(l.converted_quantity, lang), f.per_unit()),
        },
    ]);
    if let Some(p) = &l.price {
        rows.push(vec![
            t("Année de prix", "Price year"),
            format!(
                "{} {} {} {} : × {} ({})",
                t("euros de", "euros of"),
                p.from,
                t("→ euros de", "→ euros of"),
                p.to,
                num(p.multiplier, lang),
                p.sources.join(" + ")
            ),
        ]);
    }
    rows.push(vec![
        t("Amortissement", "Amortisation"),
        match &l.amortization {
            None => t("aucun", "none"),
            Some((a, true)) => format!(
                "{} {}, {} {}{c}{} → 0",
                t("acquis en", "acquired"),
                a.acquired,
                a.years,
                t("ans, terminé", "years, over"),
                t("compté", "counted")
            ),
            Some((a, false)) => format!(
                "{} {}, {} {}{c}{} / {} = {} {}",
                t("acquis en", "acquired"),
                a.acquired,
                a.years,
                t("ans", "years"),
                num(l.converted_quantity, lang),
                a.years,
                num(e.counted, lang),
                f.per_unit()
            ),
        },
    ]);
    let stated = f.uncertainty.percent.map_or_else(
        || {
            t(
                "colonnes de qualité de la base",
                "the base's quality columns",
            )
        },
        |p| {
            format!(
                "±{} {}",
                pct(super::super::report::to_f64(p), lang),
                t("déclarée par la base", "stated by the base")
            )
        },
    );
    rows.push(vec![
        t("Facteur", "Factor"),
        format!(
            "{} {}\n{} {} · {} · {} {}\n{} · {} {}",
            f.id,
            f.name,
            num(f.kgco2e, lang),
            f.unit,
            f.status.label(),
            t("incertitude :", "uncertainty:"),
            stated,
            f.source,
            t("lu en", "read at"),
            f.origin
        ),
    ]);
    rows.push(vec![
        t("Émissions", "Emissions"),
        format!(
            "{} × {} = {} kgCO2e{}",
            num(e.counted, lang),
            num(f.kgco2e, lang),
            num(l.figure.kgco2e, lang),
            match l.destination {
                Destination::Emissions => String::new(),
                Destination::Avoided => t(
                    " (négatif : émissions évitées, hors total)",
                    " (negative: avoided emissions, not in the total)",
                ),
                Destination::Removals => t(
                    " (négatif : absorptions, hors total)",
                    " (negative: removals, not in the total)",
                ),
            }
        ),
    ]);
    if !e.factor_parts.is_empty() {
        let parts: Vec<String> = e
            .factor_parts
            .iter()
            .map(|p| {
                let name = if p.part.name.is_empty() {
                    p.part.kind.clone()
                } else {
                    format!("{} ({})", p.part.kind, p.part.name)
                };
                match p.post {
                    Some(post) if post == crate::post::codes::UPSTREAM_ENERGY => {
                        format!("{name}{c}{} → {post}", num(p.part.kgco2e, lang))
                    }
                    Some(post) => format!(
                        "{name}{c}{} × {} = {} → {post}",
                        num(p.part.kgco2e, lang),
                        num(e.counted, lang),
                        num(p.part.kgco2e * e.counted, lang)
                    ),
                    None => format!("{name}{c}{}", t("non séparable", "cannot be split")),
                }
            })
            .chain(std::iter::once(t(
                "3.8 reçoit le reste (total − parts placées ailleurs)",
                "3.8 gets the remainder (total − parts placed elsewhere)",
            )))
            .collect();
        rows.push(vec![t("Décomposition", "Factor parts"), parts.join("\n")]);
    }
    let posts: Vec<String> = e
        .posts
        .iter()
        .map(|p| format!("{}{c}{} kgCO2e", p.post, num(p.kgco2e, lang)))
        .chain(std::iter::once(format!(
            "{} {}",
            t("règle :", "rule:"),
            l.rule
        )))
        .collect();
    rows.push(vec![t("Postes", "Posts"), posts.join("\n")]);
    let mut uncertainty = vec![
        format!(
            "{} {} · {} {} → {} {}",
            t("activité", "activity"),
            k(l.k_activity, lang),
            t("facteur", "factor"),
            k(l.k_factor, lang),
            t("ligne", "line"),
            k(l.figure.k, lang)
        ),
        format!(
            "{}{c}√((ln k_a)² + (ln k_f)²) = ln k",
            t("combinaison", "combined")
        ),
    ];
    for p in &e.posts {
        uncertainty.push(format!(
            "{} {}{c}{}",
            t(
                "part de la variance du poste",
                "share of the variance of post"
            ),
            p.post,
            pct(p.variance_share, lang)
        ));
    }
    uncertainty.push(format!(
        "{}{c}{}",
        t(
            "part de la variance du total",
            "share of the total's variance"
        ),
        pct(e.total_variance_share, lang)
    ));
    rows.push(vec![
        t("Incertitude", "Uncertainty"),
        uncertainty.join("\n"),
    ]);
    for (i, row) in rows.iter_mut().enumerate() {
        if let Some(step) = row.first_mut() {
            *step = format!("{}. {step}", i + 1);
        }
    }
    let title = format!(
        "{} `{}` — {}{}",
        t("Ligne", "Line"),
        l.id,
        l.label,
        at.map_or_else(String::new, |a| format!(" ({a})"))
    );
    let header = [t("Étape", "Step"), t("Détail", "Detail")];
    format!("{title}\n\n{}\n", Grid::new(header, rows, 2).table())
}

/// The lines of a post, largest first.
pub fn post_table(report: &crate::report::Report, e: &PostExplanation<'_>, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_post_table(&mut out, report, e, lang);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the lines of a post, largest first, as [`post_table`] shows them: a post may list a
/// million lines, laid out and written a chunk at a time.
pub fn write_post_table(
    out: &mut dyn Write,
    report: &crate::report::Report,
    e: &PostExplanation<'_>,
    lang: Lang,
) -> io::Result<()> {
    let fr = lang == Lang::Fr;
    let header: Vec<String> = if fr {
        [
            "Ligne",
            "Libellé",
            "Facteur",
            "kgCO2e dans le poste",
            "Incertitude",
            "Part de la variance",
        ]
    } else {
        [
            "Line",
            "Label",
            "Factor",
            "kgCO2e in the post",
            "Uncertainty",
            "Share of the variance",
        ]
    }
    .map(String::from)
    .to_vec();
    let rows = || {
        e.lines.iter().map(|(_, l, kg, share)| {
            vec![
                l.id.to_string(),
                l.label.to_string(),
                l.factor.id.clone(),
                num(*kg, lang),
                format!("±{}", pct(l.k - 1.0, lang)),
                pct(*share, lang),
            ]
        })
    };
    let figure = report.posts.get(e.post.index()).map(|p| p.figure);
    let title = format!(
        "{} {} — {}{}",
        if fr { "Poste" } else { "Post" },
        e.post,
        e.post.name(lang),
        figure.map_or_else(String::new, |f| format!(
            "{}{} kgCO2e, {}",
            if fr { " : " } else { ": " },
            num(f.kgco2e, lang),
            k(f.k, lang)
        ))
    );
    write!(out, "{title}\n\n")?;
    write_long_table(out, header, 3, rows)?;
    out.write_all(b"\n")
}

fn k6(value: f64) -> Num {
    num_rounded_f64(value, 6)
}

fn write(document: &doc::Document<'_>) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// A line's explanation as its JSON document (`bilan.explain/1`).
pub fn line_document<'a>(e: &'a LineExplanation<'_>, at: Option<&'a str>) -> doc::Document<'a> {
    let l = e.line;
    let f = &l.factor;
    doc::Document {
        schema: crate::contract::EXPLAIN.into(),
        line: Some(doc::Line {
            id: (&*l.id).into(),
            label: (&*l.label).into(),
            at: at.map(Into::into),
            quantity: Num(l.quantity),
            unit: (&*l.unit).into(),
            conversion: e.conversion.map(Num),
            converted_quantity: Num(l.converted_quantity),
            amortization: l.amortization.map(|(a, over)| Amortization {
                acquired: a.acquired,
                years: a.years,
                fully_amortized: over,
            }),
            counted_quantity: Num(e.counted),
            factor: doc::Factor {
                id: f.id.as_str().into(),
                name: f.name.as_str().into(),
                unit: f.unit.as_str().into(),
                kgco2e: Num(f.kgco2e),
                status: f.status.label().into(),
                source: f.source.as_str().into(),
                origin: f.origin.to_string().into(),
                stated_uncertainty: f.uncertainty.percent.map(Num),
            },
            kgco2e: Num(l.figure.kgco2e),
            factor_parts: e
                .factor_parts
                .iter()
                .map(|p| doc::FactorPart {
                    kind: p.part.kind.as_str().into(),
                    name: p.part.name.as_str().into(),
                    kgco2e_per_unit: Num(p.part.kgco2e),
                    post: p.post.map(|p| p.code().into()),
                })
                .collect(),
            posts: e
                .posts
                .iter()
                .map(|p| doc::InPost {
                    post: p.post.code().into(),
                    kgco2e: Num(p.kgco2e),
                    variance_share: k6(p.variance_share),
                })
                .collect(),
            rule: l.rule.to_string().into(),
            k_activity: k6(l.k_activity),
            k_factor: k6(l.k_factor),
            k: k6(l.figure.k),
            total_variance_share: k6(e.total_variance_share),
        }),
        post: None,
    }
}

/// A line's explanation as JSON (`bilan.explain/1`).
pub fn line_json(e: &LineExplanation<'_>, at: Option<&str>) -> String {
    write(&line_document(e, at))
}

/// A post's explanation as its JSON document (`bilan.explain/1`).
pub fn post_document<'a>(
    report: &crate::report::Report,
    e: &'a PostExplanation<'_>,
) -> doc::Document<'a> {
    post_document_with(report, e, post_lines(e).collect())
}

/// The post's document around `lines`, its lines as a `Vec` or one at a time.
fn post_document_with<'a, L>(
    report: &crate::report::Report,
    e: &PostExplanation<'_>,
    lines: L,
) -> doc::Document<'a, L> {
    let figure = report.posts.get(e.post.index()).map(|p| p.figure);
    doc::Document {
        schema: crate::contract::EXPLAIN.into(),
        line: None,
        post: Some(doc::Post {
            code: e.post.code().into(),
            kgco2e: figure.map(|f| Num(f.kgco2e)),
            k: figure.map(|f| k6(f.k)),
            lines,
        }),
    }
}

/// The post's lines as its document lists them.
fn post_lines<'a>(e: &'a PostExplanation<'_>) -> impl Iterator<Item = doc::PostLine<'a>> {
    e.lines.iter().map(|(_, l, kg, share)| doc::PostLine {
        id: (&*l.id).into(),
        label: (&*l.label).into(),
        factor: l.factor.id.as_str().into(),
        kgco2e: Num(*kg),
        k: k6(l.k),
        variance_share: k6(*share),
    })
}

/// A post's lines serialized one at a time, never all held as values.
struct LinesOneByOne<'a, 'e>(&'a PostExplanation<'e>);

impl serde::Serialize for LinesOneByOne<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(post_lines(self.0))
    }
}

/// A post's explanation as JSON (`bilan.explain/1`).
pub fn post_json(report: &crate::report::Report, e: &PostExplanation<'_>) -> String {
    write(&post_document(report, e))
}

/// Writes a post's explanation as [`post_json`] makes it, without holding the text.
pub fn write_post_json(
    out: &mut dyn Write,
    report: &crate::report::Report,
    e: &PostExplanation<'_>,
) -> io::Result<()> {
    let document = post_document_with(report, e, LinesOneByOne(e));
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}
