// Fuzz target: arbitrary bytes as a plan cache entry's plan (compiler/plan/serialize.h). A cache
// entry is input: the decoder must reject every malformed one, never crash on it. A plan it
// accepts must print (as `edict plan` would show it) and survive a second round trip unchanged:
// its bytes encode again to bytes that decode to the same encoding.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/plan/print.h"
#include "compiler/plan/serialize.h"
#include "tests/fuzz/fuzz_support.h"

using namespace edict;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::unique_ptr<plan::Plan> decoded = plan::DeserializePlan(bytes, error);
  if (decoded == nullptr) {
    if (error.empty()) fuzz::Contradiction("a rejected plan without a reason", "");
    return 0;
  }
  (void)plan::PrintPlan(*decoded);
  std::string encoded = plan::SerializePlan(*decoded);
  std::unique_ptr<plan::Plan> again = plan::DeserializePlan(encoded, error);
  if (again == nullptr) fuzz::Contradiction("a decoded plan does not decode once encoded again", error);
  if (plan::SerializePlan(*again) != encoded) fuzz::Contradiction("a plan's second round trip changed it", "");
  return 0;
}
