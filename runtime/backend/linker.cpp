// Linking object files in an LLJIT (linker.h).
#include "runtime/backend/linker.h"

#include <algorithm>
#include <mutex>
#include <optional>

#include "llvm/ExecutionEngine/Orc/ExecutorProcessControl.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/backend/image_recorder.h"
#include "runtime/backend/llvm_target.h"
#include "runtime/backend/memory.h"
#include "runtime/jit/object_bundle.h"

namespace edict::backend {

// What linking reported ("Symbols not found: ..."), shared with the session's error reporter,
// which any thread that links may call.
struct LinkProblems {
  std::mutex mutex;
  std::vector<std::string> reported;
};

namespace {

// `object` for the linker. Not a copy when it is aligned as a copy would be: the linker copies the
// sections into the code's own memory and drops the buffer when the lookup that links it returns,
// so `object` need only outlive Linker::Link.
std::unique_ptr<llvm::MemoryBuffer> ObjectBuffer(std::string_view object) {
  llvm::StringRef bytes(object.data(), object.size());
  if (reinterpret_cast<uintptr_t>(object.data()) % jit::kObjectAlignment != 0) {
    return llvm::MemoryBuffer::getMemBufferCopy(bytes, "edict-native-code");
  }
  return llvm::MemoryBuffer::getMemBuffer(bytes, "edict-native-code", /*RequiresNullTerminator=*/false);
}

// The LLJIT's IR compiler, never called: code is added as object files.
class NoIrCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  NoIrCompiler() : IRCompiler(llvm::orc::IRSymbolMapper::ManglingOptions()) {}
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module&) override {
    return llvm::make_error<llvm::StringError>("IR is not compiled here", llvm::inconvertibleErrorCode());
  }
};

}  // namespace

std::unique_ptr<Linker> Linker::Create(const jit::BuildRequest& request, llvm::orc::JITTargetMachineBuilder target,
                                       std::string_view data_layout, std::string& error) {
  std::optional<llvm::DataLayout> layout;
  if (!data_layout.empty()) {
    auto parsed = llvm::DataLayout::parse(llvm::StringRef(data_layout.data(), data_layout.size()));
    if (!parsed) {
      error = "the cached data layout is not one: " + llvm::toString(parsed.takeError());
      return nullptr;
    }
    layout = std::move(*parsed);
  } else {
    InitializeNativeTargetOnce();
  }
  // This process, with code memory mapped populated (memory.h) rather than faulted in.
  auto control = llvm::orc::SelfExecutorProcessControl::Create(nullptr, nullptr, MakePopulatedMemoryManager());
  if (!control) {
    error = llvm::toString(control.takeError());
    return nullptr;
  }
  // Without a platform (no initializers to run) and without an IR compiler: LLVM's would create
  // a target machine of its own, and no IR is ever added.
  auto jit = llvm::orc::LLJITBuilder()
                 .setExecutorProcessControl(std::move(*control))
                 .setJITTargetMachineBuilder(std::move(target))
                 .setDataLayout(std::move(layout))
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .setCompileFunctionCreator([](llvm::orc::JITTargetMachineBuilder) {
                   return std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>(new NoIrCompiler());
                 })
                 .create();
  if (!jit) {
    error = llvm::toString(jit.takeError());
    return nullptr;
  }
  std::unique_ptr<Linker> linker(new Linker(std::move(*jit)));
  // Linking reports its causes here, not in the lookup's error; keep them for the message
  // instead of letting LLVM print to stderr.
  linker->jit_->getExecutionSession().setErrorReporter([problems = linker->problems_](llvm::Error problem) {
    std::lock_guard<std::mutex> lock(problems->mutex);
    problems->reported.push_back(llvm::toString(std::move(problem)));
  });
  llvm::orc::SymbolMap helpers;
  for (const auto& [name, address] : request.runtime_symbols) {
    helpers[linker->jit_->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                                    llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  }
  if (llvm::Error problem = linker->jit_->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(helpers)))) {
    error = llvm::toString(std::move(problem));
    return nullptr;
  }
  return linker;
}

Linker::Linker(std::unique_ptr<llvm::orc::LLJIT> jit) : jit_(std::move(jit)), problems_(std::make_shared<LinkProblems>()) {}

Linker::~Linker() = default;

bool Linker::Link(std::span<const std::string_view> objects, const jit::SymbolTable& symbols,
                  llvm::orc::SymbolMap& addresses, std::string& error) {
  llvm::orc::JITDylib& dylib = jit_->getMainJITDylib();
  for (std::string_view object : objects) {
    if (llvm::Error problem = jit_->addObjectFile(dylib, ObjectBuffer(object))) {
      error = llvm::toString(std::move(problem));
      return false;
    }
  }
  llvm::orc::SymbolLookupSet wanted;
  for (const auto* list : {&symbols.exprs, &symbols.passes, &symbols.indexes}) {
    for (const auto& [index, name] : *list) wanted.add(jit_->mangleAndIntern(name));
  }
  wanted.removeDuplicates();  // alike expressions share a function
  auto found = jit_->getExecutionSession().lookup(llvm::orc::makeJITDylibSearchOrder(&dylib), std::move(wanted));
  if (!found) {
    error = llvm::toString(found.takeError());
    return false;
  }
  addresses = std::move(*found);
  return true;
}

std::string Linker::Explain(const std::string& lookup_error) {
  std::lock_guard<std::mutex> lock(problems_->mutex);
  if (problems_->reported.empty()) return lookup_error;
  std::vector<std::string> reported = problems_->reported;
  std::sort(reported.begin(), reported.end());
  std::string causes;
  for (const std::string& problem : reported) causes += (causes.empty() ? "" : "; ") + problem;
  return causes + " (" + lookup_error + ")";
}

bool Linker::Place(const jit::SymbolTable& symbols, const llvm::orc::SymbolMap& addresses, interp::CompiledCode& code,
                   std::string& error) {
  auto address_of = [&](const std::string& name) {
    return addresses.lookup(jit_->mangleAndIntern(name)).getAddress().toPtr<void*>();
  };
  return jit::PlaceFunctions(symbols, address_of, code, error);
}

bool Linker::RecordImages(std::string& why) {
  auto* layer = llvm::dyn_cast<llvm::orc::ObjectLinkingLayer>(&jit_->getObjLinkingLayer());
  if (layer == nullptr) {
    why = "the LLJIT does not link with JITLink";
    return false;
  }
  recorder_ = std::make_shared<ImageRecorder>();
  layer->addPlugin(recorder_);
  return true;
}

std::string Linker::Images(std::string& why) const { return recorder_ == nullptr ? std::string() : recorder_->Encoded(why); }

std::string Linker::DataLayout() const { return jit_->getDataLayout().getStringRepresentation(); }

std::unique_ptr<jit::CodeOwner> Linker::TakeCode() { return std::make_unique<LinkedCode>(std::move(jit_)); }

bool LinkCached(const jit::BuildRequest& request, const jit::LoadedEntry& entry, std::unique_ptr<jit::CodeOwner>& owner,
                interp::CompiledCode& code, std::string& error) {
  auto target = HostTarget(request.opt_level, error);
  if (!target) return false;
  std::unique_ptr<Linker> linker = Linker::Create(request, std::move(*target), entry.data_layout, error);
  if (linker == nullptr) return false;
  auto objects = jit::UnbundleObjects(entry.object);
  if (!objects) {
    error = "the object files are not a whole bundle";
    return false;
  }
  llvm::orc::SymbolMap addresses;
  if (!linker->Link(*objects, entry.symbols, addresses, error)) {
    error = linker->Explain(error);
    return false;
  }
  interp::CompiledCode linked = jit::EmptyCode(request);
  if (!linker->Place(entry.symbols, addresses, linked, error)) return false;
  owner = linker->TakeCode();
  code = std::move(linked);
  return true;
}

}  // namespace edict::backend
