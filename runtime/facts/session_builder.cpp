// Schema-driven parsing of records into columns, with exact error locations.
#include "runtime/facts/session_builder.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

#include "runtime/facts/json_problems.h"
#include "runtime/facts/timestamp.h"

namespace edict::facts {
namespace {

constexpr std::string_view kTypeKey = "type";
// How many fields past the last match ParseStruct compares before hashing the key.
constexpr size_t kFieldsToGuess = 4;
constexpr std::string_view kSchemaKey = "schema";
constexpr int64_t kNanosPerMilli = 1'000'000;

// The key as written, when it holds no escape: then it needs no unescaping copy. Stage 1 has checked
// that every string is closed, so the scan stops at the closing quote.
bool RawKey(od::field& field, std::string_view* key) {
  const char* raw = field.key().raw();
  size_t size = 0;
  for (; raw[size] != '"'; ++size) {
    if (raw[size] == '\\') return false;
  }
  *key = std::string_view(raw, size);
  return true;
}

}  // namespace

SessionBuilder::SessionBuilder(const Schema& schema, FieldCounts& unknown_fields)
    : schema_(schema), unknown_fields_(unknown_fields), store_(std::make_unique<SessionStore>(schema)) {}

bool SessionBuilder::Fail(InputErrorKind kind, std::vector<std::string> args) {
  problem_ = Problem{kind, std::move(args)};
  return false;
}

bool SessionBuilder::FailJson(simdjson::error_code error) {
  problem_ = JsonProblem(error);
  return false;
}

bool SessionBuilder::FailWrongType(od::value& value, TypeId expected) {
  return Fail(InputErrorKind::kWrongType, {Path(true), schema_.Describe(expected), DescribeValue(value)});
}

bool SessionBuilder::FailNumber(simdjson::error_code error, od::value& value, TypeId expected) {
  // A well-formed number of the wrong kind (1.5 for an int, 1e30 for an int64) is a type error;
  // anything else is malformed JSON.
  if (error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_OUT_OF_RANGE) {
    return FailWrongType(value, expected);
  }
  return FailJson(error);
}

std::string SessionBuilder::Path(bool with_indices) const {
  std::string out;
  for (const PathFrame& frame : path_) {
    if (frame.name) {
      if (!out.empty()) out += '.';
      out += *frame.name;
    } else {
      out += '[';
      if (with_indices) out += std::to_string(frame.index);
      out += ']';
    }
  }
  return out;
}

void SessionBuilder::NoteUnknownField(std::string_view key) {
  if (pending_unknown_count_ == pending_unknown_.size()) pending_unknown_.emplace_back();
  std::string& entry = pending_unknown_[pending_unknown_count_++];
  entry = pending_table_ == &store_->header_ ? std::string_view("header") : schema_.kind(pending_kind_).name;
  entry += '\x1f';
  std::string parent = Path(false);
  if (!parent.empty()) entry += parent + ".";
  entry += key;
}

bool SessionBuilder::ParseHeader(od::object& header) {
  pending_table_ = &store_->header_;
  path_.clear();
  // The schema version comes first: a header of another major version may differ in any field,
  // and "unsupported schema" is the only useful thing to say about it.
  od::value schema_value;
  if (auto error = header.find_field_unordered(kSchemaKey).get(schema_value)) {
    if (error != simdjson::NO_SUCH_FIELD) return FailJson(error);
    return Fail(InputErrorKind::kMissingField, {std::string(kSchemaKey)});
  }
  std::string_view version;
  if (auto error = schema_value.get_string().get(version)) {
    if (error != simdjson::INCORRECT_TYPE) return FailJson(error);
    return Fail(InputErrorKind::kWrongType,
                {std::string(kSchemaKey), schema_.Describe(schema_.String()), DescribeValue(schema_value)});
  }
  std::string accepted = schema_.format() + "/" + std::to_string(schema_.major());
  if (!version.starts_with(accepted) || (version.size() > accepted.size() && version[accepted.size()] != '.')) {
    return Fail(InputErrorKind::kUnsupportedSchema,
                {QuoteForMessage(version), schema_.format(), std::to_string(schema_.major())});
  }
  if (auto error = header.reset().error()) return FailJson(error);
  bool parsed = ParseStruct(header, schema_.header_type(), store_->header_, 0, true, 1);
  InternPending();
  return parsed;
}

bool SessionBuilder::ParseRecord(KindId kind, od::object& record) {
  pending_kind_ = kind;
  RecordTable& records = store_->kinds_[kind];
  pending_table_ = &records.fields;
  path_.clear();
  const RecordKind& spec = schema_.kind(kind);
  bool parsed = ParseStruct(record, spec.body, records.fields, 0, true, 1);
  // Also after a failure: the strings read before it are interned, as when interning on sight.
  InternPending();
  if (!parsed) return false;
  // The pending row's seq is the last value of its column (rows() counts committed rows only).
  int64_t seq = records.fields.column(spec.seq_column).ints().back();
  if (has_seq_ && seq <= last_seq_) {
    return Fail(InputErrorKind::kSeqNotIncreasing, {std::to_string(seq), std::to_string(last_seq_)});
  }
  pending_seq_ = seq;
  return true;
}

bool SessionBuilder::ValidateOnly(od::object& record) {
  pending_table_ = nullptr;
  if (auto error = record.reset().error()) return FailJson(error);
  for (auto field_result : record) {
    if (auto error = field_result.error()) return FailJson(error);
    od::field&& field = std::move(field_result).value_unsafe();
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return FailJson(error);
    if (!Consume(field.value(), 2)) return false;
  }
  return true;
}

void SessionBuilder::Commit(uint64_t line) {
  pending_table_->CommitRow();
  if (pending_table_ != &store_->header_) {
    store_->kinds_[pending_kind_].lines.push_back(line);
    has_seq_ = true;
    last_seq_ = pending_seq_;
  }
  for (size_t i = 0; i < pending_unknown_count_; ++i) {
    auto it = unknown_fields_.find(std::string_view(pending_unknown_[i]));
    if (it == unknown_fields_.end()) it = unknown_fields_.emplace(pending_unknown_[i], 0).first;
    ++it->second;
  }
  pending_unknown_count_ = 0;
  pending_data_types_.clear();
}

void SessionBuilder::Drop() {
  if (pending_table_) pending_table_->Truncate(pending_table_->rows());
  store_->data_types_.Uncount(pending_data_types_);
  pending_data_types_.clear();
  pending_unknown_count_ = 0;
}

std::string SessionBuilder::session_id() const {
  const Table& header = store_->header_;
  if (header.rows() == 0) return "";
  return std::string(store_->strings_.text(header.column(schema_.header_session_id_column()).ids()[0]));
}

bool SessionBuilder::ParseStruct(od::object& object, TypeId type_id, Table& table, uint32_t first_column,
                                 bool record_level, int depth) {
  if (depth > kMaxJsonDepth) return Fail(InputErrorKind::kNestingTooDeep, {std::to_string(kMaxJsonDepth)});
  const Type& type = schema_.type(type_id);
  const size_t field_count = type.fields.size();
  uint64_t seen = 0;
  // Producers mostly write fields in declaration order, leaving out optional ones, so the next few
  // fields after the last one matched are tried before the hash lookup.
  size_t expected = 0;
  for (auto field_result : object) {
    if (auto error = field_result.error()) return FailJson(error);
    // Used in place: copying a field out of its result costs a store-forwarding stall per field.
    od::field&& field = std::move(field_result).value_unsafe();
    std::string_view key;
    if (!RawKey(field, &key)) {
      if (auto error = field.unescaped_key().get(key)) return FailJson(error);
    }
    // The record's kind was read already; its value is skipped by the iteration.
    if (record_level && value::EqualText(key, kTypeKey)) continue;
    int32_t index = NameIndex::kNotFound;
    for (size_t guess = expected; guess < std::min(expected + kFieldsToGuess, field_count); ++guess) {
      if (value::EqualText(type.fields[guess].name, key)) {
        index = static_cast<int32_t>(guess);
        break;
      }
    }
    if (index < 0) index = type.names.Find(key);
    if (index < 0) {
      NoteUnknownField(key);
      if (!Consume(field.value(), depth + 1)) return false;
      continue;
    }
    expected = static_cast<size_t>(index) + 1;
    const FieldDecl& decl = type.fields[index];
    path_.push_back({&decl.name, 0});
    uint64_t bit = uint64_t{1} << index;
    if (seen & bit) return Fail(InputErrorKind::kDuplicateField, {Path(true)});
    seen |= bit;
    if (!ParseField(field.value(), decl, table, first_column + type.field_columns[index], depth + 1)) return false;
    path_.pop_back();
  }
  if (uint64_t missing = type.required_fields & ~seen) {
    path_.push_back({&type.fields[std::countr_zero(missing)].name, 0});
    return Fail(InputErrorKind::kMissingField, {Path(true)});
  }
  uint64_t all = field_count == 64 ? ~uint64_t{0} : (uint64_t{1} << field_count) - 1;
  for (uint64_t absent = all & ~seen; absent != 0; absent &= absent - 1) {
    AppendMissing(table, first_column + type.field_columns[std::countr_zero(absent)]);
  }
  return true;
}

bool SessionBuilder::ParseField(od::value& value, const FieldDecl& field, Table& table, uint32_t column,
                                int depth) {
  od::json_type json_type;
  if (auto error = value.type().get(json_type)) return FailJson(error);
  const Type& type = schema_.type(field.type);
  if (json_type == od::json_type::null) {
    // simdjson classifies by the first letter; `nul` or `nulx` is no null.
    bool is_null = false;
    if (value.is_null().get(is_null) || !is_null) return FailJson(simdjson::N_ATOM_ERROR);
    if (!field.optional) return FailWrongType(value, field.type);
    AppendMissing(table, column);
    return true;
  }
  if (type.kind == TypeKind::kStruct) {
    if (json_type != od::json_type::object) return FailWrongType(value, field.type);
    od::object object;
    if (auto error = value.get_object().get(object)) return FailJson(error);
    table.mutable_column(column).AppendStructPresent();
    return ParseStruct(object, field.type, table, column + 1, false, depth);
  }
  if (type.kind == TypeKind::kList) return ParseList(value, json_type, field.type, table.mutable_column(column), depth);
  return ParseScalar(value, json_type, field.type, table.mutable_column(column));
}

bool SessionBuilder::ParseList(od::value& value, od::json_type json_type, TypeId list_type, Column& column,
                               int depth) {
  if (depth > kMaxJsonDepth) return Fail(InputErrorKind::kNestingTooDeep, {std::to_string(kMaxJsonDepth)});
  if (json_type != od::json_type::array) return FailWrongType(value, list_type);
  od::array array;
  if (auto error = value.get_array().get(array)) return FailJson(error);
  TypeId element_type = schema_.type(list_type).element;
  TypeKind element_kind = schema_.type(element_type).kind;
  Table& elements = column.mutable_elements();
  int64_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (auto error = element_result.get(element)) return FailJson(error);
    path_.push_back({nullptr, index++});
    od::json_type element_json_type;
    if (auto error = element.type().get(element_json_type)) return FailJson(error);
    if (element_kind == TypeKind::kStruct) {
      // An element table of structs starts with the struct's fields; it has no presence column.
      if (element_json_type != od::json_type::object) return FailWrongType(element, element_type);
      od::object object;
      if (auto error = element.get_object().get(object)) return FailJson(error);
      if (!ParseStruct(object, element_type, elements, 0, false, depth + 1)) return false;
    } else if (element_kind == TypeKind::kList) {
      if (!ParseList(element, element_json_type, element_type, elements.mutable_column(0), depth + 1)) return false;
    } else if (!ParseScalar(element, element_json_type, element_type, elements.mutable_column(0))) {
      return false;
    }
    if (elements.rows() >= kMaxListElements) {
      return Fail(InputErrorKind::kTooManyListElements, {std::to_string(kMaxListElements)});
    }
    elements.CommitRow();
    path_.pop_back();
  }
  column.CloseList();
  return true;
}

bool SessionBuilder::ParseScalar(od::value& value, od::json_type json_type, TypeId type_id, Column& column) {
  const Type& type = schema_.type(type_id);
  bool is_string = json_type == od::json_type::string;
  bool is_number = json_type == od::json_type::number;
  switch (type.kind) {
    case TypeKind::kString:
    case TypeKind::kEnum:
    case TypeKind::kTimestamp:
    case TypeKind::kDataType: {
      if (!is_string) return FailWrongType(value, type_id);
      std::string_view text;
      if (auto error = value.get_string().get(text)) return FailJson(error);
      if (type.kind == TypeKind::kString) {
        InternLater(column, text);
      } else if (type.kind == TypeKind::kEnum) {
        int32_t code = type.names.Find(text);
        if (code < 0) {
          return Fail(InputErrorKind::kWrongType, {Path(true), schema_.Describe(type_id), QuoteForMessage(text)});
        }
        column.AppendCode(static_cast<uint8_t>(code));
      } else if (type.kind == TypeKind::kTimestamp) {
        int64_t nanos;
        std::string_view why;
        if (!ParseRfc3339(text, &nanos, &why)) {
          return Fail(InputErrorKind::kBadTimestamp, {Path(true), QuoteForMessage(text), std::string(why)});
        }
        column.AppendInt(nanos);
      } else {
        uint32_t id = store_->data_types_.Intern(text);
        if (!store_->data_types_.known(id)) pending_data_types_.push_back(id);
        column.AppendId(id);
      }
      return true;
    }
    case TypeKind::kInt:
    case TypeKind::kDuration: {
      if (!is_number) return FailWrongType(value, type_id);
      int64_t number;
      if (auto error = value.get_int64().get(number)) return FailNumber(error, value, type_id);
      if (type.kind == TypeKind::kDuration) {
        if (number > std::numeric_limits<int64_t>::max() / kNanosPerMilli ||
            number < std::numeric_limits<int64_t>::min() / kNanosPerMilli) {
          return Fail(InputErrorKind::kOutOfRange, {Path(true), std::to_string(number), "a duration in milliseconds"});
        }
        number *= kNanosPerMilli;
      }
      column.AppendInt(number);
      return true;
    }
    case TypeKind::kNum: {
      if (!is_number) return FailWrongType(value, type_id);
      double number;
      if (auto error = value.get_double().get(number)) return FailNumber(error, value, type_id);
      column.AppendNum(number);
      return true;
    }
    case TypeKind::kBool: {
      if (json_type != od::json_type::boolean) return FailWrongType(value, type_id);
      bool flag;
      if (value.get_bool().get(flag)) return FailJson(simdjson::T_ATOM_ERROR);
      column.AppendCode(flag);
      return true;
    }
    case TypeKind::kList:
    case TypeKind::kStruct: break;
  }
  return FailWrongType(value, type_id);
}

// Unknown fields are ignored but must still be valid JSON: On-Demand would otherwise skip a
// malformed value without looking at it.
bool SessionBuilder::Consume(od::value value, int depth) {
  if (depth > kMaxJsonDepth) return Fail(InputErrorKind::kNestingTooDeep, {std::to_string(kMaxJsonDepth)});
  od::json_type json_type;
  if (auto error = value.type().get(json_type)) return FailJson(error);
  switch (json_type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return FailJson(error);
      for (auto field_result : object) {
        if (auto error = field_result.error()) return FailJson(error);
        od::field&& field = std::move(field_result).value_unsafe();
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return FailJson(error);
        if (!Consume(field.value(), depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return FailJson(error);
      for (auto element_result : array) {
        od::value element;
        if (auto error = element_result.get(element)) return FailJson(error);
        if (!Consume(element, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return FailJson(error);
      return true;
    }
    case od::json_type::number: {
      double number;
      if (auto error = value.get_double().get(number)) return FailJson(error);
      return true;
    }
    case od::json_type::boolean: {
      bool flag;
      return !value.get_bool().get(flag) || FailJson(simdjson::T_ATOM_ERROR);
    }
    case od::json_type::null: {
      bool is_null = false;
      return (!value.is_null().get(is_null) && is_null) || FailJson(simdjson::N_ATOM_ERROR);
    }
  }
  return true;
}

void SessionBuilder::AppendMissing(Table& table, uint32_t column_index) {
  const ColumnSpec& spec = table.layout().columns[column_index];
  Column& column = table.mutable_column(column_index);
  if (!spec.default_value) {
    // An absent struct takes its whole subtree with it.
    for (uint32_t c = column_index; c < spec.end; ++c) table.mutable_column(c).AppendAbsent();
    return;
  }
  const ColumnDefault& value = *spec.default_value;
  switch (spec.kind) {
    case TypeKind::kInt:
    case TypeKind::kDuration:
    case TypeKind::kTimestamp: column.AppendInt(value.int_value); break;
    case TypeKind::kNum: column.AppendNum(value.num_value); break;
    case TypeKind::kBool:
    case TypeKind::kEnum: column.AppendCode(static_cast<uint8_t>(value.int_value)); break;
    case TypeKind::kString: InternLater(column, value.text); break;
    case TypeKind::kDataType: column.AppendId(store_->data_types_.Intern(value.text)); break;
    case TypeKind::kList:
    case TypeKind::kStruct: column.AppendAbsent(); break;
  }
}

void SessionBuilder::InternLater(Column& column, std::string_view text) {
  uint64_t hash = StringPool::Hash(text);
  store_->strings_.Prefetch(hash);
  pending_strings_.push_back({&column, column.ids().size(), text, hash});
  column.AppendId(0);
}

void SessionBuilder::InternPending() {
  StringPool& pool = store_->strings_;
  for (const PendingString& pending : pending_strings_) pool.PrefetchText(pending.hash);
  for (const PendingString& pending : pending_strings_) {
    pending.column->SetId(pending.index, pool.Intern(pending.text, pending.hash));
  }
  pending_strings_.clear();
}

std::unique_ptr<SessionStore> SessionBuilder::Finish() {
  for (KindId kind = 0; kind < schema_.kind_count(); ++kind) {
    int32_t t_column = schema_.kind(kind).t_column;
    if (t_column < 0) continue;
    RecordTable& records = store_->kinds_[kind];
    const Column& t = records.fields.column(t_column);
    // Records arrive in seq order, so a stable sort by t yields (t, seq). An absent t sorts first.
    auto key = [&](uint32_t row) {
      return t.present(row) ? t.ints()[row] : std::numeric_limits<int64_t>::min();
    };
    size_t rows = records.fields.rows();
    bool sorted = true;
    for (uint32_t row = 1; row < rows && sorted; ++row) sorted = key(row - 1) <= key(row);
    if (sorted) continue;
    std::vector<uint32_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
    records.fields = records.fields.Gather(order);
    LargeArray<uint64_t> lines;
    lines.Reserve(rows);
    for (uint32_t row : order) lines.push_back(records.lines[row]);
    records.lines = std::move(lines);
  }
  return std::move(store_);
}

}  // namespace edict::facts
