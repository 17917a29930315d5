// The loader's memory policy: PodVector appends absent values as zeros it never writes (the buffer
// past its size stays zero, also after a truncation), PodBuffer is zero-filled at every size, the
// string arena's growing blocks keep texts in place, and sessions of very different sizes load
// one after the other with the values and lines they had before.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/facts/loader.h"
#include "runtime/facts/pod_vector.h"
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

TEST_CASE("PodVector: zeros appended without writing read as zero, in the heap, a mapping and huge pages") {
  // 8-byte values up to 4 Mi: past the mapping threshold and past the first huge page.
  PodVector<int64_t> values;
  for (int64_t i = 0; i < (int64_t{1} << 19); ++i) {
    if (i % 3 == 0) values.push_zero();
    else values.push_back(i);
  }
  for (size_t i = 0; i < values.size(); i += 4093) REQUIRE(values[i] == (i % 3 == 0 ? 0 : static_cast<int64_t>(i)));
  // A truncation clears what it drops, so a later unwritten zero is zero again.
  for (size_t keep : {size_t{100}, size_t{5}}) {
    values.Truncate(keep);
    for (int i = 0; i < 3000; ++i) values.push_zero();
    bool zeros = true;
    for (size_t i = keep; i < values.size(); ++i) zeros = zeros && values[i] == 0;
    CHECK(zeros);
    CHECK(values[keep - 1] == ((keep - 1) % 3 == 0 ? 0 : static_cast<int64_t>(keep - 1)));
  }
}

TEST_CASE("PodVector: equal to a sequence of the same values") {
  PodVector<uint64_t> lines;
  CHECK(lines == std::vector<uint64_t>{});
  lines.push_back(7);
  lines.push_back(4);
  CHECK(lines == std::vector<uint64_t>{7, 4});
  CHECK_FALSE(lines == std::vector<uint64_t>{7});
  CHECK_FALSE(lines == std::vector<uint64_t>{7, 5});
}

TEST_CASE("PodBuffer: zero-filled at every size, and movable") {
  for (size_t bytes : {size_t{1}, size_t{1000}, size_t{64} << 10, (size_t{2} << 20) - 64, size_t{2} << 20}) {
    PodBuffer buffer(bytes);
    REQUIRE(buffer.size() == bytes);
    bool zero = true;
    for (size_t i = 0; i < bytes; i += 997) zero = zero && buffer.data()[i] == 0;
    CHECK(zero);
    CHECK(buffer.data()[bytes - 1] == 0);
    buffer.data()[bytes - 1] = 'x';
    PodBuffer moved = std::move(buffer);
    CHECK(moved.data()[bytes - 1] == 'x');
    PodBuffer assigned;
    assigned = std::move(moved);
    CHECK(assigned.size() == bytes);
  }
}

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
