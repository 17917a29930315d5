// The appfindings/1 spelling of the result model's enums.
#include "runtime/findings/model.h"

namespace edict::findings {

std::string_view Name(Kind kind) {
  switch (kind) {
    case Kind::kFail: return "fail";
    case Kind::kReview: return "review";
  }
  return "fail";
}

std::string_view Name(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "critical";
    case Severity::kHigh: return "high";
    case Severity::kMedium: return "medium";
    case Severity::kLow: return "low";
    case Severity::kInfo: return "info";
  }
  return "medium";
}

std::string_view Name(Party party) {
  switch (party) {
    case Party::kFirst: return "first";
    case Party::kThird: return "third";
    case Party::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view Name(EvidenceRole role) {
  switch (role) {
    case EvidenceRole::kTrigger: return "trigger";
    case EvidenceRole::kContext: return "context";
  }
  return "trigger";
}

std::string_view Name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kViolated: return "violated";
    case Outcome::kPassed: return "passed";
    case Outcome::kNotApplicable: return "not_applicable";
    case Outcome::kUndetermined: return "undetermined";
    case Outcome::kError: return "error";
  }
  return "error";
}

}  // namespace edict::findings
