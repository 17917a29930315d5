// The rest of a rule's row in a pass loop, once its first scan's filters are not false: the
// scan's residual conjuncts, then element scans (over a list column or a list value) and indexed
// record scans looped natively with their residuals inline, as Machine::ContinueAt → Level →
// LevelElements or LevelIndexed → Descend → Residual run them; the driver is called
// (interp::PassRun::resume) only for another record scan or the rule's sink.
#pragma once

#include "compiler/codegen/expr_emitter.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

// Where one rule's row is emitted: the loop's run-time values and the rule's own.
struct RowContext {
  llvm::Value* run;         // interp::PassRun*
  llvm::Value* machine;
  llvm::Value* steps;       // i64*: the session's budget counter
  llvm::Value* budget;      // i64
  llvm::Value* resume;      // PassRun::resume
  uint32_t rule;            // the rule's index in the pass
  llvm::Value* frame;       // the rule's registers (Cell*)
  llvm::Value* rule_frame;  // the same, as a std::vector<Cell>*, for aggregates' queries
  llvm::BasicBlock* stop;   // the row is over for this rule (its query returned false)
};

// Whether native code visits a record scan's rows itself: an indexed one whose residual
// conjuncts the bounds may decide fit LevelIndexed's 64 bits (the driver visits a scan's rows
// itself when one of its bounds is no duration).
inline bool RecordsLoopedNatively(const plan::Scan& scan) {
  return scan.indexed && scan.residual.size() <= 64 && scan.bounds.size() < 64;
}

// Emits `query`'s row from its first scan's residual conjuncts on; `pending` (a Value slot) holds
// what the rule's `pre` conjuncts and the filters left; `may_have_stepped`: whether the budget may
// have run out since the row's step. Leaves the insertion point where the row is done.
void EmitRowRest(ExprEmitter& emitter, const plan::Code& code, const plan::Query& query, const RowContext& row,
                 llvm::Value* pending, bool may_have_stepped);

}  // namespace edict::codegen
