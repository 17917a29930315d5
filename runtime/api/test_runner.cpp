// RunTests: every test of the named packs run on its facts, its expectations checked rule by rule,
// and the tally per rule.
#include <algorithm>
#include <exception>
#include <map>

#include "runtime/api/ruleset_impl.h"
#include "runtime/api/test_bench.h"
#include "runtime/api/test_runner.h"

namespace edict {
namespace {

TestResult RunOne(testrun::TestBench& bench, const sema::TestInfo& info) {
  const ast::TestDecl& test = *info.decl;
  const diag::SourceManager& sources = bench.sources();
  TestResult result;
  result.name = test.name;
  result.file = sources.path(test.range.file);
  result.line = sources.Locate(test.range.file, test.range.begin).line;
  for (const auto& expect : test.expects) {
    if (std::find(result.rules.begin(), result.rules.end(), expect.rule) == result.rules.end()) {
      result.rules.push_back(expect.rule);
    }
  }
  testrun::TestRun run = bench.Run(info);
  if (!run.error.empty()) {
    result.error = run.error;
    result.failed_rules = result.rules;
    return result;
  }
  const findings::SessionSummary& summary = run.evaluation.result.summary;
  for (const std::string& rule : result.rules) {
    std::vector<const ast::TestDecl::Expect*> lines;
    for (const auto& expect : test.expects) {
      if (expect.rule == rule) lines.push_back(&expect);
    }
    testrun::RuleResult rule_result;
    uint32_t index = testrun::TestBench::RuleIndex(*run.plan, *info.pack, rule);
    if (index < summary.outcomes.size()) rule_result.outcome = summary.outcomes[index];
    for (const findings::Finding& finding : run.findings) {
      if (finding.rule == index) rule_result.findings.push_back(&finding);
    }
    for (const findings::RuleError& error : summary.rule_errors) {
      if (error.rule == rule) rule_result.errors.push_back(&error);
    }
    std::vector<ExpectFailure> failures = testrun::CheckExpectations(lines, rule_result, sources);
    if (!failures.empty()) result.failed_rules.push_back(rule);
    for (ExpectFailure& failure : failures) result.failures.push_back(std::move(failure));
  }
  return result;
}

// Every rule of the named packs (tested or not) and every rule a test names, in report order.
void CountByRule(const sema::Program* program, TestReport& report) {
  std::map<std::string, size_t> index;
  auto add = [&](const std::string& rule) {
    if (index.try_emplace(rule, report.rules.size()).second) report.rules.push_back({rule});
  };
  if (program != nullptr) {
    for (const sema::RuleInfo& rule : program->rules) {
      if (rule.pack->root) add(rule.decl->name);
    }
  }
  for (const TestResult& test : report.tests) {
    ++(test.passed() ? report.passed : report.failed);
    for (const std::string& rule : test.rules) {
      add(rule);
      RuleTestCount& count = report.rules[index[rule]];
      ++count.tests;
      bool failed = std::find(test.failed_rules.begin(), test.failed_rules.end(), rule) != test.failed_rules.end();
      ++(failed ? count.failed : count.passed);
    }
  }
}

}  // namespace

TestReport RunTests(const TestOptions& options) {
  TestReport report;
  try {
    testrun::TestBench bench;
    bool checked = bench.Check(options);
    if (checked) {
      for (const sema::TestInfo* test : bench.RootTests()) report.tests.push_back(RunOne(bench, *test));
    }
    report.diagnostics = bench.TakeDiagnostics();
    CountByRule(checked ? &bench.program() : nullptr, report);
  } catch (const std::exception& e) {
    report = TestReport();
    report.diagnostics = EngineFailure(e.what());
  }
  return report;
}

}  // namespace edict
