// Native code's memo calls (runtime/jit/abi.cpp's `memo` helper): a hit or a miss of a row is
// answered from the machine's interp::MemoView, the miss by calling the body's native function in
// place, as Machine::Eval would; a by-string call from the front cache by address; everything else
// (the first call, a cursor on another table, an exhausted budget, an uncompiled body, a string
// the front does not hold) by the machine's own path. Called directly against an interpreting
// machine: the same values, errors, hits, misses, steps and fallbacks at every budget, aggregates
// in bodies reading the body's frame, nested misses, sessions one after the other and threads at
// once.
#include <doctest/doctest.h>

#include <thread>

#include "runtime/jit/abi.h"
#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_memo_fixture.h"

using namespace edict;
using testing::HeaderLine;
using testing::MemoIndex;
using testing::RequestLine;
using testing::ResultLine;

namespace {

using MemoHelper = const value::Value* (*)(interp::Machine*, uint32_t, const interp::Cell*, value::Value*);

MemoHelper Helper() {
  for (const auto& [name, address] : jit::RuntimeSymbols()) {
    if (name == "edict_rt_memo") return reinterpret_cast<MemoHelper>(address);
  }
  FAIL("no edict_rt_memo");
  return nullptr;
}

const std::string kCamera = R"("android.permission.CAMERA")";
const std::string kMic = R"("android.permission.RECORD_AUDIO")";

// Session `id`: `count` requests cycling through camera+mic, mic, camera, none, with a denial
// before every third.
std::string Session(const std::string& id, int count) {
  const std::string perms[] = {"[" + kCamera + "," + kMic + "]", "[" + kMic + "]", "[" + kCamera + "]", "[]"};
  std::string text = HeaderLine(id);
  for (int i = 0; i < count; ++i) {
    if (i % 3 == 0) text += ResultLine(2 * i + 1, 10 * i + 5, "android.permission.CAMERA", "denied");
    text += RequestLine(2 * i + 2, 10 * i + 10, perms[i % 4]);
  }
  return text;
}

// Every by-row function for every row of its kind, twice (misses, then hits), in `budget` steps:
// each value and then the machine's counters, as text.
std::string CallAll(interp::Machine& machine, const plan::Plan& plan, const facts::SessionStore* store,
                    uint64_t budget, bool native) {
  machine.BeginSession(store, budget);
  MemoHelper helper = Helper();
  std::string out;
  for (int round = 0; round < 2; ++round) {
    for (uint32_t f = 0; f < plan.memo_functions.size(); ++f) {
      const plan::MemoFunction& memo = plan.memo_functions[f];
      if (memo.by_string || memo.by_value != value::Kind::kNull) continue;
      interp::Cell cursor;
      cursor.table = &store->records(memo.kind).fields;
      for (uint32_t row = 0; row < cursor.table->rows(); ++row) {
        cursor.row = row;
        value::Value scratch;
        out += memo.name + " " + std::to_string(row) + ": " +
               testing::Describe(native ? *helper(&machine, f, &cursor, &scratch) : machine.Memo(f, cursor)) + "\n";
      }
    }
  }
  const interp::Stats& stats = machine.stats();
  out += "memo " + std::to_string(stats.memo_hits) + "/" + std::to_string(stats.memo_misses) + " fallbacks " +
         std::to_string(stats.fallbacks) + " steps " + std::to_string(*machine.steps_counter()) +
         (machine.exhausted() ? " exhausted" : "") + "\n";
  return out;
}

}  // namespace

TEST_CASE("a by-row miss runs the native body in place, and the row is then a hit") {
  auto fixture = testing::LoadMemoFixture("tests/plan/memo_borrow", Session("a", 6) + Session("b", 3));
  REQUIRE(fixture->loaded.sessions.size() == 2);
  const plan::Plan& plan = fixture->plan();
  const facts::SessionStore* store = fixture->loaded.sessions[0].store.get();
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine machine(&plan, plan.code, constants);
  machine.set_compiled(&fixture->native->code);
  machine.BeginSession(store, UINT64_MAX);
  uint32_t summary = MemoIndex(plan, "summary");
  const plan::MemoFunction& memo = plan.memo_functions[summary];
  MemoHelper helper = Helper();
  interp::Cell cursor;
  cursor.table = &store->records(memo.kind).fields;
  cursor.row = 2;
  value::Value scratch;

  // The first call sizes the cache (the machine's path), and fills in the view's miss fields.
  const value::Value* first = helper(&machine, summary, &cursor, &scratch);
  const interp::MemoView* view = machine.memo_view(summary);
  CHECK(first == &view->values[2]);
  bool compiled_body = view->body == fixture->native->code.exprs[memo.expr] && view->body != nullptr;
  CHECK(compiled_body);
  CHECK(view->misses == &machine.stats().memo_misses);
  CHECK(view->param == view->frame->data() + memo.param);

  // A miss of another row: computed into its entry, counted once (the nested calls of `others`
  // count their own), the current frame restored.
  interp::Frame outer;
  machine.set_current_frame(&outer);
  interp::Stats before = machine.stats();
  uint32_t others = MemoIndex(plan, "others");
  cursor.row = 4;
  const value::Value* computed = helper(&machine, summary, &cursor, &scratch);
  CHECK(computed == &view->values[4]);
  CHECK(computed->is_map());
  CHECK((view->filled[0] & 0b10000) != 0);
  CHECK(machine.current_frame() == &outer);
  CHECK(machine.stats().memo_misses == before.memo_misses + 2);  // summary and others, row 4
  CHECK(machine.stats().memo_hits == before.memo_hits + 1);      // others again, in summary's body
  CHECK((machine.memo_view(others)->filled[0] & 0b10000) != 0);
  CHECK(machine.stats().fallbacks == 0);
  // Then a hit, borrowed from the same entry.
  before = machine.stats();
  CHECK(helper(&machine, summary, &cursor, &scratch) == computed);
  CHECK(machine.stats().memo_hits == before.memo_hits + 1);
  CHECK(machine.stats().memo_misses == before.memo_misses);

  // A cursor on another table (a request of another session): computed into the scratch value,
  // never kept.
  interp::Cell foreign;
  foreign.table = &fixture->loaded.sessions[1].store->records(memo.kind).fields;
  foreign.row = 0;
  before = machine.stats();
  const value::Value* other = helper(&machine, summary, &foreign, &scratch);
  CHECK(other == &scratch);
  CHECK(other->is_map());
  // summary, and others twice in its body: no call on that table is a key.
  CHECK(machine.stats().memo_misses == before.memo_misses + 3);
  CHECK((view->filled[0] & 1) == 0);

  // The interpreter's machine never has a body to call: its view's is null.
  interp::Machine interpreter(&plan, plan.code, constants);
  interpreter.BeginSession(store, UINT64_MAX);
  interpreter.Memo(summary, cursor);
  bool no_body = interpreter.memo_view(summary)->body == nullptr;
  CHECK(no_body);
  CHECK(interpreter.memo_view(summary)->rows == 6);
}

TEST_CASE("misses give the interpreter's values, errors and counts at every budget, mid-body too") {
  for (const char* pack : {"tests/plan/memo", "tests/plan/memo_borrow"}) {
    CAPTURE(pack);
    auto fixture = testing::LoadMemoFixture(pack, Session("a", 9));
    const plan::Plan& plan = fixture->plan();
    const facts::SessionStore* store = fixture->loaded.sessions[0].store.get();
    std::vector<value::Value> constants = plan.code.constants;
    interp::Machine interpreter(&plan, plan.code, constants);
    interp::Machine native(&plan, plan.code, constants);
    native.set_compiled(&fixture->native->code);
    std::string unbounded = CallAll(interpreter, plan, store, UINT64_MAX, false);
    CHECK(CallAll(native, plan, store, UINT64_MAX, true) == unbounded);
    uint64_t steps = *interpreter.steps_counter();
    REQUIRE(steps > 20);
    // From none to all the steps it takes: the budget runs out before a miss, inside a body's
    // fold or aggregate (the body's value is then the budget error, cached) and between misses.
    for (uint64_t budget = 0; budget <= steps + 1; ++budget) {
      CAPTURE(budget);
      std::string expected = CallAll(interpreter, plan, store, budget, false);
      CHECK(CallAll(native, plan, store, budget, true) == expected);
      if (budget < steps) CHECK(expected.find("exhausted") != std::string::npos);
    }
  }
}

TEST_CASE("an uncompiled memo body takes the machine's path and counts as a fallback") {
  auto fixture = testing::LoadMemoFixture("tests/plan/memo", Session("a", 7));
  const plan::Plan& plan = fixture->plan();
  const facts::SessionStore* store = fixture->loaded.sessions[0].store.get();
  interp::CompiledCode code = fixture->native->code;
  uint32_t denials = MemoIndex(plan, "denials_before");
  code.exprs[plan.memo_functions[denials].expr] = nullptr;
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine interpreter(&plan, plan.code, constants);
  interp::Machine native(&plan, plan.code, constants);
  native.set_compiled(&code);
  std::string expected = CallAll(interpreter, plan, store, UINT64_MAX, false);
  std::string actual = CallAll(native, plan, store, UINT64_MAX, true);
  bool no_body = native.memo_view(denials)->body == nullptr;
  CHECK(no_body);
  CHECK(native.stats().fallbacks == 7);  // one per request: the misses of denials_before
  CHECK(actual.substr(0, actual.rfind("fallbacks")) == expected.substr(0, expected.rfind("fallbacks")));
  // A whole session evaluates as the interpreter does.
  interp::Evaluator jit(plan, &code);
  interp::Evaluator reference(plan);
  interp::SessionEvaluation evaluated = jit.Evaluate(fixture->loaded.sessions[0]);
  CHECK(testing::Describe(plan, evaluated) == testing::Describe(plan, reference.Evaluate(fixture->loaded.sessions[0])));
  CHECK(evaluated.stats.fallbacks > 0);
}

TEST_CASE("sessions one after the other and threads at once miss into their own caches") {
  auto fixture =
      testing::LoadMemoFixture("tests/plan/memo", Session("a", 5) + Session("b", 70) + Session("c", 0) + Session("d", 12));
  const plan::Plan& plan = fixture->plan();
  REQUIRE(fixture->loaded.sessions.size() == 4);
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine interpreter(&plan, plan.code, constants);
  std::vector<std::string> expected;
  const uint64_t budgets[] = {UINT64_MAX, 40};
  for (const facts::Session& session : fixture->loaded.sessions) {
    for (uint64_t budget : budgets) expected.push_back(CallAll(interpreter, plan, session.store.get(), budget, false));
  }
  constexpr int kThreads = 3;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<value::Value> own = plan.code.constants;
      interp::Machine native(&plan, plan.code, own);
      native.set_compiled(&fixture->native->code);
      for (int round = 0; round < 16; ++round) {
        size_t s = static_cast<size_t>(round + t) % fixture->loaded.sessions.size();
        size_t b = static_cast<size_t>(round / 4) % 2;
        std::string actual = CallAll(native, plan, fixture->loaded.sessions[s].store.get(), budgets[b], true);
        if (actual != expected[2 * s + b]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
}

TEST_CASE("a by-string call hits the front cache by address, else takes the machine's path") {
  auto fixture = testing::LoadMemoFixture("tests/plan/memo_string", Session("a", 5) + Session("b", 2));
  const plan::Plan& plan = fixture->plan();
  REQUIRE(fixture->loaded.sessions.size() == 2);
  uint32_t denials = MemoIndex(plan, "denials_of");
  REQUIRE(plan.memo_functions[denials].by_string);
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine native(&plan, plan.code, constants);
  native.set_compiled(&fixture->native->code);
  interp::Machine interpreter(&plan, plan.code, constants);
  MemoHelper helper = Helper();
  for (const facts::Session& session : fixture->loaded.sessions) {
    native.BeginSession(session.store.get(), UINT64_MAX);
    interpreter.BeginSession(session.store.get(), UINT64_MAX);
    interp::Cell camera;
    camera.value = value::Value::String("android.permission.CAMERA");
    interp::Cell same_text;  // the same characters at another address
    same_text.value = value::Value::String(std::string(camera.value.string_value()));
    interp::Cell number;
    number.value = value::Value::Int(3);
    value::Value scratch;
    // A miss (every session starts with an empty front), then a hit by address, then one by text.
    const value::Value* computed = helper(&native, denials, &camera, &scratch);
    CHECK(computed != &scratch);
    CHECK(native.stats().memo_misses == 1);
    CHECK(helper(&native, denials, &camera, &scratch) == computed);
    CHECK(helper(&native, denials, &same_text, &scratch) == computed);
    CHECK(helper(&native, denials, &camera, &scratch) == computed);
    CHECK(native.stats().memo_hits == 3);
    CHECK(native.stats().memo_misses == 1);
    // No string, no key: computed into the scratch value each time.
    CHECK(helper(&native, denials, &number, &scratch) == &scratch);
    CHECK(native.stats().memo_misses == 2);
    // The interpreter's values and counts.
    CHECK(testing::Describe(*computed) == testing::Describe(interpreter.Memo(denials, camera)));
    interpreter.Memo(denials, camera);
    interpreter.Memo(denials, same_text);
    interpreter.Memo(denials, camera);
    CHECK(testing::Describe(scratch) == testing::Describe(interpreter.Memo(denials, number)));
    CHECK(native.stats().memo_hits == interpreter.stats().memo_hits);
    CHECK(native.stats().memo_misses == interpreter.stats().memo_misses);
  }
}
