// One CEL macro over `count` elements, as both the folds over values and columns
// (fold.cpp) and the JIT's set folds (id_set_fold.cpp) run it: one evaluation step per element,
// FoldState's semantics. `bind(i)` sets the iteration variables for element i; `element(i)` is its
// value (for filter); `key(i)` the first variable (index or map key); `eval(id)` a node's value.
#pragma once

#include <cstddef>

#include "runtime/interp/fold_state.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

template <typename Bind, typename Element, typename Key, typename Eval>
value::Value RunMacro(Machine& machine, plan::Macro macro, size_t count, plan::ExprId step, plan::ExprId transform,
                      Bind&& bind, Element&& element, Key&& key, Eval&& eval) {
  FoldState state(macro, count);
  for (size_t i = 0; i < count; ++i) {
    if (!machine.Step()) {
      state.Stop(machine.BudgetError());
      break;
    }
    bind(i);
    FoldState::Action action = state.Step(eval(step), key(i));
    if (action == FoldState::Action::kKeep) {
      state.Keep(element(i));
    } else if (action == FoldState::Action::kTransform) {
      action = state.Transform(eval(transform), key(i));
    }
    if (action == FoldState::Action::kDone) break;
  }
  return state.Finish();
}

}  // namespace edict::interp
