// The table of a constant map's or list's string keys that native code hands to the const_*
// helpers (runtime/jit/abi.cpp) in place of hashing through value::MapRep: built at compile time
// (const_map_emitter.cpp) as a constant of the module, it picks the only candidate key by the
// key's length and two of its bytes, chosen now so that the keys rarely share a slot, and
// confirms it with one compare.
//
// Layout, in 32-bit words: [0] 32 - slot bits, [1] slot mask, [2] byte from the front, [3] byte
// from the back, [4] the word where the keys start, [5] the byte where their texts start; then the
// slots (a key's index + 1, 0 for none; linear probing), then three words per key (offset of its
// text, size, entry: the map entry's or list element's index), then the texts.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "runtime/value/text_hash.h"

namespace edict::codegen::const_table {

inline constexpr uint32_t kHeaderWords = 6;
inline constexpr uint32_t kKeyWords = 3;

inline uint32_t SlotOf(std::string_view text, uint32_t front, uint32_t back, uint32_t shift) {
  auto size = static_cast<uint32_t>(text.size());
  if (size == 0) return 0;
  uint32_t first = static_cast<uint8_t>(text[std::min(front, size - 1)]);
  uint32_t last = static_cast<uint8_t>(text[size - 1 - std::min(back, size - 1)]);
  return ((size ^ (first << 8) ^ (last << 16)) * 0x9E3779B1u) >> shift;
}

// The entry of `text` in `table`, or -1.
inline int32_t Find(const uint32_t* table, std::string_view text) {
  uint32_t mask = table[1];
  const uint32_t* slots = table + kHeaderWords;
  const uint32_t* keys = table + table[4];
  const char* bytes = reinterpret_cast<const char*>(table) + table[5];
  for (uint32_t slot = SlotOf(text, table[2], table[3], table[0]);; slot = (slot + 1) & mask) {
    uint32_t index = slots[slot];
    if (index == 0) return -1;
    const uint32_t* key = keys + (index - 1) * kKeyWords;
    if (key[1] == text.size() && value::EqualText(std::string_view(bytes + key[0], key[1]), text)) {
      return static_cast<int32_t>(key[2]);
    }
  }
}

}  // namespace edict::codegen::const_table
