// Lists that evaluation builds (comprehension results, literals, `+`), built in one block by both
// back ends: empty results, one kept element of a long range, results longer than a pooled
// block, nested lists, a list joined with itself, errors inside, two threads evaluating the
// same native code over shared elements; and map literals. The JIT's values must be the
// interpreter's.
#include <doctest/doctest.h>

#include <thread>

#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

const std::vector<plan::Variable> kVariables = {{"l", "list(int)"},     {"ls", "list(string)"},
                                                {"owned", "list(string)"}, {"ten", "list(int)"},
                                                {"nested", "list(list(int))"}, {"empty", "list(string)"}};

std::map<std::string, Value> Bindings() {
  std::string long_text(40, 'z');  // longer than any inline string: an owned, shared value
  std::vector<Value> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(Value::Int(i));
  return {
      {"l", Value::List({Value::Int(1), Value::Int(2), Value::Int(3)})},
      {"ls", Value::List({Value::String("sms"), Value::String("contacts")})},
      {"owned", Value::List({Value::String(long_text + "a"), Value::String(long_text + "b")})},
      {"ten", Value::List(std::move(ten))},
      {"nested", Value::List({Value::List({Value::Int(1)}), Value::List({}), Value::List({Value::Int(2), Value::Int(3)})})},
      {"empty", Value::List({})},
  };
}

std::string Both(const std::string& text) { return testing::ExpressionBothWays(text, kVariables, Bindings()); }

}  // namespace

TEST_CASE("comprehension results: none kept, one of many, more than a pooled block, nested") {
  CHECK(Both("empty.filter(e, e == 'a')") == "list []");
  CHECK(Both("ten.filter(e, e > 100)") == "list []");
  CHECK(Both("ten.filter(e, e == 3)") == "list [3]");
  CHECK(Both("ten.filter(e, e % 3 == 0)") == "list [0, 3, 6, 9]");
  CHECK(Both("ten.map(e, e * 2)") == "list [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]");
  CHECK(Both("ten.map(e, e > 6, e)") == "list [7, 8, 9]");
  CHECK(Both("l.map(e, [e, e + 1])") == "list [[1, 2], [2, 3], [3, 4]]");
  CHECK(Both("size(ten.map(e, ten)) + size(ten.map(e, ten)[9])") == "int 20");
  CHECK(Both("nested.map(e, e.filter(x, x > 1))") == "list [[], [], [2, 3]]");
  Both("owned.filter(e, e.endsWith('b'))");
  Both("owned.map(e, e + '!')");
}

TEST_CASE("errors inside a comprehension or a literal are the result") {
  CHECK(Both("l.map(e, 6 / (e - 2))").find("error") == 0);
  CHECK(Both("ten.filter(e, 6 / (e - 5) > 0)").find("error") == 0);
  CHECK(Both("[1, 2 / 0, 3]").find("error") == 0);
  CHECK(Both("[l, [1 / 0]]").find("error") == 0);
  CHECK(Both("size([l, ls.map(e, 1 / 0)])").find("error") == 0);
}

TEST_CASE("literals and concatenation: a list with itself, empty sides, map results joined") {
  CHECK(Both("l + l") == "list [1, 2, 3, 1, 2, 3]");
  CHECK(Both("[] + l") == "list [1, 2, 3]");
  CHECK(Both("l + []") == "list [1, 2, 3]");
  CHECK(Both("empty + empty") == "list []");
  CHECK(Both("[l, l] + [[4]]") == "list [[1, 2, 3], [1, 2, 3], [4]]");
  CHECK(Both("ls.map(e, e + '?') + ls.map(e, e + '!')") == R"(list ["sms?", "contacts?", "sms!", "contacts!"])");
  CHECK(Both("(ten + ten).filter(e, e > 7)") == "list [8, 9, 8, 9]");
  CHECK(Both("size(ten.map(e, e) + ten.map(e, e) + l)") == "int 23");
  Both("owned.map(e, e + '!') + owned");
  Both("[owned[0], owned[1], owned[0]]");
}

TEST_CASE("two threads evaluate the same native code over shared elements") {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::string text = "owned.map(e, e + '!') + owned.filter(e, e.endsWith('a')) + [owned[1]]";
  auto compiled = interp::CompileExpression(text, kVariables, {}, sources, diags);
  REQUIRE(compiled != nullptr);
  auto native = testing::NativeCode::ForExpression(*compiled);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  std::map<std::string, Value> bindings = Bindings();
  std::string expected = testing::Describe(interp::Evaluate(*compiled, bindings));
  std::vector<std::string> seen(2);
  auto work = [&](size_t slot) {
    for (int i = 0; i < 200; ++i) {
      std::string got = testing::Describe(interp::Evaluate(*compiled, bindings, &native->code));
      if (got != expected) seen[slot] = got;
    }
  };
  std::thread first(work, 0), second(work, 1);
  first.join();
  second.join();
  CHECK(seen[0].empty());
  CHECK(seen[1].empty());
  CHECK(expected.find("zzz") != std::string::npos);
}

TEST_CASE("map literals: shared maps of strings, repeated keys, errors, maps per element") {
  CHECK(Both("{'a': ls[0], 'b': ls[1]}") == R"(map {"a": "sms", "b": "contacts"})");
  CHECK(Both("ls.map(e, {'k': e, 'o': owned[0]}).map(m, m.k)") == R"(list ["sms", "contacts"])");
  CHECK(Both("[{'k': ls[0]}, {'k': ls[0]}][1].k") == R"(string "sms")");
  CHECK(Both("{ls[0]: 1, ls[0]: 2}").find("error") == 0);
  CHECK(Both("{'a': 1 / 0}").find("error") == 0);
  Both("{'a': ls[0], 'b': ls[1], 'c': owned[0], 'd': owned[1], 'e': 'x'}");
  Both("{}");
}
