// Memo functions' values, cached per session and row (plan.h): the first call for a row computes
// it, every later call of any rule reads it. Plan ops are pure, so the cached value, errors
// included, is what computing it again would give; only computing takes evaluation steps.
#include "runtime/interp/cost_profile.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

using value::Value;

Value Machine::Memo(uint32_t function, const Cell& cursor) {
  const plan::MemoFunction& memo = plan_->memo_functions[function];
  MemoCache& cache = memos_[function];
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

}  // namespace edict::interp
