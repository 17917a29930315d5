// The loop behind IdSetFold: RunMacro's, with the step's value taken from the bitmap, without
// reading the element, where it decides.
#include "runtime/interp/id_set_fold.h"

#include "runtime/interp/run_macro.h"
#include "runtime/value/call_operands.h"

namespace edict::interp {

using value::Value;

Value FoldIdSet(Machine& machine, const Cell& owner, const IdSetFold& fold) {
  const facts::Table* elements = nullptr;
  uint32_t begin = 0, end = 0;
  Value absent = machine.ColumnElements(owner, fold.access, elements, begin, end);
  if (!absent.is_null()) return absent;
  const facts::Column& column = elements->column(0);
  bool nullable = column.nullable();
  std::span<const uint32_t> ids = column.ids();
  uint32_t row = begin;
  auto bind = [&](size_t i) { row = begin + static_cast<uint32_t>(i); };
  auto element = [&](size_t) { return machine.ColumnElement(fold.access, *elements, row); };
  auto key = [&](size_t i) { return Value::Int(static_cast<int64_t>(i)); };
  // The step's value for the bound row (these macros have no transform to evaluate).
  auto step = [&](plan::ExprId) {
    uint32_t id = ids[row];
    if (id < fold.known_count && (!nullable || column.present(row))) {
      return Value::Bool((fold.known[id / 64] >> (id % 64) & 1) != 0);
    }
    // What the step's nodes give: the element's read (an absent one is its error), then the test.
    Value read = machine.ReadColumn(Cell{Value(), elements, row}, fold.element_ref, plan::kNone);
    return value::Call(fold.overload, read, *fold.set);
  };
  return RunMacro(machine, fold.macro, end - begin, plan::kNone, plan::kNone, bind, element, key, step);
}

}  // namespace edict::interp
