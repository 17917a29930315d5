// The warm-up's sample module, compiled at O0 (warm_up_sample.h).
#include "runtime/backend/warm_up_sample.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "runtime/backend/llvm_target.h"
#include "runtime/backend/object.h"

namespace edict::backend {

void EmitWarmUpSample(llvm::Module& module) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  llvm::Type* ptr = llvm::PointerType::get(context, 0);
  auto* callee = llvm::Function::Create(llvm::FunctionType::get(i64, {ptr, i64}, false),
                                        llvm::Function::ExternalLinkage, "edict_warm_up_callee", module);
  auto* function = llvm::Function::Create(llvm::FunctionType::get(i64, {ptr, i64}, false),
                                          llvm::Function::ExternalLinkage, "edict_warm_up", module);
  llvm::Value* rows = function->getArg(0);
  llvm::Value* count = function->getArg(1);
  auto* entry = llvm::BasicBlock::Create(context, "entry", function);
  auto* loop = llvm::BasicBlock::Create(context, "loop", function);
  auto* call = llvm::BasicBlock::Create(context, "call", function);
  auto* next = llvm::BasicBlock::Create(context, "next", function);
  auto* done = llvm::BasicBlock::Create(context, "done", function);
  llvm::IRBuilder<> builder(entry);
  llvm::Value* slot = builder.CreateAlloca(i64);
  builder.CreateStore(builder.getInt64(0), slot);
  builder.CreateCondBr(builder.CreateICmpSGT(count, builder.getInt64(0)), loop, done);

  builder.SetInsertPoint(loop);
  llvm::PHINode* row = builder.CreatePHI(i64, 2);
  row->addIncoming(builder.getInt64(0), entry);
  llvm::Value* value = builder.CreateLoad(i64, builder.CreateGEP(i64, rows, row));
  builder.CreateCondBr(builder.CreateICmpEQ(builder.CreateAnd(value, 7), builder.getInt64(3)), call, next);

  builder.SetInsertPoint(call);
  llvm::Value* answer = builder.CreateCall(callee, {rows, row});
  llvm::Value* total = builder.CreateLoad(i64, slot);
  builder.CreateStore(builder.CreateSelect(builder.CreateICmpULT(answer, total), total, answer), slot);
  builder.CreateBr(next);

  builder.SetInsertPoint(next);
  llvm::Value* following = builder.CreateAdd(row, builder.getInt64(1));
  row->addIncoming(following, next);
  builder.CreateCondBr(builder.CreateICmpSLT(following, count), loop, done);

  builder.SetInsertPoint(done);
  builder.CreateRet(builder.CreateLoad(i64, slot));
}

void CompileWarmUpSample() {
  llvm::LLVMContext context;
  context.setDiscardValueNames(true);
  llvm::Module module("edict_warm_up", context);
  EmitWarmUpSample(module);
  std::string error;
  auto target = HostTarget(jit::OptLevel::kO0, error);
  if (target) CompileToObject(module, *target, jit::OptLevel::kO0, error);
}

}  // namespace edict::backend
