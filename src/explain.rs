//! The audit trail of one line or one post (`bilan explain`): every step from the quantity as
//! written to the posts, so a reviewer can rebuild the figure by hand. Pure: a report in, an
//! explanation out; it recomputes nothing the engine decided, it only lays it out.

use crate::energy_split;
use crate::factor::Part;
use crate::post::Post;
use crate::report::{LineResult, Report, to_f64};
use crate::uncertainty_analysis;
use rust_decimal::Decimal;

/// One part of the line's factor and where it went.
#[derive(Clone, Debug, PartialEq)]
pub struct FactorPart {
    /// The part as the base gives it.
    pub part: Part,
    /// The post it goes to (`None`: the part cannot be split and the line stays whole).
    pub post: Option<Post>,
}

/// A line's figure in one post, with its weight in that post's uncertainty.
#[derive(Clone, Debug, PartialEq)]
pub struct InPost {
    /// The post.
    pub post: Post,
    /// kgCO2e of the line in it.
    pub kgco2e: Decimal,
    /// Share of the post's variance (method §4) that comes from this line (0–1).
    pub variance_share: f64,
}

/// Everything about one computed line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineExplanation<'a> {
    /// Index in [`Report::lines`].
    pub index: usize,
    /// The computed line.
    pub line: &'a LineResult,
    /// Units of the factor per unit written (`converted / quantity`); `None` for a zero
    /// quantity.
    pub conversion: Option<Decimal>,
    /// Units of the factor counted in the period: the converted quantity, divided by the
    /// amortisation years while the good is amortised, 0 once it is.
    pub counted: Decimal,
    /// The factor's parts and their posts (empty when the line is not split).
    pub factor_parts: Vec<FactorPart>,
    /// The line in each post it reaches.
    pub posts: Vec<InPost>,
    /// Share of the total's variance that comes from this line (0–1; 0 outside the total).
    pub total_variance_share: f64,
}

/// Every line with a part in one post.
#[derive(Clone, Debug, PartialEq)]
pub struct PostExplanation<'a> {
    /// The post.
    pub post: Post,
    /// Its lines, largest first: (index in [`Report::lines`], the line, its kgCO2e in the
    /// post, its share of the post's variance).
    pub lines: Vec<(usize, &'a LineResult, Decimal, f64)>,
}

/// `(E · ln √k)²`, a term of the method's sum (uncertainty.md §4).
fn term(kgco2e: Decimal, k: f64) -> f64 {
    let t = to_f64(kgco2e) * k.sqrt().ln();
    if t.is_finite() { t * t } else { 0.0 }
}

/// The terms of `post`'s variance: (line index, line, kgCO2e in the post, term).
fn post_terms(report: &Report, post: Post) -> Vec<(usize, &LineResult, Decimal, f64)> {
    report
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.destination == crate::report::Destination::Emissions)
        .filter_map(|(i, l)| {
            let kg = l
                .parts
                .iter()
                .filter(|(p, _)| *p == post)
                .map(|(_, v)| *v)
                .sum::<Decimal>();
            l.parts
                .iter()
                .any(|(p, _)| *p == post)
                .then(|| (i, l, kg, term(kg, l.figure.k)))
        })
        .collect()
}

fn share(term: f64, terms: &[(usize, &LineResult, Decimal, f64)]) -> f64 {
    let sum: f64 = terms.iter().map(|t| t.3).sum();
    if sum > 0.0 { term / sum } else { 0.0 }
}

/// The line whose id is `id`.
pub fn line<'a>(report: &'a Report, id: &str) -> Option<LineExplanation<'a>> {
    let (index, line) = report
        .lines
        .iter()
        .enumerate()
        .find(|(_, l)| *l.id == *id)?;
    let conversion = (!line.quantity.is_zero())
        .then(|| line.converted_quantity.checked_div(line.quantity))
        .flatten();
    let counted = match &line.amortization {
        Some((_, true)) => Decimal::ZERO,
        Some((a, false)) => line.converted_quantity / Decimal::from(a.years),
        None => line.converted_quantity,
    };
    let split = line.parts.len() > 1 || line.parts.first().is_some_and(|(p, _)| *p != line.post);
    let factor_parts = if split && energy_split::applies_to(line.post) {
        line.factor
            .parts
            .iter()
            .map(|part| FactorPart {
                part: part.clone(),
                post: energy_split::target(line.post, part),
            })
            .collect()
    } else {
        Vec::new()
    };
    let posts = line
        .parts
        .iter()
        .map(|(post, kg)| {
            let terms = post_terms(report, *post);
            let mine = terms.iter().find(|t| t.0 == index).map_or(0.0, |t| t.3);
            InPost {
                post: *post,
                kgco2e: *kg,
                variance_share: share(mine, &terms),
            }
        })
        .collect();
    let analysis = uncertainty_analysis::analyse(report, usize::MAX);
    let total_variance_share = analysis
        .lines
        .iter()
        .find(|c| c.line == index)
        .map_or(0.0, |c| c.share);
    Some(LineExplanation {
        index,
        line,
        conversion,
        counted,
        factor_parts,
        posts,
        total_variance_share,
    })
}

/// The lines of `post`, largest first (ties in file order).
pub fn post(report: &Report, post: Post) -> PostExplanation<'_> {
    let terms = post_terms(report, post);
    let mut lines: Vec<(usize, &LineResult, Decimal, f64)> = terms
        .iter()
        .map(|&(i, l, kg, t)| (i, l, kg, share(t, &terms)))
        .collect();
    lines.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    PostExplanation { post, lines }
}
