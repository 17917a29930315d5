// Memory for an evaluation's large arrays (memo tables, index rows, grouped matches). A block of
// 2 MiB or more is a mapping of its own, aligned to and advised for transparent huge pages, so its
// first touch costs one page fault per 2 MiB instead of one per 4 KiB (on a virtual machine a
// fault costs microseconds), and it comes zeroed from the kernel; smaller blocks come from malloc.
// A growing array (LargeArray) keeps its block where it can: realloc below 2 MiB, mremap above,
// which moves pages without touching them, where a vector's new block and copy would touch both.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace edict::interp {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Throws std::bad_alloc when the memory cannot be had. A block of kHugePageBytes or more is zeroed.
void* AllocateLarge(size_t bytes);
// As AllocateLarge, and zeroed whatever its size (a smaller block by calloc, which writes no memory
// that comes fresh from the system).
void* AllocateLargeZeroed(size_t bytes);
// `bytes` is what AllocateLarge or AllocateLargeZeroed was given.
void FreeLarge(void* block, size_t bytes) noexcept;

// A block from AllocateLarge of `old_bytes`, grown to `new_bytes` (not less), its bytes kept: by
// realloc while small, then moved once to a huge-page mapping, which later grows by mremap (in
// place when the addresses after it are free, else moved to a new huge page boundary). A mapped
// block's new bytes are zero.
void* GrowLarge(void* block, size_t old_bytes, size_t new_bytes);

// An array that grows at its end, in a block from AllocateLarge grown by GrowLarge. Elements are
// moved by their bytes (realloc, mremap), so T must be trivially relocatable: plain data, or a
// type that does not point into itself (value::Value).
template <class T>
class LargeArray {
 public:
  LargeArray() = default;
  LargeArray(LargeArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  LargeArray& operator=(LargeArray&& other) noexcept {
    LargeArray(std::move(other)).swap(*this);
    return *this;
  }
  ~LargeArray() {
    clear();
    FreeLarge(data_, capacity_ * sizeof(T));
  }

  void push_back(T element) {
    if (size_ == capacity_) Grow();
    new (data_ + size_) T(std::move(element));
    ++size_;
  }
  void clear() noexcept {
    std::destroy_n(data_, size_);
    size_ = 0;
  }
  void swap(LargeArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }

 private:
  void Grow() {
    size_t capacity = std::max<size_t>(16, 2 * capacity_);
    data_ = static_cast<T*>(GrowLarge(data_, capacity_ * sizeof(T), capacity * sizeof(T)));
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace edict::interp
