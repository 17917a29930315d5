// TestBench: checking the packs once, compiling per test configuration, loading a test's facts.
#include "runtime/api/test_bench.h"

#include <fstream>
#include <sstream>

#include "compiler/sema/check.h"
#include "runtime/api/ruleset_impl.h"
#include "runtime/api/test_runner.h"
#include "runtime/facts/loader.h"
#include "runtime/findings/order.h"

namespace edict::testrun {

bool TestBench::Check(const TestOptions& options) {
  engine_ = options.engine;
  sema::LoadOptions load;
  load.pack_path = options.pack_path;
  load.use_environment = options.use_environment;
  program_ = sema::CheckPaths(options.packs, load, sources_, diags_);
  return !diags_.has_errors();
}

std::vector<const sema::TestInfo*> TestBench::RootTests() const {
  std::vector<const sema::TestInfo*> tests;
  for (const sema::TestInfo& test : program_->tests) {
    if (test.pack->root) tests.push_back(&test);
  }
  return tests;
}

TestBench::Compiled& TestBench::PlanFor(const std::string& profile,
                                        const std::vector<ast::ProfileDecl::Assignment>& params) {
  std::string key = profile;
  for (const auto& param : params) key += "\n" + param.param + "=" + std::string(sources_.text(param.value->range));
  std::unique_ptr<Compiled>& slot = plans_[key];
  if (slot == nullptr) {
    slot = std::make_unique<Compiled>();
    plan::LowerOptions options;
    if (!profile.empty()) options.profile = profile;
    for (const auto& param : params) options.overrides.push_back({param.param, "", param.value});
    slot->plan = interp::Compile(*program_, options, sources_, diags_);
    if (slot->plan != nullptr) slot->evaluator = std::make_unique<interp::Evaluator>(*slot->plan);
  }
  return *slot;
}

TestRun TestBench::Run(const sema::TestInfo& info) {
  const ast::TestDecl& test = *info.decl;
  TestRun run;
  Compiled& compiled = PlanFor(test.profile, test.params);
  if (compiled.plan == nullptr) {
    run.error = "the rules do not compile with this test's profile and parameters (see the errors above)";
    return run;
  }
  run.plan = compiled.plan.get();

  // The facts are kept as text: the catalogue shows them next to the finding they produce.
  facts::InputSource source = facts::InputSource::File(info.facts_file);
  if (test.inline_facts) {
    auto lines = InlineFactsJsonLines(test, sources_, run.error);
    if (!lines) return run;
    run.facts = std::move(*lines);
    std::string line = std::to_string(sources_.Locate(test.range.file, test.range.begin).line);
    source = facts::InputSource::Text(sources_.path(test.range.file) + ":" + line + " (inline facts)", run.facts);
  } else if (std::ifstream file(info.facts_file, std::ios::binary); file) {
    std::stringstream text;
    text << file.rdbuf();
    run.facts = text.str();
    source = facts::InputSource::Text(info.facts_file, run.facts);
  }  // else the loader says why the file cannot be read
  facts::LoadResult loaded = facts::Load(*run.plan->schema, std::span<const facts::InputSource>(&source, 1));
  if (!loaded.input_errors.empty()) {
    run.error = loaded.input_errors[0].ToString();
  } else if (loaded.sessions.size() != 1) {
    run.error = "the facts hold " + std::to_string(loaded.sessions.size()) + " sessions; a test runs on exactly one";
  } else if (loaded.sessions[0].error) {
    run.error = "the facts do not load: " + loaded.sessions[0].error->ToString();
  }
  if (!run.error.empty()) return run;
  const facts::Session& session = loaded.sessions[0];
  interp::Evaluator* evaluator =
      EvaluatorFor(compiled, session.store != nullptr ? session.store->record_count() : 0, run.error);
  if (evaluator == nullptr) return run;
  run.native = evaluator != compiled.evaluator.get();
  run.evaluation = evaluator->Evaluate(session);
  run.findings = findings::InReportOrder(run.evaluation.result.findings);
  return run;
}

interp::Evaluator* TestBench::EvaluatorFor(Compiled& compiled, uint64_t records, std::string& error) {
  auto holds_cached_code = [&] {
    if (!compiled.holds_cached_code) {
      compiled.holds_cached_code = HoldsCachedNative(MakeRunInfo(*program_, *compiled.plan, sources_),
                                                     PackDirectories(*program_), *compiled.plan, Optimization::kAuto);
    }
    return *compiled.holds_cached_code;
  };
  if (!UsesNativeCode(engine_, records, holds_cached_code)) return compiled.evaluator.get();
  if (!compiled.native_tried) {
    compiled.native_tried = true;
    NativeBuild build;
    RunInfo info = MakeRunInfo(*program_, *compiled.plan, sources_);
    compiled.native = BuildNative(info, PackDirectories(*program_), *compiled.plan, Optimization::kAuto, build);
    if (compiled.native != nullptr) {
      compiled.native_evaluator = std::make_unique<interp::Evaluator>(*compiled.plan, &compiled.native->code());
    } else {
      compiled.native_error = build.note;
    }
  }
  if (compiled.native_evaluator == nullptr) error = compiled.native_error;
  return compiled.native_evaluator.get();
}

uint32_t TestBench::RuleIndex(const plan::Plan& plan, const sema::Pack& pack, const std::string& id) {
  uint32_t found = static_cast<uint32_t>(plan.rules.size());
  for (uint32_t i = 0; i < plan.rules.size(); ++i) {
    if (plan.rules[i].id != id) continue;
    if (plan.rules[i].pack == pack.name) return i;
    if (found == plan.rules.size()) found = i;
  }
  return found;
}

}  // namespace edict::testrun
