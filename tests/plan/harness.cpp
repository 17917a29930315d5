// The bodies of the plan and interpreter tests' harness (harness.h), compiled once for every test
// that includes it.
#include "tests/plan/harness.h"

#include <algorithm>
#include <cstdio>

#include "compiler/diag/render.h"
#include "compiler/sema/check.h"
#include "runtime/findings/json_encode.h"
#include "runtime/interp/session_run.h"

namespace edict::testing {

Compiled::Compiled() = default;
Compiled::~Compiled() = default;

std::string Compiled::Errors() const {
  std::string out;
  for (const diag::Diagnostic& d : diags.diagnostics()) out += diag::RenderText(d, sources, false);
  return out;
}

std::unique_ptr<Compiled> CompilePacks(const std::vector<std::string>& inputs, plan::LowerOptions options) {
  auto compiled = std::make_unique<Compiled>();
  sema::LoadOptions load;
  load.pack_path = {std::string(EDICT_SOURCE_DIR) + "/stdlib-rules"};
  load.use_environment = false;
  std::vector<std::string> paths;
  for (const std::string& input : inputs) {
    paths.push_back(input.starts_with('/') ? input : std::string(EDICT_SOURCE_DIR) + "/" + input);
  }
  compiled->program = sema::CheckPaths(paths, load, compiled->sources, compiled->diags);
  if (compiled->diags.has_errors()) return compiled;
  compiled->plan = interp::Compile(*compiled->program, options, compiled->sources, compiled->diags);
  return compiled;
}

Run Evaluate(const plan::Plan& plan, const std::string& name, std::string_view text, interp::StepBudget budget) {
  Run run;
  facts::InputSource source = facts::InputSource::Text(name, text);
  run.loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  interp::Evaluator evaluator(plan, nullptr, budget);
  for (const facts::Session& session : run.loaded.sessions) run.sessions.push_back(evaluator.Evaluate(session));
  return run;
}

std::string ReadFile(const std::string& path) {
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

size_t RuleIndex(const plan::Plan& plan, const std::string& id) {
  for (size_t i = 0; i < plan.rules.size(); ++i) {
    if (plan.rules[i].id == id) return i;
  }
  return plan.rules.size();
}

findings::Outcome OutcomeOf(const plan::Plan& plan, const interp::SessionEvaluation& session, const std::string& id) {
  return session.result.summary.outcomes.at(RuleIndex(plan, id)).outcome;
}

std::vector<const findings::Finding*> FindingsOf(const plan::Plan& plan, const interp::SessionEvaluation& session,
                                                 const std::string& id) {
  std::vector<const findings::Finding*> out;
  for (const findings::Finding& finding : session.result.findings) {
    if (finding.rule == RuleIndex(plan, id)) out.push_back(&finding);
  }
  return out;
}

std::vector<int64_t> Seqs(const findings::Finding& finding) {
  std::vector<int64_t> seqs;
  for (const findings::Evidence& evidence : finding.evidence) seqs.push_back(evidence.seq);
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  return seqs;
}

std::vector<std::pair<std::string, std::string>> BothWays(const std::string& message) {
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

PackRun RunPack(const std::string& pack, const std::string& facts_file, plan::LowerOptions options) {
  PackRun result;
  result.compiled = CompilePacks({pack}, std::move(options));
  if (result.compiled->plan == nullptr) return result;
  std::string text = ReadFile(facts_file);
  result.run = Evaluate(*result.compiled->plan, facts_file.substr(facts_file.rfind('/') + 1), text);
  return result;
}

std::string Describe(const plan::Plan& plan, const interp::SessionEvaluation& session) {
  findings::RunInfo info{};
  info.rules = interp::RuleInfos(plan);
  std::string out = findings::Dump(findings::SessionSummaryJson(info, session.result.summary)) + "\n";
  for (const findings::Finding& finding : session.result.findings) {
    out += findings::Dump(findings::FindingJson(info, finding)) + "\n";
  }
  for (const findings::LimitHit& limit : session.limits) out += "limit " + limit.limit + " " + std::to_string(limit.value) + "\n";
  out += "records " + std::to_string(session.stats.records) + " matches " + std::to_string(session.stats.matches) +
         " comparisons " + std::to_string(session.stats.comparisons) + " memo " +
         std::to_string(session.stats.memo_hits) + "/" + std::to_string(session.stats.memo_misses) + "\n";
  return out;
}

BudgetRun RunAtBudget(const plan::Plan& plan, const interp::CompiledCode* code, const facts::Session& session,
                      uint64_t budget) {
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine machine(&plan, plan.code, constants);
  machine.set_compiled(code);
  machine.BeginSession(session.store.get(), budget);
  interp::SessionEvaluation evaluation = interp::SessionRun(plan, machine, session).Run();
  return {Describe(plan, evaluation) + "index builds " + std::to_string(evaluation.stats.index_builds),
          *machine.steps_counter(), evaluation.stats.fallbacks};
}

}  // namespace edict::testing
