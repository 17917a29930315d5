// Fuzz target: the bytes drive the differential program generator (tests/differential), and the
// generated pack and facts run under the interpreter and the JIT, twice: through the public API,
// and with every family of roots alike up to their registers sharing one body (every_family.h;
// the code generator alone seldom shares one in so small a program). The programs are small, with
// memo functions favoured (FuzzerOptions, generator.h). Three oracles: a generated
// program checks without diagnostics (else the generator is wrong), the native side runs without
// falling back to the interpreter, and both report the same outcomes, rule errors, limits and
// findings as the interpreter, the shared bodies also when a session's step budget runs out part
// way. Links edict_differential.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <span>
#include <string>

#include "tests/differential/engines.h"
#include "tests/differential/every_family.h"
#include "tests/differential/generator.h"
#include "tests/differential/scratch.h"
#include "tests/fuzz/fuzz_support.h"

using namespace edict;
using namespace edict::differential;

namespace {
constexpr size_t kBudgetsPerSession = 4;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ScratchCache cache;
  static ScratchDir scratch("edict-differential-fuzz");
  Entropy entropy = Entropy::FromBytes(std::span<const uint8_t>(data, size));
  GeneratedProgram program = GenerateProgram(entropy, FuzzerOptions());
  const std::string path = scratch.path() + "/gen.edict";
  std::ofstream(path, std::ios::binary) << program.source;

  CompileOptions compile;
  compile.packs = {path};
  compile.use_environment = false;
  EnginePair engines(compile);
  if (!engines.ok() || engines.warnings() > 0) {
    fuzz::Contradiction("a generated program does not check cleanly", engines.rendered() + "\n" + program.source);
  }
  Comparison comparison;
  Input facts = Input::Text("facts.jsonl", program.facts);
  engines.Compare(std::span<const Input>(&facts, 1), "fuzz input", comparison);
  if (comparison.interpreted > 0 || comparison.fallbacks > 0) {
    fuzz::Contradiction("the JIT rule set fell back to the interpreter", program.source);
  }
  if (!comparison.mismatches.empty()) {
    fuzz::Contradiction("the interpreter and the JIT disagree",
                        comparison.mismatches.front() + "\n" + program.source + "\n" + program.facts);
  }
  // The input's bytes are mostly used up by the generator (and read as zeros after), so the budgets
  // come from a stream seeded by the program: a mutation that changes it moves them too.
  Entropy budget_entropy = Entropy::FromSeed(std::hash<std::string>{}(program.source));
  EveryFamilyComparison shared =
      CompareEveryFamilyShared(path, program.facts, SpreadBudgets(budget_entropy, kBudgetsPerSession));
  if (!shared.error.empty()) {
    fuzz::Contradiction("native code with every family sharing a body was not built", shared.error + "\n" + program.source);
  }
  if (shared.fallbacks > 0) fuzz::Contradiction("shared bodies fell back to the interpreter", program.source);
  if (!shared.mismatches.empty()) {
    fuzz::Contradiction("the interpreter and shared bodies disagree",
                        shared.mismatches.front() + "\n" + program.source + "\n" + program.facts);
  }
  return 0;
}
