// Per-thread free lists of representation blocks by size class. Under AddressSanitizer every block
// goes straight to operator new/delete, so a use after free is still caught.
#include "runtime/value/rep_pool.h"

#include <cstdint>
#include <new>

#include "runtime/value/per_thread.h"

#if defined(__SANITIZE_ADDRESS__)
#define EDICT_REP_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EDICT_REP_POOL 0
#endif
#endif
#ifndef EDICT_REP_POOL
#define EDICT_REP_POOL 1
#endif

namespace edict::value::internal {
namespace {

constexpr size_t kClasses = kMaxPooledRep / kRepGranule;

size_t Rounded(size_t bytes) { return (bytes + kRepGranule - 1) / kRepGranule * kRepGranule; }
size_t ClassOf(size_t bytes) { return (bytes + kRepGranule - 1) / kRepGranule - 1; }

#if EDICT_REP_POOL
struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible, so it stays usable while the thread's other per-thread objects (a
// cache of values, say) are destroyed after Drain has run.
struct ThreadLists {
  FreeBlock* heads[kClasses];
  uint32_t counts[kClasses];
  bool draining_registered;
  bool closed;  // the thread is exiting: blocks go straight back to the system
};
thread_local ThreadLists lists;

// Gives the thread's free blocks back when the thread exits (a PerThread object: registering a
// thread_local destructor would wait out a concurrent dlopen, per_thread.h).
struct Drain {
  ~Drain() {
    lists.closed = true;
    for (size_t c = 0; c < kClasses; ++c) {
      while (FreeBlock* block = lists.heads[c]) {
        lists.heads[c] = block->next;
        ::operator delete(block, (c + 1) * kRepGranule);
      }
      lists.counts[c] = 0;
    }
  }
};

void RegisterDrain() {
  PerThread<Drain, Drain>::Get();
  lists.draining_registered = true;
}
#endif

}  // namespace

void* AllocateRep(size_t bytes) {
  if (bytes > kMaxPooledRep) return ::operator new(bytes);
#if EDICT_REP_POOL
  size_t c = ClassOf(bytes);
  if (FreeBlock* block = lists.heads[c]) {
    lists.heads[c] = block->next;
    --lists.counts[c];
    return block;
  }
#endif
  return ::operator new(Rounded(bytes));
}

void FreeRep(void* block, size_t bytes) noexcept {
  if (bytes > kMaxPooledRep) {
    ::operator delete(block, bytes);
    return;
  }
#if EDICT_REP_POOL
  size_t c = ClassOf(bytes);
  if (!lists.closed && lists.counts[c] < kMaxFreeRepsPerClass) {
    if (!lists.draining_registered) RegisterDrain();
    auto* free_block = static_cast<FreeBlock*>(block);
    free_block->next = lists.heads[c];
    lists.heads[c] = free_block;
    ++lists.counts[c];
    return;
  }
#endif
  ::operator delete(block, Rounded(bytes));
}

size_t FreeRepCount(size_t bytes) {
#if EDICT_REP_POOL
  if (bytes <= kMaxPooledRep) return lists.counts[ClassOf(bytes)];
#endif
  return 0;
}

}  // namespace edict::value::internal
