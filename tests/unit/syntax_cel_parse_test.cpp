// The CEL conformance suite's expressions (tests/conformance/cel): every `parse` section test must
// parse, print back, re-parse to an Equal AST, and print identically again. The other sections'
// expressions go through the same round trip whenever they parse; their count is reported.
#include <doctest/doctest.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;

namespace {

struct ConformanceCase {
  std::string section;
  std::string name;
  std::string expr;
  bool disable_macros;
};

std::vector<ConformanceCase> LoadCases() {
  std::vector<ConformanceCase> cases;
  std::istringstream lines(ReadFile(SourcePath("tests/conformance/cel/cel-conformance.jsonl")));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json test = nlohmann::json::parse(line);
    cases.push_back({test["section"], test["group"].get<std::string>() + "/" + test["name"].get<std::string>(),
                     test["expr"], test.value("disable_macros", false)});
  }
  return cases;
}

}  // namespace

TEST_CASE("every expression of the conformance suite's parse section parses and round-trips") {
  std::vector<ConformanceCase> cases = LoadCases();
  REQUIRE(cases.size() == 1714);
  size_t parsed = 0, failed = 0;
  for (const ConformanceCase& c : cases) {
    if (c.section != "parse") continue;
    edict::syntax::ParseOptions options;
    options.macros = !c.disable_macros;
    auto result = ParseCel(c.expr, options);
    INFO(c.name << ": " << c.expr << "\n" << result->Rendered());
    if (result->expr == nullptr) {
      ++failed;
      CHECK(result->expr != nullptr);
      continue;
    }
    ++parsed;
    CHECK(CelRoundTrip(*result->expr, options) == "");
  }
  std::cout << "parse: " << parsed << " parsed, " << failed << " failed\n";
  CHECK(parsed == 199);
}

TEST_CASE("the other sections' expressions round-trip whenever they parse") {
  size_t parsed = 0, rejected = 0;
  for (const ConformanceCase& c : LoadCases()) {
    if (c.section == "parse") continue;
    edict::syntax::ParseOptions options;
    options.macros = !c.disable_macros;
    auto result = ParseCel(c.expr, options);
    if (result->expr == nullptr) {
      ++rejected;
      continue;
    }
    ++parsed;
    INFO(c.section << "/" << c.name << ": " << c.expr);
    CHECK(CelRoundTrip(*result->expr, options) == "");
  }
  std::cout << "other sections: " << parsed << " parsed, " << rejected << " rejected\n";
  CHECK(parsed > 1400);
}
