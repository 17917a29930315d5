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

// The estimated compile cost of the tree at `id` emitted as a function's body, in the units below.
uint64_t TreeCompileCost(const plan::Code& code, plan::ExprId id);
// What a function adds to the cost of the code in it.
inline constexpr uint64_t kFunctionCompileCost = 36;
// What sharing a body adds (register_families.h): a function per caller, which only calls the
// body, and the loads of the `mapped` registers and aggregates its map names. A caller is priced
// at 57, not at the ~30 the fit finds, because the price also decides which families share
// (emit.cpp): at 30 more of the standard library's do, for about 0.5 % less IR and 0.3-0.5 % more
// instructions in evaluation (calls through a register map), measured on 2026-12-03.
inline uint64_t SharingCompileCost(uint64_t callers, uint64_t mapped) {
  return callers * 57 + mapped * 5;
}

// Assigns the functions, costliest first, each to the part with the least estimated compile cost
// so far (IR instructions, a call counted as 15; estimated per node kind from the plan).
// `sharing`, when given, adds its i-th cost to group i's (SharingCompileCost).
PartAssignment AssignParts(const plan::Plan& plan, const std::vector<std::vector<plan::ExprId>>& roots,
                           uint32_t parts, const std::vector<uint64_t>& sharing = {});

}  // namespace edict::codegen
