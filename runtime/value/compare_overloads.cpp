// The equality and ordering overloads: every typed variant shares the one heterogeneous
// comparison in compare.cpp, so `1 < 2u` and `dyn(1) < 2u` cannot disagree.
#include "runtime/value/compare.h"
#include "runtime/value/errors.h"
#include "runtime/value/overload_impl.h"

namespace edict::value::overload_impl {
namespace {

enum class Relation { kLess, kLessEquals, kGreater, kGreaterEquals };

Value Relate(std::string_view function, Relation relation, const Value& a, const Value& b) {
  switch (Compare(a, b)) {
    case Order::kIncomparable: {
      const Value args[] = {a, b};
      return NoMatchingOverload(function, args);
    }
    case Order::kUnordered: return Value::Bool(false);
    case Order::kLess: return Value::Bool(relation == Relation::kLess || relation == Relation::kLessEquals);
    case Order::kEqual: return Value::Bool(relation == Relation::kLessEquals || relation == Relation::kGreaterEquals);
    case Order::kGreater: return Value::Bool(relation == Relation::kGreater || relation == Relation::kGreaterEquals);
  }
  return Value::Bool(false);
}

}  // namespace

Value equals(const Value& a, const Value& b) { return Value::Bool(Equal(a, b)); }
Value not_equals(const Value& a, const Value& b) { return Value::Bool(!Equal(a, b)); }

#define EDICT_ORDERING_OVERLOADS(suffix)                                                          \
  Value less_##suffix(const Value& a, const Value& b) { return Relate("_<_", Relation::kLess, a, b); } \
  Value less_equals_##suffix(const Value& a, const Value& b) {                                    \
    return Relate("_<=_", Relation::kLessEquals, a, b);                                           \
  }                                                                                               \
  Value greater_##suffix(const Value& a, const Value& b) {                                        \
    return Relate("_>_", Relation::kGreater, a, b);                                               \
  }                                                                                               \
  Value greater_equals_##suffix(const Value& a, const Value& b) {                                 \
    return Relate("_>=_", Relation::kGreaterEquals, a, b);                                        \
  }

EDICT_ORDERING_OVERLOADS(bool)
EDICT_ORDERING_OVERLOADS(int64)
EDICT_ORDERING_OVERLOADS(int64_uint64)
EDICT_ORDERING_OVERLOADS(int64_double)
EDICT_ORDERING_OVERLOADS(uint64)
EDICT_ORDERING_OVERLOADS(uint64_int64)
EDICT_ORDERING_OVERLOADS(uint64_double)
EDICT_ORDERING_OVERLOADS(double)
EDICT_ORDERING_OVERLOADS(double_int64)
EDICT_ORDERING_OVERLOADS(double_uint64)
EDICT_ORDERING_OVERLOADS(string)
EDICT_ORDERING_OVERLOADS(bytes)
EDICT_ORDERING_OVERLOADS(timestamp)
EDICT_ORDERING_OVERLOADS(duration)
#undef EDICT_ORDERING_OVERLOADS

}  // namespace edict::value::overload_impl
