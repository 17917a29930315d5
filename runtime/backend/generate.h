// A cold build: the code emitted as IR (a large plan in parts, one thread each), each part
// compiled to an object file and linked as soon as it is, in one LLJIT; the images of the linked
// code recorded for the cache.
#pragma once

#include <string>

#include "runtime/jit/back_end.h"
#include "runtime/jit/host.h"

namespace edict::backend {

// BackEnd::Generate (runtime/jit/back_end.h).
bool Generate(const jit::BuildRequest& request, bool record_images, jit::GeneratedCode& out, jit::BuildStats& stats,
              std::string& error);

}  // namespace edict::backend
