// Where facts come from (a file, an open stream such as stdin, text in memory) and the line
// splitter that feeds the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "runtime/facts/large_buffer.h"

namespace edict::facts {

struct InputSource {
  enum class Kind : uint8_t { kFile, kStream, kText };

  static InputSource File(std::string path) { return {Kind::kFile, path, std::move(path), nullptr, {}}; }
  // `stream` must outlive the load; `name` is what errors and evidence call it ("<stdin>").
  static InputSource Stream(std::string name, std::istream& stream) {
    return {Kind::kStream, std::move(name), {}, &stream, {}};
  }
  // `text` must outlive the load.
  static InputSource Text(std::string name, std::string_view text) {
    return {Kind::kText, std::move(name), {}, nullptr, text};
  }

  Kind kind;
  std::string name;
  std::string path;
  std::istream* stream;
  std::string_view text;
};

// Splits an input into lines with memchr, reading in large blocks. Each line is handed out in
// place, inside a buffer that has at least simdjson's padding readable after the line, so the
// parser needs no copy. A line longer than the limit is skipped without being buffered whole.
class LineReader {
 public:
  enum class Status : uint8_t { kLine, kTooLong, kEnd, kError };

  LineReader(const InputSource& source, size_t max_line_bytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  Status Next();
  // The current line (kLine), without its '\n'; valid until the next call.
  std::string_view line() const { return line_; }
  // Bytes readable from line().data() on: the line, what follows it, and the padding.
  size_t readable() const { return readable_; }
  // 1-based number of the current line (kLine and kTooLong).
  uint64_t line_number() const { return line_number_; }
  // What went wrong (kError): the operating system's words.
  const std::string& error() const { return error_; }

 private:
  bool Fill();
  Status SkipRestOfLine();

  InputSource source_;  // a copy: callers may pass a temporary
  size_t max_line_bytes_;
  int fd_ = -1;
  size_t text_offset_ = 0;
  LargeBuffer<> buffer_;
  size_t capacity_ = 0;  // bytes of data the buffer can hold; the padding comes after
  size_t begin_ = 0;     // first byte not yet handed out
  size_t scanned_ = 0;   // bytes before this are known to hold no '\n' after begin_
  size_t end_ = 0;       // one past the last byte read
  bool eof_ = false;
  bool at_start_ = true;
  std::string_view line_;
  size_t readable_ = 0;
  uint64_t line_number_ = 0;
  std::string error_;
};

}  // namespace edict::facts
