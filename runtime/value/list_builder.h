// Builds a list value in place: the elements go straight into the list's single block, sized by
// the caller's bound (a comprehension's range, the two sides of `+`), so making a list costs one
// allocation and no copy of a staging vector.
#pragma once

#include <cstddef>
#include <new>
#include <span>
#include <utility>

#include "runtime/value/value.h"

namespace edict::value {

class ListBuilder {
 public:
  // `capacity` is the expected size: the block is allocated for it at the first element (a
  // builder that receives none allocates nothing). Pushing beyond it grows the block.
  explicit ListBuilder(size_t capacity = 0) : hint_(capacity) {}
  ListBuilder(const ListBuilder&) = delete;
  ListBuilder& operator=(const ListBuilder&) = delete;
  ~ListBuilder() {
    if (rep_ != nullptr) Destroy(rep_);
  }

  size_t size() const { return rep_ == nullptr ? 0 : rep_->size; }
  void Push(Value element) {
    if (rep_ == nullptr || rep_->size == rep_->capacity) Grow(size() + 1);
    new (rep_->data() + rep_->size) Value(std::move(element));
    ++rep_->size;
  }
  void Append(std::span<const Value> elements);
  // The list (the shared empty list if nothing was pushed); the builder is empty again after.
  Value Finish();

  // Releases a list's elements and frees its block (Value::Destroy, when the last holder goes).
  static void Destroy(ListRep* rep);

 private:
  // Moves the elements to a block with room for at least `needed`.
  void Grow(size_t needed);

  ListRep* rep_ = nullptr;
  size_t hint_;
};

}  // namespace edict::value
