// Bindings over record streams and lists, and Edict's aggregates over them:
// `count(x: kind where p)`, `exists(...)`, `min(v for x: kind where p)`, max, sum, distinct.
#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

bool IsOrderable(const Type* type) {
  switch (type->kind) {
    case TypeKind::kInt: case TypeKind::kUint: case TypeKind::kDouble: case TypeKind::kString:
    case TypeKind::kEnum: case TypeKind::kBytes: case TypeKind::kBool: case TypeKind::kDuration:
    case TypeKind::kTimestamp: case TypeKind::kDyn: case TypeKind::kError:
      return true;
    default:
      return false;
  }
}

bool IsSummable(const Type* type) {
  switch (type->kind) {
    case TypeKind::kInt: case TypeKind::kUint: case TypeKind::kDouble: case TypeKind::kDuration:
    case TypeKind::kDyn: case TypeKind::kError:
      return true;
    default:
      return false;
  }
}

}  // namespace

const Type* Checker::CheckAggregate(const ast::Expr& expr) {
  if (!IsAggregateName(expr.name)) {
    auto& d = Report(diag::DiagId::kUnknownAggregate, expr.range, {expr.name});
    SuggestFrom(d, expr.name, {"count", "exists", "min", "max", "sum", "distinct"});
    return types_.Error();
  }
  if (!ctx_.constant.empty()) {
    Report(diag::DiagId::kNotConstant, expr.range, {ctx_.constant, expr.name + "(...)"});
    return types_.Error();
  }
  NoteFacts(expr.name + "(...)", expr.range);
  size_t mark = ctx_.locals.size();
  bool bindings_ok = true;
  for (const ast::Binding* binding : expr.bindings) {
    if (binding != nullptr && Bind(*binding, BindingRole::kAggregate, false)->IsError()) bindings_ok = false;
  }
  if (expr.where != nullptr) CheckAs(expr.where, types_.Bool(), "condition of '" + expr.name + "'");
  const Type* value = expr.value != nullptr ? Check(expr.value) : nullptr;
  ctx_.locals.resize(mark);
  const Type* result = AggregateResult(expr, value);
  return bindings_ok ? result : types_.Error();
}

const Type* Checker::AggregateResult(const ast::Expr& expr, const Type* value) {
  const std::string& name = expr.name;
  bool takes_value = name != "count" && name != "exists";
  // `count()` in `having` has no arguments at all; `count(x: k)` no value. Both count.
  if (!takes_value) {
    if (value != nullptr && expr.kind == ast::ExprKind::kAggregate) {
      Report(diag::DiagId::kAggregateTakesNoValue, expr.value->range, {name});
      return types_.Error();
    }
    return name == "count" ? types_.Int() : types_.Bool();
  }
  if (value == nullptr) {
    Report(diag::DiagId::kAggregateNeedsValue, expr.range, {name});
    return types_.Error();
  }
  if (value->IsError()) return value;
  if (name == "distinct") return types_.Int();
  bool ok = name == "sum" ? IsSummable(value) : IsOrderable(value);
  if (!ok) {
    Report(diag::DiagId::kCannotAggregate, expr.kind == ast::ExprKind::kAggregate ? expr.value->range : expr.range,
           {name, ToString(value)});
    return types_.Error();
  }
  return value->kind == TypeKind::kEnum ? types_.String() : value;
}

const Type* Checker::Bind(const ast::Binding& binding, BindingRole role, bool require_kind) {
  BindingInfo info;
  info.binding = &binding;
  info.role = role;
  const ast::Expr* source = binding.source;
  const Type* type = nullptr;
  bool plain_name = source != nullptr && source->kind == ast::ExprKind::kIdent && !source->leading_dot &&
                    FindLocal(source->name) == nullptr;
  const Symbol* symbol = plain_name ? Lookup(source->name) : nullptr;
  if (symbol != nullptr && symbol->kind == SymbolKind::kRecord) {
    ExprInfo& source_info = program_.exprs[source];
    source_info.ref.kind = Reference::Kind::kSymbol;
    source_info.ref.symbol = symbol;
    if (symbol->name == "header" || symbol->type == nullptr || symbol->type->kind != TypeKind::kStruct) {
      std::string fields;
      if (program_.header != nullptr) {
        for (const Field& field : program_.header->fields) fields += (fields.empty() ? "" : ", ") + field.name;
      }
      if (symbol->name == "header") Report(diag::DiagId::kHeaderNotAKind, source->range, {fields});
      type = types_.Error();
    } else {
      type = symbol->type;
      info.kind = type->structure;
      source_info.type = types_.List(type);
      if (ctx_.owner != nullptr) UsesOf(ctx_.owner).kinds.try_emplace(symbol->name, source->range);
      if (ctx_.stream_count != nullptr) ++*ctx_.stream_count;
    }
  } else if (plain_name && symbol == nullptr) {
    auto& d = Report(diag::DiagId::kUnknownRecordKind, source->range, {source->name});
    SuggestFrom(d, source->name, RecordKindNames());
    program_.exprs[source].type = types_.Error();
    type = types_.Error();
  } else if (require_kind) {
    Report(diag::DiagId::kStepNotAKind, source ? source->range : binding.range,
           {role == BindingRole::kWithout ? "the source of 'without'" : "a sequence step"});
    if (source != nullptr) program_.exprs[source].type = types_.Error();
    type = types_.Error();
  } else {
    const Type* list = Check(source);
    switch (list->kind) {
      case TypeKind::kList: type = list->element; break;
      case TypeKind::kMap: type = list->key; break;
      case TypeKind::kDyn: case TypeKind::kError: type = list; break;
      default:
        Report(diag::DiagId::kNotAStream, source->range, {std::string(sources_.text(source->range)), ToString(list)});
        type = types_.Error();
    }
  }
  info.type = type;
  program_.bindings[&binding] = info;
  Local local;
  local.name = binding.name;
  local.type = type;
  local.ref.kind = Reference::Kind::kBinding;
  local.ref.binding = &binding;
  local.rule_binding = role != BindingRole::kAggregate;
  ctx_.locals.push_back(local);
  return type;
}

}  // namespace edict::sema
