// edict_bench: one run that reports what issue 4's "proof it is fast" asks for — interpreter vs JIT
// evaluation (loading excluded; the JIT's code at O0, the level a large rule set's cold start gets,
// and at the optimised level), records/s per core, compile cold and warm, and Edict's load time
// against simdjson's raw parse of the same file. `make bench` builds and runs it.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/fresh_compile.h"
#include "bench/raw_parse.h"
#include "bench/timing.h"
#include "edict/edict.h"

namespace edict::bench {
namespace {

// The optimised level: on the standard library O1 evaluates in 720.6 M instructions against O0's
// 831.7 M (100 k records, callgrind) and O2's 715.4 M, and builds in ~3.3 s of CPU against O2's ~3.5 s.
constexpr Optimization kOptimized = Optimization::kO1;
constexpr const char* kOptimizedName = "O1";

struct Options {
  std::string facts;
  std::vector<std::string> packs;
  std::string probe;
  int repeat = 3;
};

struct EngineRun {
  bool ok = false;
  std::string error;
  std::string backend;
  std::string opt_level;  // of the native code; empty for the interpreter
  double compile_ms = 0;
  Elapsed load;
  Elapsed eval;        // best of `repeat`, every session
  Elapsed first_eval;  // the first run: its memory is new to the process, as in a run of the CLI
  uint64_t records = 0;
  std::vector<Evaluation> results;  // of the last run, for the comparison
};

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

EngineRun RunEngine(Engine engine, Optimization optimization, const Options& options) {
  EngineRun run;
  CompileOptions compile;
  compile.engine = engine;
  compile.optimization = optimization;
  compile.packs = options.packs;
  compile.use_environment = false;
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(compile, diagnostics);
  if (!rules) {
    run.error = diagnostics.Render(false);
    return run;
  }
  run.backend = rules->info().engine.backend;
  if (rules->native_build().built) run.opt_level = rules->native_build().opt_level;
  run.compile_ms = static_cast<double>(rules->compile_ms());

  std::vector<Input> inputs = {Input::File(options.facts)};
  Stopwatch load_watch;
  LoadResult loaded = rules->Load(inputs);
  run.load = load_watch.Read();
  if (!loaded.input_errors.empty()) {
    run.error = loaded.input_errors.front();
    return run;
  }
  for (const Session& session : loaded.sessions) {
    if (session.error()) {
      run.error = session.id() + ": " + *session.error();
      return run;
    }
    run.records += session.records();
  }
  for (int r = 0; r < options.repeat; ++r) {
    run.results.clear();
    Stopwatch watch;
    for (const Session& session : loaded.sessions) run.results.push_back(rules->Evaluate(session));
    Elapsed elapsed = watch.Read();
    if (r == 0) run.first_eval = elapsed;
    run.eval = r == 0 ? elapsed : Fastest(run.eval, elapsed);
  }
  run.ok = true;
  return run;
}

size_t FindingCount(const EngineRun& run) {
  size_t n = 0;
  for (const Evaluation& e : run.results) n += e.result.findings.size();
  return n;
}

// Outcomes, rule errors and findings (rule, message, evidence) equal, session by session. The
// differential test is the real proof; this only guards the figures against comparing different work.
std::string Compare(const EngineRun& a, const EngineRun& b) {
  if (a.results.size() != b.results.size()) return "different session counts";
  for (size_t s = 0; s < a.results.size(); ++s) {
    const SessionResult& x = a.results[s].result;
    const SessionResult& y = b.results[s].result;
    if (x.summary.outcomes.size() != y.summary.outcomes.size()) return "different rule counts";
    for (size_t r = 0; r < x.summary.outcomes.size(); ++r) {
      if (x.summary.outcomes[r].outcome != y.summary.outcomes[r].outcome) return "outcomes differ";
    }
    if (x.summary.rule_errors.size() != y.summary.rule_errors.size()) return "rule errors differ";
    if (x.findings.size() != y.findings.size()) return "finding counts differ";
    auto key = [](const Finding& f) {
      std::string k = std::to_string(f.rule);
      k += '|';
      k += f.message;
      for (const findings::Evidence& e : f.evidence) {
        k += '|';
        k += std::to_string(e.seq);
      }
      return k;
    };
    std::vector<std::string> kx, ky;
    for (const Finding& f : x.findings) kx.push_back(key(f));
    for (const Finding& f : y.findings) ky.push_back(key(f));
    std::sort(kx.begin(), kx.end());
    std::sort(ky.begin(), ky.end());
    if (kx != ky) return "findings differ";
  }
  return "";
}

void Row(const char* what, const Elapsed& e, uint64_t records, bool faults = false) {
  std::printf("  %-38s %10.1f %10.1f", what, e.wall_ms, e.cpu_ms);
  if (records > 0 && e.cpu_ms > 0) std::printf(" %14.0f", static_cast<double>(records) / (e.cpu_ms / 1000.0));
  if (faults) std::printf(" %12ld", e.faults);
  std::printf("\n");
}

// The JIT's rows: its evaluation, its speed against the interpreter's, whether it found the same,
// and its fallbacks, each labelled with the code's level (`level`, the one asked for, when it could
// not compile). False when the results differ.
bool PrintJit(const EngineRun& interp, const EngineRun& jit, const char* level) {
  if (!jit.ok) {
    std::printf("  %-38s unavailable: %s\n", (std::string("jit ") + level).c_str(), jit.error.c_str());
    return true;
  }
  Row(("jit (" + jit.backend + ", " + jit.opt_level + ")").c_str(), jit.eval, jit.records, true);
  Row("  its first run", jit.first_eval, jit.records, true);
  std::printf("  %-38s %10.2fx\n", ("JIT " + jit.opt_level + " / interpreter speed (cpu)").c_str(),
              interp.eval.cpu_ms / jit.eval.cpu_ms);
  std::string difference = Compare(interp, jit);
  std::printf("  %-38s %s (%zu findings)\n", ("same results (" + jit.opt_level + ")").c_str(),
              difference.empty() ? "yes" : ("NO: " + difference).c_str(), FindingCount(interp));
  uint64_t native = 0;
  uint64_t fallbacks = 0;
  for (const Evaluation& e : jit.results) {
    native += e.native ? 1 : 0;
    fallbacks += e.fallbacks;
  }
  std::printf("  %-38s %llu (%llu/%zu sessions native)\n",
              ("jit " + jit.opt_level + " fallbacks to the interpreter").c_str(),
              static_cast<unsigned long long>(fallbacks), static_cast<unsigned long long>(native),
              jit.results.size());
  return difference.empty();
}

void PrintCompile(const char* what, const FreshCompile& c) {
  if (!c.ok) {
    std::printf("  %-38s unavailable: %s\n", what, c.error.c_str());
    return;
  }
  std::printf("  %-38s %10.1f %10.1f %10.1f   (%s", what, c.compile_ms, c.compile_cpu_ms, c.process_ms,
              c.backend.c_str());
  if (c.opt_level != "-") std::printf(", %s", c.opt_level.c_str());
  std::printf(")\n");
}

int Run(const Options& options) {
  std::printf("edict_bench: packs");
  for (const std::string& pack : options.packs) std::printf(" %s", pack.c_str());
  std::printf(", facts %s\n", options.facts.c_str());
  std::printf("machine: %s, %ld logical cores; times are best of %d, one thread\n\n", CpuModel().c_str(),
              sysconf(_SC_NPROCESSORS_ONLN), options.repeat);

  RawParse raw = MeasureRawParse(options.facts, options.repeat);
  if (!raw.ok) {
    std::fprintf(stderr, "edict_bench: %s: %s\n", options.facts.c_str(), raw.error.c_str());
    return 1;
  }
  EngineRun interp = RunEngine(Engine::kInterp, Optimization::kAuto, options);
  if (!interp.ok) {
    std::fprintf(stderr, "edict_bench: interpreter: %s\n", interp.error.c_str());
    return 1;
  }
  EngineRun jit = RunEngine(Engine::kJit, Optimization::kO0, options);
  EngineRun optimized = RunEngine(Engine::kJit, kOptimized, options);

  std::printf("ingestion (%.1f MB, %llu lines, %llu records)       wall ms     cpu ms      records/s\n",
              static_cast<double>(raw.bytes) / 1e6, static_cast<unsigned long long>(raw.documents),
              static_cast<unsigned long long>(interp.records));
  Row("simdjson: read the file", raw.read, 0);
  Row("simdjson: parse_many to DOM (the limit)", raw.parse, raw.documents);
  Row("edict: load (read, parse, columns)", interp.load, interp.records);
  std::printf("  %-38s %10.2fx\n\n", "edict load / simdjson read+parse",
              interp.load.cpu_ms / (raw.read.cpu_ms + raw.parse.cpu_ms));

  std::printf("evaluation (loading excluded)                   wall ms     cpu ms  records/s/core  page faults\n");
  Row(("interpreter (" + interp.backend + ")").c_str(), interp.eval, interp.records, true);
  Row("  its first run", interp.first_eval, interp.records, true);
  bool same = PrintJit(interp, jit, "O0");
  same = PrintJit(interp, optimized, kOptimizedName) && same;

  std::printf("\ncompile (fresh process each)                  compile ms    cpu ms  process ms\n");
  CompileTimes compile = MeasureCompileTimes(options.probe, options.packs, kOptimizedName, options.repeat);
  PrintCompile("interp cold (front end + lowering)", compile.interp);
  PrintCompile("interp warm (plan cache hit)", compile.interp_warm);
  PrintCompile("jit cold (empty cache, LLJIT created)", compile.cold);
  PrintCompile("jit warm (plan + object cache hits)", compile.warm);
  PrintCompile((std::string("jit ") + kOptimizedName + " cold (empty cache, built once)").c_str(),
               compile.optimized_cold);
  PrintCompile("jit warm after it (auto, cache hits)", compile.optimized_warm);
  return same ? 0 : 1;
}

std::string DefaultProbe(const char* argv0) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) self = argv0;
  return (self.parent_path() / "edict_bench_compile").string();
}

}  // namespace
}  // namespace edict::bench

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  edict::bench::Options options;
  options.probe = edict::bench::DefaultProbe(argv[0]);
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--rules" && has_value) options.packs.push_back(argv[++i]);
    else if (arg == "--repeat" && has_value) options.repeat = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--probe" && has_value) options.probe = argv[++i];
    else if (arg.rfind("--", 0) != 0 && options.facts.empty()) options.facts = arg;
    else {
      std::fprintf(stderr, "usage: edict_bench [--rules PACK]... [--repeat N] [--probe PATH] FACTS.jsonl\n");
      return 2;
    }
  }
  if (options.facts.empty()) {
    std::fprintf(stderr, "usage: edict_bench [--rules PACK]... [--repeat N] [--probe PATH] FACTS.jsonl\n");
    return 2;
  }
  if (options.packs.empty()) options.packs.push_back("stdlib-rules/cn-app-privacy");
  return edict::bench::Run(options);
}
