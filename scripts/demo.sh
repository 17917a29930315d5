#!/usr/bin/env bash
# `make demo`: shows Edict at work on the bundled examples with the freshly built binary.
set -euo pipefail
build_dir=${1:-build}
edict="$build_dir/edict"
cd "$(dirname "$0")/.."

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

banner "edict --version"
"$edict" --version

banner "The appfacts/1 schema, declared in Edict itself (stdlib-rules/appfacts)"
"$edict" check stdlib-rules/appfacts && echo "stdlib-rules/appfacts: no errors, no warnings"

banner "What the front end understood of the example pack (examples/quickstart)"
"$edict" check --summary examples/quickstart

banner "A rule with two mistakes: one error each, with a caret and a suggestion"
"$edict" check examples/mistakes/typos.edict || true

banner "The example pack over three recorded sessions (examples/facts)"
"$edict" run --rules examples/quickstart --format text examples/facts/*.jsonl || true

banner "The standard library (46 rules of MIIT 164 / CAC 191 / 2021 necessary-PI) over three sample apps"
"$edict" run --rules stdlib-rules/cn-app-privacy --format text examples/apps/*.jsonl || true
