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

# `edict run` exits 1 when it reports `fail` findings, which is the point here; 2 would be a failure.
banner "The example pack over three recorded sessions (examples/facts): the text report"
"$edict" run --rules examples/quickstart --format text examples/facts/*.jsonl || [ $? -eq 1 ]

banner "The standard library (stdlib-rules/cn-app-privacy): its own tests"
"$edict" test stdlib-rules/cn-app-privacy | grep -E '^[0-9]+ passed, [0-9]+ failed$'

# Golden: examples/apps/EXPECTED.txt (tests/unit/stdlib_demo_test.cpp); why: examples/apps/EXPECTED.md.
banner "The standard library over three demo apps (examples/apps): the text report"
"$edict" run --rules stdlib-rules/cn-app-privacy --format text examples/apps/*.jsonl || [ $? -eq 1 ]
