#!/usr/bin/env bash
# Runs one fuzz target for a while: ./run.sh TARGET [SECONDS] [extra libFuzzer flags…]
# Targets: inventory, factor_csv, ademe, compute. Default 600 s. Log in fuzz/logs/TARGET.log,
# crashes in fuzz/artifacts/TARGET/. Uses nightly when installed, else stable with
# RUSTC_BOOTSTRAP=1 (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: ./run.sh TARGET [SECONDS] [libFuzzer flags]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
case "$target" in
  inventory | compute) dict=inventory; max_len=8192 ;;
  ademe) dict=ademe; max_len=8192 ;;
  factor_csv) dict=factor_csv; max_len=4096 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
[ -d "corpus/$target" ] || ./seed.sh
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz)
fi
mkdir -p logs
"${fuzz[@]}" run "$target" "corpus/$target" -- \
  -dict="dicts/$dict.dict" -max_len="$max_len" -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@" 2>&1 | tee "logs/$target.log" | grep -E '^(INFO: seed|#[0-9]+.*(pulse|DONE)|==[0-9]+==|SUMMARY|Done |stat::)|panicked' || true
exit "${PIPESTATUS[0]}"
