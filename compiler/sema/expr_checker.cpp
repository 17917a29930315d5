// Typing of CEL expressions: names, fields, literals, operators and enum comparisons. Calls and
// macros are in expr_calls.cpp, aggregates and bindings in expr_aggregates.cpp.
//
// An expression that produced an error gets the error type, which every check accepts without a
// word: one mistake, one diagnostic.
#include "compiler/sema/checker.h"
#include "compiler/sema/expr_util.h"

namespace edict::sema {

const Type* Checker::Check(const ast::Expr* expr) {
  if (expr == nullptr) return types_.Error();  // the parser recovered from an error it reported
  ExprInfo& info = program_.exprs[expr];
  if (ctx_.after_group) {
    int key = MatchGroupKey(*expr);
    if (key >= 0) {
      info.group_key = key;
      info.type = ctx_.group_key_types[key];
      return info.type;
    }
  }
  // References into an unordered_map survive rehashing, so `info` stays valid while children
  // add their own entries.
  info.type = CheckExpr(*expr, info);
  return info.type;
}

const Type* Checker::CheckAs(const ast::Expr* expr, const Type* expected, const std::string& what) {
  const Type* type = Check(expr);
  if (!IsAssignable(expected, type)) {
    Report(diag::DiagId::kTypeMismatch, expr->range, {what, ToString(expected), ToString(type)});
    return types_.Error();
  }
  if (expected->kind == TypeKind::kEnum) CheckEnumLiteral(expected, expr);
  if (expected->kind == TypeKind::kList && expected->element->kind == TypeKind::kEnum &&
      expr->kind == ast::ExprKind::kList) {
    for (const ast::Expr* element : expr->args) CheckEnumLiteral(expected->element, element);
  }
  return type;
}

const Type* Checker::CheckExpr(const ast::Expr& expr, ExprInfo& info) {
  switch (expr.kind) {
    case ast::ExprKind::kLiteral: return CheckLiteral(expr);
    case ast::ExprKind::kIdent: return CheckIdent(expr, info);
    case ast::ExprKind::kSelect: return CheckSelect(expr, info);
    case ast::ExprKind::kIndex: return CheckIndex(expr, info);
    case ast::ExprKind::kCall: return CheckCall(expr, info);
    case ast::ExprKind::kList: return CheckList(expr);
    case ast::ExprKind::kMap: return CheckMap(expr);
    case ast::ExprKind::kMessage: return CheckMessage(expr);
    case ast::ExprKind::kUnary: return CheckUnary(expr, info);
    case ast::ExprKind::kBinary: return CheckBinary(expr, info);
    case ast::ExprKind::kConditional: return CheckConditional(expr);
    case ast::ExprKind::kComprehension: return CheckComprehension(expr);
    case ast::ExprKind::kAggregate: return CheckAggregate(expr);
    case ast::ExprKind::kTemplate: return CheckTemplate(expr);
  }
  return types_.Error();
}

const Type* Checker::CheckLiteral(const ast::Expr& expr) {
  switch (expr.literal.kind) {
    case ast::LiteralKind::kNull: return types_.Null();
    case ast::LiteralKind::kBool: return types_.Bool();
    case ast::LiteralKind::kInt: return types_.Int();
    case ast::LiteralKind::kUint: return types_.Uint();
    case ast::LiteralKind::kDouble: return types_.Double();
    case ast::LiteralKind::kString: return types_.String();
    case ast::LiteralKind::kBytes: return types_.Bytes();
    case ast::LiteralKind::kDuration: return types_.Duration();
  }
  return types_.Error();
}

Checker::Local* Checker::FindLocal(const std::string& name) {
  for (auto it = ctx_.locals.rbegin(); it != ctx_.locals.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

const Type* Checker::CheckIdent(const ast::Expr& expr, ExprInfo& info) {
  const std::string& name = expr.name;
  if (!expr.leading_dot) {
    if (Local* local = FindLocal(name)) {
      if (local->rule_binding && ctx_.after_group) {
        auto& d = Report(diag::DiagId::kHiddenByGroup, expr.range, {name});
        d.help = "name what you need as a group key (group by k: " + name + ".field) or aggregate it (max(" +
                 name + ".t))";
        return types_.Error();
      }
      local->used = true;
      info.ref = local->ref;
      return local->type;
    }
    if (ctx_.after_group && ctx_.group_keys != nullptr) {
      for (size_t i = 0; i < ctx_.group_keys->size(); ++i) {
        if ((*ctx_.group_keys)[i].name == name) {
          info.ref.kind = Reference::Kind::kGroupKey;
          info.ref.group_key = &(*ctx_.group_keys)[i];
          return ctx_.group_key_types[i];
        }
      }
    }
  }
  if (const Symbol* symbol = Lookup(name)) return CheckSymbolRef(symbol, expr, info);
  if (const Type* builtin = types_.Builtin(name)) {
    info.ref.kind = Reference::Kind::kTypeValue;
    return types_.TypeOf(builtin);
  }
  if (name == "type" || name == "list" || name == "map") {
    info.ref.kind = Reference::Kind::kTypeValue;
    return types_.TypeOf(name == "list" ? types_.List(types_.Dyn())
                         : name == "map" ? types_.Map(types_.Dyn(), types_.Dyn())
                                         : nullptr);
  }
  // Each further use of the same unknown name in one declaration (or of a hidden binding in one
  // entry) is the same mistake.
  for (const Local& hidden : ctx_.hidden_bindings) {
    if (hidden.name != name) continue;
    if (!unknown_names_.insert({ctx_.owner, name + " in " + ctx_.hidden_from}).second) return types_.Error();
    auto& d = Report(diag::DiagId::kBindingNotVisible, expr.range, {name, ctx_.hidden_from});
    d.help = ctx_.hidden_from.find("constant") != std::string::npos
                 ? "metadata is the same for every match"
                 : "it is decided once per session, before any record is matched";
    return types_.Error();
  }
  if (!unknown_names_.insert({ctx_.owner, name}).second) return types_.Error();
  auto& d = Report(diag::DiagId::kUnknownName, expr.range, {name});
  std::vector<std::string> candidates;
  for (const Local& local : ctx_.locals) candidates.push_back(local.name);
  for (const std::string& visible : VisibleNames([](const Symbol& s) {
         return s.kind != SymbolKind::kStruct && s.kind != SymbolKind::kTypeAlias;
       })) {
    candidates.push_back(visible);
  }
  SuggestFrom(d, name, candidates);
  return types_.Error();
}

const Type* Checker::CheckSymbolRef(const Symbol* symbol, const ast::Expr& expr, ExprInfo& info) {
  info.ref.kind = Reference::Kind::kSymbol;
  info.ref.symbol = symbol;
  switch (symbol->kind) {
    case SymbolKind::kRecord: {
      auto& d = Report(diag::DiagId::kNotAValue, expr.range, {"record kind", symbol->name});
      d.help = "bind its records: match x: " + symbol->name + ", or count(x: " + symbol->name + " where ...)";
      return types_.Error();
    }
    case SymbolKind::kFn: {
      auto& d = Report(diag::DiagId::kNotAValue, expr.range, {"function", symbol->name});
      d.help = "call it: " + symbol->name + "(...)";
      return types_.Error();
    }
    case SymbolKind::kStruct:
    case SymbolKind::kTypeAlias:
      info.ref.kind = Reference::Kind::kTypeValue;
      return types_.TypeOf(symbol->type ? symbol->type : types_.Dyn());
    case SymbolKind::kHeaderField:
      if (!ctx_.constant.empty()) {
        Report(diag::DiagId::kNotConstant, expr.range, {ctx_.constant, symbol->name});
        return types_.Error();
      }
      NoteFacts(symbol->name, expr.range);
      NoteHeaderRead(expr, +1);
      return symbol->type;
    case SymbolKind::kParam:
    case SymbolKind::kLet:
      if (!ctx_.constant.empty()) {
        auto& d = Report(diag::DiagId::kNotConstant, expr.range, {ctx_.constant, symbol->name});
        d.help = symbol->kind == SymbolKind::kParam ? "parameters change with the profile" : "";
        return types_.Error();
      }
      NoteFacts(symbol->name, expr.range);
      [[fallthrough]];
    case SymbolKind::kConst:
    case SymbolKind::kSet:
    case SymbolKind::kTable:
      if (ctx_.owner != nullptr) UsesOf(ctx_.owner).symbols.push_back({symbol, expr.range});
      return ValueType(symbol);
  }
  return types_.Error();
}

void Checker::NoteFacts(const std::string& what, SourceRange range) {
  if (ctx_.owner == nullptr) return;
  Uses& uses = UsesOf(ctx_.owner);
  if (!uses.facts) uses.facts = std::make_pair(what, range);
}

std::optional<std::string> Checker::HeaderPath(const ast::Expr& expr) const {
  if (expr.kind == ast::ExprKind::kIdent) {
    const ExprInfo* info = program_.Find(&expr);
    if (info != nullptr && info->ref.kind == Reference::Kind::kSymbol &&
        info->ref.symbol->kind == SymbolKind::kHeaderField) {
      return expr.name;
    }
    return std::nullopt;
  }
  if (expr.kind == ast::ExprKind::kSelect && !expr.test_only && expr.operand != nullptr) {
    if (auto base = HeaderPath(*expr.operand)) return *base + "." + expr.name;
  }
  return std::nullopt;
}

void Checker::NoteHeaderRead(const ast::Expr& expr, int delta) {
  if (ctx_.owner == nullptr) return;
  if (auto path = HeaderPath(expr)) {
    int& count = UsesOf(ctx_.owner).header_paths[*path];
    count += delta;
  }
}

// The protobuf names CEL gives the timestamp and duration types, when `expr` spells one with no
// local or global name in the way: `google.protobuf.Timestamp == type(t)` holds.
const Type* Checker::QualifiedTypeName(const ast::Expr& expr) {
  // Both names are three parts long; looking no deeper keeps long member chains linear.
  const ast::Expr* protobuf = expr.operand;
  if (protobuf == nullptr || protobuf->kind != ast::ExprKind::kSelect || protobuf->test_only || protobuf->optional) {
    return nullptr;
  }
  const ast::Expr* root = protobuf->operand;
  if (expr.test_only || expr.optional || root == nullptr || root->kind != ast::ExprKind::kIdent) return nullptr;
  const std::string name = root->name + "." + protobuf->name + "." + expr.name;
  const Type* denoted = name == "google.protobuf.Timestamp" ? types_.Timestamp()
                        : name == "google.protobuf.Duration" ? types_.Duration()
                                                             : nullptr;
  if (denoted == nullptr) return nullptr;
  if (!root->leading_dot && (FindLocal(root->name) != nullptr || Lookup(root->name) != nullptr)) return nullptr;
  return denoted;
}

const Type* Checker::CheckSelect(const ast::Expr& expr, ExprInfo& info) {
  if (const Type* denoted = QualifiedTypeName(expr)) {
    info.ref.kind = Reference::Kind::kTypeValue;
    return types_.TypeOf(denoted);
  }
  const Type* operand = Check(expr.operand);
  if (operand->IsError()) return operand;
  const Type* result = nullptr;
  switch (operand->kind) {
    case TypeKind::kDyn:
      result = types_.Dyn();
      break;
    case TypeKind::kMap:
      if (!IsAssignable(operand->key, types_.String())) {
        Report(diag::DiagId::kNoFields, expr.range, {ToString(operand), expr.name});
        return types_.Error();
      }
      result = operand->element;
      break;
    case TypeKind::kStruct: {
      const Field* field = operand->structure->Find(expr.name);
      if (field == nullptr) {
        auto& d = Report(diag::DiagId::kUnknownField, expr.range, {ToString(operand), expr.name});
        SuggestFrom(d, expr.name, operand->structure->FieldNames());
        return types_.Error();
      }
      if (expr.test_only && !field->optional && operand->structure->is_record) {
        Report(diag::DiagId::kHasAlwaysTrue, expr.range, {expr.name, ToString(operand)});
      }
      result = field->type;
      break;
    }
    default:
      Report(diag::DiagId::kNoFields, expr.range, {ToString(operand), expr.name});
      return types_.Error();
  }
  if (expr.test_only) return types_.Bool();
  if (HeaderPath(*expr.operand)) {
    NoteHeaderRead(*expr.operand, -1);
    NoteHeaderRead(expr, +1);
  }
  return result;
}

const Type* Checker::CheckIndex(const ast::Expr& expr, ExprInfo& info) {
  const Type* operand = Check(expr.operand);
  const Type* index = Check(expr.args.empty() ? nullptr : expr.args[0]);
  if (operand->IsError() || index->IsError()) return types_.Error();
  if (operand->kind != TypeKind::kList && operand->kind != TypeKind::kMap && operand->kind != TypeKind::kDyn) {
    Report(diag::DiagId::kNotIndexable, expr.range, {ToString(operand)});
    return types_.Error();
  }
  const Type* args[] = {operand, index};
  OverloadMatch match = program_.overloads.Resolve(types_, "_[_]", false, args);
  if (match.result == nullptr) {
    const Type* expected = operand->kind == TypeKind::kList ? types_.Int() : operand->key;
    Report(diag::DiagId::kTypeMismatch, expr.args[0]->range,
           {"index of " + ToString(operand), ToString(expected), ToString(index)});
    return types_.Error();
  }
  info.overloads = match.overloads;
  return match.result;
}

const Type* Checker::CheckList(const ast::Expr& expr) {
  const Type* element = nullptr;
  for (const ast::Expr* arg : expr.args) {
    const Type* type = Check(arg);
    element = element == nullptr ? type : Join(types_, element, type);
  }
  return types_.List(element == nullptr ? types_.Dyn() : element);
}

const Type* Checker::CheckMap(const ast::Expr& expr) {
  const Type* key = nullptr;
  const Type* value = nullptr;
  for (const ast::MapEntry& entry : expr.entries) {
    const Type* k = Check(entry.key);
    const Type* v = Check(entry.value);
    if (!IsAssignable(types_.String(), k) && k->kind != TypeKind::kInt && k->kind != TypeKind::kUint &&
        k->kind != TypeKind::kBool) {
      Report(diag::DiagId::kBadMapKey, entry.key->range, {ToString(k)});
      k = types_.Error();
    }
    key = key == nullptr ? k : Join(types_, key, k);
    value = value == nullptr ? v : Join(types_, value, v);
  }
  return types_.Map(key ? key : types_.Dyn(), value ? value : types_.Dyn());
}

const Type* Checker::CheckMessage(const ast::Expr& expr) {
  const Symbol* symbol = expr.leading_dot ? nullptr : Lookup(expr.name);
  const Type* type = symbol != nullptr && (symbol->kind == SymbolKind::kStruct || symbol->kind == SymbolKind::kTypeAlias)
                         ? symbol->type
                         : nullptr;
  if (type == nullptr || type->kind != TypeKind::kStruct) {
    if (type == nullptr || !type->IsError()) {
      auto& d = Report(diag::DiagId::kUnknownType, expr.range, {expr.name});
      if (symbol != nullptr && symbol->kind == SymbolKind::kRecord) {
        d.help = "records come from the facts; declare a struct to build values";
      } else {
        SuggestFrom(d, expr.name, VisibleNames([](const Symbol& s) { return s.kind == SymbolKind::kStruct; }));
      }
    }
    for (const ast::FieldInit& field : expr.fields) Check(field.value);
    return types_.Error();
  }
  for (const ast::FieldInit& init : expr.fields) {
    const Field* field = type->structure->Find(init.name);
    if (field == nullptr) {
      auto& d = Report(diag::DiagId::kUnknownField, init.range, {ToString(type), init.name});
      SuggestFrom(d, init.name, type->structure->FieldNames());
      Check(init.value);
      continue;
    }
    CheckAs(init.value, field->type, "field '" + init.name + "' of " + ToString(type));
  }
  return type;
}

const Type* Checker::CheckUnary(const ast::Expr& expr, ExprInfo& info) {
  const Type* operand = Check(expr.operand);
  if (operand->IsError()) return operand;
  std::string function = expr.unary_op == ast::UnaryOp::kNot ? "!_" : "-_";
  std::vector<const Type*> args = {operand};
  return CheckBuiltinCall(expr, function, false, args, info);
}

const Type* Checker::CheckBinary(const ast::Expr& expr, ExprInfo& info) {
  if (expr.args.size() != 2) return types_.Error();
  switch (expr.binary_op) {
    case ast::BinaryOp::kEq:
    case ast::BinaryOp::kNotEq:
      return CheckEquality(expr, info);
    case ast::BinaryOp::kIn:
      return CheckIn(expr, info);
    case ast::BinaryOp::kAnd:
    case ast::BinaryOp::kOr: {
      std::string what = std::string("operand of '") + BinaryOperatorSpelling(expr.binary_op) + "'";
      const Type* lhs = CheckAs(expr.args[0], types_.Bool(), what);
      const Type* rhs = CheckAs(expr.args[1], types_.Bool(), what);
      if (lhs->IsError() || rhs->IsError()) return types_.Error();
      info.overloads.push_back(
          program_.overloads.ById(expr.binary_op == ast::BinaryOp::kAnd ? "logical_and" : "logical_or")->index);
      return types_.Bool();
    }
    default:
      break;
  }
  const Type* lhs = Check(expr.args[0]);
  const Type* rhs = Check(expr.args[1]);
  if (lhs->IsError() || rhs->IsError()) return types_.Error();
  std::vector<const Type*> args = {lhs, rhs};
  return CheckBuiltinCall(expr, BinaryOperatorFunction(expr.binary_op), false, args, info);
}

void Checker::CheckEnumLiteral(const Type* enum_side, const ast::Expr* literal_side) {
  if (enum_side->kind != TypeKind::kEnum || literal_side == nullptr ||
      literal_side->kind != ast::ExprKind::kLiteral || literal_side->literal.kind != ast::LiteralKind::kString) {
    return;
  }
  const std::string& value = literal_side->literal.text;
  if (enum_side->enumeration->Contains(value)) return;
  auto& d = Report(diag::DiagId::kNotInEnum, literal_side->range, {value, ToString(enum_side)});
  SuggestFrom(d, value, enum_side->enumeration->values);
}

const Type* Checker::CheckEquality(const ast::Expr& expr, ExprInfo& info) {
  const Type* lhs = Check(expr.args[0]);
  const Type* rhs = Check(expr.args[1]);
  if (lhs->IsError() || rhs->IsError()) return types_.Error();
  if (!IsComparable(lhs, rhs)) {
    Report(diag::DiagId::kIncomparable, expr.range, {ToString(lhs), ToString(rhs)});
    return types_.Error();
  }
  CheckEnumLiteral(lhs, expr.args[1]);
  CheckEnumLiteral(rhs, expr.args[0]);
  info.overloads.push_back(
      program_.overloads.ById(expr.binary_op == ast::BinaryOp::kEq ? "equals" : "not_equals")->index);
  return types_.Bool();
}

const Type* Checker::CheckIn(const ast::Expr& expr, ExprInfo& info) {
  const Type* lhs = Check(expr.args[0]);
  const Type* rhs = Check(expr.args[1]);
  if (lhs->IsError() || rhs->IsError()) return types_.Error();
  const char* overload = nullptr;
  const Type* element = nullptr;
  if (rhs->kind == TypeKind::kList) {
    overload = "in_list";
    element = rhs->element;
  } else if (rhs->kind == TypeKind::kMap) {
    overload = "in_map";
    element = rhs->key;
  } else if (rhs->kind == TypeKind::kDyn) {
    info.overloads = {program_.overloads.ById("in_list")->index, program_.overloads.ById("in_map")->index};
    return types_.Bool();
  } else {
    Report(diag::DiagId::kNoMatchingOverload, expr.range, {"in", ToString(lhs) + ", " + ToString(rhs)});
    return types_.Error();
  }
  if (!IsComparable(lhs, element)) {
    Report(diag::DiagId::kIncomparable, expr.range, {ToString(lhs), "the elements of " + ToString(rhs)});
    return types_.Error();
  }
  if (lhs->kind == TypeKind::kEnum && expr.args[1]->kind == ast::ExprKind::kList) {
    for (const ast::Expr* candidate : expr.args[1]->args) CheckEnumLiteral(lhs, candidate);
  }
  if (element->kind == TypeKind::kEnum) CheckEnumLiteral(element, expr.args[0]);
  info.overloads.push_back(program_.overloads.ById(overload)->index);
  return types_.Bool();
}

const Type* Checker::CheckConditional(const ast::Expr& expr) {
  if (expr.args.size() != 3) return types_.Error();
  CheckAs(expr.args[0], types_.Bool(), "condition of '?:'");
  const Type* then = Check(expr.args[1]);
  const Type* otherwise = Check(expr.args[2]);
  if (then->IsError() || otherwise->IsError()) return types_.Error();
  bool forward = IsAssignable(then, otherwise);
  bool backward = IsAssignable(otherwise, then);
  if (forward && backward) return then->kind == TypeKind::kDyn ? otherwise : Join(types_, then, otherwise);
  if (forward) return then;
  if (backward) return otherwise;
  Report(diag::DiagId::kBranchMismatch, expr.range, {ToString(then), ToString(otherwise)});
  return types_.Error();
}

const Type* Checker::CheckTemplate(const ast::Expr& expr) {
  for (const ast::TemplatePart& part : expr.parts) {
    if (part.hole != nullptr) Check(part.hole);
  }
  return types_.String();
}

int Checker::MatchGroupKey(const ast::Expr& expr) const {
  if (ctx_.group_keys == nullptr) return -1;
  if (expr.kind != ast::ExprKind::kSelect && expr.kind != ast::ExprKind::kCall &&
      expr.kind != ast::ExprKind::kIndex && expr.kind != ast::ExprKind::kIdent) {
    return -1;
  }
  for (size_t i = 0; i < ctx_.group_keys->size(); ++i) {
    if (SameExpr(&expr, (*ctx_.group_keys)[i].value)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace edict::sema
