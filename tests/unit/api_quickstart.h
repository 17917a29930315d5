// The example pack's compile options and a compile that must succeed, for the API tests that
// compile examples/quickstart with one engine or another.
#pragma once

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "edict/edict.h"

namespace edict::testing {

inline CompileOptions QuickstartOptions(Engine engine, Optimization optimization = Optimization::kAuto) {
  CompileOptions options;
  options.engine = engine;
  options.optimization = optimization;
  options.packs = {std::string(EDICT_SOURCE_DIR) + "/examples/quickstart"};
  options.pack_path = {std::string(EDICT_SOURCE_DIR) + "/stdlib-rules"};
  options.use_environment = false;
  return options;
}

inline RuleSet MustCompile(const CompileOptions& options) {
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  return *rules;
}

}  // namespace edict::testing
