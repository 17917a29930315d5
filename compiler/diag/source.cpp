// Line tables and file loading for SourceManager.
#include "compiler/diag/source.h"

#include <algorithm>
#include <fstream>
#include <string>

namespace edict::diag {

FileId SourceManager::Add(std::string path, std::string text) {
  auto file = std::make_unique<File>();
  file->path = std::move(path);
  file->text = std::move(text);
  file->line_starts.push_back(0);
  for (uint32_t i = 0; i < file->text.size(); ++i) {
    if (file->text[i] == '\n') file->line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(file));
  return static_cast<FileId>(files_.size() - 1);
}

std::optional<std::string> ReadSourceFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open '" + path + "'";
    return std::nullopt;
  }
  std::string text;
  char block[1 << 16];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    text.append(block, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxSourceBytes) {
      *error = "file longer than the limit of " + std::to_string(kMaxSourceBytes) + " bytes";
      return std::nullopt;
    }
  }
  if (in.bad()) {
    *error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  return text;
}

FileId SourceManager::Load(const std::string& path, std::string* error) {
  std::optional<std::string> text = ReadSourceFile(path, error);
  return text ? Add(path, std::move(*text)) : FileId::kInvalid;
}

LineCol SourceManager::Locate(FileId id, uint32_t offset) const {
  const File& file = *files_[Index(id)];
  offset = std::min<uint32_t>(offset, file.text.size());
  auto it = std::upper_bound(file.line_starts.begin(), file.line_starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - file.line_starts.begin());
  uint32_t start = file.line_starts[line - 1];
  uint32_t column = 1;
  for (uint32_t i = start; i < offset; ++i) {
    // Continuation bytes (10xxxxxx) do not start a code point.
    if ((static_cast<unsigned char>(file.text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

std::string_view SourceManager::Line(FileId id, uint32_t line) const {
  const File& file = *files_[Index(id)];
  if (line == 0 || line > file.line_starts.size()) return {};
  uint32_t start = file.line_starts[line - 1];
  uint32_t end = line < file.line_starts.size() ? file.line_starts[line] : file.text.size();
  std::string_view text(file.text.data() + start, end - start);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

}  // namespace edict::diag
