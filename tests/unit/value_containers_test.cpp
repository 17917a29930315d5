// Lists and maps: literals (strict in their elements), map keys (1, 1u and 1.0 find the same
// entry), duplicate keys, indexing errors, `in`, size and concatenation.
#include <doctest/doctest.h>

#include <cmath>

#include "runtime/value/compare.h"
#include "runtime/value/containers.h"
#include "runtime/value/dispatch.h"
#include "tests/unit/value_apply.h"

using namespace edict::value;
using edict::value::testing::Apply;

namespace {

Value Ints(std::initializer_list<int64_t> values) {
  std::vector<Value> elements;
  for (int64_t v : values) elements.push_back(Value::Int(v));
  return Value::List(std::move(elements));
}

bool IsBool(const Value& v, bool b) { return v.is_bool() && v.bool_value() == b; }

}  // namespace

TEST_CASE("list indexing by int, uint and integral double; errors otherwise") {
  Value list = Ints({7, 8, 9});
  CHECK(Apply("_[_]", {list, Value::Int(0)}).int_value() == 7);
  CHECK(Apply("_[_]", {list, Value::Int(2)}).int_value() == 9);
  CHECK(Apply("_[_]", {list, Value::Uint(0)}).int_value() == 7);
  CHECK(Apply("_[_]", {list, Value::Double(1.0)}).int_value() == 8);
  CHECK(Apply("_[_]", {list, Value::Int(3)}).error_code() == ErrorCode::kIndexOutOfRange);
  CHECK(Apply("_[_]", {list, Value::Int(-1)}).error_code() == ErrorCode::kIndexOutOfRange);
  CHECK(Apply("_[_]", {list, Value::Uint(3)}).error_code() == ErrorCode::kIndexOutOfRange);
  CHECK(Apply("_[_]", {list, Value::Double(3.0)}).error_code() == ErrorCode::kIndexOutOfRange);
  CHECK(Apply("_[_]", {list, Value::Double(0.1)}).error_code() == ErrorCode::kInvalidArgument);
  CHECK(Apply("_[_]", {list, Value::Double(std::nan(""))}).error_code() == ErrorCode::kInvalidArgument);
  CHECK(Apply("_[_]", {list, Value::String("")}).error_code() == ErrorCode::kNoSuchOverload);
  CHECK(Apply("_[_]", {Value::String("abc"), Value::Int(0)}).error_code() == ErrorCode::kNoSuchOverload);
  CHECK(Apply("_[_]", {list, Value::Int(3)}).error_message() == "index 3 out of range for a list of size 3");
}

TEST_CASE("map keys equal as numbers are one key") {
  Value map = Value::Map({{Value::Int(1), Value::String("one")}, {Value::String("k"), Value::String("v")}});
  CHECK(Apply("_[_]", {map, Value::Int(1)}).string_value() == "one");
  CHECK(Apply("_[_]", {map, Value::Uint(1)}).string_value() == "one");
  CHECK(Apply("_[_]", {map, Value::Double(1.0)}).string_value() == "one");
  CHECK(Apply("_[_]", {map, Value::Double(1.5)}).error_code() == ErrorCode::kNoSuchKey);
  CHECK(Apply("_[_]", {map, Value::String("k")}).string_value() == "v");
  Value missing = Apply("_[_]", {map, Value::String("x")});
  CHECK(missing.error_code() == ErrorCode::kNoSuchKey);
  CHECK(missing.error_message() == "no such key: \"x\"");
  // Beyond int64, an integral double finds the uint key it equals, and only that one.
  Value big_uint = Value::Map({{Value::Uint(18446744073709549568u), Value::Bool(true)}});
  CHECK(IsBool(Apply("_[_]", {big_uint, Value::Double(18446744073709549568.0)}), true));
  CHECK(Apply("_[_]", {big_uint, Value::Uint(18446744073709549567u)}).error_code() == ErrorCode::kNoSuchKey);
  CHECK(Apply("_[_]", {big_uint, Value::Double(18446744073709551616.0)}).error_code() == ErrorCode::kNoSuchKey);
  CHECK(Apply("_[_]", {big_uint, Value::Int(-1)}).error_code() == ErrorCode::kNoSuchKey);
}

TEST_CASE("map literals reject repeated keys, also across int and uint, and unsupported key kinds") {
  Value repeated = Value::Map({{Value::String("k"), Value::Int(1)}, {Value::String("k"), Value::Int(2)}});
  CHECK(repeated.error_code() == ErrorCode::kDuplicateKey);
  CHECK(repeated.error_message() == "repeated map key \"k\"");
  CHECK(Value::Map({{Value::Int(1), Value::Int(1)}, {Value::Uint(1), Value::Int(2)}}).error_code() == ErrorCode::kDuplicateKey);
  CHECK(Value::Map({{Value::Double(1.0), Value::Int(1)}}).error_code() == ErrorCode::kInvalidArgument);
  CHECK(Value::Map({{Value::Null(), Value::Int(1)}}).is_error());
  CHECK(Value::Map({{Ints({1}), Value::Int(1)}}).is_error());
  CHECK(Value::Map({{Value::Bool(true), Value::Int(1)}, {Value::Bool(false), Value::Int(0)}}).is_map());
}

TEST_CASE("large maps use a hash index that agrees with the linear scan") {
  std::vector<std::pair<Value, Value>> entries;
  for (int64_t i = 0; i < 1000; ++i) {
    entries.emplace_back(i % 2 == 0 ? Value::Int(i) : Value::Uint(static_cast<uint64_t>(i)), Value::Int(i * i));
  }
  entries.emplace_back(Value::String("name"), Value::String("value"));
  entries.emplace_back(Value::Bool(true), Value::String("yes"));
  Value map = Value::Map(entries);
  REQUIRE(map.is_map());
  CHECK(map.map().size() == 1002);
  for (int64_t i = 0; i < 1000; ++i) {
    const Value* as_int = map.map().Find(Value::Int(i));
    const Value* as_uint = map.map().Find(Value::Uint(static_cast<uint64_t>(i)));
    const Value* as_double = map.map().Find(Value::Double(static_cast<double>(i)));
    REQUIRE(as_int != nullptr);
    CHECK(as_int == as_uint);
    CHECK(as_int == as_double);
    CHECK(as_int->int_value() == i * i);
  }
  CHECK(map.map().Find(Value::Int(1000)) == nullptr);
  CHECK(map.map().Find(Value::String("name"))->string_value() == "value");
  CHECK(map.map().Find(Value::Bool(true))->string_value() == "yes");
  CHECK(map.map().Find(Value::Bool(false)) == nullptr);
  entries.emplace_back(Value::Uint(500), Value::Int(0));
  CHECK(Value::Map(entries).error_code() == ErrorCode::kDuplicateKey);
  CHECK(map.map().key(0).int_value() == 0);  // insertion order is kept
  CHECK(map.map().key(1001).is_bool());
}

TEST_CASE("in compares list elements with heterogeneous equality and looks up map keys") {
  CHECK(IsBool(Apply("@in", {Value::Int(7), Value::List({})}), false));
  CHECK(IsBool(Apply("@in", {Value::Int(3), Ints({5, 4, 3, 2, 1})}), true));
  CHECK(IsBool(Apply("@in", {Value::Double(3.0), Ints({5, 4, 3})}), true));
  CHECK(IsBool(Apply("@in", {Value::Uint(3), Ints({5, 4, 3})}), true));
  CHECK(IsBool(Apply("@in", {Value::String("elem"), Value::List({Value::Int(1), Value::String("elem")})}), true));
  CHECK(IsBool(Apply("@in", {Value::String("elem"), Value::List({Value::Uint(1), Value::String("str"), Value::Bytes("elem")})}),
               false));
  Value map = Value::Map({{Value::Int(3), Value::Double(3.0)}, {Value::String("key"), Value::Uint(2)}});
  CHECK(IsBool(Apply("@in", {Value::String("key"), map}), true));
  CHECK(IsBool(Apply("@in", {Value::Uint(3), map}), true));
  CHECK(IsBool(Apply("@in", {Value::Double(3.0), map}), true));
  CHECK(IsBool(Apply("@in", {Value::String("lock"), map}), false));
  CHECK(IsBool(Apply("@in", {Ints({1}), map}), false));
  CHECK(Apply("@in", {Value::Int(1), Value::String("1")}).error_code() == ErrorCode::kNoSuchOverload);
}

TEST_CASE("size and concatenation of lists") {
  CHECK(Apply("size", {Value::List({})}).int_value() == 0);
  CHECK(Apply("size", {Ints({1, 2, 3})}).int_value() == 3);
  CHECK(Apply("size", {Value::Map({})}).int_value() == 0);
  CHECK(Equal(Apply("_+_", {Ints({0, 1, 2}), Ints({3, 4, 5})}), Ints({0, 1, 2, 3, 4, 5})));
  CHECK_FALSE(Equal(Apply("_+_", {Ints({0, 1, 2}), Ints({3, 4, 5})}), Ints({3, 4, 5, 0, 1, 2})));
  CHECK(Equal(Apply("_+_", {Ints({2}), Ints({2})}), Ints({2, 2})));
  CHECK(Equal(Apply("_+_", {Value::List({}), Value::List({})}), Value::List({})));
  CHECK(Equal(Apply("_+_", {Value::List({}), Ints({3, 4})}), Ints({3, 4})));
  CHECK(Equal(Apply("_+_", {Ints({1, 2}), Value::List({})}), Ints({1, 2})));
}

TEST_CASE("list and map literals are strict in their elements") {
  Value error = Value::Error(ErrorCode::kDivisionByZero, "division by zero");
  Value unknown = Value::Unknown("x");
  auto list = [](std::initializer_list<Value> elements) {
    ListBuilder builder(elements.size());
    for (const Value& element : elements) builder.Push(element);
    return MakeList(builder);
  };
  CHECK(list({Value::Int(1), error}).error_code() == ErrorCode::kDivisionByZero);
  CHECK(list({error, unknown}).is_unknown());
  CHECK(list({Value::Int(1)}).is_list());
  CHECK(MakeMap({{Value::String("k"), error}}).is_error());
  CHECK(MakeMap({{error, Value::Int(1)}, {Value::String("k"), unknown}}).is_unknown());
  CHECK(MakeMap({{Value::String("k"), Value::Int(1)}, {Value::String("k"), Value::Int(1)}}).error_code() ==
        ErrorCode::kDuplicateKey);
  CHECK(MakeMap({{Value::String("k"), Value::Int(1)}}).is_map());
}

TEST_CASE("small string map literals built again from the same strings share one map") {
  auto subject = [](Value id) { return MakeMap({{Value::UnownedString("party"), Value::UnownedString("third")}, {Value::UnownedString("sdk"), id}}); };
  Value first = subject(Value::UnownedString("umeng"));
  Value again = subject(Value::UnownedString("umeng"));
  REQUIRE(first.is_map());
  CHECK(&again.map() == &first.map());
  // The same text in other storage, another text, another order: equal or other maps, never a wrong one.
  CHECK(Equal(subject(Value::String("umeng")), first));
  Value other = subject(Value::String("jpush"));
  CHECK(other.map().value(1).string_value() == "jpush");
  CHECK(first.map().value(1).string_value() == "umeng");
  CHECK(subject(Value::UnownedString("umeng")).map().value(1).string_value() == "umeng");
  Value reordered = MakeMap({{Value::UnownedString("sdk"), Value::UnownedString("umeng")},
                             {Value::UnownedString("party"), Value::UnownedString("third")}});
  CHECK(reordered.map().key(0).string_value() == "sdk");
  CHECK(Equal(reordered, first));
  CHECK(MakeMap({{Value::UnownedString("party"), Value::UnownedString("third")}}).map().size() == 1);
  // A repeated key is still an error, every time.
  for (int i = 0; i < 2; ++i) {
    CHECK(MakeMap({{Value::UnownedString("k"), Value::UnownedString("a")}, {Value::UnownedString("k"), Value::UnownedString("a")}})
              .error_code() == ErrorCode::kDuplicateKey);
  }
}

TEST_CASE("a shared map is not handed out when its keys' storage now reads a repeated key") {
  // Unowned strings whose storage a later session reuses: the same addresses, other bytes.
  char storage[] = "ka" "kb";
  auto build = [&storage] {
    return MakeMap({{Value::UnownedString(std::string_view(storage, 2)), Value::UnownedString("x")},
                    {Value::UnownedString(std::string_view(storage + 2, 2)), Value::UnownedString("y")}});
  };
  REQUIRE(build().is_map());
  storage[3] = 'a';
  CHECK(build().error_code() == ErrorCode::kDuplicateKey);
  storage[3] = 'c';
  Value rebuilt = build();
  REQUIRE(rebuilt.is_map());
  CHECK(rebuilt.map().key(1).string_value() == "kc");
}
