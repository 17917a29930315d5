// The three renderings of one hand-built run, compared byte for byte with tests/findings/sample.*.
// After an intended change of the output, regenerate them with
//   EDICT_UPDATE_GOLDEN=1 ctest --test-dir build -R findings_golden_test
// and review the diff.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/findings/writer.h"
#include "tests/findings/sample_run.h"

using namespace edict::findings;

namespace {

std::string Render(Format format, bool color = false) {
  std::ostringstream out;
  std::unique_ptr<Writer> writer = MakeWriter(format, out, {color});
  WriteRun(sample::SampleRun(), *writer);
  return out.str();
}

// The first line where the two texts differ, for a readable failure.
std::string FirstDifference(const std::string& expected, const std::string& actual) {
  std::istringstream a(expected), b(actual);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    bool more_a = static_cast<bool>(std::getline(a, line_a));
    bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "no line differs (line endings?)";
    if (!more_a || !more_b || line_a != line_b) {
      return "line " + std::to_string(line) + "\n  expected: " + (more_a ? line_a : "<end>") +
             "\n  actual:   " + (more_b ? line_b : "<end>");
    }
  }
}

void CheckGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(EDICT_SOURCE_DIR) + "/tests/findings/" + name;
  const char* update = std::getenv("EDICT_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("updated " << path);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing golden file " << path << " (EDICT_UPDATE_GOLDEN=1 creates it)");
  std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_MESSAGE(expected == actual, name << " differs from the golden file at " << FirstDifference(expected, actual));
}

}  // namespace

TEST_CASE("JSON Lines output matches the golden file") { CheckGolden("sample.jsonl", Render(Format::kJson)); }

TEST_CASE("SARIF output matches the golden file") { CheckGolden("sample.sarif", Render(Format::kSarif)); }

TEST_CASE("text output matches the golden file") { CheckGolden("sample.txt", Render(Format::kText)); }

TEST_CASE("writing is deterministic") {
  for (Format format : {Format::kJson, Format::kSarif, Format::kText}) CHECK(Render(format) == Render(format));
}
