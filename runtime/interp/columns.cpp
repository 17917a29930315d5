// Reading the columnar store: scalars straight from their columns (strings are the session's
// interned text, so no heap value is made), and structs and lists materialised as CEL maps and
// lists only where a plan asks for them.
#include "runtime/interp/machine.h"
#include "runtime/value/compare.h"
#include "runtime/value/list_builder.h"

namespace edict::interp {

using value::Value;

Value Machine::Read(const facts::Table& table, uint32_t column_index, uint32_t row, facts::TypeKind kind,
                    facts::TypeId type) const {
  const facts::Column& column = table.column(column_index);
  switch (kind) {
    case facts::TypeKind::kString:
      return Value::UnownedString(store_->strings().text(column.ids()[row]));
    case facts::TypeKind::kDataType:
      return Value::UnownedString(store_->data_types().name(column.ids()[row]));
    case facts::TypeKind::kInt:
      return Value::Int(column.ints()[row]);
    case facts::TypeKind::kNum:
      return Value::Double(column.nums()[row]);
    case facts::TypeKind::kBool:
      return Value::Bool(column.codes()[row] != 0);
    case facts::TypeKind::kEnum:
      return Value::UnownedString(store_->schema().type(type).enum_values[column.codes()[row]]);
    case facts::TypeKind::kDuration:
      return Value::Duration(column.ints()[row]);
    case facts::TypeKind::kTimestamp: {
      int64_t nanos = column.ints()[row];
      int64_t seconds = nanos / value::kNanosPerSecond;
      int64_t rest = nanos % value::kNanosPerSecond;
      if (rest < 0) {
        rest += value::kNanosPerSecond;
        --seconds;
      }
      return Value::Timestamp(seconds, static_cast<int32_t>(rest));
    }
    case facts::TypeKind::kList:
      return MaterializeList(column, row, type);
    case facts::TypeKind::kStruct:
      return MaterializeStruct(table, row, type, column_index + 1);
  }
  return Value();
}

// Out of line: only errors take this path.
[[gnu::noinline]] Value Machine::Absent(const plan::ColumnRef& ref, const Cell& cursor) const {
  // Name the outermost absent struct: reading `caller.sdk` without a caller is about `caller`.
  const plan::ColumnRef* missing = &ref;
  for (uint32_t parent = ref.parent; parent != plan::kNone; parent = code_.columns[parent].parent) {
    const plan::ColumnRef& outer = code_.columns[parent];
    if (!cursor.table->column(outer.column).present(cursor.row)) missing = &outer;
  }
  return Value::Error(value::ErrorCode::kNoSuchKey, "no such field: " + missing->path);
}

namespace {

// Out of line, so ReadColumn's common path needs no string and few registers.
[[gnu::noinline]] Value Unusable(const plan::ColumnRef& ref) {
  return Value::Error(value::ErrorCode::kNoSuchKey, ref.path + " is absent or unknown in this session");
}

}  // namespace

// The kinds rules compare most are read here directly; the rest by Read.
Value Machine::ReadColumn(const Cell& cursor, uint32_t column_ref, uint32_t guard) const {
  const plan::ColumnRef& ref = code_.columns[column_ref];
  if (guard != plan::kNone && !header_usable_[guard]) [[unlikely]] return Unusable(ref);
  const facts::Column& column = cursor.table->column(ref.column);
  if (!column.present(cursor.row)) [[unlikely]] return Absent(ref, cursor);
  switch (ref.kind) {
    case facts::TypeKind::kString:
      return Value::UnownedString(store_->strings().text(column.ids()[cursor.row]));
    case facts::TypeKind::kInt:
      return Value::Int(column.ints()[cursor.row]);
    case facts::TypeKind::kDuration:
      return Value::Duration(column.ints()[cursor.row]);
    case facts::TypeKind::kBool:
      return Value::Bool(column.codes()[cursor.row] != 0);
    default:
      return Read(*cursor.table, ref.column, cursor.row, ref.kind, ref.type);
  }
}

// has(): an absent enclosing struct is an error (the field cannot be selected), not false.
Value Machine::Present(const Cell& cursor, uint32_t column_ref) const {
  const plan::ColumnRef& ref = code_.columns[column_ref];
  if (ref.parent != plan::kNone) {
    const plan::ColumnRef& parent = code_.columns[ref.parent];
    if (!cursor.table->column(parent.column).present(cursor.row)) return Absent(parent, cursor);
  }
  return Value::Bool(cursor.table->column(ref.column).present(cursor.row));
}

Value Machine::Struct(const Cell& cursor, uint32_t struct_ref) const {
  const plan::StructRef& ref = code_.structs[struct_ref];
  if (ref.presence != plan::kNone) {
    const plan::ColumnRef& presence = code_.columns[ref.presence];
    if (!cursor.table->column(presence.column).present(cursor.row)) return Absent(presence, cursor);
  }
  return MaterializeStruct(*cursor.table, cursor.row, ref.type, ref.first);
}

Value Machine::ListColumn(const Cell& cursor, uint32_t column_ref) const {
  const plan::ColumnRef& ref = code_.columns[column_ref];
  const facts::Column& column = cursor.table->column(ref.column);
  if (!column.present(cursor.row)) return Absent(ref, cursor);
  return MaterializeList(column, cursor.row, ref.type);
}

Value Machine::ListSize(const Cell& cursor, uint32_t column_ref) const {
  const plan::ColumnRef& ref = code_.columns[column_ref];
  const facts::Column& column = cursor.table->column(ref.column);
  if (!column.present(cursor.row)) return Absent(ref, cursor);
  return Value::Int(column.offsets()[cursor.row + 1] - column.offsets()[cursor.row]);
}

Value Machine::MaterializeStruct(const facts::Table& table, uint32_t row, facts::TypeId type, uint32_t first) const {
  const facts::Schema& schema = store_->schema();
  const facts::Type& body = schema.type(type);
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(body.fields.size());
  for (size_t i = 0; i < body.fields.size(); ++i) {
    uint32_t column = first + body.field_columns[i];
    if (!table.column(column).present(row)) continue;
    const facts::FieldDecl& field = body.fields[i];
    facts::TypeKind kind = schema.type(field.type).kind;
    entries.emplace_back(Value::UnownedString(field.name), Read(table, column, row, kind, field.type));
  }
  return Value::Map(std::move(entries));
}

Value Machine::MaterializeList(const facts::Column& column, uint32_t row, facts::TypeId list_type) const {
  const facts::Schema& schema = store_->schema();
  facts::TypeId element_type = schema.type(list_type).element;
  facts::TypeKind element_kind = schema.type(element_type).kind;
  const facts::Table& elements = column.elements();
  uint32_t begin = column.offsets()[row], end = column.offsets()[row + 1];
  value::ListBuilder out(end - begin);
  for (uint32_t e = begin; e < end; ++e) {
    if (element_kind == facts::TypeKind::kStruct) {
      out.Push(MaterializeStruct(elements, e, element_type, 0));
    } else {
      out.Push(Read(elements, 0, e, element_kind, element_type));
    }
  }
  return out.Finish();
}

Value Machine::ListContains(const Cell& cursor, uint32_t column_ref, const Value& needle) const {
  if (needle.is_error_or_unknown()) return needle;
  const plan::ColumnRef& ref = code_.columns[column_ref];
  const facts::Column& column = cursor.table->column(ref.column);
  if (!column.present(cursor.row)) return Absent(ref, cursor);
  const facts::Schema& schema = store_->schema();
  facts::TypeId element_type = schema.type(ref.type).element;
  facts::TypeKind element_kind = schema.type(element_type).kind;
  const facts::Table& elements = column.elements();
  uint32_t begin = column.offsets()[cursor.row], end = column.offsets()[cursor.row + 1];
  // Strings compare as text without making values: the common `x in record.list` case.
  if (needle.is_string() && (element_kind == facts::TypeKind::kString || element_kind == facts::TypeKind::kDataType)) {
    std::span<const uint32_t> ids = elements.column(0).ids();
    for (uint32_t e = begin; e < end; ++e) {
      std::string_view text = element_kind == facts::TypeKind::kString ? store_->strings().text(ids[e])
                                                                        : store_->data_types().name(ids[e]);
      if (text == needle.string_value()) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  for (uint32_t e = begin; e < end; ++e) {
    Value element = element_kind == facts::TypeKind::kStruct ? MaterializeStruct(elements, e, element_type, 0)
                                                              : Read(elements, 0, e, element_kind, element_type);
    if (value::Equal(needle, element)) return Value::Bool(true);
  }
  return Value::Bool(false);
}

}  // namespace edict::interp
