// Calls by reference (call_operands.h) against calls over an argument span: the same value,
// errors and messages included, for every one- and two-parameter overload and operands of every
// kind, accepted or not.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/value/call_operands.h"
#include "runtime/value/format.h"
#include "runtime/value/time.h"

using namespace edict::value;

namespace {

std::vector<Value> Samples() {
  std::vector<Value> samples = {
      Value::Null(),
      Value::Bool(true),
      Value::Bool(false),
      Value::Int(0),
      Value::Int(-7),
      Value::Uint(3),
      Value::Double(1.0),
      Value::Double(-0.5),
      Value::String(""),
      Value::String("abc"),
      Value::UnownedString("ab"),
      Value::String("同意 x"),
      Value::Bytes("\x01z"),
      Value::Duration(1'500'000'000),
      Value::Timestamp(1'700'000'000, 5),
      Value::Type(TypeKind::kInt),
      Value::List({Value::Int(1), Value::String("ab")}),
      Value::List({}),
      Value::Map({{Value::String("ab"), Value::Int(1)}, {Value::Int(2), Value::Bool(true)}}),
      Value::Error(ErrorCode::kDivisionByZero, "division by zero"),
      Value::Unknown("x.y"),
  };
  return samples;
}

}  // namespace

TEST_CASE("a call by reference gives what the call over a span gives") {
  std::vector<Value> samples = Samples();
  for (const OverloadInfo& info : AllOverloads()) {
    CAPTURE(info.name);
    if (info.arity == 1) {
      for (const Value& a : samples) {
        CAPTURE(FormatLiteral(a));
        CHECK(FormatLiteral(Call(info.id, a)) == FormatLiteral(Call(info.id, std::span<const Value>(&a, 1))));
      }
    } else if (info.arity == 2) {
      for (const Value& a : samples) {
        for (const Value& b : samples) {
          CAPTURE(FormatLiteral(a));
          CAPTURE(FormatLiteral(b));
          const Value args[] = {a, b};
          CHECK(FormatLiteral(Call(info.id, a, b)) == FormatLiteral(Call(info.id, args)));
        }
      }
    }
  }
}

TEST_CASE("a strict call by reference passes the first unknown, else the first error") {
  Value error_a = Value::Error(ErrorCode::kOverflow, "first");
  Value error_b = Value::Error(ErrorCode::kRange, "second");
  Value unknown = Value::Unknown("u");
  CHECK(Call(Overload::equals, error_a, error_b).error_message() == "first");
  CHECK(Call(Overload::equals, error_a, unknown).is_unknown());
  CHECK(Call(Overload::equals, Value::Int(1), error_b).error_message() == "second");
  CHECK(Call(Overload::size_string, error_a).error_message() == "first");
}
