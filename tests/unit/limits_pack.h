// Shared by the limits tests: a one-file rule pack written to a temporary directory and taken
// through the engine as an embedder would (checked from disk with the standard library on the pack
// path, lowered, run over facts text), with its diagnostics rendered as `edict check` prints them.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/sema/check.h"
#include "runtime/facts/loader.h"
#include "runtime/interp/interp.h"

namespace edict::testing {

// The pack's manifest: its file's first four lines, then a blank line.
inline constexpr char kLimitsManifest[] = "pack limits 1.0.0 {\n  title: \"limits\"\n  import appfacts >= 1.0.0\n}\n\n";
inline constexpr int kLimitsManifestLines = 5;

// A session header line accepted by the appfacts schema.
inline constexpr char kSessionHeader[] =
    R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s-01","started_at":"2026-01-02T03:04:05Z",)"
    R"("mode":"dynamic","driver":"manual","consent_method":"ui_click"},)"
    R"("device":{"platform":"android","os_version":"10"},"app":{"id":"com.example"},"redaction":"hashed"})";

inline std::string Repeat(const std::string& part, size_t count) {
  std::string out;
  out.reserve(part.size() * count);
  for (size_t i = 0; i < count; ++i) out += part;
  return out;
}

struct CheckedPack {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::unique_ptr<sema::Program> program;
  // Each diagnostic as text, its path starting at the pack directory ("limits/pack.edict:12:9: ...").
  std::vector<std::string> rendered;
};

// Checks the pack `limits` whose pack.edict is kLimitsManifest followed by `body`.
inline std::unique_ptr<CheckedPack> CheckLimitsPack(const std::string& body) {
  std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("edict-limits-" + std::to_string(getpid()));
  std::filesystem::path dir = root / "limits";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pack.edict") << kLimitsManifest << body;
  auto checked = std::make_unique<CheckedPack>();
  sema::LoadOptions options;
  options.use_environment = false;
  checked->program = sema::CheckPaths({dir.string()}, options, checked->sources, checked->diags);
  for (const diag::Diagnostic& d : checked->diags.diagnostics()) {
    std::string text = diag::RenderText(d, checked->sources, false);
    size_t start = text.find("limits/pack.edict:");
    checked->rendered.push_back(start == std::string::npos ? text : text.substr(start));
  }
  std::filesystem::remove_all(root);
  return checked;
}

// Lowers a pack that checked clean and evaluates the one session of `facts`.
inline interp::SessionEvaluation RunLimitsPack(CheckedPack& checked, const std::string& facts) {
  std::unique_ptr<plan::Plan> plan = interp::Compile(*checked.program, {}, checked.sources, checked.diags);
  REQUIRE(plan != nullptr);
  facts::InputSource source = facts::InputSource::Text("s.jsonl", facts);
  facts::LoadResult loaded = facts::Load(*plan->schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 1);
  REQUIRE_FALSE(loaded.sessions[0].error);
  interp::Evaluator evaluator(*plan);
  return evaluator.Evaluate(loaded.sessions[0]);
}

// `count` lifecycle records after the header, seq 1, 2, ..., all `launched`.
inline std::string LaunchedSession(size_t count) {
  std::string text = std::string(kSessionHeader) + "\n";
  for (size_t seq = 1; seq <= count; ++seq) {
    text += R"({"type":"lifecycle","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(seq) +
            R"(,"state":"launched"})" "\n";
  }
  return text;
}

}  // namespace edict::testing
