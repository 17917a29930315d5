// The back end loaded and warmed up on its own thread (warm_up.h).
#include "runtime/jit/warm_up.h"

#include <exception>
#include <string>
#include <system_error>

namespace edict::jit {

BackEndWarmUp::BackEndWarmUp(Loader load) {
  try {
    thread_ = std::thread([this, load] {
      try {
        std::string error;
        // A back end that does not load is reported by the build that needs it.
        const BackEnd* back_end = load(error);
        if (back_end != nullptr && !awaited_.load(std::memory_order_relaxed)) back_end->WarmUp();
      } catch (const std::exception&) {
        // A warm-up that fails only leaves the back end as cold as it was.
      }
    });
  } catch (const std::system_error&) {
    // No thread to be had: the build loads and warms up the back end by itself.
  }
}

BackEndWarmUp::~BackEndWarmUp() {
  awaited_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
}

}  // namespace edict::jit
