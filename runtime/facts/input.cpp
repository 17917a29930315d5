// Block reads and in-place line splitting.
#include "runtime/facts/input.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <simdjson.h>

namespace edict::facts {
namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
// The buffer, padding included, is one huge page (large_buffer.h).
constexpr size_t kReadBlock = (size_t{2} << 20) - kPadding;
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

}  // namespace

LineReader::LineReader(const InputSource& source, size_t max_line_bytes)
    : source_(source), max_line_bytes_(max_line_bytes), buffer_(kReadBlock + kPadding), capacity_(kReadBlock) {
  // Zero-filled, so the padding simdjson reads past a line is never uninitialized memory.
  if (source.kind == InputSource::Kind::kFile) {
    fd_ = ::open(source.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) error_ = std::strerror(errno);
  }
}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LineReader::Fill() {
  char* into = buffer_.data() + end_;
  size_t room = capacity_ - end_;
  size_t got = 0;
  switch (source_.kind) {
    case InputSource::Kind::kFile: {
      ssize_t n;
      do {
        n = ::read(fd_, into, room);
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        error_ = std::strerror(errno);
        return false;
      }
      got = static_cast<size_t>(n);
      break;
    }
    case InputSource::Kind::kStream:
      source_.stream->read(into, static_cast<std::streamsize>(room));
      got = static_cast<size_t>(source_.stream->gcount());
      if (got == 0 && source_.stream->bad()) {
        error_ = "read error";
        return false;
      }
      break;
    case InputSource::Kind::kText:
      got = std::min(room, source_.text.size() - text_offset_);
      std::memcpy(into, source_.text.data() + text_offset_, got);
      text_offset_ += got;
      break;
  }
  if (got == 0) eof_ = true;
  end_ += got;
  if (at_start_ && (end_ >= 3 || eof_)) {
    at_start_ = false;
    if (end_ >= 3 && std::memcmp(buffer_.data(), kUtf8Bom, 3) == 0) begin_ = scanned_ = 3;
  }
  return true;
}

LineReader::Status LineReader::Next() {
  if (!error_.empty()) return Status::kError;
  for (;;) {
    if (scanned_ < end_) {
      const void* newline = std::memchr(buffer_.data() + scanned_, '\n', end_ - scanned_);
      if (newline) {
        size_t at = static_cast<const char*>(newline) - buffer_.data();
        line_ = std::string_view(buffer_.data() + begin_, at - begin_);
        readable_ = capacity_ + kPadding - begin_;
        begin_ = scanned_ = at + 1;
        at_start_ = false;
        ++line_number_;
        return line_.size() > max_line_bytes_ ? Status::kTooLong : Status::kLine;
      }
      scanned_ = end_;
    }
    if (eof_) {
      if (begin_ == end_) return Status::kEnd;
      line_ = std::string_view(buffer_.data() + begin_, end_ - begin_);
      readable_ = capacity_ + kPadding - begin_;
      begin_ = scanned_ = end_;
      ++line_number_;
      return line_.size() > max_line_bytes_ ? Status::kTooLong : Status::kLine;
    }
    if (end_ - begin_ > max_line_bytes_) {
      ++line_number_;
      return SkipRestOfLine();
    }
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      scanned_ -= begin_;
      begin_ = 0;
    }
    if (end_ == capacity_) {
      // Only a line within the limit gets here, so the buffer never exceeds the limit plus one.
      size_t grown = std::max(end_ + 1, std::min(capacity_ * 2, max_line_bytes_ + 1));
      LargeBuffer bigger(grown + kPadding);
      std::memcpy(bigger.data(), buffer_.data(), end_);
      buffer_ = std::move(bigger);
      capacity_ = grown;
    }
    if (!Fill()) return Status::kError;
  }
}

// The buffer holds only the start of the over-long line: drop it and read on to its end.
LineReader::Status LineReader::SkipRestOfLine() {
  at_start_ = false;
  for (;;) {
    const void* newline = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
    if (newline) {
      begin_ = scanned_ = static_cast<const char*>(newline) - buffer_.data() + 1;
      return Status::kTooLong;
    }
    begin_ = scanned_ = end_ = 0;
    if (eof_) return Status::kTooLong;
    if (!Fill()) return Status::kError;
  }
}

}  // namespace edict::facts
