// Diagnostics as data: ids from diagnostics.def, a collecting engine, and the did-you-mean helper.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/source.h"

namespace edict::diag {

enum class Severity : uint8_t { kError, kWarning, kNote };

enum class DiagId : uint16_t {
#define EDICT_DIAG(name, code, severity, format) k##name,
#include "compiler/diag/diagnostics.def"
#undef EDICT_DIAG
};

struct DiagInfo {
  DiagId id;
  const char* name;
  const char* code;  // "E010"
  Severity severity;
  const char* format;
};

const DiagInfo& Info(DiagId id);
std::span<const DiagInfo> AllDiagnostics();

struct Note {
  SourceRange range;  // may be invalid: a note without a location
  std::string message;
};

struct Diagnostic {
  DiagId id;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<Note> notes;
  std::string help;  // "did you mean 'consent'?"; empty when none
};

// Substitutes {0}, {1}, ... in `format`.
std::string FormatMessage(std::string_view format, std::span<const std::string> args);

// Collects diagnostics in report order. Phases report through it and never print.
class DiagnosticEngine {
 public:
  Diagnostic& Report(DiagId id, SourceRange range, std::vector<std::string> args = {});
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }
  // Takes over `other`'s diagnostics, after this engine's own.
  void Append(DiagnosticEngine&& other);
  // Sorts by file and position, keeping report order for equal positions.
  void SortByLocation();

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
};

// The candidate closest to `name` by edit distance, if close enough to be a plausible typo.
std::optional<std::string> ClosestMatch(std::string_view name, std::span<const std::string> candidates);

}  // namespace edict::diag
