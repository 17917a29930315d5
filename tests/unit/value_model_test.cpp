// The value model: 16-byte values, shared immutable storage that copies by reference count,
// moves, unowned strings, and type names.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "runtime/value/value.h"

using namespace edict::value;

TEST_CASE("scalars are inline and keep their payload") {
  static_assert(sizeof(Value) == 16);
  CHECK(Value().is_null());
  CHECK(Value::Bool(true).bool_value());
  CHECK(Value::Int(-5).int_value() == -5);
  CHECK(Value::Uint(5).uint_value() == 5);
  CHECK(Value::Double(1.5).double_value() == 1.5);
  CHECK(Value::Duration(-7).duration_nanos() == -7);
  Value t = Value::Timestamp(1234567890, 123);
  CHECK(t.timestamp_seconds() == 1234567890);
  CHECK(t.timestamp_nanos() == 123);
  CHECK(Value::Type(TypeKind::kMap).type_value() == TypeKind::kMap);
}

TEST_CASE("copies share storage, assignments release it, moves leave null behind") {
  Value original = Value::String("a string long enough to live on the heap");
  Value copy = original;
  CHECK(copy.string_value().data() == original.string_value().data());
  Value moved = std::move(copy);
  CHECK(copy.is_null());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  CHECK(moved.string_value() == original.string_value());
  moved = Value::Int(1);
  CHECK(original.string_value() == "a string long enough to live on the heap");
  Value list = Value::List({original, Value::Int(2)});
  Value self = list;
  self = self;  // self-assignment keeps the value
  CHECK(self.list_elements().size() == 2);
  self = std::move(self);
  CHECK(self.list_elements()[0].string_value() == original.string_value());
}

TEST_CASE("values are shared across threads") {
  Value shared = Value::List({Value::String("x"), Value::Map({{Value::String("k"), Value::String("v")}})});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([shared] {
      for (int i = 0; i < 10000; ++i) {
        Value copy = shared;
        Value element = copy.list_elements()[1];
        (void)element;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(shared.list_elements()[0].string_value() == "x");
  CHECK(shared.list_elements()[1].map().Find(Value::String("k"))->string_value() == "v");
}

TEST_CASE("strings and bytes hold any bytes; unowned strings point at their storage") {
  Value bytes = Value::Bytes(std::string_view("\x00\xff", 2));
  CHECK(bytes.is_bytes());
  CHECK(bytes.string_value().size() == 2);
  CHECK(Value::Bytes("").is_bytes());
  CHECK(Value::String("").string_value().empty());
  static const char kInterned[] = "interned";
  Value unowned = Value::UnownedString(kInterned);
  CHECK(unowned.string_value().data() == kInterned);
  Value copy = unowned;
  CHECK(copy.string_value().data() == kInterned);
}

TEST_CASE("errors and unknowns carry their message") {
  Value error = Value::Error(ErrorCode::kNoSuchKey, "no such key: \"x\"");
  CHECK(error.is_error());
  CHECK(error.is_error_or_unknown());
  CHECK(error.error_code() == ErrorCode::kNoSuchKey);
  CHECK(error.error_message() == "no such key: \"x\"");
  Value unknown = Value::Unknown("perm_result");
  CHECK(unknown.is_unknown());
  CHECK(unknown.is_error_or_unknown());
  CHECK(unknown.unknown_attribute() == "perm_result");
  CHECK_FALSE(Value::Null().is_error_or_unknown());
}

TEST_CASE("type names follow CEL and read back") {
  CHECK(TypeName(TypeKind::kInt) == "int");
  CHECK(TypeName(TypeKind::kNullType) == "null_type");
  CHECK(TypeName(TypeKind::kTimestamp) == "google.protobuf.Timestamp");
  CHECK(TypeName(TypeKind::kDuration) == "google.protobuf.Duration");
  for (TypeKind type : {TypeKind::kNullType, TypeKind::kBool, TypeKind::kInt, TypeKind::kUint, TypeKind::kDouble,
                        TypeKind::kString, TypeKind::kBytes, TypeKind::kDuration, TypeKind::kTimestamp,
                        TypeKind::kList, TypeKind::kMap, TypeKind::kType}) {
    TypeKind read;
    REQUIRE(TypeFromName(TypeName(type), read));
    CHECK(read == type);
  }
  TypeKind read;
  CHECK(TypeFromName("timestamp", read));
  CHECK(read == TypeKind::kTimestamp);
  CHECK_FALSE(TypeFromName("dyn", read));
  CHECK(TypeOf(Value::Uint(1)) == TypeKind::kUint);
  CHECK(KindName(Kind::kError) == "error");
}
