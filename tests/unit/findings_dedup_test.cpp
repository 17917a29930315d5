// Deduplication and report order: one finding per key with the union of the evidence, and a
// deterministic order for every writer.
#include <doctest/doctest.h>

#include "runtime/findings/dedup.h"
#include "runtime/findings/order.h"

using namespace edict::findings;

namespace {

Evidence Trigger(int64_t seq, std::optional<int64_t> t) {
  return {"a.jsonl", static_cast<uint64_t>(seq + 1), seq, "api_call", EvidenceRole::kTrigger, t};
}

Evidence Context(int64_t seq, std::optional<int64_t> t) {
  return {"a.jsonl", static_cast<uint64_t>(seq + 1), seq, "consent", EvidenceRole::kContext, t};
}

// One collection of IMEI by umeng at `t`, as the engine reports a single match.
Finding Collection(int64_t seq, int64_t t, std::string message = "m") {
  Finding finding;
  finding.rule = 2;
  finding.app = {"com.example.shop", 412, "s-01"};
  finding.subject = {Party::kThird, "umeng", "", "", "com.umeng.X", "getImei", ""};
  finding.data_types = {"id.imei"};
  finding.window = {t, t, 1};
  finding.evidence = {Trigger(seq, t), Context(20, 9000)};
  finding.message = std::move(message);
  return finding;
}

}  // namespace

TEST_CASE("evidence is sorted by (t, seq), static records first, one entry per record") {
  std::vector<Evidence> evidence = {Trigger(5, 300), Context(4, 300), Trigger(9, std::nullopt),
                                    Context(5, 300), Trigger(2, 100)};
  NormalizeEvidence(evidence);
  REQUIRE(evidence.size() == 4);
  CHECK(evidence[0].seq == 9);  // static
  CHECK(evidence[1].seq == 2);
  CHECK(evidence[2].seq == 4);
  CHECK(evidence[3].seq == 5);
  CHECK(evidence[3].role == EvidenceRole::kTrigger);  // the record was a trigger in one entry
}

TEST_CASE("merging unites evidence, spans the window and counts distinct trigger records") {
  Finding into = Collection(7, 5000, "later");
  MergeFinding(into, Collection(3, 1000, "earlier"), CountMerge::kDistinctTriggers);
  MergeFinding(into, Collection(3, 1000, "earlier again"), CountMerge::kDistinctTriggers);  // same record
  std::vector<int64_t> seqs;
  for (const Evidence& item : into.evidence) seqs.push_back(item.seq);
  CHECK(seqs == std::vector<int64_t>{3, 7, 20});
  CHECK(into.window.first_t == 1000);
  CHECK(into.window.last_t == 9000);  // spans the context record too
  CHECK(into.window.count == 2);
  // The message and subject details describe the earliest match.
  CHECK(into.message == "earlier");
}

TEST_CASE("frequency findings keep the largest window count") {
  Finding into = Collection(7, 5000);
  into.window.count = 14;
  Finding burst = Collection(30, 60000);
  burst.window.count = 22;
  MergeFinding(into, burst, CountMerge::kLargest);
  CHECK(into.window.count == 22);
  CHECK(into.window.first_t == 5000);
  CHECK(into.window.last_t == 60000);
}

TEST_CASE("notes are united without repeats") {
  Finding into = Collection(7, 5000);
  into.notes = {"ctx.consent disagrees"};
  Finding other = Collection(8, 5100);
  other.notes = {"ctx.consent disagrees", "hook failed once"};
  MergeFinding(into, other, CountMerge::kDistinctTriggers);
  CHECK(into.notes == std::vector<std::string>{"ctx.consent disagrees", "hook failed once"});
}

TEST_CASE("the deduplicator merges equal keys only") {
  Deduplicator dedup;
  dedup.Add(Collection(3, 1000));
  dedup.Add(Collection(4, 2000));
  Finding two_types = Collection(5, 3000);
  two_types.data_types = {"loc", "id.imei"};
  dedup.Add(two_types);
  Finding same_types_reordered = Collection(6, 4000);
  same_types_reordered.data_types = {"id.imei", "loc"};
  dedup.Add(same_types_reordered);
  Finding other_sdk = Collection(7, 5000);
  other_sdk.subject.sdk = "jpush";
  dedup.Add(other_sdk);
  Finding other_rule = Collection(8, 6000);
  other_rule.rule = 1;
  dedup.Add(other_rule);
  Finding other_session = Collection(9, 7000);
  other_session.app.session = "s-02";
  dedup.Add(other_session);
  Finding other_permission = Collection(10, 8000);
  other_permission.permissions = {"android.permission-group.PHONE"};
  dedup.Add(other_permission);
  // Where in the code does not split a finding: the subject is who, not which method.
  Finding other_method = Collection(11, 9000);
  other_method.subject.mth = "getDeviceId";
  dedup.Add(other_method);

  std::vector<Finding> merged = dedup.Take();
  REQUIRE(merged.size() == 6);
  CHECK(merged[0].window.count == 3);  // seq 3, 4 and 11
  CHECK(merged[0].evidence.size() == 4);
  CHECK(merged[1].window.count == 2);  // the two orders of {id.imei, loc}
  CHECK(dedup.Take().empty());
}

TEST_CASE("report order: rule order, then first evidence, independent of input order") {
  Finding late = Collection(7, 5000);
  Finding early = Collection(3, 1000);
  early.subject.sdk = "jpush";
  Finding first_rule = Collection(9, 9000);
  first_rule.rule = 0;
  Finding static_only = Collection(1, 0);
  static_only.evidence = {Trigger(1, std::nullopt)};
  static_only.subject.sdk = "bugly";

  std::vector<Finding> findings = {late, early, first_rule, static_only};
  std::vector<Finding> ordered = InReportOrder(findings);
  REQUIRE(ordered.size() == 4);
  CHECK(ordered[0].rule == 0);
  CHECK(ordered[1].subject.sdk == "bugly");  // static records come before timed ones
  CHECK(ordered[2].subject.sdk == "jpush");
  CHECK(ordered[3].subject.sdk == "umeng");

  std::vector<Finding> reversed(findings.rbegin(), findings.rend());
  std::vector<Finding> again = InReportOrder(reversed);
  for (size_t i = 0; i < again.size(); ++i) CHECK(again[i].subject.sdk == ordered[i].subject.sdk);

  std::vector<Finding> moved = InReportOrder(std::move(reversed));
  REQUIRE(moved.size() == ordered.size());
  for (size_t i = 0; i < moved.size(); ++i) {
    CHECK(moved[i].subject.sdk == ordered[i].subject.sdk);
    CHECK(moved[i].evidence.size() == ordered[i].evidence.size());
  }
}

TEST_CASE("sorted evidence is still one entry per record, the trigger kept") {
  std::vector<Evidence> evidence = {Trigger(2, 100), Context(5, 300)};
  NormalizeEvidence(evidence);
  CHECK(evidence.size() == 2);
  Evidence same_record_later = Context(2, 200);  // one file and line, so one record
  evidence.insert(evidence.begin() + 1, same_record_later);
  NormalizeEvidence(evidence);
  REQUIRE(evidence.size() == 2);
  CHECK(evidence[0].seq == 2);
  CHECK(evidence[0].role == EvidenceRole::kTrigger);
  CHECK(evidence[1].seq == 5);
}

TEST_CASE("the primary evidence is the first trigger, not the first record") {
  Finding finding = Collection(7, 5000);
  finding.evidence = {Context(2, 100), Trigger(7, 5000)};
  CHECK(PrimaryEvidence(finding)->seq == 7);
  finding.evidence = {Context(2, 100)};
  CHECK(PrimaryEvidence(finding)->seq == 2);
  finding.evidence.clear();
  CHECK(PrimaryEvidence(finding) == nullptr);
}

TEST_CASE("report order without copies: the order InReportOrder gives, unnormalized findings copied") {
  Finding late = Collection(7, 5000);
  Finding early = Collection(3, 1000);
  early.subject.sdk = "jpush";
  early.evidence = {Context(8, 4000), Trigger(3, 1000)};  // not in time order
  Finding first_rule = Collection(9, 9000);
  first_rule.rule = 0;
  std::vector<Finding> findings = {late, early, first_rule};

  std::deque<Finding> normalized;
  std::vector<const Finding*> ordered = ReportOrder(findings, normalized);
  std::vector<Finding> copied = InReportOrder(findings);
  REQUIRE(ordered.size() == copied.size());
  for (size_t i = 0; i < ordered.size(); ++i) {
    CHECK(ordered[i]->subject.sdk == copied[i].subject.sdk);
    CHECK(ordered[i]->evidence.size() == copied[i].evidence.size());
    CHECK(ordered[i]->evidence.front().seq == copied[i].evidence.front().seq);
  }
  REQUIRE(normalized.size() == 1);  // only `early` needed normalizing
  CHECK(ordered[1] == &normalized.front());
  CHECK(ordered[0] == &findings[2]);
  CHECK(ordered[2] == &findings[0]);
}
