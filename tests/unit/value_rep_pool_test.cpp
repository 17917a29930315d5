// The representation pool (per-thread free lists of rep blocks: reuse, size classes, the cap,
// blocks freed on another thread, thread exit) and equality's short-cut for a rep compared with
// itself (NaN inside still makes a container unequal to itself).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "runtime/value/compare.h"
#include "runtime/value/rep_pool.h"
#include "runtime/value/text_hash.h"
#include "runtime/value/value.h"

using namespace edict::value;
using internal::AllocateRep;
using internal::FreeRep;
using internal::FreeRepCount;

namespace {

// Pooling is off under AddressSanitizer (blocks go straight to the system so use after free is
// caught); the pool's own tests only apply when a freed block stays in the thread's list.
bool Pooling() {
  void* block = AllocateRep(48);
  size_t before = FreeRepCount(48);
  FreeRep(block, 48);
  bool pooled = FreeRepCount(48) == before + 1;
  FreeRep(AllocateRep(48), 48);
  return pooled;
}

std::string Text(size_t size, char fill) { return std::string(size, fill); }

}  // namespace

TEST_CASE("a freed block is handed out again for any size of its class") {
  if (!Pooling()) return;
  void* block = AllocateRep(40);
  FreeRep(block, 40);
  CHECK(AllocateRep(33) == block);  // 33 to 48 bytes share a class
  FreeRep(block, 33);
  size_t held = FreeRepCount(48);
  CHECK(held >= 1);
  void* other = AllocateRep(64);  // another class: not this block
  CHECK(other != block);
  FreeRep(other, 64);
  CHECK(FreeRepCount(48) == held);
}

TEST_CASE("every size works, large blocks bypass the pool") {
  std::vector<std::pair<void*, size_t>> blocks;
  for (size_t size = 1; size <= 300; ++size) {
    void* block = AllocateRep(size);
    std::memset(block, static_cast<int>(size & 0xff), size);
    blocks.emplace_back(block, size);
  }
  for (auto [block, size] : blocks) {
    const auto* bytes = static_cast<const unsigned char*>(block);
    CHECK(bytes[0] == (size & 0xff));
    CHECK(bytes[size - 1] == (size & 0xff));
    FreeRep(block, size);
  }
  CHECK(FreeRepCount(internal::kMaxPooledRep + 1) == 0);
}

TEST_CASE("a thread keeps at most the cap of free blocks per class") {
  if (!Pooling()) return;
  std::vector<void*> blocks;
  for (size_t i = 0; i < internal::kMaxFreeRepsPerClass + 50; ++i) blocks.push_back(AllocateRep(96));
  for (void* block : blocks) FreeRep(block, 96);
  CHECK(FreeRepCount(96) == internal::kMaxFreeRepsPerClass);
}

TEST_CASE("values made on one thread are dropped on another and their blocks reused there") {
  std::vector<Value> made;
  std::thread maker([&] {
    for (int i = 0; i < 2000; ++i) {
      made.push_back(Value::String(Text(static_cast<size_t>(i % 90) + 1, 'a' + static_cast<char>(i % 26))));
      made.push_back(Value::List({Value::Int(i), Value::String(Text(20, 'x'))}));
      made.push_back(Value::Map({{Value::String("k"), Value::Int(i)}}));
    }
  });
  maker.join();  // the maker's pool was drained at its exit
  for (int i = 0; i < 2000; ++i) {
    CHECK(made[3 * i].string_value() == Text(static_cast<size_t>(i % 90) + 1, 'a' + static_cast<char>(i % 26)));
    CHECK(made[3 * i + 1].list_elements()[0].int_value() == i);
    CHECK(made[3 * i + 2].map().Find(Value::String("k"))->int_value() == i);
  }
  made.clear();  // freed here, into this thread's lists
  // Fresh values reuse the blocks and read what they were made with.
  for (int i = 0; i < 2000; ++i) {
    Value s = Value::String(Text(static_cast<size_t>(i % 90) + 1, 'q'));
    CHECK(s.string_value() == Text(static_cast<size_t>(i % 90) + 1, 'q'));
  }
}

TEST_CASE("a shared value released by several threads at once is freed once") {
  Value shared = Value::List({Value::String(Text(40, 's')), Value::Int(7)});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = shared]() mutable {
      for (int i = 0; i < 10000; ++i) {
        Value again = copy;
        Value fresh = Value::List({again, Value::String(Text(30, 't'))});
        CHECK(Equal(fresh.list_elements()[0], copy));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(shared.list_elements()[0].string_value() == Text(40, 's'));
}

TEST_CASE("a container compared with itself: equal unless a NaN, error or unknown is inside") {
  const double nan = std::nan("");
  Value list = Value::List({Value::Int(1), Value::String(Text(30, 'a'))});
  CHECK(Equal(list, list));
  Value copy = list;
  CHECK(Equal(list, copy));
  Value with_nan = Value::List({Value::Int(1), Value::Double(nan)});
  CHECK_FALSE(Equal(with_nan, with_nan));
  Value nested = Value::List({Value::List({Value::Double(nan)})});
  CHECK_FALSE(Equal(nested, nested));
  Value with_error = Value::List({Value::Error(ErrorCode::kOverflow, "overflow")});
  CHECK_FALSE(Equal(with_error, with_error));
  Value map = Value::Map({{Value::String("a"), Value::Int(1)}, {Value::String("b"), list}});
  CHECK(Equal(map, map));
  Value map_nan = Value::Map({{Value::String("a"), Value::Double(nan)}});
  CHECK_FALSE(Equal(map_nan, map_nan));
  Value map_nested = Value::Map({{Value::Int(1), with_nan}});
  CHECK_FALSE(Equal(map_nested, map_nested));
  // The same contents in another rep compare the same way.
  CHECK(Equal(list, Value::List({Value::Int(1), Value::String(Text(30, 'a'))})));
  CHECK_FALSE(Equal(with_nan, Value::List({Value::Int(1), Value::Double(nan)})));
  CHECK(Equal(Value::List({}), Value::List({})));
}

TEST_CASE("a string compared with itself or its own bytes") {
  Value s = Value::String(Text(50, 'z'));
  Value t = s;
  CHECK(Equal(s, t));
  CHECK(KeyEqual(s, t));
  CHECK(Equal(Value::UnownedString(s.string_value()), s));
  CHECK_FALSE(Equal(Value::UnownedString(s.string_value().substr(0, 49)), s));
  CHECK_FALSE(Equal(Value::Bytes(s.string_value()), s));  // bytes are never a string
  CHECK(Equal(Value::String(Text(50, 'z')), s));
  CHECK_FALSE(Equal(Value::String(Text(50, 'y')), s));
}

TEST_CASE("texts of every short size differ at any byte, and hash apart") {
  for (size_t size = 0; size <= 40; ++size) {
    std::string a = Text(size, 'm');
    std::string b = a;  // another address
    CHECK(EqualText(a, b));
    CHECK(internal::HashText(a) == internal::HashText(b));
    CHECK_FALSE(EqualText(a, a + "m"));
    CHECK(internal::HashText(a) != internal::HashText(a + "m"));
    for (size_t at = 0; at < size; ++at) {
      std::string c = a;
      c[at] = 'n';
      CHECK_FALSE(EqualText(a, c));
      CHECK(internal::HashText(a) != internal::HashText(c));
    }
  }
}

TEST_CASE("map lookups by string key, small and indexed, hit and miss") {
  for (size_t entries : {1u, 7u, 8u, 40u}) {
    std::vector<std::pair<Value, Value>> pairs;
    std::vector<std::string> keys;
    for (size_t i = 0; i < entries; ++i) keys.push_back("key-" + std::to_string(i) + std::string(i % 13, 'k'));
    for (size_t i = 0; i < entries; ++i) pairs.emplace_back(Value::String(keys[i]), Value::Int(static_cast<int64_t>(i)));
    pairs.emplace_back(Value::Int(5), Value::Int(-5));
    Value map = Value::Map(std::move(pairs));
    REQUIRE(map.is_map());
    for (size_t i = 0; i < entries; ++i) {
      const Value* found = map.map().Find(Value::UnownedString(keys[i]));
      REQUIRE(found != nullptr);
      CHECK(found->int_value() == static_cast<int64_t>(i));
      CHECK(map.map().Find(Value::String(keys[i] + "x")) == nullptr);
    }
    CHECK(map.map().Find(Value::String("5")) == nullptr);  // a string never finds an int key
    CHECK(map.map().Find(Value::String("")) == nullptr);   // nor one whose payload reads as empty
    CHECK(map.map().Find(Value::Double(5.0))->int_value() == -5);
    CHECK(map.map().Find(Value::Bytes(keys[0])) == nullptr);
  }
}
