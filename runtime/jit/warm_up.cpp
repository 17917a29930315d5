// The back end loaded and warmed up on its own thread (warm_up.h).
#include "runtime/jit/warm_up.h"

#include <exception>
#include <string>
#include <system_error>

#include "runtime/jit/back_end.h"

namespace edict::jit {

BackEndWarmUp::BackEndWarmUp() {
  try {
    thread_ = std::thread([] {
      try {
        std::string error;
        // A back end that does not load is reported by the build that needs it.
        if (const BackEnd* back_end = LoadBackEnd(error)) back_end->WarmUp();
      } catch (const std::exception&) {
        // A warm-up that fails only leaves the back end as cold as it was.
      }
    });
  } catch (const std::system_error&) {
    // No thread to be had: the build loads and warms up the back end by itself.
  }
}

BackEndWarmUp::~BackEndWarmUp() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace edict::jit
