// `edict check`: load and check rule packs, print diagnostics, optionally what was understood.
#pragma once

#include <CLI/CLI.hpp>

namespace edict::cli {

// Registers `edict check [--format text|json] [--pack-path DIR]... [--summary] <pack-dir|file...>`.
// Exit codes (findings-1.md): 0 no errors (warnings allowed), 1 errors in the rules, 2 usage.
void AddCheckCommand(CLI::App& app);

}  // namespace edict::cli
