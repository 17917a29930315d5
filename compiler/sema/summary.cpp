// Building and printing the front end's summary of a checked program.
#include "compiler/sema/summary.h"

namespace edict::sema {
namespace {

const char* RoleName(BindingRole role) {
  switch (role) {
    case BindingRole::kMatch: return "match";
    case BindingRole::kSequenceStep: return "sequence";
    case BindingRole::kWithout: return "without";
    case BindingRole::kAggregate: return "aggregate";
  }
  return "match";
}

std::string TypeName(const Program& program, const ast::Expr* expr) {
  const Type* type = program.TypeOf(expr);
  return type ? ToString(type) : "?";
}

std::string ManifestTitle(const ast::Manifest& manifest) {
  for (const ast::Entry& entry : manifest.entries) {
    if (entry.key == "title" && entry.value != nullptr && entry.value->kind == ast::ExprKind::kLiteral) {
      return entry.value->literal.text;
    }
  }
  return "";
}

std::string JoinStrings(const nlohmann::json& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + item.get<std::string>();
  return out.empty() ? "-" : out;
}

}  // namespace

nlohmann::json SummarizeProgram(const Program& program) {
  nlohmann::json packs = nlohmann::json::array();
  for (const auto& pack : program.packs) {
    nlohmann::json p;
    p["name"] = pack->DisplayName();
    p["version"] = pack->version;
    p["directory"] = pack->directory;
    p["root"] = pack->root;
    p["title"] = pack->manifest ? ManifestTitle(*pack->manifest) : "";
    p["imports"] = nlohmann::json::array();
    if (pack->manifest != nullptr) {
      for (const ast::Import& import : pack->manifest->imports) {
        nlohmann::json i;
        i["name"] = import.pack;
        i["constraint"] = import.op.empty() ? "" : import.op + " " + import.version;
        for (const Pack* imported : pack->imports) {
          if (imported->name == import.pack) i["version"] = imported->version;
        }
        p["imports"].push_back(i);
      }
    }
    packs.push_back(p);
  }
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleInfo& rule : program.rules) {
    if (!rule.pack->root) continue;
    nlohmann::json r;
    r["id"] = rule.decl->name;
    r["pack"] = rule.pack->DisplayName();
    r["title"] = rule.title;
    r["severity"] = SeverityName(rule.severity);
    r["kind"] = RuleKindName(rule.kind);
    r["cite"] = rule.cite;
    nlohmann::json needs = nlohmann::json::array();
    for (const ast::Need& need : rule.decl->needs) {
      std::string text;
      for (const std::string& path : need.alternatives) text += (text.empty() ? "" : " | ") + path;
      needs.push_back(need.exemption_only ? "(" + text + ")" : text);
    }
    r["needs"] = needs;
    r["uses"] = rule.uses;
    r["reads"] = rule.reads;
    r["header_reads"] = rule.header_reads;
    r["bindings"] = nlohmann::json::array();
    for (const BindingInfo& binding : rule.bindings) {
      nlohmann::json b;
      b["name"] = binding.binding->name;
      b["role"] = RoleName(binding.role);
      b["kind"] = binding.kind ? binding.kind->name : "";
      b["type"] = ToString(binding.type);
      r["bindings"].push_back(b);
    }
    if (rule.decl->where) r["where"] = TypeName(program, rule.decl->where);
    if (!rule.decl->group_by.empty()) {
      r["group_by"] = nlohmann::json::array();
      for (const ast::GroupKey& key : rule.decl->group_by) r["group_by"].push_back(TypeName(program, key.value));
    }
    if (rule.decl->window) r["window"] = TypeName(program, rule.decl->window);
    if (rule.decl->having) r["having"] = TypeName(program, rule.decl->having);
    r["entries"] = nlohmann::json::object();
    for (const auto& [key, entry] : rule.entries) {
      r["entries"][key] = key == "severity" || key == "kind" || key == "uses" ? "word" : TypeName(program, entry->value);
    }
    r["join_width"] = rule.join_width;
    rules.push_back(r);
  }
  return {{"packs", packs}, {"rules", rules}};
}

std::string RenderSummaryText(const nlohmann::json& summary) {
  std::string out;
  for (const auto& pack : summary["packs"]) {
    out += "pack " + pack["name"].get<std::string>();
    if (!pack["version"].get<std::string>().empty()) out += " " + pack["version"].get<std::string>();
    if (!pack["root"].get<bool>()) out += " (imported)";
    out += "\n";
    if (!pack["directory"].get<std::string>().empty()) out += "  directory: " + pack["directory"].get<std::string>() + "\n";
    if (!pack["title"].get<std::string>().empty()) out += "  title: " + pack["title"].get<std::string>() + "\n";
    for (const auto& import : pack["imports"]) {
      out += "  import: " + import["name"].get<std::string>();
      if (!import["constraint"].get<std::string>().empty()) out += " " + import["constraint"].get<std::string>();
      if (import.contains("version")) out += " (found " + import["version"].get<std::string>() + ")";
      out += "\n";
    }
  }
  for (const auto& rule : summary["rules"]) {
    out += "rule " + rule["id"].get<std::string>() + "\n";
    out += "  title: " + rule["title"].get<std::string>() + "\n";
    out += "  severity: " + rule["severity"].get<std::string>() + ", kind: " + rule["kind"].get<std::string>() + "\n";
    out += "  cite: " + JoinStrings(rule["cite"]) + "\n";
    out += "  needs: " + JoinStrings(rule["needs"]) + "\n";
    if (!rule["uses"].empty()) out += "  uses: " + JoinStrings(rule["uses"]) + "\n";
    out += "  reads: " + JoinStrings(rule["reads"]);
    if (!rule["header_reads"].empty()) out += "; header: " + JoinStrings(rule["header_reads"]);
    out += "\n";
    for (const auto& binding : rule["bindings"]) {
      out += "  " + binding["role"].get<std::string>() + " " + binding["name"].get<std::string>() + ": " +
             binding["type"].get<std::string>() + "\n";
    }
    for (const char* clause : {"where", "window", "having"}) {
      if (rule.contains(clause)) out += std::string("  ") + clause + ": " + rule[clause].get<std::string>() + "\n";
    }
    if (rule.contains("group_by")) out += "  group by: " + JoinStrings(rule["group_by"]) + "\n";
    for (const auto& [key, type] : rule["entries"].items()) {
      if (type != "word" && key != "title" && key != "cite") out += "  " + key + ": " + type.get<std::string>() + "\n";
    }
    out += "  join width: " + std::to_string(rule["join_width"].get<int>()) + "\n";
  }
  return out;
}

}  // namespace edict::sema
