// Calling builtins: the overload table generated from overloads.def, a call by overload id (when
// the checker resolved it) and a call by function name that picks the overload from the
// arguments' runtime kinds (when an argument is `dyn`). Both back ends call through here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "runtime/value/value.h"

namespace edict::value {

enum class Overload : uint16_t {
#define EDICT_OVERLOAD(id, function, kind, result, params) id,
#include "runtime/value/overloads.def"
#undef EDICT_OVERLOAD
};

enum class CallStyle : uint8_t { kGlobal, kReceiver };

// Bit i set: a value of Kind i is accepted.
using KindMask = uint16_t;
inline constexpr KindMask KindBit(Kind kind) { return static_cast<KindMask>(1u << static_cast<unsigned>(kind)); }

inline constexpr int kMaxArity = 3;

struct OverloadInfo {
  Overload id;
  std::string_view name;      // "add_int64"
  std::string_view function;  // "_+_"
  CallStyle style;
  std::string_view result;                               // type spelling, as in overloads.def
  std::array<std::string_view, kMaxArity> params;        // the first `arity` are used
  int arity;
  bool strict;  // errors and unknowns among the arguments are the result, without a call
  std::array<KindMask, kMaxArity> accepts;  // the runtime kinds each parameter takes
  // The implementation with a uniform signature (for the JIT's symbol table): reads `arity`
  // arguments and overwrites *out. It trusts the kinds; Call checks them.
  void (*invoke)(const Value* args, Value* out);
};

std::span<const OverloadInfo> AllOverloads();
const OverloadInfo& Info(Overload id);

// Calls one overload: strict ones pass an error or unknown argument through; arguments of other
// kinds than the overload takes give a no-matching-overload error, never undefined behaviour.
Value Call(Overload id, std::span<const Value> args);

// A CEL function name in one call style, resolved once (at plan time) to its overloads.
class Function {
 public:
  static std::optional<Function> Find(std::string_view name, CallStyle style);
  std::string_view name() const;
  CallStyle style() const;
  std::span<const Overload> overloads() const;
  // Runs the first overload (in table order) whose parameters accept the arguments' kinds.
  Value Call(std::span<const Value> args) const;

 private:
  explicit Function(uint16_t index) : index_(index) {}
  uint16_t index_;
};

}  // namespace edict::value
