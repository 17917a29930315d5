// Matches merged into findings as they are found (runtime/interp/merged_matches.cpp) give what
// findings::MergeFinding gives from one finding per match: the entries of the match whose first
// evidence is earliest (the first such match on a tie), the union of the evidence in time order,
// the window over it and the distinct triggers; a finding of one match is left as it was built.
// Also the seq → record table of the `evidence` entry, dense and sparse, and reports: only the
// front match's is kept, so one that cannot err is evaluated only for a match that becomes a front.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "runtime/interp/records_by_seq.h"
#include "tests/plan/harness.h"

using namespace edict;
using findings::EvidenceRole;

namespace {

testing::PackRun Load() {
  testing::PackRun fixture = testing::RunPack("tests/merge", "tests/merge/sessions.jsonl");
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  REQUIRE(fixture.run.sessions.size() == 3);
  for (const interp::SessionEvaluation& session : fixture.run.sessions) {
    REQUIRE(session.result.summary.rule_errors.empty());
  }
  return fixture;
}

int64_t SeqOf(const facts::SessionStore& store, std::pair<facts::KindId, uint32_t> record) {
  const facts::Schema& schema = store.schema();
  return store.records(record.first).fields.column(schema.kind(record.first).seq_column).ints()[record.second];
}

std::vector<int64_t> SeqsInOrder(const findings::Finding& finding) {
  std::vector<int64_t> seqs;
  for (const findings::Evidence& evidence : finding.evidence) seqs.push_back(evidence.seq);
  return seqs;
}

}  // namespace

TEST_CASE("the match whose evidence starts earliest keeps its message, subject and data types") {
  testing::PackRun f = Load();
  auto found = f.found(0, "calls");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "call 5");
  CHECK(found[0]->subject.cls == "a.Second");
  CHECK(found[0]->data_types == std::vector<std::string>{"id.imei", "loc.precise"});
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{2, 4, 5, 3});
  CHECK(found[0]->window.first_t == 500);
  CHECK(found[0]->window.last_t == 3000);
  CHECK(found[0]->window.count == 3);
}

TEST_CASE("when every match starts at the same record, the first match keeps its entries") {
  testing::PackRun f = Load();
  auto found = f.found(0, "calls-after-consent");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "call 4");
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{2, 4, 5, 3});
  CHECK(found[0]->evidence[0].role == EvidenceRole::kContext);
  CHECK(found[0]->window.first_t == 500);
  CHECK(found[0]->window.count == 3);
}

TEST_CASE("a record that triggers several matches counts once") {
  testing::PackRun f = Load();
  auto found = f.found(0, "data-type-reads");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "loc.precise at 4");
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{4, 5, 3});
  CHECK(found[0]->window.count == 3);
}

TEST_CASE("a finding of one match keeps its evidence in the order it was built") {
  testing::PackRun f = Load();
  auto found = f.found(0, "one-call");
  REQUIRE(found.size() == 1);
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{5, 4});
  CHECK(found[0]->evidence[0].role == EvidenceRole::kContext);
  CHECK(found[0]->window.first_t == 1000);
  CHECK(found[0]->window.last_t == 2000);
  CHECK(found[0]->window.count == 1);
}

TEST_CASE("records by seq: a table for dense seqs, a hash for sparse ones, the same answers") {
  testing::PackRun f = Load();
  const facts::SessionStore& dense_store = *f.run.loaded.sessions.at(0).store;
  interp::RecordsBySeq dense(dense_store);
  CHECK(dense.dense());
  CHECK_FALSE(dense.Find(0));
  CHECK_FALSE(dense.Find(6));
  for (int64_t seq = 1; seq <= 5; ++seq) {
    REQUIRE(dense.Find(seq));
    CHECK(SeqOf(dense_store, *dense.Find(seq)) == seq);
  }

  const facts::SessionStore& sparse_store = *f.run.loaded.sessions.at(1).store;
  interp::RecordsBySeq sparse(sparse_store);
  CHECK_FALSE(sparse.dense());
  CHECK_FALSE(sparse.Find(2));
  for (int64_t seq : {int64_t{1}, int64_t{7000000000}, int64_t{7000000001}}) {
    REQUIRE(sparse.Find(seq));
    CHECK(SeqOf(sparse_store, *sparse.Find(seq)) == seq);
  }

  auto found = f.found(1, "calls-after-consent");
  REQUIRE(found.size() == 1);
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{7000000000, 7000000001});
}

TEST_CASE("more keys than the first table of field sets holds: each key is still one finding") {
  testing::PackRun f = Load();
  auto found = f.found(0, "many-keys");
  REQUIRE(found.size() == 144);
  std::set<std::string> keys;
  for (const findings::Finding* finding : found) {
    REQUIRE(finding->data_types.size() == 1);
    keys.insert(finding->data_types[0]);
    CHECK(finding->message == finding->data_types[0] + " at 4");
    CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{4, 5, 3});
    CHECK(finding->window.count == 3);
  }
  CHECK(keys.size() == 144);
}

TEST_CASE("entries that differ outside the key merge; a named SDK is another key") {
  testing::PackRun f = Load();
  auto found = f.found(0, "named-subjects");
  REQUIRE(found.size() == 2);
  std::sort(found.begin(), found.end(), [](auto* a, auto* b) { return a->subject.sdk < b->subject.sdk; });
  CHECK(found[0]->subject.sdk.empty());
  CHECK(found[0]->subject.cls == "a.First");
  CHECK(found[0]->message == "call 4");
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{4, 5});
  CHECK(found[1]->subject.sdk == "x");
  CHECK(SeqsInOrder(*found[1]) == std::vector<int64_t>{3});
}

TEST_CASE("the front match's report is kept in each session, a part that errs written into it") {
  testing::PackRun f = Load();  // which requires that no session has a rule error
  // Call 4 matches first and is the front until call 5, citing the consent record, replaces it.
  auto first = f.found(0, "erring-reports");
  REQUIRE(first.size() == 1);
  CHECK(first[0]->message == "call 5 of a.Second: 10, <error: division by zero>");
  CHECK(SeqsInOrder(*first[0]) == std::vector<int64_t>{2, 4, 5, 3});

  auto sparse = f.found(1, "erring-reports");
  REQUIRE(sparse.size() == 1);
  CHECK(sparse[0]->message == "call 7000000001 of a.First: 0, 0");

  // Call 5 matches first and stays the front; call 4's report, which errs too, is not kept.
  auto third = f.found(2, "erring-reports");
  REQUIRE(third.size() == 1);
  CHECK(third[0]->message == "call 5 of b.Fifth: 10, <error: division by zero>");
  CHECK(third[0]->subject.party == findings::Party::kFirst);
  CHECK(SeqsInOrder(*third[0]) == std::vector<int64_t>{2, 5, 4});
}

TEST_CASE("a report that can err is evaluated for every match, a template only for a new front") {
  testing::PackRun f = testing::RunPack("tests/merge_reports", "tests/merge_reports/sessions.jsonl");
  REQUIRE_MESSAGE(f.compiled->plan != nullptr, f.compiled->Errors());
  REQUIRE(f.run.sessions.size() == 1);
  const interp::SessionEvaluation& session = f.session(0);

  // Call 3 is never the front, yet its report's error is the rule's.
  auto conditional = f.found(0, "conditional-report");
  REQUIRE(conditional.size() == 1);
  CHECK(conditional[0]->message == "call 4");
  CHECK(f.outcome(0, "conditional-report") == findings::Outcome::kViolated);
  REQUIRE(session.result.summary.rule_errors.size() == 1);
  CHECK(session.result.summary.rule_errors[0].rule == "conditional-report");
  CHECK(session.result.summary.rule_errors[0].message == "division by zero");

  // Calls 5 and 3 would exhaust the budget with their reports, which are not shown.
  auto costly = f.found(0, "costly-reports");
  REQUIRE(costly.size() == 1);
  CHECK(costly[0]->message == "call 4: 0");
  CHECK(SeqsInOrder(*costly[0]) == std::vector<int64_t>{4, 5, 3});
  CHECK(session.limits.empty());
}
