// Code point indexing of lexed text and token ranges.
#include "compiler/syntax/source_text.h"

#include <antlr4-runtime.h>

#include <algorithm>

#include "compiler/syntax/utf8.h"

namespace edict::syntax {

SourceText::SourceText(diag::FileId file, std::string_view text, uint32_t base)
    : file_(file), text_(text), base_(base) {
  IndexCodePoints();
}

SourceText::SourceText(diag::FileId file, std::string text, std::vector<uint32_t> origins)
    : file_(file), owned_text_(std::move(text)), text_(owned_text_), origins_(std::move(origins)) {
  IndexCodePoints();
}

void SourceText::IndexCodePoints() {
  cp_offsets_.reserve(text_.size() + 1);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (!IsUtf8Continuation(text_[i])) cp_offsets_.push_back(i);
  }
  cp_offsets_.push_back(static_cast<uint32_t>(text_.size()));
}

uint32_t SourceText::FileOffset(size_t cp) const {
  return FileOffsetOfByte(cp_offsets_[std::min(cp, cp_offsets_.size() - 1)]);
}

diag::SourceRange SourceText::Range(size_t cp_begin, size_t cp_end) const {
  uint32_t begin = FileOffset(cp_begin);
  uint32_t end = std::max(begin, FileOffset(cp_end));
  return {file_, begin, end};
}

diag::SourceRange SourceText::TokenRange(const antlr4::Token* token) const {
  if (token->getType() == antlr4::Token::EOF) {
    size_t at = std::min(token->getStartIndex(), code_point_count());
    return Range(at, at);
  }
  return Range(token->getStartIndex(), token->getStopIndex() + 1);
}

diag::SourceRange SourceText::Span(const antlr4::Token* first, const antlr4::Token* last) const {
  diag::SourceRange begin = TokenRange(first);
  diag::SourceRange end = TokenRange(last);
  return {file_, begin.begin, std::max(begin.begin, end.end)};
}

std::string_view SourceText::TokenText(const antlr4::Token* token) const {
  if (token->getType() == antlr4::Token::EOF) return {};
  uint32_t begin = cp_offsets_[token->getStartIndex()];
  uint32_t end = cp_offsets_[token->getStopIndex() + 1];
  return text_.substr(begin, end - begin);
}

}  // namespace edict::syntax
