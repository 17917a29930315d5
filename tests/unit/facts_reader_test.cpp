// The line splitter: block boundaries, line endings, the byte-order mark, over-long lines, and
// the padding simdjson reads past each line.
#include <doctest/doctest.h>

#include <simdjson.h>

#include <sstream>

#include "runtime/facts/input.h"

using namespace edict::facts;

namespace {

struct Line {
  LineReader::Status status;
  std::string text;
  uint64_t number;
  friend bool operator==(const Line&, const Line&) = default;
};

std::vector<Line> ReadAll(const InputSource& source, size_t max_line_bytes) {
  LineReader reader(source, max_line_bytes);
  std::vector<Line> lines;
  for (;;) {
    LineReader::Status status = reader.Next();
    if (status == LineReader::Status::kEnd || status == LineReader::Status::kError) break;
    CHECK(reader.readable() >= reader.line().size() + simdjson::SIMDJSON_PADDING);
    lines.push_back({status, status == LineReader::Status::kLine ? std::string(reader.line()) : "",
                     reader.line_number()});
  }
  return lines;
}

constexpr auto kLine = LineReader::Status::kLine;
constexpr auto kTooLong = LineReader::Status::kTooLong;

}  // namespace

TEST_CASE("lines, with or without a final newline; CR stays for the JSON parser to skip") {
  std::vector<Line> expected = {{kLine, "a", 1}, {kLine, "", 2}, {kLine, "bc\r", 3}, {kLine, "d", 4}};
  CHECK(ReadAll(InputSource::Text("t", "a\n\nbc\r\nd"), 100) == expected);
  CHECK(ReadAll(InputSource::Text("t", "a\n\nbc\r\nd\n"), 100) == expected);
  CHECK(ReadAll(InputSource::Text("t", ""), 100).empty());
}

TEST_CASE("a UTF-8 byte-order mark at the start is dropped") {
  std::vector<Line> expected = {{kLine, "{}", 1}, {kLine, "\xEF\xBB\xBF", 2}};
  CHECK(ReadAll(InputSource::Text("t", "\xEF\xBB\xBF{}\n\xEF\xBB\xBF\n"), 100) == expected);
}

TEST_CASE("over-long lines are reported and skipped, also across block boundaries") {
  std::string big(3 << 20, 'x');  // spans several 1 MiB reads
  std::string text = "short\n" + big + "\nafter\n" + big;
  std::istringstream stream(text);
  std::vector<Line> expected = {{kLine, "short", 1}, {kTooLong, "", 2}, {kLine, "after", 3}, {kTooLong, "", 4}};
  CHECK(ReadAll(InputSource::Stream("s", stream), 1000) == expected);
  // Exactly at the limit is fine.
  CHECK(ReadAll(InputSource::Text("t", "12345\n123456\n"), 5) ==
        std::vector<Line>{{kLine, "12345", 1}, {kTooLong, "", 2}});
}

TEST_CASE("lines larger than the read block grow the buffer up to the limit") {
  std::string big(3 << 20, 'y');
  std::string text = "a\n" + big + "\nb\n";
  std::vector<Line> lines = ReadAll(InputSource::Text("t", text), size_t{4} << 20);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].text == big);
  CHECK(lines[2] == Line{kLine, "b", 3});
}

TEST_CASE("many lines crossing block boundaries arrive intact and numbered") {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + "\n";
  std::istringstream stream(text);
  LineReader reader(InputSource::Stream("s", stream), 100);
  int count = 0;
  while (reader.Next() == LineReader::Status::kLine) {
    REQUIRE(reader.line() == "line " + std::to_string(count));
    REQUIRE(reader.line_number() == static_cast<uint64_t>(count + 1));
    ++count;
  }
  CHECK(count == 200000);
}

TEST_CASE("a file that cannot be opened is an error with the system's reason") {
  LineReader reader(InputSource::File("/nonexistent/x.jsonl"), 100);
  CHECK(reader.Next() == LineReader::Status::kError);
  CHECK(reader.error() == "No such file or directory");
}
