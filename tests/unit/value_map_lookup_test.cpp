// Map lookups by key (runtime/value/map.cpp): string keys in small maps (scanned) and indexed maps
// (probed by hash) alike, present and absent, keys that share a size or exceed 32 bytes, maps with
// keys of other kinds, and the `_[_]` and `in` builtins that call Find.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/value/call_operands.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/value.h"

using namespace edict::value;

namespace {

// A map of `n` string keys, each key's value its position.
Value StringMap(const std::vector<std::string>& keys) {
  std::vector<std::pair<Value, Value>> entries;
  for (size_t i = 0; i < keys.size(); ++i) entries.emplace_back(Value::String(keys[i]), Value::Int(static_cast<int64_t>(i)));
  return Value::Map(std::move(entries));
}

std::vector<std::string> Keys(size_t n) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < n; ++i) {
    // Sizes 1 to 40: short keys, keys read word by word, and keys past 32 bytes.
    keys.push_back(std::string(1 + i % 40, static_cast<char>('a' + i % 26)) + std::to_string(i));
  }
  return keys;
}

}  // namespace

TEST_CASE("string keys are found in small and indexed maps, by equal text at any address") {
  for (size_t n : {size_t{1}, size_t{3}, size_t{7}, size_t{8}, size_t{9}, size_t{100}}) {
    CAPTURE(n);
    std::vector<std::string> keys = Keys(n);
    Value map = StringMap(keys);
    REQUIRE(map.is_map());
    for (size_t i = 0; i < n; ++i) {
      // A fresh string (another address) and an unowned view of a copy: equal text is the key.
      const Value* found = map.map().Find(Value::String(keys[i]));
      REQUIRE(found != nullptr);
      CHECK(found->int_value() == static_cast<int64_t>(i));
      std::string copy = keys[i];
      found = map.map().Find(Value::UnownedString(copy));
      REQUIRE(found != nullptr);
      CHECK(found->int_value() == static_cast<int64_t>(i));
      // The map's own key (the same address) finds itself.
      CHECK(map.map().Find(map.map().key(i)) == &map.map().value(i));
    }
    // Absent: a prefix, the same size with other bytes, a longer text, the empty string.
    CHECK(map.map().Find(Value::String(keys[0].substr(0, keys[0].size() - 1))) == nullptr);
    std::string same_size = keys[n - 1];
    same_size.back() = '#';
    CHECK(map.map().Find(Value::String(same_size)) == nullptr);
    CHECK(map.map().Find(Value::String(keys[n - 1] + "x")) == nullptr);
    CHECK(map.map().Find(Value::String("")) == nullptr);
  }
}

TEST_CASE("a string key finds nothing among keys of other kinds, and they find no string") {
  for (size_t n : {size_t{3}, size_t{12}}) {
    CAPTURE(n);
    std::vector<std::pair<Value, Value>> entries;
    for (size_t i = 0; i < n; ++i) entries.emplace_back(Value::Int(static_cast<int64_t>(i)), Value::Int(1));
    entries.emplace_back(Value::Bool(true), Value::Int(2));
    entries.emplace_back(Value::String("1"), Value::Int(3));
    Value map = Value::Map(std::move(entries));
    REQUIRE(map.is_map());
    CHECK(map.map().Find(Value::String("2")) == nullptr);
    CHECK(map.map().Find(Value::String("true")) == nullptr);
    REQUIRE(map.map().Find(Value::String("1")) != nullptr);
    CHECK(map.map().Find(Value::String("1"))->int_value() == 3);
    CHECK(map.map().Find(Value::Int(1))->int_value() == 1);
    CHECK(map.map().Find(Value::Double(2.0))->int_value() == 1);
    CHECK(map.map().Find(Value::Double(2.5)) == nullptr);
    CHECK(map.map().Find(Value::Bool(true))->int_value() == 2);
  }
}

TEST_CASE("indexing and `in` by a string key: present, absent, errors") {
  for (size_t n : {size_t{2}, size_t{20}}) {
    CAPTURE(n);
    std::vector<std::string> keys = Keys(n);
    Value map = StringMap(keys);
    Value present = Value::String(keys[n - 1]);
    Value absent = Value::String("party");
    CHECK(Call(Overload::index_map, map, present).int_value() == static_cast<int64_t>(n - 1));
    Value missing = Call(Overload::index_map, map, absent);
    REQUIRE(missing.is_error());
    CHECK(missing.error_code() == ErrorCode::kNoSuchKey);
    CHECK(missing.error_message() == "no such key: \"party\"");
    CHECK(Call(Overload::in_map, present, map).bool_value());
    CHECK_FALSE(Call(Overload::in_map, absent, map).bool_value());
    Value error = Value::Error(ErrorCode::kRange, "bad key");
    CHECK(Call(Overload::index_map, map, error).error_message() == "bad key");
    CHECK(Call(Overload::in_map, error, map).error_message() == "bad key");
  }
}
