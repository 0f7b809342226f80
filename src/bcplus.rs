//! Bilan Carbone+ (ABC's open-source tool, `ABC-TransitionBasCarbone/bilan-carbone`, read at
//! commit `949af9c48dff4589450bff7e3ff41fb9eeae0d7a`; notes in
//! `../shared/data/research/bcplus-formats.md` §1a, §1b, §1d): its emission-source columns, its
//! sub-posts and how they map to the 22 posts, its quality labels. Pure data and small functions;
//! the files are read in `load::bcplus` and written in `render::bcplus`.

use crate::post::Post;
use crate::uncertainty::Quality;
use rust_decimal::Decimal;

/// The 37 columns of the emission-source sheet, in order (French headers as
/// `apps/bilan-carbone/src/i18n/translations/fr/bc.json` → `study.importEmissionSourcesModal`
/// writes them; positions from `SOURCE_IMPORT_COLUMNS`,
/// `apps/bilan-carbone/src/types/importEmissionSources.types.ts`).
pub const COLUMNS: [&str; 37] = [
    "Site *",
    "Poste (1)",
    "Sous-poste *",
    "Nom *",
    "Tag",
    "Caractérisation",
    "Valeur",
    "Unité",
    "Durée d'amortissement",
    "Année d'acquisition",
    "Incertitude globale (1)",
    "Fiabilité",
    "Représentativité technique",
    "Représentativité géographique",
    "Représentativité temporelle",
    "Complétude",
    "Source et date de la donnée collectée",
    "Type",
    "Hypothèses DA",
    "ID (Base empreinte uniquement)",
    "Nom",
    "Valeur",
    "Unité",
    "Localisation",
    "Incertitude globale (1)",
    "Fiabilité (1)",
    "Représentativité technique (1)",
    "Représentativité géographique (1)",
    "Représentativité temporelle (1)",
    "Complétude (1)",
    "Source (1)",
    "Type (1)",
    "FE souhaité/Hypothèses faites",
    "Validation (Oui/Non)",
    "Valeur calculée (1)",
    "Unité de la valeur calculée (1)",
    "Incertitude calculée (1)",
];

/// 0-based column indices read or written (same source as [`COLUMNS`]).
pub mod col {
    /// A: site.
    pub const SITE: usize = 0;
    /// B: post label (ignored by Bilan Carbone+'s import).
    pub const POST: usize = 1;
    /// C: sub-post label.
    pub const SUB_POST: usize = 2;
    /// D: source name.
    pub const NAME: usize = 3;
    /// E: tags, `, `-separated.
    pub const TAG: usize = 4;
    /// F: characterisation.
    pub const CARACTERISATION: usize = 5;
    /// G: activity value, in the factor's unit.
    pub const VALUE: usize = 6;
    /// H: activity unit (not stored by Bilan Carbone+).
    pub const UNIT: usize = 7;
    /// I: depreciation period, years.
    pub const DEPRECIATION: usize = 8;
    /// J: acquisition year.
    pub const ACQUIRED: usize = 9;
    /// L–P: the five qualities of the activity data (reliability first).
    pub const QUALITY: usize = 11;
    /// Q: source of the data.
    pub const SOURCE: usize = 16;
    /// S: activity-data comment (`Hypothèses DA`).
    pub const COMMENT: usize = 18;
    /// T: Base Carbone id.
    pub const FACTOR_ID: usize = 19;
    /// U: factor name.
    pub const FACTOR_NAME: usize = 20;
    /// V: factor value, kgCO2e per unit.
    pub const FACTOR_VALUE: usize = 21;
    /// W: factor unit, `kgCO2e/<unit label>`.
    pub const FACTOR_UNIT: usize = 22;
    /// X: factor location.
    pub const FACTOR_LOCATION: usize = 23;
}

/// Excel row (1-based) of the column headers in the xlsx template and export
/// (`SOURCE_IMPORT_HEADER_ROW_INDEX = 9`, 0-based).
pub const HEADER_ROW: u32 = 10;

/// A Bilan Carbone+ sub-post (`SubPost` enum of
/// `packages/db-common/prisma/schema/bilan-carbone/emissionFactor.prisma`).
pub struct SubPost {
    /// Enum key (`Electricite`).
    pub key: &'static str,
    /// French label (`Électricité`).
    pub fr: &'static str,
    /// English label.
    pub en: &'static str,
    /// French label of its Bilan Carbone+ post (`subPostsByPostBC`, `services/posts.ts`).
    pub post_fr: &'static str,
    /// Our post for a source with no characterisation (or `Opéré`), from Bilan Carbone+'s
    /// BEGES v5 rule (`utils/beges.config.ts`) and the equivalence of
    /// `../shared/domain/posts.md`; `None` when it depends on the characterisation only.
    pub post: Option<&'static str>,
}

const fn sp(
    key: &'static str,
    fr: &'static str,
    en: &'static str,
    post_fr: &'static str,
    post: Option<&'static str>,
) -> SubPost {
    SubPost {
        key,
        fr,
        en,
        post_fr,
        post,
    }
}

const ENERGIE: &str = "Énergie";
const DIRECTES: &str = "Autres émissions directes";
const BIENS: &str = "Intrants biens et matières";
const SERVICES: &str = "Intrants services";
const DECHETS: &str = "Déchets directs";
const FRET: &str = "Fret";
const DEPLACEMENTS: &str = "Déplacements";
const IMMOS: &str = "Immobilisations";
const UTILISATION: &str = "Utilisation et dépendance";
const FIN: &str = "Fin de vie";

/// The 46 Bilan Carbone® sub-posts of Bilan Carbone+, in its order (bcplus-formats.md §1d).
/// Freight and travel go to the scope 3 posts (the sources a study holds are mostly not its own
/// vehicles; an `Opéré` characterisation sends them to 1.2, see [`post_of`]).
pub static SUB_POSTS: [SubPost; 46] = [
    sp(
        "CombustiblesFossiles",
        "Combustibles fossiles",
        "Fossil fuels",
        ENERGIE,
        Some("1.1"),
    ),
    sp(
        "CombustiblesOrganiques",
        "Combustibles organiques",
        "Organic fuels",
        ENERGIE,
        Some("1.1"),
    ),
    sp(
        "ReseauxDeChaleurEtDeVapeur",
        "Réseaux de chaleur et de vapeur",
        "Heat and steam",
        ENERGIE,
        Some("2.7"),
    ),
    sp(
        "ReseauxDeFroid",
        "Réseaux de froid",
        "Cooling",
        ENERGIE,
        Some("2.7"),
    ),
    sp(
        "Electricite",
        "Électricité",
        "Electricity",
        ENERGIE,
        Some("2.6"),
    ),
    sp("Agriculture", "Agriculture", "Agriculture", DIRECTES, None),
    sp(
        "EmissionsLieesAuChangementDAffectationDesSolsCas",
        "Émissions liées au changement d'affectation des sols (CAS)",
        "Emissions related to land use change and forestry",
        DIRECTES,
        Some("1.5"),
    ),
    sp(
        "EmissionsLieesALaProductionDeFroid",
        "Émissions liées à la production de froid",
        "Emissions related to cold production",
        DIRECTES,
        Some("1.4"),
    ),
    sp(
        "EmissionsLieesAuxProcedesIndustriels",
        "Émissions liées aux procédés industriels",
        "Emissions related to industrial processes",
        DIRECTES,
        Some("1.3"),
    ),
    sp(
        "AutresEmissionsNonEnergetiques",
        "Autres émissions directes",
        "Other Direct Emissions",
        DIRECTES,
        None,
    ),
    sp(
        "MetauxPlastiquesEtVerre",
        "Métaux, plastiques et verre",
        "Metals, plastics, and glass",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "PapiersCartons",
        "Papiers cartons",
        "Papers and cardboard",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "MateriauxDeConstruction",
        "Matériaux de construction",
        "Construction materials",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "ProduitsChimiquesEtHydrogene",
        "Produits chimiques et hydrogène",
        "Chemical products and hydrogen",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "NourritureRepasBoissons",
        "Nourriture, repas, boissons",
        "Food, meals, beverages",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "MatiereDestineeAuxEmballages",
        "Matière destinée aux emballages",
        "Materials used for packaging",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "AutresIntrants",
        "Autres intrants",
        "Other inputs",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "BiensEtMatieresEnApprocheMonetaire",
        "Biens et matières en approche monétaire",
        "Goods and materials (monetary approach)",
        BIENS,
        Some("3.9"),
    ),
    sp(
        "AchatsDeServices",
        "Achats de services",
        "Purchases of services",
        SERVICES,
        Some("3.9"),
    ),
    sp(
        "UsagesNumeriques",
        "Usages numeriques",
        "Digital uses",
        SERVICES,
        Some("3.9"),
    ),
    sp(
        "ServicesEnApprocheMonetaire",
        "Services en approche monétaire",
        "Services (monetary approach)",
        SERVICES,
        Some("3.9"),
    ),
    sp(
        "DechetsDEmballagesEtPlastiques",
        "Déchets d'emballages et plastiques",
        "Packaging and plastics waste",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "DechetsOrganiques",
        "Déchets organiques",
        "Organic waste",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "DechetsOrduresMenageres",
        "Déchets ordures menagères",
        "Household waste",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "DechetsDangereux",
        "Déchets dangereux",
        "Hazardous waste",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "DechetsBatiments",
        "Déchets matériaux",
        "Materials waste",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "DechetsFuitesOuEmissionsNonEnergetiques",
        "Fuites ou émissions non énergétiques",
        "Energy-related leaks or emissions",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "EauxUsees",
        "Eaux usées",
        "Wastewater",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "AutresDechets",
        "Autres déchets",
        "Other waste",
        DECHETS,
        Some("3.11"),
    ),
    sp(
        "FretEntrant",
        "Fret entrant",
        "Upstream transportation and distribution",
        FRET,
        Some("3.12"),
    ),
    sp(
        "FretInterne",
        "Fret interne",
        "Internal transportation and distribution",
        FRET,
        Some("3.12"),
    ),
    sp(
        "FretSortant",
        "Fret sortant",
        "Downstream transportation and distribution",
        FRET,
        Some("3.17"),
    ),
    sp(
        "DeplacementsDomicileTravail",
        "Déplacements domicile travail",
        "Commuting",
        DEPLACEMENTS,
        Some("3.22"),
    ),
    sp(
        "DeplacementsProfessionnels",
        "Déplacements professionnels",
        "Business travel",
        DEPLACEMENTS,
        Some("3.13"),
    ),
    sp(
        "DeplacementsVisiteurs",
        "Déplacements visiteurs",
        "Visitors' travel",
        DEPLACEMENTS,
        Some("3.16"),
    ),
    sp("Batiments", "Bâtiments", "Buildings", IMMOS, Some("3.10")),
    sp(
        "AutresInfrastructures",
        "Autres infrastructures",
        "Other infrastructures",
        IMMOS,
        Some("3.10"),
    ),
    sp(
        "Equipements",
        "Équipements",
        "Equipment",
        IMMOS,
        Some("3.10"),
    ),
    sp(
        "Informatique",
        "Informatique",
        "IT assets",
        IMMOS,
        Some("3.10"),
    ),
    sp(
        "UtilisationEnResponsabilite",
        "Utilisation en responsabilité",
        "Use in responsibility",
        UTILISATION,
        Some("3.18"),
    ),
    sp(
        "UtilisationEnDependance",
        "Utilisation en dépendance",
        "Use in dependence",
        UTILISATION,
        None,
    ),
    sp(
        "InvestissementsFinanciersRealises",
        "Investissements financiers réalisés",
        "Financial investments made",
        UTILISATION,
        Some("3.15"),
    ),
    sp(
        "ConsommationDEnergieEnFinDeVie",
        "Consommation d'énergie en fin de vie",
        "Energy consumption at end-of-life",
        FIN,
        Some("3.19"),
    ),
    sp(
        "TraitementDesDechetsEnFinDeVie",
        "Traitement des déchets en fin de vie",
        "Waste treatment at end-of-life",
        FIN,
        Some("3.19"),
    ),
    sp(
        "FuitesOuEmissionsNonEnergetiques",
        "Fuites ou émissions non énergétiques en fin de vie",
        "Non-energy leaks or emissions at the end-of-life stage",
        FIN,
        Some("3.19"),
    ),
    sp(
        "TraitementDesEmballagesEnFinDeVie",
        "Traitement des emballages en fin de vie",
        "Packaging treatment at end-of-life",
        FIN,
        Some("3.19"),
    ),
];

/// Lower-cases and folds the typographic apostrophe, for label matching (Bilan Carbone+ compares
/// trimmed lower-case labels first, `matchLabelFromMap`; its fuzzy fallback is not reproduced:
/// a label that is not exact is an error here rather than a guess).
pub fn fold(text: &str) -> String {
    text.trim().to_lowercase().replace('’', "'")
}

/// The sub-post of a French or English label, or of its enum key.
pub fn sub_post(label: &str) -> Option<&'static SubPost> {
    let folded = fold(label);
    SUB_POSTS
        .iter()
        .find(|s| fold(s.fr) == folded || fold(s.en) == folded || s.key.to_lowercase() == folded)
}

/// True for the Immobilisations sub-posts, whose emission Bilan Carbone+ divides by the
/// depreciation period (`hasDeprecationPeriod`, `apps/bilan-carbone/src/utils/study.ts`).
pub fn is_capital(sub: &SubPost) -> bool {
    sub.post_fr == IMMOS
}

/// The sub-post by enum key.
pub fn by_key(key: &str) -> Option<&'static SubPost> {
    SUB_POSTS.iter().find(|s| s.key == key)
}

/// Our post of a source: its sub-post's, changed by the characterisation where Bilan Carbone+'s
/// BEGES rules change it (`utils/beges.config.ts`): `Opéré` freight and travel (own vehicles)
/// → 1.2; `Opéré, procédé` → 1.3, `Opéré, fugitive` → 1.4, `Opéré, CAS` → 1.5;
/// `Mis en location` for use and end of life → 3.21. `None`: not mappable (listed).
pub fn post_of(sub: &SubPost, caracterisation: &str) -> Option<Post> {
    let c = fold(caracterisation);
    let moving = matches!(sub.post_fr, FRET | DEPLACEMENTS);
    let code = match c.as_str() {
        "opéré" | "détenu" if moving => Some("1.2"),
        "opéré, procédé" => Some("1.3"),
        "opéré, fugitive" => Some("1.4"),
        "opéré, cas" => Some("1.5"),
        "mis en location" if matches!(sub.post_fr, UTILISATION | FIN) => Some("3.21"),
        _ => sub.post,
    };
    code.and_then(Post::from_code)
}

/// Quality labels 1…5 (`bc.json` → `quality`).
pub const QUALITY_FR: [&str; 5] = [
    "Très mauvaise",
    "Mauvaise",
    "Moyenne",
    "Bonne",
    "Très bonne",
];
/// English quality labels 1…5.
pub const QUALITY_EN: [&str; 5] = ["Very poor", "Poor", "Average", "Good", "Very good"];

/// The score 1–5 of a quality label (French or English), or a digit 1–5.
pub fn quality_score(label: &str) -> Option<u8> {
    let folded = fold(label);
    for (i, (fr, en)) in QUALITY_FR.iter().zip(QUALITY_EN).enumerate() {
        if fold(fr) == folded || fold(en) == folded {
            return u8::try_from(i + 1).ok();
        }
    }
    folded.parse::<u8>().ok().filter(|s| (1..=5).contains(s))
}

/// The French label of a score 1–5.
pub fn quality_label(score: u8) -> &'static str {
    QUALITY_FR
        .get(usize::from(score.clamp(1, 5)) - 1)
        .copied()
        .unwrap_or("")
}

/// The five scores in column order L–P: reliability, technical, geographic, temporal,
/// completeness.
pub fn quality_columns(q: &Quality) -> [Option<u8>; 5] {
    [
        q.reliability,
        q.technical,
        q.geographic,
        q.temporal,
        q.completeness,
    ]
}

/// Scores for a stated percentage α, for Bilan Carbone+ which holds only scores: the best
/// uniform score s (all five criteria at s) whose pedigree k is at least 1 + α, so Bilan
/// Carbone+ never shows a source as more certain than declared; 1 when none is that wide.
pub fn scores_for_percent(alpha: Decimal) -> Quality {
    let k = 1.0 + f64::try_from(alpha).unwrap_or(f64::INFINITY);
    for s in (1..=5u8).rev() {
        let q = Quality::default().or_score(s);
        if q.k() + 1e-12 >= k {
            return q;
        }
    }
    Quality::default().or_score(1)
}

/// The marker `bilan` writes in the activity-data comment (`Hypothèses DA`) for what Bilan
/// Carbone+ has no column for: `[bilan post=3.13 uncertainty=5%]`. Bilan Carbone+ keeps the
/// comment, so a study that goes `bilan` → Bilan Carbone+ → `bilan` keeps them.
pub const MARKER: &str = "[bilan ";

/// What a comment's marker says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marker {
    /// `post=`.
    pub post: Option<String>,
    /// `uncertainty=` as written (`5%`).
    pub uncertainty: Option<String>,
    /// `id=`: the line id.
    pub id: Option<String>,
}

/// Splits a comment into its marker (if any) and the rest.
pub fn split_marker(comment: &str) -> (Marker, String) {
    let Some(start) = comment.find(MARKER) else {
        return (Marker::default(), comment.trim().to_string());
    };
    let after = comment.get(start + MARKER.len()..).unwrap_or("");
    let Some(end) = after.find(']') else {
        return (Marker::default(), comment.trim().to_string());
    };
    let mut marker = Marker::default();
    for pair in after.get(..end).unwrap_or("").split_whitespace() {
        match pair.split_once('=') {
            Some(("post", v)) => marker.post = Some(v.to_string()),
            Some(("uncertainty", v)) => marker.uncertainty = Some(v.to_string()),
            Some(("id", v)) => marker.id = Some(v.to_string()),
            _ => {}
        }
    }
    let rest = format!(
        "{} {}",
        comment.get(..start).unwrap_or(""),
        after.get(end + 1..).unwrap_or("")
    );
    (marker, rest.trim().to_string())
}

/// The sub-post and characterisation a line of ours goes to in Bilan Carbone+: by its post, then
/// by its factor's Base Carbone category (`Achats de biens > Papier, carton` → `Papiers cartons`)
/// and unit (a money unit → the monetary-approach sub-posts). `purpose` and `direction` pick
/// among travel and freight for post 1.2 (own vehicles, characterised `Opéré`). When the
/// sub-post would import back to another post, [`MARKER`] keeps ours.
pub fn sub_post_for(
    post: Post,
    category: &str,
    monetary: bool,
    travel: Option<crate::inventory::Purpose>,
    freight: Option<crate::inventory::Direction>,
) -> Option<(&'static SubPost, &'static str)> {
    use crate::inventory::{Direction, Purpose};
    let cat = fold(category);
    let has = |words: &[&str]| words.iter().any(|w| cat.contains(w));
    let (key, caracterisation) = match post.code() {
        "1.1" if has(&["organiques", "biomasse", "bois"]) => ("CombustiblesOrganiques", ""),
        "1.1" | "3.8" => ("CombustiblesFossiles", ""),
        "1.2" => (
            match (travel, freight) {
                (Some(Purpose::Business), _) => "DeplacementsProfessionnels",
                (Some(Purpose::Commute), _) => "DeplacementsDomicileTravail",
                (Some(Purpose::Visitors), _) => "DeplacementsVisiteurs",
                (None, Some(Direction::Upstream)) => "FretEntrant",
                (None, Some(Direction::Downstream)) => "FretSortant",
                (None, None) => "FretInterne",
            },
            "Opéré",
        ),
        "1.3" => ("EmissionsLieesAuxProcedesIndustriels", ""),
        "1.4" => ("EmissionsLieesALaProductionDeFroid", ""),
        "1.5" => ("EmissionsLieesAuChangementDAffectationDesSolsCas", ""),
        "2.6" => ("Electricite", ""),
        "2.7" if has(&["froid"]) && !has(&["chaleur"]) => ("ReseauxDeFroid", ""),
        "2.7" => ("ReseauxDeChaleurEtDeVapeur", ""),
        "3.9" if monetary && has(&["services"]) => ("ServicesEnApprocheMonetaire", ""),
        "3.9" if monetary => ("BiensEtMatieresEnApprocheMonetaire", ""),
        "3.9" if has(&["numérique", "informatique"]) => ("UsagesNumeriques", ""),
        "3.9" if has(&["achats de services"]) => ("AchatsDeServices", ""),
        "3.9" if has(&["alimentation", "restauration", "repas", "boisson"]) => {
            ("NourritureRepasBoissons", "")
        }
        "3.9" if has(&["papier"]) => ("PapiersCartons", ""),
        "3.9" if has(&["métaux", "plastiques", "verre"]) => ("MetauxPlastiquesEtVerre", ""),
        "3.9" if has(&["chimi", "hydrog"]) => ("ProduitsChimiquesEtHydrogene", ""),
        "3.9" if has(&["minéraux", "bâtiments", "construction"]) => {
            ("MateriauxDeConstruction", "")
        }
        "3.9" => ("AutresIntrants", ""),
        "3.10" if has(&["informatique", "numérique"]) => ("Informatique", ""),
        "3.10" if has(&["bâtiments", "construction"]) => ("Batiments", ""),
        "3.10" if has(&["ouvrages", "voirie", "infrastructure"]) => ("AutresInfrastructures", ""),
        "3.10" => ("Equipements", ""),
        "3.11" if has(&["eaux usées"]) => ("EauxUsees", ""),
        "3.11" if has(&["ménages"]) => ("DechetsOrduresMenageres", ""),
        "3.11" if has(&["dangereux"]) => ("DechetsDangereux", ""),
        "3.11" if has(&["organiques", "biodéchets"]) => ("DechetsOrganiques", ""),
        "3.11" if has(&["emballages", "plastiques"]) => ("DechetsDEmballagesEtPlastiques", ""),
        "3.11" if has(&["btp", "inertes"]) => ("DechetsBatiments", ""),
        "3.11" => ("AutresDechets", ""),
        "3.12" => ("FretEntrant", ""),
        "3.13" => ("DeplacementsProfessionnels", ""),
        "3.14" => ("Equipements", "Non détenu location simple"),
        "3.15" => ("InvestissementsFinanciersRealises", ""),
        "3.16" => ("DeplacementsVisiteurs", ""),
        "3.17" => ("FretSortant", ""),
        "3.19" => ("TraitementDesDechetsEnFinDeVie", ""),
        "3.21" => ("UtilisationEnResponsabilite", "Mis en location"),
        "3.22" => ("DeplacementsDomicileTravail", ""),
        // 3.18 and 3.20 (franchises, no sub-post of their own in Bilan Carbone+).
        _ => ("UtilisationEnResponsabilite", ""),
    };
    by_key(key).map(|sub| (sub, caracterisation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_posts_map_to_posts() {
        let code =
            |label: &str, c: &str| sub_post(label).and_then(|s| post_of(s, c)).map(Post::code);
        assert_eq!(code("Électricité", ""), Some("2.6"));
        assert_eq!(code("electricity", ""), Some("2.6"));
        assert_eq!(code("Déplacements professionnels", ""), Some("3.13"));
        assert_eq!(code("Déplacements professionnels", "Opéré"), Some("1.2"));
        assert_eq!(code("Agriculture", ""), None);
        assert_eq!(code("Agriculture", "Opéré, fugitive"), Some("1.4"));
        assert_eq!(
            code("Traitement des déchets en fin de vie", "Mis en location"),
            Some("3.21")
        );
        assert!(sub_post("Poste inconnu").is_none());
        assert_eq!(SUB_POSTS.iter().filter(|s| s.post_fr == BIENS).count(), 8);
    }

    #[test]
    fn qualities() {
        assert_eq!(quality_score("très bonne"), Some(5));
        assert_eq!(quality_score("Poor"), Some(2));
        assert_eq!(quality_score("6"), None);
        // ±5 %: uniform score 5 gives k = 1 (< 1.05); score 4 gives
        // exp(sqrt(ln²1.05 + ln²1.1 + ln²1.01 + ln²1.03 + ln²1.02)) ≈ 1.1235 ≥ 1.05.
        assert_eq!(scores_for_percent(Decimal::new(5, 2)).reliability, Some(4));
        // ±200 %: even score 1 (k ≈ 2.52) is narrower: 1.
        assert_eq!(scores_for_percent(Decimal::new(2, 0)).technical, Some(1));
    }

    #[test]
    fn markers() {
        let (m, rest) = split_marker("Relevés 2024 [bilan post=3.13 uncertainty=5% id=tgv]");
        assert_eq!(m.post.as_deref(), Some("3.13"));
        assert_eq!(m.uncertainty.as_deref(), Some("5%"));
        assert_eq!(m.id.as_deref(), Some("tgv"));
        assert_eq!(rest, "Relevés 2024");
        assert_eq!(split_marker("rien").0, Marker::default());
    }
}
