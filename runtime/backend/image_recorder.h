// Recording the images of linked code (runtime/jit/image.h) for the object cache: an
// ObjectLinkingLayer plugin that captures every graph the layer links, once fixed up and before
// its memory is protected. Anything it does not understand records no image, and a warm start
// links the object files instead.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "runtime/jit/image.h"

namespace edict::backend {

// Thread-safe: parts link concurrently.
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
  std::vector<jit::LinkedImage> images_;
  std::string refused_;  // why a graph was not recorded; empty: all were
};

}  // namespace edict::backend
