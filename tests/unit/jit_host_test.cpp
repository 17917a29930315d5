// The JIT host apart from the code generator: linking a hand-built module, the runtime helpers as
// absolute symbols, and every way building can fail without crashing.
#include <doctest/doctest.h>
#include <sched.h>

#include <algorithm>
#include <thread>

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/compile.h"
#include "runtime/jit/object_bundle.h"
#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::Run;
using testing::TempCache;

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

TEST_CASE("code built in parts at once is linked whole") {
  TempCache cache("parts");
  std::atomic<int> emitted = 0;
  BuildRequest request = ConstantRequest({{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}}, &emitted);
  request.identity = {"parts"};
  request.parts = 3;
  std::string error;
  auto cold = Build(request, error);
  REQUIRE_MESSAGE(cold != nullptr, error);
  CHECK(emitted == 3);
  CHECK(cold->stats().parts == 3);
  for (uint32_t id = 1; id <= 5; ++id) CHECK(Run(*cold, id) == 10 * id);
  // The cache holds every part's object: a warm start links them all.
  auto warm = Build(request, error);
  REQUIRE_MESSAGE(warm != nullptr, error);
  CHECK(warm->stats().cache_hit);
  CHECK(emitted == 3);
  for (uint32_t id = 1; id <= 5; ++id) CHECK(Run(*warm, id) == 10 * id);
}

TEST_CASE("a part that fails fails the build") {
  BuildRequest request = ConstantRequest({{1, 1}, {2, 2}}, nullptr);
  Emitter good = request.emit;
  request.emit = [good](llvm::LLVMContext& context, Part part, SymbolTable& symbols, std::string& error) {
    if (part.index == 1) {
      error = "part 1 failed";
      return std::unique_ptr<llvm::Module>();
    }
    return good(context, part, symbols, error);
  };
  request.parts = 2;
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK(error == "part 1 failed");
}

TEST_CASE("each part is linked as it is compiled: 1, 2 and 4 parts give the same functions") {
  std::vector<std::pair<uint32_t, int64_t>> answers = {{1, 10}, {2, 20}, {3, 30}, {5, 50}, {8, 80}, {13, 130}};
  for (uint32_t parts : {1u, 2u, 4u}) {
    BuildRequest request = ConstantRequest(answers, nullptr);
    request.parts = parts;
    std::string error;
    auto native = Build(request, error);
    REQUIRE_MESSAGE(native != nullptr, error);
    CHECK(native->stats().parts == parts);
    for (uint32_t id = 0; id < native->code().exprs.size(); ++id) {
      bool defined =
          std::any_of(answers.begin(), answers.end(), [id](const auto& answer) { return answer.first == id; });
      CHECK_MESSAGE(static_cast<bool>(native->code().exprs[id]) == defined, parts << " parts, expression " << id);
    }
    for (const auto& [id, answer] : answers) CHECK(Run(*native, id) == answer);
  }
}

// ConstantRequest's emitter, with part `failing` also calling `edict_test_missing_<failing>`,
// which nothing defines.
Emitter WithMissingHelper(Emitter emit, std::vector<uint32_t> failing) {
  return [emit, failing](llvm::LLVMContext& context, Part part, SymbolTable& symbols, std::string& error) {
    std::unique_ptr<llvm::Module> module = emit(context, part, symbols, error);
    if (std::find(failing.begin(), failing.end(), part.index) == failing.end()) return module;
    llvm::Type* void_type = llvm::Type::getVoidTy(context);
    llvm::FunctionCallee missing = module->getOrInsertFunction("edict_test_missing_" + std::to_string(part.index),
                                                               llvm::FunctionType::get(void_type, false));
    llvm::Function& first = *module->getFunction(symbols.exprs.front().second);
    llvm::IRBuilder<> builder(&first.getEntryBlock(), first.getEntryBlock().begin());
    builder.CreateCall(missing);
    return module;
  };
}

TEST_CASE("a part that does not link fails the build with its cause, whichever part it is") {
  for (uint32_t failing : {0u, 1u}) {
    BuildRequest request = ConstantRequest({{1, 1}, {2, 2}}, nullptr);
    request.emit = WithMissingHelper(request.emit, {failing});
    request.parts = 2;
    std::string error;
    CHECK(Build(request, error) == nullptr);
    CHECK_MESSAGE(error.find("edict_test_missing_" + std::to_string(failing)) != std::string::npos, error);
  }
}

TEST_CASE("parts that do not link give one message, whichever thread linked first") {
  BuildRequest request = ConstantRequest({{1, 1}, {2, 2}, {3, 3}}, nullptr);
  request.emit = WithMissingHelper(request.emit, {1, 2});
  request.parts = 3;
  std::string first;
  CHECK(Build(request, first) == nullptr);
  CHECK_MESSAGE(first.find("edict_test_missing_1") != std::string::npos, first);
  CHECK_MESSAGE(first.find("edict_test_missing_2") != std::string::npos, first);
  for (int run = 0; run < 10; ++run) {
    std::string error;
    CHECK(Build(request, error) == nullptr);
    CHECK(error == first);
  }
}

TEST_CASE("object files bundle and unbundle only whole") {
  std::vector<std::string> objects = {"first", "", std::string("\0third", 6)};
  std::string bundle = BundleObjects(objects);
  auto unbundled = UnbundleObjects(bundle);
  REQUIRE(unbundled.has_value());
  CHECK(std::vector<std::string>(unbundled->begin(), unbundled->end()) == objects);
  for (std::string_view object : *unbundled) CHECK((object.data() - bundle.data()) % kObjectAlignment == 0);
  for (size_t size = 0; size < bundle.size(); ++size) CHECK_FALSE(UnbundleObjects(bundle.substr(0, size)).has_value());
  CHECK_FALSE(UnbundleObjects(bundle + "x").has_value());
}

TEST_CASE("large plans are compiled in parts, small ones in one") {
  ::unsetenv("EDICT_JIT_PARTS");
  CHECK(ChooseParts(10) == 1);
  uint32_t large = ChooseParts(100000);
  CHECK(large >= 1);
  CHECK(large <= std::min<uint32_t>(std::max(std::thread::hardware_concurrency(), 1u), 8));
  ::setenv("EDICT_JIT_PARTS", "3", 1);
  CHECK(ChooseParts(10) == 3);
  ::unsetenv("EDICT_JIT_PARTS");
}

TEST_CASE("a process allowed one core compiles in one part") {
  cpu_set_t allowed;
  REQUIRE(sched_getaffinity(0, sizeof(allowed), &allowed) == 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  REQUIRE(sched_setaffinity(0, sizeof(one), &one) == 0);
  CHECK(ChooseParts(100000) == 1);
  REQUIRE(sched_setaffinity(0, sizeof(allowed), &allowed) == 0);
}

TEST_CASE("an emitter that fails is reported") {
  BuildRequest request = ConstantRequest({{1, 1}}, nullptr);
  request.emit = [](llvm::LLVMContext&, Part, SymbolTable&, std::string& error) -> std::unique_ptr<llvm::Module> {
    error = "no code for you";
    return nullptr;
  };
  std::string error;
  CHECK(Build(request, error) == nullptr);
  CHECK(error == "no code for you");
}

TEST_CASE("an invalid module is reported, not compiled") {
  BuildRequest request = ConstantRequest({{1, 1}}, nullptr);
  request.emit = [](llvm::LLVMContext& context, Part, SymbolTable& symbols, std::string&) {
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

TEST_CASE("the engine build id names this build: the program's, read from its file too") {
  const std::string& id = EngineBuildId();
  CHECK(id.rfind(EDICT_VERSION "+", 0) == 0);
  std::string program = FileBuildId("/proc/self/exe");
  REQUIRE(program.size() >= 16);
  CHECK(id == EDICT_VERSION "+" + program);
  CHECK(FileBuildId(EDICT_SOURCE_DIR "/README.md").empty());
  CHECK(FileBuildId("/nonexistent").empty());
}

TEST_CASE("the host identity is what CPUID and XCR0 say, without LLVM") {
  const std::string& identity = HostIdentity();
#if defined(__x86_64__)
  REQUIRE(identity.rfind("x86/", 0) == 0);
  // Leaf 0 first: its number and subleaf, then EAX and the vendor string in EBX, EDX, ECX.
  CHECK(identity.substr(4, 16) == std::string(16, '0'));
  CHECK(identity.size() > 4 + 2 * 4 * 6 * 4);  // at least four leaves of six words
#endif
}

}  // namespace
}  // namespace edict::jit
