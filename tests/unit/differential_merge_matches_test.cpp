// The cheap paths of merging matches under both engines: tests/merge_matches over its sessions
// gives equal findings, evidence order, rule errors and limits in the interpreter and the JIT.
#include <doctest/doctest.h>

#include "tests/differential/engines.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"

using namespace edict;
using namespace edict::differential;

TEST_CASE("the merge_matches pack evaluates identically under the interpreter and the JIT") {
  ScratchCache cache;
  Comparison total;
  const char* pack = "tests/merge_matches";
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
  for (const std::string& mismatch : total.mismatches) FAIL_CHECK(mismatch);
  CHECK(total.sessions == 2);
  CHECK(total.interpreted == 0);
  CHECK(total.fallbacks == 0);
  CHECK(total.limits == 0);
}
