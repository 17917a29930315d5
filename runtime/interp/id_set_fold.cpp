// The loop behind IdSetFold: FoldState on the stack, one budget step per element as RunMacro
// takes them, and the step's value without reading the element where the bitmap decides it.
#include "runtime/interp/id_set_fold.h"

#include "runtime/interp/fold_state.h"
#include "runtime/value/call_operands.h"

namespace edict::interp {

using value::Value;

Value FoldIdSet(Machine& machine, const Cell& owner, const IdSetFold& fold) {
  const facts::Table* elements = nullptr;
  uint32_t begin = 0, end = 0;
  Value absent = machine.ColumnElements(owner, fold.access, elements, begin, end);
  if (!absent.is_null()) return absent;
  FoldState state(fold.macro, end - begin);
  const facts::Column& column = elements->column(0);
  bool nullable = column.nullable();
  std::span<const uint32_t> ids = column.ids();
  for (uint32_t row = begin; row < end; ++row) {
    if (!machine.Step()) {
      state.Stop(machine.BudgetError());
      break;
    }
    uint32_t id = ids[row];
    Value step;
    if (id < fold.known_count && (!nullable || column.present(row))) {
      step = Value::Bool((fold.known[id / 64] >> (id % 64) & 1) != 0);
    } else {
      // What the step's nodes give: the element's read (an absent one is its error), then the test.
      Value element = machine.ReadColumn(Cell{Value(), elements, row}, fold.element_ref, plan::kNone);
      step = value::Call(fold.overload, element, *fold.set);
    }
    FoldState::Action action = state.Step(step, Value::Int(row - begin));
    if (action == FoldState::Action::kKeep) state.Keep(machine.ColumnElement(fold.access, *elements, row));
    if (action == FoldState::Action::kDone) break;
  }
  return state.Finish();
}

}  // namespace edict::interp
