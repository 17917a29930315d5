// Memo functions (tests/plan/memo, tests/plan/memo_string, tests/plan/memo_value): a function of
// one record (string, scalar) whose body folds or aggregates is lowered once and computed once
// per record (string, value) and session, shared by every rule that calls it; trivial functions
// and conjunctions stay inlined, and so does a scalar function called with a record's column;
// cached values, errors included, are the computed ones, an argument that errs is computed and
// not cached, and a new session starts with an empty cache.
#include <doctest/doctest.h>

#include <map>

#include "compiler/plan/print.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::HeaderLine;
using testing::RequestLine;
using testing::ResultLine;
using testing::PlanSection;

namespace {

const std::string kCamera = "android.permission.CAMERA";
const std::string kMic = "android.permission.RECORD_AUDIO";
const std::string kSms = "android.permission.SEND_SMS";

std::string Perms(std::initializer_list<std::string> perms) {
  std::string out = "[";
  for (const std::string& perm : perms) out += (out.size() > 1 ? "," : "") + ("\"" + perm + "\"");
  return out + "]";
}

// Session s1: a camera denial, four requests (two with the camera and another permission, one
// with the camera alone, one without), a microphone denial.
std::string FirstSession() {
  return HeaderLine("s1") + ResultLine(1, 0, kCamera, "denied") + RequestLine(2, 5, Perms({kMic, kCamera})) +
         RequestLine(3, 10, Perms({kMic})) + RequestLine(4, 20, Perms({kCamera})) + ResultLine(5, 30, kMic, "denied") +
         RequestLine(6, 40, Perms({kCamera, kMic}));
}

std::vector<std::string> Messages(const plan::Plan& plan, const interp::SessionEvaluation& session,
                                  const std::string& rule) {
  std::vector<std::string> messages;
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule)) messages.push_back(finding->message);
  std::sort(messages.begin(), messages.end());
  return messages;
}

}  // namespace

TEST_CASE("functions of one record that fold or aggregate are memo functions; the others are inlined") {
  auto compiled = testing::CompilePacks({"tests/plan/memo"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::vector<std::string> names;
  for (const plan::MemoFunction& memo : plan.memo_functions) names.push_back(memo.name);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"asked_for", "denials_before", "first_asked"});

  std::string printed = plan::PrintPlan(plan);
  CHECK(printed.find("memo functions (computed once per record, string or value and session, shared by every rule):\n") !=
        std::string::npos);
  CHECK(printed.find("  asked_for(q: perm_request) = q.perms.filter(p, p.endsWith(suffix))\n") != std::string::npos);
  CHECK(printed.find("  first_asked(q: perm_request) = asked_for(q)[0]\n") != std::string::npos);
  CHECK(printed.find("  denials_before(q: perm_request) = count(r: perm_result where") != std::string::npos);
  // Every call site is the memo node; the trivial function is inlined into a filter of its own.
  std::string asked = PlanSection(printed, "asked");
  CHECK(asked.find("filter size(asked_for(q)) > 0") != std::string::npos);
  CHECK(asked.find("filter size(q.perms) > 1") != std::string::npos);
  CHECK(PlanSection(printed, "not-asked").find("filter size(asked_for(q)) == 0") != std::string::npos);
  // The conjunction is split: its test is a filter and its exists a correlated aggregate.
  std::string denied = PlanSection(printed, "denied-then-asked");
  CHECK(denied.find("filter r.result == \"denied\"") != std::string::npos);
  CHECK(denied.find("correlated exists(q: perm_request") != std::string::npos);

  // A parameter read inside a memo function is a parameter of the rules that call it.
  const plan::RulePlan& rule = plan.rules[testing::RuleIndex(plan, "asked")];
  REQUIRE(rule.params.size() == 1);
  CHECK(plan.params[rule.params[0]].name == "suffix");
}

TEST_CASE("a memo function is computed once per record, for every rule; errors are cached values too") {
  auto compiled = testing::CompilePacks({"tests/plan/memo"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  testing::Run run = testing::Evaluate(plan, "memo.jsonl", FirstSession());
  REQUIRE(run.sessions.size() == 1);
  const interp::SessionEvaluation& session = run.sessions[0];

  // Findings of a rule about one subject merge: the first match's report, every match's record.
  auto asked = testing::FindingsOf(plan, session, "asked");
  REQUIRE(asked.size() == 1);
  CHECK(asked[0]->message == kCamera + " asked after 1 denial(s)");
  CHECK(testing::Seqs(*asked[0]) == std::vector<int64_t>{2, 6});
  CHECK(Messages(plan, session, "not-asked") == std::vector<std::string>{"1 denial(s) before"});
  auto firsts = testing::FindingsOf(plan, session, "first-asked");
  REQUIRE(firsts.size() == 1);
  CHECK(testing::Seqs(*firsts[0]) == std::vector<int64_t>{2, 4, 6});
  // Request 3 asks for no camera: first_asked errs, cached or not.
  bool index_error = false;
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    if (error.rule == "first-asked") index_error = error.message.find("seq 3") != std::string::npos;
  }
  CHECK(index_error);
  auto denied = testing::FindingsOf(plan, session, "denied-then-asked");
  REQUIRE(denied.size() == 1);
  CHECK(testing::Seqs(*denied[0]) == std::vector<int64_t>{1, 5});

  // Only a finding's front match's report is evaluated: `asked`'s match of request 6 joins request
  // 2's finding without its report. Computed: asked_for for the 4 requests, first_asked for the 4
  // (1 for `asked`'s report, 3 for `first-asked`), denials_before for the 2 reports. Read from the
  // cache: asked_for by `not-asked` and by first_asked (4 + 4), first_asked by `first-asked` for
  // request 2.
  CHECK(session.stats.memo_misses == 10);
  CHECK(session.stats.memo_hits == 9);
}

TEST_CASE("each session starts with an empty memo cache") {
  auto compiled = testing::CompilePacks({"tests/plan/memo"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  // s2's first request (row 0, as s1's first) asks for no camera.
  std::string second = HeaderLine("s2") + RequestLine(1, 0, Perms({kMic, kSms}));
  testing::Run run = testing::Evaluate(plan, "memo.jsonl", FirstSession() + second);
  REQUIRE(run.sessions.size() == 2);
  CHECK(Messages(plan, run.sessions[1], "asked").empty());
  CHECK(Messages(plan, run.sessions[1], "not-asked") == std::vector<std::string>{"0 denial(s) before"});
  CHECK(run.sessions[1].stats.memo_misses == 3);  // asked_for, denials_before, first_asked
}

namespace {

// A rule's findings (their seqs) and errors, in a form that does not name the rule.
std::string Outcome(const plan::Plan& plan, const interp::SessionEvaluation& session, const std::string& rule) {
  std::string out;
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, rule)) {
    out += "finding";
    for (int64_t seq : testing::Seqs(*finding)) out += " " + std::to_string(seq);
    out += "\n";
  }
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    if (error.rule == rule) out += "error " + error.message + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("functions of one string that fold or aggregate are memo functions keyed by the string") {
  auto compiled = testing::CompilePacks({"tests/plan/memo_string"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::vector<std::string> names;
  for (const plan::MemoFunction& memo : plan.memo_functions) {
    names.push_back(memo.name);
    CHECK(memo.by_string);
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"camera_or_any_denial", "denials_of"});

  std::string printed = plan::PrintPlan(plan);
  CHECK(printed.find("  denials_of(perm: string) = count(r: perm_result where r.perm == perm") != std::string::npos);
  // A fold variable is the key's own register; any other argument is bound into one.
  CHECK(PlanSection(printed, "memo-denied-again").find("filter q.perms.exists(p, denials_of(p) > 0)") !=
        std::string::npos);
  CHECK(PlanSection(printed, "memo-second-denials").find("filter denials_of(q.perms[1]) >= 0") != std::string::npos);
  CHECK(PlanSection(printed, "inline-second-denials").find("denials_of(") == std::string::npos);
}

TEST_CASE("a string memo function is computed once per string; an erroring argument is evaluated, never cached") {
  auto compiled = testing::CompilePacks({"tests/plan/memo_string"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  // s2 has no denial, so camera_or_any_denial of an erroring argument errs there.
  std::string second = HeaderLine("s2") + RequestLine(1, 0, Perms({kMic})) + RequestLine(2, 5, Perms({kMic, kSms}));
  testing::Run run = testing::Evaluate(plan, "memo.jsonl", FirstSession() + second);
  REQUIRE(run.sessions.size() == 2);
  for (const interp::SessionEvaluation& session : run.sessions) {
    for (const char* rule : {"denied-again", "second-perm", "second-denials"}) {
      CAPTURE(rule);
      CHECK(Outcome(plan, session, std::string("memo-") + rule) == Outcome(plan, session, std::string("inline-") + rule));
    }
  }
  const interp::SessionEvaluation& first = run.sessions[0];
  CHECK(Outcome(plan, first, "memo-second-perm") == "finding 2 3 4 6\n");
  CHECK(Outcome(plan, first, "memo-second-denials").find("finding 2 6\n") == 0);
  CHECK(Outcome(plan, run.sessions[1], "memo-second-perm").find("error ") != std::string::npos);

  // denials_of: computed for RECORD_AUDIO, CAMERA and the two erring q.perms[1] (requests 3 and 4),
  // read 4 times; camera_or_any_denial computed for each of the 4 requests (2 errors).
  CHECK(first.stats.memo_misses == 8);
  CHECK(first.stats.memo_hits == 4);
  // A new session starts with an empty cache: RECORD_AUDIO, SEND_SMS, the error; 2 + 2 calls of
  // camera_or_any_denial.
  CHECK(run.sessions[1].stats.memo_misses == 5);
}

TEST_CASE("functions of one scalar that aggregate are memo functions by value where the argument is a summary") {
  auto compiled = testing::CompilePacks({"tests/plan/memo_value"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  std::map<std::string, value::Kind> keys;
  for (const plan::MemoFunction& memo : plan.memo_functions) {
    CHECK(!memo.by_string);
    keys[memo.name] = memo.by_value;
  }
  CHECK(keys == std::map<std::string, value::Kind>{{"denials_at", value::Kind::kDuration},
                                                   {"denials_if", value::Kind::kBool},
                                                   {"requests_after", value::Kind::kInt},
                                                   {"requests_before", value::Kind::kTimestamp},
                                                   {"requests_beyond", value::Kind::kUint}});
  std::string printed = plan::PrintPlan(plan);
  CHECK(PlanSection(printed, "memo-latest-denials").find("filter denials_at(max(r.t for r: perm_result") !=
        std::string::npos);
  // A record's own time is no summary: that call is inlined.
  CHECK(PlanSection(printed, "column-denials").find("denials_at(") == std::string::npos);
}

TEST_CASE("a memo function by value is computed once per value; an erroring argument is evaluated, never cached") {
  auto compiled = testing::CompilePacks({"tests/plan/memo_value"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  // s2's first request comes before any result: max() of no values errs there, and so does the
  // count of denials at that time.
  std::string second = HeaderLine("s2") + RequestLine(1, 0, Perms({kMic})) + ResultLine(2, 5, kMic, "denied") +
                       RequestLine(3, 10, Perms({kMic, kSms})) + RequestLine(4, 10, Perms({kSms}));
  testing::Run run = testing::Evaluate(plan, "memo.jsonl", FirstSession() + second);
  REQUIRE(run.sessions.size() == 2);
  for (const interp::SessionEvaluation& session : run.sessions) {
    CHECK(Outcome(plan, session, "memo-latest-denials") == Outcome(plan, session, "inline-latest-denials"));
  }
  const interp::SessionEvaluation& first = run.sessions[0];
  CHECK(Outcome(plan, first, "memo-latest-denials") == "finding 2\nfinding 3\nfinding 4\nfinding 6\n");
  CHECK(Outcome(plan, run.sessions[1], "memo-latest-denials").find("finding 3\nfinding 4\nerror ") == 0);
  // s1, 4 matches of each rule: denials_at of times 0 and 30 (4 calls), requests_after of seqs 1
  // and 5 (4 calls), denials_if of true (4 calls), requests_beyond and requests_before of their
  // session value (8 calls each, both rules' reports): 7 computed, 21 read.
  CHECK(first.stats.memo_misses == 7);
  CHECK(first.stats.memo_hits == 21);
  // s2: denials_at of the error (computed, not kept), of 5 twice; then the 2 matches' reports.
  CHECK(run.sessions[1].stats.memo_misses == 6);
  CHECK(run.sessions[1].stats.memo_hits == 9);
}
