// Splitting a plan's functions into parts that take about equally long to compile, so that the
// JIT host can compile the parts concurrently, one thread each.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/plan/plan.h"

namespace edict::codegen {

struct PartAssignment {
  std::vector<uint32_t> roots;   // the part of each group of alike roots
  std::vector<uint32_t> passes;  // the part of each pass
  std::vector<uint32_t> indexes; // the part of each index build (Scan::index)
};

// Assigns the functions, costliest first, each to the part with the least estimated compile cost
// so far (IR instructions, a call counted as 15; estimated per node kind from the plan).
PartAssignment AssignParts(const plan::Plan& plan, const std::vector<std::vector<plan::ExprId>>& roots,
                           uint32_t parts);

}  // namespace edict::codegen
