// The pieces of a native row loop (pass loops, index builds): its function over the run struct
// the driver fills, a row's cursor, and conjuncts evaluated the way the driver does — a root as
// Machine::Eval evaluates it (the budget error once the budget has run out), and its value folded
// as Machine::CheckAll folds it (false rejects the row, errors and unknowns become the pending one).
#pragma once

#include <string>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

// `void symbol(Run* run)`, external and never unwinding: how the driver calls a row loop.
llvm::Function* NewRunFunction(ModuleContext& context, const std::string& symbol);

// The field at `offset` of the run struct `run`, loaded once in the entry block.
llvm::Value* RunField(ExprEmitter& emitter, llvm::Value* run, llvm::Type* type, unsigned offset);

// Points register `reg` of `frame` at `row` of `table`, and empties `pending` (a Value slot) for
// what the row's conjuncts leave.
void StartRow(ExprEmitter& emitter, llvm::Value* frame, uint32_t reg, llvm::Value* table, llvm::Value* row,
              llvm::Value* pending);

// Closes a row loop at the current block: `row` + 1 into `row_at`, back to `test`; `exit` releases
// the loop's slots and returns.
void EndRowLoop(ExprEmitter& emitter, llvm::Value* row_at, llvm::Value* row, llvm::BasicBlock* test,
                llvm::BasicBlock* exit);

// Whether evaluating `id` may take budget steps: aggregates do, and unless `aggregates_only`,
// comprehensions and memo functions too.
bool MayStep(const plan::Code& code, plan::ExprId id, bool aggregates_only);

// Emits root `id` in `frame`; with `check_budget`, a root reached with `*steps` (an i64*) past
// `budget` is the machine's budget error instead, as Machine::Eval returns it.
llvm::Value* EmitRoot(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine,
                      llvm::Value* steps, llvm::Value* budget, bool check_budget);

// Root `id` as EmitRoot evaluates it, emitted as a test (ExprEmitter::EmitBranch); the budget
// error goes to `to.on_other`.
void EmitRootBranch(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine, llvm::Value* steps,
                    llvm::Value* budget, bool check_budget, const ExprEmitter::Branches& to);

// Conjunct `id`, a root as EmitRootBranch emits it: false branches to `rejected`, true goes on,
// anything else is folded into `pending` (a Value slot).
void EmitConjunct(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine, llvm::Value* steps,
                  llvm::Value* budget, bool check_budget, llvm::Value* pending, llvm::BasicBlock* rejected);

}  // namespace edict::codegen
