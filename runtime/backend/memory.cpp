// The populated memory manager: LLVM's InProcessMemoryManager (one slab per object, standard
// segments kept, finalize segments released once finalized) with its slab mapped populated and
// not memset.
#include "runtime/backend/memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>
#include <vector>

#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/Orc/Shared/AllocationActions.h"
#include "llvm/ExecutionEngine/Orc/Shared/MemoryFlags.h"
#include "llvm/Support/Memory.h"

namespace edict::backend {
namespace {

using llvm::jitlink::BasicLayout;
using llvm::jitlink::JITLinkMemoryManager;
using llvm::jitlink::LinkGraph;

struct Mapping {
  char* base = nullptr;
  size_t size = 0;
};

llvm::Error LastError() { return llvm::errorCodeToError(std::error_code(errno, std::generic_category())); }

void Unmap(Mapping& mapping) {
  if (mapping.size != 0) munmap(mapping.base, mapping.size);
  mapping = {};
}

// What a finalized allocation keeps until it is deallocated.
struct Finalized {
  Mapping standard;
  std::vector<llvm::orc::shared::WrapperFunctionCall> dealloc_actions;
};

class InFlight : public JITLinkMemoryManager::InFlightAlloc {
 public:
  InFlight(LinkGraph& graph, BasicLayout layout, Mapping standard, Mapping finalize, size_t page_size)
      : graph_(graph), layout_(std::move(layout)), standard_(standard), finalize_(finalize), page_size_(page_size) {}

  void finalize(OnFinalizedFunction done) override {
    if (llvm::Error problem = Protect()) {
      done(std::move(problem));
      return;
    }
    auto dealloc_actions = llvm::orc::shared::runFinalizeActions(graph_.allocActions());
    if (!dealloc_actions) {
      done(dealloc_actions.takeError());
      return;
    }
    Unmap(finalize_);
    auto* kept = new Finalized{std::exchange(standard_, {}), std::move(*dealloc_actions)};
    done(JITLinkMemoryManager::FinalizedAlloc(llvm::orc::ExecutorAddr::fromPtr(kept)));
  }

  void abandon(OnAbandonedFunction done) override {
    Unmap(finalize_);
    Unmap(standard_);
    done(llvm::Error::success());
  }

 private:
  llvm::Error Protect() {
    for (auto& [group, segment] : layout_.segments()) {
      llvm::sys::Memory::ProtectionFlags flags = llvm::orc::toSysMemoryProtectionFlags(group.getMemProt());
      llvm::sys::MemoryBlock block(segment.WorkingMem, llvm::alignTo(segment.ContentSize + segment.ZeroFillSize, page_size_));
      if (std::error_code problem = llvm::sys::Memory::protectMappedMemory(block, flags)) {
        return llvm::errorCodeToError(problem);
      }
      if (flags & llvm::sys::Memory::MF_EXEC) {
        llvm::sys::Memory::InvalidateInstructionCache(block.base(), block.allocatedSize());
      }
    }
    return llvm::Error::success();
  }

  LinkGraph& graph_;
  BasicLayout layout_;
  Mapping standard_;
  Mapping finalize_;
  size_t page_size_;
};

class PopulatedMemoryManager : public JITLinkMemoryManager {
 public:
  explicit PopulatedMemoryManager(size_t page_size) : page_size_(page_size) {}

  void allocate(const llvm::jitlink::JITLinkDylib*, LinkGraph& graph, OnAllocatedFunction done) override {
    BasicLayout layout(graph);
    auto sizes = layout.getContiguousPageBasedLayoutSizes(page_size_);
    if (!sizes) {
      done(sizes.takeError());
      return;
    }
    // One slab, as LLVM's, so that the code model's reaches hold between the segments.
    Mapping slab;
    if (sizes->total() != 0) {
      void* base = mmap(nullptr, sizes->total(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
      if (base == MAP_FAILED) {
        done(LastError());
        return;
      }
      slab = {static_cast<char*>(base), static_cast<size_t>(sizes->total())};
    }
    Mapping standard = {slab.base, static_cast<size_t>(sizes->StandardSegs)};
    Mapping finalize = {slab.base + sizes->StandardSegs, static_cast<size_t>(sizes->FinalizeSegs)};
    char* next_standard = standard.base;
    char* next_finalize = finalize.base;
    for (auto& [group, segment] : layout.segments()) {
      char*& next = group.getMemLifetime() == llvm::orc::MemLifetime::Standard ? next_standard : next_finalize;
      segment.WorkingMem = next;
      segment.Addr = llvm::orc::ExecutorAddr::fromPtr(next);
      next += llvm::alignTo(segment.ContentSize + segment.ZeroFillSize, page_size_);
    }
    if (llvm::Error problem = layout.apply()) {
      Unmap(slab);
      done(std::move(problem));
      return;
    }
    done(std::make_unique<InFlight>(graph, std::move(layout), standard, finalize, page_size_));
  }

  void deallocate(std::vector<FinalizedAlloc> allocs, OnDeallocatedFunction done) override {
    llvm::Error problems = llvm::Error::success();
    // Last first, as JITLinkMemoryManager asks.
    for (auto alloc = allocs.rbegin(); alloc != allocs.rend(); ++alloc) {
      std::unique_ptr<Finalized> kept(alloc->release().toPtr<Finalized*>());
      if (llvm::Error problem = llvm::orc::shared::runDeallocActions(kept->dealloc_actions)) {
        problems = llvm::joinErrors(std::move(problems), std::move(problem));
      }
      Unmap(kept->standard);
    }
    done(std::move(problems));
  }

 private:
  size_t page_size_;
};

}  // namespace

std::unique_ptr<JITLinkMemoryManager> MakePopulatedMemoryManager() {
  return std::make_unique<PopulatedMemoryManager>(static_cast<size_t>(sysconf(_SC_PAGESIZE)));
}

}  // namespace edict::backend
