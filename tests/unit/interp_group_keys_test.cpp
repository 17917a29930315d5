// Group keys (tests/plan/group_keys): matches join the group of an equal key whatever the key's
// storage: lists built per match, shared maps of strings, many distinct keys (more than the
// grouping's cache of key hashes by storage holds), a NaN that equals nothing although its
// storage is the same, and a key that errs; session after session. Native code:
// jit_match_keys_test.cpp.
#include <doctest/doctest.h>

#include <map>
#include <tuple>
#include <vector>

#include "tests/plan/harness.h"

using namespace edict;

namespace {

const char* const kTriggers[] = {"boot", "push", "alarm", "broadcast", "user", "unknown"};

std::string Launches(const std::string& session, const std::vector<std::pair<std::string, std::string>>& launches) {
  std::string text =
      R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":")" + session +
      R"(","started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
      R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n";
  int64_t seq = 0;
  for (const auto& [component, trigger] : launches) {
    ++seq;
    text += R"({"type":"launch","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(seq * 10) +
            R"(,"kind":"service","component":")" + component + R"(","target_pkg":"com.example","by":"self","trigger":")" +
            trigger + R"("})" "\n";
  }
  return text;
}

// Per finding of `rule`: its subject's sdk (the component), window count and evidence seqs.
std::map<std::string, std::pair<int64_t, std::vector<int64_t>>> Groups(const plan::Plan& plan,
                                                                       const interp::SessionEvaluation& session,
                                                                       const std::string& rule) {
  std::map<std::string, std::pair<int64_t, std::vector<int64_t>>> out;
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule)) {
    out[finding->subject.sdk] = {finding->window.count, testing::Seqs(*finding)};
  }
  return out;
}

// "BB" started twice by boot and once by push, "CCC" once each, then components K0..K599 twice
// each by one trigger; seqs count from 1.
std::vector<std::pair<std::string, std::string>> FirstLaunches() {
  std::vector<std::pair<std::string, std::string>> launches = {
      {"BB", "boot"}, {"CCC", "boot"}, {"BB", "push"}, {"BB", "boot"}, {"CCC", "push"}};
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 600; ++i) launches.emplace_back("K" + std::to_string(i), kTriggers[i % 6]);
  }
  return launches;
}

}  // namespace

TEST_CASE("equal keys share a group whatever their storage; many distinct keys each their own") {
  auto compiled = testing::CompilePacks({"tests/plan/group_keys"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  // The second session swaps the triggers: its groups are its own, not the first's.
  std::vector<std::pair<std::string, std::string>> second = {{"BB", "push"}, {"BB", "boot"}, {"BB", "push"}};
  testing::Run run = testing::Evaluate(plan, "keys.jsonl", Launches("s1", FirstLaunches()) + Launches("s2", second));
  REQUIRE(run.sessions.size() == 2);
  for (std::string rule : {"by-list", "by-map"}) {
    CAPTURE(rule);
    auto groups = Groups(plan, run.sessions[0], rule);
    CHECK(groups.size() == 601);
    CHECK(groups["BB"] == std::pair<int64_t, std::vector<int64_t>>{2, {1, 4}});
    CHECK(groups.count("CCC") == 0);
    CHECK(groups["K0"] == std::pair<int64_t, std::vector<int64_t>>{2, {6, 606}});
    CHECK(groups["K599"] == std::pair<int64_t, std::vector<int64_t>>{2, {605, 1205}});
    auto later = Groups(plan, run.sessions[1], rule);
    CHECK(later.size() == 1);
    CHECK(later["BB"] == std::pair<int64_t, std::vector<int64_t>>{2, {1, 3}});
  }
}

TEST_CASE("a key holding a NaN is its own group at every match, though its storage is the same") {
  auto compiled = testing::CompilePacks({"tests/plan/group_keys"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  testing::Run run = testing::Evaluate(*compiled->plan, "nan.jsonl", Launches("s1", FirstLaunches()));
  REQUIRE(run.sessions.size() == 1);
  auto groups = Groups(*compiled->plan, run.sessions[0], "by-nan");
  CHECK(groups.size() == 602);
  // One finding per component merges its one-member groups: the largest count is 1.
  CHECK(groups["BB"] == std::pair<int64_t, std::vector<int64_t>>{1, {1, 3, 4}});
  CHECK(groups["K7"] == std::pair<int64_t, std::vector<int64_t>>{1, {13, 613}});
}

TEST_CASE("a group key that errs is the rule's error; the other matches still group") {
  auto compiled = testing::CompilePacks({"tests/plan/group_keys"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  testing::Run run = testing::Evaluate(*compiled->plan, "error.jsonl", Launches("s1", {{"BB", "boot"}, {"A", "boot"}}));
  REQUIRE(run.sessions.size() == 1);
  const interp::SessionEvaluation& session = run.sessions[0];
  CHECK(testing::FindingsOf(*compiled->plan, session, "by-error").size() == 1);
  bool erred = false;
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    erred = erred || (error.rule == "by-error" && error.message.find("division by zero") != std::string::npos);
  }
  CHECK(erred);
}

TEST_CASE("keys read from a column, a memo function and a scanned element group as evaluated keys do") {
  auto compiled = testing::CompilePacks({"tests/plan/group_keys"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::vector<std::pair<std::string, std::string>> second = {{"BB", "push"}, {"BB", "boot"}, {"BB", "push"}};
  testing::Run run = testing::Evaluate(plan, "read.jsonl", Launches("s1", FirstLaunches()) + Launches("s2", second));
  REQUIRE(run.sessions.size() == 2);
  auto describe = [&](const interp::SessionEvaluation& session, const std::string& rule) {
    std::vector<std::tuple<std::string, std::string, int64_t, std::vector<int64_t>>> out;
    for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule)) {
      out.emplace_back(finding->subject.sdk, finding->message, finding->window.count, testing::Seqs(*finding));
    }
    return out;
  };
  for (const interp::SessionEvaluation& session : run.sessions) {
    CHECK(session.result.summary.rule_errors.empty());
    auto read = describe(session, "by-read-keys");
    REQUIRE(read.size() == 1);
    CHECK(std::get<0>(read[0]) == "BB");
    CHECK(std::get<2>(read[0]) == 2);
    CHECK(read == describe(session, "by-evaluated-keys"));
  }
}
