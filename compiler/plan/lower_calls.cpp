// Lowering calls: builtins through the checker's overloads, user functions inlined (or called as
// memo functions, lower_memo.cpp), group aggregates after `group by`, and the CEL macros as folds.
#include <algorithm>

#include "compiler/plan/lowerer.h"
#include "compiler/sema/expr_util.h"

namespace edict::plan {
namespace {

Macro PlanMacro(ast::Macro macro, size_t steps) {
  switch (macro) {
    case ast::Macro::kTransformMap: return steps == 2 ? Macro::kTransformMapFilter : Macro::kTransformMap;
    case ast::Macro::kAll: return Macro::kAll;
    case ast::Macro::kExists: return Macro::kExists;
    case ast::Macro::kExistsOne: return Macro::kExistsOne;
    case ast::Macro::kMap: return Macro::kMap;
    case ast::Macro::kMapFilter: return Macro::kMapFilter;
    case ast::Macro::kFilter:
    case ast::Macro::kHas: break;
  }
  return Macro::kFilter;
}

}  // namespace

bool Shareable(const Code& code, ExprId node) {
  switch (code.node(node).op) {
    case Op::kConst:
    case Op::kRegister:
    case Op::kSlot:
    case Op::kColumn:
    case Op::kMemo:  // computed once per row, then a lookup
      return true;
    default:
      return false;
  }
}

value::Value ZeroOf(const sema::Type* type) {
  switch (type == nullptr ? sema::TypeKind::kInt : type->kind) {
    case sema::TypeKind::kUint: return value::Value::Uint(0);
    case sema::TypeKind::kDouble: return value::Value::Double(0);
    case sema::TypeKind::kDuration: return value::Value::Duration(0);
    default: return value::Value::Int(0);
  }
}

Lowered Lowerer::LowerCall(const ast::Expr& expr, const sema::ExprInfo& info) {
  if (info.group_aggregate && in_group_) return LowerGroupAggregate(expr);
  if (info.ref.kind == sema::Reference::Kind::kSymbol && info.ref.symbol != nullptr &&
      info.ref.symbol->kind == sema::SymbolKind::kFn) {
    return InlineFn(expr, *info.ref.symbol);
  }
  std::vector<Lowered> args;
  if (expr.operand != nullptr) args.push_back(Lower(expr.operand));
  for (const ast::Expr* arg : expr.args) args.push_back(Lower(arg));
  return LowerBuiltin(info, expr.name, expr.operand != nullptr, std::move(args));
}

Lowered Lowerer::LowerOperator(const ast::Expr& expr, const sema::ExprInfo& info, const std::string& function,
                               std::vector<Lowered> args) {
  std::string name = function.empty() ? sema::BinaryOperatorFunction(expr.binary_op) : function;
  return LowerBuiltin(info, name, false, std::move(args));
}

Lowered Lowerer::LowerBuiltin(const sema::ExprInfo& info, const std::string& function, bool receiver,
                              std::vector<Lowered> args) {
  Deps deps;
  for (const Lowered& arg : args) deps.Add(arg.deps);
  // A list column answers size() and `in` without being materialised.
  if (function == "size" && args.size() == 1 && args[0].kind == Lowered::Kind::kList) {
    return ValueOf(builder_.Emit(Op::kListSize, {}, args[0].reg, args[0].column), deps);
  }
  if (function == "@in" && args.size() == 2 && args[1].kind == Lowered::Kind::kList) {
    return ValueOf(builder_.Emit(Op::kListContains, {Value(args[0])}, args[1].reg, args[1].column), deps);
  }
  std::vector<value::Overload> overloads;
  if (check_types_) {
    for (uint16_t index : info.overloads) overloads.push_back(static_cast<value::Overload>(index));
  }
  if (overloads.empty()) {
    auto style = receiver ? value::CallStyle::kReceiver : value::CallStyle::kGlobal;
    std::optional<value::Function> found = value::Function::Find(function, style);
    if (!found && !check_types_) return Undeclared("function '" + function + "'");
    if (!found) return Unsupported("function '" + function + "'", {});
    overloads.assign(found->overloads().begin(), found->overloads().end());
  }
  std::vector<ExprId> values;
  for (const Lowered& arg : args) values.push_back(Value(arg));
  if (function == "@in" && values.size() == 2) AsStringSet(values[1], overloads);
  return ValueOf(builder_.Call(overloads, values), deps);
}

// `x in [strings]` against a long constant list is a hash probe: a string list holds `x` exactly
// when the map from its strings holds the key `x`, whatever the kind of `x`.
void Lowerer::AsStringSet(ExprId& list, std::vector<value::Overload>& overloads) {
  constexpr size_t kMinHashed = 8;  // below this a scan is as fast
  const Node& node = code_.node(list);
  if (node.op != Op::kConst || overloads.size() != 1 || overloads[0] != value::Overload::in_list) return;
  const value::Value& constant = code_.constants[node.a];
  if (!constant.is_list() || constant.list_elements().size() < kMinHashed) return;
  std::vector<std::pair<value::Value, value::Value>> entries;
  for (const value::Value& element : constant.list_elements()) {
    if (!element.is_string()) return;
    bool repeated = std::any_of(entries.begin(), entries.end(), [&](const auto& e) {
      return e.first.string_value() == element.string_value();
    });
    if (!repeated) entries.emplace_back(element, value::Value::Bool(true));
  }
  auto name = code_.constant_names.find(node.a);
  list = builder_.Const(value::Value::Map(std::move(entries)));
  if (name != code_.constant_names.end()) code_.constant_names[code_.node(list).a] = name->second;
  overloads = {value::Overload::in_map};
}

Lowered Lowerer::InlineFn(const ast::Expr& expr, const sema::Symbol& symbol) {
  const auto& fn = static_cast<const ast::FnDecl&>(*symbol.decl);
  if (expr.args.size() != fn.params.size()) return Unsupported("a call with the wrong arguments", expr.range);
  struct Argument {
    Register reg;
    ExprId value;
    Deps deps;
  };
  std::vector<Lowered> args;
  for (const ast::Expr* arg : expr.args) args.push_back(Lower(arg));
  if (args.size() == 1) {
    if (std::optional<Lowered> memo = MemoCall(fn, args[0])) return *memo;
  }
  std::vector<Argument> bound;
  std::vector<std::pair<EnvKey, std::optional<Lowered>>> saved;
  for (size_t i = 0; i < fn.params.size(); ++i) {
    Lowered& arg = args[i];
    EnvKey key{&fn, static_cast<uint32_t>(i)};
    auto previous = env_.find(key);
    saved.emplace_back(key, previous == env_.end() ? std::nullopt : std::optional<Lowered>(previous->second));
    if (arg.kind != Lowered::Kind::kValue || Shareable(code_, arg.node)) {
      env_[key] = std::move(arg);
      continue;
    }
    Register reg = frame_->New(fn.name + "." + fn.params[i].name);
    Deps reg_deps;
    reg_deps.AddRegister(reg);
    env_[key] = ValueOf(builder_.Emit(Op::kRegister, {}, reg), reg_deps);
    bound.push_back({reg, arg.node, arg.deps});
  }
  // Marked only now: an argument may call this fn too (`f(g(x))` where g calls f), which is
  // nesting, not recursion.
  bool recursive = !in_progress_.insert(&fn).second;
  Lowered body = recursive ? Unsupported("a recursive call of '" + fn.name + "'", expr.range) : Lower(fn.body);
  if (!recursive) in_progress_.erase(&fn);
  for (auto& [key, previous] : saved) {
    if (previous) {
      env_[key] = *previous;
    } else {
      env_.erase(key);
    }
  }
  // Arguments a body never reads are never evaluated: functions are pure.
  for (auto it = bound.rbegin(); it != bound.rend(); ++it) {
    if (!body.deps.Has(it->reg)) continue;
    Deps deps = body.deps;
    deps.Remove(it->reg);
    deps.Add(it->deps);
    body = ValueOf(builder_.Emit(Op::kBind, {it->value, Value(body)}, it->reg), deps);
  }
  return body;
}

Lowered Lowerer::LowerComprehension(const ast::Expr& expr) {
  if (expr.vars.empty() || expr.args.empty()) return Unsupported("an incomplete macro", expr.range);
  Lowered range = Lower(expr.operand);
  Deps deps = range.deps;
  Macro macro = PlanMacro(expr.macro, expr.args.size());
  std::vector<Register> regs;
  Op op = Op::kFold;
  uint32_t a = 0, b = kNone, c = kNone;
  std::vector<ExprId> children;
  if (range.kind == Lowered::Kind::kList) {
    op = Op::kFoldColumn;
    c = AddColumnAccess(range);
    const ColumnAccess access = code_.column_access[c];
    a = frame_->New(expr.vars.back());
    regs.push_back(a);
    if (expr.vars.size() == 2) {
      b = frame_->New(expr.vars[0]);
      regs.push_back(b);
      Lowered index = ValueOf(builder_.Emit(Op::kRegister, {}, b), {});
      index.deps.AddRegister(b);
      env_[{&expr, 0}] = index;
      env_[{&expr, 1}] = ElementOf(a, access);
    } else {
      env_[{&expr, 0}] = ElementOf(a, access);
    }
  } else {
    children.push_back(Value(range));
    for (size_t i = 0; i < expr.vars.size() && i < 2; ++i) {
      Register reg = frame_->New(expr.vars[i]);
      regs.push_back(reg);
      Lowered var = ValueOf(builder_.Emit(Op::kRegister, {}, reg), {});
      var.deps.AddRegister(reg);
      env_[{&expr, static_cast<uint32_t>(i)}] = var;
    }
    a = regs[0];
    if (regs.size() == 2) b = regs[1];
  }
  Deps body;
  for (const ast::Expr* arg : expr.args) children.push_back(LowerValue(arg, body));
  for (size_t i = 0; i < expr.vars.size(); ++i) env_.erase({&expr, static_cast<uint32_t>(i)});
  for (Register reg : regs) body.Remove(reg);
  deps.Add(body);
  return ValueOf(builder_.Emit(op, children, a, b, c, static_cast<uint8_t>(macro)), deps);
}

Lowered Lowerer::LowerGroupAggregate(const ast::Expr& expr) {
  Grouping& grouping = rule_->grouping;
  for (size_t i = 0; i < group_aggregate_exprs_.size(); ++i) {
    if (sema::SameExpr(group_aggregate_exprs_[i], &expr)) {
      Register reg = grouping.aggregates[i].reg;
      Deps deps;
      deps.AddRegister(reg);
      return ValueOf(builder_.Emit(Op::kRegister, {}, reg), deps);
    }
  }
  GroupAggregate aggregate;
  const std::string& name = expr.name;
  aggregate.kind = name == "count" ? GroupAggregateKind::kCount
                   : name == "min" ? GroupAggregateKind::kMin
                   : name == "max" ? GroupAggregateKind::kMax
                   : name == "sum" ? GroupAggregateKind::kSum
                                   : GroupAggregateKind::kDistinct;
  if (aggregate.kind != GroupAggregateKind::kCount) {
    if (expr.args.size() != 1) return Unsupported("a group aggregate without its value", expr.range);
    in_group_ = false;
    Deps ignored;
    aggregate.arg = LowerValue(expr.args[0], ignored);
    in_group_ = true;
    aggregate.zero = ZeroOf(program_.TypeOf(expr.args[0]));
  }
  aggregate.reg = frame_->New(name + "()");
  if (aggregate.kind == GroupAggregateKind::kSum && grouping.count_from == kNone) {
    grouping.count_from = static_cast<uint32_t>(grouping.aggregates.size());
  }
  grouping.aggregates.push_back(aggregate);
  group_aggregate_exprs_.push_back(&expr);
  Deps deps;
  deps.AddRegister(aggregate.reg);
  return ValueOf(builder_.Emit(Op::kRegister, {}, aggregate.reg), deps);
}

}  // namespace edict::plan
