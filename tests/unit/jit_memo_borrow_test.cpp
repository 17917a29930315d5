// Native code's memo hits (compiler/codegen/memo_emitter.cpp) borrow the cached value through
// the machine's interp::MemoView instead of copying it: the view is empty until a by-row
// function's first call in a session, then stays put while other rows and functions miss, and a
// new session (more or fewer records) starts empty again. Strings, lists, maps and errors held
// across other calls' misses (tests/plan/memo_borrow) give the interpreter's results and counts,
// in several sessions per evaluator and on several threads at once.
#include <doctest/doctest.h>

#include <thread>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_memo_fixture.h"

using namespace edict;
using testing::HeaderLine;
using testing::MemoIndex;
using testing::RequestLine;

namespace {

const std::string kCamera = R"("android.permission.CAMERA")";
const std::string kMic = R"("android.permission.RECORD_AUDIO")";
const std::string kSms = R"("android.permission.SEND_SMS")";

// Session `id` with `count` requests, cycling through camera+mic, mic, camera, sms+camera, none.
std::string Session(const std::string& id, int count) {
  const std::string perms[] = {"[" + kCamera + "," + kMic + "]", "[" + kMic + "]", "[" + kCamera + "]",
                               "[" + kSms + "," + kCamera + "]", "[]"};
  std::string text = HeaderLine(id);
  for (int i = 0; i < count; ++i) text += RequestLine(i + 1, 10 * (i + 1), perms[i % 5]);
  return text;
}

// tests/plan/memo_borrow: lists, a map, an error, nested calls.
std::unique_ptr<testing::MemoFixture> Load(const std::string& facts) {
  auto fixture = testing::LoadMemoFixture("tests/plan/memo_borrow", facts);
  REQUIRE(fixture->plan().memo_functions.size() == 4);
  return fixture;
}

}  // namespace

TEST_CASE("a by-row memo view is empty until the first call, then stays put while other rows miss") {
  auto fixture = Load(Session("a", 4) + Session("b", 7));
  REQUIRE(fixture->loaded.sessions.size() == 2);
  const plan::Plan& plan = fixture->plan();
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine machine(&plan, plan.code, constants);
  uint32_t summary = MemoIndex(plan, "summary");
  uint32_t camera = MemoIndex(plan, "camera");
  facts::KindId kind = plan.memo_functions[summary].kind;

  const facts::SessionStore* first = fixture->loaded.sessions[0].store.get();
  machine.BeginSession(first, UINT64_MAX);
  const interp::MemoView* view = machine.memo_view(summary);
  CHECK(view->rows == 0);
  interp::Cell cursor;
  cursor.table = &first->records(kind).fields;
  cursor.row = 1;
  value::Value computed = machine.Memo(summary, cursor);
  REQUIRE(computed.is_map());
  CHECK(machine.memo_view(summary) == view);
  CHECK(view->table == cursor.table);
  CHECK(view->rows == 4);
  CHECK(view->filled[0] == 0b10);
  CHECK(view->hits == &machine.stats().memo_hits);
  const value::Value* borrowed = &view->values[1];
  // Misses of the other rows, and of another function, write other entries and move nothing.
  for (uint32_t row : {0u, 2u, 3u}) {
    cursor.row = row;
    machine.Memo(summary, cursor);
    machine.Memo(camera, cursor);
  }
  CHECK(view->values == borrowed - 1);
  CHECK(testing::Describe(*borrowed) == testing::Describe(computed));
  interp::Stats before = machine.stats();
  cursor.row = 1;
  CHECK(testing::Describe(machine.Memo(summary, cursor)) == testing::Describe(computed));
  CHECK(machine.stats().memo_hits == before.memo_hits + 1);
  CHECK(machine.stats().memo_misses == before.memo_misses);
  // An error is a cached value like any other.
  cursor.row = 1;
  machine.Memo(camera, cursor);
  CHECK(machine.memo_view(camera)->values[1].is_error());
  CHECK((machine.memo_view(camera)->filled[0] & 0b10) != 0);

  // A new session, with more rows: empty again, then sized to its table.
  const facts::SessionStore* second = fixture->loaded.sessions[1].store.get();
  machine.BeginSession(second, UINT64_MAX);
  view = machine.memo_view(summary);
  CHECK(view->rows == 0);
  CHECK(view->table == nullptr);
  cursor.table = &second->records(kind).fields;
  cursor.row = 6;
  machine.Memo(summary, cursor);
  CHECK(view->rows == 7);
  CHECK(view->filled[0] == 0b1000000);
  // By string or by value: no rows, ever (the helper answers every call).
  for (const plan::MemoFunction& memo : plan.memo_functions) CHECK(!memo.by_string);
}

TEST_CASE("borrowed memo values give the interpreter's results and counts, session after session") {
  // More, fewer, none and again more requests than the session before (over several 64-row
  // words of the filled bits), in one evaluator.
  auto fixture = Load(Session("a", 5) + Session("b", 12) + Session("c", 2) + Session("d", 0) + Session("e", 150) +
                      Session("f", 9));
  const plan::Plan& plan = fixture->plan();
  REQUIRE(fixture->loaded.sessions.size() == 6);
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture->native->code);
  uint64_t hits = 0;
  for (const facts::Session& session : fixture->loaded.sessions) {
    interp::SessionEvaluation expected = interpreter.Evaluate(session);
    interp::SessionEvaluation actual = jit.Evaluate(session);
    CHECK(testing::Describe(plan, actual) == testing::Describe(plan, expected));
    CHECK(actual.stats.memo_hits == expected.stats.memo_hits);
    CHECK(actual.stats.memo_misses == expected.stats.memo_misses);
    CHECK(actual.stats.fallbacks == 0);
    hits += actual.stats.memo_hits;
  }
  CHECK(hits > 100);
  // The pairs' messages read each summary after the other side's values were computed.
  interp::SessionEvaluation again = jit.Evaluate(fixture->loaded.sessions[0]);
  auto pairs = testing::FindingsOf(plan, again, "pairs");
  REQUIRE(pairs.size() == 1);
  const std::string audio = R"({"first": "android.permission.RECORD_AUDIO", )";
  CHECK(pairs[0]->message == audio + R"("camera": "yes"} android.permission.RECORD_AUDIO )" + audio +
                                 R"("camera": "yes"} )" + audio + R"("camera": "no"} android.permission.RECORD_AUDIO )" +
                                 audio + R"("camera": "no"})");
}

TEST_CASE("threads, each with its own evaluator, borrow from their own caches") {
  auto fixture = Load(Session("a", 8) + Session("b", 3) + Session("c", 15));
  const plan::Plan& plan = fixture->plan();
  std::vector<std::string> expected;
  interp::Evaluator interpreter(plan);
  for (const facts::Session& session : fixture->loaded.sessions) {
    expected.push_back(testing::Describe(plan, interpreter.Evaluate(session)));
  }
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator jit(plan, &fixture->native->code);
      for (int round = 0; round < 20; ++round) {
        size_t s = static_cast<size_t>(round + t) % fixture->loaded.sessions.size();
        if (testing::Describe(plan, jit.Evaluate(fixture->loaded.sessions[s])) != expected[s]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
}
