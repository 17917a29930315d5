// RunTests: check the packs once, compile a plan per distinct (profile, parameters) of the tests,
// run every test of the named packs on its facts and check its expectations rule by rule.
#include <algorithm>
#include <exception>
#include <map>

#include "compiler/sema/check.h"
#include "runtime/api/ruleset_impl.h"
#include "runtime/api/test_runner.h"
#include "runtime/facts/loader.h"
#include "runtime/findings/order.h"

namespace edict {
namespace {

struct Compiled {
  std::unique_ptr<plan::Plan> plan;  // null when the configuration did not compile
  std::unique_ptr<interp::Evaluator> evaluator;
};

class TestRunner {
 public:
  explicit TestRunner(TestReport& report) : report_(report) {}

  void Run(const TestOptions& options) {
    sema::LoadOptions load;
    load.pack_path = options.pack_path;
    load.use_environment = options.use_environment;
    program_ = sema::CheckPaths(options.packs, load, sources_, diags_);
    if (!diags_.has_errors()) {
      for (const sema::TestInfo& test : program_->tests) {
        if (test.pack->root) report_.tests.push_back(RunTest(test));
      }
    }
    report_.diagnostics = ToDiagnostics(diags_, sources_);
    CountByRule();
  }

 private:
  // The plan for a test's profile and parameters, compiled on first use.
  Compiled& PlanFor(const ast::TestDecl& test) {
    std::string key = test.profile;
    for (const auto& param : test.params) key += "\n" + param.param + "=" + std::string(sources_.text(param.value->range));
    std::unique_ptr<Compiled>& slot = plans_[key];
    if (slot == nullptr) {
      slot = std::make_unique<Compiled>();
      plan::LowerOptions options;
      if (!test.profile.empty()) options.profile = test.profile;
      for (const auto& param : test.params) options.overrides.push_back({param.param, "", param.value});
      slot->plan = interp::Compile(*program_, options, sources_, diags_);
      if (slot->plan != nullptr) slot->evaluator = std::make_unique<interp::Evaluator>(*slot->plan);
    }
    return *slot;
  }

  TestResult RunTest(const sema::TestInfo& info) {
    const ast::TestDecl& test = *info.decl;
    TestResult result;
    result.name = test.name;
    result.file = sources_.path(test.range.file);
    result.line = sources_.Locate(test.range.file, test.range.begin).line;
    for (const auto& expect : test.expects) {
      if (std::find(result.rules.begin(), result.rules.end(), expect.rule) == result.rules.end()) {
        result.rules.push_back(expect.rule);
      }
    }
    Compiled& compiled = PlanFor(test);
    if (compiled.plan == nullptr) {
      result.error = "the rules do not compile with this test's profile and parameters (see the errors above)";
      result.failed_rules = result.rules;
      return result;
    }
    const plan::Plan& plan = *compiled.plan;

    std::string inline_text;
    facts::InputSource source = facts::InputSource::File(info.facts_file);
    if (test.inline_facts) {
      std::string error;
      auto lines = testrun::InlineFactsJsonLines(test, sources_, error);
      if (!lines) {
        result.error = error;
        result.failed_rules = result.rules;
        return result;
      }
      inline_text = std::move(*lines);
      source = facts::InputSource::Text(result.file + ":" + std::to_string(result.line) + " (inline facts)", inline_text);
    }
    facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
    if (!loaded.input_errors.empty()) {
      result.error = loaded.input_errors[0].ToString();
    } else if (loaded.sessions.size() != 1) {
      result.error = "the facts hold " + std::to_string(loaded.sessions.size()) + " sessions; a test runs on exactly one";
    } else if (loaded.sessions[0].error) {
      result.error = "the facts do not load: " + loaded.sessions[0].error->ToString();
    }
    if (!result.error.empty()) {
      result.failed_rules = result.rules;
      return result;
    }
    interp::SessionEvaluation evaluation = compiled.evaluator->Evaluate(loaded.sessions[0]);
    std::vector<findings::Finding> ordered = findings::InReportOrder(evaluation.result.findings);

    for (const std::string& rule : result.rules) {
      std::vector<const ast::TestDecl::Expect*> lines;
      for (const auto& expect : test.expects) {
        if (expect.rule == rule) lines.push_back(&expect);
      }
      testrun::RuleResult rule_result;
      uint32_t index = RuleIndex(plan, *info.pack, rule);
      if (index < evaluation.result.summary.outcomes.size()) rule_result.outcome = evaluation.result.summary.outcomes[index];
      for (const findings::Finding& finding : ordered) {
        if (finding.rule == index) rule_result.findings.push_back(&finding);
      }
      for (const findings::RuleError& error : evaluation.result.summary.rule_errors) {
        if (error.rule == rule) rule_result.errors.push_back(&error);
      }
      std::vector<ExpectFailure> failures = testrun::CheckExpectations(lines, rule_result, sources_);
      if (!failures.empty()) result.failed_rules.push_back(rule);
      for (ExpectFailure& failure : failures) result.failures.push_back(std::move(failure));
    }
    return result;
  }

  // The plan's index of rule `id` as the test's pack sees it: its own rule first, else an import's.
  static uint32_t RuleIndex(const plan::Plan& plan, const sema::Pack& pack, const std::string& id) {
    uint32_t found = static_cast<uint32_t>(plan.rules.size());
    for (uint32_t i = 0; i < plan.rules.size(); ++i) {
      if (plan.rules[i].id != id) continue;
      if (plan.rules[i].pack == pack.name) return i;
      if (found == plan.rules.size()) found = i;
    }
    return found;
  }

  void CountByRule() {
    std::map<std::string, size_t> index;
    auto add = [&](const std::string& rule) {
      if (index.try_emplace(rule, report_.rules.size()).second) report_.rules.push_back({rule});
    };
    if (program_ != nullptr) {
      for (const sema::RuleInfo& rule : program_->rules) {
        if (rule.pack->root) add(rule.decl->name);
      }
    }
    for (const TestResult& test : report_.tests) {
      (test.passed() ? report_.passed : report_.failed) += 1;
      for (const std::string& rule : test.rules) {
        add(rule);
        RuleTestCount& count = report_.rules[index[rule]];
        ++count.tests;
        bool failed = std::find(test.failed_rules.begin(), test.failed_rules.end(), rule) != test.failed_rules.end();
        ++(failed ? count.failed : count.passed);
      }
    }
  }

  TestReport& report_;
  diag::SourceManager sources_;
  diag::DiagnosticEngine diags_;
  std::unique_ptr<sema::Program> program_;
  std::map<std::string, std::unique_ptr<Compiled>> plans_;
};

}  // namespace

TestReport RunTests(const TestOptions& options) {
  TestReport report;
  try {
    TestRunner runner(report);
    runner.Run(options);
  } catch (const std::exception& e) {
    report = TestReport();
    report.diagnostics = EngineFailure(e.what());
  }
  return report;
}

}  // namespace edict
