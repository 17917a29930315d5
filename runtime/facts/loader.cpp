// The stream loop: lines → sessions, with strict and lenient handling of bad input.
#include "runtime/facts/loader.h"

#include <exception>
#include <optional>

#include "runtime/facts/json_problems.h"
#include "runtime/facts/session_builder.h"

namespace edict::facts {
namespace {

constexpr std::string_view kTypeKey = "type";
constexpr std::string_view kHeaderKind = "header";

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

std::string DescribeRoot(od::document& doc) {
  od::json_type type;
  if (doc.type().get(type)) return "malformed JSON";
  switch (type) {
    case od::json_type::array: return "a list";
    case od::json_type::string: return "a string";
    case od::json_type::number: return "a number";
    case od::json_type::boolean: return "true or false";
    case od::json_type::null: return "null";
    case od::json_type::object: return "an object";
  }
  return "a value";
}

class StreamLoader {
 public:
  StreamLoader(const Schema& schema, const LoadOptions& options, LoadResult& result)
      : schema_(schema), options_(options), result_(result) {}

  void Run(const InputSource& input);
  void Flush();

 private:
  enum class State : uint8_t {
    kNoSession,  // at the start of an input: the next line must be a header
    kLoading,
    kFailed,     // the session stopped; lines are ignored until the next header
  };

  void HandleLine(std::string_view line, size_t readable, uint64_t line_number);
  bool IsHeaderLine(std::string_view line, size_t readable);
  void StartSession(uint64_t line_number);
  void FinishSession();
  // A bad line: skipped in lenient mode unless `fatal`, else the end of its session.
  void Reject(const Problem& problem, uint64_t line_number, bool fatal = false);
  void FailSession(InputError error);
  void MergeDataTypes(const DataTypeTable& data_types);

  const Schema& schema_;
  const LoadOptions& options_;
  LoadResult& result_;
  FieldCounts unknown_fields_;
  od::parser parser_;
  const InputSource* input_ = nullptr;
  State state_ = State::kNoSession;
  std::optional<SessionBuilder> builder_;
  uint64_t records_in_session_ = 0;
};

void StreamLoader::Run(const InputSource& input) {
  input_ = &input;
  state_ = State::kNoSession;
  LineReader reader(input, options_.max_line_bytes);
  for (;;) {
    switch (reader.Next()) {
      case LineReader::Status::kLine:
        if (!IsBlank(reader.line())) HandleLine(reader.line(), reader.readable(), reader.line_number());
        continue;
      case LineReader::Status::kTooLong:
        if (state_ != State::kFailed) {
          Reject({InputErrorKind::kLineTooLong, {std::to_string(options_.max_line_bytes)}}, reader.line_number());
        }
        continue;
      case LineReader::Status::kError: {
        std::string args[] = {reader.error()};
        InputError error = MakeInputError(InputErrorKind::kCannotRead, input.name, 0, args);
        if (state_ == State::kLoading) FailSession(error);
        result_.input_errors.push_back(std::move(error));
        break;
      }
      case LineReader::Status::kEnd: break;
    }
    break;
  }
  // A session never continues into the next input.
  FinishSession();
}

void StreamLoader::HandleLine(std::string_view line, size_t readable, uint64_t line_number) {
  if (state_ == State::kFailed && !IsHeaderLine(line, readable)) return;

  od::document doc;
  if (auto error = parser_.iterate(line.data(), line.size(), readable).get(doc)) {
    return Reject(JsonProblem(error), line_number);
  }
  od::object object;
  if (auto error = doc.get_object().get(object)) {
    if (error == simdjson::INCORRECT_TYPE) {
      return Reject({InputErrorKind::kNotAnObject, {DescribeRoot(doc)}}, line_number);
    }
    return Reject(JsonProblem(error), line_number);
  }
  od::value type_value;
  if (auto error = object.find_field_unordered(kTypeKey).get(type_value)) {
    if (error == simdjson::NO_SUCH_FIELD) {
      return Reject({InputErrorKind::kMissingField, {std::string(kTypeKey)}}, line_number);
    }
    return Reject(JsonProblem(error), line_number);
  }
  std::string_view kind_name;
  if (auto error = type_value.get_string().get(kind_name)) {
    if (error != simdjson::INCORRECT_TYPE) return Reject(JsonProblem(error), line_number);
    return Reject({InputErrorKind::kWrongType,
                   {std::string(kTypeKey), "a string (the record kind)", DescribeValue(type_value)}},
                  line_number);
  }

  bool is_header = kind_name == kHeaderKind;
  std::optional<KindId> kind;
  if (is_header) {
    StartSession(line_number);
  } else {
    if (state_ == State::kNoSession) return Reject({InputErrorKind::kRecordBeforeHeader, {}}, line_number);
    if (++records_in_session_ > options_.max_records_per_session) {
      return Reject({InputErrorKind::kTooManyRecords, {std::to_string(options_.max_records_per_session)}},
                    line_number, true);
    }
    kind = schema_.FindKind(kind_name);
  }
  bool parsed;
  std::string unknown_kind;
  if (is_header) {
    parsed = builder_->ParseHeader(object);
  } else if (!kind) {
    unknown_kind = kind_name;  // a copy: the view dies with the document
    parsed = builder_->ValidateOnly(object);
  } else if (auto error = object.reset().error()) {
    return Reject(JsonProblem(error), line_number);
  } else {
    parsed = builder_->ParseRecord(*kind, object);
  }
  // Anything after the object (`{...} {...}`) makes the line invalid JSON.
  if (parsed && !doc.current_location().error()) {
    builder_->Drop();
    return Reject(JsonProblem(simdjson::TRAILING_CONTENT), line_number, is_header);
  }
  if (!parsed) {
    Problem problem = builder_->problem();
    builder_->Drop();
    return Reject(problem, line_number, is_header);
  }
  if (kind || is_header) {
    builder_->Commit(line_number);
  } else {
    ++result_.unknown_kinds[unknown_kind];
  }
  if (is_header) result_.sessions.back().id = builder_->session_id();
}

bool StreamLoader::IsHeaderLine(std::string_view line, size_t readable) {
  od::document doc;
  od::object object;
  std::string_view kind_name;
  return !parser_.iterate(line.data(), line.size(), readable).get(doc) && !doc.get_object().get(object) &&
         !object.find_field_unordered(kTypeKey).get_string().get(kind_name) && kind_name == kHeaderKind;
}

void StreamLoader::StartSession(uint64_t line_number) {
  FinishSession();
  result_.sessions.emplace_back();
  result_.sessions.back().file = input_->name;
  result_.sessions.back().header_line = line_number;
  builder_.emplace(schema_, unknown_fields_);
  state_ = State::kLoading;
  records_in_session_ = 0;
}

void StreamLoader::FinishSession() {
  if (state_ == State::kLoading) {
    MergeDataTypes(builder_->store().data_types());
    Session& session = result_.sessions.back();
    std::unique_ptr<SessionStore> store = builder_->Finish();
    session.captured = CapturedKinds(*store);
    session.store = std::move(store);
  }
  builder_.reset();
  state_ = State::kNoSession;
}

void StreamLoader::Reject(const Problem& problem, uint64_t line_number, bool fatal) {
  InputError error = MakeInputError(problem.kind, input_->name, line_number, problem.args);
  if (state_ == State::kNoSession) {
    // Lines before any header belong to no session; in strict mode they form a failed one, so
    // that the run reports a session that did not load.
    if (options_.mode == LoadMode::kLenient) {
      result_.skipped.push_back(std::move(error));
      return;
    }
    result_.sessions.emplace_back();
    result_.sessions.back().file = input_->name;
    state_ = State::kLoading;
    FailSession(std::move(error));
    return;
  }
  if (options_.mode == LoadMode::kLenient && !fatal) {
    result_.skipped.push_back(std::move(error));
    return;
  }
  FailSession(std::move(error));
}

void StreamLoader::FailSession(InputError error) {
  if (builder_) MergeDataTypes(builder_->store().data_types());
  builder_.reset();
  result_.sessions.back().error = std::move(error);
  state_ = State::kFailed;
}

void StreamLoader::MergeDataTypes(const DataTypeTable& data_types) {
  for (size_t i = 0; i < data_types.unknown().size(); ++i) {
    uint64_t count = data_types.unknown_counts()[i];
    if (count > 0) result_.unknown_data_types[data_types.unknown()[i]] += count;
  }
}

void StreamLoader::Flush() {
  for (const auto& [key, count] : unknown_fields_) {
    size_t split = key.find('\x1f');
    result_.unknown_fields[{key.substr(0, split), key.substr(split + 1)}] += count;
  }
  unknown_fields_.clear();
}

}  // namespace

LoadResult Load(const Schema& schema, std::span<const InputSource> inputs, const LoadOptions& options) {
  LoadResult result;
  if (!schema.finalized()) {
    std::string args[] = {"the schema is not finalized"};
    result.input_errors.push_back(MakeInputError(InputErrorKind::kLoadFailed, "", 0, args));
    return result;
  }
  try {
    StreamLoader loader(schema, options, result);
    for (const InputSource& input : inputs) loader.Run(input);
    loader.Flush();
  } catch (const std::exception& e) {
    // Memory exhaustion is the one failure left; report it rather than let it escape.
    std::string args[] = {e.what()};
    result.input_errors.push_back(MakeInputError(InputErrorKind::kLoadFailed, "", 0, args));
  }
  return result;
}

}  // namespace edict::facts
