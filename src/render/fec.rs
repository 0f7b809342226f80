//! What `bilan import fec` writes: the inventory lines (YAML, through serde-saphyr's serializer)
//! and the summary of what was covered, excluded and left unmapped.

use crate::fec::*;
use rust_decimal::Decimal;
use std::fmt::Write as _;

// Writing
// ---------------------------------------------------------------------------------------------

/// Euros → k€, exact (a shift of the decimal point), trailing zeros removed.
pub fn keuro(euros: Decimal) -> Decimal {
    Decimal::try_from_i128_with_scale(euros.mantissa(), euros.scale() + 3)
        .unwrap_or_else(|_| euros / Decimal::ONE_THOUSAND)
        .normalize()
}

/// `part` as a percentage of `whole`, one decimal.
fn share(part: Decimal, whole: Decimal) -> String {
    if whole.is_zero() {
        return "–".to_string();
    }
    part.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|p| p.checked_div(whole))
        .map_or_else(|| "–".to_string(), |p| format!("{:.1} %", p.round_dp(1)))
}

/// `1 line`, `2 lines`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The id of a group's line: `fec-6064`, `fec-6064-FOURN01`.
pub fn line_id(group: &Group) -> String {
    match &group.supplier {
        Some(s) => format!("fec-{}-{}", group.account, s.num),
        None => format!("fec-{}", group.account),
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn group_name(group: &Group) -> String {
    let mut name = format!("{} {}", group.account, one_line(&group.account_label));
    if let Some(s) = &group.supplier {
        let _ = write!(name, " / {} {}", s.num, one_line(&s.label));
    }
    name.trim_end().to_string()
}

fn listed_row(out: &mut String, group: &Group, reason: Option<&str>) {
    let _ = write!(
        out,
        "  {:>12} k€ {:>5} {}  {}",
        keuro(group.net).to_string(),
        group.lines,
        if group.lines == 1 { "line " } else { "lines" },
        group_name(group)
    );
    if let Some(reason) = reason {
        let _ = write!(out, " — {reason}");
    }
    out.push('\n');
}

/// Where the lines come from, for the summary.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    /// The FEC, as named.
    pub fec: &'a str,
    /// Whether lines are per supplier.
    pub by_supplier: bool,
}

/// The summary: coverage, exclusions, unmapped accounts, net credits. Printed on stderr and,
/// commented, at the top of the generated file.
pub fn summary(ledger: &Ledger, plan: &Plan, mapping: &Mapping, source: &Source<'_>) -> String {
    let mut out = String::new();
    let period = ledger.period;
    let outside = ledger.rows - ledger.in_period;
    let _ = writeln!(
        out,
        "bilan import fec {}: {}, {} dated {} – {} ({outside} outside, skipped)",
        source.fec,
        count(ledger.rows, "line"),
        ledger.in_period,
        period.start,
        period.end
    );
    for journal in &ledger.opening {
        let _ = writeln!(
            out,
            "journal {} ({}): {} skipped as opening balances (à-nouveaux)",
            journal.code,
            one_line(&journal.label),
            count(journal.lines, "line")
        );
    }
    let _ = writeln!(out, "mapping: {}", mapping.files.join(" + "));
    let totals = plan.totals;
    let _ = writeln!(
        out,
        "purchases considered (net debits of classes 60–62, 21 and accounts with a rule): {} k€",
        keuro(totals.considered)
    );
    let rows: [(&str, Decimal, String); 3] = [
        (
            "mapped",
            totals.mapped,
            format!(
                "{} written{}",
                count(plan.lines.len(), "line"),
                if source.by_supplier {
                    ", per supplier"
                } else {
                    ""
                }
            ),
        ),
        (
            "excluded",
            totals.excluded,
            "counted elsewhere or not a purchase".to_string(),
        ),
        (
            "unmapped",
            totals.unmapped,
            "no rule: add one with --mapping".to_string(),
        ),
    ];
    for (name, value, note) in rows {
        let _ = writeln!(
            out,
            "  {name:<9} {:>12} k€  {:>7}  {note}",
            keuro(value).to_string(),
            share(value, totals.considered)
        );
    }
    if !plan.excluded.is_empty() {
        let _ = writeln!(out, "excluded:");
        for listed in &plan.excluded {
            let reason = listed.rule.as_ref().map(|r| {
                format!(
                    "{}: {}",
                    r.describe(),
                    r.rule.exclude.as_deref().unwrap_or_default()
                )
            });
            listed_row(&mut out, &listed.group, reason.as_deref());
        }
    }
    if !plan.unmapped.is_empty() {
        let _ = writeln!(out, "unmapped (no rule; not in the lines):");
        for listed in &plan.unmapped {
            listed_row(&mut out, &listed.group, None);
        }
    }
    if !plan.credits.is_empty() {
        let _ = writeln!(
            out,
            "net credits (credit notes or reversals exceed debits; not counted):"
        );
        for listed in &plan.credits {
            listed_row(&mut out, &listed.group, None);
        }
    }
    for (key, condition) in &plan.unchecked {
        let _ = writeln!(
            out,
            "note: rule {key} is excluded when the inventory has {} lines; no --inventory given, so it is mapped",
            condition.name()
        );
    }
    out
}

/// The generated file: the summary as comments, then `lines:` (ready for `include:`).
pub fn render(ledger: &Ledger, plan: &Plan, mapping: &Mapping, source: &Source<'_>) -> String {
    let mut out = String::with_capacity(512 * (plan.lines.len() + 8));
    out.push_str(
        "# Generated by `bilan import fec`: purchases from the accounting ledger, valued\n",
    );
    out.push_str("# with monetary ratios (kgCO2e per k€ HT). Regenerate rather than edit.\n#\n");
    // A comment ends at a line break, and YAML counts a CR as one: every control character
    // of a file name or a label becomes a space, so nothing can step out of the comment.
    for line in summary(ledger, plan, mapping, source).lines() {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{}", format!("# {line}").trim_end());
    }
    let mut lines = Vec::with_capacity(plan.lines.len());
    for line in &plan.lines {
        let group = &line.group;
        let mut label = one_line(&group.account_label);
        if label.is_empty() {
            label = line
                .rule
                .rule
                .label
                .clone()
                .unwrap_or_else(|| format!("Compte {}", group.account));
        }
        let mut trace = format!(
            "{}: account {} {}",
            source.fec,
            group.account,
            one_line(&group.account_label)
        );
        if let Some(s) = &group.supplier {
            label = format!("{label} – {}", one_line(&s.label));
            let _ = write!(trace, ", supplier {} {}", s.num, one_line(&s.label));
        }
        let _ = write!(
            trace,
            ", {}, net debit {} €; {}",
            count(group.lines, "line"),
            group.net.normalize(),
            line.rule.describe()
        );
        if let Some(rule_label) = &line.rule.rule.label {
            let _ = write!(trace, " ({})", one_line(rule_label));
        }
        let _ = write!(trace, " → {} {}", line.factor, line.factor_name);
        lines.push(OutLine {
            id: line_id(group),
            label: label.trim().to_string(),
            factor: line.factor.clone(),
            quantity: Exact(keuro(group.net)),
            unit: "k€",
            post: line.post.code(),
            amortization: line.years.map(|years| OutAmortization {
                acquired: plan.year,
                years,
            }),
            comment: trace.trim().to_string(),
        });
    }
    // Through the YAML serializer: a label holding a quote, a colon or a line break stays a
    // value and can never add a key.
    match serde_saphyr::to_string(&OutFile { lines }) {
        Ok(yaml) => out.push_str(&yaml),
        Err(e) => {
            let _ = writeln!(
                out,
                "# cannot write the lines: {}",
                one_line(&e.to_string())
            );
        }
    }
    out
}

/// The file `import fec` writes, as the serializer sees it.
#[derive(serde::Serialize)]
struct OutFile {
    lines: Vec<OutLine>,
}

/// One line of it.
#[derive(serde::Serialize)]
struct OutLine {
    id: String,
    label: String,
    factor: String,
    quantity: Exact,
    unit: &'static str,
    post: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amortization: Option<OutAmortization>,
    comment: String,
}

/// An amortisation, in the inventory's words.
#[derive(serde::Serialize)]
struct OutAmortization {
    acquired: i32,
    years: u32,
}

/// An exact decimal written as a plain YAML number when a float reads it back to the same
/// digits (up to 15 significant digits), else as a quoted string the loader reads exactly.
struct Exact(Decimal);

impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.normalize().to_string();
        if let Ok(whole) = text.parse::<i64>() {
            return serializer.serialize_i64(whole);
        }
        match text.parse::<f64>() {
            Ok(float) if float.to_string() == text => serializer.serialize_f64(float),
            _ => serializer.serialize_str(&text),
        }
    }
}
