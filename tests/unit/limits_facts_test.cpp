// The facts loader's limits at their boundaries, with the default options an embedder gets: a line
// of exactly kMaxLineBytes loads and one byte more is a located error; a session may hold exactly
// its record limit, and the record past it stops that session only. A record kind's field count
// is bounded where its schema is built.
#include <doctest/doctest.h>

#include <string>

#include "runtime/facts/loader.h"
#include "runtime/facts/schema.h"
#include "tests/facts/fields_schema.h"
#include "tests/unit/limits_pack.h"

using namespace edict::facts;
using edict::facts::testing::AppfactsSchema;
using edict::testing::kSessionHeader;
using edict::testing::LaunchedSession;

namespace {

LoadResult LoadText(const std::string& text, LoadOptions options = {}) {
  InputSource inputs[] = {InputSource::Text("t.jsonl", text)};
  return Load(AppfactsSchema(), inputs, options);
}

// A lifecycle record of exactly `bytes` bytes (its `reason` pads it), without the newline.
std::string RecordOfLength(size_t bytes) {
  std::string head = R"({"type":"lifecycle","seq":2,"t":6,"state":"launched","reason":")";
  std::string tail = "\"}";
  return head + std::string(bytes - head.size() - tail.size(), 'x') + tail;
}

// The header, a record, the record under test, another record; then a second session.
std::string AroundLine(const std::string& line) {
  return std::string(kSessionHeader) + "\n" + R"({"type":"lifecycle","seq":1,"t":5,"state":"launched"})" "\n" + line +
         "\n" + R"({"type":"lifecycle","seq":3,"t":7,"state":"exited"})" "\n" + LaunchedSession(1);
}

}  // namespace

TEST_CASE("a line of exactly the default limit loads; one byte more is rejected at its line") {
  LoadResult at_limit = LoadText(AroundLine(RecordOfLength(kMaxLineBytes)));
  REQUIRE(at_limit.sessions.size() == 2);
  REQUIRE_FALSE(at_limit.sessions[0].error);
  CHECK(at_limit.sessions[0].store->record_count() == 3);

  std::string message = "line longer than the limit of " + std::to_string(kMaxLineBytes) + " bytes";
  std::string over = AroundLine(RecordOfLength(kMaxLineBytes + 1));
  LoadResult strict = LoadText(over);
  REQUIRE(strict.sessions.size() == 2);
  REQUIRE(strict.sessions[0].error);
  CHECK(strict.sessions[0].error->ToString() == "t.jsonl:3: " + message);
  CHECK_FALSE(strict.sessions[1].error);

  LoadResult lenient = LoadText(over, {.mode = LoadMode::kLenient});
  REQUIRE(lenient.skipped.size() == 1);
  CHECK(lenient.skipped[0].ToString() == "t.jsonl:3: " + message);
  REQUIRE_FALSE(lenient.sessions[0].error);
  CHECK(lenient.sessions[0].store->record_count() == 2);
}

TEST_CASE("a session holds exactly its record limit; the record past it stops that session only") {
  constexpr uint64_t kLimit = 5;
  LoadOptions options{.max_records_per_session = kLimit};
  LoadResult at_limit = LoadText(LaunchedSession(kLimit), options);
  REQUIRE(at_limit.sessions.size() == 1);
  REQUIRE_FALSE(at_limit.sessions[0].error);
  CHECK(at_limit.sessions[0].store->record_count() == kLimit);

  // The header is line 1, so record kLimit + 1 is on line kLimit + 2.
  for (LoadMode mode : {LoadMode::kStrict, LoadMode::kLenient}) {
    options.mode = mode;
    LoadResult over = LoadText(LaunchedSession(kLimit + 1) + LaunchedSession(kLimit), options);
    REQUIRE(over.sessions.size() == 2);
    REQUIRE(over.sessions[0].error);
    CHECK(over.sessions[0].error->ToString() ==
          "t.jsonl:" + std::to_string(kLimit + 2) + ": too many records in session (limit is 5)");
    REQUIRE_FALSE(over.sessions[1].error);
    CHECK(over.sessions[1].store->record_count() == kLimit);
  }
}

TEST_CASE("a record kind may have kMaxStructFields fields; one more is a schema error when lowering") {
  auto pack_with_fields = [](size_t count) {
    std::string fields = " seq: int";  // every record kind needs one
    for (size_t i = 1; i < count; ++i) fields += " f" + std::to_string(i) + ": int";
    return "record wide {" + fields + " }\n\nrule reads-wide {\n  title: \"wide\"\n  severity: low\n  kind: review\n"
           "  needs: [wide]\n  match w: wide\n  where w.f1 > 0\n}\n";
  };
  auto lower = [](edict::testing::CheckedPack& checked) {
    REQUIRE_MESSAGE(checked.rendered.empty(), checked.rendered.front());
    return edict::interp::Compile(*checked.program, {}, checked.sources, checked.diags);
  };
  auto at_limit = edict::testing::CheckLimitsPack(pack_with_fields(kMaxStructFields));
  CHECK(lower(*at_limit) != nullptr);

  auto over = edict::testing::CheckLimitsPack(pack_with_fields(kMaxStructFields + 1));
  CHECK(lower(*over) == nullptr);
  REQUIRE(over->diags.diagnostics().size() == 1);
  const edict::diag::Diagnostic& error = over->diags.diagnostics()[0];
  CHECK(error.id == edict::diag::DiagId::kPlanBadSchema);
  CHECK(error.message.find("more than 64 fields") != std::string::npos);
}
