// Lookups by a string in constant maps and lists by their key tables (codegen/const_table.h)
// against the interpreter: maps of 1, 2, 9 and 40 string keys (keys sharing lengths and prefixes,
// the empty key, UTF-8 keys, long and short keys), missing keys, keys of other kinds, errors and
// unknowns, owned and unowned strings, `m[k].field` over maps of maps with missing fields and
// values that are no maps, alone and as `k in m ? m[k].field : other` (one probe for both), `in`
// on constant lists; one native function from several threads.
#include <doctest/doctest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "compiler/codegen/emit.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

const std::vector<plan::Variable> kVariables = {{"s", "string"}, {"ds", "dyn"}};

// 40 keys: 20 of one length sharing a long prefix, 20 more of mixed lengths.
std::string FortyKeys() {
  std::string map = "{";
  for (int i = 0; i < 20; ++i) {
    map += "'android.permission.P" + std::string(1, static_cast<char>('A' + i)) + "X': " + std::to_string(i) + ", ";
  }
  for (int i = 0; i < 20; ++i) map += "'k" + std::string(static_cast<size_t>(i), 'x') + "': " + std::to_string(20 + i) + ", ";
  return map + "'': 40}";
}

const std::string kNine = "{'': 0, 'a': 1, 'b': 2, 'ab': 3, 'ba': 4, 'abc': 5, 'abd': 6, '家优': 7, '家优商城': 8}";
const std::string kTable =
    "{'x': {'name': 'X', 'group': 'gx'}, 'y': {'name': 'Y'}, 'z': 3, 'abcdefgh': {'group': ''}, "
    "'家优商城': {'group': '家'}, '': {'group': 'empty', 'other': 1}}";

// Each expression with whether its code must use a key table: `in` a container of fewer than
// eight string keys keeps the helper's scan.
std::vector<std::pair<std::string, bool>> Expressions() {
  std::string forty = FortyKeys();
  std::string list = "['a', 'ab', '家优', '', 'android.permission.PAX', 'a', 'abc', 'abd', 'kxxxxxxxx', 'x']";
  std::vector<std::pair<std::string, bool>> out;
  for (const std::string& map : {std::string("{'a': 1}"), std::string("{'ab': 1, 'ac': 2}"), kNine, forty}) {
    bool large = map.size() > 40;
    for (const char* key : {"s", "ds"}) {
      out.emplace_back(map + "[" + key + "]", true);
      out.emplace_back(std::string(key) + " in " + map, large);
      out.emplace_back("!(" + std::string(key) + " in " + map + ")", large);
      out.emplace_back(std::string(key) + " in " + map + " ? " + map + "[" + key + "] : -1", true);
    }
  }
  for (const char* key : {"s", "ds"}) {
    out.emplace_back(kTable + "[" + key + "].group", true);
    out.emplace_back(kTable + "[" + key + "].name", true);
    out.emplace_back(kTable + "[" + key + "].nope", true);
    out.emplace_back("has(" + kTable + "[" + key + "].group)", true);
    // The test's probe serves the select: fields found, missing, of values that are no maps.
    out.emplace_back(std::string(key) + " in " + kTable + " ? " + kTable + "[" + key + "].group : 'none'", true);
    out.emplace_back(std::string(key) + " in " + kTable + " ? " + kTable + "[" + key + "].name : " + key, true);
    out.emplace_back(kTable + "[" + key + "]", true);
    out.emplace_back(std::string(key) + " in " + list, true);
    out.emplace_back(std::string(key) + " in ['abcdefgh', 'ab']", false);
  }
  out.emplace_back("{'a': 1, 'b': 2}['b'] + {'a': 1, 'b': 2}[s]", true);
  out.emplace_back("[s, 'x'].map(e, e in " + list + " ? {'x': 1, 'ab': 2}[e] : 0)", true);
  return out;
}

const char* const kTexts[] = {"", "a", "b", "c", "ab", "ac", "ba", "abc", "abd", "abe", "家优", "家优商城", "家优商",
                              "x", "y", "z", "abcdefgh", "abcdefgi", "android.permission.PAX", "android.permission.PTX",
                              "android.permission.PAY", "android.permission.PA", "kxxxxxxxx", "kxxxxxxxxxxxxxxxxxxx",
                              "kxxxxxxxxxxxxxxxxxxxx", "k", "kx"};

std::vector<std::map<std::string, Value>> AllBindings() {
  std::vector<std::map<std::string, Value>> all;
  for (const char* text : kTexts) {
    for (bool owned : {false, true}) {
      Value s = owned ? Value::String(text) : Value::UnownedString(text);
      all.push_back({{"s", s}, {"ds", s}});
    }
  }
  for (Value odd : {Value::Int(3), Value::Null(), Value::Double(1.0), Value::Bool(true), Value::Unknown("ds"),
                    Value::Error(value::ErrorCode::kInvalidArgument, "bad ds")}) {
    all.push_back({{"s", Value::UnownedString("a")}, {"ds", odd}});
  }
  all.push_back({{"s", Value::Unknown("s")}, {"ds", Value::Null()}});
  all.push_back({{"s", Value::Error(value::ErrorCode::kInvalidArgument, "bad s")}, {"ds", Value::Null()}});
  return all;
}

std::unique_ptr<plan::CompiledExpression> Compile(const std::string& expression) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  return interp::CompileExpression(expression, kVariables, {}, sources, diags);
}

// Whether the code looks the constant up by its key table (not through the overload's hashing).
bool UsesKeyTable(const plan::CompiledExpression& compiled) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitExpression(compiled, context);
  for (const llvm::GlobalVariable& global : emitted.module->globals()) {
    if (global.getName().starts_with("edict.const_keys")) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("lookups in constant maps and lists agree with the interpreter") {
  std::vector<std::map<std::string, Value>> all = AllBindings();
  for (const auto& [expression, table] : Expressions()) {
    auto compiled = Compile(expression);
    REQUIRE_MESSAGE(compiled != nullptr, expression);
    CHECK_MESSAGE(UsesKeyTable(*compiled) == table, expression);
    auto native = testing::NativeCode::ForExpression(*compiled);
    REQUIRE_MESSAGE(native->error.empty(), native->error);
    testing::AgreeUnderBindings(*compiled, *native, expression, all, "ds");
  }
}

TEST_CASE("constant lookups answer found values, missing keys and missing fields as the overloads do") {
  std::map<std::string, Value> bindings = {{"s", Value::UnownedString("家优")}, {"ds", Value::UnownedString("y")}};
  CHECK(testing::ExpressionBothWays(kNine + "[s]", kVariables, bindings) == "int 7");
  CHECK(testing::ExpressionBothWays(kNine + "['']", kVariables, bindings) == "int 0");
  CHECK(testing::ExpressionBothWays(FortyKeys() + "['android.permission.PTX']", kVariables, bindings) == "int 19");
  CHECK(testing::ExpressionBothWays(FortyKeys() + "['']", kVariables, bindings) == "int 40");
  CHECK(testing::ExpressionBothWays("s in " + kNine, kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays(kTable + "['家优商城'].group", kVariables, bindings) == "string \"家\"");
  std::string guarded = "ds in " + kTable + " ? " + kTable + "[ds].name : 'none'";
  CHECK(testing::ExpressionBothWays(guarded, kVariables, bindings) == "string \"Y\"");
  CHECK(testing::ExpressionBothWays("s in " + kTable + " ? " + kTable + "[s].name : 'none'", kVariables, bindings) ==
        "string \"none\"");
  std::string missing = testing::ExpressionBothWays("{'a': 1, 'b': 2}[ds]", kVariables, bindings);
  CHECK(missing.find("no such key") != std::string::npos);
  std::string field = testing::ExpressionBothWays(kTable + "[ds].group", kVariables, bindings);
  CHECK(field.find("no such key: group") != std::string::npos);
  bindings["ds"] = Value::UnownedString("z");
  CHECK(testing::ExpressionBothWays(kTable + "[ds].group", kVariables, bindings).find("has no fields") != std::string::npos);
  bindings["ds"] = Value::Int(1);
  CHECK(testing::ExpressionBothWays("ds in ['a', 'b']", kVariables, bindings) == "bool false");
}

TEST_CASE("one native constant lookup serves many bindings from several threads") {
  auto compiled = Compile("[s in " + kNine + ", s in " + FortyKeys() + " ? " + FortyKeys() + "[s] : -1, " + kTable +
                          "[s].group, s in ['ab', 'abc', '家优商城', 'a', 'b', 'c', 'd', 'e', 'f']]");
  REQUIRE(compiled != nullptr);
  auto native = testing::NativeCode::ForExpression(*compiled);
  REQUIRE(native->error.empty());
  testing::AgreeOnThreads(*compiled, *native, 300, [](int round, size_t t) {
    const char* text = kTexts[(round + t) % std::size(kTexts)];
    Value s = round % 2 == 1 ? Value::String(text) : Value::UnownedString(text);
    return std::map<std::string, Value>{{"s", s}, {"ds", Value::Null()}};
  });
}
