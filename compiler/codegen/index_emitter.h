// The native build of one per-session index (Scan::index): every row of the scan's record kind
// while the budget lasts, its filters and key evaluated inline over the known table; only rows
// whose filters are not false go back to the driver (interp::IndexRun::add).
#pragma once

#include <string>
#include <vector>

#include "compiler/codegen/context.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

// By Scan::index, the scan whose code builds that index: the first in plan order (aggregates',
// then rules' queries). Scans sharing an index have alike filters and key up to their registers,
// and the native loop runs in a frame of its own, so any one of them serves all.
std::vector<const plan::Scan*> IndexScans(const plan::Plan& plan);

void EmitIndex(ModuleContext& context, const plan::Plan& plan, const plan::Scan& scan, const std::string& symbol);

}  // namespace edict::codegen
