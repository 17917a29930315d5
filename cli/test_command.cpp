// `edict test`: a thin client of edict::RunTests. Failures first (where, what was expected, what
// was found), then "N passed, N failed" and a table of tests per rule.
#include "cli/test_command.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/run_command.h"

namespace edict::cli {
namespace {

struct TestArgs {
  PackArgs packs;
  bool verbose = false;
  std::string engine = "auto";
};

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out = prefix;
  for (char c : text) {
    out += c;
    if (c == '\n') out += prefix;
  }
  return out;
}

void PrintFailure(const TestResult& test, bool color) {
  const char* red = color ? "\033[1;31m" : "";
  const char* reset = color ? "\033[0m" : "";
  std::cout << red << "FAIL" << reset << " " << test.file << ":" << test.line << ": " << test.name << "\n";
  if (!test.error.empty()) std::cout << "  " << test.error << "\n";
  // One expect line can fail in several ways (count and description): it is printed once, with
  // each problem, then what the rule did.
  for (size_t i = 0; i < test.failures.size(); ++i) {
    const ExpectFailure& failure = test.failures[i];
    bool same_line = i > 0 && test.failures[i - 1].line == failure.line && test.failures[i - 1].file == failure.file;
    if (!same_line) std::cout << "  " << failure.file << ":" << failure.line << ": " << failure.expected << "\n";
    std::cout << "    " << failure.problem << "\n";
    bool last_of_line = i + 1 == test.failures.size() || test.failures[i + 1].line != failure.line ||
                        test.failures[i + 1].file != failure.file;
    if (last_of_line) std::cout << Indent("found: " + failure.found, "    ") << "\n";
  }
}

void PrintTable(const TestReport& report) {
  size_t width = std::string("rule").size();
  for (const RuleTestCount& rule : report.rules) width = std::max(width, rule.rule.size());
  auto row = [&](const std::string& rule, const std::string& tests, const std::string& passed, const std::string& failed) {
    std::cout << rule << std::string(width - rule.size(), ' ');
    for (const std::string* cell : {&tests, &passed, &failed}) {
      std::cout << std::string(8 - std::min<size_t>(cell->size(), 7), ' ') << *cell;
    }
    std::cout << "\n";
  };
  row("rule", "tests", "passed", "failed");
  for (const RuleTestCount& rule : report.rules) {
    row(rule.rule, std::to_string(rule.tests), std::to_string(rule.passed), std::to_string(rule.failed));
  }
}

int RunTestCommand(const TestArgs& args) {
  if (!ValidatePackArgs("test", args.packs)) return 2;
  TestOptions options;
  options.packs = args.packs.packs;
  options.pack_path = args.packs.pack_path;
  options.engine = ParseEngine(args.engine);
  TestReport report = RunTests(options);
  PrintDiagnostics(report.diagnostics);
  bool color = isatty(STDOUT_FILENO) != 0;
  for (const TestResult& test : report.tests) {
    if (!test.passed()) {
      PrintFailure(test, color);
    } else if (args.verbose) {
      std::cout << "ok   " << test.file << ":" << test.line << ": " << test.name << "\n";
    }
  }
  if (report.diagnostics.has_errors() && report.tests.empty()) return 2;
  if (!report.tests.empty() && report.failed > 0) std::cout << "\n";
  std::cout << report.passed << " passed, " << report.failed << " failed\n\n";
  PrintTable(report);
  if (report.diagnostics.has_errors()) return 2;
  return report.failed > 0 ? 1 : 0;
}

}  // namespace

void AddTestCommand(CLI::App& app) {
  auto args = std::make_shared<TestArgs>();
  CLI::App* test = app.add_subcommand("test", "Run the tests written in rule packs");
  test->add_option("--pack-path", args->packs.pack_path, "Directory searched for imported packs (repeatable)")
      ->allow_extra_args(false);
  test->add_flag("-v,--verbose", args->verbose, "List the tests that pass too");
  AddEngineOption(test, args->engine);
  test->add_option("packs", args->packs.packs, "Pack directories, or .edict files forming one pack")->required();
  test->callback([args] {
    int code = RunTestCommand(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace edict::cli
