// The library's app state at a call, rewritten around max(l.t ...) by binary search and a state
// per lifecycle time, against the definition it replaced (tests/plan/app-state), over generated
// sessions whose lifecycle records share times, step back, include `unknown` ones and fall at the
// calls' own times.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

std::string Session(uint32_t seed) {
  std::string text = testing::HeaderLine();
  const char* states[] = {"launched", "foreground", "background", "exited", "crashed", "killed", "unknown", "unknown"};
  std::mt19937 random(seed);
  int64_t t = 0;
  for (int seq = 1; seq <= 200; ++seq) {
    // A third of the records share the previous one's time, and a fifth step back (merged
    // producers: appfacts orders by (t, seq)).
    t = random() % 5 == 0 ? std::max<int64_t>(0, t - 1 - random() % 3) : t + random() % 3;
    if (random() % 2 == 0) {
      text += R"({"type":"lifecycle","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
              R"(,"state":")" + states[random() % 8] + "\"}\n";
    } else {
      text += R"({"type":"api_call","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
              R"(,"api":{"class":"android.telephony.TelephonyManager","method":"getImei"},"data_types":["id.imei"]})"
              "\n";
    }
  }
  return text;
}

}  // namespace

TEST_CASE("the app state at a call is the previous definition's, errors included") {
  auto compiled = testing::CompilePacks({"tests/plan/app-state"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  size_t calls = 0, background = 0, not_running = 0, before_first = 0;
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    testing::Run run = testing::Evaluate(*compiled->plan, "app-state.jsonl", Session(seed));
    REQUIRE(run.sessions.size() == 1);
    for (const findings::RuleError& error : run.sessions[0].result.summary.rule_errors) {
      CHECK_MESSAGE(error.rule != "app-state-both-ways", error.message);
    }
    for (const findings::Finding* finding : testing::FindingsOf(*compiled->plan, run.sessions[0], "app-state-both-ways")) {
      ++calls;
      INFO(finding->subject.sdk, ": ", finding->message);
      auto parts = testing::BothWays(finding->message);
      REQUIRE(parts.size() == 2);
      for (const auto& [previous, now] : parts) CHECK(previous == now);
      background += parts[0].first == "background";
      not_running += parts[0].first == "not_running";
      before_first += parts[1].first.find("of no values") != std::string::npos;
    }
  }
  // Every case occurred: the sessions exercise the definitions.
  CHECK(calls > 1000);
  CHECK(background > 50);
  CHECK(not_running > 50);
  CHECK(before_first > 0);
}
