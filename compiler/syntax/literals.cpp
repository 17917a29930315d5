// CEL literal decoding (cel-spec "Literals"), written to match cel-go's unescaping.
#include "compiler/syntax/literals.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "compiler/syntax/utf8.h"

namespace edict::syntax {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Quoting {
  bool bytes = false;
  bool raw = false;
  size_t body_begin = 0;
  size_t body_end = 0;
};

Quoting SplitQuotes(std::string_view token) {
  Quoting q;
  size_t i = 0;
  if (i < token.size() && (token[i] == 'b' || token[i] == 'B')) {
    q.bytes = true;
    ++i;
  }
  if (i < token.size() && (token[i] == 'r' || token[i] == 'R')) {
    q.raw = true;
    ++i;
  }
  size_t quote = 1;
  if (token.size() >= i + 6 && token[i + 1] == token[i] && token[i + 2] == token[i]) quote = 3;
  q.body_begin = i + quote;
  q.body_end = token.size() - quote;
  return q;
}

// Decodes one escape starting at `token[pos] == '\\'`; returns its length or 0 on error.
size_t DecodeEscape(std::string_view token, size_t pos, size_t body_end, bool bytes, std::string& out,
                    LiteralError* error) {
  auto fail = [&](size_t length, std::string help) -> size_t {
    length = std::min(length, body_end - pos);
    // Never cut a character in two: the escape is quoted in a message, which must stay UTF-8.
    while (pos + length < body_end && IsUtf8Continuation(token[pos + length])) ++length;
    error->offset = static_cast<uint32_t>(pos);
    error->length = static_cast<uint32_t>(length);
    error->what = std::string(token.substr(pos, length));
    error->help = std::move(help);
    return 0;
  };
  if (pos + 1 >= body_end) return fail(1, "a backslash must be followed by an escape character");
  char c = token[pos + 1];
  switch (c) {
    case 'a': out += '\a'; return 2;
    case 'b': out += '\b'; return 2;
    case 'f': out += '\f'; return 2;
    case 'n': out += '\n'; return 2;
    case 'r': out += '\r'; return 2;
    case 't': out += '\t'; return 2;
    case 'v': out += '\v'; return 2;
    case '\\': case '?': case '"': case '\'': case '`': out += c; return 2;
    default: break;
  }
  if (c == 'x' || c == 'X' || c == 'u' || c == 'U') {
    size_t digits = (c == 'x' || c == 'X') ? 2 : c == 'u' ? 4 : 8;
    if (bytes && (c == 'u' || c == 'U')) {
      return fail(2 + digits, "bytes literals take \\x or octal escapes; \\u and \\U are for strings");
    }
    uint32_t value = 0;
    for (size_t k = 0; k < digits; ++k) {
      int h = pos + 2 + k < body_end ? HexValue(token[pos + 2 + k]) : -1;
      if (h < 0) {
        std::string help = "\\";
        help += c;
        help += " takes exactly " + std::to_string(digits) + " hex digits";
        return fail(2 + k + (pos + 2 + k < body_end ? 1 : 0), help);
      }
      value = value * 16 + static_cast<uint32_t>(h);
    }
    if (bytes) {
      out += static_cast<char>(value);
    } else if (value >= 0xD800 && value <= 0xDFFF) {
      return fail(2 + digits, "surrogate code points (U+D800 to U+DFFF) cannot appear in strings");
    } else if (value > 0x10FFFF) {
      return fail(2 + digits, "Unicode code points end at U+10FFFF");
    } else {
      AppendUtf8(out, value);
    }
    return 2 + digits;
  }
  if (c >= '0' && c <= '3') {
    uint32_t value = static_cast<uint32_t>(c - '0');
    for (size_t k = 0; k < 2; ++k) {
      char d = pos + 2 + k < body_end ? token[pos + 2 + k] : '\0';
      if (d < '0' || d > '7') {
        return fail(2 + k + (d != '\0' ? 1 : 0), "octal escapes are three digits, \\000 to \\377");
      }
      value = value * 8 + static_cast<uint32_t>(d - '0');
    }
    if (bytes) {
      out += static_cast<char>(value);
    } else {
      AppendUtf8(out, value);
    }
    return 4;
  }
  std::string help;
  if (c >= '4' && c <= '7') help = "octal escapes are three digits, \\000 to \\377";
  return fail(2, help);
}

}  // namespace

bool DecodeQuoted(std::string_view token, DecodedText* out, LiteralError* error) {
  Quoting q = SplitQuotes(token);
  out->value.clear();
  out->origins.clear();
  out->value.reserve(q.body_end - q.body_begin);
  size_t pos = q.body_begin;
  while (pos < q.body_end) {
    size_t consumed;
    if (token[pos] == '\r') {
      // CEL normalizes raw line ends in (multi-line) literals to LF.
      out->value += '\n';
      consumed = (pos + 1 < q.body_end && token[pos + 1] == '\n') ? 2 : 1;
    } else if (token[pos] == '\\' && !q.raw) {
      consumed = DecodeEscape(token, pos, q.body_end, q.bytes, out->value, error);
      if (consumed == 0) return false;
    } else {
      consumed = 1;
      while (pos + consumed < q.body_end && IsUtf8Continuation(token[pos + consumed])) ++consumed;
      out->value.append(token.substr(pos, consumed));
    }
    out->origins.resize(out->value.size(), static_cast<uint32_t>(pos));
    pos += consumed;
  }
  out->origins.push_back(static_cast<uint32_t>(q.body_end));
  return true;
}

NumberStatus ParseInt(bool negative, std::string_view digits, int64_t* value) {
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return NumberStatus::kOutOfRange;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMaxPositive + 1) return NumberStatus::kOutOfRange;
    *value = magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                           : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude > kMaxPositive) return NumberStatus::kOutOfRange;
    *value = static_cast<int64_t>(magnitude);
  }
  return NumberStatus::kOk;
}

NumberStatus ParseUint(std::string_view token, uint64_t* value) {
  token.remove_suffix(1);  // the u/U suffix
  int base = 10;
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
    base = 16;
    token.remove_prefix(2);
  }
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), *value, base);
  if (ec != std::errc() || end != token.data() + token.size()) return NumberStatus::kOutOfRange;
  return NumberStatus::kOk;
}

NumberStatus ParseDouble(bool negative, std::string_view token, double* value) {
  double parsed = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), parsed);
  if (ec == std::errc::result_out_of_range) {
    // Too large is an error (as in cel-go); too small rounds to zero. from_chars does not say
    // which, so look at the decimal order of magnitude of the first significant digit.
    size_t e = token.find_first_of("eE");
    std::string_view mantissa = token.substr(0, e);
    long exponent = 0;
    if (e != std::string_view::npos) {
      std::string_view digits = token.substr(e + 1);
      bool exponent_negative = !digits.empty() && digits[0] == '-';
      if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
      for (char c : digits) exponent = std::min(exponent * 10 + (c - '0'), 100000L);
      if (exponent_negative) exponent = -exponent;
    }
    size_t point = mantissa.find('.');
    size_t integer_digits = point == std::string_view::npos ? mantissa.size() : point;
    size_t first = mantissa.find_first_of("123456789");
    if (first == std::string_view::npos) first = integer_digits;  // all zeros: never out of range
    long order = first < integer_digits ? static_cast<long>(integer_digits - first)
                                        : -static_cast<long>(first - integer_digits - 1);
    if (order + exponent > 0) return NumberStatus::kOutOfRange;
    parsed = 0.0;
  } else if (ec != std::errc() || end != token.data() + token.size()) {
    return NumberStatus::kOutOfRange;
  }
  *value = negative ? -parsed : parsed;
  return NumberStatus::kOk;
}

bool ParseDuration(std::string_view token, int64_t* nanos, LiteralError* error) {
  struct Unit {
    std::string_view name;
    int64_t nanos;
  };
  static constexpr Unit kUnits[] = {{"h", 3'600'000'000'000}, {"m", 60'000'000'000}, {"s", 1'000'000'000},
                                    {"ms", 1'000'000},       {"us", 1'000},          {"ns", 1}};
  int64_t total = 0;
  size_t previous_unit = 0;  // index into kUnits + 1 of the previous segment's unit
  size_t pos = 0;
  while (pos < token.size()) {
    size_t digits_end = pos;
    while (digits_end < token.size() && token[digits_end] >= '0' && token[digits_end] <= '9') ++digits_end;
    size_t unit_end = digits_end;
    while (unit_end < token.size() && !(token[unit_end] >= '0' && token[unit_end] <= '9')) ++unit_end;
    std::string_view unit_name = token.substr(digits_end, unit_end - digits_end);
    size_t unit = 0;
    while (unit < std::size(kUnits) && kUnits[unit].name != unit_name) ++unit;
    auto fail = [&](std::string help) {
      error->offset = 0;
      error->length = static_cast<uint32_t>(token.size());
      error->what = std::string(token);
      error->help = std::move(help);
      return false;
    };
    if (unit == std::size(kUnits) || digits_end == pos) return fail("unknown unit '" + std::string(unit_name) + "'");
    if (unit + 1 <= previous_unit) {
      return fail("units go from largest to smallest (h, m, s, ms, us, ns), each at most once");
    }
    previous_unit = unit + 1;
    uint64_t count = 0;
    auto [end, ec] = std::from_chars(token.data() + pos, token.data() + digits_end, count);
    int64_t part = 0;
    if (ec != std::errc() || count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
        __builtin_mul_overflow(static_cast<int64_t>(count), kUnits[unit].nanos, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return fail("durations are limited to about 292 years (2^63 nanoseconds)");
    }
    pos = unit_end;
  }
  *nanos = total;
  return true;
}

}  // namespace edict::syntax
