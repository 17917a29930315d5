// Memory for an evaluation's large arrays (memo tables, index rows, grouped matches). A block of
// 2 MiB or more is a mapping of its own, aligned to and advised for transparent huge pages, so its
// first touch costs one page fault per 2 MiB instead of one per 4 KiB (on a virtual machine a
// fault costs microseconds), and it comes zeroed from the kernel; smaller blocks come from malloc.
#pragma once

#include <cstddef>

namespace edict::interp {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Throws std::bad_alloc when the memory cannot be had. A block of kHugePageBytes or more is zeroed.
void* AllocateLarge(size_t bytes);
// As AllocateLarge, and zeroed whatever its size (a smaller block by calloc, which writes no memory
// that comes fresh from the system).
void* AllocateLargeZeroed(size_t bytes);
// `bytes` is what AllocateLarge or AllocateLargeZeroed was given.
void FreeLarge(void* block, size_t bytes) noexcept;

// For std::vector and other containers: a container's large buffers come from AllocateLarge.
template <class T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() = default;
  template <class U>
  LargePageAllocator(const LargePageAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(AllocateLarge(n * sizeof(T))); }
  void deallocate(T* block, size_t n) noexcept { FreeLarge(block, n * sizeof(T)); }
  template <class U>
  bool operator==(const LargePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace edict::interp
