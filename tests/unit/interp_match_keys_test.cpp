// Matches named by the storage of their key values (tests/match_keys): maps of equal entries built
// at every match name one finding or group, keys that differ name their own, a key not equal to
// itself is a group of its own at every match, an entry that errs on a match that merges is a rule
// error, and a budget spent mid-match ends the run as it did before keys were remembered.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/plan/harness.h"

using namespace edict;

namespace {

const char kPack[] = "tests/match_keys";
const char kFacts[] = "tests/match_keys/sessions.jsonl";

testing::PackRun Load() {
  testing::PackRun fixture = testing::RunPack(kPack, kFacts);
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  REQUIRE(fixture.run.sessions.size() == 1);
  return fixture;
}

// Each finding as "sdk|data types|message|seqs|window count", sorted.
std::vector<std::string> Described(const std::vector<const findings::Finding*>& found) {
  std::vector<std::string> described;
  for (const findings::Finding* finding : found) {
    std::string text = finding->subject.sdk;
    for (const std::string& type : finding->data_types) text += "|" + type;
    text += "|" + finding->message + "|";
    for (const findings::Evidence& evidence : finding->evidence) text += std::to_string(evidence.seq) + " ";
    text += "|" + std::to_string(finding->window.count);
    described.push_back(text);
  }
  std::sort(described.begin(), described.end());
  return described;
}

// What a session's evaluation observably gave: every rule's findings, outcome and error.
std::string Observed(const plan::Plan& plan, const interp::SessionEvaluation& session) {
  std::string text;
  for (const plan::RulePlan& rule : plan.rules) {
    text += rule.id + ":";
    for (const std::string& finding : Described(testing::FindingsOf(plan, session, rule.id))) text += " [" + finding + "]";
    text += " outcome " + std::to_string(static_cast<int>(testing::OutcomeOf(plan, session, rule.id))) + "\n";
  }
  for (const findings::RuleError& error : session.result.summary.rule_errors) text += error.rule + ": " + error.message + "\n";
  return text;
}

}  // namespace

TEST_CASE("maps of equal entries built at every match name one finding") {
  testing::PackRun f = Load();
  CHECK(Described(f.found(0, "maps-by-row")) ==
        std::vector<std::string>{"imei|id.imei|imei id.imei at 7|7 2 4 6 |4", "loc|id.imei|loc id.imei at 3|3 5 |2",
                                 "loc|loc.precise|loc loc.precise at 3|3 5 |2"});
  for (const findings::Finding* finding : f.found(0, "maps-by-row")) CHECK(finding->subject.party == findings::Party::kThird);
}

TEST_CASE("maps of equal entries built at every match name one group") {
  testing::PackRun f = Load();
  CHECK(Described(f.found(0, "groups-by-row")) ==
        std::vector<std::string>{"imei|id.imei|4 of id.imei|7 2 4 6 |4", "loc|id.imei|2 of id.imei|3 5 |2",
                                 "loc|loc.precise|2 of loc.precise|3 5 |2"});
}

TEST_CASE("a key not equal to itself is a group of its own at every match") {
  testing::PackRun f = Load();
  // The groups' findings merge by their dedup key: one finding, every member's record, and the
  // count of the largest group, which is one.
  CHECK(Described(f.found(0, "nan-groups")) == std::vector<std::string>{"|id.imei|NaN groups|7 3 4 5 6 |1"});
}

TEST_CASE("an entry that errs on a match that merges is a rule error") {
  testing::PackRun f = Load();
  CHECK(Described(f.found(0, "errs-on-merge")) ==
        std::vector<std::string>{"|id.imei|errs on a merging match|7 2 3 4 5 6 |6"});
  const std::vector<findings::RuleError>& errors = f.session(0).result.summary.rule_errors;
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rule == "errs-on-merge");
  CHECK(errors[0].message == "evidence: no record of the session has seq 99");
}

TEST_CASE("a budget spent mid-match ends the run at the same match") {
  auto compiled = testing::CompilePacks({kPack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::string facts = testing::ReadFile(kFacts);
  // Every budget up to the run's whole cost: each stops at another point of the matches.
  std::string observed;
  for (uint64_t budget = 0; budget <= 48; ++budget) {
    testing::Run run = testing::Evaluate(*compiled->plan, "sessions.jsonl", facts, {budget, 0});
    REQUIRE(run.sessions.size() == 1);
    observed += "budget " + std::to_string(budget) + "\n" + Observed(*compiled->plan, run.sessions[0]);
  }
  CHECK(observed == testing::ReadFile("tests/match_keys/budgets.txt"));
}
