// The example pack end to end: examples/quickstart over the three recorded sessions.
#include <doctest/doctest.h>

#include <algorithm>
#include <iostream>

#include "compiler/plan/print.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::FindingsOf;
using testing::OutcomeOf;
using findings::Outcome;

TEST_CASE("quickstart: jiayou-mall 6.3.0") {
  auto compiled = testing::CompilePacks({"examples/quickstart"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::cout << plan::PrintPlan(plan);
  std::string text = testing::ReadFile("examples/facts/jiayou-mall-6.3.0.jsonl");
  testing::Run run = testing::Evaluate(plan, "jiayou-mall-6.3.0.jsonl", text);
  REQUIRE(run.sessions.size() == 1);
  const auto& session = run.sessions[0];
  for (size_t i = 0; i < plan.rules.size(); ++i) {
    std::cout << plan.rules[i].id << ": " << findings::Name(session.result.summary.outcomes[i].outcome) << " "
              << session.result.summary.outcomes[i].reason << "\n";
  }
  for (const auto& e : session.result.summary.rule_errors) std::cout << "error " << e.rule << ": " << e.message << "\n";
  for (const auto& f : session.result.findings) {
    std::cout << plan.rules[f.rule].id << " " << f.message << " seqs";
    for (auto s : testing::Seqs(f)) std::cout << " " << s;
    std::cout << "\n";
  }
  auto sdk = FindingsOf(plan, session, "sdk-collect-before-consent");
  REQUIRE(sdk.size() == 1);
  CHECK(sdk[0]->subject.sdk == "umeng");
  CHECK(sdk[0]->data_types == std::vector<std::string>{"id.imei"});
  CHECK(testing::Seqs(*sdk[0]) == std::vector<int64_t>{4, 9});
  auto rerequest = FindingsOf(plan, session, "rerequest-after-denial");
  REQUIRE(rerequest.size() == 1);
  CHECK(testing::Seqs(*rerequest[0]) == std::vector<int64_t>{18, 19, 21});
  CHECK(rerequest[0]->permissions == std::vector<std::string>{"android.permission-group.LOCATION"});
}
