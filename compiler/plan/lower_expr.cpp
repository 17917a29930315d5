// Lowering CEL expressions to node code: literals, names, field selection (column reads on
// records), lists, maps, logic, conditionals and report templates. Calls and macros are in
// lower_calls.cpp, aggregates in lower_query.cpp.
#include <algorithm>

#include "compiler/plan/lowerer.h"
#include "runtime/value/containers.h"

namespace edict::plan {

void Deps::Add(const Deps& other) {
  for (Register reg : other.regs) AddRegister(reg);
  session = session || other.session;
}

void Deps::AddRegister(Register reg) {
  auto it = std::lower_bound(regs.begin(), regs.end(), reg);
  if (it == regs.end() || *it != reg) regs.insert(it, reg);
}

void Deps::Remove(Register reg) {
  auto it = std::lower_bound(regs.begin(), regs.end(), reg);
  if (it != regs.end() && *it == reg) regs.erase(it);
}

bool Deps::Has(Register reg) const { return std::binary_search(regs.begin(), regs.end(), reg); }

Lowerer::Lowerer(sema::Program& program, Code& code, Plan* plan, const ConstantEvaluator& evaluator,
                 diag::DiagnosticEngine& diags)
    : program_(program), code_(code), builder_(code), plan_(plan), evaluator_(evaluator), diags_(diags) {}

diag::Diagnostic& Lowerer::Report(diag::DiagId id, SourceRange range, std::vector<std::string> args) {
  failed_ = true;
  return diags_.Report(id, range, std::move(args));
}

Lowered Lowerer::ValueOf(ExprId node, Deps deps) const {
  Lowered lowered;
  lowered.node = node;
  lowered.deps = std::move(deps);
  return lowered;
}

Lowered Lowerer::Unsupported(const std::string& what, SourceRange range) {
  Report(diag::DiagId::kPlanUnsupported, range, {what});
  return ValueOf(builder_.Const(value::Value::Null()), {});
}

// Without the checker an unknown name or function is an error of the evaluation, not of the
// program (CEL's dynamic mode): `x || true` is true.
Lowered Lowerer::Undeclared(const std::string& what) {
  return ValueOf(builder_.Const(value::Value::Error(value::ErrorCode::kUndeclaredReference, "undeclared reference to " + what)), {});
}

Lowered Lowerer::Lower(const ast::Expr* expr) {
  if (expr == nullptr) return Unsupported("an incomplete expression", {});
  if (auto shared = shared_.find(expr); shared != shared_.end()) return shared->second;
  CodeBuilder::Mark mark = builder_.mark();
  Lowered result = LowerExpr(*expr);
  if (result.kind == Lowered::Kind::kValue && result.deps.constant() && code_.node(result.node).op != Op::kConst) {
    value::Value folded = evaluator_.Evaluate(code_, result.node, frame_->size());
    builder_.Truncate(mark);
    result.node = builder_.Const(std::move(folded));
  }
  return result;
}

ExprId Lowerer::LowerValue(const ast::Expr* expr, Deps& deps) {
  Lowered lowered = Lower(expr);
  deps.Add(lowered.deps);
  return Value(lowered);
}

ExprId Lowerer::Value(const Lowered& lowered) {
  switch (lowered.kind) {
    case Lowered::Kind::kValue:
      return lowered.node;
    case Lowered::Kind::kRecord: {
      const facts::TableLayout& layout = plan_->schema->layout(lowered.layout);
      uint32_t first = 0;
      if (!lowered.prefix.empty()) first = static_cast<uint32_t>(layout.Find(lowered.prefix)) + 1;
      return builder_.Emit(Op::kStruct, {}, lowered.reg, StructOf(lowered.layout, lowered.type, first, lowered.presence));
    }
    case Lowered::Kind::kList:
      return builder_.Emit(Op::kListColumn, {}, lowered.reg, lowered.column);
  }
  return lowered.node;
}

Lowered Lowerer::LowerExpr(const ast::Expr& expr) {
  const sema::ExprInfo* info = program_.Find(&expr);
  if (info == nullptr || info->type == nullptr || (check_types_ && info->type->IsError())) {
    return Unsupported("an expression the checker rejected", expr.range);
  }
  if (in_group_ && info->group_key >= 0) {
    Register reg = rule_->grouping.key_regs[info->group_key];
    Deps deps;
    deps.AddRegister(reg);
    return ValueOf(builder_.Emit(Op::kRegister, {}, reg), deps);
  }
  switch (expr.kind) {
    case ast::ExprKind::kLiteral: return LowerLiteral(expr);
    case ast::ExprKind::kIdent: return LowerIdent(expr, *info);
    case ast::ExprKind::kSelect:
      // `google.protobuf.Duration` parses as a field selection but names a type value.
      if (info->ref.kind == sema::Reference::Kind::kTypeValue) return LowerIdent(expr, *info);
      return LowerSelect(expr);
    case ast::ExprKind::kIndex: {
      if (expr.optional) return Unsupported("optional indexing '[?...]'", expr.range);
      std::vector<Lowered> args = {Lower(expr.operand), Lower(expr.args.empty() ? nullptr : expr.args[0])};
      return LowerOperator(expr, *info, "_[_]", std::move(args));
    }
    case ast::ExprKind::kCall: return LowerCall(expr, *info);
    case ast::ExprKind::kList: return LowerList(expr);
    case ast::ExprKind::kMap: return LowerMap(expr);
    case ast::ExprKind::kMessage: return LowerMessage(expr);
    case ast::ExprKind::kUnary: {
      Lowered operand = Lower(expr.operand);
      if (expr.unary_op == ast::UnaryOp::kNot) {
        return ValueOf(builder_.Emit(Op::kNot, {Value(operand)}), operand.deps);
      }
      std::vector<Lowered> args = {std::move(operand)};
      return LowerOperator(expr, *info, "-_", std::move(args));
    }
    case ast::ExprKind::kBinary: {
      if (expr.binary_op == ast::BinaryOp::kAnd || expr.binary_op == ast::BinaryOp::kOr) return LowerLogical(expr);
      std::vector<Lowered> args;
      for (const ast::Expr* arg : expr.args) args.push_back(Lower(arg));
      return LowerOperator(expr, *info, "", std::move(args));
    }
    case ast::ExprKind::kConditional: return LowerConditional(expr);
    case ast::ExprKind::kComprehension: return LowerComprehension(expr);
    case ast::ExprKind::kAggregate: return LowerAggregate(expr);
    case ast::ExprKind::kTemplate: return LowerTemplate(expr);
  }
  return Unsupported("this expression", expr.range);
}

Lowered Lowerer::LowerLiteral(const ast::Expr& expr) {
  const ast::Literal& literal = expr.literal;
  value::Value v;
  switch (literal.kind) {
    case ast::LiteralKind::kNull: v = value::Value::Null(); break;
    case ast::LiteralKind::kBool: v = value::Value::Bool(literal.bool_value); break;
    case ast::LiteralKind::kInt: v = value::Value::Int(literal.int_value); break;
    case ast::LiteralKind::kUint: v = value::Value::Uint(literal.uint_value); break;
    case ast::LiteralKind::kDouble: v = value::Value::Double(literal.double_value); break;
    case ast::LiteralKind::kString: v = value::Value::String(literal.text); break;
    case ast::LiteralKind::kBytes: v = value::Value::Bytes(literal.text); break;
    case ast::LiteralKind::kDuration: v = value::Value::Duration(literal.int_value); break;
  }
  return ValueOf(builder_.Const(std::move(v)), {});
}

Lowered Lowerer::Env(EnvKey key, const ast::Expr& expr) {
  auto it = env_.find(key);
  if (it == env_.end()) return Unsupported("a reference to '" + expr.name + "' outside its scope", expr.range);
  return it->second;
}

namespace {

// The runtime type a type value denotes (`int`, `type(x)`).
value::TypeKind RuntimeType(const sema::Type* type) {
  if (type == nullptr) return value::TypeKind::kType;
  switch (type->kind) {
    case sema::TypeKind::kNull: return value::TypeKind::kNullType;
    case sema::TypeKind::kBool: return value::TypeKind::kBool;
    case sema::TypeKind::kInt: return value::TypeKind::kInt;
    case sema::TypeKind::kUint: return value::TypeKind::kUint;
    case sema::TypeKind::kDouble: return value::TypeKind::kDouble;
    case sema::TypeKind::kString:
    case sema::TypeKind::kEnum: return value::TypeKind::kString;
    case sema::TypeKind::kBytes: return value::TypeKind::kBytes;
    case sema::TypeKind::kDuration: return value::TypeKind::kDuration;
    case sema::TypeKind::kTimestamp: return value::TypeKind::kTimestamp;
    case sema::TypeKind::kList: return value::TypeKind::kList;
    case sema::TypeKind::kMap:
    case sema::TypeKind::kStruct: return value::TypeKind::kMap;
    default: return value::TypeKind::kType;
  }
}

}  // namespace

Lowered Lowerer::LowerIdent(const ast::Expr& expr, const sema::ExprInfo& info) {
  const sema::Reference& ref = info.ref;
  switch (ref.kind) {
    case sema::Reference::Kind::kSymbol: return LowerSymbol(*ref.symbol, expr);
    case sema::Reference::Kind::kBinding: return Env({ref.binding, 0}, expr);
    case sema::Reference::Kind::kIterationVar: return Env({ref.comprehension, ref.index}, expr);
    case sema::Reference::Kind::kFnParam: return Env({ref.fn, ref.index}, expr);
    case sema::Reference::Kind::kGroupKey: return Env({ref.group_key, 0}, expr);
    case sema::Reference::Kind::kTypeValue: {
      const sema::Type* denoted = info.type->kind == sema::TypeKind::kType ? info.type->element : nullptr;
      if (denoted != nullptr && denoted->kind == sema::TypeKind::kDyn) {
        // `dyn` converts; as a value it denotes no runtime type.
        return ValueOf(builder_.Const(value::Value::Error(value::ErrorCode::kUndeclaredReference,
                                                          "unknown variable: dyn has no runtime type")),
                       {});
      }
      return ValueOf(builder_.Const(value::Value::Type(RuntimeType(denoted))), {});
    }
    case sema::Reference::Kind::kVariable: {
      auto it = variables_.find(expr.name);
      if (it == variables_.end()) return Unsupported("variable '" + expr.name + "' without a value", expr.range);
      return it->second;
    }
    case sema::Reference::Kind::kNone: break;
  }
  if (!check_types_) return Undeclared("variable '" + expr.name + "'");
  return Unsupported("the unresolved name '" + expr.name + "'", expr.range);
}

Lowered Lowerer::LowerSymbol(const sema::Symbol& symbol, const ast::Expr& expr) {
  switch (symbol.kind) {
    case sema::SymbolKind::kConst:
    case sema::SymbolKind::kSet:
    case sema::SymbolKind::kTable:
    case sema::SymbolKind::kParam:
      return SymbolConstant(symbol);
    case sema::SymbolKind::kLet:
      return LetValue(symbol);
    case sema::SymbolKind::kHeaderField:
      return HeaderField(symbol);
    default:
      break;
  }
  return Unsupported("'" + symbol.name + "' as a value", expr.range);
}

Lowered Lowerer::LowerSelect(const ast::Expr& expr) {
  if (expr.optional) return Unsupported("optional selection '.?'", expr.range);
  Lowered operand = Lower(expr.operand);
  if (operand.kind == Lowered::Kind::kRecord) return SelectField(operand, expr.name, expr.test_only, expr.range);
  return ValueOf(SelectNode(Value(operand), expr.name, expr.test_only), operand.deps);
}

// `(c ? a : b).f` is `c ? a.f : b.f`, and a field of a map literal whose other values cannot fail
// is that value: the common `subject_of(call).party` then builds no map per record.
ExprId Lowerer::SelectNode(ExprId operand, const std::string& field, bool test_only) {
  const Node node = code_.node(operand);
  if (node.op == Op::kConditional) {
    ExprId condition = code_.child(node, 0);
    ExprId if_true = SelectNode(code_.child(node, 1), field, test_only);
    ExprId if_false = SelectNode(code_.child(node, 2), field, test_only);
    return builder_.Emit(Op::kConditional, {condition, if_true, if_false});
  }
  value::Value name = value::Value::String(field);
  if (node.op == Op::kConst && code_.constants[node.a].is_map()) {
    const value::Value* found = code_.constants[node.a].map().Find(name);
    if (test_only) return builder_.Const(value::Value::Bool(found != nullptr));
    if (found != nullptr) return builder_.Const(*found);
  }
  if (node.op == Op::kMap) {
    ExprId chosen = kNone;
    bool others_constant = true;
    std::vector<std::string> keys;
    for (uint32_t i = 0; i + 1 < node.count; i += 2) {
      const Node& key = code_.node(code_.child(node, i));
      if (key.op != Op::kConst || !code_.constants[key.a].is_string()) return SelectGeneric(operand, field, test_only);
      std::string text(code_.constants[key.a].string_value());
      if (std::find(keys.begin(), keys.end(), text) != keys.end()) return SelectGeneric(operand, field, test_only);
      keys.push_back(text);
      if (text == field) {
        chosen = code_.child(node, i + 1);
      } else if (code_.node(code_.child(node, i + 1)).op != Op::kConst ||
                 code_.constants[code_.node(code_.child(node, i + 1)).a].is_error_or_unknown()) {
        others_constant = false;
      }
    }
    // The literal cannot fail but through the chosen value, which the selection then returns.
    if (others_constant && !test_only && chosen != kNone) return chosen;
    bool chosen_constant = chosen != kNone && code_.node(chosen).op == Op::kConst &&
                           !code_.constants[code_.node(chosen).a].is_error_or_unknown();
    if (others_constant && test_only && (chosen == kNone || chosen_constant)) {
      return builder_.Const(value::Value::Bool(chosen != kNone));
    }
  }
  return SelectGeneric(operand, field, test_only);
}

ExprId Lowerer::SelectGeneric(ExprId operand, const std::string& field, bool test_only) {
  uint32_t name = builder_.Constant(value::Value::String(field));
  return builder_.Emit(Op::kSelect, {operand}, name, 0, kNone, test_only ? 1 : 0);
}

Lowered Lowerer::SelectField(const Lowered& record, const std::string& field, bool test_only, SourceRange range) {
  const facts::Schema& schema = *plan_->schema;
  const facts::TableLayout& layout = schema.layout(record.layout);
  std::string path = record.prefix.empty() ? field : record.prefix + "." + field;
  int32_t column = layout.Find(path);
  if (column < 0) return Unsupported("field '" + path + "' (not in the loaded schema)", range);
  const facts::ColumnSpec& spec = layout.columns[column];
  uint32_t ref = ColumnOf(record.layout, static_cast<uint32_t>(column), record.presence);
  Deps deps = record.deps;
  if (test_only) {
    if (!spec.nullable) return ValueOf(builder_.Const(value::Value::Bool(true)), {});
    return ValueOf(builder_.Emit(Op::kPresent, {}, record.reg, ref), deps);
  }
  switch (spec.kind) {
    case facts::TypeKind::kStruct: {
      Lowered inner = record;
      inner.prefix = path;
      inner.type = spec.type;
      inner.presence = ref;
      return inner;
    }
    case facts::TypeKind::kList: {
      Lowered list = record;
      list.kind = Lowered::Kind::kList;
      list.column = ref;
      return list;
    }
    default: {
      uint32_t guard = record.reg == kHeaderRegister ? HeaderGuard(path) : kNone;
      return ValueOf(builder_.Emit(Op::kColumn, {}, record.reg, ref, guard), deps);
    }
  }
}

Lowered Lowerer::LowerList(const ast::Expr& expr) {
  if (!expr.optional_indices.empty()) return Unsupported("optional list elements '?e'", expr.range);
  Deps deps;
  std::vector<ExprId> elements;
  for (const ast::Expr* element : expr.args) elements.push_back(LowerValue(element, deps));
  return ValueOf(builder_.Emit(Op::kList, elements), deps);
}

Lowered Lowerer::LowerMap(const ast::Expr& expr) {
  Deps deps;
  std::vector<ExprId> entries;
  for (const ast::MapEntry& entry : expr.entries) {
    if (entry.optional) return Unsupported("optional map entries '?k: v'", entry.range);
    entries.push_back(LowerValue(entry.key, deps));
    entries.push_back(LowerValue(entry.value, deps));
  }
  return ValueOf(builder_.Emit(Op::kMap, entries), deps);
}

// A struct value is a CEL map from field names to values.
Lowered Lowerer::LowerMessage(const ast::Expr& expr) {
  Deps deps;
  std::vector<ExprId> entries;
  for (const ast::FieldInit& field : expr.fields) {
    if (field.optional) return Unsupported("optional fields '?f: v'", field.range);
    entries.push_back(builder_.Const(value::Value::String(field.name)));
    entries.push_back(LowerValue(field.value, deps));
  }
  return ValueOf(builder_.Emit(Op::kMap, entries), deps);
}

// `a && b && c` becomes one n-ary node: the operator is commutative in its error absorption, so
// the order of evaluation is free and a chain need not recurse.
Lowered Lowerer::LowerLogical(const ast::Expr& expr) {
  ast::BinaryOp op = expr.binary_op;
  std::vector<const ast::Expr*> operands;
  std::vector<const ast::Expr*> pending = {&expr};
  while (!pending.empty()) {
    const ast::Expr* at = pending.back();
    pending.pop_back();
    const sema::ExprInfo* info = program_.Find(at);
    bool same = at->kind == ast::ExprKind::kBinary && at->binary_op == op && at->args.size() == 2 &&
                !(in_group_ && info != nullptr && info->group_key >= 0);
    if (same) {
      pending.push_back(at->args[1]);
      pending.push_back(at->args[0]);
    } else {
      operands.push_back(at);
    }
  }
  Deps deps;
  std::vector<ExprId> children;
  for (const ast::Expr* operand : operands) children.push_back(LowerValue(operand, deps));
  return ValueOf(builder_.Emit(op == ast::BinaryOp::kAnd ? Op::kAnd : Op::kOr, children), deps);
}

Lowered Lowerer::LowerTemplate(const ast::Expr& expr) {
  Deps deps;
  std::vector<ExprId> parts;
  for (const ast::TemplatePart& part : expr.parts) {
    parts.push_back(part.hole != nullptr ? LowerValue(part.hole, deps) : builder_.Const(value::Value::String(part.text)));
  }
  return ValueOf(builder_.Emit(Op::kTemplate, parts), deps);
}

uint32_t Lowerer::ColumnOf(facts::LayoutId layout, uint32_t column, uint32_t parent) {
  auto key = std::make_pair(layout, column);
  auto it = column_refs_.find(key);
  if (it != column_refs_.end()) return it->second;
  const facts::ColumnSpec& spec = plan_->schema->layout(layout).columns[column];
  ColumnRef ref;
  ref.layout = layout;
  ref.column = column;
  ref.kind = spec.kind;
  ref.type = spec.type;
  ref.parent = parent;
  ref.path = spec.path;
  code_.columns.push_back(std::move(ref));
  uint32_t index = static_cast<uint32_t>(code_.columns.size() - 1);
  column_refs_[key] = index;
  return index;
}

uint32_t Lowerer::StructOf(facts::LayoutId layout, facts::TypeId type, uint32_t first, uint32_t presence) {
  for (size_t i = 0; i < code_.structs.size(); ++i) {
    const StructRef& s = code_.structs[i];
    if (s.layout == layout && s.type == type && s.first == first && s.presence == presence) {
      return static_cast<uint32_t>(i);
    }
  }
  code_.structs.push_back(StructRef{layout, type, first, presence});
  return static_cast<uint32_t>(code_.structs.size() - 1);
}

Lowered Lowerer::RecordRow(Register reg, facts::KindId kind) const {
  const facts::RecordKind& record = plan_->schema->kind(kind);
  Lowered row;
  row.kind = Lowered::Kind::kRecord;
  row.reg = reg;
  row.layout = record.layout;
  row.type = record.body;
  row.deps.AddRegister(reg);
  return row;
}

uint32_t Lowerer::AddColumnAccess(const Lowered& list) {
  const facts::Schema& schema = *plan_->schema;
  const facts::ColumnSpec& spec = schema.layout(list.layout).columns[code_.columns[list.column].column];
  ColumnAccess access;
  access.reg = list.reg;
  access.column = list.column;
  access.elements = spec.elements;
  access.struct_elements = schema.type(schema.type(spec.type).element).kind == facts::TypeKind::kStruct;
  code_.column_access.push_back(access);
  return static_cast<uint32_t>(code_.column_access.size() - 1);
}

// The variable of a walk over a list column: a cursor into the element table, read as a struct
// (struct elements) or through its one column (scalars).
Lowered Lowerer::ElementOf(Register reg, const ColumnAccess& access) {
  const facts::Schema& schema = *plan_->schema;
  Lowered element;
  element.deps.AddRegister(reg);
  if (access.struct_elements) {
    element.kind = Lowered::Kind::kRecord;
    element.reg = reg;
    element.layout = access.elements;
    element.type = schema.type(code_.columns[access.column].type).element;
    return element;
  }
  const facts::ColumnSpec& spec = schema.layout(access.elements).columns[0];
  if (spec.kind == facts::TypeKind::kList) {
    element.kind = Lowered::Kind::kList;
    element.reg = reg;
    element.layout = access.elements;
    element.column = ColumnOf(access.elements, 0, kNone);
    return element;
  }
  element.node = builder_.Emit(Op::kColumn, {}, reg, ColumnOf(access.elements, 0, kNone));
  return element;
}

uint32_t Lowerer::HeaderGuard(const std::string& path) const {
  for (size_t i = 0; i < plan_->header_guards.size(); ++i) {
    if (plan_->header_guards[i] == path) return static_cast<uint32_t>(i);
  }
  return kNone;
}

void Lowerer::NoteParam(uint32_t param) {
  if (params_used_ != nullptr) params_used_->insert(param);
}

}  // namespace edict::plan
