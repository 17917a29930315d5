// The front cache of memo functions by value (interp/machine.h: a direct-mapped table by the key's
// bits before the hash map), in both engines, on tests/plan/memo_value: more distinct durations
// and ints than the front has slots, so keys share slots and replace one another, each time with
// a different cached value; the memo rules must agree with their inlined twins, every call must be
// counted once, as a hit or a miss, and each distinct value computed once.
#include <doctest/doctest.h>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_memo_fixture.h"

using namespace edict;

namespace {

constexpr int kTimes = 100;     // distinct result times (the front holds 64 keys)
constexpr int kRequests = 300;  // each at one of those times, visited out of order

// Results at t = 0..kTimes-1, a second one at every third time (so the denials at a time differ
// from one key to the next), then the requests at t = (7 j) % kTimes.
std::string Facts() {
  std::string text = testing::HeaderLine("front");
  int seq = 0;
  for (int t = 0; t < kTimes; ++t) {
    text += testing::ResultLine(++seq, t, "android.permission.CAMERA", "denied");
    if (t % 3 == 0) text += testing::ResultLine(++seq, t, "android.permission.RECORD_AUDIO", "denied");
  }
  for (int j = 0; j < kRequests; ++j) {
    text += testing::RequestLine(++seq, (7 * j) % kTimes, R"(["android.permission.CAMERA"])");
  }
  return text;
}

}  // namespace

TEST_CASE("a memo function by value answers from its front as from its map, each call a hit or a miss") {
  auto fixture = testing::LoadMemoFixture("tests/plan/memo_value", Facts());
  const plan::Plan& plan = fixture->plan();
  REQUIRE(fixture->loaded.sessions.size() == 1);
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture->native->code);
  interp::SessionEvaluation interpreted = interpreter.Evaluate(fixture->loaded.sessions[0]);
  interp::SessionEvaluation native = jit.Evaluate(fixture->loaded.sessions[0]);
  CHECK(testing::Describe(plan, native) == testing::Describe(plan, interpreted));
  CHECK(native.stats.fallbacks == 0);
  for (const interp::SessionEvaluation* session : {&interpreted, &native}) {
    std::vector<std::string> memo, inlined;
    for (const findings::Finding* finding : testing::FindingsOf(plan, *session, "memo-latest-denials")) {
      memo.push_back(finding->message);
    }
    for (const findings::Finding* finding : testing::FindingsOf(plan, *session, "inline-latest-denials")) {
      inlined.push_back(finding->message);
    }
    CHECK(memo.size() == kRequests);
    CHECK(memo == inlined);
    // Every request matches: denials_at in its filter and the four report calls of both rules'
    // reports (the inlined twin calls requests_beyond and requests_before too).
    CHECK(session->stats.memo_hits + session->stats.memo_misses == kRequests * 7);
    // denials_at and requests_after of each time, denials_if of false (t = 0) and true, and the
    // two session values.
    CHECK(session->stats.memo_misses == 2 * kTimes + 2 + 2);
  }
}
