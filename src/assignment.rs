//! Which post a line goes to (posts.md, "Assignment rules"): a line's explicit `post:` wins,
//! then the first rule of `RULES` whose category prefix matches the factor's category path.

use crate::factor::Factor;
use crate::inventory::{Direction, Line, Purpose};
use crate::post::{Post, codes};

/// What a matching rule decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    /// Always this post.
    Fixed(Post),
    /// Fuel: 1.1, or 1.2 when mobile (line flag or a path segment saying so).
    Combustion,
    /// Passenger transport: by `purpose:`.
    ByPurpose,
    /// Freight: by `direction:`.
    ByDirection,
    /// Capital good: 3.10 (warned when not amortised).
    CapitalGood,
    /// Purchased service: 3.9, unless `purpose:`/`direction:` make it transport.
    Service,
    /// Waste: 3.11, or 3.19 for sold products.
    Waste,
}

/// The rules in order: category path prefix (segments separated by ` > `; a final `*` lets
/// the last segment be the start of the category's segment, as in "PRG à 100 ans …"), decision.
const RULES: [(&str, Decision); 16] = [
    ("Combustibles", Decision::Combustion),
    ("Electricité", Decision::Fixed(codes::ELECTRICITY)),
    ("Réseaux de chaleur / froid", Decision::Fixed(codes::HEAT)),
    (
        "Process et émissions fugitives > PRG*",
        Decision::Fixed(codes::FUGITIVE),
    ),
    (
        "Process et émissions fugitives",
        Decision::Fixed(codes::PROCESS),
    ),
    ("Transport de personnes", Decision::ByPurpose),
    ("Transport de marchandises", Decision::ByDirection),
    (
        "Achats de biens > Hydrogène",
        Decision::Fixed(codes::UPSTREAM_ENERGY),
    ),
    (
        "Achats de biens > Bâtiments, ouvrages d'art et voirie",
        Decision::CapitalGood,
    ),
    (
        "Achats de biens > Machines et équipements",
        Decision::CapitalGood,
    ),
    ("Achats de biens > Mobilier", Decision::CapitalGood),
    (
        "Achats de biens > Véhicules automobiles et autres matériels de transport",
        Decision::CapitalGood,
    ),
    ("Achats de biens", Decision::Fixed(codes::PURCHASES)),
    ("Achats de services", Decision::Service),
    ("Traitement des déchets", Decision::Waste),
    ("UTCF", Decision::Fixed(codes::BIOMASS)),
];

/// Agricultural statistics, handled apart (rule 13).
const AGRICULTURE: &str = "Statistiques territoriales > Agriculture";

/// The rule that placed a line, shown in reports: `Electricité > … → 2.6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The category prefix matched, or [`EXPLICIT`] / [`AMORTIZATION`].
    pub reason: &'static str,
    /// The post chosen.
    pub post: Post,
}

/// The reason of a line placed by its own `post:`.
pub const EXPLICIT: &str = "post:";
/// The reason of a line placed by its `amortization:`.
pub const AMORTIZATION: &str = "amortization:";

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.reason {
            EXPLICIT => write!(f, "explicit post: {}", self.post),
            AMORTIZATION => write!(f, "amortization: → {}", self.post),
            prefix => write!(f, "{} > … → {}", prefix.trim_end_matches('*'), self.post),
        }
    }
}

/// A line's post and the rule that placed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The post.
    pub post: Post,
    /// The rule.
    pub rule: Rule,
    /// A capital good counted whole in the period (no `amortization:`).
    pub capital_good_not_amortized: bool,
}

/// Why no post could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignmentError {
    /// Passenger transport without `purpose:`.
    PurposeMissing,
    /// Freight without `direction:`.
    DirectionMissing,
    /// No rule matched.
    NoRule,
    /// A monetary transport ratio without `purpose:` (passengers) or `direction:` (freight).
    TransportRatioUnplaced,
    /// A line modifier where it means nothing: `purpose:` off passenger transport and fuels,
    /// `direction:` off freight, `mobile:` off fuels.
    Meaningless(Modifier),
}

/// A line field that refines the assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modifier {
    /// `purpose:`.
    Purpose,
    /// `direction:`.
    Direction,
    /// `mobile:`.
    Mobile,
}

fn matches(category: &str, prefix: &str) -> bool {
    if let Some(start) = prefix.strip_suffix('*') {
        return category.starts_with(start);
    }
    category == prefix
        || category
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.trim_start().starts_with('>'))
}

/// A monetary ratio of transport services (`Transports aériens`, `Transports terrestres …`):
/// passengers or freight, by the line's `purpose:` or `direction:`.
fn is_transport_ratio(factor: &Factor) -> bool {
    let category = factor.category.trim();
    matches(category, "Achats de services")
        && crate::text::folded_starts_with(factor.name.trim(), "transport")
}

/// Biofuels made for road vehicles, which Base Carbone files under `Combustibles > Organiques`
/// without saying "mobile": biodiesel, bioethanol, BioGNC (for road vehicles), BioGNL (fuel) and
/// HVO. Like road fossil fuels they go to 1.2; burnt in a boiler or a generator, a line says
/// `post: "1.1"`.
fn is_road_biofuel(factor: &Factor) -> bool {
    const ROAD: [&str; 5] = ["biodiesel", "bioethanol", "biognc", "biognl", "hvo"];
    matches(factor.category.trim(), "Combustibles > Organiques") && {
        let name = factor.name.trim();
        ROAD.iter()
            .any(|fuel| crate::text::folded_starts_with(name, fuel))
    }
}

/// Refuses a modifier the factor gives no meaning to.
fn check_modifiers(
    line: &Line,
    factor: &Factor,
    decision: Option<Decision>,
) -> Result<(), AssignmentError> {
    let transport_ratio = is_transport_ratio(factor);
    let fuel = decision == Some(Decision::Combustion);
    if line.purpose.is_some() && !(fuel || transport_ratio || decision == Some(Decision::ByPurpose))
    {
        return Err(AssignmentError::Meaningless(Modifier::Purpose));
    }
    if line.direction.is_some() && !(transport_ratio || decision == Some(Decision::ByDirection)) {
        return Err(AssignmentError::Meaningless(Modifier::Direction));
    }
    if line.at.mobile().is_some() && !fuel {
        return Err(AssignmentError::Meaningless(Modifier::Mobile));
    }
    if fuel && line.purpose.is_some() && line.mobile {
        // Fuel of the organisation's own vehicles (1.2) or of others' (3.13/3.22/3.16).
        return Err(AssignmentError::Meaningless(Modifier::Mobile));
    }
    Ok(())
}

/// Chooses the post of `line`, whose factor is `factor`.
pub fn assign(line: &Line, factor: &Factor) -> Result<Assignment, AssignmentError> {
    let category = factor.category.trim();
    let rule = RULES.iter().find(|(prefix, _)| matches(category, prefix));
    check_modifiers(line, factor, rule.map(|(_, d)| *d))?;
    if let Some(post) = line.post {
        return Ok(placed(post, EXPLICIT));
    }
    if line.amortization.is_some() {
        return Ok(placed(codes::CAPITAL_GOODS, AMORTIZATION));
    }
    if matches(category, AGRICULTURE) {
        let folded = crate::text::fold(&format!("{category} {}", factor.name));
        return if folded.contains("fabrication") || folded.contains("machin") {
            Ok(placed(codes::CAPITAL_GOODS, AGRICULTURE))
        } else if folded.contains("hectare") || factor.per_unit().eq_ignore_ascii_case("ha") {
            Ok(placed(codes::MOBILE, AGRICULTURE))
        } else {
            Err(AssignmentError::NoRule)
        };
    }
    let Some((prefix, decision)) = rule else {
        return Err(AssignmentError::NoRule);
    };
    let post = match decision {
        Decision::Fixed(post) => *post,
        // Fuel for vehicles the organisation does not own: the trip's post, the whole line.
        Decision::Combustion if line.purpose.is_some() => by_purpose(line)?,
        Decision::Combustion => {
            let mobile_path = category
                .as_bytes()
                .windows(6)
                .any(|w| w.eq_ignore_ascii_case(b"mobile"));
            if line.mobile || mobile_path || is_road_biofuel(factor) {
                codes::MOBILE
            } else {
                codes::STATIONARY
            }
        }
        Decision::ByPurpose => by_purpose(line)?,
        Decision::ByDirection => by_direction(line)?,
        Decision::CapitalGood => {
            return Ok(Assignment {
                capital_good_not_amortized: true,
                ..placed(codes::CAPITAL_GOODS, prefix)
            });
        }
        Decision::Service => match (line.purpose, line.direction) {
            (Some(_), _) => by_purpose(line)?,
            (None, Some(_)) => by_direction(line)?,
            (None, None) if is_transport_ratio(factor) => {
                return Err(AssignmentError::TransportRatioUnplaced);
            }
            (None, None) => codes::PURCHASES,
        },
        Decision::Waste if line.sold_products => codes::END_OF_LIFE,
        Decision::Waste => codes::WASTE,
    };
    Ok(placed(post, prefix))
}

fn placed(post: Post, reason: &'static str) -> Assignment {
    Assignment {
        post,
        rule: Rule { reason, post },
        capital_good_not_amortized: false,
    }
}

fn by_purpose(line: &Line) -> Result<Post, AssignmentError> {
    match line.purpose {
        Some(Purpose::Business) => Ok(codes::BUSINESS_TRAVEL),
        Some(Purpose::Commute) => Ok(codes::COMMUTING),
        Some(Purpose::Visitors) => Ok(codes::VISITORS),
        None => Err(AssignmentError::PurposeMissing),
    }
}

fn by_direction(line: &Line) -> Result<Post, AssignmentError> {
    match line.direction {
        Some(Direction::Upstream) => Ok(codes::FREIGHT_UPSTREAM),
        Some(Direction::Downstream) => Ok(codes::FREIGHT_DOWNSTREAM),
        None => Err(AssignmentError::DirectionMissing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factor::{FactorStatus, FactorUncertainty};
    use crate::inventory::{Amortization, FactorRef, LinePositions};
    use rust_decimal::Decimal;

    fn factor(category: &str) -> Factor {
        Factor {
            id: "1".into(),
            name: "f".into(),
            unit: "kgCO2e/kWh".into(),
            kgco2e: Decimal::ONE,
            parts: vec![],
            gases: Default::default(),
            uncertainty: FactorUncertainty::default(),
            category: category.into(),
            tags: String::new(),
            location: String::new(),
            status: FactorStatus::ValidGeneric,
            source: String::new(),
            origin: Default::default(),
        }
    }

    fn line() -> Line {
        Line {
            id: "l".into(),
            label: "l".into(),
            factor: FactorRef::Id("1".into()),
            quantity: Decimal::ONE,
            unit: "kWh".into(),
            certainty: None,
            post: None,
            purpose: None,
            direction: None,
            mobile: false,
            amortization: None,
            sold_products: false,
            ets: false,
            intragroup: false,
            site: None,
            tags: vec![],
            details: None,
            at: LinePositions::default(),
        }
    }

    fn post_of(line: &Line, category: &str) -> Result<&'static str, AssignmentError> {
        assign(line, &factor(category)).map(|a| a.post.code())
    }

    #[test]
    fn rules_by_category() {
        let l = line();
        assert_eq!(
            post_of(
                &l,
                "Electricité > Mix réseau électrique > France continentale"
            ),
            Ok("2.6")
        );
        assert_eq!(
            post_of(&l, "Réseaux de chaleur / froid > Île-de-France"),
            Ok("2.7")
        );
        assert_eq!(post_of(&l, "Combustibles > Fossiles > Gaz"), Ok("1.1"));
        assert_eq!(
            post_of(&l, "Combustibles > Fossiles > Usage sources mobiles"),
            Ok("1.2")
        );
        assert_eq!(
            post_of(
                &l,
                "Process et émissions fugitives > PRG à 100 ans issus du 6eme rapport du GIEC > HFC"
            ),
            Ok("1.4")
        );
        assert_eq!(
            post_of(&l, "Process et émissions fugitives > Process industriels"),
            Ok("1.3")
        );
        assert_eq!(post_of(&l, "Achats de biens > Hydrogène"), Ok("3.8"));
        assert_eq!(post_of(&l, "Achats de biens > Papier, carton"), Ok("3.9"));
        assert_eq!(
            post_of(&l, "Achats de services > Ratios monétaires"),
            Ok("3.9")
        );
        assert_eq!(
            post_of(&l, "Traitement des déchets > Ménages et assimilés"),
            Ok("3.11")
        );
        assert_eq!(post_of(&l, "UTCF > Forêts françaises"), Ok("1.5"));
        assert_eq!(
            post_of(&l, "Statistiques territoriales > Résidentiel"),
            Err(AssignmentError::NoRule)
        );
        assert_eq!(post_of(&l, "Electricité2"), Err(AssignmentError::NoRule));
    }

    #[test]
    fn line_fields_refine_the_rules() {
        let mut l = line();
        assert_eq!(
            post_of(&l, "Transport de personnes > Ferroviaire"),
            Err(AssignmentError::PurposeMissing)
        );
        assert_eq!(
            post_of(&l, "Transport de marchandises > Routier"),
            Err(AssignmentError::DirectionMissing)
        );
        l.purpose = Some(Purpose::Commute);
        assert_eq!(
            post_of(&l, "Transport de personnes > Ferroviaire"),
            Ok("3.22")
        );
        assert_eq!(
            post_of(&l, "Achats de services > Ratios monétaires"),
            Err(AssignmentError::Meaningless(Modifier::Purpose))
        );
        l.purpose = Some(Purpose::Visitors);
        assert_eq!(post_of(&l, "Transport de personnes > Routier"), Ok("3.16"));
        l.purpose = None;
        l.direction = Some(Direction::Downstream);
        assert_eq!(
            post_of(&l, "Transport de marchandises > Routier"),
            Ok("3.17")
        );
        l.direction = None;
        l.mobile = true;
        assert_eq!(post_of(&l, "Combustibles > Fossiles > Gazole"), Ok("1.2"));
        l.sold_products = true;
        assert_eq!(
            post_of(&l, "Traitement des déchets > Ménages et assimilés"),
            Ok("3.19")
        );
        l.amortization = Some(Amortization {
            acquired: 2020,
            years: 5,
        });
        assert_eq!(post_of(&l, "Electricité > Mix"), Ok("3.10"));
        l.post = Post::from_code("3.14");
        assert_eq!(post_of(&l, "Electricité > Mix"), Ok("3.14"));
    }

    #[test]
    fn capital_goods_without_amortization_are_flagged() {
        let a = assign(
            &line(),
            &factor("Achats de biens > Machines et équipements > Informatique"),
        )
        .unwrap();
        assert_eq!(a.post.code(), "3.10");
        assert!(a.capital_good_not_amortized);
    }
}
