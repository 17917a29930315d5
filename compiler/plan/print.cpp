// Printing plans: expressions back in CEL-like syntax, and per rule the operators a policy author
// needs to judge the cost (scans, join kinds, keys, time bounds, join width).
#include "compiler/plan/print.h"

#include "compiler/plan/readable.h"
#include "runtime/value/format.h"

namespace edict::plan {

const char* OpName(Op op) {
  switch (op) {
#define EDICT_PLAN_OP(name, operands) \
  case Op::k##name:                   \
    return #name;
#include "compiler/plan/ops.def"
#undef EDICT_PLAN_OP
  }
  return "?";
}

namespace {

const char* MacroName(uint8_t macro) {
  switch (static_cast<Macro>(macro)) {
    case Macro::kAll: return "all";
    case Macro::kExists: return "exists";
    case Macro::kExistsOne: return "exists_one";
    case Macro::kMap:
    case Macro::kMapFilter: return "map";
    case Macro::kFilter: return "filter";
    case Macro::kTransformMap:
    case Macro::kTransformMapFilter: return "transformMap";
  }
  return "?";
}

// Infix spellings of the operator functions of overloads.def.
const char* Infix(std::string_view function) {
  static const std::pair<const char*, const char*> kInfix[] = {
      {"_==_", "=="}, {"_!=_", "!="}, {"_<_", "<"},  {"_<=_", "<="}, {"_>_", ">"},  {"_>=_", ">="},
      {"_+_", "+"},   {"_-_", "-"},   {"_*_", "*"},  {"_/_", "/"},   {"_%_", "%"},  {"@in", "in"},
  };
  for (const auto& [name, spelling] : kInfix) {
    if (function == name) return spelling;
  }
  return nullptr;
}

class ExprPrinter {
 public:
  ExprPrinter(const Plan* plan, const Code& code, const std::vector<std::string>& names)
      : plan_(plan), code_(code), names_(names) {}

  std::string Print(ExprId id, bool nested) {
    const Node& n = code_.node(id);
    auto child = [&](uint32_t i, bool inner = true) { return Print(code_.child(n, i), inner); };
    auto wrap = [&](std::string text) { return nested ? "(" + text + ")" : text; };
    switch (n.op) {
      case Op::kConst: {
        if (auto name = code_.constant_names.find(n.a); name != code_.constant_names.end()) return name->second;
        const value::Value& v = code_.constants[n.a];
        std::string text = v.is_duration() ? ReadableDuration(v.duration_nanos()) : value::FormatLiteral(v);
        if (text.size() > 60) {
          size_t count = v.is_list() ? v.list_elements().size() : v.is_map() ? v.map().size() : 0;
          text = count > 0 ? (v.is_list() ? "[" : "{") + std::to_string(count) + " items" + (v.is_list() ? "]" : "}")
                           : text.substr(0, 57) + "...";
        }
        return text;
      }
      case Op::kRegister: return Name(n.a);
      case Op::kSlot:
        return plan_ != nullptr && n.a < plan_->slots.size() ? plan_->slots[n.a].name : "slot" + std::to_string(n.a);
      case Op::kColumn: return Path(n.a, code_.columns[n.b].path);
      case Op::kPresent: return "has(" + Path(n.a, code_.columns[n.b].path) + ")";
      case Op::kStruct: {
        // A nested struct is named by its presence column's path; a whole row by its variable.
        uint32_t presence = code_.structs[n.b].presence;
        return presence == kNone ? Name(n.a) : Path(n.a, code_.columns[presence].path);
      }
      case Op::kListColumn: return Path(n.a, code_.columns[n.b].path);
      case Op::kListSize: return "size(" + Path(n.a, code_.columns[n.b].path) + ")";
      case Op::kListContains: return wrap(child(0) + " in " + Path(n.a, code_.columns[n.b].path));
      case Op::kSelect: {
        std::string field(code_.constants[n.a].string_value());
        std::string text = child(0) + "." + field;
        return n.flags & 1 ? "has(" + text + ")" : text;
      }
      case Op::kCall:
      case Op::kDispatch: {
        value::Overload overload = n.op == Op::kCall ? static_cast<value::Overload>(n.a)
                                                     : code_.overload_sets[n.a].front();
        const value::OverloadInfo& info = value::Info(overload);
        std::string_view function = info.function;
        if (const char* infix = Infix(function); infix != nullptr && n.count == 2) {
          return wrap(child(0) + " " + infix + " " + child(1));
        }
        if (function == "-_" && n.count == 1) return "-" + child(0);
        if (function == "!_" && n.count == 1) return "!" + child(0);
        if (function == "_[_]" && n.count == 2) return child(0) + "[" + child(1, false) + "]";
        std::string args;
        uint32_t first = info.style == value::CallStyle::kReceiver ? 1 : 0;
        for (uint32_t i = first; i < n.count; ++i) args += (i > first ? ", " : "") + child(i, false);
        std::string call = std::string(function) + "(" + args + ")";
        return first == 1 && n.count > 0 ? child(0) + "." + call : call;
      }
      case Op::kAnd:
      case Op::kOr: {
        std::string text;
        for (uint32_t i = 0; i < n.count; ++i) text += (i ? (n.op == Op::kAnd ? " && " : " || ") : "") + child(i);
        return wrap(text);
      }
      case Op::kNot: return "!" + child(0);
      case Op::kConditional: return wrap(child(0) + " ? " + child(1) + " : " + child(2));
      case Op::kList: {
        std::string text = "[";
        for (uint32_t i = 0; i < n.count; ++i) text += (i ? ", " : "") + child(i, false);
        return text + "]";
      }
      case Op::kMap: {
        std::string text = "{";
        for (uint32_t i = 0; i + 1 < n.count; i += 2) text += (i ? ", " : "") + child(i, false) + ": " + child(i + 1, false);
        return text + "}";
      }
      case Op::kTemplate: {
        std::string text = "\"";
        for (uint32_t i = 0; i < n.count; ++i) {
          const Node& part = code_.node(code_.child(n, i));
          if (part.op == Op::kConst && code_.constants[part.a].is_string()) {
            text += code_.constants[part.a].string_value();
          } else {
            text += "{" + child(i, false) + "}";
          }
        }
        return text + "\"";
      }
      case Op::kBind: {
        // A string memo's call site binds its argument: print the call with the argument.
        const Node& body = code_.node(code_.child(n, 1));
        if (body.op == Op::kMemo && body.b == n.a) return MemoName(body.a) + "(" + child(0, false) + ")";
        return child(1, nested);
      }
      case Op::kFold: {
        std::string vars = Name(n.a) + (n.b != kNone ? ", " + Name(n.b) : "");
        std::string text = child(0) + "." + MacroName(n.flags) + "(" + vars;
        for (uint32_t i = 1; i < n.count; ++i) text += ", " + child(i, false);
        return text + ")";
      }
      case Op::kFoldColumn: {
        const ColumnAccess& access = code_.column_access[n.c];
        std::string vars = (n.b != kNone ? Name(n.b) + ", " : "") + Name(n.a);
        std::string text = Path(access.reg, code_.columns[access.column].path) + "." + MacroName(n.flags) + "(" + vars;
        for (uint32_t i = 0; i < n.count; ++i) text += ", " + child(i, false);
        return text + ")";
      }
      case Op::kAggregate:
        return plan_ != nullptr && n.a < plan_->aggregates.size() ? plan_->aggregates[n.a].text
                                                                  : "aggregate" + std::to_string(n.a);
      case Op::kMemo:
        return MemoName(n.a) + "(" + Name(n.b) + ")";
    }
    return "?";
  }

 private:
  std::string MemoName(uint32_t function) const {
    return plan_ != nullptr && function < plan_->memo_functions.size() ? plan_->memo_functions[function].name
                                                                      : "memo" + std::to_string(function);
  }
  std::string Name(Register reg) const {
    return reg < names_.size() ? names_[reg] : std::string("r").append(std::to_string(reg));
  }
  std::string Path(Register reg, const std::string& path) const {
    if (reg == kHeaderRegister) return path;
    return path.empty() ? Name(reg) : Name(reg) + "." + path;
  }

  const Plan* plan_;
  const Code& code_;
  const std::vector<std::string>& names_;
};

class PlanPrinter {
 public:
  explicit PlanPrinter(const Plan& plan) : plan_(plan) {}

  std::string Print() {
    out_ += "plan: profile " + plan_.profile + ", " + std::to_string(plan_.rules.size()) + " rule(s)\n";
    if (!plan_.params.empty()) {
      out_ += "params:\n";
      for (const Param& param : plan_.params) out_ += "  " + param.name + " = " + Literal(param.value) + "\n";
    }
    if (!plan_.slots.empty()) {
      out_ += "session values (computed once per session, in this order):\n";
      for (size_t i = 0; i < plan_.slots.size(); ++i) {
        const SessionSlot& slot = plan_.slots[i];
        const Node& node = plan_.code.node(slot.expr);
        if (node.op == Op::kAggregate) {
          out_ += "  " + slot.name + "\n";
          PrintAggregate(plan_.aggregates[node.a], slot.register_names, "    ");
        } else {
          out_ += "  " + slot.name + " = " + Expr(slot.expr, slot.register_names) + "\n";
          PrintAggregatesIn(slot.expr, slot.register_names, "    ");
        }
      }
    }
    if (!plan_.memo_functions.empty()) {
      out_ += "memo functions (computed once per record, string or value and session, shared by every rule):\n";
      for (const MemoFunction& memo : plan_.memo_functions) {
        const std::vector<std::string>& names = memo.register_names;
        std::string type = memo.by_string                         ? "string"
                           : memo.by_value != value::Kind::kNull ? std::string(value::KindName(memo.by_value))
                                                                 : plan_.schema->kind(memo.kind).name;
        out_ += "  " + memo.name + "(" + names[memo.param] + ": " + type + ") = " + Expr(memo.expr, names) + "\n";
        PrintAggregatesIn(memo.expr, names, "    ");
      }
    }
    for (const Pass& pass : plan_.passes) {
      if (pass.rules.size() < 2) continue;
      out_ += "shared pass over " + plan_.schema->kind(pass.kind).name + ":";
      for (uint32_t rule : pass.rules) out_ += " " + plan_.rules[rule].id;
      out_ += "\n";
    }
    for (const RulePlan& rule : plan_.rules) PrintRule(rule);
    return out_;
  }

 private:
  std::string Expr(ExprId id, const std::vector<std::string>& names) {
    return ExprPrinter(&plan_, plan_.code, names).Print(id, false);
  }
  static std::string Literal(const value::Value& v) {
    return v.is_duration() ? ReadableDuration(v.duration_nanos()) : value::FormatLiteral(v);
  }

  void PrintRule(const RulePlan& rule) {
    const auto& names = rule.register_names;
    out_ += "\nrule " + rule.id + " (" + rule.pack + " " + rule.version + "): join width " +
            std::to_string(rule.join_width) + "\n";
    if (!rule.needs.empty()) {
      std::string needs;
      for (const Need& need : rule.needs) {
        std::string alternatives;
        for (const Need::Alternative& alt : need.alternatives) alternatives += (alternatives.empty() ? "" : " | ") + alt.text;
        needs += (needs.empty() ? "" : ", ") + (need.exemption_only ? "(" + alternatives + ")" : alternatives);
      }
      out_ += "  needs: " + needs + "\n";
    }
    if (rule.applies != kNone) out_ += "  applies: " + Expr(rule.applies, names) + "\n";
    if (rule.undetermined != kNone) out_ += "  undetermined: " + Expr(rule.undetermined, names) + "\n";
    PrintQuery(rule.query, names, "  ", true);
    if (rule.grouped) {
      const Grouping& grouping = rule.grouping;
      std::string keys;
      for (size_t i = 0; i < grouping.keys.size(); ++i) {
        keys += (i ? ", " : "") + names[grouping.key_regs[i]] + ": " + Expr(grouping.keys[i], names);
      }
      out_ += "  group by " + (keys.empty() ? std::string("(one group)") : keys) + "\n";
      if (grouping.window != kNone) {
        out_ += "  sliding window " + Expr(grouping.window, names) + " (two-pointer sweep per group)\n";
      }
      for (const GroupAggregate& aggregate : grouping.aggregates) {
        out_ += "  " + names[aggregate.reg] +
                (aggregate.arg != kNone ? " of " + Expr(aggregate.arg, names) : std::string()) + "\n";
      }
      if (grouping.having != kNone) out_ += "  having " + Expr(grouping.having, names) + "\n";
    }
    if (rule.subject != kNone) out_ += "  subject: " + Expr(rule.subject, names) + "\n";
    if (rule.data_types != kNone) out_ += "  data types: " + Expr(rule.data_types, names) + "\n";
    if (rule.permissions != kNone) out_ += "  permissions: " + Expr(rule.permissions, names) + "\n";
    if (rule.evidence != kNone) out_ += "  evidence: " + Expr(rule.evidence, names) + "\n";
  }

  static std::string JoinKind(const Scan& scan, size_t level, bool stream_first) {
    switch (scan.source) {
      case Scan::Source::kList: return "unnest";
      case Scan::Source::kColumn: return "unnest";
      case Scan::Source::kRecords: break;
    }
    if (!scan.indexed) return "scan";
    bool keyed = scan.key != kNone;
    bool ranged = !scan.bounds.empty();
    if (keyed && ranged) return "hash range join";
    if (keyed) return "hash join";
    if (ranged) return level == 0 && !stream_first ? "range probe" : "range join";
    return level == 0 && !stream_first ? "index scan" : "nested loop join";
  }

  void PrintQuery(const Query& query, const std::vector<std::string>& names, const std::string& indent,
                  bool stream_first) {
    for (ExprId pre : query.pre) {
      out_ += indent + "when " + Expr(pre, names) + "\n";
      PrintAggregatesIn(pre, names, indent + "  ");
    }
    for (size_t k = 0; k < query.scans.size(); ++k) {
      const Scan& scan = query.scans[k];
      std::string source;
      switch (scan.source) {
        case Scan::Source::kRecords: source = plan_.schema->kind(scan.kind).name; break;
        case Scan::Source::kList: source = Expr(scan.list, names); break;
        case Scan::Source::kColumn: {
          const ColumnAccess& access = plan_.code.column_access[scan.column];
          source = names[access.reg] + "." + plan_.code.columns[access.column].path;
          break;
        }
      }
      out_ += indent + std::to_string(k + 1) + ". " + JoinKind(scan, k, stream_first) + " " + scan.name + ": " + source +
              (scan.trigger ? "  [trigger]" : "") + "\n";
      std::string inner = indent + "     ";
      if (scan.key != kNone) {
        out_ += inner + "key " + Expr(scan.key, names) + (scan.key_is_list ? " (each element)" : "") + " = " +
                Expr(scan.probe, names) + "\n";
      }
      for (const Bound& bound : scan.bounds) {
        out_ += inner + "t " + (bound.lower ? (bound.strict ? ">" : ">=") : (bound.strict ? "<" : "<=")) + " " +
                Expr(bound.value, names) + " (binary search)\n";
      }
      for (ExprId filter : scan.filters) {
        out_ += inner + "filter " + Expr(filter, names) + "\n";
        PrintAggregatesIn(filter, names, inner + "  ");
      }
      for (size_t i = 0; i < scan.residual.size(); ++i) {
        if (scan.residual_bound[i] != kNone) continue;
        out_ += inner + (i == scan.key_conjunct ? "recheck " : "where ") + Expr(scan.residual[i], names) + "\n";
        PrintAggregatesIn(scan.residual[i], names, inner + "  ");
      }
    }
  }

  void PrintAggregate(const Aggregate& aggregate, const std::vector<std::string>& names, const std::string& indent) {
    if (aggregate.counted) out_ += indent + "(counted by binary search: no record is visited)\n";
    if (aggregate.extreme_of_t) out_ += indent + "(first or last t of the bounded rows, by binary search)\n";
    PrintQuery(aggregate.query, names, indent, false);
    if (aggregate.value != kNone) out_ += indent + "value " + Expr(aggregate.value, names) + "\n";
  }

  // The correlated aggregates an expression calls, each with its own plan.
  void PrintAggregatesIn(ExprId id, const std::vector<std::string>& names, const std::string& indent) {
    const Node& node = plan_.code.node(id);
    if (node.op == Op::kAggregate) {
      const Aggregate& aggregate = plan_.aggregates[node.a];
      out_ += indent + "correlated " + aggregate.text + ":\n";
      PrintAggregate(aggregate, names, indent + "  ");
      return;
    }
    for (uint32_t i = 0; i < node.count; ++i) PrintAggregatesIn(plan_.code.child(node, i), names, indent);
  }

  const Plan& plan_;
  std::string out_;
};

}  // namespace

std::string PrintExpr(const Plan* plan, const Code& code, ExprId expr, const std::vector<std::string>& names) {
  return ExprPrinter(plan, code, names).Print(expr, false);
}

std::string PrintPlan(const Plan& plan) { return PlanPrinter(plan).Print(); }

}  // namespace edict::plan
