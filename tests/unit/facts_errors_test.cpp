// Bad input never crashes and is never dropped silently (appfacts-1 §1): each case below stops its
// session in strict mode with an error naming file, line and field, and is skipped and listed in
// lenient mode; the session after it always loads.
#include <doctest/doctest.h>

#include "runtime/facts/loader.h"
#include "tests/facts/fields_schema.h"

using namespace edict::facts;
using edict::facts::testing::AppfactsSchema;

namespace {

constexpr std::string_view kHeader =
    R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s-01","started_at":"2026-01-02T03:04:05Z","mode":"dynamic","driver":"manual","consent_method":"ui_click"},"device":{"platform":"android","os_version":"10"},"app":{"id":"com.example.shop"},"redaction":"hashed"})";
constexpr std::string_view kGood = R"({"type":"lifecycle","seq":1,"t":5,"state":"launched"})";
constexpr std::string_view kLater = R"({"type":"lifecycle","seq":10,"t":9,"state":"exited"})";
constexpr std::string_view kCall =
    R"({"type":"api_call","seq":2,"t":7,"api":{"class":"C","method":"m"},"data_types":["id.imei"],"ret":{"status":"ok"},"stack":[{"cls":"a","mth":"b"},{"cls":"c","mth":"d"}]})";

LoadResult LoadText(std::string_view text, LoadOptions options = {}) {
  InputSource inputs[] = {InputSource::Text("t.jsonl", text)};
  return Load(AppfactsSchema(), inputs, options);
}

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  size_t at = out.find(from);
  REQUIRE(at != std::string::npos);
  out.replace(at, from.size(), to);
  return out;
}

std::string SecondSession() {
  return Replace(kHeader, "s-01", "s-02") + "\n" + std::string(kGood) + "\n";
}

// `bad` becomes line 3 of the first session, between two good records; a second session follows.
void ExpectRecordError(const std::string& bad, InputErrorKind kind, const std::string& message) {
  std::string text = std::string(kHeader) + "\n" + std::string(kGood) + "\n" + bad + "\n" + std::string(kLater) +
                     "\n" + SecondSession();
  CAPTURE(bad);
  {
    LoadResult strict = LoadText(text);
    REQUIRE(strict.sessions.size() == 2);
    const Session& failed = strict.sessions[0];
    REQUIRE(failed.error.has_value());
    CHECK(failed.error->kind == kind);
    CHECK(failed.error->file == "t.jsonl");
    CHECK(failed.error->line == 3);
    CHECK(failed.error->message == message);
    CHECK(failed.error->ToString() == "t.jsonl:3: " + message);
    CHECK(failed.id == "s-01");
    CHECK(failed.store == nullptr);
    CHECK_FALSE(strict.sessions[1].error.has_value());
    CHECK(strict.sessions[1].store->record_count() == 1);
    CHECK(strict.skipped.empty());
  }
  {
    LoadResult lenient = LoadText(text, {.mode = LoadMode::kLenient});
    REQUIRE(lenient.sessions.size() == 2);
    const Session& kept = lenient.sessions[0];
    REQUIRE_FALSE(kept.error.has_value());
    CHECK(kept.store->record_count() == 2);
    for (KindId k = 0; k < AppfactsSchema().kind_count(); ++k) CHECK(kept.store->records(k).fields.IsConsistent());
    REQUIRE(lenient.skipped.size() == 1);
    CHECK(lenient.skipped[0].kind == kind);
    CHECK(lenient.skipped[0].file == "t.jsonl");
    CHECK(lenient.skipped[0].line == 3);
    CHECK(lenient.skipped[0].message == message);
    CHECK_FALSE(lenient.sessions[1].error.has_value());
  }
}

// Problems that make a whole session unusable stop it in both modes.
void ExpectSessionError(const std::string& text, uint64_t line, InputErrorKind kind, const std::string& message,
                        LoadOptions options = {}) {
  for (LoadMode mode : {LoadMode::kStrict, LoadMode::kLenient}) {
    options.mode = mode;
    LoadResult result = LoadText(text + SecondSession(), options);
    CAPTURE(static_cast<int>(mode));
    REQUIRE(result.sessions.size() == 2);
    REQUIRE(result.sessions[0].error.has_value());
    CHECK(result.sessions[0].error->kind == kind);
    CHECK(result.sessions[0].error->line == line);
    CHECK(result.sessions[0].error->message == message);
    CHECK(result.sessions[1].id == "s-02");
    CHECK_FALSE(result.sessions[1].error.has_value());
  }
}

}  // namespace

TEST_CASE("invalid JSON") {
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched")", InputErrorKind::kInvalidJson,
                    "invalid JSON: a missing or extra comma, colon, bracket, brace or quote");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,,"t":5,"state":"launched"})", InputErrorKind::kInvalidJson,
                    "invalid JSON: a missing or extra comma, colon, bracket, brace or quote");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched"} {"x":1})", InputErrorKind::kInvalidJson,
                    "invalid JSON: unexpected text after the object");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched"}})", InputErrorKind::kInvalidJson,
                    "invalid JSON: unexpected text after the object");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched"} x)", InputErrorKind::kInvalidJson,
                    "invalid JSON: a missing or extra comma, colon, bracket, brace or quote");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":05,"state":"launched"})", InputErrorKind::kInvalidJson,
                    "invalid JSON: a malformed number");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","user_action":tru})",
                    InputErrorKind::kInvalidJson, "invalid JSON: a malformed true, false or null");
  ExpectRecordError("{\"type\":\"lifecycle\",\"seq\":2,\"t\":5,\"state\":\"launched\",\"reason\":\"a\tb\"}",
                    InputErrorKind::kInvalidJson, "invalid JSON: a string holds an unescaped control character");
  // Unknown fields are ignored, but only when they are well-formed.
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","vendor":{"a":[1,,2]}})",
                    InputErrorKind::kInvalidJson, "invalid JSON: a missing or extra comma, colon, bracket, brace or quote");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","vendor":[nul]})",
                    InputErrorKind::kInvalidJson, "invalid JSON: a malformed true, false or null");
}

TEST_CASE("a record of an unknown kind must still be valid JSON") {
  ExpectRecordError(R"({"type":"screenshot_meta","seq":2,"w":[1,}})", InputErrorKind::kInvalidJson,
                    "invalid JSON: a missing or extra comma, colon, bracket, brace or quote");
}

TEST_CASE("invalid UTF-8") {
  ExpectRecordError("{\"type\":\"lifecycle\",\"seq\":2,\"t\":5,\"state\":\"launched\",\"reason\":\"\xff\xfe\"}",
                    InputErrorKind::kInvalidUtf8, "invalid UTF-8");
}

TEST_CASE("a line that is not an object") {
  ExpectRecordError("[1,2]", InputErrorKind::kNotAnObject, "expected a JSON object, found a list");
  ExpectRecordError("\"lifecycle\"", InputErrorKind::kNotAnObject, "expected a JSON object, found a string");
  ExpectRecordError("42", InputErrorKind::kNotAnObject, "expected a JSON object, found a number");
}

TEST_CASE("a missing required field, at any depth") {
  ExpectRecordError(R"({"seq":2,"t":5,"state":"launched"})", InputErrorKind::kMissingField,
                    "missing required field 'type'");
  ExpectRecordError(R"({"type":"lifecycle","t":5,"state":"launched"})", InputErrorKind::kMissingField,
                    "missing required field 'seq'");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"state":"launched"})", InputErrorKind::kMissingField,
                    "missing required field 't'");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5})", InputErrorKind::kMissingField,
                    "missing required field 'state'");
  ExpectRecordError(Replace(kCall, R"(,"method":"m")", ""), InputErrorKind::kMissingField,
                    "missing required field 'api.method'");
  ExpectRecordError(Replace(kCall, R"({"status":"ok"})", "{}"), InputErrorKind::kMissingField,
                    "missing required field 'ret.status'");
  ExpectRecordError(Replace(kCall, R"({"cls":"c","mth":"d"})", R"({"cls":"c"})"), InputErrorKind::kMissingField,
                    "missing required field 'stack[1].mth'");
}

TEST_CASE("a field of the wrong type") {
  ExpectRecordError(R"({"type":"lifecycle","seq":"2","t":5,"state":"launched"})", InputErrorKind::kWrongType,
                    "field 'seq': expected an integer, found \"2\"");
  ExpectRecordError(R"({"type":"lifecycle","seq":2.5,"t":5,"state":"launched"})", InputErrorKind::kWrongType,
                    "field 'seq': expected an integer, found 2.5");
  ExpectRecordError(R"({"type":"lifecycle","seq":99999999999999999999,"t":5,"state":"launched"})",
                    InputErrorKind::kWrongType, "field 'seq': expected an integer, found 99999999999999999999");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5.5,"state":"launched"})", InputErrorKind::kWrongType,
                    "field 't': expected an integer number of milliseconds, found 5.5");
  ExpectRecordError(R"({"type":7,"seq":2,"t":5,"state":"launched"})", InputErrorKind::kWrongType,
                    "field 'type': expected a string (the record kind), found 7");
  ExpectRecordError(R"({"type":{"kind":"lifecycle"},"seq":2})", InputErrorKind::kWrongType,
                    "field 'type': expected a string (the record kind), found an object");
  ExpectRecordError(R"({"type":"lifecycle","seq":true,"t":5,"state":"launched"})", InputErrorKind::kWrongType,
                    "field 'seq': expected an integer, found true");
  ExpectRecordError(Replace(kCall, R"("ok")", R"("okay")"), InputErrorKind::kWrongType,
                    "field 'ret.status': expected one of ok|null|empty|placeholder|exception|denied|unknown, "
                    "found \"okay\"");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":null})", InputErrorKind::kWrongType,
                    "field 'state': expected one of launched|foreground|background|exited|crashed|killed|unknown, "
                    "found null");
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","user_action":"true"})",
                    InputErrorKind::kWrongType, "field 'user_action': expected true or false, found \"true\"");
  ExpectRecordError(Replace(kCall, R"(["id.imei"])", R"("id.imei")"), InputErrorKind::kWrongType,
                    "field 'data_types': expected a list, found \"id.imei\"");
  ExpectRecordError(Replace(kCall, R"(["id.imei"])", R"(["id.imei",3])"), InputErrorKind::kWrongType,
                    "field 'data_types[1]': expected a data-type id (a string), found 3");
  ExpectRecordError(Replace(kCall, R"({"class":"C","method":"m"})", R"(["C","m"])"), InputErrorKind::kWrongType,
                    "field 'api': expected an object, found a list");
  ExpectRecordError(Replace(kCall, R"("cls":"c")", R"("cls":{"name":"c"})"), InputErrorKind::kWrongType,
                    "field 'stack[1].cls': expected a string, found an object");
  ExpectRecordError(Replace(kCall, R"({"cls":"c","mth":"d"})", "null"), InputErrorKind::kWrongType,
                    "field 'stack[1]': expected an object, found null");
}

TEST_CASE("a duplicated field") {
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","state":"exited"})",
                    InputErrorKind::kDuplicateField, "field 'state' appears twice");
}

TEST_CASE("a duration that does not fit in nanoseconds") {
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":9223372036855,"state":"launched"})", InputErrorKind::kOutOfRange,
                    "field 't': 9223372036855 is out of range for a duration in milliseconds");
}

TEST_CASE("JSON nested beyond the limit") {
  std::string deep = std::string(100, '[') + std::string(100, ']');
  ExpectRecordError(R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","vendor":)" + deep + "}",
                    InputErrorKind::kNestingTooDeep, "JSON nested too deeply (limit is 64)");
}

TEST_CASE("a seq that does not increase") {
  ExpectRecordError(R"({"type":"lifecycle","seq":1,"t":6,"state":"exited"})", InputErrorKind::kSeqNotIncreasing,
                    "field 'seq': 1 does not increase (the previous record has seq 1)");
  ExpectRecordError(R"({"type":"lifecycle","seq":-4,"t":6,"state":"exited"})", InputErrorKind::kSeqNotIncreasing,
                    "field 'seq': -4 does not increase (the previous record has seq 1)");
}

TEST_CASE("a record before any header") {
  std::string text = std::string(kGood) + "\n" + std::string(kLater) + "\n" + SecondSession();
  LoadResult strict = LoadText(text);
  REQUIRE(strict.sessions.size() == 2);
  REQUIRE(strict.sessions[0].error.has_value());
  CHECK(strict.sessions[0].error->ToString() ==
        "t.jsonl:1: record before any header (a session starts with a line of type \"header\")");
  CHECK(strict.sessions[0].id.empty());
  CHECK(strict.sessions[0].header_line == 0);
  CHECK_FALSE(strict.sessions[1].error.has_value());

  LoadResult lenient = LoadText(text, {.mode = LoadMode::kLenient});
  REQUIRE(lenient.sessions.size() == 1);
  CHECK(lenient.sessions[0].id == "s-02");
  REQUIRE(lenient.skipped.size() == 2);
  CHECK(lenient.skipped[0].line == 1);
  CHECK(lenient.skipped[1].line == 2);
  CHECK(lenient.skipped[1].kind == InputErrorKind::kRecordBeforeHeader);
}

TEST_CASE("an unsupported schema version") {
  for (std::string_view version : {"appfacts/2.0", "appfacts/10.1", "otherfacts/1.0", "appfacts"}) {
    CAPTURE(version);
    std::string header = Replace(kHeader, "appfacts/1.0", version);
    ExpectSessionError(header + "\n" + std::string(kGood) + "\n", 1, InputErrorKind::kUnsupportedSchema,
                       "field 'schema': unsupported schema \"" + std::string(version) +
                           "\" (this engine reads appfacts/1.x)");
  }
  // A header of another major version is judged by its version alone, whatever its fields.
  ExpectSessionError(R"({"type":"header","schema":"appfacts/2.0","run":{}})" "\n", 1,
                     InputErrorKind::kUnsupportedSchema,
                     "field 'schema': unsupported schema \"appfacts/2.0\" (this engine reads appfacts/1.x)");
  ExpectSessionError(R"({"type":"header","session":{"id":"x"}})" "\n", 1, InputErrorKind::kMissingField,
                     "missing required field 'schema'");
  ExpectSessionError(R"({"type":"header","schema":1})" "\n", 1, InputErrorKind::kWrongType,
                     "field 'schema': expected a string, found 1");
}

TEST_CASE("a bad header stops its session in both modes") {
  ExpectSessionError(Replace(kHeader, R"("mode":"dynamic",)", "") + "\n" + std::string(kGood) + "\n", 1,
                     InputErrorKind::kMissingField, "missing required field 'session.mode'");
  ExpectSessionError(std::string(kHeader) + " {}\n", 1, InputErrorKind::kInvalidJson,
                     "invalid JSON: unexpected text after the object");
}

TEST_CASE("a bad RFC 3339 timestamp") {
  struct Case {
    std::string_view text, why;
  } cases[] = {
      {"2026-13-02T03:04:05Z", "the month is out of range"},
      {"2026-02-30T03:04:05Z", "the day is out of range for its month"},
      {"2026-01-02 03:04:05Z", "the date must be followed by 'T' and a time"},
      {"2026-01-02T03:04:05", "the time zone is missing ('Z' or an offset such as +08:00)"},
      {"2026-01-02T03:04:60Z", "the time of day is out of range"},
      {"2026-01-02T03:04:05.Z", "a '.' must be followed by digits"},
      {"9999-01-02T03:04:05Z", "the instant is outside the range the engine can represent"},
      {"yesterday", "the date must be written YYYY-MM-DD"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    ExpectSessionError(Replace(kHeader, "2026-01-02T03:04:05Z", c.text) + "\n", 1, InputErrorKind::kBadTimestamp,
                       "field 'session.started_at': expected an RFC 3339 timestamp such as "
                       "\"2026-01-02T03:04:05Z\", found \"" + std::string(c.text) + "\": " + std::string(c.why));
  }
}

TEST_CASE("RFC 3339 timestamps with offsets and fractions") {
  std::string text = Replace(kHeader, "2026-01-02T03:04:05Z", "2026-01-02T11:04:05.123456789123+08:00") + "\n";
  LoadResult result = LoadText(text);
  REQUIRE_FALSE(result.sessions.at(0).error);
  CHECK(std::get<int64_t>(result.sessions[0].store->HeaderValue("session.started_at")) == 1767323045123456789);
}

TEST_CASE("an over-long line is rejected before parsing (configurable limit)") {
  CHECK(kMaxLineBytes == 16 * 1024 * 1024);
  // The limit applies to every line, so it must exceed the header here.
  LoadOptions options{.max_line_bytes = kHeader.size() + 1};
  std::string bad = R"({"type":"lifecycle","seq":2,"t":5,"state":"launched","reason":")" + std::string(400, 'x') + "\"}";
  std::string text = std::string(kHeader) + "\n" + std::string(kGood) + "\n" + bad + "\n" + std::string(kLater) +
                     "\n" + SecondSession();
  std::string message = "line longer than the limit of " + std::to_string(options.max_line_bytes) + " bytes";

  LoadResult strict = LoadText(text, options);
  REQUIRE(strict.sessions.size() == 2);
  REQUIRE(strict.sessions[0].error);
  CHECK(strict.sessions[0].error->kind == InputErrorKind::kLineTooLong);
  CHECK(strict.sessions[0].error->line == 3);
  CHECK(strict.sessions[0].error->message == message);
  CHECK_FALSE(strict.sessions[1].error);

  options.mode = LoadMode::kLenient;
  LoadResult lenient = LoadText(text, options);
  REQUIRE(lenient.skipped.size() == 1);
  CHECK(lenient.skipped[0].line == 3);
  CHECK(lenient.skipped[0].message == message);
  CHECK(lenient.sessions[0].store->record_count() == 2);
  // Line numbers stay right after the skipped line.
  CHECK(lenient.sessions[0].store->records(*AppfactsSchema().FindKind("lifecycle")).lines == std::vector<uint64_t>{2, 4});
}

TEST_CASE("too many records in a session (configurable limit)") {
  std::string text = std::string(kHeader) + "\n" + std::string(kGood) + "\n" + std::string(kLater) + "\n" +
                     R"({"type":"lifecycle","seq":11,"t":9,"state":"exited"})" "\n";
  ExpectSessionError(text, 4, InputErrorKind::kTooManyRecords, "too many records in session (limit is 2)",
                     {.max_records_per_session = 2});
}

TEST_CASE("an input that cannot be read") {
  InputSource inputs[] = {InputSource::File("/nonexistent/facts.jsonl")};
  LoadResult result = Load(AppfactsSchema(), inputs);
  CHECK(result.sessions.empty());
  REQUIRE(result.input_errors.size() == 1);
  CHECK(result.input_errors[0].ToString() ==
        "/nonexistent/facts.jsonl: cannot read the input: No such file or directory");
}

TEST_CASE("lenient mode lists every skipped line") {
  std::string text = std::string(kHeader) + "\n" + std::string(kGood) + "\n" + "{oops\n" +
                     R"({"type":"lifecycle","seq":3,"t":5})" "\n" + std::string(kLater) + "\n" + "[]\n";
  LoadResult result = LoadText(text, {.mode = LoadMode::kLenient});
  REQUIRE(result.skipped.size() == 3);
  CHECK(result.skipped[0].line == 3);
  CHECK(result.skipped[1].line == 4);
  CHECK(result.skipped[1].message == "missing required field 'state'");
  CHECK(result.skipped[2].line == 6);
  CHECK(result.sessions.at(0).store->record_count() == 2);
}

TEST_CASE("a skipped record takes back its unknown data types and fields") {
  std::string bad = Replace(Replace(kCall, R"(["id.imei"])", R"(["id.new"])"), R"("ok")", R"("okay")");
  bad = Replace(bad, R"("seq":2,)", R"("seq":2,"vendor":1,)");
  std::string text = std::string(kHeader) + "\n" + bad + "\n";
  LoadResult result = LoadText(text, {.mode = LoadMode::kLenient});
  CHECK(result.skipped.size() == 1);
  CHECK(result.unknown_data_types.empty());
  CHECK(result.unknown_fields.empty());
}

TEST_CASE("a schema that is not finalized is reported, not crashed on") {
  Schema schema("appfacts", 1);
  InputSource inputs[] = {InputSource::Text("t.jsonl", kHeader)};
  LoadResult result = Load(schema, inputs);
  REQUIRE(result.input_errors.size() == 1);
  CHECK(result.input_errors[0].kind == InputErrorKind::kLoadFailed);
}
