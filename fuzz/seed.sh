#!/usr/bin/env bash
# Builds the seed corpora in fuzz/corpus/<target>/ from the repository's own files.
# Idempotent: run it again any time (libFuzzer adds what it finds next to the seeds).
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/inventory corpus/compute corpus/factor_csv corpus/ademe

for target in inventory compute; do
  cp "$root"/examples/*.yaml seeds/inventory/*.yaml "corpus/$target/"
done
cp seeds/factor_csv/* corpus/factor_csv/

# ADEME exports: the test fixture whole, and both it and the embedded base cut into small
# pieces (header + a few rows) so inputs stay short and mutations fast.
cp "$root/tests/fixtures/Base_Carbone_Test.csv" corpus/ademe/test_fixture.csv
for source in "$root/tests/fixtures/Base_Carbone_Test.csv" "$root/factors/base_carbone_v23.6_default.csv"; do
  name=$(basename "$source" .csv)
  header=$(head -n 1 "$source")
  # Rows 2-61 in chunks of 6 rows.
  for start in $(seq 2 6 61); do
    { printf '%s\n' "$header"; sed -n "${start},$((start + 5))p" "$source"; } > "corpus/ademe/${name}_${start}.csv"
  done
done
echo "corpora ready: $(for d in corpus/*; do printf '%s=%s ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"
