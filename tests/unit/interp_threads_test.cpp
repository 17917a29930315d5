// One Plan shared by several threads, each with its own Evaluator, gives exactly the results of a
// single thread: the plan is immutable and every evaluation state is per evaluator.
#include <doctest/doctest.h>

#include <thread>

#include "runtime/findings/order.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

// Everything a session's result says, in a canonical order.
std::string Canonical(const plan::Plan& plan, const interp::SessionEvaluation& session) {
  std::string out = session.result.summary.id + "\n";
  for (size_t i = 0; i < session.result.summary.outcomes.size(); ++i) {
    const auto& outcome = session.result.summary.outcomes[i];
    out += plan.rules[i].id + " " + std::string(findings::Name(outcome.outcome)) + " " + outcome.reason + "\n";
  }
  for (const auto& error : session.result.summary.rule_errors) out += "error " + error.rule + " " + error.message + "\n";
  for (const findings::Finding& finding : findings::InReportOrder(session.result.findings)) {
    out += plan.rules[finding.rule].id + " " + finding.message + " " + finding.subject.sdk + " " +
           std::to_string(finding.window.count);
    for (const auto& type : finding.data_types) out += " " + type;
    for (const auto& evidence : finding.evidence) {
      out += " " + std::to_string(evidence.line) + ":" + std::string(findings::Name(evidence.role));
    }
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("threads sharing one plan agree with one thread") {
  auto compiled = testing::CompilePacks({"tests/plan/features"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::string text = testing::ReadFile("tests/plan/facts/sessions.jsonl");
  text += testing::ReadFile("examples/facts/jiayou-mall-6.3.0.jsonl");
  text += testing::ReadFile("examples/facts/meiri-news-2.8.1.jsonl");
  facts::InputSource source = facts::InputSource::Text("all.jsonl", text);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 6);

  std::vector<std::string> expected;
  {
    interp::Evaluator evaluator(plan);
    for (const facts::Session& session : loaded.sessions) expected.push_back(Canonical(plan, evaluator.Evaluate(session)));
  }
  constexpr int kThreads = 4;
  constexpr int kRounds = 30;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator evaluator(plan);
      for (int round = 0; round < kRounds; ++round) {
        // Each thread walks the sessions from a different start, so they overlap in time.
        for (size_t i = 0; i < loaded.sessions.size(); ++i) {
          size_t s = (i + static_cast<size_t>(t)) % loaded.sessions.size();
          std::string result = Canonical(plan, evaluator.Evaluate(loaded.sessions[s]));
          if (result != expected[s]) results[t].push_back(result);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(results[t].empty());
  CHECK(expected[0].find("many-denials violated") != std::string::npos);
}
