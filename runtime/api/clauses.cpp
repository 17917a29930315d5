// Reading the clause list of the coverage matrix (tab-separated: key, auto|manual, text).
#include <fstream>

#include "edict/edict.h"

namespace edict {

std::optional<std::vector<Clause>> ReadClauses(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::vector<Clause> clauses;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    size_t first = line.find('\t');
    size_t second = first == std::string::npos ? first : line.find('\t', first + 1);
    std::string check = second == std::string::npos ? "" : line.substr(first + 1, second - first - 1);
    if (second == std::string::npos || first == 0 || (check != "auto" && check != "manual")) {
      error = path + ":" + std::to_string(number) + ": expected KEY<tab>auto|manual<tab>TEXT";
      return std::nullopt;
    }
    clauses.push_back({line.substr(0, first), check == "manual", line.substr(second + 1)});
  }
  return clauses;
}

}  // namespace edict
