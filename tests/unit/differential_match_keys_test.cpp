// Matches named by the storage of their key values under both engines: tests/match_keys gives
// equal findings, evidence order, rule errors and outcomes in the interpreter and the JIT.
#include <doctest/doctest.h>

#include "tests/differential/engines.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"

using namespace edict;
using namespace edict::differential;

TEST_CASE("the match keys pack evaluates identically under the interpreter and the JIT") {
  ScratchCache cache;
  Comparison total;
  std::string path = "tests/match_keys/sessions.jsonl";
  std::string facts = testing::ReadFile(path);
  REQUIRE(!facts.empty());
  CompileOptions options;
  options.packs = {"tests/match_keys"};
  options.pack_path = {"stdlib-rules"};
  options.use_environment = false;
  EnginePair engines(options);
  REQUIRE_MESSAGE(engines.ok(), engines.diagnostics());
  Input input = Input::Text(path, facts);
  engines.Compare(std::span<const Input>(&input, 1), "tests/match_keys", total);
  for (const std::string& mismatch : total.mismatches) FAIL_CHECK(mismatch);
  CHECK(total.sessions == 1);
  CHECK(total.interpreted == 0);
  CHECK(total.fallbacks == 0);
}
