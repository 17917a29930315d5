// The finding entries of matches that merge (tests/merge_entries): the matches of a call share a
// subject value (a memo function's cached map, or one made per match), and equal subjects of other
// values join the same findings; a subject map names every field; consecutive matches
// list long data types, more and then fewer of them; and an entry that errs is the rule's error
// whether its match merges or is kept, the match keeping the entry's default.
#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>

#include "tests/plan/harness.h"

using namespace edict;
using findings::EvidenceRole;
using findings::Party;

namespace {

testing::PackRun Load() {
  testing::PackRun fixture = testing::RunPack("tests/merge_entries", "tests/merge_entries/sessions.jsonl");
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  REQUIRE(fixture.run.sessions.size() == 1);
  REQUIRE(fixture.run.sessions[0].limits.empty());
  return fixture;
}

std::vector<int64_t> SeqsInOrder(const findings::Finding& finding) {
  std::vector<int64_t> seqs;
  for (const findings::Evidence& evidence : finding.evidence) seqs.push_back(evidence.seq);
  return seqs;
}

// The finding of `rule` with `party`, `sdk` and the one data type `type`; null when none.
const findings::Finding* FindingOf(const testing::PackRun& f, const std::string& rule, Party party,
                                   const std::string& sdk, const std::string& type) {
  const findings::Finding* match = nullptr;
  for (const findings::Finding* finding : f.found(0, rule)) {
    if (finding->subject.party != party || finding->subject.sdk != sdk) continue;
    if (finding->data_types != std::vector<std::string>{type}) continue;
    REQUIRE(match == nullptr);
    match = finding;
  }
  return match;
}

// The rule's error message, or "" when it has none.
std::string ErrorOf(const testing::PackRun& f, const std::string& rule) {
  for (const findings::RuleError& error : f.session(0).result.summary.rule_errors) {
    if (error.rule == rule) return error.message;
  }
  return "";
}

}  // namespace

TEST_CASE("matches of one subject value and of equal subjects of other values join the same findings") {
  testing::PackRun f = Load();
  CHECK(f.found(0, "subject-per-call").size() == 4);
  const findings::Finding* imei = FindingOf(f, "subject-per-call", Party::kThird, "umeng", "id.imei");
  REQUIRE(imei != nullptr);
  CHECK(imei->message == "id.imei at 2");
  CHECK(SeqsInOrder(*imei) == std::vector<int64_t>{2, 3});
  const findings::Finding* location = FindingOf(f, "subject-per-call", Party::kThird, "umeng", "loc.precise");
  REQUIRE(location != nullptr);
  CHECK(location->message == "loc.precise at 2");
  CHECK(SeqsInOrder(*location) == std::vector<int64_t>{2, 3, 5});
  CHECK(location->window.count == 3);
  const findings::Finding* sms = FindingOf(f, "subject-per-call", Party::kThird, "umeng", "sms");
  REQUIRE(sms != nullptr);
  CHECK(sms->message == "sms at 3");
  CHECK(SeqsInOrder(*sms) == std::vector<int64_t>{3, 5});
  const findings::Finding* other = FindingOf(f, "subject-per-call", Party::kThird, "getui", "id.imei");
  REQUIRE(other != nullptr);
  CHECK(SeqsInOrder(*other) == std::vector<int64_t>{4});
  CHECK(ErrorOf(f, "subject-per-call").empty());
}

TEST_CASE("matches that read one memo function's subject map join the findings its subject names") {
  testing::PackRun f = Load();
  CHECK(f.found(0, "memo-subject-per-call").size() == 6);
  const std::vector<std::tuple<std::string, std::string, std::vector<int64_t>>> expected = {
      {"umeng", "id.imei", {2}},     {"umeng", "loc.precise", {2}},     {"umeng+sms", "id.imei", {3}},
      {"umeng+sms", "sms", {3, 5}}, {"umeng+sms", "loc.precise", {3, 5}}, {"getui", "id.imei", {4}},
  };
  for (const auto& [sdk, type, seqs] : expected) {
    const findings::Finding* finding = FindingOf(f, "memo-subject-per-call", Party::kThird, sdk, type);
    REQUIRE_MESSAGE(finding != nullptr, sdk, " ", type);
    CHECK(SeqsInOrder(*finding) == seqs);
  }
  CHECK(ErrorOf(f, "memo-subject-per-call").empty());
}

TEST_CASE("a subject map names every field; a party or field that is no string is read by its text") {
  testing::PackRun f = Load();
  auto found = f.found(0, "subject-fields");
  REQUIRE(found.size() == 2);
  const findings::Finding* named = found[0]->subject.sdk.empty() ? found[1] : found[0];
  const findings::Finding* other = found[0] == named ? found[1] : found[0];
  CHECK(named->subject.party == Party::kFirst);
  CHECK(named->subject.sdk == "umeng");
  CHECK(named->subject.org == "o");
  CHECK(named->subject.domain == "d.example");
  CHECK(named->subject.cls == "a.Second");
  CHECK(named->subject.mth == "m");
  CHECK(named->subject.component == "k");
  CHECK(SeqsInOrder(*named) == std::vector<int64_t>{3, 5});
  CHECK(other->subject.party == Party::kThird);
  CHECK(other->subject.sdk.empty());
  CHECK(other->subject.cls == "a.First");
  CHECK(other->subject.mth == "1");
  CHECK(other->subject.component.empty());
  CHECK(SeqsInOrder(*other) == std::vector<int64_t>{2, 4});
}

TEST_CASE("long data types, two and then fewer in a match that merges, each make their own finding") {
  testing::PackRun f = Load();
  auto found = f.found(0, "long-data-types");
  REQUIRE(found.size() == 2);
  const std::string first = "a.data.type.longer.than.inline";
  const std::string second = "another.data.type.longer.than.inline";
  for (const findings::Finding* finding : found) {
    if (finding->data_types.size() == 2) {
      CHECK(finding->data_types == std::vector<std::string>{first, second});
      CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{2, 3, 4});
    } else {
      CHECK(finding->data_types == std::vector<std::string>{first});
      CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{2, 3, 5});
    }
  }
  CHECK(ErrorOf(f, "long-data-types").empty());
}

TEST_CASE("a subject that errs between two matches of one subject value is the app's for that match only") {
  testing::PackRun f = Load();
  CHECK(ErrorOf(f, "subject-errs-between") == "division by zero");
  CHECK(f.outcome(0, "subject-errs-between") == findings::Outcome::kViolated);
  CHECK(f.found(0, "subject-errs-between").size() == 4);
  const findings::Finding* sms = FindingOf(f, "subject-errs-between", Party::kFirst, "", "sms");
  REQUIRE(sms != nullptr);
  CHECK(SeqsInOrder(*sms) == std::vector<int64_t>{3, 5});
  // Call 3's match after the error has the SDK's subject again, as call 2's and call 5's.
  const findings::Finding* location = FindingOf(f, "subject-errs-between", Party::kThird, "umeng", "loc.precise");
  REQUIRE(location != nullptr);
  CHECK(SeqsInOrder(*location) == std::vector<int64_t>{2, 3, 5});
  const findings::Finding* imei = FindingOf(f, "subject-errs-between", Party::kThird, "umeng", "id.imei");
  REQUIRE(imei != nullptr);
  CHECK(SeqsInOrder(*imei) == std::vector<int64_t>{2, 3});
}

TEST_CASE("an evidence entry that errs in a match that merges is the rule's error; the match still merges") {
  testing::PackRun f = Load();
  CHECK(ErrorOf(f, "evidence-errs-when-merged") == "division by zero");
  auto found = f.found(0, "evidence-errs-when-merged");
  REQUIRE(found.size() == 1);
  CHECK(SeqsInOrder(*found[0]) == std::vector<int64_t>{1, 2, 4, 5});
  CHECK(found[0]->evidence[0].role == EvidenceRole::kContext);
  CHECK(found[0]->window.count == 3);
}

TEST_CASE("data types that err in the front match of a kept finding leave that match without data types") {
  testing::PackRun f = Load();
  CHECK(ErrorOf(f, "data-types-err-when-kept") == "division by zero");
  auto found = f.found(0, "data-types-err-when-kept");
  REQUIRE(found.size() == 2);
  for (const findings::Finding* finding : found) {
    if (finding->data_types.empty()) {
      CHECK(finding->message == "call 2");
      CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{2});
    } else {
      CHECK(finding->data_types == std::vector<std::string>{"id.imei"});
      CHECK(finding->message == "call 3");
      CHECK(SeqsInOrder(*finding) == std::vector<int64_t>{3, 4, 5});
    }
  }
}
