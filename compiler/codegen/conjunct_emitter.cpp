// Row loops' functions and cursors, and conjuncts in them as Machine::Eval and Machine::CheckAll
// evaluate them.
#include "compiler/codegen/conjunct_emitter.h"

namespace edict::codegen {

llvm::Function* NewRunFunction(ModuleContext& context, const std::string& symbol) {
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context.context()), {context.ptr()}, false);
  llvm::Function* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, symbol, context.module());
  function->addFnAttr(llvm::Attribute::NoUnwind);
  return function;
}

llvm::Value* RunField(ExprEmitter& emitter, llvm::Value* run, llvm::Type* type, unsigned offset) {
  llvm::IRBuilder<>& entry = emitter.entry();
  return entry.CreateLoad(type, entry.CreateConstInBoundsGEP1_64(entry.getInt8Ty(), run, offset));
}

void StartRow(ExprEmitter& emitter, llvm::Value* frame, uint32_t reg, llvm::Value* table, llvm::Value* row,
              llvm::Value* pending) {
  emitter.PointCursor(frame, reg, table, row);
  emitter.Release(pending);
  emitter.builder().CreateStore(emitter.builder().getInt16(0), pending);
}

void EndRowLoop(ExprEmitter& emitter, llvm::Value* row_at, llvm::Value* row, llvm::BasicBlock* test,
                llvm::BasicBlock* exit) {
  llvm::IRBuilder<>& b = emitter.builder();
  emitter.LeaveLoop();
  b.CreateStore(b.CreateAdd(row, emitter.I32(1)), row_at);
  b.CreateBr(test);
  b.SetInsertPoint(exit);
  emitter.ReleaseSlots();
  b.CreateRetVoid();
  emitter.Finish();
}

bool MayStep(const plan::Code& code, plan::ExprId id, bool aggregates_only) {
  const plan::Node& node = code.nodes[id];
  if (node.op == plan::Op::kAggregate) return true;
  bool steps = node.op == plan::Op::kFold || node.op == plan::Op::kFoldColumn || node.op == plan::Op::kMemo;
  if (!aggregates_only && steps) return true;
  for (uint32_t i = 0; i < node.count; ++i) {
    if (MayStep(code, code.child(node, i), aggregates_only)) return true;
  }
  return false;
}

namespace {

// The start of a root that checks the budget: past it, the builder is in `over`, where `exhausted`
// holds the budget error; the root itself is emitted from `evaluate` on.
struct BudgetTest {
  llvm::Value* exhausted;
  llvm::BasicBlock* over;
  llvm::BasicBlock* evaluate;
};

BudgetTest TestBudget(ExprEmitter& emitter, llvm::Value* machine, llvm::Value* steps, llvm::Value* budget) {
  llvm::IRBuilder<>& b = emitter.builder();
  BudgetTest test{emitter.NewSlot(), emitter.NewColdBlock("root.budget"), emitter.NewBlock("root.eval")};
  b.CreateCondBr(b.CreateICmpUGT(b.CreateLoad(b.getInt64Ty(), steps), budget), test.over, test.evaluate);
  b.SetInsertPoint(test.over);
  emitter.Call(Helper::k_budget_error, {machine, test.exhausted});
  return test;
}

}  // namespace

llvm::Value* EmitRoot(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine,
                      llvm::Value* steps, llvm::Value* budget, bool check_budget) {
  if (!check_budget) return emitter.Emit(id, frame);
  llvm::IRBuilder<>& b = emitter.builder();
  BudgetTest test = TestBudget(emitter, machine, steps, budget);
  llvm::BasicBlock* evaluated = emitter.NewBlock("root.done");
  b.CreateBr(evaluated);
  b.SetInsertPoint(test.evaluate);
  llvm::Value* value = emitter.Emit(id, frame);
  llvm::BasicBlock* evaluate_end = b.GetInsertBlock();
  b.CreateBr(evaluated);
  b.SetInsertPoint(evaluated);
  llvm::PHINode* phi = b.CreatePHI(emitter.context().ptr(), 2);
  phi->addIncoming(test.exhausted, test.over);
  phi->addIncoming(value, evaluate_end);
  return phi;
}

void EmitRootBranch(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine, llvm::Value* steps,
                    llvm::Value* budget, bool check_budget, const ExprEmitter::Branches& to) {
  if (check_budget) {
    BudgetTest test = TestBudget(emitter, machine, steps, budget);
    emitter.BranchOnValue(test.exhausted, to);
    emitter.builder().SetInsertPoint(test.evaluate);
  }
  emitter.EmitBranch(id, frame, to);
}

void EmitConjunct(ExprEmitter& emitter, plan::ExprId id, llvm::Value* frame, llvm::Value* machine, llvm::Value* steps,
                  llvm::Value* budget, bool check_budget, llvm::Value* pending, llvm::BasicBlock* rejected) {
  llvm::IRBuilder<>& b = emitter.builder();
  llvm::BasicBlock* held = emitter.NewBlock("conjunct.held");
  ExprEmitter::Branches to = emitter.NewBranches(held, rejected, "conjunct.open");
  EmitRootBranch(emitter, id, frame, machine, steps, budget, check_budget, to);
  if (emitter.EnterOther(to)) {
    emitter.Call(Helper::k_filter_pending, {pending, to.other});
    b.CreateBr(held);
  }
  b.SetInsertPoint(held);
}

}  // namespace edict::codegen
