// `nfkc`: Unicode NFKC normalisation for the rule library's text matching (rule-catalog S7).
#include <doctest/doctest.h>

#include <string>

#include "runtime/value/dispatch.h"
#include "runtime/value/limits.h"

using namespace edict::value;

namespace {

Value Nfkc(std::string_view text) {
  std::optional<Function> f = Function::Find("nfkc", CallStyle::kGlobal);
  REQUIRE(f.has_value());
  std::vector<Value> args = {Value::String(text)};
  return f->Call(args);
}

std::string Text(const Value& v) {
  REQUIRE(v.is_string());
  return std::string(v.string_value());
}

}  // namespace

TEST_CASE("compatibility forms become their plain equivalents") {
  CHECK(Text(Nfkc("ＯＫ")) == "OK");
  CHECK(Text(Nfkc("（暂不）")) == "(暂不)");
  CHECK(Text(Nfkc("ﬁ")) == "fi");
  CHECK(Text(Nfkc("②")) == "2");
  CHECK(Text(Nfkc("\u3000")) == " ");
}

TEST_CASE("canonical composition, and text already in NFKC is unchanged") {
  CHECK(Text(Nfkc("e\u0301")) == "\u00e9");
  CHECK(Text(Nfkc("同意并继续")) == "同意并继续");
  CHECK(Text(Nfkc("")).empty());
  std::string once = Text(Nfkc("ＡＢＣ①ﬃ"));
  CHECK(Text(Nfkc(once)) == once);
}

TEST_CASE("embedded NULs survive; the result is one string value") {
  std::string with_nul("Ａ\0Ｂ", 7);
  CHECK(Text(Nfkc(with_nul)) == std::string("A\0B", 3));
}

TEST_CASE("a non-string argument has no overload") {
  std::optional<Function> f = Function::Find("nfkc", CallStyle::kGlobal);
  REQUIRE(f.has_value());
  std::vector<Value> args = {Value::Int(1)};
  CHECK(f->Call(args).is_error());
}
