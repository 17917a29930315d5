// `edict check`: the front end (parse and check) over packs and files, as a command. A pack that
// checks clean and has rules is also lowered for its baseline profile, so `check` reports
// everything that would stop `edict run` from compiling it.
#include "cli/check_command.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "compiler/diag/render.h"
#include "compiler/sema/check.h"
#include "compiler/sema/summary.h"
#include "runtime/interp/interp.h"

namespace edict::cli {
namespace {

struct CheckArgs {
  std::string format = "text";
  std::vector<std::string> pack_path;
  bool summary = false;
  std::vector<std::string> inputs;
};

// Named packs with rules are meant to run; loose files (fragments, golden cases) are only checked.
bool NamesRunnablePacks(const sema::Program& program) {
  bool any_rule = !program.rules.empty();
  for (const auto& pack : program.packs) {
    if (pack->root && pack->name.empty()) return false;
  }
  return any_rule;
}

int RunCheck(const CheckArgs& args) {
  for (const std::string& input : args.inputs) {
    std::error_code ec;
    if (!std::filesystem::exists(input, ec)) {
      std::cerr << "edict check: no such file or directory: " << input << "\n";
      return 2;
    }
  }
  for (const std::string& dir : args.pack_path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      std::cerr << "edict check: --pack-path " << dir << " is not a directory\n";
      return 2;
    }
  }
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  sema::LoadOptions options;
  options.pack_path = args.pack_path;
  std::unique_ptr<sema::Program> program = sema::CheckPaths(args.inputs, options, sources, diags);
  if (program != nullptr && !diags.has_errors() && NamesRunnablePacks(*program)) {
    interp::Compile(*program, plan::LowerOptions{}, sources, diags);
  }
  diags.SortByLocation();

  if (args.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const diag::Diagnostic& d : diags.diagnostics()) list.push_back(diag::RenderJson(d, sources));
    if (args.summary) {
      std::cout << nlohmann::json{{"diagnostics", list}, {"summary", sema::SummarizeProgram(*program)}}.dump(2) << "\n";
    } else {
      std::cout << list.dump(2) << "\n";
    }
  } else {
    bool color = isatty(STDERR_FILENO) != 0;
    for (const diag::Diagnostic& d : diags.diagnostics()) std::cerr << diag::RenderText(d, sources, color);
    std::string counts = diag::RenderSummary(diags.error_count(), diags.warning_count());
    if (!counts.empty()) std::cerr << counts << "\n";
    if (args.summary) std::cout << sema::RenderSummaryText(sema::SummarizeProgram(*program));
  }
  return diags.has_errors() ? 1 : 0;
}

}  // namespace

void AddCheckCommand(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = app.add_subcommand("check", "Parse and type-check rule packs; print diagnostics");
  check->add_option("--format", args->format, "Diagnostics as text (stderr) or a JSON array (stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_option("--pack-path", args->pack_path, "Directory searched for imported packs (repeatable)");
  check->add_flag("--summary", args->summary, "Print each pack's manifest and each rule's bindings and types");
  check->add_option("inputs", args->inputs, "Pack directories, or .edict files forming one pack")->required();
  check->callback([args] {
    int code = RunCheck(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace edict::cli
