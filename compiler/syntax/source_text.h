// The text one ANTLR run lexes, and the way back from ANTLR's code point indexes to file offsets.
//
// ANTLR counts code points; SourceRange counts bytes of the file. A whole file maps one to one;
// a report-template hole is text decoded out of a string literal (escapes resolved), so each of
// its bytes remembers the file offset it came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/source.h"

namespace antlr4 {
class Token;
}

namespace edict::syntax {

class SourceText {
 public:
  // `text` is the file's own bytes from offset `base` on (valid UTF-8, outliving this object).
  SourceText(diag::FileId file, std::string_view text, uint32_t base);
  // `text` was decoded from the file: `origins[i]` is the file offset that produced byte i, and
  // `origins[text.size()]` the offset just past the decoded region.
  SourceText(diag::FileId file, std::string text, std::vector<uint32_t> origins);

  SourceText(const SourceText&) = delete;
  SourceText& operator=(const SourceText&) = delete;

  diag::FileId file() const { return file_; }
  std::string_view text() const { return text_; }
  size_t code_point_count() const { return cp_offsets_.size() - 1; }

  // File offset of code point `cp` (cp == code_point_count() is the end).
  uint32_t FileOffset(size_t cp) const;
  // Byte offset in text() of code point `cp`.
  uint32_t TextOffset(size_t cp) const { return cp_offsets_[cp]; }
  // File offset of byte `offset` of text().
  uint32_t FileOffsetOfByte(uint32_t offset) const { return origins_.empty() ? base_ + offset : origins_[offset]; }

  diag::SourceRange Range(size_t cp_begin, size_t cp_end) const;
  // A token's range (for EOF, an empty range at the end of the text).
  diag::SourceRange TokenRange(const antlr4::Token* token) const;
  // Range from the start of `first` to the end of `last`.
  diag::SourceRange Span(const antlr4::Token* first, const antlr4::Token* last) const;
  // The token's bytes as written.
  std::string_view TokenText(const antlr4::Token* token) const;

 private:
  void IndexCodePoints();

  diag::FileId file_;
  std::string owned_text_;
  std::string_view text_;
  uint32_t base_ = 0;
  std::vector<uint32_t> origins_;     // empty for file text
  std::vector<uint32_t> cp_offsets_;  // code point index -> byte offset in text_, plus the end
};

}  // namespace edict::syntax
