// `edict parse`: the syntax phase alone, printing back what the parser understood.
#pragma once

#include <CLI/CLI.hpp>

namespace edict::cli {

// Registers `edict parse [--dump-ast] [--expr] [--no-macros] [--format text|json] <file...>`.
// Exit codes (findings-1.md): 0 done, 2 on an input or syntax error (and on usage errors).
void AddParseCommand(CLI::App& app);

}  // namespace edict::cli
