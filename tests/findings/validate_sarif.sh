#!/usr/bin/env bash
# Validates Edict's SARIF against the SARIF 2.1.0 schema and the Multitool's rules; fails on any error
# (warnings are printed, not fatal). Usage: validate_sarif.sh SAMPLE_PROGRAM REPO_ROOT WORK_DIR
# The validator comes from scripts/setup.sh (npm package @microsoft/sarif-multitool-linux in .tools/sarif);
# EDICT_SARIF_MULTITOOL overrides its path. Without it the test is skipped (exit 77).
set -euo pipefail

sample_program=$1
root=$2
work=$3
multitool=${EDICT_SARIF_MULTITOOL:-$root/.tools/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}

if [ ! -x "$multitool" ]; then
  echo "SKIPPED: SARIF Multitool not installed at $multitool (run scripts/setup.sh with node/npm present)"
  exit 77
fi

mkdir -p "$work"
# The Multitool is a .NET program; without ICU it needs the invariant globalization mode.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}

# Counts the validator's "file(line,col): error CODE: ..." lines for one input.
count_errors() {
  local input=$1 log=$2
  "$multitool" validate "$input" -o "$work/validation.sarif" --log ForceOverwrite > "$log" 2>&1 || {
    cat "$log"
    echo "FAILED: the SARIF Multitool did not run to completion on $input"
    exit 1
  }
  grep -cE '\([0-9]+,[0-9]+\): error [A-Z]+[0-9]+:' "$log" || true
}

# The check must be able to fail: a file missing required properties has to produce errors.
printf '%s\n' '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"kind":"bogus"}]}]}' > "$work/broken.sarif"
if [ "$(count_errors "$work/broken.sarif" "$work/broken.log")" -eq 0 ]; then
  cat "$work/broken.log"
  echo "FAILED: the validator reported no error for a broken file, so its output is not understood"
  exit 1
fi

"$sample_program" "$work/sample.sarif"
errors=$(count_errors "$work/sample.sarif" "$work/sample.log")
grep -E '\): (error|warning) ' "$work/sample.log" || true
if [ "$errors" -ne 0 ]; then
  echo "FAILED: $errors SARIF validation error(s) in $work/sample.sarif"
  exit 1
fi
echo "OK: $work/sample.sarif validates with zero errors"
