// Linked images: a cold build's code as JITLink left it in memory, recorded with the few fix-ups
// that depend on where it lives, so that a warm start places the code by copying it and redoing
// only those, without JITLink or an LLJIT. One image per object file (per link graph): the bytes
// of its kept segments and their protections, its exported symbols' offsets, the absolute
// pointers into itself (rebased when it moves) and the references to other code (runtime helpers,
// the other parts' symbols: re-bound by name, with JITLink's arithmetic). Anything the recorder
// does not understand records no image, and a warm start links the object files instead.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"

namespace edict::jit {

struct LinkedImage;

// An ObjectLinkingLayer plugin recording every graph the layer links, once fixed up and before
// its memory is protected; thread-safe (parts link concurrently).
class ImageRecorder : public llvm::orc::ObjectLinkingLayer::Plugin {
 public:
  ImageRecorder();
  ~ImageRecorder() override;

  void modifyPassConfig(llvm::orc::MaterializationResponsibility& responsibility, llvm::jitlink::LinkGraph& graph,
                        llvm::jitlink::PassConfiguration& config) override;
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility&) override { return llvm::Error::success(); }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey) override {
    return llvm::Error::success();
  }
  void notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey, llvm::orc::ResourceKey) override {}

  // The images of the graphs linked, encoded for the cache; empty with `why` set when one could
  // not be recorded. (A graph that was never linked, an object without symbols, needs none.)
  std::string Encoded(std::string& why) const;

 private:
  void Record(llvm::jitlink::LinkGraph& graph);

  mutable std::mutex mutex_;
  std::vector<LinkedImage> images_;
  std::string refused_;  // why a graph was not recorded; empty: all were
};

// Memory mapped for placed code, unmapped when destroyed.
class CodeSlab {
 public:
  CodeSlab(void* base, size_t size) : base_(base), size_(size) {}
  CodeSlab(const CodeSlab&) = delete;
  CodeSlab& operator=(const CodeSlab&) = delete;
  ~CodeSlab();

 private:
  void* base_;
  size_t size_;
};

// Images placed in this process: their memory, and where their exported symbols are (the names
// view the encoded images).
struct PlacedImages {
  std::unique_ptr<CodeSlab> slab;
  std::unordered_map<std::string_view, void*> symbols;
};

// Places the encoded images (ImageRecorder::Encoded) in fresh memory, their references to other
// code bound to `runtime_symbols`, to each other's symbols and to the process's; false with `why` set (and nothing
// mapped) when they are corrupt, name a symbol that is not there or cannot reach it from where
// they landed.
bool PlaceImages(std::string_view encoded, const std::vector<std::pair<std::string, void*>>& runtime_symbols,
                 PlacedImages& placed, std::string& why);

}  // namespace edict::jit
