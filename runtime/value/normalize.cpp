// Unicode normalisation for text matching (rule-catalog S7 compares screen texts after NFKC, so a
// full-width `ＯＫ` is `OK`): the `nfkc` overload, through utf8proc.
#include <utf8proc.h>

#include <vector>

#include "runtime/value/limits.h"
#include "runtime/value/overload_impl.h"
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

}  // namespace

Value nfkc_string(const Value& text) {
  // Screen texts are ASCII, CJK ideographs and CJK punctuation: utf8proc would give them back.
  if (IsNfkcStable(text.string_value())) return text;
  thread_local std::vector<utf8proc_int32_t> buffer(64);
  Value result = Normalize(text, buffer);
  if (buffer.size() > kKeptBufferPoints) std::vector<utf8proc_int32_t>(64).swap(buffer);  // a huge text's buffer goes
  return result;
}

}  // namespace edict::value::overload_impl
