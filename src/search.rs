//! Finding factors by words (`bilan factors search`): accent- and case-insensitive, ranked.

use crate::factor::Factor;
use crate::text::fold;
use std::cmp::Reverse;

/// How much a query word is worth by where it matches; a whole word adds 1 (see `word_score`).
const ID_EXACT: u32 = 3;
const IN_NAME: u32 = 2;
const IN_CATEGORY_OR_TAGS: u32 = 1;
const IN_ID: u32 = 0;

/// The factors matching every word of `query` in their name, tags, category or id, ignoring
/// case and accents, best first. Ranking: a word in the name beats one in the category or
/// tags, a whole word beats a part of a word (an exact id beats all); then valid before
/// archived, shorter name first, then by id. `unit` keeps the factors whose unit denominator
/// (`kWh` in `kgCO2e/kWh`), or whole unit, is `unit`, ignoring case. An empty query matches all.
pub fn search<'a>(
    factors: impl Iterator<Item = &'a Factor>,
    query: &str,
    unit: Option<&str>,
) -> Vec<&'a Factor> {
    let query = fold(query);
    let words: Vec<&str> = words(&query).collect();
    let unit = unit.map(|u| fold(u.trim()));
    let mut hits: Vec<(u32, &Factor)> = factors
        .filter(|f| unit.as_deref().is_none_or(|u| unit_matches(f, u)))
        .filter_map(|f| score(f, &words).map(|s| (s, f)))
        .collect();
    hits.sort_by(|(score_a, a), (score_b, b)| {
        Reverse(*score_a)
            .cmp(&Reverse(*score_b))
            // Declaration order: valid generic (the default choice), specific, archived.
            .then_with(|| a.status.cmp(&b.status))
            .then_with(|| a.name.chars().count().cmp(&b.name.chars().count()))
            .then_with(|| (a.id.len(), &a.id).cmp(&(b.id.len(), &b.id)))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.source.cmp(&b.source))
    });
    hits.into_iter().map(|(_, f)| f).collect()
}

/// The words of folded text: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn unit_matches(factor: &Factor, folded_unit: &str) -> bool {
    fold(factor.per_unit()) == folded_unit || fold(factor.unit.trim()) == folded_unit
}

/// The factor's score for the query words, `None` when a word matches nowhere.
fn score(factor: &Factor, words: &[&str]) -> Option<u32> {
    if words.is_empty() {
        return Some(0);
    }
    let id = fold(&factor.id);
    let name = fold(&factor.name);
    let category = fold(&factor.category);
    let tags = fold(&factor.tags);
    let mut total = 0;
    for word in words {
        let best = if *word == id {
            ID_EXACT * 2 + 1
        } else {
            [
                word_score(&name, word, IN_NAME),
                word_score(&category, word, IN_CATEGORY_OR_TAGS),
                word_score(&tags, word, IN_CATEGORY_OR_TAGS),
                word_score(&id, word, IN_ID),
            ]
            .into_iter()
            .flatten()
            .max()?
        };
        total += best;
    }
    Some(total)
}

/// `None` when `word` is not in `field`; else twice the field's weight, plus 1 for a whole
/// word, so a part of a word in the name still beats a whole word in the category.
fn word_score(field: &str, word: &str, weight: u32) -> Option<u32> {
    if !field.contains(word) {
        return None;
    }
    let whole = words(field).any(|w| w == word);
    Some(weight * 2 + u32::from(whole))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Position;
    use crate::factor::{FactorStatus, FactorUncertainty, Gases};
    use rust_decimal::Decimal;

    fn factor(id: &str, name: &str, unit: &str, category: &str, tags: &str) -> Factor {
        Factor {
            id: id.to_string(),
            name: name.to_string(),
            unit: unit.to_string(),
            kgco2e: Decimal::ONE,
            parts: Vec::new(),
            gases: Gases::default(),
            uncertainty: FactorUncertainty::default(),
            category: category.to_string(),
            tags: tags.to_string(),
            location: String::new(),
            status: FactorStatus::ValidGeneric,
            source: String::new(),
            origin: Position::default(),
        }
    }

    fn ids<'a>(found: &[&'a Factor]) -> Vec<&'a str> {
        found.iter().map(|f| f.id.as_str()).collect()
    }

    fn base() -> Vec<Factor> {
        let mut archived = factor(
            "15591",
            "Electricité - 2018 - mix moyen",
            "kgCO2e/kWh",
            "Electricité > Mix",
            "",
        );
        archived.status = FactorStatus::Archived;
        vec![
            factor(
                "42513",
                "Electricité - 2022 - mix moyen - consommation",
                "kgCO2e/kWh",
                "Electricité > Mix réseau électrique > France continentale > Moyen",
                "Electricité,France continentale,Mix électrique",
            ),
            archived,
            factor(
                "34721",
                "électricité - photovoltaïque - Fabrication Europe",
                "kgCO2e/kWh",
                "Electricité > Autres",
                "",
            ),
            factor(
                "14087",
                "Fioul domestique",
                "kgCO2e/litre",
                "Combustibles > Fossiles > Liquides",
                "combustible liquide,Fioul domestique",
            ),
            factor(
                "99001",
                "Chaudière",
                "kgCO2e/kWh PCI",
                "Combustibles > Gaz",
                "électricité",
            ),
            factor("99002", "Boisson sucrée", "kgCO2e/kg", "Alimentation", ""),
            factor("99003", "Bois bûche", "kgCO2e/kg", "Combustibles", ""),
        ]
    }

    #[test]
    fn ignores_case_and_accents() {
        let base = base();
        let found = search(base.iter(), "ÉLECTRICITE", None);
        assert_eq!(ids(&found), ["42513", "34721", "15591", "99001"]);
        let found = search(base.iter(), "photovoltaique", None);
        assert_eq!(ids(&found), ["34721"]);
    }

    #[test]
    fn ligatures_match_their_spelled_out_form() {
        let beef = [
            factor("1", "Bœuf haché", "kgCO2e/kg", "Alimentation", ""),
            factor("2", "Boeuf bourguignon", "kgCO2e/kg", "Alimentation", ""),
        ];
        assert_eq!(ids(&search(beef.iter(), "boeuf", None)), ["1", "2"]);
        assert_eq!(ids(&search(beef.iter(), "BŒUF", None)), ["1", "2"]);
    }

    #[test]
    fn every_word_must_match() {
        let base = base();
        assert_eq!(
            ids(&search(base.iter(), "electricite 2022", None)),
            ["42513"]
        );
        assert!(search(base.iter(), "electricite fioul", None).is_empty());
    }

    #[test]
    fn name_beats_tags_and_valid_beats_archived() {
        let base = base();
        // 99001 has "électricité" only in its tags; the archived 15591 comes after both
        // valid factors whose names hold the word, before the tag-only match.
        let found = search(base.iter(), "electricite", None);
        assert_eq!(ids(&found), ["42513", "34721", "15591", "99001"]);
    }

    #[test]
    fn whole_word_beats_part_of_a_word() {
        let base = base();
        assert_eq!(ids(&search(base.iter(), "bois", None)), ["99003", "99002"]);
    }

    #[test]
    fn exact_id_comes_first() {
        let base = base();
        assert_eq!(ids(&search(base.iter(), "42513", None)), ["42513"]);
        // A part of an id matches, ranked last.
        assert_eq!(ids(&search(base.iter(), "140", None)), ["14087"]);
    }

    #[test]
    fn unit_filters_on_the_denominator() {
        let base = base();
        let found = search(base.iter(), "electricite", Some("KWH"));
        assert_eq!(ids(&found), ["42513", "34721", "15591"]);
        let found = search(base.iter(), "", Some("kWh PCI"));
        assert_eq!(ids(&found), ["99001"]);
        let found = search(base.iter(), "", Some("kgCO2e/litre"));
        assert_eq!(ids(&found), ["14087"]);
        assert!(search(base.iter(), "fioul", Some("kg")).is_empty());
    }

    #[test]
    fn empty_query_lists_all_deterministically() {
        let base = base();
        let forward = ids(&search(base.iter(), "  ", None));
        let backward = ids(&search(base.iter().rev(), "", None));
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), base.len());
        // Valid ones first, shorter names first; the archived one last.
        assert_eq!(forward.first(), Some(&"99001"));
        assert_eq!(forward.last(), Some(&"15591"));
    }
}
