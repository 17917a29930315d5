// Roots alike up to their registers compiled as one body that each root's function calls with its
// own register map (codegen/register_families.h), against the driver, which evaluates each root in
// its own frame: the same findings, rule errors and counters over sessions, at every budget, and
// on two threads; and the module holds that one body where it held a function per class.
#include <doctest/doctest.h>

#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/codegen/emit.h"
#include "compiler/codegen/register_families.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

// A caller: absent, of a class, of a class in that class's package, of another class, or a third
// party without a class.
std::string Caller(uint32_t pick) {
  switch (pick % 6) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"first","cls":"a.A"})";
    case 2: return R"(,"caller":{"party":"first","cls":"a.A.Inner"})";
    case 3: return R"(,"caller":{"party":"third","cls":"com.sdk.X"})";
    case 4: return R"(,"caller":{"party":"third"})";
    default: return R"(,"caller":{"party":"system","cls":"a"})";
  }
}

const char* const kTypes[] = {"loc.precise", "id.imei", "sms", "contacts"};

std::string Session(const std::string& id, uint32_t seed, int records) {
  return testing::ApiCallSession(id, seed, records, Caller, kTypes, 4);
}

testing::NativeFixture Compile() { return testing::CompileNative("tests/plan/native_register_families"); }

}  // namespace

TEST_CASE("roots alike up to their registers give the driver's findings, errors and counters") {
  testing::NativeFixture fixture = Compile();
  testing::Reached reached =
      testing::CheckSameAsInterpreter(fixture, testing::FiveSeededSessions(fixture.plan(), Session));
  CHECK(reached.findings >= 5);
}

TEST_CASE("a budget running out in a shared body stops both engines alike") {
  testing::NativeFixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), Session("budget", 3, 30));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 200);
}

TEST_CASE("two threads share the bodies") {
  testing::NativeFixture fixture = Compile();
  testing::CheckTwoThreads(fixture, testing::FiveSeededSessions(fixture.plan(), Session));
}

TEST_CASE("a family's classes call one body, each with its own registers") {
  testing::NativeFixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  auto alike = codegen::AlikeRoots(plan.code, codegen::ExpressionRoots(plan));
  size_t largest = 0;  // classes in one family with more than one layout
  for (const codegen::RegisterFamily& family : codegen::RegisterFamilies(plan, alike)) {
    size_t classes = 0;
    for (const codegen::RegisterFamily::Layout& layout : family.layouts) {
      CHECK(layout.registers.size() == family.layouts[0].registers.size());
      CHECK(layout.aggregates.size() == family.layouts[0].aggregates.size());
      classes += layout.classes.size();
    }
    if (family.layouts.size() > 1) largest = std::max(largest, classes);
  }
  // `made_by(earlier, call.caller.cls)` in four rules' aggregates and residuals, at other registers.
  CHECK(largest >= 4);

  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(plan, context);
  std::map<std::string, const llvm::Function*> bodies;
  std::map<std::string, std::string> body_of;  // a root's function -> the body it calls
  for (const llvm::Function& function : *emitted.module) {
    if (function.isDeclaration()) continue;
    if (function.getName().starts_with("edict_body_")) {
      CHECK(function.hasInternalLinkage());
      bodies[function.getName().str()] = &function;
      continue;
    }
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        if (call != nullptr && call->getCalledFunction() != nullptr &&
            call->getCalledFunction()->getName().starts_with("edict_body_")) {
          body_of[function.getName().str()] = call->getCalledFunction()->getName().str();
        }
      }
    }
  }
  REQUIRE(!bodies.empty());
  std::map<std::string, int> callers;
  for (const auto& [caller, body] : body_of) ++callers[body];
  for (const auto& [body, count] : callers) CHECK(count >= 2);
  CHECK(callers.size() == bodies.size());
}
