// A warm start places the cached linked images when it can (image.h). Otherwise one LLJIT per
// build: runtime helpers as absolute symbols, the object files (cached or fresh) linked into the
// main JITDylib and their functions looked up. Cached objects are linked in one batch; a fresh part
// is linked by the thread that compiled it, as soon as it is compiled, so that only the last part's
// link is left when the last part is done. A cold build that is cached records the images of what
// it links.
#include "runtime/jit/host.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <system_error>
#include <thread>

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "runtime/jit/image.h"
#include "runtime/jit/memory.h"
#include "runtime/jit/object.h"

namespace edict::jit {
namespace {

using Clock = std::chrono::steady_clock;

int64_t MicrosSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// The engine's part of the key: the code generator's build, LLVM, the target and the opt level.
std::vector<std::string> KeyParts(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target,
                                  OptLevel level) {
  std::vector<std::string> parts = {"edict-native-code", EngineBuildId(), LLVM_VERSION_STRING, TargetIdentity(target),
                                    OptLevelName(level)};
  parts.insert(parts.end(), request.identity.begin(), request.identity.end());
  return parts;
}

// What linking reported ("Symbols not found: ..."), shared with the session's error reporter,
// which any thread that links may call.
struct LinkProblems {
  std::mutex mutex;
  std::vector<std::string> reported;
};

// `object` for the linker. Not a copy when it is aligned as a copy would be: the linker copies the
// sections into the code's own memory and drops the buffer when the lookup that links it returns,
// so `object` need only outlive Linker::Link.
std::unique_ptr<llvm::MemoryBuffer> ObjectBuffer(std::string_view object) {
  llvm::StringRef bytes(object.data(), object.size());
  if (reinterpret_cast<uintptr_t>(object.data()) % kObjectAlignment != 0) {
    return llvm::MemoryBuffer::getMemBufferCopy(bytes, "edict-native-code");
  }
  return llvm::MemoryBuffer::getMemBuffer(bytes, "edict-native-code", /*RequiresNullTerminator=*/false);
}

void AddNote(std::string& notes, const std::string& note) {
  if (!notes.empty()) notes += "; ";
  notes += note;
}

// Puts the functions `list` names into their `slots`, found by `address_of` (null: not found).
template <typename Function, typename AddressOf>
bool PlaceList(const std::vector<std::pair<uint32_t, std::string>>& list, const char* kind, AddressOf address_of,
               std::vector<Function>& slots, std::string& error) {
  for (const auto& [slot, name] : list) {
    if (slot >= slots.size()) {
      error = std::string("native code for ") + kind + " " + std::to_string(slot) + ", beyond the plan's " +
              std::to_string(slots.size());
      return false;
    }
    void* address = address_of(name);
    if (address == nullptr) {
      error = std::string("no native code for ") + kind + " " + std::to_string(slot) + " (" + name + ")";
      return false;
    }
    slots[slot] = reinterpret_cast<Function>(address);
  }
  return true;
}

// Puts the functions `symbols` names into their slots of `code`.
template <typename AddressOf>
bool PlaceFunctions(const SymbolTable& symbols, AddressOf address_of, interp::CompiledCode& code, std::string& error) {
  return PlaceList(symbols.exprs, "expression", address_of, code.exprs, error) &&
         PlaceList(symbols.passes, "pass", address_of, code.passes, error) &&
         PlaceList(symbols.indexes, "index", address_of, code.indexes, error);
}

// The LLJIT's IR compiler, never called: code is added as object files.
class NoIrCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  NoIrCompiler() : IRCompiler(llvm::orc::IRSymbolMapper::ManglingOptions()) {}
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module&) override {
    return llvm::make_error<llvm::StringError>("IR is not compiled here", llvm::inconvertibleErrorCode());
  }
};

// An LLJIT with the runtime helpers defined, into which object files are linked, from any number
// of threads at once.
class Linker {
 public:
  // Null with `error` set when LLVM cannot create the LLJIT or define the helpers. `data_layout`
  // (a cached one) spares the LLJIT the target machine it would create to learn it; empty: none.
  static std::unique_ptr<Linker> Create(const BuildRequest& request, llvm::orc::JITTargetMachineBuilder target,
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

  // Links `objects` and looks up the functions `symbols` names into `addresses`; false with the
  // lookup's `error` set (Explain adds its causes) when they do not link.
  bool Link(std::span<const std::string_view> objects, const SymbolTable& symbols, llvm::orc::SymbolMap& addresses,
            std::string& error) {
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

  // `lookup_error` with the causes linking reported, in a fixed order whichever thread saw them.
  std::string Explain(const std::string& lookup_error) {
    std::lock_guard<std::mutex> lock(problems_->mutex);
    if (problems_->reported.empty()) return lookup_error;
    std::vector<std::string> reported = problems_->reported;
    std::sort(reported.begin(), reported.end());
    std::string causes;
    for (const std::string& problem : reported) causes += (causes.empty() ? "" : "; ") + problem;
    return causes + " (" + lookup_error + ")";
  }

  // Puts the functions `symbols` names, found at `addresses`, into their slots of `code`.
  bool Place(const SymbolTable& symbols, const llvm::orc::SymbolMap& addresses, interp::CompiledCode& code,
             std::string& error) {
    auto address_of = [&](const std::string& name) {
      return addresses.lookup(jit_->mangleAndIntern(name)).getAddress().toPtr<void*>();
    };
    return PlaceFunctions(symbols, address_of, code, error);
  }

  // Records the image of every object linked from now on; false with `why` set when the LLJIT
  // does not link with JITLink.
  bool RecordImages(std::string& why) {
    auto* layer = llvm::dyn_cast<llvm::orc::ObjectLinkingLayer>(&jit_->getObjLinkingLayer());
    if (layer == nullptr) {
      why = "the LLJIT does not link with JITLink";
      return false;
    }
    recorder_ = std::make_shared<ImageRecorder>();
    layer->addPlugin(recorder_);
    return true;
  }

  // The recorded images, encoded; empty with `why` set when not every object linked was recorded.
  std::string Images(std::string& why) const { return recorder_ == nullptr ? std::string() : recorder_->Encoded(why); }

  std::string DataLayout() const { return jit_->getDataLayout().getStringRepresentation(); }

  std::unique_ptr<llvm::orc::LLJIT> TakeJit() { return std::move(jit_); }

 private:
  explicit Linker(std::unique_ptr<llvm::orc::LLJIT> jit)
      : jit_(std::move(jit)), problems_(std::make_shared<LinkProblems>()) {}

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::shared_ptr<LinkProblems> problems_;
  std::shared_ptr<ImageRecorder> recorder_;  // null: none recorded
};

// Code with a null slot for every expression, pass and index: the driver interprets those.
interp::CompiledCode EmptyCode(const BuildRequest& request) {
  interp::CompiledCode code;
  code.exprs.assign(request.expr_slots, nullptr);
  code.passes.assign(request.pass_slots, nullptr);
  code.indexes.assign(request.index_slots, nullptr);
  return code;
}

// Creates the LLJIT, links the cached entry's objects and looks up every symbol into `code`. On
// failure leaves `code` untouched and returns false.
bool LinkCached(const BuildRequest& request, llvm::orc::JITTargetMachineBuilder target, const LoadedEntry& entry,
                std::unique_ptr<llvm::orc::LLJIT>& jit, interp::CompiledCode& code, std::string& error) {
  std::unique_ptr<Linker> linker = Linker::Create(request, std::move(target), entry.data_layout, error);
  if (linker == nullptr) return false;
  auto objects = UnbundleObjects(entry.object);
  if (!objects) {
    error = "the object files are not a whole bundle";
    return false;
  }
  llvm::orc::SymbolMap addresses;
  if (!linker->Link(*objects, entry.symbols, addresses, error)) {
    error = linker->Explain(error);
    return false;
  }
  interp::CompiledCode linked = EmptyCode(request);
  if (!linker->Place(entry.symbols, addresses, linked, error)) return false;
  jit = linker->TakeJit();
  code = std::move(linked);
  return true;
}

// Whether the entry's objects are a whole bundle and its data layout parses. Placing images needs
// neither, but an entry is used whole or not at all: one that fails either was not written by this
// build, and its images are not trusted (linking its objects reports what is wrong).
bool IsWhole(const LoadedEntry& entry) {
  auto layout = llvm::DataLayout::parse(llvm::StringRef(entry.data_layout.data(), entry.data_layout.size()));
  if (!layout) {
    llvm::consumeError(layout.takeError());
    return false;
  }
  return UnbundleObjects(entry.object).has_value();
}

// Places the cached entry's images, their functions into `code` and their memory into `slab`; on
// failure leaves `code` untouched and returns false with `why` set.
bool PlaceCachedImages(const BuildRequest& request, const LoadedEntry& entry, std::unique_ptr<CodeSlab>& slab,
                       interp::CompiledCode& code, std::string& why) {
  PlacedImages placed;
  if (!PlaceImages(entry.images, request.runtime_symbols, placed, why)) return false;
  interp::CompiledCode placed_code = EmptyCode(request);
  auto address_of = [&](const std::string& name) -> void* {
    auto found = placed.symbols.find(name);
    return found == placed.symbols.end() ? nullptr : found->second;
  };
  if (!PlaceFunctions(entry.symbols, address_of, placed_code, why)) return false;
  slab = std::move(placed.slab);
  code = std::move(placed_code);
  return true;
}

// Places the cached entry's images, or, when it has none or they cannot be placed (`note` says
// why, if the objects link), links its objects; false with `error` set when neither works.
bool LoadCached(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target,
                const LoadedEntry& entry, std::unique_ptr<llvm::orc::LLJIT>& jit, std::unique_ptr<CodeSlab>& slab,
                interp::CompiledCode& code, std::string& note, std::string& error) {
  std::string why;
  if (!entry.images.empty() && IsWhole(entry) && PlaceCachedImages(request, entry, slab, code, why)) return true;
  if (!LinkCached(request, target, entry, jit, code, error)) return false;
  if (!why.empty()) AddNote(note, "the cached linked images were not placed (" + why + "); the objects were linked");
  return true;
}

// Loads the cached code of the first level in `request.prefer_cached` that has a usable entry and
// returns that level; nullopt when none has. An entry that is corrupt or does not link is passed
// over, and `note` says so.
std::optional<OptLevel> LoadPreferredCached(const BuildRequest& request,
                                            const llvm::orc::JITTargetMachineBuilder& target, const ObjectCache& cache,
                                            std::unique_ptr<llvm::orc::LLJIT>& jit, std::unique_ptr<CodeSlab>& slab,
                                            interp::CompiledCode& code, std::string& note) {
  for (OptLevel level : request.prefer_cached) {
    LoadedEntry entry;
    std::string problem;
    switch (cache.Load(CacheKey(KeyParts(request, target, level)), entry)) {
      case CacheLookup::kHit:
        if (LoadCached(request, target, entry, jit, slab, code, note, problem)) return level;
        problem = "could not be linked (" + problem + ")";
        break;
      case CacheLookup::kCorrupt: problem = "was corrupt"; break;
      case CacheLookup::kMiss: continue;
    }
    AddNote(note, std::string("the cached ") + OptLevelName(level) + " code " + problem + ", not used");
  }
  return std::nullopt;
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

// Frees the parts' IR, each on a thread of its own, while the caller stores and places the code,
// and waits for them when it goes out of scope (freeing a large module is ~3 % of compiling it: off
// the critical path, a worker's part may be as large as the calling thread's).
class BackgroundRelease {
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
  ~BackgroundRelease() {
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
    ir.module = request.emit(*ir.context, part, out.symbols, out.error);
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
std::vector<CompiledPart> Generate(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target,
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
bool CollectEntry(std::vector<CompiledPart>& parts, CacheEntry& entry, std::string& error) {
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
  entry.object = BundleObjects(objects);
  return true;
}

// The linked parts' functions in their slots, and the LLJIT that holds them; false with the first
// part's error when one was not linked.
bool PlaceParts(const BuildRequest& request, SharedLinker& shared, const std::vector<CompiledPart>& parts,
                std::unique_ptr<llvm::orc::LLJIT>& jit, interp::CompiledCode& code, std::string& error) {
  Linker* linker = shared.linker();
  for (const CompiledPart& part : parts) {
    if (!part.linked) {
      error = linker == nullptr ? part.error : linker->Explain(part.error);
      return false;
    }
  }
  interp::CompiledCode linked = EmptyCode(request);
  for (const CompiledPart& part : parts) {
    if (!linker->Place(part.symbols, part.addresses, linked, error)) return false;
  }
  jit = linker->TakeJit();
  code = std::move(linked);
  return true;
}

}  // namespace

NativeCode::NativeCode() = default;
NativeCode::~NativeCode() = default;

std::unique_ptr<NativeCode> Build(const BuildRequest& request, std::string& error) {
  Clock::time_point start = Clock::now();
  auto target = HostTarget(request.opt_level, error);
  if (!target) return nullptr;
  auto native = std::make_unique<NativeCode>();
  BuildStats& stats = native->stats_;
  stats.opt_level = request.opt_level;

  std::string directory = request.identity.empty() ? std::string() : CacheDirectory();
  ObjectCache cache(directory);
  std::string key;
  if (!directory.empty()) {
    Clock::time_point probe_start = Clock::now();
    if (auto level = LoadPreferredCached(request, *target, cache, native->jit_, native->slab_, native->code_,
                                         stats.cache_note)) {
      stats.opt_level = *level;
      stats.cache_hit = true;
      stats.image = native->slab_ != nullptr;
      stats.link_us = MicrosSince(probe_start);
      stats.total_us = MicrosSince(start);
      return native;
    }
    key = CacheKey(KeyParts(request, *target, request.opt_level));
    LoadedEntry entry;
    switch (cache.Load(key, entry)) {
      case CacheLookup::kHit: {
        Clock::time_point link_start = Clock::now();
        std::string link_error;
        if (LoadCached(request, *target, entry, native->jit_, native->slab_, native->code_, stats.cache_note,
                       link_error)) {
          stats.cache_hit = true;
          stats.image = native->slab_ != nullptr;
          stats.link_us = MicrosSince(link_start);
          stats.total_us = MicrosSince(start);
          return native;
        }
        stats.cache_note = "cached object could not be linked (" + link_error + "); rebuilt";
        break;
      }
      case CacheLookup::kCorrupt: stats.cache_note = "cache entry was corrupt; rebuilt"; break;
      case CacheLookup::kMiss: break;
    }
  } else if (!request.identity.empty()) {
    stats.cache_note = "no cache directory ($EDICT_CACHE_DIR, $XDG_CACHE_HOME and $HOME unset)";
  }

  Clock::time_point codegen_start = Clock::now();
  SharedLinker linker(request, *target, /*record_images=*/!key.empty());
  std::vector<PartIr> irs;
  std::vector<CompiledPart> parts = Generate(request, *target, linker, irs);
  BackgroundRelease release(std::move(irs));
  CacheEntry entry;
  if (!CollectEntry(parts, entry, error)) return nullptr;
  if (Linker* linked = linker.linker()) entry.data_layout = linked->DataLayout();
  if (!key.empty()) {
    std::string why;
    entry.images = linker.Images(why);
    if (entry.images.empty()) AddNote(stats.cache_note, "no linked images were recorded (" + why + ")");
  }
  stats.codegen = true;
  stats.parts = std::max<uint32_t>(request.parts, 1);
  stats.codegen_us = MicrosSince(codegen_start);
  if (!key.empty()) {
    std::string store_error;
    if (!cache.Store(key, entry, store_error)) stats.cache_note = store_error;
  }
  Clock::time_point link_start = Clock::now();
  if (!PlaceParts(request, linker, parts, native->jit_, native->code_, error)) return nullptr;
  stats.link_us = MicrosSince(link_start);
  stats.total_us = MicrosSince(start);
  return native;
}

bool HoldsCachedCode(const BuildRequest& request) {
  std::string directory = request.identity.empty() ? std::string() : CacheDirectory();
  std::string error;
  auto target = directory.empty() ? std::nullopt : HostTarget(request.opt_level, error);
  if (!target) return false;
  ObjectCache cache(directory);
  std::vector<OptLevel> levels = request.prefer_cached;
  levels.push_back(request.opt_level);
  return std::any_of(levels.begin(), levels.end(),
                     [&](OptLevel level) { return cache.Holds(CacheKey(KeyParts(request, *target, level))); });
}

}  // namespace edict::jit
