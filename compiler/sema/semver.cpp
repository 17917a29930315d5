// Parsing and ordering of pack versions.
#include "compiler/sema/semver.h"

#include <vector>

namespace edict::sema {
namespace {

// Splits "1.2.3" into numbers; nullopt when a part is empty, not a number or too long.
std::optional<std::vector<int>> ParseNumbers(std::string_view text) {
  std::vector<int> numbers;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view part = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 9) return std::nullopt;
    int value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    numbers.push_back(value);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return numbers;
}

std::optional<Version> Parse(std::string_view text, size_t min_parts) {
  Version version;
  size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    version.prerelease = std::string(text.substr(dash + 1));
    if (version.prerelease.empty()) return std::nullopt;
    text = text.substr(0, dash);
  }
  auto numbers = ParseNumbers(text);
  if (!numbers || numbers->size() < min_parts || numbers->size() > 3) return std::nullopt;
  if (!version.prerelease.empty() && numbers->size() != 3) return std::nullopt;
  numbers->resize(3, 0);
  version.major = (*numbers)[0];
  version.minor = (*numbers)[1];
  version.patch = (*numbers)[2];
  return version;
}

}  // namespace

std::optional<Version> ParseVersion(std::string_view text) { return Parse(text, 3); }

std::optional<Version> ParseConstraintVersion(std::string_view text) { return Parse(text, 1); }

int Compare(const Version& a, const Version& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.prerelease == b.prerelease) return 0;
  if (a.prerelease.empty()) return 1;
  if (b.prerelease.empty()) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

bool Satisfies(const Version& version, std::string_view op, const Version& bound) {
  int order = Compare(version, bound);
  if (op == ">=") return order >= 0;
  if (op == ">") return order > 0;
  if (op == "<=") return order <= 0;
  if (op == "<") return order < 0;
  return order == 0;
}

}  // namespace edict::sema
