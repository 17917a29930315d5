// One compiled RuleSet evaluated from many threads gives exactly the single-thread results, and a
// run on several threads writes the same report as a run on one.
#include <doctest/doctest.h>

#include <sstream>
#include <thread>

#include "edict/edict.h"

using namespace edict;

namespace {

RuleSet CompileQuickstart() {
  CompileOptions options;
  options.packs = {std::string(EDICT_SOURCE_DIR) + "/examples/quickstart"};
  options.pack_path = {std::string(EDICT_SOURCE_DIR) + "/stdlib-rules"};
  options.use_environment = false;
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  return *rules;
}

std::vector<Input> SampleInputs() {
  std::vector<Input> inputs;
  for (const char* name : {"jiayou-mall-6.3.0.jsonl", "meiri-news-2.8.1.jsonl", "jiayou-mall-6.4.0.jsonl"}) {
    inputs.push_back(Input::File(std::string(EDICT_SOURCE_DIR) + "/examples/facts/" + name));
  }
  return inputs;
}

// Everything an evaluation says, in its (deterministic) order.
std::string Canonical(const RuleSet& rules, const Evaluation& evaluation) {
  const auto& summary = evaluation.result.summary;
  std::string out = summary.id + " " + summary.app + " " + std::to_string(summary.records) + "\n";
  for (size_t i = 0; i < summary.outcomes.size(); ++i) {
    out += rules.info().rules[i].id + " " + std::string(findings::Name(summary.outcomes[i].outcome)) + " " +
           summary.outcomes[i].reason + "\n";
  }
  for (const auto& error : summary.rule_errors) out += "error " + error.rule + " " + error.message + "\n";
  for (const Finding& finding : evaluation.result.findings) {
    out += rules.info().rules[finding.rule].id + " " + finding.message + " " + finding.subject.sdk + " " +
           std::to_string(finding.window.count);
    for (const auto& type : finding.data_types) out += " " + type;
    for (const auto& permission : finding.permissions) out += " " + permission;
    for (const auto& evidence : finding.evidence) {
      out += " " + evidence.file + ":" + std::to_string(evidence.line) + ":" + std::string(findings::Name(evidence.role));
    }
    out += "\n";
  }
  return out;
}

std::string JsonReport(const RuleSet& rules, unsigned jobs) {
  std::vector<Input> inputs = SampleInputs();
  std::vector<Input> again = SampleInputs();
  inputs.insert(inputs.end(), again.begin(), again.end());  // each session twice
  std::ostringstream out;
  std::unique_ptr<Writer> writer = MakeReportWriter(Format::kJson, out);
  RunOptions options;
  options.jobs = jobs;
  options.deterministic = true;
  RunSummary summary = Run(rules, inputs, options, *writer);
  CHECK(summary.exit_code == 1);
  CHECK(summary.totals.sessions == 6);
  return out.str();
}

}  // namespace

TEST_CASE("threads sharing one RuleSet agree with one thread") {
  RuleSet rules = CompileQuickstart();
  std::vector<Input> inputs = SampleInputs();
  LoadResult loaded = rules.Load(inputs);
  REQUIRE(loaded.sessions.size() == 3);

  std::vector<std::string> expected;
  for (const Session& session : loaded.sessions) expected.push_back(Canonical(rules, rules.Evaluate(session)));
  CHECK(expected[0].find("sdk-collect-before-consent violated") != std::string::npos);
  CHECK(expected[1].find("collect-frequency-excessive violated") != std::string::npos);

  constexpr int kThreads = 8;
  constexpr int kRounds = 25;
  std::vector<std::vector<std::string>> mismatches(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = 0; i < loaded.sessions.size(); ++i) {
          size_t s = (i + static_cast<size_t>(t)) % loaded.sessions.size();  // overlap differently per thread
          std::string result = Canonical(rules, rules.Evaluate(loaded.sessions[s]));
          if (result != expected[s]) mismatches[t].push_back(result);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t].empty());
}

TEST_CASE("a copy of a RuleSet shares it and outlives the original") {
  std::optional<RuleSet> copy;
  LoadResult loaded;
  {
    RuleSet rules = CompileQuickstart();
    copy = rules;
    loaded = rules.Load(SampleInputs());
  }
  REQUIRE(loaded.sessions.size() == 3);
  Evaluation evaluation = copy->Evaluate(loaded.sessions[1]);
  CHECK(evaluation.result.summary.id == "meiri-281-20250613-1402");
  CHECK(evaluation.result.findings.size() == 2);
}

TEST_CASE("a run on four threads writes the report of a run on one") {
  RuleSet rules = CompileQuickstart();
  std::string one = JsonReport(rules, 1);
  CHECK(one.find("\"type\":\"summary\"") != std::string::npos);
  for (int attempt = 0; attempt < 5; ++attempt) CHECK(JsonReport(rules, 4) == one);
}
