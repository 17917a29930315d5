// Canonical text of evaluations and expression results, and a line diff of two such texts.
#include "tests/differential/compare.h"

#include <algorithm>
#include <sstream>
#include <variant>

namespace edict::differential {
namespace {

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string List(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + Quoted(items[i]);
  return out + "]";
}

std::string Optional(const std::optional<int64_t>& value) { return value ? std::to_string(*value) : "-"; }

std::string ParamText(const findings::ParamValue& value) {
  struct Printer {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::ostringstream out;
      out.precision(17);
      out << v;
      return out.str();
    }
    std::string operator()(const std::string& v) const { return Quoted(v); }
    std::string operator()(const std::vector<std::string>& v) const { return List(v); }
  };
  return std::visit(Printer{}, value);
}

std::string FindingText(const Finding& f, const RunInfo& info) {
  std::ostringstream out;
  out << "finding rule=" << (f.rule < info.rules.size() ? info.rules[f.rule].id : "#" + std::to_string(f.rule))
      << " kind=" << findings::Name(f.kind) << " severity=" << findings::Name(f.severity)
      << " message=" << Quoted(f.message) << "\n";
  out << "  app id=" << Quoted(f.app.id) << " version_code=" << Optional(f.app.version_code)
      << " session=" << Quoted(f.app.session) << "\n";
  const findings::Subject& s = f.subject;
  out << "  subject party=" << findings::Name(s.party) << " sdk=" << Quoted(s.sdk) << " org=" << Quoted(s.org)
      << " domain=" << Quoted(s.domain) << " cls=" << Quoted(s.cls) << " mth=" << Quoted(s.mth)
      << " component=" << Quoted(s.component) << "\n";
  out << "  data_types=" << List(f.data_types) << " permissions=" << List(f.permissions) << "\n";
  out << "  window first_t=" << Optional(f.window.first_t) << " last_t=" << Optional(f.window.last_t)
      << " count=" << f.window.count << "\n";
  for (const findings::Evidence& e : f.evidence) {
    out << "  evidence " << Quoted(e.file) << ":" << e.line << " seq=" << e.seq << " type=" << e.type
        << " role=" << findings::Name(e.role) << " t=" << Optional(e.t) << "\n";
  }
  out << "  cite=" << List(f.cite) << " notes=" << List(f.notes) << "\n";
  for (const auto& [name, value] : f.params) out << "  param " << name << "=" << ParamText(value) << "\n";
  return out.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

std::string Describe(const Evaluation& evaluation, const RunInfo& info) {
  const findings::SessionSummary& summary = evaluation.result.summary;
  std::ostringstream out;
  out << "session id=" << Quoted(summary.id) << " app=" << Quoted(summary.app) << " file=" << Quoted(summary.file)
      << " records=" << summary.records << " error=" << (summary.error ? Quoted(*summary.error) : "-") << "\n";
  for (size_t i = 0; i < summary.outcomes.size(); ++i) {
    const std::string rule = i < info.rules.size() ? info.rules[i].id : "#" + std::to_string(i);
    out << "outcome " << rule << " " << findings::Name(summary.outcomes[i].outcome);
    if (!summary.outcomes[i].reason.empty()) out << " reason=" << Quoted(summary.outcomes[i].reason);
    out << "\n";
  }
  for (const findings::RuleError& error : summary.rule_errors) {
    out << "rule_error " << error.rule << " at " << Quoted(error.file) << ":" << error.line << " "
        << Quoted(error.message) << "\n";
  }
  for (const LimitHit& limit : evaluation.limits) {
    out << "limit " << limit.limit << " session=" << Quoted(limit.session) << " value=" << limit.value << "\n";
  }
  std::vector<std::string> found;
  for (const Finding& finding : evaluation.result.findings) found.push_back(FindingText(finding, info));
  std::sort(found.begin(), found.end());
  for (const std::string& text : found) out << text;
  return out.str();
}

std::string Describe(const ExpressionResult& result) {
  std::ostringstream out;
  out << "ok=" << result.ok << " cel_error=" << result.cel_error << " type=" << result.type << "\n";
  out << "text=" << Quoted(result.text) << "\n";
  for (const Diagnostic& d : result.diagnostics.items) out << "diagnostic " << d.code << " " << Quoted(d.message) << "\n";
  return out.str();
}

std::string Diff(const std::string& context, const std::string& interp, const std::string& jit) {
  if (interp == jit) return "";
  std::vector<std::string> a = Lines(interp), b = Lines(jit);
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<std::string> x(a.begin() + prefix, a.end() - suffix), y(b.begin() + prefix, b.end() - suffix);
  std::ostringstream out;
  out << context << "\n";
  constexpr size_t kMaxLcs = 3000;  // beyond this the middles are shown whole
  if (x.size() > kMaxLcs || y.size() > kMaxLcs) {
    for (const std::string& line : x) out << "- interp " << line << "\n";
    for (const std::string& line : y) out << "+ jit    " << line << "\n";
    return out.str();
  }
  // Longest common subsequence of the differing middles, so a single changed line shows alone.
  std::vector<std::vector<uint32_t>> lcs(x.size() + 1, std::vector<uint32_t>(y.size() + 1, 0));
  for (size_t i = x.size(); i-- > 0;) {
    for (size_t j = y.size(); j-- > 0;) {
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    if (i < x.size() && j < y.size() && x[i] == y[j]) {
      ++i, ++j;
    } else if (j == y.size() || (i < x.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
      out << "- interp " << x[i++] << "\n";
    } else {
      out << "+ jit    " << y[j++] << "\n";
    }
  }
  return out.str();
}

}  // namespace edict::differential
