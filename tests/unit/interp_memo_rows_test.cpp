// Memo tables across sessions (tests/plan/memo): an evaluator keeps a by-row function's table for
// the next session (Machine::MemoRows), so sessions of different sizes one after the other (larger,
// smaller, empty, larger again) must each see an empty cache and give what the session evaluated
// alone gives: the same findings, errors and memo counters. A table far larger than a session
// needs is released when the session begins, so a pooled evaluator does not keep the memory of
// the largest session it ever saw.
#include <doctest/doctest.h>

#include "runtime/facts/loader.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::HeaderLine;
using testing::RequestLine;
using testing::ResultLine;

namespace {

// `requests` requests, one in three without the camera (first_asked errs for those), after a
// camera denial and a microphone denial.
std::string Session(const std::string& id, int requests) {
  std::string text = HeaderLine(id) + ResultLine(1, 0, "android.permission.CAMERA", "denied") +
                     ResultLine(2, 1, "android.permission.RECORD_AUDIO", "denied");
  for (int i = 0; i < requests; ++i) {
    std::string perms = i % 3 == 0 ? R"(["android.permission.RECORD_AUDIO"])"
                                   : R"(["android.permission.RECORD_AUDIO","android.permission.CAMERA"])";
    text += RequestLine(3 + i, 2 + i, perms);
  }
  return text;
}

// Every rule's findings (their seqs) and errors, and the memo counters.
std::string Outcome(const plan::Plan& plan, const interp::SessionEvaluation& session) {
  std::string out;
  for (const plan::RulePlan& rule : plan.rules) {
    out += rule.id + ":";
    for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule.id)) {
      out += " [" + finding->message;
      for (int64_t seq : testing::Seqs(*finding)) out += " " + std::to_string(seq);
      out += "]";
    }
    out += "\n";
  }
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    // Without the line of the input file, which differs between the files.
    out += "error " + error.rule + " " + error.message.substr(0, error.message.find(", line ")) + "\n";
  }
  return out + "memo " + std::to_string(session.stats.memo_hits) + "/" + std::to_string(session.stats.memo_misses);
}

}  // namespace

TEST_CASE("sessions of different sizes evaluated one after the other each start with an empty memo table") {
  auto compiled = testing::CompilePacks({"tests/plan/memo"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::vector<std::string> sessions = {Session("large", 3000), Session("small", 7), HeaderLine("empty"),
                                       Session("none", 0), Session("larger", 4500), Session("medium", 200)};
  std::string all;
  for (const std::string& session : sessions) all += session;
  testing::Run together = testing::Evaluate(plan, "sessions.jsonl", all);
  REQUIRE(together.sessions.size() == sessions.size());
  for (size_t i = 0; i < sessions.size(); ++i) {
    CAPTURE(i);
    testing::Run alone = testing::Evaluate(plan, "alone.jsonl", sessions[i]);
    REQUIRE(alone.sessions.size() == 1);
    CHECK(Outcome(plan, together.sessions[i]) == Outcome(plan, alone.sessions[0]));
  }
  CHECK(together.sessions[0].stats.memo_misses > 3000);
  CHECK(together.sessions[2].stats.memo_misses == 0);
}

TEST_CASE("one evaluator gives back a large session's memo tables when smaller sessions follow") {
  auto compiled = testing::CompilePacks({"tests/plan/memo"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::vector<std::string> sessions = {Session("large", 40000), Session("small", 7), Session("medium", 9000),
                                       Session("smaller", 3000), HeaderLine("empty")};
  std::string all;
  for (const std::string& session : sessions) all += session;
  facts::InputSource source = facts::InputSource::Text("sessions.jsonl", all);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == sessions.size());
  interp::Evaluator evaluator(plan);
  std::vector<size_t> kept;
  for (size_t i = 0; i < sessions.size(); ++i) {
    CAPTURE(i);
    interp::SessionEvaluation together = evaluator.Evaluate(loaded.sessions[i]);
    kept.push_back(evaluator.kept_memo_bytes());
    testing::Run alone = testing::Evaluate(plan, "alone.jsonl", sessions[i]);
    REQUIRE(alone.sessions.size() == 1);
    CHECK(Outcome(plan, together) == Outcome(plan, alone.sessions[0]));
  }
  // 40000 requests' rows at 16 bytes and more; a small session's tables are a few pages.
  CHECK(kept[0] > 40000 * sizeof(value::Value));
  CHECK(kept[1] < kept[0] / 4);
  // A medium session grows the tables again; a session needing a third of them keeps them, an
  // empty one does not.
  CHECK(kept[2] > 9000 * sizeof(value::Value));
  CHECK(kept[3] == kept[2]);
  CHECK(kept[4] == 0);
}
