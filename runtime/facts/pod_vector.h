// Growable storage for column values: std::vector's interface subset the tables use, for trivially
// copyable values, but a large buffer is its own memory mapping and grows with mremap. Growing
// then moves page-table entries instead of copying the values into fresh pages, which on a large
// session was a tenth of the load time (page faults on both copies, memmove, munmap).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>

namespace edict::facts {

// The untyped buffer management behind PodVector (pod_vector.cpp): `data` holds `used` bytes in a
// buffer of `old_bytes`, zero after them; returns a buffer of `bytes` holding them, zero after
// them. Throws std::bad_alloc.
void* GrowPodBuffer(void* data, size_t used, size_t old_bytes, size_t bytes);
void FreePodBuffer(void* data, size_t bytes);
// A new buffer of `bytes` zero bytes, freed by FreePodBuffer. Throws std::bad_alloc.
void* AllocatePodBuffer(size_t bytes);

// A zero-filled buffer of fixed size under PodVector's memory policy: a large one is a mapping that
// takes huge pages, so filling it takes few page faults.
class PodBuffer {
 public:
  PodBuffer() = default;
  explicit PodBuffer(size_t bytes) : data_(static_cast<char*>(AllocatePodBuffer(bytes))), size_(bytes) {}
  PodBuffer(PodBuffer&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  PodBuffer& operator=(PodBuffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~PodBuffer() { FreePodBuffer(data_, size_); }

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

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
  friend bool operator==(const PodVector& vector, std::span<const T> values) {
    return std::equal(vector.begin(), vector.end(), values.begin(), values.end());
  }

  void push_back(T value) {
    if (size_ == capacity_) Reserve(capacity_ < 16 ? 16 : capacity_ * 2);
    data_[size_++] = value;
  }
  // Appends a zero value without writing it: the buffer past size() is all zero bytes (fresh
  // pages, or cleared when obtained or truncated), so the pages of a mostly absent column are
  // never touched and cost no page faults.
  void push_zero() {
    if (size_ == capacity_) Reserve(capacity_ < 16 ? 16 : capacity_ * 2);
    ++size_;
  }
  // Keeps the first `size` values (never grows).
  void Truncate(size_t size) {
    if (size >= size_) return;
    std::memset(static_cast<void*>(data_ + size), 0, (size_ - size) * sizeof(T));
    size_ = size;
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
