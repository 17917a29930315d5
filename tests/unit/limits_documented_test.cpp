// docs/reliability.md's limits table states each limit's value: it must be the code's, and every
// limit the code names must be in it, so the table cannot drift from what the engine enforces.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "compiler/diag/source.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/parse.h"
#include "runtime/facts/json_problems.h"
#include "runtime/facts/loader.h"
#include "runtime/facts/schema.h"
#include "runtime/facts/session_builder.h"
#include "runtime/interp/interp.h"
#include "runtime/value/limits.h"

using namespace edict;

TEST_CASE("the limits table of docs/reliability.md matches the constants") {
  const std::map<std::string, uint64_t> limits = {
      {"syntax::kMaxNesting", syntax::kMaxNesting},
      {"syntax::kMaxOperatorChain", syntax::kMaxOperatorChain},
      {"diag::kMaxSourceBytes", diag::kMaxSourceBytes},
      {"sema::kMaxRulesPerPack", sema::kMaxRulesPerPack},
      {"sema::kMaxBindingsPerRule", sema::kMaxBindingsPerRule},
      {"sema::kMaxJoinWidth", sema::kMaxJoinWidth},
      {"facts::kMaxLineBytes", facts::kMaxLineBytes},
      {"facts::kMaxRecordsPerSession", facts::kMaxRecordsPerSession},
      {"facts::kMaxJsonDepth", facts::kMaxJsonDepth},
      {"facts::kMaxListElements", facts::kMaxListElements},
      {"facts::kMaxStructFields", facts::kMaxStructFields},
      {"interp::kMaxFindingsPerRule", interp::kMaxFindingsPerRule},
      {"interp::kSessionStepsBase", interp::kSessionStepsBase},
      {"interp::kSessionStepsPerRecord", interp::kSessionStepsPerRecord},
      {"interp::kExpressionSteps", interp::kExpressionSteps},
      {"value::kMaxStringBytes", value::kMaxStringBytes},
      {"value::kMaxListSize", value::kMaxListSize},
  };
  std::ifstream doc(std::string(EDICT_SOURCE_DIR) + "/docs/reliability.md");
  REQUIRE(doc);
  // A row: | description | `ns::kName` | value | ...
  const std::regex row(R"(^\|[^|]*\| `(\w+::k\w+)` \| (\d+)[^|]*\|)");
  std::map<std::string, uint64_t> documented;
  for (std::string line; std::getline(doc, line);) {
    std::smatch match;
    if (std::regex_search(line, match, row)) documented[match[1]] = std::stoull(match[2]);
  }
  for (const auto& [name, value] : limits) {
    CAPTURE(name);
    REQUIRE(documented.count(name) == 1);
    CHECK(documented.at(name) == value);
  }
  for (const auto& [name, value] : documented) {
    CHECK_MESSAGE(limits.count(name) == 1, name << " is documented but not checked");
  }
}
