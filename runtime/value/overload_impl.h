// The implementation of every overload in overloads.def, declared from the table itself: one
// function per id, taking one `const Value&` per declared parameter. Arguments have the declared
// runtime kinds (dispatch.h checks them, and passes errors and unknowns through before calling
// a strict overload); the JIT may call these directly once the checker has resolved the overload.
#pragma once

#include "runtime/value/value.h"

#define EDICT_VALUE_ARITY(...) EDICT_VALUE_ARITY_(__VA_ARGS__, 3, 2, 1, 0)
#define EDICT_VALUE_ARITY_(a, b, c, n, ...) n
#define EDICT_VALUE_CONCAT(a, b) EDICT_VALUE_CONCAT_(a, b)
#define EDICT_VALUE_CONCAT_(a, b) a##b
#define EDICT_VALUE_PARAMS_1 const Value&
#define EDICT_VALUE_PARAMS_2 const Value&, const Value&
#define EDICT_VALUE_PARAMS_3 const Value&, const Value&, const Value&

namespace edict::value::overload_impl {

#define EDICT_OVERLOAD(id, function, kind, result, params) \
  Value id(EDICT_VALUE_CONCAT(EDICT_VALUE_PARAMS_, EDICT_VALUE_ARITY params));
#include "runtime/value/overloads.def"
#undef EDICT_OVERLOAD

}  // namespace edict::value::overload_impl
