// A grouped rule's members (tests/plan/group_keys), kept for all groups in match order and swept
// per group in trigger (t, seq) order: groups interleaved, members out of time order, sessions of
// different sizes evaluated one after the other, and the empty session.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "tests/plan/harness.h"

using namespace edict;

namespace {

struct Launch {
  std::string component;
  int64_t t = 0;
};

std::string Session(const std::string& id, const std::vector<Launch>& launches) {
  std::string text =
      R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":")" + id +
      R"(","started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
      R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n";
  int64_t seq = 0;
  for (const Launch& launch : launches) {
    ++seq;
    text += R"({"type":"launch","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(launch.t) +
            R"(,"kind":"service","component":")" + launch.component +
            R"(","target_pkg":"com.example","by":"self","trigger":"boot"})" "\n";
  }
  return text;
}

// Per finding of by-list: its component, the members' count and the evidence's seqs in order.
std::map<std::string, std::tuple<int64_t, std::vector<int64_t>>> Groups(const plan::Plan& plan,
                                                                        const interp::SessionEvaluation& session) {
  std::map<std::string, std::tuple<int64_t, std::vector<int64_t>>> out;
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, "by-list")) {
    std::vector<int64_t> seqs;
    for (const findings::Evidence& evidence : finding->evidence) seqs.push_back(evidence.seq);
    out[finding->subject.sdk] = {finding->window.count, seqs};
  }
  return out;
}

}  // namespace

TEST_CASE("interleaved groups out of time order, then a smaller session, then an empty one") {
  auto compiled = testing::CompilePacks({"tests/plan/group_keys"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::vector<Launch> first = {{"A", 50}, {"B", 40}, {"A", 10}, {"B", 30}, {"A", 30}, {"C", 5}, {"B", 30}};
  std::vector<Launch> many;
  for (int i = 0; i < 3000; ++i) many.push_back({"M" + std::to_string(i % 3), 10'000 - i});
  std::vector<Launch> second = {{"B", 7}, {"B", 3}};
  testing::Run run = testing::Evaluate(plan, "members.jsonl",
                                       Session("s1", first) + Session("s2", many) + Session("s3", second) +
                                           Session("s4", {}));
  REQUIRE(run.sessions.size() == 4);

  auto groups = Groups(plan, run.sessions[0]);
  CHECK(groups.size() == 2);  // C started once
  // Evidence in (t, seq) order: equal times keep seq order.
  CHECK(groups["A"] == std::tuple<int64_t, std::vector<int64_t>>{3, {3, 5, 1}});
  CHECK(groups["B"] == std::tuple<int64_t, std::vector<int64_t>>{3, {4, 7, 2}});

  auto large = Groups(plan, run.sessions[1]);
  REQUIRE(large.size() == 3);
  // M0 is launched at seqs 1, 4, ..., 2998, each earlier than the one before.
  CHECK(std::get<0>(large["M0"]) == 1000);
  REQUIRE(std::get<1>(large["M0"]).size() == 1000);
  CHECK(std::get<1>(large["M0"]).front() == 2998);
  CHECK(std::get<1>(large["M0"]).back() == 1);

  auto later = Groups(plan, run.sessions[2]);
  CHECK(later.size() == 1);
  CHECK(later["B"] == std::tuple<int64_t, std::vector<int64_t>>{2, {2, 1}});

  CHECK(Groups(plan, run.sessions[3]).empty());
  CHECK(run.sessions[3].result.summary.rule_errors.empty());
}
