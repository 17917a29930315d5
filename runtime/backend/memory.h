// Memory for linked code: each object's sections in one mapping that the kernel fills with pages
// as it makes it (MAP_POPULATE), instead of one page fault per page at first touch, and that is not
// zero-filled again (fresh anonymous memory is zero), as LLVM's InProcessMemoryManager does. Where
// a first touch is expensive (a virtual machine's page faults), that is much of placing a warm
// start's code.
#pragma once

#include <memory>

#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"

namespace edict::backend {

// For this process's code; thread-safe. A graph's standard (kept) segments are one range at the
// start of its mapping, which the image recorder (image_recorder.h) reads whole.
std::unique_ptr<llvm::jitlink::JITLinkMemoryManager> MakePopulatedMemoryManager();

}  // namespace edict::backend
