// `edict test`: run the `test` blocks of rule packs and report what failed.
#pragma once

#include <CLI/CLI.hpp>

namespace edict::cli {

// Registers `edict test [--pack-path D]... [-v] [--engine jit|interp|auto] <pack-dir|file...>`.
// Exit codes (findings-1.md): 0 all tests pass, 1 a test failed, 2 usage or rule error.
void AddTestCommand(CLI::App& app);

}  // namespace edict::cli
