// Session store reads: cells by path and the captured-kinds set.
#include "runtime/facts/store.h"

namespace edict::facts {

SessionStore::SessionStore(const Schema& schema)
    : schema_(&schema), header_(schema, schema.header_layout()), data_types_(schema) {
  kinds_.reserve(schema.kind_count());
  for (KindId kind = 0; kind < schema.kind_count(); ++kind) {
    kinds_.push_back(RecordTable{Table(schema, schema.kind(kind).layout), {}});
  }
}

size_t SessionStore::record_count() const {
  size_t count = 0;
  for (const RecordTable& table : kinds_) count += table.fields.rows();
  return count;
}

Cell SessionStore::Read(const Table& table, size_t column_index, size_t row) const {
  const Column& column = table.column(column_index);
  if (row >= table.rows() || !column.present(row)) return std::monostate{};
  const ColumnSpec& spec = table.layout().columns[column_index];
  switch (column.kind()) {
    case TypeKind::kInt:
    case TypeKind::kDuration:
    case TypeKind::kTimestamp: return column.ints()[row];
    case TypeKind::kNum: return column.nums()[row];
    case TypeKind::kBool: return column.codes()[row] != 0;
    case TypeKind::kEnum: return std::string_view(schema_->type(spec.type).enum_values[column.codes()[row]]);
    case TypeKind::kString: return strings_.text(column.ids()[row]);
    case TypeKind::kDataType: return data_types_.name(column.ids()[row]);
    case TypeKind::kList: return ListCell{&column.elements(), column.offsets()[row], column.offsets()[row + 1]};
    case TypeKind::kStruct: return StructCell{};
  }
  return std::monostate{};
}

Cell SessionStore::HeaderValue(std::string_view path) const {
  int32_t column = header_.Find(path);
  if (column < 0) return std::monostate{};
  return Read(header_, static_cast<size_t>(column), 0);
}

std::vector<bool> CapturedKinds(const SessionStore& store) {
  const Schema& schema = store.schema();
  std::vector<bool> captured(schema.kind_count(), false);
  bool listed = false;
  if (std::optional<KindId> coverage = schema.FindKind(kCoverageKind)) {
    const Table& table = store.records(*coverage).fields;
    int32_t column = table.Find(kCapturedField);
    if (column >= 0 && table.column(column).kind() == TypeKind::kList) {
      const Column& list = table.column(column);
      const Column& names = list.elements().column(0);
      for (size_t row = 0; row < table.rows(); ++row) {
        if (!list.present(row) || names.kind() != TypeKind::kString) continue;
        listed = true;
        for (uint32_t e = list.offsets()[row]; e < list.offsets()[row + 1]; ++e) {
          if (std::optional<KindId> kind = schema.FindKind(store.strings().text(names.ids()[e]))) {
            captured[*kind] = true;
          }
        }
      }
    }
  }
  if (!listed) {
    for (KindId kind = 0; kind < schema.kind_count(); ++kind) captured[kind] = store.records(kind).fields.rows() > 0;
  }
  return captured;
}

}  // namespace edict::facts
