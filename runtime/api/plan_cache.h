// The plan cache: a compiled rule set's plan, kept on disk so that a warm RuleSet::Compile skips
// parsing, checking and lowering. It lives in the object cache's directory (jit::CacheDirectory),
// one `<key>.edictplan` file per entry.
//
// The key is computed before the front end, from what decides which files it reads: the paths
// asked for, the working directory they are relative to, the pack path and $EDICT_PACK_PATH, the
// profile, the parameter overrides and the engine's build id. The entry then records what the
// front end actually read, and a lookup checks it again before trusting the plan:
//   * every pack's files: a directory pack's `.edict` files are listed again (a file added or
//     removed misses), every file is read and its bytes must be the ones the plan was lowered
//     from (by a 128-bit xxh3 digest per file: so the packs' sha256, which the run header
//     reports, are the entry's too);
//   * every pack directory still resolves (through symlinks) to where it did;
//   * import resolution: for every imported name and every directory an import could be looked
//     up in before the standard library (each pack's parent directory, the pack path,
//     $EDICT_PACK_PATH), whether `<dir>/<name>` is a directory is what it was. Together with the
//     unchanged manifests this means every import resolves to the same pack.
// So an edit anywhere the front end looks is a miss, never a stale hit. A corrupt, truncated or
// foreign entry is a miss too, and is rewritten by the compile that follows.
//
// $EDICT_PLAN_CACHE=off turns the cache off (the object cache stays as it is).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/plan/plan.h"
#include "compiler/sema/program.h"
#include "edict/edict.h"

namespace edict {

// The directory plan entries go to, empty when the cache is off or there is no cache directory.
std::string PlanCacheDirectory();

// The entry's key for `options` (reads the working directory and the environment).
std::string PlanCacheKey(const CompileOptions& options);

// What a hit gives back: enough to build the RuleSet without the program.
struct CachedPlan {
  std::unique_ptr<plan::Plan> plan;
  std::vector<findings::Ruleset> rulesets;     // the run header's packs, with their sha256
  std::vector<std::string> pack_directories;   // as the object cache's identity names them
  Diagnostics diagnostics;                     // the warnings the cold compile reported
};

// The entry under `key`, if there is one, it decodes, and every source it was made from is
// unchanged; else nullopt.
std::optional<CachedPlan> LoadCachedPlan(const std::string& directory, const std::string& key);

// Writes the entry for a successful compile; false with `error` set when it could not be written
// (the compile goes on without it).
bool StoreCachedPlan(const std::string& directory, const std::string& key, const CompileOptions& options,
                     const sema::Program& program, const diag::SourceManager& sources, const plan::Plan& plan,
                     const RunInfo& info, const Diagnostics& diagnostics, std::string& error);

}  // namespace edict
