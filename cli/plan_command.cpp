// `edict plan`: compiles the packs for a profile and prints the plan (scans, joins, keys, time
// bounds, session slots, shared passes) on stdout.
#include "cli/plan_command.h"

#include <iostream>
#include <memory>

#include "cli/run_command.h"

namespace edict::cli {
namespace {

int RunPlan(const PackArgs& args) {
  if (!ValidatePackArgs("plan", args)) return 2;
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(ToCompileOptions(args), diagnostics);
  PrintDiagnostics(diagnostics);
  if (!rules) return 1;
  std::cout << rules->PlanText();
  return 0;
}

}  // namespace

void AddPlanCommand(CLI::App& app) {
  auto args = std::make_shared<PackArgs>();
  CLI::App* plan = app.add_subcommand("plan", "Print the evaluation plan of rule packs");
  plan->add_option("--pack-path", args->pack_path, "Directory searched for imported packs (repeatable)")
      ->allow_extra_args(false);
  plan->add_option("--profile", args->profile, "Parameter profile (default: baseline)");
  plan->add_option("--param", args->params, "Override a parameter: name=value, value in CEL (repeatable)")
      ->allow_extra_args(false);
  plan->add_option("packs", args->packs, "Pack directories, or .edict files forming one pack")->required();
  plan->callback([args] {
    int code = RunPlan(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace edict::cli
