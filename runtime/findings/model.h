// The result model of a run (appfindings/1): rules as the writers see them, findings, per-rule
// outcomes per session and the run summary. Plain data, filled by the engine and read by the writers.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace edict::findings {

enum class Kind : uint8_t { kFail, kReview };
enum class Severity : uint8_t { kCritical, kHigh, kMedium, kLow, kInfo };  // most severe first
enum class Party : uint8_t { kFirst, kThird, kUnknown };
enum class EvidenceRole : uint8_t { kTrigger, kContext };
enum class Outcome : uint8_t { kViolated, kPassed, kNotApplicable, kUndetermined, kError };

inline constexpr Severity kAllSeverities[] = {Severity::kCritical, Severity::kHigh, Severity::kMedium,
                                              Severity::kLow, Severity::kInfo};
inline constexpr Outcome kAllOutcomes[] = {Outcome::kViolated, Outcome::kPassed, Outcome::kNotApplicable,
                                           Outcome::kUndetermined, Outcome::kError};

// The spelling of each enum value in appfindings/1 ("fail", "not_applicable", ...).
std::string_view Name(Kind kind);
std::string_view Name(Severity severity);
std::string_view Name(Party party);
std::string_view Name(EvidenceRole role);
std::string_view Name(Outcome outcome);

// A parameter value as reported: CEL durations arrive already printed ("172800s"), lists of
// strings stay lists so JSON readers see arrays.
using ParamValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;
using Params = std::vector<std::pair<std::string, ParamValue>>;  // in declaration order

struct RuleInfo {
  std::string id;  // unique within the run: "collect-before-consent"
  std::string pack;
  std::string version;
  std::string title;  // in the rule's language
  Kind kind = Kind::kFail;
  Severity severity = Severity::kMedium;
  std::vector<std::string> cite;  // "MIIT-164:1/S2", "TAF-124"
  std::vector<std::string> tags;
  std::string help;  // what the rule checks and how to fix it; may be empty
};

struct AppRef {
  std::string id;
  std::optional<int64_t> version_code;
  std::string session;
};

// Who did it (rule-catalog S5). Empty strings are absent fields.
struct Subject {
  Party party = Party::kUnknown;
  std::string sdk;
  std::string org;
  std::string domain;
  std::string cls;
  std::string mth;
  std::string component;
};

// Times are milliseconds since session start; static records have none.
struct Window {
  std::optional<int64_t> first_t;
  std::optional<int64_t> last_t;
  int64_t count = 0;
};

// A facts file's name, shared by every evidence record read from the file (hundreds of thousands
// in a large session): a copy costs a reference count, not an allocation. Reads as the string.
class FileName {
 public:
  FileName() = default;
  FileName(std::string name) : name_(std::make_shared<const std::string>(std::move(name))) {}
  FileName(const char* name) : FileName(std::string(name)) {}
  const std::string& str() const { return name_ != nullptr ? *name_ : Empty(); }
  operator const std::string&() const { return str(); }
  operator std::string_view() const { return str(); }
  friend bool operator==(const FileName& a, const FileName& b) { return a.name_ == b.name_ || a.str() == b.str(); }
  friend std::strong_ordering operator<=>(const FileName& a, const FileName& b) {
    if (a.name_ == b.name_) return std::strong_ordering::equal;
    int c = a.str().compare(b.str());
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  friend std::string operator+(const std::string& a, const FileName& b) { return a + b.str(); }
  friend std::string operator+(const char* a, const FileName& b) { return a + b.str(); }
  friend std::string operator+(const FileName& a, const char* b) { return a.str() + b; }

 private:
  static const std::string& Empty() {
    static const std::string empty;
    return empty;
  }
  std::shared_ptr<const std::string> name_;
};

struct Evidence {
  FileName file;
  uint64_t line = 0;
  int64_t seq = 0;
  std::string type;  // the record kind
  EvidenceRole role = EvidenceRole::kTrigger;
  std::optional<int64_t> t;
};

struct Finding {
  uint32_t rule = 0;  // index into RunInfo::rules, which is also the report order of rules
  Kind kind = Kind::kFail;
  Severity severity = Severity::kMedium;
  std::string message;
  AppRef app;
  Subject subject;
  std::vector<std::string> data_types;
  std::vector<std::string> permissions;  // permission groups: "android.permission-group.LOCATION"
  Window window;
  std::vector<Evidence> evidence;
  std::vector<std::string> cite;
  Params params;
  std::vector<std::string> notes;
};

struct RuleOutcome {
  Outcome outcome = Outcome::kPassed;
  std::string reason;  // why it is undetermined; empty otherwise
};

struct RuleError {
  std::string rule;
  std::string file;
  uint64_t line = 0;
  std::string message;
};

struct SessionSummary {
  std::string id;
  std::string app;
  std::string file;
  uint64_t records = 0;
  std::optional<std::string> error;  // the session failed to load; then `outcomes` is empty
  std::vector<RuleOutcome> outcomes;  // one per rule, in RunInfo::rules order
  std::vector<RuleError> rule_errors;
};

struct SessionResult {
  SessionSummary summary;
  std::vector<Finding> findings;  // any order; writers put them in report order
};

struct Engine {
  std::string name = "edict";
  std::string version;
  std::string backend;  // "jit" or "interp"
};

struct Ruleset {
  std::string pack;
  std::string version;
  std::string sha256;
};

// What is known before the first session is evaluated.
struct RunInfo {
  Engine engine;
  std::vector<Ruleset> rulesets;
  std::string profile;
  Params params;
  std::vector<RuleInfo> rules;
};

struct SkippedRecord {
  std::string file;
  uint64_t line = 0;
  std::string error;
};

struct LimitHit {
  std::string session;
  std::string limit;
  int64_t value = 0;
};

struct Timings {
  int64_t compile = 0;
  int64_t load = 0;
  int64_t eval = 0;
  int64_t write = 0;
};

using NameCounts = std::vector<std::pair<std::string, uint64_t>>;  // in first-seen order

// How the sessions were evaluated: by native code, and how many expression roots the interpreter
// ran inside native sessions instead (0 unless code generation lacks an op: issue 4's counter).
struct NativeRun {
  uint64_t sessions = 0;
  uint64_t fallbacks = 0;
};

// What is known only when every session is done.
struct RunEnd {
  std::vector<SkippedRecord> skipped_records;
  NameCounts unknown_kinds;
  NameCounts unknown_data_types;
  std::vector<LimitHit> limits_hit;
  NativeRun native;
  Timings timings_ms;
};

struct RunResult {
  RunInfo info;
  std::vector<SessionResult> sessions;  // in input order
  RunEnd end;
};

}  // namespace edict::findings
