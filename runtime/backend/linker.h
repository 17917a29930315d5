// Linking object files in an LLJIT of their own: the runtime helpers as absolute symbols, the
// object files (cached or fresh) linked into the main JITDylib and their functions looked up,
// from any number of threads at once.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "runtime/jit/host.h"

namespace edict::backend {

class ImageRecorder;
struct LinkProblems;

// The LLJIT that owns linked code.
class LinkedCode : public jit::CodeOwner {
 public:
  explicit LinkedCode(std::unique_ptr<llvm::orc::LLJIT> jit) : jit_(std::move(jit)) {}

 private:
  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

class Linker {
 public:
  // Null with `error` set when LLVM cannot create the LLJIT or define the helpers. `data_layout`
  // (a cached one) spares the LLJIT the target machine it would create to learn it; empty: none.
  static std::unique_ptr<Linker> Create(const jit::BuildRequest& request, llvm::orc::JITTargetMachineBuilder target,
                                        std::string_view data_layout, std::string& error);
  ~Linker();

  // Links `objects` and looks up the functions `symbols` names into `addresses`; false with the
  // lookup's `error` set (Explain adds its causes) when they do not link.
  bool Link(std::span<const std::string_view> objects, const jit::SymbolTable& symbols,
            llvm::orc::SymbolMap& addresses, std::string& error);

  // `lookup_error` with the causes linking reported, in a fixed order whichever thread saw them.
  std::string Explain(const std::string& lookup_error);

  // Puts the functions `symbols` names, found at `addresses`, into their slots of `code`.
  bool Place(const jit::SymbolTable& symbols, const llvm::orc::SymbolMap& addresses, interp::CompiledCode& code,
             std::string& error);

  // Records the image of every object linked from now on; false with `why` set when the LLJIT
  // does not link with JITLink.
  bool RecordImages(std::string& why);

  // The recorded images, encoded; empty with `why` set when not every object linked was recorded.
  std::string Images(std::string& why) const;

  std::string DataLayout() const;

  // The LLJIT, as the owner of what it linked.
  std::unique_ptr<jit::CodeOwner> TakeCode();

 private:
  explicit Linker(std::unique_ptr<llvm::orc::LLJIT> jit);

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::shared_ptr<LinkProblems> problems_;
  std::shared_ptr<ImageRecorder> recorder_;  // null: none recorded
};

// Creates an LLJIT, links the cached entry's objects and looks up every symbol into `code`. On
// failure leaves `owner` and `code` untouched and returns false.
bool LinkCached(const jit::BuildRequest& request, const jit::LoadedEntry& entry, std::unique_ptr<jit::CodeOwner>& owner,
                interp::CompiledCode& code, std::string& error);

}  // namespace edict::backend
