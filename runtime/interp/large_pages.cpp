// AllocateLarge, GrowLarge and FreeLarge (large_pages.h): mappings aligned to huge pages for large
// blocks.
#include "runtime/interp/large_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace edict::interp {

namespace {

size_t RoundUp(size_t bytes, size_t unit) { return (bytes + unit - 1) / unit * unit; }

void* MapHugePages(size_t bytes) {
  size_t size = RoundUp(bytes, kHugePageBytes);
  // A mapping one huge page longer than needed, its ends unmapped, starts the block on a huge page
  // boundary: the kernel only backs aligned 2 MiB ranges with huge pages.
  void* raw = ::mmap(nullptr, size + kHugePageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto address = reinterpret_cast<uintptr_t>(raw);
  uintptr_t start = RoundUp(address, kHugePageBytes);
  size_t head = start - address;
  if (head > 0) ::munmap(raw, head);
  if (kHugePageBytes - head > 0) ::munmap(reinterpret_cast<void*>(start + size), kHugePageBytes - head);
  ::madvise(reinterpret_cast<void*>(start), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(start);
}

// A mapping of MapHugePages grown to `new_bytes`. Moving it to an unaligned address would split its
// huge pages, so it moves only onto a fresh aligned range (MREMAP_FIXED replaces that mapping).
void* RemapHugePages(void* block, size_t old_bytes, size_t new_bytes) {
  size_t old_size = RoundUp(old_bytes, kHugePageBytes);
  size_t size = RoundUp(new_bytes, kHugePageBytes);
  if (size == old_size) return block;
  void* grown = ::mremap(block, old_size, size, 0);
  if (grown != MAP_FAILED) return grown;
  void* target = MapHugePages(new_bytes);
  grown = ::mremap(block, old_size, size, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  if (grown == MAP_FAILED) {
    ::munmap(target, size);
    throw std::bad_alloc();
  }
  return grown;
}

void* Checked(void* block) {
  if (block == nullptr) throw std::bad_alloc();
  return block;
}

}  // namespace

void* AllocateLarge(size_t bytes) {
  if (bytes >= kHugePageBytes) return MapHugePages(bytes);
  return Checked(std::malloc(bytes > 0 ? bytes : 1));
}

void* AllocateLargeZeroed(size_t bytes) {
  if (bytes >= kHugePageBytes) return MapHugePages(bytes);
  return Checked(std::calloc(bytes > 0 ? bytes : 1, 1));
}

void* GrowLarge(void* block, size_t old_bytes, size_t new_bytes) {
  if (block == nullptr) return AllocateLarge(new_bytes);
  if (old_bytes >= kHugePageBytes) return RemapHugePages(block, old_bytes, new_bytes);
  if (new_bytes < kHugePageBytes) return Checked(std::realloc(block, new_bytes));
  void* mapped = MapHugePages(new_bytes);
  std::memcpy(mapped, block, old_bytes);
  std::free(block);
  return mapped;
}

void FreeLarge(void* block, size_t bytes) noexcept {
  if (block == nullptr) return;
  if (bytes < kHugePageBytes) {
    std::free(block);
    return;
  }
  ::munmap(block, RoundUp(bytes, kHugePageBytes));
}

}  // namespace edict::interp
