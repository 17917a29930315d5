// The pass loop mirrors SessionRun::RunPasses and Machine::EnterRow step for step: per row and
// active rule one budget step and one record, the cursor set, the filters in plan order (the
// first false ends the row; errors and unknowns are folded as CheckAll does; a filter other rules
// of the pass test alike is decided once per row, shared_filters.h), then the rest of the row
// (row_emitter.h), which calls `resume` for record scans and the sink.
#include "compiler/codegen/pass_emitter.h"

#include "compiler/codegen/conjunct_emitter.h"
#include "compiler/codegen/expr_emitter.h"
#include "compiler/codegen/row_emitter.h"
#include "compiler/codegen/shared_filters.h"

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
constexpr unsigned kRunPre = 88;

}  // namespace

void EmitPass(ModuleContext& context, const plan::Plan& plan, uint32_t pass_index, const std::string& symbol) {
  const plan::Pass& pass = plan.passes[pass_index];
  llvm::Type* ptr = context.ptr();
  llvm::Type* i8 = context.i8();
  llvm::Type* i32 = context.i32();
  llvm::Type* i64 = context.i64();
  llvm::Function* function = NewRunFunction(context, symbol);
  llvm::Value* run = function->getArg(0);

  ExprEmitter emitter(context, plan.code, plan.schema.get(), function);
  emitter.set_hot(true);
  llvm::IRBuilder<>& entry = emitter.entry();
  auto field = [&](llvm::Type* field_type, unsigned offset) { return RunField(emitter, run, field_type, offset); };
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
  llvm::Value* pre = field(ptr, kRunPre);
  llvm::AllocaInst* row_at = entry.CreateAlloca(i32);
  entry.CreateStore(emitter.I32(0), row_at);
  emitter.Begin(machine);
  llvm::Value* pending = emitter.NewSlot();
  llvm::Value* carried = emitter.NewSlot();
  SharedFilters shared(emitter, plan, pass);

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
    const plan::Query& query = plan.rules[pass.rules[i]].query;
    const plan::Scan& scan = query.scans[0];
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
    StartRow(emitter, frame, scan.reg, table, row, pending);

    emitter.SetKnownTable(scan.reg, table);
    emitter.SetKnownRow(frame, scan.reg, row);
    llvm::Value* rule_frame = entry.CreateLoad(ptr, entry.CreateConstInBoundsGEP1_64(ptr, frames, i));
    bool may_have_stepped = false;
    for (uint32_t f = 0; f < scan.filters.size(); ++f) {
      plan::ExprId filter = scan.filters[f];
      if (MayStep(plan.code, filter, true)) emitter.Call(Helper::k_set_frame, {machine, rule_frame});
      shared.Emit(i, f, frame, row, machine, steps, budget, may_have_stepped, pending, next);
      may_have_stepped = may_have_stepped || MayStep(plan.code, filter, false);
    }
    // What the rule's `pre` conjuncts left comes first, as CheckAll met them first.
    emitter.Assign(carried, b.CreateConstInBoundsGEP1_64(i8, pre, uint64_t{i} * kValueSize));
    llvm::BasicBlock* fold = emitter.NewBlock("row.fold");
    llvm::BasicBlock* folded = emitter.NewBlock("row.folded");
    b.CreateCondBr(b.CreateICmpNE(emitter.KindOf(pending), llvm::ConstantInt::get(i8, 0)), fold, folded);
    b.SetInsertPoint(fold);
    emitter.Call(Helper::k_filter_pending, {carried, pending});
    b.CreateBr(folded);
    b.SetInsertPoint(folded);
    RowContext rest{run, machine, steps, budget, resume, i, frame, rule_frame, next};
    EmitRowRest(emitter, plan.code, query, rest, carried, may_have_stepped);
    emitter.ClearKnownTables();
    b.CreateBr(next);
    b.SetInsertPoint(next);
  }
  EndRowLoop(emitter, row_at, row, test, exit);
}

}  // namespace edict::codegen
