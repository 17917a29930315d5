// `matches` with a process-wide cache of compiled RE2 patterns.
#include "runtime/value/regex.h"

#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "runtime/value/per_thread.h"

namespace edict::value {
namespace {

// Rules use a handful of constant patterns; the bound only stops patterns built from data from
// growing the cache without limit (entries in use stay alive through their shared_ptr).
constexpr size_t kMaxCachedPatterns = 4096;

class PatternCache {
 public:
  std::shared_ptr<const re2::RE2> Get(std::string_view pattern) {
    {
      std::shared_lock lock(mutex_);
      auto found = patterns_.find(std::string(pattern));
      if (found != patterns_.end()) return found->second;
    }
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto compiled = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    std::unique_lock lock(mutex_);
    if (patterns_.size() >= kMaxCachedPatterns) patterns_.clear();
    return patterns_.emplace(std::string(pattern), std::move(compiled)).first->second;
  }

 private:
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const re2::RE2>> patterns_;
};

PatternCache& Cache() {
  static PatternCache cache;
  return cache;
}

// Evaluation applies one pattern to many records in a row: remembering the last one per thread
// skips the shared lock and the hash.
struct LastPattern {
  std::string pattern;
  std::shared_ptr<const re2::RE2> compiled;
};

std::shared_ptr<const re2::RE2> Compiled(std::string_view pattern) {
  LastPattern& last = PerThread<LastPattern, LastPattern>::Get();
  if (last.compiled == nullptr || last.pattern != pattern) {
    last.compiled = Cache().Get(pattern);
    last.pattern.assign(pattern);
  }
  return last.compiled;
}

}  // namespace

Value Matches(std::string_view text, std::string_view pattern) {
  std::shared_ptr<const re2::RE2> regex = Compiled(pattern);
  if (!regex->ok()) {
    return Value::Error(ErrorCode::kInvalidArgument,
                        "invalid regular expression '" + std::string(pattern) + "': " + regex->error());
  }
  return Value::Bool(re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regex));
}

}  // namespace edict::value
