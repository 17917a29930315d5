// Generated programs (tests/differential/generator.h) through the interpreter and the JIT. Each
// program is one pack of GeneratorOptions::rules generated rules, compiled once per engine (one
// LLVM compilation per pack) and evaluated over its generated sessions; the count that matters is
// the number of generated rules, each a program of its own over the pack's shared declarations.
// EDICT_DIFFERENTIAL_SEED, EDICT_DIFFERENTIAL_PACKS and EDICT_DIFFERENTIAL_RECORDS change the seed,
// the number of packs and the records per session (to reproduce or to search further); a
// mismatching program is saved under the temp directory.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tests/differential/engines.h"
#include "tests/differential/generator.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"

using namespace edict;
using namespace edict::differential;

namespace {

constexpr uint64_t kSeed = 20261128;
constexpr size_t kPacks = 400;
constexpr size_t kRulesRequired = 10000;

void Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Keeps a program that failed for a person to reduce; returns where.
std::string Keep(const GeneratedProgram& program, uint64_t seed) {
  auto dir = std::filesystem::temp_directory_path() / "edict-differential-failures" / ("seed-" + std::to_string(seed));
  std::filesystem::create_directories(dir);
  Write(dir / "gen.edict", program.source);
  Write(dir / "facts.jsonl", program.facts);
  return dir.string();
}

// Requires memo functions of all three kinds (by row, by string, by value) in the plans of the
// programs `options` writes from the first `probed` seeds.
void CheckMemoKinds(const GeneratorOptions& options, size_t probed) {
  ScratchDir scratch("edict-differential-memo");
  const std::string path = scratch.path() + "/gen.edict";
  size_t packs = 0, by_row = 0, by_string = 0, by_value = 0;
  for (size_t i = 0; i < probed; ++i) {
    Entropy entropy = Entropy::FromSeed(kSeed + i);
    Write(path, GenerateProgram(entropy, options).source);
    auto compiled = testing::CompilePacks({path});
    REQUIRE_MESSAGE(compiled->plan != nullptr, "seed " << kSeed + i << ": " << compiled->Errors());
    const std::vector<plan::MemoFunction>& memos = compiled->plan->memo_functions;
    packs += memos.empty() ? 0 : 1;
    for (const plan::MemoFunction& memo : memos) {
      by_string += memo.by_string ? 1 : 0;
      by_value += memo.by_value != value::Kind::kNull ? 1 : 0;
      by_row += !memo.by_string && memo.by_value == value::Kind::kNull ? 1 : 0;
    }
  }
  MESSAGE(packs << " of " << probed << " packs with memo functions: " << by_row << " by row, " << by_string
                << " by string, " << by_value << " by value");
  CHECK(by_row > 0);
  CHECK(by_string > 0);
  CHECK(by_value > 0);
}

}  // namespace

TEST_CASE("the generator is deterministic and total") {
  GeneratorOptions options;
  Entropy a = Entropy::FromSeed(7), b = Entropy::FromSeed(7), c = Entropy::FromSeed(8);
  GeneratedProgram first = GenerateProgram(a, options);
  CHECK(first.source == GenerateProgram(b, options).source);
  CHECK(first.source != GenerateProgram(c, options).source);
  CHECK(first.rules == options.rules);
  // Bytes drive it as libFuzzer does; running out of them still yields a whole program.
  const uint8_t bytes[] = {1, 2, 3};
  Entropy short_input = Entropy::FromBytes(bytes), empty = Entropy::FromBytes({});
  CHECK(GenerateProgram(short_input, options).rules == options.rules);
  CHECK(!GenerateProgram(empty, options).facts.empty());
}

// Native code reads a memo function's cached values inline and calls its own compiled body on a
// miss (codegen/memo_emitter.cpp): the comparison below covers that only while the generator writes
// functions the plan memoises, by row, by string and by value.
TEST_CASE("generated programs have memo functions, by row, by string and by value") {
  CheckMemoKinds(GeneratorOptions(), 100);
}

// The fuzzer's 3-rule programs call fewer functions: its options favour memo functions
// (FuzzerOptions), and a hundred of its programs must still have all three kinds.
TEST_CASE("the fuzzer's small programs have memo functions, by row, by string and by value") {
  CheckMemoKinds(FuzzerOptions(), 100);
}

TEST_CASE("generated programs check cleanly and evaluate identically under the interpreter and the JIT") {
  ScratchCache cache;
  ScratchDir scratch("edict-differential-generated");
  const std::string path = scratch.path() + "/gen.edict";
  const uint64_t seed = FromEnvironment("EDICT_DIFFERENTIAL_SEED", kSeed);
  const size_t packs = FromEnvironment("EDICT_DIFFERENTIAL_PACKS", kPacks);
  GeneratorOptions options;
  options.max_records = FromEnvironment("EDICT_DIFFERENTIAL_RECORDS", options.max_records);
  Comparison total;
  size_t rules = 0, rejected = 0, mismatched = 0;
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < packs; ++i) {
    Entropy entropy = Entropy::FromSeed(seed + i);
    GeneratedProgram program = GenerateProgram(entropy, options);
    Write(path, program.source);
    CompileOptions compile;
    compile.packs = {path};
    compile.use_environment = false;
    // Every third pack runs with parameters set from outside, as `--param` does.
    if (i % 3 == 1) compile.params = {{"pw", "90s"}, {"pi", "-2"}, {"pl", "['a', '中文']"}};
    EnginePair engines(compile);
    // The generator's self-check: a program it writes must be well-typed and warning-free.
    if (!engines.ok() || engines.warnings() > 0) {
      ++rejected;
      FAIL_CHECK("generated program (seed " << seed + i << ", kept in " << Keep(program, seed + i)
                                            << ") does not check cleanly:\n" << engines.rendered());
      continue;
    }
    size_t before = total.mismatches.size();
    Input facts = Input::Text("facts.jsonl", program.facts);
    engines.Compare(std::span<const Input>(&facts, 1), "seed " + std::to_string(seed + i), total);
    rules += program.rules;
    if (total.mismatches.size() > before) {
      ++mismatched;
      FAIL_CHECK("kept in " << Keep(program, seed + i) << "\n" << total.mismatches.back());
    }
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "differential generated: " << packs << " packs of " << options.rules << " rules (seeds " << seed << ".."
            << seed + packs - 1 << "): " << rules << " generated rules compared over " << total.sessions
            << " sessions with " << total.findings << " findings and " << total.limits << " limits hit; " << rejected << " packs rejected by the checker, "
            << mismatched << " packs with mismatches (" << total.cache_hits
            << " sessions also run by JIT code from the object cache), " << total.interpreted << " sessions not native, " << total.fallbacks
            << " fallbacks; " << seconds << " s\n";
  CHECK_MESSAGE(total.interpreted == 0, total.interpreted << " sessions the JIT rule set did not run natively");
  CHECK_MESSAGE(total.fallbacks == 0, total.fallbacks << " fallbacks to the interpreter inside native code");
  CHECK(total.cache_hits == total.sessions);  // every pack's JIT code also ran as linked from the cache
  if (packs == kPacks && seed == kSeed) CHECK(rules >= kRulesRequired);
  // Random rules that never fire would compare nothing.
  CHECK(total.findings > 0);
}
