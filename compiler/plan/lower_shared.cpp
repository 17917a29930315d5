// Conditionals that repeat a call of the condition in a branch (`size(f(x)) > 0 ? f(x)[0] : ...`,
// the library's attribution helpers): the call is evaluated once, into a register bound around the
// conditional. Exact because the condition evaluates the call whenever the conditional runs, and
// every op is pure: the branch would compute the same value again.
#include "compiler/plan/lowerer.h"
#include "compiler/sema/expr_util.h"

namespace edict::plan {

const ast::FnDecl* Lowerer::UserFn(const ast::Expr& expr) const {
  if (expr.kind != ast::ExprKind::kCall || expr.operand != nullptr) return nullptr;
  const sema::ExprInfo* info = program_.Find(&expr);
  if (info == nullptr || info->ref.kind != sema::Reference::Kind::kSymbol || info->ref.symbol == nullptr ||
      info->ref.symbol->kind != sema::SymbolKind::kFn || info->group_aggregate) {
    return nullptr;
  }
  const auto* fn = static_cast<const ast::FnDecl*>(info->ref.symbol->decl);
  if (fn->body == nullptr || expr.args.size() != fn->params.size()) return nullptr;
  return fn;
}

namespace {

// Calls `walk` on the subexpressions of `expr` that stay in its scope: a macro's body and an
// aggregate bind names of their own, so a name there may mean something else. With `strict`,
// only those evaluated whenever `expr` is (not the right of && and ||, not a branch).
template <typename Walk>
void Children(const ast::Expr& expr, bool strict, Walk&& walk) {
  auto visit = [&](const ast::Expr* child) {
    if (child != nullptr) walk(*child);
  };
  switch (expr.kind) {
    case ast::ExprKind::kAggregate:
      return;
    case ast::ExprKind::kComprehension:
      visit(expr.operand);
      return;
    case ast::ExprKind::kConditional:
      if (!expr.args.empty()) visit(expr.args[0]);
      if (!strict) {
        for (size_t i = 1; i < expr.args.size(); ++i) visit(expr.args[i]);
      }
      return;
    case ast::ExprKind::kBinary:
      if (expr.binary_op == ast::BinaryOp::kAnd || expr.binary_op == ast::BinaryOp::kOr) {
        if (!expr.args.empty()) visit(expr.args[0]);
        if (!strict && expr.args.size() > 1) visit(expr.args[1]);
        return;
      }
      break;
    default:
      break;
  }
  visit(expr.operand);
  for (const ast::Expr* arg : expr.args) visit(arg);
  for (const ast::MapEntry& entry : expr.entries) {
    visit(entry.key);
    visit(entry.value);
  }
  for (const ast::FieldInit& field : expr.fields) visit(field.value);
  for (const ast::TemplatePart& part : expr.parts) visit(part.hole);
}

}  // namespace

void Lowerer::StrictCalls(const ast::Expr& expr, std::vector<const ast::Expr*>& calls) const {
  if (UserFn(expr) != nullptr) {
    calls.push_back(&expr);
    return;
  }
  Children(expr, true, [&](const ast::Expr& child) { StrictCalls(child, calls); });
}

void Lowerer::Repeats(const ast::Expr& expr, const ast::Expr& call, std::vector<const ast::Expr*>& repeats) const {
  if (sema::SameExpr(&expr, &call)) {
    repeats.push_back(&expr);
    return;
  }
  Children(expr, false, [&](const ast::Expr& child) { Repeats(child, call, repeats); });
}

Lowered Lowerer::LowerConditional(const ast::Expr& expr) {
  if (expr.args.size() != 3 || expr.args[0] == nullptr) return Unsupported("an incomplete conditional", expr.range);
  struct Shared {
    Register reg;
    ExprId value;
    Deps deps;
  };
  std::vector<Shared> shared;
  std::vector<const ast::Expr*> replaced;
  std::vector<const ast::Expr*> calls;
  StrictCalls(*expr.args[0], calls);
  for (const ast::Expr* call : calls) {
    std::vector<const ast::Expr*> repeats;
    for (size_t i = 1; i < 3; ++i) {
      if (expr.args[i] != nullptr) Repeats(*expr.args[i], *call, repeats);
    }
    if (repeats.empty() || shared_.count(call) > 0) continue;
    Lowered value = Lower(call);
    if (value.kind != Lowered::Kind::kValue || Shareable(code_, value.node)) continue;
    Register reg = frame_->New(call->name + "()");
    Deps reg_deps;
    reg_deps.AddRegister(reg);
    Lowered use = ValueOf(builder_.Emit(Op::kRegister, {}, reg), reg_deps);
    repeats.push_back(call);
    for (const ast::Expr* at : repeats) {
      if (shared_.emplace(at, use).second) replaced.push_back(at);
    }
    shared.push_back({reg, value.node, value.deps});
  }
  Deps deps;
  ExprId condition = LowerValue(expr.args[0], deps);
  ExprId if_true = LowerValue(expr.args[1], deps);
  ExprId if_false = LowerValue(expr.args[2], deps);
  for (const ast::Expr* at : replaced) shared_.erase(at);
  Lowered result = ValueOf(builder_.Emit(Op::kConditional, {condition, if_true, if_false}), deps);
  for (auto it = shared.rbegin(); it != shared.rend(); ++it) {
    if (!result.deps.Has(it->reg)) continue;
    Deps bound = result.deps;
    bound.Remove(it->reg);
    bound.Add(it->deps);
    result = ValueOf(builder_.Emit(Op::kBind, {it->value, Value(result)}, it->reg), bound);
  }
  return result;
}

}  // namespace edict::plan
