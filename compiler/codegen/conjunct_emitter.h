// The pieces of a native loop that evaluates conjuncts the way the driver does: a root as
// Machine::Eval evaluates it (the budget error once the budget has run out), and its value folded
// as Machine::CheckAll folds it (false rejects the row, errors and unknowns become the pending one).
#pragma once

#include "compiler/codegen/expr_emitter.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

// Whether evaluating `id` may take budget steps: aggregates do, and unless `aggregates_only`,
// comprehensions and memo functions too.
bool MayStep(const plan::Code& code, plan::ExprId id, bool aggregates_only);

// Emits root `id` in `frame`; with `check_budget`, a root reached with `*steps` (an i64*) past
// `budget` is the machine's budget error instead, as Machine::Eval returns it.
llvm::Value* EmitRoot(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine,
                      llvm::Value* steps, llvm::Value* budget, bool check_budget);

// A conjunct's value: false branches to `rejected`, true goes on, anything else is folded into
// `pending` (a Value slot).
void EmitConjunctCheck(ExprEmitter& emitter, llvm::Value* value, llvm::Value* pending, llvm::BasicBlock* rejected);

}  // namespace edict::codegen
