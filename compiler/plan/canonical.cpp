// Canonical text of plan code, for recognising repeated aggregates.
#include "compiler/plan/canonical.h"

#include <map>

#include "runtime/value/format.h"

namespace edict::plan {
namespace {

class Canonicalizer {
 public:
  explicit Canonicalizer(const Plan& plan) : plan_(plan), code_(plan.code) {}

  std::string Index(const Scan& scan) {
    out_ += "index" + std::to_string(scan.kind) + ":" + Reg(scan.reg) + ":" + std::to_string(scan.key_is_list) + "[";
    for (ExprId filter : scan.filters) Expr(filter);
    out_ += "|";
    if (scan.key != kNone) Expr(scan.key);
    out_ += "]";
    return out_;
  }

  std::string Aggregate(const plan::Aggregate& aggregate) {
    out_ += "agg" + std::to_string(static_cast<int>(aggregate.kind)) + "(";
    const Query& query = aggregate.query;
    for (ExprId pre : query.pre) Expr(pre);
    for (const Scan& scan : query.scans) {
      out_ += "scan" + std::to_string(static_cast<int>(scan.source)) + ":" + Reg(scan.reg) + ":" +
              std::to_string(scan.kind) + ":" + std::to_string(scan.key_is_list) + "[";
      if (scan.list != kNone) Expr(scan.list);
      if (scan.column != kNone) Access(scan.column);
      for (ExprId filter : scan.filters) Expr(filter);
      out_ += "|";
      if (scan.key != kNone) Expr(scan.key);
      if (scan.probe != kNone) Expr(scan.probe);
      for (const Bound& bound : scan.bounds) {
        out_.append("b").append(std::to_string(bound.lower)).append(std::to_string(bound.strict));
        out_.append(std::to_string(bound.conjunct));
        Expr(bound.value);
      }
      out_ += "|";
      for (size_t i = 0; i < scan.residual.size(); ++i) {
        out_ += std::to_string(scan.residual_bound[i]);
        Expr(scan.residual[i]);
      }
      out_ += "]";
    }
    if (aggregate.value != kNone) Expr(aggregate.value);
    out_ += value::FormatLiteral(aggregate.zero) + ")";
    return out_;
  }

 private:
  std::string Reg(Register reg) {
    if (reg == kHeaderRegister) return "h";
    auto [it, inserted] = registers_.try_emplace(reg, registers_.size());
    return std::string("r").append(std::to_string(it->second));
  }

  void Access(uint32_t index) {
    const ColumnAccess& access = code_.column_access[index];
    out_ += "acc" + Reg(access.reg) + ":" + Column(access.column);
  }

  std::string Column(uint32_t ref) {
    const ColumnRef& column = code_.columns[ref];
    return std::to_string(column.layout) + "." + std::to_string(column.column);
  }

  void Expr(ExprId id) {
    const Node& node = code_.node(id);
    out_.append("(").append(std::to_string(static_cast<int>(node.op))).append(":");
    out_.append(std::to_string(node.flags)).append(":");
    switch (node.op) {
      case Op::kConst: {
        const value::Value& v = code_.constants[node.a];
        out_ += std::to_string(static_cast<int>(v.kind())) + value::FormatLiteral(v);
        break;
      }
      case Op::kRegister:
      case Op::kBind:
        out_ += Reg(node.a);
        break;
      case Op::kSlot:
      case Op::kCall:
        out_ += std::to_string(node.a);
        break;
      case Op::kColumn:
      case Op::kPresent:
      case Op::kListColumn:
      case Op::kListSize:
      case Op::kListContains:
        out_ += Reg(node.a) + ":" + Column(node.b) + ":" + std::to_string(node.c);
        break;
      case Op::kStruct: {
        const StructRef& ref = code_.structs[node.b];
        out_ += Reg(node.a) + ":" + std::to_string(ref.layout) + "." + std::to_string(ref.first);
        break;
      }
      case Op::kSelect:
        out_ += value::FormatLiteral(code_.constants[node.a]);
        break;
      case Op::kDispatch:
        for (value::Overload overload : code_.overload_sets[node.a]) out_ += std::to_string(static_cast<int>(overload)) + ",";
        break;
      case Op::kFold:
        out_ += Reg(node.a) + ":" + (node.b == kNone ? "-" : Reg(node.b));
        break;
      case Op::kFoldColumn:
        out_ += Reg(node.a) + ":" + (node.b == kNone ? "-" : Reg(node.b)) + ":";
        Access(node.c);
        break;
      case Op::kAggregate:
        Aggregate(plan_.aggregates[node.a]);
        break;
      case Op::kMemo:
        out_ += std::to_string(node.a) + ":" + Reg(node.b);
        break;
      default:
        break;
    }
    for (uint32_t i = 0; i < node.count; ++i) Expr(code_.child(node, i));
    out_ += ")";
  }

  const Plan& plan_;
  const Code& code_;
  std::map<Register, size_t> registers_;
  std::string out_;
};

}  // namespace

std::string CanonicalAggregate(const Plan& plan, const Aggregate& aggregate) {
  return Canonicalizer(plan).Aggregate(aggregate);
}

std::string CanonicalIndex(const Plan& plan, const Scan& scan) { return Canonicalizer(plan).Index(scan); }

}  // namespace edict::plan
