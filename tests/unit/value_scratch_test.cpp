// The value layer's allocation shortcuts keep their results exact: the one shared empty list,
// nfkc returning its argument when the text is already normalised, and the per-thread buffers
// of nfkc and string concatenation across texts longer than what they keep between calls.
#include <doctest/doctest.h>

#include <string>

#include "runtime/value/dispatch.h"
#include "tests/unit/value_apply.h"

using namespace edict::value;
using edict::value::testing::Apply;

namespace {

std::string Repeat(std::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

}  // namespace

TEST_CASE("empty lists are equal, empty and independent of each other's copies") {
  Value a = Value::List({});
  Value b = Value::List({});
  CHECK(a.is_list());
  CHECK(a.list_elements().empty());
  Value copy = a;
  a = Value::Int(1);
  CHECK(copy.list_elements().empty());
  CHECK(Apply("_==_", {copy, b}).bool_value());
  Value joined = Apply("_+_", {b, Value::List({Value::Int(2)})});
  REQUIRE(joined.list_elements().size() == 1);
  CHECK(b.list_elements().empty());
}

TEST_CASE("nfkc keeps normalised text as it is and maps the rest") {
  CHECK(Apply("nfkc", {Value::String("plain ascii")}).string_value() == "plain ascii");
  CHECK(Apply("nfkc", {Value::String("同意")}).string_value() == "同意");
  CHECK(Apply("nfkc", {Value::String("ＯＫ")}).string_value() == "OK");
  CHECK(Apply("nfkc", {Value::String("\xff")}).is_error());
}

TEST_CASE("nfkc over texts longer than its kept buffer, then short ones again") {
  for (size_t points : {63, 64, 65, 1000, 70000, 3}) {
    Value mapped = Apply("nfkc", {Value::String(Repeat("Ａ", points))});
    CHECK(mapped.string_value() == std::string(points, 'A'));
    Value kept = Apply("nfkc", {Value::String(Repeat("拒", points))});
    CHECK(kept.string_value() == Repeat("拒", points));
  }
}

TEST_CASE("concatenation across results longer than its kept buffer") {
  for (size_t bytes : {1, 100, 70000, 2}) {
    std::string left(bytes, 'x');
    Value joined = Apply("_+_", {Value::String(left), Value::String("#y")});
    CHECK(joined.string_value() == left + "#y");
  }
  CHECK(Apply("_+_", {Value::String(""), Value::String("b")}).string_value() == "b");
}
