// Spawns the compile probe with its own cache directory and reads the figures it prints.
#include "bench/fresh_compile.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "bench/timing.h"

extern char** environ;

namespace edict::bench {
namespace {

// The parent's environment with EDICT_CACHE_DIR replaced.
std::vector<std::string> ProbeEnvironment(const std::string& cache_dir) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "EDICT_CACHE_DIR=", 16) != 0) env.emplace_back(*e);
  }
  env.push_back("EDICT_CACHE_DIR=" + cache_dir);
  return env;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
  return text;
}

FreshCompile Best(const FreshCompile& a, const FreshCompile& b) {
  if (!a.ok) return b;
  if (!b.ok) return a;
  return a.compile_ms <= b.compile_ms ? a : b;
}

}  // namespace

FreshCompile RunCompileProbe(const std::string& probe, const std::string& engine, const std::string& optimization,
                             const std::vector<std::string>& packs, const std::string& cache_dir) {
  FreshCompile result;
  std::vector<std::string> args = {probe, engine, "--opt", optimization};
  args.insert(args.end(), packs.begin(), packs.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = ProbeEnvironment(cache_dir);
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int out[2];
  if (pipe(out) != 0) {
    result.error = "pipe failed";
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  Stopwatch watch;
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, probe.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    result.error = "cannot run " + probe + ": " + std::strerror(spawned);
    return result;
  }
  std::string text = ReadAll(out[0]);
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.process_ms = watch.Read().wall_ms;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    result.error = text.empty() ? "the probe failed" : text;
    return result;
  }
  std::istringstream lines(text);
  for (std::string key; lines >> key;) {
    if (key == "compile_wall_ms") lines >> result.compile_ms;
    else if (key == "compile_cpu_ms") lines >> result.compile_cpu_ms;
    else if (key == "backend") lines >> result.backend;
    else if (key == "opt_level") lines >> result.opt_level;
    else lines.ignore(1 << 20, '\n');
  }
  result.ok = true;
  return result;
}

CompileTimes MeasureCompileTimes(const std::string& probe, const std::vector<std::string>& packs,
                                 const std::string& optimized, int repeat) {
  CompileTimes times;
  std::filesystem::path root = std::filesystem::temp_directory_path() / ("edict-bench-cache-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  // Each engine and level starts from its own empty directory: the plan a cold run caches would
  // otherwise make the next cold run skip the front end.
  for (int run = 0; run < repeat; ++run) {
    std::string interp_dir = (root / std::to_string(run) / "interp").string();
    std::string jit_dir = (root / std::to_string(run) / "jit").string();
    std::string optimized_dir = (root / std::to_string(run) / optimized).string();
    for (const std::string& dir : {interp_dir, jit_dir, optimized_dir}) std::filesystem::create_directories(dir);
    times.interp = Best(times.interp, RunCompileProbe(probe, "interp", "auto", packs, interp_dir));
    times.interp_warm = Best(times.interp_warm, RunCompileProbe(probe, "interp", "auto", packs, interp_dir));
    times.cold = Best(times.cold, RunCompileProbe(probe, "jit", "auto", packs, jit_dir));
    times.warm = Best(times.warm, RunCompileProbe(probe, "jit", "auto", packs, jit_dir));
    times.optimized_cold =
        Best(times.optimized_cold, RunCompileProbe(probe, "jit", optimized, packs, optimized_dir));
    times.optimized_warm = Best(times.optimized_warm, RunCompileProbe(probe, "jit", "auto", packs, optimized_dir));
  }
  std::error_code ignored;
  std::filesystem::remove_all(root, ignored);
  return times;
}

}  // namespace edict::bench
