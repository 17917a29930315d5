// `edict plan`: show how the engine will evaluate a pack's rules.
#pragma once

#include <CLI/CLI.hpp>

namespace edict::cli {

// Registers `edict plan [--pack-path D]... [--profile P] [--param name=value]... <pack...>`.
// Exit codes: 0 printed, 1 errors in the rules, 2 usage error.
void AddPlanCommand(CLI::App& app);

}  // namespace edict::cli
