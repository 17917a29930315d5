// String and bytes builtins: size in code points, substring tests, concatenation, and `matches`
// with RE2 (unanchored, UTF-8, invalid patterns as errors, a cache shared across threads).
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "runtime/value/dispatch.h"
#include "tests/unit/value_apply.h"
#include "runtime/value/regex.h"
#include "runtime/value/utf8.h"

using namespace edict::value;
using edict::value::testing::Apply;

namespace {

Value Method(std::string_view function, Value receiver, std::vector<Value> args = {}) {
  args.insert(args.begin(), std::move(receiver));
  return Apply(function, std::move(args), CallStyle::kReceiver);
}

bool IsTrue(const Value& v) { return v.is_bool() && v.bool_value(); }
bool IsFalse(const Value& v) { return v.is_bool() && !v.bool_value(); }
Value S(std::string_view text) { return Value::String(text); }

}  // namespace

TEST_CASE("size counts code points in strings and bytes in bytes, globally and as a method") {
  CHECK(Apply("size", {S("")}).int_value() == 0);
  CHECK(Apply("size", {S("\u00ff")}).int_value() == 1);
  CHECK(Apply("size", {S("\u03c0\u03ad\u03bd\u03c4\u03b5")}).int_value() == 5);
  CHECK(Apply("size", {S("\U0001f431\U0001f600")}).int_value() == 2);
  CHECK(Method("size", S("\u5fc5\u8981\u4e2a\u4eba\u4fe1\u606f")).int_value() == 6);
  CHECK(Apply("size", {Value::Bytes("abc")}).int_value() == 3);
  CHECK(Method("size", Value::Bytes("\xc3\xbf")).int_value() == 2);
  CHECK(Apply("size", {Value::Int(1)}).error_code() == ErrorCode::kNoSuchOverload);
}

TEST_CASE("contains, startsWith and endsWith work on UTF-8 and the empty string") {
  CHECK(IsTrue(Method("contains", S("hello"), {S("he")})));
  CHECK(IsTrue(Method("contains", S("hello"), {S("")})));
  CHECK(IsFalse(Method("contains", S("hello"), {S("ol")})));
  CHECK(IsTrue(Method("contains", S("abababc"), {S("ababc")})));
  CHECK(IsTrue(Method("contains", S("Stra\u00dfe"), {S("a\u00df")})));
  CHECK(IsFalse(Method("contains", S(""), {S("something")})));
  CHECK(IsTrue(Method("contains", S(""), {S("")})));
  CHECK(IsTrue(Method("startsWith", S("foobar"), {S("foo")})));
  CHECK(IsFalse(Method("startsWith", S("foobar"), {S("bar")})));
  CHECK(IsFalse(Method("startsWith", S(""), {S("foo")})));
  CHECK(IsTrue(Method("startsWith", S("\u0437\u0430\u0432\u0442\u0440\u0430"), {S("\u0437\u0430")})));
  CHECK(IsTrue(Method("startsWith", S("\U0001f431\U0001f600"), {S("\U0001f431")})));
  CHECK(IsTrue(Method("endsWith", S("foobar"), {S("bar")})));
  CHECK(IsTrue(Method("endsWith", S("fort\u00e9"), {S("t\u00e9")})));
  CHECK(IsTrue(Method("endsWith", S(""), {S("")})));
  CHECK(IsFalse(Method("endsWith", S(""), {S("foo")})));
  CHECK_FALSE(Function::Find("contains", CallStyle::kGlobal).has_value());  // only a method
}

TEST_CASE("string and bytes concatenation") {
  CHECK(Apply("_+_", {S("he"), S("llo")}).string_value() == "hello");
  CHECK(Apply("_+_", {S(""), S("")}).string_value().empty());
  CHECK(Apply("_+_", {S("r"), S("\u00f4le")}).string_value() == "r\u00f4le");
  Value bytes = Apply("_+_", {Value::Bytes("abc"), Value::Bytes("def")});
  CHECK(bytes.is_bytes());
  CHECK(bytes.string_value() == "abcdef");
  CHECK(Apply("_+_", {Value::Bytes(""), Value::Bytes("\xffoo")}).string_value() == "\xffoo");
  CHECK(Apply("_+_", {S("a"), Value::Bytes("b")}).error_code() == ErrorCode::kNoSuchOverload);
}

TEST_CASE("matches is an unanchored RE2 search over UTF-8") {
  CHECK(IsTrue(Method("matches", S("hubba"), {S("ubb")})));
  CHECK(IsFalse(Method("matches", S(""), {S("foo|bar")})));
  CHECK(IsTrue(Method("matches", S("cows"), {S("")})));
  CHECK(IsTrue(Method("matches", S("grey"), {S("gr(a|e)y")})));
  CHECK(IsTrue(Method("matches", S("banana"), {S("ba(na)*")})));
  CHECK(IsTrue(Method("matches", S("ma\u00f1ana"), {S("a+\u00f1+a+")})));
  CHECK(IsTrue(Method("matches", S("\U0001f431\U0001f600\U0001f600"), {S("(a|\U0001f600){2}")})));
  CHECK(IsTrue(Apply("matches", {S("13800138000"), S("^1[3-9]\\d{9}$")})));
  CHECK(IsFalse(Apply("matches", {S("1380013800"), S("^1[3-9]\\d{9}$")})));
}

TEST_CASE("an invalid pattern is an error value, every time it is used") {
  for (int i = 0; i < 2; ++i) {
    Value result = Method("matches", S("abc"), {S("(unclosed")});
    REQUIRE(result.is_error());
    CHECK(result.error_code() == ErrorCode::kInvalidArgument);
    CHECK(result.error_message().find("(unclosed") != std::string::npos);
  }
  CHECK(IsTrue(Matches("abc", "b")));  // a valid pattern after an invalid one
}

TEST_CASE("patterns are shared safely across threads") {
  std::vector<std::thread> threads;
  std::vector<int> matched(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &matched] {
      for (int i = 0; i < 500; ++i) {
        std::string pattern = "^id" + std::to_string(i % 50) + "$";
        Value result = Matches("id" + std::to_string(i % 50), pattern);
        matched[t] += result.is_bool() && result.bool_value();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : matched) CHECK(count == 500);
}

TEST_CASE("UTF-8 validation rejects overlong forms, surrogates and truncation") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("\xc3\xbf"));
  CHECK(IsValidUtf8("\xf0\x9f\x90\xb1"));
  CHECK(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xff"));
  CHECK_FALSE(IsValidUtf8(std::string_view("\x00\xff", 2)));
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  CHECK_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xe4\xbd"));          // truncated
  CHECK_FALSE(IsValidUtf8("\xc3("));
  // Where: the lead byte of the first malformed sequence (the rule source's error points there).
  CHECK(FindInvalidUtf8("plain") == std::nullopt);
  CHECK(FindInvalidUtf8("ab\xff" "cd") == 2);
  CHECK(FindInvalidUtf8("\xc3\xbf\xe4\xbd") == 2);  // truncated after a valid ÿ
  CHECK(FindInvalidUtf8("a\xed\xa0\x80") == 1);       // surrogate
  CHECK(CountCodePoints("a\u00ff\U0001f431") == 3);
}
