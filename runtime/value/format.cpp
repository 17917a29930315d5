// Values as text.
#include "runtime/value/format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "runtime/value/time.h"

namespace edict::value {
namespace {

void AppendEscapedString(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);  // UTF-8 text (Chinese messages) stays readable
        }
    }
  }
  out += '"';
}

void AppendEscapedBytes(std::string& out, std::string_view bytes) {
  out += "b\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    }
  }
  out += '"';
}

std::string DoubleLiteral(double d) {
  if (std::isnan(d)) return "double(\"NaN\")";
  if (std::isinf(d)) return d > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
  std::string text = FormatDouble(d);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

void AppendLiteral(std::string& out, const Value& value) {
  switch (value.kind()) {
    case Kind::kNull: out += "null"; break;
    case Kind::kBool: out += value.bool_value() ? "true" : "false"; break;
    case Kind::kInt: out += std::to_string(value.int_value()); break;
    case Kind::kUint: out += std::to_string(value.uint_value()) + "u"; break;
    case Kind::kDouble: out += DoubleLiteral(value.double_value()); break;
    case Kind::kString: AppendEscapedString(out, value.string_value()); break;
    case Kind::kBytes: AppendEscapedBytes(out, value.string_value()); break;
    case Kind::kDuration:
      out += "duration(\"" + FormatDuration(value.duration_nanos()) + "\")";
      break;
    case Kind::kTimestamp:
      out += "timestamp(\"" + FormatTimestamp(value.timestamp_seconds(), value.timestamp_nanos()) + "\")";
      break;
    case Kind::kType: out += TypeName(value.type_value()); break;
    case Kind::kList: {
      out += '[';
      bool first = true;
      for (const Value& element : value.list_elements()) {
        if (!first) out += ", ";
        first = false;
        AppendLiteral(out, element);
      }
      out += ']';
      break;
    }
    case Kind::kMap: {
      const MapRep& map = value.map();
      out += '{';
      for (size_t i = 0; i < map.size(); ++i) {
        if (i > 0) out += ", ";
        AppendLiteral(out, map.key(i));
        out += ": ";
        AppendLiteral(out, map.value(i));
      }
      out += '}';
      break;
    }
    case Kind::kError: out += "<error: " + value.error_message() + ">"; break;
    case Kind::kUnknown: out += "<unknown: " + value.unknown_attribute() + ">"; break;
  }
}

}  // namespace

std::string FormatLiteral(const Value& value) {
  std::string out;
  AppendLiteral(out, value);
  return out;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  // The shortest round-trip digits, from "d.ddde±x": digits and the decimal point's position.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific);
  std::string_view scientific(buffer, static_cast<size_t>(end - buffer));
  bool negative = scientific.front() == '-';
  if (negative) scientific.remove_prefix(1);
  size_t e = scientific.find('e');
  std::string digits;
  for (char c : scientific.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::string_view exponent_text = scientific.substr(e + 1);
  if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);

  std::string out = negative ? "-" : "";
  int digit_count = static_cast<int>(digits.size());
  if (exponent < -4 || exponent >= 6) {  // Go's %g switches to %e here for shortest precision
    out += digits[0];
    if (digit_count > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char exponent_buffer[16];
    std::snprintf(exponent_buffer, sizeof exponent_buffer, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exponent_buffer;
    return out;
  }
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (point >= digit_count) {
    out += digits;
    out.append(static_cast<size_t>(point - digit_count), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(point));
    out += '.';
    out += digits.substr(static_cast<size_t>(point));
  }
  return out;
}

}  // namespace edict::value
