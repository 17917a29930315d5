// `==` and `!=` of two operands outside the pass loops (codegen/call_emitter.cpp), whose helper
// compares two strings by their bytes and leaves every other pair to value::Call, against the
// interpreter: owned and unowned strings of every word width, equal texts at other addresses, the
// empty and non-ASCII texts, heterogeneous numbers, lists, maps, null, errors and unknowns; and the
// helper is what the expression calls.
#include <doctest/doctest.h>

#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

const std::vector<plan::Variable> kVariables = {{"s", "string"}, {"t", "string"}, {"a", "dyn"}, {"b", "dyn"}};

constexpr const char* kTexts[] = {"", "a", "abc", "abcdefgh", "abcdefghi", "0123456789abcdef0123456789abcdef",
                                  "0123456789abcdef0123456789abcdefg", "0123456789abcdef0123456789abcdefh", "家优商城",
                                  "家优商成"};

const char* const kExpressions[] = {"s == t", "s != t", "t == s", "a == b", "a != b", "a == s", "s != a",
                                    "(s + '') == t", "[s == t, s != t]", "s == t ? 1 : 2"};

// The dyn operands: texts, numbers one another's equal (1 == 1.0 == 1u), containers, null.
std::vector<Value> Dyns(const char* text) {
  return {Value::UnownedString(text),
          Value::String(text),
          Value::Int(1),
          Value::Double(1.0),
          Value::Uint(1),
          Value::Null(),
          Value::Bool(true),
          Value::List({Value::UnownedString(text)}),
          Value::Map({{Value::UnownedString("k"), Value::String(text)}}),
          Value::Unknown("a"),
          Value::Error(value::ErrorCode::kInvalidArgument, "bad a")};
}

}  // namespace

TEST_CASE("== and != of two operands agree with the interpreter on every pair of kinds") {
  std::vector<std::map<std::string, Value>> all;
  for (const char* left : kTexts) {
    for (const char* right : kTexts) {
      // `t` the same text as `s` at another address, or another text; owned or not.
      all.push_back({{"s", Value::UnownedString(left)}, {"t", Value::String(right)}, {"a", Value::Int(1)},
                     {"b", Value::Double(1.0)}});
      all.push_back({{"s", Value::String(left)}, {"t", Value::UnownedString(right)}, {"a", Value::String(left)},
                     {"b", Value::UnownedString(right)}});
    }
    for (const Value& a : Dyns(left)) {
      for (const Value& b : Dyns("abc")) {
        all.push_back({{"s", Value::UnownedString(left)}, {"t", Value::UnownedString("abc")}, {"a", a}, {"b", b}});
      }
    }
  }
  for (const char* expression : kExpressions) testing::AgreeUnderAll(expression, kVariables, all, "a");
  std::map<std::string, Value> bindings = {
      {"s", Value::String("家优商城")}, {"t", Value::UnownedString("家优商城")}, {"a", Value::Int(2)}, {"b", Value::Uint(2)}};
  CHECK(testing::ExpressionBothWays("s == t", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("s != t", kVariables, bindings) == "bool false");
  CHECK(testing::ExpressionBothWays("a == b", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("a != s", kVariables, bindings) == "bool true");
}

TEST_CASE("an equality of two operands calls the equality helper, one with a short text compares inline") {
  auto helper_calls = [](const char* expression) { return testing::HelperCalls(expression, kVariables, "edict_rt_equals"); };
  CHECK(helper_calls("s == t") == 1);
  CHECK(helper_calls("a != b") == 1);
  CHECK(helper_calls("s == 'abc'") == 0);
  CHECK(helper_calls("s < t") == 0);
}
