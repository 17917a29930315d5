// Large-page blocks (runtime/interp/large_pages.h): a block of 2 MiB or more starts on a huge page
// and comes zeroed, AllocateLargeZeroed zeroes a small block too, GrowLarge keeps a block's bytes
// (by realloc, then into a mapping, then by mremap, in place or moved), a LargeArray grown past
// 2 MiB keeps its elements (Values too), and a zeroed Value is null (memo tables rely on it:
// Machine::MemoRows).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "runtime/interp/large_pages.h"
#include "runtime/value/value.h"

using namespace edict;
using interp::kHugePageBytes;

namespace {

bool AllZero(const void* block, size_t bytes) {
  const auto* first = static_cast<const unsigned char*>(block);
  for (size_t i = 0; i < bytes; ++i) {
    if (first[i] != 0) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a large block starts on a huge page and comes zeroed; small blocks are usable") {
  for (size_t bytes : {kHugePageBytes, kHugePageBytes + 1, 3 * kHugePageBytes + 4096}) {
    CAPTURE(bytes);
    void* block = interp::AllocateLarge(bytes);
    CHECK(reinterpret_cast<uintptr_t>(block) % kHugePageBytes == 0);
    CHECK(AllZero(block, bytes));
    std::memset(block, 0xab, bytes);  // every byte is writable
    interp::FreeLarge(block, bytes);
  }
  for (size_t bytes : {size_t{0}, size_t{1}, size_t{4096}, kHugePageBytes - 1}) {
    CAPTURE(bytes);
    void* block = interp::AllocateLarge(bytes);
    REQUIRE(block != nullptr);
    std::memset(block, 0xab, bytes);
    interp::FreeLarge(block, bytes);
  }
}

TEST_CASE("a zeroed block is zeroed at every size, also where freed memory is reused") {
  for (size_t bytes : {size_t{16}, size_t{4096}, size_t{200000}, kHugePageBytes - 16, kHugePageBytes, 5 * kHugePageBytes}) {
    CAPTURE(bytes);
    // Dirty memory freed first, which the allocator may hand out again.
    void* dirty = interp::AllocateLarge(bytes);
    std::memset(dirty, 0xcd, bytes);
    interp::FreeLarge(dirty, bytes);
    void* block = interp::AllocateLargeZeroed(bytes);
    CHECK(AllZero(block, bytes));
    interp::FreeLarge(block, bytes);
  }
}

TEST_CASE("a grown block keeps its bytes, from malloc to a mapping and from mapping to mapping") {
  size_t bytes = 4096;
  auto* block = static_cast<unsigned char*>(interp::AllocateLarge(bytes));
  for (size_t i = 0; i < bytes; ++i) block[i] = static_cast<unsigned char>(i * 13);
  for (size_t grown : {size_t{300000}, kHugePageBytes + 8, kHugePageBytes + 64, 3 * kHugePageBytes, 9 * kHugePageBytes}) {
    CAPTURE(grown);
    // Another mapping after the block, so that growing it in place is not always possible.
    void* neighbour = interp::AllocateLarge(kHugePageBytes);
    block = static_cast<unsigned char*>(interp::GrowLarge(block, bytes, grown));
    bool kept = true;
    for (size_t i = 0; i < bytes; ++i) kept = kept && block[i] == static_cast<unsigned char>(i * 13);
    CHECK(kept);
    if (grown >= kHugePageBytes) {
      CHECK(reinterpret_cast<uintptr_t>(block) % kHugePageBytes == 0);
      if (bytes >= kHugePageBytes) CHECK(AllZero(block + bytes, grown - bytes));
    }
    for (size_t i = bytes; i < grown; ++i) block[i] = static_cast<unsigned char>(i * 13);
    bytes = grown;
    interp::FreeLarge(neighbour, kHugePageBytes);
  }
  interp::FreeLarge(block, bytes);
}

TEST_CASE("a large array keeps its elements as it grows past 2 MiB, and moves") {
  interp::LargeArray<uint64_t> numbers;
  const size_t count = 3 * kHugePageBytes / sizeof(uint64_t);
  for (size_t i = 0; i < count; ++i) numbers.push_back(i * 7);
  REQUIRE(numbers.size() == count);
  bool kept = true;
  for (size_t i = 0; i < count; ++i) kept = kept && numbers[i] == i * 7;
  CHECK(kept);
  CHECK(reinterpret_cast<uintptr_t>(numbers.data()) % kHugePageBytes == 0);
  CHECK(numbers.back() == (count - 1) * 7);
  interp::LargeArray<uint64_t> moved = std::move(numbers);
  CHECK(numbers.empty());
  CHECK(moved.size() == count);
  CHECK(moved.front() == 0);
  moved.clear();
  CHECK(moved.empty());
  moved.push_back(5);
  CHECK(moved[0] == 5);
}

TEST_CASE("a large array of Values keeps and releases the strings they own") {
  value::Value text = value::Value::String(std::string(64, 'x'));
  {
    interp::LargeArray<value::Value> values;
    const size_t count = 2 * kHugePageBytes / sizeof(value::Value);
    for (size_t i = 0; i < count; ++i) values.push_back(i % 2 == 0 ? text : value::Value::Int(static_cast<int64_t>(i)));
    bool kept = true;
    for (size_t i = 0; i < count; ++i) {
      kept = kept && (i % 2 == 0 ? values[i].string_value() == text.string_value() : values[i].int_value() == int64_t(i));
    }
    CHECK(kept);
  }
  // Copies were counted once each and released once each: the string is still whole.
  CHECK(text.string_value() == std::string(64, 'x'));
}

TEST_CASE("a Value whose bytes are all zero is null and owns nothing") {
  alignas(value::Value) unsigned char bytes[sizeof(value::Value)] = {};
  const auto* zeroed = std::launder(reinterpret_cast<const value::Value*>(bytes));
  CHECK(zeroed->is_null());
  CHECK(!zeroed->owns_storage());
  CHECK(value::Value().is_null());
}
