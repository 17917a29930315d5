// The JIT host apart from the code generator: linking a hand-built module, the runtime helpers as
// absolute symbols, and every way building can fail without crashing.
#include <doctest/doctest.h>

#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::Run;

TEST_CASE("a built module's functions run and call the runtime helpers") {
  std::string error;
  auto native = Build(ConstantRequest({{3, 42}, {7, -5}}, nullptr), error);
  REQUIRE_MESSAGE(native != nullptr, error);
  CHECK(native->stats().codegen);
  CHECK_FALSE(native->stats().cache_hit);
  CHECK(Run(*native, 3) == 42);
  CHECK(Run(*native, 7) == -5);
  // Expressions the module does not define stay null: the driver interprets (and counts) them.
  CHECK(native->code().exprs.size() == 16);
  CHECK(!native->code().exprs[4]);
}

TEST_CASE("every optimisation level builds working code") {
  for (OptLevel level : {OptLevel::kO0, OptLevel::kO1, OptLevel::kO2}) {
    BuildRequest request = ConstantRequest({{1, 11}}, nullptr);
    request.opt_level = level;
    std::string error;
    auto native = Build(request, error);
    REQUIRE_MESSAGE(native != nullptr, error);
    CHECK(native->stats().opt_level == level);
    CHECK(Run(*native, 1) == 11);
  }
}

TEST_CASE("an emitter that fails is reported") {
  BuildRequest request = ConstantRequest({{1, 1}}, nullptr);
  request.emit = [](llvm::LLVMContext&, SymbolTable&, std::string& error) -> std::unique_ptr<llvm::Module> {
    error = "no code for you";
    return nullptr;
  };
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK(error == "no code for you");
}

TEST_CASE("an invalid module is reported, not compiled") {
  BuildRequest request = ConstantRequest({{1, 1}}, nullptr);
  request.emit = [](llvm::LLVMContext& context, SymbolTable& symbols, std::string&) {
    auto module = std::make_unique<llvm::Module>("broken", context);
    auto* function = llvm::Function::Create(llvm::FunctionType::get(llvm::Type::getVoidTy(context), false),
                                            llvm::Function::ExternalLinkage, "edict_expr_1", module.get());
    llvm::BasicBlock::Create(context, "entry", function);  // no terminator
    symbols.exprs.emplace_back(1, "edict_expr_1");
    return module;
  };
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK(error.find("invalid module") != std::string::npos);
}

TEST_CASE("a helper the runtime does not define is a link error") {
  BuildRequest request = ConstantRequest({{1, 1}}, nullptr);
  request.runtime_symbols.clear();
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK_MESSAGE(error.find("edict_test_store_int") != std::string::npos, error);
}

TEST_CASE("a symbol beyond the plan's expressions is refused") {
  BuildRequest request = ConstantRequest({{20, 1}}, nullptr);
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK(error.find("beyond the plan") != std::string::npos);
}

TEST_CASE("the engine build id names this build") {
  const std::string& id = EngineBuildId();
  CHECK(id.rfind(EDICT_VERSION "+", 0) == 0);
  CHECK(id.size() > std::string(EDICT_VERSION "+").size());
  std::string error;
  auto target = HostTarget(OptLevel::kO2, error);
  REQUIRE(target.has_value());
  CHECK(TargetIdentity(*target).find(target->getTargetTriple().str()) == 0);
}

}  // namespace
}  // namespace edict::jit
