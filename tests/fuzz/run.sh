#!/usr/bin/env bash
# Runs one fuzzer of an EDICT_FUZZ build for a while (its progress lines: edges covered, corpus
# size, executions per second).
#
#   tests/fuzz/run.sh BUILD_DIR HARNESS SECONDS [libFuzzer flags...]
#
# New inputs accumulate in BUILD_DIR/fuzz/work/HARNESS (kept between runs), the seeds come from
# BUILD_DIR/fuzz/seeds (tests/fuzz/seed_corpus.py), crash inputs land in BUILD_DIR/fuzz/crashes/.
# Exits 1 when the run left crash, timeout or out-of-memory inputs there.
set -euo pipefail

build=$1 harness=$2 seconds=$3
shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=$build/tests/fuzz/${harness}_fuzzer
work=$build/fuzz/work/$harness
seeds=$build/fuzz/seeds
crashes=$build/fuzz/crashes/$harness
mkdir -p "$work" "$crashes"
[ -d "$seeds/parse_check" ] || python3 "$root/tests/fuzz/seed_corpus.py" "$seeds" > /dev/null
# The plan decoder's seeds are plans this build serialises; the differential harness has no
# dictionary: its bytes drive a generator (its seeds are random bytes, seed_corpus.py).
if [ "$harness" = plan_decode ]; then
  (cd "$root" && tests/fuzz/plan_seeds.sh "$build" "$seeds/plan_decode")
fi
mkdir -p "$seeds/$harness"
dict=()
[ -f "$seeds/$harness.dict" ] && dict=(-dict="$seeds/$harness.dict")
# The differential harness runs a few inputs a second: libFuzzer's length control, which grows the
# inputs it tries slowly, would keep them to a few bytes (a program of the simplest choices).
length=()
[ "$harness" = differential ] && length=(-max_len=4096 -len_control=0)

# From the repository root: the harnesses read the standard library and the example facts there.
cd "$root"
# -fork=1 -ignore_crashes=1: a crash is recorded and fuzzing goes on, so one known bug does not end
# the run. -timeout: one input taking 10 s is a hang; -rss_limit_mb: ASan's shadow needs room.
"$fuzzer" -fork=1 -ignore_crashes=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
  "${dict[@]}" "${length[@]}" -artifact_prefix="$crashes/" "$@" "$work" "$seeds/$harness" 2>&1 |
  grep -E "^#[0-9]+: cov|INFO: exiting|ERROR|SUMMARY|Test unit written|edict fuzz oracle" || true

found=$(find "$crashes" -type f | wc -l)
if [ "$found" -gt 0 ]; then
  echo "$harness: $found crash, timeout or out-of-memory inputs in $crashes"
  exit 1
fi
