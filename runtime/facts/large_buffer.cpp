// Large buffers (large_buffer.h): the heap below the policy's size, a mapping grown by mremap from
// it on, aligned to and advised for huge pages from kHugePageBytes on.
#include "runtime/facts/large_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace edict::facts {
namespace {

bool Mapped(size_t bytes, MapFrom map_from) { return bytes >= static_cast<size_t>(map_from); }

size_t RoundUp(size_t bytes, size_t unit) { return (bytes + unit - 1) / unit * unit; }

bool IsHuge(size_t bytes) { return bytes >= kHugePageBytes; }

// A huge buffer's mapping ends on a huge page too, so no other mapping shares its last huge page.
size_t MappedBytes(size_t bytes) { return IsHuge(bytes) ? RoundUp(bytes, kHugePageBytes) : bytes; }

// More than any mapping can have, and small enough that rounding it up cannot overflow.
void CheckMappable(size_t bytes) {
  if (bytes > SIZE_MAX / 2) throw std::bad_alloc();
}

bool OnHugePage(const void* data) { return reinterpret_cast<uintptr_t>(data) % kHugePageBytes == 0; }

void* MapAnywhere(size_t bytes) {
  void* data = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) throw std::bad_alloc();
  return data;
}

// A mapping of `mapped` bytes (a multiple of kHugePageBytes) on a huge-page boundary, advised for
// huge pages: the kernel backs only aligned 2 MiB ranges with them. It is cut out of a mapping one
// huge page longer.
void* MapOnHugePages(size_t mapped) {
  auto* raw = static_cast<char*>(MapAnywhere(mapped + kHugePageBytes));
  char* start = raw + (kHugePageBytes - reinterpret_cast<uintptr_t>(raw) % kHugePageBytes) % kHugePageBytes;
  if (start > raw) ::munmap(raw, start - raw);
  size_t tail = kHugePageBytes - (start - raw);
  if (tail > 0) ::munmap(start + mapped, tail);
  ::madvise(start, mapped, MADV_HUGEPAGE);
  return start;
}

void* Map(size_t bytes) {
  CheckMappable(bytes);
  return IsHuge(bytes) ? MapOnHugePages(MappedBytes(bytes)) : MapAnywhere(bytes);
}

// A huge mapping moved onto a fresh aligned range (MREMAP_FIXED replaces that mapping): the
// kernel would choose an address of its own, which may not be.
void* MoveOntoHugePages(void* data, size_t old_mapped, size_t mapped) {
  void* target = MapOnHugePages(mapped);
  void* moved = ::mremap(data, old_mapped, mapped, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  if (moved == MAP_FAILED) ::munmap(target, mapped);
  return moved;
}

// A mapping grown in place where the addresses after it are free, else moved; a huge one stays
// on a huge-page boundary.
void* GrowMapping(void* data, size_t old_bytes, size_t bytes) {
  CheckMappable(bytes);
  size_t old_mapped = MappedBytes(old_bytes);
  size_t mapped = MappedBytes(bytes);
  if (mapped == old_mapped) return data;
  void* grown;
  if (!IsHuge(bytes)) {
    grown = ::mremap(data, old_mapped, mapped, MREMAP_MAYMOVE);
  } else {
    grown = OnHugePage(data) ? ::mremap(data, old_mapped, mapped, 0) : MAP_FAILED;
    if (grown == MAP_FAILED) grown = MoveOntoHugePages(data, old_mapped, mapped);
  }
  if (grown == MAP_FAILED) throw std::bad_alloc();
  // A moved or extended mapping keeps the advice it had, and a smaller one had none.
  if (IsHuge(bytes) && !IsHuge(old_bytes)) ::madvise(grown, mapped, MADV_HUGEPAGE);
  return grown;
}

}  // namespace

void* AllocateLargeBuffer(size_t bytes, MapFrom map_from) {
  if (Mapped(bytes, map_from)) return Map(bytes);
  void* data = std::calloc(std::max<size_t>(bytes, 1), 1);
  if (!data) throw std::bad_alloc();
  return data;
}

void* GrowLargeBuffer(void* data, size_t used, size_t old_bytes, size_t bytes, MapFrom map_from) {
  if (Mapped(old_bytes, map_from)) return GrowMapping(data, old_bytes, bytes);
  if (Mapped(bytes, map_from)) {
    void* mapped = Map(bytes);
    if (used > 0) std::memcpy(mapped, data, used);
    std::free(data);
    return mapped;
  }
  void* grown = std::realloc(data, std::max<size_t>(bytes, 1));
  if (!grown) throw std::bad_alloc();
  if (map_from == MapFrom::k64KiB) std::memset(static_cast<char*>(grown) + old_bytes, 0, bytes - old_bytes);
  return grown;
}

void FreeLargeBuffer(void* data, size_t bytes, MapFrom map_from) noexcept {
  if (Mapped(bytes, map_from)) ::munmap(data, MappedBytes(bytes));
  else std::free(data);
}

}  // namespace edict::facts
