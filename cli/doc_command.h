// `edict doc`: generate a pack's Markdown rule catalogue and its coverage matrix.
#pragma once

#include <CLI/CLI.hpp>

namespace edict::cli {

// Registers `edict doc [--pack-path D]... [--clauses FILE] -o DIR <pack...>`. Exit codes
// (findings-1.md): 0 done, 2 usage or input error (errors in the rules included).
void AddDocCommand(CLI::App& app);

}  // namespace edict::cli
