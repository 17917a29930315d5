// Deduplication of a grouped rule's findings by the findings model's key (rule, subject, data
// types, permission groups), merging each group at once. Ungrouped rules merge as they match.
#pragma once

#include <vector>

#include "runtime/findings/dedup.h"

namespace edict::interp {

// Appends `all` to `out` with the findings of equal DedupKey merged into one (findings::MergeFinding's
// meaning), in the order their keys first appear. A group is merged with a single evidence sort,
// where merging pair by pair would sort the growing evidence once per finding.
void MergeFindings(std::vector<findings::Finding> all, findings::CountMerge merge, std::vector<findings::Finding>& out);

}  // namespace edict::interp
