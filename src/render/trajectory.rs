//! The low-carbon trajectory: table, Markdown, CSV and JSON. Values only rounded here.

use super::grid::{self, Grid};
use super::{exact, human, num_rounded, percent, rounded, tonnes};
use crate::contract::trajectory as doc;
use crate::contract::{Num, texts};
use crate::post::Lang;
use crate::trajectory::{ActionPlan, SBTI_FROM, Trajectory};
use rust_decimal::Decimal;

fn dash() -> String {
    "–".to_string()
}

/// tCO2e for people, or a dash.
fn t(value: Option<Decimal>, lang: Lang) -> String {
    value.map_or_else(dash, |v| human(tonnes(v), 2, lang))
}

/// A signed tCO2e for people (`+1,20`, `-0,35`): the one minus sign of every output.
fn signed_t(value: Option<Decimal>, lang: Lang) -> String {
    value.map_or_else(dash, |v| {
        let text = human(tonnes(v.abs()), 2, lang);
        if text.chars().all(|c| !c.is_ascii_digit() || c == '0') {
            text
        } else if v.is_sign_negative() {
            format!("-{text}")
        } else {
            format!("+{text}")
        }
    })
}

/// An annual reduction rate for people: a decrease reads `-4,2 %/an`.
fn per_year(rate: Decimal, lang: Lang) -> String {
    let value = human((rate * Decimal::ONE_HUNDRED).abs(), 1, lang);
    let sign = if value.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        ""
    } else if rate.is_sign_negative() {
        "+"
    } else {
        "-"
    };
    match lang {
        Lang::Fr => format!("{sign}{value}\u{a0}%/an"),
        Lang::En => format!("{sign}{value}%/yr"),
    }
}

fn rate_decimal(rate: f64) -> Decimal {
    Decimal::from_f64_retain(rate).unwrap_or_default()
}

fn intro(trajectory: &Trajectory, lang: Lang) -> Vec<String> {
    let inventory = &trajectory.inventory;
    let target = &trajectory.target;
    let reference = &trajectory.reference;
    let mut lines = Vec::new();
    let history: Vec<String> = trajectory
        .history
        .iter()
        .map(|m| format!("{} ({} tCO2e)", m.year, human(tonnes(m.kgco2e), 2, lang)))
        .collect();
    let rate = per_year(rate_decimal(target.rate_f64), lang);
    // On the 2020 path (or the earlier inventory's SNBC path), the path's own start is its
    // reference.
    let (ref_year, ref_kg) = match (target.emissions_2020, target.snbc_reference) {
        (Some(e2020), _) if target.on_track => (SBTI_FROM, e2020),
        (_, Some(r)) if target.on_track => (r.year, r.kgco2e),
        _ => (reference.year, reference.kgco2e),
    };
    let fr = lang == Lang::Fr;
    let t = |kg: Decimal| human(tonnes(kg), 2, lang);
    let year = reference.year;
    lines.push(if fr {
        format!(
            "Inventaire {} : {} tCO2e ({})",
            inventory.year,
            t(inventory.kgco2e),
            inventory.name
        )
    } else {
        format!(
            "Inventory {}: {} tCO2e ({})",
            inventory.year,
            t(inventory.kgco2e),
            inventory.name
        )
    });
    if !history.is_empty() {
        let label = if fr { "Historique :" } else { "History:" };
        lines.push(format!("{label} {}", history.join(", ")));
    }
    let (name, from) = (target.kind.name(lang), target.from_year);
    lines.push(if fr {
        format!(
            "Cible : {name}, référence {ref_year} ({} tCO2e) : {rate} à partir de {from}",
            t(ref_kg)
        )
    } else {
        format!(
            "Target: {name}, reference {ref_year} ({} tCO2e): {rate} from {from}",
            t(ref_kg)
        )
    });
    let snbc_path = match target.snbc_reference {
        Some(r) if target.on_track => Some(r.path),
        _ => target.snbc,
    };
    if let Some(path) = &snbc_path {
        let segments: Vec<String> = path
            .segments()
            .map(|s| {
                let rate = per_year(s.rate, lang);
                if fr {
                    format!("{rate} de {} à {}", s.from, s.to)
                } else {
                    format!("{rate} from {} to {}", s.from, s.to)
                }
            })
            .collect();
        let secten = path.secten_year;
        lines.push(if fr {
            format!("  SNBC : {} (chaque taux porte sur la valeur du début de sa période), constante après 2050 ; taux nationaux de Bilan Carbone+, partant des émissions Secten {secten}", segments.join(", "))
        } else {
            format!("  SNBC: {} (each rate applies to the value at the start of its period), held after 2050; Bilan Carbone+'s national rates, from the Secten emissions of {secten}", segments.join(", "))
        });
    }
    if let Some(e2020) = target.emissions_2020 {
        let path = t(target.path_2020(year).unwrap_or_default());
        lines.push(match (fr, trajectory.history.is_empty()) {
            (true, true) => format!("  émissions 2020 : {} tCO2e (supposées constantes de 2020 à {year}) ; trajectoire partant de 2020 en {year} : {path} tCO2e", t(e2020)),
            (true, false) => format!("  émissions 2020 : {} tCO2e (lues entre les inventaires mesurés) ; trajectoire partant de 2020 en {year} : {path} tCO2e", t(e2020)),
            (false, true) => format!("  2020 emissions: {} tCO2e (taken as constant from 2020 to {year}); path from 2020 in {year}: {path} tCO2e", t(e2020)),
            (false, false) => format!("  2020 emissions: {} tCO2e (read between the measured inventories); path from 2020 in {year}: {path} tCO2e", t(e2020)),
        });
    }
    let next = year + 1;
    if let Some(r) = target.snbc_reference {
        let (r_year, r_kg) = (r.year, t(r.kgco2e));
        let overshoot = t(target.overshoot_kgco2e.unwrap_or_default());
        lines.push(match (fr, target.on_track, r.multiplier) {
            (true, true, _) => format!("  inventaire {year} à moins de 5\u{a0}% de la trajectoire SNBC partant de l'inventaire {r_year} ({r_kg} tCO2e) : elle reste la cible"),
            (false, true, _) => format!("  inventory {year} within 5% of the SNBC path from inventory {r_year} ({r_kg} tCO2e): that path stays the target"),
            (true, false, Some(k)) => format!("  taux multipliés par {} pour compenser les {overshoot} tCO2e émises au-dessus de la trajectoire SNBC partant de l'inventaire {r_year} ({r_kg} tCO2e) entre {r_year} et {year}", human(rate_decimal(k), 4, lang)),
            (false, false, Some(k)) => format!("  rates multiplied by {} to make up for the {overshoot} tCO2e emitted above the SNBC path from inventory {r_year} ({r_kg} tCO2e) between {r_year} and {year}", human(rate_decimal(k), 4, lang)),
            (true, false, None) => format!("  au-dessus de la trajectoire SNBC partant de l'inventaire {r_year} ({r_kg} tCO2e) en {year}, sans dépassement de son budget depuis {r_year} : taux non relevés"),
            (false, false, None) => format!("  above the SNBC path from inventory {r_year} ({r_kg} tCO2e) in {year}, with no overshoot of its budget since {r_year}: rates not raised"),
        });
    } else if target.on_track {
        lines.push(if fr {
            format!("  inventaire {year} à moins de 5\u{a0}% de la trajectoire partant de 2020 : elle reste la cible")
        } else {
            format!("  inventory {year} within 5% of the path from 2020: that path stays the target")
        });
    } else if target.budget_spent {
        lines.push(if fr {
            format!("  budget carbone 2020 déjà consommé en {year} : cible nulle dès {next}")
        } else {
            format!("  2020 carbon budget already spent by {year}: target zero from {next}")
        });
    } else if let (true, Some(overshoot)) = (target.compensated, target.overshoot_kgco2e) {
        lines.push(if fr {
            format!("  taux relevé pour compenser le dépassement de {} tCO2e du budget carbone de la trajectoire partant de 2020 entre 2020 et {year}", t(overshoot))
        } else {
            format!("  rate raised to make up for the {} tCO2e emitted above the carbon budget of the path from 2020 between 2020 and {year}", t(overshoot))
        });
    }
    lines
}

fn years(trajectory: &Trajectory, lang: Lang) -> Grid {
    let header = match lang {
        Lang::Fr => [
            "Année",
            "Cible (tCO2e)",
            "Avec actions (tCO2e)",
            "Réductions (tCO2e)",
            "Inventaires (tCO2e)",
            "Écart (tCO2e)",
        ],
        Lang::En => [
            "Year",
            "Target (tCO2e)",
            "With actions (tCO2e)",
            "Reductions (tCO2e)",
            "Inventories (tCO2e)",
            "Gap (tCO2e)",
        ],
    };
    Grid {
        header: header.iter().map(ToString::to_string).collect(),
        rows: trajectory
            .years
            .iter()
            .map(|row| {
                vec![
                    row.year.to_string(),
                    t(row.target, lang),
                    t(row.with_actions, lang),
                    t(row.reduction, lang),
                    t(row.measured, lang),
                    signed_t(row.gap, lang),
                ]
            })
            .collect(),
        right: (1..6).collect(),
    }
}

/// The average annual rates, in one sentence.
pub(crate) fn rates(trajectory: &Trajectory, lang: Lang) -> Option<String> {
    let rates = &trajectory.rates;
    let horizon = rates.horizon?;
    let year = trajectory.inventory.year;
    let actions = rates.actions.map_or_else(dash, |r| per_year(r, lang));
    let target = per_year(rate_decimal(trajectory.target.rate_f64), lang);
    let needed = rates.needed.map_or_else(dash, |r| per_year(r, lang));
    let name = trajectory.target.kind.name(lang);
    Some(match lang {
        Lang::Fr => format!(
            "Taux annuels moyens {year} → {horizon} : vos actions {actions} ; {name} {target} ; pour être sur la cible en {horizon} : {needed}"
        ),
        Lang::En => format!(
            "Average annual rates {year} → {horizon}: your actions {actions}; {name} {target}; to be on target in {horizon}: {needed}"
        ),
    })
}

fn matrix(trajectory: &Trajectory, lang: Lang) -> Grid {
    let mut header = vec![match lang {
        Lang::Fr => "Impact \\ Facilité".to_string(),
        Lang::En => "Impact \\ Ease".to_string(),
    }];
    header.extend((1..=5).map(|e: u8| e.to_string()));
    let rows = (1..=5u8)
        .rev()
        .map(|impact| {
            let mut row = vec![impact.to_string()];
            row.extend((1..=5u8).map(|ease| {
                trajectory
                    .matrix
                    .iter()
                    .find(|c| c.impact == impact && c.ease == ease)
                    .map_or_else(String::new, |c| c.actions.join(", "))
            }));
            row
        })
        .collect();
    Grid {
        header,
        rows,
        right: Vec::new(),
    }
}

fn find<'a>(trajectory: &'a Trajectory, id: &str) -> Option<&'a ActionPlan> {
    trajectory.actions.iter().find(|a| a.action.id == id)
}

fn per_post(trajectory: &Trajectory, lang: Lang) -> Grid {
    let header = match lang {
        Lang::Fr => [
            "Poste",
            "Action",
            "Intitulé",
            "Réduction (tCO2e/an)",
            "Part du poste",
            "Période",
            "Impact",
            "Facilité",
            "Responsable",
            "Statut",
        ],
        Lang::En => [
            "Post",
            "Action",
            "Name",
            "Reduction (tCO2e/yr)",
            "Share of post",
            "Period",
            "Impact",
            "Ease",
            "Owner",
            "Status",
        ],
    };
    let mut rows = Vec::new();
    for plan in &trajectory.posts {
        for id in &plan.actions {
            let Some(a) = find(trajectory, id) else {
                continue;
            };
            let on_post = a.posts.iter().find(|r| r.post == plan.post);
            let reduction = on_post.map_or_else(dash, |r| {
                let text = t(Some(r.kgco2e), lang);
                if a.projected {
                    text
                } else {
                    format!("({text})")
                }
            });
            let part = on_post
                .and_then(|r| r.share)
                .map_or_else(dash, |s| percent(s, lang));
            let score = |s: Option<u8>| s.map_or_else(dash, |v| v.to_string());
            rows.push(vec![
                plan.post.code().to_string(),
                a.action.id.clone(),
                a.action.label.clone(),
                reduction,
                part,
                a.action.period(lang),
                score(a.action.impact),
                score(a.action.ease),
                a.action.owner.clone().unwrap_or_default(),
                a.action.status.label(lang).to_string(),
            ]);
        }
        let name = format!(
            "{} ({} tCO2e)",
            plan.post.name(lang),
            human(tonnes(plan.kgco2e), 2, lang)
        );
        let part = plan.share.map_or_else(dash, |s| {
            let text = percent(s, lang);
            match (plan.capped, lang) {
                (true, Lang::Fr) => format!("{text} (plafonnée)"),
                (true, Lang::En) => format!("{text} (capped)"),
                (false, _) => text,
            }
        });
        rows.push(vec![
            plan.post.code().to_string(),
            "Total".to_string(),
            name,
            t(Some(plan.capped_reduction), lang),
            part,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    Grid {
        header: header.iter().map(ToString::to_string).collect(),
        rows,
        right: vec![3, 4, 6, 7],
    }
}

/// The notes under the tables: actions not rated, reductions already in the inventory,
/// warnings.
fn notes(trajectory: &Trajectory, lang: Lang) -> Vec<String> {
    let mut notes = Vec::new();
    if !trajectory.unrated.is_empty() {
        let ids = trajectory.unrated.join(", ");
        notes.push(match lang {
            Lang::Fr => format!("Actions sans impact ou facilité : {ids}"),
            Lang::En => format!("Actions without impact or ease: {ids}"),
        });
    }
    let year = trajectory.inventory.year;
    if trajectory
        .actions
        .iter()
        .any(|a| !a.projected && a.action.reduction.is_some())
    {
        notes.push(match lang {
            Lang::Fr => format!(
                "Entre parenthèses : actions réalisées avant la fin de {year}, déjà dans l'inventaire, ni projetées ni comptées dans les totaux."
            ),
            Lang::En => format!(
                "In parentheses: actions done by the end of {year}, already in the inventory, neither projected nor counted in the totals."
            ),
        });
    }
    if !trajectory.warnings.is_empty() {
        let count = trajectory.warnings.len();
        notes.push(match lang {
            Lang::Fr => {
                format!("Avertissements : {count} (détail sur la sortie d'erreur, et dans le JSON)")
            }
            Lang::En => format!("Warnings: {count} (details on stderr, and in the JSON)"),
        });
    }
    notes
}

fn titles(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Fr => [
            "Trajectoire bas carbone",
            "Matrice des actions (impact × facilité de mise en œuvre)",
            "Actions par poste",
        ],
        Lang::En => [
            "Low-carbon trajectory",
            "Action matrix (impact × ease of implementation)",
            "Actions by post",
        ],
    }
}

/// The trajectory as tables.
pub fn table(trajectory: &Trajectory, lang: Lang) -> String {
    let [title, matrix_title, posts_title] = titles(lang);
    let mut out = format!("{title} — {}\n", trajectory.organisation);
    for line in intro(trajectory, lang) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&years(trajectory, lang).table());
    out.push('\n');
    if let Some(rates) = rates(trajectory, lang) {
        out.push_str(&rates);
        out.push('\n');
    }
    if !trajectory.actions.is_empty() {
        out.push_str(&format!("\n{matrix_title}\n"));
        out.push_str(&matrix(trajectory, lang).table());
        out.push('\n');
        out.push_str(&format!("\n{posts_title}\n"));
        out.push_str(&per_post(trajectory, lang).table());
        out.push('\n');
    }
    let notes = notes(trajectory, lang);
    if !notes.is_empty() {
        out.push('\n');
    }
    for note in notes {
        out.push_str(&note);
        out.push('\n');
    }
    out
}

/// The trajectory as Markdown.
pub fn markdown(trajectory: &Trajectory, lang: Lang) -> String {
    let [title, matrix_title, posts_title] = titles(lang);
    let mut out = format!("## {title} — {}\n\n", trajectory.organisation);
    for line in intro(trajectory, lang) {
        match line.strip_prefix("  ") {
            Some(detail) => out.push_str(&format!("  - {detail}\n")),
            None => out.push_str(&format!("- {line}\n")),
        }
    }
    out.push('\n');
    out.push_str(&years(trajectory, lang).markdown());
    if let Some(rates) = rates(trajectory, lang) {
        out.push_str(&format!("\n**{rates}**\n"));
    }
    if !trajectory.actions.is_empty() {
        out.push_str(&format!("\n### {matrix_title}\n\n"));
        out.push_str(&matrix(trajectory, lang).markdown());
        out.push_str(&format!("\n### {posts_title}\n\n"));
        out.push_str(&per_post(trajectory, lang).markdown());
    }
    let notes = notes(trajectory, lang);
    if !notes.is_empty() {
        out.push('\n');
    }
    for note in notes {
        out.push_str(&format!("{note}\n"));
    }
    out
}

/// Projected figures to the gram; measured ones exactly.
fn gram(value: Decimal) -> String {
    rounded(value, 3)
}

/// The year rows as CSV (kgCO2e; empty when not applicable).
pub fn csv(trajectory: &Trajectory) -> String {
    let header = [
        "year",
        "target_kgco2e",
        "with_actions_kgco2e",
        "reduction_kgco2e",
        "measured_kgco2e",
        "gap_kgco2e",
    ]
    .map(String::from)
    .to_vec();
    let cell = |v: Option<Decimal>, f: fn(Decimal) -> String| v.map_or_else(String::new, f);
    let rows = trajectory.years.iter().map(|row| {
        vec![
            row.year.to_string(),
            cell(row.target, gram),
            cell(row.with_actions, gram),
            cell(row.reduction, gram),
            cell(row.measured, exact),
            cell(row.gap, gram),
        ]
    });
    grid::csv(std::iter::once(header).chain(rows))
}

/// JSON schema name of the trajectory.
pub const SCHEMA: &str = crate::contract::TRAJECTORY;

fn measured(m: &crate::trajectory::Measured) -> doc::Measured<'_> {
    doc::Measured {
        file: m.name.as_str().into(),
        year: m.year,
        kgco2e: Num(m.kgco2e),
    }
}

/// A projected figure to the gram.
fn gram_num(value: Decimal) -> Num {
    num_rounded(value, 3)
}

/// A fraction to 6 decimals.
fn fraction(value: Decimal) -> Num {
    num_rounded(value, 6)
}

fn action(a: &ActionPlan) -> doc::Action<'_> {
    use crate::action::{End, Reduction};
    let action = &a.action;
    doc::Action {
        id: action.id.as_str().into(),
        label: action.label.as_str().into(),
        posts: action.posts.iter().map(|p| p.code().into()).collect(),
        reduction: action.reduction.map(|r| match r {
            Reduction::Kgco2e(kg) => doc::Reduction::Kgco2e(Num(kg)),
            Reduction::Share(s) => doc::Reduction::Share(Num(s)),
        }),
        start: action.start.to_string().into(),
        end: match action.end {
            End::At(when) => Some(when.to_string().into()),
            End::After(_) | End::StartYear => None,
        },
        duration_years: match action.end {
            End::After(years) => Some(Num(years)),
            _ => None,
        },
        full_effect_year: action.full_year(),
        impact: action.impact,
        ease: action.ease,
        owner: action.owner.as_deref().map(Into::into),
        status: action.status.code().into(),
        comment: action.comment.as_deref().map(Into::into),
        projected: a.projected,
        kgco2e_per_year: gram_num(a.kgco2e),
        by_post: a
            .posts
            .iter()
            .map(|r| doc::ByPost {
                post: r.post.code().into(),
                kgco2e_per_year: gram_num(r.kgco2e),
                share: r.share.map(fraction),
            })
            .collect(),
    }
}

fn segments(path: &crate::snbc::Path) -> Vec<doc::Segment> {
    path.segments()
        .map(|s| doc::Segment {
            from_year: s.from,
            to_year: s.to,
            annual_rate: s.rate_f64(),
        })
        .collect()
}

/// An SNBC target's path and the earlier inventory it is measured against.
fn snbc(target: &crate::trajectory::Target) -> Option<doc::Snbc<'static>> {
    let path = target.snbc.as_ref()?;
    Some(doc::Snbc {
        sector: path.sector.map(|s| s.code().into()),
        secten_year: path.secten_year,
        segments: segments(path),
        held_after: crate::snbc::FINAL_TARGET_YEAR,
        multiplier: target.snbc_reference.and_then(|r| r.multiplier),
        reference: target.snbc_reference.map(|r| doc::SnbcReference {
            year: r.year,
            kgco2e: Num(r.kgco2e),
            segments: segments(&r.path),
        }),
    })
}

/// The trajectory as its JSON document (`bilan.trajectory/1`).
pub fn document(trajectory: &Trajectory, lang: Lang) -> doc::Document<'_> {
    let target = &trajectory.target;
    let rates = &trajectory.rates;
    doc::Document {
        schema: SCHEMA.into(),
        unit: "kgCO2e".into(),
        organisation: trajectory.organisation.as_str().into(),
        inventory: measured(&trajectory.inventory),
        history: trajectory.history.iter().map(measured).collect(),
        target: doc::Target {
            kind: target.kind.code().into(),
            name: target.kind.name(lang).into(),
            reference: measured(&trajectory.reference),
            from_year: target.from_year,
            annual_rate: target.rate_f64,
            compensated: target.compensated,
            budget_spent: target.budget_spent,
            on_track: target.on_track,
            emissions_2020_kgco2e: target.emissions_2020.map(gram_num),
            overshoot_kgco2e: target.overshoot_kgco2e.map(gram_num),
            snbc: snbc(target),
        },
        rates: doc::Rates {
            horizon: rates.horizon,
            actions: rates.actions.map(fraction),
            target: target.rate_f64,
            needed: rates.needed.map(fraction),
        },
        years: trajectory
            .years
            .iter()
            .map(|row| doc::Year {
                year: row.year,
                target_kgco2e: row.target.map(gram_num),
                with_actions_kgco2e: row.with_actions.map(gram_num),
                reduction_kgco2e: row.reduction.map(gram_num),
                measured_kgco2e: row.measured.map(Num),
                gap_kgco2e: row.gap.map(gram_num),
            })
            .collect(),
        actions: trajectory.actions.iter().map(action).collect(),
        posts: trajectory
            .posts
            .iter()
            .map(|p| doc::PostPlan {
                code: p.post.code().into(),
                name: p.post.name(lang).into(),
                kgco2e: Num(p.kgco2e),
                actions: texts(&p.actions),
                reduction_kgco2e_per_year: gram_num(p.reduction),
                capped: p.capped,
                capped_reduction_kgco2e_per_year: gram_num(p.capped_reduction),
                share: p.share.map(fraction),
            })
            .collect(),
        matrix: trajectory
            .matrix
            .iter()
            .map(|c| doc::Cell {
                impact: c.impact,
                ease: c.ease,
                actions: texts(&c.actions),
            })
            .collect(),
        unrated: texts(&trajectory.unrated),
        warnings: trajectory
            .warnings
            .iter()
            .map(|w| w.text(lang).into())
            .collect(),
    }
}

/// The trajectory as JSON (`bilan.trajectory/1`).
pub fn json(trajectory: &Trajectory, lang: Lang) -> String {
    let mut text = serde_json::to_string_pretty(&document(trajectory, lang)).unwrap_or_default();
    text.push('\n');
    text
}
