// Checking a test's `expect` lines for one rule. Lines that describe a finding (subject, data
// types, permissions, evidence, message) are matched to distinct findings; counts, outcomes and
// reasons are checked on their own.
#include <algorithm>
#include <functional>
#include <set>

#include "runtime/api/test_runner.h"

namespace edict::testrun {
namespace {

using ast::Expectation;
using ast::ExpectValue;
using findings::Finding;

bool DescribesFinding(const Expectation& expectation) {
  if (expectation.kind != Expectation::Kind::kField) return false;
  return expectation.word != "reason";
}

std::set<std::string> StringSet(const ExpectValue& value) {
  if (value.kind == ExpectValue::Kind::kString) return {value.text};
  std::set<std::string> out;
  for (const ExpectValue& item : value.items) out.insert(item.text);
  return out;
}

std::set<int64_t> IntSet(const ExpectValue& value) {
  if (value.kind == ExpectValue::Kind::kInt) return {value.number};
  std::set<int64_t> out;
  for (const ExpectValue& item : value.items) out.insert(item.number);
  return out;
}

// Who a finding is about, as tests name it: the SDK, else the organisation, else the domain,
// else the party ("app" for the app itself, "third", "unknown").
std::string SubjectName(const Finding& finding) {
  if (!finding.subject.sdk.empty()) return finding.subject.sdk;
  if (!finding.subject.org.empty()) return finding.subject.org;
  if (!finding.subject.domain.empty()) return finding.subject.domain;
  if (finding.subject.party == findings::Party::kFirst) return "app";
  return std::string(findings::Name(finding.subject.party));
}

std::set<int64_t> EvidenceSeqs(const Finding& finding) {
  std::set<int64_t> seqs;
  for (const findings::Evidence& evidence : finding.evidence) seqs.insert(evidence.seq);
  return seqs;
}

bool Holds(const Expectation& expectation, const Finding& finding) {
  const std::string& key = expectation.word;
  if (key == "subject") return SubjectName(finding) == expectation.value.text;
  if (key == "data_types") {
    return StringSet(expectation.value) == std::set<std::string>(finding.data_types.begin(), finding.data_types.end());
  }
  if (key == "permissions") {
    return StringSet(expectation.value) ==
           std::set<std::string>(finding.permissions.begin(), finding.permissions.end());
  }
  if (key == "evidence") return IntSet(expectation.value) == EvidenceSeqs(finding);
  if (key == "message") return finding.message.find(expectation.value.text) != std::string::npos;
  return false;
}

bool Describes(const ast::TestDecl::Expect& line, const Finding& finding) {
  for (const Expectation& expectation : line.expectations) {
    if (DescribesFinding(expectation) && !Holds(expectation, finding)) return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return "[" + out + "]";
}

std::string Describe(const Finding& finding, bool with_message) {
  std::string out = SubjectName(finding);
  if (!finding.data_types.empty()) out += ", data_types " + Join(finding.data_types);
  if (!finding.permissions.empty()) out += ", permissions " + Join(finding.permissions);
  std::vector<std::string> seqs;
  for (int64_t seq : EvidenceSeqs(finding)) seqs.push_back(std::to_string(seq));
  out += ", evidence " + Join(seqs);
  if (with_message) out += ", message \"" + finding.message + "\"";
  return out;
}

std::string Found(const RuleResult& result, bool with_messages) {
  std::string out(findings::Name(result.outcome.outcome));
  if (!result.outcome.reason.empty()) out += " (" + result.outcome.reason + ")";
  size_t n = result.findings.size();
  out += ", " + std::to_string(n) + (n == 1 ? " finding" : " findings");
  for (const Finding* finding : result.findings) out += "\n- " + Describe(*finding, with_messages);
  for (const findings::RuleError* error : result.errors) {
    out += "\n- rule error at " + error->file + ":" + std::to_string(error->line) + ": " + error->message;
  }
  return out;
}

// Assigns each describing line a distinct finding it describes (Kuhn's augmenting paths; tests
// have a handful of each). Returns, per line, the finding's index or -1.
std::vector<int> MatchLines(const std::vector<const ast::TestDecl::Expect*>& lines, const RuleResult& result) {
  size_t n = result.findings.size();
  std::vector<int> finding_of_line(lines.size(), -1);
  std::vector<int> line_of_finding(n, -1);
  std::function<bool(size_t, std::vector<bool>&)> augment = [&](size_t line, std::vector<bool>& seen) {
    for (size_t f = 0; f < n; ++f) {
      if (seen[f] || !Describes(*lines[line], *result.findings[f])) continue;
      seen[f] = true;
      if (line_of_finding[f] < 0 || augment(static_cast<size_t>(line_of_finding[f]), seen)) {
        line_of_finding[f] = static_cast<int>(line);
        finding_of_line[line] = static_cast<int>(f);
        return true;
      }
    }
    return false;
  };
  for (size_t line = 0; line < lines.size(); ++line) {
    std::vector<bool> seen(n, false);
    augment(line, seen);
  }
  return finding_of_line;
}

}  // namespace

std::vector<ExpectFailure> CheckExpectations(const std::vector<const ast::TestDecl::Expect*>& lines,
                                             const RuleResult& result, const diag::SourceManager& sources) {
  std::vector<ExpectFailure> failures;
  bool with_messages = false;
  bool has_count = false;
  std::vector<const ast::TestDecl::Expect*> describing;
  for (const ast::TestDecl::Expect* line : lines) {
    bool describes = false;
    for (const Expectation& expectation : line->expectations) {
      describes = describes || DescribesFinding(expectation);
      with_messages = with_messages || (expectation.kind == Expectation::Kind::kField && expectation.word == "message");
      has_count = has_count || expectation.kind == Expectation::Kind::kCount;
    }
    if (describes) describing.push_back(line);
  }

  auto fail = [&](const ast::TestDecl::Expect& line, std::string problem) {
    ExpectFailure failure;
    failure.rule = line.rule;
    failure.file = sources.path(line.range.file);
    failure.line = sources.Locate(line.range.file, line.range.begin).line;
    std::string text(sources.text(line.range));
    std::string collapsed;
    for (char c : text) {
      bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (!space) {
        collapsed += c;
      } else if (!collapsed.empty() && collapsed.back() != ' ') {
        collapsed += ' ';
      }
    }
    failure.expected = collapsed;
    failure.problem = std::move(problem);
    failure.found = Found(result, with_messages);
    failures.push_back(std::move(failure));
  };

  size_t actual = result.findings.size();
  for (const ast::TestDecl::Expect* line : lines) {
    for (const Expectation& expectation : line->expectations) {
      if (expectation.kind == Expectation::Kind::kOutcome) {
        std::string_view found = findings::Name(result.outcome.outcome);
        if (found != expectation.word) fail(*line, "expected " + expectation.word + ", found " + std::string(found));
      } else if (expectation.kind == Expectation::Kind::kCount) {
        if (static_cast<int64_t>(actual) != expectation.count) {
          fail(*line, "expected " + std::to_string(expectation.count) + " " + expectation.word + ", found " +
                          std::to_string(actual));
        }
      } else if (expectation.word == "reason" &&
                 result.outcome.reason.find(expectation.value.text) == std::string::npos) {
        fail(*line, "the reason does not contain \"" + expectation.value.text + "\"");
      }
    }
  }

  std::vector<int> matched = MatchLines(describing, result);
  size_t matched_count = 0;
  for (size_t i = 0; i < describing.size(); ++i) {
    if (matched[i] >= 0) {
      ++matched_count;
      continue;
    }
    bool any = std::any_of(result.findings.begin(), result.findings.end(),
                           [&](const Finding* finding) { return Describes(*describing[i], *finding); });
    fail(*describing[i], any ? "the findings it describes are described by other expect lines too"
                             : "no finding matches this description");
  }
  if (!has_count && !describing.empty() && matched_count == describing.size() && actual > matched_count) {
    fail(*describing[0], std::to_string(actual - matched_count) + " more finding" + (actual - matched_count == 1 ? "" : "s") +
                             " than the expect lines describe (a count line allows more)");
  }
  // In line order, so that each line's problems are reported together.
  std::stable_sort(failures.begin(), failures.end(),
                   [](const ExpectFailure& a, const ExpectFailure& b) { return a.line < b.line; });
  return failures;
}

}  // namespace edict::testrun
