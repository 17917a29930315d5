// `edict run`: evaluate rule packs over app facts and write the findings report. Also the
// command-line pieces the other engine commands share (pack options, --param, diagnostics).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "edict/edict.h"

namespace edict::cli {

// Registers `edict run --rules <pack> [--pack-path D]... [--profile P] [--param name=value]...
// [--format json|sarif|text] [--lenient] [-o FILE] [--jobs N] [--deterministic]
// [--engine jit|interp|auto] [--opt auto|O0|O1|O2] [--stats] <facts...|->`.
// Exit codes (findings-1.md): 0 no fail findings, 1 a fail finding, 2 usage error, rule error or
// a session that failed to load in strict mode (2 wins over 1).
void AddRunCommand(CLI::App& app);

// Options naming packs, as `run`, `plan` and `doc` take them.
struct PackArgs {
  std::vector<std::string> packs;
  std::vector<std::string> pack_path;
  std::string profile = "baseline";
  std::vector<std::string> params;  // "name=value"
};

// Checks that the packs and pack-path directories exist and every --param has the form
// name=value; prints "edict COMMAND: ..." and returns false otherwise (a usage error).
bool ValidatePackArgs(const std::string& command, const PackArgs& args);

CompileOptions ToCompileOptions(const PackArgs& args);

// Diagnostics on stderr, coloured on a terminal.
void PrintDiagnostics(const Diagnostics& diagnostics);

// `--engine jit|interp|auto`, stored as its name in `engine` (which holds the default).
void AddEngineOption(CLI::App* command, std::string& engine);
Engine ParseEngine(const std::string& name);

}  // namespace edict::cli
