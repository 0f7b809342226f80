//! JSON, the machine contract (results.md): the [`contract::result`] document filled from the
//! report and serialized straight out (lines one at a time, so big inventories stream out).

use super::{num_rounded, num_rounded_f64};
use crate::contract::result::{
    Amortization, Apart, ApartLine, Base, Document, Gases, Interval, Line, MarketScope2, Part,
    Post, PriceConversion, Ratio, Scope,
};
use crate::contract::{self, Num, Period};
use crate::post::Lang;
use crate::report::{
    Apart as ReportApart, Figure, GasBreakdown, LineResult, LinesKept, PostStatus, Report,
};
use rayon::prelude::*;
use serde::Serialize;

/// The schema name and version.
pub const SCHEMA: &str = contract::RESULT;

fn alpha(figure: &Figure) -> Num {
    num_rounded_f64(figure.alpha(), 6)
}

fn share(value: rust_decimal::Decimal) -> Num {
    num_rounded(value, 6)
}

fn interval(figure: &Figure) -> Interval {
    let (low, high) = figure.interval();
    Interval {
        kgco2e: Num(figure.kgco2e),
        uncertainty: alpha(figure),
        low: num_rounded_f64(low, 3),
        high: num_rounded_f64(high, 3),
    }
}

/// Gases, present when at least one line's factor gives them.
fn gases(breakdown: &GasBreakdown) -> Option<Gases> {
    if breakdown.covered_kgco2e.is_zero() && breakdown.amounts == Default::default() {
        return None;
    }
    let g = &breakdown.amounts;
    Some(Gases {
        co2f: Num(g.co2f),
        ch4f: Num(g.ch4f),
        ch4b: Num(g.ch4b),
        n2o: Num(g.n2o),
        other: Num(g.other),
        covered_kgco2e: Num(breakdown.covered_kgco2e),
    })
}

fn line(l: &LineResult) -> Line<'_> {
    Line {
        id: (&*l.id).into(),
        label: (&*l.label).into(),
        factor: l.factor.id.as_str().into(),
        factor_name: l.factor.name.as_str().into(),
        factor_unit: l.factor.unit.as_str().into(),
        factor_kgco2e: Num(l.factor.kgco2e),
        factor_source: l.factor.source.as_str().into(),
        quantity: Num(l.quantity),
        unit: (&*l.unit).into(),
        converted_quantity: Num(l.converted_quantity),
        price_conversion: l.price.as_ref().map(|p| PriceConversion {
            from_year: p.from,
            to_year: p.to,
            multiplier: Num(p.multiplier),
            index: p.sources.join(" + ").into(),
        }),
        rule: l.rule.to_string().into(),
        kgco2e: Num(l.figure.kgco2e),
        uncertainty: alpha(&l.figure),
        parts: l
            .parts
            .iter()
            .map(|(post, kg)| Part {
                post: post.code().into(),
                kgco2e: Num(*kg),
            })
            .collect(),
        amortization: l.amortization.map(|(a, fully)| Amortization {
            acquired: a.acquired,
            years: a.years,
            fully_amortized: fully,
        }),
        site: l.site.as_deref().map(Into::into),
        tags: l.tags.as_slice().into(),
        market: l.market.as_ref().map(|m| contract::result::Market {
            factor: m.factor.id.as_str().into(),
            factor_name: m.factor.name.as_str().into(),
            factor_kgco2e: Num(m.factor.kgco2e),
            factor_source: m.factor.source.as_str().into(),
            kgco2e: Num(m.kgco2e),
            uncertainty: num_rounded_f64(m.k - 1.0, 6),
        }),
    }
}

fn apart<'a>(block: &ReportApart, report: &'a Report) -> Apart<'a> {
    Apart {
        kgco2e: Num(block.figure.kgco2e),
        uncertainty: alpha(&block.figure),
        lines: block
            .lines
            .iter()
            .filter_map(|i| report.lines.get(*i))
            .map(|l| ApartLine {
                id: (&*l.id).into(),
                post: l.post.code().into(),
                kgco2e: Num(l.figure.kgco2e),
                uncertainty: alpha(&l.figure),
            })
            .collect(),
    }
}

/// Where the lines of a result document come from.
#[derive(Clone, Copy)]
pub enum LineSource<'a> {
    /// The report's own (a report that keeps every line).
    Report,
    /// The lines' texts ([`line_texts`]; a report of the totals alone keeps no line): it
    /// gives them to its argument in order until that returns false; an error stops the
    /// document.
    Texts(&'a TextsOf<'a>),
}

/// A giver of the lines' texts ([`LineSource::Texts`]).
pub type TextsOf<'a> = dyn Fn(&mut dyn FnMut(&[&str]) -> bool) -> Result<(), String> + 'a;

/// The lines, a chunk at a time: each line of a chunk written as pretty JSON on every core,
/// then the chunk in order. Never all held as values or text.
pub struct Lines<'a> {
    report: &'a Report,
    source: LineSource<'a>,
}

/// Lines written at once.
pub const CHUNK: usize = 4096;

/// Nesting depth of a line in the result document: the document, then its `lines` array.
const LINE_DEPTH: usize = 2;

impl Lines<'_> {
    /// Writes the lines as the elements of the document's `lines` array, after its `[`, as
    /// serde_json's pretty printer does (a line end and the indent before each, a comma
    /// between); tells whether there was one.
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<bool> {
        let indent = "  ".repeat(LINE_DEPTH);
        let mut first = true;
        let mut element = |text: &str| -> std::io::Result<()> {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            out.write_all(indent.as_bytes())?;
            out.write_all(text.as_bytes())
        };
        match self.source {
            LineSource::Report if self.report.lines_kept != LinesKept::All => {
                return Err(std::io::Error::other(
                    "internal error: the report kept only the lines listed apart",
                ));
            }
            LineSource::Report => {
                for chunk in self.report.lines.chunks(CHUNK) {
                    let chunk: Vec<&LineResult> = chunk.iter().collect();
                    for text in line_texts(&chunk).map_err(std::io::Error::other)? {
                        element(&text)?;
                    }
                }
            }
            LineSource::Texts(texts) => {
                let mut failed = None;
                let given = texts(
                    &mut |texts| match texts.iter().try_for_each(|text| element(text)) {
                        Ok(()) => true,
                        Err(e) => {
                            failed = Some(e);
                            false
                        }
                    },
                );
                if let Some(e) = failed {
                    return Err(e);
                }
                given.map_err(|e| std::io::Error::other(format!("internal error: {e}")))?;
            }
        }
        Ok(!first)
    }
}

/// A line as the pretty printer writes it at its depth in the document (its inner lines
/// indented for that depth; the indent before its `{` is the array's to write).
fn pretty_text(result: &LineResult) -> serde_json::Result<String> {
    let mut text = Vec::with_capacity(640);
    let mut formatter = serde_json::ser::PrettyFormatter::new();
    // The formatter counts its depth as it opens arrays and objects: open the document's and
    // its `lines` array (written nowhere) so the line is indented where it goes.
    for _ in 0..LINE_DEPTH {
        serde_json::ser::Formatter::begin_array(&mut formatter, &mut std::io::sink())
            .map_err(serde_json::Error::io)?;
    }
    line(result).serialize(&mut serde_json::Serializer::with_formatter(
        &mut text, formatter,
    ))?;
    String::from_utf8(text).map_err(serde::ser::Error::custom)
}

/// The texts of these lines in the result document, made on every core: given back in order
/// by a [`LineSource::Texts`], they make the document of [`LineSource::Report`].
pub fn line_texts(results: &[&LineResult]) -> Result<Vec<String>, String> {
    results
        .par_iter()
        .map(|result| pretty_text(result).map_err(|e| e.to_string()))
        .collect()
}

/// The result document of a report (without its Monte Carlo and analysis blocks).
fn document<L>(report: &Report, lang: Lang, lines: L) -> Document<'_, L> {
    Document {
        schema: SCHEMA.into(),
        organisation: report.organisation.name.as_str().into(),
        period: Period {
            start: report.period.start.to_string().into(),
            end: report.period.end.to_string().into(),
        },
        unit: "kgCO2e".into(),
        total: interval(&report.total),
        scopes: report
            .scopes
            .iter()
            .map(|s| Scope {
                scope: s.scope.number(),
                kgco2e: Num(s.figure.kgco2e),
                share: share(s.share),
                uncertainty: alpha(&s.figure),
            })
            .collect(),
        posts: report
            .posts
            .iter()
            .map(|p| {
                let interval = interval(&p.figure);
                Post {
                    code: p.post.code().into(),
                    scope: p.post.scope().number(),
                    name: p.post.name(lang).into(),
                    status: p.status.code().into(),
                    reason: match &p.status {
                        PostStatus::NotApplicable(reason) => Some(reason.as_str().into()),
                        _ => None,
                    },
                    kgco2e: interval.kgco2e,
                    share: share(p.share),
                    uncertainty: interval.uncertainty,
                    low: interval.low,
                    high: interval.high,
                    gases: gases(&p.gases),
                }
            })
            .collect(),
        lines,
        avoided: apart(&report.avoided, report),
        removals: apart(&report.removals, report),
        co2_biogenic_kgco2e: Num(report.co2_biogenic),
        gases: gases(&report.gases),
        scope2_market_based: {
            let i = interval(&report.scope2_market);
            MarketScope2 {
                kgco2e: i.kgco2e,
                uncertainty: i.uncertainty,
                low: i.low,
                high: i.high,
                lines_with_market_factor: report.market_lines,
            }
        },
        ratios: report
            .ratios
            .iter()
            .map(|r| Ratio {
                indicator: r.indicator.key.as_str().into(),
                label: r.indicator.label.as_str().into(),
                value: Num(r.indicator.value),
                unit: r.indicator.unit.as_deref().map(Into::into),
                kgco2e_per_unit: num_rounded(r.kgco2e_per_unit, 3),
            })
            .collect(),
        group: super::consolidation::json(report),
        bases: report
            .bases
            .iter()
            .map(|b| Base {
                name: b.name.as_str().into(),
                kind: b.kind.label().into(),
                rows: b.rows,
                factors: b.factors,
                sha256: b.sha256.as_str().into(),
                version: b.version.as_deref().map(Into::into),
            })
            .collect(),
        warnings: report
            .warnings
            .iter()
            .map(|w| w.text(lang).into())
            .collect(),
        allowed_warnings: report.allowed.iter().map(|c| c.as_str().into()).collect(),
        monte_carlo: None,
        uncertainty_analysis: None,
    }
}

/// The report as pretty-printed JSON text, ending with a newline.
pub fn render(report: &Report, lang: Lang) -> String {
    render_with(&crate::analysed::Analysed::of(report), lang)
}

/// The report as JSON with the `monte_carlo` and `uncertainty_analysis` blocks when present.
pub fn render_with(analysed: &crate::analysed::Analysed<'_>, lang: Lang) -> String {
    let mut bytes = Vec::new();
    // Serializing plain structs into memory cannot fail; an empty output would show a bug.
    if write_with(analysed, lang, &mut bytes).is_err() {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`render_with`], written to `out` as it is serialized.
pub fn write_with(
    analysed: &crate::analysed::Analysed<'_>,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_lines_from(analysed, lang, LineSource::Report, out)
}

/// [`write_with`], the lines taken from `source`.
pub fn write_lines_from(
    analysed: &crate::analysed::Analysed<'_>,
    lang: Lang,
    source: LineSource<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let (report, extras) = (analysed.report, analysed);
    let mut document = document(report, lang, Vec::new());
    document.monte_carlo = extras
        .monte_carlo
        .as_ref()
        .map(|mc| super::uncertainty::monte_carlo_json(report, mc));
    document.uncertainty_analysis = extras
        .analysis
        .as_ref()
        .map(|a| super::uncertainty::analysis_json(report, a, lang));
    write_document(&document, &Lines { report, source }, out)
}

/// The document's `lines` key with no line, as the pretty printer writes it: at the depth of
/// the document's keys (a line end and two spaces; text has no line end inside a string,
/// and deeper keys have more spaces), so found once, where the lines go.
const NO_LINES: &str = "\n  \"lines\": []";

/// Writes `document` (its lines left empty) with `lines` in its `lines` array: the lines'
/// texts are written as they are given, not parsed again.
fn write_document(
    document: &Document<'_, Vec<()>>,
    lines: &Lines<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(document)?;
    let at = text
        .find(NO_LINES)
        .ok_or_else(|| std::io::Error::other("internal error: no `lines` in the document"))?;
    let (head, tail) = text.split_at(at + NO_LINES.len() - 1);
    out.write_all(head.as_bytes())?;
    if lines.write(out)? {
        out.write_all(b"\n  ")?;
    }
    out.write_all(tail.as_bytes())?;
    out.write_all(b"\n")
}
