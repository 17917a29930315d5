// Memory for large buffers, most of them growing: column values, the string arena's blocks, the
// read buffer and the string pool's table in the loader; memo tables, index rows and grouped
// matches in the interpreter. Written for hosts where fresh memory is dear (on a virtual machine
// the first touch of a page is a fault of several microseconds, and the kernel zeroes each new
// page) at no cost where it is cheap:
// - a buffer from a size on (MapFrom) is a mapping of its own that grows by mremap, which moves
//   page-table entries where a new block and a copy would touch the pages of both;
// - from kHugePageBytes on, a buffer starts on a huge-page boundary and asks for transparent huge
//   pages: one fault per 2 MiB instead of 512, and fewer TLB misses;
// - a new buffer is zero (the kernel's fresh pages, or calloc's); a loader's buffer stays zero
//   past the bytes it holds as it grows, so a zero can be appended without writing it and a page
//   nobody writes is never touched.
// Smaller buffers come from the heap, which reuses the memory of freed ones.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace edict::facts {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// The size from which a buffer is a mapping of its own: two policies, as measured on ten sessions
// in one file, where each session's buffers are freed before the next one's are made.
enum class MapFrom : size_t {
  // The loader's buffers (column values, texts, the read buffer): growing them from 64 KiB on
  // without a copy saves more than the heap's reuse would (with kHugePage: +12 k page faults on
  // ten sessions, +28 % peak RSS). A grown buffer stays zero past the bytes it holds: below
  // 64 KiB, growing clears the new bytes.
  k64KiB = size_t{64} << 10,
  // Buffers made again in each session at many sizes between 64 KiB and 2 MiB, as the interpreter's
  // index rows and grouped matches (with k64KiB: +9 k page faults on ten sessions), its memo
  // tables (+1 k) and the string pool's table (+6 k): the heap gives their memory to the next
  // session's buffers, where mappings of their own would each be fresh pages. Growing on the heap
  // leaves the new bytes as they are: clearing up to 1 MiB there would touch pages that an array
  // may never fill (+250–450 page faults in the interpreter's first run on 1 M records).
  kHugePage = kHugePageBytes,
};

// A buffer of `bytes` zero bytes, freed by FreeLargeBuffer. Throws std::bad_alloc.
void* AllocateLargeBuffer(size_t bytes, MapFrom map_from);
// `data` (from AllocateLargeBuffer or GrowLargeBuffer, of `old_bytes`) holds `used` bytes;
// returns a buffer of `bytes` (not less than `old_bytes`) holding them. Under MapFrom::k64KiB,
// the bytes after them stay zero if they were; under kHugePage, only in a mapping. Throws
// std::bad_alloc, `data` then unchanged.
void* GrowLargeBuffer(void* data, size_t used, size_t old_bytes, size_t bytes, MapFrom map_from);
// `bytes` and `map_from` are what the buffer was made or last grown with.
void FreeLargeBuffer(void* data, size_t bytes, MapFrom map_from) noexcept;

// A zero-filled buffer of fixed size, a loader's buffer unless the policy is named.
template <MapFrom kMapFrom = MapFrom::k64KiB>
class LargeBuffer {
 public:
  LargeBuffer() = default;
  explicit LargeBuffer(size_t bytes) : data_(static_cast<char*>(AllocateLargeBuffer(bytes, kMapFrom))), size_(bytes) {}
  LargeBuffer(LargeBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  LargeBuffer& operator=(LargeBuffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~LargeBuffer() { FreeLargeBuffer(data_, size_, kMapFrom); }

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

// An array that grows at its end, in a large buffer. Elements move by their bytes (realloc,
// mremap), so T must be trivially relocatable: plain data, or a type that does not point into
// itself (value::Value). Its buffer is under `kMapFrom`, the loader's policy unless named. The
// layout (data pointer first, then size and capacity) is read by generated code (facts/table.h).
template <class T, MapFrom kMapFrom = MapFrom::k64KiB>
class LargeArray {
 public:
  LargeArray() = default;
  LargeArray(LargeArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  LargeArray& operator=(LargeArray&& other) noexcept {
    LargeArray(std::move(other)).Swap(*this);
    return *this;
  }
  ~LargeArray() {
    std::destroy_n(data_, size_);
    FreeLargeBuffer(data_, capacity_ * sizeof(T), kMapFrom);
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
  T& operator[](size_t index) { return data_[index]; }
  const T& operator[](size_t index) const { return data_[index]; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  operator std::span<const T>() const { return {data_, size_}; }
  friend bool operator==(const LargeArray& array, std::span<const T> values) {
    return std::equal(array.begin(), array.end(), values.begin(), values.end());
  }

  void push_back(T element) {
    if (size_ == capacity_) Grow();
    new (data_ + size_) T(std::move(element));
    ++size_;
  }
  // Appends a zero value without writing it: a loader's buffer past size() is all zero bytes, so
  // the pages of a mostly absent column are never touched.
  void push_zero() requires(std::is_trivially_copyable_v<T> && kMapFrom == MapFrom::k64KiB) {
    if (size_ == capacity_) Grow();
    ++size_;
  }
  // Keeps the first `size` elements (never grows), and zeroes the bytes of the others.
  void Truncate(size_t size) {
    if (size >= size_) return;
    std::destroy(data_ + size, data_ + size_);
    std::memset(static_cast<void*>(data_ + size), 0, (size_ - size) * sizeof(T));
    size_ = size;
  }
  void Reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    if (capacity > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    data_ = static_cast<T*>(
        GrowLargeBuffer(data_, size_ * sizeof(T), capacity_ * sizeof(T), capacity * sizeof(T), kMapFrom));
    capacity_ = capacity;
  }

 private:
  void Grow() { Reserve(std::max<size_t>(16, 2 * capacity_)); }
  void Swap(LargeArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace edict::facts
