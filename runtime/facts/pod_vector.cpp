// PodVector's buffers: the heap below the mapping threshold, a mapping grown by mremap above it.
#include "runtime/facts/pod_vector.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace edict::facts {
namespace {

// Buffers of this size and more are mappings.
constexpr size_t kMapBytes = size_t{1} << 20;

}  // namespace

void* GrowPodBuffer(void* data, size_t used, size_t old_bytes, size_t bytes) {
  if (bytes < kMapBytes) {
    void* grown = std::realloc(data, bytes);
    if (!grown) throw std::bad_alloc();
    return grown;
  }
  if (old_bytes >= kMapBytes) {
    void* grown = ::mremap(data, old_bytes, bytes, MREMAP_MAYMOVE);
    if (grown == MAP_FAILED) throw std::bad_alloc();
    return grown;
  }
  void* grown = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (grown == MAP_FAILED) throw std::bad_alloc();
  if (used > 0) std::memcpy(grown, data, used);
  std::free(data);
  return grown;
}

void FreePodBuffer(void* data, size_t bytes) {
  if (bytes >= kMapBytes) ::munmap(data, bytes);
  else std::free(data);
}

}  // namespace edict::facts
