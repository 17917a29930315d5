// The loader's memory policy (its buffers are tested in facts_large_buffer_test): the string
// arena's growing blocks keep texts in place, a record dropped in lenient mode leaves no value
// behind, and sessions of very different sizes load one after the other with the values and lines
// they had before.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/facts/loader.h"
#include "runtime/facts/strings.h"
#include "tests/facts/fields_schema.h"

using namespace edict::facts;
using edict::facts::testing::AppfactsSchema;

namespace {

constexpr std::string_view kHeader =
    R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s-01","started_at":"2026-01-02T03:04:05Z","mode":"dynamic","driver":"manual","consent_method":"ui_click"},"device":{"platform":"android","os_version":"10"},"app":{"id":"com.example.shop"},"redaction":"hashed"})";

std::string Call(int64_t seq, std::string_view extra) {
  return R"({"type":"api_call","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(seq) + std::string(extra) +
         R"(,"api":{"class":"C","method":"m"},"data_types":[]})";
}

LoadResult LoadText(std::string_view text, LoadOptions options = {}) {
  InputSource inputs[] = {InputSource::Text("t.jsonl", text)};
  return Load(AppfactsSchema(), inputs, options);
}

}  // namespace

TEST_CASE("string pool: texts stay in place across growing blocks and texts of their own") {
  StringPool pool;
  std::vector<std::string> texts;
  std::vector<std::string_view> views;
  // ~12 MB of texts: blocks grow to their largest; every 1000th text is larger than a block's share.
  for (int i = 0; i < 200000; ++i) {
    texts.push_back(std::string(i % 1000 == 0 ? 40000 : 50, static_cast<char>('a' + i % 26)) + std::to_string(i));
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    REQUIRE(pool.Intern(texts[i]) == i);
    views.push_back(pool.text(static_cast<uint32_t>(i)));
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    REQUIRE(pool.text(static_cast<uint32_t>(i)).data() == views[i].data());
    REQUIRE(views[i] == texts[i]);
  }
}

TEST_CASE("a record dropped in lenient mode leaves no value behind for the absent fields after it") {
  // The second call sets proc.pid and then fails on api.class; the third has no proc at all.
  std::string text = std::string(kHeader) + "\n" + Call(1, R"(,"proc":{"pid":77})") + "\n" +
                     R"({"type":"api_call","seq":2,"t":2,"proc":{"pid":99},"api":{"class":5,"method":"m"},"data_types":[]})" +
                     "\n" + Call(3, "") + "\n";
  LoadOptions options;
  options.mode = LoadMode::kLenient;
  LoadResult result = LoadText(text, options);
  REQUIRE(result.skipped.size() == 1);
  REQUIRE(result.sessions.size() == 1);
  const RecordTable& calls = result.sessions[0].store->records(*AppfactsSchema().FindKind("api_call"));
  REQUIRE(calls.fields.rows() == 2);
  CHECK(calls.lines == std::vector<uint64_t>{2, 4});
  int32_t pid = calls.fields.Find("proc.pid");
  REQUIRE(pid >= 0);
  const Column& column = calls.fields.column(pid);
  CHECK(column.ints()[0] == 77);
  CHECK_FALSE(column.present(1));
  CHECK(column.ints()[1] == 0);
}

TEST_CASE("a large session, then a small one, then an empty one, from one stream") {
  std::string text = std::string(kHeader) + "\n";
  constexpr int kLarge = 40000;  // past the mapping threshold of most of its columns
  for (int i = 1; i <= kLarge; ++i) text += Call(i, i % 2 == 0 ? R"(,"proc":{"pid":)" + std::to_string(i) + "}" : "") + "\n";
  text += std::string(kHeader) + "\n" + Call(1, "") + "\n" + std::string(kHeader) + "\n";
  LoadResult result = LoadText(text);
  REQUIRE(result.sessions.size() == 3);
  KindId kind = *AppfactsSchema().FindKind("api_call");
  const RecordTable& large = result.sessions[0].store->records(kind);
  REQUIRE(large.fields.rows() == kLarge);
  REQUIRE(large.fields.IsConsistent());
  const Column& pid = large.fields.column(large.fields.Find("proc.pid"));
  bool right = true;
  for (int row = 0; row < kLarge; ++row) {
    int64_t seq = row + 1;
    right = right && large.lines[row] == static_cast<uint64_t>(seq + 1) && pid.present(row) == (seq % 2 == 0) &&
            pid.ints()[row] == (seq % 2 == 0 ? seq : 0);
  }
  CHECK(right);
  const RecordTable& small = result.sessions[1].store->records(kind);
  CHECK(small.fields.rows() == 1);
  CHECK(small.lines == std::vector<uint64_t>{kLarge + 3});
  CHECK(small.fields.IsConsistent());
  CHECK(result.sessions[2].store->record_count() == 0);
}
