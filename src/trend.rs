//! Several periods side by side (`bilan compute 2023.yaml 2024.yaml 2025.yaml`): each post,
//! scope and the total per period, and the change against the first period.

use crate::post::{Lang, Post};
use crate::report::Report;
use rust_decimal::Decimal;

/// What a trend row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// One of the 22 posts.
    Post(Post),
    /// A scope subtotal.
    Scope(u8),
    /// The total.
    Total,
}

/// One row: a figure per period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendRow {
    /// What it is.
    pub kind: RowKind,
    /// kgCO2e per period, in the order given.
    pub values: Vec<Decimal>,
    /// Last period minus the first, kgCO2e.
    pub change: Decimal,
    /// `change` / first period; `None` when the first is 0.
    pub change_share: Option<Decimal>,
}

impl TrendRow {
    /// Its code (`2.6`, `scope 2`, `total`).
    pub fn code(&self) -> String {
        match self.kind {
            RowKind::Post(p) => p.code().to_string(),
            RowKind::Scope(s) => format!("scope {s}"),
            RowKind::Total => "total".to_string(),
        }
    }

    /// Its name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match self.kind {
            RowKind::Post(p) => p.name(lang),
            RowKind::Scope(s) => crate::post::Scope(s).name(lang),
            RowKind::Total => "Total",
        }
    }
}

/// The periods' labels and the rows: posts in code order, each scope after its posts, then
/// the total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    /// One label per period: the year, or `start – end` when not a calendar year.
    pub periods: Vec<String>,
    /// The organisations of the reports (repeats removed).
    pub organisations: Vec<String>,
    /// The rows.
    pub rows: Vec<TrendRow>,
}

fn row(kind: RowKind, values: Vec<Decimal>) -> TrendRow {
    let first = values.first().copied().unwrap_or_default();
    let last = values.last().copied().unwrap_or_default();
    let change = last - first;
    let change_share = if first.is_zero() {
        None
    } else {
        change.checked_div(first)
    };
    TrendRow {
        kind,
        values,
        change,
        change_share,
    }
}

/// The trend of `reports`, in the order given.
pub fn trend(reports: &[Report]) -> Trend {
    let periods = reports
        .iter()
        .map(|r| {
            let p = r.period;
            if p.start.month == 1
                && p.start.day == 1
                && p.end.month == 12
                && p.end.day == 31
                && p.start.year == p.end.year
            {
                p.end.year.to_string()
            } else {
                format!("{} – {}", p.start, p.end)
            }
        })
        .collect();
    let mut rows = Vec::new();
    for scope in crate::post::Scope::ALL {
        for post in Post::all().filter(|p| p.scope() == scope) {
            let values = reports
                .iter()
                .map(|r| {
                    r.posts
                        .get(post.index())
                        .map(|p| p.figure.kgco2e)
                        .unwrap_or_default()
                })
                .collect();
            rows.push(row(RowKind::Post(post), values));
        }
        let values = reports
            .iter()
            .map(|r| {
                r.scopes
                    .iter()
                    .find(|s| s.scope == scope)
                    .map(|s| s.figure.kgco2e)
                    .unwrap_or_default()
            })
            .collect();
        rows.push(row(RowKind::Scope(scope.0), values));
    }
    rows.push(row(
        RowKind::Total,
        reports.iter().map(|r| r.total.kgco2e).collect(),
    ));
    Trend {
        periods,
        organisations: {
            let mut names: Vec<String> = reports
                .iter()
                .map(|r| r.organisation.name.clone())
                .collect();
            names.dedup();
            names
        },
        rows,
    }
}
