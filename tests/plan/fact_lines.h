// appfacts/1 lines the plan and interpreter tests build their sessions from: a minimal header and
// the permission records several of them use, plus one rule's section of a printed plan.
#pragma once

#include <cstdint>
#include <string>

namespace edict::testing {

inline std::string HeaderLine(const std::string& session = "s") {
  return R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":")" +
         session +
         R"(","started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
         R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})"
         "\n";
}

// A fixed pseudo-random sequence (a linear congruential generator's high bits) for generated
// sessions: the same seed gives the same records on every platform.
class PseudoRandom {
 public:
  explicit PseudoRandom(uint32_t seed) : state_(seed) {}
  uint32_t operator()() {
    state_ = state_ * 1103515245u + 12345u;
    return state_ >> 8;
  }

 private:
  uint32_t state_;
};

// `perms` is a JSON array of permission names; `fields` the record's further fields, if any
// (`,"user_triggered":true`).
inline std::string RequestLine(int seq, int t, const std::string& perms, const std::string& fields = "") {
  return R"({"type":"perm_request","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
         R"(,"perms":)" + perms + fields + "}\n";
}

inline std::string ResultLine(int seq, int t, const std::string& perm, const std::string& result) {
  return R"({"type":"perm_result","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) + R"(,"perm":")" +
         perm + R"(","result":")" + result + R"(","via":"user"})" "\n";
}

// The printed plan of rule `rule`, up to the next rule.
inline std::string PlanSection(const std::string& printed, const std::string& rule) {
  size_t start = printed.find("rule " + rule + " ");
  size_t end = printed.find("\nrule ", start + 1);
  return printed.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// A bool field `name` present true, present false or absent, by `pick`.
inline std::string OptionalBool(const char* name, uint32_t pick) {
  switch (pick % 3) {
    case 0: return std::string(",\"") + name + "\":true";
    case 1: return std::string(",\"") + name + "\":false";
    default: return "";
  }
}

// A session of `records` perm_request and consent records (no consent when `consents` is false)
// from a fixed pseudo-random sequence, several records often sharing a t: the sessions of the
// native range and query tests.
inline std::string RequestConsentSession(const std::string& id, uint32_t seed, int records, bool consents) {
  std::string text = HeaderLine(id);
  PseudoRandom next(seed);
  int t = 0;
  for (int seq = 1; seq <= records; ++seq) {
    t += static_cast<int>(next() % 4);
    std::string common = R"("seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t);
    if (!consents || next() % 2 == 0) {
      text += R"({"type":"perm_request",)" + common + R"(,"perms":["android.permission.CAMERA"])" +
              OptionalBool("user_triggered", next()) + OptionalBool("rationale_shown", next()) + "}\n";
      continue;
    }
    static const char* kActions[] = {"shown", "agreed", "rejected"};
    static const char* kVersions[] = {R"(,"policy_version":"v1")", R"(,"policy_version":"x")", ""};
    text += R"({"type":"consent",)" + common + R"(,"doc":"privacy_policy","action":")" + kActions[next() % 3] +
            R"(","method":"ui_click")" + kVersions[next() % 3] + "}\n";
  }
  return text;
}

}  // namespace edict::testing
