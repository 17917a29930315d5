// Per-session string interning: each distinct string of a session is stored once and named by a
// dense 32-bit id, so string columns hold ids and string equality is an integer comparison.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/facts/large_buffer.h"

namespace edict::facts {

class StringPool {
 public:
  StringPool() = default;
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  // Copies `text` on first sight; the loader calls this while simdjson's view is still alive.
  uint32_t Intern(std::string_view text) { return Intern(text, Hash(text)); }
  // Interning in steps, so that the loader can start the cache misses of a record's lookups early
  // and overlap them: `hash` must be Hash(text).
  static uint64_t Hash(std::string_view text);
  void Prefetch(uint64_t hash) const {
    if (slots_.capacity() != 0) __builtin_prefetch(&slots_[hash & slots_.mask()]);
  }
  // Once the slot is cached: starts loading the text the first probe will compare.
  void PrefetchText(uint64_t hash) const {
    if (slots_.capacity() == 0) return;
    const Slot& entry = slots_[hash & slots_.mask()];
    if (entry.hash == hash) __builtin_prefetch(entry.record);
  }
  uint32_t Intern(std::string_view text, uint64_t hash);
  std::optional<uint32_t> Find(std::string_view text) const;
  std::string_view text(uint32_t id) const { return texts_[id]; }
  size_t size() const { return texts_.size(); }

 private:
  // One entry of the open-addressing table. A lookup that hits reads the slot and the text's arena
  // record (its size, id and bytes are adjacent), never the by-id arrays: the table outgrows the
  // caches on real sessions, where every `value_hash` and IP address is a distinct string.
  struct Slot {
    uint64_t hash;
    const char* record;  // null: an empty slot
  };
  // An arena record: uint32 size, uint32 id, then the bytes (texts come from lines, far below 4 GiB).
  static constexpr size_t kRecordHeader = 8;

  static bool Matches(const char* record, std::string_view text);
  static uint32_t RecordId(const char* record);
  char* Allocate(size_t bytes);
  void Grow();

  // Records live in blocks that never move, so the views below stay valid. Blocks double in size
  // up to a few huge pages: a small session takes little memory, a large one few page faults.
  std::vector<LargeBuffer<>> blocks_;
  size_t block_bytes_ = 0;  // of the last block of records; 0 before the first
  char* cursor_ = nullptr;
  size_t left_ = 0;
  LargeArray<std::string_view> texts_;  // by id
  // A large table is a mapping of its own that takes huge pages: at a few MiB, 4 KiB pages would
  // miss the TLB on almost every lookup. Smaller ones, as most sessions of a many-session load
  // have, come from the heap (MapFrom::kHugePage). A new table is zeroed: every slot is empty.
  class SlotTable {
   public:
    SlotTable() = default;
    explicit SlotTable(size_t capacity) : bytes_(capacity * sizeof(Slot)) {}
    size_t capacity() const { return bytes_.size() / sizeof(Slot); }
    uint64_t mask() const { return capacity() - 1; }
    Slot& operator[](size_t index) { return slots()[index]; }
    const Slot& operator[](size_t index) const { return slots()[index]; }

   private:
    Slot* slots() const { return reinterpret_cast<Slot*>(bytes_.data()); }

    LargeBuffer<MapFrom::kHugePage> bytes_;
  };
  SlotTable slots_;  // at most half full
};

}  // namespace edict::facts
