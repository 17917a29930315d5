// Edict's own builtins (tests/conformance/edict) through the standalone expression API, with the
// CEL conformance runner: every case must pass.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/unit/conformance_cel.h"

using namespace edict::conformance;

TEST_CASE("every Edict-additions conformance case passes") {
  const std::filesystem::path dir = std::filesystem::path(EDICT_SOURCE_DIR) / "tests/conformance/edict";
  size_t cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".jsonl") continue;
    for (const Case& c : LoadSuite(entry.path().string())) {
      ++cases;
      Outcome outcome = RunTest(c.test);
      CHECK_MESSAGE(outcome.passed, entry.path().filename().string() << ":" << c.line << " " << c.id << ": " << outcome.why);
    }
  }
  CHECK(cases >= 21);
}
