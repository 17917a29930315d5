// List and map literals, and the index, `in`, size and concatenation overloads.
#include "runtime/value/containers.h"

#include <array>
#include <cmath>
#include <cstdint>

#include "runtime/value/compare.h"
#include "runtime/value/errors.h"
#include "runtime/value/format.h"
#include "runtime/value/limits.h"
#include "runtime/value/overload_impl.h"
#include "runtime/value/per_thread.h"

namespace edict::value {

Value MakeList(ListBuilder& elements) {
  Value built = elements.Finish();
  if (const Value* propagated = FirstErrorOrUnknown(built.list_elements())) return *propagated;
  return built;
}

namespace {

// Small maps of strings are built again and again with the same entries (a subject
// `{"party": "third", "sdk": id}` per API call), and lists of one int or string too (a finding's
// `[seq]` evidence, its `[d]` data types). Values are immutable, so a per-thread direct-mapped
// cache hands out the literal last built in a slot when the parts are the same strings (interned
// and constant strings keep their addresses) or ints, in the same order: no allocation, and a
// memo cache holds one value instead of one per row.
constexpr size_t kSharedMapMaxEntries = 4;
constexpr int kSharedLiteralSlotBits = 6;
constexpr size_t kSharedLiteralSlots = size_t{1} << kSharedLiteralSlotBits;
constexpr uint64_t kHashStep = 0x9e3779b97f4a7c15ULL;

// The same string, by address: a cached literal may outlive the session or plan whose strings it
// views, so strings are compared without reading them, and a view of the same address and size
// reads what the entry's does. Ownership must agree too: an owned string may begin where a cached
// view of freed storage points (a plan's constant gone, its block reused), and the view, not
// holding it, would read whatever is put there once it is freed.
bool SameText(const Value& a, const Value& b) {
  return a.owns_storage() == b.owns_storage() && a.string_value().data() == b.string_value().data() &&
         a.string_value().size() == b.string_value().size();
}

// One cache for every kind of caller (a template's own static would be one per instantiation).
Value& SharedLiteralSlot(uint64_t hash) {
  auto& shared = PerThread<struct SharedLiterals, std::array<Value, kSharedLiteralSlots>>::Get();
  return shared[static_cast<size_t>(hash >> (64 - kSharedLiteralSlotBits))];
}

// A literal's `count` entries, read through `key(i)` and `value(i)` (from a vector of entries or
// the JIT's operand pointers): the cache slot for entries of strings only, or null.
template <typename Key, typename Val>
Value* SharedMapSlot(size_t count, Key&& key, Val&& value) {
  if (count > kSharedMapMaxEntries) return nullptr;
  uint64_t hash = count;
  for (size_t i = 0; i < count; ++i) {
    for (const Value* part : {&key(i), &value(i)}) {
      if (!part->is_string()) return nullptr;
      std::string_view text = part->string_value();
      hash = (hash ^ reinterpret_cast<uintptr_t>(text.data()) ^ (uint64_t{text.size()} << 52)) * kHashStep;
    }
  }
  return &SharedLiteralSlot(hash);
}

// Whether `cached` is the map of the entries' strings.
template <typename Key, typename Val>
bool SameEntries(const Value& cached, size_t count, Key&& key, Val&& value) {
  if (!cached.is_map() || cached.map().size() != count) return false;
  const MapRep& map = cached.map();
  for (size_t i = 0; i < count; ++i) {
    if (!SameText(map.key(i), key(i)) || !SameText(map.value(i), value(i))) {
      return false;
    }
  }
  // Keys at the cached addresses may now read equal (a later session's strings where an earlier
  // one's were): such entries are a repeated key, which building reports.
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = i + 1; j < count; ++j) {
      if (key(i).string_value() == key(j).string_value()) return false;
    }
  }
  return true;
}

// A one-element list literal's cache slot when the element is an int or a string, else null.
Value* SharedListSlot(const Value& element) {
  uint64_t bits;
  if (element.is_int()) {
    bits = static_cast<uint64_t>(element.int_value());
  } else if (element.is_string()) {
    std::string_view text = element.string_value();
    bits = reinterpret_cast<uintptr_t>(text.data()) ^ (uint64_t{text.size()} << 52);
  } else {
    return nullptr;
  }
  return &SharedLiteralSlot(bits * kHashStep);
}

// Whether `cached` is the list of `element` alone (an int or a string, as SharedListSlot takes).
bool SameList(const Value& cached, const Value& element) {
  if (!cached.is_list() || cached.list_elements().size() != 1) return false;
  const Value& held = cached.list_elements()[0];
  if (element.is_int()) return held.is_int() && held.int_value() == element.int_value();
  return held.is_string() && SameText(held, element);
}

// `{k: v}` past the cache: the first unknown part, else the first error part, else the map.
Value StrictMap(std::vector<std::pair<Value, Value>> entries) {
  const Value* first_error = nullptr;
  for (const auto& [key, value] : entries) {
    for (const Value* part : {&key, &value}) {
      if (part->is_unknown()) return *part;
      if (part->is_error() && first_error == nullptr) first_error = part;
    }
  }
  if (first_error != nullptr) return *first_error;
  return Value::Map(std::move(entries));
}

// The map of `entries` when `cached` (their slot, or null) does not hold it already; a map of
// strings only is left in the slot for the next literal of the same strings.
Value BuildMap(Value* cached, std::vector<std::pair<Value, Value>> entries) {
  if (cached == nullptr) return StrictMap(std::move(entries));
  Value built = Value::Map(std::move(entries));
  if (!built.is_map()) return built;  // a repeated key
  *cached = std::move(built);
  return *cached;
}

}  // namespace

Value MakeList(std::span<const Value* const> elements) {
  Value* cached = elements.size() == 1 ? SharedListSlot(*elements[0]) : nullptr;
  if (cached != nullptr && SameList(*cached, *elements[0])) return *cached;
  ListBuilder list(elements.size());
  for (const Value* element : elements) list.Push(*element);
  Value built = MakeList(list);
  if (cached != nullptr) *cached = built;
  return built;
}

Value MakeMap(std::vector<std::pair<Value, Value>> entries) {
  auto key = [&](size_t i) -> const Value& { return entries[i].first; };
  auto value = [&](size_t i) -> const Value& { return entries[i].second; };
  Value* cached = SharedMapSlot(entries.size(), key, value);
  if (cached != nullptr && SameEntries(*cached, entries.size(), key, value)) return *cached;
  return BuildMap(cached, std::move(entries));
}

Value MakeMap(std::span<const Value* const> parts) {
  // The cached map, when there is one, without staging the entries.
  size_t count = parts.size() / 2;
  auto key = [&](size_t i) -> const Value& { return *parts[2 * i]; };
  auto value = [&](size_t i) -> const Value& { return *parts[2 * i + 1]; };
  Value* cached = SharedMapSlot(count, key, value);
  if (cached != nullptr && SameEntries(*cached, count, key, value)) return *cached;
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(count);
  for (size_t i = 0; i < count; ++i) entries.emplace_back(key(i), value(i));
  return BuildMap(cached, std::move(entries));
}

namespace overload_impl {
namespace {

Value IndexOutOfRange(const Value& index, size_t size) {
  return Value::Error(ErrorCode::kIndexOutOfRange,
                      "index " + FormatLiteral(index) + " out of range for a list of size " + std::to_string(size));
}

}  // namespace

// Beyond the declared int, a dynamically typed index may be a uint or an integral double, as
// heterogeneous equality makes them the same number.
Value index_list(const Value& list, const Value& index) {
  std::span<const Value> elements = list.list_elements();
  switch (index.kind()) {
    case Kind::kInt:
      if (index.int_value() < 0 || static_cast<uint64_t>(index.int_value()) >= elements.size()) {
        return IndexOutOfRange(index, elements.size());
      }
      return elements[static_cast<size_t>(index.int_value())];
    case Kind::kUint:
      if (index.uint_value() >= elements.size()) return IndexOutOfRange(index, elements.size());
      return elements[static_cast<size_t>(index.uint_value())];
    case Kind::kDouble: {
      double d = index.double_value();
      if (!std::isfinite(d) || std::trunc(d) != d) {
        return Value::Error(ErrorCode::kInvalidArgument, "list index " + FormatLiteral(index) + " is not an integer");
      }
      if (d < 0 || d >= static_cast<double>(elements.size())) return IndexOutOfRange(index, elements.size());
      return elements[static_cast<size_t>(d)];
    }
    default: {
      const Value args[] = {list, index};
      return NoMatchingOverload("_[_]", args);
    }
  }
}

Value index_map(const Value& map, const Value& key) {
  if (const Value* found = map.map().Find(key)) return *found;
  return Value::Error(ErrorCode::kNoSuchKey, "no such key: " + FormatLiteral(key));
}

Value in_list(const Value& element, const Value& list) {
  for (const Value& candidate : list.list_elements()) {
    if (Equal(element, candidate)) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value in_map(const Value& key, const Value& map) { return Value::Bool(map.map().Find(key) != nullptr); }

Value size_list(const Value& list) { return Value::Int(static_cast<int64_t>(list.list_elements().size())); }
Value list_size(const Value& list) { return size_list(list); }
Value size_map(const Value& map) { return Value::Int(static_cast<int64_t>(map.map().size())); }
Value map_size(const Value& map) { return size_map(map); }

Value add_list(const Value& a, const Value& b) {
  if (b.list_elements().empty()) return a;
  if (a.list_elements().empty()) return b;
  size_t size = a.list_elements().size() + b.list_elements().size();
  if (size > kMaxListSize) return TooLong("list", kMaxListSize, "elements");
  ListBuilder joined(size);
  joined.Append(a.list_elements());
  joined.Append(b.list_elements());
  return joined.Finish();
}

}  // namespace overload_impl
}  // namespace edict::value
