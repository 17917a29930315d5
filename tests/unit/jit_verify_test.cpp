// Building's bookkeeping around LLVM: when emitted modules are verified, and that every part's IR
// is freed on threads of its own, without Build waiting for it when it succeeds, by the time the
// native code is destroyed (by the time Build returns when it fails), however many builds run at
// once.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "llvm/IR/DiagnosticHandler.h"
#include "runtime/jit/compile.h"
#include "runtime/backend/object.h"
#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::Run;

// Owned by the LLVMContext it is installed in: its destruction is the context's.
struct ContextDeathCounter : llvm::DiagnosticHandler {
  explicit ContextDeathCounter(std::atomic<int>& freed) : freed(freed) {}
  ~ContextDeathCounter() override { ++freed; }
  std::atomic<int>& freed;
};

// A ContextDeathCounter whose context's destruction waits until `released` (at most 10 s, so that
// a build that waits for it fails the test rather than hanging it).
struct HeldContextDeath : ContextDeathCounter {
  HeldContextDeath(std::atomic<int>& freed, std::atomic<bool>& released) : ContextDeathCounter(freed), released(released) {}
  ~HeldContextDeath() override {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!released && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  }
  std::atomic<bool>& released;
};

// `request`'s emitter, counting in `freed` the contexts (each part's IR) destroyed since; with
// `released`, their destruction waits for it.
Emitter CountingFreedContexts(Emitter emit, std::atomic<int>& freed, std::atomic<bool>* released = nullptr) {
  return [emit = std::move(emit), &freed, released](llvm::LLVMContext& context, Part part, SymbolTable& symbols,
                                                    std::string& error) {
    if (released != nullptr) {
      context.setDiagnosticHandler(std::make_unique<HeldContextDeath>(freed, *released));
    } else {
      context.setDiagnosticHandler(std::make_unique<ContextDeathCounter>(freed));
    }
    return emit(context, part, symbols, error);
  };
}

// A function whose block has no terminator: the verifier's best-known complaint.
std::unique_ptr<llvm::Module> InvalidModule(llvm::LLVMContext& context) {
  auto module = std::make_unique<llvm::Module>("broken", context);
  auto* function = llvm::Function::Create(llvm::FunctionType::get(llvm::Type::getVoidTy(context), false),
                                          llvm::Function::ExternalLinkage, "edict_expr_1", module.get());
  llvm::BasicBlock::Create(context, "entry", function);
  return module;
}

TEST_CASE("emitted modules are verified when $EDICT_JIT_VERIFY is set, and always with assertions") {
  const char* before = std::getenv("EDICT_JIT_VERIFY");
  std::string saved = before != nullptr ? before : "";
  ::setenv("EDICT_JIT_VERIFY", "1", 1);
  CHECK(VerifyEmittedModules());
  ::unsetenv("EDICT_JIT_VERIFY");
#ifdef NDEBUG
  CHECK_FALSE(VerifyEmittedModules());
#else
  CHECK(VerifyEmittedModules());
#endif
  if (before != nullptr) ::setenv("EDICT_JIT_VERIFY", saved.c_str(), 1);
}

TEST_CASE("the verifier names what is wrong with a module") {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> broken = InvalidModule(context);
  std::string error;
  CHECK_FALSE(backend::VerifyModule(*broken, error));
  CHECK_MESSAGE(error.find("invalid module") != std::string::npos, error);
  CHECK_MESSAGE(error.find("terminator") != std::string::npos, error);

  llvm::LLVMContext valid_context;
  llvm::Module valid("valid", valid_context);
  std::string no_error;
  CHECK(backend::VerifyModule(valid, no_error));
  CHECK(no_error.empty());
}

TEST_CASE("a build that does not verify compiles a valid module") {
  BuildRequest request = ConstantRequest({{1, 5}, {2, 6}}, nullptr);
  request.verify = false;
  request.parts = 2;
  std::string error;
  auto native = Build(request, error);
  REQUIRE_MESSAGE(native != nullptr, error);
  CHECK(Run(*native, 1) == 5);
  CHECK(Run(*native, 2) == 6);
}

TEST_CASE("a part whose module is invalid fails the build when verifying, in any part") {
  for (uint32_t broken_part : {0u, 1u}) {
    BuildRequest request = ConstantRequest({{1, 1}, {2, 2}}, nullptr);
    Emitter good = request.emit;
    request.emit = [good, broken_part](llvm::LLVMContext& context, Part part, SymbolTable& symbols,
                                       std::string& error) {
      if (part.index != broken_part) return good(context, part, symbols, error);
      symbols.exprs.emplace_back(1, "edict_expr_1");
      return InvalidModule(context);
    };
    request.parts = 2;
    request.verify = true;
    std::string error;
    CHECK(Build(request, error) == nullptr);
    CHECK_MESSAGE(error.find("invalid module") != std::string::npos, error);
  }
}

TEST_CASE("a build returns without waiting for its IR to be freed, which is by the time its code is destroyed") {
  for (uint32_t parts : {1u, 2u, 3u}) {
    std::atomic<int> freed = 0;
    std::atomic<bool> released = false;
    BuildRequest request = ConstantRequest({{1, 10}, {2, 20}, {3, 30}}, nullptr);
    request.emit = CountingFreedContexts(request.emit, freed, &released);
    request.parts = parts;
    std::string error;
    auto native = Build(request, error);
    REQUIRE_MESSAGE(native != nullptr, error);
    CHECK(freed == 0);
    for (uint32_t id = 1; id <= 3; ++id) CHECK(Run(*native, id) == 10 * id);
    released = true;
    native.reset();
    CHECK(freed == static_cast<int>(parts));
  }
}

TEST_CASE("a failed build frees every part's IR too") {
  std::atomic<int> freed = 0;
  BuildRequest request = ConstantRequest({{1, 1}, {2, 2}}, nullptr);
  Emitter good = request.emit;
  request.emit = CountingFreedContexts(
      [good](llvm::LLVMContext& context, Part part, SymbolTable& symbols, std::string& error) {
        if (part.index == 0) return InvalidModule(context);
        return good(context, part, symbols, error);
      },
      freed);
  request.parts = 2;
  request.verify = true;
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK(freed == 2);
}

TEST_CASE("builds made, run and destroyed on several threads at once free all their IR") {
  std::atomic<int> freed = 0;
  std::atomic<int> wrong = 0;
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        BuildRequest request = ConstantRequest({{1, t}, {2, round}}, nullptr);
        request.emit = CountingFreedContexts(request.emit, freed);
        request.parts = 2;
        std::string error;
        auto native = Build(request, error);
        if (native == nullptr || Run(*native, 1) != t || Run(*native, 2) != round) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(freed == kThreads * kRounds * 2);
}

}  // namespace
}  // namespace edict::jit
