// Native expressions against the interpreter: every op, CEL's errors, overflow, unknowns and the
// commutative absorption of && and ||, comprehensions and the evaluation budget must give the
// very same value in both back ends, with no fallback to the interpreter.
#include <doctest/doctest.h>

#include "runtime/value/time.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

const std::vector<plan::Variable> kVariables = {
    {"x", "int"},       {"y", "int"},       {"big", "int"},         {"u", "uint"},   {"f", "double"},
    {"s", "string"},    {"b", "bool"},      {"l", "list(int)"},     {"m", "map(string, int)"},
    {"t", "timestamp"}, {"d", "duration"},  {"dy", "dyn"},          {"unk", "bool"}, {"ls", "list(string)"}, {"ten", "list(int)"},
};

std::map<std::string, Value> Bindings() {
  return {
      {"x", Value::Int(5)},
      {"y", Value::Int(0)},
      {"big", Value::Int(INT64_MAX)},
      {"u", Value::Uint(7)},
      {"f", Value::Double(2.5)},
      {"s", Value::String("abc")},
      {"b", Value::Bool(true)},
      {"l", Value::List({Value::Int(1), Value::Int(2), Value::Int(3)})},
      {"m", Value::Map({{Value::String("a"), Value::Int(1)}, {Value::String("b"), Value::Int(2)}})},
      {"t", Value::Timestamp(1700000000, 500)},
      {"d", Value::Duration(3'600'000'000'000)},
      {"dy", Value::Int(3)},
      {"unk", Value::Unknown("unk")},
      {"ls", Value::List({Value::String("a"), Value::String("bc")})},
      {"ten", Value::List({Value::Int(0), Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4), Value::Int(5),
                           Value::Int(6), Value::Int(7), Value::Int(8), Value::Int(9)})},
  };
}

// Compiles `text`, runs it in both back ends and checks they agree; returns the native value.
std::string Both(const std::string& text) { return testing::ExpressionBothWays(text, kVariables, Bindings()); }

}  // namespace

TEST_CASE("arithmetic, comparisons and their errors agree") {
  CHECK(Both("x + 1") == "int 6");
  CHECK(Both("big + 1").find("error") == 0);
  CHECK(Both("x / y").find("error") == 0);
  CHECK(Both("x % y").find("error") == 0);
  CHECK(Both("-big - 2").find("error") == 0);
  for (const char* text : {"x < 10", "x <= 5", "x > 5", "x >= 6", "x == 5", "x != 5", "u > 3u", "f < 3.0",
                           "x == 5.0", "u == 7", "t < t + d", "t > t", "t >= t", "t <= t", "t - d < t",
                           "d < duration('1h')", "d >= duration('1h')", "d == duration('60m')", "b == true",
                           "b != b", "s < 'abd'", "s == 'abc'", "dy == 3", "dy < 4", "dy > x"}) {
    Both(text);
  }
  CHECK(Both("x < 10") == "bool true");
  CHECK(Both("t > t") == "bool false");
}

TEST_CASE("&& and || absorb errors and unknowns commutatively") {
  CHECK(Both("b && x / y == 1").find("error") == 0);
  CHECK(Both("x / y == 1 && false") == "bool false");
  CHECK(Both("false && x / y == 1") == "bool false");
  CHECK(Both("x / y == 1 || true") == "bool true");
  CHECK(Both("true || x / y == 1") == "bool true");
  CHECK(Both("unk && false") == "bool false");
  CHECK(Both("unk || true") == "bool true");
  CHECK(Both("unk && x / y == 1").find("unknown") == 0);
  CHECK(Both("x / y == 1 && unk").find("unknown") == 0);
  CHECK(Both("x / y == 1 || x % y == 1").find("division") != std::string::npos);
  CHECK(Both("b && x > 1 && s == 'abc' && d > duration('1s')") == "bool true");
  CHECK(Both("!b") == "bool false");
  CHECK(Both("!(x / y == 1)").find("error") == 0);
  CHECK(Both("!unk").find("unknown") == 0);
  CHECK(Both("b ? x : y") == "int 5");
  CHECK(Both("!b ? x : y") == "int 0");
  CHECK(Both("(x / y == 1) ? 1 : 2").find("error") == 0);
  CHECK(Both("unk ? 1 : 2").find("unknown") == 0);
}

TEST_CASE("comprehensions agree, errors included") {
  CHECK(Both("l.all(e, e > 0)") == "bool true");
  CHECK(Both("l.exists(e, e == 2)") == "bool true");
  CHECK(Both("l.exists_one(e, e > 1)") == "bool false");
  Both("l.map(e, e * 2)");
  Both("l.filter(e, e % 2 == 1)");
  Both("l.map(e, e > 1, e * 10)");
  Both("m.all(k, m[k] > 0)");
  Both("m.map(k, k + '!')");
  Both("m.filter(k, m[k] > 1)");
  CHECK(Both("l.all(e, 10 / (e - 2) > 0)") == "bool false");
  CHECK(Both("l.exists(e, 10 / (e - 1) > 100)").find("error") == 0);
  CHECK(Both("l.exists_one(e, 10 / (e - 3) > 0)").find("error") == 0);
  CHECK(Both("l.map(e, big + e)").find("error") == 0);
  Both("l.all(e, l.exists(g, g > e) || e == 3)");
  Both("ls.exists(e, e.startsWith('b'))");
  Both("ls.map(e, e.size())");
}

TEST_CASE("containers, selection, dispatch and strings agree") {
  for (const char* text : {"[x, y, 3]", "{'a': x, 'b': y}", "{'a': x, 'a': y}", "s + 'd'", "s.startsWith('a')",
                           "s.size()", "size(l)", "l[1]", "l[5]", "m['z']", "m['a']", "m.a", "has(m.a)", "has(m.z)",
                           "x in l", "9 in l", "s in ['abc', 'd']", "'a' in m", "dy + 1", "dy + 'a'", "string(x)",
                           "int('12')", "int('z')", "timestamp('2024-01-01T00:00:00Z') < t",
                           "duration('1s') + d", "s.matches('^a.c$')", "type(x) == int", "dy in l"}) {
    Both(text);
  }
  CHECK(Both("dy + 'a'").find("error") == 0);
  CHECK(Both("[x, y, 3]") == "list [5, 0, 3]");
}

TEST_CASE("the evaluation budget cuts both back ends at the same step") {
  const char* nested =
      "ten.map(a0, ten.map(a1, ten.map(a2, ten.map(a3, ten.map(a4, ten.map(a5, ten.map(a6, ten.map(a7, a7))))))))";
  std::string result = Both(nested);
  CHECK(result.find("evaluation budget of 10000000 steps exhausted") != std::string::npos);
  // The unit is iterations, not nodes: 111,110 iterations of a 200-node step are within the
  // 10,000,000 steps (counting nodes, they were not).
  std::string sum = "a4";
  for (int i = 0; i < 99; ++i) sum += " + a4";
  std::string wide = "ten.map(a0, ten.map(a1, ten.map(a2, ten.map(a3, ten.map(a4, " + sum + ")))))";
  CHECK(Both(wide).find("list") == 0);
  // Under || the budget error is absorbed by a later true, in both.
  Both(std::string("(") + nested + ").size() > 0 || true");
}
