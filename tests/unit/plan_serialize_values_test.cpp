// The plan cache's value and number decoding (compiler/plan/serialize.h, binary_io.h): a
// ValueReader shares one value among equal strings (and only among strings), values read back
// equal what was written, and arrays of numbers are read whole, a count too large for the bytes
// failing the reader.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/plan/serialize.h"
#include "runtime/value/compare.h"

using namespace edict;
using value::Value;

namespace {

std::string Encode(const std::vector<Value>& values) {
  plan::BinaryWriter out;
  for (const Value& v : values) plan::WriteValue(out, v);
  return std::move(out.bytes());
}

std::vector<Value> Decode(const std::string& bytes, size_t count) {
  plan::BinaryReader in(bytes);
  plan::ValueReader reader(in);
  std::vector<Value> values;
  for (size_t i = 0; i < count; ++i) values.push_back(reader.Read());
  CHECK(in.done());
  return values;
}

const char* TextOf(const Value& v) { return v.string_value().data(); }

}  // namespace

TEST_CASE("equal strings read by one reader are one value, wherever they are") {
  Value table = Value::Map({{Value::String("camera"), Value::List({Value::String("photo"), Value::String("camera")})},
                            {Value::String("photo"), Value::String("camera")}});
  std::vector<Value> values =
      Decode(Encode({Value::String("camera"), table, Value::String("photo"), Value::String("")}), 4);
  REQUIRE(values.size() == 4);
  CHECK(value::Equal(values[1], table));
  const Value& camera = values[0];
  const value::MapRep& map = values[1].map();
  CHECK(TextOf(map.key(0)) == TextOf(camera));
  CHECK(TextOf(map.value(0).list_elements()[1]) == TextOf(camera));
  CHECK(TextOf(map.value(1)) == TextOf(camera));
  CHECK(TextOf(map.value(0).list_elements()[0]) == TextOf(values[2]));
  CHECK(TextOf(map.key(1)) == TextOf(values[2]));
  CHECK(TextOf(camera) != TextOf(values[2]));
  CHECK(values[3].string_value().empty());
}

TEST_CASE("strings are shared only as strings and only within one reader") {
  std::string bytes = Encode({Value::String("abc"), Value::Bytes("abc"), Value::String("abc")});
  std::vector<Value> first = Decode(bytes, 3);
  CHECK(first[0].is_string());
  CHECK(first[1].is_bytes());
  CHECK(first[2].is_string());
  CHECK(TextOf(first[0]) == TextOf(first[2]));
  CHECK(TextOf(first[1]) != TextOf(first[0]));
  std::vector<Value> second = Decode(bytes, 3);
  CHECK(TextOf(second[0]) != TextOf(first[0]));
  CHECK(value::Equal(second[0], first[0]));
}

TEST_CASE("many strings, 700 of them distinct, read back equal and shared") {
  std::vector<Value> strings;
  for (int i = 0; i < 2000; ++i) strings.push_back(Value::String("name-" + std::to_string(i % 700)));
  std::vector<Value> values = Decode(Encode(strings), strings.size());
  for (size_t i = 0; i < strings.size(); ++i) {
    CHECK(values[i].string_value() == strings[i].string_value());
    if (i >= 700) CHECK(TextOf(values[i]) == TextOf(values[i - 700]));
  }
}

TEST_CASE("numbers are read as a whole array, and a count beyond the bytes fails") {
  plan::BinaryWriter out;
  std::vector<uint32_t> numbers = {7, 0, 4294967295u, 12};
  out.Put<uint64_t>(numbers.size());
  for (uint32_t n : numbers) out.Put(n);
  out.Put<uint64_t>(0);
  {
    plan::BinaryReader in(out.bytes());
    std::vector<uint32_t> read, empty = {1};
    in.GetNumbers(read);
    in.GetNumbers(empty);
    CHECK(in.done());
    CHECK(read == numbers);
    CHECK(empty.empty());
  }
  std::string truncated = out.bytes().substr(0, sizeof(uint64_t) + 3 * sizeof(uint32_t));
  plan::BinaryReader in(truncated);
  std::vector<uint32_t> read;
  in.GetNumbers(read);
  CHECK(in.failed());
  CHECK(read.empty());
}
