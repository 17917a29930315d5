// The string and bytes overloads: concatenation, size in code points, substring tests, matches.
#include "runtime/value/limits.h"
#include "runtime/value/overload_impl.h"
#include "runtime/value/per_thread.h"
#include "runtime/value/regex.h"
#include "runtime/value/utf8.h"

namespace edict::value::overload_impl {
namespace {

constexpr size_t kKeptJoinBytes = size_t{1} << 16;

Value Concatenate(const Value& a, const Value& b, Value (*make)(std::string_view), const char* what) {
  if (a.string_value().empty()) return b;
  if (b.string_value().empty()) return a;
  size_t size = a.string_value().size() + b.string_value().size();
  if (size > kMaxStringBytes) return TooLong(what, kMaxStringBytes, "bytes");
  // A per-thread buffer: `make` copies the bytes, so only the result allocates.
  std::string& joined = PerThread<struct Joined, std::string>::Get();
  joined.assign(a.string_value());
  joined += b.string_value();
  Value result = make(joined);
  if (joined.capacity() > kKeptJoinBytes) std::string().swap(joined);  // a huge result's buffer goes
  return result;
}

}  // namespace

Value add_string(const Value& a, const Value& b) { return Concatenate(a, b, &Value::String, "string"); }
Value add_bytes(const Value& a, const Value& b) { return Concatenate(a, b, &Value::Bytes, "bytes value"); }

Value size_string(const Value& a) { return Value::Int(CountCodePoints(a.string_value())); }
Value string_size(const Value& a) { return size_string(a); }
Value size_bytes(const Value& a) { return Value::Int(static_cast<int64_t>(a.string_value().size())); }
Value bytes_size(const Value& a) { return size_bytes(a); }

// Bytewise tests are exact on UTF-8: a valid needle can only match at code point boundaries.
Value contains_string(const Value& a, const Value& b) {
  return Value::Bool(a.string_value().find(b.string_value()) != std::string_view::npos);
}
Value starts_with_string(const Value& a, const Value& b) {
  return Value::Bool(a.string_value().starts_with(b.string_value()));
}
Value ends_with_string(const Value& a, const Value& b) {
  return Value::Bool(a.string_value().ends_with(b.string_value()));
}

Value matches(const Value& text, const Value& pattern) { return Matches(text.string_value(), pattern.string_value()); }
Value matches_string(const Value& text, const Value& pattern) { return matches(text, pattern); }

}  // namespace edict::value::overload_impl
