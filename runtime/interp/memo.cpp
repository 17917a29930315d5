// Memo functions' values, cached per session and row, or string (plan.h): the first call for a
// row (a string) computes it, every later call of any rule reads it. Plan ops are pure, so the
// cached value, errors included, is what computing it again would give; only computing takes
// evaluation steps.
#include "runtime/interp/cost_profile.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

using value::Value;

Value Machine::Memo(uint32_t function, const Cell& argument) {
  const plan::MemoFunction& memo = plan_->memo_functions[function];
  MemoCache& cache = memos_[function];
  return memo.by_string ? MemoByString(memo, cache, argument.value) : MemoByRow(memo, cache, argument);
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

// An argument that is not a string (an error, an unknown) is no key: the body runs with it, as
// the inlined call's would, and its value is not kept.
Value Machine::MemoByString(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument) {
  bool cacheable = argument.is_string();
  if (cacheable) {
    auto known = cache.by_string.find(argument.string_value());
    if (known != cache.by_string.end()) {
      ++stats_.memo_hits;
      return known->second;
    }
  }
  ++stats_.memo_misses;
  if (cache.frame.empty()) cache.frame = NewFrame(memo.frame_size);
  cache.frame[memo.param].value = argument;
  cost_profile::Scope profiled("memo", memo.name);
  Value result = Eval(memo.expr, cache.frame);
  if (cacheable) cache.by_string.emplace(argument.string_value(), result);
  return result;
}

}  // namespace edict::interp
