// What native code reads from an interp::Machine without calling a helper: its first word is the
// address of its constants (codegen/context.h's kMachineConstantsOffset), which holds only while
// std::span keeps its data pointer first; offsetof checks the member, this the span's layout.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "compiler/plan/expr.h"
#include "runtime/interp/machine.h"

using namespace edict;

TEST_CASE("a machine's first word is the address of its constants") {
  plan::Code code;
  std::vector<value::Value> constants = {value::Value::Int(7), value::Value::String("seven")};
  interp::Machine machine(nullptr, code, constants);
  const value::Value* first_word = nullptr;
  std::memcpy(&first_word, reinterpret_cast<const char*>(&machine) + interp::Machine::kConstantsOffset,
              sizeof first_word);
  CHECK(first_word == machine.constants());
  CHECK(first_word == constants.data());
  CHECK(first_word[1].string_value() == "seven");
}
