// Diagnostics of the front end and the plan phase, rendered once into the API's plain values.
#include <nlohmann/json.hpp>

#include <exception>

#include "compiler/diag/render.h"
#include "runtime/api/ruleset_impl.h"

namespace edict {

Diagnostics ToDiagnostics(diag::DiagnosticEngine& diags, const diag::SourceManager& sources) {
  diags.SortByLocation();
  Diagnostics out;
  out.errors = diags.error_count();
  out.warnings = diags.warning_count();
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    Diagnostic item;
    item.error = d.severity == diag::Severity::kError;
    item.code = diag::Info(d.id).code;
    if (d.range.valid()) {
      item.file = sources.path(d.range.file);
      diag::LineCol at = sources.Locate(d.range.file, d.range.begin);
      item.line = at.line;
      item.column = at.column;
    }
    item.message = d.message;
    item.text = diag::RenderText(d, sources, false);
    item.text_color = diag::RenderText(d, sources, true);
    item.json = diag::RenderJson(d, sources).dump();
    out.items.push_back(std::move(item));
  }
  return out;
}

Diagnostics EngineFailure(const std::string& what) {
  Diagnostics out;
  Diagnostic item;
  item.message = "the engine failed: " + what;
  item.text = "error: " + item.message + "\n";
  item.text_color = "\033[1;31merror:\033[0m " + item.message + "\n";
  item.json = nlohmann::json{{"severity", "error"}, {"message", item.message}}.dump();
  out.items.push_back(std::move(item));
  out.errors = 1;
  return out;
}

std::string Diagnostics::Render(bool color) const {
  std::string out;
  for (const Diagnostic& item : items) out += color ? item.text_color : item.text;
  std::string counts = diag::RenderSummary(errors, warnings);
  if (!counts.empty()) out += counts + "\n";
  return out;
}

}  // namespace edict
