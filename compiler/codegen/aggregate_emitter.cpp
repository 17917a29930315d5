// Aggregates. A counted or extreme_of_t one is answered as Machine::Aggregate and AnswerByRange
// answer it, their steps in their order, without the machine's generic path: the step, the `pre`
// conjuncts and the bounds inline, the scan's session index from the `range_index` helper (which
// takes the step too when there is no `pre`, and builds the index on first use; after bounds that
// take no steps, in the same call as the rest), the binary searches and the result from
// `range_answer`. Where AnswerByRange gives up (`pre` erred, a bound
// is not a duration, the budget ran out before a bound), `range_answer` runs the query as the
// machine does. Any other exists or count over one indexed scan without `pre` has its bounds evaluated
// so too, bound by bound as Machine::Bounds takes them, and `range_scan` runs the rest of the
// machine's general path (Machine::AggregateInRange). Every other aggregate is the machine's
// (`aggregate`).
#include <algorithm>

#include "compiler/codegen/aggregate_forms.h"
#include "compiler/codegen/conjunct_emitter.h"
#include "compiler/codegen/expr_emitter.h"
#include "runtime/value/value.h"

namespace edict::codegen {

namespace {

constexpr uint8_t kDurationKind = static_cast<uint8_t>(value::Kind::kDuration);

}  // namespace

const plan::Aggregate* Answerable(const plan::Plan* plan, uint32_t aggregate) {
  if (plan == nullptr || aggregate >= plan->aggregates.size()) return nullptr;
  const plan::Aggregate& found = plan->aggregates[aggregate];
  if (!found.counted && !found.extreme_of_t) return nullptr;
  if (found.query.scans.size() != 1 || found.query.scans[0].bounds.size() >= 64) return nullptr;
  return &found;
}

const plan::Aggregate* Scannable(const plan::Plan* plan, uint32_t aggregate) {
  if (plan == nullptr || aggregate >= plan->aggregates.size()) return nullptr;
  plan::AggregateKind kind = plan->aggregates[aggregate].kind;
  const plan::Query& query = plan->aggregates[aggregate].query;
  if (kind != plan::AggregateKind::kExists && kind != plan::AggregateKind::kCount) return nullptr;
  if (!query.pre.empty() || query.scans.size() != 1) return nullptr;
  const plan::Scan& scan = query.scans[0];
  bool one_indexed = scan.source == plan::Scan::Source::kRecords && scan.indexed && scan.residual.size() <= 64;
  if (!one_indexed || scan.bounds.size() >= 64) return nullptr;
  return &plan->aggregates[aggregate];
}

llvm::Value* ExprEmitter::EmitAggregate(const plan::Node& node, llvm::Value* frame) {
  llvm::Value* slot = NewSlot();
  const plan::Aggregate* aggregate = Answerable(context_.plan(), node.a);
  bool scanned = aggregate == nullptr;
  if (scanned) aggregate = Scannable(context_.plan(), node.a);
  if (aggregate == nullptr) {
    Call(Helper::k_aggregate, {machine_, AggregateArg(node.a), slot});
    return slot;
  }
  llvm::Value* no_index = llvm::ConstantPointerNull::get(context_.ptr());
  llvm::BasicBlock* done = NewBlock("aggregate.done");
  llvm::BasicBlock* general = nullptr;
  // The machine's general path, where AnswerByRange returns false.
  auto to_general = [&]() {
    if (general == nullptr) {
      general = NewBlock("aggregate.query");
      llvm::BasicBlock* here = builder_.GetInsertBlock();
      builder_.SetInsertPoint(general);
      Call(Helper::k_range_answer, {machine_, no_index, AggregateArg(node.a), I64(0), I64(0), I32(0), slot});
      builder_.CreateBr(done);
      builder_.SetInsertPoint(here);
    }
    return general;
  };
  // Machine::Eval evaluates a root only while the budget lasts (else it is the budget error, which
  // sends the aggregate to the general path): only an operand evaluated before can have used it up.
  auto check_budget = [&](plan::ExprId before) {
    if (before == plan::kNone || !MayStep(code_, before, false)) return;
    llvm::BasicBlock* go_on = NewBlock("aggregate.budget_ok");
    builder_.CreateCondBr(builder_.CreateICmpNE(Call(Helper::k_exhausted, {machine_}), I32(0)), to_general(), go_on);
    builder_.SetInsertPoint(go_on);
  };

  const std::vector<plan::ExprId>& pre = aggregate->query.pre;
  if (!pre.empty()) {
    // CheckAll: the first false one decides (the slices are empty), else any other value but true
    // sends the aggregate to the general path.
    llvm::BasicBlock* over = NewBlock("aggregate.over");
    llvm::BasicBlock* checks = NewBlock("aggregate.pre");
    llvm::BasicBlock* emptied = NewBlock("aggregate.emptied");
    builder_.CreateCondBr(builder_.CreateICmpEQ(Call(Helper::k_step, {machine_}), I32(0)), over, checks);
    builder_.SetInsertPoint(over);
    Call(Helper::k_budget_error, {machine_, slot});
    builder_.CreateBr(done);
    builder_.SetInsertPoint(emptied);
    Call(Helper::k_range_answer, {machine_, no_index, AggregateArg(node.a), I64(0), I64(0), I32(1), slot});
    builder_.CreateBr(done);
    builder_.SetInsertPoint(checks);
    llvm::Value* pending = builder_.getFalse();
    for (size_t i = 0; i < pre.size(); ++i) {
      check_budget(i == 0 ? plan::kNone : pre[i - 1]);
      llvm::Value* v = Emit(pre[i], frame);
      llvm::BasicBlock* not_false = NewBlock("aggregate.pre_held");
      builder_.CreateCondBr(IsBool(v, false), emptied, not_false);
      builder_.SetInsertPoint(not_false);
      pending = builder_.CreateOr(pending, builder_.CreateNot(IsBool(v, true)));
    }
    llvm::BasicBlock* clean = NewBlock("aggregate.pre_clean");
    builder_.CreateCondBr(pending, to_general(), clean);
    builder_.SetInsertPoint(clean);
  }

  // Bounds that take no steps may be evaluated before the step and the index: one call then does
  // what range_index would have done before them.
  const std::vector<plan::Bound>& bounds = aggregate->query.scans[0].bounds;
  bool early = pre.empty() && std::none_of(bounds.begin(), bounds.end(), [&](const plan::Bound& bound) {
                 return MayStep(code_, bound.value, false);
               });
  llvm::Value* index = no_index;
  if (!early) {
    index = Call(Helper::k_range_index, {machine_, AggregateArg(node.a), slot});
    llvm::BasicBlock* bounded = NewBlock("aggregate.bounds");
    builder_.CreateCondBr(builder_.CreateICmpEQ(index, no_index), done, bounded);
    builder_.SetInsertPoint(bounded);
  }
  // Machine::Bounds: an empty range once a strict bound is at the end of time. Answered, any bound
  // that is no duration sends the aggregate to the general path; scanned, it is left out, and bit i
  // of `valid_bits` says whether bound i was a duration.
  llvm::Value* lo = I64(INT64_MIN);
  llvm::Value* hi = I64(INT64_MAX);
  llvm::Value* valid = builder_.getTrue();
  llvm::Value* valid_bits = I64(0);
  llvm::Value* empty = builder_.getFalse();
  auto bounded_lo = [&]() { return bounds.empty() ? lo : builder_.CreateSelect(empty, I64(INT64_MAX), lo); };
  auto bounded_hi = [&]() { return bounds.empty() ? hi : builder_.CreateSelect(empty, I64(INT64_MIN), hi); };
  // The machine's general path past the bounds evaluated so far, the others left out.
  auto scan = [&](llvm::Value* index_now, uint32_t flags) {
    Call(Helper::k_range_scan,
         {machine_, index_now, AggregateArg(node.a), bounded_lo(), bounded_hi(), valid_bits, I32(flags), slot});
    builder_.CreateBr(done);
  };
  for (size_t i = 0; i < bounds.size(); ++i) {
    const plan::Bound& bound = bounds[i];
    if (!scanned) {
      check_budget(i == 0 ? plan::kNone : bounds[i - 1].value);
    } else if (i > 0 && MayStep(code_, bounds[i - 1].value, false)) {
      // Machine::Eval gives the budget error for a bound once the budget is spent: no duration.
      llvm::BasicBlock* spent = NewColdBlock("aggregate.spent");
      llvm::BasicBlock* go_on = NewBlock("aggregate.budget_ok");
      builder_.CreateCondBr(builder_.CreateICmpNE(Call(Helper::k_exhausted, {machine_}), I32(0)), spent, go_on);
      builder_.SetInsertPoint(spent);
      scan(index, 0);
      builder_.SetInsertPoint(go_on);
    }
    llvm::Value* v = Emit(bound.value, frame);
    llvm::Value* is_duration = builder_.CreateICmpEQ(KindOf(v), llvm::ConstantInt::get(context_.i8(), kDurationKind));
    llvm::Value* t = builder_.CreateLoad(context_.i64(), Field(v, kValuePayloadOffset));
    if (scanned) {
      valid_bits =
          builder_.CreateOr(valid_bits, builder_.CreateShl(builder_.CreateZExt(is_duration, context_.i64()), i));
    } else {
      valid = builder_.CreateAnd(valid, is_duration);
    }
    auto narrows = [&](llvm::Value* test) { return scanned ? builder_.CreateAnd(is_duration, test) : test; };
    if (bound.strict) {
      empty = builder_.CreateOr(empty, narrows(builder_.CreateICmpEQ(t, I64(bound.lower ? INT64_MAX : INT64_MIN))));
      t = bound.lower ? builder_.CreateAdd(t, I64(1)) : builder_.CreateSub(t, I64(1));
    }
    // A compare and a select, not llvm.smax/smin, which FastISel leaves to SelectionDAG.
    if (bound.lower) {
      lo = builder_.CreateSelect(narrows(builder_.CreateICmpSGT(t, lo)), t, lo);
    } else {
      hi = builder_.CreateSelect(narrows(builder_.CreateICmpSLT(t, hi)), t, hi);
    }
  }
  if (scanned) {
    scan(index, early ? 2 : 0);
    builder_.SetInsertPoint(done);
    return slot;
  }
  lo = bounded_lo();
  hi = bounded_hi();
  llvm::Value* flags = builder_.CreateZExt(valid, context_.i32());
  if (early) flags = builder_.CreateOr(flags, I32(2));
  Call(Helper::k_range_answer, {machine_, index, AggregateArg(node.a), lo, hi, flags, slot});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return slot;
}

}  // namespace edict::codegen
