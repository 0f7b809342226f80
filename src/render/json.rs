//! JSON, the machine contract (results.md): field names stable, figures exact. Serialized
//! straight from the report (no intermediate tree), so big inventories stream out.

use super::{exact, rounded, rounded_f64};
use crate::post::Lang;
use crate::report::{Apart, Figure, GasBreakdown, LineResult, PostStatus, Report};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// The schema name and version.
pub const SCHEMA: &str = crate::contract::RESULT;

pub(super) use crate::contract::Num;

pub(super) fn exact_num(value: Decimal) -> Num {
    Num(exact(value))
}

fn alpha(figure: &Figure) -> Num {
    Num(rounded_f64(figure.alpha(), 6))
}

fn share(value: Decimal) -> Num {
    Num(rounded(value, 6))
}

#[derive(Serialize)]
struct Interval {
    kgco2e: Num,
    uncertainty: Num,
    low: Num,
    high: Num,
}

impl Interval {
    fn of(figure: &Figure) -> Interval {
        let (low, high) = figure.interval();
        Interval {
            kgco2e: exact_num(figure.kgco2e),
            uncertainty: alpha(figure),
            low: Num(rounded_f64(low, 3)),
            high: Num(rounded_f64(high, 3)),
        }
    }
}

/// Scope 2 under the market-based method, next to the location-based scope 2.
#[derive(Serialize)]
struct MarketScope2 {
    kgco2e: Num,
    uncertainty: Num,
    low: Num,
    high: Num,
    lines_with_market_factor: usize,
}

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Scope {
    scope: u8,
    kgco2e: Num,
    share: Num,
    uncertainty: Num,
}

#[derive(Serialize)]
struct Post<'a> {
    code: &'a str,
    scope: u8,
    name: &'a str,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    kgco2e: Num,
    share: Num,
    uncertainty: Num,
    low: Num,
    high: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    gases: Option<Gases>,
}

/// Gases, present when at least one line's factor gives them.
#[derive(Serialize)]
struct Gases {
    co2f: Num,
    ch4f: Num,
    ch4b: Num,
    n2o: Num,
    other: Num,
    covered_kgco2e: Num,
}

impl Gases {
    fn of(breakdown: &GasBreakdown) -> Option<Gases> {
        if breakdown.covered_kgco2e.is_zero() && breakdown.amounts == Default::default() {
            return None;
        }
        let g = &breakdown.amounts;
        Some(Gases {
            co2f: exact_num(g.co2f),
            ch4f: exact_num(g.ch4f),
            ch4b: exact_num(g.ch4b),
            n2o: exact_num(g.n2o),
            other: exact_num(g.other),
            covered_kgco2e: exact_num(breakdown.covered_kgco2e),
        })
    }
}

#[derive(Serialize)]
struct Part<'a> {
    post: &'a str,
    kgco2e: Num,
}

#[derive(Serialize)]
struct Amortization {
    acquired: i32,
    years: u32,
    fully_amortized: bool,
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    label: &'a str,
    factor: &'a str,
    factor_name: &'a str,
    factor_unit: &'a str,
    factor_kgco2e: Num,
    factor_source: &'a str,
    quantity: Num,
    unit: &'a str,
    converted_quantity: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_conversion: Option<PriceLine>,
    rule: String,
    kgco2e: Num,
    uncertainty: Num,
    parts: Vec<Part<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amortization: Option<Amortization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<MarketLine<'a>>,
}

/// The price-year conversion of a monetary amount.
#[derive(Serialize)]
struct PriceLine {
    from_year: i32,
    to_year: i32,
    multiplier: Num,
    index: String,
}

#[derive(Serialize)]
struct MarketLine<'a> {
    factor: &'a str,
    factor_name: &'a str,
    factor_kgco2e: Num,
    factor_source: &'a str,
    kgco2e: Num,
    uncertainty: Num,
}

impl<'a> Line<'a> {
    fn of(l: &'a LineResult) -> Line<'a> {
        Line {
            id: &l.id,
            label: &l.label,
            factor: &l.factor.id,
            factor_name: &l.factor.name,
            factor_unit: &l.factor.unit,
            factor_kgco2e: exact_num(l.factor.kgco2e),
            factor_source: &l.factor.source,
            quantity: exact_num(l.quantity),
            unit: &l.unit,
            converted_quantity: exact_num(l.converted_quantity),
            price_conversion: l.price.as_ref().map(|p| PriceLine {
                from_year: p.from,
                to_year: p.to,
                multiplier: exact_num(p.multiplier),
                index: p.sources.join(" + "),
            }),
            rule: l.rule.to_string(),
            kgco2e: exact_num(l.figure.kgco2e),
            uncertainty: alpha(&l.figure),
            parts: l
                .parts
                .iter()
                .map(|(post, kg)| Part {
                    post: post.code(),
                    kgco2e: exact_num(*kg),
                })
                .collect(),
            amortization: l.amortization.map(|(a, fully)| Amortization {
                acquired: a.acquired,
                years: a.years,
                fully_amortized: fully,
            }),
            site: l.site.as_deref(),
            tags: &l.tags,
            market: l.market.as_ref().map(|m| MarketLine {
                factor: &m.factor.id,
                factor_name: &m.factor.name,
                factor_kgco2e: exact_num(m.factor.kgco2e),
                factor_source: &m.factor.source,
                kgco2e: exact_num(m.kgco2e),
                uncertainty: Num(rounded_f64(m.k - 1.0, 6)),
            }),
        }
    }
}

#[derive(Serialize)]
struct ApartLine<'a> {
    id: &'a str,
    post: &'a str,
    kgco2e: Num,
    uncertainty: Num,
}

#[derive(Serialize)]
struct ApartBlock<'a> {
    kgco2e: Num,
    uncertainty: Num,
    lines: Vec<ApartLine<'a>>,
}

impl<'a> ApartBlock<'a> {
    fn of(block: &Apart, report: &'a Report) -> ApartBlock<'a> {
        ApartBlock {
            kgco2e: exact_num(block.figure.kgco2e),
            uncertainty: alpha(&block.figure),
            lines: block
                .lines
                .iter()
                .filter_map(|i| report.lines.get(*i))
                .map(|l| ApartLine {
                    id: &l.id,
                    post: l.post.code(),
                    kgco2e: exact_num(l.figure.kgco2e),
                    uncertainty: alpha(&l.figure),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Ratio<'a> {
    indicator: &'a str,
    label: &'a str,
    value: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    kgco2e_per_unit: Num,
}

#[derive(Serialize)]
struct Base<'a> {
    name: &'a str,
    kind: &'a str,
    rows: usize,
    factors: usize,
    sha256: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
}

/// Lines serialized one at a time, never all held as JSON values.
struct Lines<'a>(&'a [LineResult]);

impl Serialize for Lines<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Line::of))
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'a str,
    organisation: &'a str,
    period: Period,
    unit: &'a str,
    total: Interval,
    scopes: Vec<Scope>,
    posts: Vec<Post<'a>>,
    lines: Lines<'a>,
    avoided: ApartBlock<'a>,
    removals: ApartBlock<'a>,
    co2_biogenic_kgco2e: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    gases: Option<Gases>,
    scope2_market_based: MarketScope2,
    ratios: Vec<Ratio<'a>>,
    /// A group's `consolidation`, `entities` and `intragroup_lines`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    group: Option<super::consolidation::GroupJson<'a>>,
    bases: Vec<Base<'a>>,
    warnings: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    allowed_warnings: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    monte_carlo: Option<super::uncertainty::McJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertainty_analysis: Option<super::uncertainty::AnalysisJson<'a>>,
}

fn document(report: &Report, lang: Lang) -> Document<'_> {
    Document {
        schema: SCHEMA,
        organisation: &report.organisation.name,
        period: Period {
            start: report.period.start.to_string(),
            end: report.period.end.to_string(),
        },
        unit: "kgCO2e",
        total: Interval::of(&report.total),
        scopes: report
            .scopes
            .iter()
            .map(|s| Scope {
                scope: s.scope.number(),
                kgco2e: exact_num(s.figure.kgco2e),
                share: share(s.share),
                uncertainty: alpha(&s.figure),
            })
            .collect(),
        posts: report
            .posts
            .iter()
            .map(|p| {
                let interval = Interval::of(&p.figure);
                Post {
                    code: p.post.code(),
                    scope: p.post.scope().number(),
                    name: p.post.name(lang),
                    status: p.status.code(),
                    reason: match &p.status {
                        PostStatus::NotApplicable(reason) => Some(reason),
                        _ => None,
                    },
                    kgco2e: interval.kgco2e,
                    share: share(p.share),
                    uncertainty: interval.uncertainty,
                    low: interval.low,
                    high: interval.high,
                    gases: Gases::of(&p.gases),
                }
            })
            .collect(),
        lines: Lines(&report.lines),
        avoided: ApartBlock::of(&report.avoided, report),
        removals: ApartBlock::of(&report.removals, report),
        co2_biogenic_kgco2e: exact_num(report.co2_biogenic),
        gases: Gases::of(&report.gases),
        scope2_market_based: {
            let i = Interval::of(&report.scope2_market);
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
                indicator: &r.indicator.key,
                label: &r.indicator.label,
                value: exact_num(r.indicator.value),
                unit: r.indicator.unit.as_deref(),
                kgco2e_per_unit: Num(rounded(r.kgco2e_per_unit, 3)),
            })
            .collect(),
        group: super::consolidation::json(report),
        bases: report
            .bases
            .iter()
            .map(|b| Base {
                name: &b.name,
                kind: b.kind.label(),
                rows: b.rows,
                factors: b.factors,
                sha256: &b.sha256,
                version: b.version.as_deref(),
            })
            .collect(),
        warnings: report.warnings.iter().map(|w| w.text(lang)).collect(),
        allowed_warnings: report.allowed.iter().map(|c| c.as_str()).collect(),
        monte_carlo: None,
        uncertainty_analysis: None,
    }
}

/// The report as pretty-printed JSON text, ending with a newline.
pub fn render(report: &Report, lang: Lang) -> String {
    render_with(report, lang, &super::uncertainty::Extras::default())
}

/// The report as JSON with the `monte_carlo` and `uncertainty_analysis` blocks when present.
pub fn render_with(report: &Report, lang: Lang, extras: &super::uncertainty::Extras) -> String {
    let mut bytes = Vec::new();
    // Serializing plain structs into memory cannot fail; an empty output would show a bug.
    if write_with(report, lang, extras, &mut bytes).is_err() {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`render_with`], written to `out` as it is serialized.
pub fn write_with(
    report: &Report,
    lang: Lang,
    extras: &super::uncertainty::Extras,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut document = document(report, lang);
    document.monte_carlo = extras
        .monte_carlo
        .as_ref()
        .map(|mc| super::uncertainty::monte_carlo_json(report, mc));
    document.uncertainty_analysis = extras
        .analysis
        .as_ref()
        .map(|a| super::uncertainty::analysis_json(report, a, lang));
    write_document(&document, out)
}

fn write_document(
    document: &Document<'_>,
    mut out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, document)?;
    out.write_all(b"\n")
}
