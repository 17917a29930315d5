// Calls a builtin the way the dispatch does, for the value tests: by name and call style, over
// already-evaluated arguments.
#pragma once

#include <doctest/doctest.h>

#include <optional>
#include <string_view>
#include <vector>

#include "runtime/value/dispatch.h"

namespace edict::value::testing {

inline Value Apply(std::string_view function, std::vector<Value> args, CallStyle style = CallStyle::kGlobal) {
  std::optional<Function> f = Function::Find(function, style);
  REQUIRE(f.has_value());
  return f->Call(args);
}

}  // namespace edict::value::testing
