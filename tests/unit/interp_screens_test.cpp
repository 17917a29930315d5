// The library's screen helpers, rewritten for speed (first_appearance keyed by the activity,
// word matching per distinct text), against the definitions they replaced (tests/plan/screens),
// over generated sessions whose screens share times, activities (some with a "#", some absent or
// empty) and texts, full-width and compatibility forms of the words included.
#include <doctest/doctest.h>

#include <random>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

std::string Session(uint32_t seed) {
  std::string text = testing::HeaderLine();
  const char* activities[] = {"com.example.Main", "com.example.Main#popup", "com.example", "", nullptr, nullptr};
  const char* windows[] = {"activity", "dialog", "popup", "webview", "unknown"};
  const char* classes[] = {"ad", "personalized_feed", "privacy_dialog", "other", nullptr};
  const char* words[] = {"身份证", "⾝份证", "请上传人脸", "Ｆ指纹", "积分", "领取红包", "奖 励", "ＯＫ",
                         "个性化推荐", "个性化 推荐", "定推", "（拒绝）", "hello", "", "关闭", "×"};
  const char* kinds[] = {"button", "close", "link", "checkbox"};
  std::mt19937 random(seed);
  int64_t t = 0;
  for (int seq = 1; seq <= 150; ++seq) {
    t += random() % 3;  // a third of the screens share the previous one's time
    std::string record = R"({"type":"ui","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
                         R"(,"screen":{)";
    if (const char* activity = activities[random() % 6]) record += R"("activity":)" + Quoted(activity) + ",";
    record += R"("window":)" + Quoted(windows[random() % 5]) + "}";
    if (const char* kind = classes[random() % 5]) record += R"(,"class":)" + Quoted(kind);
    record += R"(,"texts":[)";
    for (uint32_t i = 0, n = random() % 4; i < n; ++i) record += (i > 0 ? "," : "") + Quoted(words[random() % 16]);
    record += R"(],"controls":[)";
    for (uint32_t i = 0, n = random() % 3; i < n; ++i) {
      record += std::string(i > 0 ? "," : "") + R"({"kind":)" + Quoted(kinds[random() % 4]) + R"(,"text":)" +
                Quoted(words[random() % 16]) + "}";
    }
    text += record + "]}\n";
  }
  return text;
}

}  // namespace

TEST_CASE("the screen helpers give the previous definitions' values") {
  auto compiled = testing::CompilePacks({"tests/plan/screens"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  size_t screens = 0, first = 0, rewards = 0, labelled = 0;
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    testing::Run run = testing::Evaluate(*compiled->plan, "screens.jsonl", Session(seed));
    REQUIRE(run.sessions.size() == 1);
    for (const findings::RuleError& error : run.sessions[0].result.summary.rule_errors) {
      CHECK_MESSAGE(error.rule != "screens-both-ways", error.message);
    }
    for (const findings::Finding* finding :
         testing::FindingsOf(*compiled->plan, run.sessions[0], "screens-both-ways")) {
      ++screens;
      INFO(finding->subject.sdk, ": ", finding->message);
      auto parts = testing::BothWays(finding->message);
      REQUIRE(parts.size() == 3);
      for (const auto& [previous, now] : parts) CHECK(previous == now);
      first += parts[0].first == "true";
      rewards += parts[1].first == "true";
      labelled += parts[2].first == "true";
    }
  }
  // Every case occurred both ways: the sessions exercise the definitions.
  CHECK(screens == 20 * 150);
  CHECK(first > 100);
  CHECK(first < screens - 100);
  CHECK(rewards > 20);
  CHECK(rewards < screens - 100);
  CHECK(labelled > 100);
  CHECK(labelled < screens - 100);
}
