// The library's "privacy policy shown before (t, seq)", rewritten as a comparison with the first
// prompt, against the definition it replaced (tests/plan/prompt-order), over generated sessions
// whose prompts share times with each other and with the calls, whose times step back, and with
// other consent records and documents among them.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

struct Generated {
  std::string text;
  size_t calls_at_first_prompt_time = 0;  // calls that only the seq orders against the first prompt
};

Generated Session(uint32_t seed) {
  Generated out{testing::HeaderLine()};
  const char* docs[] = {"privacy_policy", "privacy_policy", "sdk_list", "other"};
  const char* actions[] = {"shown", "shown", "agreed", "closed", "rejected"};
  std::mt19937 random(seed);
  // A few sessions have no prompt at all; in the others consent records are 5-35 % of the records.
  unsigned consent_permille = seed % 5 == 0 ? 0 : 50 + random() % 300;
  int64_t t = 0, first_prompt_t = -1;
  std::vector<int64_t> call_times;
  for (int seq = 1; seq <= 120; ++seq) {
    // A third of the records share the previous one's time, and a fifth step back (merged
    // producers: appfacts orders by (t, seq)), so a later seq may come earlier.
    t = random() % 5 == 0 ? std::max<int64_t>(0, t - 1 - random() % 3) : t + random() % 3;
    if (random() % 1000 < consent_permille) {
      const char* doc = docs[random() % 4];
      const char* action = actions[random() % 5];
      if (std::string(doc) == "privacy_policy" && std::string(action) == "shown" &&
          (first_prompt_t < 0 || t < first_prompt_t)) {
        first_prompt_t = t;
      }
      out.text += R"({"type":"consent","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
                  R"(,"doc":")" + doc + R"(","action":")" + action + R"(","method":"ui_click"})" + "\n";
    } else {
      call_times.push_back(t);
      out.text += R"({"type":"api_call","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
                  R"(,"api":{"class":"android.telephony.TelephonyManager","method":"getImei"},"data_types":["id.imei"]})"
                  "\n";
    }
  }
  for (int64_t call_t : call_times) out.calls_at_first_prompt_time += call_t == first_prompt_t;
  return out;
}

}  // namespace

TEST_CASE("a prompt before a call is the previous definition's") {
  auto compiled = testing::CompilePacks({"tests/plan/prompt-order"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  size_t calls = 0, shown = 0, not_shown = 0, same_time = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    Generated session = Session(seed);
    same_time += session.calls_at_first_prompt_time;
    testing::Run run = testing::Evaluate(*compiled->plan, "prompt-order.jsonl", session.text);
    REQUIRE(run.sessions.size() == 1);
    for (const findings::RuleError& error : run.sessions[0].result.summary.rule_errors) {
      CHECK_MESSAGE(error.rule != "prompt-before-both-ways", error.message);
    }
    for (const findings::Finding* finding :
         testing::FindingsOf(*compiled->plan, run.sessions[0], "prompt-before-both-ways")) {
      ++calls;
      INFO(finding->subject.sdk, ": ", finding->message);
      auto parts = testing::BothWays(finding->message);
      REQUIRE(parts.size() == 1);
      CHECK(parts[0].first == parts[0].second);
      shown += parts[0].first == "true";
      not_shown += parts[0].first == "false";
    }
  }
  // Every case occurred: the sessions exercise the definitions.
  CHECK(calls > 4000);
  CHECK(shown > 400);
  CHECK(not_shown > 400);
  CHECK(same_time > 20);
}
