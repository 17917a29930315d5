// The overload table, generated from overloads.def, and the two ways to call through it.
#include "runtime/value/dispatch.h"

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
