// Join planning: window predicates become range joins, equalities and memberships hash joins,
// and a 100 k x 100 k windowed join does O(n log n) work, counted by the interpreter.
#include <doctest/doctest.h>

#include "compiler/plan/print.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::HeaderLine;

namespace {

// n results at t = 10 i ms and n requests at 10 i + 5 ms, all for the camera except every
// 1000th request, which asks for the microphone.
std::string Interleaved(size_t n) {
  std::string text = HeaderLine("joins");
  int64_t seq = 0;
  for (size_t i = 0; i < n; ++i) {
    int64_t t = static_cast<int64_t>(i) * 10;
    text += R"({"type":"perm_result","seq":)" + std::to_string(++seq) + R"(,"t":)" + std::to_string(t) +
            R"(,"perm":"android.permission.CAMERA","result":"granted","via":"user"})" "\n";
    const char* perm = i % 1000 == 999 ? "android.permission.RECORD_AUDIO" : "android.permission.CAMERA";
    text += R"({"type":"perm_request","seq":)" + std::to_string(++seq) + R"(,"t":)" + std::to_string(t + 5) +
            R"(,"perms":[")" + perm + R"("]})" "\n";
  }
  return text;
}

std::string Section(const std::string& printed, const std::string& rule) {
  size_t start = printed.find("rule " + rule + " ");
  size_t end = printed.find("\nrule ", start + 1);
  return printed.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_CASE("the printed plan names each join's kind, key and bounds") {
  auto compiled = testing::CompilePacks({"tests/plan/joins"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::string printed = plan::PrintPlan(*compiled->plan);
  std::string range = Section(printed, "asked-again-soon");
  CHECK(range.find("join width 2") != std::string::npos);
  CHECK(range.find("1. scan r: perm_result") != std::string::npos);
  CHECK(range.find("2. range join q: perm_request  [trigger]") != std::string::npos);
  CHECK(range.find("t > r.t (binary search)") != std::string::npos);
  CHECK(range.find("t < r.t + gap (binary search)") != std::string::npos);
  CHECK(range.find("where r.perm != q.perms[0]") != std::string::npos);

  // `r.t - q.t <= 1s && q.t < r.t` bounds q from both sides; the membership is a hash key.
  std::string both = Section(printed, "asked-before-result");
  CHECK(both.find("2. hash range join q: perm_request") != std::string::npos);
  CHECK(both.find("key q.perms (each element) = r.perm") != std::string::npos);
  CHECK(both.find("t >= r.t - 1s (binary search)") != std::string::npos);
  CHECK(both.find("t < r.t (binary search)") != std::string::npos);
  CHECK(both.find("filter r.result == \"denied\"") != std::string::npos);
  CHECK(both.find("recheck r.perm in q.perms") != std::string::npos);

  std::string hash = Section(printed, "same-caller-class");
  CHECK(hash.find("2. hash join q: perm_request") != std::string::npos);
  CHECK(hash.find("key q.caller.cls = a.caller.cls") != std::string::npos);
  CHECK(hash.find("filter has(q.caller)") != std::string::npos);

  CHECK(Section(printed, "unrelated-pairs").find("2. nested loop join q: perm_request") != std::string::npos);
}

TEST_CASE("a 100k x 100k windowed join does O(n log n) comparisons") {
  auto compiled = testing::CompilePacks({"tests/plan/joins"});
  REQUIRE(compiled->plan != nullptr);
  const size_t n = 100000;
  std::string text = Interleaved(n);
  testing::Run run = testing::Evaluate(*compiled->plan, "joins.jsonl", text);
  REQUIRE(run.sessions.size() == 1);
  const interp::SessionEvaluation& session = run.sessions[0];
  // Each result has exactly one request in its 7 ms window; every 1000th is for another permission.
  auto found = testing::FindingsOf(*compiled->plan, session, "asked-again-soon");
  REQUIRE(found.size() == 1);  // one subject: the matches merge into one finding
  CHECK(found[0]->window.count == static_cast<int64_t>(n / 1000));
  CHECK(found[0]->message == "android.permission.RECORD_AUDIO asked 5ms after android.permission.CAMERA");
  // Per outer row: two binary searches over n rows and the candidates in the window. The
  // nested-loop rule's filters leave no pair, so it adds nothing here.
  MESSAGE("comparisons " << session.stats.comparisons << " records " << session.stats.records << " matches " << session.stats.matches);
  double log_n = 17;
  CHECK(session.stats.comparisons > n);
  CHECK(session.stats.comparisons < static_cast<uint64_t>(4 * n * log_n));
  CHECK(session.stats.comparisons < n * n / 1000);
}
