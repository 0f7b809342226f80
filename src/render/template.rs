//! The collection workbook (`bilan template`): a `lines` sheet whose header row names the keys
//! of a YAML line (read back as is by an `include:`), drop-down lists through data validation,
//! a sheet of common embedded factors and short instructions.

use crate::factor::Factor;
use crate::load::inventory::{KEYS, LAST_KEY};
use crate::post::{Lang, POSTS};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, Formula,
    Workbook, Worksheet, XlsxError,
};

/// Units offered in the `unit` drop-down: each one converts, or is an embedded factor's own
/// (`repas`). Others may still be typed: the list only informs.
pub const UNITS: [&str; 25] = [
    "kWh", "kWh PCI", "kWh PCS", "MWh", "GJ", "tep", "L", "m³", "kg", "t", "g", "€", "k€", "M€",
    "k€ HT", "km", "p.km", "t.km", "TEU.km", "m²", "ha", "unité", "appareil", "pièce", "repas",
];

/// The accepted values of `purpose:`.
pub const PURPOSES: [&str; 3] = ["business", "commute", "visitors"];

/// The accepted values of `direction:`.
pub const DIRECTIONS: [&str; 2] = ["upstream", "downstream"];

/// Ids of the embedded factors the shipped examples (`examples/*.yaml`) use; a test keeps the
/// list equal to the examples. The FEC default mapping's factors are added at run time.
pub const EXAMPLE_FACTORS: [&str; 91] = [
    "14015", "14087", "20682", "20731", "20830", "20894", "20905", "20906", "25763", "25775",
    "26729", "26731", "26737", "26958", "26960", "26961", "26962", "26976", "26997", "26998",
    "27002", "27003", "27006", "27007", "27012", "27027", "27998", "28000", "28151", "28203",
    "28305", "28313", "28328", "28331", "34472", "34473", "34480", "34481", "34586", "34620",
    "34636", "34638", "34650", "34682", "34712", "36808", "37132", "37133", "37139", "37140",
    "37141", "37142", "37144", "42513", "43014", "43152", "43255", "43256", "43273", "43308",
    "43310", "43370", "43380", "43395", "43410", "43443", "43445", "43450", "43473", "43475",
    "43478", "43508", "43510", "43523", "43530", "43540", "43543", "43545", "43550", "43575",
    "43632", "43643", "43716", "43724", "43728", "43735", "43741", "43773", "43791", "43807",
    "43647",
];

/// Rows of the `lines` sheet that carry the drop-down lists (after the header).
pub const ROWS: u32 = 5_000;

/// What the workbook says and lists.
pub struct Template<'a> {
    /// Language of the sheet names (factors) and instructions.
    pub lang: Lang,
    /// The organisation and period (`2025-01-01 – 2025-12-31`), with `--inventory`.
    pub inventory: Option<(&'a str, String)>,
    /// The factors of the factors sheet, in order.
    pub factors: Vec<&'a Factor>,
    /// The file name the workbook is written to, for the instructions.
    pub file_name: &'a str,
}

/// The name of the factors sheet.
pub fn factors_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "facteurs",
        Lang::En => "factors",
    }
}

/// Builds the workbook; the `lines` sheet is the first and its first row is the header.
pub fn workbook(template: &Template<'_>) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed date: the same inputs give the same file.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");

    let lines = workbook.add_worksheet();
    lines.set_name("lines")?;
    for (c, key) in (0u16..).zip(all_keys()) {
        lines.write_string_with_format(0, c, key, &bold)?;
        let width = match key {
            "label" | "comment" => 40,
            "id" | "site" | "tags" | "factor" => 14,
            _ => 12.max(u16::try_from(key.len()).unwrap_or(12) + 2),
        };
        lines.set_column_width(c, width)?;
        // Text cells but for the numbers: typed into a General cell, `3.10` would become the
        // number 3.1 (another post), `5%` the number 0.05, an id lose its leading zeros.
        let number = key == "quantity"
            || key == "pci_per_pcs"
            || key.starts_with("amortization.")
            || key.starts_with("quality.")
            || key.starts_with("factor_quality.");
        if !number {
            lines.set_column_format(c, &text)?;
        }
    }
    lines.set_freeze_panes(1, 0)?;
    let list = |sheet: &mut Worksheet, key: &str, column: &str, len: usize, strict: bool| {
        let Some(c) = all_keys().position(|k| k == key) else {
            return Ok::<(), XlsxError>(());
        };
        let c = u16::try_from(c).unwrap_or(0);
        let range = format!("=lists!${column}$2:${column}${}", len + 1);
        let style = if strict {
            DataValidationErrorStyle::Stop
        } else {
            DataValidationErrorStyle::Information
        };
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_style(style);
        sheet.add_data_validation(1, c, ROWS, c, &validation)?;
        Ok(())
    };
    list(lines, "unit", "A", UNITS.len(), false)?;
    list(lines, "post", "B", POSTS.len(), true)?;
    list(lines, "purpose", "C", PURPOSES.len(), true)?;
    list(lines, "direction", "D", DIRECTIONS.len(), true)?;

    let factors = workbook.add_worksheet();
    factors.set_name(factors_sheet(template.lang))?;
    let header = match template.lang {
        Lang::Fr => ["factor", "nom", "unité", "kgCO2e par unité", "source"],
        Lang::En => ["factor", "name", "unit", "kgCO2e per unit", "source"],
    };
    for (c, title) in (0u16..).zip(header) {
        factors.write_string_with_format(0, c, title, &bold)?;
    }
    for (r, f) in (1u32..).zip(&template.factors) {
        factors.write_string(r, 0, &f.id)?;
        factors.write_string(r, 1, &f.name)?;
        factors.write_string(r, 2, f.per_unit())?;
        // A number only when the double reads back to the exact decimal, else its text.
        let exact = f64::try_from(f.kgco2e).ok().filter(|x| {
            rust_decimal::Decimal::from_str_exact(&x.to_string()).ok() == Some(f.kgco2e.normalize())
        });
        match exact {
            Some(x) => factors.write_number(r, 3, x)?,
            None => factors.write_string(r, 3, f.kgco2e.to_string())?,
        };
        factors.write_string(r, 4, &f.source)?;
    }
    for (c, width) in (0u16..).zip([10, 70, 20, 16, 40]) {
        factors.set_column_width(c, width)?;
    }
    factors.set_freeze_panes(1, 0)?;

    let help = workbook.add_worksheet();
    help.set_name("instructions")?;
    help.set_column_width(0, 110)?;
    for (r, line) in (0u32..).zip(instructions(template)) {
        if r == 0 {
            help.write_string_with_format(r, 0, line, &bold)?;
        } else {
            help.write_string(r, 0, line)?;
        }
    }

    let lists = workbook.add_worksheet();
    lists.set_name("lists")?;
    for (c, (title, values)) in (0u16..).zip([
        ("unit", UNITS.to_vec()),
        ("post", POSTS.iter().map(|p| p.code).collect()),
        ("purpose", PURPOSES.to_vec()),
        ("direction", DIRECTIONS.to_vec()),
    ]) {
        lists.write_string_with_format(0, c, title, &bold)?;
        for (r, value) in (1u32..).zip(values) {
            lists.write_string(r, c, value)?;
        }
    }
    lists.write_string_with_format(0, 5, "post name", &bold)?;
    for (r, p) in (1u32..).zip(POSTS.iter()) {
        let name = match template.lang {
            Lang::Fr => p.fr,
            Lang::En => p.en,
        };
        lists.write_string(r, 5, name)?;
    }
    lists.set_column_width(5, 60)?;
    Ok(workbook)
}

/// Every header key, in column order.
pub fn all_keys() -> impl Iterator<Item = &'static str> + Clone {
    KEYS.iter().copied().chain(std::iter::once(LAST_KEY))
}

/// The instructions, one cell per line, the first being the title.
fn instructions(t: &Template<'_>) -> Vec<String> {
    let factors = factors_sheet(t.lang);
    let file = t.file_name;
    match t.lang {
        Lang::Fr => {
            let title = match &t.inventory {
                Some((org, period)) => {
                    format!("Collecte des données d'activité — {org} — {period}")
                }
                None => "Collecte des données d'activité pour le Bilan Carbone®".to_string(),
            };
            vec![
                title,
                String::new(),
                "1. Remplissez la feuille « lines » : une ligne par activité (une facture, un poste de consommation, un trajet…). Ne modifiez pas la première ligne (les noms de colonnes) et n'ajoutez pas de ligne au-dessus.".to_string(),
                "2. Obligatoires : label (ce que c'est), factor (l'identifiant du facteur d'émission, voir la feuille « ".to_string() + factors + " » ou `bilan factors search`), quantity (un nombre), unit (l'unité de la quantité, liste déroulante ; par exemple kWh, L, km, k€).",
                "3. Facultatifs : id (identifiant unique), uncertainty (incertitude en texte, par exemple 10%), post (poste 1.1 à 3.22 de la liste, sinon déduit du facteur), purpose (business, commute, visitors : déplacements), direction (upstream, downstream : fret), site, comment ; les autres colonnes sont décrites dans le README de bilan.".to_string(),
                "4. La quantité est dans l'unité écrite dans unit ; bilan convertit vers l'unité du facteur (MWh → kWh, t → kg…) et refuse une unité incompatible.".to_string(),
                "5. Laissez vides les cellules sans valeur ; une ligne vide est ignorée. Ne renommez pas la feuille « lines ».".to_string(),
                format!("6. Renvoyez le fichier {file} enregistré au format .xlsx (classeur Excel)."),
                format!("7. Le fichier s'inclut tel quel dans l'inventaire : include: [{file}] ; `bilan check` signale chaque erreur avec sa cellule ({file}!lines!C12)."),
            ]
        }
        Lang::En => {
            let title = match &t.inventory {
                Some((org, period)) => format!("Activity data collection — {org} — {period}"),
                None => "Activity data collection for the Bilan Carbone®".to_string(),
            };
            vec![
                title,
                String::new(),
                "1. Fill in the sheet `lines`: one row per activity (an invoice, a meter, a trip…). Do not change the first row (the column names) and add no row above it.".to_string(),
                "2. Required: label (what it is), factor (the emission factor id, see the sheet `".to_string() + factors + "` or `bilan factors search`), quantity (a number), unit (the quantity's unit, drop-down list; e.g. kWh, L, km, k€).",
                "3. Optional: id (a unique id), uncertainty (as text, e.g. 10%), post (post 1.1 to 3.22 from the list, else deduced from the factor), purpose (business, commute, visitors: travel), direction (upstream, downstream: freight), site, comment; the other columns are described in bilan's README.".to_string(),
                "4. The quantity is in the unit written in unit; bilan converts it to the factor's unit (MWh → kWh, t → kg…) and refuses an incompatible unit.".to_string(),
                "5. Leave cells without a value empty; an empty row is skipped. Do not rename the sheet `lines`.".to_string(),
                format!("6. Send back {file} saved as .xlsx (Excel workbook)."),
                format!("7. The file is included in the inventory as is: include: [{file}]; `bilan check` reports each error with its cell ({file}!lines!C12)."),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::inventory::FactorRef;
    use std::collections::BTreeSet;

    #[test]
    fn the_example_factors_are_those_the_shipped_examples_use_and_all_are_embedded() {
        let mut used = BTreeSet::new();
        for entry in std::fs::read_dir("examples").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let (inv, _) = crate::load::files::read_inventory(&path).unwrap();
                for line in &inv.lines {
                    for f in [Some(&line.factor), line.market_factor()]
                        .into_iter()
                        .flatten()
                    {
                        if let FactorRef::Id(id) = f {
                            used.insert(id.to_string());
                        }
                    }
                }
            }
        }
        let listed: BTreeSet<String> = EXAMPLE_FACTORS.iter().map(|s| s.to_string()).collect();
        assert_eq!(listed, used);
        let base = crate::embedded::base().unwrap();
        for id in EXAMPLE_FACTORS {
            assert!(base.get(id).is_some(), "{id} is not in the embedded base");
        }
    }

    #[test]
    fn every_offered_unit_is_one_bilan_reads() {
        let base = crate::embedded::base().unwrap();
        for unit in UNITS {
            let known = matches!(crate::unit::parse(unit), crate::unit::Unit::Known { .. });
            let a_factors = base.iter().any(|f| f.per_unit() == unit);
            assert!(known || a_factors, "{unit}");
        }
    }

    #[test]
    fn the_header_has_every_key_once() {
        let keys: Vec<&str> = all_keys().collect();
        assert_eq!(keys.len(), 30);
        assert_eq!(keys.iter().collect::<BTreeSet<_>>().len(), 30);
        assert_eq!(keys.last(), Some(&"factor_quality.completeness"));
    }
}
