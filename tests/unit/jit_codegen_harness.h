// Test harness for the code generator: a bare LLJIT that runs a plan or an expression natively
// (O2 over the emitted IR for small modules; a large rule set, like the standard library, without
// the IR pipeline and with fast instruction selection, as the JIT host compiles it), and renderings
// of values for comparing the two back ends on the same input (of session results: the plan
// harness's Describe, included here). What needs LLVM is compiled once, in jit_codegen_harness.cpp.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "compiler/codegen/emit.h"
#include "runtime/interp/interp.h"
#include "tests/plan/harness.h"  // Describe(plan, session)

namespace llvm {
class LLVMContext;
namespace orc {
class LLJIT;
}  // namespace orc
}  // namespace llvm

namespace edict::testing {

class NativeCode {
 public:
  // Compiles `emitted`; `error` says why when it fails (invalid IR, a missing symbol).
  NativeCode(codegen::EmittedModule emitted, std::unique_ptr<llvm::LLVMContext> context, size_t exprs);
  ~NativeCode();

  static std::unique_ptr<NativeCode> ForPlan(const plan::Plan& plan);
  static std::unique_ptr<NativeCode> ForExpression(const plan::CompiledExpression& expression);

  interp::CompiledCode code;
  std::string error;

 private:
  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

// A value as the tests compare it: its kind and literal, or an error's code and message.
std::string Describe(const value::Value& v);

// Expression `text` over `variables`, lowered; the test fails when it does not compile.
std::unique_ptr<plan::CompiledExpression> MustCompileExpression(const std::string& text,
                                                                const std::vector<plan::Variable>& variables,
                                                                diag::SourceManager& sources,
                                                                diag::DiagnosticEngine& diags);

// How many calls the native code of expression `text` over `variables` makes to `helper` (an
// `edict_rt_` function).
unsigned HelperCalls(const std::string& text, const std::vector<plan::Variable>& variables, const char* helper);

// Compiles expression `text` over `variables`, evaluates it with `bindings` in both back ends and
// checks they agree with no fallback; returns the native value as Describe renders it.
std::string ExpressionBothWays(const std::string& text, const std::vector<plan::Variable>& variables,
                               const std::map<std::string, value::Value>& bindings);

// Evaluates `compiled` natively and interpreted under each set of bindings in `all`; checks they
// agree with no fallback, naming `text` and the binding `shown` on a mismatch.
void AgreeUnderBindings(const plan::CompiledExpression& compiled, const NativeCode& native, const std::string& text,
                        const std::vector<std::map<std::string, value::Value>>& all, const char* shown);

// Compiles expression `text` over `variables` once and checks both back ends agree under every
// set of bindings in `all` (AgreeUnderBindings).
void AgreeUnderAll(const std::string& text, const std::vector<plan::Variable>& variables,
                   const std::vector<std::map<std::string, value::Value>>& all, const char* shown);

// Evaluates `compiled` on four threads that share `native`, `rounds` times each with the bindings
// `bindings_of(round, thread)` gives, natively and interpreted; checks that every evaluation agrees
// with no fallback.
template <class BindingsOf>
void AgreeOnThreads(const plan::CompiledExpression& compiled, const NativeCode& native, int rounds,
                    BindingsOf bindings_of) {
  std::vector<std::string> failures(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < rounds; ++round) {
        std::map<std::string, value::Value> bindings = bindings_of(round, t);
        interp::Stats stats;
        std::string jitted = Describe(interp::Evaluate(compiled, bindings, &native.code, &stats));
        std::string interpreted = Describe(interp::Evaluate(compiled, bindings));
        if (jitted != interpreted || stats.fallbacks != 0) failures[t] = jitted + " != " + interpreted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& failure : failures) CHECK_MESSAGE(failure.empty(), failure);
}

}  // namespace edict::testing
