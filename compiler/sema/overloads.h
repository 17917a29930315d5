// CEL's builtin functions as the checker sees them: runtime/value/overloads.def read into typed
// signatures, and overload resolution against argument types.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "compiler/sema/types.h"

namespace edict::sema {

struct Overload {
  uint16_t index = 0;             // position in overloads.def, which is the runtime's dispatch order
  const char* id = "";            // `add_int64`
  const char* function = "";      // `_+_`, `size`, `contains`
  bool receiver = false;          // called as `a.f(b)`; params[0] is the receiver
  const Type* result = nullptr;
  std::vector<const Type*> params;
};

// The outcome of resolving one call: the overloads whose parameters accept the arguments (several
// when an argument is dyn) and the result type (dyn when the candidates disagree).
struct OverloadMatch {
  std::vector<uint16_t> overloads;
  const Type* result = nullptr;
};

class OverloadTable {
 public:
  explicit OverloadTable(TypeContext& types);

  // Every overload of `function` called in the given style.
  std::vector<const Overload*> Find(const std::string& function, bool receiver) const;
  bool HasFunction(const std::string& function) const { return by_function_.count(function) > 0; }
  // The functions callable by name (not operators), for did-you-mean.
  const std::vector<std::string>& CallableNames() const { return callable_names_; }
  const Overload& at(uint16_t index) const { return overloads_[index]; }
  const Overload* ById(const std::string& id) const;

  // Resolves a call; `result` is null when no overload accepts the arguments.
  OverloadMatch Resolve(TypeContext& types, const std::string& function, bool receiver,
                        std::span<const Type* const> args) const;

 private:
  std::vector<Overload> overloads_;
  std::multimap<std::string, uint16_t> by_function_;
  std::vector<std::string> callable_names_;
};

// `int(string)`: how a signature reads in a "did you mean" list.
std::string OverloadSignature(const Overload& overload);

}  // namespace edict::sema
