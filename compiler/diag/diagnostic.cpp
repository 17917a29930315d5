// The diagnostic table, message formatting and did-you-mean suggestions.
#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <array>

namespace edict::diag {
namespace {

constexpr DiagInfo kTable[] = {
#define EDICT_DIAG(name, code, severity, format) {DiagId::k##name, #name, code, Severity::severity, format},
#include "compiler/diag/diagnostics.def"
#undef EDICT_DIAG
};

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// neighbours each cost one, because two swapped letters (`titel`, `hihg`) are the commonest typo.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

const DiagInfo& Info(DiagId id) { return kTable[static_cast<size_t>(id)]; }

std::span<const DiagInfo> AllDiagnostics() { return kTable; }

std::string FormatMessage(std::string_view format, std::span<const std::string> args) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '{' && i + 2 < format.size() && format[i + 2] == '}' && format[i + 1] >= '0' &&
        format[i + 1] <= '9') {
      size_t index = static_cast<size_t>(format[i + 1] - '0');
      if (index < args.size()) out += args[index];
      i += 2;
    } else {
      out += format[i];
    }
  }
  return out;
}

Diagnostic& DiagnosticEngine::Report(DiagId id, SourceRange range, std::vector<std::string> args) {
  const DiagInfo& info = Info(id);
  if (info.severity == Severity::kError) ++errors_;
  if (info.severity == Severity::kWarning) ++warnings_;
  diagnostics_.push_back(Diagnostic{id, info.severity, range, FormatMessage(info.format, args), {}, {}});
  return diagnostics_.back();
}

void DiagnosticEngine::Append(DiagnosticEngine&& other) {
  diagnostics_.insert(diagnostics_.end(), std::make_move_iterator(other.diagnostics_.begin()),
                      std::make_move_iterator(other.diagnostics_.end()));
  errors_ += other.errors_;
  warnings_ += other.warnings_;
  other = DiagnosticEngine();
}

void DiagnosticEngine::SortByLocation() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.range.file != b.range.file) return a.range.file < b.range.file;
    return a.range.begin < b.range.begin;
  });
}

std::optional<std::string> ClosestMatch(std::string_view name, std::span<const std::string> candidates) {
  // Allow roughly one edit per three characters: `consnet` → `consent`, but not `id` → `t`.
  size_t limit = std::max<size_t>(1, name.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == name) continue;
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace edict::diag
