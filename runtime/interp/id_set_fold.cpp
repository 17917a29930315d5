// The loop behind IdSetFold: RunMacro's, with the step's value taken from the bitmap, without
// reading the element, where it decides. A filter whose every step the bitmap decides needs no
// FoldState: its result is the elements whose bit is set, or the budget's error.
#include "runtime/interp/id_set_fold.h"

#include "runtime/interp/run_macro.h"
#include "runtime/value/call_operands.h"
#include "runtime/value/list_builder.h"

namespace edict::interp {

using value::Value;

namespace {

bool Known(const IdSetFold& fold, const facts::Column& column, uint32_t row) {
  return column.ids()[row] < fold.known_count && column.present(row);
}

bool Member(const IdSetFold& fold, uint32_t id) { return (fold.known[id / 64] >> (id % 64) & 1) != 0; }

bool AllKnown(const IdSetFold& fold, const facts::Column& column, uint32_t begin, uint32_t end) {
  for (uint32_t row = begin; row < end; ++row) {
    if (!Known(fold, column, row)) return false;
  }
  return true;
}

// RunMacro's filter when the bitmap decides every step: one step per element, the kept elements
// in order. Only a data type column has ids the bitmap decides, so an element is its type's name
// (what ColumnElement reads, without looking the element's kind up again for every element).
Value KnownFilter(Machine& machine, const IdSetFold& fold, const facts::Table& elements, uint32_t begin, uint32_t end) {
  std::span<const uint32_t> ids = elements.column(0).ids();
  const facts::DataTypeTable& data_types = machine.store()->data_types();
  value::ListBuilder kept(end - begin);
  for (uint32_t row = begin; row < end; ++row) {
    if (!machine.Step()) return machine.BudgetError();
    if (Member(fold, ids[row])) kept.Push(Value::UnownedString(data_types.name(ids[row])));
  }
  return kept.Finish();
}

}  // namespace

Value FoldIdSet(Machine& machine, const Cell& owner, const IdSetFold& fold) {
  const facts::Table* elements = nullptr;
  uint32_t begin = 0, end = 0;
  Value absent = machine.ColumnElements(owner, fold.access, elements, begin, end);
  if (!absent.is_null()) return absent;
  const facts::Column& column = elements->column(0);
  if (fold.macro == plan::Macro::kFilter && AllKnown(fold, column, begin, end)) {
    return KnownFilter(machine, fold, *elements, begin, end);
  }
  uint32_t row = begin;
  auto bind = [&](size_t i) { row = begin + static_cast<uint32_t>(i); };
  auto element = [&](size_t) { return machine.ColumnElement(fold.access, *elements, row); };
  auto key = [&](size_t i) { return Value::Int(static_cast<int64_t>(i)); };
  // The step's value for the bound row (these macros have no transform to evaluate).
  auto step = [&](plan::ExprId) {
    if (Known(fold, column, row)) return Value::Bool(Member(fold, column.ids()[row]));
    // What the step's nodes give: the element's read (an absent one is its error), then the test.
    Value read = machine.ReadColumn(Cell{Value(), elements, row}, fold.element_ref, plan::kNone);
    return value::Call(fold.overload, read, *fold.set);
  };
  return RunMacro(machine, fold.macro, end - begin, plan::kNone, plan::kNone, bind, element, key, step);
}

}  // namespace edict::interp
