// Filters that several rules of one pass test alike (`attributed_call(call)`, `call_subject(call)
// ["party"] == "first"`), decided once per row: the first rule that evaluates one to a bool keeps
// that bool for the row, and the other rules' tests of it take the kept bool without evaluating.
// Likewise a lookup that several filters make (`call_subject(call)["party"]`, tested against
// "first" by one and "third" by another): the first evaluation in a row that is no error or
// unknown keeps a pointer to its value, which the other filters take in that row.
#pragma once

#include <deque>
#include <map>
#include <utility>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

class SharedFilters : public ExprEmitter::RowValues {
 public:
  // Finds the pass's shared filters and lookups; their row state lives in `emitter`'s entry block.
  SharedFilters(ExprEmitter& emitter, const plan::Plan& plan, const plan::Pass& pass);

  // Filter `index` of the first scan of the pass's rule `rule`, evaluated in `frame` at `row`
  // and checked as EmitConjunct checks it (false branches to `rejected`, an error or unknown
  // is folded into `pending`); `steps`, `budget` and `check_budget` as EmitRoot takes them.
  void Emit(uint32_t rule, uint32_t index, llvm::Value* frame, llvm::Value* row, llvm::Value* machine,
            llvm::Value* steps, llvm::Value* budget, bool check_budget, llvm::Value* pending,
            llvm::BasicBlock* rejected);

  // While Emit emits a filter: the value of a shared lookup, the kept one if an evaluation kept
  // it in this row, else evaluated here (and kept).
  llvm::Value* Supply(plan::ExprId id, llvm::Value* frame) override;

 private:
  // One filter or lookup alike in several rules: the row it was decided for (~0: none yet) and
  // the filter's bool or a pointer to the lookup's value.
  struct Shared {
    llvm::Value* decided_row = nullptr;  // i32*
    llvm::Value* held = nullptr;         // i8* or ptr*
    // The memo hits an evaluation after the first makes, counted through the view of one of its
    // memo functions (every view counts into the machine's one counter).
    uint32_t memo_function = plan::kNone;
    uint32_t memo_calls = 0;
  };
  struct Site {
    Shared* shared = nullptr;
    bool first = false;  // no site before decides it in a row
    bool last = false;   // no site after takes what is kept
  };

  Shared& AddShared(llvm::Type* held, uint32_t memo_function, uint32_t memo_calls);
  void FindLookups();

  ExprEmitter& emitter_;
  const plan::Plan& plan_;
  const plan::Pass& pass_;
  std::deque<Shared> shared_;                             // stays put: sites and lookups point into it
  std::map<std::pair<uint32_t, uint32_t>, Site> sites_;  // (rule, filter index)
  std::map<plan::ExprId, Site> lookups_;                 // a shared lookup's node in each filter
  llvm::Value* row_ = nullptr;                           // the row of the filter Emit emits
  plan::ExprId supplying_ = plan::kNone;                 // the lookup Supply evaluates
};

}  // namespace edict::codegen
