// Lists built in one block (ListBuilder): empty and one-element lists, growth past the bound,
// trimming of a short result, elements shared with other holders, discarded builders, nested
// lists, concatenation (also of a list with itself), literals with errors inside, blocks freed
// on another thread; and map and one-element list literals from the JIT's operands (the shared
// literal cache).
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "runtime/value/compare.h"
#include "runtime/value/containers.h"
#include "runtime/value/list_builder.h"
#include "runtime/value/rep_pool.h"
#include "tests/unit/value_apply.h"

using namespace edict::value;
using edict::value::testing::Apply;
using internal::FreeRepCount;

namespace {

// Longer than any inline string: an owned value whose storage the list shares.
Value Owned(const std::string& tail) { return Value::String(std::string(40, 'o') + tail); }

Value Ints(std::initializer_list<int64_t> items) {
  ListBuilder list;
  for (int64_t i : items) list.Push(Value::Int(i));
  return list.Finish();
}

// Pooling is off under AddressSanitizer; then block sizes cannot be observed.
bool Pooling() {
  void* block = internal::AllocateRep(48);
  size_t before = FreeRepCount(48);
  internal::FreeRep(block, 48);
  bool pooled = FreeRepCount(48) == before + 1;
  internal::FreeRep(internal::AllocateRep(48), 48);
  return pooled;
}

// Whether destroying `list` hands exactly one block of `capacity` elements back to the pool:
// the list was one allocation of that size.
bool FreesOneBlockOf(Value list, size_t capacity) {
  size_t bytes = ListRep::BlockBytes(capacity);
  if (!Pooling() || bytes > internal::kMaxPooledRep) return true;
  size_t before = FreeRepCount(bytes);
  list = Value();
  return FreeRepCount(bytes) == before + 1;
}

}  // namespace

TEST_CASE("a builder that receives nothing makes the shared empty list") {
  ListBuilder none(16);
  Value empty = none.Finish();
  CHECK(empty.is_list());
  CHECK(empty.list_elements().empty());
  CHECK(Equal(empty, Value::List({})));
  ListBuilder appended(4);
  appended.Append(std::span<const Value>());
  CHECK(appended.Finish().list_elements().empty());
}

TEST_CASE("one element, and the bound is the block's size") {
  ListBuilder one(1);
  one.Push(Owned("a"));
  Value list = one.Finish();
  REQUIRE(list.list_elements().size() == 1);
  CHECK(list.list_elements()[0].string_value() == std::string(40, 'o') + "a");
  CHECK(FreesOneBlockOf(std::move(list), 1));
  ListBuilder three(3);
  for (int i = 0; i < 3; ++i) three.Push(Value::Int(i));
  CHECK(FreesOneBlockOf(three.Finish(), 3));
}

TEST_CASE("pushing past the bound, or without one, grows the block and keeps every element") {
  for (size_t bound : {size_t{0}, size_t{2}}) {
    ListBuilder list(bound);
    for (int i = 0; i < 100; ++i) list.Push(i % 2 == 0 ? Value::Int(i) : Owned(std::to_string(i)));
    CHECK(list.size() == 100);
    Value built = list.Finish();
    REQUIRE(built.list_elements().size() == 100);
    for (int i = 0; i < 100; ++i) {
      const Value& element = built.list_elements()[i];
      CHECK(Equal(element, i % 2 == 0 ? Value::Int(i) : Owned(std::to_string(i))));
    }
  }
}

TEST_CASE("a result much shorter than its bound is trimmed, a slightly shorter one kept") {
  ListBuilder few(64);  // a filter over 64 elements that keeps two
  few.Push(Value::Int(1));
  few.Push(Value::Int(2));
  Value trimmed = few.Finish();
  CHECK(Equal(trimmed, Ints({1, 2})));
  CHECK(FreesOneBlockOf(std::move(trimmed), 2));
  ListBuilder most(6);
  for (int i = 0; i < 5; ++i) most.Push(Value::Int(i));
  CHECK(FreesOneBlockOf(most.Finish(), 6));
}

TEST_CASE("elements are shared with their other holders and outlive the list") {
  Value text = Owned("shared");
  Value copy;
  {
    ListBuilder list(2);
    list.Push(text);
    list.Push(text);
    Value built = list.Finish();
    Value second_holder = built;
    built = Value();
    copy = second_holder.list_elements()[1];
    CHECK(second_holder.list_elements()[0].string_value() == text.string_value());
  }
  CHECK(copy.string_value() == text.string_value());
  CHECK(text.string_value() == std::string(40, 'o') + "shared");
}

TEST_CASE("a builder dropped before Finish releases what it holds") {
  Value text = Owned("dropped");
  {
    ListBuilder list;
    for (int i = 0; i < 10; ++i) list.Push(text);
  }
  CHECK(text.string_value() == std::string(40, 'o') + "dropped");
}

TEST_CASE("nested lists own their inner lists") {
  Value inner = Ints({1, 2, 3});
  ListBuilder outer(3);
  outer.Push(inner);
  outer.Push(Value::List({}));
  outer.Push(Value::List({inner, Owned("x")}));
  Value nested = outer.Finish();
  inner = Value();
  REQUIRE(nested.list_elements().size() == 3);
  CHECK(Equal(nested.list_elements()[0], Ints({1, 2, 3})));
  CHECK(nested.list_elements()[1].list_elements().empty());
  CHECK(Equal(nested.list_elements()[2].list_elements()[0], Ints({1, 2, 3})));
}

TEST_CASE("concatenation: one exact block, a list with itself, empty sides, shared holders") {
  Value l = Value::List({Owned("a"), Value::Int(2), Value::List({Value::Int(3)})});
  Value holder = l;
  Value twice = Apply("_+_", {l, l});
  REQUIRE(twice.list_elements().size() == 6);
  CHECK(Equal(twice, Value::List({Owned("a"), Value::Int(2), Value::List({Value::Int(3)}), Owned("a"), Value::Int(2),
                                  Value::List({Value::Int(3)})})));
  CHECK(Equal(l, holder));
  CHECK(l.list_elements().size() == 3);
  l = Value();
  CHECK(holder.list_elements()[0].string_value() == std::string(40, 'o') + "a");
  CHECK(FreesOneBlockOf(Apply("_+_", {Ints({1, 2}), Ints({3, 4, 5})}), 5));
  CHECK(Equal(Apply("_+_", {holder, Value::List({})}), holder));
  CHECK(Equal(Apply("_+_", {Value::List({}), holder}), holder));
}

TEST_CASE("a literal from element pointers: the first unknown, else the first error, else the list") {
  Value one = Value::Int(1), text = Owned("t");
  Value error = Value::Error(ErrorCode::kDivisionByZero, "division by zero");
  Value other_error = Value::Error(ErrorCode::kOverflow, "overflow");
  Value unknown = Value::Unknown("x.y");
  const Value* plain[] = {&one, &text, &one};
  Value list = MakeList(std::span<const Value* const>(plain));
  CHECK(Equal(list, Value::List({one, text, one})));
  const Value* errors[] = {&one, &error, &other_error};
  CHECK(MakeList(std::span<const Value* const>(errors)).error_message() == "division by zero");
  const Value* unknowns[] = {&error, &unknown};
  CHECK(MakeList(std::span<const Value* const>(unknowns)).is_unknown());
  CHECK(MakeList(std::span<const Value* const>()).list_elements().empty());
  CHECK(text.string_value() == std::string(40, 'o') + "t");
}

TEST_CASE("lists built on one thread are read and freed on others") {
  std::vector<Value> made;
  std::thread builder([&] {
    for (int i = 0; i < 200; ++i) {
      ListBuilder list(static_cast<size_t>(i % 12));
      for (int j = 0; j <= i % 12; ++j) list.Push(j % 3 == 0 ? Owned(std::to_string(j)) : Value::Int(j));
      made.push_back(list.Finish());
    }
  });
  builder.join();
  std::thread reader([&] {
    for (size_t i = 0; i < made.size(); ++i) {
      CHECK(made[i].list_elements().size() == i % 12 + 1);
      made[i] = Value();
    }
  });
  reader.join();
  Value again = Ints({7});
  CHECK(again.list_elements()[0].int_value() == 7);
}

TEST_CASE("a literal from a builder: errors inside are the result, the builder is empty after") {
  ListBuilder list(3);
  list.Push(Value::Int(1));
  list.Push(Value::Error(ErrorCode::kDivisionByZero, "division by zero"));
  list.Push(Owned("after"));
  CHECK(MakeList(list).error_message() == "division by zero");
  CHECK(list.size() == 0);
  list.Push(Value::Int(2));
  CHECK(Equal(MakeList(list), Ints({2})));
}

TEST_CASE("a map literal from key and value pointers: cached strings, errors, repeated keys, more entries") {
  Value party = Value::String("party"), third = Value::String("third"), sdk = Value::String("sdk");
  Value id = Owned("id");
  const Value* parts[] = {&party, &third, &sdk, &id};
  Value first = MakeMap(std::span<const Value* const>(parts));
  Value again = MakeMap(std::span<const Value* const>(parts));
  REQUIRE(first.is_map());
  CHECK(Equal(first, again));
  // Built once, from pointers or from entries alike: the same map is handed out again.
  CHECK(again.map().keys().data() == first.map().keys().data());
  Value from_entries = MakeMap({{party, third}, {sdk, id}});
  CHECK(from_entries.map().keys().data() == first.map().keys().data());
  Value other = Value::String("other");
  Value built_from_entries = MakeMap({{party, other}});
  const Value* other_parts[] = {&party, &other};
  CHECK(MakeMap(std::span<const Value* const>(other_parts)).map().keys().data() == built_from_entries.map().keys().data());
  CHECK(again.map().Find(sdk)->string_value() == id.string_value());
  const Value* repeated[] = {&party, &third, &party, &id};
  CHECK(MakeMap(std::span<const Value* const>(repeated)).error_code() == ErrorCode::kDuplicateKey);
  Value error = Value::Error(ErrorCode::kDivisionByZero, "division by zero"), unknown = Value::Unknown("x.y");
  const Value* with_error[] = {&party, &error, &sdk, &unknown};
  CHECK(MakeMap(std::span<const Value* const>(with_error)).is_unknown());
  const Value* error_only[] = {&party, &error};
  CHECK(MakeMap(std::span<const Value* const>(error_only)).error_message() == "division by zero");
  Value one = Value::Int(1);
  std::vector<Value> keys;
  std::vector<const Value*> many;
  for (std::string_view key : {"k0", "k1", "k2", "k3", "k4", "k5"}) keys.push_back(Value::String(key));
  for (const Value& key : keys) {
    many.push_back(&key);
    many.push_back(&one);
  }
  Value six = MakeMap(std::span<const Value* const>(many));
  REQUIRE(six.is_map());
  CHECK(six.map().size() == 6);
  CHECK(MakeMap(std::span<const Value* const>()).map().size() == 0);
}

TEST_CASE("one-element literals of an int or a string built again share one list") {
  Value seq = Value::Int(45784), same_seq = Value::Int(45784), other_seq = Value::Int(45785);
  const Value* first_parts[] = {&seq};
  const Value* same_parts[] = {&same_seq};
  const Value* other_parts[] = {&other_seq};
  Value first = MakeList(std::span<const Value* const>(first_parts));
  Value again = MakeList(std::span<const Value* const>(same_parts));
  CHECK(again.list_elements().data() == first.list_elements().data());
  Value other = MakeList(std::span<const Value* const>(other_parts));
  CHECK(other.list_elements()[0].int_value() == 45785);
  CHECK(MakeList(std::span<const Value* const>(first_parts)).list_elements()[0].int_value() == 45784);
  // A string by its storage: the same bytes elsewhere, or other bytes of the same size, make
  // their own list.
  std::string group = "android.permission-group.CAMERA";
  Value text = Value::UnownedString(group);
  const Value* text_parts[] = {&text};
  Value camera = MakeList(std::span<const Value* const>(text_parts));
  CHECK(MakeList(std::span<const Value* const>(text_parts)).list_elements().data() == camera.list_elements().data());
  std::string copy = group;
  Value copied = Value::UnownedString(copy);
  const Value* copied_parts[] = {&copied};
  Value elsewhere = MakeList(std::span<const Value* const>(copied_parts));
  CHECK(elsewhere.list_elements()[0].string_value().data() == copy.data());
  group.replace(group.size() - 6, 6, "STORAG");
  Value storage = MakeList(std::span<const Value* const>(text_parts));
  CHECK(storage.list_elements()[0].string_value() == "android.permission-group.STORAG");
  // An int and a string never answer for each other, nor a bool, an error or a longer list.
  Value flag = Value::Bool(true), error = Value::Error(ErrorCode::kDivisionByZero, "division by zero");
  const Value* flag_parts[] = {&flag};
  const Value* error_parts[] = {&error};
  const Value* two_parts[] = {&seq, &seq};
  CHECK(MakeList(std::span<const Value* const>(flag_parts)).list_elements()[0].is_bool());
  CHECK(MakeList(std::span<const Value* const>(error_parts)).error_message() == "division by zero");
  CHECK(MakeList(std::span<const Value* const>(two_parts)).list_elements().size() == 2);
  CHECK(Equal(MakeList(std::span<const Value* const>(first_parts)), Ints({45784})));
}

TEST_CASE("one-element literals of more ints and strings than the cache has slots") {
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i) texts.push_back("perm." + std::to_string(1000 + i));
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 200; ++i) {
      Value number = Value::Int(i), text = Value::UnownedString(texts[static_cast<size_t>(i)]);
      const Value* number_parts[] = {&number};
      const Value* text_parts[] = {&text};
      Value numbers = MakeList(std::span<const Value* const>(number_parts));
      Value strings = MakeList(std::span<const Value* const>(text_parts));
      REQUIRE(numbers.list_elements().size() == 1);
      CHECK(numbers.list_elements()[0].int_value() == i);
      REQUIRE(strings.list_elements().size() == 1);
      CHECK(strings.list_elements()[0].string_value().data() == texts[static_cast<size_t>(i)].data());
    }
  }
}

TEST_CASE("a literal of an owned string holds it, though the cache views the same address") {
  // A plan's constants are owned strings that evaluation reads through unowned views; the cache
  // may keep such a view after the plan is gone, and an owned string made later may start at
  // that address (its freed block reused). Here the view is made of the owned string itself.
  Value owned = Value::String("1");
  Value view = Value::UnownedString(owned.string_value());
  Value key = Value::UnownedString("permission");
  const Value* view_parts[] = {&view};
  const Value* owned_parts[] = {&owned};
  const Value* view_entry[] = {&key, &view};
  const Value* owned_entry[] = {&key, &owned};
  Value viewing_list = MakeList(std::span<const Value* const>(view_parts));
  Value viewing_map = MakeMap(std::span<const Value* const>(view_entry));
  Value list = MakeList(std::span<const Value* const>(owned_parts));
  Value map = MakeMap(std::span<const Value* const>(owned_entry));
  CHECK(list.list_elements().data() != viewing_list.list_elements().data());
  CHECK(map.map().keys().data() != viewing_map.map().keys().data());
  viewing_list = viewing_map = view = owned = Value();
  // With the pools on, the first of these takes the block "1" was in, were it freed.
  std::vector<Value> others;
  for (int i = 0; i < 4; ++i) others.push_back(Value::String("2"));
  CHECK(list.list_elements()[0].string_value() == "1");
  CHECK(map.map().value(0).string_value() == "1");
}
