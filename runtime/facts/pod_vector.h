// Growable storage for column values: std::vector's interface subset the tables use, for trivially
// copyable values, but a large buffer is its own memory mapping and grows with mremap. Growing
// then moves page-table entries instead of copying the values into fresh pages, which on a large
// session was a tenth of the load time (page faults on both copies, memmove, munmap).
#pragma once

#include <cstddef>
#include <span>
#include <type_traits>

namespace edict::facts {

// The untyped buffer management behind PodVector (pod_vector.cpp): `data` holds `used` bytes in a
// buffer of `old_bytes`; returns a buffer of `bytes` holding them. Throws std::bad_alloc.
void* GrowPodBuffer(void* data, size_t used, size_t old_bytes, size_t bytes);
void FreePodBuffer(void* data, size_t bytes);

template <typename T>
class PodVector {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodVector() = default;
  PodVector(PodVector&& other) noexcept : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }
  PodVector& operator=(PodVector&& other) noexcept {
    if (this != &other) {
      Free();
      data_ = other.data_;
      size_ = other.size_;
      capacity_ = other.capacity_;
      other.data_ = nullptr;
      other.size_ = other.capacity_ = 0;
    }
    return *this;
  }
  ~PodVector() { Free(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return data_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& operator[](size_t index) const { return data_[index]; }
  T& operator[](size_t index) { return data_[index]; }
  const T& back() const { return data_[size_ - 1]; }
  operator std::span<const T>() const { return {data_, size_}; }

  void push_back(T value) {
    if (size_ == capacity_) Reserve(capacity_ < 16 ? 16 : capacity_ * 2);
    data_[size_++] = value;
  }
  // Keeps the first `size` values (never grows).
  void Truncate(size_t size) {
    if (size < size_) size_ = size;
  }
  void Reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    data_ = static_cast<T*>(GrowPodBuffer(data_, size_ * sizeof(T), capacity_ * sizeof(T), capacity * sizeof(T)));
    capacity_ = capacity;
  }

 private:
  void Free() { FreePodBuffer(data_, capacity_ * sizeof(T)); }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace edict::facts
