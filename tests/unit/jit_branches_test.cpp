// Conjuncts emitted as tests (ExprEmitter::EmitBranch): the inline paths of compares, presence
// tests, `!`, `&&`, `||` and conditionals branch on what they computed, and only the helpers' slow
// paths and errors leave a value to test. Against the driver: the same findings, rule errors and
// steps over seeded sessions and at every budget; and the pass loop has such branches.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/IR/Module.h>

#include "compiler/codegen/emit.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;
using value::Value;

namespace {

// A caller: absent, of each party, with or without a class or an SDK.
std::string Caller(uint32_t pick) {
  switch (pick % 7) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"system","cls":"a.A"})";
    case 2: return R"(,"caller":{"party":"third"})";
    case 3: return R"(,"caller":{"cls":"a.A","party":"first"})";
    case 4: return R"(,"caller":{"cls":"com.sdk.X","party":"third","sdk":"x"})";
    case 5: return R"(,"caller":{"party":"unknown"})";
    default: return R"(,"caller":{"cls":"b.B","party":"first"})";
  }
}

const char* const kTypes[] = {"loc.precise", "id.imei", "sms", "contacts"};

// API calls, and permission requests with their optional bools absent, true or false in turn.
std::string Session(const std::string& id, uint32_t seed, int records) {
  std::string text = testing::ApiCallSession(id, seed, records, Caller, kTypes, 6);
  const std::string perms = R"("perms":["android.permission.CAMERA"])";
  const char* const bools[] = {"", R"(,"rationale_shown":true,"user_triggered":false)",
                               R"(,"rationale_shown":false,"user_triggered":true)", R"(,"rationale_shown":false)"};
  size_t turn = 0;
  for (size_t at = text.find(perms); at != std::string::npos; at = text.find(perms, at + perms.size())) {
    text.insert(at + perms.size(), bools[turn++ % 4]);
  }
  return text;
}

// How many blocks of the plan's pass functions have a name that starts with `prefix`.
int BlocksOfPassesNamed(const testing::NativeFixture& fixture, std::string_view prefix) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(fixture.plan(), context);
  int named = 0;
  for (const auto& [pass, symbol] : emitted.passes) {
    for (const llvm::BasicBlock& block : *emitted.module->getFunction(symbol)) {
      named += block.getName().starts_with(prefix);
    }
  }
  return named;
}

testing::NativeFixture Compile() { return testing::CompileNative("tests/plan/native_branches"); }

Value Bad(const char* what) { return Value::Error(value::ErrorCode::kInvalidArgument, what); }

}  // namespace

TEST_CASE("conjuncts emitted as tests give the driver's findings and rule errors") {
  testing::NativeFixture fixture = Compile();
  testing::Reached reached =
      testing::CheckSameAsInterpreter(fixture, testing::FiveSeededSessions(fixture.plan(), Session));
  // Absent callers, classes and bools make several rules' conjuncts errors; every rule finds something.
  CHECK(reached.errors >= 4);
  CHECK(reached.findings >= 8);
}

TEST_CASE("a budget running out anywhere in the tests stops both engines alike") {
  testing::NativeFixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), Session("budget", 4, 40));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("the pass loop's && and || branch on their operands without storing them") {
  testing::NativeFixture fixture = Compile();
  // logic.bool is where a value-producing && or || tests an operand it stored; not.other is
  // where a test under ! that was no bool goes to the helper.
  CHECK(BlocksOfPassesNamed(fixture, "logic.bool") == 0);
  CHECK(BlocksOfPassesNamed(fixture, "logic.absorb") >= 4);
  CHECK(BlocksOfPassesNamed(fixture, "not.other") >= 3);
}

TEST_CASE("text compares and lists in the pass loop branch on their bytes, and only an absorbed operand starts an accumulator") {
  testing::NativeFixture fixture = Compile();
  // text.store and in.store are where a compare or a list that produces a value joins its outcomes.
  CHECK(BlocksOfPassesNamed(fixture, "text.bytes") >= 4);
  CHECK(BlocksOfPassesNamed(fixture, "text.store") == 0);
  CHECK(BlocksOfPassesNamed(fixture, "in.bytes") >= 4);
  CHECK(BlocksOfPassesNamed(fixture, "in.store") == 0);
  CHECK(BlocksOfPassesNamed(fixture, "logic.start") >= 2);
  CHECK(BlocksOfPassesNamed(fixture, "logic.absorbed") >= 4);
}

TEST_CASE("text compares, lists and absorbed operands as conditions agree with the interpreter") {
  const std::vector<plan::Variable> variables = {{"s", "string"}, {"b", "bool"}, {"c", "bool"}};
  const Value error = Bad("bad");
  std::vector<std::map<std::string, Value>> all;
  for (const Value& s : {Value::UnownedString("abc"), Value::UnownedString("ab"), Value::UnownedString("xabc"),
                         Value::String("abc"), Value::UnownedString(""), error, Value::Unknown("s")}) {
    for (const Value& b : {Value::Bool(true), Value::Bool(false), error, Value::Unknown("b")}) {
      for (const Value& c : {Value::Bool(false), error, Value::Unknown("c")}) {
        all.push_back({{"s", s}, {"b", b}, {"c", c}});
      }
    }
  }
  for (const char* expression :
       {"s == 'abc' ? 1 : 2", "s != 'abc' ? 1 : 2", "s.startsWith('ab') ? 1 : 2", "s.endsWith('bc') ? 1 : 2",
        "s in ['ab', 'xabc', 'q'] ? 1 : 2", "!(s in ['abc']) ? 1 : 2", "(b || c || s == 'ab') ? 1 : 2",
        "(b && c && s != 'ab') ? 1 : 2", "(c || b) ? 1 : 2", "!(b && (c || s.endsWith('c'))) ? 1 : 2",
        "[s].exists(t, t == 'ab' || b)", "[s, 'ab'].all(t, t in ['ab', 'abc'] && c)"}) {
    testing::AgreeUnderAll(expression, variables, all, "s");
  }
  std::map<std::string, Value> bindings = {{"s", Value::UnownedString("ab")}, {"b", error}, {"c", Value::Unknown("c")}};
  CHECK(testing::ExpressionBothWays("(b || c || s == 'ab') ? 1 : 2", variables, bindings) == "int 1");
  CHECK(testing::ExpressionBothWays("(b || c || s == 'x') ? 1 : 2", variables, bindings).starts_with("unknown"));
  CHECK(testing::ExpressionBothWays("(b && s == 'ab') ? 1 : 2", variables, bindings).starts_with("error"));
}

TEST_CASE("conditions of conditionals agree with the interpreter on bools, errors and unknowns") {
  const std::vector<plan::Variable> variables = {{"a", "int"}, {"b", "bool"}, {"s", "string"}};
  const Value error = Bad("bad");
  std::vector<std::map<std::string, Value>> all;
  for (const Value& a : {Value::Int(0), Value::Int(3), error, Value::Unknown("a")}) {
    for (const Value& b : {Value::Bool(true), Value::Bool(false), error, Value::Unknown("b")}) {
      for (const Value& s : {Value::UnownedString("abc"), Value::String("x"), error}) {
        all.push_back({{"a", a}, {"b", b}, {"s", s}});
      }
    }
  }
  for (const char* expression :
       {"(a > 1 ? s : 'x') == 'abc'", "!(a > 1 && b) ? 1 : 2", "(s.startsWith('a') || b) ? a : -1",
        "((b ? a : 0) > 1) ? 'y' : 'n'", "!b ? a : 0", "!(s == 'x' || !(a < 2)) ? s : 'n'"}) {
    testing::AgreeUnderAll(expression, variables, all, "a");
  }
  std::map<std::string, Value> bindings = {{"a", Value::Int(3)}, {"b", error}, {"s", Value::String("abc")}};
  CHECK(testing::ExpressionBothWays("(s.startsWith('a') || b) ? a : -1", variables, bindings) == "int 3");
  CHECK(testing::ExpressionBothWays("!(a > 1 && b) ? 1 : 2", variables, bindings).starts_with("error"));
  CHECK(testing::ExpressionBothWays("((b ? a : 0) > 1) ? 'y' : 'n'", variables, bindings).starts_with("error"));
}

TEST_CASE("steps of all, exists, filter and map emitted as tests agree with the interpreter") {
  const std::vector<plan::Variable> variables = {{"l", "list(int)"}, {"s", "list(string)"}, {"u", "int"}};
  auto ints = [](std::initializer_list<int64_t> values) {
    std::vector<Value> elements;
    for (int64_t v : values) elements.push_back(Value::Int(v));
    return Value::List(std::move(elements));
  };
  std::vector<std::map<std::string, Value>> all;
  for (const Value& l : {ints({}), ints({1, 2, 3}), ints({0, 2}), ints({3, 0, 4})}) {
    for (const Value& s : {Value::List({}), Value::List({Value::String("a"), Value::UnownedString("b")}),
                           Value::List({Value::UnownedString("ba"), Value::String("b")})}) {
      for (const Value& u : {Value::Int(1), Value::Unknown("u"), Bad("u")}) {
        all.push_back({{"l", l}, {"s", s}, {"u", u}});
      }
    }
  }
  for (const char* expression :
       {"l.all(x, x > 1)", "l.exists(x, x == 3)", "l.exists(x, 10 / x > 4)", "l.all(x, 6 / x < 7 && x != u)",
        "l.filter(x, x % 2 == 0 || x > u)", "l.map(x, x > 1, x * 2)", "s.exists(w, w.startsWith('a'))",
        "s.filter(w, !(w == 'b'))", "s.all(w, w != 'b' || u > 0)"}) {
    testing::AgreeUnderAll(expression, variables, all, "l");
  }
  std::map<std::string, Value> bindings = {
      {"l", ints({3, 0, 4})}, {"s", Value::List({Value::String("ba")})}, {"u", Value::Int(1)}};
  CHECK(testing::ExpressionBothWays("l.exists(x, 10 / x > 2)", variables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("l.exists(x, 10 / x > 4)", variables, bindings).starts_with("error"));
  CHECK(testing::ExpressionBothWays("l.all(x, 10 / x > 4)", variables, bindings) == "bool false");
  CHECK(testing::ExpressionBothWays("l.filter(x, x % 2 == 0 || x > u)", variables, bindings) == "list [3, 0, 4]");
  CHECK(testing::ExpressionBothWays("l.all(x, 6 / x < 7)", variables, bindings).starts_with("error"));
}
