// The frame checks behind DeserializePlan, run once CheckPlanIndexes has passed: every register an
// expression root reaches (through its nodes, and the aggregates and column accesses they use) is
// within that root's own frame; every frame has the header's register 0, a sane size and a name per
// register (the printed plan reads them by register); memo functions and aggregates cannot reach
// themselves (the interpreter would recurse until the stack ends). Nodes are visited in id order:
// children come before their parents (CodeBuilder), and an aggregate's expressions are emitted
// before the node that uses it (the lowerer lowers the query first), so every summary a node needs
// is already computed and nothing can loop.
#include <algorithm>

#include "compiler/plan/serialize.h"

namespace edict::plan {
namespace {

// Far above any real frame (a rule's bindings, macro variables and inlined arguments), low enough
// that a corrupt entry cannot make the engine allocate gigabytes of registers.
constexpr uint32_t kMaxFrameSize = 1u << 16;

// What an expression needs to run: a frame of `frame` registers, and the memo functions below
// `memos` (a memo body may only call functions lowered before it).
struct Needs {
  uint32_t frame = 1;
  uint32_t memos = 0;
  void Add(const Needs& other) {
    frame = std::max(frame, other.frame);
    memos = std::max(memos, other.memos);
  }
  void Register(plan::Register reg) { frame = std::max<uint64_t>(frame, uint64_t{reg} + 1); }
};

class FrameChecker {
 public:
  explicit FrameChecker(const Plan& plan) : plan_(plan), code_(plan.code) {}

  bool Check(std::string& error) {
    nodes_.resize(code_.nodes.size());
    aggregates_.resize(plan_.aggregates.size());
    aggregate_user_.assign(plan_.aggregates.size(), kNone);
    for (ExprId id = 0; id < code_.nodes.size() && ok_; ++id) nodes_[id] = NodeNeeds(id);
    const auto all_memos = static_cast<uint32_t>(plan_.memo_functions.size());
    for (const SessionSlot& slot : plan_.slots) Root(Of(slot.expr), slot.frame_size, slot.register_names.size(), all_memos);
    for (uint32_t f = 0; f < plan_.memo_functions.size(); ++f) {
      const MemoFunction& memo = plan_.memo_functions[f];
      Root(Of(memo.expr), memo.frame_size, memo.register_names.size(), f);
    }
    for (const RulePlan& rule : plan_.rules) Root(RuleNeeds(rule), rule.frame_size, rule.register_names.size(), all_memos);
    if (ok_) return true;
    error = "a plan whose frames do not hold its registers (" + what_ + ")";
    return false;
  }

 private:
  void Bad(const char* what) {
    if (ok_) what_ = what;
    ok_ = false;
  }

  Needs Of(ExprId id) const { return id == kNone || id >= nodes_.size() ? Needs{} : nodes_[id]; }

  void Root(const Needs& needs, uint32_t frame_size, size_t register_names, uint32_t memo_limit) {
    if (frame_size == 0 || frame_size > kMaxFrameSize) return Bad("a frame's size");
    if (register_names != frame_size) return Bad("a frame's register names");
    if (needs.frame > frame_size) return Bad("a register beyond its frame");
    if (needs.memos > memo_limit) Bad("a memo function that can reach itself");
  }

  Needs NodeNeeds(ExprId id) {
    const Node& n = code_.nodes[id];
    Needs needs;
    for (uint32_t i = 0; i < n.count; ++i) needs.Add(nodes_[code_.child(n, i)]);
    switch (n.op) {
      case Op::kRegister:
      case Op::kColumn:
      case Op::kPresent:
      case Op::kListColumn:
      case Op::kListSize:
      case Op::kListContains:
      case Op::kStruct:
      case Op::kBind: needs.Register(n.a); break;
      case Op::kFold:
        needs.Register(n.a);
        if (n.b != kNone) needs.Register(n.b);
        break;
      case Op::kFoldColumn:
        needs.Register(n.a);
        if (n.b != kNone) needs.Register(n.b);
        needs.Register(code_.column_access[n.c].reg);
        break;
      case Op::kMemo:
        needs.Register(n.b);
        needs.memos = std::max(needs.memos, n.a + 1);
        break;
      case Op::kAggregate: needs.Add(AggregateNeeds(n.a, id)); break;
      default: break;
    }
    return needs;
  }

  // An aggregate runs in the frame of the expression that uses it.
  Needs AggregateNeeds(uint32_t index, ExprId user) {
    if (aggregate_user_[index] != kNone) return aggregates_[index];
    aggregate_user_[index] = user;
    const Aggregate& aggregate = plan_.aggregates[index];
    Needs needs = QueryNeeds(aggregate.query, user);
    needs.Add(Before(aggregate.value, user));
    return aggregates_[index] = needs;
  }

  // The needs of `id`, which must have been emitted before `user` (kNone: every id is).
  Needs Before(ExprId id, ExprId user) {
    if (id != kNone && id >= user) Bad("an aggregate used before its expressions");
    return ok_ ? Of(id) : Needs{};
  }

  Needs QueryNeeds(const Query& query, ExprId user = kNone) {
    Needs needs;
    for (ExprId id : query.pre) needs.Add(Before(id, user));
    for (const Scan& scan : query.scans) {
      needs.Register(scan.reg);
      if (scan.source == Scan::Source::kList) needs.Add(Before(scan.list, user));
      if (scan.source == Scan::Source::kColumn) needs.Register(code_.column_access[scan.column].reg);
      for (ExprId id : scan.filters) needs.Add(Before(id, user));
      needs.Add(Before(scan.key, user));
      needs.Add(Before(scan.probe, user));
      for (ExprId id : scan.residual) needs.Add(Before(id, user));
      for (const Bound& bound : scan.bounds) needs.Add(Before(bound.value, user));
    }
    return needs;
  }

  Needs RuleNeeds(const RulePlan& rule) {
    Needs needs = QueryNeeds(rule.query);
    for (ExprId id : {rule.applies, rule.undetermined, rule.reason, rule.subject, rule.data_types, rule.permissions,
                      rule.report, rule.evidence}) {
      needs.Add(Of(id));
    }
    const Grouping& g = rule.grouping;
    for (ExprId id : g.keys) needs.Add(Of(id));
    for (plan::Register reg : g.key_regs) needs.Register(reg);
    needs.Add(Of(g.window));
    needs.Add(Of(g.having));
    for (const GroupAggregate& aggregate : g.aggregates) {
      needs.Add(Of(aggregate.arg));
      needs.Register(aggregate.reg);
    }
    return needs;
  }

  const Plan& plan_;
  const Code& code_;
  std::vector<Needs> nodes_;
  std::vector<Needs> aggregates_;
  std::vector<ExprId> aggregate_user_;  // the first node using each aggregate, or kNone
  bool ok_ = true;
  std::string what_;
};

}  // namespace

bool CheckPlanFrames(const Plan& plan, std::string& error) { return FrameChecker(plan).Check(error); }

}  // namespace edict::plan
