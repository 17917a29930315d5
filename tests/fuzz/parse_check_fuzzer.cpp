// Fuzz target: arbitrary bytes as a .edict file, taken through the front end the way `edict check`
// takes it (its own pack; imports resolve in the standard library), then, when it checks clean,
// lowered to a plan and run over one example app session, its report written in every format, as
// an embedder scanning apps would.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <sstream>
#include <string>

#include "compiler/plan/print.h"
#include "compiler/sema/check.h"
#include "compiler/sema/summary.h"
#include "runtime/facts/loader.h"
#include "runtime/findings/writer.h"
#include "runtime/interp/interp.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace edict;

// The packs are read from disk only: the input is written to a private file first. A directory
// of its own per process, since libFuzzer's -fork and -jobs run several at once; removed at exit
// (the path lives on the heap, so the exit handler never sees it destroyed).
const std::string& InputPath() {
  static const std::string* const path = [] {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("edict-parse-check-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(std::filesystem::path(InputPath()).parent_path(), ignored);
    });
    return new std::string((dir / "input.edict").string());
  }();
  return *path;
}

const std::string& SessionText() {
  static const std::string text = [] {
    std::ifstream in(fuzz::SourcePath("examples/facts/jiayou-mall-6.3.0.jsonl"), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  return text;
}

// The session's report in every format, as `edict run --format` writes it.
void WriteReports(const plan::Plan& plan, const interp::SessionEvaluation& evaluation) {
  findings::RunInfo run;
  run.profile = plan.profile;
  run.params = interp::ParamsInForce(plan);
  run.rules = interp::RuleInfos(plan);
  for (findings::Format format : {findings::Format::kJson, findings::Format::kSarif, findings::Format::kText}) {
    std::ostringstream out;
    std::unique_ptr<findings::Writer> writer = findings::MakeWriter(format, out);
    writer->Begin(run);
    writer->AddSession(evaluation.result);
    findings::RunEnd end;
    end.limits_hit = evaluation.limits;
    writer->End(end);
    if (out.str().empty()) fuzz::Contradiction("an empty report", "");
  }
}

// A hundredth of the evaluation budget a real run has: runaway rules (a seed exhausts the budget
// on purpose) then end in well under libFuzzer's 10 s timeout in the ASan build, and the budget's
// paths are still exercised.
constexpr interp::StepBudget kFuzzBudget{.base = interp::kSessionStepsBase / 100,
                                         .per_record = interp::kSessionStepsPerRecord / 100};

void RunPlan(const plan::Plan& plan) {
  std::string printed = plan::PrintPlan(plan);
  if (printed.empty()) fuzz::Contradiction("an empty plan listing", "");
  facts::InputSource source = facts::InputSource::Text("session.jsonl", SessionText());
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  interp::Evaluator evaluator(plan, nullptr, kFuzzBudget);
  for (const facts::Session& session : loaded.sessions) {
    interp::SessionEvaluation evaluation = evaluator.Evaluate(session);
    WriteReports(plan, evaluation);
    if (!session.error && evaluation.result.summary.outcomes.size() != plan.rules.size()) {
      fuzz::Contradiction("a session evaluated without an outcome for every rule",
                          std::to_string(evaluation.result.summary.outcomes.size()) + " outcomes, " +
                              std::to_string(plan.rules.size()) + " rules");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(InputPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  sema::LoadOptions options;
  options.use_environment = false;
  std::unique_ptr<sema::Program> program = sema::CheckPaths({InputPath()}, options, sources, diags);
  diags.SortByLocation();
  fuzz::RenderAll(diags, sources);
  std::string summary = sema::RenderSummaryText(sema::SummarizeProgram(*program));
  (void)summary;
  if (diags.has_errors()) return 0;

  diag::DiagnosticEngine lower_diags;
  std::unique_ptr<plan::Plan> plan = interp::Compile(*program, {}, sources, lower_diags);
  fuzz::RenderAll(lower_diags, sources);
  if (plan == nullptr) {
    if (!lower_diags.has_errors()) fuzz::Contradiction("lowering failed without an error", "");
    return 0;
  }
  RunPlan(*plan);
  return 0;
}
