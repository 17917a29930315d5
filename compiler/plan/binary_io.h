// Little binary writer and bounds-checked reader for the plan cache's entries (serialize.h):
// fixed-size numbers in host byte order (an entry is only read by the build that wrote it) and
// length-prefixed strings and vectors. A read past the end sets the reader's failed flag and
// yields zeros, so decoding code checks once at the end instead of after every field.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace edict::plan {

class BinaryWriter {
 public:
  template <typename T>
  void Put(T number) {
    static_assert(std::is_trivially_copyable_v<T>);
    char bytes[sizeof(T)];
    std::memcpy(bytes, &number, sizeof(T));
    out_.append(bytes, sizeof(T));
  }
  void PutString(std::string_view text) {
    Put<uint64_t>(text.size());
    out_.append(text);
  }
  void PutBool(bool b) { Put<uint8_t>(b ? 1 : 0); }

  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  T Get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T number{};
    if (failed_ || bytes_.size() - at_ < sizeof(T)) {
      failed_ = true;
      return number;
    }
    std::memcpy(&number, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return number;
  }
  std::string GetString() { return std::string(GetView()); }
  // A string as a view of the reader's bytes.
  std::string_view GetView() {
    uint64_t size = Get<uint64_t>();
    if (failed_ || bytes_.size() - at_ < size) {
      failed_ = true;
      return {};
    }
    std::string_view text = bytes_.substr(at_, size);
    at_ += size;
    return text;
  }
  bool GetBool() {
    uint8_t b = Get<uint8_t>();
    if (b > 1) failed_ = true;
    return b == 1;
  }
  // A count of elements that each take at least `min_bytes`: one the remaining bytes cannot hold
  // fails here, so a corrupt count never makes the caller reserve gigabytes.
  uint64_t GetCount(size_t min_bytes = 1) {
    uint64_t count = Get<uint64_t>();
    if (!failed_ && count > (bytes_.size() - at_) / (min_bytes == 0 ? 1 : min_bytes)) failed_ = true;
    return failed_ ? 0 : count;
  }

  // A count, then that many numbers back to back, copied at once (a count the bytes cannot hold
  // fails as GetCount does, leaving `numbers` empty).
  template <typename T>
  void GetNumbers(std::vector<T>& numbers) {
    static_assert(std::is_trivially_copyable_v<T>);
    numbers.resize(GetCount(sizeof(T)));
    if (numbers.empty()) return;
    std::memcpy(numbers.data(), bytes_.data() + at_, numbers.size() * sizeof(T));
    at_ += numbers.size() * sizeof(T);
  }

  void Fail() { failed_ = true; }
  bool failed() const { return failed_; }
  bool done() const { return !failed_ && at_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
  bool failed_ = false;
};

}  // namespace edict::plan
