// Merged matches under both engines: the merge packs (tests/merge, tests/merge_reports,
// tests/merge_matches, tests/merge_entries) over their sessions give equal findings, evidence
// order, reports (kept for the front match only, deferred when they cannot err), rule errors and
// limits in the interpreter and the JIT.
#include <doctest/doctest.h>

#include "tests/differential/engines.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"

using namespace edict;
using namespace edict::differential;

TEST_CASE("the merge packs evaluate identically under the interpreter and the JIT") {
  ScratchCache cache;
  Comparison total;
  for (const char* pack : {"tests/merge", "tests/merge_reports", "tests/merge_matches", "tests/merge_entries"}) {
    std::string path = std::string(pack) + "/sessions.jsonl";
    std::string facts = testing::ReadFile(path);
    REQUIRE(!facts.empty());
    CompileOptions options;
    options.packs = {pack};
    options.pack_path = {"stdlib-rules"};
    options.use_environment = false;
    EnginePair engines(options);
    REQUIRE_MESSAGE(engines.ok(), pack << ": " << engines.diagnostics());
    Input input = Input::Text(path, facts);
    engines.Compare(std::span<const Input>(&input, 1), pack, total);
  }
  for (const std::string& mismatch : total.mismatches) FAIL_CHECK(mismatch);
  CHECK(total.sessions == 7);
  CHECK(total.interpreted == 0);
  CHECK(total.fallbacks == 0);
  CHECK(total.limits == 0);
}
