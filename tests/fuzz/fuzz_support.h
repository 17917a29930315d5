// What the fuzz harnesses share: where the repository is, rendering every diagnostic the way the
// edict command does (so the renderers see every malformed input too), and stopping loudly when an
// oracle finds the engine contradicting itself.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/diag/render.h"

namespace edict::fuzz {

inline std::string SourcePath(std::string_view relative) {
  return std::string(EDICT_SOURCE_DIR) + "/" + std::string(relative);
}

// Text and JSON, as `edict check` and `edict check --format json` print them. The JSON is dumped
// because serialising is where a message with broken UTF-8 would throw.
inline void RenderAll(const diag::DiagnosticEngine& diags, const diag::SourceManager& sources) {
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    std::string text = diag::RenderText(d, sources, false);
    std::string json = diag::RenderJson(d, sources).dump();
    if (text.empty() || json.empty()) std::abort();
  }
}

// An oracle violation: the engine returned normally but said something impossible. Aborting makes
// libFuzzer keep the input, and the replay test fail.
[[noreturn]] inline void Contradiction(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "edict fuzz oracle: %.*s\n  %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace edict::fuzz
