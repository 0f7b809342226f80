//! Several periods side by side (`bilan compute 2023.yaml 2024.yaml 2025.yaml`): each post,
//! scope and the total per period, in period order whatever the order given, and the change
//! from the first period to the last. A post not collected in a period has no figure there
//! (unknown is not zero).

use crate::post::{Lang, Post};
use crate::report::{PostStatus, Report};
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
    /// kgCO2e per period, in period order; `None` for a post not collected in that period.
    pub values: Vec<Option<Decimal>>,
    /// Last period minus the first, kgCO2e; `None` when either is unknown.
    pub change: Option<Decimal>,
    /// `change` / first period; `None` when the first is 0 or unknown.
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
            RowKind::Scope(s) => crate::post::Scope::from_number(s).map_or("", |s| s.name(lang)),
            RowKind::Total => "Total",
        }
    }
}

/// The periods' labels and the rows: posts in code order, each scope after its posts, then
/// the total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    /// One label per period, in period order: the year, or `start – end` when not a calendar
    /// year.
    pub periods: Vec<String>,
    /// The organisations of the reports, each once, in period order.
    pub organisations: Vec<String>,
    /// The rows.
    pub rows: Vec<TrendRow>,
}

fn row(kind: RowKind, values: Vec<Option<Decimal>>) -> TrendRow {
    let first = values.first().copied().flatten();
    let last = values.last().copied().flatten();
    let change = first.zip(last).map(|(first, last)| last - first);
    let change_share = first
        .zip(change)
        .filter(|(first, _)| !first.is_zero())
        .and_then(|(first, change)| change.checked_div(first));
    TrendRow {
        kind,
        values,
        change,
        change_share,
    }
}

/// Why several reports make no trend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrendError {
    /// Two reports cover the same period (given by their positions in the argument list).
    SamePeriod(usize, usize),
}

/// The trend of `reports`, sorted by period (start, then end).
pub fn trend(reports: &[Report]) -> Result<Trend, TrendError> {
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by_key(|&i| reports.get(i).map(|r| (r.period.start, r.period.end)));
    for pair in order.windows(2) {
        if let [a, b] = *pair
            && reports.get(a).map(|r| r.period) == reports.get(b).map(|r| r.period)
        {
            return Err(TrendError::SamePeriod(a.min(b), a.max(b)));
        }
    }
    let reports: Vec<&Report> = order.iter().filter_map(|&i| reports.get(i)).collect();
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
                        .filter(|p| p.status != PostStatus::NotCollected)
                        .map(|p| p.figure.kgco2e)
                })
                .collect();
            rows.push(row(RowKind::Post(post), values));
        }
        let values = reports
            .iter()
            .map(|r| {
                Some(
                    r.scopes
                        .iter()
                        .find(|s| s.scope == scope)
                        .map(|s| s.figure.kgco2e)
                        .unwrap_or_default(),
                )
            })
            .collect();
        rows.push(row(RowKind::Scope(scope.number()), values));
    }
    rows.push(row(
        RowKind::Total,
        reports.iter().map(|r| Some(r.total.kgco2e)).collect(),
    ));
    let mut organisations: Vec<String> = Vec::new();
    for report in &reports {
        if !organisations.contains(&report.organisation.name) {
            organisations.push(report.organisation.name.clone());
        }
    }
    Ok(Trend {
        periods,
        organisations,
        rows,
    })
}
