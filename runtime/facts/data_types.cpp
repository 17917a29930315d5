// Data-type interning and prefix membership.
#include "runtime/facts/data_types.h"

namespace edict::facts {

uint32_t DataTypeTable::Intern(std::string_view name) {
  int32_t known_id = schema_->FindDataType(name);
  if (known_id >= 0) return static_cast<uint32_t>(known_id);
  uint32_t base = static_cast<uint32_t>(schema_->data_types().size());
  auto [it, inserted] = unknown_index_.try_emplace(std::string(name), static_cast<uint32_t>(unknown_.size()));
  if (inserted) {
    unknown_.emplace_back(name);
    unknown_counts_.push_back(0);
  }
  ++unknown_counts_[it->second];
  return base + it->second;
}

void DataTypeTable::Uncount(std::span<const uint32_t> ids) {
  uint32_t base = static_cast<uint32_t>(schema_->data_types().size());
  for (uint32_t id : ids) {
    if (id >= base) --unknown_counts_[id - base];
  }
}

std::string_view DataTypeTable::name(uint32_t id) const {
  size_t base = schema_->data_types().size();
  return id < base ? std::string_view(schema_->data_types()[id]) : std::string_view(unknown_[id - base]);
}

bool DataTypeTable::Covers(std::string_view prefix, uint32_t id) const {
  std::string_view full = name(id);
  return full.starts_with(prefix) && (full.size() == prefix.size() || full[prefix.size()] == '.');
}

}  // namespace edict::facts
