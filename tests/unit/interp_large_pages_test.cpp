// Large-page blocks (runtime/interp/large_pages.h): a block of 2 MiB or more starts on a huge page
// and comes zeroed, AllocateLargeZeroed zeroes a small block too, a container's buffer grown past
// 2 MiB keeps its elements, and a zeroed Value is null (memo tables rely on it: Machine::MemoRows).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

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

TEST_CASE("a vector with the large-page allocator keeps its elements as it grows past 2 MiB") {
  std::vector<uint64_t, interp::LargePageAllocator<uint64_t>> numbers;
  const size_t count = 3 * kHugePageBytes / sizeof(uint64_t);
  for (size_t i = 0; i < count; ++i) numbers.push_back(i * 7);
  bool kept = true;
  for (size_t i = 0; i < count; ++i) kept = kept && numbers[i] == i * 7;
  CHECK(kept);
  CHECK(reinterpret_cast<uintptr_t>(numbers.data()) % kHugePageBytes == 0);
}

TEST_CASE("a Value whose bytes are all zero is null and owns nothing") {
  alignas(value::Value) unsigned char bytes[sizeof(value::Value)] = {};
  const auto* zeroed = std::launder(reinterpret_cast<const value::Value*>(bytes));
  CHECK(zeroed->is_null());
  CHECK(!zeroed->owns_storage());
  CHECK(value::Value().is_null());
}
