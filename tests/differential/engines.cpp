// EnginePair: one rule set per engine, each loading its own copy of the facts (a session is bound
// to the schema of the rule set that loaded it), evaluated session by session and compared.
#include "tests/differential/engines.h"

#include "tests/differential/compare.h"

namespace edict::differential {
namespace {

std::string LoadText(const LoadResult& loaded) {
  std::string text;
  for (const Session& session : loaded.sessions) {
    text += "session " + session.id() + " " + session.file() + " records=" + std::to_string(session.records()) +
            " error=" + session.error().value_or("-") + "\n";
  }
  for (const SkippedRecord& skipped : loaded.skipped) {
    text += "skipped " + skipped.file + ":" + std::to_string(skipped.line) + " " + skipped.error + "\n";
  }
  for (const std::string& error : loaded.input_errors) text += "input_error " + error + "\n";
  for (const auto& [name, count] : loaded.unknown_kinds) text += "unknown_kind " + name + " " + std::to_string(count) + "\n";
  for (const auto& [name, count] : loaded.unknown_data_types) {
    text += "unknown_data_type " + name + " " + std::to_string(count) + "\n";
  }
  return text;
}

std::string RulesText(const RunInfo& info) {
  std::string text = "profile " + info.profile + "\n";
  for (const findings::RuleInfo& rule : info.rules) text += "rule " + rule.pack + "/" + rule.id + "\n";
  return text;
}

}  // namespace

EnginePair::EnginePair(CompileOptions options) {
  Diagnostics interp_diagnostics, jit_diagnostics;
  options.engine = Engine::kInterp;
  interp_ = RuleSet::Compile(options, interp_diagnostics);
  options.engine = Engine::kJit;
  jit_ = RuleSet::Compile(options, jit_diagnostics);
  Diagnostics again;
  cached_ = RuleSet::Compile(options, again);
  if (cached_ && !cached_->native_build().cache_hit) cached_.reset();
  rendered_ = interp_diagnostics.Render(false);
  warnings_ = interp_diagnostics.warnings;
  if (!interp_) diagnostics_ += "interp: " + rendered_;
  if (!jit_) diagnostics_ += "jit: " + jit_diagnostics.Render(false);
  if (rendered_ != jit_diagnostics.Render(false)) {
    diagnostics_ += Diff("the engines' diagnostics differ", rendered_, jit_diagnostics.Render(false));
  }
  if (ok()) diagnostics_ += Diff("the engines' rule lists differ", RulesText(interp_->info()), RulesText(jit_->info()));
}

void EnginePair::Compare(std::span<const Input> inputs, const std::string& label, Comparison& into) const {
  if (!ok()) return;
  if (!diagnostics_.empty()) {
    into.mismatches.push_back(label + ": " + diagnostics_);
    return;
  }
  LoadResult interp_loaded = interp_->Load(inputs);
  LoadResult jit_loaded = jit_->Load(inputs);
  LoadResult cached_loaded = cached_ ? cached_->Load(inputs) : LoadResult();
  if (std::string diff = Diff(label + ": loading differs", LoadText(interp_loaded), LoadText(jit_loaded)); !diff.empty()) {
    into.mismatches.push_back(diff);
    return;
  }
  for (size_t i = 0; i < interp_loaded.sessions.size(); ++i) {
    Evaluation expected = interp_->Evaluate(interp_loaded.sessions[i]);
    Evaluation actual = jit_->Evaluate(jit_loaded.sessions[i]);
    ++into.sessions;
    into.findings += expected.result.findings.size();
    into.limits += expected.limits.size();
    if (!actual.native) ++into.interpreted;
    into.fallbacks += actual.fallbacks;
    const std::string where = label + ": session " + interp_loaded.sessions[i].id() + " of " +
                              interp_loaded.sessions[i].file();
    const std::string described = Describe(expected, interp_->info());
    std::string diff = Diff(where, described, Describe(actual, jit_->info()));
    if (!diff.empty()) into.mismatches.push_back(diff);
    if (cached_ && i < cached_loaded.sessions.size()) {
      Evaluation linked = cached_->Evaluate(cached_loaded.sessions[i]);
      ++into.cache_hits;
      if (!linked.native) ++into.interpreted;
      into.fallbacks += linked.fallbacks;
      std::string cached_diff = Diff(where + " (JIT code from the object cache)", described, Describe(linked, cached_->info()));
      if (!cached_diff.empty()) into.mismatches.push_back(cached_diff);
    }
  }
}

ExpressionComparison CompareExpression(const std::string& expression, const std::vector<Variable>& variables,
                                       const std::string& label) {
  ExpressionComparison comparison;
  comparison.interp = EvaluateExpression(expression, variables, Engine::kInterp);
  comparison.jit = EvaluateExpression(expression, variables, Engine::kJit);
  comparison.diff = Diff(label + ": " + expression, Describe(comparison.interp), Describe(comparison.jit));
  return comparison;
}

}  // namespace edict::differential
