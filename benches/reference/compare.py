"""bilan against the script an analyst would write instead (analyst.py), side by side.

    cargo build --release
    python3 -m venv /tmp/bilan-ref && /tmp/bilan-ref/bin/pip install -r benches/reference/requirements.txt
    /tmp/bilan-ref/bin/python benches/reference/compare.py [--sizes 1000,100000,1000000] [--repeat N]

Run by hand, not in CI. For each size it generates a synthetic inventory (YAML, valid for bilan)
of real V23.6 factor ids, gives the same file to `bilan compute INV --factors EXPORT --format
json -o /dev/null` and to `python analyst.py INV EXPORT`, and measures each as a whole process:
wall time and peak resident memory (the child's own `ru_maxrss` from wait4, the figure
`/usr/bin/time -v` prints). It also times bilan on the same lines read from a CSV `include:`,
and one shipped example (small inventory, full export). Both programs' totals are printed and a
difference is reported loudly. Generated files go to `target/reference-bench/`, not the
repository.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BILAN = ROOT / "target" / "release" / "bilan"
WORK = ROOT / "target" / "reference-bench"
DEFAULT_EXPORT = ROOT.parent / "shared" / "data" / "basecarbone" / "Base_Carbone_V23.6.csv"
EXAMPLE = ROOT / "examples" / "pme-industrielle.yaml"

# Real factor ids of Base Carbone V23.6, each with a line unit that is the factor's own unit
# (kWh, keuro (2021) HT, passager.km, tonne de déchets, t.km, litre) under bilan's spelling, so
# that bilan converts nothing and the analyst's bare product is the same figure. benches/common
# uses the same ids except 27002 (a computer, amortised over 5 years, which the analyst's loop
# would not divide). The period is 2021, the monetary ratio's price year, so that bilan brings
# no amount to another year's euros. bilan splits electricity and fuel into parts, whose sum is
# the factor's total: the totals are comparable.
LINES = [
    ("42513", "kWh", "", ""),  # Electricité 2022 - mix moyen, 0.052 kgCO2e/kWh
    ("43443", "k€", "", ""),  # Programmation, conseil IT, 78 kgCO2e/keuro (2021) HT
    ("37142", "p.km", "purpose: business", "business"),  # TGV, 0.00334 kgCO2e/passager.km
    ("43807", "p.km", "purpose: commute", "commute"),  # Voiture moyenne, 0.203
    ("34650", "t", "", ""),  # Ordures ménagères résiduelles, 374 kgCO2e/tonne de déchets
    ("43647", "t.km", "direction: upstream", ""),  # Articulé, 0.0755 kgCO2e/t.km
    ("25775", "litre", "mobile: true", ""),  # Gazole routier, 3.1 kgCO2e/litre
]

HEADER = (
    "bilan: 1\norganisation: { name: Bench }\nperiod: { year: 2021 }\n"
    "defaults: { uncertainty: 10% }\n"
)


def line_fields(i):
    factor, unit, extra, purpose = LINES[i % len(LINES)]
    quantity = (i * 31) % 997 + 1
    return factor, unit, extra, purpose, quantity


def write_yaml(path, n):
    """An inventory of n lines in YAML, the shape of benches/common/mod.rs."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "lines:\n")
        chunk = []
        for i in range(n):
            factor, unit, extra, _, quantity = line_fields(i)
            chunk.append(
                f'  - label: L{i}\n    factor: "{factor}"\n    quantity: {quantity}.5\n'
                f"    unit: {unit}\n"
            )
            if extra:
                chunk.append(f"    {extra}\n")
            if len(chunk) >= 20000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))


def write_csv_include(path, csv_path, n):
    """The same n lines in a `;` CSV with decimal commas, included by a YAML inventory."""
    with open(csv_path, "w", encoding="utf-8") as f:
        f.write("label;factor;quantity;unit;purpose;direction;mobile\n")
        chunk = []
        for i in range(n):
            factor, unit, extra, purpose, quantity = line_fields(i)
            direction = "upstream" if extra.startswith("direction") else ""
            mobile = "true" if extra.startswith("mobile") else ""
            chunk.append(f"L{i};{factor};{quantity},5;{unit};{purpose};{direction};{mobile}\n")
            if len(chunk) >= 20000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + f"include: [{csv_path.name}]\n")


def run(cmd, name):
    """Runs cmd once: (wall seconds, peak RSS in MB, stdout). Exits on failure."""
    out_path, err_path = WORK / f"{name}.out", WORK / f"{name}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(
            f"FAILED ({proc.returncode}): {' '.join(map(str, cmd))}\n{err_path.read_text()[-3000:]}"
        )
    # ru_maxrss is in kilobytes on Linux.
    return wall, usage.ru_maxrss / 1024, out_path.read_text(encoding="utf-8")


def measure(cmd, name, repeat):
    """The median wall time and the largest peak RSS over `repeat` runs, and the last stdout."""
    walls, peaks, out = [], [], ""
    for _ in range(repeat):
        wall, peak, out = run(cmd, name)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks), out


def bilan_total(inventory, export, name):
    """bilan's exact total (kgCO2e), from the head of its JSON (a separate, untimed run)."""
    json_path = WORK / f"{name}.json"
    run([BILAN, "compute", inventory, "--factors", export, "--format", "json", "--quiet",
         "-o", json_path], name)
    with open(json_path, encoding="utf-8") as f:
        head = f.read(4096)
    json_path.unlink()
    found = re.search(r'"total":\s*\{\s*"kgco2e":\s*([-0-9.eE]+)', head)
    if not found:
        sys.exit(f"no total in the head of bilan's JSON:\n{head}")
    return found.group(1)


def size_label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure below 1M lines")
    parser.add_argument("--export", type=Path, default=DEFAULT_EXPORT)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    if not BILAN.exists():
        sys.exit(f"{BILAN} is missing: build it first with `cargo build --release` in {ROOT}")
    if not args.export.exists():
        sys.exit(f"{args.export} is missing: pass the ADEME export with --export")
    import pandas
    import yaml

    if not yaml.__with_libyaml__:
        sys.exit("this PyYAML has no libyaml (CSafeLoader): pip install -r requirements.txt")
    WORK.mkdir(parents=True, exist_ok=True)
    export = args.export.resolve()
    analyst = [sys.executable, HERE / "analyst.py"]
    print(
        f"bilan {BILAN}, analyst.py on Python {sys.version.split()[0]}, pandas "
        f"{pandas.__version__}, PyYAML {yaml.__version__} (libyaml), export {export.name}, "
        f"{os.cpu_count()} CPUs; median of {args.repeat} runs below 1M lines, one run at 1M+"
    )
    rows, mismatches, bilan_totals = [], [], {}

    def compare(label, inventory, totals_comparable, repeat):
        name = label.replace(" ", "-")
        b_cmd = [BILAN, "compute", inventory, "--factors", export, "--format", "json"]
        b_wall, b_peak, _ = measure(b_cmd + ["-o", "/dev/null"], f"bilan-{name}", repeat)
        a_wall, a_peak, a_out = measure(analyst + [inventory, export], f"analyst-{name}", repeat)
        b_total, a_total = bilan_total(inventory, export, f"total-{name}"), a_out.strip()
        bilan_totals[inventory] = b_total
        same = abs(float(b_total) - float(a_total)) <= 1e-9 * max(1.0, abs(float(b_total)))
        if not same and totals_comparable:
            mismatches.append(f"{label}: bilan {b_total} ≠ analyst {a_total}")
        note = "same total" if same else ("MISMATCH" if totals_comparable else "not comparable")
        rows.append((label, b_wall, b_peak, a_wall, a_peak, f"{b_total} / {a_total} ({note})"))
        print(f"  {label}: bilan {b_wall:.2f} s {b_peak:.0f} MB, analyst {a_wall:.2f} s "
              f"{a_peak:.0f} MB; totals {b_total} / {a_total} ({note})", flush=True)

    # The example's amortised lines, price years and other units are bilan's work, not the loop's:
    # its totals are printed, not compared.
    print("(the analyst's total is a float sum: 'same total' means within 1e-9 relative)")
    compare("example pme-industrielle", EXAMPLE, False, args.repeat)
    for n in sizes:
        inventory = WORK / f"inventory-{n}.yaml"
        write_yaml(inventory, n)
        repeat = args.repeat if n < 1_000_000 else 1
        compare(f"{size_label(n)} lines", inventory, True, repeat)
    n = max(sizes)
    csv_inventory = WORK / f"inventory-csv-{n}.yaml"
    write_csv_include(csv_inventory, WORK / f"lines-{n}.csv", n)
    c_wall, c_peak, _ = measure(
        [BILAN, "compute", csv_inventory, "--factors", export, "--format", "json", "-o", "/dev/null"],
        "bilan-csv",
        args.repeat if n < 1_000_000 else 1,
    )
    c_total = bilan_total(csv_inventory, export, "total-csv")
    yaml_total = bilan_totals[WORK / f"inventory-{n}.yaml"]
    if c_total != yaml_total:
        mismatches.append(f"CSV include: bilan {c_total} ≠ YAML {yaml_total}")

    print("\n| inventory (+ full V23.6 export) | bilan | analyst.py (pandas + PyYAML) | bilan faster by | totals, kgCO2e (bilan / analyst) |")
    print("|---|---|---|---|---|")
    for label, b_wall, b_peak, a_wall, a_peak, totals in rows:
        print(f"| {label} | {b_wall:.2f} s, {b_peak:.0f} MB | {a_wall:.2f} s, {a_peak:.0f} MB "
              f"| {a_wall / b_wall:.1f}× time, {a_peak / b_peak:.1f}× memory | {totals} |")
    print(f"| {size_label(n)} lines from a CSV `include:` | {c_wall:.2f} s, {c_peak:.0f} MB | — | — "
          f"| {c_total} ({'same as YAML' if c_total == yaml_total else 'MISMATCH'}) |")
    if mismatches:
        print("\n!!! TOTALS DIFFER !!!\n" + "\n".join(mismatches), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
