// The runtime schema model: record kinds with typed fields, the header, the known data-type ids.
//
// The appfacts/1 record kinds are declared in the rule language (stdlib-rules/appfacts); the checker
// converts those declarations into this model through the builder methods below. Finalize() then
// computes the column layout the loader writes and rules read: every table is a flat list of
// columns in which a struct field's column is followed by its own fields' columns, and a list
// column owns a child table holding its elements (see store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/facts/name_index.h"

namespace edict::facts {

using TypeId = uint32_t;
using KindId = uint32_t;
using LayoutId = uint32_t;

enum class TypeKind : uint8_t {
  kString,     // interned per session
  kInt,        // int64
  kNum,        // double (appfacts `num`)
  kBool,
  kEnum,       // a JSON string from a closed list; stored as its index
  kDuration,   // JSON int milliseconds, stored as int64 nanoseconds (`t`)
  kTimestamp,  // JSON RFC 3339 string, stored as int64 nanoseconds since the epoch
  kDataType,   // a data-type id (`dt`), interned to a small integer
  kList,
  kStruct,
};

// A default as a producer would write it in JSON: milliseconds for a duration, RFC 3339 text for a
// timestamp, the value's name for an enum. Finalize() converts it to the column's representation.
using DefaultValue = std::variant<int64_t, double, bool, std::string>;

struct FieldDecl {
  std::string name;
  TypeId type = 0;
  bool optional = false;                      // may be absent or null
  std::optional<DefaultValue> default_value{};  // taken when absent (only for optional scalars)
};

struct Type {
  TypeKind kind = TypeKind::kString;
  std::vector<std::string> enum_values;  // kEnum: a value's code is its index
  TypeId element = 0;                    // kList
  std::vector<FieldDecl> fields;         // kStruct

  // Computed by Finalize().
  NameIndex names;                      // kEnum: the values; kStruct: the field names
  std::vector<uint32_t> field_columns;  // kStruct: column of field i relative to field 0's column
  uint32_t column_count = 0;            // kStruct: columns its fields take, nested structs included
  uint64_t required_fields = 0;         // kStruct: bit i set when field i is required
};

// The loader tracks a struct's present fields in one 64-bit mask.
inline constexpr size_t kMaxStructFields = 64;

// A scalar default converted to column form; `text` is interned per session (strings, data types).
struct ColumnDefault {
  int64_t int_value = 0;  // int, duration and timestamp in ns, bool (0/1), enum code
  double num_value = 0;
  std::string text;
};

struct ColumnSpec {
  std::string path;  // relative to its table: "api.class"; "" for a list of scalars' element
  TypeId type = 0;
  TypeKind kind = TypeKind::kString;
  bool nullable = false;    // keeps a presence bitmap (optional itself or inside an optional struct)
  uint32_t end = 0;         // one past the last column of its subtree (a struct's fields)
  LayoutId elements = 0;    // kList: the layout of the element table
  std::optional<ColumnDefault> default_value;
};

struct TableLayout {
  std::vector<ColumnSpec> columns;
  NameIndex paths;  // path → column
  int32_t Find(std::string_view path) const { return paths.Find(path); }
};

struct RecordKind {
  std::string name;
  TypeId body = 0;
  // Computed by Finalize().
  LayoutId layout = 0;
  uint32_t seq_column = 0;
  int32_t t_column = -1;  // -1: a static kind (no `t`); records sort by (t, seq), else by seq
};

class Schema {
 public:
  // A schema for the JSON Lines format `format`; headers declare `"<format>/<major>.<minor>"` and
  // any minor version of `major` is accepted.
  Schema(std::string format, int major);

  // ---- Building. Ids refer only to types built earlier, so types cannot be recursive.
  TypeId String() const { return kStringId; }
  TypeId Int() const { return kIntId; }
  TypeId Num() const { return kNumId; }
  TypeId Bool() const { return kBoolId; }
  TypeId Duration() const { return kDurationId; }
  TypeId Timestamp() const { return kTimestampId; }
  TypeId DataType() const { return kDataTypeId; }
  // `unknown` is a legal value of every appfacts enum (appfacts-1 §1), so it is added when missing.
  TypeId Enum(std::vector<std::string> values);
  TypeId List(TypeId element);
  TypeId Struct(std::vector<FieldDecl> fields);
  // The body must declare `seq: int`, and `t: duration` for a dynamic kind. `type` is the kind
  // name itself and is not a field.
  KindId AddKind(std::string name, TypeId body);
  // The header must declare `schema: string` and `session: {id: string, ...}`.
  void SetHeader(TypeId body);
  void SetDataTypes(std::vector<std::string> ids);

  // Checks the declarations and computes the layouts. Returns every problem found; the schema may
  // be used for loading only when the list is empty, and must not be changed afterwards.
  std::vector<std::string> Finalize();

  // ---- Reading.
  bool finalized() const { return finalized_; }
  const std::string& format() const { return format_; }
  int major() const { return major_; }
  const Type& type(TypeId id) const { return types_[id]; }
  size_t kind_count() const { return kinds_.size(); }
  const RecordKind& kind(KindId id) const { return kinds_[id]; }
  std::optional<KindId> FindKind(std::string_view name) const;
  TypeId header_type() const { return header_; }
  LayoutId header_layout() const { return header_layout_; }
  uint32_t header_schema_column() const { return header_schema_column_; }
  uint32_t header_session_id_column() const { return header_session_id_column_; }
  const TableLayout& layout(LayoutId id) const { return layouts_[id]; }
  std::span<const std::string> data_types() const { return data_types_; }
  // The id of a data type listed by SetDataTypes, or -1.
  int32_t FindDataType(std::string_view id) const { return data_type_index_.Find(id); }
  // How the loader names a type in "expected ..." messages: "an integer", "one of a|b|unknown".
  std::string Describe(TypeId id) const;

 private:
  static constexpr TypeId kStringId = 0, kIntId = 1, kNumId = 2, kBoolId = 3, kDurationId = 4,
                          kTimestampId = 5, kDataTypeId = 6;

  void ComputeColumns(TypeId struct_type);
  void AddStructColumns(LayoutId layout, TypeId struct_type, const std::string& prefix, bool nullable);
  LayoutId AddElementLayout(TypeId element);
  void CheckStruct(TypeId id, const std::string& where, std::vector<std::string>& problems) const;
  std::optional<ColumnDefault> ConvertDefault(const FieldDecl& field, const std::string& where,
                                              std::vector<std::string>& problems) const;

  std::string format_;
  int major_;
  std::vector<Type> types_;
  std::vector<RecordKind> kinds_;
  NameIndex kind_index_;
  TypeId header_ = 0;
  bool has_header_ = false;
  LayoutId header_layout_ = 0;
  uint32_t header_schema_column_ = 0;
  uint32_t header_session_id_column_ = 0;
  std::vector<std::string> data_types_;
  NameIndex data_type_index_;
  std::vector<TableLayout> layouts_;
  std::vector<std::string> build_problems_;  // ids out of range, reported by Finalize
  bool finalized_ = false;
};

}  // namespace edict::facts
