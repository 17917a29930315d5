// The `evidence` rule entry: records named by seq join a finding's evidence (as context next to
// bound records, as triggers of a session rule), after grouping too; a seq naming no record is a
// rule error, never a crash.
#include <doctest/doctest.h>

#include "tests/plan/harness.h"

using namespace edict;
using findings::EvidenceRole;
using findings::Outcome;

namespace {

testing::PackRun Load() {
  testing::PackRun fixture = testing::RunPack("tests/evidence", "tests/evidence/sessions.jsonl");
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  REQUIRE(fixture.run.sessions.size() == 2);
  return fixture;
}

const findings::Evidence* BySeq(const findings::Finding& finding, int64_t seq) {
  for (const findings::Evidence& evidence : finding.evidence) {
    if (evidence.seq == seq) return &evidence;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("an int names one context record next to the bound records") {
  testing::PackRun f = Load();
  auto found = f.found(0, "read-after-refusal");
  REQUIRE(found.size() == 1);
  CHECK(testing::Seqs(*found[0]) == std::vector<int64_t>{2, 4});
  REQUIRE(BySeq(*found[0], 2) != nullptr);
  CHECK(BySeq(*found[0], 2)->type == "consent");
  CHECK(BySeq(*found[0], 2)->role == EvidenceRole::kContext);
  CHECK(BySeq(*found[0], 2)->line == 3);
  CHECK(BySeq(*found[0], 4)->role == EvidenceRole::kTrigger);
  // The context record widens the window; the count is still the triggers'.
  CHECK(found[0]->window.first_t == 1000);
  CHECK(found[0]->window.last_t == 2000);
  CHECK(found[0]->window.count == 1);
  CHECK(f.found(1, "read-after-refusal").empty());
}

TEST_CASE("a session rule's evidence entry replaces the coverage record, once per seq") {
  testing::PackRun f = Load();
  auto found = f.found(0, "refused");
  REQUIRE(found.size() == 1);
  REQUIRE(found[0]->evidence.size() == 1);
  CHECK(found[0]->evidence[0].seq == 2);
  CHECK(found[0]->evidence[0].type == "consent");
  CHECK(found[0]->evidence[0].role == EvidenceRole::kTrigger);

  auto any = f.found(0, "any-call");
  REQUIRE(any.size() == 1);
  REQUIRE(any[0]->evidence.size() == 1);
  CHECK(any[0]->evidence[0].type == "coverage");
}

TEST_CASE("after group by the entry is evaluated per group") {
  testing::PackRun f = Load();
  auto found = f.found(0, "calls-per-type");
  REQUIRE(found.size() == 1);
  CHECK(testing::Seqs(*found[0]) == std::vector<int64_t>{2, 3, 4});
  CHECK(BySeq(*found[0], 2)->role == EvidenceRole::kContext);
  CHECK(f.found(1, "calls-per-type").empty());  // one call only
}

TEST_CASE("a seq that names no record is a rule error; the finding keeps its bound records") {
  testing::PackRun f = Load();
  auto found = f.found(0, "dangling");
  REQUIRE(found.size() == 1);
  CHECK(testing::Seqs(*found[0]) == std::vector<int64_t>{4});
  const auto& errors = f.session(0).result.summary.rule_errors;
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rule == "dangling");
  CHECK(errors[0].message.find("no record of the session has seq 1004") != std::string::npos);
  CHECK(testing::OutcomeOf(f.plan(), f.session(0), "dangling") == Outcome::kViolated);
}
