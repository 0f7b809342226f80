//! Bilan Carbone+ sources → `lines:` YAML, written through serde-saphyr's serializer.

use crate::load::bcplus::{Imported, ImportedLine};
use crate::uncertainty::Quality;
use serde::Serialize;

#[derive(Serialize)]
struct File<'a> {
    lines: Vec<Line<'a>>,
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    label: &'a str,
    factor: &'a str,
    quantity: String,
    unit: &'a str,
    post: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertainty: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<Scores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amortization: Option<Amortization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    comment: &'a str,
}

#[derive(Serialize)]
struct Scores {
    #[serde(skip_serializing_if = "Option::is_none")]
    reliability: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    technical: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geographic: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temporal: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    completeness: Option<u8>,
}

#[derive(Serialize)]
struct Amortization {
    acquired: i32,
    years: u32,
}

fn scores(q: &Quality) -> Scores {
    Scores {
        reliability: q.reliability,
        technical: q.technical,
        geographic: q.geographic,
        temporal: q.temporal,
        completeness: q.completeness,
    }
}

fn line(l: &ImportedLine) -> Line<'_> {
    Line {
        id: &l.id,
        label: &l.label,
        factor: &l.factor,
        quantity: super::exact(l.quantity),
        unit: &l.unit,
        post: l.post.code(),
        uncertainty: l.uncertainty.as_deref(),
        // A stated percentage wins over scores (uncertainty.md §1): the scores Bilan Carbone+
        // holds for it are only its conservative approximation.
        quality: l
            .quality
            .as_ref()
            .filter(|_| l.uncertainty.is_none())
            .map(scores),
        amortization: l
            .amortization
            .map(|(acquired, years)| Amortization { acquired, years }),
        site: l.site.as_deref(),
        tags: l.tags.iter().map(String::as_str).collect(),
        comment: &l.comment,
    }
}

/// The file: a comment header naming the source and what was left out, then `lines:`.
pub fn yaml(source: &str, imported: &Imported) -> Result<String, String> {
    let mut text = format!(
        "# Imported from Bilan Carbone+ export {source}: {} lines, {} sources not mapped.\n",
        imported.lines.len(),
        imported.unmapped.len()
    );
    for u in &imported.unmapped {
        let note = format!("not mapped: {}: {}: {}", u.at, u.name, u.reason);
        text.push_str(&format!("# {}\n", note.replace('\n', " ")));
    }
    let file = File {
        lines: imported.lines.iter().map(line).collect(),
    };
    text.push_str(&serde_saphyr::to_string(&file).map_err(|e| e.to_string())?);
    Ok(text)
}

/// Rows 4–7 of Bilan Carbone+'s template (`templateInfoLine1..4` of
/// `apps/bilan-carbone/src/i18n/translations/fr/bc.json`, commit
/// `949af9c48dff4589450bff7e3ff41fb9eeae0d7a`), verbatim; Bilan Carbone+ reads nothing above row 10.
const INFO: [&str; 4] = [
    "La ligne d'exemple présente dans ce template d'import ne sera pas importée dans le BC+. Les colonnes dont les en-têtes présentent des astérisques (*) doivent obligatoirement être complétées.",
    "Par ailleurs, les qualités des colonnes M à Q seront utilisées préférentiellement à la qualité globale colonne L si toutes les colonnes sont complétées. La qualité globale sera alors recalculée dans l'outil.",
    "(1) Ces colonnes sont conservées pour que vous puissiez exporter toutes les données d'une étude et la réimporter, mais ne sont pas utilisées lors de l'import,",
    "car les données sont déjà présentes dans l'outil pour ce qui concerne le facteur d'émission, soit parce que l'outil recalcule le reste des valeurs (émissions, etc).",
];

/// The workbook Bilan Carbone+ imports: sheet `Sources d'émission`, its preamble (rows 1–9, as
/// `buildEmissionSourcesSheet` in `services/serverFunctions/importEmissionSources.ts` lays it
/// out), the 37 headers on row 10, one source per row from row 11.
pub fn xlsx(
    organisation: &str,
    start: &str,
    sources: &crate::bcplus_export::Sources,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::bcplus_export::Cell;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sources d'émission")?;
    sheet.write_string(0, 0, "Nom de l'organisation concernée par le bilan")?;
    sheet.write_string(0, 1, organisation)?;
    sheet.write_string(1, 0, "Date du bilan")?;
    sheet.write_string(1, 1, start)?;
    for (row, info) in (3u32..).zip(INFO) {
        sheet.write_string(row, 0, info)?;
    }
    sheet.write_string(
        7,
        0,
        "Écrit par bilan : une source par ligne, valeur dans l'unité du facteur ; [bilan id=… post=… uncertainty=…] dans Hypothèses DA garde ce que Bilan Carbone+ n'a pas de colonne pour contenir.",
    )?;
    sheet.write_string(8, 6, "Donnée d'activité")?;
    sheet.write_string(8, 19, "Facteur d'émission")?;
    let header = crate::bcplus::HEADER_ROW - 1;
    for (c, title) in (0u16..).zip(crate::bcplus::COLUMNS) {
        sheet.write_string(header, c, title)?;
    }
    for (r, row) in (header + 1..).zip(&sources.rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    sheet.write_string(r, c, t)?;
                }
                Cell::Number(d) => {
                    let f = f64::try_from(*d).ok().filter(|f| {
                        rust_decimal::Decimal::from_str_exact(&f.to_string()).ok()
                            == Some(d.normalize())
                    });
                    match f {
                        Some(f) => sheet.write_number(r, c, f)?,
                        None => sheet.write_string(r, c, super::exact(*d))?,
                    };
                }
            }
        }
    }
    workbook.save_to_buffer()
}
