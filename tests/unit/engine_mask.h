// Reports of the two engines differ only in the summary's engine object: the back end's name and
// the number of sessions native code evaluated. Tests comparing them mask exactly that.
#pragma once

#include <regex>
#include <string>

namespace edict::testing {

inline std::string WithoutEngineName(const std::string& report) {
  static const std::regex kEngine(R"("backend":"[a-z]+","native_sessions":[0-9]+)");
  return std::regex_replace(report, kEngine, R"("backend":"?","native_sessions":?)");
}

}  // namespace edict::testing
