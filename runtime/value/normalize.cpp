// Unicode normalisation for text matching (rule-catalog S7 compares screen texts after NFKC, so a
// full-width `ＯＫ` is `OK`): the `nfkc` overload, through utf8proc.
#include <utf8proc.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "runtime/value/limits.h"
#include "runtime/value/overload_impl.h"
#include "runtime/value/per_thread.h"
#include "runtime/value/text_hash.h"
#include "runtime/value/utf8.h"

namespace edict::value::overload_impl {

namespace {

constexpr size_t kKeptBufferPoints = size_t{1} << 16;

// utf8proc_map's steps over `buffer`, so normalising allocates nothing unless the text changes:
// decompose to code points, then compose and re-encode in place (one spare code point holds the
// terminating NUL).
Value Normalize(const Value& text, std::vector<utf8proc_int32_t>& buffer) {
  constexpr auto kOptions = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
  std::string_view in = text.string_value();
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
  auto length = static_cast<utf8proc_ssize_t>(in.size());
  utf8proc_ssize_t points = utf8proc_decompose(bytes, length, buffer.data(), buffer.size() - 1, kOptions);
  if (points >= 0 && static_cast<size_t>(points) >= buffer.size()) {
    buffer.resize(points + 1);
    points = utf8proc_decompose(bytes, length, buffer.data(), points, kOptions);
  }
  utf8proc_ssize_t size = points < 0 ? points : utf8proc_reencode(buffer.data(), points, kOptions);
  if (size < 0) return Value::Error(ErrorCode::kInvalidArgument, std::string("nfkc: ") + utf8proc_errmsg(size));
  // Compatibility decomposition can lengthen a string (one ligature becomes up to 18 letters).
  if (static_cast<size_t>(size) > kMaxStringBytes) return TooLong("string", kMaxStringBytes, "bytes");
  std::string_view normalized(reinterpret_cast<const char*>(buffer.data()), static_cast<size_t>(size));
  return normalized == in ? text : Value::String(normalized);
}

// Short texts found stable, remembered by their bytes in one of the two slots their address
// picks: rules normalise the same few screen labels row after row (one session string, or one
// constant, read again each time), and comparing a label with a slot's copy is cheaper than
// scanning it. The copy is compared in full, so a slot answers only for the bytes it holds,
// wherever they live.
class StableTexts {
 public:
  bool Contains(std::string_view text) const {
    size_t slot = SlotOf(text);
    return Holds(entries_[slot], text) || Holds(entries_[slot ^ 1], text);
  }
  // Into the first slot while it is free, else over the second.
  void Add(std::string_view text) {
    if (text.size() > kMaxBytes) return;
    size_t slot = SlotOf(text);
    Entry& entry = entries_[entries_[slot].size == 0 ? slot : slot ^ 1];
    entry.size = static_cast<uint8_t>(text.size());
    std::memcpy(entry.bytes, text.data(), text.size());
  }

 private:
  static constexpr size_t kMaxBytes = 64;
  static constexpr unsigned kSlotBits = 8;
  struct Entry {
    uint8_t size;
    char bytes[kMaxBytes];
  };
  static bool Holds(const Entry& entry, std::string_view text) {
    return entry.size == text.size() && EqualText(std::string_view(entry.bytes, entry.size), text);
  }
  static size_t SlotOf(std::string_view text) {
    return (reinterpret_cast<uintptr_t>(text.data()) * 0x9E3779B97F4A7C15u) >> (64 - kSlotBits);
  }
  // Zero-initialised: every slot holds the empty text, which is stable.
  Entry entries_[size_t{1} << kSlotBits];
};

// Normalize's buffer, kept per thread.
struct CodePoints {
  std::vector<utf8proc_int32_t> points = std::vector<utf8proc_int32_t>(64);
};

}  // namespace

Value nfkc_string(const Value& text) {
  // Screen texts are ASCII, CJK ideographs and CJK punctuation: utf8proc would give them back.
  StableTexts& stable = PerThread<StableTexts, StableTexts>::Get();
  std::string_view bytes = text.string_value();
  if (stable.Contains(bytes)) return text;
  if (IsNfkcStable(bytes)) {
    stable.Add(bytes);
    return text;
  }
  std::vector<utf8proc_int32_t>& buffer = PerThread<CodePoints, CodePoints>::Get().points;
  Value result = Normalize(text, buffer);
  if (buffer.size() > kKeptBufferPoints) std::vector<utf8proc_int32_t>(64).swap(buffer);  // a huge text's buffer goes
  return result;
}

}  // namespace edict::value::overload_impl
