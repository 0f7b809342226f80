//! Charts drawn as inline SVG: real text (readable by screen readers and in print), a title per
//! chart, shapes and labels distinct in grey print. Escaping by maud.

use super::{human, percent, tonnes};
use crate::post::Lang;
use crate::report::{PostStatus, Report};
use maud::{Markup, html};
use rust_decimal::Decimal;

/// Fill per scope: dark, middle and light, so they stay apart in grey print.
pub const SCOPE_FILLS: [&str; 3] = ["#1f4e79", "#c55a11", "#9dc3e6"];

fn fill(scope: u8) -> &'static str {
    SCOPE_FILLS
        .get(usize::from(scope.saturating_sub(1)))
        .copied()
        .unwrap_or("#777777")
}

fn f(value: f64) -> String {
    format!("{value:.1}")
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Horizontal bars of the 22 posts, largest first, with their 95 % interval as whiskers; posts
/// without emissions are listed below with their status.
pub fn posts_chart(report: &Report, lang: Lang) -> Markup {
    let drawn = |p: &&crate::report::PostResult| p.lines > 0 && !p.figure.kgco2e.is_zero();
    let mut posts: Vec<_> = report.posts.iter().filter(drawn).collect();
    posts.sort_by(|a, b| {
        b.figure
            .kgco2e
            .cmp(&a.figure.kgco2e)
            .then(a.post.cmp(&b.post))
    });
    let others: Vec<_> = report.posts.iter().filter(|p| !drawn(p)).collect();
    let max = posts
        .iter()
        .map(|p| p.figure.interval().1)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let (label_w, bar_x, bar_w, row_h) = (330.0, 340.0, 300.0, 22.0);
    let height = row_h * (posts.len() + others.len()) as f64 + 40.0;
    let (title, desc) = match lang {
        Lang::Fr => (
            "Émissions par poste (tCO2e)",
            "Barres horizontales des postes du Bilan Carbone, du plus émetteur au moins émetteur ; les moustaches montrent l'intervalle de confiance à 95 %.",
        ),
        Lang::En => (
            "Emissions by post (tCO2e)",
            "Horizontal bars of the Bilan Carbone posts, largest first; whiskers show the 95% confidence interval.",
        ),
    };
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 720 " (f(height))} role="img" aria-labelledby="posts-title posts-desc" {
            title #posts-title { (title) }
            desc #posts-desc { (desc) }
            @for (i, p) in posts.iter().enumerate() {
                @let y = 10.0 + row_h * i as f64;
                @let value = crate::report::to_f64(p.figure.kgco2e);
                @let (low, high) = p.figure.interval();
                @let w = bar_w * value / max;
                @let name = p.post.name(lang);
                g {
                    title { (p.post.code()) " " (name) " : " (human(tonnes(p.figure.kgco2e), 2, lang)) " tCO2e" }
                    text x="0" y=(f(y + 14.0)) font-size="11" { (p.post.code()) " " (shorten(name, 44)) }
                    rect x=(f(bar_x)) y=(f(y + 3.0)) width=(f(w.max(0.5))) height="14" fill=(fill(p.post.scope().0)) stroke="#000" stroke-width="0.5" {}
                    line x1=(f(bar_x + bar_w * low / max)) x2=(f(bar_x + bar_w * high / max)) y1=(f(y + 10.0)) y2=(f(y + 10.0)) stroke="#000" stroke-width="1" {}
                    line x1=(f(bar_x + bar_w * low / max)) x2=(f(bar_x + bar_w * low / max)) y1=(f(y + 6.0)) y2=(f(y + 14.0)) stroke="#000" stroke-width="1" {}
                    line x1=(f(bar_x + bar_w * high / max)) x2=(f(bar_x + bar_w * high / max)) y1=(f(y + 6.0)) y2=(f(y + 14.0)) stroke="#000" stroke-width="1" {}
                    text x=(f(bar_x + bar_w * high / max + 4.0)) y=(f(y + 14.0)) font-size="11" { (human(tonnes(p.figure.kgco2e), 2, lang)) }
                }
            }
            @for (j, p) in others.iter().enumerate() {
                @let y = 10.0 + row_h * (posts.len() + j) as f64;
                @let status = match (&p.status, p.lines > 0) {
                    (_, true) => if lang == Lang::Fr { "0 (collecté)" } else { "0 (collected)" },
                    (PostStatus::NotApplicable(_), _) => if lang == Lang::Fr { "non applicable" } else { "not applicable" },
                    (PostStatus::InProgress, _) => if lang == Lang::Fr { "en cours" } else { "in progress" },
                    _ => if lang == Lang::Fr { "non collecté" } else { "not collected" },
                };
                text x="0" y=(f(y + 14.0)) font-size="11" fill="#444" { (p.post.code()) " " (shorten(p.post.name(lang), 44)) }
                text x=(f(bar_x)) y=(f(y + 14.0)) font-size="11" font-style="italic" fill="#444" { (status) }
            }
            text x=(f(label_w)) y=(f(height - 6.0)) font-size="10" fill="#444" {
                @if lang == Lang::Fr { "Moustaches : intervalle de confiance à 95 %" } @else { "Whiskers: 95% confidence interval" }
            }
        }
    }
}

/// One bar split by scope (100 %), each segment labelled with its scope and share.
pub fn scopes_chart(report: &Report, lang: Lang) -> Markup {
    let total = report.total.kgco2e;
    let (title, desc) = match lang {
        Lang::Fr => (
            "Répartition par scope",
            "Barre empilée : part de chaque scope dans le total.",
        ),
        Lang::En => (
            "Split by scope",
            "Stacked bar: each scope's share of the total.",
        ),
    };
    let mut x = 20.0;
    let mut segments = Vec::new();
    for s in &report.scopes {
        let share = if total.is_zero() {
            Decimal::ZERO
        } else {
            s.share
        };
        let w = 680.0 * crate::report::to_f64(share);
        segments.push((s.scope.0, x, w, share, s.figure.kgco2e));
        x += w;
    }
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 120" role="img" aria-labelledby="scopes-title scopes-desc" {
            title #scopes-title { (title) }
            desc #scopes-desc { (desc) }
            @for (scope, x, w, _, kg) in &segments {
                @if *w > 0.0 {
                    rect x=(f(*x)) y="20" width=(f(*w)) height="40" fill=(fill(*scope)) stroke="#000" stroke-width="0.5" {
                        title { "Scope " (scope) " : " (human(tonnes(*kg), 2, lang)) " tCO2e" }
                    }
                }
            }
            @for (i, (scope, _, _, share, kg)) in segments.iter().enumerate() {
                @let lx = 20.0 + 230.0 * i as f64;
                rect x=(f(lx)) y="80" width="14" height="14" fill=(fill(*scope)) stroke="#000" stroke-width="0.5" {}
                text x=(f(lx + 20.0)) y="92" font-size="12" {
                    "Scope " (scope) " : " (percent(*share, lang)) " (" (human(tonnes(*kg), 2, lang)) " t)"
                }
            }
        }
    }
}
