// Storage for values' heap representations (strings, lists, maps, errors): small blocks come from
// per-thread free lists by size class, so the reps that evaluation makes and drops by the hundred
// thousand (a filter's result list, a map per row) skip malloc and free.
#pragma once

#include <cstddef>

namespace edict::value::internal {

// Block sizes are rounded up to kRepGranule; blocks up to kMaxPooledRep bytes are pooled.
inline constexpr size_t kRepGranule = 16;
inline constexpr size_t kMaxPooledRep = 256;
// Free blocks a thread keeps per size class; beyond it freed blocks go back to the system.
inline constexpr size_t kMaxFreeRepsPerClass = 512;

// `bytes` must be what the block was allocated with. A block may be freed on another thread than
// the one that allocated it: it joins the freeing thread's list.
void* AllocateRep(size_t bytes);
void FreeRep(void* block, size_t bytes) noexcept;

// The free blocks this thread holds in `bytes`' size class (0 when pooling is off), for tests.
size_t FreeRepCount(size_t bytes);

}  // namespace edict::value::internal
