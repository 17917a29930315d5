#!/usr/bin/env bash
# Regenerates the golden reports of tests/unit/cli_golden_test.cpp with a built edict binary
# (default build/edict). Review the diff: every finding must still be what README.md justifies.
set -euo pipefail
edict=$(realpath "${1:-build/edict}")
cd "$(dirname "$0")/../.."
facts="examples/facts/jiayou-mall-6.3.0.jsonl examples/facts/meiri-news-2.8.1.jsonl examples/facts/jiayou-mall-6.4.0.jsonl"
for format in json:jsonl sarif:sarif text:txt; do
  # Exit code 1 is expected: the example has fail findings.
  env -u EDICT_PACK_PATH "$edict" run --rules examples/quickstart --pack-path stdlib-rules --deterministic \
    --format "${format%%:*}" $facts > "tests/golden/quickstart.${format##*:}" || [ $? -eq 1 ]
done
# The example pack's rule catalogue (tests/unit/cli_doc_test.cpp), with the standard library's clause list.
rm -rf tests/golden/quickstart-docs
env -u EDICT_PACK_PATH "$edict" doc --pack-path stdlib-rules --clauses stdlib-rules/cn-app-privacy/clauses.tsv \
  -o tests/golden/quickstart-docs examples/quickstart > /dev/null
