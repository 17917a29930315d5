// The byte encoding of the object cache's entries and of the linked images they hold: fixed-size
// numbers in host byte order (an entry is only read by the build that wrote it) and
// length-prefixed text, aligned where a view of it must be; and a reader that checks every read
// against the bytes it has, so that an entry that passed its checksum but was written by a buggy
// writer still cannot be read out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace edict::jit {

template <typename T>
void Put(std::string& out, T number) {
  static_assert(std::is_trivially_copyable_v<T>);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &number, sizeof(T));
  out.append(bytes, sizeof(T));
}

inline void PutText(std::string& out, std::string_view text) {
  Put<uint64_t>(out, text.size());
  out.append(text);
}

inline size_t PaddingTo(size_t alignment, size_t offset) { return (alignment - offset % alignment) % alignment; }

// `text` at the next multiple of `alignment` from `out`'s start, after its size.
inline void PutAlignedText(std::string& out, std::string_view text, size_t alignment) {
  Put<uint64_t>(out, text.size());
  out.append(PaddingTo(alignment, out.size()), '\0');
  out.append(text);
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T& number) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bytes_.size() - at_ < sizeof(T)) return false;
    std::memcpy(&number, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }

  // What PutAlignedText wrote with `alignment` (PutText: 1), as a view of the bytes.
  bool GetView(std::string_view& text, size_t alignment = 1) {
    uint64_t size = 0;
    if (!Get(size)) return false;
    size_t padding = PaddingTo(alignment, at_);
    if (bytes_.size() - at_ < padding) return false;
    at_ += padding;
    if (bytes_.size() - at_ < size) return false;
    text = bytes_.substr(at_, size);
    at_ += size;
    return true;
  }

  bool GetText(std::string& text) {
    std::string_view view;
    if (!GetView(view)) return false;
    text.assign(view);
    return true;
  }

  // A count of records of at least `record_size` bytes each: no more than the bytes left can
  // hold, so a corrupt count never makes the caller reserve gigabytes.
  bool GetCount(uint64_t& count, size_t record_size) { return Get(count) && count <= left() / record_size; }

  bool done() const { return at_ == bytes_.size(); }
  size_t left() const { return bytes_.size() - at_; }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

}  // namespace edict::jit
