// SARIF 2.1.0 rendering of a run. Written piecewise, one JSON value per line, so that a long run
// streams and a diff of two reports shows whole results.
#include "runtime/findings/sarif_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/findings/fingerprint.h"
#include "runtime/findings/json_encode.h"
#include "runtime/findings/order.h"

namespace edict::findings {
namespace {

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kFingerprintKey = "appfindings/v1";

// SARIF rule names are identifiers ("CollectBeforeConsent"); ids are kebab-case.
std::string PascalCase(std::string_view id) {
  std::string name;
  bool start_word = true;
  for (char c : id) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      start_word = true;
      continue;
    }
    name += start_word && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    start_word = false;
  }
  return name;
}

std::string CitationText(const std::vector<std::string>& cites) {
  std::string text;
  for (const std::string& cite : cites) {
    const TaxonomyInfo* info = FindTaxonomy(SplitCite(cite).taxonomy);
    text += "\n- " + cite;
    if (info) text += fmt::format(" ({})", info->full_name);
  }
  return text.empty() ? text : "依据 / Cites:" + text;
}

Json PhysicalLocation(const std::string& file, uint64_t line) {
  Json location = {{"artifactLocation", {{"uri", ArtifactUri(file)}}}};
  // Line 0 means "unknown"; SARIF lines start at 1.
  if (line > 0) location["region"] = {{"startLine", line}};
  return location;
}

Json LogicalLocations(const Finding& finding) {
  const Subject& subject = finding.subject;
  Json locations = Json::array();
  auto add = [&](const std::string& name, const std::string& qualified, const char* kind) {
    if (name.empty()) return;
    locations.push_back({{"name", name}, {"fullyQualifiedName", qualified}, {"kind", kind}});
  };
  add(finding.app.id, finding.app.id, "module");
  add(subject.sdk, subject.sdk, "namespace");
  add(subject.org, subject.org, "namespace");
  add(subject.domain, subject.domain, "resource");
  size_t dot = subject.cls.rfind('.');
  add(dot == std::string::npos ? subject.cls : subject.cls.substr(dot + 1), subject.cls, "type");
  add(subject.mth, subject.cls.empty() ? subject.mth : subject.cls + "." + subject.mth, "function");
  add(subject.component, subject.component, "type");
  return locations;
}

std::string EvidenceText(const Evidence& evidence) {
  std::string text = fmt::format("seq={} {} ({})", evidence.seq, evidence.type, Name(evidence.role));
  if (evidence.t) text += fmt::format(" t={}ms", *evidence.t);
  return text;
}

Json CodeFlows(const Finding& finding) {
  Json steps = Json::array();
  int64_t order = 1;
  for (const Evidence& evidence : finding.evidence) {
    Json properties = {{"seq", evidence.seq}, {"type", evidence.type}, {"role", Name(evidence.role)}};
    if (evidence.t) properties["t"] = *evidence.t;
    steps.push_back({{"location",
                      {{"physicalLocation", PhysicalLocation(evidence.file, evidence.line)},
                       {"message", {{"text", EvidenceText(evidence)}}}}},
                     {"executionOrder", order++},
                     {"importance", evidence.role == EvidenceRole::kTrigger ? "essential" : "important"},
                     {"properties", std::move(properties)}});
  }
  Json thread_flow = {{"locations", std::move(steps)}};
  Json code_flow = {{"threadFlows", Json::array({std::move(thread_flow)})}};
  return Json::array({std::move(code_flow)});
}

Json TaxonReferenceJson(std::string_view id, size_t taxon, const std::string& taxonomy, size_t taxonomy_index) {
  return {{"id", id}, {"index", taxon}, {"toolComponent", {{"name", taxonomy}, {"index", taxonomy_index}}}};
}

Json RuleDescriptor(const RuleInfo& rule, Json relationships) {
  // GitHub applies security-severity only to rules tagged "security".
  std::vector<std::string> tags = rule.tags;
  if (std::find(tags.begin(), tags.end(), "security") == tags.end()) tags.push_back("security");
  Json properties = {{"tags", tags}};
  if (auto score = SecuritySeverity(rule.severity)) properties["security-severity"] = *score;
  properties["kind"] = Name(rule.kind);
  properties["severity"] = Name(rule.severity);
  properties["pack"] = rule.pack;
  properties["version"] = rule.version;
  properties["cite"] = rule.cite;

  std::string description = rule.help.empty() ? rule.title : rule.help;
  std::string citations = CitationText(rule.cite);
  std::string help = citations.empty() ? description : description + "\n\n" + citations;
  return {{"id", rule.id},
          {"name", PascalCase(rule.id)},
          {"shortDescription", {{"text", rule.title}}},
          {"fullDescription", {{"text", description}}},
          {"help", {{"text", help}}},
          {"defaultConfiguration", {{"level", SarifLevel(rule.severity)}}},
          {"relationships", std::move(relationships)},
          {"properties", std::move(properties)}};
}

}  // namespace

std::string_view SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "note";
  }
  return "warning";
}

std::string_view SarifResultLevel(Kind kind, Severity severity) {
  return kind == Kind::kFail ? SarifLevel(severity) : "none";
}

std::optional<std::string_view> SecuritySeverity(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "2.0";
    case Severity::kInfo: return std::nullopt;
  }
  return std::nullopt;
}

std::string ArtifactUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = !path.empty() && path.front() == '/' ? "file://" : "";
  for (unsigned char c : path) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri;
}

SarifWriter::TaxonRef SarifWriter::Register(std::string_view cite) {
  CiteKey key = SplitCite(cite);
  size_t taxonomy = 0;
  while (taxonomy < taxonomies_.size() && taxonomies_[taxonomy].name != key.taxonomy) ++taxonomy;
  if (taxonomy == taxonomies_.size()) taxonomies_.emplace_back().name = key.taxonomy;
  Taxonomy& entry = taxonomies_[taxonomy];
  auto [it, inserted] = entry.taxon_index.try_emplace(std::string(key.id), entry.taxa.size());
  if (inserted) entry.taxa.emplace_back(key.id);
  return {taxonomy, it->second};
}

void SarifWriter::Begin(const RunInfo& run) {
  run_ = run;
  // Every taxonomy of the closed list is declared, in the catalog's order, even when unused.
  for (const TaxonomyInfo& info : KnownTaxonomies()) {
    Taxonomy& taxonomy = taxonomies_.emplace_back();
    taxonomy.name = info.name;
    taxonomy.info = &info;
  }

  out_ << "{\"$schema\":\"" << kSchema << "\",\"version\":\"2.1.0\",\"runs\":[{\n\"tool\":{\"driver\":{"
       << "\"name\":" << Dump(run.engine.name);
  if (!run.engine.version.empty()) {
    out_ << ",\"version\":" << Dump(run.engine.version) << ",\"semanticVersion\":" << Dump(run.engine.version);
  }
  out_ << ",\"rules\":[";
  for (size_t i = 0; i < run.rules.size(); ++i) {
    const RuleInfo& rule = run.rules[i];
    Json relationships = Json::array();
    for (const std::string& cite : rule.cite) {
      TaxonRef ref = Register(cite);
      relationships.push_back(
          {{"target", TaxonReferenceJson(SplitCite(cite).id, ref.taxon, taxonomies_[ref.taxonomy].name,
                                         ref.taxonomy)},
           {"kinds", Json::array({"relevant"})}});
    }
    out_ << (i > 0 ? ",\n" : "\n") << Dump(RuleDescriptor(rule, std::move(relationships)));
  }
  out_ << "\n]}},\n\"results\":[";
}

void SarifWriter::AddSession(const SessionResult& session) {
  tally_.Add(session);
  std::deque<Finding> normalized;
  for (const Finding* item : ReportOrder(session.findings, normalized)) {
    const Finding& finding = *item;
    const RuleInfo& rule = RuleOf(run_, finding);
    Json taxa = Json::array();
    for (const std::string& cite : finding.cite) {
      TaxonRef ref = Register(cite);
      taxa.push_back(TaxonReferenceJson(SplitCite(cite).id, ref.taxon, taxonomies_[ref.taxonomy].name,
                                        ref.taxonomy));
    }
    // GitHub code scanning needs a physical location: the facts file line of the trigger record,
    // else the session's header line.
    const Evidence* primary = PrimaryEvidence(finding);
    Json location = {{"physicalLocation", primary ? PhysicalLocation(primary->file, primary->line)
                                                  : PhysicalLocation(session.summary.file, 1)},
                     {"logicalLocations", LogicalLocations(finding)}};

    Json properties = {{"session", finding.app.session},
                       {"severity", Name(finding.severity)},
                       {"subject", SubjectJson(finding.subject)},
                       {"dataTypes", finding.data_types},
                       {"permissions", finding.permissions},
                       {"window", WindowJson(finding.window)},
                       {"params", ParamsJson(finding.params)},
                       {"notes", finding.notes}};
    if (finding.app.version_code) properties["appVersionCode"] = *finding.app.version_code;

    Json result = {{"ruleId", rule.id},
                   {"ruleIndex", finding.rule < run_.rules.size() ? static_cast<int64_t>(finding.rule) : -1},
                   {"kind", Name(finding.kind)},
                   {"level", SarifResultLevel(finding.kind, finding.severity)},
                   {"message", {{"text", finding.message.empty() ? rule.title : finding.message}}},
                   {"locations", Json::array({std::move(location)})}};
    if (!finding.evidence.empty()) result["codeFlows"] = CodeFlows(finding);
    result["taxa"] = std::move(taxa);
    result["fingerprints"] = {{kFingerprintKey, Fingerprint(rule.id, finding)}};
    result["properties"] = std::move(properties);
    out_ << (wrote_result_ ? ",\n" : "\n") << Dump(result);
    wrote_result_ = true;
  }
}

void SarifWriter::End(const RunEnd& end) {
  out_ << "\n],\n\"taxonomies\":[";
  for (size_t i = 0; i < taxonomies_.size(); ++i) {
    const Taxonomy& taxonomy = taxonomies_[i];
    Json component = {{"name", taxonomy.name}};
    if (taxonomy.info) {
      component["fullName"] = taxonomy.info->full_name;
      component["organization"] = taxonomy.info->organization;
      component["shortDescription"] = {{"text", taxonomy.info->full_name}};
    }
    component["isComprehensive"] = false;
    Json taxa = Json::array();
    for (const std::string& id : taxonomy.taxa) taxa.push_back({{"id", id}});
    component["taxa"] = std::move(taxa);
    out_ << (i > 0 ? ",\n" : "\n") << Dump(component);
  }
  // The run summary, sessions and their outcomes included, travels with the results.
  Json summary = SummaryJson(run_, tally_, end);
  summary.erase("type");
  out_ << "\n],\n\"properties\":" << Dump(summary) << "\n}]}\n";
  out_.flush();
}

}  // namespace edict::findings
