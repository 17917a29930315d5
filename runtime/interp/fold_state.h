// The accumulator of a CEL macro (all, exists, exists_one, map, filter, transformMap), fed one
// iteration at a time. Both back ends drive their loops through it, so the macros' error
// semantics live in one place: all/exists absorb errors like `&&`/`||`; the others are strict.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "compiler/plan/expr.h"
#include "runtime/value/list_builder.h"
#include "runtime/value/value.h"

namespace edict::interp {

class FoldState {
 public:
  // What the loop does after a call: go on with the next element, hand over the element
  // (Keep), evaluate the transform (Transform), or stop: Finish() is the result.
  enum class Action : uint8_t { kNext, kKeep, kTransform, kDone };

  // `count` is the range's size when known: a list result's block is allocated for it at its
  // first element, so building it never reallocates (a filter that keeps nothing allocates
  // nothing). Inline: native code makes one per comprehension it evaluates.
  explicit FoldState(plan::Macro macro, size_t count = 0) : macro_(macro), count_(count), list_(count) {
    if (macro == plan::Macro::kAll || macro == plan::Macro::kExists) {
      result_ = value::Value::Bool(macro == plan::Macro::kAll);
    }
  }

  // The step's value for this iteration; `key` is the first variable (index or map key).
  Action Step(const value::Value& step, const value::Value& key);
  void Keep(value::Value element) { list_.Push(std::move(element)); }
  Action Transform(const value::Value& mapped, const value::Value& key);
  // Ends the fold early with `result` (the range was unusable, or the budget ran out).
  void Stop(value::Value result);
  value::Value Finish();

 private:
  Action Done(const value::Value& result);

  plan::Macro macro_;
  size_t count_;
  bool done_ = false;
  value::Value result_;
  int64_t found_ = 0;
  value::ListBuilder list_;
  std::vector<std::pair<value::Value, value::Value>> entries_;
};

}  // namespace edict::interp
