// The rule packs' fixtures, found by glob: every pack under stdlib-rules/ and examples/ that has
// `test` blocks or .jsonl files, with each test's facts under the test's profile and parameters,
// and every .jsonl file (the pack's own and the shared examples/facts) under the baseline.
#pragma once

#include <string>
#include <vector>

#include "edict/edict.h"

namespace edict::differential {

// One configuration of a pack and the facts to evaluate under it.
struct FixtureRun {
  std::string label;        // "stdlib-rules/cn-app-privacy profile huawei"
  CompileOptions options;   // packs, pack_path, profile, params (engine left to the caller)
  std::vector<Input> inputs;
};

struct PackFixtures {
  std::string pack;         // the pack directory, relative to the source directory
  std::string error;        // why the pack's tests could not be read (the pack does not check)
  size_t tests = 0;         // `test` blocks whose facts are among the inputs
  size_t files = 0;         // .jsonl files among the inputs
  std::vector<FixtureRun> runs;  // one per distinct (profile, parameters)
};

// Packs in path order; `source_dir` is the repository root (tests run there).
std::vector<PackFixtures> DiscoverFixtures(const std::string& source_dir);

}  // namespace edict::differential
