#!/usr/bin/env python3
"""Build bilan's embedded default factor base from the full ADEME Base Carbone export.

Usage:
    python3 factors/select.py PATH/TO/Base_Carbone_V23.6.csv
        [--ids factors/default_ids.txt] [--out factors/base_carbone_v23.6_default.csv]
        [--coverage]

For every id listed in the ids file (one per line; '#' starts a comment; a comment line
'# theme: <label>' opens a group), it copies the element's 'Elément' row and all its
'Poste' rows (the decomposition parts) from the full export, unchanged: same 67 official
columns, same header, every cell verbatim (decimal commas included). Rows are written in
the order of the ids file, each Elément followed by its Poste rows in export order.

Input: Windows-1252 (official download), or UTF-8 with or without BOM; ';' separator;
LF or CRLF. Output: UTF-8 without BOM, ';' separator, LF line ends, '"' quoting only where
needed (csv.QUOTE_MINIMAL, which reproduces the official quoting).

The script refuses (exit 1) an id that is missing, duplicated, archived, not an emission
factor ('Données source'), or has an empty total, so the default base only ever holds valid
factors taken as is from ADEME. With --coverage it prints a Markdown table of ids, Elément
rows and Poste rows per theme.

Python 3 standard library only.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = 67
ID = "Identifiant de l'élément"
LINE_TYPE = "Type Ligne"
STATUS = "Statut de l'élément"
KIND = "Type de l'élément"
TOTAL = "Total poste non décomposé"


def decode(raw: bytes) -> str:
    """Decode as the loader does: BOM -> UTF-8; valid UTF-8 -> UTF-8; else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_ids(path: Path):
    """Return [(id, theme)] in file order."""
    ids, theme = [], "(no theme)"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            body = text.lstrip("#").strip()
            if body.lower().startswith("theme:"):
                theme = body[len("theme:"):].strip()
            continue
        if not text.isdigit():
            sys.exit(f"{path}:{number}: not an element id: {text!r}")
        ids.append((text, theme))
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path, help="full ADEME Base Carbone CSV export")
    parser.add_argument("--ids", type=Path, default=HERE / "default_ids.txt")
    parser.add_argument("--out", type=Path, default=HERE / "base_carbone_v23.6_default.csv")
    parser.add_argument("--coverage", action="store_true",
                        help="print a Markdown coverage table by theme")
    args = parser.parse_args()

    text = decode(args.export.read_bytes())
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, records = rows[0], rows[1:]
    if len(header) != COLUMNS or header[0] != LINE_TYPE or ID not in header:
        sys.exit(f"{args.export}: not a Base Carbone export (header has {len(header)} columns)")
    col = {name: i for i, name in enumerate(header)}

    elements, parts = {}, {}
    for row in records:
        if len(row) != COLUMNS:
            continue  # defective rows of the export (none among valid factors) are not copied
        key = row[col[ID]]
        if row[col[LINE_TYPE]] == "Elément":
            elements.setdefault(key, []).append(row)
        elif row[col[LINE_TYPE]] == "Poste":
            parts.setdefault(key, []).append(row)

    wanted = read_ids(args.ids)
    errors, seen = [], set()
    for key, _theme in wanted:
        if key in seen:
            errors.append(f"{key}: listed twice")
        seen.add(key)
        found = elements.get(key, [])
        if len(found) != 1:
            errors.append(f"{key}: {len(found)} Elément rows in the export (expected 1)")
            continue
        row = found[0]
        if not row[col[STATUS]].startswith("Valide"):
            errors.append(f"{key}: status {row[col[STATUS]]!r}")
        if row[col[KIND]] != "Facteur d'émission":
            errors.append(f"{key}: type {row[col[KIND]]!r}")
        if not row[col[TOTAL]].strip():
            errors.append(f"{key}: empty total")
    if errors:
        sys.exit("refused:\n  " + "\n  ".join(errors))

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    coverage = {}
    for key, theme in wanted:
        own_parts = parts.get(key, [])
        writer.writerow(elements[key][0])
        writer.writerows(own_parts)
        ids_n, el_n, part_n = coverage.get(theme, (0, 0, 0))
        coverage[theme] = (ids_n + 1, el_n + 1, part_n + len(own_parts))
    args.out.write_text(out.getvalue(), encoding="utf-8", newline="")

    # Check what was written: same cells as the export, 67 columns, one Elément per id.
    written = list(csv.reader(io.StringIO(args.out.read_text(encoding="utf-8"), newline=""),
                              delimiter=";"))
    assert written[0] == header
    assert all(len(r) == COLUMNS for r in written), "a row does not have 67 columns"
    element_ids = [r[col[ID]] for r in written[1:] if r[col[LINE_TYPE]] == "Elément"]
    assert element_ids == [k for k, _ in wanted], "Elément rows differ from the ids file"
    source = {tuple(r) for r in records}
    assert all(tuple(r) in source for r in written[1:]), "a row differs from the export"

    total_parts = sum(p for _, _, p in coverage.values())
    print(f"wrote {args.out}: {len(written) - 1} rows "
          f"({len(wanted)} Elément + {total_parts} Poste), {COLUMNS} columns",
          file=sys.stderr)
    if args.coverage:
        print("| theme | factors | Elément rows | Poste rows |")
        print("|---|---:|---:|---:|")
        for theme, (ids_n, el_n, part_n) in coverage.items():
            print(f"| {theme} | {ids_n} | {el_n} | {part_n} |")
        print(f"| **total** | **{len(wanted)}** | **{len(wanted)}** | **{total_parts}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
