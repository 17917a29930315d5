// The conformance JSON form and CEL literal text: every tag, round trips, malformed input, and
// the conformance notion of equality (NaN == NaN, -0 != 0, exact types).
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "runtime/value/compare.h"
#include "runtime/value/format.h"
#include "runtime/value/json_codec.h"

using namespace edict::value;
using nlohmann::json;

namespace {

Value Decode(std::string_view text) {
  std::string error;
  std::optional<Value> value = ValueFromJson(json::parse(text), error);
  INFO(error);
  REQUIRE(value.has_value());
  return *value;
}

std::string DecodeError(std::string_view text) {
  std::string error;
  CHECK_FALSE(ValueFromJson(json::parse(text), error).has_value());
  return error;
}

}  // namespace

TEST_CASE("every tag decodes") {
  CHECK(Decode(R"({"null": null})").is_null());
  CHECK(Decode(R"({"bool": true})").bool_value());
  CHECK(Decode(R"({"int": "-9223372036854775808"})").int_value() == INT64_MIN);
  CHECK(Decode(R"({"int": 5})").int_value() == 5);
  CHECK(Decode(R"({"uint": "18446744073709551615"})").uint_value() == UINT64_MAX);
  CHECK(Decode(R"({"double": 1.5})").double_value() == 1.5);
  CHECK(Decode(R"({"double": 1000000000000})").double_value() == 1e12);
  CHECK(std::isnan(Decode(R"({"double": "NaN"})").double_value()));
  CHECK(Decode(R"({"double": "-Infinity"})").double_value() == -HUGE_VAL);
  CHECK(std::signbit(Decode(R"({"double": "-0"})").double_value()));
  CHECK(Decode(R"({"string": "\u00ff"})").string_value() == "\u00ff");
  CHECK(Decode(R"({"bytes": "w78="})").string_value() == "\xc3\xbf");
  CHECK(Decode(R"({"bytes": "AP8="})").string_value() == std::string_view("\x00\xff", 2));
  CHECK(Decode(R"({"bytes": "YWJjZGVm"})").string_value() == "abcdef");
  CHECK(Decode(R"({"bytes": ""})").string_value().empty());
  CHECK(Decode(R"({"type": "google.protobuf.Timestamp"})").type_value() == TypeKind::kTimestamp);
  CHECK(Decode(R"({"duration": {"seconds": "123", "nanos": 321456789}})").duration_nanos() == 123321456789);
  CHECK(Decode(R"({"duration": {"seconds": "-1", "nanos": -500000000}})").duration_nanos() == -1500000000);
  Value t = Decode(R"({"timestamp": {"seconds": "1234567890"}})");
  CHECK(t.timestamp_seconds() == 1234567890);
  CHECK(t.timestamp_nanos() == 0);
  Value list = Decode(R"({"list": [{"int": "17"}, {"string": "pancakes"}]})");
  CHECK(list.list_elements().size() == 2);
  Value map = Decode(R"({"map": [[{"string": "k"}, {"string": "v"}], [{"int": "1"}, {"null": null}]]})");
  CHECK(map.map().Find(Value::String("k"))->string_value() == "v");
  CHECK(map.map().Find(Value::Uint(1))->is_null());
}

TEST_CASE("malformed JSON values are reported, not thrown") {
  CHECK(DecodeError(R"({"int": "1.5"})").find("invalid int") != std::string::npos);
  DecodeError(R"({"int": "9223372036854775808"})");
  DecodeError(R"({"uint": "-1"})");
  DecodeError(R"({"double": "nan"})");
  DecodeError(R"({"bool": 1})");
  DecodeError(R"({"bytes": "!!!"})");
  DecodeError(R"({"type": "dyn"})");
  DecodeError(R"({"map": [[{"int": "1"}, {"int": "1"}], [{"uint": "1"}, {"int": "2"}]]})");
  DecodeError(R"({"map": [[{"int": "1"}]]})");
  DecodeError(R"({"timestamp": {"seconds": "253402300800"}})");
  DecodeError(R"({"duration": {"seconds": "9223372036854775807"}})");
  DecodeError(R"({"duration": {"seconds": "1", "nanos": 1000000000}})");
  DecodeError(R"({"object": {}})");
  DecodeError(R"({"int": "1", "uint": "1"})");
  DecodeError(R"([1])");
  DecodeError(R"({"list": [{"int": "1"}, 2]})");
}

TEST_CASE("encoding round-trips through decoding") {
  std::vector<Value> values = {
      Value::Null(), Value::Bool(false), Value::Int(INT64_MIN), Value::Uint(UINT64_MAX), Value::Double(-0.0),
      Value::Double(std::nan("")), Value::Double(HUGE_VAL), Value::Double(0.1), Value::String("\u5fc5\u8981"),
      Value::Bytes(std::string_view("\x00\xff\x10", 3)), Value::Bytes("ab"), Value::Duration(-1500000000),
      Value::Timestamp(-62135596800, 1), Value::Type(TypeKind::kList),
      Value::List({Value::Int(1), Value::List({})}),
      Value::Map({{Value::Bool(true), Value::Map({})}, {Value::Uint(3), Value::String("x")}})};
  for (const Value& value : values) {
    CAPTURE(FormatLiteral(value));
    json encoded = ValueToJson(value);
    std::string error;
    std::optional<Value> decoded = ValueFromJson(json::parse(encoded.dump()), error);
    REQUIRE(decoded.has_value());
    CHECK(ConformanceEqual(value, *decoded));
  }
  CHECK(ValueToJson(Value::Int(-5)).dump() == R"({"int":"-5"})");
  CHECK(ValueToJson(Value::Double(-0.0)).dump() == R"({"double":"-0"})");
  CHECK(ValueToJson(Value::Duration(-1500000000)).dump() == R"({"duration":{"nanos":-500000000,"seconds":"-1"}})");
  CHECK(ValueToJson(Value::Error(ErrorCode::kRange, "r")).dump() == R"({"error":"r"})");
}

TEST_CASE("conformance equality: NaN equals NaN, -0 is not 0, types must match") {
  CHECK(ConformanceEqual(Value::Double(std::nan("")), Value::Double(std::nan(""))));
  CHECK_FALSE(ConformanceEqual(Value::Double(-0.0), Value::Double(0.0)));
  CHECK(ConformanceEqual(Value::Double(0.0), Value::Double(0.0)));
  CHECK_FALSE(ConformanceEqual(Value::Int(1), Value::Uint(1)));
  CHECK_FALSE(ConformanceEqual(Value::Int(1), Value::Double(1.0)));
  CHECK(Equal(Value::Int(1), Value::Double(1.0)));  // unlike CEL's own equality
  CHECK(ConformanceEqual(Value::List({Value::Double(std::nan(""))}), Value::List({Value::Double(std::nan(""))})));
  CHECK_FALSE(ConformanceEqual(Value::List({Value::Int(1)}), Value::List({Value::Uint(1)})));
  Value a = Value::Map({{Value::String("k"), Value::String("v")}, {Value::String("k1"), Value::String("v1")}});
  Value b = Value::Map({{Value::String("k1"), Value::String("v1")}, {Value::String("k"), Value::String("v")}});
  CHECK(ConformanceEqual(a, b));
  CHECK_FALSE(ConformanceEqual(Value::Map({{Value::Int(1), Value::Int(1)}}), Value::Map({{Value::Uint(1), Value::Int(1)}})));
  CHECK_FALSE(ConformanceEqual(Value::Map({{Value::Int(1), Value::Int(1)}}), Value::Map({{Value::Int(1), Value::Double(1)}})));
}

TEST_CASE("values print as CEL literals") {
  CHECK(FormatLiteral(Value::Null()) == "null");
  CHECK(FormatLiteral(Value::Int(-5)) == "-5");
  CHECK(FormatLiteral(Value::Uint(5)) == "5u");
  CHECK(FormatLiteral(Value::Double(1.0)) == "1.0");
  CHECK(FormatLiteral(Value::Double(-0.0)) == "-0.0");
  CHECK(FormatLiteral(Value::Double(0.5)) == "0.5");
  CHECK(FormatLiteral(Value::Double(1e21)) == "1e+21");
  CHECK(FormatLiteral(Value::Double(std::nan(""))) == "double(\"NaN\")");
  CHECK(FormatLiteral(Value::Double(-HUGE_VAL)) == "double(\"-Infinity\")");
  CHECK(FormatLiteral(Value::String("a\"b\\c\n\u5fc5")) == "\"a\\\"b\\\\c\\n\u5fc5\"");
  CHECK(FormatLiteral(Value::String(std::string_view("\x01", 1))) == "\"\\u0001\"");
  CHECK(FormatLiteral(Value::Bytes(std::string_view("a\x00\xff\"", 4))) == "b\"a\\x00\\xff\\\"\"");
  CHECK(FormatLiteral(Value::Duration(5400000000000)) == "duration(\"5400s\")");
  CHECK(FormatLiteral(Value::Timestamp(1234567890, 0)) == "timestamp(\"2009-02-13T23:31:30Z\")");
  CHECK(FormatLiteral(Value::Type(TypeKind::kTimestamp)) == "google.protobuf.Timestamp");
  CHECK(FormatLiteral(Value::List({Value::Int(1), Value::String("a")})) == "[1, \"a\"]");
  CHECK(FormatLiteral(Value::Map({{Value::String("k"), Value::Null()}, {Value::Bool(true), Value::List({})}})) ==
        "{\"k\": null, true: []}");
  CHECK(FormatLiteral(Value::Error(ErrorCode::kRange, "timestamp out of range")) == "<error: timestamp out of range>");
  CHECK(FormatLiteral(Value::Unknown("perm_result")) == "<unknown: perm_result>");
}
