// Columnar tables (struct of arrays), typed by a schema layout.
//
// A table has one column per ColumnSpec of its layout. Scalars are stored as int64 (int, duration
// and timestamp in nanoseconds), double, uint8 (bool, enum code) or uint32 (interned string,
// data-type id). A struct column holds only its presence; its fields are the columns that follow
// it. A list column holds offsets into a child table of its elements: row r's elements are rows
// [offsets[r], offsets[r + 1]) of elements(). Nullable columns keep a presence bitmap; an absent
// value's slot holds zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/facts/large_buffer.h"
#include "runtime/facts/schema.h"

namespace edict::facts {

class Bitmap {
 public:
  void Push(bool bit) {
    if (size_ % 64 == 0) words_.push_back(0);
    words_.back() |= static_cast<uint64_t>(bit) << (size_ % 64);
    ++size_;
  }
  bool Get(size_t index) const { return (words_[index / 64] >> (index % 64)) & 1; }
  size_t size() const { return size_; }
  void Truncate(size_t size);

 private:
  friend struct NativeLayout;
  std::vector<uint64_t> words_;
  size_t size_ = 0;
};

class Table;

class Column {
 public:
  Column(const Schema& schema, const ColumnSpec& spec);
  Column(Column&&) = default;
  Column& operator=(Column&&) = default;
  ~Column();

  TypeKind kind() const { return kind_; }
  bool nullable() const { return nullable_; }
  bool present(size_t row) const { return !nullable_ || presence_.Get(row); }

  std::span<const int64_t> ints() const { return ints_; }        // int, duration, timestamp
  std::span<const double> nums() const { return nums_; }         // num
  std::span<const uint8_t> codes() const { return codes_; }      // bool, enum
  std::span<const uint32_t> ids() const { return ids_; }         // string, data type
  std::span<const uint32_t> offsets() const { return offsets_; } // list: rows + 1 entries
  const Table& elements() const { return *elements_; }           // list

  // ---- Appending, while a session loads. Each row receives exactly one call per column.
  void AppendInt(int64_t v) { ints_.push_back(v); MarkPresent(); }
  void AppendNum(double v) { nums_.push_back(v); MarkPresent(); }
  void AppendCode(uint8_t v) { codes_.push_back(v); MarkPresent(); }
  void AppendId(uint32_t v) { ids_.push_back(v); MarkPresent(); }
  // Fills in an id appended earlier as a placeholder (strings are interned at the end of a record).
  void SetId(size_t index, uint32_t v) { ids_[index] = v; }
  void AppendStructPresent() { MarkPresent(); }
  // Closes a list whose elements were appended to mutable_elements().
  void CloseList();
  void AppendAbsent() {
    switch (storage_) {
      case Storage::kInts: ints_.push_zero(); break;
      case Storage::kNums: nums_.push_zero(); break;
      case Storage::kCodes: codes_.push_zero(); break;
      case Storage::kIds: ids_.push_zero(); break;
      case Storage::kList: offsets_.push_back(offsets_.back()); break;
      case Storage::kNone: break;
    }
    // Only nullable columns are ever absent: the loader fills required ones or rejects the record.
    if (nullable_) presence_.Push(false);
  }
  Table& mutable_elements() { return *elements_; }

 private:
  friend class Table;
  friend struct NativeLayout;
  // Which vector holds the values, decided once from the kind.
  enum class Storage : uint8_t { kInts, kNums, kCodes, kIds, kList, kNone };
  static Storage StorageOf(TypeKind kind);

  Column(TypeKind kind, bool nullable) : kind_(kind), storage_(StorageOf(kind)), nullable_(nullable) {}
  void MarkPresent() {
    if (nullable_) presence_.Push(true);
  }
  void Truncate(size_t rows);
  Column Gather(std::span<const uint32_t> rows) const;
  bool IsConsistent(size_t rows) const;

  TypeKind kind_;
  Storage storage_;
  bool nullable_;
  Bitmap presence_;
  LargeArray<int64_t> ints_;
  LargeArray<double> nums_;
  LargeArray<uint8_t> codes_;
  LargeArray<uint32_t> ids_;
  LargeArray<uint32_t> offsets_;
  std::unique_ptr<Table> elements_;
};

class Table {
 public:
  Table(const Schema& schema, LayoutId layout);
  Table(Table&&) = default;
  Table& operator=(Table&&) = default;

  const TableLayout& layout() const { return *layout_; }
  size_t rows() const { return rows_; }
  size_t column_count() const { return columns_.size(); }
  const Column& column(size_t index) const { return columns_[index]; }
  // The column at `path` ("api.class"), or -1.
  int32_t Find(std::string_view path) const { return layout_->Find(path); }

  // ---- While a session loads.
  Column& mutable_column(size_t index) { return columns_[index]; }
  void CommitRow() { ++rows_; }
  // Drops rows from `rows` on, including a half-written row (a record that failed to load).
  void Truncate(size_t rows);
  // A new table holding `rows` of this one, in that order (sorting records by time).
  Table Gather(std::span<const uint32_t> rows) const;
  // Every column holds exactly rows() values, recursively: the loader's invariant, checked by tests.
  bool IsConsistent() const;

 private:
  friend struct NativeLayout;
  Table(const TableLayout* layout) : layout_(layout) {}

  std::vector<Column> columns_;  // first: compiled code reaches a column with one load less
  const TableLayout* layout_;
  size_t rows_ = 0;
};

// Where compiled code finds a table's data without a call (compiler/codegen/column_reads.cpp):
// byte offsets of pointers, each the first word of its member (LargeArray's data, std::vector's
// start as every standard library lays it out, unique_ptr's pointer; tests/unit/jit_columns_test.cpp
// checks them). A table's columns are an array of kColumnSize-byte Columns; a column's values are
// an array by storage (int64, double, uint8 or uint32 per row; a list's rows + 1 offsets), its
// presence words hold bit r % 64 of row r in word r / 64 (nullable columns only).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
struct NativeLayout {
  static constexpr size_t kTableColumns = offsetof(Table, columns_);
  static constexpr size_t kColumnSize = sizeof(Column);
  static constexpr size_t kInts = offsetof(Column, ints_);
  static constexpr size_t kNums = offsetof(Column, nums_);
  static constexpr size_t kCodes = offsetof(Column, codes_);
  static constexpr size_t kIds = offsetof(Column, ids_);
  static constexpr size_t kOffsets = offsetof(Column, offsets_);
  static constexpr size_t kPresence = offsetof(Column, presence_) + offsetof(Bitmap, words_);
  static constexpr size_t kElements = offsetof(Column, elements_);
};
#pragma GCC diagnostic pop
static_assert(sizeof(LargeArray<uint32_t>) == 3 * sizeof(void*) && std::is_standard_layout_v<LargeArray<uint32_t>>);
static_assert(sizeof(std::unique_ptr<Table>) == sizeof(void*));

}  // namespace edict::facts
