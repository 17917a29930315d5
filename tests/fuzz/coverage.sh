#!/usr/bin/env bash
# How much of each phase the fuzz corpora reach: replays every harness's corpus (the inputs the
# fuzzers kept, and the seeds) with the replay binaries of an EDICT_FUZZ_COVERAGE build, then
# prints line and branch coverage per source folder.
#
#   tests/fuzz/coverage.sh COVERAGE_BUILD_DIR CORPUS_DIR
#
# CORPUS_DIR is a fuzz build's fuzz/ directory (work/<harness>, seeds/<harness>).
set -euo pipefail

build=$1 corpus=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
profiles=$build/fuzz-coverage
rm -rf "$profiles"
mkdir -p "$profiles"
cd "$root"
[ -d "$corpus/seeds/plan_decode" ] || tests/fuzz/plan_seeds.sh "$build" "$corpus/seeds/plan_decode" > /dev/null
for harness in parse_check facts_loader cel_eval plan_decode differential; do
  binary=$build/tests/fuzz/${harness}_replay
  inputs=()
  for dir in "$corpus/work/$harness" "$corpus/seeds/$harness"; do
    [ -d "$dir" ] && inputs+=("$dir")
  done
  LLVM_PROFILE_FILE="$profiles/$harness.profraw" "$binary" "${inputs[@]}" 2> "$profiles/$harness.log" ||
    echo "$harness: an input failed while measuring coverage (see $profiles/$harness.log)"
  llvm-profdata-14 merge -sparse "$profiles/$harness.profraw" -o "$profiles/$harness.profdata"
  llvm-cov-14 export -summary-only -instr-profile="$profiles/$harness.profdata" "$binary" > "$profiles/$harness.json"
  echo "== $harness ($(tail -1 "$profiles/$harness.log"))"
  python3 "$root/tests/fuzz/coverage_summary.py" "$root" "$profiles/$harness.json"
done
