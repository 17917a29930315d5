// A loaded session: its header, one columnar table per record kind, its strings and data types.
//
// Built once by the loader and immutable afterwards, so evaluation threads share it freely. A
// store refers to the Schema it was loaded with, which must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/facts/data_types.h"
#include "runtime/facts/input_error.h"
#include "runtime/facts/schema.h"
#include "runtime/facts/strings.h"
#include "runtime/facts/table.h"

namespace edict::facts {

// The records of one kind, sorted by (t, seq) — by seq for static kinds — with each record's input
// line for evidence. A session comes from a single input, so the file is the session's.
struct RecordTable {
  Table fields;
  LargeArray<uint64_t> lines;
};

// One value read by field path: for the header, tools and tests (rules read columns directly).
// Enums and data types read as their names; durations and timestamps as int64 nanoseconds.
struct ListCell {
  const Table* elements;
  uint32_t begin, end;  // rows of `elements`
};
struct StructCell {};  // an object that is present; read its fields by their own paths
using Cell = std::variant<std::monostate, int64_t, double, bool, std::string_view, ListCell, StructCell>;

class SessionStore {
 public:
  explicit SessionStore(const Schema& schema);

  const Schema& schema() const { return *schema_; }
  const Table& header() const { return header_; }
  const RecordTable& records(KindId kind) const { return kinds_[kind]; }
  const StringPool& strings() const { return strings_; }
  const DataTypeTable& data_types() const { return data_types_; }
  size_t record_count() const;

  Cell Read(const Table& table, size_t column, size_t row) const;
  // A header value by path ("app.category"); monostate when absent or not a header field.
  Cell HeaderValue(std::string_view path) const;

 private:
  friend class SessionBuilder;

  const Schema* schema_;
  Table header_;
  std::vector<RecordTable> kinds_;
  StringPool strings_;
  DataTypeTable data_types_;
};

struct Session {
  std::string id;  // `session.id`; empty when the header itself failed to load
  std::string file;
  uint64_t header_line = 0;  // 0 for records that came before any header
  // Strict mode: the error that stopped this session; it then has no store and no findings.
  std::optional<InputError> error;
  std::unique_ptr<const SessionStore> store;
  std::vector<bool> captured;  // by KindId: see CapturedKinds
};

// The kinds a session's producer captured (rule-catalog S1): the union of `captured` over its
// `coverage` records, or, when it has none, exactly the kinds it holds records of. A kind absent
// here was not observed, which is not the same as "did not happen".
inline constexpr std::string_view kCoverageKind = "coverage";
inline constexpr std::string_view kCapturedField = "captured";
std::vector<bool> CapturedKinds(const SessionStore& store);

}  // namespace edict::facts
