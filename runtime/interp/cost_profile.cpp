// The cost breakdown's process-wide table (cost_profile.h): a mutex-guarded map, printed by the
// destructor of its static owner.
#include "runtime/interp/cost_profile.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace edict::interp::cost_profile {
namespace {

struct Entry {
  std::chrono::nanoseconds spent{0};
  uint64_t count = 0;
};

struct Table {
  std::mutex mutex;
  std::map<std::string, Entry, std::less<>> entries;

  ~Table() {
    if (!entries.empty()) std::fputs(Report().c_str(), stderr);
  }
};

Table& TheTable() {
  static Table table;
  return table;
}

}  // namespace

bool FlagSet() {
  const char* flag = std::getenv("EDICT_INTERP_PROFILE");
  return flag != nullptr && *flag != '\0' && std::string_view(flag) != "0";
}

void Scope::Start(std::string_view kind, std::string_view name) {
  name_.reserve(kind.size() + 1 + name.size());
  name_.append(kind).append(" ").append(name);
  start_ = std::chrono::steady_clock::now();
}

void Scope::Stop() { Add(name_, std::chrono::steady_clock::now() - start_); }

void Add(std::string_view name, std::chrono::nanoseconds spent) {
  Table& table = TheTable();
  std::lock_guard lock(table.mutex);
  auto it = table.entries.find(name);
  if (it == table.entries.end()) it = table.entries.emplace(std::string(name), Entry{}).first;
  it->second.spent += spent;
  ++it->second.count;
}

std::string Report() {
  Table& table = TheTable();
  std::lock_guard lock(table.mutex);
  std::vector<std::pair<std::string, Entry>> rows(table.entries.begin(), table.entries.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.spent > b.second.spent; });
  std::string out = "edict interp profile (inclusive ms, count; memo = misses only):\n";
  char line[64];
  for (const auto& [name, entry] : rows) {
    std::snprintf(line, sizeof line, "%10.2f %10llu  ", entry.spent.count() / 1e6,
                  static_cast<unsigned long long>(entry.count));
    out += line + name + "\n";
  }
  return out;
}

}  // namespace edict::interp::cost_profile
