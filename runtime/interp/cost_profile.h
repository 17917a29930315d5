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

// EDICT_INTERP_PROFILE's setting.
bool FlagSet();

// Whether profiling is on: the flag as it was at the first call. Inline, so a scope costs the
// interpreter's memo misses a test rather than a call.
inline bool Enabled() {
  static const bool enabled = FlagSet();
  return enabled;
}

// Adds one timed evaluation of `name` (e.g. "slot first_run_at", "memo collected_pi").
void Add(std::string_view name, std::chrono::nanoseconds spent);

// The table so far: one line per name with its total milliseconds, count and share, largest first.
std::string Report();

// Times its scope into Add(name) when profiling is on.
class Scope {
 public:
  Scope(std::string_view kind, std::string_view name) {
    if (Enabled()) [[unlikely]] Start(kind, name);
  }
  ~Scope() {
    if (!name_.empty()) [[unlikely]] Stop();
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  void Start(std::string_view kind, std::string_view name);
  void Stop();

  std::string name_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace edict::interp::cost_profile
