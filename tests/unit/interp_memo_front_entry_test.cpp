// A string memo function's front entry (runtime/interp/machine.h's StringFrontEntry) compares the
// characters' address and size it keeps beside the string it holds: an empty slot is no hit, not
// even for an empty string that has no address; the same address with another size is another
// string; a new session starts with an empty front; and a function by string or by value takes no
// argument of another kind from its front (tests/plan/memo_string, tests/plan/memo_value).
#include <doctest/doctest.h>

#include <span>

#include "runtime/facts/loader.h"
#include "runtime/interp/machine.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

struct Loaded {
  std::unique_ptr<testing::Compiled> compiled;
  facts::LoadResult loaded;
  std::vector<value::Value> constants;
  const plan::Plan& plan() const { return *compiled->plan; }
};

Loaded Load(const std::string& pack, const std::string& facts) {
  Loaded loaded;
  loaded.compiled = testing::CompilePacks({pack});
  REQUIRE_MESSAGE(loaded.compiled->plan != nullptr, loaded.compiled->Errors());
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  loaded.loaded = facts::Load(*loaded.plan().schema, std::span<const facts::InputSource>(&source, 1));
  loaded.constants = loaded.plan().code.constants;
  return loaded;
}

uint32_t MemoIndex(const plan::Plan& plan, const std::string& name) {
  for (uint32_t i = 0; i < plan.memo_functions.size(); ++i) {
    if (plan.memo_functions[i].name == name) return i;
  }
  FAIL("no memo function " << name);
  return 0;
}

std::string Denials(const std::string& id) {
  return testing::HeaderLine(id) + testing::ResultLine(1, 1, "android.permission.CAMERA", "denied") +
         testing::ResultLine(2, 2, "android.permission.CAMERA", "denied") +
         testing::ResultLine(3, 3, "android.permission.CAM", "denied");
}

// `function`'s value of `argument` through the machine's cache, as a copy.
value::Value MemoOf(interp::Machine& machine, uint32_t function, const value::Value& argument) {
  interp::Cell cell;
  cell.value = argument;
  value::Value scratch;
  return *machine.MemoRef(function, cell, scratch);
}

}  // namespace

TEST_CASE("an empty front slot is no hit, even for an empty string without an address") {
  Loaded loaded = Load("tests/plan/memo_string", Denials("s"));
  REQUIRE(loaded.loaded.sessions.size() == 1);
  interp::Machine machine(&loaded.plan(), loaded.plan().code, loaded.constants);
  machine.BeginSession(loaded.loaded.sessions[0].store.get(), UINT64_MAX);
  uint32_t denials = MemoIndex(loaded.plan(), "denials_of");
  value::Value camera = value::Value::UnownedString("android.permission.CAMERA");
  value::Value nowhere = value::Value::UnownedString(std::string_view());
  CHECK(machine.MemoFrontHit(denials, camera) == nullptr);  // the front is not sized yet
  CHECK(MemoOf(machine, denials, camera).int_value() == 2);
  interp::Stats before = machine.stats();
  CHECK(machine.MemoFrontHit(denials, nowhere) == nullptr);
  CHECK(machine.stats().memo_hits == before.memo_hits);
  CHECK(MemoOf(machine, denials, nowhere).int_value() == 0);
  CHECK(machine.stats().memo_misses == before.memo_misses + 1);
  const value::Value* held = machine.MemoFrontHit(denials, nowhere);
  REQUIRE(held != nullptr);
  CHECK(held->int_value() == 0);
  CHECK(machine.stats().memo_hits == before.memo_hits + 1);
}

TEST_CASE("a string at a held string's address with another size is another string") {
  Loaded loaded = Load("tests/plan/memo_string", Denials("s"));
  interp::Machine machine(&loaded.plan(), loaded.plan().code, loaded.constants);
  machine.BeginSession(loaded.loaded.sessions[0].store.get(), UINT64_MAX);
  uint32_t denials = MemoIndex(loaded.plan(), "denials_of");
  std::string_view text = "android.permission.CAMERA";
  value::Value camera = value::Value::UnownedString(text);
  value::Value prefix = value::Value::UnownedString(text.substr(0, text.size() - 3));
  CHECK(MemoOf(machine, denials, camera).int_value() == 2);
  REQUIRE(machine.MemoFrontHit(denials, camera) != nullptr);
  CHECK(machine.MemoFrontHit(denials, prefix) == nullptr);
  CHECK(MemoOf(machine, denials, prefix).int_value() == 1);
  CHECK(machine.MemoFrontHit(denials, prefix)->int_value() == 1);
  CHECK(machine.stats().memo_misses == 2);
}

TEST_CASE("each session starts with an empty front, whatever address its strings have") {
  Loaded loaded = Load("tests/plan/memo_string", Denials("a") + Denials("b"));
  REQUIRE(loaded.loaded.sessions.size() == 2);
  interp::Machine machine(&loaded.plan(), loaded.plan().code, loaded.constants);
  uint32_t denials = MemoIndex(loaded.plan(), "denials_of");
  value::Value camera = value::Value::UnownedString("android.permission.CAMERA");
  for (const facts::Session& session : loaded.loaded.sessions) {
    machine.BeginSession(session.store.get(), UINT64_MAX);
    CHECK(machine.MemoFrontHit(denials, camera) == nullptr);
    CHECK(MemoOf(machine, denials, camera).int_value() == 2);
    CHECK(machine.MemoFrontHit(denials, camera) != nullptr);
    CHECK(machine.stats().memo_misses == 1);
    CHECK(machine.stats().memo_hits == 1);
  }
}

TEST_CASE("a function by string or by value takes no argument of another kind from its front") {
  Loaded strings = Load("tests/plan/memo_string", Denials("s"));
  interp::Machine by_string(&strings.plan(), strings.plan().code, strings.constants);
  by_string.BeginSession(strings.loaded.sessions[0].store.get(), UINT64_MAX);
  uint32_t denials = MemoIndex(strings.plan(), "denials_of");
  MemoOf(by_string, denials, value::Value::UnownedString("android.permission.CAMERA"));
  CHECK(by_string.MemoFrontHit(denials, value::Value::Int(1)) == nullptr);

  Loaded values = Load("tests/plan/memo_value", Denials("s"));
  interp::Machine by_value(&values.plan(), values.plan().code, values.constants);
  by_value.BeginSession(values.loaded.sessions[0].store.get(), UINT64_MAX);
  uint32_t after = MemoIndex(values.plan(), "requests_after");
  MemoOf(by_value, after, value::Value::Int(1));
  CHECK(by_value.MemoFrontHit(after, value::Value::Int(1)) != nullptr);
  CHECK(by_value.MemoFrontHit(after, value::Value::UnownedString("android.permission.CAMERA")) == nullptr);
  CHECK(by_value.MemoFrontHit(after, value::Value::Uint(1)) == nullptr);
}
