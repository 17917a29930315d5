#!/usr/bin/env bash
# Writes the plan decoder's seeds: plans only the engine can write, serialised by BUILD_DIR's
# plan_seed from the standard library, the quickstart and the plan phase's feature pack. Used by
# run.sh, coverage.sh and the ctest plan_seed; run from the repository root.
#
#   tests/fuzz/plan_seeds.sh BUILD_DIR SEEDS_DIR
set -euo pipefail
"$1/tests/fuzz/plan_seed" "$2" stdlib-rules/cn-app-privacy examples/quickstart tests/plan/features
