// The pass loop mirrors SessionRun::RunPasses and Machine::EnterRow step for step: per row and
// active rule one budget step and one record, the cursor set, the filters in plan order (the
// first false ends the row; errors and unknowns are folded as CheckAll does), then `resume`.
#include "compiler/codegen/pass_emitter.h"

#include "compiler/codegen/expr_emitter.h"

namespace edict::codegen {

namespace {

// interp::PassRun, field by field (runtime/jit/abi.cpp checks the offsets).
constexpr unsigned kRunMachine = 0;
constexpr unsigned kRunTable = 8;
constexpr unsigned kRunRows = 16;
constexpr unsigned kRunActive = 24;
constexpr unsigned kRunCells = 32;
constexpr unsigned kRunFrames = 40;
constexpr unsigned kRunResume = 48;
constexpr unsigned kRunSteps = 64;
constexpr unsigned kRunBudget = 72;
constexpr unsigned kRunRecords = 80;

// Whether evaluating `id` may take budget steps (comprehensions, aggregates and memo functions do).
bool Steps(const plan::Code& code, plan::ExprId id, bool aggregates_only) {
  const plan::Node& node = code.nodes[id];
  if (node.op == plan::Op::kAggregate) return true;
  if (!aggregates_only && (node.op == plan::Op::kFold || node.op == plan::Op::kFoldColumn || node.op == plan::Op::kMemo)) {
    return true;
  }
  for (uint32_t i = 0; i < node.count; ++i) {
    if (Steps(code, code.child(node, i), aggregates_only)) return true;
  }
  return false;
}

}  // namespace

void EmitPass(ModuleContext& context, const plan::Plan& plan, uint32_t pass_index, const std::string& symbol) {
  const plan::Pass& pass = plan.passes[pass_index];
  llvm::Type* ptr = context.ptr();
  llvm::Type* i8 = context.i8();
  llvm::Type* i32 = context.i32();
  llvm::Type* i64 = context.i64();
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context.context()), {ptr}, false);
  llvm::Function* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, symbol, context.module());
  function->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Value* run = function->getArg(0);

  ExprEmitter emitter(context, plan.code, plan.schema.get(), function);
  emitter.set_hot(true);
  llvm::IRBuilder<>& entry = emitter.entry();
  auto field = [&](llvm::Type* field_type, unsigned offset) {
    return entry.CreateLoad(field_type, entry.CreateConstInBoundsGEP1_64(i8, run, offset));
  };
  llvm::Value* machine = field(ptr, kRunMachine);
  llvm::Value* table = field(ptr, kRunTable);
  llvm::Value* rows = field(i32, kRunRows);
  llvm::Value* active = field(ptr, kRunActive);
  llvm::Value* cells = field(ptr, kRunCells);
  llvm::Value* frames = field(ptr, kRunFrames);
  llvm::Value* resume = field(ptr, kRunResume);
  llvm::Value* steps = field(ptr, kRunSteps);
  llvm::Value* budget = field(i64, kRunBudget);
  llvm::Value* records = field(ptr, kRunRecords);
  llvm::AllocaInst* row_at = entry.CreateAlloca(i32);
  entry.CreateStore(emitter.I32(0), row_at);
  emitter.Begin(machine);
  llvm::Value* pending = emitter.NewSlot();
  auto* resume_type = llvm::FunctionType::get(i8, {ptr, i32, ptr}, false);

  llvm::IRBuilder<>& b = emitter.builder();
  llvm::BasicBlock* test = emitter.NewBlock("row.test");
  llvm::BasicBlock* body = emitter.NewBlock("row.body");
  llvm::BasicBlock* exit = emitter.NewBlock("pass.exit");
  b.CreateBr(test);
  b.SetInsertPoint(test);
  llvm::Value* row = b.CreateLoad(i32, row_at);
  b.CreateCondBr(b.CreateICmpULT(row, rows), body, exit);
  b.SetInsertPoint(body);
  emitter.EnterLoop();

  for (uint32_t i = 0; i < pass.rules.size(); ++i) {
    const plan::Scan& scan = plan.rules[pass.rules[i]].query.scans[0];
    llvm::BasicBlock* next = emitter.NewBlock("rule.next");
    llvm::BasicBlock* live = emitter.NewBlock("rule.active");
    llvm::BasicBlock* within = emitter.NewBlock("rule.step");
    llvm::Value* active_at = b.CreateConstInBoundsGEP1_64(i8, active, i);
    b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(i8, active_at), llvm::ConstantInt::get(i8, 0)), live, next);
    b.SetInsertPoint(live);
    llvm::Value* step = b.CreateAdd(b.CreateLoad(i64, steps), emitter.I64(1));
    b.CreateStore(step, steps);
    b.CreateCondBr(b.CreateICmpUGT(step, budget), next, within);
    b.SetInsertPoint(within);
    b.CreateStore(b.CreateAdd(b.CreateLoad(i64, records), emitter.I64(1)), records);
    llvm::Value* frame = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, cells, i));
    llvm::Value* cursor = emitter.CellAt(frame, scan.reg);
    b.CreateStore(table, b.CreateConstInBoundsGEP1_64(i8, cursor, kCellTableOffset));
    b.CreateStore(row, b.CreateConstInBoundsGEP1_64(i8, cursor, kCellRowOffset));
    emitter.Release(pending);
    b.CreateStore(llvm::ConstantInt::get(llvm::Type::getInt16Ty(context.context()), 0), pending);

    emitter.SetKnownTable(scan.reg, table);
    bool may_have_stepped = false;
    for (plan::ExprId filter : scan.filters) {
      if (Steps(plan.code, filter, true)) {
        llvm::Value* rule_frame = b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, frames, i));
        emitter.Call(Helper::k_set_frame, {machine, rule_frame});
      }
      llvm::Value* value = nullptr;
      if (may_have_stepped) {
        // Machine::Eval's check: a root evaluated after the budget ran out is the budget error.
        llvm::Value* exhausted = emitter.NewSlot();
        llvm::BasicBlock* over = emitter.NewBlock("filter.budget");
        llvm::BasicBlock* evaluate = emitter.NewBlock("filter.eval");
        llvm::BasicBlock* evaluated = emitter.NewBlock("filter.done");
        b.CreateCondBr(b.CreateICmpUGT(b.CreateLoad(i64, steps), budget), over, evaluate);
        b.SetInsertPoint(over);
        emitter.Call(Helper::k_budget_error, {machine, exhausted});
        b.CreateBr(evaluated);
        b.SetInsertPoint(evaluate);
        llvm::Value* evaluated_value = emitter.Emit(filter, frame);
        llvm::BasicBlock* evaluate_end = b.GetInsertBlock();
        b.CreateBr(evaluated);
        b.SetInsertPoint(evaluated);
        llvm::PHINode* phi = b.CreatePHI(ptr, 2);
        phi->addIncoming(exhausted, over);
        phi->addIncoming(evaluated_value, evaluate_end);
        value = phi;
      } else {
        value = emitter.Emit(filter, frame);
      }
      may_have_stepped = may_have_stepped || Steps(plan.code, filter, false);
      llvm::BasicBlock* not_false = emitter.NewBlock("filter.not_false");
      llvm::BasicBlock* open = emitter.NewBlock("filter.open");
      llvm::BasicBlock* held = emitter.NewBlock("filter.held");
      b.CreateCondBr(emitter.IsBool(value, false), next, not_false);
      b.SetInsertPoint(not_false);
      b.CreateCondBr(emitter.IsBool(value, true), held, open);
      b.SetInsertPoint(open);
      emitter.Call(Helper::k_filter_pending, {pending, value});
      b.CreateBr(held);
      b.SetInsertPoint(held);
    }
    emitter.ClearKnownTables();
    llvm::Value* has_pending = b.CreateICmpNE(emitter.KindOf(pending), llvm::ConstantInt::get(i8, 0));
    llvm::Value* carried = b.CreateSelect(has_pending, pending, llvm::ConstantPointerNull::get(context.ptr()));
    llvm::Value* running = b.CreateCall(resume_type, resume, {run, emitter.I32(i), carried});
    b.CreateStore(running, active_at);
    b.CreateBr(next);
    b.SetInsertPoint(next);
  }
  emitter.LeaveLoop();
  b.CreateStore(b.CreateAdd(row, emitter.I32(1)), row_at);
  b.CreateBr(test);
  b.SetInsertPoint(exit);
  emitter.ReleaseSlots();
  b.CreateRetVoid();
  emitter.Finish();
}

}  // namespace edict::codegen
