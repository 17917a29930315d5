// Deduplication: one finding per (rule, subject, data types, permission groups) with every
// matching record as evidence. The engine decides the key by what it puts in a finding (rule-catalog
// "Deduplication"); this merges findings whose keys agree.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/findings/model.h"

namespace edict::findings {

// How `window.count` combines when two findings merge.
enum class CountMerge : uint8_t {
  kDistinctTriggers,  // the number of matching records: distinct trigger records after the union
  kLargest,           // frequency rules: the most collections in one window, so the larger count
};

// The merge key: session, rule, app, subject party/sdk/org/domain, data types and permission groups
// (as sets). Two findings with the same key would get the same id.
std::string DedupKey(const Finding& finding);

// Folds `from` (same key) into `into`: evidence becomes the union in time order without repeats,
// the window spans both windows and all evidence, notes are united, and the message, subject
// details and params are those of the finding whose first evidence is earlier.
void MergeFinding(Finding& into, Finding from, CountMerge count_merge);

// Collects the findings of one session and merges those with equal keys.
class Deduplicator {
 public:
  void Add(Finding finding, CountMerge count_merge = CountMerge::kDistinctTriggers);
  // The merged findings in the order their keys were first added; leaves the collector empty.
  std::vector<Finding> Take();

 private:
  std::vector<Finding> findings_;
  std::unordered_map<std::string, size_t> index_by_key_;
};

}  // namespace edict::findings
