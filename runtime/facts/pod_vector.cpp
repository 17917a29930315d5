// PodVector's buffers: the heap below the mapping threshold, a mapping grown by mremap above it,
// which asks for huge pages once it spans one.
#include "runtime/facts/pod_vector.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace edict::facts {
namespace {

// Buffers of this size and more are mappings: growing them never copies.
constexpr size_t kMapBytes = size_t{64} << 10;
// Mappings of this size and more ask for transparent huge pages. A first touch of a page is a
// fault, which on some virtual machines costs microseconds; a huge page takes one fault where
// 4 KiB pages take 512. The sizes are multiples of it (capacities double), so the kernel places
// them on huge-page boundaries, and mremap keeps both the placement and the advice. At most the
// last huge page of a buffer is partly used.
constexpr size_t kHugeBytes = size_t{2} << 20;

void AdviseHugePages(void* buffer, size_t bytes) {
  if (bytes >= kHugeBytes) ::madvise(buffer, bytes, MADV_HUGEPAGE);
}

void* MapBuffer(size_t bytes) {
  void* buffer = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buffer == MAP_FAILED) throw std::bad_alloc();
  AdviseHugePages(buffer, bytes);
  return buffer;
}

}  // namespace

void* GrowPodBuffer(void* data, size_t used, size_t old_bytes, size_t bytes) {
  if (bytes < kMapBytes) {
    void* grown = std::realloc(data, bytes);
    if (!grown) throw std::bad_alloc();
    std::memset(static_cast<char*>(grown) + old_bytes, 0, bytes - old_bytes);
    return grown;
  }
  if (old_bytes >= kMapBytes) {
    void* grown = ::mremap(data, old_bytes, bytes, MREMAP_MAYMOVE);
    if (grown == MAP_FAILED) throw std::bad_alloc();
    if (old_bytes < kHugeBytes) AdviseHugePages(grown, bytes);
    return grown;
  }
  void* grown = MapBuffer(bytes);
  if (used > 0) std::memcpy(grown, data, used);
  std::free(data);
  return grown;
}

void* AllocatePodBuffer(size_t bytes) {
  if (bytes >= kMapBytes) return MapBuffer(bytes);
  void* buffer = std::calloc(bytes, 1);
  if (!buffer) throw std::bad_alloc();
  return buffer;
}

void FreePodBuffer(void* data, size_t bytes) {
  if (bytes >= kMapBytes) ::munmap(data, bytes);
  else std::free(data);
}

}  // namespace edict::facts
