// The library's consent helpers, rewritten around one memo by decision time, against the
// definition they replaced (tests/plan/consent-state), over generated sessions whose consent
// records share times, include other documents and non-decisions, fall at the calls' own times,
// or are absent (then `ctx.consent` decides, and `unknown` or none is an error).
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

std::string Session(uint32_t seed) {
  std::string text = testing::HeaderLine();
  const char* docs[] = {"privacy_policy", "privacy_policy", "privacy_policy", "sdk_list", "unknown"};
  const char* actions[] = {"shown", "agreed", "rejected", "withdrawn", "closed", "unknown", "agreed"};
  const char* reported[] = {"before", "after", "withdrawn", "unknown"};
  std::mt19937 random(seed);
  bool records = seed % 4 != 0;  // every fourth session has no consent records
  bool known = seed % 8 == 0;     // and every other of those only known `ctx.consent`s
  int64_t t = 0;
  for (int seq = 1; seq <= 200; ++seq) {
    t += random() % 3;  // a third of the records share the previous one's time
    if (records && random() % 3 == 0) {
      text += R"({"type":"consent","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) + R"(,"doc":")" +
              docs[random() % 5] + R"(","action":")" + actions[random() % 7] + R"(","method":"ui_click"})" "\n";
    } else {
      std::string ctx = !known && random() % 5 == 0 ? ""
                        : std::string(R"(,"ctx":{"consent":")") + reported[random() % (known ? 3 : 4)] +
                              R"(","app_state":"foreground"})";
      text += R"({"type":"api_call","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) + ctx +
              R"(,"api":{"class":"android.telephony.TelephonyManager","method":"getImei"},"data_types":["id.imei"]})"
              "\n";
    }
  }
  return text;
}

// A rule's findings (subject and message) and errors, in a form that does not name the rule.
std::string Outcome(const plan::Plan& plan, const interp::SessionEvaluation& session, const std::string& rule) {
  std::string out;
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule)) {
    out += finding->subject.sdk + ": " + finding->message + "\n";
  }
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    if (error.rule == rule) out += "error " + error.message + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the consent state at a call is the previous definition's, errors included") {
  auto compiled = testing::CompilePacks({"tests/plan/consent-state"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::map<std::string, size_t> states;
  size_t errors = 0;
  for (uint32_t seed = 1; seed <= 24; ++seed) {
    CAPTURE(seed);
    testing::Run run = testing::Evaluate(*compiled->plan, "consent-state.jsonl", Session(seed));
    REQUIRE(run.sessions.size() == 1);
    const interp::SessionEvaluation& session = run.sessions[0];
    std::string now = Outcome(*compiled->plan, session, "consent-state-now");
    CHECK(now == Outcome(*compiled->plan, session, "consent-state-previous"));
    for (const findings::Finding* finding : testing::FindingsOf(*compiled->plan, session, "consent-state-now")) {
      ++states[finding->message];
    }
    errors += now.find("<error: no such key") != std::string::npos;  // a report renders its hole's error
  }
  // Every case occurred: the sessions exercise the definitions.
  INFO(states.size());
  CHECK(states["consented|consented"] > 50);
  CHECK(states["refused|refused"] > 50);
  CHECK(states["before|before"] > 50);
  CHECK(states["consented|before"] > 10);  // no records: the producer's view
  CHECK(states["refused|before"] > 10);
  CHECK(errors > 0);
}
