// Map construction (key validation, duplicate detection) and lookup by CEL key equality.
#include <cmath>

#include "runtime/value/compare.h"
#include "runtime/value/format.h"
#include "runtime/value/text_hash.h"
#include "runtime/value/value.h"

namespace edict::value {
namespace {

// An integral double looks up the int or uint key it equals; any other double finds nothing.
bool LookupKeyFor(const Value& key, Value& lookup) {
  if (!key.is_double()) return false;
  double d = key.double_value();
  if (!std::isfinite(d) || std::trunc(d) != d) return false;
  if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
    lookup = Value::Int(static_cast<int64_t>(d));
    return true;
  }
  if (d >= 0 && d < 18446744073709551616.0) {
    lookup = Value::Uint(static_cast<uint64_t>(d));
    return true;
  }
  return false;
}

size_t SlotCountFor(size_t entries) {
  size_t slots = 16;
  while (slots < entries * 2) slots *= 2;
  return slots;
}

}  // namespace

// Out of line, so that a small map's scan, which most lookups are, stays small where it is inlined.
[[gnu::noinline]] int64_t MapRep::ProbeString(std::string_view text) const {
  size_t mask = slots_.size() - 1;
  for (size_t slot = internal::HashText(text) & mask;; slot = (slot + 1) & mask) {
    uint32_t entry = slots_[slot];
    if (entry == 0) return -1;
    if (IsKeyText(keys_[entry - 1], text)) return entry - 1;
  }
}

int64_t MapRep::IndexOf(const Value& key) const {
  if (key.is_string()) return IndexOfString(key.string_value());
  if (slots_.empty()) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (KeyEqual(keys_[i], key)) return static_cast<int64_t>(i);
    }
    return -1;
  }
  size_t mask = slots_.size() - 1;
  for (size_t slot = HashKey(key) & mask;; slot = (slot + 1) & mask) {
    uint32_t entry = slots_[slot];
    if (entry == 0) return -1;
    if (KeyEqual(keys_[entry - 1], key)) return entry - 1;
  }
}

const Value* MapRep::Find(const Value& key) const {
  int64_t index;
  if (key.is_string()) {
    index = IndexOfString(key.string_value());
  } else if (Value lookup; LookupKeyFor(key, lookup)) {
    index = IndexOf(lookup);
  } else {
    index = IndexOf(key);
  }
  return index < 0 ? nullptr : &values_[static_cast<size_t>(index)];
}

Value Value::Map(std::vector<std::pair<Value, Value>> entries) {
  auto* rep = new MapRep;
  Value map = Owning(Kind::kMap, rep);  // owns rep from here on, also on the error paths
  rep->keys_.reserve(entries.size());
  rep->values_.reserve(entries.size());
  bool indexed = entries.size() >= MapRep::kIndexThreshold;
  if (indexed) rep->slots_.assign(SlotCountFor(entries.size()), 0);
  size_t mask = rep->slots_.size() - 1;
  for (auto& [key, value] : entries) {
    if (!IsValidMapKey(key)) {
      return Value::Error(ErrorCode::kInvalidArgument,
                          "unsupported map key type " + std::string(KindName(key.kind())));
    }
    if (rep->IndexOf(key) >= 0) {
      return Value::Error(ErrorCode::kDuplicateKey, "repeated map key " + FormatLiteral(key));
    }
    if (indexed) {
      size_t slot = HashKey(key) & mask;
      while (rep->slots_[slot] != 0) slot = (slot + 1) & mask;
      rep->slots_[slot] = static_cast<uint32_t>(rep->keys_.size() + 1);
    }
    rep->keys_.push_back(std::move(key));
    rep->values_.push_back(std::move(value));
  }
  return map;
}

}  // namespace edict::value
