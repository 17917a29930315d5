// CEL equality and ordering.
#include "runtime/value/compare.h"

#include <cmath>
#include <string_view>

#include "runtime/value/text_hash.h"

namespace edict::value {
namespace {

template <typename T>
Order Three(T a, T b) {
  if (a < b) return Order::kLess;
  if (b < a) return Order::kGreater;
  return Order::kEqual;
}

Order CompareDoubles(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return Order::kUnordered;
  return Three(a, b);
}

Order Reverse(Order order) {
  if (order == Order::kLess) return Order::kGreater;
  if (order == Order::kGreater) return Order::kLess;
  return order;
}

Order CompareIntUint(int64_t i, uint64_t u) {
  if (i < 0) return Order::kLess;
  return Three(static_cast<uint64_t>(i), u);
}

// 2^63 and 2^64 are exact doubles; an int64/uint64 converts to at most these.
constexpr double kTwoTo63 = 9223372036854775808.0;
constexpr double kTwoTo64 = 18446744073709551616.0;

Order CompareIntDouble(int64_t i, double d) {
  if (std::isnan(d)) return Order::kUnordered;
  if (d < -kTwoTo63) return Order::kGreater;
  if (d > kTwoTo63) return Order::kLess;
  return Three(static_cast<double>(i), d);
}

Order CompareUintDouble(uint64_t u, double d) {
  if (std::isnan(d)) return Order::kUnordered;
  if (d < 0) return Order::kGreater;
  if (d > kTwoTo64) return Order::kLess;
  return Three(static_cast<double>(u), d);
}

bool IsNumber(Kind kind) { return kind == Kind::kInt || kind == Kind::kUint || kind == Kind::kDouble; }

Order CompareNumbers(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Kind::kInt:
      if (b.is_int()) return Three(a.int_value(), b.int_value());
      if (b.is_uint()) return CompareIntUint(a.int_value(), b.uint_value());
      return CompareIntDouble(a.int_value(), b.double_value());
    case Kind::kUint:
      if (b.is_uint()) return Three(a.uint_value(), b.uint_value());
      if (b.is_int()) return Reverse(CompareIntUint(b.int_value(), a.uint_value()));
      return CompareUintDouble(a.uint_value(), b.double_value());
    default:
      if (b.is_double()) return CompareDoubles(a.double_value(), b.double_value());
      if (b.is_int()) return Reverse(CompareIntDouble(b.int_value(), a.double_value()));
      return Reverse(CompareUintDouble(b.uint_value(), a.double_value()));
  }
}

// Whether a value equals itself: all but NaN, errors and unknowns, and the containers holding one.
// Memo values are borrowed, so grouping and set membership compare a rep with itself often; this
// walks it once without lookups or string compares.
bool SelfEqual(const Value& v) {
  switch (v.kind()) {
    case Kind::kDouble: return !std::isnan(v.double_value());
    case Kind::kList:
      for (const Value& element : v.list_elements()) {
        if (!SelfEqual(element)) return false;
      }
      return true;
    case Kind::kMap: {
      const MapRep& map = v.map();
      for (size_t i = 0; i < map.size(); ++i) {
        if (!SelfEqual(map.value(i))) return false;
      }
      return true;
    }
    case Kind::kError:
    case Kind::kUnknown: return false;
    default: return true;
  }
}

bool ListsEqual(const Value& a, const Value& b) {
  std::span<const Value> x = a.list_elements();
  std::span<const Value> y = b.list_elements();
  if (x.data() == y.data()) return SelfEqual(a);
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!Equal(x[i], y[i])) return false;
  }
  return true;
}

bool MapsEqual(const Value& a, const Value& b) {
  const MapRep& x = a.map();
  const MapRep& y = b.map();
  if (&x == &y) return SelfEqual(a);
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    const Value* other = y.Find(x.key(i));
    if (other == nullptr || !Equal(x.value(i), *other)) return false;
  }
  return true;
}

uint64_t Mix(uint64_t x) {  // splitmix64's finalizer: spreads integer keys over the hash bits
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

bool Equal(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) return CompareNumbers(a, b) == Order::kEqual;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kNull: return true;
    case Kind::kBool: return a.bool_value() == b.bool_value();
    case Kind::kString:
    case Kind::kBytes: return EqualText(a.string_value(), b.string_value());
    case Kind::kDuration: return a.duration_nanos() == b.duration_nanos();
    case Kind::kTimestamp:
      return a.timestamp_seconds() == b.timestamp_seconds() && a.timestamp_nanos() == b.timestamp_nanos();
    case Kind::kType: return a.type_value() == b.type_value();
    case Kind::kList: return ListsEqual(a, b);
    case Kind::kMap: return MapsEqual(a, b);
    default: return false;  // errors and unknowns are never equal to anything
  }
}

Order Compare(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) return CompareNumbers(a, b);
  if (a.kind() != b.kind()) return Order::kIncomparable;
  switch (a.kind()) {
    case Kind::kBool: return Three(a.bool_value(), b.bool_value());
    case Kind::kString:
    case Kind::kBytes: {
      int c = a.string_value().compare(b.string_value());
      return c < 0 ? Order::kLess : c > 0 ? Order::kGreater : Order::kEqual;
    }
    case Kind::kDuration: return Three(a.duration_nanos(), b.duration_nanos());
    case Kind::kTimestamp: {
      Order order = Three(a.timestamp_seconds(), b.timestamp_seconds());
      return order == Order::kEqual ? Three(a.timestamp_nanos(), b.timestamp_nanos()) : order;
    }
    default: return Order::kIncomparable;
  }
}

bool IsValidMapKey(const Value& key) {
  Kind kind = key.kind();
  return kind == Kind::kBool || kind == Kind::kInt || kind == Kind::kUint || kind == Kind::kString;
}

bool KeyEqual(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Kind::kInt:
      if (b.is_int()) return a.int_value() == b.int_value();
      return b.is_uint() && a.int_value() >= 0 && static_cast<uint64_t>(a.int_value()) == b.uint_value();
    case Kind::kUint:
      if (b.is_uint()) return a.uint_value() == b.uint_value();
      return b.is_int() && b.int_value() >= 0 && static_cast<uint64_t>(b.int_value()) == a.uint_value();
    case Kind::kString: return b.is_string() && EqualText(a.string_value(), b.string_value());
    case Kind::kBool: return b.is_bool() && a.bool_value() == b.bool_value();
    default: return false;
  }
}

uint64_t HashKey(const Value& key) {
  switch (key.kind()) {
    case Kind::kInt: return Mix(static_cast<uint64_t>(key.int_value()));
    case Kind::kUint: return Mix(key.uint_value());  // equal to the int's hash when the values are
    case Kind::kString: return internal::HashText(key.string_value());
    case Kind::kBool: return key.bool_value() ? 0x9e3779b97f4a7c15ULL : 0x7f4a7c159e3779b9ULL;
    default: return 0;
  }
}

}  // namespace edict::value
