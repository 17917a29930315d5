// AllocateLarge and FreeLarge (large_pages.h): mappings aligned to huge pages for large blocks.
#include "runtime/interp/large_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
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

void FreeLarge(void* block, size_t bytes) noexcept {
  if (block == nullptr) return;
  if (bytes < kHugePageBytes) {
    std::free(block);
    return;
  }
  ::munmap(block, RoundUp(bytes, kHugePageBytes));
}

}  // namespace edict::interp
