// value::Call of two operands (what both engines call) answers the hottest builtins (==, !=,
// orderings of ints and durations, contains, startsWith) on their usual kinds without the overload
// table: every answer must be the table's, for operands of every kind (the others take its path).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "runtime/value/call_operands.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/format.h"
#include "tests/plan/harness.h"

using namespace edict;
using value::Overload;
using value::Value;

namespace {

std::vector<Value> Samples() {
  return {Value::Null(),
          Value::Bool(true),
          Value::Bool(false),
          Value::Int(2),
          Value::Int(-7),
          Value::Uint(2),
          Value::Double(2.0),
          Value::String(""),
          Value::String("abc"),
          Value::UnownedString("ab"),
          Value::Duration(2),
          Value::Duration(-1),
          Value::List({Value::Int(2)}),
          Value::Error(value::ErrorCode::kDivisionByZero, "division by zero"),
          Value::Unknown("x.y")};
}

struct Case {
  std::string text;
  std::string type;  // of both variables
  Overload overload;
};

}  // namespace

TEST_CASE("quick builtin calls answer what value::Call answers") {
  const std::vector<Case> cases = {
      {"a == b", "string", Overload::equals},
      {"a != b", "string", Overload::not_equals},
      {"a == b", "int", Overload::equals},
      {"a != b", "bool", Overload::not_equals},
      {"a.contains(b)", "string", Overload::contains_string},
      {"a.startsWith(b)", "string", Overload::starts_with_string},
      {"a < b", "int", Overload::less_int64},
      {"a <= b", "int", Overload::less_equals_int64},
      {"a > b", "int", Overload::greater_int64},
      {"a >= b", "int", Overload::greater_equals_int64},
      {"a < b", "duration", Overload::less_duration},
      {"a <= b", "duration", Overload::less_equals_duration},
      {"a > b", "duration", Overload::greater_duration},
      {"a >= b", "duration", Overload::greater_equals_duration},
  };
  std::vector<Value> samples = Samples();
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CAPTURE(c.type);
    diag::SourceManager sources;
    diag::DiagnosticEngine diags;
    auto compiled = interp::CompileExpression(c.text, {{"a", c.type}, {"b", c.type}}, plan::ExpressionOptions{},
                                              sources, diags);
    REQUIRE(compiled != nullptr);
    for (const Value& a : samples) {
      for (const Value& b : samples) {
        CAPTURE(value::FormatLiteral(a));
        CAPTURE(value::FormatLiteral(b));
        const Value args[] = {a, b};
        std::string expected = value::FormatLiteral(value::Call(c.overload, args));
        CHECK(value::FormatLiteral(value::Call(c.overload, a, b)) == expected);
        CHECK(value::FormatLiteral(interp::Evaluate(*compiled, {{"a", a}, {"b", b}})) == expected);
      }
    }
  }
}
