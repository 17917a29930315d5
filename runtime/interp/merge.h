// Deduplication of one session's findings by the findings model's key (rule, subject, data
// types, permission groups), merging each group at once.
#pragma once

#include <utility>
#include <vector>

#include "runtime/findings/dedup.h"

namespace edict::interp {

// The findings with equal DedupKey merged into one (findings::MergeFinding's meaning), in the
// order their keys first appear. A group is merged with a single evidence sort, where merging
// pair by pair would sort the growing evidence once per finding.
std::vector<findings::Finding> MergeFindings(std::vector<std::pair<findings::Finding, findings::CountMerge>> all);

}  // namespace edict::interp
