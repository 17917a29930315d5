// Random JSON Lines sessions for the generated schema (generator.h): a header, then records of
// the three kinds with extreme numbers, words of the shared vocabulary, optional fields absent,
// null or present, and times that tie and arrive out of order.
#pragma once

#include <string>

#include "tests/differential/entropy.h"
#include "tests/differential/generator.h"

namespace edict::differential {

std::string GenerateFacts(Entropy& entropy, const GeneratorOptions& options);

}  // namespace edict::differential
