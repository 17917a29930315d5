// The API's side of the JIT: which engine evaluates a session, and building a rule set's native
// code once, keyed for the object cache by what the plan is made from.
#include <optional>

#include "edict/edict.h"
#include "runtime/api/ruleset_impl.h"
#include "runtime/jit/compile.h"
#include "runtime/value/format.h"

namespace edict {
namespace {

// The level `optimization` fixes; nullopt for auto, which the JIT host resolves against its cache.
std::optional<jit::OptLevel> FixedOptLevel(Optimization optimization) {
  switch (optimization) {
    case Optimization::kAuto: return std::nullopt;
    case Optimization::kO0: return jit::OptLevel::kO0;
    case Optimization::kO1: return jit::OptLevel::kO1;
    case Optimization::kO2: return jit::OptLevel::kO2;
  }
  return std::nullopt;
}

// ExprIds, and so symbol names, are deterministic for the same sources, profile and parameter
// values: those name the code. Directories too, since messages may quote source paths.
std::vector<std::string> CodeIdentity(const RunInfo& info, const std::vector<std::string>& pack_directories,
                                      const plan::Plan& plan) {
  std::vector<std::string> identity;
  for (const findings::Ruleset& ruleset : info.rulesets) {
    identity.push_back(ruleset.pack + "@" + ruleset.version + "=" + ruleset.sha256);
  }
  for (const std::string& directory : pack_directories) identity.push_back("dir=" + directory);
  identity.push_back("profile=" + plan.profile);
  for (const plan::Param& param : plan.params) identity.push_back(param.name + "=" + value::FormatLiteral(param.value));
  return identity;
}

}  // namespace

bool UsesNativeCode(Engine engine, uint64_t records, const std::function<bool()>& holds_cached_code) {
  switch (engine) {
    case Engine::kInterp: return false;
    case Engine::kJit: return true;
    case Engine::kAuto:
      if (records >= kAutoJitMinRecordsCold) return true;
      return records >= kAutoJitMinRecordsWarm && holds_cached_code();
  }
  return false;
}

bool HoldsCachedNative(const RunInfo& info, const std::vector<std::string>& pack_directories, const plan::Plan& plan,
                       Optimization optimization) {
  return jit::HoldsCachedPlanCode(plan, CodeIdentity(info, pack_directories, plan), FixedOptLevel(optimization));
}

std::vector<std::string> PackDirectories(const sema::Program& program) {
  std::vector<std::string> directories;
  for (const auto& pack : program.packs) directories.push_back(pack->directory);
  return directories;
}

std::unique_ptr<jit::NativeCode> BuildNative(const RunInfo& info, const std::vector<std::string>& pack_directories,
                                             const plan::Plan& plan, Optimization optimization, NativeBuild& build) {
  std::string error;
  std::unique_ptr<jit::NativeCode> native =
      jit::CompilePlan(plan, CodeIdentity(info, pack_directories, plan), error, FixedOptLevel(optimization));
  build = NativeBuild();
  if (native == nullptr) {
    build.note = "native code generation failed: " + error;
    return nullptr;
  }
  const jit::BuildStats& stats = native->stats();
  build.built = true;
  build.cache_hit = stats.cache_hit;
  build.build_us = stats.total_us;
  build.codegen_us = stats.codegen_us;
  build.link_us = stats.link_us;
  build.back_end_us = stats.back_end_us;
  build.opt_level = jit::OptLevelName(stats.opt_level);
  build.note = stats.cache_note;
  return native;
}

const interp::CompiledCode* RuleSet::Impl::Native() const {
  std::call_once(native_once, [this] {
    NativeBuild build;
    native = BuildNative(info, pack_directories, *plan, optimization, build);
    std::lock_guard<std::mutex> lock(native_mutex);
    native_build = std::move(build);
  });
  return native != nullptr ? &native->code() : nullptr;
}

bool RuleSet::Impl::HoldsCachedCode() const {
  std::call_once(probe_once, [this] {
    bool cached = HoldsCachedNative(info, pack_directories, *plan, optimization);
    std::lock_guard<std::mutex> lock(native_mutex);
    auto_threshold = {cached ? kAutoJitMinRecordsWarm : kAutoJitMinRecordsCold, true, cached};
  });
  std::lock_guard<std::mutex> lock(native_mutex);
  return auto_threshold.cached_code;
}

Engine RuleSet::engine() const { return impl_->engine; }

AutoThreshold RuleSet::auto_threshold() const {
  std::lock_guard<std::mutex> lock(impl_->native_mutex);
  return impl_->auto_threshold;
}

NativeBuild RuleSet::native_build() const {
  std::lock_guard<std::mutex> lock(impl_->native_mutex);
  return impl_->native_build;
}

}  // namespace edict
