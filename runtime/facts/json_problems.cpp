// simdjson's errors and JSON values in the words of input errors.
#include "runtime/facts/json_problems.h"

namespace edict::facts {
namespace {

// Quoted values in messages are cut here: enough to recognize, short enough to read.
constexpr size_t kMaxQuotedBytes = 60;

std::string_view Trim(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\r' ||
                            token.back() == '\n')) {
    token.remove_suffix(1);
  }
  return token.substr(0, kMaxQuotedBytes);
}

}  // namespace

std::string QuoteForMessage(std::string_view text) {
  bool cut = text.size() > kMaxQuotedBytes;
  if (cut) {
    size_t end = kMaxQuotedBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + (cut ? "...\"" : "\"");
}

Problem JsonProblem(simdjson::error_code error) {
  using simdjson::error_code;
  switch (error) {
    case error_code::UTF8_ERROR: return {InputErrorKind::kInvalidUtf8, {}};
    case error_code::DEPTH_ERROR: return {InputErrorKind::kNestingTooDeep, {std::to_string(kMaxJsonDepth)}};
    case error_code::STRING_ERROR:
    case error_code::UNCLOSED_STRING: return {InputErrorKind::kInvalidJson, {"a string is malformed or not closed"}};
    case error_code::UNESCAPED_CHARS:
      return {InputErrorKind::kInvalidJson, {"a string holds an unescaped control character"}};
    case error_code::NUMBER_ERROR: return {InputErrorKind::kInvalidJson, {"a malformed number"}};
    case error_code::T_ATOM_ERROR:
    case error_code::F_ATOM_ERROR:
    case error_code::N_ATOM_ERROR: return {InputErrorKind::kInvalidJson, {"a malformed true, false or null"}};
    case error_code::TRAILING_CONTENT: return {InputErrorKind::kInvalidJson, {"unexpected text after the object"}};
    case error_code::TAPE_ERROR:
    case error_code::INCOMPLETE_ARRAY_OR_OBJECT:
    case error_code::INCORRECT_TYPE:
    case error_code::OUT_OF_ORDER_ITERATION:
    case error_code::EMPTY:
      return {InputErrorKind::kInvalidJson, {"a missing or extra comma, colon, bracket, brace or quote"}};
    default: return {InputErrorKind::kInvalidJson, {simdjson::error_message(error)}};
  }
}

std::string DescribeValue(od::value& value) {
  od::json_type json_type;
  if (value.type().get(json_type)) return "malformed JSON";
  switch (json_type) {
    case od::json_type::object: return "an object";
    case od::json_type::array: return "a list";
    case od::json_type::null: return "null";
    case od::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text)) return "a malformed string";
      return QuoteForMessage(text);
    }
    case od::json_type::number:
    case od::json_type::boolean: return std::string(Trim(value.raw_json_token()));
  }
  return "a value";
}

}  // namespace edict::facts
