// Turns the JSON objects of one session into rows of its store, driven entirely by the schema: no
// record kind or field name appears here except the envelope keys the format itself defines
// (`type`, and the header's `schema`). Internal to the loader; it is the only place that sees
// simdjson types besides loader.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/facts/json_problems.h"
#include "runtime/facts/store.h"

namespace edict::facts {

// List offsets are 32-bit.
inline constexpr uint64_t kMaxListElements = 0xffffffffu;

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
// Unknown fields by "<kind>\x1f<path>"; heterogeneous lookup keeps counting allocation-free.
using FieldCounts = std::unordered_map<std::string, uint64_t, StringHash, std::equal_to<>>;


class SessionBuilder {
 public:
  SessionBuilder(const Schema& schema, FieldCounts& unknown_fields);

  // Each Parse* writes a pending row; the caller then calls Commit (the line was good to its end)
  // or Drop. On false, problem() says why.
  bool ParseHeader(od::object& header);
  bool ParseRecord(KindId kind, od::object& record);
  // Checks a record of a kind the schema lacks for well-formed JSON, storing nothing.
  bool ValidateOnly(od::object& record);
  void Commit(uint64_t line);
  void Drop();
  const Problem& problem() const { return problem_; }

  std::string session_id() const;
  const SessionStore& store() const { return *store_; }
  // Sorts every kind by (t, seq) and hands the store over; the builder is spent.
  std::unique_ptr<SessionStore> Finish();

 private:
  struct PathFrame {
    const std::string* name;  // a field, or
    int64_t index;            // a list element when name is null
  };

  bool ParseStruct(od::object& object, TypeId type, Table& table, uint32_t first_column, bool record_level,
                   int depth);
  bool ParseField(od::value& value, const FieldDecl& field, Table& table, uint32_t column, int depth);
  bool ParseList(od::value& value, od::json_type json_type, TypeId list_type, Column& column, int depth);
  bool ParseScalar(od::value& value, od::json_type json_type, TypeId type, Column& column);
  bool Consume(od::value value, int depth);
  void AppendMissing(Table& table, uint32_t column);
  // Appends a placeholder id for `text` and queues its interning; InternPending then interns the
  // queue in order, so ids are exactly those of interning on sight. Batching lets the string
  // table's cache misses (it outgrows the caches) overlap instead of stalling each field in turn.
  void InternLater(Column& column, std::string_view text);
  void InternPending();
  void NoteUnknownField(std::string_view key);

  bool Fail(InputErrorKind kind, std::vector<std::string> args);
  bool FailJson(simdjson::error_code error);
  bool FailWrongType(od::value& value, TypeId expected);
  bool FailNumber(simdjson::error_code error, od::value& value, TypeId expected);
  // The dotted path of the current field: "stack[1].cls", or "stack[].cls" for counting.
  std::string Path(bool with_indices) const;

  const Schema& schema_;
  FieldCounts& unknown_fields_;
  std::unique_ptr<SessionStore> store_;
  Problem problem_;

  // The pending row.
  Table* pending_table_ = nullptr;
  KindId pending_kind_ = 0;
  int64_t pending_seq_ = 0;
  std::vector<PathFrame> path_;
  std::vector<uint32_t> pending_data_types_;  // unknown data-type ids the row interned
  std::vector<std::string> pending_unknown_;  // "<kind>\x1f<path>" of its unknown fields
  size_t pending_unknown_count_ = 0;          // used entries: the strings keep their capacity
  struct PendingString {
    Column* column;
    size_t index;           // of the placeholder in column's ids
    std::string_view text;  // in the document or the schema: alive until the record is done
    uint64_t hash;
  };
  std::vector<PendingString> pending_strings_;

  bool has_seq_ = false;
  int64_t last_seq_ = 0;
};

}  // namespace edict::facts
