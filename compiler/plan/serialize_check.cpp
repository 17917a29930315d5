// The index checks behind DeserializePlan: every node's operands and children, every expression
// root, register, scan, rule and pass refers to something that exists. What it cannot check is
// the meaning (that the right expression is in the right place); the entry's checksum and the
// build id in the cache key are what keep those right.
#include <set>

#include "compiler/plan/serialize.h"
#include "runtime/value/dispatch.h"

namespace edict::plan {
namespace {

constexpr uint8_t kMacroCount = static_cast<uint8_t>(Macro::kTransformMapFilter) + 1;

class IndexChecker {
 public:
  explicit IndexChecker(const Plan& plan) : plan_(plan), code_(plan.code) {}

  bool Check(std::string& error) {
    if (plan_.schema == nullptr) return Fail(error, "no schema");
    CollectLayouts();
    for (const SessionSlot& slot : plan_.slots) max_frame_ = std::max(max_frame_, slot.frame_size);
    for (const RulePlan& rule : plan_.rules) max_frame_ = std::max(max_frame_, rule.frame_size);
    for (const MemoFunction& memo : plan_.memo_functions) max_frame_ = std::max(max_frame_, memo.frame_size);
    CheckCode();
    for (const SessionSlot& slot : plan_.slots) Expr(slot.expr, true);
    for (const MemoFunction& memo : plan_.memo_functions) {
      Expr(memo.expr, true);
      Within(memo.param, memo.frame_size, "a register");
      if (!memo.by_string && memo.by_value == value::Kind::kNull) Kind(memo.kind);
      // by_value: a kind whose values are compared by their bits (not double: -0.0 and NaN).
      bool scalar = memo.by_value != value::Kind::kString && memo.by_value != value::Kind::kDouble &&
                    memo.by_value <= value::Kind::kTimestamp;
      if (!scalar || (memo.by_string && memo.by_value != value::Kind::kNull)) Bad("a memo function's key kind");
    }
    for (const Aggregate& aggregate : plan_.aggregates) {
      CheckQuery(aggregate.query);
      Expr(aggregate.value, false);
    }
    for (const RulePlan& rule : plan_.rules) CheckRule(rule);
    for (const Pass& pass : plan_.passes) {
      Kind(pass.kind);
      for (uint32_t rule : pass.rules) Within(rule, plan_.rules.size());
    }
    for (uint32_t rule : plan_.standalone) Within(rule, plan_.rules.size());
    for (const auto& fallback : plan_.context_fallbacks) Kind(fallback.first);
    return ok_ || Fail(error, what_);
  }

 private:
  static bool Fail(std::string& error, const std::string& what) {
    error = "a plan with an index out of range (" + what + ")";
    return false;
  }
  void Bad(const char* what) {
    if (ok_) what_ = what;
    ok_ = false;
  }
  void Within(uint64_t index, uint64_t size, const char* what = "an index") {
    if (index >= size) Bad(what);
  }
  void Expr(ExprId id, bool required) {
    if (id == kNone && !required) return;
    Within(id, code_.nodes.size(), "an expression root");
  }
  void Reg(Register reg) { Within(reg, max_frame_, "a register"); }
  void Kind(facts::KindId kind) { Within(kind, plan_.schema->kind_count(), "a record kind"); }
  void Layout(facts::LayoutId layout) {
    if (!layouts_.contains(layout)) Bad("a table layout");
  }
  void Optional(uint32_t index, uint64_t size, const char* what) {
    if (index != kNone) Within(index, size, what);
  }

  void CollectLayouts() {
    const facts::Schema& schema = *plan_.schema;
    std::vector<facts::LayoutId> pending = {schema.header_layout()};
    for (facts::KindId k = 0; k < schema.kind_count(); ++k) pending.push_back(schema.kind(k).layout);
    while (!pending.empty()) {
      facts::LayoutId layout = pending.back();
      pending.pop_back();
      if (!layouts_.insert(layout).second) continue;
      for (const facts::ColumnSpec& column : schema.layout(layout).columns) {
        if (column.kind == facts::TypeKind::kList) pending.push_back(column.elements);
      }
    }
  }

  void CheckCode() {
    const facts::Schema& schema = *plan_.schema;
    facts::TypeId types = UsedTypeCount(schema);
    for (const ColumnRef& column : code_.columns) {
      Layout(column.layout);
      if (ok_) Within(column.column, schema.layout(column.layout).columns.size(), "a column");
      Within(column.type, types, "a type");
      Optional(column.parent, code_.columns.size(), "a parent column");
    }
    for (const StructRef& s : code_.structs) {
      Layout(s.layout);
      if (ok_) Within(s.first, schema.layout(s.layout).columns.size() + 1, "a struct's first column");
      Within(s.type, types, "a type");
      Optional(s.presence, code_.columns.size(), "a presence column");
    }
    for (const ColumnAccess& access : code_.column_access) {
      Reg(access.reg);
      Within(access.column, code_.columns.size(), "a list column");
      Layout(access.elements);
    }
    size_t overloads = value::AllOverloads().size();
    for (const auto& set : code_.overload_sets) {
      for (value::Overload overload : set) Within(static_cast<uint32_t>(overload), overloads, "an overload");
    }
    for (const auto& [constant, name] : code_.constant_names) Within(constant, code_.constants.size(), "a constant");
    for (ExprId id = 0; id < code_.nodes.size() && ok_; ++id) CheckNode(id, overloads);
  }

  void CheckNode(ExprId id, size_t overloads) {
    const Node& n = code_.nodes[id];
    if (static_cast<uint64_t>(n.first) + n.count > code_.children.size()) return Bad("a node's children");
    // Children are emitted before their parents (CodeBuilder), so expressions cannot loop.
    for (uint32_t i = 0; i < n.count; ++i) Within(code_.child(n, i), id, "a child");
    auto arity = [&](uint32_t low, uint32_t high) {
      if (n.count < low || n.count > high) Bad("a node's arity");
    };
    switch (n.op) {
      case Op::kConst: Within(n.a, code_.constants.size(), "a constant"); break;
      case Op::kRegister: Reg(n.a); break;
      case Op::kSlot: Within(n.a, plan_.slots.size(), "a session slot"); break;
      case Op::kColumn:
        Reg(n.a);
        Within(n.b, code_.columns.size(), "a column");
        Optional(n.c, plan_.header_guards.size(), "a header guard");
        break;
      case Op::kPresent:
      case Op::kListColumn:
      case Op::kListSize:
        Reg(n.a);
        Within(n.b, code_.columns.size(), "a column");
        break;
      case Op::kListContains:
        Reg(n.a);
        Within(n.b, code_.columns.size(), "a column");
        arity(1, 1);
        break;
      case Op::kStruct:
        Reg(n.a);
        Within(n.b, code_.structs.size(), "a struct");
        break;
      case Op::kSelect:
        Within(n.a, code_.constants.size(), "a constant");
        arity(1, 1);
        break;
      case Op::kCall:
        Within(n.a, overloads, "an overload");
        if (ok_ && n.count != value::Info(static_cast<value::Overload>(n.a)).arity) Bad("a call's arity");
        break;
      case Op::kDispatch: Within(n.a, code_.overload_sets.size(), "an overload set"); break;
      case Op::kNot: arity(1, 1); break;
      case Op::kConditional: arity(3, 3); break;
      case Op::kMap:
        if (n.count % 2 != 0) Bad("a map's entries");
        break;
      case Op::kBind:
        Reg(n.a);
        arity(2, 2);
        break;
      case Op::kFold:
        Within(n.flags, kMacroCount, "a macro");
        Reg(n.a);
        Optional(n.b, max_frame_, "a register");
        arity(2, 3);
        break;
      case Op::kFoldColumn:
        Within(n.flags, kMacroCount, "a macro");
        Reg(n.a);
        Optional(n.b, max_frame_, "a register");
        Within(n.c, code_.column_access.size(), "a column access");
        arity(1, 2);
        break;
      case Op::kAggregate: Within(n.a, plan_.aggregates.size(), "an aggregate"); break;
      case Op::kMemo:
        Within(n.a, plan_.memo_functions.size(), "a memo function");
        Reg(n.b);
        break;
      case Op::kAnd:
      case Op::kOr:
      case Op::kList:
      case Op::kTemplate: break;
      default: Bad("an opcode"); break;
    }
  }

  void CheckQuery(const Query& query) {
    for (ExprId id : query.pre) Expr(id, true);
    for (const Scan& scan : query.scans) {
      Reg(scan.reg);
      switch (scan.source) {
        case Scan::Source::kRecords: Kind(scan.kind); break;
        case Scan::Source::kList: Expr(scan.list, true); break;
        case Scan::Source::kColumn: Within(scan.column, code_.column_access.size(), "a column access"); break;
      }
      if (scan.indexed) Within(scan.index, plan_.index_count, "an index slot");
      for (ExprId id : scan.filters) Expr(id, true);
      Expr(scan.key, false);
      if (scan.key != kNone) Expr(scan.probe, true);
      for (ExprId id : scan.residual) Expr(id, true);
      Optional(scan.key_conjunct, scan.residual.size(), "a conjunct");
      for (const Bound& bound : scan.bounds) {
        Expr(bound.value, true);
        Optional(bound.conjunct, scan.residual.size(), "a conjunct");
      }
      if (scan.residual_bound.size() != scan.residual.size()) Bad("a scan's residual bounds");
      for (uint32_t bound : scan.residual_bound) Optional(bound, scan.bounds.size(), "a bound");
    }
  }

  void CheckRule(const RulePlan& rule) {
    for (uint32_t param : rule.params) Within(param, plan_.params.size(), "a parameter");
    for (const Need& need : rule.needs) {
      for (const Need::Alternative& alternative : need.alternatives) {
        if (alternative.header) {
          Optional(alternative.guard, plan_.header_guards.size(), "a header guard");
        } else {
          Kind(alternative.kind);
        }
      }
    }
    for (ExprId id : {rule.applies, rule.undetermined, rule.reason, rule.subject, rule.data_types, rule.permissions,
                      rule.report, rule.evidence}) {
      Expr(id, false);
    }
    CheckQuery(rule.query);
    const Grouping& g = rule.grouping;
    for (ExprId id : g.keys) Expr(id, true);
    if (g.key_regs.size() != g.keys.size()) Bad("a grouping's key registers");
    for (Register reg : g.key_regs) Reg(reg);
    Expr(g.window, false);
    Expr(g.having, false);
    for (const GroupAggregate& aggregate : g.aggregates) {
      Expr(aggregate.arg, false);
      Reg(aggregate.reg);
    }
    Optional(g.count_from, g.aggregates.size(), "a group aggregate");
  }

  const Plan& plan_;
  const Code& code_;
  std::set<facts::LayoutId> layouts_;
  uint32_t max_frame_ = 1;
  bool ok_ = true;
  std::string what_;
};

}  // namespace

bool CheckPlanIndexes(const Plan& plan, std::string& error) { return IndexChecker(plan).Check(error); }

}  // namespace edict::plan
