// `edict run`: a thin client of edict::Run: arguments in, a report out (stdout or an atomically
// replaced file), the exit code of findings-1.md.
#include "cli/run_command.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "runtime/findings/atomic_file.h"

namespace edict::cli {
namespace {

const char* EngineName(Engine engine) {
  switch (engine) {
    case Engine::kJit: return "jit";
    case Engine::kInterp: return "interp";
    case Engine::kAuto: return "auto";
  }
  return "auto";
}

struct RunArgs {
  PackArgs packs;
  std::string format;  // empty: text on a terminal, else json
  bool lenient = false;
  std::string output;
  unsigned jobs = 1;
  bool deterministic = false;
  std::string engine = "auto";
  std::string opt = "auto";
  bool stats = false;
  std::vector<std::string> facts;
};

Optimization ParseOptimization(const std::string& name) {
  if (name == "O0") return Optimization::kO0;
  if (name == "O1") return Optimization::kO1;
  if (name == "O2") return Optimization::kO2;
  return Optimization::kAuto;
}

Format ParseFormat(const std::string& name) {
  if (name == "sarif") return Format::kSarif;
  if (name == "text") return Format::kText;
  return Format::kJson;
}

// Under auto: the session size from which native code evaluates, and why that one.
void PrintAutoThreshold(const AutoThreshold& threshold) {
  std::cerr << "edict run: auto evaluates natively from " << threshold.min_records << " records (";
  if (!threshold.probed) {
    std::cerr << "from " << kAutoJitMinRecordsWarm << " when the object cache holds code for these rules; "
              << "no session of a size between asked";
  } else {
    std::cerr << "the object cache holds " << (threshold.cached_code ? "" : "no ") << "code for these rules";
  }
  std::cerr << ")\n";
}

// One line on stderr: how the rules were compiled and which engine evaluated the sessions.
void PrintStats(const RuleSet& rules, const RunSummary& summary) {
  NativeBuild build = rules.native_build();
  std::cerr << "edict run: engine " << EngineName(rules.engine()) << ", compile " << rules.compile_ms() << " ms"
            << " (plan " << (rules.plan_from_cache() ? "from the cache" : "compiled");
  if (build.built) {
    std::cerr << "; native code " << (build.cache_hit ? "from the cache" : "generated") << ", " << build.opt_level
              << ", " << build.build_us / 1000.0 << " ms";
    if (!build.cache_hit) std::cerr << ", codegen " << build.codegen_us / 1000.0 << " ms";
    std::cerr << ", link " << build.link_us / 1000.0 << " ms";
    if (build.back_end_us > 0) std::cerr << ", back end loaded in " << build.back_end_us / 1000.0 << " ms";
  }
  std::cerr << ")";
  std::cerr << ", " << summary.native_sessions << "/" << summary.totals.sessions << " sessions native, "
            << summary.fallbacks << " fallbacks\n";
  if (rules.engine() == Engine::kAuto) PrintAutoThreshold(rules.auto_threshold());
  if (!build.note.empty()) std::cerr << "edict run: " << build.note << "\n";
}

int RunRun(const RunArgs& args) {
  if (!ValidatePackArgs("run", args.packs)) return 2;
  int stdin_inputs = 0;
  for (const std::string& path : args.facts) {
    std::error_code ec;
    if (path == "-") {
      ++stdin_inputs;
    } else if (!std::filesystem::is_regular_file(path, ec)) {
      std::cerr << "edict run: no such facts file: " << path << "\n";
      return 2;
    }
  }
  if (stdin_inputs > 1) {
    std::cerr << "edict run: '-' (standard input) may be given once\n";
    return 2;
  }

  Diagnostics diagnostics;
  CompileOptions compile = ToCompileOptions(args.packs);
  compile.engine = ParseEngine(args.engine);
  compile.optimization = ParseOptimization(args.opt);
  std::optional<RuleSet> rules = RuleSet::Compile(compile, diagnostics);
  PrintDiagnostics(diagnostics);
  if (!rules) return 2;

  bool to_terminal = args.output.empty() && isatty(STDOUT_FILENO) != 0;
  Format format = ParseFormat(args.format.empty() ? (to_terminal ? "text" : "json") : args.format);
  findings::AtomicFile file;
  if (!args.output.empty()) {
    std::string reason;
    if (!file.Open(args.output, reason)) {
      std::cerr << "edict run: cannot write " << args.output << ": " << reason << "\n";
      return 2;
    }
  }
  std::ostream& out = args.output.empty() ? std::cout : file.stream();

  std::vector<Input> inputs;
  for (const std::string& path : args.facts) {
    inputs.push_back(path == "-" ? Input::Stream("<stdin>", std::cin) : Input::File(path));
  }
  RunOptions options;
  options.mode = args.lenient ? LoadMode::kLenient : LoadMode::kStrict;
  options.jobs = args.jobs;
  options.deterministic = args.deterministic;
  std::unique_ptr<Writer> writer = MakeReportWriter(format, out, to_terminal && format == Format::kText);
  RunSummary summary = Run(*rules, inputs, options, *writer);
  out.flush();

  for (const std::string& error : summary.load_errors) std::cerr << "edict run: " << error << "\n";
  if (args.stats) PrintStats(*rules, summary);
  if (!args.output.empty()) {
    std::string reason;
    if (!file.Commit(reason)) {
      std::cerr << "edict run: cannot write " << args.output << ": " << reason << "\n";
      return 2;
    }
  }
  return summary.exit_code;
}

}  // namespace

bool ValidatePackArgs(const std::string& command, const PackArgs& args) {
  for (const std::string& pack : args.packs) {
    std::error_code ec;
    if (!std::filesystem::exists(pack, ec)) {
      std::cerr << "edict " << command << ": no such file or directory: " << pack << "\n";
      return false;
    }
  }
  for (const std::string& dir : args.pack_path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      std::cerr << "edict " << command << ": --pack-path " << dir << " is not a directory\n";
      return false;
    }
  }
  for (const std::string& param : args.params) {
    size_t eq = param.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == param.size()) {
      std::cerr << "edict " << command << ": --param " << param << ": expected name=value (a CEL value: 48h, 12, \"text\")\n";
      return false;
    }
  }
  return true;
}

CompileOptions ToCompileOptions(const PackArgs& args) {
  CompileOptions options;
  options.packs = args.packs;
  options.pack_path = args.pack_path;
  options.profile = args.profile;
  for (const std::string& param : args.params) {
    size_t eq = param.find('=');
    options.params.push_back({param.substr(0, eq), param.substr(eq + 1)});
  }
  return options;
}

void AddEngineOption(CLI::App* command, std::string& engine) {
  command
      ->add_option("--engine", engine,
                   "Back end: jit (native code), interp (the reference interpreter) or auto (jit for large "
                   "sessions; default " + engine + ")")
      ->check(CLI::IsMember({"jit", "interp", "auto"}));
}

Engine ParseEngine(const std::string& name) {
  if (name == "jit") return Engine::kJit;
  if (name == "interp") return Engine::kInterp;
  return Engine::kAuto;
}

void PrintDiagnostics(const Diagnostics& diagnostics) {
  std::cerr << diagnostics.Render(isatty(STDERR_FILENO) != 0);
}

void AddRunCommand(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand("run", "Evaluate rule packs over app facts (JSON Lines) and report findings");
  run->add_option("--rules", args->packs.packs, "Rule pack directory or .edict file (repeatable)")
      ->required()
      ->allow_extra_args(false);
  run->add_option("--pack-path", args->packs.pack_path, "Directory searched for imported packs (repeatable)")
      ->allow_extra_args(false);
  run->add_option("--profile", args->packs.profile, "Parameter profile (default: baseline)");
  run->add_option("--param", args->packs.params, "Override a parameter: name=value, value in CEL (repeatable)")
      ->allow_extra_args(false);
  run->add_option("--format", args->format, "Report format (default: text on a terminal, else json)")
      ->check(CLI::IsMember({"json", "sarif", "text"}));
  run->add_flag("--lenient", args->lenient, "Skip bad records (listed in the summary) instead of failing their session");
  run->add_option("-o,--output", args->output, "Write the report to FILE, replaced atomically when complete");
  run->add_option("--jobs", args->jobs, "Threads evaluating sessions (0: one per core; default 1)");
  run->add_flag("--deterministic", args->deterministic, "Report timings as 0, so equal runs give identical reports");
  AddEngineOption(run, args->engine);
  run->add_option("--opt", args->opt,
                  "Native code's optimisation level: auto (the best level in the object cache, else the one the "
                  "rules' size allows: O0 for all but tiny packs), O0, O1 (faster code, seconds to build once, then "
                  "cached) or O2 (default auto)")
      ->check(CLI::IsMember({"auto", "O0", "O1", "O2"}));
  run->add_flag("--stats", args->stats, "Print the engine, compile time, native sessions and fallbacks on stderr");
  run->add_option("facts", args->facts, "appfacts JSON Lines files, or - for standard input")->required();
  run->callback([args] {
    int code = RunRun(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace edict::cli
