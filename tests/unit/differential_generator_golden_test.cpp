// The program generator's output for a fixed seed and for each differential fuzz regression input,
// compared byte for byte with tests/differential/golden/. A seed named in a note, or an input under
// tests/fuzz/regressions/differential/, only means something while it generates the same program:
// this says when a change of the generator (or of the compiler's evaluation order, generator.h)
// gives it another one. After an intended change, first keep any regression's old program where
// it still tests the fault (as tests/plan/group_measure does), then regenerate with
//   EDICT_UPDATE_GOLDEN=1 ctest --test-dir build -R differential_generator_golden_test
// and review the diff.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/differential/generator.h"

using namespace edict::differential;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kSeed = 20261128;  // differential_generated_test's first seed

const fs::path kGolden = fs::path(EDICT_SOURCE_DIR) / "tests/differential/golden";
const fs::path kRegressions = fs::path(EDICT_SOURCE_DIR) / "tests/fuzz/regressions/differential";

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first line where the two texts differ, for a readable failure.
std::string FirstDifference(const std::string& expected, const std::string& actual) {
  size_t line = 1, start = 0;
  for (size_t i = 0; i < expected.size() && i < actual.size() && expected[i] == actual[i]; ++i) {
    if (expected[i] == '\n') ++line, start = i + 1;
  }
  auto line_at = [start](const std::string& text) {
    if (start >= text.size()) return std::string("<end>");
    return text.substr(start, text.find('\n', start) - start);
  };
  return "line " + std::to_string(line) + "\n  expected: " + line_at(expected) + "\n  actual:   " + line_at(actual);
}

void CheckGolden(const std::string& name, const std::string& actual) {
  const fs::path path = kGolden / name;
  const char* update = std::getenv("EDICT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(kGolden);
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("updated " << path.string());
    return;
  }
  REQUIRE_MESSAGE(fs::exists(path), "missing golden file " << path.string() << " (EDICT_UPDATE_GOLDEN=1 creates it)");
  const std::string expected = ReadBytes(path);
  const bool same = expected == actual;  // not in the check: doctest would print both texts whole
  CHECK_MESSAGE(same, name << " is not what the generator gives now, at " << FirstDifference(expected, actual));
}

void CheckProgram(const std::string& stem, const GeneratedProgram& program) {
  CheckGolden(stem + ".edict", program.source);
  CheckGolden(stem + ".jsonl", program.facts);
}

}  // namespace

TEST_CASE("a seed generates the golden program and facts") {
  Entropy entropy = Entropy::FromSeed(kSeed);
  CheckProgram("seed-" + std::to_string(kSeed), GenerateProgram(entropy, GeneratorOptions()));
}

TEST_CASE("each differential fuzz regression input generates its golden program and facts") {
  std::vector<fs::path> inputs;
  for (const fs::directory_entry& entry : fs::directory_iterator(kRegressions)) inputs.push_back(entry.path());
  REQUIRE(!inputs.empty());
  for (const fs::path& input : inputs) {
    const std::string bytes = ReadBytes(input);
    Entropy entropy = Entropy::FromBytes(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    CheckProgram("regression-" + input.filename().string(), GenerateProgram(entropy, FuzzerOptions()));
  }
}

TEST_CASE("the golden directory holds only what these cases write") {
  size_t expected = 2;  // the seed's program and facts
  for (const fs::directory_entry& entry : fs::directory_iterator(kRegressions)) expected += entry.is_regular_file() ? 2 : 0;
  size_t found = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(kGolden)) found += entry.is_regular_file() ? 1 : 0;
  CHECK_MESSAGE(found == expected, "tests/differential/golden has " << found << " files, the cases write " << expected
                                                                     << " (a regression input removed?)");
}
