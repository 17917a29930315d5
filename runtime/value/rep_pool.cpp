// Per-thread free lists of representation blocks by size class, refilled from 64 KiB chunks by a
// bump pointer, so a miss costs a few instructions instead of a malloc. Blocks never go back to the
// system: a thread's surplus free blocks (beyond the cap of a class), its free blocks when it exits
// and the unused end of its chunk go to a shared store, which threads that miss take from before
// they carve new memory. So what is carved is bounded by the peak of live blocks per class plus the
// free blocks threads keep, and a later session reuses what an earlier one freed.
// Under AddressSanitizer every block goes straight to operator new/delete, so a use after free is
// still caught.
#include "runtime/value/rep_pool.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <new>

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

size_t ClassOf(size_t bytes) { return (bytes + kRepGranule - 1) / kRepGranule - 1; }
size_t ClassBytes(size_t c) { return (c + 1) * kRepGranule; }

#if EDICT_REP_POOL
constexpr size_t kChunkBytes = 64 * 1024;
// What a thread keeps of a class's free list when it hands the rest to the shared store.
constexpr uint32_t kKeptOnHandOver = kMaxFreeRepsPerClass / 2;

struct FreeBlock {
  FreeBlock* next;
};

struct FreeList {
  FreeBlock* head = nullptr;
  uint32_t count = 0;
};

// The unused end of a chunk, recorded in its own first bytes. The shared store only keeps ends of
// at least kMaxPooledRep bytes, so any block can be carved from one it hands out.
struct ChunkEnd {
  ChunkEnd* next;
  char* limit;
};

// Free blocks and chunk ends given up by threads, linked through the blocks themselves so that
// giving never allocates (it runs in FreeRep and at thread exit). Leaked on purpose: threads may
// exit, and hand their blocks over, after static destructors have run.
struct SharedStore {
  std::mutex mutex;
  FreeList lists[kClasses];
  ChunkEnd* chunk_ends = nullptr;
  std::atomic<bool> has_blocks[kClasses] = {};  // lets a miss skip the lock when there are none
};

SharedStore& Shared() {
  static SharedStore& store = *new SharedStore;
  return store;
}

// `last` is the list's last block.
void GiveShared(size_t c, FreeList list, FreeBlock* last) noexcept {
  SharedStore& store = Shared();
  std::lock_guard lock(store.mutex);
  last->next = store.lists[c].head;
  store.lists[c].head = list.head;
  store.lists[c].count += list.count;
  store.has_blocks[c].store(true, std::memory_order_relaxed);
}

FreeList TakeShared(size_t c) {
  SharedStore& store = Shared();
  if (!store.has_blocks[c].load(std::memory_order_relaxed)) return {};
  std::lock_guard lock(store.mutex);
  FreeList list = store.lists[c];
  store.lists[c] = {};
  store.has_blocks[c].store(false, std::memory_order_relaxed);
  return list;
}

FreeBlock* TakeOneShared(size_t c) {
  SharedStore& store = Shared();
  std::lock_guard lock(store.mutex);
  FreeBlock* block = store.lists[c].head;
  if (block == nullptr) return nullptr;
  store.lists[c].head = block->next;
  if (--store.lists[c].count == 0) store.has_blocks[c].store(false, std::memory_order_relaxed);
  return block;
}

void GiveSharedChunkEnd(char* begin, char* limit) noexcept {
  SharedStore& store = Shared();
  std::lock_guard lock(store.mutex);
  store.chunk_ends = new (begin) ChunkEnd{store.chunk_ends, limit};
}

// The chunk end's node is its first bytes: the range runs from the node to its limit.
ChunkEnd* TakeSharedChunkEnd() {
  SharedStore& store = Shared();
  std::lock_guard lock(store.mutex);
  ChunkEnd* end = store.chunk_ends;
  if (end != nullptr) store.chunk_ends = end->next;
  return end;
}

// Trivially destructible, so it stays usable while the thread's other thread_local objects (a
// cache of values, say) are destroyed after Drain has run.
struct ThreadLists {
  FreeBlock* heads[kClasses];
  uint32_t counts[kClasses];
  char* cursor;  // the unused end of the thread's chunk
  char* limit;
  bool draining_registered;
  bool closed;  // the thread is exiting: blocks go straight to the shared store
};
thread_local ThreadLists lists;

void Push(size_t c, void* block) {
  auto* free_block = static_cast<FreeBlock*>(block);
  free_block->next = lists.heads[c];
  lists.heads[c] = free_block;
  ++lists.counts[c];
}

// Keeps the oldest kKeptOnHandOver blocks of the class and gives the rest to the shared store.
void HandOverSurplus(size_t c) {
  FreeList surplus{lists.heads[c], lists.counts[c] - kKeptOnHandOver};
  FreeBlock* last = surplus.head;
  for (uint32_t i = 1; i < surplus.count; ++i) last = last->next;
  lists.heads[c] = last->next;
  lists.counts[c] = kKeptOnHandOver;
  GiveShared(c, surplus, last);
}

void PushWithinCap(size_t c, void* block) {
  Push(c, block);
  if (lists.counts[c] > kMaxFreeRepsPerClass) HandOverSurplus(c);
}

size_t ChunkLeft() { return static_cast<size_t>(lists.limit - lists.cursor); }

// A chunk's end too small for the block wanted is a free block of its own size.
void RetireChunkEnd() {
  if (ChunkLeft() >= kRepGranule) PushWithinCap(ClassOf(ChunkLeft()), lists.cursor);
  lists.cursor = lists.limit = nullptr;
}

// Gives the thread's free blocks and the end of its chunk to the shared store when the thread exits.
struct Drain {
  ~Drain() {
    if (ChunkLeft() >= kMaxPooledRep) {
      GiveSharedChunkEnd(lists.cursor, lists.limit);
      lists.cursor = lists.limit = nullptr;
    } else {
      RetireChunkEnd();
    }
    lists.closed = true;
    for (size_t c = 0; c < kClasses; ++c) {
      if (lists.heads[c] == nullptr) continue;
      FreeBlock* last = lists.heads[c];
      while (last->next != nullptr) last = last->next;
      GiveShared(c, {lists.heads[c], lists.counts[c]}, last);
      lists.heads[c] = nullptr;
      lists.counts[c] = 0;
    }
  }
};

void RegisterDrain() {
  thread_local Drain drain;
  lists.draining_registered = true;
}

void StartChunk() {
  RetireChunkEnd();
  if (ChunkEnd* end = TakeSharedChunkEnd()) {
    lists.limit = end->limit;
    lists.cursor = reinterpret_cast<char*>(end);
  } else {
    lists.cursor = static_cast<char*>(::operator new(kChunkBytes));
    lists.limit = lists.cursor + kChunkBytes;
  }
}

void* Carve(size_t c) {
  size_t bytes = ClassBytes(c);
  if (ChunkLeft() < bytes) StartChunk();
  void* block = lists.cursor;
  lists.cursor += bytes;
  return block;
}

// An exiting thread's destructors may still make values: their blocks come one at a time from the
// shared store, or from the system; either way they join the pool when freed.
void* AllocateWhileClosed(size_t c) {
  if (FreeBlock* block = TakeOneShared(c)) return block;
  return ::operator new(ClassBytes(c));
}

[[gnu::noinline]] void* AllocateOnMiss(size_t c) {
  if (lists.closed) return AllocateWhileClosed(c);
  if (!lists.draining_registered) RegisterDrain();
  FreeList list = TakeShared(c);
  if (list.head == nullptr) return Carve(c);
  lists.heads[c] = list.head->next;
  lists.counts[c] = list.count - 1;
  return list.head;
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
  return AllocateOnMiss(c);
#else
  return ::operator new(ClassBytes(ClassOf(bytes)));
#endif
}

void FreeRep(void* block, size_t bytes) noexcept {
  if (bytes > kMaxPooledRep) {
    ::operator delete(block, bytes);
    return;
  }
#if EDICT_REP_POOL
  size_t c = ClassOf(bytes);
  if (lists.closed) {
    auto* free_block = static_cast<FreeBlock*>(block);
    GiveShared(c, {free_block, 1}, free_block);
    return;
  }
  if (!lists.draining_registered) RegisterDrain();
  PushWithinCap(c, block);
#else
  ::operator delete(block, ClassBytes(ClassOf(bytes)));
#endif
}

size_t FreeRepCount(size_t bytes) {
#if EDICT_REP_POOL
  if (bytes <= kMaxPooledRep) return lists.counts[ClassOf(bytes)];
#endif
  return 0;
}

}  // namespace edict::value::internal
