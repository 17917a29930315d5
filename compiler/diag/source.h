// Source files and locations: every diagnostic and AST node points into a SourceManager.
//
// Locations are byte offsets; line and column are computed on demand, because most ranges are
// never printed. Columns count Unicode code points (1-based), as editors do for UTF-8 text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edict::diag {

enum class FileId : uint32_t { kInvalid = 0xffffffff };

// The largest source file Load reads (the facts loader's line limit): offsets are 32-bit, and a
// pack is text written by people, so anything near the limit is a mistake or an attack.
inline constexpr size_t kMaxSourceBytes = size_t{16} << 20;

struct SourceRange {
  FileId file = FileId::kInvalid;
  uint32_t begin = 0;  // byte offset of the first byte
  uint32_t end = 0;    // byte offset one past the last byte
  bool valid() const { return file != FileId::kInvalid; }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

struct LineCol {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in code points
};

// Reads a source file in blocks (so that pipes and devices are bounded too); nullopt with
// `error` set when it cannot, or when it is longer than kMaxSourceBytes.
std::optional<std::string> ReadSourceFile(const std::string& path, std::string* error);

class SourceManager {
 public:
  // Registers a file's text; `path` is what diagnostics print.
  FileId Add(std::string path, std::string text);
  // Reads a file from disk; returns FileId::kInvalid and sets `error` when it cannot, or when it
  // is longer than kMaxSourceBytes.
  FileId Load(const std::string& path, std::string* error);

  const std::string& path(FileId id) const { return files_[Index(id)]->path; }
  std::string_view text(FileId id) const { return files_[Index(id)]->text; }
  std::string_view text(SourceRange r) const { return text(r.file).substr(r.begin, r.end - r.begin); }
  LineCol Locate(FileId id, uint32_t offset) const;
  // The text of 1-based line `line`, without its line terminator.
  std::string_view Line(FileId id, uint32_t line) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string path;
    std::string text;
    std::vector<uint32_t> line_starts;
  };
  static size_t Index(FileId id) { return static_cast<size_t>(id); }
  std::vector<std::unique_ptr<File>> files_;
};

}  // namespace edict::diag
