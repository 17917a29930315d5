// The cold path (generate.h): emitting, compiling and linking a build's parts concurrently.
#include "runtime/backend/generate.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "compiler/codegen/emit.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "runtime/backend/linker.h"
#include "runtime/backend/llvm_target.h"
#include "runtime/backend/object.h"
#include "runtime/jit/object_bundle.h"

namespace edict::backend {
namespace {

using Clock = std::chrono::steady_clock;
using jit::BuildRequest;
using jit::Part;
using jit::SymbolTable;

int64_t MicrosSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// The module of part `part`: the request's emitter, else the code generator's.
std::unique_ptr<llvm::Module> Emit(const BuildRequest& request, llvm::LLVMContext& context, Part part,
                                   SymbolTable& symbols, std::string& error) {
  if (request.emit) return request.emit(context, part, symbols, error);
  codegen::EmittedModule emitted;
  if (request.plan != nullptr) {
    emitted = codegen::EmitPlan(*request.plan, context, part.index, part.count);
  } else if (request.expression != nullptr) {
    emitted = codegen::EmitExpression(*request.expression, context);
  } else {
    error = "nothing to compile: the request has no plan, expression or emitter";
    return nullptr;
  }
  if (emitted.module == nullptr) {
    error = "the code generator produced no module";
    return nullptr;
  }
  symbols.exprs.assign(emitted.exprs.begin(), emitted.exprs.end());
  symbols.passes.assign(emitted.passes.begin(), emitted.passes.end());
  symbols.indexes.assign(emitted.indexes.begin(), emitted.indexes.end());
  return std::move(emitted.module);
}

// The build's Linker, created by the first part to be compiled (on a cold build that is the tail of
// a part's thread, not the calling thread's, when a worker finishes first).
class SharedLinker {
 public:
  // `record_images`: the linker records the images of what it links (for the cache).
  SharedLinker(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target, bool record_images)
      : request_(request), target_(target), record_images_(record_images) {}

  // Null with `error` set when it cannot be created.
  Linker* Get(std::string& error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!tried_) {
      tried_ = true;
      linker_ = Linker::Create(request_, target_, {}, error_);
      if (linker_ != nullptr && record_images_) linker_->RecordImages(images_note_);
    }
    if (linker_ == nullptr) error = error_;
    return linker_.get();
  }

  // Once no part links any more.
  Linker* linker() const { return linker_.get(); }

  // Once no part links any more: the encoded images of what was linked; empty with `why` set
  // when they were not recorded.
  std::string Images(std::string& why) const {
    if (linker_ == nullptr || !images_note_.empty()) {
      why = images_note_;
      return {};
    }
    return linker_->Images(why);
  }

 private:
  const BuildRequest& request_;
  const llvm::orc::JITTargetMachineBuilder& target_;
  bool record_images_;
  std::string images_note_;  // why the linker records no images
  std::mutex mutex_;
  bool tried_ = false;
  std::unique_ptr<Linker> linker_;
  std::string error_;
};

struct CompiledPart {
  bool compiled = false;
  bool linked = false;
  SymbolTable symbols;
  std::string object;
  llvm::orc::SymbolMap addresses;
  std::string error;  // why it was not compiled, else why it was not linked (the lookup's error)
};

// The IR a part was compiled from, no longer needed once its object file exists.
struct PartIr {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;  // declared after its context: destroyed first
};

// Frees the parts' IR, each on a thread of its own, while the caller stores and places the code
// and its caller goes on, and waits for them when destroyed, with the native code (freeing a large
// module is ~3 % of compiling it, 10-20 ms of wall time on a virtual machine: off the critical
// path, a worker's part may be as large as the calling thread's).
class BackgroundRelease : public jit::BackgroundWork {
 public:
  explicit BackgroundRelease(std::vector<PartIr> irs) {
    for (PartIr& ir : irs) {
      try {
        threads_.emplace_back([ir = std::move(ir)]() mutable {
          ir.module.reset();
          ir.context.reset();
        });
      } catch (const std::system_error&) {
        // No thread to be had: the IR is freed here, with `irs`.
      }
    }
  }
  BackgroundRelease(const BackgroundRelease&) = delete;
  BackgroundRelease& operator=(const BackgroundRelease&) = delete;
  ~BackgroundRelease() override {
    for (std::thread& thread : threads_) thread.join();
  }

 private:
  std::vector<std::thread> threads_;
};

// Emits, compiles and links part `part`, leaving its IR in `ir` for the caller to free.
CompiledPart CompilePart(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target,
                         SharedLinker& linker, Part part, PartIr& ir) {
  CompiledPart out;
  try {
    ir.context = std::make_unique<llvm::LLVMContext>();
    // Names of blocks and values only help a reader of the IR; dropping them saves ~7 % of a
    // large module's compile time.
    ir.context->setDiscardValueNames(true);
    ir.module = Emit(request, *ir.context, part, out.symbols, out.error);
    if (ir.module == nullptr) {
      if (out.error.empty()) out.error = "the code generator produced no module";
      return out;
    }
    if (request.verify && !VerifyModule(*ir.module, out.error)) return out;
    auto object = CompileToObject(*ir.module, target, request.opt_level, out.error);
    if (!object) return out;
    out.object = std::move(*object);
    out.compiled = true;
    // Linked here, while other parts may still compile, rather than after all of them.
    Linker* shared = linker.Get(out.error);
    std::string_view objects[] = {out.object};
    out.linked = shared != nullptr && shared->Link(objects, out.symbols, out.addresses, out.error);
  } catch (const std::exception& e) {
    out.error = std::string("native code generation failed: ") + e.what();
  }
  return out;
}

// Emits, compiles and links the code, its parts concurrently (one thread each, the first on this
// one): the cold path. The parts' IR is left in `irs`, for the caller to free.
std::vector<CompiledPart> GenerateParts(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target,
                                   SharedLinker& linker, std::vector<PartIr>& irs) {
  uint32_t count = std::max<uint32_t>(request.parts, 1);
  std::vector<CompiledPart> parts(count);
  irs.resize(count);
  auto compile = [&](uint32_t index) {
    parts[index] = CompilePart(request, target, linker, {index, count}, irs[index]);
  };
  std::vector<std::thread> workers;
  for (uint32_t index = 1; index < count; ++index) {
    try {
      workers.emplace_back(compile, index);
    } catch (const std::system_error&) {
      compile(index);  // no thread to be had: compile it here
    }
  }
  compile(0);
  for (std::thread& worker : workers) worker.join();
  return parts;
}

// The cache entry of compiled `parts`; false with the first part's error when one was not compiled.
bool CollectEntry(std::vector<CompiledPart>& parts, jit::CacheEntry& entry, std::string& error) {
  std::vector<std::string> objects;
  for (CompiledPart& part : parts) {
    if (!part.compiled) {
      error = part.error;
      return false;
    }
    objects.push_back(std::move(part.object));
    entry.symbols.exprs.insert(entry.symbols.exprs.end(), part.symbols.exprs.begin(), part.symbols.exprs.end());
    entry.symbols.passes.insert(entry.symbols.passes.end(), part.symbols.passes.begin(), part.symbols.passes.end());
    entry.symbols.indexes.insert(entry.symbols.indexes.end(), part.symbols.indexes.begin(),
                                 part.symbols.indexes.end());
  }
  entry.object = jit::BundleObjects(objects);
  return true;
}

// The linked parts' functions in their slots, and the LLJIT that holds them; false with the first
// part's error when one was not linked.
bool PlaceParts(const BuildRequest& request, SharedLinker& shared, const std::vector<CompiledPart>& parts,
                std::unique_ptr<jit::CodeOwner>& owner, interp::CompiledCode& code, std::string& error) {
  Linker* linker = shared.linker();
  for (const CompiledPart& part : parts) {
    if (!part.linked) {
      error = linker == nullptr ? part.error : linker->Explain(part.error);
      return false;
    }
  }
  interp::CompiledCode linked = jit::EmptyCode(request);
  for (const CompiledPart& part : parts) {
    if (!linker->Place(part.symbols, part.addresses, linked, error)) return false;
  }
  owner = linker->TakeCode();
  code = std::move(linked);
  return true;
}

}  // namespace

bool Generate(const BuildRequest& request, bool record_images, jit::GeneratedCode& out, jit::BuildStats& stats,
              std::string& error) {
  auto target = HostTarget(request.opt_level, error);
  if (!target) return false;
  Clock::time_point codegen_start = Clock::now();
  SharedLinker linker(request, *target, record_images);
  std::vector<PartIr> irs;
  std::vector<CompiledPart> parts = GenerateParts(request, *target, linker, irs);
  out.freeing = std::make_unique<BackgroundRelease>(std::move(irs));
  if (!CollectEntry(parts, out.entry, error)) return false;
  if (Linker* linked = linker.linker()) out.entry.data_layout = linked->DataLayout();
  if (record_images) {
    std::string why;
    out.entry.images = linker.Images(why);
    if (out.entry.images.empty()) jit::AddNote(stats.cache_note, "no linked images were recorded (" + why + ")");
  }
  stats.parts = std::max<uint32_t>(request.parts, 1);
  stats.codegen_us = MicrosSince(codegen_start);
  Clock::time_point link_start = Clock::now();
  if (!PlaceParts(request, linker, parts, out.owner, out.code, error)) return false;
  stats.link_us = MicrosSince(link_start);
  return true;
}

}  // namespace edict::backend
