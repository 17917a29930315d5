// The cheap paths of merging matches (tests/merge_matches): a record that consecutive matches
// cite is listed once, records already in time order stay so, finding entries read in place (a
// memo function's subject, a list of registers) equal what evaluating them gives, and a key met
// again after others joins its finding. Two sessions in one evaluation reuse the run's buffers.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/plan/harness.h"

using namespace edict;
using findings::EvidenceRole;

namespace {

testing::PackRun Load() {
  testing::PackRun fixture = testing::RunPack("tests/merge_matches", "tests/merge_matches/sessions.jsonl");
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  REQUIRE(fixture.run.sessions.size() == 2);
  for (const interp::SessionEvaluation& session : fixture.run.sessions) {
    REQUIRE(session.result.summary.rule_errors.empty());
    REQUIRE(session.limits.empty());
  }
  return fixture;
}

std::vector<int64_t> SeqsInOrder(const findings::Finding& finding) {
  std::vector<int64_t> seqs;
  for (const findings::Evidence& evidence : finding.evidence) seqs.push_back(evidence.seq);
  return seqs;
}

std::vector<std::string> Names(const std::vector<const findings::Finding*>& found) {
  std::vector<std::string> names;
  for (const findings::Finding* finding : found) {
    std::string name = finding->subject.sdk;
    for (const std::string& type : finding->data_types) name += "|" + type;
    for (const std::string& group : finding->permissions) name += "|" + group;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("a record every match cites is listed once, before calls that came in time order") {
  testing::PackRun f = Load();
  auto found = f.found(0, "cited-every-match");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "call 3");
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{2, 3, 4, 5});
  CHECK(found[0]->evidence[0].role == EvidenceRole::kContext);
  CHECK(found[0]->evidence[0].type == "consent");
  CHECK(found[0]->evidence[1].type == "api_call");
  CHECK(found[0]->window.first_t == 500);
  CHECK(found[0]->window.last_t == 3000);
  CHECK(found[0]->window.count == 3);
}

TEST_CASE("records cited by matches that are not consecutive are listed once, in time order") {
  testing::PackRun f = Load();
  auto found = f.found(0, "alternating-citations");
  REQUIRE(found.size() == 1);
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{2, 3, 6, 4, 5});
  CHECK(found[0]->evidence[2].role == EvidenceRole::kContext);
  CHECK(found[0]->window.count == 3);
}

TEST_CASE("a list of registers and a memo function's subject read in place") {
  testing::PackRun f = Load();
  auto found = f.found(0, "registers-in-place");
  CHECK(Names(found) == std::vector<std::string>{"imei|id.imei|1", "imei|id.imei|2", "loc|id.imei|1", "loc|id.imei|2",
                                                  "loc|loc.precise|1", "loc|loc.precise|2"});
  for (const findings::Finding* finding : found) {
    CHECK(finding->subject.party == findings::Party::kThird);
    if (finding->subject.sdk == "imei") CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{3, 5});
  }
}

TEST_CASE("a list that is not only registers is evaluated, a permission group list beside it") {
  testing::PackRun f = Load();
  auto found = f.found(0, "mixed-list");
  CHECK(Names(found) == std::vector<std::string>{"|id.imei|x|a.First", "|id.imei|x|a.Second", "|id.imei|x|a.Third",
                                                  "|loc.precise|x|a.Second"});
}

TEST_CASE("keys met again after others join their findings") {
  testing::PackRun f = Load();
  auto found = f.found(0, "alternating-keys");
  REQUIRE(found.size() == 20);
  for (const findings::Finding* finding : found) {
    REQUIRE(finding->data_types.size() == 1);
    CHECK(finding->message == finding->data_types[0] + " at 3");
    CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{3, 4, 5});
    CHECK(finding->window.count == 3);
  }
}

TEST_CASE("a second session of the same evaluation merges its own matches only") {
  testing::PackRun f = Load();
  auto cited = f.found(1, "cited-every-match");
  REQUIRE(cited.size() == 1);
  CHECK(SeqsInOrder(*cited[0]) == std::vector<int64_t>{2, 3});
  CHECK(cited[0]->window.count == 1);
  auto alternating = f.found(1, "alternating-citations");
  REQUIRE(alternating.size() == 1);
  CHECK(SeqsInOrder(*alternating[0]) == std::vector<int64_t>{6, 3});
  CHECK(f.found(1, "alternating-keys").size() == 20);
  CHECK(Names(f.found(1, "registers-in-place")) == std::vector<std::string>{"imei|id.imei|1", "imei|id.imei|2"});
}
