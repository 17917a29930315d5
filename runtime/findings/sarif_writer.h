// `--format sarif`: one SARIF 2.1.0 run per invocation (findings-1.md "SARIF mapping"), streamed:
// the rules are written at Begin, each result as its session completes, and the taxonomies and the
// run summary (run.properties, including every session's outcomes) at End.
//
// kind and level: SARIF 2.1.0 §3.27.9/§3.27.10 allow a level other than "none" only on results of
// kind "fail". A `fail` finding is kind "fail" with the level of its severity (critical/high → error,
// medium → warning, low/info → note); a `review` finding is kind "review" with level "none", and its
// severity travels in the rule's security-severity and default level and in the result's properties.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/findings/summary.h"
#include "runtime/findings/taxonomies.h"
#include "runtime/findings/writer.h"

namespace edict::findings {

// findings-1.md: critical/high → "error", medium → "warning", low/info → "note".
std::string_view SarifLevel(Severity severity);
// The level a result of this kind may carry (see above).
std::string_view SarifResultLevel(Kind kind, Severity severity);
// GitHub's `security-severity` score; none for `info`, which GitHub should not rank as a risk.
std::optional<std::string_view> SecuritySeverity(Severity severity);
// A URI reference for a facts file path: relative paths stay relative (GitHub wants them
// repository-relative), absolute ones become file:// URIs; reserved and non-ASCII bytes are
// percent-encoded.
std::string ArtifactUri(std::string_view path);

class SarifWriter : public Writer {
 public:
  explicit SarifWriter(std::ostream& out) : out_(out) {}
  void Begin(const RunInfo& run) override;
  void AddSession(const SessionResult& session) override;
  void End(const RunEnd& end) override;

 private:
  struct Taxonomy {
    std::string name;
    const TaxonomyInfo* info = nullptr;  // null for a taxonomy outside the closed list
    std::vector<std::string> taxa;
    std::unordered_map<std::string, size_t> taxon_index;
  };
  struct TaxonRef {
    size_t taxonomy;
    size_t taxon;
  };

  TaxonRef Register(std::string_view cite);

  std::ostream& out_;
  RunInfo run_;
  RunTally tally_;
  std::vector<Taxonomy> taxonomies_;
  bool wrote_result_ = false;
};

}  // namespace edict::findings
