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

namespace {

// nfkc of a string kept by reference to `text`'s bytes, as a session's strings are.
Value NfkcInPlace(const std::string& text) {
  std::optional<Function> f = Function::Find("nfkc", CallStyle::kGlobal);
  REQUIRE(f.has_value());
  std::vector<Value> args = {Value::UnownedString(text)};
  return f->Call(args);
}

}  // namespace

TEST_CASE("texts at an address where a stable text was are normalised by their own bytes") {
  std::string text = "好的";  // stable, and as long as the full-width forms below
  CHECK(Text(NfkcInPlace(text)) == "好的");
  CHECK(Text(NfkcInPlace(text)) == "好的");
  text = "ＯＫ";
  CHECK(Text(NfkcInPlace(text)) == "OK");
  text = "ﬁﬁ";
  CHECK(Text(NfkcInPlace(text)) == "fifi");
  text = "好的";
  CHECK(Text(NfkcInPlace(text)) == "好的");
  text = "好";
  CHECK(Text(NfkcInPlace(text)) == "好");
  text = "②";
  CHECK(Text(NfkcInPlace(text)) == "2");
}

TEST_CASE("stable texts longer than the remembered ones, or of the same bytes elsewhere") {
  for (std::string long_text : {"请您在使用前仔细阅读《隐私政策》。", "我已阅读并同意《用户协议》和《隐私政策》、请您在使用前仔细阅读"}) {
    CHECK(Text(NfkcInPlace(long_text)) == long_text);
    CHECK(Text(NfkcInPlace(long_text)) == long_text);
    long_text.replace(long_text.size() - 3, 3, "Ａ");
    CHECK(Text(NfkcInPlace(long_text)) == long_text.substr(0, long_text.size() - 3) + "A");
  }
  std::string here = "个人信息保护指引", there = "个人信息保护指引";
  CHECK(Text(NfkcInPlace(here)) == there);
  CHECK(Text(NfkcInPlace(there)) == here);
  CHECK(Text(Nfkc("")).empty());
  CHECK(Text(Nfkc("")).empty());
}
