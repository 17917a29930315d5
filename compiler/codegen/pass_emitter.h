// The fused loop of one pass: every row of the pass's record kind, every active rule, its
// first scan's filters evaluated inline over the known table; only rows whose filters are not
// false go back to the driver (interp::PassRun::resume).
#pragma once

#include <string>

#include "compiler/codegen/context.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

void EmitPass(ModuleContext& context, const plan::Plan& plan, uint32_t pass, const std::string& symbol);

}  // namespace edict::codegen
