// Whether two values are the same by where their contents live: a string's, a list's or a map's
// storage is immutable, so two live values of one kind at the same address (and size) have the
// same contents, which the driver's caches then need not read or compare again.
#pragma once

#include <cstddef>

#include "runtime/value/value.h"

namespace edict::interp {

// Where a string's, a list's or a map's contents live (null for other kinds).
inline const void* Storage(const value::Value& v) {
  switch (v.kind()) {
    case value::Kind::kString:
    case value::Kind::kBytes: return v.string_value().data();
    case value::Kind::kList: return v.list_elements().data();
    case value::Kind::kMap: return &v.map();
    default: return nullptr;
  }
}

inline size_t StorageSize(const value::Value& v) {
  switch (v.kind()) {
    case value::Kind::kString:
    case value::Kind::kBytes: return v.string_value().size();
    case value::Kind::kList: return v.list_elements().size();
    default: return 0;
  }
}

// Always inlined: it answers most key comparisons, and a call costs as much as the comparison.
[[gnu::always_inline]] inline bool Identical(const value::Value& a, const value::Value& b) {
  const void* storage = Storage(a);
  return storage != nullptr && a.kind() == b.kind() && storage == Storage(b) && StorageSize(a) == StorageSize(b);
}

}  // namespace edict::interp
