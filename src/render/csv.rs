//! CSV: one row per post, or per line part with `--lines`. Exact decimals, `.` separator.

use super::{bounds, exact, rounded, rounded_f64};
use crate::post::Lang;
use crate::report::{LineResult, Report};

/// One row per post: `code,scope,name,status,kgco2e,share,uncertainty,low,high`.
pub fn posts(report: &Report, lang: Lang) -> String {
    posts_with(report, lang, None)
}

/// [`posts`], with `mc_mean,mc_median,mc_p2_5,mc_p97_5` after them when Monte Carlo was run.
pub fn posts_with(
    report: &Report,
    lang: Lang,
    monte_carlo: Option<&crate::monte_carlo::MonteCarlo>,
) -> String {
    let mut rows = vec![
        [
            "code",
            "scope",
            "name",
            "status",
            "kgco2e",
            "share",
            "uncertainty",
            "low",
            "high",
        ]
        .map(String::from)
        .to_vec(),
    ];
    if let (Some(_), Some(header)) = (monte_carlo, rows.first_mut()) {
        header.extend(super::uncertainty::CSV_HEADER.map(String::from));
    }
    for p in &report.posts {
        let (low, high) = bounds(&p.figure);
        let mut row = vec![
            p.post.code().to_string(),
            p.post.scope().number().to_string(),
            p.post.name(lang).to_string(),
            p.status.code().to_string(),
            exact(p.figure.kgco2e),
            rounded(p.share, 6),
            rounded_f64(p.figure.alpha(), 6),
            low,
            high,
        ];
        if let Some(mc) = monte_carlo {
            row.extend(super::uncertainty::csv_cells(mc.post(p.post)));
        }
        rows.push(row);
    }
    super::grid::csv(rows)
}

/// One row per line part: `line_id,label,post,factor,quantity,unit,kgco2e,uncertainty`.
pub fn lines(report: &Report) -> String {
    lines_header() + &line_rows(&report.lines)
}

/// The header row of [`lines`].
pub fn lines_header() -> String {
    super::grid::csv([[
        "line_id",
        "label",
        "post",
        "factor",
        "quantity",
        "unit",
        "kgco2e",
        "uncertainty",
    ]])
}

/// The rows of [`lines`] for these lines' results (written a batch at a time after
/// [`lines_header`], they make the same text).
pub fn line_rows<'a>(lines: impl IntoIterator<Item = &'a LineResult>) -> String {
    let mut rows = Vec::new();
    for line in lines {
        for (post, kg) in &line.parts {
            rows.push(vec![
                line.id.to_string(),
                line.label.to_string(),
                post.code().to_string(),
                line.factor.id.clone(),
                exact(line.quantity),
                line.unit.to_string(),
                exact(*kg),
                rounded_f64(line.figure.alpha(), 6),
            ]);
        }
    }
    super::grid::csv(rows)
}
