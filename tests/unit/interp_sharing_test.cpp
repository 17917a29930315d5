// Lowering that shares work (tests/plan/sharing): a function used as a condition splits into the
// query's conjuncts, so its window becomes a range join; a call that a conditional's condition makes
// and a branch repeats is evaluated once; and neither changes a result, errors included.
#include <doctest/doctest.h>

#include "compiler/plan/print.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::HeaderLine;
using testing::RequestLine;
using testing::ResultLine;
using testing::PlanSection;

namespace {

const char* kCamera = "android.permission.CAMERA";
const char* kMic = "android.permission.RECORD_AUDIO";

}  // namespace

TEST_CASE("a function's conjuncts are the query's: its window is a range join, its test a filter") {
  auto compiled = testing::CompilePacks({"tests/plan/sharing"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::string rule = PlanSection(plan::PrintPlan(*compiled->plan), "asked-after-denial");
  CHECK(rule.find("filter r.result == \"denied\"") != std::string::npos);
  CHECK(rule.find("2. hash range join q: perm_request") != std::string::npos);
  CHECK(rule.find("t > r.t (binary search)") != std::string::npos);
  CHECK(rule.find("t < r.t + gap (binary search)") != std::string::npos);

  const std::string camera = R"([")" + std::string(kCamera) + R"("])";
  std::string facts = HeaderLine() + ResultLine(1, 0, kCamera, "denied") + RequestLine(2, 5, camera) +
                      RequestLine(3, 30, camera) + ResultLine(4, 40, kMic, "granted") +
                      RequestLine(5, 45, R"([")" + std::string(kMic) + R"("])");
  testing::Run run = testing::Evaluate(*compiled->plan, "sharing.jsonl", facts);
  REQUIRE(run.sessions.size() == 1);
  auto found = testing::FindingsOf(*compiled->plan, run.sessions[0], "asked-after-denial");
  REQUIRE(found.size() == 1);
  CHECK(testing::Seqs(*found[0]) == std::vector<int64_t>{1, 2});
}

TEST_CASE("a call the condition makes and a branch repeats is evaluated once, with the same results") {
  auto compiled = testing::CompilePacks({"tests/plan/sharing"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::string printed = plan::PrintPlan(*compiled->plan);
  // The branch reads the register the condition's call filled (printed by the function's name),
  // in the body of camera_or_none, a memo function (it folds) that the rule calls.
  CHECK(printed.find("  camera_or_none(q: perm_request) = (size(cameras()) > 0) ? cameras()[0] : \"none\"\n") !=
        std::string::npos);
  CHECK(PlanSection(printed, "camera-asked").find("filter camera_or_none(q) != \"none\"") != std::string::npos);
  CHECK(PlanSection(printed, "third-is-camera").find("? third() :") != std::string::npos);

  std::string both = R"([")" + std::string(kMic) + R"(",")" + std::string(kCamera) + R"("])";
  std::string three = R"([")" + std::string(kMic) + R"(",")" + std::string(kMic) + R"(",")" + std::string(kCamera) + R"("])";
  std::string facts = HeaderLine() + RequestLine(1, 0, both) +
                      RequestLine(2, 10, R"([")" + std::string(kMic) + R"("])") +
                      RequestLine(3, 20, three);
  testing::Run run = testing::Evaluate(*compiled->plan, "sharing.jsonl", facts);
  REQUIRE(run.sessions.size() == 1);
  const interp::SessionEvaluation& session = run.sessions[0];

  // Requests 1 and 3 ask for the camera (one finding once deduplicated), request 2 does not.
  std::vector<int64_t> seqs;
  for (const findings::Finding* finding : testing::FindingsOf(*compiled->plan, session, "camera-asked")) {
    CHECK(finding->message == std::string(kCamera) + " asked");
    for (int64_t seq : testing::Seqs(*finding)) seqs.push_back(seq);
  }
  std::sort(seqs.begin(), seqs.end());
  CHECK(seqs == std::vector<int64_t>{1, 3});

  // Request 3's third permission is the camera; requests 1 and 2 have none: the shared call's
  // error is the rule's.
  auto thirds = testing::FindingsOf(*compiled->plan, session, "third-is-camera");
  REQUIRE(thirds.size() == 1);
  CHECK(testing::Seqs(*thirds[0]) == std::vector<int64_t>{3});
  bool index_error = false;
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    if (error.rule == "third-is-camera") index_error = error.message.find("index") != std::string::npos;
  }
  CHECK(index_error);
}
