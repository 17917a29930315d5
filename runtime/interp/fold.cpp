// The CEL macros as folds over a list or map value, or over a list column without materialising
// it. The macros' semantics are FoldState's; each iteration is one evaluation step.
#include "runtime/interp/run_macro.h"
#include "runtime/value/errors.h"

namespace edict::interp {

using plan::Macro;
using plan::Node;
using value::Value;

Value Machine::EvalFold(const Node& node, Frame& frame) {
  Value range = EvalNode(code_.child(node, 0), frame);
  if (range.is_error_or_unknown()) return range;
  auto macro = static_cast<Macro>(node.flags);
  plan::ExprId step = code_.child(node, 1);
  plan::ExprId transform = node.count > 2 ? code_.child(node, 2) : plan::kNone;
  auto eval = [&](plan::ExprId id) { return EvalNode(id, frame); };
  bool two = node.b != plan::kNone;
  if (range.is_list()) {
    std::span<const Value> elements = range.list_elements();
    auto bind = [&](size_t i) {
      if (two) {
        frame[node.a].value = Value::Int(static_cast<int64_t>(i));
        frame[node.b].value = elements[i];
      } else {
        frame[node.a].value = elements[i];
      }
    };
    return RunMacro(
        *this, macro, elements.size(), step, transform, bind, [&](size_t i) { return elements[i]; },
        [&](size_t i) { return Value::Int(static_cast<int64_t>(i)); }, eval);
  }
  if (range.is_map()) {
    const value::MapRep& map = range.map();
    auto bind = [&](size_t i) {
      frame[node.a].value = map.key(i);
      if (two) frame[node.b].value = map.value(i);
    };
    return RunMacro(
        *this, macro, map.size(), step, transform, bind, [&](size_t i) { return map.key(i); },
        [&](size_t i) { return map.key(i); }, eval);
  }
  return value::NoMatchingOverload("comprehension", std::span<const Value>(&range, 1));
}

Value Machine::EvalFoldColumn(const Node& node, Frame& frame) {
  const plan::ColumnAccess& access = code_.column_access[node.c];
  const facts::Table* elements = nullptr;
  uint32_t begin = 0, end = 0;
  Value absent = ColumnElements(frame[access.reg], node.c, elements, begin, end);
  if (!absent.is_null()) return absent;
  auto macro = static_cast<Macro>(node.flags);
  plan::ExprId step = code_.child(node, 0);
  plan::ExprId transform = node.count > 1 ? code_.child(node, 1) : plan::kNone;
  auto bind = [&](size_t i) {
    frame[node.a].table = elements;
    frame[node.a].row = begin + static_cast<uint32_t>(i);
    if (node.b != plan::kNone) frame[node.b].value = Value::Int(static_cast<int64_t>(i));
  };
  auto element = [&](size_t i) { return ColumnElement(node.c, *elements, begin + static_cast<uint32_t>(i)); };
  auto key = [&](size_t i) { return Value::Int(static_cast<int64_t>(i)); };
  auto eval = [&](plan::ExprId id) { return EvalNode(id, frame); };
  return RunMacro(*this, macro, end - begin, step, transform, bind, element, key, eval);
}

Value Machine::ColumnElements(const Cell& cursor, uint32_t access_index, const facts::Table*& elements,
                              uint32_t& begin, uint32_t& end) const {
  const plan::ColumnAccess& access = code_.column_access[access_index];
  const plan::ColumnRef& ref = code_.columns[access.column];
  const facts::Column& column = cursor.table->column(ref.column);
  if (!column.present(cursor.row)) return Absent(ref, cursor);
  begin = column.offsets()[cursor.row];
  end = column.offsets()[cursor.row + 1];
  elements = &column.elements();
  return Value();
}

Value Machine::ColumnElement(uint32_t access_index, const facts::Table& elements, uint32_t row) const {
  const plan::ColumnRef& ref = code_.columns[code_.column_access[access_index].column];
  const facts::Schema& schema = store_->schema();
  facts::TypeId element_type = schema.type(ref.type).element;
  facts::TypeKind element_kind = schema.type(element_type).kind;
  return element_kind == facts::TypeKind::kStruct ? MaterializeStruct(elements, row, element_type, 0)
                                                   : Read(elements, 0, row, element_kind, element_type);
}

}  // namespace edict::interp
