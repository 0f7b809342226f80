//! The collection workbook (`bilan template`): what a CSR officer sends to colleagues to
//! collect activity data. Sheet `lines` has the header row `include:` reads (the keys of a
//! line), drop-down lists for units, posts, purposes and directions; `facteurs` lists the
//! factors of the embedded base with their source ids; `instructions` says how to fill it in.
//! Filled in, the workbook is an `include:` as is.

use crate::factor::Factor;
use crate::post::{Lang, Post};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, Formula,
    Workbook, XlsxError,
};

/// The columns of the `lines` sheet, in order: the keys of a YAML line most collections need.
pub const COLUMNS: [&str; 14] = [
    "id",
    "label",
    "factor",
    "quantity",
    "unit",
    "uncertainty",
    "post",
    "purpose",
    "direction",
    "amortization.acquired",
    "amortization.years",
    "site",
    "tags",
    "comment",
];

/// Units offered in the drop-down list: each one converts, or is an embedded factor's own
/// (`repas`). Others may still be typed: the list only warns.
pub const UNITS: [&str; 25] = [
    "kWh", "kWh PCI", "kWh PCS", "MWh", "GJ", "tep", "L", "m³", "kg", "t", "g", "€", "k€", "M€",
    "k€ HT", "km", "p.km", "t.km", "TEU.km", "m²", "ha", "unité", "appareil", "pièce", "repas",
];

/// The rows the drop-down lists cover in `lines`.
pub const ROWS: u32 = 5_000;

/// Who and when, printed in the instructions.
#[derive(Clone, Debug, Default)]
pub struct Heading {
    /// The organisation's name.
    pub organisation: Option<String>,
    /// The period, `2025-01-01 – 2025-12-31`.
    pub period: Option<String>,
}

/// The collection workbook, as a [`Workbook`] a caller may fill in further before saving.
pub fn workbook<'a>(
    factors: impl Iterator<Item = &'a Factor>,
    heading: &Heading,
    lang: Lang,
) -> Result<Workbook, XlsxError> {
    let fr = lang == Lang::Fr;
    let mut workbook = Workbook::new();
    // A fixed date: the same inputs give the same file.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let lists_name = if fr { "listes" } else { "lists" };

    // The lines: the header row, nothing above it (the loader reads the first row as the
    // header), drop-down lists below.
    let lines = workbook.add_worksheet();
    lines.set_name("lines")?;
    // Text cells everywhere but the numbers: typed into a General cell, `3.10` would become the
    // number 3.1 (another post), `5%` the number 0.05, an id lose its leading zeros.
    let text = Format::new().set_num_format("@");
    for (c, key) in (0u16..).zip(COLUMNS) {
        let width = match key {
            "label" | "comment" => 40.0,
            "amortization.acquired" | "amortization.years" => 20.0,
            _ => 14.0,
        };
        lines.set_column_width(c, width)?;
        if !matches!(
            key,
            "quantity" | "amortization.acquired" | "amortization.years"
        ) {
            lines.set_column_format(c, &text)?;
        }
        lines.write_string_with_format(0, c, key, &bold)?;
    }
    lines.set_freeze_panes(1, 0)?;
    let column = |key: &str| {
        COLUMNS
            .iter()
            .position(|k| *k == key)
            .and_then(|c| u16::try_from(c).ok())
    };
    let posts: Vec<String> = Post::all().map(|p| p.code().to_string()).collect();
    let lists: [(&str, Vec<String>, &str, &str); 4] = [
        (
            "unit",
            UNITS.iter().map(|u| (*u).to_string()).collect(),
            if fr { "Unité" } else { "Unit" },
            if fr {
                "L'unité de la quantité (celle du facteur, ou une unité convertible : MWh pour un facteur en kWh)."
            } else {
                "The quantity's unit (the factor's, or one that converts: MWh for a factor per kWh)."
            },
        ),
        (
            "post",
            posts,
            if fr { "Poste" } else { "Post" },
            if fr {
                "Facultatif : le poste, quand le facteur ne suffit pas à le choisir."
            } else {
                "Optional: the post, when the factor does not decide it."
            },
        ),
        (
            "purpose",
            vec!["business".into(), "commute".into(), "visitors".into()],
            if fr { "Motif" } else { "Purpose" },
            if fr {
                "Transport de personnes : business (déplacements professionnels), commute (domicile-travail), visitors."
            } else {
                "Passenger transport: business, commute or visitors."
            },
        ),
        (
            "direction",
            vec!["upstream".into(), "downstream".into()],
            "Direction",
            if fr {
                "Fret : upstream (amont, vers vous) ou downstream (aval, vers vos clients)."
            } else {
                "Freight: upstream (to you) or downstream (to your customers)."
            },
        ),
    ];
    let mut validations = Vec::new();
    for (index, (key, values, title, message)) in (0u16..).zip(&lists) {
        let Some(c) = column(key) else { continue };
        let last = u32::try_from(values.len()).unwrap_or(1);
        let letter = char::from(b'A' + u8::try_from(index).unwrap_or(0));
        let range = format!("={lists_name}!${letter}$2:${letter}${}", last + 1);
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_input_title(*title)?
            .set_input_message(*message)?;
        validations.push((c, validation));
    }
    for (c, validation) in &validations {
        lines.add_data_validation(1, *c, ROWS, *c, validation)?;
    }

    // The lists the drop-downs read, on their own sheet.
    let sheet = workbook.add_worksheet();
    sheet.set_name(lists_name)?;
    for (c, (key, values, _, _)) in (0u16..).zip(&lists) {
        sheet.write_string_with_format(0, c, *key, &bold)?;
        for (r, value) in (1u32..).zip(values) {
            sheet.write_string(r, c, value)?;
        }
    }

    // The factors at hand, by id.
    let sheet = workbook.add_worksheet();
    sheet.set_name(if fr { "facteurs" } else { "factors" })?;
    let header = if fr {
        ["factor", "nom", "unité", "kgCO2e par unité", "source"]
    } else {
        ["factor", "name", "unit", "kgCO2e per unit", "source"]
    };
    for (c, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, c, title, &bold)?;
    }
    for (c, width) in [(0u16, 10.0), (1, 70.0), (2, 14.0), (3, 16.0), (4, 24.0)] {
        sheet.set_column_width(c, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut factors: Vec<&Factor> = factors.collect();
    factors.sort_by(|a, b| natural(&a.id).cmp(&natural(&b.id)));
    for (r, factor) in (1u32..).zip(factors) {
        sheet.write_string(r, 0, &factor.id)?;
        sheet.write_string(r, 1, &factor.name)?;
        sheet.write_string(r, 2, factor.per_unit())?;
        match f64::try_from(factor.kgco2e) {
            Ok(value) => sheet.write_number(r, 3, value)?,
            Err(_) => sheet.write_string(r, 3, super::exact(factor.kgco2e))?,
        };
        sheet.write_string(r, 4, &factor.source)?;
    }

    // What to do.
    let sheet = workbook.add_worksheet();
    sheet.set_name("instructions")?;
    sheet.set_column_width(0, 110.0)?;
    let title = Format::new().set_bold().set_font_size(14);
    let who = match (&heading.organisation, &heading.period) {
        (Some(o), Some(p)) => format!(" — {o}, {p}"),
        (Some(o), None) => format!(" — {o}"),
        (None, Some(p)) => format!(" — {p}"),
        (None, None) => String::new(),
    };
    let text: Vec<String> = if fr {
        vec![
            format!("Collecte des données d'activité{who}"),
            String::new(),
            "1. Une ligne par activité dans la feuille « lines » : ne modifiez ni ne déplacez la ligne d'en-tête.".into(),
            "2. label : ce que c'est (« Électricité siège », « Vols Paris – Lyon ») ; quantity : la quantité, sans unité.".into(),
            "3. factor : l'identifiant du facteur (feuille « facteurs », colonne factor) ; unit : l'unité de la quantité (liste).".into(),
            "4. uncertainty : l'incertitude de la donnée si vous la connaissez (10%) ; sinon laissez vide.".into(),
            "5. purpose (transport de personnes) et direction (fret) quand la liste le propose ; post seulement si le facteur ne suffit pas.".into(),
            "6. Immobilisations (matériel, véhicules, bâtiments) : amortization.acquired (année d'achat) et amortization.years (durée).".into(),
            "7. site, tags, comment : facultatifs, pour classer et justifier.".into(),
            String::new(),
            "Renvoyez le fichier tel quel : il est lu directement par l'inventaire (include: [ce-fichier.xlsx]).".into(),
            "Une erreur est signalée avec sa cellule (fichier.xlsx!lines!C12) : corrigez-la et renvoyez.".into(),
        ]
    } else {
        vec![
            format!("Activity data collection{who}"),
            String::new(),
            "1. One row per activity in the sheet \"lines\": do not change or move the header row.".into(),
            "2. label: what it is (\"Head office electricity\"); quantity: the amount, without unit.".into(),
            "3. factor: the factor id (sheet \"factors\", column factor); unit: the quantity's unit (list).".into(),
            "4. uncertainty: the data's uncertainty if you know it (10%); otherwise leave it empty.".into(),
            "5. purpose (passenger transport) and direction (freight) where the list offers them; post only when the factor does not decide it.".into(),
            "6. Capital goods (equipment, vehicles, buildings): amortization.acquired (year bought) and amortization.years (life).".into(),
            "7. site, tags, comment: optional, to sort and justify.".into(),
            String::new(),
            "Send the file back as is: the inventory reads it directly (include: [this-file.xlsx]).".into(),
            "An error is reported with its cell (file.xlsx!lines!C12): fix it and send it again.".into(),
        ]
    };
    for (r, line) in (0u32..).zip(&text) {
        if r == 0 {
            sheet.write_string_with_format(r, 0, line, &title)?;
        } else {
            sheet.write_string(r, 0, line)?;
        }
    }
    Ok(workbook)
}

/// Sorts ids as numbers when they are (`9` before `10`), text otherwise.
fn natural(id: &str) -> (u64, &str) {
    (id.parse().unwrap_or(u64::MAX), id)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_columns_are_keys_of_a_line() {
        for key in COLUMNS {
            assert!(crate::load::inventory::KEYS.contains(&key), "{key}");
        }
    }
}
