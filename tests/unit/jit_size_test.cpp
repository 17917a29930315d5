// `size(list)` and `list.size()` in native code (codegen/call_emitter.cpp), which read a list's
// count from its rep and leave every other value to the overload, against the interpreter: empty,
// short and long lists, owned and literal, the other kinds a list-typed value can hold at run time
// (errors, unknowns, a string, a map), in a comprehension whose iterations alternate the two paths;
// and size of strings (code points, multi-byte text), bytes and maps, which stay the overload's.
#include <doctest/doctest.h>

#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

const std::vector<plan::Variable> kVariables = {
    {"l", "list(string)"}, {"ls", "list(list(string))"}, {"m", "map(string, int)"}, {"s", "string"}, {"b", "bytes"}};

Value Texts(size_t count) {
  std::vector<Value> elements;
  for (size_t i = 0; i < count; ++i) elements.push_back(i % 2 == 0 ? Value::String("家优" + std::to_string(i)) : Value::UnownedString("x"));
  return Value::List(std::move(elements));
}

// What a list-typed variable may hold: lists of 0, 1, 3 and 300 elements, and values of other kinds.
std::vector<Value> Lists() {
  return {Texts(0),
          Texts(1),
          Texts(3),
          Texts(300),
          Value::Unknown("l"),
          Value::Error(value::ErrorCode::kInvalidArgument, "bad l"),
          Value::UnownedString("abc"),
          Value::Map({{Value::UnownedString("k"), Value::Int(1)}})};
}

const char* const kExpressions[] = {"size(l)", "l.size()", "size(l) > 0 ? l[0] : ''", "size(l) + size(m)",
                                    "ls.map(x, size(x))", "ls.all(x, size(x) < 4)", "[size(s), size(b), size(m)]"};

}  // namespace

TEST_CASE("size agrees with the interpreter on lists of every length and on every other kind") {
  std::vector<std::map<std::string, Value>> all;
  std::vector<Value> lists = Lists();
  for (const Value& l : lists) {
    for (const char* text : {"", "abc", "家优商城", "a\xF0\x9F\x98\x80z"}) {
      all.push_back({{"l", l},
                     {"ls", Value::List(std::vector<Value>(lists))},
                     {"m", Value::Map({{Value::UnownedString("a"), Value::Int(1)}, {Value::String("b"), Value::Int(2)}})},
                     {"s", std::string_view(text).size() % 2 == 0 ? Value::String(text) : Value::UnownedString(text)},
                     {"b", Value::Bytes(text)}});
    }
  }
  for (const char* expression : kExpressions) testing::AgreeUnderAll(expression, kVariables, all, "l");
  std::map<std::string, Value> bindings = {
      {"l", Texts(300)}, {"ls", Value::List({Texts(2), Value::Unknown("e")})}, {"m", Value::Map({})},
      {"s", Value::String("家优商城")}, {"b", Value::Bytes("家优商城")}};
  CHECK(testing::ExpressionBothWays("size(l)", kVariables, bindings) == "int 300");
  CHECK(testing::ExpressionBothWays("l.size()", kVariables, bindings) == "int 300");
  CHECK(testing::ExpressionBothWays("[size(s), size(b), size(m)]", kVariables, bindings) == "list [4, 12, 0]");
  CHECK(testing::ExpressionBothWays("ls.map(x, size(x))", kVariables, bindings) == "unknown: e");
}
