// Every CEL conformance case (tests/conformance/cel) through EvaluateExpression with the
// interpreter and with the JIT: the value text (or error message), the error flag, the checked
// type and any diagnostics must be equal. Bindings become variables written as CEL literals.
#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/value/format.h"
#include "runtime/value/json_codec.h"
#include "tests/differential/compare.h"
#include "tests/differential/engines.h"
#include "tests/differential/scratch.h"

using namespace edict;
using namespace edict::differential;
using nlohmann::json;

namespace {

const std::string kSuitePath = std::string(EDICT_SOURCE_DIR) + "/tests/conformance/cel/cel-conformance.jsonl";
constexpr size_t kSuiteTests = 1714;

struct Case {
  std::string id;
  std::string expr;
  std::vector<Variable> variables;  // a binding with no value in Edict is left out: both fail alike
};

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  std::ifstream in(kSuitePath, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    json test = json::parse(line);
    Case c;
    c.id = test["section"].get<std::string>() + "/" + test["group"].get<std::string>() + "/" +
           test["name"].get<std::string>();
    c.expr = test["expr"];
    const json bindings = test.value("bindings", json::object());
    for (const auto& [name, tagged] : bindings.items()) {
      std::string error;
      if (auto bound = value::ValueFromJson(tagged, error)) c.variables.push_back({name, value::FormatLiteral(*bound)});
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace

TEST_CASE("every CEL conformance case evaluates identically under the interpreter and the JIT") {
  ScratchCache cache;
  std::vector<Case> cases = LoadCases();
  REQUIRE(cases.size() == kSuiteTests);
  size_t compared = 0, evaluated = 0, errors = 0, mismatches = 0, interpreted = 0;
  uint64_t fallbacks = 0;
  for (const Case& c : cases) {
    ExpressionComparison comparison = CompareExpression(c.expr, c.variables, c.id);
    ++compared;
    if (comparison.interp.ok) ++evaluated;
    if (comparison.interp.cel_error) ++errors;
    if (comparison.jit.ok && !comparison.jit.native) ++interpreted;
    fallbacks += comparison.jit.fallbacks;
    if (!comparison.diff.empty()) {
      ++mismatches;
      FAIL_CHECK(comparison.diff);
    }
  }
  std::cout << "differential CEL: " << compared << " conformance cases compared (" << evaluated << " evaluated, "
            << errors << " of them to an error; the rest do not compile: type_env without bindings, protobuf "
            << "messages, sections beyond core), " << mismatches << " mismatches, " << interpreted
            << " evaluated without native code, " << fallbacks << " fallbacks\n";
  CHECK(interpreted == 0);
  CHECK(fallbacks == 0);
  // The core sections' passing cases alone are over a thousand: the comparison must reach them.
  CHECK(evaluated >= 1000);
}

TEST_CASE("a difference between the engines' results is reported") {
  ExpressionResult one = EvaluateExpression("1 + 1", {}, Engine::kInterp);
  ExpressionResult two = EvaluateExpression("1 + 2", {}, Engine::kInterp);
  CHECK(CompareExpression("1 + 1", {}, "same").diff.empty());
  CHECK(Describe(one) != Describe(two));
  CHECK(Diff("context", Describe(one), Describe(two)).find("- interp text=\"2\"") != std::string::npos);
}
