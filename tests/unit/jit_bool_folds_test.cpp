// all and exists in native code keep their result in a slot, with no interp::FoldState: a
// deciding bool ends the loop, any other step is absorbed as `&&`/`||` absorb it; list ranges and
// list columns are read inline; a set filter the bitmap decides builds its list directly. Against
// the interpreter: values, errors and unknowns before and after the deciding element, non-bool
// steps, lists and maps, absent lists, nested folds, and every budget; and the emitted code makes
// none of the calls it no longer needs.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include "compiler/codegen/emit.h"
#include "runtime/value/containers.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;
using value::Value;

namespace {

// The stack of a call: absent, empty, or frames whose optional line and file are there or not.
std::string Stack(uint32_t pick) {
  switch (pick % 6) {
    case 0: return "";
    case 1: return R"(,"stack":[])";
    case 2: return R"(,"stack":[{"cls":"a.A","mth":"m","line":3}])";
    case 3: return R"(,"stack":[{"cls":"com.sdk.X","mth":"m"},{"cls":"a.A","mth":"m","line":1,"file":"A.java"}])";
    case 4:
      return R"(,"stack":[{"cls":"b.B","mth":"m","line":2},{"cls":"a.A","mth":"m","line":5},)"
             R"({"cls":"c.C","mth":"n","line":4,"file":"C.java"}])";
    default: return R"(,"stack":[{"cls":"a.A","mth":"m","line":4,"file":"A.java"},{"cls":"com.sdk.Y","mth":"m","line":3}])";
  }
}

const char* const kTypes[] = {"loc.precise", "sms", "contacts", "id.imei"};

std::string Session(const std::string& id, uint32_t seed, int records) {
  return testing::ApiCallSession(id, seed, records, Stack, kTypes);
}

testing::NativeFixture Compile() { return testing::CompileNative("tests/plan/native_folds"); }

using Entries = std::vector<std::pair<Value, Value>>;

Value Bad(const char* what) { return Value::Error(value::ErrorCode::kInvalidArgument, what); }

Value Ints(std::initializer_list<int64_t> values) {
  std::vector<Value> elements;
  for (int64_t v : values) elements.push_back(Value::Int(v));
  return Value::List(std::move(elements));
}

// Calls of `helper` in the plan's functions, and how many of them are in blocks named `prefix`.
struct Calls {
  int all = 0;
  int in_blocks = 0;
};

Calls PlanCalls(const testing::NativeFixture& fixture, llvm::StringRef helper, llvm::StringRef prefix) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(fixture.plan(), context);
  Calls calls;
  for (const llvm::Function& function : *emitted.module) {
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        const llvm::Function* callee = call == nullptr ? nullptr : call->getCalledFunction();
        if (callee == nullptr || callee->getName() != helper) continue;
        ++calls.all;
        calls.in_blocks += block.getName().starts_with(prefix);
      }
    }
  }
  return calls;
}

}  // namespace

TEST_CASE("all and exists over list columns and values give the interpreter's findings and errors") {
  testing::NativeFixture fixture = Compile();
  testing::Reached reached =
      testing::CheckSameAsInterpreter(fixture, testing::FiveSeededSessions(fixture.plan(), Session));
  CHECK(reached.findings >= 40);
  // Calls without a stack make the filter of fold-filter an error.
  CHECK(reached.errors >= 1);
}

TEST_CASE("a budget running out inside all and exists stops both engines alike") {
  testing::NativeFixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), Session("budget", 3, 30));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("a budget running out inside a set filter the bitmap decides stops both engines alike") {
  testing::NativeFixture fixture = testing::CompileNative("tests/plan/list_folds");
  std::string text = testing::ReadFile("tests/plan/list_folds/sessions.jsonl");
  auto loaded = testing::LoadInPlace(fixture.plan(), text.substr(0, text.find("\n{\"type\":\"header\"") + 1));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("a list column's elements are read inline: only an absent list calls the helper") {
  testing::NativeFixture fixture = Compile();
  Calls begins = PlanCalls(fixture, "edict_rt_fold_column_begin", "foldcol.absent");
  CHECK(begins.all >= 4);
  CHECK(begins.in_blocks == begins.all);
}

TEST_CASE("all and exists agree with the interpreter on errors and unknowns before and after the deciding element") {
  const std::vector<plan::Variable> variables = {
      {"l", "list(int)"}, {"d", "list(dyn)"}, {"m", "map(string, int)"}, {"u", "int"}, {"r", "dyn"}};
  const Value error = Bad("bad");
  const Value map = value::MakeMap(Entries{{Value::String("a"), Value::Int(1)}, {Value::String("b"), Value::Int(0)}});
  std::vector<std::map<std::string, Value>> all;
  for (const Value& l : {Ints({}), Ints({1, 2, 3}), Ints({0, 2}), Ints({3, 0, 4}), Ints({2, 2})}) {
    for (const Value& d : {Value::List({}), Value::List({Value::Int(1), Value::String("a"), Value::Bool(true)}),
                           Value::List({error, Value::Bool(false), Value::Unknown("e")}),
                           Value::List({Value::Unknown("e"), Value::Bool(true), error})}) {
      for (const Value& u : {Value::Int(1), Value::Unknown("u"), error}) {
        all.push_back({{"l", l}, {"d", d}, {"m", map}, {"u", u}, {"r", l}});
      }
    }
  }
  for (const char* expression :
       {"l.exists(x, 6 / x > 2)", "l.all(x, 6 / x > 2)", "l.exists(x, x == u)", "l.all(x, x != u)",
        "l.exists(x, x > 2 || x == u)", "l.all(x, x < 3 && x != u)", "d.exists(x, x)", "d.all(x, x)",
        "d.exists(x, x == true)", "m.exists(k, 6 / m[k] > 5)", "m.all(k, 6 / m[k] > 5)", "m.exists(k, v, v == u)",
        "l.exists(i, x, i == 1 && 6 / x > 1)", "l.all(x, d.exists(y, y == x || 6 / x > 1))",
        "d.exists(y, l.all(x, 6 / x > 1 && y))", "r.exists(x, x == 2)", "r.all(x, x == 2)"}) {
    testing::AgreeUnderAll(expression, variables, all, "l");
  }
  std::map<std::string, Value> bindings = {{"l", Ints({3, 0, 4})},
                                           {"d", Value::List({error, Value::Bool(true)})},
                                           {"m", value::MakeMap(Entries{})},
                                           {"u", Value::Unknown("u")},
                                           {"r", Value::Int(2)}};
  CHECK(testing::ExpressionBothWays("l.exists(x, 6 / x > 1)", variables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("l.exists(x, 6 / x > 3)", variables, bindings).starts_with("error"));
  CHECK(testing::ExpressionBothWays("l.all(x, x == u)", variables, bindings).starts_with("unknown"));
  CHECK(testing::ExpressionBothWays("d.exists(x, x)", variables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("d.all(x, x)", variables, bindings).starts_with("error"));
  CHECK(testing::ExpressionBothWays("m.all(k, false)", variables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("r.exists(x, x == 2)", variables, bindings).starts_with("error"));
}

TEST_CASE("all and exists emit no accumulator object, and a list range's size is read inline") {
  const std::vector<plan::Variable> variables = {{"l", "list(int)"}, {"m", "map(string, int)"}};
  auto calls = [&](const char* expression, const char* helper) {
    return testing::HelperCalls(expression, variables, helper);
  };
  CHECK(calls("l.exists(x, x > 1) || l.all(x, x < 5)", "edict_rt_fold_init") == 0);
  CHECK(calls("l.exists(x, x > 1) || l.all(x, x < 5)", "edict_rt_fold_end") == 0);
  CHECK(calls("l.map(x, x + 1).exists(y, y > 2)", "edict_rt_fold_init") == 1);
  // Only a map (or a value that is no list) asks the helper for its size.
  CHECK(calls("l.exists(x, x > 1) || m.exists(k, k == 'a')", "edict_rt_fold_count") == 2);
  CHECK(calls("l.exists(x, x > 1) || m.exists(k, k == 'a')", "edict_rt_fold_elements") == 0);
}
