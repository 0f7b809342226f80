//! JSON, the machine contract (results.md): field names stable, figures exact.

use super::{bounds, exact, rounded, rounded_f64};
use crate::post::Lang;
use crate::report::{Apart, Figure, Report};
use serde_json::{Map, Number, Value, json};
use std::str::FromStr;

/// The schema name and version.
pub const SCHEMA: &str = "bilan.result/1";

fn number(text: &str) -> Value {
    // With serde_json's arbitrary precision, a number keeps exactly the digits given.
    Number::from_str(text).map_or(Value::Null, Value::Number)
}

fn decimal(value: rust_decimal::Decimal) -> Value {
    number(&exact(value))
}

fn alpha(figure: &Figure) -> Value {
    number(&rounded_f64(figure.alpha(), 6))
}

fn with_interval(map: &mut Map<String, Value>, figure: &Figure) {
    let (low, high) = bounds(figure);
    map.insert("low".into(), number(&low));
    map.insert("high".into(), number(&high));
}

fn apart(block: &Apart, report: &Report) -> Value {
    let lines: Vec<Value> = block
        .lines
        .iter()
        .filter_map(|i| report.lines.get(*i))
        .map(|l| {
            json!({
                "id": l.id,
                "post": l.post.code(),
                "kgco2e": decimal(l.figure.kgco2e),
                "uncertainty": alpha(&l.figure),
            })
        })
        .collect();
    json!({
        "kgco2e": decimal(block.figure.kgco2e),
        "uncertainty": alpha(&block.figure),
        "lines": lines,
    })
}

/// The report as a JSON value.
pub fn value(report: &Report, lang: Lang) -> Value {
    let mut total = Map::new();
    total.insert("kgco2e".into(), decimal(report.total.kgco2e));
    total.insert("uncertainty".into(), alpha(&report.total));
    with_interval(&mut total, &report.total);

    let scopes: Vec<Value> = report
        .scopes
        .iter()
        .map(|s| {
            json!({
                "scope": s.scope.0,
                "kgco2e": decimal(s.figure.kgco2e),
                "share": number(&rounded(s.share, 6)),
                "uncertainty": alpha(&s.figure),
            })
        })
        .collect();

    let posts: Vec<Value> = report
        .posts
        .iter()
        .map(|p| {
            let mut map = Map::new();
            map.insert("code".into(), json!(p.post.code()));
            map.insert("scope".into(), json!(p.post.scope().0));
            map.insert("name".into(), json!(p.post.name(lang)));
            map.insert("status".into(), json!(p.status.code()));
            if let crate::report::PostStatus::NotApplicable(reason) = &p.status {
                map.insert("reason".into(), json!(reason));
            }
            map.insert("kgco2e".into(), decimal(p.figure.kgco2e));
            map.insert("share".into(), number(&rounded(p.share, 6)));
            map.insert("uncertainty".into(), alpha(&p.figure));
            with_interval(&mut map, &p.figure);
            Value::Object(map)
        })
        .collect();

    let lines: Vec<Value> = report
        .lines
        .iter()
        .map(|l| {
            let mut map = Map::new();
            map.insert("id".into(), json!(l.id));
            map.insert("label".into(), json!(l.label));
            map.insert("factor".into(), json!(l.factor));
            map.insert("factor_name".into(), json!(l.factor_name));
            map.insert("factor_unit".into(), json!(l.factor_unit));
            map.insert("factor_kgco2e".into(), decimal(l.factor_kgco2e));
            map.insert("factor_source".into(), json!(l.factor_source));
            map.insert("quantity".into(), decimal(l.quantity));
            map.insert("unit".into(), json!(l.unit));
            map.insert("converted_quantity".into(), decimal(l.converted_quantity));
            map.insert("rule".into(), json!(l.rule));
            map.insert("kgco2e".into(), decimal(l.figure.kgco2e));
            map.insert("uncertainty".into(), alpha(&l.figure));
            let parts: Vec<Value> = l
                .parts
                .iter()
                .map(|(post, kg)| json!({ "post": post.code(), "kgco2e": decimal(*kg) }))
                .collect();
            map.insert("parts".into(), Value::Array(parts));
            if let Some((a, fully)) = l.amortization {
                map.insert(
                    "amortization".into(),
                    json!({ "acquired": a.acquired, "years": a.years, "fully_amortized": fully }),
                );
            }
            if let Some(site) = &l.site {
                map.insert("site".into(), json!(site));
            }
            if !l.tags.is_empty() {
                map.insert("tags".into(), json!(l.tags));
            }
            Value::Object(map)
        })
        .collect();

    let ratios: Vec<Value> = report
        .ratios
        .iter()
        .map(|r| {
            let mut map = Map::new();
            map.insert("indicator".into(), json!(r.indicator.key));
            map.insert("label".into(), json!(r.indicator.label));
            map.insert("value".into(), decimal(r.indicator.value));
            if let Some(unit) = &r.indicator.unit {
                map.insert("unit".into(), json!(unit));
            }
            map.insert(
                "kgco2e_per_unit".into(),
                number(&rounded(r.kgco2e_per_unit, 3)),
            );
            Value::Object(map)
        })
        .collect();

    let bases: Vec<Value> = report
        .bases
        .iter()
        .map(|b| {
            json!({
                "name": b.name,
                "kind": b.kind.label(),
                "rows": b.rows,
                "factors": b.factors,
                "sha256": b.sha256,
            })
        })
        .collect();

    let warnings: Vec<Value> = report
        .warnings
        .iter()
        .map(|w| json!(w.to_string()))
        .collect();

    let mut root = Map::new();
    root.insert("schema".into(), json!(SCHEMA));
    root.insert("organisation".into(), json!(report.organisation.name));
    root.insert(
        "period".into(),
        json!({ "start": report.period.start.to_string(), "end": report.period.end.to_string() }),
    );
    root.insert("unit".into(), json!("kgCO2e"));
    root.insert("total".into(), Value::Object(total));
    root.insert("scopes".into(), Value::Array(scopes));
    root.insert("posts".into(), Value::Array(posts));
    root.insert("lines".into(), Value::Array(lines));
    root.insert("avoided".into(), apart(&report.avoided, report));
    root.insert("removals".into(), apart(&report.removals, report));
    root.insert("co2_biogenic_kgco2e".into(), decimal(report.co2_biogenic));
    root.insert("ratios".into(), Value::Array(ratios));
    root.insert("bases".into(), Value::Array(bases));
    root.insert("warnings".into(), Value::Array(warnings));
    Value::Object(root)
}

/// The report as pretty-printed JSON text, ending with a newline.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut text = serde_json::to_string_pretty(&value(report, lang)).unwrap_or_default();
    text.push('\n');
    text
}
