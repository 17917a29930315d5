// A pass's rules point their cursors at the same row, so a filter that reads only that cursor
// (columns, by-row memo values of the pass's kind, constants) has the same value in every rule
// that tests it in the row; plan ops are pure. Evaluating it again takes no step: its memo calls
// were misses at most once, in the first evaluation, which filled their rows (Machine::MemoByRow
// fills a row of its table whatever the budget) and are hits now, so the kept bool stands in for
// that evaluation with its hits counted. What could step each time (folds, aggregates) or bind a
// register is never shared, nor a memo call the evaluation may skip (under &&, || or ?:), whose
// hits would depend on the path. The budget test EmitRootBranch makes still comes first.
// A lookup (a map's `[]`, a field's select) inside filters is kept by the same argument, but
// dynamically: whichever site evaluates it first in a row keeps a pointer to its value (a slot only
// its own code writes, or a value borrowed from the session's memo cache or the constants), the
// others test the row, take the pointer and count the memo hits the evaluation would have made.
// An error or unknown is not kept: its evaluation is repeated, as the interpreter repeats it.
#include "compiler/codegen/shared_filters.h"

#include <algorithm>
#include <vector>

#include "compiler/codegen/conjunct_emitter.h"
#include "runtime/value/compare.h"
#include "runtime/value/dispatch.h"

namespace edict::codegen {

namespace {

using plan::Op;

// Whether `id` reads no register but `scan`'s and takes no step once its memo functions' rows are
// filled; counts the memo calls it always makes (each one a hit then) and names one of them.
// `certain`: every evaluation of the parent evaluates this node.
bool RowShareable(const plan::Plan& plan, plan::ExprId id, const plan::Scan& scan, bool certain, uint32_t& memo_calls,
                  uint32_t& memo_function) {
  const plan::Node& node = plan.code.nodes[id];
  bool children_certain = certain;
  switch (node.op) {
    case Op::kConst:
      return true;
    case Op::kMemo: {
      const plan::MemoFunction& memo = plan.memo_functions[node.a];
      bool by_row = !memo.by_string && memo.by_value == value::Kind::kNull;
      if (!certain || !by_row || node.b != scan.reg || memo.kind != scan.kind) return false;
      ++memo_calls;
      memo_function = node.a;
      return true;
    }
    case Op::kCall:
    case Op::kSelect:
    case Op::kNot:
      break;
    case Op::kDispatch:
    case Op::kAnd:
    case Op::kOr:
    case Op::kConditional:
    case Op::kList:
    case Op::kMap:
    case Op::kTemplate:
      children_certain = false;
      break;
    default:  // the row's columns, or slots, binds, folds, aggregates
      if (!plan::ReadsRegisterA(node.op) || node.a != scan.reg) return false;
  }
  for (uint32_t i = 0; i < node.count; ++i) {
    if (!RowShareable(plan, plan.code.child(node, i), scan, children_certain, memo_calls, memo_function)) return false;
  }
  return true;
}

// A lookup in a map or a select of a field: a helper call, worth keeping for the row, unlike the
// inline compares and reads around it.
bool IsLookup(const plan::Node& node) {
  if (node.op == Op::kSelect) return true;
  return node.op == Op::kCall && node.count == 2 && static_cast<value::Overload>(node.a) == value::Overload::index_map;
}

// Constants that every op treats alike: equal scalars but doubles (0.0 and -0.0 are equal), equal
// lists of strings.
bool SameConstant(const value::Value& a, const value::Value& b) {
  if (a.kind() != b.kind() || a.kind() == value::Kind::kDouble || a.kind() >= value::Kind::kError) return false;
  if (a.is_list()) {
    for (const value::Value& element : a.list_elements()) {
      if (!element.is_string()) return false;
    }
  } else if (a.is_map()) {
    return false;
  }
  return value::Equal(a, b);
}

// Whether trees `a` in a rule whose scan binds `reg_a` and `b` (`reg_b`) have the same value in
// one row: alike node for node, the scan's register for the scan's, constants by their values
// (the plan keeps a constant per use).
bool SameInRow(const plan::Code& code, plan::ExprId a, plan::Register reg_a, plan::ExprId b, plan::Register reg_b) {
  const plan::Node& x = code.nodes[a];
  const plan::Node& y = code.nodes[b];
  if (x.op != y.op || x.flags != y.flags || x.count != y.count || x.c != y.c) return false;
  switch (x.op) {
    case Op::kConst:
      return SameConstant(code.constants[x.a], code.constants[y.a]);
    case Op::kSelect:  // a: the field's name
      if (!SameConstant(code.constants[x.a], code.constants[y.a])) return false;
      break;
    case Op::kMemo:
      if (x.a != y.a || x.b != reg_a || y.b != reg_b) return false;
      break;
    default:
      if (plan::ReadsRegisterA(x.op) ? x.a != reg_a || y.a != reg_b || x.b != y.b : x.a != y.a || x.b != y.b) {
        return false;
      }
  }
  for (uint32_t i = 0; i < x.count; ++i) {
    if (!SameInRow(code, code.child(x, i), reg_a, code.child(y, i), reg_b)) return false;
  }
  return true;
}

}  // namespace

SharedFilters::SharedFilters(ExprEmitter& emitter, const plan::Plan& plan, const plan::Pass& pass)
    : emitter_(emitter), plan_(plan), pass_(pass) {
  // Each shareable filter joins the class of the first alike one before it.
  struct Class {
    plan::ExprId filter;
    plan::Register reg;
    uint32_t memo_calls = 0;
    uint32_t memo_function = plan::kNone;
    std::vector<std::pair<uint32_t, uint32_t>> sites;
  };
  std::vector<Class> classes;
  for (uint32_t rule = 0; rule < pass.rules.size(); ++rule) {
    const plan::Scan& scan = plan.rules[pass.rules[rule]].query.scans[0];
    for (uint32_t i = 0; i < scan.filters.size(); ++i) {
      plan::ExprId filter = scan.filters[i];
      auto alike = std::find_if(classes.begin(), classes.end(), [&](const Class& known) {
        return SameInRow(plan.code, known.filter, known.reg, filter, scan.reg);
      });
      if (alike != classes.end()) {
        alike->sites.emplace_back(rule, i);
        continue;
      }
      Class added{filter, scan.reg, 0, plan::kNone, {}};
      if (RowShareable(plan, filter, scan, true, added.memo_calls, added.memo_function)) {
        added.sites.emplace_back(rule, i);
        classes.push_back(std::move(added));
      }
    }
  }
  for (const Class& found : classes) {
    if (found.sites.size() < 2) continue;
    Shared& shared = AddShared(emitter.entry().getInt8Ty(), found.memo_function, found.memo_calls);
    for (size_t s = 0; s < found.sites.size(); ++s) {
      sites_[found.sites[s]] = {&shared, s == 0, s + 1 == found.sites.size()};
    }
  }
  FindLookups();
}

SharedFilters::Shared& SharedFilters::AddShared(llvm::Type* held, uint32_t memo_function, uint32_t memo_calls) {
  llvm::IRBuilder<>& entry = emitter_.entry();
  Shared& shared = shared_.emplace_back();
  shared.memo_function = memo_function;
  shared.memo_calls = memo_calls;
  shared.decided_row = entry.CreateAlloca(entry.getInt32Ty());
  entry.CreateStore(entry.getInt32(~0u), shared.decided_row);
  shared.held = entry.CreateAlloca(held);
  return shared;
}

// Lookups below the filters' roots (a root alike in several rules is a shared filter) that make a
// memo call, each joining the class of the first alike one before it.
void SharedFilters::FindLookups() {
  struct Class {
    plan::ExprId lookup;
    plan::Register reg;
    uint32_t memo_calls = 0;
    uint32_t memo_function = plan::kNone;
    std::vector<plan::ExprId> sites;
  };
  std::vector<Class> classes;
  for (uint32_t rule : pass_.rules) {
    const plan::Scan& scan = plan_.rules[rule].query.scans[0];
    for (plan::ExprId filter : scan.filters) {
      // Below the root in preorder, children in order: mostly the order of emission.
      std::vector<plan::ExprId> below;
      auto push_children = [&](const plan::Node& node) {
        for (uint32_t i = node.count; i-- > 0;) below.push_back(plan_.code.child(node, i));
      };
      push_children(plan_.code.nodes[filter]);
      while (!below.empty()) {
        plan::ExprId id = below.back();
        below.pop_back();
        const plan::Node& node = plan_.code.nodes[id];
        push_children(node);
        if (!IsLookup(node)) continue;
        auto alike = std::find_if(classes.begin(), classes.end(), [&](const Class& known) {
          return SameInRow(plan_.code, known.lookup, known.reg, id, scan.reg);
        });
        if (alike != classes.end()) {
          alike->sites.push_back(id);
          continue;
        }
        Class added{id, scan.reg, 0, plan::kNone, {id}};
        if (RowShareable(plan_, id, scan, true, added.memo_calls, added.memo_function) && added.memo_calls > 0) {
          classes.push_back(std::move(added));
        }
      }
    }
  }
  // A site taken for first or last that is not (two in one filter emitted the other way round)
  // only evaluates where it could have taken the kept value, or keeps none.
  for (const Class& found : classes) {
    if (found.sites.size() < 2) continue;
    Shared& shared = AddShared(emitter_.entry().getPtrTy(), found.memo_function, found.memo_calls);
    for (size_t s = 0; s < found.sites.size(); ++s) {
      lookups_[found.sites[s]] = {&shared, s == 0, s + 1 == found.sites.size()};
    }
  }
}

llvm::Value* SharedFilters::Supply(plan::ExprId id, llvm::Value* frame) {
  auto found = lookups_.find(id);
  if (found == lookups_.end() || id == supplying_) return nullptr;
  const Site& site = found->second;
  const Shared& shared = *site.shared;
  llvm::IRBuilder<>& b = emitter_.builder();
  llvm::BasicBlock* kept = nullptr;
  llvm::Value* held = nullptr;
  if (!site.first) {
    kept = emitter_.NewBlock("lookup.kept");
    llvm::BasicBlock* evaluate = emitter_.NewBlock("lookup.eval");
    b.CreateCondBr(b.CreateICmpEQ(b.CreateLoad(b.getInt32Ty(), shared.decided_row), row_), kept, evaluate);
    b.SetInsertPoint(kept);
    emitter_.CountMemoHits(shared.memo_function, shared.memo_calls);
    held = b.CreateLoad(b.getPtrTy(), shared.held);
    b.SetInsertPoint(evaluate);
  }
  plan::ExprId outer = supplying_;
  supplying_ = id;
  llvm::Value* value = emitter_.Emit(id, frame);
  supplying_ = outer;
  if (!site.last) {
    llvm::Value* settled = b.CreateICmpULT(emitter_.KindOf(value), b.getInt8(static_cast<uint8_t>(value::Kind::kError)));
    b.CreateStore(b.CreateSelect(settled, row_, b.getInt32(~0u)), shared.decided_row);
    b.CreateStore(value, shared.held);
  }
  if (site.first) return value;
  llvm::BasicBlock* evaluated = b.GetInsertBlock();
  llvm::BasicBlock* done = emitter_.NewBlock("lookup.done");
  b.CreateBr(done);
  b.SetInsertPoint(kept);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode* result = b.CreatePHI(b.getPtrTy(), 2);
  result->addIncoming(held, kept);
  result->addIncoming(value, evaluated);
  return result;
}

void SharedFilters::Emit(uint32_t rule, uint32_t index, llvm::Value* frame, llvm::Value* row, llvm::Value* machine,
                         llvm::Value* steps, llvm::Value* budget, bool check_budget, llvm::Value* pending,
                         llvm::BasicBlock* rejected) {
  plan::ExprId id = plan_.rules[pass_.rules[rule]].query.scans[0].filters[index];
  row_ = row;
  if (!lookups_.empty()) emitter_.set_row_values(this);
  auto found = sites_.find({rule, index});
  if (found == sites_.end()) {
    EmitConjunct(emitter_, id, frame, machine, steps, budget, check_budget, pending, rejected);
    emitter_.set_row_values(nullptr);
    return;
  }
  const Site& site = found->second;
  Shared& shared = *site.shared;
  llvm::IRBuilder<>& b = emitter_.builder();
  llvm::BasicBlock* held = emitter_.NewBlock("shared.held");
  if (!site.first) {
    llvm::BasicBlock* kept = emitter_.NewBlock("shared.kept");
    llvm::BasicBlock* evaluate = emitter_.NewBlock("shared.eval");
    llvm::Value* decided = b.CreateICmpEQ(b.CreateLoad(b.getInt32Ty(), shared.decided_row), row);
    if (check_budget) decided = b.CreateAnd(decided, b.CreateICmpULE(b.CreateLoad(b.getInt64Ty(), steps), budget));
    b.CreateCondBr(decided, kept, evaluate);
    b.SetInsertPoint(kept);
    if (shared.memo_calls > 0) emitter_.CountMemoHits(shared.memo_function, shared.memo_calls);
    b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(b.getInt8Ty(), shared.held), b.getInt8(0)), held, rejected);
    b.SetInsertPoint(evaluate);
  }
  if (site.last) {
    EmitConjunct(emitter_, id, frame, machine, steps, budget, check_budget, pending, rejected);
    b.CreateBr(held);
  } else {
    // A bool decides the row for the later sites; anything else is evaluated again there.
    llvm::BasicBlock* is_true = emitter_.NewBlock("shared.true");
    llvm::BasicBlock* is_false = emitter_.NewBlock("shared.false");
    ExprEmitter::Branches to = emitter_.NewBranches(is_true, is_false, "shared.open");
    EmitRootBranch(emitter_, id, frame, machine, steps, budget, check_budget, to);
    auto decide = [&](llvm::BasicBlock* block, bool value, llvm::BasicBlock* then) {
      b.SetInsertPoint(block);
      b.CreateStore(row, shared.decided_row);
      b.CreateStore(b.getInt8(value ? 1 : 0), shared.held);
      b.CreateBr(then);
    };
    decide(is_true, true, held);
    decide(is_false, false, rejected);
    if (emitter_.EnterOther(to)) {
      b.CreateStore(b.getInt32(~0u), shared.decided_row);
      emitter_.Call(Helper::k_filter_pending, {pending, to.other});
      b.CreateBr(held);
    }
  }
  b.SetInsertPoint(held);
  emitter_.set_row_values(nullptr);
}

}  // namespace edict::codegen
