// Text and JSON renderings of diagnostics.
#include "compiler/diag/render.h"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>

namespace edict::diag {
namespace {

const char* kBold = "\x1b[1m";
const char* kRed = "\x1b[1;31m";
const char* kMagenta = "\x1b[1;35m";
const char* kCyan = "\x1b[1;36m";
const char* kGreen = "\x1b[1;32m";
const char* kReset = "\x1b[0m";

// Display columns of the UTF-8 text (CJK characters take two cells, combining marks none), so
// the caret lands under the right character in a terminal.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(text.size());
  while (remaining > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, remaining, &cp);
    if (n <= 0) {  // invalid byte: count it as one cell and move on
      n = 1;
      width += 1;
    } else if (cp == '\t') {
      width += 1;
    } else {
      width += static_cast<size_t>(std::max(0, utf8proc_charwidth(cp)));
    }
    p += n;
    remaining -= n;
  }
  return width;
}

std::string Location(const SourceRange& range, const SourceManager& sources) {
  if (!range.valid()) return "";
  LineCol lc = sources.Locate(range.file, range.begin);
  return sources.path(range.file) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

// The source line of `range.begin` and an underline from the start to the end of the range
// (clipped to that line).
void AppendSnippet(std::string& out, const SourceRange& range, const SourceManager& sources, bool color,
                   const char* underline_color) {
  if (!range.valid()) return;
  LineCol lc = sources.Locate(range.file, range.begin);
  std::string_view line = sources.Line(range.file, lc.line);
  std::string number = std::to_string(lc.line);
  std::string gutter(number.size(), ' ');
  uint32_t line_start = range.begin;
  {
    std::string_view text = sources.text(range.file);
    while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  }
  size_t prefix_bytes = std::min<size_t>(range.begin - line_start, line.size());
  size_t span_bytes = std::min<size_t>(range.end > range.begin ? range.end - range.begin : 0,
                                       line.size() - prefix_bytes);
  // Spaces of the same display width as the text before the range; tabs are kept as tabs.
  std::string padding;
  size_t start = 0;
  std::string_view before = line.substr(0, prefix_bytes);
  while (start < before.size()) {
    size_t tab = before.find('\t', start);
    std::string_view chunk = before.substr(start, tab == std::string_view::npos ? before.size() - start : tab - start);
    padding.append(DisplayWidth(chunk), ' ');
    if (tab == std::string_view::npos) break;
    padding += '\t';
    start = tab + 1;
  }
  size_t width = std::max<size_t>(1, DisplayWidth(line.substr(prefix_bytes, span_bytes)));
  out.append(" ").append(number).append(" | ").append(line).append("\n");
  out.append(" ").append(gutter).append(" | ").append(padding);
  if (color) out += underline_color;
  out.append("^").append(width - 1, '~');
  if (color) out += kReset;
  out += "\n";
}

}  // namespace

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

std::string RenderText(const Diagnostic& d, const SourceManager& sources, bool color) {
  std::string out;
  const DiagInfo& info = Info(d.id);
  const char* severity_color = d.severity == Severity::kError ? kRed : kMagenta;
  std::string location = Location(d.range, sources);
  if (!location.empty()) {
    if (color) out += kBold;
    out += location + ": ";
    if (color) out += kReset;
  }
  if (color) out += severity_color;
  out += std::string(SeverityName(d.severity)) + "[" + info.code + "]";
  if (color) out += kReset;
  if (color) out += kBold;
  out += ": " + d.message;
  if (color) out += kReset;
  out += "\n";
  AppendSnippet(out, d.range, sources, color, kGreen);
  if (!d.help.empty()) {
    out += "  = ";
    if (color) out += kCyan;
    out += "help";
    if (color) out += kReset;
    out += ": " + d.help + "\n";
  }
  for (const Note& note : d.notes) {
    std::string note_location = Location(note.range, sources);
    if (!note_location.empty()) out += note_location + ": ";
    if (color) out += kCyan;
    out += "note";
    if (color) out += kReset;
    out += ": " + note.message + "\n";
    AppendSnippet(out, note.range, sources, color, kCyan);
  }
  return out;
}

nlohmann::json RenderJson(const Diagnostic& d, const SourceManager& sources) {
  const DiagInfo& info = Info(d.id);
  nlohmann::json j;
  j["code"] = info.code;
  j["name"] = info.name;
  j["severity"] = SeverityName(d.severity);
  j["message"] = d.message;
  auto put_location = [&](nlohmann::json& target, const SourceRange& range) {
    if (!range.valid()) return;
    LineCol begin = sources.Locate(range.file, range.begin);
    LineCol end = sources.Locate(range.file, range.end);
    target["file"] = sources.path(range.file);
    target["line"] = begin.line;
    target["column"] = begin.column;
    target["end_line"] = end.line;
    target["end_column"] = end.column;
  };
  put_location(j, d.range);
  j["notes"] = nlohmann::json::array();
  for (const Note& note : d.notes) {
    nlohmann::json n;
    n["message"] = note.message;
    put_location(n, note.range);
    j["notes"].push_back(n);
  }
  if (!d.help.empty()) j["help"] = d.help;
  return j;
}

std::string RenderSummary(size_t errors, size_t warnings) {
  if (errors == 0 && warnings == 0) return "";
  std::string out;
  auto plural = [](size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  if (errors > 0) out += plural(errors, "error");
  if (warnings > 0) out += (out.empty() ? "" : ", ") + plural(warnings, "warning");
  return out + " generated.";
}

}  // namespace edict::diag
