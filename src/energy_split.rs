//! The energy split (posts.md): a fuel, electricity or heat line whose factor is decomposed
//! sends its upstream parts to 3.8, manufacturing to 3.10 and leaks to 1.4.

use crate::factor::{Factor, Part};
use crate::number::checked_sum;
use crate::post::{Post, codes};
use rust_decimal::Decimal;

/// Where one part type goes from a line in 1.1/1.2 (`combustion`) or 2.6/2.7 (`grid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Destination {
    /// Stays in the line's post.
    Stays,
    /// Goes to this post.
    To(Post),
    /// The factor cannot be split: the line stays whole, with a warning.
    Unsplittable,
}

/// (part types, destination from 1.1/1.2, destination from 2.6/2.7); anything else → 3.8.
const TABLE: [(&[&str], Destination, Destination); 4] = [
    (
        &[
            "Combustion",
            "Combustion à la centrale",
            // Base Carbone V23.9 (hydropower reservoirs), with the `?` its export writes for
            // the apostrophe; Bilan Carbone+ books it with the combustion.
            "Autres émissions liées à la consommation d?électricité (barrage?)",
            "Autres émissions liées à la consommation d'électricité (barrage)",
            "Autres émissions liées à la consommation d’électricité (barrage)",
        ],
        Destination::Stays,
        Destination::Stays,
    ),
    (
        &["Emissions fugitives", "Fuites"],
        Destination::To(codes::FUGITIVE),
        Destination::Stays,
    ),
    (
        &["Carburant (amont/combustion)"],
        Destination::Unsplittable,
        Destination::Unsplittable,
    ),
    (
        &["Fabrication", "Amortissement"],
        Destination::To(codes::CAPITAL_GOODS),
        Destination::To(codes::CAPITAL_GOODS),
    ),
];

/// True for the grid posts, 2.6 electricity and 2.7 heat, steam or cooling.
pub fn is_grid(post: Post) -> bool {
    post == codes::ELECTRICITY || post == codes::HEAT
}

/// True for the posts whose lines are split.
pub fn applies_to(post: Post) -> bool {
    [
        codes::STATIONARY,
        codes::MOBILE,
        codes::ELECTRICITY,
        codes::HEAT,
    ]
    .contains(&post)
}

/// The outcome of splitting a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// (post, kgCO2e) in post order, adding up exactly to the line's emissions.
    pub parts: Vec<(Post, Decimal)>,
    /// The factor has a part type that cannot be split; the line stays whole.
    pub unsplittable: bool,
    /// The parts differ from the total by more than 0.5 % of |total|.
    pub parts_off_total: bool,
}

/// Splits `emission` (= `quantity` × factor total) of a line placed in `post`.
/// Parts placed outside 3.8 are `quantity × part`; 3.8 gets the remainder.
/// `Ok(None)` when the line is not split; `Err` on decimal overflow.
pub fn split(
    post: Post,
    factor: &Factor,
    quantity: Decimal,
    emission: Decimal,
) -> Result<Option<Split>, Overflow> {
    if !applies_to(post) || factor.parts.is_empty() {
        return Ok(None);
    }
    split_parts(post, factor, quantity, emission)
        .map(Some)
        .ok_or(Overflow)
}

/// A figure went beyond the range of exact decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// Where `part` of a line placed in `post` (1.1, 1.2, 2.6 or 2.7) goes; `None` when the part
/// cannot be split.
pub fn target(post: Post, part: &Part) -> Option<Post> {
    let grid = post == codes::ELECTRICITY || post == codes::HEAT;
    let kind = part.kind.trim();
    let destination = TABLE
        .iter()
        .find(|(kinds, _, _)| kinds.iter().any(|k| k.eq_ignore_ascii_case(kind)))
        .map_or(
            Destination::To(codes::UPSTREAM_ENERGY),
            |(_, combustion, grid_dest)| {
                if grid { *grid_dest } else { *combustion }
            },
        );
    let contrail = is_contrail(&part.kind) || is_contrail(&part.name);
    match destination {
        Destination::Unsplittable => None,
        Destination::Stays => Some(post),
        Destination::To(p) if p == codes::FUGITIVE && contrail => Some(post),
        Destination::To(p) => Some(p),
    }
}

fn split_parts(post: Post, factor: &Factor, quantity: Decimal, emission: Decimal) -> Option<Split> {
    let whole = || vec![(post, emission)];
    let sum = checked_sum(factor.parts.iter().map(|p| p.kgco2e))?;
    let tolerance = factor.kgco2e.abs() * Decimal::new(5, 3);
    let parts_off_total = (sum.checked_sub(factor.kgco2e)?).abs() > tolerance;
    let mut placed: Vec<(Post, Decimal)> = Vec::new();
    for part in &factor.parts {
        let Some(target) = target(post, part) else {
            return Some(Split {
                parts: whole(),
                unsplittable: true,
                parts_off_total,
            });
        };
        if target != codes::UPSTREAM_ENERGY {
            let amount = quantity.checked_mul(part.kgco2e)?;
            add(&mut placed, target, amount)?;
        }
    }
    let outside = checked_sum(placed.iter().map(|(_, v)| *v))?;
    let remainder = emission.checked_sub(outside)?;
    if !remainder.is_zero() {
        add(&mut placed, codes::UPSTREAM_ENERGY, remainder)?;
    }
    placed.sort_by_key(|(p, _)| *p);
    Some(Split {
        parts: placed,
        unsplittable: false,
        parts_off_total,
    })
}

/// "Trainées de condensation" (contrails), however accented or cased.
fn is_contrail(text: &str) -> bool {
    // Most part names do not start with a t: skip the allocation of folding them.
    text.split_whitespace()
        .next()
        .filter(|w| w.starts_with(['t', 'T']))
        .is_some_and(|w| crate::text::folded_starts_with(w, "trainee"))
}

fn add(parts: &mut Vec<(Post, Decimal)>, post: Post, amount: Decimal) -> Option<()> {
    match parts.iter_mut().find(|(p, _)| *p == post) {
        Some((_, v)) => *v = v.checked_add(amount)?,
        None => parts.push((post, amount)),
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factor::{FactorStatus, FactorUncertainty, Part};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn factor(total: &str, parts: &[(&str, &str)]) -> Factor {
        Factor {
            id: "42513".into(),
            name: "Electricité - 2022 - mix moyen".into(),
            unit: "kgCO2e/kWh".into(),
            kgco2e: d(total),
            parts: parts
                .iter()
                .map(|(k, v)| Part {
                    kind: (*k).into(),
                    name: String::new(),
                    kgco2e: d(v),
                    gases: Default::default(),
                })
                .collect(),
            gases: Default::default(),
            uncertainty: FactorUncertainty::default(),
            category: "Electricité > Mix réseau électrique".into(),
            tags: String::new(),
            location: String::new(),
            status: FactorStatus::ValidGeneric,
            source: String::new(),
            origin: Default::default(),
        }
    }

    #[test]
    fn electricity_of_the_spec() {
        // 21,340 kWh × 0.052 = 1,109.68: 721.292 to 2.6 (× 0.0338), the remainder 388.388 to 3.8.
        let f = factor(
            "0.052",
            &[
                ("Combustion à la centrale", "0.0338"),
                ("Amont", "0.0135"),
                ("Transport et distribution", "0.00474"),
            ],
        );
        let q = d("21340");
        let s = split(codes::ELECTRICITY, &f, q, q * f.kgco2e)
            .unwrap()
            .unwrap();
        assert_eq!(
            s.parts,
            vec![
                (codes::ELECTRICITY, d("721.292")),
                (codes::UPSTREAM_ENERGY, d("388.388"))
            ]
        );
        assert!(!s.parts_off_total);
        assert!(!s.unsplittable);
    }

    #[test]
    fn combustion_sends_leaks_to_fugitive_and_manufacturing_to_capital_goods() {
        let f = factor(
            "1",
            &[
                ("Combustion", "0.7"),
                ("Fuites", "0.1"),
                ("Fabrication", "0.05"),
                ("Amont", "0.15"),
            ],
        );
        let q = d("10");
        let s = split(codes::STATIONARY, &f, q, q * f.kgco2e)
            .unwrap()
            .unwrap();
        assert_eq!(
            s.parts,
            vec![
                (codes::STATIONARY, d("7.0")),
                (codes::FUGITIVE, d("1.0")),
                (codes::UPSTREAM_ENERGY, d("1.50")),
                (codes::CAPITAL_GOODS, d("0.50")),
            ]
        );
        let total: Decimal = s.parts.iter().map(|(_, v)| *v).sum();
        assert_eq!(total, d("10"));
        // The same leaks stay in a grid post.
        let s = split(codes::HEAT, &f, q, q * f.kgco2e).unwrap().unwrap();
        assert_eq!(s.parts.first(), Some(&(codes::HEAT, d("8.0"))));
    }

    #[test]
    fn contrails_stay_with_the_flight() {
        let mut f = factor(
            "2",
            &[
                ("Combustion", "1"),
                ("Emissions fugitives", "0.8"),
                ("Amont", "0.2"),
            ],
        );
        if let Some(part) = f.parts.get_mut(1) {
            part.name = "Traînées de condensation".into();
        }
        let s = split(codes::MOBILE, &f, d("10"), d("20")).unwrap().unwrap();
        assert_eq!(
            s.parts,
            vec![(codes::MOBILE, d("18")), (codes::UPSTREAM_ENERGY, d("2"))]
        );
    }

    #[test]
    fn unsplittable_and_off_total() {
        let f = factor("2", &[("Carburant (amont/combustion)", "2")]);
        let s = split(codes::MOBILE, &f, d("3"), d("6")).unwrap().unwrap();
        assert!(s.unsplittable);
        assert_eq!(s.parts, vec![(codes::MOBILE, d("6"))]);
        let f = factor("1", &[("Combustion", "0.5")]);
        let s = split(codes::STATIONARY, &f, d("1"), d("1"))
            .unwrap()
            .unwrap();
        assert!(s.parts_off_total);
        assert_eq!(
            s.parts,
            vec![
                (codes::STATIONARY, d("0.5")),
                (codes::UPSTREAM_ENERGY, d("0.5"))
            ]
        );
        assert_eq!(split(codes::PURCHASES, &f, d("1"), d("1")), Ok(None));
    }
}
