// Values to and from the conformance suite's JSON form.
#include "runtime/value/json_codec.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "runtime/value/compare.h"

namespace edict::value {
namespace {

using nlohmann::json;

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1]) << 8 | static_cast<uint8_t>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64Alphabet[(n >> shift) & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool DecodeBase64(std::string_view text, std::string& out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    const char* found = std::char_traits<char>::find(kBase64Alphabet, 64, c);
    if (found == nullptr) return false;
    bits = (bits << 6) | static_cast<uint32_t>(found - kBase64Alphabet);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xff);
    }
  }
  return bit_count < 6;  // a lone leftover character carries no whole byte
}

// 64-bit integers travel as strings (JSON numbers lose precision); plain numbers are accepted too.
template <typename Integer>
bool ReadInteger(const json& node, Integer& out) {
  if (node.is_number_integer()) {
    if (std::is_unsigned_v<Integer> && node.is_number_unsigned()) {
      out = static_cast<Integer>(node.get<uint64_t>());
      return true;
    }
    if (!std::is_unsigned_v<Integer>) {
      if (node.is_number_unsigned() && node.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return false;
      out = static_cast<Integer>(node.get<int64_t>());
      return true;
    }
    return false;
  }
  if (!node.is_string()) return false;
  const std::string& text = node.get_ref<const std::string&>();
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ReadDouble(const json& node, double& out) {
  if (node.is_number()) {
    out = node.get<double>();
    return true;
  }
  if (!node.is_string()) return false;
  const std::string& text = node.get_ref<const std::string&>();
  if (text == "NaN") out = std::nan("");
  else if (text == "Infinity") out = HUGE_VAL;
  else if (text == "-Infinity") out = -HUGE_VAL;
  else if (text == "-0") out = -0.0;
  else return false;
  return true;
}

// {"seconds": "1", "nanos": 0}
bool ReadSecondsNanos(const json& node, int64_t& seconds, int64_t& nanos) {
  if (!node.is_object()) return false;
  seconds = 0;
  nanos = 0;
  if (node.contains("seconds") && !ReadInteger(node["seconds"], seconds)) return false;
  if (node.contains("nanos") && !ReadInteger(node["nanos"], nanos)) return false;
  return nanos > -kNanosPerSecond && nanos < kNanosPerSecond;
}

std::optional<Value> Decode(const json& node, std::string& error);

std::optional<Value> DecodeTagged(const std::string& tag, const json& body, std::string& error) {
  auto fail = [&](const std::string& why) -> std::optional<Value> {
    error = "invalid " + tag + " value " + body.dump() + (why.empty() ? "" : ": " + why);
    return std::nullopt;
  };
  if (tag == "null") return Value::Null();
  if (tag == "bool") {
    if (!body.is_boolean()) return fail("");
    return Value::Bool(body.get<bool>());
  }
  if (tag == "int") {
    int64_t i;
    if (!ReadInteger(body, i)) return fail("");
    return Value::Int(i);
  }
  if (tag == "uint") {
    uint64_t u;
    if (!ReadInteger(body, u)) return fail("");
    return Value::Uint(u);
  }
  if (tag == "double") {
    double d;
    if (!ReadDouble(body, d)) return fail("");
    return Value::Double(d);
  }
  if (tag == "string") {
    if (!body.is_string()) return fail("");
    return Value::String(body.get_ref<const std::string&>());
  }
  if (tag == "bytes") {
    std::string bytes;
    if (!body.is_string() || !DecodeBase64(body.get_ref<const std::string&>(), bytes)) return fail("expected base64");
    return Value::Bytes(bytes);
  }
  if (tag == "type") {
    TypeKind type;
    if (!body.is_string() || !TypeFromName(body.get_ref<const std::string&>(), type)) return fail("unknown type");
    return Value::Type(type);
  }
  if (tag == "list") {
    if (!body.is_array()) return fail("expected an array");
    std::vector<Value> elements;
    for (const json& element : body) {
      std::optional<Value> value = Decode(element, error);
      if (!value) return std::nullopt;
      elements.push_back(std::move(*value));
    }
    return Value::List(std::move(elements));
  }
  if (tag == "map") {
    if (!body.is_array()) return fail("expected an array of [key, value] pairs");
    std::vector<std::pair<Value, Value>> entries;
    for (const json& pair : body) {
      if (!pair.is_array() || pair.size() != 2) return fail("expected [key, value] pairs");
      std::optional<Value> key = Decode(pair[0], error);
      if (!key) return std::nullopt;
      std::optional<Value> value = Decode(pair[1], error);
      if (!value) return std::nullopt;
      entries.emplace_back(std::move(*key), std::move(*value));
    }
    Value map = Value::Map(std::move(entries));
    if (map.is_error()) return fail(map.error_message());
    return map;
  }
  if (tag == "duration") {
    int64_t seconds, nanos, total;
    if (!ReadSecondsNanos(body, seconds, nanos)) return fail("");
    if (__builtin_mul_overflow(seconds, int64_t{kNanosPerSecond}, &total) || __builtin_add_overflow(total, nanos, &total)) {
      return fail("beyond the duration range");
    }
    return Value::Duration(total);
  }
  if (tag == "timestamp") {
    int64_t seconds, nanos;
    if (!ReadSecondsNanos(body, seconds, nanos)) return fail("");
    if (nanos < 0) {
      nanos += kNanosPerSecond;
      seconds -= 1;
    }
    if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) return fail("outside years 0001-9999");
    return Value::Timestamp(seconds, static_cast<int32_t>(nanos));
  }
  error = "unknown value tag '" + tag + "'";
  return std::nullopt;
}

std::optional<Value> Decode(const json& node, std::string& error) {
  if (!node.is_object() || node.size() != 1) {
    error = "expected a tagged value like {\"int\": \"1\"}, found " + node.dump();
    return std::nullopt;
  }
  return DecodeTagged(node.begin().key(), node.begin().value(), error);
}

json DoubleToJson(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0 && std::signbit(d)) return "-0";
  return d;
}

bool StrictlyEqual(const Value& a, const Value& b);

bool MapsStrictlyEqual(const MapRep& a, const MapRep& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    bool found = false;
    for (size_t j = 0; j < b.size() && !found; ++j) {
      found = a.key(i).kind() == b.key(j).kind() && KeyEqual(a.key(i), b.key(j)) && StrictlyEqual(a.value(i), b.value(j));
    }
    if (!found) return false;
  }
  return true;
}

bool StrictlyEqual(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kDouble: {
      double x = a.double_value();
      double y = b.double_value();
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
      return x == y && std::signbit(x) == std::signbit(y);
    }
    case Kind::kList: {
      std::span<const Value> x = a.list_elements();
      std::span<const Value> y = b.list_elements();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!StrictlyEqual(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::kMap: return MapsStrictlyEqual(a.map(), b.map());
    case Kind::kError: return a.error_message() == b.error_message();
    case Kind::kUnknown: return a.unknown_attribute() == b.unknown_attribute();
    default: return Equal(a, b);
  }
}

}  // namespace

std::optional<Value> ValueFromJson(const nlohmann::json& json, std::string& error) {
  try {
    return Decode(json, error);
  } catch (const std::exception& e) {  // nlohmann reports type mismatches by throwing
    error = e.what();
    return std::nullopt;
  }
}

nlohmann::json ValueToJson(const Value& value) {
  switch (value.kind()) {
    case Kind::kNull: return {{"null", nullptr}};
    case Kind::kBool: return {{"bool", value.bool_value()}};
    case Kind::kInt: return {{"int", std::to_string(value.int_value())}};
    case Kind::kUint: return {{"uint", std::to_string(value.uint_value())}};
    case Kind::kDouble: return {{"double", DoubleToJson(value.double_value())}};
    case Kind::kString: return {{"string", std::string(value.string_value())}};
    case Kind::kBytes: return {{"bytes", EncodeBase64(value.string_value())}};
    case Kind::kType: return {{"type", std::string(TypeName(value.type_value()))}};
    case Kind::kDuration: {
      int64_t nanos = value.duration_nanos();  // protobuf form: both parts carry the sign
      return {{"duration", {{"seconds", std::to_string(nanos / kNanosPerSecond)}, {"nanos", nanos % kNanosPerSecond}}}};
    }
    case Kind::kTimestamp:
      return {{"timestamp",
               {{"seconds", std::to_string(value.timestamp_seconds())}, {"nanos", value.timestamp_nanos()}}}};
    case Kind::kList: {
      json elements = json::array();
      for (const Value& element : value.list_elements()) elements.push_back(ValueToJson(element));
      return {{"list", std::move(elements)}};
    }
    case Kind::kMap: {
      json entries = json::array();
      const MapRep& map = value.map();
      for (size_t i = 0; i < map.size(); ++i) entries.push_back(json::array({ValueToJson(map.key(i)), ValueToJson(map.value(i))}));
      return {{"map", std::move(entries)}};
    }
    case Kind::kError: return {{"error", value.error_message()}};
    case Kind::kUnknown: return {{"unknown", value.unknown_attribute()}};
  }
  return nullptr;
}

bool ConformanceEqual(const Value& expected, const Value& actual) { return StrictlyEqual(expected, actual); }

}  // namespace edict::value
