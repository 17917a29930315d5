// Reads the shared overload table into typed signatures and resolves calls with type parameters.
#include "compiler/sema/overloads.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace edict::sema {
namespace {

enum class CallStyle { kGlobal, kReceiver };
constexpr CallStyle kGlobal = CallStyle::kGlobal;
constexpr CallStyle kReceiver = CallStyle::kReceiver;

struct RawOverload {
  const char* id;
  const char* function;
  CallStyle style;
  const char* result;
  std::vector<const char*> params;
};

#define EDICT_OVERLOAD_PARAMS(...) {__VA_ARGS__}
const RawOverload kRawOverloads[] = {
#define EDICT_OVERLOAD(id, function, style, result, params) \
  {#id, function, style, result, EDICT_OVERLOAD_PARAMS params},
#include "runtime/value/overloads.def"
#undef EDICT_OVERLOAD
};
#undef EDICT_OVERLOAD_PARAMS

// Parses the spellings of overloads.def: `int`, `list(A)`, `map(K, V)`, `type(A)`, `A`.
class SpellingParser {
 public:
  SpellingParser(TypeContext& types, std::string_view text) : types_(types), text_(text) {}

  const Type* Parse() {
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
    std::string name(text_.substr(start, pos_ - start));
    SkipSpaces();
    std::vector<const Type*> args;
    if (pos_ < text_.size() && text_[pos_] == '(') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != ')') {
        args.push_back(Parse());
        SkipSpaces();
        if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      }
      ++pos_;
    }
    if (name.size() == 1 && std::isupper(static_cast<unsigned char>(name[0]))) return types_.Param(name[0]);
    if (name == "list" && args.size() == 1) return types_.List(args[0]);
    if (name == "map" && args.size() == 2) return types_.Map(args[0], args[1]);
    if (name == "type") return types_.TypeOf(args.empty() ? nullptr : args[0]);
    if (const Type* builtin = types_.Builtin(name)) return builtin;
    return types_.Dyn();  // an unknown spelling accepts anything rather than nothing
  }

 private:
  void SkipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  TypeContext& types_;
  std::string_view text_;
  size_t pos_ = 0;
};

using Bindings = std::map<char, const Type*>;

bool Match(const Type* pattern, const Type* arg, Bindings& bindings) {
  if (pattern->kind == TypeKind::kParam) {
    auto it = bindings.find(pattern->param);
    if (it == bindings.end()) {
      bindings[pattern->param] = arg;
      return true;
    }
    if (IsAssignable(it->second, arg) && !it->second->IsDynOrError()) return true;
    if (IsAssignable(arg, it->second)) {
      if (!arg->IsError()) it->second = arg;
      return true;
    }
    return false;
  }
  if (arg->IsDynOrError()) return true;
  switch (pattern->kind) {
    case TypeKind::kList:
      return arg->kind == TypeKind::kList && Match(pattern->element, arg->element, bindings);
    case TypeKind::kMap:
      return arg->kind == TypeKind::kMap && Match(pattern->key, arg->key, bindings) &&
             Match(pattern->element, arg->element, bindings);
    case TypeKind::kType:
      if (arg->kind != TypeKind::kType) return false;
      return pattern->element == nullptr || arg->element == nullptr || Match(pattern->element, arg->element, bindings);
    default:
      return IsAssignable(pattern, arg);
  }
}

const Type* Substitute(TypeContext& types, const Type* type, const Bindings& bindings) {
  switch (type->kind) {
    case TypeKind::kParam: {
      auto it = bindings.find(type->param);
      return it == bindings.end() ? types.Dyn() : it->second;
    }
    case TypeKind::kList: return types.List(Substitute(types, type->element, bindings));
    case TypeKind::kMap:
      return types.Map(Substitute(types, type->key, bindings), Substitute(types, type->element, bindings));
    case TypeKind::kType:
      return types.TypeOf(type->element ? Substitute(types, type->element, bindings) : nullptr);
    default: return type;
  }
}

bool IsOperatorName(const std::string& function) {
  return function.empty() || !(std::isalpha(static_cast<unsigned char>(function[0])));
}

}  // namespace

OverloadTable::OverloadTable(TypeContext& types) {
  std::set<std::string> callable;
  for (const RawOverload& raw : kRawOverloads) {
    Overload overload;
    overload.index = static_cast<uint16_t>(overloads_.size());
    overload.id = raw.id;
    overload.function = raw.function;
    overload.receiver = raw.style == CallStyle::kReceiver;
    overload.result = SpellingParser(types, raw.result).Parse();
    for (const char* param : raw.params) overload.params.push_back(SpellingParser(types, param).Parse());
    by_function_.emplace(raw.function, overload.index);
    if (!IsOperatorName(raw.function)) callable.insert(raw.function);
    overloads_.push_back(std::move(overload));
  }
  callable_names_.assign(callable.begin(), callable.end());
}

std::vector<const Overload*> OverloadTable::Find(const std::string& function, bool receiver) const {
  std::vector<const Overload*> found;
  auto [begin, end] = by_function_.equal_range(function);
  for (auto it = begin; it != end; ++it) {
    const Overload& overload = overloads_[it->second];
    if (overload.receiver == receiver) found.push_back(&overload);
  }
  return found;
}

const Overload* OverloadTable::ById(const std::string& id) const {
  for (const Overload& overload : overloads_) {
    if (id == overload.id) return &overload;
  }
  return nullptr;
}

OverloadMatch OverloadTable::Resolve(TypeContext& types, const std::string& function, bool receiver,
                                     std::span<const Type* const> args) const {
  OverloadMatch match;
  for (const Overload* overload : Find(function, receiver)) {
    if (overload->params.size() != args.size()) continue;
    Bindings bindings;
    bool accepted = true;
    for (size_t i = 0; i < args.size() && accepted; ++i) accepted = Match(overload->params[i], args[i], bindings);
    if (!accepted) continue;
    const Type* result = Substitute(types, overload->result, bindings);
    if (match.result != nullptr && match.result != result) {
      // Candidates disagree because an argument's type is unknown: an erroneous argument keeps
      // the call silent, a dyn one makes the result dyn.
      bool any_error = std::any_of(args.begin(), args.end(), [](const Type* t) { return t->IsError(); });
      result = any_error ? types.Error() : types.Dyn();
    }
    match.result = result;
    match.overloads.push_back(overload->index);
  }
  return match;
}

std::string OverloadSignature(const Overload& overload) {
  std::string out;
  size_t first = 0;
  if (overload.receiver && !overload.params.empty()) {
    out = ToString(overload.params[0]) + ".";
    first = 1;
  }
  out += std::string(overload.function) + "(";
  for (size_t i = first; i < overload.params.size(); ++i) {
    out += (i > first ? ", " : "") + ToString(overload.params[i]);
  }
  return out + ") -> " + ToString(overload.result);
}

}  // namespace edict::sema
