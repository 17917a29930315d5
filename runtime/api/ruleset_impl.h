// What a RuleSet and a Session hold, shared by the API's implementation files (not public).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"
#include "compiler/sema/program.h"
#include "edict/edict.h"
#include "runtime/facts/store.h"
#include "runtime/interp/interp.h"
#include "runtime/jit/host.h"

namespace edict {

struct RuleSet::Impl {
  // The front end's output; both empty when the plan came from the plan cache (plan_cache.h).
  diag::SourceManager sources;
  std::unique_ptr<sema::Program> program;
  std::unique_ptr<plan::Plan> plan;
  RunInfo info;
  std::vector<std::string> pack_directories;  // of the packs in info.rulesets, for the object cache
  int64_t compile_ms = 0;
  Engine engine = Engine::kInterp;
  Optimization optimization = Optimization::kAuto;
  bool plan_from_cache = false;

  // Native code, built once (at Compile for jit, on the first large session for auto) and then
  // only read; declared before the evaluators that run it.
  mutable std::once_flag native_once;
  mutable std::unique_ptr<jit::NativeCode> native;
  mutable std::mutex native_mutex;  // guards native_build and auto_threshold, which callers may read any time
  mutable NativeBuild native_build;
  // Under auto: whether the object cache holds the rules' code, looked up once, on first need.
  mutable std::once_flag probe_once;
  mutable AutoThreshold auto_threshold;

  // Evaluators are per thread; idle ones wait here for the next Evaluate, so a thread reuses an
  // evaluator (and its copy of the plan's constants) instead of building one per session. Those
  // running native code are kept apart.
  mutable std::mutex pool_mutex;
  mutable std::vector<std::unique_ptr<interp::Evaluator>> idle_evaluators;
  mutable std::vector<std::unique_ptr<interp::Evaluator>> idle_native_evaluators;

  // The native code, building it on first use; null when it cannot be built (native_build.note
  // says why). Thread-safe.
  const interp::CompiledCode* Native() const;
  // Whether the object cache holds code Native() would link, looked up on the first call (which
  // fills auto_threshold). Thread-safe.
  bool HoldsCachedCode() const;
};

// Whether `engine` evaluates a session of `records` records natively. Under auto that depends,
// between kAutoJitMinRecordsWarm and kAutoJitMinRecordsCold, on whether the object cache holds
// code for the rules: `holds_cached_code` says, called only then.
bool UsesNativeCode(Engine engine, uint64_t records, const std::function<bool()>& holds_cached_code);

// Whether the object cache holds code that BuildNative with the same arguments would link rather
// than build: keys and a stat per level, no IR.
bool HoldsCachedNative(const RunInfo& info, const std::vector<std::string>& pack_directories, const plan::Plan& plan,
                       Optimization optimization);

// Builds native code for `plan` at `optimization` through the object cache, keyed by `info` (the
// packs' source hashes, profile, parameters) and the packs' directories; fills `build`. Null when
// it cannot.
std::unique_ptr<jit::NativeCode> BuildNative(const RunInfo& info, const std::vector<std::string>& pack_directories,
                                             const plan::Plan& plan, Optimization optimization, NativeBuild& build);
// The packs' directories, in the order of the run header's packs: part of the object cache's key.
std::vector<std::string> PackDirectories(const sema::Program& program);

struct Session::Data {
  facts::Session session;
  std::shared_ptr<const RuleSet::Impl> rules;  // owns the schema the session's store refers to
};

// The DiagnosticEngine's diagnostics, rendered, in location order.
Diagnostics ToDiagnostics(diag::DiagnosticEngine& diags, const diag::SourceManager& sources);

// The run's header: engine, packs with the sha256 of their sources, profile, parameters, rules.
RunInfo MakeRunInfo(const sema::Program& program, const plan::Plan& plan, const diag::SourceManager& sources);
RunInfo MakeRunInfo(std::vector<findings::Ruleset> rulesets, const plan::Plan& plan);

// One source file of a pack, for its sha256.
struct PackFile {
  std::string path;
  std::string_view text;
};
// The sha256 of a pack's sources (`files` in load order) that the run header reports.
std::string PackSha256(const std::string& directory, std::span<const PackFile> files);

// A pack's name, version and sources as the run header hashes them. The texts are views into the
// source manager's files, which stay put while it adds others (lowering adds parameter overrides),
// so the hashing may run on another thread meanwhile.
struct PackSources {
  std::string name;
  std::string version;
  std::string directory;
  std::vector<PackFile> files;
};
std::vector<PackSources> SourcesOfPacks(const sema::Program& program, const diag::SourceManager& sources);
std::vector<findings::Ruleset> HashPacks(const std::vector<PackSources>& packs);

// A diagnostic for a failure that is not the rules' fault (memory exhaustion), so that nothing
// escapes the API as an exception.
Diagnostics EngineFailure(const std::string& what);

}  // namespace edict
