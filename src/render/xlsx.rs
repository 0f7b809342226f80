//! Excel workbooks (`--format xlsx`): one sheet per table, numbers as numbers with a format
//! (percentages for shares and uncertainties), a frozen header, and a native bar chart when
//! asked. The same input gives the same bytes (the document's date is fixed).

use super::sheet::{Cell, ColumnKinds, NUMBER_WIDTH, Sheet, WIDEST_TEXT};
use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

/// A bar chart of one column of a sheet against another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BarChart {
    /// The chart's title.
    pub title: String,
    /// The sheet it reads and is placed on (index in the list).
    pub sheet: usize,
    /// The column of the categories.
    pub categories: u16,
    /// The column of the values.
    pub values: u16,
    /// The data rows it covers (0-based, after the header), inclusive.
    pub rows: (u32, u32),
    /// The values axis' title.
    pub axis: String,
}

/// A sheet written as its rows are given, in constant memory (a million rows are never held,
/// and its texts are written in its cells rather than in the workbook's table of shared
/// texts), its columns told from every row beforehand.
pub struct LongSheet<'a> {
    /// Its place among the sheets, whose entry there gives its name and header (its rows are
    /// not read).
    pub index: usize,
    /// Its columns, told from every row it will be given.
    pub kinds: &'a ColumnKinds,
    /// Gives its rows to its argument in order, a batch at a time (CSV text without its
    /// header, as the sheet's renderer writes it).
    pub rows: &'a mut RowBatches<'a>,
}

/// What gives a [`LongSheet`]'s rows.
pub type RowBatches<'a> =
    dyn FnMut(&mut dyn FnMut(&str) -> Result<(), XlsxError>) -> Result<(), XlsxError> + 'a;

/// The rows a sheet holds under its header.
pub const MAX_ROWS: usize = 1_048_575;

/// The workbook of `sheets`, with `chart`.
pub fn workbook(sheets: &[Sheet], chart: Option<&BarChart>) -> Result<Vec<u8>, XlsxError> {
    workbook_with(sheets, chart, None)
}

/// [`workbook`], one of the sheets written as its rows are given.
pub fn workbook_with(
    sheets: &[Sheet],
    chart: Option<&BarChart>,
    mut long: Option<LongSheet<'_>>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed date: the same figures give the same file.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let tonnes = Format::new().set_num_format("#,##0.000");
    let decimal = Format::new().set_num_format("#,##0.00");
    let whole = Format::new().set_num_format("0");
    let names = unique_names(sheets);
    for (index, (sheet, name)) in sheets.iter().zip(&names).enumerate() {
        if let Some(long) = long.as_mut().filter(|long| long.index == index) {
            // Without a temporary file (an unwritable temporary folder), held in memory.
            match workbook.add_worksheet_with_constant_memory().map(|_| ()) {
                Err(XlsxError::TempFileError(..)) => {
                    workbook.add_worksheet();
                }
                made => made?,
            }
            let worksheet = workbook.worksheet_from_index(index)?;
            worksheet.set_name(name)?;
            write_long(
                worksheet,
                &sheet.header,
                long,
                &bold,
                [&percent, &tonnes, &decimal, &whole],
            )?;
            continue;
        }
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        for (c, title) in (0u16..).zip(&sheet.header) {
            worksheet.write_string_with_format(0, c, title, &bold)?;
            let width = sheet
                .rows
                .iter()
                .filter_map(|row| row.get(usize::from(c)))
                .map(|cell| match cell {
                    Cell::Text(t) => t.chars().count().min(WIDEST_TEXT),
                    Cell::Number(_) | Cell::Fraction(_) => NUMBER_WIDTH,
                    Cell::Empty => 0,
                })
                .chain(std::iter::once(title.chars().count()))
                .max()
                .unwrap_or(8);
            worksheet.set_column_width(c, column_width(width))?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        for (r, row) in (1u32..).zip(&sheet.rows) {
            for (c, cell) in (0u16..).zip(row) {
                let column = sheet.header.get(usize::from(c)).map_or("", String::as_str);
                write_cell(
                    worksheet,
                    r,
                    c,
                    cell,
                    column,
                    [&percent, &tonnes, &decimal, &whole],
                )?;
            }
        }
        if let Some(chart) = chart.filter(|chart| chart.sheet == index) {
            let mut bar = Chart::new(ChartType::Bar);
            bar.title().set_name(&chart.title);
            // A column of the chart's rows (after the header row).
            let column = |c: u16| (name.as_str(), chart.rows.0 + 1, c, chart.rows.1 + 1, c);
            bar.add_series()
                .set_categories(column(chart.categories))
                .set_values(column(chart.values));
            bar.x_axis().set_name(&chart.axis);
            bar.legend().set_hidden();
            bar.set_width(720).set_height(560);
            let at = u16::try_from(sheet.header.len()).unwrap_or(20) + 1;
            worksheet.insert_chart(1, at, &bar)?;
        }
    }
    workbook.save_to_buffer()
}

/// The width of a column whose widest cell or title is `chars` long.
fn column_width(chars: usize) -> f64 {
    (chars as f64 + 2.0).min(WIDEST_TEXT as f64 + 2.0)
}

/// Writes the header and the rows of `long` in `worksheet`, a row at a time.
fn write_long(
    worksheet: &mut Worksheet,
    header: &[String],
    long: &mut LongSheet<'_>,
    bold: &Format,
    formats: [&Format; 4],
) -> Result<(), XlsxError> {
    let widest = long.kinds.widest();
    let numeric = long.kinds.numeric();
    for (c, title) in (0u16..).zip(header) {
        worksheet.write_string_with_format(0, c, title, bold)?;
        let width = widest
            .get(usize::from(c))
            .copied()
            .unwrap_or(0)
            .max(title.chars().count());
        worksheet.set_column_width(c, column_width(width))?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    (long.rows)(&mut |text| {
        for row in super::sheet::typed_rows(text, &numeric) {
            for (c, cell) in (0u16..).zip(&row) {
                let column = header.get(usize::from(c)).map_or("", String::as_str);
                write_cell(worksheet, r, c, cell, column, formats)?;
            }
            r += 1;
        }
        Ok(())
    })
}

/// A workbook of one sheet named `name`: the rows of a CSV renderer's `csv`, typed (see
/// [`Sheet::from_csv`]).
pub fn table(name: &str, csv: &str, numeric: &[&str]) -> Result<Vec<u8>, XlsxError> {
    workbook(&[Sheet::from_csv(name, csv, numeric)], None)
}

fn write_cell(
    worksheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    column: &str,
    [percent, tonnes, decimal, whole]: [&Format; 4],
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            worksheet.write_string(r, c, text)?;
        }
        Cell::Fraction(n) => {
            worksheet.write_number_with_format(
                r,
                c,
                f64::try_from(*n).unwrap_or(f64::NAN),
                percent,
            )?;
        }
        Cell::Number(n) => {
            let value = f64::try_from(*n).unwrap_or(f64::NAN);
            let format = if is_fraction(column) {
                percent
            } else if column.contains("tco2e") {
                tonnes
            } else if n.fract().is_zero() && !column.contains("kgco2e") {
                whole
            } else {
                decimal
            };
            worksheet.write_number_with_format(r, c, value, format)?;
        }
    }
    Ok(())
}

/// Columns holding a fraction shown as a percentage.
fn is_fraction(column: &str) -> bool {
    matches!(column, "share" | "uncertainty" | "change_share" | "alpha")
        || column.ends_with("_share")
        || column.ends_with("_rate")
        || column.ends_with("_uncertainty")
}

/// Sheet names Excel accepts: at most 31 characters, none of `[]:*?/\` nor a leading or
/// trailing `'`, unique (case aside).
fn unique_names(sheets: &[Sheet]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for (index, sheet) in sheets.iter().enumerate() {
        let cleaned: String = sheet
            .name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
            .collect();
        let cleaned = cleaned.trim().trim_matches('\'').to_string();
        let base: String = if cleaned.is_empty() {
            format!("Sheet{}", index + 1)
        } else {
            cleaned.chars().take(31).collect()
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
        {
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.chars().count();
            name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        taken.push(name);
    }
    taken
}

/// The result of one inventory as a workbook: posts with scopes and total (and a chart),
/// lines with their parts, uncertainty, the view when one is asked, warnings, provenance (the
/// report keeps every line).
pub fn result(
    analysed: &crate::analysed::Analysed<'_>,
    view: Option<&crate::view::View>,
    lang: crate::post::Lang,
) -> Result<Vec<u8>, XlsxError> {
    let report = analysed.report;
    let header = super::sheet::header(&super::csv::lines_header());
    let mut kinds = ColumnKinds::new(&header, &[]);
    for chunk in report.lines.chunks(LINES_AT_ONCE) {
        kinds.add(&super::csv::line_rows(chunk));
    }
    result_with_lines(analysed, view, lang, &kinds, &mut |write| {
        report
            .lines
            .chunks(LINES_AT_ONCE)
            .try_for_each(|chunk| write(&super::csv::line_rows(chunk)))
    })
}

/// Lines turned into rows at once.
const LINES_AT_ONCE: usize = 4096;

/// [`result`], the rows of the lines' sheet given by `lines` (the rows of
/// [`super::csv::line_rows`] of every line in order, a batch at a time) and its columns told
/// by `kinds` from every one of them: the report need not keep its lines.
pub fn result_with_lines(
    analysed: &crate::analysed::Analysed<'_>,
    view: Option<&crate::view::View>,
    lang: crate::post::Lang,
    kinds: &ColumnKinds,
    lines: &mut RowBatches<'_>,
) -> Result<Vec<u8>, XlsxError> {
    if kinds.rows() > MAX_ROWS {
        return Err(XlsxError::CustomError(format!(
            "the lines' sheet would hold {} rows (one per post a line goes to), more than the {MAX_ROWS} of a sheet: write the lines with --format csv --lines",
            kinds.rows()
        )));
    }
    let (report, extras) = (analysed.report, analysed);
    use super::sheet::name;
    use rust_decimal::Decimal;
    let mut posts = Sheet::from_csv(
        &name("Postes", "Posts", lang),
        &super::csv::posts_with(report, lang, extras.monte_carlo.as_ref()),
        &[],
    );
    let post_rows = u32::try_from(posts.rows.len()).unwrap_or(22);
    // Scopes and total under the posts, in the same columns.
    let figure_row = |code: String,
                      scope: Option<u8>,
                      label: String,
                      f: &crate::report::Figure,
                      share: Decimal| {
        let (low, high) = super::bounds(f);
        let number = |text: &str| text.parse::<Decimal>().map_or(Cell::Empty, Cell::Number);
        vec![
            Cell::Text(code),
            scope.map_or(Cell::Empty, |s| Cell::Number(Decimal::from(s))),
            Cell::Text(label),
            Cell::Empty,
            Cell::Number(f.kgco2e),
            Cell::Number(share),
            Decimal::from_f64_retain(f.alpha())
                .map_or(Cell::Empty, |a| Cell::Number(a.round_dp(6))),
            number(&low),
            number(&high),
        ]
    };
    posts.rows.push(Vec::new());
    for scope in &report.scopes {
        let label = format!("Scope {}", scope.scope.number());
        posts.rows.push(figure_row(
            format!("scope-{}", scope.scope.number()),
            Some(scope.scope.number()),
            label,
            &scope.figure,
            scope.share,
        ));
    }
    posts.rows.push(figure_row(
        "total".to_string(),
        None,
        "Total".to_string(),
        &report.total,
        Decimal::ONE,
    ));
    // The lines' sheet, written as its rows are given.
    let mut sheets = vec![
        posts,
        Sheet {
            name: name("Lignes", "Lines", lang),
            header: super::sheet::header(&super::csv::lines_header()),
            rows: Vec::new(),
        },
    ];
    sheets.extend(super::uncertainty::sheets(analysed, lang));
    if let Some(view) = view {
        sheets.push(Sheet::from_csv(
            view.framework.code(),
            &super::view::csv(view, lang),
            &[],
        ));
    }
    sheets.push(Sheet {
        name: name("Avertissements", "Warnings", lang),
        header: ["code", "at", "message"].map(String::from).to_vec(),
        rows: report
            .warnings
            .iter()
            .map(|w| {
                vec![
                    Cell::Text(w.code.as_str().to_string()),
                    w.at.as_ref()
                        .map_or(Cell::Empty, |at| Cell::Text(at.to_string())),
                    Cell::Text(w.text(lang).to_string()),
                ]
            })
            .collect(),
    });
    let mut provenance = vec![
        vec![
            Cell::Text("organisation".to_string()),
            Cell::Text(report.organisation.name.clone()),
        ],
        vec![
            Cell::Text(name("période", "period", lang)),
            Cell::Text(format!("{} – {}", report.period.start, report.period.end)),
        ],
        Vec::new(),
        ["file", "kind", "version", "rows", "factors", "sha256"]
            .map(|h| Cell::Text(h.to_string()))
            .to_vec(),
    ];
    provenance.extend(report.bases.iter().map(|b| {
        vec![
            Cell::Text(b.name.clone()),
            Cell::Text(format!("{:?}", b.kind).to_lowercase()),
            b.version.clone().map_or(Cell::Empty, Cell::Text),
            Cell::Number(Decimal::from(b.rows)),
            Cell::Number(Decimal::from(b.factors)),
            Cell::Text(b.sha256.clone()),
        ]
    }));
    sheets.push(Sheet {
        name: "Provenance".to_string(),
        header: vec![name("clé", "key", lang), name("valeur", "value", lang)],
        rows: provenance,
    });
    let chart = BarChart {
        title: name(
            "Émissions par poste (kgCO2e)",
            "Emissions by post (kgCO2e)",
            lang,
        ),
        sheet: 0,
        categories: 2,
        values: 4,
        rows: (0, post_rows.saturating_sub(1)),
        axis: "kgCO2e".to_string(),
    };
    let long = LongSheet {
        index: 1,
        kinds,
        rows: lines,
    };
    workbook_with(&sheets, Some(&chart), Some(long))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_longer_than_excel_takes_is_refused_before_it_is_written() {
        let inventory = crate::load::inventory::parse(
            "t.yaml",
            "bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines: []\n",
        )
        .unwrap();
        let report =
            crate::compute::compute(&inventory, &crate::factor_base::FactorBase::default())
                .unwrap();
        let header = super::super::sheet::header("line_id\n");
        let mut kinds = ColumnKinds::new(&header, &[]);
        kinds.add(&"x\n".repeat(MAX_ROWS + 1));
        let mut asked = false;
        let made = result_with_lines(
            &crate::analysed::Analysed::of(&report),
            None,
            crate::post::Lang::En,
            &kinds,
            &mut |_| {
                asked = true;
                Ok(())
            },
        );
        let Err(XlsxError::CustomError(message)) = made else {
            panic!("a workbook of 1,048,576 rows")
        };
        assert!(message.contains("1048576 rows"), "{message}");
        assert!(message.contains("--format csv --lines"), "{message}");
        assert!(!asked, "no row is asked for");
    }
}
