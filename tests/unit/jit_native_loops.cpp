// The shared native-loop checks of jit_native_loops.h, compiled once for every test that uses them.
#include "tests/unit/jit_native_loops.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <algorithm>
#include <thread>

#include "compiler/codegen/emit.h"

namespace edict::testing {

NativeFixture CompileNative(const std::string& pack) {
  NativeFixture fixture;
  fixture.compiled = CompilePacks({pack});
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  fixture.native = NativeCode::ForPlan(fixture.plan());
  REQUIRE_MESSAGE(fixture.native->error.empty(), fixture.native->error);
  return fixture;
}

std::unique_ptr<facts::LoadResult> LoadInPlace(const plan::Plan& plan, const std::string& text) {
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", text);
  auto loaded =
      std::make_unique<facts::LoadResult>(facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1)));
  REQUIRE(loaded->sessions.size() == 1);
  return loaded;
}

std::string RunWithBudget(const plan::Plan& plan, const interp::CompiledCode* code, const facts::Session& session,
                          uint64_t budget, uint64_t& steps) {
  BudgetRun run = RunAtBudget(plan, code, session, budget);
  steps = run.steps;
  CHECK(run.fallbacks == 0);
  return run.described;
}

Reached CheckSameAsInterpreter(const NativeFixture& fixture,
                               const std::vector<std::unique_ptr<facts::LoadResult>>& sessions) {
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  Reached reached;
  for (const auto& loaded : sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(loaded->sessions[0]);
    interp::SessionEvaluation native = jit.Evaluate(loaded->sessions[0]);
    CHECK(Describe(plan, native) == Describe(plan, interpreted));
    CHECK(native.stats.fallbacks == 0);
    reached.errors = std::max(reached.errors, interpreted.result.summary.rule_errors.size());
    reached.findings = std::max(reached.findings, interpreted.result.findings.size());
  }
  return reached;
}

void CheckRequestConsentSessions(const NativeFixture& fixture, uint32_t first_seed, int records_step) {
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = first_seed; seed < first_seed + 6; ++seed) {
    int records = 12 + records_step * static_cast<int>(seed - first_seed);
    std::string text = RequestConsentSession("s" + std::to_string(seed), seed, records, true);
    sessions.push_back(LoadInPlace(plan, text));
  }
  // No consent records: empty indexes.
  sessions.push_back(LoadInPlace(plan, RequestConsentSession("requests-only", 7, 12, false)));
  sessions.push_back(LoadInPlace(plan, HeaderLine("empty")));
  bool erred = false, found = false;
  for (const auto& loaded : sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(loaded->sessions[0]);
    interp::SessionEvaluation native = jit.Evaluate(loaded->sessions[0]);
    std::string described = Describe(plan, interpreted);
    CHECK(Describe(plan, native) == described);
    CHECK(native.stats.index_builds == interpreted.stats.index_builds);
    CHECK(native.stats.fallbacks == 0);
    // Reports show the errors: of erred rows, of bounds, of aggregates over no values.
    erred = erred || described.find("<error: ") != std::string::npos;
    found = found || !interpreted.result.findings.empty();
  }
  CHECK(erred);
  CHECK(found);
}

void CheckFindingsLimitAlike(const NativeFixture& fixture, const facts::Session& session) {
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  interp::SessionEvaluation interpreted = interpreter.Evaluate(session);
  interp::SessionEvaluation native = jit.Evaluate(session);
  CHECK(Describe(plan, native) == Describe(plan, interpreted));
  bool limited = false;
  for (const findings::LimitHit& limit : interpreted.limits) limited = limited || limit.limit == "findings_per_rule";
  CHECK(limited);
}

bool SameAtBudget(const NativeFixture& fixture, const facts::Session& session, uint64_t budget,
                  const std::string& label) {
  uint64_t interpreted_steps = 0, native_steps = 0;
  std::string interpreted = RunWithBudget(fixture.plan(), nullptr, session, budget, interpreted_steps);
  std::string native = RunWithBudget(fixture.plan(), &fixture.native->code, session, budget, native_steps);
  if (native == interpreted && native_steps == interpreted_steps) return true;
  FAIL_CHECK(label << ", budget " << budget << ": the interpreter took " << interpreted_steps << " steps, the JIT "
                   << native_steps << "\ninterpreter:\n" << interpreted << "\nJIT:\n" << native);
  return false;
}

void CheckEveryBudget(const NativeFixture& fixture, const facts::Session& session, uint64_t min_total) {
  uint64_t total = 0;
  RunWithBudget(fixture.plan(), nullptr, session, UINT64_MAX, total);
  REQUIRE(total > min_total);
  for (uint64_t budget = 0; budget <= total; ++budget) {
    if (!SameAtBudget(fixture, session, budget, "every budget of " + std::to_string(total) + " steps")) break;
  }
}

void CheckTwoThreads(const NativeFixture& fixture, const std::vector<std::unique_ptr<facts::LoadResult>>& sessions) {
  const plan::Plan& plan = fixture.plan();
  std::vector<std::string> expected;
  interp::Evaluator interpreter(plan);
  for (const auto& loaded : sessions) expected.push_back(Describe(plan, interpreter.Evaluate(loaded->sessions[0])));
  std::vector<int> wrong(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator jit(plan, &fixture.native->code);
      for (int round = 0; round < 20; ++round) {
        size_t i = static_cast<size_t>(round + t) % sessions.size();
        if (Describe(plan, jit.Evaluate(sessions[i]->sessions[0])) != expected[i]) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong[0] == 0);
  CHECK(wrong[1] == 0);
}

void CheckNestedLoops(const std::string& pack) {
  std::vector<std::string> texts;
  for (int i = 0; i < 6; ++i) {
    texts.push_back(RequestConsentSession(std::to_string(31 + i), 31 + i, 20 + 60 * i, true));
  }
  texts.push_back(RequestConsentSession("requests-only", 7, 12, false));
  texts.push_back(HeaderLine("empty"));
  std::unique_ptr<Compiled> indexed = CompilePacks({pack});
  std::unique_ptr<Compiled> nested = CompilePacks({pack});
  REQUIRE_MESSAGE(indexed->plan != nullptr, indexed->Errors());
  REQUIRE(nested->plan != nullptr);
  for (plan::Aggregate& aggregate : nested->plan->aggregates) {
    aggregate.counted = aggregate.extreme_of_t = false;
    for (plan::Scan& scan : aggregate.query.scans) scan.indexed = false;
  }
  for (plan::RulePlan& rule : nested->plan->rules) {
    for (plan::Scan& scan : rule.query.scans) scan.indexed = false;
  }
  // All but the counters, which the indexes change.
  auto answers = [](const plan::Plan& plan, const interp::SessionEvaluation& evaluation) {
    std::string described = Describe(plan, evaluation);
    return described.substr(0, described.rfind("\nrecords ") + 1);
  };
  interp::Evaluator fast(*indexed->plan);
  interp::Evaluator slow(*nested->plan);
  uint64_t builds = 0;
  for (const std::string& text : texts) {
    auto for_fast = LoadInPlace(*indexed->plan, text);
    auto for_slow = LoadInPlace(*nested->plan, text);
    interp::SessionEvaluation searched = fast.Evaluate(for_fast->sessions[0]);
    interp::SessionEvaluation streamed = slow.Evaluate(for_slow->sessions[0]);
    CHECK(answers(*indexed->plan, searched) == answers(*nested->plan, streamed));
    CHECK(streamed.stats.index_builds == 0);
    builds += searched.stats.index_builds;
  }
  CHECK(builds > 0);
}

std::string ApiCallSession(const std::string& id, uint32_t seed, int records, std::string (*caller)(uint32_t),
                           std::span<const char* const> types, uint32_t requests_one_in) {
  auto data_types = [&](uint32_t pick) {
    std::string out = "[";
    for (uint32_t i = 0; i < pick % 3; ++i) {
      if (i > 0) out += ",";
      out += std::string("\"") + types[(pick / 3 + i) % types.size()] + "\"";
    }
    return out + "]";
  };
  std::string text = HeaderLine(id);
  PseudoRandom next(seed);
  int t = 0;
  for (int seq = 1; seq <= records; ++seq) {
    t += static_cast<int>(next() % 900);
    std::string common = R"("seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t);
    if (requests_one_in > 0 && next() % requests_one_in == 0) {
      text += R"({"type":"perm_request",)" + common + R"(,"perms":["android.permission.CAMERA"]})" "\n";
      continue;
    }
    text += R"({"type":"api_call",)" + common + R"(,"api":{"class":"C","method":"m"},"data_types":)" +
            data_types(next()) + caller(next()) + R"(,"count":)" + std::to_string(1 + next() % 3) + "}\n";
  }
  return text;
}

std::vector<std::unique_ptr<facts::LoadResult>> FiveSeededSessions(
    const plan::Plan& plan, std::string (*session)(const std::string&, uint32_t, int)) {
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    sessions.push_back(LoadInPlace(plan, session("s" + std::to_string(seed), seed, 40 + 20 * static_cast<int>(seed))));
  }
  return sessions;
}

int PassBlocksNamed(const NativeFixture& fixture, std::string_view prefix) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(fixture.plan(), context);
  REQUIRE(emitted.passes.size() == 1);
  const llvm::Function* pass = emitted.module->getFunction(emitted.passes[0].second);
  REQUIRE(pass != nullptr);
  int named = 0;
  for (const llvm::BasicBlock& block : *pass) named += block.getName().starts_with(prefix);
  return named;
}

}  // namespace edict::testing
