// One LLJIT per build: runtime helpers as absolute symbols, the object files (cached or fresh)
// linked into the main JITDylib, then every function looked up in one batch.
#include "runtime/jit/host.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <system_error>
#include <thread>

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
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

// Creates the LLJIT, defines the helpers, links `object` and looks up every symbol into `code`.
// On failure leaves `code` untouched and returns false.
bool Link(const BuildRequest& request, llvm::orc::JITTargetMachineBuilder target, const CacheEntry& entry,
          std::unique_ptr<llvm::orc::LLJIT>& jit_out, interp::CompiledCode& code, std::string& error) {
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(target)).create();
  if (!jit) {
    error = llvm::toString(jit.takeError());
    return false;
  }
  llvm::orc::JITDylib& dylib = (*jit)->getMainJITDylib();
  llvm::orc::ExecutionSession& session = (*jit)->getExecutionSession();
  // Linking reports its causes ("Symbols not found: ...") here, not in the lookup's error; keep
  // them for the message instead of letting LLVM print to stderr.
  auto link_problems = std::make_shared<std::string>();
  session.setErrorReporter([link_problems](llvm::Error problem) {
    if (!link_problems->empty()) *link_problems += "; ";
    *link_problems += llvm::toString(std::move(problem));
  });
  llvm::orc::SymbolMap helpers;
  for (const auto& [name, address] : request.runtime_symbols) {
    helpers[(*jit)->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                              llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  }
  if (llvm::Error problem = dylib.define(llvm::orc::absoluteSymbols(std::move(helpers)))) {
    error = llvm::toString(std::move(problem));
    return false;
  }
  auto objects = UnbundleObjects(entry.object);
  if (!objects) {
    error = "the object files are not a whole bundle";
    return false;
  }
  for (std::string_view object : *objects) {
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, "edict-native-code");
    if (llvm::Error problem = (*jit)->addObjectFile(dylib, std::move(buffer))) {
      error = llvm::toString(std::move(problem));
      return false;
    }
  }

  llvm::orc::SymbolLookupSet wanted;
  for (const auto* list : {&entry.symbols.exprs, &entry.symbols.passes, &entry.symbols.indexes}) {
    for (const auto& [index, name] : *list) wanted.add((*jit)->mangleAndIntern(name));
  }
  wanted.removeDuplicates();  // alike expressions share a function
  auto found = session.lookup(llvm::orc::makeJITDylibSearchOrder(&dylib), std::move(wanted));
  if (!found) {
    error = llvm::toString(found.takeError());
    if (!link_problems->empty()) error = *link_problems + " (" + error + ")";
    return false;
  }
  interp::CompiledCode linked;
  linked.exprs.assign(request.expr_slots, nullptr);
  linked.passes.assign(request.pass_slots, nullptr);
  linked.indexes.assign(request.index_slots, nullptr);
  for (const auto& [id, name] : entry.symbols.exprs) {
    if (id >= linked.exprs.size()) {
      error = "native code for expression " + std::to_string(id) + ", beyond the plan's " +
              std::to_string(linked.exprs.size());
      return false;
    }
    linked.exprs[id] = (*found)[(*jit)->mangleAndIntern(name)].getAddress().toPtr<interp::ExprFn>();
  }
  for (const auto& [pass, name] : entry.symbols.passes) {
    if (pass >= linked.passes.size()) {
      error = "native code for pass " + std::to_string(pass) + ", beyond the plan's " +
              std::to_string(linked.passes.size());
      return false;
    }
    linked.passes[pass] = (*found)[(*jit)->mangleAndIntern(name)].getAddress().toPtr<interp::PassFn>();
  }
  for (const auto& [index, name] : entry.symbols.indexes) {
    if (index >= linked.indexes.size()) {
      error = "native code for index " + std::to_string(index) + ", beyond the plan's " +
              std::to_string(linked.indexes.size());
      return false;
    }
    linked.indexes[index] = (*found)[(*jit)->mangleAndIntern(name)].getAddress().toPtr<interp::IndexFn>();
  }
  jit_out = std::move(*jit);
  code = std::move(linked);
  return true;
}

// Links the cached code of the first level in `request.prefer_cached` that has a usable entry and
// returns that level; nullopt when none has. An entry that is corrupt or does not link is passed
// over, and `note` says so.
std::optional<OptLevel> LinkPreferredCached(const BuildRequest& request,
                                            const llvm::orc::JITTargetMachineBuilder& target, const ObjectCache& cache,
                                            std::unique_ptr<llvm::orc::LLJIT>& jit, interp::CompiledCode& code,
                                            std::string& note) {
  for (OptLevel level : request.prefer_cached) {
    CacheEntry entry;
    std::string problem;
    switch (cache.Load(CacheKey(KeyParts(request, target, level)), entry)) {
      case CacheLookup::kHit:
        if (Link(request, target, entry, jit, code, problem)) return level;
        problem = "could not be linked (" + problem + ")";
        break;
      case CacheLookup::kCorrupt: problem = "was corrupt"; break;
      case CacheLookup::kMiss: continue;
    }
    if (!note.empty()) note += "; ";
    note += std::string("the cached ") + OptLevelName(level) + " code " + problem + ", not used";
  }
  return std::nullopt;
}

struct CompiledPart {
  bool ok = false;
  SymbolTable symbols;
  std::string object;
  std::string error;
};

// The IR a part was compiled from, no longer needed once its object file exists.
struct PartIr {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;  // declared after its context: destroyed first
};

// Frees the parts' IR, each on a thread of its own, while the caller links, and waits for them
// when it goes out of scope (freeing a large module is ~3 % of compiling it: off the critical
// path, a worker's part may be as large as the calling thread's).
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

// Emits and compiles part `part`, leaving its IR in `ir` for the caller to free.
CompiledPart CompilePart(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target, Part part,
                         PartIr& ir) {
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
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = std::string("native code generation failed: ") + e.what();
  }
  return out;
}

// Emits and compiles the code, its parts concurrently (one thread each, the first on this one):
// the cold path. The first failing part's error is the build's. The parts' IR is left in `irs`,
// for the caller to free while it links.
bool Generate(const BuildRequest& request, const llvm::orc::JITTargetMachineBuilder& target, CacheEntry& entry,
              std::vector<PartIr>& irs, std::string& error) {
  uint32_t count = std::max<uint32_t>(request.parts, 1);
  std::vector<CompiledPart> parts(count);
  irs.resize(count);
  auto compile = [&](uint32_t index) { parts[index] = CompilePart(request, target, {index, count}, irs[index]); };
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

  std::vector<std::string> objects;
  for (CompiledPart& part : parts) {
    if (!part.ok) {
      error = part.error;
      return false;
    }
    for (auto& symbol : part.symbols.exprs) entry.symbols.exprs.push_back(std::move(symbol));
    for (auto& symbol : part.symbols.passes) entry.symbols.passes.push_back(std::move(symbol));
    for (auto& symbol : part.symbols.indexes) entry.symbols.indexes.push_back(std::move(symbol));
    objects.push_back(std::move(part.object));
  }
  entry.object = BundleObjects(objects);
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
    if (auto level = LinkPreferredCached(request, *target, cache, native->jit_, native->code_, stats.cache_note)) {
      stats.opt_level = *level;
      stats.cache_hit = true;
      stats.link_us = MicrosSince(probe_start);
      stats.total_us = MicrosSince(start);
      return native;
    }
    key = CacheKey(KeyParts(request, *target, request.opt_level));
    CacheEntry entry;
    switch (cache.Load(key, entry)) {
      case CacheLookup::kHit: {
        Clock::time_point link_start = Clock::now();
        std::string link_error;
        if (Link(request, *target, entry, native->jit_, native->code_, link_error)) {
          stats.cache_hit = true;
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
  CacheEntry entry;
  std::vector<PartIr> irs;
  bool generated = Generate(request, *target, entry, irs, error);
  BackgroundRelease release(std::move(irs));
  if (!generated) return nullptr;
  stats.codegen = true;
  stats.parts = std::max<uint32_t>(request.parts, 1);
  stats.codegen_us = MicrosSince(codegen_start);
  if (!key.empty()) {
    std::string store_error;
    if (!cache.Store(key, entry, store_error)) stats.cache_note = store_error;
  }
  Clock::time_point link_start = Clock::now();
  if (!Link(request, std::move(*target), entry, native->jit_, native->code_, error)) return nullptr;
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
