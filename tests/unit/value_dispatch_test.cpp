// The overload table generated from overloads.def: unique ids, well-formed type spellings,
// functions grouped by call style, kind checks on direct calls, and strictness.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "runtime/value/dispatch.h"

using namespace edict::value;

namespace {

// A type spelling as overloads.def documents it.
bool IsWellFormedType(std::string_view type) {
  static const std::set<std::string_view> kSimple = {"int",    "uint",      "double",    "bool", "string",
                                                      "bytes",  "null_type", "duration",  "timestamp", "dyn"};
  if (kSimple.count(type) > 0) return true;
  if (type.size() == 1 && type[0] >= 'A' && type[0] <= 'Z') return true;
  for (std::string_view prefix : {"list(", "type("}) {
    if (type.starts_with(prefix) && type.ends_with(")")) return IsWellFormedType(type.substr(prefix.size(), type.size() - prefix.size() - 1));
  }
  if (type.starts_with("map(") && type.ends_with(")")) {
    std::string_view inner = type.substr(4, type.size() - 5);
    size_t comma = inner.find(", ");
    return comma != std::string_view::npos && IsWellFormedType(inner.substr(0, comma)) &&
           IsWellFormedType(inner.substr(comma + 2));
  }
  return false;
}

}  // namespace

TEST_CASE("every overload has a unique id and a well-formed signature") {
  std::set<std::string_view> ids;
  std::set<std::string> signatures;
  for (const OverloadInfo& info : AllOverloads()) {
    CAPTURE(info.name);
    CHECK(ids.insert(info.name).second);
    CHECK(&Info(info.id) == &info);
    CHECK(info.arity >= 1);
    CHECK(info.arity <= kMaxArity);
    CHECK(IsWellFormedType(info.result));
    std::string signature = std::string(info.function) + (info.style == CallStyle::kReceiver ? "." : "/");
    for (int i = 0; i < info.arity; ++i) {
      CHECK(IsWellFormedType(info.params[i]));
      CHECK(info.accepts[i] != 0);
      signature += std::string(info.params[i]) + ",";
    }
    CHECK(signatures.insert(signature).second);  // no two overloads of a function take the same types
    CHECK((info.invoke != nullptr));
  }
}

TEST_CASE("functions group their overloads by name and call style") {
  std::optional<Function> global_size = Function::Find("size", CallStyle::kGlobal);
  std::optional<Function> method_size = Function::Find("size", CallStyle::kReceiver);
  REQUIRE(global_size.has_value());
  REQUIRE(method_size.has_value());
  CHECK(global_size->overloads().size() == 4);
  CHECK(method_size->overloads().size() == 4);
  CHECK(global_size->name() == "size");
  CHECK(method_size->style() == CallStyle::kReceiver);
  CHECK(Function::Find("_<_", CallStyle::kGlobal)->overloads().size() == 14);
  CHECK(Function::Find("getHours", CallStyle::kReceiver)->overloads().size() == 3);
  CHECK_FALSE(Function::Find("startsWith", CallStyle::kGlobal).has_value());
  CHECK_FALSE(Function::Find("f_unknown", CallStyle::kGlobal).has_value());
}

TEST_CASE("a direct call checks kinds and arity instead of trusting them") {
  const Value ints[] = {Value::Int(1), Value::Int(2)};
  CHECK(Call(Overload::add_int64, ints).int_value() == 3);
  const Value strings[] = {Value::String("a"), Value::String("b")};
  CHECK(Call(Overload::add_int64, strings).error_code() == ErrorCode::kNoSuchOverload);
  const Value one[] = {Value::Int(1)};
  CHECK(Call(Overload::add_int64, one).error_code() == ErrorCode::kNoSuchOverload);
  const Value index[] = {Value::List({Value::Int(7)}), Value::Uint(0)};
  CHECK(Call(Overload::index_list, index).int_value() == 7);
}

TEST_CASE("strict overloads pass the first unknown, else the first error, through") {
  Value first = Value::Error(ErrorCode::kDivisionByZero, "first");
  Value second = Value::Error(ErrorCode::kOverflow, "second");
  const Value errors[] = {first, second};
  CHECK(Call(Overload::add_int64, errors).error_message() == "first");
  const Value mixed[] = {Value::Int(1), second};
  CHECK(Call(Overload::equals, mixed).error_message() == "second");
  const Value with_unknown[] = {first, Value::Unknown("session.first_run")};
  CHECK(Call(Overload::equals, with_unknown).is_unknown());
  CHECK(Info(Overload::equals).strict);
  CHECK_FALSE(Info(Overload::logical_and).strict);
  CHECK_FALSE(Info(Overload::conditional).strict);
}

TEST_CASE("the uniform entry point writes over a live value") {
  const Value args[] = {Value::String("ab"), Value::String("c")};
  Value out = Value::String("overwritten");
  Info(Overload::add_string).invoke(args, &out);
  CHECK(out.string_value() == "abc");
}

TEST_CASE("dynamic dispatch picks the overload from runtime kinds") {
  std::optional<Function> less = Function::Find("_<_", CallStyle::kGlobal);
  REQUIRE(less.has_value());
  const Value int_uint[] = {Value::Int(-1), Value::Uint(0)};
  CHECK(less->Call(int_uint).bool_value());
  const Value double_int[] = {Value::Double(0.5), Value::Int(1)};
  CHECK(less->Call(double_int).bool_value());
  const Value bad[] = {Value::Null(), Value::Null()};
  CHECK(less->Call(bad).error_message() == "no matching overload for '_<_' applied to (null_type, null_type)");
}
