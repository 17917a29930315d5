// The expression interpreter: one switch over the opcodes of plan/ops.def. Builtins are called
// through runtime/value, so both back ends share every builtin's meaning.
#include <array>
#include <cstddef>

#include "compiler/plan/readable.h"
#include "runtime/interp/cost_profile.h"
#include "runtime/interp/machine.h"
#include "runtime/value/call_operands.h"
#include "runtime/value/containers.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/errors.h"
#include "runtime/value/logic.h"
#include "runtime/value/per_thread.h"

namespace edict::interp {

using plan::Node;
using plan::Op;
using value::Value;

void Combine(Value& pending, const Value& v) {
  if (pending.is_null() || (pending.is_error() && v.is_unknown())) pending = v;
}

bool Hashable(Value& key) {
  switch (key.kind()) {
    case value::Kind::kBool:
    case value::Kind::kInt:
    case value::Kind::kUint:
    case value::Kind::kString:
      return true;
    case value::Kind::kDouble: {
      double d = key.double_value();
      // Integral doubles equal the ints of the same value (CEL's heterogeneous equality).
      if (d >= -9.2e18 && d <= 9.2e18 && d == static_cast<double>(static_cast<int64_t>(d))) {
        key = Value::Int(static_cast<int64_t>(d));
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

Machine::Machine(const plan::Plan* plan, const plan::Code& code, std::span<const Value> constants)
    : constants_(constants), plan_(plan), code_(code) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
  static_assert(offsetof(Machine, constants_) == kConstantsOffset);
#pragma GCC diagnostic pop
}

Frame Machine::NewFrame(uint32_t size) const {
  Frame frame(size == 0 ? 1 : size);
  if (store_ != nullptr) frame[plan::kHeaderRegister].table = &store_->header();
  return frame;
}

const Value& Machine::BudgetError() {
  if (budget_error_.is_null()) {
    budget_error_ = Value::Error(value::ErrorCode::kRange,
                                 "evaluation budget of " + std::to_string(budget_) + " steps exhausted");
  }
  return budget_error_;
}

void Machine::BeginSession(const facts::SessionStore* store, uint64_t budget) {
  store_ = store;
  stats_ = Stats{};
  steps_ = 0;
  budget_ = budget;
  budget_error_ = Value();
  indexes_.clear();
  if (plan_ == nullptr) return;
  indexes_.resize(plan_->index_count);
  // Memo tables keep their blocks (MemoRows): a session's rows reuse the pages of the one before.
  memos_.resize(plan_->memo_functions.size());
  for (size_t f = 0; f < memos_.size(); ++f) memos_[f].Reset(MemoRowsNeeded(plan_->memo_functions[f], *store));
  header_usable_.assign(plan_->header_guards.size(), false);
  for (size_t i = 0; i < plan_->header_guards.size(); ++i) {
    facts::Cell cell = store->HeaderValue(plan_->header_guards[i]);
    bool usable = !std::holds_alternative<std::monostate>(cell);
    if (const auto* text = std::get_if<std::string_view>(&cell)) usable = *text != "unknown" && !text->empty();
    header_usable_[i] = usable;
  }
  slots_.assign(plan_->slots.size(), Value());
  for (size_t i = 0; i < plan_->slots.size(); ++i) {
    Frame frame = NewFrame(plan_->slots[i].frame_size);
    cost_profile::Scope profiled("slot", plan_->slots[i].name);
    slots_[i] = Eval(plan_->slots[i].expr, frame);
  }
}

namespace {

// Eval's other returns keep its own Value from being the caller's: here the native code fills the
// caller's in place.
Value RunNative(Machine& machine, ExprFn native, Frame& frame) {
  Frame* outer = machine.current_frame();
  machine.set_current_frame(&frame);
  Value out;
  native(&machine, frame.data(), &out);
  machine.set_current_frame(outer);
  return out;
}

}  // namespace

Value Machine::Eval(plan::ExprId id, Frame& frame) {
  if (steps_ > budget_) return BudgetError();
  if (compiled_ != nullptr) {
    ExprFn native = id < compiled_->exprs.size() ? compiled_->exprs[id] : nullptr;
    if (native != nullptr) return RunNative(*this, native, frame);
    ++stats_.fallbacks;
  }
  return EvalNode(id, frame);
}

// Leaves and single calls only: no value lives across a nested evaluation here, so each case can
// be a tail call and the common path keeps a small frame (the ops that hold one are
// EvalCompound's).
Value Machine::EvalNode(plan::ExprId id, Frame& frame) {
  const Node& node = code_.nodes[id];
  switch (node.op) {
    case Op::kConst:
      return constants_[node.a];
    case Op::kRegister:
      return frame[node.a].value;
    case Op::kSlot:
      return slots_[node.a];
    case Op::kColumn:
      return ReadColumn(frame[node.a], node.b, node.c);
    case Op::kPresent:
      return Present(frame[node.a], node.b);
    case Op::kStruct:
      return Struct(frame[node.a], node.b);
    case Op::kListColumn:
      return ListColumn(frame[node.a], node.b);
    case Op::kListSize:
      return ListSize(frame[node.a], node.b);
    case Op::kCall:
      return EvalCall(node, frame);
    case Op::kDispatch:
      return EvalDispatch(node, frame);
    case Op::kAnd:
    case Op::kOr:
      return EvalLogical(node, frame);
    case Op::kTemplate:
      return EvalTemplate(node, frame);
    case Op::kFold:
      return EvalFold(node, frame);
    case Op::kFoldColumn:
      return EvalFoldColumn(node, frame);
    case Op::kAggregate:
      return Aggregate(node.a, frame);
    case Op::kMemo:
      return Memo(node.a, frame[node.b]);
    default:
      return EvalCompound(node, frame);
  }
}

inline Value Machine::EvalChild(plan::ExprId id, Frame& frame) {
  const Node& node = code_.nodes[id];
  switch (node.op) {
    case Op::kConst:
      return constants_[node.a];
    case Op::kRegister:
      return frame[node.a].value;
    case Op::kColumn:
      return ReadColumn(frame[node.a], node.b, node.c);
    default:
      return EvalNode(id, frame);
  }
}

inline const Value& Machine::Operand(plan::ExprId id, Frame& frame, Value& scratch) {
  const Node& node = code_.nodes[id];
  switch (node.op) {
    case Op::kConst:
      return constants_[node.a];
    case Op::kRegister:
      return frame[node.a].value;
    case Op::kSlot:
      return slots_[node.a];
    case Op::kColumn:
      scratch = ReadColumn(frame[node.a], node.b, node.c);
      return scratch;
    default:
      scratch = EvalNode(id, frame);
      return scratch;
  }
}

Value Machine::EvalCompound(const Node& node, Frame& frame) {
  switch (node.op) {
    case Op::kListContains: {
      Value needle = EvalChild(code_.child(node, 0), frame);
      return ListContains(frame[node.a], node.b, needle);
    }
    case Op::kSelect: {
      Value scratch;
      return Select(Operand(code_.child(node, 0), frame, scratch), constants_[node.a], node.flags & 1);
    }
    case Op::kNot: {
      Value scratch;
      return value::LogicalNot(Operand(code_.child(node, 0), frame, scratch));
    }
    case Op::kConditional: {
      Value condition = EvalChild(code_.child(node, 0), frame);
      if (!condition.is_bool()) return value::Conditional(condition, Value(), Value());
      return EvalChild(code_.child(node, condition.bool_value() ? 1 : 2), frame);
    }
    case Op::kList: {
      value::ListBuilder elements(node.count);
      for (uint32_t i = 0; i < node.count; ++i) elements.Push(EvalChild(code_.child(node, i), frame));
      return value::MakeList(elements);
    }
    case Op::kMap: {
      std::vector<std::pair<Value, Value>> entries;
      entries.reserve(node.count / 2);
      for (uint32_t i = 0; i + 1 < node.count; i += 2) {
        Value key = EvalChild(code_.child(node, i), frame);
        entries.emplace_back(std::move(key), EvalChild(code_.child(node, i + 1), frame));
      }
      return value::MakeMap(std::move(entries));
    }
    case Op::kBind:
      frame[node.a].value = EvalChild(code_.child(node, 0), frame);
      return EvalChild(code_.child(node, 1), frame);
    default:
      return Value::Error(value::ErrorCode::kInvalidArgument, "invalid plan node");
  }
}

Value Machine::EvalCall(const Node& node, Frame& frame) {
  auto overload = static_cast<value::Overload>(node.a);
  switch (node.count) {
    case 1: {
      Value scratch;
      return value::Call(overload, Operand(code_.child(node, 0), frame, scratch));
    }
    case 2: {
      Value first_scratch, second_scratch;
      const Value& first = Operand(code_.child(node, 0), frame, first_scratch);
      const Value& second = Operand(code_.child(node, 1), frame, second_scratch);
      return value::Call(overload, first, second);
    }
    default: {
      std::array<Value, value::kMaxArity> args;
      uint32_t n = std::min<uint32_t>(node.count, value::kMaxArity);
      for (uint32_t i = 0; i < n; ++i) args[i] = EvalChild(code_.child(node, i), frame);
      return value::Call(overload, std::span<const Value>(args.data(), n));
    }
  }
}

Value Machine::EvalDispatch(const Node& node, Frame& frame) {
  std::array<Value, value::kMaxArity> args;
  uint32_t n = std::min<uint32_t>(node.count, value::kMaxArity);
  for (uint32_t i = 0; i < n; ++i) args[i] = EvalChild(code_.child(node, i), frame);
  return Dispatch(node.a, std::span<const Value>(args.data(), n));
}

Value Machine::Dispatch(uint32_t overload_set, std::span<const Value> values) const {
  if (const Value* bad = value::FirstErrorOrUnknown(values)) return *bad;
  const std::vector<value::Overload>& candidates = code_.overload_sets[overload_set];
  auto n = static_cast<uint32_t>(values.size());
  for (value::Overload overload : candidates) {
    const value::OverloadInfo& info = value::Info(overload);
    if (info.arity != static_cast<int>(n)) continue;
    bool accepts = true;
    for (uint32_t i = 0; i < n && accepts; ++i) accepts = (info.accepts[i] & value::KindBit(values[i].kind())) != 0;
    if (accepts) return value::Call(overload, values);
  }
  // No candidate takes these kinds; the first one says so in its own words.
  return value::Call(candidates.front(), values);
}

// `&&` and `||` over any number of operands: the first deciding operand ends the evaluation;
// otherwise errors and unknowns are absorbed pairwise, as value::LogicalAnd/Or define.
Value Machine::EvalLogical(const Node& node, Frame& frame) {
  bool is_and = node.op == Op::kAnd;
  Value result = Value::Bool(is_and);
  for (uint32_t i = 0; i < node.count; ++i) {
    Value operand = EvalChild(code_.child(node, i), frame);
    if (operand.is_bool()) {
      // A bool that does not decide leaves the result as it is.
      if (operand.bool_value() != is_and) return operand;
      continue;
    }
    result = is_and ? value::LogicalAnd(result, operand) : value::LogicalOr(result, operand);
  }
  return result;
}

constexpr size_t kKeptTemplateBytes = size_t{1} << 16;

void AppendTemplatePart(std::string& text, const Value& part) {
  if (part.is_string()) {
    text += part.string_value();
  } else {
    text += plan::ReadableValue(part);
  }
}

// The text grows in one per-thread buffer, so only the result allocates. The buffer is cut back
// to where this call started rather than cleared, so the call stays correct even if a part's
// evaluation ever builds a template of its own.
Value Machine::EvalTemplate(const Node& node, Frame& frame) {
  std::string& buffer = value::PerThread<struct TemplateText, std::string>::Get();
  size_t start = buffer.size();
  for (uint32_t i = 0; i < node.count; ++i) AppendTemplatePart(buffer, EvalChild(code_.child(node, i), frame));
  Value text = Value::String(std::string_view(buffer).substr(start));
  buffer.resize(start);
  if (start == 0 && buffer.capacity() > kKeptTemplateBytes) std::string().swap(buffer);  // a huge text's buffer goes
  return text;
}

Value Machine::Select(const Value& operand, const Value& field, bool test_only) const {
  if (operand.is_error_or_unknown()) return operand;
  if (!operand.is_map()) {
    return Value::Error(value::ErrorCode::kNoSuchOverload,
                        std::string("a value of type ") + std::string(value::KindName(operand.kind())) +
                            " has no fields (reading '" + std::string(field.string_value()) + "')");
  }
  const Value* found = operand.map().Find(field);
  if (test_only) return Value::Bool(found != nullptr);
  if (found == nullptr) {
    return Value::Error(value::ErrorCode::kNoSuchKey, "no such key: " + std::string(field.string_value()));
  }
  return *found;
}

}  // namespace edict::interp
