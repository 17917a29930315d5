// Test harness for the plan and interpreter tests: checks a pack (with stdlib-rules on the pack
// path), compiles it for a profile, loads appfacts text with the plan's schema and evaluates it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/sema/check.h"
#include "runtime/facts/loader.h"
#include "runtime/interp/interp.h"

namespace edict::testing {

struct Compiled {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::unique_ptr<sema::Program> program;
  std::unique_ptr<plan::Plan> plan;

  std::string Errors() const {
    std::string out;
    for (const diag::Diagnostic& d : diags.diagnostics()) out += diag::RenderText(d, sources, false);
    return out;
  }
};

// `inputs` are pack directories or .edict files, relative to the repository root.
inline std::unique_ptr<Compiled> CompilePacks(const std::vector<std::string>& inputs, plan::LowerOptions options = {}) {
  auto compiled = std::make_unique<Compiled>();
  sema::LoadOptions load;
  load.pack_path = {std::string(EDICT_SOURCE_DIR) + "/stdlib-rules"};
  load.use_environment = false;
  std::vector<std::string> paths;
  for (const std::string& input : inputs) paths.push_back(std::string(EDICT_SOURCE_DIR) + "/" + input);
  compiled->program = sema::CheckPaths(paths, load, compiled->sources, compiled->diags);
  if (compiled->diags.has_errors()) return compiled;
  compiled->plan = interp::Compile(*compiled->program, options, compiled->sources, compiled->diags);
  return compiled;
}

struct Run {
  facts::LoadResult loaded;
  std::vector<interp::SessionEvaluation> sessions;
};

inline Run Evaluate(const plan::Plan& plan, const std::string& name, std::string_view text,
                    interp::StepBudget budget = {}) {
  Run run;
  facts::InputSource source = facts::InputSource::Text(name, text);
  run.loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  interp::Evaluator evaluator(plan, nullptr, budget);
  for (const facts::Session& session : run.loaded.sessions) run.sessions.push_back(evaluator.Evaluate(session));
  return run;
}

inline std::string ReadFile(const std::string& path) {
  std::string full = std::string(EDICT_SOURCE_DIR) + "/" + path;
  FILE* file = std::fopen(full.c_str(), "rb");
  std::string text;
  if (file == nullptr) return text;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

inline size_t RuleIndex(const plan::Plan& plan, const std::string& id) {
  for (size_t i = 0; i < plan.rules.size(); ++i) {
    if (plan.rules[i].id == id) return i;
  }
  return plan.rules.size();
}

inline findings::Outcome OutcomeOf(const plan::Plan& plan, const interp::SessionEvaluation& session, const std::string& id) {
  return session.result.summary.outcomes.at(RuleIndex(plan, id)).outcome;
}

inline std::vector<const findings::Finding*> FindingsOf(const plan::Plan& plan, const interp::SessionEvaluation& session,
                                                        const std::string& id) {
  std::vector<const findings::Finding*> out;
  for (const findings::Finding& finding : session.result.findings) {
    if (finding.rule == RuleIndex(plan, id)) out.push_back(&finding);
  }
  return out;
}

inline std::vector<int64_t> Seqs(const findings::Finding& finding) {
  std::vector<int64_t> seqs;
  for (const findings::Evidence& evidence : finding.evidence) seqs.push_back(evidence.seq);
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  return seqs;
}

// A "both ways" rule's message, "previous new|previous new|...", as its parts' halves split at the
// middle space: the replaced definition's value and the new one's. Two values of different
// lengths give halves that differ.
inline std::vector<std::pair<std::string, std::string>> BothWays(const std::string& message) {
  std::vector<std::pair<std::string, std::string>> parts;
  for (size_t start = 0;;) {
    size_t end = message.find('|', start);
    std::string part = message.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t half = part.size() / 2;
    parts.emplace_back(part.substr(0, half), half < part.size() ? part.substr(half + 1) : "");
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// A pack compiled and evaluated over a facts file of the repository, with the lookups the tests
// ask of it. `compiled->plan` is null when the pack has errors (`compiled->Errors()` says which).
struct PackRun {
  std::unique_ptr<Compiled> compiled;
  Run run;

  const plan::Plan& plan() const { return *compiled->plan; }
  const interp::SessionEvaluation& session(size_t i) const { return run.sessions.at(i); }
  findings::Outcome outcome(size_t s, const std::string& rule) const { return OutcomeOf(plan(), session(s), rule); }
  std::string reason(size_t s, const std::string& rule) const {
    return session(s).result.summary.outcomes.at(RuleIndex(plan(), rule)).reason;
  }
  std::vector<const findings::Finding*> found(size_t s, const std::string& rule) const {
    return FindingsOf(plan(), session(s), rule);
  }
};

inline PackRun RunPack(const std::string& pack, const std::string& facts_file, plan::LowerOptions options = {}) {
  PackRun result;
  result.compiled = CompilePacks({pack}, std::move(options));
  if (result.compiled->plan == nullptr) return result;
  std::string text = ReadFile(facts_file);
  result.run = Evaluate(*result.compiled->plan, facts_file.substr(facts_file.rfind('/') + 1), text);
  return result;
}

}  // namespace edict::testing
