// Golden reports: the example pack over the sample facts in the three formats, compared byte for
// byte with tests/golden/ (runs EDICT_BINARY with --deterministic, so timings are 0). The findings
// in them are justified from the specs in tests/golden/README.md; after an intended change,
// regenerate with tests/golden/update.sh and review the diff.
#include "tests/unit/cli_helpers.h"

using namespace edict::cli_testing;

namespace {

void CheckGolden(const std::string& format, const std::string& golden) {
  Result run = Edict(std::string("run ") + kQuickstart + " --deterministic --format " + format + " " + kSampleFacts);
  CHECK(run.exit_code == 1);  // fail findings
  CHECK(run.err.empty());
  std::string expected = ReadFile(fs::path(EDICT_SOURCE_DIR) / "tests/golden" / golden);
  REQUIRE_MESSAGE(!expected.empty(), "missing tests/golden/" << golden);
  CHECK_MESSAGE(run.out == expected, golden << " differs at " << FirstDifference(expected, run.out));
}

}  // namespace

TEST_CASE("JSON Lines report of the example pack") { CheckGolden("json", "quickstart.jsonl"); }

TEST_CASE("SARIF report of the example pack") { CheckGolden("sarif", "quickstart.sarif"); }

TEST_CASE("text report of the example pack") { CheckGolden("text", "quickstart.txt"); }

TEST_CASE("the report does not depend on the number of threads") {
  std::string expected = ReadFile(fs::path(EDICT_SOURCE_DIR) / "tests/golden/quickstart.jsonl");
  Result run = Edict(std::string("run ") + kQuickstart + " --deterministic --jobs 3 " + kSampleFacts);
  CHECK(run.out == expected);
}
