// Appending expression code, and which registers a piece of it reads.
#include "compiler/plan/code_builder.h"

#include <algorithm>

namespace edict::plan {

ExprId CodeBuilder::Emit(Op op, std::span<const ExprId> children, uint32_t a, uint32_t b, uint32_t c,
                         uint8_t flags) {
  Node node;
  node.op = op;
  node.flags = flags;
  node.count = static_cast<uint16_t>(children.size());
  node.a = a;
  node.b = b;
  node.c = c;
  node.first = static_cast<uint32_t>(code_.children.size());
  code_.children.insert(code_.children.end(), children.begin(), children.end());
  code_.nodes.push_back(node);
  return static_cast<ExprId>(code_.nodes.size() - 1);
}

ExprId CodeBuilder::Const(value::Value value) { return Emit(Op::kConst, {}, Constant(std::move(value))); }

uint32_t CodeBuilder::Constant(value::Value value) {
  code_.constants.push_back(std::move(value));
  return static_cast<uint32_t>(code_.constants.size() - 1);
}

ExprId CodeBuilder::Call(std::span<const value::Overload> overloads, std::span<const ExprId> args) {
  if (overloads.size() == 1) return Emit(Op::kCall, args, static_cast<uint32_t>(overloads[0]));
  code_.overload_sets.emplace_back(overloads.begin(), overloads.end());
  return Emit(Op::kDispatch, args, static_cast<uint32_t>(code_.overload_sets.size() - 1));
}

void CodeBuilder::Truncate(const Mark& mark) {
  code_.nodes.resize(mark.nodes);
  code_.children.resize(mark.children);
  code_.constants.resize(mark.constants);
  std::erase_if(code_.constant_names, [&](const auto& entry) { return entry.first >= mark.constants; });
}

namespace {

// Collects reads into `out`; `bound` are registers bound by an enclosing Fold or Bind.
bool Collect(const Code& code, ExprId id, std::vector<Register>& bound, std::vector<Register>& out) {
  const Node& node = code.node(id);
  auto read = [&](Register reg) {
    if (reg != kHeaderRegister && std::find(bound.begin(), bound.end(), reg) == bound.end()) out.push_back(reg);
  };
  switch (node.op) {
    case Op::kAggregate:
      return false;
    case Op::kFoldColumn:
      read(code.column_access[node.c].reg);
      break;
    case Op::kMemo:
      read(node.b);
      break;
    default:
      if (ReadsRegisterA(node.op)) read(node.a);
      break;
  }
  size_t mark = bound.size();
  for (uint32_t i = 0; i < node.count; ++i) {
    // A Fold's range and a Bind's value are outside the variables they bind.
    bool binds_here = (node.op == Op::kFold && i == 1) || (node.op == Op::kBind && i == 1) ||
                      (node.op == Op::kFoldColumn && i == 0);
    if (binds_here) {
      bound.push_back(node.a);
      if (node.b != kNone && node.op != Op::kBind) bound.push_back(node.b);
    }
    if (!Collect(code, code.child(node, i), bound, out)) return false;
  }
  bound.resize(mark);
  return true;
}

}  // namespace

std::optional<std::vector<Register>> RegistersRead(const Code& code, ExprId expr) {
  std::vector<Register> bound, out;
  if (!Collect(code, expr, bound, out)) return std::nullopt;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace edict::plan
