//! The audit trail of one line or one post (`bilan explain`): every step from the quantity as
//! written to the posts, so a reviewer can rebuild the figure by hand. Pure: a report in, an
//! explanation out; it recomputes nothing the engine decided, it only lays it out.

use crate::blocks::Blocks;
use crate::energy_split;
use crate::error::Position;
use crate::factor::{Factor, Part};
use crate::post::Post;
use crate::report::{Destination, LineResult, Report, to_f64};
use crate::uncertainty_analysis;
use rust_decimal::Decimal;
use std::sync::Arc;

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
    pub lines: Vec<(usize, &'a PostLine, Decimal, f64)>,
}

/// What a post's explanation shows of one of its lines: a post may have a million lines,
/// whose whole results are not kept.
#[derive(Clone, Debug, PartialEq)]
pub struct PostLine {
    /// Line id.
    pub id: Arc<str>,
    /// Label.
    pub label: Arc<str>,
    /// Its factor.
    pub factor: Arc<Factor>,
    /// The line's uncertainty factor k (95 %).
    pub k: f64,
}

impl PostLine {
    fn of(line: &LineResult) -> PostLine {
        PostLine {
            id: Arc::clone(&line.id),
            label: Arc::clone(&line.label),
            factor: Arc::clone(&line.factor),
            k: line.figure.k,
        }
    }
}

/// `(E · ln √k)²`, a term of the method's sum (uncertainty.md §4).
fn term(kgco2e: Decimal, k: f64) -> f64 {
    let t = to_f64(kgco2e) * k.sqrt().ln();
    if t.is_finite() { t * t } else { 0.0 }
}

/// The line's kgCO2e in `post`, when it has a part there (emission lines only: the others
/// are in no post's variance).
fn in_post(line: &LineResult, post: Post) -> Option<Decimal> {
    (line.destination == Destination::Emissions && line.parts.iter().any(|(p, _)| *p == post)).then(
        || {
            line.parts
                .iter()
                .filter(|(p, _)| *p == post)
                .map(|(_, v)| *v)
                .sum()
        },
    )
}

fn share(term: f64, sum: f64) -> f64 {
    if sum > 0.0 { term / sum } else { 0.0 }
}

/// Looks for a line id (or the lines of a post, when the id is a post code) among the lines'
/// results given one by one in file order, keeping that line (or the post's lines) and the
/// sums its explanation needs, never every line.
#[derive(Clone, Debug)]
pub struct Search {
    id: String,
    post: Option<Post>,
    seen: usize,
    /// The line of that id: its index, result, and where it is written.
    found: Option<(usize, LineResult, Option<Position>)>,
    /// Each post's variance (the sum of its lines' terms), in file order.
    post_variance: [f64; 22],
    /// The total's variance (uncertainty_analysis's sum).
    total_variance: f64,
    /// The lines of the post asked: index, line, kgCO2e in the post, term.
    post_lines: Blocks<(usize, PostLine, Decimal, f64)>,
    /// The ids nearest to the one asked (edit distance, id), while it is not found.
    closest: Vec<(usize, String)>,
}

/// What a [`Search`] found.
#[derive(Clone, Debug)]
pub enum Found {
    /// The line of that id (first: a line id wins over a post code).
    Line(Box<FoundLine>),
    /// The lines of the post of that code.
    Post(FoundPost),
    /// Neither; the nearest line ids (at most 3).
    Nothing(Vec<String>),
}

/// The line found and what its explanation needs.
#[derive(Clone, Debug)]
pub struct FoundLine {
    index: usize,
    line: LineResult,
    /// Where it is written (when the search saw the line as read).
    pub at: Option<Position>,
    post_variance: [f64; 22],
    total_variance: f64,
}

/// The lines of the post asked.
#[derive(Clone, Debug)]
pub struct FoundPost {
    post: Post,
    lines: Blocks<(usize, PostLine, Decimal, f64)>,
    variance: f64,
}

impl Search {
    /// Looks for `id`.
    pub fn new(id: &str) -> Search {
        Search {
            id: id.to_owned(),
            post: Post::from_code(id),
            seen: 0,
            found: None,
            post_variance: [0.0; 22],
            total_variance: 0.0,
            post_lines: Blocks::default(),
            closest: Vec::new(),
        }
    }

    /// Takes the next line's result (`at`: where the line is written, when known).
    pub fn add(&mut self, at: Option<Position>, line: &LineResult) {
        let index = self.seen;
        self.seen += 1;
        self.total_variance += uncertainty_analysis::line_term(line);
        for post in Post::all() {
            if let Some(kg) = in_post(line, post) {
                let t = term(kg, line.figure.k);
                if let Some(sum) = self.post_variance.get_mut(post.index()) {
                    *sum += t;
                }
                if self.post == Some(post) && self.found.is_none() {
                    self.post_lines.push((index, PostLine::of(line), kg, t));
                }
            }
        }
        if self.found.is_some() {
            return;
        }
        if *line.id == *self.id {
            self.found = Some((index, line.clone(), at));
            // A line id wins over a post code.
            self.post_lines = Blocks::default();
        } else if self.post.is_none() {
            let near = (strsim::levenshtein(&self.id, &line.id), line.id.to_string());
            let at = self.closest.partition_point(|c| *c <= near);
            if at < 3 {
                self.closest.insert(at, near);
                self.closest.truncate(3);
            }
        }
    }

    /// What was found among the lines given.
    pub fn finish(self) -> Found {
        match (self.found, self.post) {
            (Some((index, line, at)), _) => Found::Line(Box::new(FoundLine {
                index,
                line,
                at,
                post_variance: self.post_variance,
                total_variance: self.total_variance,
            })),
            (None, Some(post)) => Found::Post(FoundPost {
                post,
                lines: self.post_lines,
                variance: self.post_variance.get(post.index()).copied().unwrap_or(0.0),
            }),
            (None, None) => Found::Nothing(self.closest.into_iter().map(|(_, id)| id).collect()),
        }
    }
}

impl crate::compute::SeeResults for Search {
    fn start(&mut self, _: &crate::inventory::Inventory) {
        *self = Search::new(&self.id);
    }

    fn see(&mut self, line: &LineResult) {
        self.add(None, line);
    }

    fn see_line(&mut self, line: &crate::inventory::Line, result: &LineResult) {
        self.add(Some(line.at.line()), result);
    }
}

/// Looks for `id` among the report's lines.
pub fn search(report: &Report, id: &str) -> Found {
    let mut search = Search::new(id);
    report.lines.iter().for_each(|line| search.add(None, line));
    search.finish()
}

impl FoundLine {
    /// The line's audit trail.
    pub fn explanation(&self) -> LineExplanation<'_> {
        let line = &self.line;
        let conversion = (!line.quantity.is_zero())
            .then(|| line.converted_quantity.checked_div(line.quantity))
            .flatten();
        let counted = match &line.amortization {
            Some((_, true)) => Decimal::ZERO,
            Some((a, false)) => line.converted_quantity / Decimal::from(a.years),
            None => line.converted_quantity,
        };
        let split =
            line.parts.len() > 1 || line.parts.first().is_some_and(|(p, _)| *p != line.post);
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
                let mine = in_post(line, *post).map_or(0.0, |kg| term(kg, line.figure.k));
                let variance = self.post_variance.get(post.index()).copied().unwrap_or(0.0);
                InPost {
                    post: *post,
                    kgco2e: *kg,
                    variance_share: share(mine, variance),
                }
            })
            .collect();
        LineExplanation {
            index: self.index,
            line,
            conversion,
            counted,
            factor_parts,
            posts,
            total_variance_share: share(uncertainty_analysis::line_term(line), self.total_variance),
        }
    }
}

impl FoundPost {
    /// The post's lines, largest first (ties in file order).
    pub fn explanation(&self) -> PostExplanation<'_> {
        let mut lines = Vec::with_capacity(self.lines.len());
        lines.extend(
            self.lines
                .iter()
                .map(|(i, l, kg, t)| (*i, l, *kg, share(*t, self.variance))),
        );
        lines.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        PostExplanation {
            post: self.post,
            lines,
        }
    }
}
