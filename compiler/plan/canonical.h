// Canonical texts of plan code, equal for two pieces exactly when they compute the same thing
// (registers renamed by first use): lowering computes a repeated session aggregate
// (`where count(...) > n` and `report: "{count(...)}"`) once, and builds an index once for
// scans that filter and key the same records alike.
#pragma once

#include <string>

#include "compiler/plan/plan.h"

namespace edict::plan {

std::string CanonicalAggregate(const Plan& plan, const Aggregate& aggregate);

// What a scan's per-session index holds (its kind, filters and key): scans with equal texts can
// share one index.
std::string CanonicalIndex(const Plan& plan, const Scan& scan);

}  // namespace edict::plan
