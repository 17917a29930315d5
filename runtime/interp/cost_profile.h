// An opt-in cost breakdown of the work a session does before and between rules: the time of
// each session slot and of each memo function's misses (inclusive of what they call), summed
// over the process. EDICT_INTERP_PROFILE=1 turns it on; the table goes to stderr at exit,
// largest first. When off, the only cost is one test of a cached flag per slot and per miss.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace edict::interp::cost_profile {

bool Enabled();

// Adds one timed evaluation of `name` (e.g. "slot first_run_at", "memo collected_pi").
void Add(std::string_view name, std::chrono::nanoseconds spent);

// The table so far: one line per name with its total milliseconds, count and share, largest first.
std::string Report();

// Times its scope into Add(name) when profiling is on.
class Scope {
 public:
  Scope(std::string_view kind, std::string_view name) {
    if (Enabled()) {
      name_.reserve(kind.size() + 1 + name.size());
      name_.append(kind).append(" ").append(name);
      start_ = std::chrono::steady_clock::now();
    }
  }
  ~Scope() {
    if (!name_.empty()) Add(name_, std::chrono::steady_clock::now() - start_);
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::string name_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace edict::interp::cost_profile
