// Filling a list's block, growing it when a bound was missing or short, and trimming it at the end.
#include "runtime/value/list_builder.h"

#include <algorithm>
#include <memory>

namespace edict::value {
namespace {

// A finished list keeps at most this many unused slots: a filter that keeps a few elements of a
// long range is often held by a memo cache, which should not hold the whole range's room.
constexpr size_t kMaxSlack = 8;
constexpr size_t kMinCapacity = 4;

ListRep* NewRep(size_t capacity) {
  auto* rep = new (internal::AllocateRep(ListRep::BlockBytes(capacity))) ListRep;
  rep->capacity = static_cast<uint32_t>(capacity);
  return rep;
}

// Moves `from`'s elements into a new block of `capacity` and frees `from`.
ListRep* Moved(ListRep* from, size_t capacity) {
  ListRep* to = NewRep(capacity);
  std::uninitialized_move_n(from->data(), from->size, to->data());
  to->size = from->size;
  ListBuilder::Destroy(from);
  return to;
}

}  // namespace

void ListBuilder::Destroy(ListRep* rep) {
  size_t bytes = ListRep::BlockBytes(rep->capacity);
  std::destroy_n(rep->data(), rep->size);
  rep->~ListRep();
  internal::FreeRep(rep, bytes);
}

void ListBuilder::Grow(size_t needed) {
  if (rep_ == nullptr) {
    rep_ = NewRep(std::max(needed, hint_ != 0 ? hint_ : kMinCapacity));
    return;
  }
  rep_ = Moved(rep_, std::max(needed, size_t{rep_->capacity} * 2));
}

void ListBuilder::Append(std::span<const Value> elements) {
  if (elements.empty()) return;
  if (rep_ == nullptr || rep_->capacity - rep_->size < elements.size()) Grow(size() + elements.size());
  std::uninitialized_copy(elements.begin(), elements.end(), rep_->data() + rep_->size);
  rep_->size += static_cast<uint32_t>(elements.size());
}

Value ListBuilder::Finish() {
  // Empty lists are common (a filter that keeps nothing) and immutable: they share one
  // representation that no value owns, so making one never allocates.
  static const ListRep kEmptyList;
  ListRep* rep = std::exchange(rep_, nullptr);
  if (rep == nullptr) return Value(Kind::kList, 0, Value::Payload{.p = &kEmptyList});
  if (rep->capacity - rep->size > kMaxSlack) rep = Moved(rep, rep->size);
  return Value::Owning(Kind::kList, rep);
}

}  // namespace edict::value
