// Large buffers (runtime/facts/large_buffer.h), under both policies: zero-filled at every size,
// also over reused heap memory; a huge one starts on a huge page; growing keeps the bytes held and
// zeroes the rest, from the heap into a mapping, mapping to mapping (in place or moved past a
// neighbour) and into huge pages; an impossible size throws std::bad_alloc; a LargeArray keeps its
// elements (Values too) as it grows, appends zeros without writing them, truncates, moves, and
// equals a sequence; a LargeBuffer moves; and a Value whose bytes are zero is null (memo tables
// rely on it: Machine::MemoRows).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "runtime/facts/large_buffer.h"
#include "runtime/value/value.h"

using namespace edict;
using facts::kHugePageBytes;
using facts::MapFrom;

namespace {

bool AllZero(const void* data, size_t bytes) {
  const auto* first = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < bytes; ++i) {
    if (first[i] != 0) return false;
  }
  return true;
}

bool OnHugePage(const void* data) { return reinterpret_cast<uintptr_t>(data) % kHugePageBytes == 0; }

unsigned char Pattern(size_t i) { return static_cast<unsigned char>(i * 13 + 1); }

void Fill(unsigned char* data, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) data[i] = Pattern(i);
}

bool Kept(const unsigned char* data, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) {
    if (data[i] != Pattern(i)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a buffer is zero-filled at every size, also where freed memory is reused, and writable") {
  for (MapFrom map_from : {MapFrom::k64KiB, MapFrom::kHugePage}) {
    for (size_t bytes :
         {size_t{0}, size_t{1}, size_t{16}, size_t{4096}, (size_t{64} << 10) - 1, size_t{64} << 10, size_t{200000},
          kHugePageBytes - 16, kHugePageBytes, kHugePageBytes + 1, 3 * kHugePageBytes + 4096}) {
      CAPTURE(map_from);
      CAPTURE(bytes);
      // Dirty memory freed first, which the allocator may hand out again.
      void* dirty = facts::AllocateLargeBuffer(bytes, map_from);
      std::memset(dirty, 0xcd, bytes);
      facts::FreeLargeBuffer(dirty, bytes, map_from);
      void* data = facts::AllocateLargeBuffer(bytes, map_from);
      REQUIRE(data != nullptr);
      CHECK(AllZero(data, bytes));
      if (bytes >= kHugePageBytes) CHECK(OnHugePage(data));
      std::memset(data, 0xab, bytes);
      facts::FreeLargeBuffer(data, bytes, map_from);
    }
  }
}

TEST_CASE("a grown buffer keeps what it holds and is zero after it, from the heap to huge pages") {
  for (MapFrom map_from : {MapFrom::k64KiB, MapFrom::kHugePage}) {
    CAPTURE(map_from);
    size_t used = 1000;
    size_t bytes = 4096;
    auto* data = static_cast<unsigned char*>(facts::AllocateLargeBuffer(bytes, map_from));
    Fill(data, 0, used);
    for (size_t grown : {size_t{8192}, size_t{300000}, size_t{1} << 20, kHugePageBytes + 8, kHugePageBytes + 64,
                         3 * kHugePageBytes, 9 * kHugePageBytes}) {
      CAPTURE(grown);
      // Another buffer after this one, so that growing it in place is not always possible.
      void* neighbour = facts::AllocateLargeBuffer(bytes, map_from);
      data = static_cast<unsigned char*>(facts::GrowLargeBuffer(data, used, bytes, grown, map_from));
      CHECK(Kept(data, used));
      if (map_from == MapFrom::k64KiB || grown >= static_cast<size_t>(map_from)) {
        CHECK(AllZero(data + used, grown - used));
      }
      if (grown >= kHugePageBytes) CHECK(OnHugePage(data));
      facts::FreeLargeBuffer(neighbour, bytes, map_from);
      // Held bytes up to a different point each time: past the old size, or short of it.
      used = grown % 3 == 0 ? grown : grown / 2 + 3;
      Fill(data, 0, used);
      std::memset(data + used, 0, grown - used);
      bytes = grown;
    }
    facts::FreeLargeBuffer(data, bytes, map_from);
  }
}

TEST_CASE("an impossible size throws std::bad_alloc and leaves a grown buffer as it was") {
  for (MapFrom map_from : {MapFrom::k64KiB, MapFrom::kHugePage}) {
    CAPTURE(map_from);
    for (size_t bytes : {SIZE_MAX, SIZE_MAX - kHugePageBytes / 2, SIZE_MAX / 2 + 1, size_t{1} << 60}) {
      CAPTURE(bytes);
      CHECK_THROWS_AS(facts::AllocateLargeBuffer(bytes, map_from), std::bad_alloc);
    }
    for (size_t old_bytes : {size_t{100}, size_t{1} << 20, 2 * kHugePageBytes}) {
      CAPTURE(old_bytes);
      auto* data = static_cast<unsigned char*>(facts::AllocateLargeBuffer(old_bytes, map_from));
      Fill(data, 0, old_bytes);
      CHECK_THROWS_AS(facts::GrowLargeBuffer(data, old_bytes, old_bytes, size_t{1} << 60, map_from), std::bad_alloc);
      CHECK(Kept(data, old_bytes));
      facts::FreeLargeBuffer(data, old_bytes, map_from);
    }
  }
  CHECK_THROWS_AS(facts::LargeBuffer{SIZE_MAX}, std::bad_alloc);
  facts::LargeArray<uint64_t> numbers;
  numbers.push_back(4);
  CHECK_THROWS_AS(numbers.Reserve(SIZE_MAX / 4), std::bad_alloc);
  CHECK_THROWS_AS(numbers.Reserve(size_t{1} << 58), std::bad_alloc);
  CHECK(numbers.size() == 1);
  CHECK(numbers[0] == 4);
}

TEST_CASE("a large array keeps its elements as it grows into huge pages, truncates and moves") {
  facts::LargeArray<uint32_t> values;
  CHECK(values.empty());
  constexpr uint32_t kCount = 3'000'000;  // 12 MB: grown by mremap several times
  for (uint32_t i = 0; i < kCount; ++i) values.push_back(i * 3);
  REQUIRE(values.size() == kCount);
  bool intact = true;
  for (uint32_t i = 0; i < kCount; ++i) intact = intact && values[i] == i * 3;
  CHECK(intact);
  CHECK(OnHugePage(values.data()));
  CHECK(values.front() == 0);
  CHECK(values.back() == (kCount - 1) * 3);
  values.Truncate(kCount + 5);  // never grows
  CHECK(values.size() == kCount);
  values.Truncate(10);
  CHECK(values.size() == 10);
  values.push_back(7);
  CHECK(values.back() == 7);
  facts::LargeArray<uint32_t> moved = std::move(values);
  CHECK(values.empty());
  CHECK(moved.size() == 11);
  std::span<const uint32_t> view = moved;
  CHECK(view[9] == 27);
  values = std::move(moved);
  CHECK(values.size() == 11);

  facts::LargeArray<double> reserved;  // reserving an odd size straight into a mapping
  reserved.Reserve(300'001);
  CHECK(reserved.capacity() == 300'001);
  for (int i = 0; i < 300'001; ++i) reserved.push_back(i * 0.5);
  reserved.push_back(-1);
  CHECK(reserved.size() == 300'002);
  CHECK(reserved[300'000] == 150'000.0);
  CHECK(reserved.back() == -1);
}

TEST_CASE("zeros appended without writing read as zero, in the heap, a mapping and huge pages") {
  // 8-byte values up to 4 Mi: past the mapping threshold and past the first huge page.
  facts::LargeArray<int64_t> values;
  for (int64_t i = 0; i < (int64_t{1} << 19); ++i) {
    if (i % 3 == 0)
      values.push_zero();
    else
      values.push_back(i);
  }
  for (size_t i = 0; i < values.size(); i += 4093) REQUIRE(values[i] == (i % 3 == 0 ? 0 : static_cast<int64_t>(i)));
  // A truncation clears what it drops, so a later unwritten zero is zero again.
  for (size_t keep : {size_t{100}, size_t{5}}) {
    values.Truncate(keep);
    for (int i = 0; i < 3000; ++i) values.push_zero();
    bool zeros = true;
    for (size_t i = keep; i < values.size(); ++i) zeros = zeros && values[i] == 0;
    CHECK(zeros);
    CHECK(values[keep - 1] == ((keep - 1) % 3 == 0 ? 0 : static_cast<int64_t>(keep - 1)));
  }
}

// Only a loader's buffer stays zero past what it holds as it grows.
template <class Array>
constexpr bool kAppendsZeros = requires(Array values) { values.push_zero(); };
static_assert(kAppendsZeros<facts::LargeArray<int64_t>>);
static_assert(!kAppendsZeros<facts::LargeArray<int64_t, MapFrom::kHugePage>>);

TEST_CASE("a large array equals a sequence of the same values") {
  facts::LargeArray<uint64_t> lines;
  CHECK(lines == std::vector<uint64_t>{});
  lines.push_back(7);
  lines.push_back(4);
  CHECK(lines == std::vector<uint64_t>{7, 4});
  CHECK_FALSE(lines == std::vector<uint64_t>{7});
  CHECK_FALSE(lines == std::vector<uint64_t>{7, 5});
}

TEST_CASE("a large array of Values keeps and releases the strings they own, truncated or destroyed") {
  value::Value text = value::Value::String(std::string(64, 'x'));
  {
    facts::LargeArray<value::Value, MapFrom::kHugePage> values;
    const size_t count = 2 * kHugePageBytes / sizeof(value::Value);
    for (size_t i = 0; i < count; ++i) values.push_back(i % 2 == 0 ? text : value::Value::Int(static_cast<int64_t>(i)));
    bool kept = true;
    for (size_t i = 0; i < count; ++i) {
      kept =
          kept && (i % 2 == 0 ? values[i].string_value() == text.string_value() : values[i].int_value() == int64_t(i));
    }
    CHECK(kept);
    values.Truncate(count / 2);
    CHECK(values.size() == count / 2);
    CHECK(AllZero(values.data() + count / 2, (count - count / 2) * sizeof(value::Value)));
    facts::LargeArray<value::Value, MapFrom::kHugePage> moved = std::move(values);
    CHECK(moved[0].string_value() == text.string_value());
  }
  // Copies were counted once each and released once each: the string is still whole.
  CHECK(text.string_value() == std::string(64, 'x'));
}

TEST_CASE("a large buffer is zero-filled at every size, and movable") {
  for (size_t bytes : {size_t{1}, size_t{1000}, size_t{64} << 10, kHugePageBytes - 64, kHugePageBytes}) {
    CAPTURE(bytes);
    facts::LargeBuffer buffer(bytes);
    REQUIRE(buffer.size() == bytes);
    CHECK(AllZero(buffer.data(), bytes));
    buffer.data()[bytes - 1] = 'x';
    facts::LargeBuffer moved = std::move(buffer);
    CHECK(moved.data()[bytes - 1] == 'x');
    facts::LargeBuffer<> assigned;
    assigned = std::move(moved);
    CHECK(assigned.size() == bytes);
  }
}

TEST_CASE("a Value whose bytes are all zero is null and owns nothing") {
  alignas(value::Value) unsigned char bytes[sizeof(value::Value)] = {};
  const auto* zeroed = std::launder(reinterpret_cast<const value::Value*>(bytes));
  CHECK(zeroed->is_null());
  CHECK(!zeroed->owns_storage());
  CHECK(value::Value().is_null());
}
