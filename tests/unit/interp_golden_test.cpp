// Golden cases of lowering's own diagnostics (tests/plan/golden): each pack compiles with exactly
// the errors its `// expect-error[Ennn]: text` comments name, on their lines.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/plan/harness.h"

using namespace edict;

namespace {

namespace fs = std::filesystem;

struct Expected {
  std::string file;
  uint32_t line = 0;
  std::string code;
  std::string text;
  bool met = false;
};

std::vector<Expected> Expectations(const fs::path& dir) {
  static const std::regex kExpect(R"(//\s*expect-error(?:@([+-]\d+))?\[(E\d+)\]:\s*(.*)$)");
  std::vector<Expected> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".edict") continue;
    std::ifstream in(entry.path());
    std::string line;
    for (uint32_t number = 1; std::getline(in, line); ++number) {
      std::smatch match;
      if (!std::regex_search(line, match, kExpect)) continue;
      int offset = match[1].matched ? std::stoi(match[1].str()) : 0;
      out.push_back({fs::weakly_canonical(entry.path()).string(), static_cast<uint32_t>(number + offset), match[2],
                     match[3]});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("lowering diagnostics are reported where the golden cases expect them") {
  fs::path root = fs::path(EDICT_SOURCE_DIR) / "tests/plan/golden";
  size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    ++cases;
    std::vector<Expected> expected = Expectations(entry.path());
    auto compiled = testing::CompilePacks({fs::relative(entry.path(), EDICT_SOURCE_DIR).string()});
    CHECK_MESSAGE(compiled->plan == nullptr, entry.path());
    for (const diag::Diagnostic& d : compiled->diags.diagnostics()) {
      std::string code = diag::Info(d.id).code;
      std::string file = d.range.valid() ? fs::weakly_canonical(compiled->sources.path(d.range.file)).string() : "";
      uint32_t line = d.range.valid() ? compiled->sources.Locate(d.range.file, d.range.begin).line : 0;
      auto match = std::find_if(expected.begin(), expected.end(), [&](const Expected& e) {
        return !e.met && e.code == code && e.file == file && e.line == line && d.message.find(e.text) != std::string::npos;
      });
      CHECK_MESSAGE(match != expected.end(), "unexpected " << code << " at " << file << ":" << line << ": " << d.message);
      if (match != expected.end()) match->met = true;
    }
    for (const Expected& e : expected) CHECK_MESSAGE(e.met, "missing " << e.code << " at " << e.file << ":" << e.line);
  }
  CHECK(cases == 3);
}

TEST_CASE("lowering a program the checker rejected for cycles stops, it does not recurse") {
  auto compiled = testing::CompilePacks({"tests/plan/cycles"});
  REQUIRE(compiled->diags.has_errors());
  REQUIRE(compiled->program != nullptr);
  auto plan = interp::Compile(*compiled->program, {}, compiled->sources, compiled->diags);
  CHECK(plan == nullptr);
  CHECK(compiled->Errors().find("a recursive call of 'down'") != std::string::npos);
}
