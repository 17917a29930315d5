// Standalone CEL expressions (`edict eval`, the conformance runner): compile with declared
// variables, evaluate with bindings; CEL's error semantics included.
#include <doctest/doctest.h>

#include "compiler/diag/render.h"
#include "runtime/value/format.h"
#include "tests/plan/harness.h"

using namespace edict;
using value::Value;

namespace {

struct Result {
  bool compiled = false;
  std::string value;  // CEL literal text, or "<error: ...>"
  std::string diagnostics;
};

Result Eval(const std::string& text, const std::vector<plan::Variable>& variables = {},
            const std::map<std::string, Value>& bindings = {}, bool check_types = true) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  plan::ExpressionOptions options;
  options.check_types = check_types;
  auto compiled = interp::CompileExpression(text, variables, options, sources, diags);
  Result result;
  for (const auto& d : diags.diagnostics()) result.diagnostics += diag::RenderText(d, sources, false);
  if (compiled == nullptr) return result;
  result.compiled = true;
  result.value = value::FormatLiteral(interp::Evaluate(*compiled, bindings));
  return result;
}

std::string Show(const std::string& text) { return Eval(text).value; }

}  // namespace

TEST_CASE("arithmetic and its errors") {
  CHECK(Show("1 + 2 * 3") == "7");
  CHECK(Show("9223372036854775807 + 1") == "<error: integer overflow>");
  CHECK(Show("1 / 0").find("<error:") == 0);
  CHECK(Show("7 % 0").find("<error:") == 0);
  CHECK(Show("1.5 * 2.0") == "3.0");
  CHECK(Show("duration('1h') + duration('30m') == duration('90m')") == "true");
  CHECK(Show("timestamp('2025-06-01T08:00:00Z') + duration('1h')") == "timestamp(\"2025-06-01T09:00:00Z\")");
}

TEST_CASE("&& and || absorb errors commutatively") {
  CHECK(Show("false && 1 / 0 > 0") == "false");
  CHECK(Show("1 / 0 > 0 && false") == "false");
  CHECK(Show("1 / 0 > 0 || true") == "true");
  CHECK(Show("true || 1 / 0 > 0") == "true");
  CHECK(Show("true && 1 / 0 > 0").find("<error:") == 0);
  CHECK(Show("1 / 0 > 0 && 2 / 0 > 0 && false") == "false");
  CHECK(Show("false ? 1 / 0 : 2") == "2");
}

TEST_CASE("macros") {
  CHECK(Show("[1, 2, 3].all(i, i > 0)") == "true");
  CHECK(Show("[1, 2, 3].exists(i, i > 2)") == "true");
  CHECK(Show("[1, 2, 3].exists_one(i, i > 1)") == "false");
  CHECK(Show("[1, 2, 3].map(i, i * 2)") == "[2, 4, 6]");
  CHECK(Show("[1, 2, 3].filter(i, i % 2 == 1)") == "[1, 3]");
  CHECK(Show("[1, 2, 3].map(i, i > 1, i * 10)") == "[20, 30]");
  CHECK(Show("{'a': 1, 'b': 2}.all(k, k.size() == 1)") == "true");
  // An error in one element is absorbed when another decides.
  CHECK(Show("[0, 1].exists(i, 1 / i == 1)") == "true");
  CHECK(Show("[0, 1].all(i, 1 / i == 1)").find("<error:") == 0);
  CHECK(Show("[1, 0].all(i, 1 / i > 5)") == "false");
  CHECK(Show("[10, 20].all(i, v, v == (i + 1) * 10)") == "true");
}

TEST_CASE("maps, fields, has(), types, strings") {
  CHECK(Show("{'a': 1}.a") == "1");
  CHECK(Show("has({'a': 1}.b)") == "false");
  CHECK(Show("{'a': 1}.b").find("<error:") == 0);
  CHECK(Show("{'a': [1, 2]}['a'][1]") == "2");
  CHECK(Show("type(1) == int && type('a') == string") == "true");
  CHECK(Show("'abc'.startsWith('a') && 'abc'.contains('bc') && 'abc'.matches('^a.c$')") == "true");
  CHECK(Show("2 in [1, 2] && 'x' in {'x': 1}") == "true");
}

TEST_CASE("a field of a conditional or of a map literal keeps the literal's errors") {
  std::vector<plan::Variable> x = {{"x", "int"}};
  std::map<std::string, Value> bindings = {{"x", Value::Int(0)}};
  CHECK(Eval("(x == 0 ? {'a': 1} : {'a': 2}).a", x, bindings).value == "1");
  CHECK(Eval("{'a': x, 'b': 1}.a", x, bindings).value == "0");
  CHECK(Eval("{'a': 1, 'b': 1 / x}.a", x, bindings).value.find("<error: division by zero") == 0);
  CHECK(Eval("{'a': 1 / x, 'b': 1}.b", x, bindings).value.find("<error: division by zero") == 0);
  CHECK(Eval("has({'a': x}.a) && !has({'a': x}.b)", x, bindings).value == "true");
  CHECK(Eval("{'a': 1}.b", x, bindings).value.find("<error: no such key") == 0);
}

TEST_CASE("variables: declared types, dyn, unbound") {
  std::vector<plan::Variable> variables = {{"x", "int"}, {"m", "map(string, list(int))"}, {"d", "dyn"}};
  std::map<std::string, Value> bindings = {
      {"x", Value::Int(21)},
      {"m", Value::Map({{Value::String("k"), Value::List({Value::Int(1), Value::Int(2)})}})},
      {"d", Value::Uint(1)},
  };
  CHECK(Eval("x * 2", variables, bindings).value == "42");
  CHECK(Eval("m.k.size() + x", variables, bindings).value == "23");
  CHECK(Eval("d + 1u", variables, bindings).value == "2u");
  CHECK(Eval("x + 1", variables, {}).value.find("<error: no value for variable 'x'") == 0);
  Result bad_type = Eval("x", {{"x", "integer"}});
  CHECK_FALSE(bad_type.compiled);
  CHECK(bad_type.diagnostics.find("unknown type 'integer'") != std::string::npos);
}

TEST_CASE("without the type checker, type errors happen at run time") {
  Result checked = Eval("1 + 'a'");
  CHECK_FALSE(checked.compiled);
  CHECK(checked.diagnostics.find("E063") != std::string::npos);
  Result dynamic = Eval("1 + 'a'", {}, {}, false);
  REQUIRE(dynamic.compiled);
  CHECK(dynamic.value.find("<error: no matching overload") == 0);
  CHECK(Eval("[1, 'a'][1] + 'b'", {}, {}, false).value == "\"ab\"");
  // Unknown names and functions too: an error value, absorbed like any other.
  CHECK_FALSE(Eval("nope(1) || true").compiled);
  CHECK(Eval("nope(1) || true", {}, {}, false).value == "true");
  CHECK(Eval("y || true", {}, {}, false).value == "true");
  CHECK(Eval("y", {}, {}, false).value.find("<error: undeclared reference to variable 'y'") == 0);
  CHECK(Show("dyn").find("<error:") == 0);
}
