// Filters that several rules of one pass test alike (`attributed_call(call)`, `call_subject(call)
// ["party"] == "first"`), decided once per row: the first rule that evaluates one to a bool keeps
// that bool for the row, and the other rules' tests of it take the kept bool without evaluating.
#pragma once

#include <deque>
#include <map>
#include <utility>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

class SharedFilters {
 public:
  // Finds the pass's shared filters; their row state lives in `emitter`'s entry block.
  SharedFilters(ExprEmitter& emitter, const plan::Plan& plan, const plan::Pass& pass);

  // Filter `index` of the first scan of the pass's rule `rule`, evaluated in `frame` at `row`
  // and checked as EmitConjunctCheck checks it (false branches to `rejected`, an error or unknown
  // is folded into `pending`); `steps`, `budget` and `check_budget` as EmitRoot takes them.
  void Emit(uint32_t rule, uint32_t index, llvm::Value* frame, llvm::Value* row, llvm::Value* machine,
            llvm::Value* steps, llvm::Value* budget, bool check_budget, llvm::Value* pending,
            llvm::BasicBlock* rejected);

 private:
  // One filter alike in several rules: the row it was decided for (~0: none yet) and its bool.
  struct Shared {
    llvm::Value* decided_row = nullptr;  // i32*
    llvm::Value* held = nullptr;         // i8*
    // The memo hits an evaluation after the first makes, counted through the view of one of its
    // memo functions (every view counts into the machine's one counter).
    uint32_t memo_function = plan::kNone;
    uint32_t memo_calls = 0;
  };
  struct Site {
    Shared* shared = nullptr;
    bool first = false;  // no rule before decides it in a row
    bool last = false;   // no rule after takes the kept bool
  };

  ExprEmitter& emitter_;
  const plan::Plan& plan_;
  const plan::Pass& pass_;
  std::deque<Shared> shared_;                             // stays put: sites point into it
  std::map<std::pair<uint32_t, uint32_t>, Site> sites_;  // (rule, filter index)
};

}  // namespace edict::codegen
