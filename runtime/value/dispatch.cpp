// The overload table, generated from overloads.def, and the two ways to call through it.
#include "runtime/value/dispatch.h"

#include "runtime/value/call_operands.h"

#include <string>
#include <utility>
#include <vector>

#include "runtime/value/errors.h"
#include "runtime/value/overload_impl.h"

namespace edict::value {
namespace {

constexpr KindMask kAnyValue = static_cast<KindMask>(KindBit(Kind::kError) - 1);  // all but error, unknown
constexpr KindMask kAnything = static_cast<KindMask>((1u << kKindCount) - 1);

constexpr KindMask MaskOf(std::string_view type) {
  if (type.starts_with("list(")) return KindBit(Kind::kList);
  if (type.starts_with("map(")) return KindBit(Kind::kMap);
  if (type.starts_with("type")) return KindBit(Kind::kType);
  if (type == "null_type") return KindBit(Kind::kNull);
  if (type == "bool") return KindBit(Kind::kBool);
  if (type == "int") return KindBit(Kind::kInt);
  if (type == "uint") return KindBit(Kind::kUint);
  if (type == "double") return KindBit(Kind::kDouble);
  if (type == "string") return KindBit(Kind::kString);
  if (type == "bytes") return KindBit(Kind::kBytes);
  if (type == "duration") return KindBit(Kind::kDuration);
  if (type == "timestamp") return KindBit(Kind::kTimestamp);
  return kAnyValue;  // dyn and type parameters
}

// The operators cel-spec defines as absorbing errors instead of propagating them.
constexpr bool IsStrict(std::string_view function) {
  return function != "_&&_" && function != "_||_" && function != "_?_:_" && function != "@not_strictly_false";
}

template <typename F>
struct ArityOf;
template <typename... Args>
struct ArityOf<Value (*)(Args...)> {
  static constexpr int value = sizeof...(Args);
};

template <auto Fn, size_t... I>
void InvokeWith(const Value* args, Value* out, std::index_sequence<I...>) {
  *out = Fn(args[I]...);
}

template <auto Fn>
void Invoke(const Value* args, Value* out) {
  InvokeWith<Fn>(args, out, std::make_index_sequence<ArityOf<decltype(Fn)>::value>{});
}

constexpr OverloadInfo MakeInfo(Overload id, std::string_view name, std::string_view function, CallStyle style,
                                std::string_view result, std::initializer_list<std::string_view> params,
                                void (*invoke)(const Value*, Value*)) {
  OverloadInfo info{id, name, function, style, result, {}, static_cast<int>(params.size()), IsStrict(function), {}, invoke};
  int i = 0;
  for (std::string_view param : params) {
    info.params[i] = param;
    info.accepts[i] = info.strict ? MaskOf(param) : kAnything;
    ++i;
  }
  // A list index that is a uint or an integral double names the same element as the int would.
  if (id == Overload::index_list) info.accepts[1] |= KindBit(Kind::kUint) | KindBit(Kind::kDouble);
  return info;
}

#define EDICT_VALUE_UNPAREN(...) __VA_ARGS__

constexpr OverloadInfo kOverloads[] = {
#define EDICT_OVERLOAD(id, function, kind, result, params) \
  MakeInfo(Overload::id, #id, function, CallStyle::kind, result, {EDICT_VALUE_UNPAREN params}, &Invoke<&overload_impl::id>),
#include "runtime/value/overloads.def"
#undef EDICT_OVERLOAD
};

constexpr bool TableIsInIdOrder() {
  for (size_t i = 0; i < std::size(kOverloads); ++i) {
    if (static_cast<size_t>(kOverloads[i].id) != i) return false;
  }
  return true;
}
static_assert(TableIsInIdOrder());

// Each overload's implementation when it takes exactly N operands, else null: for the calls by
// reference, which need no argument array.
template <auto Fn>
constexpr Value (*Unary())(const Value&) {
  if constexpr (ArityOf<decltype(Fn)>::value == 1) return Fn;
  return nullptr;
}
template <auto Fn>
constexpr Value (*Binary())(const Value&, const Value&) {
  if constexpr (ArityOf<decltype(Fn)>::value == 2) return Fn;
  return nullptr;
}

constexpr Value (*kUnary[])(const Value&) = {
#define EDICT_OVERLOAD(id, function, kind, result, params) Unary<&overload_impl::id>(),
#include "runtime/value/overloads.def"
#undef EDICT_OVERLOAD
};
constexpr Value (*kBinary[])(const Value&, const Value&) = {
#define EDICT_OVERLOAD(id, function, kind, result, params) Binary<&overload_impl::id>(),
#include "runtime/value/overloads.def"
#undef EDICT_OVERLOAD
};

bool Accepts(const OverloadInfo& info, std::span<const Value> args) {
  if (args.size() != static_cast<size_t>(info.arity)) return false;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((info.accepts[i] & KindBit(args[i].kind())) == 0) return false;
  }
  return true;
}

Value Run(const OverloadInfo& info, std::span<const Value> args) {
  Value out;
  info.invoke(args.data(), &out);
  return out;
}

struct FunctionEntry {
  std::string_view name;
  CallStyle style;
  bool strict;  // all its overloads are
  std::vector<Overload> overloads;
};

const std::vector<FunctionEntry>& Functions() {
  static const std::vector<FunctionEntry> functions = [] {
    std::vector<FunctionEntry> entries;
    for (const OverloadInfo& info : kOverloads) {
      FunctionEntry* entry = nullptr;
      for (FunctionEntry& existing : entries) {
        if (existing.name == info.function && existing.style == info.style) entry = &existing;
      }
      if (entry == nullptr) entry = &entries.emplace_back(FunctionEntry{info.function, info.style, true, {}});
      entry->strict = entry->strict && info.strict;
      entry->overloads.push_back(info.id);
    }
    return entries;
  }();
  return functions;
}

}  // namespace

std::span<const OverloadInfo> AllOverloads() { return kOverloads; }

const OverloadInfo& Info(Overload id) { return kOverloads[static_cast<size_t>(id)]; }

Value Call(Overload id, std::span<const Value> args) {
  const OverloadInfo& info = Info(id);
  if (info.strict) {
    if (const Value* propagated = FirstErrorOrUnknown(args)) return *propagated;
  }
  if (!Accepts(info, args)) return NoMatchingOverload(info.function, args);
  return Run(info, args);
}

Value Call(Overload id, const Value& a) {
  const OverloadInfo& info = Info(id);
  if (info.strict && a.is_error_or_unknown()) return a;
  auto* fn = kUnary[static_cast<size_t>(id)];
  if (fn == nullptr || (info.accepts[0] & KindBit(a.kind())) == 0) return Call(id, std::span<const Value>(&a, 1));
  return fn(a);
}

namespace {

// The builtins rules call most, on the kinds they are usually called with, answered without the
// overload table's generic checks: the same value the overload table gives (strings are equal when their
// bytes are, ints and durations compare as numbers). False: not one of those, let Call decide.
bool QuickCall(Overload overload, const Value& a, const Value& b, bool& result) {
  switch (overload) {
    case Overload::equals:
    case Overload::not_equals: {
      bool equal;
      if (a.is_string() && b.is_string()) {
        equal = a.string_value() == b.string_value();
      } else if (a.is_int() && b.is_int()) {
        equal = a.int_value() == b.int_value();
      } else if (a.is_bool() && b.is_bool()) {
        equal = a.bool_value() == b.bool_value();
      } else {
        return false;
      }
      result = equal == (overload == Overload::equals);
      return true;
    }
    case Overload::contains_string:
      if (!a.is_string() || !b.is_string()) return false;
      result = a.string_value().find(b.string_value()) != std::string_view::npos;
      return true;
    case Overload::starts_with_string:
      if (!a.is_string() || !b.is_string()) return false;
      result = a.string_value().starts_with(b.string_value());
      return true;
    case Overload::less_int64:
    case Overload::less_equals_int64:
    case Overload::greater_int64:
    case Overload::greater_equals_int64:
      if (!a.is_int() || !b.is_int()) return false;
      break;
    case Overload::less_duration:
    case Overload::less_equals_duration:
    case Overload::greater_duration:
    case Overload::greater_equals_duration:
      if (!a.is_duration() || !b.is_duration()) return false;
      break;
    default:
      return false;
  }
  // An ordering of two ints or two durations (both are int64 payloads).
  int64_t x = a.int_value(), y = b.int_value();
  switch (overload) {
    case Overload::less_int64:
    case Overload::less_duration:
      result = x < y;
      break;
    case Overload::less_equals_int64:
    case Overload::less_equals_duration:
      result = x <= y;
      break;
    case Overload::greater_int64:
    case Overload::greater_duration:
      result = x > y;
      break;
    default:
      result = x >= y;
      break;
  }
  return true;
}

}  // namespace

Value Call(Overload id, const Value& a, const Value& b) {
  if (bool quick; QuickCall(id, a, b, quick)) return Value::Bool(quick);
  const OverloadInfo& info = Info(id);
  if (info.strict && (a.is_error_or_unknown() || b.is_error_or_unknown())) {
    // FirstErrorOrUnknown's choice: the first unknown, else the first error.
    if (a.is_unknown()) return a;
    if (b.is_unknown()) return b;
    return a.is_error() ? a : b;
  }
  auto* fn = kBinary[static_cast<size_t>(id)];
  if (fn == nullptr || (info.accepts[0] & KindBit(a.kind())) == 0 || (info.accepts[1] & KindBit(b.kind())) == 0) {
    const Value args[] = {a, b};
    return Call(id, args);
  }
  return fn(a, b);
}

std::optional<Function> Function::Find(std::string_view name, CallStyle style) {
  const std::vector<FunctionEntry>& functions = Functions();
  for (size_t i = 0; i < functions.size(); ++i) {
    if (functions[i].name == name && functions[i].style == style) return Function(static_cast<uint16_t>(i));
  }
  return std::nullopt;
}

std::string_view Function::name() const { return Functions()[index_].name; }

CallStyle Function::style() const { return Functions()[index_].style; }

std::span<const Overload> Function::overloads() const { return Functions()[index_].overloads; }

Value Function::Call(std::span<const Value> args) const {
  const FunctionEntry& entry = Functions()[index_];
  if (entry.strict) {
    if (const Value* propagated = FirstErrorOrUnknown(args)) return *propagated;
  }
  for (Overload id : entry.overloads) {
    const OverloadInfo& info = Info(id);
    if (Accepts(info, args)) return Run(info, args);
  }
  return NoMatchingOverload(entry.name, args);
}

}  // namespace edict::value
