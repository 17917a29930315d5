// Builds the open-addressing table of a NameIndex.
#include "runtime/facts/name_index.h"

namespace edict::facts {

NameIndex::NameIndex(std::span<const std::string> names) : names_(names.begin(), names.end()) {
  if (names_.empty()) return;
  size_t capacity = 4;
  while (capacity < names_.size() * 2) capacity *= 2;
  slots_.assign(capacity, kNotFound);
  mask_ = static_cast<uint32_t>(capacity - 1);
  for (size_t i = 0; i < names_.size(); ++i) {
    uint32_t slot = Hash(names_[i]) & mask_;
    while (slots_[slot] != kNotFound) slot = (slot + 1) & mask_;
    slots_[slot] = static_cast<int32_t>(i);
  }
}

}  // namespace edict::facts
