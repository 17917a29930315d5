// A string memo function's cache by address (tests/plan/memo_front): many distinct strings (more
// than the front by address holds, so entries collide and are replaced), strings built per call
// (a freed string's address is reused by the next), an argument that errs, and a second session
// whose strings may sit where the first's did: the memo rules agree with their inlined twins and
// each distinct string is computed once per session. Native code: jit_match_keys_test.cpp.
#include <doctest/doctest.h>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"
#include "tests/unit/memo_front_facts.h"

using namespace edict;

namespace {

std::string Seqs(const plan::Plan& plan, const interp::SessionEvaluation& session, const std::string& rule) {
  std::string out;
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule)) {
    for (int64_t seq : testing::Seqs(*finding)) out += std::to_string(seq) + " ";
  }
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    if (error.rule == rule) out += "error";
  }
  return out;
}

}  // namespace

TEST_CASE("a string memo function over many distinct and built strings agrees with its inlined twin") {
  auto compiled = testing::CompilePacks({"tests/plan/memo_front"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  REQUIRE(plan.memo_functions.size() == 1);
  testing::Run run = testing::Evaluate(plan, "front.jsonl", testing::MemoFrontSession("s1", 1) + testing::MemoFrontSession("s2", 2));
  REQUIRE(run.sessions.size() == 2);
  for (const interp::SessionEvaluation& session : run.sessions) {
    for (std::string rule : {"interned", "built", "second"}) {
      CAPTURE(rule);
      std::string memo = Seqs(plan, session, "memo-" + rule);
      CHECK(!memo.empty());
      CHECK(memo == Seqs(plan, session, "inline-" + rule));
    }
    // Each of the 2 x 600 distinct strings at most once, and every erring argument (the requests
    // with one permission, a third of them) each time.
    CHECK(session.stats.memo_misses <= 1200 + 400);
    CHECK(session.stats.memo_hits > 0);
  }
  CHECK(Seqs(plan, run.sessions[0], "memo-interned") != Seqs(plan, run.sessions[1], "memo-interned"));
}
