// The index loop mirrors Machine::Index step for step: per row, while the budget lasts, one step
// and one record, the cursor set, the filters in plan order (the first false ends the row; errors
// and unknowns are folded as CheckAll does), the key, then `add`. Every root is evaluated as
// Machine::Eval would: the budget error once the budget is exceeded, which only the row's own
// step or a root that may take steps can do.
#include "compiler/codegen/index_emitter.h"

#include "compiler/codegen/conjunct_emitter.h"
#include "compiler/codegen/expr_emitter.h"

namespace edict::codegen {

namespace {

// interp::IndexRun, field by field (runtime/jit/abi.cpp checks the offsets).
constexpr unsigned kRunMachine = 0;
constexpr unsigned kRunTable = 8;
constexpr unsigned kRunRows = 16;
constexpr unsigned kRunCells = 24;
constexpr unsigned kRunAdd = 32;
constexpr unsigned kRunSteps = 48;
constexpr unsigned kRunBudget = 56;
constexpr unsigned kRunRecords = 64;

void AddScans(const plan::Query& query, std::vector<const plan::Scan*>& scans) {
  for (const plan::Scan& scan : query.scans) {
    if (scan.indexed && scan.index < scans.size() && scans[scan.index] == nullptr) scans[scan.index] = &scan;
  }
}

}  // namespace

std::vector<const plan::Scan*> IndexScans(const plan::Plan& plan) {
  std::vector<const plan::Scan*> scans(plan.index_count, nullptr);
  for (const plan::Aggregate& aggregate : plan.aggregates) AddScans(aggregate.query, scans);
  for (const plan::RulePlan& rule : plan.rules) AddScans(rule.query, scans);
  return scans;
}

void EmitIndex(ModuleContext& context, const plan::Plan& plan, const plan::Scan& scan, const std::string& symbol) {
  llvm::Type* ptr = context.ptr();
  llvm::Type* i8 = context.i8();
  llvm::Type* i32 = context.i32();
  llvm::Type* i64 = context.i64();
  llvm::Type* void_type = llvm::Type::getVoidTy(context.context());
  llvm::Function* function = NewRunFunction(context, symbol);
  llvm::Value* run = function->getArg(0);

  ExprEmitter emitter(context, plan.code, plan.schema.get(), function);
  emitter.set_hot(true);
  llvm::IRBuilder<>& entry = emitter.entry();
  auto field = [&](llvm::Type* field_type, unsigned offset) { return RunField(emitter, run, field_type, offset); };
  llvm::Value* machine = field(ptr, kRunMachine);
  llvm::Value* table = field(ptr, kRunTable);
  llvm::Value* rows = field(i32, kRunRows);
  llvm::Value* frame = field(ptr, kRunCells);
  llvm::Value* add = field(ptr, kRunAdd);
  llvm::Value* steps = field(ptr, kRunSteps);
  llvm::Value* budget = field(i64, kRunBudget);
  llvm::Value* records = field(ptr, kRunRecords);
  llvm::AllocaInst* row_at = entry.CreateAlloca(i32);
  entry.CreateStore(emitter.I32(0), row_at);
  emitter.Begin(machine);
  llvm::Value* pending = emitter.NewSlot();
  auto* add_type = llvm::FunctionType::get(void_type, {ptr, i32, ptr, ptr}, false);

  llvm::IRBuilder<>& b = emitter.builder();
  llvm::BasicBlock* test = emitter.NewBlock("row.test");
  llvm::BasicBlock* within = emitter.NewBlock("row.budget");
  llvm::BasicBlock* body = emitter.NewBlock("row.body");
  llvm::BasicBlock* next = emitter.NewBlock("row.next");
  llvm::BasicBlock* exit = emitter.NewBlock("index.exit");
  b.CreateBr(test);
  b.SetInsertPoint(test);
  llvm::Value* row = b.CreateLoad(i32, row_at);
  b.CreateCondBr(b.CreateICmpULT(row, rows), within, exit);
  b.SetInsertPoint(within);
  llvm::Value* step = b.CreateLoad(i64, steps);
  b.CreateCondBr(b.CreateICmpUGT(step, budget), exit, body);
  b.SetInsertPoint(body);
  emitter.EnterLoop();
  b.CreateStore(b.CreateAdd(step, emitter.I64(1)), steps);
  b.CreateStore(b.CreateAdd(b.CreateLoad(i64, records), emitter.I64(1)), records);
  StartRow(emitter, frame, scan.reg, table, row, pending);

  llvm::Value* null = llvm::ConstantPointerNull::get(context.ptr());
  // The row's own step used up the budget: every root of the row is the budget error.
  llvm::BasicBlock* exhausted = emitter.NewBlock("row.exhausted");
  llvm::BasicBlock* evaluate = emitter.NewBlock("row.evaluate");
  b.CreateCondBr(b.CreateICmpUGE(step, budget), exhausted, evaluate);
  b.SetInsertPoint(exhausted);
  llvm::Value* budget_error = emitter.NewSlot();
  emitter.Call(Helper::k_budget_error, {machine, budget_error});
  b.CreateCall(add_type, add, {run, row, scan.filters.empty() ? null : budget_error,
                               scan.key == plan::kNone ? null : budget_error});
  b.CreateBr(next);
  b.SetInsertPoint(evaluate);

  emitter.SetKnownTable(scan.reg, table);
  emitter.SetKnownRow(frame, scan.reg, row);
  bool may_have_stepped = false;
  for (plan::ExprId filter : scan.filters) {
    EmitConjunct(emitter, filter, frame, machine, steps, budget, may_have_stepped, pending, next);
    may_have_stepped = may_have_stepped || MayStep(plan.code, filter, false);
  }
  llvm::Value* key = null;
  if (scan.key != plan::kNone) key = EmitRoot(emitter, scan.key, frame, machine, steps, budget, may_have_stepped);
  emitter.ClearKnownTables();
  llvm::Value* has_pending = b.CreateICmpNE(emitter.KindOf(pending), llvm::ConstantInt::get(i8, 0));
  llvm::Value* carried = b.CreateSelect(has_pending, pending, null);
  b.CreateCall(add_type, add, {run, row, carried, key});
  b.CreateBr(next);
  b.SetInsertPoint(next);
  EndRowLoop(emitter, row_at, row, test, exit);
}

}  // namespace edict::codegen
