"""The script an analyst would write instead of bilan: the reference of benches/reference/compare.py.

    python analyst.py INVENTORY.yaml Base_Carbone_V23.6.csv

pandas reads the ADEME Base Carbone export, PyYAML (libyaml's CSafeLoader) reads the inventory,
and a loop multiplies each line's quantity by its factor's total and prints the sum in kgCO2e.
It does nothing else: no unit conversion (each line must be in its factor's unit), no split of a
factor into parts, no posts, no uncertainty, no price years, no amortization, no check. It is
what bilan is compared against, not a second implementation.
"""

import sys

import pandas as pd
import yaml


def main() -> None:
    inventory_path, export_path = sys.argv[1], sys.argv[2]

    # The official V23.6 export is Windows-1252 (`file` says ISO-8859; its `é`, `œ` and `’` are
    # cp1252 bytes), `;`-separated, with decimal commas (`4,74E-3`) and CRLF line ends; a few
    # comments hold quoted newlines, which pandas' C parser reads as one field. These are
    # exactly the options issue 19 names; nothing had to be adapted for the real file.
    base = pd.read_csv(export_path, sep=";", encoding="cp1252", decimal=",", low_memory=False)

    # One `Elément` row per factor holds its total (`Total poste non décomposé`); the `Poste`
    # rows after it hold its parts (combustion, upstream…) and are not added again. bilan reads
    # the same row (src/load/ademe.rs). Ids are unique among the `Elément` rows of V23.6.
    elements = base[base["Type Ligne"] == "Elément"]
    factors = dict(
        zip(
            elements["Identifiant de l'élément"].astype(str),
            elements["Total poste non décomposé"],
        )
    )

    with open(inventory_path, encoding="utf-8") as f:
        inventory = yaml.load(f, Loader=yaml.CSafeLoader)

    total = 0.0
    for line in inventory["lines"]:
        total += float(line["quantity"]) * factors[str(line["factor"])]
    print(repr(total))


if __name__ == "__main__":
    main()
