// A tiny immutable name → index map for the loader's hot path (record kinds, struct fields, enum
// values): one hash probe and one comparison, no allocation, no std::unordered_map node chasing.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edict::facts {

// Equality that is fast for short texts: word compares, the last word overlapping the one before
// it, beat a call to memcmp for identifier-sized keys.
inline bool SameText(std::string_view a, std::string_view b) {
  const size_t size = a.size();
  if (size != b.size()) return false;
  if (size > 32) return a == b;
  const char* x = a.data();
  const char* y = b.data();
  auto differ64 = [&](size_t at) {
    uint64_t u, v;
    std::memcpy(&u, x + at, 8);
    std::memcpy(&v, y + at, 8);
    return u != v;
  };
  if (size >= 8) {
    for (size_t i = 0; i + 8 < size; i += 8) {
      if (differ64(i)) return false;
    }
    return !differ64(size - 8);
  }
  if (size >= 4) {
    uint32_t u0, v0, u1, v1;
    std::memcpy(&u0, x, 4);
    std::memcpy(&v0, y, 4);
    std::memcpy(&u1, x + size - 4, 4);
    std::memcpy(&v1, y + size - 4, 4);
    return u0 == v0 && u1 == v1;
  }
  for (size_t i = 0; i < size; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

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
      if (index == kNotFound || SameText(names_[index], name)) return index;
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
