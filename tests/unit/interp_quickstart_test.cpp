// The example pack end to end: examples/quickstart over the three recorded sessions of
// examples/facts, with its session lets, inlined functions, parameters and profiles.
#include <doctest/doctest.h>

#include "compiler/plan/print.h"
#include "tests/plan/harness.h"

using namespace edict;
using findings::Outcome;
using testing::FindingsOf;
using testing::OutcomeOf;

namespace {

interp::SessionEvaluation RunOn(const plan::Plan& plan, const std::string& file) {
  std::string text = testing::ReadFile("examples/facts/" + file);
  testing::Run run = testing::Evaluate(plan, file, text);
  REQUIRE(run.sessions.size() == 1);
  return run.sessions[0];
}

}  // namespace

TEST_CASE("jiayou-mall 6.3.0: an SDK reads the IMEI before consent; a denied location is asked again") {
  auto compiled = testing::CompilePacks({"examples/quickstart"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  interp::SessionEvaluation session = RunOn(plan, "jiayou-mall-6.3.0.jsonl");

  auto sdk = FindingsOf(plan, session, "sdk-collect-before-consent");
  REQUIRE(sdk.size() == 1);
  CHECK(sdk[0]->subject.party == findings::Party::kThird);
  CHECK(sdk[0]->subject.sdk == "umeng");
  CHECK(sdk[0]->data_types == std::vector<std::string>{"id.imei"});
  CHECK(testing::Seqs(*sdk[0]) == std::vector<int64_t>{4, 9});  // the MAC read (seq 5) got a placeholder
  CHECK(sdk[0]->app.id == "com.jiayou.mall");
  CHECK(sdk[0]->app.version_code == 630);
  CHECK(sdk[0]->evidence[0].file == "jiayou-mall-6.3.0.jsonl");
  CHECK(sdk[0]->evidence[0].line == 5);

  auto rerequest = FindingsOf(plan, session, "rerequest-after-denial");
  REQUIRE(rerequest.size() == 1);
  CHECK(testing::Seqs(*rerequest[0]) == std::vector<int64_t>{18, 19, 21});
  CHECK(rerequest[0]->permissions == std::vector<std::string>{"android.permission-group.LOCATION"});
  CHECK(rerequest[0]->message == "用户于 10.25s 拒绝 android.permission-group.LOCATION 后，APP 在 54.63s 内再次申请");
  CHECK(rerequest[0]->params.size() == 1);
  CHECK(std::get<std::string>(rerequest[0]->params[0].second) == "172800s");

  CHECK(OutcomeOf(plan, session, "exit-on-permission-denial") == Outcome::kPassed);
  // The ICCID hook failed (coverage.failed) and was its only monitored API: rules over api_call
  // that would pass cannot be decided (rule-catalog S1).
  CHECK(OutcomeOf(plan, session, "collect-before-consent") == Outcome::kUndetermined);
  CHECK(session.result.summary.outcomes[testing::RuleIndex(plan, "collect-before-consent")].reason ==
        "hooks failed: every monitored API of id.iccid failed");
}

TEST_CASE("meiri-news 2.8.1: clipboard read every 20 s; exit right after a camera denial") {
  auto compiled = testing::CompilePacks({"examples/quickstart"});
  REQUIRE(compiled->plan != nullptr);
  const plan::Plan& plan = *compiled->plan;
  interp::SessionEvaluation session = RunOn(plan, "meiri-news-2.8.1.jsonl");

  auto frequent = FindingsOf(plan, session, "collect-frequency-excessive");
  REQUIRE(frequent.size() == 1);
  CHECK(frequent[0]->data_types == std::vector<std::string>{"clipboard"});
  CHECK(frequent[0]->window.count == 12);
  auto exit = FindingsOf(plan, session, "exit-on-permission-denial");
  REQUIRE(exit.size() == 1);
  CHECK(testing::Seqs(*exit[0]) == std::vector<int64_t>{29, 30});
  CHECK(exit[0]->permissions == std::vector<std::string>{"android.permission-group.CAMERA"});
  CHECK(OutcomeOf(plan, session, "rerequest-after-denial") == Outcome::kPassed);
  CHECK(OutcomeOf(plan, session, "collect-before-consent") == Outcome::kPassed);
  CHECK(OutcomeOf(plan, session, "sdk-collect-before-consent") == Outcome::kPassed);

  // Twelve reads in the window do not exceed a limit of twelve.
  plan::LowerOptions options;
  options.overrides.push_back({"max_reads", "12"});
  auto relaxed = testing::CompilePacks({"examples/quickstart"}, options);
  REQUIRE(relaxed->plan != nullptr);
  CHECK(OutcomeOf(*relaxed->plan, RunOn(*relaxed->plan, "meiri-news-2.8.1.jsonl"), "collect-frequency-excessive") ==
        Outcome::kPassed);
}

TEST_CASE("jiayou-mall 6.4.0: fixed release; the tencent profile's one read per second") {
  auto compiled = testing::CompilePacks({"examples/quickstart"});
  REQUIRE(compiled->plan != nullptr);
  interp::SessionEvaluation session = RunOn(*compiled->plan, "jiayou-mall-6.4.0.jsonl");
  const plan::Plan& plan = *compiled->plan;
  CHECK(OutcomeOf(plan, session, "collect-before-consent") == Outcome::kPassed);
  CHECK(OutcomeOf(plan, session, "sdk-collect-before-consent") == Outcome::kPassed);
  CHECK(OutcomeOf(plan, session, "collect-frequency-excessive") == Outcome::kPassed);
  CHECK(OutcomeOf(plan, session, "rerequest-after-denial") == Outcome::kNotApplicable);
  CHECK(OutcomeOf(plan, session, "exit-on-permission-denial") == Outcome::kNotApplicable);

  plan::LowerOptions options;
  options.profile = "tencent";
  auto tencent = testing::CompilePacks({"examples/quickstart"}, options);
  REQUIRE(tencent->plan != nullptr);
  interp::SessionEvaluation strict = RunOn(*tencent->plan, "jiayou-mall-6.4.0.jsonl");
  auto frequent = FindingsOf(*tencent->plan, strict, "collect-frequency-excessive");
  REQUIRE(frequent.size() == 1);
  CHECK(frequent[0]->subject.sdk == "umeng");
  CHECK(frequent[0]->data_types == std::vector<std::string>{"id.oaid"});
}

TEST_CASE("functions are inlined, lets are session values, parameters are constants") {
  auto compiled = testing::CompilePacks({"examples/quickstart"});
  REQUIRE(compiled->plan != nullptr);
  std::string printed = plan::PrintPlan(*compiled->plan);
  // before_consent(call.t) and attributed(call), inlined: column reads, no call left.
  CHECK(printed.find("filter !consented || (call.t < consent_at)") != std::string::npos);
  CHECK(printed.find("filter !(has(call.caller) && (call.caller.party == \"system\"))") != std::string::npos);
  CHECK(printed.find("before_consent") == std::string::npos);
  // The lets, computed once per session before any rule, in dependency order.
  size_t consented = printed.find("  consented\n");
  size_t consent_at = printed.find("  consent_at\n");
  CHECK(consented != std::string::npos);
  CHECK(consent_at != std::string::npos);
  CHECK(printed.find("t < deny.t + rerequest_window (binary search)") != std::string::npos);
  const plan::Plan& plan = *compiled->plan;
  REQUIRE(plan.params.size() == 4);
  CHECK(plan.params[0].name == "rerequest_window");
  CHECK(plan.params[0].value.duration_nanos() == 48LL * 3600 * 1'000'000'000);
  // Rules over the same kind share one pass.
  CHECK(printed.find("shared pass over api_call: collect-before-consent sdk-collect-before-consent "
                     "collect-frequency-excessive") != std::string::npos);
}
