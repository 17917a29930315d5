// Column storage: appends, truncation after a failed record, and row gathering for sorting.
#include "runtime/facts/table.h"

namespace edict::facts {
namespace {

template <typename T>
LargeArray<T> GatherVector(const LargeArray<T>& from, std::span<const uint32_t> rows) {
  if (from.empty()) return {};
  LargeArray<T> out;
  out.Reserve(rows.size());
  for (uint32_t row : rows) out.push_back(from[row]);
  return out;
}

}  // namespace

void Bitmap::Truncate(size_t size) {
  if (size >= size_) return;
  size_ = size;
  words_.resize((size + 63) / 64);
  if (size % 64 != 0) words_.back() &= (uint64_t{1} << (size % 64)) - 1;
}

Column::Storage Column::StorageOf(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt:
    case TypeKind::kDuration:
    case TypeKind::kTimestamp: return Storage::kInts;
    case TypeKind::kNum: return Storage::kNums;
    case TypeKind::kBool:
    case TypeKind::kEnum: return Storage::kCodes;
    case TypeKind::kString:
    case TypeKind::kDataType: return Storage::kIds;
    case TypeKind::kList: return Storage::kList;
    case TypeKind::kStruct: return Storage::kNone;
  }
  return Storage::kNone;
}

Column::Column(const Schema& schema, const ColumnSpec& spec)
    : kind_(spec.kind), storage_(StorageOf(spec.kind)), nullable_(spec.nullable) {
  if (kind_ == TypeKind::kList) {
    offsets_.push_back(0);
    elements_ = std::make_unique<Table>(schema, spec.elements);
  }
}

Column::~Column() = default;

void Column::CloseList() {
  offsets_.push_back(static_cast<uint32_t>(elements_->rows()));
  MarkPresent();
}

void Column::Truncate(size_t rows) {
  presence_.Truncate(rows);
  ints_.Truncate(rows);
  nums_.Truncate(rows);
  codes_.Truncate(rows);
  ids_.Truncate(rows);
  if (kind_ == TypeKind::kList) {
    offsets_.Truncate(rows + 1);
    elements_->Truncate(offsets_.back());
  }
}

Column Column::Gather(std::span<const uint32_t> rows) const {
  Column out(kind_, nullable_);
  if (nullable_) {
    for (uint32_t row : rows) out.presence_.Push(presence_.Get(row));
  }
  out.ints_ = GatherVector(ints_, rows);
  out.nums_ = GatherVector(nums_, rows);
  out.codes_ = GatherVector(codes_, rows);
  out.ids_ = GatherVector(ids_, rows);
  if (kind_ == TypeKind::kList) {
    std::vector<uint32_t> element_rows;
    out.offsets_.push_back(0);
    for (uint32_t row : rows) {
      for (uint32_t e = offsets_[row]; e < offsets_[row + 1]; ++e) element_rows.push_back(e);
      out.offsets_.push_back(static_cast<uint32_t>(element_rows.size()));
    }
    out.elements_ = std::make_unique<Table>(elements_->Gather(element_rows));
  }
  return out;
}

bool Column::IsConsistent(size_t rows) const {
  if (nullable_ && presence_.size() != rows) return false;
  switch (kind_) {
    case TypeKind::kInt:
    case TypeKind::kDuration:
    case TypeKind::kTimestamp: return ints_.size() == rows;
    case TypeKind::kNum: return nums_.size() == rows;
    case TypeKind::kBool:
    case TypeKind::kEnum: return codes_.size() == rows;
    case TypeKind::kString:
    case TypeKind::kDataType: return ids_.size() == rows;
    case TypeKind::kStruct: return true;
    case TypeKind::kList:
      for (size_t i = 1; i < offsets_.size(); ++i) {
        if (offsets_[i] < offsets_[i - 1]) return false;
      }
      return offsets_.size() == rows + 1 && offsets_.back() == elements_->rows() && elements_->IsConsistent();
  }
  return false;
}

Table::Table(const Schema& schema, LayoutId layout) : layout_(&schema.layout(layout)) {
  columns_.reserve(layout_->columns.size());
  for (const ColumnSpec& spec : layout_->columns) columns_.emplace_back(schema, spec);
}

Table Table::Gather(std::span<const uint32_t> rows) const {
  Table out(layout_);
  out.columns_.reserve(columns_.size());
  for (const Column& column : columns_) out.columns_.push_back(column.Gather(rows));
  out.rows_ = rows.size();
  return out;
}

void Table::Truncate(size_t rows) {
  for (Column& column : columns_) column.Truncate(rows);
  if (rows_ > rows) rows_ = rows;
}

bool Table::IsConsistent() const {
  for (const Column& column : columns_) {
    if (!column.IsConsistent(rows_)) return false;
  }
  return true;
}

}  // namespace edict::facts
