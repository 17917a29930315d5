// The plan as text: what `edict plan <pack>` shows a policy author. Per rule: its scans in join
// order with the join kind (scan, hash join, range join, unnest, nested loop), keys, time bounds,
// filters and residual conditions, the aggregates it calls and the join width; then the session
// slots and which rules share a pass over a record kind.
#pragma once

#include <string>
#include <vector>

#include "compiler/plan/plan.h"

namespace edict::plan {

std::string PrintPlan(const Plan& plan);

// One expression in CEL-like syntax, registers named by `names` (the owner's register names).
std::string PrintExpr(const Plan* plan, const Code& code, ExprId expr, const std::vector<std::string>& names);

}  // namespace edict::plan
