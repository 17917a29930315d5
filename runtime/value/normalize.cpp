// Unicode normalisation for text matching (rule-catalog S7 compares screen texts after NFKC, so a
// full-width `ＯＫ` is `OK`): the `nfkc` overload, through utf8proc.
#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "runtime/value/limits.h"
#include "runtime/value/overload_impl.h"

namespace edict::value::overload_impl {

Value nfkc_string(const Value& text) {
  std::string_view in = text.string_value();
  if (in.empty()) return text;
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t size =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.data()), static_cast<utf8proc_ssize_t>(in.size()),
                   &mapped, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
  if (size < 0) return Value::Error(ErrorCode::kInvalidArgument, std::string("nfkc: ") + utf8proc_errmsg(size));
  // Compatibility decomposition can lengthen a string (one ligature becomes up to 18 letters).
  if (static_cast<size_t>(size) > kMaxStringBytes) return TooLong("string", kMaxStringBytes, "bytes");
  return Value::String(std::string_view(reinterpret_cast<const char*>(mapped), static_cast<size_t>(size)));
}

}  // namespace edict::value::overload_impl
