// The fused loop of one pass: every row of the pass's record kind, every active rule, its
// first scan's filters evaluated inline over the known table, then the rest of the row natively
// as far as its element scans go (row_emitter.h); the driver (interp::PassRun::resume) is called
// for a record scan or the rule's sink.
#pragma once

#include <string>

#include "compiler/codegen/context.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

void EmitPass(ModuleContext& context, const plan::Plan& plan, uint32_t pass, const std::string& symbol);

}  // namespace edict::codegen
