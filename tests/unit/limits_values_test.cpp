// The size limits of values built at run time: `+` on strings, bytes and lists stops at
// kMaxStringBytes / kMaxListSize with an error value, so doubling a value in nested comprehensions
// ends with an error rather than exhausting memory (a fuzzer-found out-of-memory).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "runtime/interp/interp.h"
#include "runtime/value/limits.h"
#include "tests/unit/limits_pack.h"

using namespace edict;
using testing::Repeat;
using value::kMaxListSize;
using value::kMaxStringBytes;
using value::Value;

namespace {

Value Evaluate(const std::string& text, const std::vector<plan::Variable>& variables = {},
               const std::map<std::string, Value>& bindings = {}) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = interp::CompileExpression(text, variables, {}, sources, diags);
  REQUIRE(compiled != nullptr);
  return interp::Evaluate(*compiled, bindings);
}

Value Ints(size_t count) { return Value::List(std::vector<Value>(count, Value::Int(1))); }

const std::string kStringTooLong = "string longer than the limit of " + std::to_string(kMaxStringBytes) + " bytes";
const std::string kBytesTooLong = "bytes value longer than the limit of " + std::to_string(kMaxStringBytes) + " bytes";
const std::string kListTooLong = "list longer than the limit of " + std::to_string(kMaxListSize) + " elements";

}  // namespace

TEST_CASE("`+` builds strings and bytes up to kMaxStringBytes, then returns an error") {
  std::string half(kMaxStringBytes / 2, 'a');
  std::vector<plan::Variable> strings = {{"s", "string"}, {"t", "string"}};
  Value at_limit = Evaluate("s + t", strings, {{"s", Value::String(half)}, {"t", Value::String(half)}});
  REQUIRE(at_limit.is_string());
  CHECK(at_limit.string_value().size() == kMaxStringBytes);
  Value over = Evaluate("s + t + \"b\"", strings, {{"s", Value::String(half)}, {"t", Value::String(half)}});
  REQUIRE(over.is_error());
  CHECK(over.error_code() == value::ErrorCode::kRange);
  CHECK(over.error_message() == kStringTooLong);

  std::vector<plan::Variable> bytes = {{"b", "bytes"}};
  CHECK(Evaluate("b + b", bytes, {{"b", Value::Bytes(half)}}).string_value().size() == kMaxStringBytes);
  CHECK(Evaluate("b + b + b'x'", bytes, {{"b", Value::Bytes(half)}}).error_message() == kBytesTooLong);
}

TEST_CASE("`+` builds lists up to kMaxListSize elements, then returns an error") {
  std::vector<plan::Variable> lists = {{"l", "list(int)"}};
  Value at_limit = Evaluate("l + l", lists, {{"l", Ints(kMaxListSize / 2)}});
  REQUIRE(at_limit.is_list());
  CHECK(at_limit.list_elements().size() == kMaxListSize);
  Value over = Evaluate("l + l + [2]", lists, {{"l", Ints(kMaxListSize / 2)}});
  REQUIRE(over.is_error());
  CHECK(over.error_message() == kListTooLong);
}

TEST_CASE("doubling a value forty times ends in the size limit's error, not out of memory") {
  std::string text = "\"ab\"";
  std::string list = "[1]";
  for (int i = 0; i < 40; ++i) {
    std::string x = "x" + std::to_string(i);
    text = "[" + text + "].map(" + x + ", " + x + " + " + x + ")[0]";
    list = "[" + list + "].map(" + x + ", " + x + " + " + x + ")[0]";
  }
  CHECK(Evaluate(text).error_message() == kStringTooLong);
  CHECK(Evaluate(list).error_message() == kListTooLong);
}
