//! Inventories read a batch at a time (`files::InventoryParts::each_batch`) and computed as
//! they are read (`compute::LineSums`): the lines, figures, JSON and errors of the whole read.

use bilan::load::files::{self, InventoryParts};
use bilan::session::{Bases, compute_every_line, compute_totals_with_inventory};
use std::path::Path;

/// Items in the inventory's own `lines:` block: enough to be cut in chunks.
const OWN: usize = 20_500;

/// A line of every shape the block may hold: default and own ids, flow and block mappings,
/// a comment, a text on two lines, sites and tags.
fn own_line(i: usize) -> String {
    match i % 5 {
        0 => format!(
            "  - {{ label: E{i}, factor: \"42513\", quantity: {}.5, unit: kWh, tags: [power, t{}], ets: {} }}\n",
            i % 97,
            i % 4,
            i.is_multiple_of(10)
        ),
        1 => format!(
            "  - id: own-{i}\n    label: S{i}\n    factor: \"43443\"\n    quantity: {}\n    unit: k€\n    site: Site {}\n",
            i % 13 + 1,
            i % 3
        ),
        2 => format!(
            "  # train\n  - label: \"T{i}\n      by train\"\n    factor: \"37142\"\n    quantity: {}\n    unit: p.km\n    purpose: business\n",
            i % 400
        ),
        3 => format!(
            "  - {{ label: W{i}, factor: \"34481\", quantity: 0.{}, unit: t }}\n",
            i % 9 + 1
        ),
        _ => format!(
            "  - {{ id: line-{}, label: D{i}, factor: \"42513\", quantity: 1, unit: kWh }}\n",
            i + 1
        ),
    }
}

/// A folder with `big.yaml` (its own lines, then `more.yaml` and `rows.csv` included);
/// `edit` changes the texts (inventory, included YAML, CSV) before they are written.
fn folder(edit: impl FnOnce(&mut String, &mut String, &mut String)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from(
        "bilan: 1\norganisation: { name: Big }\nperiod: { year: 2024 }\ndefaults: { uncertainty: 10% }\ninclude: [more.yaml, rows.csv]\nlines:\n",
    );
    for i in 0..OWN {
        big.push_str(&own_line(i));
    }
    big.push_str("posts:\n  \"3.11\": { status: in-progress }\n");
    let mut more = String::from("lines:\n");
    for i in 0..40 {
        more.push_str(&format!(
            "  - {{ label: M{i}, factor: \"43443\", quantity: {i}, unit: k€ }}\n"
        ));
    }
    let mut csv = String::from("id;label;factor;quantity;unit\n");
    for i in 0..9_000 {
        if i % 1000 == 7 {
            csv.push_str(";;;;\n");
        }
        let id = if i % 3 == 0 {
            format!("row-{i}")
        } else {
            String::new()
        };
        csv.push_str(&format!("{id};R{i};42513;{},25;kWh\n", i % 50));
    }
    edit(&mut big, &mut more, &mut csv);
    std::fs::write(dir.path().join("big.yaml"), big).unwrap();
    std::fs::write(dir.path().join("more.yaml"), more).unwrap();
    std::fs::write(dir.path().join("rows.csv"), csv).unwrap();
    dir
}

fn parts(dir: &Path) -> InventoryParts {
    files::read_inventory_parts(&dir.join("big.yaml"), None).unwrap()
}

/// The lines given a batch at a time, and the batches' sizes; `None` when they must be read
/// whole.
fn batched(parts: &InventoryParts) -> Option<(Vec<bilan::inventory::Line>, Vec<usize>)> {
    let mut lines = Vec::new();
    let mut sizes = Vec::new();
    parts
        .each_batch(&mut |batch| {
            lines.extend_from_slice(batch);
            sizes.push(batch.len());
            true
        })
        .then_some((lines, sizes))
}

#[test]
fn lines_given_a_batch_at_a_time_are_the_lines_read_whole() {
    let dir = folder(|_, _, _| {});
    let parts = parts(dir.path());
    let (lines, sizes) = batched(&parts).expect("read a batch at a time");
    let (whole, _) = parts.whole().unwrap();
    // 20,500 own lines, 40 included, 9,000 rows (the empty rows are no lines).
    assert_eq!(whole.lines.len(), OWN + 40 + 9_000);
    assert!(lines == whole.lines);
    // Default ids count on across the files: the first included line is the 20,501st.
    assert_eq!(&*lines[OWN].id, "line-20501");
    assert_eq!(&*lines[OWN + 40].id, "row-0");
    assert_eq!(&*lines[OWN + 41].id, format!("line-{}", OWN + 42));
    // Never all at once: the block's chunks, the included file, CSV batches.
    assert!(sizes.len() >= 4, "{sizes:?}");
    assert!(sizes.iter().all(|s| *s <= OWN), "{sizes:?}");
}

#[test]
fn an_inventory_computed_a_batch_at_a_time_is_the_whole_computation() {
    let dir = folder(|_, _, _| {});
    let path = dir.path().join("big.yaml");
    let bases = Bases::load(&[]).unwrap();
    let streamed = compute_totals_with_inventory(&path, &bases).unwrap();
    let every = compute_every_line(&path, &bases).unwrap();
    assert!(streamed.inventory.lines.is_empty());
    let (a, b) = (&streamed.report, &every.report);
    assert_eq!(
        (a.total, &a.posts, &a.scopes),
        (b.total, &b.posts, &b.scopes)
    );
    assert_eq!(a.avoided.figure, b.avoided.figure);
    assert_eq!(a.warnings, b.warnings);
    // 4,100 lines of 0.1–0.9 t of carton recycled, listed apart at −379 kgCO2e a tonne.
    let tonnes: i64 = (0..OWN as i64)
        .filter(|i| i % 5 == 3)
        .map(|i| i % 9 + 1)
        .sum();
    assert_eq!(
        a.avoided.figure.kgco2e,
        rust_decimal::Decimal::new(tonnes * -379, 1)
    );
    for lang in [bilan::post::Lang::Fr, bilan::post::Lang::En] {
        assert_eq!(
            bilan::render::table::render(a, lang),
            bilan::render::table::render(b, lang)
        );
    }
    // Breakdowns by site and by tag summed as the lines are made are those of every line.
    let seeing = |fold: &mut dyn bilan::compute::SeeResults| {
        let seen = bilan::session::compute_totals_seeing(&path, &bases, Some(fold));
        seen.unwrap().report
    };
    for by in [bilan::breakdown::By::Site, bilan::breakdown::By::Tag] {
        let mut sums = bilan::breakdown::Sums::new(by);
        assert_eq!(seeing(&mut sums).total, b.total);
        let made = sums.finish();
        assert_eq!(made, bilan::breakdown::breakdown(b, by));
        assert!(made.keys.len() >= 3, "{:?}", made.keys);
    }
    // So are the views in other frameworks.
    for framework in [
        bilan::view::Framework::BegesV5,
        bilan::view::Framework::GhgProtocol,
        bilan::view::Framework::EsrsE1,
    ] {
        let mut sums = bilan::view::Sums::new(framework, 0);
        let report = seeing(&mut sums);
        let made = sums.finish(&report);
        assert_eq!(made, bilan::view::view(b, framework), "{framework:?}");
        assert!(made.scope1_ets.is_some() || framework != bilan::view::Framework::EsrsE1);
    }
    // The lines that weigh most in the uncertainty, and the Monte Carlo model, taken as the
    // lines are made, rank and draw as from every line.
    let mut ranking = bilan::uncertainty_analysis::Ranking::new(10);
    let report = seeing(&mut ranking);
    let ranked = ranking.finish(&report);
    assert_eq!(ranked, bilan::uncertainty_analysis::analyse(b, 10));
    assert_eq!(ranked.lines.len(), 10);
    assert!(
        ranked.contributing_lines > OWN / 2,
        "{}",
        ranked.contributing_lines
    );
    let settings = bilan::monte_carlo::Settings {
        draws: 300,
        seed: 7,
        correlation: bilan::monte_carlo::Correlation::SharedFactors,
    };
    let mut draws = bilan::monte_carlo::Lines::new(settings.correlation);
    seeing(&mut draws);
    assert_eq!(
        draws.simulate(&settings, &|_| {}).unwrap(),
        bilan::monte_carlo::simulate(b, &settings).unwrap()
    );
    // The JSON document, its lines read and computed again a batch at a time and their texts
    // given after the totals, is the whole.
    let base = streamed.base.as_deref().unwrap();
    let texts = |write: &mut dyn FnMut(&[&str]) -> bool| {
        let given = streamed.each_line_batch(&mut |lines| {
            bilan::compute::line_results(&streamed.inventory, base, lines).is_some_and(|results| {
                let results: Vec<_> = results.iter().collect();
                let texts = bilan::render::json::line_texts(&results).unwrap();
                write(&texts.iter().map(String::as_str).collect::<Vec<_>>())
            })
        });
        given.then_some(()).ok_or_else(|| "not made".to_string())
    };
    let mut out = Vec::new();
    let analysed = bilan::analysed::Analysed::of(a);
    bilan::render::json::write_lines_from(
        &analysed,
        bilan::post::Lang::En,
        bilan::render::json::LineSource::Texts(&texts),
        &mut out,
    )
    .unwrap();
    let json = String::from_utf8(out).unwrap();
    assert!(json == bilan::render::json::render(b, bilan::post::Lang::En));
    assert_eq!(json.matches("\"factor_name\"").count(), OWN + 40 + 9_000);
}

#[test]
fn commands_that_take_lines_as_they_are_made_write_what_every_line_gives() {
    let dir = folder(|_, _, _| {});
    let path = dir.path().join("big.yaml");
    let bases = Bases::load(&[]).unwrap();
    let every = compute_every_line(&path, &bases).unwrap();
    let report = &every.report;
    // The lines in French Excel's dialect: number columns told from every row as the lines are
    // made, then the rows written as they are made again.
    let (code, out, err) = crate::common::run_at(
        dir.path(),
        &[
            "compute",
            "big.yaml",
            "--format",
            "csv",
            "--lines",
            "--csv-dialect",
            "excel-fr",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let whole = bilan::render::sheet::in_dialect(
        bilan::render::csv::lines(report),
        bilan::render::sheet::Dialect::ExcelFr,
        &[],
    );
    assert!(out == whole, "the streamed rows differ from every line's");
    // Two default-id lines of 1 kWh: decimal commas in the number columns, ids kept as text.
    assert!(
        out.starts_with("\u{feff}line_id;label;post;factor;quantity;unit;kgco2e;uncertainty\r\n")
    );
    assert!(out.contains("\r\nline-5;D4;"), "{}", &out[..400]);
    // The workbook: its lines' sheet written as the lines are made again, its columns and its
    // uncertainty analysis told as they are made, are the bytes of the workbook of every line.
    // (Named as `every` names it: its warnings quote the file.)
    let (code, _, err) = crate::common::run_at(
        dir.path(),
        &[
            "compute",
            path.to_str().unwrap(),
            "--format",
            "xlsx",
            "-o",
            "big.xlsx",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let analysed = bilan::analysed::Analysed {
        analysis: Some(bilan::uncertainty_analysis::analyse(
            report,
            bilan::uncertainty_analysis::TOP_LINES,
        )),
        ..bilan::analysed::Analysed::of(report)
    };
    let whole = bilan::render::xlsx::result(&analysed, None, bilan::post::Lang::Fr).unwrap();
    let streamed = std::fs::read(dir.path().join("big.xlsx")).unwrap();
    assert!(
        streamed == whole,
        "the streamed workbook differs from every line's"
    );
    // The JSON: each line's text made with the totals and kept in a temporary file until
    // they are written, or, when no temporary file can be made, made again after them.
    let whole_json = bilan::render::json::render(report, bilan::post::Lang::Fr);
    for tmpdir in [None, Some(dir.path().join("no such folder"))] {
        let mut command = assert_cmd::Command::cargo_bin("bilan").unwrap();
        command.current_dir(dir.path()).args([
            "compute",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        if let Some(tmpdir) = &tmpdir {
            command.env("TMPDIR", tmpdir);
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{tmpdir:?}");
        assert!(out.stdout == whole_json.as_bytes(), "{tmpdir:?}");
    }
    // Every line's row is there (one per post a line goes to), numbers as numbers; without a
    // temporary file too (the sheet then held in memory, its texts in the shared table).
    let out = assert_cmd::Command::cargo_bin("bilan")
        .unwrap()
        .current_dir(dir.path())
        .env("TMPDIR", dir.path().join("no such folder"))
        .args(["compute", "big.yaml", "--format", "xlsx", "-o", "held.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    for name in ["big.xlsx", "held.xlsx"] {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut book: Xlsx<_> = open_workbook(dir.path().join(name)).unwrap();
        let lines = book.worksheet_range("Lignes").unwrap();
        let rows: usize = report.lines.iter().map(|l| l.parts.len()).sum();
        assert_eq!(lines.height(), rows + 1);
        let fifth = report.lines.get(4).unwrap();
        let row = 1 + report.lines[..4]
            .iter()
            .map(|l| l.parts.len())
            .sum::<usize>() as u32;
        assert_eq!(
            lines.get_value((row, 0)),
            Some(&Data::String("line-5".into()))
        );
        assert_eq!(
            lines.get_value((row, 4)),
            Some(&Data::Float(f64::try_from(fifth.quantity).unwrap()))
        );
    }
    // The audit trail of one line, and of a post, from a search made as the lines are made.
    for id in ["own-20001", "line-5", "2.6"] {
        let (code, streamed, err) =
            crate::common::run_at(dir.path(), &["explain", "big.yaml", id, "--format", "json"]);
        assert_eq!(code, 0, "{id}: {err}");
        let found = bilan::explain::search(report, id);
        let expected = match &found {
            bilan::explain::Found::Line(line) => {
                let at = every
                    .inventory
                    .lines
                    .iter()
                    .find(|l| *l.id == *id)
                    .map(|l| l.at.line().to_string());
                bilan::render::explain::line_json(&line.explanation(), at.as_deref())
            }
            bilan::explain::Found::Post(post) => {
                bilan::render::explain::post_json(report, &post.explanation())
            }
            bilan::explain::Found::Nothing(_) => panic!("{id} not found"),
        };
        // The command names the file as it was given.
        let expected = expected.replace(&format!("{}/", dir.path().display()), "");
        assert!(streamed == expected, "{id}: {streamed}");
    }
    let (code, _, err) = crate::common::run_at(dir.path(), &["explain", "big.yaml", "own-2000"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("closest line ids: own-20001, own-20006, own-2001"),
        "{err}"
    );
}

#[test]
fn what_a_batch_cannot_tell_is_read_whole() {
    let bases = Bases::load(&[]).unwrap();
    let same = |dir: &Path| {
        let path = dir.join("big.yaml");
        let streamed = compute_totals_with_inventory(&path, &bases);
        let every = compute_every_line(&path, &bases);
        match (streamed, every) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.report.total, b.report.total);
                assert_eq!(a.report.posts, b.report.posts);
                // Read whole: the lines are there.
                assert_eq!(a.inventory.lines.len(), b.inventory.lines.len());
                None
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string());
                Some(a.to_string())
            }
            (a, b) => panic!("{:?} / {:?}", a.err(), b.err()),
        }
    };
    // A CSV row taking an id of the inventory's own lines (read batches earlier).
    let dir = folder(|_, _, csv| *csv = csv.replacen(";R5;", "own-20001;R5;", 1));
    assert!(batched(&parts(dir.path())).is_none());
    let error = same(dir.path()).unwrap();
    assert!(error.contains("duplicate line id `own-20001`"), "{error}");
    assert!(error.contains("rows.csv:7"), "{error}");
    // Within one batch of CSV rows: a row repeating an earlier row's id (R10 on row 13, after
    // the header and the empty row before R7), and a row taking the next row's default id
    // (20,500 own lines and 40 included before the CSV: R2 is line 20,543).
    let dir = folder(|_, _, csv| *csv = csv.replacen(";R10;", "row-3;R10;", 1));
    assert!(batched(&parts(dir.path())).is_none());
    let error = same(dir.path()).unwrap();
    assert!(
        error.contains("rows.csv:13:1: duplicate line id `row-3`"),
        "{error}"
    );
    let dir = folder(|_, _, csv| *csv = csv.replacen(";R1;", "line-20543;R1;", 1));
    assert!(batched(&parts(dir.path())).is_none());
    let error = same(dir.path()).unwrap();
    assert!(
        error.contains("rows.csv:4:1: duplicate line id `line-20543`"),
        "{error}"
    );
    // The other cases read whole for their errors, as the case above.
    let whole_error = |dir: &Path| {
        let parts = parts(dir);
        assert!(batched(&parts).is_none());
        parts.whole().unwrap_err().to_string()
    };
    // An own id taking a later line's default id.
    let dir = folder(|big, _, _| *big = big.replacen("id: own-1\n", "id: line-20000\n", 1));
    let error = whole_error(dir.path());
    assert!(error.contains("duplicate line id `line-20000`"), "{error}");
    // An anchor in one chunk, its alias in another: read whole, and right.
    let dir = folder(|big, _, _| {
        *big = big.replacen("quantity: 0.5, unit: kWh", "quantity: &q 0.5, unit: kWh", 1);
        // Line 8,336: in the second chunk of 8,000 items.
        *big = big.replacen(
            "E8335, factor: \"42513\", quantity: 90.5",
            "E8335, factor: \"42513\", quantity: *q",
            1,
        );
    });
    assert!(batched(&parts(dir.path())).is_none());
    assert_eq!(same(dir.path()), None);
    // An included block with an alias across its chunks, after lines already summed: read
    // whole, the breakdown summed as the lines are made starts over (no line counted twice).
    let dir = tempfile::tempdir().unwrap();
    let mut block = String::from("lines:\n");
    for i in 0..OWN {
        block.push_str(&own_line(i));
    }
    // (Its own `line-<n>` ids would be the defaults of other lines, one line later.)
    let block = block
        .replace("id: line-", "id: block-")
        .replacen("quantity: 0.5, unit: kWh", "quantity: &q 0.5, unit: kWh", 1)
        .replacen(
            "E8335, factor: \"42513\", quantity: 90.5",
            "E8335, factor: \"42513\", quantity: *q",
            1,
        );
    std::fs::write(dir.path().join("block.yaml"), block).unwrap();
    // 5,000 own lines: more than a chunk, summed (and seen) before the block is read.
    let own: String = (0..5_000)
        .map(|i| {
            format!(
                "  - {{ label: Own{i}, factor: \"43443\", quantity: 3, unit: k€, site: Site 0 }}\n"
            )
        })
        .collect();
    std::fs::write(
        dir.path().join("big.yaml"),
        format!("bilan: 1\norganisation: {{ name: Big }}\nperiod: {{ year: 2024 }}\ndefaults: {{ uncertainty: 10% }}\ninclude: [block.yaml]\nlines:\n{own}"),
    )
    .unwrap();
    assert!(batched(&parts(dir.path())).is_none());
    let path = dir.path().join("big.yaml");
    let mut sums = bilan::breakdown::Sums::new(bilan::breakdown::By::Site);
    let seen = bilan::session::compute_totals_seeing(&path, &bases, Some(&mut sums)).unwrap();
    let every = compute_every_line(&path, &bases).unwrap();
    assert_eq!(seen.report.total, every.report.total);
    assert_eq!(
        sums.finish(),
        bilan::breakdown::breakdown(&every.report, bilan::breakdown::By::Site)
    );
    // A broken CSV row after the first batches: its error, pointing at its cell.
    let dir =
        folder(|_, _, csv| *csv = csv.replacen(";R8500;42513;0,25;", ";R8500;42513;zero;", 1));
    let error = whole_error(dir.path());
    assert!(error.contains("rows.csv:8511"), "{error}");
    // An included file that is missing, after one with an error: both errors, in order.
    let dir = folder(|big, more, _| {
        *more = more.replacen("unit: k€", "unit: ''", 1);
        *big = big.replacen(
            "[more.yaml, rows.csv]",
            "[more.yaml, rows.csv, gone.yaml]",
            1,
        );
    });
    let error = whole_error(dir.path());
    let (empty, gone) = (
        error.find("more.yaml:2"),
        error.find("cannot include `gone.yaml`"),
    );
    assert!(empty.is_some() && gone.is_some() && empty < gone, "{error}");
}

#[test]
fn a_csv_include_is_read_from_its_file_as_the_whole_reading_reads_it() {
    let bases = Bases::load(&[]).unwrap();
    // rows.csv as these bytes: its lines given a batch at a time, or `None` when the file must
    // be read whole; then the lines read whole.
    let read = |bytes: &[u8]| {
        let dir = folder(|_, _, _| {});
        std::fs::write(dir.path().join("rows.csv"), bytes).unwrap();
        let parts = parts(dir.path());
        let batched = batched(&parts).map(|(lines, _)| lines);
        let whole = parts.whole().map(|(inventory, _)| inventory.lines);
        // Computed as the lines are read, or whole: the same figures, or the same errors.
        let path = dir.path().join("big.yaml");
        match (
            compute_totals_with_inventory(&path, &bases),
            compute_every_line(&path, &bases),
        ) {
            (Ok(a), Ok(b)) => assert_eq!(
                (a.report.total, &a.report.posts),
                (b.report.total, &b.report.posts)
            ),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("{:?} / {:?}", a.err(), b.err()),
        }
        (batched, whole)
    };
    let header = "label;factor;quantity;unit\n";
    let rows: String = (0..9_000)
        .map(|i| format!("R{i};42513;{},25;kWh\n", i % 50))
        .collect();
    let label = |lines: &[bilan::inventory::Line], i: usize| lines[i].label.to_string();
    // UTF-8 after a BOM, an accent in the first row: read from the file.
    let text = format!("\u{feff}{header}Ré;42513;1;kWh\n{rows}");
    let (given, whole) = read(text.as_bytes());
    let (given, whole) = (given.expect("streamed"), whole.unwrap());
    assert!(given == whole);
    assert_eq!(whole.len(), OWN + 40 + 9_001);
    assert_eq!(label(&whole, OWN + 40), "Ré");
    // Windows-1252 (é is 0xE9) in the last row: the rows before were valid UTF-8, but the
    // file is Windows-1252, read whole.
    let mut bytes = format!("{header}{rows}").into_bytes();
    bytes.extend_from_slice(b"R\xe9;42513;1;kWh\n");
    let (given, whole) = read(&bytes);
    assert!(given.is_none());
    assert_eq!(label(&whole.unwrap(), OWN + 40 + 9_000), "Ré");
    // UTF-8 first, Windows-1252 last: the whole file is Windows-1252, the first row's two
    // bytes of é two characters.
    let mut bytes = format!("{header}Ré;42513;1;kWh\n{rows}").into_bytes();
    bytes.extend_from_slice(b"R\xe8;42513;1;kWh\n");
    let (given, whole) = read(&bytes);
    assert!(given.is_none());
    let whole = whole.unwrap();
    assert_eq!(label(&whole, OWN + 40), "RÃ©");
    assert_eq!(label(&whole, OWN + 40 + 9_001), "Rè");
    // A NUL byte after thousands of rows: not text, refused.
    let mut bytes = format!("{header}{rows}").into_bytes();
    bytes.extend_from_slice(b"N\0;42513;1;kWh\n");
    let (given, whole) = read(&bytes);
    assert!(given.is_none());
    let error = whole.unwrap_err().to_string();
    assert!(error.contains("rows.csv: unsupported encoding"), "{error}");
    // A row that cannot be read (a quote never closed) after thousands of rows.
    let (given, whole) = read(format!("{header}{rows}\"R;42513;1;kWh\n").as_bytes());
    assert!(given.is_none());
    let error = whole.unwrap_err().to_string();
    assert!(error.contains("rows.csv:9002"), "{error}");
    // Changed after it was opened: not read from the file again (its lines would not be those
    // of the first reading); read whole, it is what it says now.
    let dir = folder(|_, _, _| {});
    let parts = parts(dir.path());
    std::fs::write(
        dir.path().join("rows.csv"),
        format!("{header}Z;42513;1;kWh\n"),
    )
    .unwrap();
    assert!(batched(&parts).is_none());
    let (inventory, _) = parts.whole().unwrap();
    assert_eq!(inventory.lines.len(), OWN + 40 + 1);
    assert_eq!(label(&inventory.lines, OWN + 40), "Z");
}
