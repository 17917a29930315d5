// Memo functions in native code (tests/plan/memo*): a `Memo` node, of a record, a string or a scalar,
// calls the machine's cache (a function by string or by value through the helper that asks its
// front cache first), and memo function bodies are native roots, so the JIT computes and reads the
// cache exactly as the interpreter does: the same results, hits, misses and budget, no fallback.
#include <doctest/doctest.h>

#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "compiler/codegen/emit.h"
#include "runtime/facts/loader.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;

namespace {

const char* kHeader =
    R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":"m",)"
    R"("started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
    R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n";

struct Both {
  interp::SessionEvaluation interpreted;
  interp::SessionEvaluation native;
};

Both EvaluateBoth(const std::string& pack, const std::string& facts) {
  auto compiled = testing::CompilePacks({pack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  REQUIRE(!plan.memo_functions.empty());
  auto native = testing::NativeCode::ForPlan(plan);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  for (const plan::MemoFunction& memo : plan.memo_functions) {
    bool compiled = native->code.exprs[memo.expr] != nullptr;
    CHECK(compiled);
  }
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 1);
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code);
  Both both{interpreter.Evaluate(loaded.sessions[0]), jit.Evaluate(loaded.sessions[0])};
  CHECK(testing::Describe(plan, both.native) == testing::Describe(plan, both.interpreted));
  CHECK(both.native.stats.memo_hits == both.interpreted.stats.memo_hits);
  CHECK(both.native.stats.memo_misses == both.interpreted.stats.memo_misses);
  CHECK(both.native.stats.fallbacks == 0);
  return both;
}

std::string Request(int seq, int t, const std::string& perms) {
  return R"({"type":"perm_request","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
         R"(,"perms":)" + perms + "}\n";
}

std::string Result(int seq, int t, const std::string& perm) {
  return R"({"type":"perm_result","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) + R"(,"perm":")" +
         perm + R"(","result":"denied","via":"user"})" "\n";
}

// A function's calls in the emitted module, by helper: `memo` and `memo_view` for a function of a
// record, `memo_key` (which asks the front cache) for one by string or by value.
struct MemoCalls {
  int by_row = 0;
  int keyed = 0;
  int misrouted = 0;
};

MemoCalls MemoCallsOf(const std::string& pack) {
  auto compiled = testing::CompilePacks({pack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(plan, context, 0, 1);
  MemoCalls calls;
  for (const llvm::Function& function : *emitted.module) {
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        const llvm::Function* callee = call == nullptr ? nullptr : call->getCalledFunction();
        if (callee == nullptr || !callee->getName().starts_with("edict_rt_memo")) continue;
        uint64_t index = llvm::cast<llvm::ConstantInt>(call->getArgOperand(1))->getZExtValue();
        REQUIRE(index < plan.memo_functions.size());
        const plan::MemoFunction& memo = plan.memo_functions[index];
        bool keyed = memo.by_string || memo.by_value != value::Kind::kNull;
        bool through_key = callee->getName() == "edict_rt_memo_key";
        if (keyed != through_key) ++calls.misrouted;
        ++(keyed ? calls.keyed : calls.by_row);
      }
    }
  }
  return calls;
}

}  // namespace

TEST_CASE("a function by string or by value is called through memo_key, a function of a record through memo") {
  MemoCalls by_row = MemoCallsOf("tests/plan/memo");
  CHECK(by_row.by_row > 0);
  CHECK(by_row.misrouted == 0);
  for (const char* pack : {"tests/plan/memo_string", "tests/plan/memo_value"}) {
    CAPTURE(pack);
    MemoCalls keyed = MemoCallsOf(pack);
    CHECK(keyed.keyed > 0);
    CHECK(keyed.misrouted == 0);
  }
}

TEST_CASE("native code hits and misses the memo cache as the interpreter does") {
  const std::string camera = R"("android.permission.CAMERA")", mic = R"("android.permission.RECORD_AUDIO")";
  std::string facts = std::string(kHeader) + Result(1, 0, "android.permission.CAMERA") +
                      Request(2, 5, "[" + mic + "," + camera + "]") + Request(3, 10, "[" + mic + "]") +
                      Request(4, 20, "[" + camera + "]") + Result(5, 30, "android.permission.RECORD_AUDIO") +
                      Request(6, 40, "[" + camera + "," + mic + "]");
  Both both = EvaluateBoth("tests/plan/memo", facts);
  // As tests/unit/interp_memo_test.cpp counts them (a merged match's report is not evaluated).
  CHECK(both.native.stats.memo_misses == 10);
  CHECK(both.native.stats.memo_hits == 9);
}

TEST_CASE("a memo function that exhausts the budget caches the budget error in both engines") {
  std::string facts = std::string(kHeader) +
                      R"({"type":"api_call","seq":1,"t":5,"api":{"class":"C","method":"m"},"data_types":["id.imei",)"
                      R"("id.imsi","id.iccid","id.serial","id.oaid","contacts","sms","call_log","calendar","clipboard"]})"
                      "\n";
  Both both = EvaluateBoth("tests/plan/memo_budget", facts);
  REQUIRE(both.native.limits.size() == 1);
  CHECK(both.native.limits[0].limit == "eval_steps");
  CHECK(both.native.stats.memo_misses == 1);
}

TEST_CASE("native code hits and misses a string memo cache as the interpreter does, erroring arguments too") {
  const std::string camera = R"("android.permission.CAMERA")", mic = R"("android.permission.RECORD_AUDIO")";
  std::string facts = std::string(kHeader) + Result(1, 0, "android.permission.CAMERA") +
                      Request(2, 5, "[" + mic + "," + camera + "]") + Request(3, 10, "[" + mic + "]") +
                      Request(4, 20, "[" + camera + "]") + Result(5, 30, "android.permission.RECORD_AUDIO") +
                      Request(6, 40, "[" + camera + "," + mic + "]");
  Both both = EvaluateBoth("tests/plan/memo_string", facts);
  CHECK(both.native.stats.memo_misses == 8);
  CHECK(both.native.stats.memo_hits == 4);
}

TEST_CASE("a string memo function that exhausts the budget caches the budget error in both engines") {
  std::string facts = std::string(kHeader) +
                      R"({"type":"api_call","seq":1,"t":5,"api":{"class":"C","method":"m"},"data_types":[]})" "\n";
  Both both = EvaluateBoth("tests/plan/memo_string_budget", facts);
  REQUIRE(both.native.limits.size() == 1);
  CHECK(both.native.limits[0].limit == "eval_steps");
  CHECK(both.native.stats.memo_misses == 1);
}

TEST_CASE("native code hits and misses a memo cache by value as the interpreter does, erroring arguments too") {
  const std::string mic = R"("android.permission.RECORD_AUDIO")";
  std::string facts = std::string(kHeader) + Request(1, 0, "[" + mic + "]") + Result(2, 5, "android.permission.CAMERA") +
                      Request(3, 10, "[" + mic + "]") + Request(4, 10, "[" + mic + "]") +
                      Result(5, 30, "android.permission.RECORD_AUDIO") + Request(6, 40, "[" + mic + "]");
  Both both = EvaluateBoth("tests/plan/memo_value", facts);
  // Request 1 has no result before it: its key errs, is computed and not kept (a rule error).
  CHECK(both.native.stats.memo_misses == 8);
  CHECK(both.native.stats.memo_hits == 14);
}
