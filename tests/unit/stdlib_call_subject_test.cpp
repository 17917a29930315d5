// The library's call_subject, which looks at a call's stack only when the producer named no SDK and
// at `caller.cls` only when the stack has no code, against the definition it replaced
// (tests/plan/call-subject), over generated sessions: stacks with and without framework frames,
// empty class names, no stack, no caller, `caller.sdk` empty or named, every party, and `sdk`
// records whose root packages the SDK table does not cover. Also in native code.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;

namespace {

std::string Session(uint32_t seed) {
  std::string text = testing::HeaderLine();
  const char* classes[] = {"android.app.Activity", "java.lang.Thread", "kotlin.Lazy", "com.android.internal.Os",
                           "com.example.Main", "com.example.ui.Home", "com.umeng.Config", "cn.jpush.Push",
                           "org.other.Lib", "org.first.Module", ""};
  const char* parties[] = {"first", "third", "unknown", "system"};
  const char* named[] = {"", "umeng", "someone"};
  std::mt19937 random(seed);
  text += R"({"type":"sdk","seq":1,"id":"other","name":"Other","categories":[],"root_pkg":"org.other","party":"third",)"
          R"("detect":{"method":"package"}})"
          "\n";
  text += R"({"type":"sdk","seq":2,"id":"module","name":"Module","categories":[],"root_pkg":"org.first.","party":"first",)"
          R"("detect":{"method":"package"}})"
          "\n";
  for (int seq = 3; seq <= 300; ++seq) {
    std::string call = R"({"type":"api_call","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(seq) +
                       R"(,"api":{"class":"android.telephony.TelephonyManager","method":"getImei"},"data_types":["id.imei"])";
    if (random() % 5 != 0) {
      call += R"(,"stack":[)";
      for (uint32_t frame = 0, frames = random() % 5; frame < frames; ++frame) {
        // Framework frames first half the time, as a hooked API's own frames would be.
        const char* cls = frame < 2 && random() % 2 == 0 ? classes[random() % 4] : classes[random() % 11];
        call += std::string(frame > 0 ? "," : "") + R"({"cls":")" + cls + R"(","mth":"m"})";
      }
      call += "]";
    }
    if (random() % 6 != 0) {
      call += R"(,"caller":{"party":")" + std::string(parties[random() % 4]) + "\"";
      if (random() % 2 == 0) call += R"(,"sdk":")" + std::string(named[random() % 3]) + "\"";
      if (random() % 2 == 0) call += R"(,"cls":")" + std::string(classes[random() % 11]) + "\"";
      call += "}";
    }
    text += call + "}\n";
  }
  return text;
}

// Checks every call's "previous|new" report; returns how many calls each subject kind had.
void CheckBothWays(const plan::Plan& plan, const interp::SessionEvaluation& session, std::map<std::string, int>& kinds) {
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    CHECK_MESSAGE(error.rule != "call-subject-both-ways", error.message);
  }
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, "call-subject-both-ways")) {
    const std::string& message = finding->message;
    size_t bar = message.find('|');
    REQUIRE(bar != std::string::npos);
    CHECK_MESSAGE(message.substr(0, bar) == message.substr(bar + 1), message);
    ++kinds[message.substr(bar + 1)];
  }
}

}  // namespace

TEST_CASE("call_subject is the previous definition's") {
  auto compiled = testing::CompilePacks({"tests/plan/call-subject"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::map<std::string, int> kinds;
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    testing::Run run = testing::Evaluate(*compiled->plan, "call-subject.jsonl", Session(seed));
    REQUIRE(run.sessions.size() == 1);
    CheckBothWays(*compiled->plan, run.sessions[0], kinds);
  }
  // Every kind of subject occurred: named, from the table, from an `sdk` record, unnamed, the app.
  CHECK(kinds[R"({"party": "third", "sdk": "umeng"})"] > 100);
  CHECK(kinds[R"({"party": "third", "sdk": "someone"})"] > 100);
  CHECK(kinds[R"({"party": "third", "sdk": "jpush"})"] > 50);
  CHECK(kinds[R"({"party": "third", "sdk": "other"})"] > 50);
  CHECK(kinds[R"({"party": "third"})"] > 50);
  CHECK(kinds[R"({"party": "first"})"] > 500);
}

TEST_CASE("call_subject is the previous definition's in native code") {
  auto compiled = testing::CompilePacks({"tests/plan/call-subject"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  auto native = testing::NativeCode::ForPlan(plan);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  std::map<std::string, int> kinds;
  for (uint32_t seed = 21; seed <= 25; ++seed) {
    std::string text = Session(seed);
    facts::InputSource source = facts::InputSource::Text("call-subject.jsonl", text);
    facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
    REQUIRE(loaded.sessions.size() == 1);
    interp::Evaluator jit(plan, &native->code);
    interp::SessionEvaluation session = jit.Evaluate(loaded.sessions[0]);
    CHECK(session.stats.fallbacks == 0);
    CheckBothWays(plan, session, kinds);
  }
  CHECK(kinds[R"({"party": "first"})"] > 100);
}
