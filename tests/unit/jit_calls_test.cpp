// Calls the code generator specialises (codegen/call_emitter.cpp) against the interpreter: a
// string compared with a string constant inline (==, !=, startsWith, endsWith), lookups by a
// string in maps and lists through lean helpers, on every shape the generic call handles too:
// owned and unowned strings, empty and non-ASCII texts, words of every width, missing keys,
// indexed and small maps, lists with duplicates and other kinds, constant lists of a few texts
// compared inline, dyn operands of another kind, errors and unknowns; and the same native code run
// with many bindings from several threads.
#include <doctest/doctest.h>

#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

const std::vector<plan::Variable> kVariables = {
    {"s", "string"}, {"ds", "dyn"}, {"m", "map(string, string)"}, {"big", "map(string, int)"},
    {"l", "list(string)"}, {"dl", "dyn"}, {"dm", "dyn"},
};

constexpr const char* kTexts[] = {"", "a", "ab", "abc", "abcd", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop",
                                  "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdefg",
                                  "家优商城", "party", "first", "zabc", "abz"};

// Bindings with `s` as the text given, owned or kept by reference as the store's strings are.
std::map<std::string, Value> Bindings(const char* text, bool owned, Value ds) {
  std::vector<std::pair<Value, Value>> big;
  for (int i = 0; i < 12; ++i) big.emplace_back(Value::String("key" + std::to_string(i)), Value::Int(i));
  big.emplace_back(Value::UnownedString("abc"), Value::Int(99));
  return {
      {"s", owned ? Value::String(text) : Value::UnownedString(text)},
      {"ds", std::move(ds)},
      {"m", Value::Map({{Value::UnownedString("party"), Value::UnownedString("first")},
                        {Value::String("sdk"), Value::String("umeng")},
                        {Value::UnownedString(""), Value::UnownedString("empty")}})},
      {"big", Value::Map(std::move(big))},
      {"l", Value::List({Value::UnownedString("ok"), Value::String("abc"), Value::UnownedString("ok"),
                         Value::UnownedString("家优商城")})},
      {"dl", Value::List({Value::Int(1), Value::UnownedString("abc"), Value::Double(2.0)})},
      {"dm", Value::Map({{Value::Int(1), Value::UnownedString("one")}, {Value::UnownedString("abc"), Value::Int(2)}})},
  };
}

const char* const kExpressions[] = {
    "s == ''", "s == 'a'", "s == 'ab'", "s == 'abc'", "'abc' == s", "s != 'abc'", "s == 'abcd'", "s == 'abcdefg'",
    "s == 'abcdefgh'", "s == 'abcdefghi'", "s == 'abcdefghijklmnop'", "s == '0123456789abcdef0123456789abcdef'",
    "s == '0123456789abcdef0123456789abcdefg'", "s == '家优商城'", "s != '家优商城'", "s.startsWith('')",
    "s.startsWith('a')", "s.startsWith('ab')", "s.startsWith('abcdefghi')", "s.startsWith('家优')", "s.endsWith('')",
    "s.endsWith('c')", "s.endsWith('bc')", "s.endsWith('商城')", "s.endsWith('abcdefghijklmnop')",
    "s.endsWith('0123456789abcdef0123456789abcdef')", "ds == 'abc'", "'abc' != ds", "m['party']", "m['nope']",
    "m[s]", "'sdk' in m", "'' in m", "s in m", "big[s]", "s in big", "big['key11']", "'key3' in big", "s in l",
    "s in ['ok', 'unknown', 'ok']", "s in []", "ds in l", "ds in m", "m[ds]", "ds in dl", "s in dl", "s in dm",
    "dm[s]", "dm[ds]", "ds in ['abc', 'x']", "s in {}", "{'abc': 1}[s]", "(s + 'x') == 'abcx'", "(s + 'x').startsWith('ab')",
    "[s, 'x'].exists(e, e == 'abc')", "['a', 'abc', ''].filter(e, s.startsWith(e))",
    // Inline `in` a few short texts: every word width, the empty text, duplicates, the longest text
    // compared inline and one longer, seven texts; a non-text element and eight texts keep the call.
    "s in ['']", "s in ['a', 'ab', 'abc']", "s in ['abcd', 'abcdefg', 'abcdefgh', 'abcdefghi']",
    "s in ['家优商城', 'abz', 'zabc', '家优商城']", "s in ['0123456789abcdef0123456789abcdef']",
    "s in ['0123456789abcdef0123456789abcdefg', 'abc']", "s in ['a', 'b', 'c', 'ab', 'abc', 'party', 'first']",
    "s in ['a', 'b', 'c', 'ab', 'abc', 'party', 'first', '']", "s in ['abc', 1]", "ds in ['']", "!(s in ['abc'])",
    // Maps by a string: 7 and 8 entries (scanned, hashed), keys of other kinds before a text key.
    "{'k1': 1, 'k2': 2, 'k3': 3, 'k4': 4, 'k5': 5, 'k6': 6, 'abc': 7}[s]",
    "s in {'k1': 1, 'k2': 2, 'k3': 3, 'k4': 4, 'k5': 5, 'k6': 6, 'k7': 7, 'abc': 8}", "m[s + '']", "(s + '') in dm",
};

}  // namespace

TEST_CASE("calls with a string operand agree with the interpreter on every shape") {
  std::vector<std::map<std::string, Value>> all;
  for (const char* text : kTexts) {
    for (bool owned : {false, true}) {
      for (Value ds : {Value::Int(3), Value::UnownedString(text), Value::String("abc"), Value::Null()}) {
        all.push_back(Bindings(text, owned, ds));
      }
    }
  }
  for (const char* expression : kExpressions) testing::AgreeUnderAll(expression, kVariables, all, "s");
  std::map<std::string, Value> bindings = Bindings("abc", false, Value::UnownedString("abc"));
  CHECK(testing::ExpressionBothWays("s == 'abc'", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("s.endsWith('bc')", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("s.startsWith('abcd')", kVariables, bindings) == "bool false");
  CHECK(testing::ExpressionBothWays("s in l", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("big[s]", kVariables, bindings) == "int 99");
  CHECK(testing::ExpressionBothWays("m['nope']", kVariables, bindings).find("no such key") != std::string::npos);
}

TEST_CASE("`in` a few short texts is compared inline, longer or other lists call the helper") {
  auto helper_calls = [](const char* expression) { return testing::HelperCalls(expression, kVariables, "edict_rt_in_list"); };
  CHECK(helper_calls("s in ['ok', 'unknown']") == 0);
  CHECK(helper_calls("s in []") == 0);
  CHECK(helper_calls("s in ['a', 'b', 'c', 'd', 'e', 'f', 'g']") == 0);
  CHECK(helper_calls("s in ['0123456789abcdef0123456789abcdefg']") == 1);
  CHECK(helper_calls("s in ['abc', 1]") == 1);
  CHECK(helper_calls("s in l") == 1);
  std::map<std::string, Value> bindings = Bindings("abc", true, Value::UnownedString(""));
  CHECK(testing::ExpressionBothWays("s in ['a', 'abc']", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("ds in ['a', '']", kVariables, bindings) == "bool true");
  CHECK(testing::ExpressionBothWays("s in ['ab', 'abcd']", kVariables, bindings) == "bool false");
}

TEST_CASE("errors and unknowns pass through the specialised calls as through the overloads") {
  std::vector<std::map<std::string, Value>> all;
  for (Value odd : {Value::Unknown("s"), Value::Error(value::ErrorCode::kInvalidArgument, "bad s")}) {
    for (const char* name : {"s", "ds", "m", "l", "dl"}) {
      std::map<std::string, Value> bindings = Bindings("abc", false, Value::Int(1));
      bindings[name] = odd;
      all.push_back(std::move(bindings));
    }
  }
  for (const char* expression : kExpressions) testing::AgreeUnderAll(expression, kVariables, all, "s");
}

TEST_CASE("one native function serves many bindings from several threads") {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = interp::CompileExpression(
      "[s == 'abc', s.startsWith('ab'), s.endsWith('家优商城'), s in l, s in big, m['party'] == 'first', s in m]",
      kVariables, {}, sources, diags);
  REQUIRE(compiled != nullptr);
  auto native = testing::NativeCode::ForExpression(*compiled);
  REQUIRE(native->error.empty());
  testing::AgreeOnThreads(*compiled, *native, 200, [](int round, size_t t) {
    return Bindings(kTexts[(round + t) % std::size(kTexts)], round % 2 == 1, Value::Null());
  });
}
