// Values outside the pass loops (tests/plan/native_values): reports, memo function bodies and
// folds read columns of tables known only at run time inline (ints, bools, durations, enum and
// string equalities, has()), test bools and copy results inline; absent fields, absent enclosing
// structs, errors absorbed by && and ||, owned and borrowed strings, several sessions in one
// evaluator and several threads must give the interpreter's results exactly, at O0 (the code a
// large rule set gets) and at O2.
#include <doctest/doctest.h>

#include "tests/unit/jit_native_pack.h"

using namespace edict;

namespace {

std::string Sessions() {
  std::string text = testing::ReadFile("tests/plan/native_values/sessions.jsonl");
  // A second session, so a session's cached values never leak into the next one.
  std::string second = text;
  second.replace(second.find(R"("id":"v")"), 8, R"("id":"w")");
  second.replace(second.find(R"("sdk":"umeng")"), 13, R"("sdk":"other")");
  return text + second;
}

void CompareAt(const char* level) {
  auto pack = testing::CompileNativePack("tests/plan/native_values", level, Sessions());
  REQUIRE(pack->loaded.sessions.size() == 2);
  // The reports cover what the pack is about: absent fields' errors and present values.
  testing::CompareEngines(*pack, {"no such field: proc", "no such field: caller"}, 0);
}

}  // namespace

TEST_CASE("column reads, presence, compares and logic outside the pass loops at O0") { CompareAt("O0"); }

TEST_CASE("column reads, presence, compares and logic outside the pass loops at O2") { CompareAt("O2"); }
