// Memo functions' values, cached per session and row, string or scalar (plan.h): the first call
// for a row (a string, a scalar) computes it, every later call of any rule reads it. Plan ops are
// pure, so the cached value, errors included, is what computing it again would give; only
// computing takes evaluation steps.
#include "runtime/interp/cost_profile.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

using value::Value;

Value Machine::Memo(uint32_t function, const Cell& argument) {
  const plan::MemoFunction& memo = plan_->memo_functions[function];
  MemoCache& cache = memos_[function];
  if (memo.by_string) return MemoByString(memo, cache, argument.value);
  if (memo.by_value != value::Kind::kNull) return MemoByValue(memo, cache, argument.value);
  return MemoByRow(memo, cache, argument);
}

Value Machine::MemoByRow(const plan::MemoFunction& memo, MemoCache& cache, const Cell& cursor) {
  if (cache.table == nullptr) {
    cache.table = &store_->records(memo.kind).fields;
    cache.values.resize(cache.table->rows());
    cache.filled.assign(cache.table->rows(), false);
    cache.frame = NewFrame(memo.frame_size);
  }
  bool cacheable = cursor.table == cache.table && cursor.row < cache.filled.size();
  if (cacheable && cache.filled[cursor.row]) {
    ++stats_.memo_hits;
    return cache.values[cursor.row];
  }
  ++stats_.memo_misses;
  Cell& param = cache.frame[memo.param];
  param.table = cursor.table;
  param.row = cursor.row;
  cost_profile::Scope profiled("memo", memo.name);
  Value result = Eval(memo.expr, cache.frame);
  if (cacheable) {
    cache.values[cursor.row] = result;
    cache.filled[cursor.row] = true;
  }
  return result;
}

// A miss of a function of a string or a scalar: the body in the function's frame, given `argument`.
Value Machine::ComputeByArgument(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument) {
  ++stats_.memo_misses;
  if (cache.frame.empty()) cache.frame = NewFrame(memo.frame_size);
  cache.frame[memo.param].value = argument;
  cost_profile::Scope profiled("memo", memo.name);
  return Eval(memo.expr, cache.frame);
}

// An argument that is not a string (an error, an unknown) is no key: the body runs with it, as
// the inlined call's would, and its value is not kept.
Value Machine::MemoByString(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument) {
  bool cacheable = argument.is_string();
  StringFrontEntry* front = nullptr;
  if (cacheable) {
    std::string_view text = argument.string_value();
    front = &cache.string_front[(reinterpret_cast<uintptr_t>(text.data()) >> 3) % kStringFrontSize];
    if (front->entry != nullptr && front->data == text.data() && front->entry->first == text) {
      ++stats_.memo_hits;
      return front->entry->second;
    }
    auto known = cache.by_string.find(text);
    if (known != cache.by_string.end()) {
      ++stats_.memo_hits;
      *front = {text.data(), &*known};
      return known->second;
    }
  }
  Value result = ComputeByArgument(memo, cache, argument);
  if (cacheable) {
    auto added = cache.by_string.emplace(argument.string_value(), result).first;
    *front = {argument.string_value().data(), &*added};
  }
  return result;
}

// As by string: only a value of the parameter's kind is a key; bits identify it within the kind.
Value Machine::MemoByValue(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument) {
  bool cacheable = argument.kind() == memo.by_value;
  ValueKey key;
  if (cacheable) {
    switch (argument.kind()) {
      case value::Kind::kBool: key.bits = argument.bool_value(); break;
      case value::Kind::kUint: key.bits = argument.uint_value(); break;
      case value::Kind::kDuration: key.bits = static_cast<uint64_t>(argument.duration_nanos()); break;
      case value::Kind::kTimestamp:
        key.bits = static_cast<uint64_t>(argument.timestamp_seconds());
        key.nanos = argument.timestamp_nanos();
        break;
      default: key.bits = static_cast<uint64_t>(argument.int_value()); break;
    }
    auto known = cache.by_value.find(key);
    if (known != cache.by_value.end()) {
      ++stats_.memo_hits;
      return known->second;
    }
  }
  Value result = ComputeByArgument(memo, cache, argument);
  if (cacheable) cache.by_value.emplace(key, result);
  return result;
}

}  // namespace edict::interp
