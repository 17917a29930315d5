// Semantic versions of packs (`1.2.0`, `1.2.0-rc.1`) and import constraints (`>= 1.0`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace edict::sema {

struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string prerelease;  // after '-', empty for a release
};

// A pack's own version: exactly MAJOR.MINOR.PATCH with an optional `-prerelease`.
std::optional<Version> ParseVersion(std::string_view text);
// A constraint's version: `1`, `1.2` or a full version; missing parts are zero.
std::optional<Version> ParseConstraintVersion(std::string_view text);

// Semantic-version precedence: <0, 0, >0. A prerelease sorts before its release.
int Compare(const Version& a, const Version& b);

// Whether `version` satisfies `op bound` for op in >=, ==, >, <, <=.
bool Satisfies(const Version& version, std::string_view op, const Version& bound);

}  // namespace edict::sema
