// The back end's entry point (runtime/jit/back_end.h): the BackEnd that the module exports, or
// that a program linking runtime/backend in finds directly.
#include "runtime/backend/generate.h"
#include "runtime/backend/linker.h"
#include "runtime/backend/llvm_target.h"
#include "runtime/backend/warm_up_sample.h"
#include "runtime/jit/back_end.h"

namespace edict::backend {
namespace {

class LlvmBackEnd final : public jit::BackEnd {
 public:
  bool Generate(const jit::BuildRequest& request, bool record_images, jit::GeneratedCode& out, jit::BuildStats& stats,
                std::string& error) const override {
    return backend::Generate(request, record_images, out, stats, error);
  }

  bool LinkCached(const jit::BuildRequest& request, const jit::LoadedEntry& entry,
                  std::unique_ptr<jit::CodeOwner>& owner, interp::CompiledCode& code,
                  std::string& error) const override {
    return backend::LinkCached(request, entry, owner, code, error);
  }

  void WarmUp() const override { CompileWarmUpSample(); }

  std::string TargetIdentity() const override {
    std::string error;
    auto target = HostTarget(jit::OptLevel::kO0, error);
    return target ? backend::TargetIdentity(*target) : "no native target (" + error + ")";
  }
};

}  // namespace
}  // namespace edict::backend

extern "C" __attribute__((visibility("default"))) const edict::jit::BackEnd* edict_back_end() {
  static const edict::backend::LlvmBackEnd back_end;
  return &back_end;
}
