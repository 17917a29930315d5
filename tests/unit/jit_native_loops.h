// What the tests of native loops (jit_index_test, jit_rows_test, jit_shared_filters_test,
// jit_shared_lookups_test) share: a pack compiled for both engines, sessions loaded in place, one
// session run under a budget, and the comparisons of the engines that every native loop must pass —
// over sessions in turn, at every budget of a session, and on two threads sharing one native code;
// the interpreter's indexed answers against nested loops; sessions of API calls and the blocks of
// a pass function by name.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/facts/loader.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

namespace edict::testing {

struct NativeFixture {
  std::unique_ptr<Compiled> compiled;
  std::unique_ptr<NativeCode> native;
  const plan::Plan& plan() const { return *compiled->plan; }
};

NativeFixture CompileNative(const std::string& pack);

// Loaded in place: a store is not moved once loaded.
std::unique_ptr<facts::LoadResult> LoadInPlace(const plan::Plan& plan, const std::string& text);

// One session under `budget` steps, described with its index builds; `steps` receives the steps
// it took.
std::string RunWithBudget(const plan::Plan& plan, const interp::CompiledCode* code, const facts::Session& session,
                          uint64_t budget, uint64_t& steps);

// What the interpreter reached over some sessions: the most rule errors and findings of one.
struct Reached {
  size_t errors = 0;
  size_t findings = 0;
};

// Evaluates `sessions` in turn, each with one interpreter and one native evaluator (so state
// carried between sessions is exercised), and checks that native code gives the interpreter's
// results without falling back; says what the sessions reached, for the caller to check that they
// exercise what they are for.
Reached CheckSameAsInterpreter(const NativeFixture& fixture,
                               const std::vector<std::unique_ptr<facts::LoadResult>>& sessions);

// Both engines over six request-and-consent sessions (seeds `first_seed` on, 12 records and
// `records_step` more each), one without consents (empty indexes) and one empty, in turn in one
// evaluator each: the same findings, errors and counters (index builds included), no fallback;
// the sessions must show an error value and a finding.
void CheckRequestConsentSessions(const NativeFixture& fixture, uint32_t first_seed, int records_step);

// Both engines over `session`, in which a rule reaches its findings limit: the same results, the
// limit recorded.
void CheckFindingsLimitAlike(const NativeFixture& fixture, const facts::Session& session);

// Both engines over `session` with `budget` steps: true when they give the same results after the
// same steps; else a failed check naming `label`, the budget and both engines' results.
bool SameAtBudget(const NativeFixture& fixture, const facts::Session& session, uint64_t budget,
                  const std::string& label);

// Every budget from 0 to what the session takes (more than `min_total` steps) stops both engines
// with the same results after the same steps (the first budget where they differ is reported).
void CheckEveryBudget(const NativeFixture& fixture, const facts::Session& session, uint64_t min_total);

// Two threads, each with its own evaluator over the one native code, evaluate `sessions` in
// turns 20 times and always give the interpreter's results.
void CheckTwoThreads(const NativeFixture& fixture, const std::vector<std::unique_ptr<facts::LoadResult>>& sessions);

// The interpreter's answers on sessions of 20 to 320 requests and consents, one without consents
// and one empty, in turn in one evaluator, are those of nested loops: of the plan with every index
// mark cleared, whose scans stream their rows and check every conjunct, so that no index, bound or
// search of t answers.
void CheckNestedLoops(const std::string& pack);

// A session of `records` API calls at pseudo-random times from `seed`, each with up to two of
// `types` and the caller `caller(pick)` gives for a pseudo-random pick; with `requests_one_in` > 0,
// about one record in that many is a permission request instead.
std::string ApiCallSession(const std::string& id, uint32_t seed, int records, std::string (*caller)(uint32_t),
                           std::span<const char* const> types, uint32_t requests_one_in = 0);

// Five sessions of `session(id, seed, records)`, seeds 1 to 5 with 40 + 20 * seed records each,
// loaded in place for `plan`.
std::vector<std::unique_ptr<facts::LoadResult>> FiveSeededSessions(
    const plan::Plan& plan, std::string (*session)(const std::string&, uint32_t, int));

// How many blocks of the plan's one pass function have a name that starts with `prefix`.
int PassBlocksNamed(const NativeFixture& fixture, std::string_view prefix);

}  // namespace edict::testing
