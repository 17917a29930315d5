// An evaluator's copy of the plan's constants (interp::LocalCopies): equal to the originals, sharing
// no list, map or reference count with them, and sharing among themselves exactly what the
// originals share, so a table that many constants hold is copied once.
#include <doctest/doctest.h>

#include "runtime/interp/interp.h"
#include "runtime/value/compare.h"

using namespace edict;
using value::Value;

namespace {

const void* ListStorage(const Value& list) { return list.list_elements().data(); }

}  // namespace

TEST_CASE("local constants equal the plan's and share what the plan's share") {
  Value codes = Value::List({Value::String("01"), Value::String("02")});
  Value record = Value::Map({{Value::String("codes"), codes}, {Value::String("name"), Value::String("maps")}});
  Value table = Value::Map({{Value::String("a"), record}, {Value::String("b"), record}});
  std::vector<Value> constants = {table, table, codes, Value::List({Value::String("01"), Value::String("02")}),
                                  Value::String("text"), Value::Int(7), Value::Bytes("\x01\x02"),
                                  Value::Error(value::ErrorCode::kDivisionByZero, "division by zero"),
                                  Value::List({})};
  std::vector<Value> copies = interp::LocalCopies(constants);
  REQUIRE(copies.size() == constants.size());
  for (size_t i = 0; i < constants.size(); ++i) {
    CAPTURE(i);
    CHECK(copies[i].kind() == constants[i].kind());
    if (!constants[i].is_error()) CHECK(value::Equal(copies[i], constants[i]));
  }
  CHECK(copies[7].error_code() == value::ErrorCode::kDivisionByZero);
  CHECK(copies[7].error_message() == "division by zero");

  // Nothing is the plan's own storage but string text.
  CHECK(&copies[0].map() != &table.map());
  CHECK(ListStorage(copies[2]) != ListStorage(codes));
  CHECK(copies[6].string_value().data() != constants[6].string_value().data());
  CHECK_FALSE(copies[4].owns_storage());
  CHECK(copies[4].string_value().data() == constants[4].string_value().data());

  // Shared storage is copied once, at any depth; equal but distinct storage stays distinct.
  CHECK(&copies[1].map() == &copies[0].map());
  const Value* a = copies[0].map().Find(Value::String("a"));
  const Value* b = copies[0].map().Find(Value::String("b"));
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(&a->map() == &b->map());
  const Value* a_codes = a->map().Find(Value::String("codes"));
  REQUIRE(a_codes != nullptr);
  CHECK(ListStorage(*a_codes) == ListStorage(copies[2]));
  CHECK(ListStorage(copies[3]) != ListStorage(copies[2]));
}

// The plan outlives its evaluators (their strings are views of its text); one evaluator's copies
// do not depend on another's.
TEST_CASE("local constants of an evaluator outlive every other evaluator's copy") {
  auto make = [] { return Value::List({Value::Map({{Value::String("k"), Value::List({Value::Int(1)})}})}); };
  std::vector<Value> constants = {make()};
  std::vector<Value> first = interp::LocalCopies(constants);
  std::vector<Value> second = interp::LocalCopies(constants);
  CHECK(ListStorage(first[0]) != ListStorage(second[0]));
  first.clear();
  REQUIRE(second[0].list_elements().size() == 1);
  CHECK(value::Equal(second[0], make()));
}
