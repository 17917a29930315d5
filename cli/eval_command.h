// `edict eval`: evaluate one CEL expression, as the rules' expressions are evaluated.
#pragma once

#include <CLI/CLI.hpp>

namespace edict::cli {

// Registers `edict eval '<expr>' [--var name=value]... [--type] [--engine jit|interp|auto]`.
// Exit codes (findings-1.md): 0 a value (printed as CEL), 1 the expression evaluates to a CEL
// error, 2 usage, syntax or type error.
void AddEvalCommand(CLI::App& app);

}  // namespace edict::cli
