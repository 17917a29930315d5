// A session's data-type ids: the schema's known ids keep their schema index; ids the schema does
// not list are accepted (appfacts-1 §1, forward compatibility), numbered after them and counted.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/facts/schema.h"

namespace edict::facts {

class DataTypeTable {
 public:
  explicit DataTypeTable(const Schema& schema) : schema_(&schema) {}

  // The id of `name`, adding it when unknown; counts every occurrence of an unknown id.
  uint32_t Intern(std::string_view name);
  // Takes back one count of each unknown id in `ids`: a record skipped in lenient mode counts nothing.
  void Uncount(std::span<const uint32_t> ids);

  std::string_view name(uint32_t id) const;
  bool known(uint32_t id) const { return id < schema_->data_types().size(); }
  size_t size() const { return schema_->data_types().size() + unknown_.size(); }
  // Hierarchy-aware membership (appfacts-1 §4): `loc` covers `loc` and `loc.precise`, not `location`.
  bool Covers(std::string_view prefix, uint32_t id) const;

  // Unknown ids in order of first sight, with how many times each occurred.
  const std::vector<std::string>& unknown() const { return unknown_; }
  const std::vector<uint64_t>& unknown_counts() const { return unknown_counts_; }

 private:
  const Schema* schema_;
  std::vector<std::string> unknown_;
  std::vector<uint64_t> unknown_counts_;
  std::unordered_map<std::string, uint32_t> unknown_index_;
};

}  // namespace edict::facts
