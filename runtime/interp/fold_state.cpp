// The macros' accumulator: what each iteration's step value does to the result.
#include "runtime/interp/fold_state.h"

#include "runtime/value/containers.h"
#include "runtime/value/errors.h"
#include "runtime/value/logic.h"

namespace edict::interp {

using plan::Macro;
using value::Value;

FoldState::Action FoldState::Done(const Value& result) {
  result_ = result;
  done_ = true;
  return Action::kDone;
}

void FoldState::Stop(Value result) {
  result_ = std::move(result);
  done_ = true;
}

FoldState::Action FoldState::Step(const Value& p, const Value& key) {
  switch (macro_) {
    case Macro::kAll:
    case Macro::kExists: {
      bool all = macro_ == Macro::kAll;
      if (all ? value::DecidesAnd(p) : value::DecidesOr(p)) return Done(p);
      result_ = all ? value::LogicalAnd(result_, p) : value::LogicalOr(result_, p);
      return Action::kNext;
    }
    case Macro::kExistsOne:
      if (p.is_error_or_unknown()) return Done(p);
      if (!p.is_bool()) return Done(value::NoMatchingOverload("exists_one", std::span<const Value>(&p, 1)));
      found_ += p.bool_value() ? 1 : 0;
      return Action::kNext;
    case Macro::kMap:
    case Macro::kTransformMap:
      return Transform(p, key);
    case Macro::kFilter:
    case Macro::kMapFilter:
    case Macro::kTransformMapFilter:
      if (p.is_error_or_unknown()) return Done(p);
      if (!p.is_bool()) return Done(value::NoMatchingOverload("filter", std::span<const Value>(&p, 1)));
      if (!p.bool_value()) return Action::kNext;
      return macro_ == Macro::kFilter ? Action::kKeep : Action::kTransform;
  }
  return Done(Value::Error(value::ErrorCode::kInvalidArgument, "invalid macro"));
}

FoldState::Action FoldState::Transform(const Value& mapped, const Value& key) {
  if (mapped.is_error_or_unknown()) return Done(mapped);
  if (macro_ == Macro::kTransformMap || macro_ == Macro::kTransformMapFilter) {
    if (entries_.empty()) entries_.reserve(count_);
    entries_.emplace_back(key, mapped);
  } else {
    list_.Push(mapped);
  }
  return Action::kNext;
}

Value FoldState::Finish() {
  if (done_) return std::move(result_);
  switch (macro_) {
    case Macro::kAll:
    case Macro::kExists:
      return std::move(result_);
    case Macro::kExistsOne:
      return Value::Bool(found_ == 1);
    case Macro::kMap:
    case Macro::kMapFilter:
    case Macro::kFilter:
      return list_.Finish();
    case Macro::kTransformMap:
    case Macro::kTransformMapFilter:
      return value::MakeMap(std::move(entries_));
  }
  return Value::Error(value::ErrorCode::kInvalidArgument, "invalid macro");
}

}  // namespace edict::interp
