// Typing of calls (user functions, CEL builtins from overloads.def, group aggregates in
// `having`) and of the CEL macros (all, exists, exists_one, map, filter, transformMap).
#include "compiler/sema/checker.h"
#include "compiler/sema/expr_util.h"

namespace edict::sema {
namespace {

bool IsGroupAggregate(const std::string& name) { return IsAggregateName(name) && name != "exists"; }

const char* MacroName(ast::Macro macro) {
  switch (macro) {
    case ast::Macro::kHas: return "has";
    case ast::Macro::kAll: return "all";
    case ast::Macro::kExists: return "exists";
    case ast::Macro::kExistsOne: return "exists_one";
    case ast::Macro::kMap: return "map";
    case ast::Macro::kMapFilter: return "map";
    case ast::Macro::kFilter: return "filter";
    case ast::Macro::kTransformMap: return "transformMap";
  }
  return "?";
}

}  // namespace

std::string Checker::DescribeArgs(const std::vector<const Type*>& args) const {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + ToString(args[i]);
  return out;
}

const Type* Checker::CheckCall(const ast::Expr& expr, ExprInfo& info) {
  if (expr.operand != nullptr) {
    std::vector<const Type*> args = {Check(expr.operand)};
    for (const ast::Expr* arg : expr.args) args.push_back(Check(arg));
    return CheckBuiltinCall(expr, expr.name, true, args, info);
  }
  if (!expr.leading_dot && IsGroupAggregate(expr.name) && ctx_.after_group) return CheckGroupAggregate(expr, info);
  const Symbol* symbol = expr.leading_dot || FindLocal(expr.name) ? nullptr : Lookup(expr.name);
  if (symbol != nullptr && symbol->kind == SymbolKind::kFn) return CheckFnCall(expr, symbol, info);
  std::vector<const Type*> args;
  for (const ast::Expr* arg : expr.args) args.push_back(Check(arg));
  if (!program_.overloads.Find(expr.name, false).empty()) return CheckBuiltinCall(expr, expr.name, false, args, info);
  if (IsGroupAggregate(expr.name)) {
    Report(diag::DiagId::kGroupAggregateOutside, expr.range, {expr.name});
    return types_.Error();
  }
  auto& d = Report(diag::DiagId::kUnknownFunction, expr.range, {expr.name});
  if (symbol != nullptr) {
    d.help = "'" + expr.name + "' is a " + (symbol->decl ? DeclKindName(symbol->decl->kind) : "header field") +
             ", not a function";
  } else if (program_.overloads.HasFunction(expr.name)) {
    d.help = "'" + expr.name + "' is called on a value: x." + expr.name + "(...)";
  } else {
    std::vector<std::string> candidates = program_.overloads.CallableNames();
    for (const std::string& fn : VisibleNames([](const Symbol& s) { return s.kind == SymbolKind::kFn; })) {
      candidates.push_back(fn);
    }
    SuggestFrom(d, expr.name, candidates);
  }
  return types_.Error();
}

const Type* Checker::CheckFnCall(const ast::Expr& expr, const Symbol* symbol, ExprInfo& info) {
  const auto& fn = static_cast<const ast::FnDecl&>(*symbol->decl);
  info.ref.kind = Reference::Kind::kSymbol;
  info.ref.symbol = symbol;
  if (ctx_.owner != nullptr) UsesOf(ctx_.owner).symbols.push_back({symbol, expr.range});
  if (!ctx_.constant.empty()) constant_calls_.push_back({symbol, expr.range, ctx_.constant});
  const FnSignature& signature = Signature(fn);
  if (expr.args.size() != signature.params.size()) {
    Report(diag::DiagId::kArgumentCount, expr.range,
           {fn.name, std::to_string(signature.params.size()), std::to_string(expr.args.size())});
    for (const ast::Expr* arg : expr.args) Check(arg);
    return types_.Error();
  }
  for (size_t i = 0; i < expr.args.size(); ++i) {
    CheckAs(expr.args[i], signature.params[i], "argument '" + fn.params[i].name + "' of '" + fn.name + "'");
  }
  if (signature.result != nullptr) return signature.result;
  return CheckFnBody(fn);
}

const Type* Checker::CheckBuiltinCall(const ast::Expr& expr, const std::string& function, bool receiver,
                                      const std::vector<const Type*>& args, ExprInfo& info) {
  OverloadMatch match = program_.overloads.Resolve(types_, function, receiver, args);
  if (match.result != nullptr) {
    info.overloads = match.overloads;
    return match.result;
  }
  for (const Type* arg : args) {
    if (arg->IsError()) return types_.Error();
  }
  std::vector<const Overload*> candidates = program_.overloads.Find(function, receiver);
  if (candidates.empty()) {
    auto& d = Report(diag::DiagId::kUnknownFunction, expr.range, {function});
    if (receiver && !program_.overloads.Find(function, false).empty()) {
      d.help = "'" + function + "' is a global function: " + function + "(...)";
    } else {
      std::vector<std::string> names;
      for (const std::string& name : program_.overloads.CallableNames()) {
        if (!program_.overloads.Find(name, receiver).empty()) names.push_back(name);
      }
      SuggestFrom(d, function, names);
    }
    return types_.Error();
  }
  auto& d = Report(diag::DiagId::kNoMatchingOverload, expr.range, {DisplayFunctionName(function), DescribeArgs(args)});
  if (candidates.size() <= 6) {
    std::string list;
    for (const Overload* candidate : candidates) list += (list.empty() ? "" : ", ") + OverloadSignature(*candidate);
    d.help = "the overloads are: " + list;
  }
  return types_.Error();
}

const Type* Checker::CheckGroupAggregate(const ast::Expr& expr, ExprInfo& info) {
  info.group_aggregate = true;
  size_t wanted = expr.name == "count" ? 0 : 1;
  if (expr.args.size() != wanted) {
    Report(diag::DiagId::kArgumentCount, expr.range,
           {expr.name, std::to_string(wanted), std::to_string(expr.args.size())});
    return types_.Error();
  }
  if (wanted == 0) return types_.Int();
  // The argument is evaluated per member of the group, where the bindings are visible.
  ctx_.after_group = false;
  const Type* value = Check(expr.args[0]);
  ctx_.after_group = true;
  return AggregateResult(expr, value);
}

const Type* Checker::CheckComprehension(const ast::Expr& expr) {
  const Type* range = Check(expr.operand);
  const char* macro = MacroName(expr.macro);
  std::vector<const Type*> vars;
  bool two = expr.vars.size() == 2;
  switch (range->kind) {
    case TypeKind::kList:
      vars = two ? std::vector<const Type*>{types_.Int(), range->element} : std::vector<const Type*>{range->element};
      break;
    case TypeKind::kMap:
      vars = two ? std::vector<const Type*>{range->key, range->element} : std::vector<const Type*>{range->key};
      break;
    case TypeKind::kDyn:
    case TypeKind::kError:
      vars.assign(expr.vars.size(), range);
      break;
    default:
      Report(diag::DiagId::kNotAMacroTarget, expr.operand->range, {macro, ToString(range)});
      range = types_.Error();
      vars.assign(expr.vars.size(), range);
      break;
  }
  size_t mark = ctx_.locals.size();
  for (size_t i = 0; i < expr.vars.size() && i < vars.size(); ++i) {
    Local local;
    local.name = expr.vars[i];
    local.type = vars[i];
    local.ref.kind = Reference::Kind::kIterationVar;
    local.ref.comprehension = &expr;
    local.ref.index = static_cast<uint32_t>(i);
    ctx_.locals.push_back(local);
  }
  std::string condition = std::string("condition of '") + macro + "'";
  const Type* result = types_.Error();
  const ast::Expr* first = expr.args.empty() ? nullptr : expr.args[0];
  switch (expr.macro) {
    case ast::Macro::kAll:
    case ast::Macro::kExists:
    case ast::Macro::kExistsOne:
    case ast::Macro::kHas:
      CheckAs(first, types_.Bool(), condition);
      result = types_.Bool();
      break;
    case ast::Macro::kFilter:
      CheckAs(first, types_.Bool(), condition);
      result = range->IsError() ? range : types_.List(vars.empty() ? types_.Dyn() : vars[0]);
      break;
    case ast::Macro::kMap:
      result = types_.List(Check(first));
      break;
    case ast::Macro::kMapFilter:
      CheckAs(first, types_.Bool(), condition);
      result = types_.List(Check(expr.args.size() > 1 ? expr.args[1] : nullptr));
      break;
    case ast::Macro::kTransformMap: {
      // Keys stay (a list's indices become int keys); args are [transform] or [filter, transform].
      if (expr.args.size() > 1) CheckAs(first, types_.Bool(), condition);
      const Type* key = vars.empty() ? types_.Dyn() : vars[0];
      result = types_.Map(key, Check(expr.args.empty() ? nullptr : expr.args.back()));
      break;
    }
  }
  ctx_.locals.resize(mark);
  if (range->IsError()) return types_.Error();
  if ((result->kind == TypeKind::kList || result->kind == TypeKind::kMap) && result->element->IsError()) {
    return types_.Error();
  }
  return result;
}

}  // namespace edict::sema
