// What a match's key values were found to name (an ungrouped rule's finding, a grouped rule's
// group), remembered by where the values' contents live: a key met again is found by comparing
// addresses, without spelling its values out as text, hashing their contents or comparing them.
// Values are held, so an address names the same contents for as long as its entry lasts. A map
// is named by its entries' keys and values: maps of equal entries are often built row by row (a
// subject), from the same interned strings.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "runtime/value/value.h"

namespace edict::interp {

class KeyMemo {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // What `values` (the first `split` of one part of the key, the rest of another) were
  // remembered to name, or kNone. Remember then takes the same values.
  uint32_t Find(std::span<const value::Value> values, size_t split) {
    uint64_t h = split;
    nameable_ = true;
    for (const value::Value& v : values) {
      if (!v.is_map()) {
        h = Mix(h, LeafOf(v));
        continue;
      }
      const value::MapRep& map = v.map();
      for (size_t i = 0; i < map.size(); ++i) h = Mix(h, LeafOf(map.value(i)));  // keys are compared only
    }
    slot_ = static_cast<size_t>(h >> (64 - kSlotBits));
    if (!nameable_ || entries_.empty()) return kNone;
    const Entry& entry = entries_[slot_];
    if (entry.named == kNone || entry.split != split || entry.values.size() != values.size()) return kNone;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!SameContents(entry.values[i], values[i])) return kNone;
    }
    return entry.named;
  }

  // Remembers that the values of the last Find name `named`, in place of what their slot held.
  // Values of no storage (numbers, booleans) but null are not remembered: they cannot be found.
  void Remember(std::span<const value::Value> values, size_t split, uint32_t named) {
    if (!nameable_) return;
    if (entries_.empty()) entries_.resize(kSlots);
    Entry& entry = entries_[slot_];
    entry.values.assign(values.begin(), values.end());
    entry.split = split;
    entry.named = named;
  }

 private:
  static constexpr int kSlotBits = 10;
  static constexpr size_t kSlots = size_t{1} << kSlotBits;

  struct Entry {
    std::vector<value::Value> values;
    size_t split = 0;
    uint32_t named = kNone;
  };

  // Where a value's contents live and their size (a map's: none), equal for equal contents
  // while the values are held.
  struct Leaf {
    const void* storage = nullptr;
    size_t size = 0;
    friend bool operator==(const Leaf& a, const Leaf& b) = default;
  };

  // A value of no storage but null (a number, a boolean) makes the key one not remembered.
  Leaf LeafOf(const value::Value& v) {
    switch (v.kind()) {
      case value::Kind::kNull: return {};
      case value::Kind::kString:
      case value::Kind::kBytes: {
        std::string_view text = v.string_value();
        return {text.data(), text.size()};
      }
      case value::Kind::kList: return {v.list_elements().data(), v.list_elements().size()};
      case value::Kind::kMap: return {&v.map(), 0};
      default:
        nameable_ = false;
        return {};
    }
  }

  static uint64_t Mix(uint64_t h, Leaf leaf) {
    return (h ^ reinterpret_cast<uintptr_t>(leaf.storage) ^ leaf.size) * 0x9e3779b97f4a7c15ULL;
  }

  // Of values the memo took as nameable: the same kind and leaf.
  static bool SameLeaf(const value::Value& a, const value::Value& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
      case value::Kind::kNull: return true;
      case value::Kind::kString:
      case value::Kind::kBytes: {
        std::string_view x = a.string_value();
        std::string_view y = b.string_value();
        return x.data() == y.data() && x.size() == y.size();
      }
      case value::Kind::kList:
        return a.list_elements().data() == b.list_elements().data() && a.list_elements().size() == b.list_elements().size();
      case value::Kind::kMap: return &a.map() == &b.map();
      default: return false;
    }
  }

  // Leaves of the same storage, maps of such entries in the same order.
  static bool SameContents(const value::Value& a, const value::Value& b) {
    if (!a.is_map() || !b.is_map()) return SameLeaf(a, b);
    const value::MapRep& x = a.map();
    const value::MapRep& y = b.map();
    if (&x == &y) return true;
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!SameLeaf(x.key(i), y.key(i)) || !SameLeaf(x.value(i), y.value(i))) return false;
    }
    return true;
  }

  std::vector<Entry> entries_;  // kSlots, direct-mapped; sized at the first Remember
  // The last Find's: whether its values may be remembered, and their slot.
  bool nameable_ = false;
  size_t slot_ = 0;
};

}  // namespace edict::interp
