// A tiny immutable name → index map for the loader's hot path (record kinds, struct fields, enum
// values): one hash probe and one comparison, no allocation, no std::unordered_map node chasing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/text_hash.h"

namespace edict::facts {

class NameIndex {
 public:
  static constexpr int32_t kNotFound = -1;

  NameIndex() = default;
  // Names must be distinct; index i answers for names[i].
  explicit NameIndex(std::span<const std::string> names);

  int32_t Find(std::string_view name) const {
    if (slots_.empty()) return kNotFound;
    for (uint32_t slot = Hash(name) & mask_;; slot = (slot + 1) & mask_) {
      int32_t index = slots_[slot];
      if (index == kNotFound || value::EqualText(names_[index], name)) return index;
    }
  }
  size_t size() const { return names_.size(); }

 private:
  // FNV-1a: keys are short identifiers, where a multiply per byte beats any block hash's setup.
  static uint32_t Hash(std::string_view name) {
    uint32_t hash = 2166136261u;
    for (unsigned char c : name) hash = (hash ^ c) * 16777619u;
    return hash;
  }

  std::vector<std::string> names_;  // owned copies: views into a moved std::string would dangle
  std::vector<int32_t> slots_;      // open addressing, at most half full
  uint32_t mask_ = 0;
};

}  // namespace edict::facts
