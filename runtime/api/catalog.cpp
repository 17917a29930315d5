// DescribePacks: what the packs declare (manifests, parameters and their provenance, profiles,
// rules), with each rule's first positive test run as its example.
#include <exception>
#include <map>

#include "runtime/api/test_bench.h"

namespace edict {
namespace {

std::vector<std::string> Strings(const ast::Expr* expr) {
  std::vector<std::string> out;
  if (expr == nullptr) return out;
  if (expr->kind == ast::ExprKind::kLiteral && expr->literal.kind == ast::LiteralKind::kString) {
    out.push_back(expr->literal.text);
  } else if (expr->kind == ast::ExprKind::kList) {
    for (const ast::Expr* item : expr->args) {
      for (std::string& text : Strings(item)) out.push_back(std::move(text));
    }
  }
  return out;
}

std::string ManifestString(const ast::Manifest* manifest, const std::string& key) {
  if (manifest == nullptr) return "";
  for (const ast::Entry& entry : manifest->entries) {
    if (entry.key != key) continue;
    std::vector<std::string> strings = Strings(entry.value);
    return strings.empty() ? "" : strings[0];
  }
  return "";
}

// A test expects the rule to fire: a count of at least one, `violated`, or a finding described.
bool ExpectsFinding(const ast::TestDecl& test, const std::string& rule) {
  for (const auto& expect : test.expects) {
    if (expect.rule != rule) continue;
    for (const ast::Expectation& expectation : expect.expectations) {
      switch (expectation.kind) {
        case ast::Expectation::Kind::kCount:
          if (expectation.count > 0) return true;
          break;
        case ast::Expectation::Kind::kOutcome:
          if (expectation.word == "violated") return true;
          break;
        case ast::Expectation::Kind::kField:
          if (expectation.word != "reason") return true;
          break;
      }
    }
  }
  return false;
}

class Describer {
 public:
  Describer(testrun::TestBench& bench, Catalog& catalog) : bench_(bench), catalog_(catalog) {}

  void Describe(const plan::Plan& plan) {
    const sema::Program& program = bench_.program();
    const diag::SourceManager& sources = bench_.sources();
    for (const auto& pack : program.packs) {
      if (!pack->root) continue;
      catalog_.packs.push_back({pack->DisplayName(), pack->version, ManifestString(pack->manifest, "title"),
                                ManifestString(pack->manifest, "description")});
    }
    for (const sema::Symbol& symbol : program.symbols) {
      if (symbol.kind != sema::SymbolKind::kParam || symbol.decl == nullptr) continue;
      const auto& decl = static_cast<const ast::ParamDecl&>(*symbol.decl);
      ParamDoc param;
      param.name = symbol.name;
      param.pack = symbol.pack->DisplayName();
      if (decl.type != nullptr) param.type = sources.text(decl.type->range);
      if (decl.default_value != nullptr) param.default_value = sources.text(decl.default_value->range);
      param.note = decl.note;
      for (const sema::ProfileInfo& profile : program.profiles) {
        auto it = profile.values.find(symbol.name);
        if (it != profile.values.end() && it->second != nullptr) {
          param.profiles.emplace_back(profile.decl->name, std::string(sources.text(it->second->range)));
        }
      }
      catalog_.params.push_back(std::move(param));
    }
    for (const sema::ProfileInfo& profile : program.profiles) {
      catalog_.profiles.push_back({profile.decl->name, profile.decl->base, profile.decl->note});
    }
    std::vector<findings::RuleInfo> infos = interp::RuleInfos(plan);
    for (const sema::RuleInfo& rule : program.rules) {
      if (!rule.pack->root) continue;
      uint32_t index = testrun::TestBench::RuleIndex(plan, *rule.pack, rule.decl->name);
      if (index >= plan.rules.size()) continue;
      RuleDoc doc;
      doc.info = infos[index];
      doc.file = sources.path(rule.decl->range.file);
      doc.line = sources.Locate(rule.decl->range.file, rule.decl->range.begin).line;
      for (const ast::Need& need : rule.decl->needs) {
        std::string text;
        for (const std::string& path : need.alternatives) text += (text.empty() ? "" : " | ") + path;
        doc.needs.push_back(need.exemption_only ? "(" + text + ")" : text);
      }
      for (uint32_t param : plan.rules[index].params) doc.params.push_back(plan.params[param].name);
      if (auto notes = rule.entries.find("notes"); notes != rule.entries.end()) doc.notes = Strings(notes->second->value);
      doc.example = Example(*rule.pack, rule.decl->name);
      catalog_.rules.push_back(std::move(doc));
    }
  }

 private:
  std::optional<RuleExample> Example(const sema::Pack& pack, const std::string& rule) {
    for (const sema::TestInfo* test : bench_.RootTests()) {
      if (!ExpectsFinding(*test->decl, rule)) continue;
      const diag::SourceManager& sources = bench_.sources();
      const ast::TestDecl& decl = *test->decl;
      RuleExample example;
      example.test = decl.name;
      example.file = sources.path(decl.range.file);
      example.line = sources.Locate(decl.range.file, decl.range.begin).line;
      example.facts_file = test->facts_file;
      example.profile = decl.profile;
      for (const auto& param : decl.params) {
        example.params.push_back({param.param, std::string(sources.text(param.value->range))});
      }
      testrun::TestRun& run = Run(*test);
      example.facts = run.facts;
      example.error = run.error;
      if (run.error.empty()) {
        uint32_t index = testrun::TestBench::RuleIndex(*run.plan, pack, rule);
        for (const Finding& finding : run.findings) {
          if (finding.rule == index) example.findings.push_back(finding);
        }
      }
      return example;
    }
    return std::nullopt;
  }

  // A test names several rules; it runs once.
  testrun::TestRun& Run(const sema::TestInfo& test) {
    auto it = runs_.find(&test);
    if (it == runs_.end()) it = runs_.emplace(&test, bench_.Run(test)).first;
    return it->second;
  }

  testrun::TestBench& bench_;
  Catalog& catalog_;
  std::map<const sema::TestInfo*, testrun::TestRun> runs_;
};

}  // namespace

Catalog DescribePacks(const TestOptions& options) {
  Catalog catalog;
  try {
    testrun::TestBench bench;
    if (bench.Check(options)) {
      if (const plan::Plan* plan = bench.DefaultPlan()) Describer(bench, catalog).Describe(*plan);
    }
    catalog.diagnostics = bench.TakeDiagnostics();
    if (catalog.diagnostics.has_errors()) catalog = Catalog{catalog.diagnostics, {}, {}, {}, {}};
  } catch (const std::exception& e) {
    catalog = Catalog();
    catalog.diagnostics = EngineFailure(e.what());
  }
  return catalog;
}

}  // namespace edict
