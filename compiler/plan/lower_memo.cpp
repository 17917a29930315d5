// Memo functions (plan.h): a function of one record whose body is worth caching is lowered once
// per record kind into a root of its own frame, and each of its calls becomes a `Memo` node whose
// value the engine caches per session and row. A function of one string is lowered once, and the
// engine caches its value per session and string; a function of one bool, int, uint, duration or
// timestamp likewise by the value, where its argument is a value of few distinct ones.
#include "compiler/plan/lowerer.h"

namespace edict::plan {
namespace {

// The record kind whose table `arg` is a cursor into, when it is a whole record of a kind.
std::optional<facts::KindId> RecordKindOf(const facts::Schema& schema, const Lowered& arg) {
  if (arg.kind != Lowered::Kind::kRecord || arg.reg == kHeaderRegister || !arg.prefix.empty() ||
      arg.presence != kNone) {
    return std::nullopt;
  }
  for (facts::KindId kind = 0; kind < schema.kind_count(); ++kind) {
    if (schema.kind(kind).layout == arg.layout) return kind;
  }
  return std::nullopt;
}

bool IsConjunction(const ast::Expr& expr) {
  return expr.kind == ast::ExprKind::kBinary && expr.binary_op == ast::BinaryOp::kAnd;
}

// The kind of value a parameter is cached by: string, or a scalar compared by its bits; kNull for
// any other parameter.
value::Kind ValueKeyKind(const ast::FnDecl::Param& param) {
  if (param.type == nullptr || param.type->kind != ast::TypeKind::kNamed || param.type->optional) {
    return value::Kind::kNull;
  }
  for (value::Kind kind : {value::Kind::kString, value::Kind::kBool, value::Kind::kInt, value::Kind::kUint,
                           value::Kind::kDuration, value::Kind::kTimestamp}) {
    if (param.type->name == value::KindName(kind)) return kind;
  }
  return value::Kind::kNull;
}

// Whether `node` is an aggregate's, a session value's or a memo function's value (under the
// bindings of inlined calls): a summary of the session, of which a session has few distinct ones.
// A scalar read from a record varies per record, so caching by it would only fill the cache.
bool SummaryValue(const Code& code, ExprId node) {
  while (code.node(node).op == Op::kBind) node = code.child(code.node(node), 1);
  Op op = code.node(node).op;
  return op == Op::kAggregate || op == Op::kSlot || op == Op::kMemo;
}

}  // namespace

std::optional<Lowered> Lowerer::MemoCall(const ast::FnDecl& fn, const Lowered& arg) {
  if (plan_ == nullptr || plan_->schema == nullptr || fn.params.size() != 1 || fn.body == nullptr) return std::nullopt;
  // A conjunction is left to the conjunct splitting (its parts become filters, bounds and keys);
  // a function being lowered is a recursion, which inlining reports.
  if (IsConjunction(*fn.body) || ConjunctiveFn(*fn.body) != nullptr || in_progress_.count(&fn) > 0) return std::nullopt;
  std::optional<facts::KindId> kind = RecordKindOf(*plan_->schema, arg);
  if (!kind) {
    // A constant argument is left to inlining, which may fold the call.
    value::Kind key = ValueKeyKind(fn.params[0]);
    bool keyed = key != value::Kind::kNull && arg.kind == Lowered::Kind::kValue && !arg.deps.constant() &&
                 (key == value::Kind::kString || SummaryValue(code_, arg.node));
    if (!keyed || !WorthCaching(fn)) return std::nullopt;
    return ValueMemoCall(fn, arg);
  }
  if (!WorthCaching(fn)) return std::nullopt;
  auto known = memo_functions_.find({&fn, *kind});
  uint32_t function = known != memo_functions_.end() ? known->second : LowerMemoFunction(fn, *kind);
  for (uint32_t param : memo_params_[function]) NoteParam(param);
  Lowered result = ValueOf(builder_.Emit(Op::kMemo, {}, function, arg.reg), {});
  result.deps.AddRegister(arg.reg);
  result.deps.session = true;
  return result;
}

// `Memo` reads the string (the scalar) from a register: the argument's own, or one it is bound into.
Lowered Lowerer::ValueMemoCall(const ast::FnDecl& fn, const Lowered& arg) {
  auto known = value_memo_functions_.find(&fn);
  uint32_t function = known != value_memo_functions_.end() ? known->second : LowerMemoFunction(fn, std::nullopt);
  for (uint32_t param : memo_params_[function]) NoteParam(param);
  Deps deps = arg.deps;
  deps.session = true;
  if (const Node& argument = code_.node(arg.node); argument.op == Op::kRegister) {
    Register own = argument.a;
    return ValueOf(builder_.Emit(Op::kMemo, {}, function, own), deps);
  }
  Register reg = frame_->New(fn.name + "." + fn.params[0].name);
  ExprId memo = builder_.Emit(Op::kMemo, {}, function, reg);
  return ValueOf(builder_.Emit(Op::kBind, {arg.node, memo}, reg), deps);
}

// A body is worth caching when it aggregates, folds, or calls a function whose body is.
bool Lowerer::WorthCaching(const ast::FnDecl& fn) {
  auto known = worth_caching_.find(&fn);
  if (known != worth_caching_.end()) return known->second;
  worth_caching_[&fn] = false;  // a cycle (the checker rejects it) adds nothing
  bool worth = fn.body != nullptr && WorthCaching(*fn.body);
  worth_caching_[&fn] = worth;
  return worth;
}

bool Lowerer::WorthCaching(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::kComprehension || expr.kind == ast::ExprKind::kAggregate) return true;
  if (const ast::FnDecl* fn = UserFn(expr); fn != nullptr && WorthCaching(*fn)) return true;
  auto worth = [&](const ast::Expr* child) { return child != nullptr && WorthCaching(*child); };
  if (worth(expr.operand)) return true;
  for (const ast::Expr* arg : expr.args) {
    if (worth(arg)) return true;
  }
  for (const ast::MapEntry& entry : expr.entries) {
    if (worth(entry.key) || worth(entry.value)) return true;
  }
  for (const ast::FieldInit& field : expr.fields) {
    if (worth(field.value)) return true;
  }
  for (const ast::TemplatePart& part : expr.parts) {
    if (worth(part.hole)) return true;
  }
  return false;
}

uint32_t Lowerer::LowerMemoFunction(const ast::FnDecl& fn, std::optional<facts::KindId> kind) {
  Frame memo_frame;
  Frame* saved_frame = frame_;
  RulePlan* saved_rule = rule_;
  bool saved_group = in_group_;
  std::set<uint32_t> params;
  std::set<uint32_t>* saved_params = params_used_;
  // The body sees only its parameter: the caller's bindings and shared calls are out of scope.
  std::map<EnvKey, Lowered> saved_env;
  saved_env.swap(env_);
  std::map<const ast::Expr*, Lowered> saved_shared;
  saved_shared.swap(shared_);
  frame_ = &memo_frame;
  rule_ = nullptr;
  in_group_ = false;
  params_used_ = &params;

  Register param = memo_frame.New(fn.params[0].name);
  if (kind) {
    env_[{&fn, 0}] = RecordRow(param, *kind);
  } else {
    Deps param_deps;
    param_deps.AddRegister(param);
    env_[{&fn, 0}] = ValueOf(builder_.Emit(Op::kRegister, {}, param), param_deps);
  }
  in_progress_.insert(&fn);
  ExprId body = Value(Lower(fn.body));
  in_progress_.erase(&fn);

  env_.swap(saved_env);
  shared_.swap(saved_shared);
  frame_ = saved_frame;
  rule_ = saved_rule;
  in_group_ = saved_group;
  params_used_ = saved_params;

  MemoFunction memo;
  memo.name = fn.name;
  memo.expr = body;
  memo.frame_size = memo_frame.size();
  memo.register_names = memo_frame.names;
  memo.param = param;
  memo.kind = kind.value_or(0);
  value::Kind key = kind ? value::Kind::kNull : ValueKeyKind(fn.params[0]);
  memo.by_string = key == value::Kind::kString;
  if (key != value::Kind::kString) memo.by_value = key;
  plan_->memo_functions.push_back(std::move(memo));
  memo_params_.push_back(std::move(params));
  auto function = static_cast<uint32_t>(plan_->memo_functions.size() - 1);
  if (kind) {
    memo_functions_[{&fn, *kind}] = function;
  } else {
    value_memo_functions_[&fn] = function;
  }
  return function;
}

}  // namespace edict::plan
