// The CEL value: 16 bytes, scalars inline, strings/bytes/lists/maps/errors in shared immutable
// reference-counted storage, so copies are cheap and scalars never allocate.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/value/rep_pool.h"
#include "runtime/value/text_hash.h"

namespace edict::value {

// Inline kinds first, then the kinds that may own heap storage (Value::owns_ tells which do).
enum class Kind : uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kDuration,   // int64 nanoseconds, as cel-go: about ±292 years
  kTimestamp,  // seconds since the Unix epoch + nanoseconds in [0, 1e9); years 0001 to 9999
  kType,
  kString,  // UTF-8
  kBytes,
  kList,
  kMap,
  kError,    // an evaluation error, a value until reported
  kUnknown,  // a value that evaluation could not determine (absorbed like errors, but first)
};
inline constexpr int kKindCount = static_cast<int>(Kind::kUnknown) + 1;

// The runtime types a type value can denote (`type(1) == int`).
enum class TypeKind : uint8_t {
  kNullType,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kDuration,
  kTimestamp,
  kList,
  kMap,
  kType,
};

enum class ErrorCode : uint8_t {
  kNoSuchOverload,   // no overload accepts the arguments' runtime types
  kOverflow,         // int64/uint64 arithmetic or negation out of range
  kDivisionByZero,   // also modulus by zero
  kRange,            // a conversion, timestamp or duration out of its range
  kInvalidArgument,  // a malformed string to convert, regex, time zone, list index
  kNoSuchKey,
  kIndexOutOfRange,
  kDuplicateKey,          // a map literal repeats a key
  kUndeclaredReference,   // a variable or function the evaluation has no binding for
};

inline constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z
inline constexpr int32_t kNanosPerSecond = 1'000'000'000;

class MapRep;
struct ListRep;

namespace internal {
struct HeapHeader {
  mutable std::atomic<uint32_t> refs{1};
};
// The fixed-size reps come from the per-thread pools (rep_pool.h).
struct PooledRep : HeapHeader {
  static void* operator new(size_t bytes) { return AllocateRep(bytes); }
  static void operator delete(void* block, size_t bytes) noexcept { FreeRep(block, bytes); }
};
// A string's or bytes' storage: the characters follow the header in the same allocation.
struct StringRep : HeapHeader {
  size_t size = 0;
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  char* data() { return reinterpret_cast<char*>(this + 1); }
};
}  // namespace internal

class Value {
 public:
  Value() noexcept : kind_(Kind::kNull), owns_(false), aux_(0), payload_{.i = 0} {}
  Value(const Value& other) noexcept : kind_(other.kind_), owns_(other.owns_), aux_(other.aux_), payload_(other.payload_) {
    Retain();
  }
  Value(Value&& other) noexcept : kind_(other.kind_), owns_(other.owns_), aux_(other.aux_), payload_(other.payload_) {
    other.owns_ = false;
    other.kind_ = Kind::kNull;
  }
  Value& operator=(const Value& other) noexcept {
    other.Retain();
    Release();
    kind_ = other.kind_;
    owns_ = other.owns_;
    aux_ = other.aux_;
    payload_ = other.payload_;
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      Release();
      kind_ = other.kind_;
      owns_ = other.owns_;
      aux_ = other.aux_;
      payload_ = other.payload_;
      other.owns_ = false;
      other.kind_ = Kind::kNull;
    }
    return *this;
  }
  ~Value() { Release(); }

  static Value Null() { return Value(); }
  static Value Bool(bool b) { return Value(Kind::kBool, 0, Payload{.b = b}); }
  static Value Int(int64_t i) { return Value(Kind::kInt, 0, Payload{.i = i}); }
  static Value Uint(uint64_t u) { return Value(Kind::kUint, 0, Payload{.u = u}); }
  static Value Double(double d) { return Value(Kind::kDouble, 0, Payload{.d = d}); }
  static Value Duration(int64_t nanos) { return Value(Kind::kDuration, 0, Payload{.i = nanos}); }
  // `seconds` must be within [kMinTimestampSeconds, kMaxTimestampSeconds] and `nanos` within
  // [0, 1e9); MakeTimestamp (time.h) checks instead.
  static Value Timestamp(int64_t seconds, int32_t nanos) { return Value(Kind::kTimestamp, nanos, Payload{.i = seconds}); }
  static Value Type(TypeKind type) { return Value(Kind::kType, 0, Payload{.u = static_cast<uint64_t>(type)}); }
  // `text` must be valid UTF-8 (the facts loader, the parser and string(bytes) make sure).
  static Value String(std::string_view text);
  static Value Bytes(std::string_view bytes);
  // A string kept by reference, for storage that outlives every value made from it (a session's
  // interned strings, a compiled plan's constants): no allocation, no reference counting.
  static Value UnownedString(std::string_view text) {
    if (text.size() > static_cast<size_t>(INT32_MAX)) return String(text);
    return Value(Kind::kString, static_cast<int32_t>(text.size()), Payload{.p = text.data()});
  }
  static Value List(std::vector<Value> elements);
  // Keys must be bool, int, uint or string, and distinct under CEL equality (1 and 1u are the same
  // key); otherwise the result is an error value. Iteration keeps insertion order.
  static Value Map(std::vector<std::pair<Value, Value>> entries);
  static Value Error(ErrorCode code, std::string message);
  static Value Unknown(std::string attribute);

  Kind kind() const { return kind_; }
  // Whether the value holds a reference to its storage: an unowned string's bytes belong to
  // storage that must outlive it, so the same address may later hold other bytes.
  bool owns_storage() const { return owns_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_uint() const { return kind_ == Kind::kUint; }
  bool is_double() const { return kind_ == Kind::kDouble; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_bytes() const { return kind_ == Kind::kBytes; }
  bool is_duration() const { return kind_ == Kind::kDuration; }
  bool is_timestamp() const { return kind_ == Kind::kTimestamp; }
  bool is_type() const { return kind_ == Kind::kType; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_error() const { return kind_ == Kind::kError; }
  bool is_unknown() const { return kind_ == Kind::kUnknown; }
  // Errors and unknowns are what strict functions pass through instead of calling.
  bool is_error_or_unknown() const { return kind_ >= Kind::kError; }

  // Accessors: each requires the matching kind.
  bool bool_value() const { return payload_.b; }
  int64_t int_value() const { return payload_.i; }
  uint64_t uint_value() const { return payload_.u; }
  double double_value() const { return payload_.d; }
  int64_t duration_nanos() const { return payload_.i; }
  int64_t timestamp_seconds() const { return payload_.i; }
  int32_t timestamp_nanos() const { return aux_; }
  TypeKind type_value() const { return static_cast<TypeKind>(payload_.u); }
  std::string_view string_value() const;  // kString and kBytes
  std::span<const Value> list_elements() const;
  const MapRep& map() const { return *static_cast<const MapRep*>(payload_.p); }
  ErrorCode error_code() const;
  const std::string& error_message() const;
  const std::string& unknown_attribute() const;

 private:
  union Payload {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    const void* p;
  };
  Value(Kind kind, int32_t aux, Payload payload) : kind_(kind), owns_(false), aux_(aux), payload_(payload) {}
  static Value Owning(Kind kind, const internal::HeapHeader* rep);
  friend class ListBuilder;  // hands over the reps it fills

  void Retain() const {
    if (owns_) static_cast<const internal::HeapHeader*>(payload_.p)->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void Release() {
    if (owns_ && static_cast<const internal::HeapHeader*>(payload_.p)->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      Destroy();
    }
  }
  void Destroy();

  Kind kind_;
  bool owns_;    // payload_.p points at reference-counted storage
  int32_t aux_;  // timestamp nanoseconds; the size of an unowned string
  Payload payload_;
};
static_assert(sizeof(Value) == 16);

// A list's elements follow its header in the same block: one allocation per list (ListBuilder,
// list_builder.h, fills one), from the rep pools when it is small.
struct alignas(alignof(Value)) ListRep : internal::HeapHeader {
  uint32_t size = 0;
  uint32_t capacity = 0;  // the elements the block has room for
  static size_t BlockBytes(size_t capacity) { return sizeof(ListRep) + capacity * sizeof(Value); }
  const Value* data() const { return reinterpret_cast<const Value*>(this + 1); }
  Value* data() { return reinterpret_cast<Value*>(this + 1); }
};
static_assert(sizeof(ListRep) == 16);

// A map's entries in insertion order, with a hash index once it is large enough to pay off.
class MapRep : public internal::PooledRep {
 public:
  size_t size() const { return keys_.size(); }
  const Value& key(size_t i) const { return keys_[i]; }
  const Value& value(size_t i) const { return values_[i]; }
  std::span<const Value> keys() const { return keys_; }
  // The value under `key` by CEL key equality (an integral double finds the equal int key), or
  // nullptr.
  const Value* Find(const Value& key) const;
  // The position of the string key `text`, or -1: Find without its dispatch on the key's kind.
  // Inline, because most lookups are of small record-like maps, scanned; the JIT's helpers too.
  int64_t IndexOfString(std::string_view text) const {
    if (!slots_.empty()) return ProbeString(text);
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (IsKeyText(keys_[i], text)) return static_cast<int64_t>(i);
    }
    return -1;
  }

 private:
  friend class Value;
  static constexpr size_t kIndexThreshold = 8;  // below it, a linear scan is faster than hashing
  // The position of `key` in keys_, or -1.
  int64_t IndexOf(const Value& key) const;
  int64_t ProbeString(std::string_view text) const;
  static bool IsKeyText(const Value& key, std::string_view text) {
    return key.is_string() && EqualText(key.string_value(), text);
  }
  std::vector<Value> keys_;
  std::vector<Value> values_;
  std::vector<uint32_t> slots_;  // open addressing: entry index + 1, 0 for empty
};

// Inline: string compares and hashing read it on every builtin call.
inline std::string_view Value::string_value() const {
  if (!owns_) return std::string_view(static_cast<const char*>(payload_.p), static_cast<size_t>(aux_));
  const auto* rep = static_cast<const internal::StringRep*>(payload_.p);
  return std::string_view(rep->data(), rep->size);
}

inline std::span<const Value> Value::list_elements() const {
  const auto* rep = static_cast<const ListRep*>(payload_.p);
  return std::span<const Value>(rep->data(), rep->size);
}

// The runtime type of a value; errors and unknowns have none and report kNullType.
TypeKind TypeOf(const Value& value);
// CEL's name of a type: "int", "list", "google.protobuf.Timestamp", ...
std::string_view TypeName(TypeKind type);
// The inverse of TypeName (also accepts "timestamp" and "duration"); false if there is none.
bool TypeFromName(std::string_view name, TypeKind& type);
// The CEL type name of a value's kind, for messages: "int", "string", "error", ...
std::string_view KindName(Kind kind);

}  // namespace edict::value
