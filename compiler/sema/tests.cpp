// Tests written in the language: the rules they name exist, their expectations are well formed,
// their profile and parameters exist, and their fixture files are there.
#include <algorithm>
#include <filesystem>

#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

const std::vector<std::string> kOutcomes = {"violated", "passed", "not_applicable", "undetermined", "error"};
const std::vector<std::string> kUnits = {"finding", "findings"};

enum class ValueShape { kString, kStrings, kInts };
struct ExpectationKey {
  const char* key;
  ValueShape shape;
  const char* description;
};
const ExpectationKey kKeys[] = {
    {"subject", ValueShape::kString, "a string (the subject's sdk, org, domain or party)"},
    {"data_types", ValueShape::kStrings, "a list of data types"},
    {"permissions", ValueShape::kStrings, "a list of permission groups"},
    {"evidence", ValueShape::kInts, "a list of record seqs, e.g. [4, 6]"},
    {"reason", ValueShape::kString, "a string (part of the undetermined reason)"},
    {"message", ValueShape::kString, "a string (part of the message)"},
};

bool HasShape(const ast::ExpectValue& value, ValueShape shape) {
  using Kind = ast::ExpectValue::Kind;
  switch (shape) {
    case ValueShape::kString: return value.kind == Kind::kString;
    case ValueShape::kStrings:
      return value.kind == Kind::kString ||
             (value.kind == Kind::kList && std::all_of(value.items.begin(), value.items.end(),
                                                       [](const ast::ExpectValue& v) { return v.kind == Kind::kString; }));
    case ValueShape::kInts:
      return value.kind == Kind::kInt ||
             (value.kind == Kind::kList && std::all_of(value.items.begin(), value.items.end(),
                                                       [](const ast::ExpectValue& v) { return v.kind == Kind::kInt; }));
  }
  return false;
}

}  // namespace

void Checker::CheckTests() {
  for (const auto& pack : program_.packs) {
    std::map<std::string, SourceRange> names;
    for (const ast::File& file : pack->files) {
      for (const ast::Decl* decl : file.decls) {
        if (decl == nullptr || decl->kind != ast::DeclKind::kTest) continue;
        auto [it, inserted] = names.try_emplace(decl->name, decl->name_range);
        if (!inserted) {
          Report(diag::DiagId::kRedeclared, decl->name_range, {"test", decl->name})
              .notes.push_back({it->second, "the first declaration is here"});
          continue;
        }
        CheckTest(*pack, static_cast<const ast::TestDecl&>(*decl));
      }
    }
  }
  ctx_ = Context{};
}

void Checker::CheckTest(const Pack& pack, const ast::TestDecl& test) {
  ctx_ = Context{};
  ctx_.pack = &pack;
  TestInfo info;
  info.decl = &test;
  info.pack = &pack;
  if (!test.inline_facts && !test.facts_path.empty() && test.facts_range.valid()) {
    namespace fs = std::filesystem;
    fs::path path = fs::path(sources_.path(test.facts_range.file)).parent_path() / test.facts_path;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      Report(diag::DiagId::kFactsNotFound, test.facts_range, {path.lexically_normal().string()});
    }
    info.facts_file = path.lexically_normal().string();
  }
  for (const ast::Expr* fact : test.facts) CheckInlineFact(fact);
  if (!test.profile.empty() && test.profile != "baseline" && FindProfile(pack, test.profile) == nullptr) {
    auto& d = Report(diag::DiagId::kUnknownProfile, test.profile_range, {test.profile});
    SuggestFrom(d, test.profile, ProfileNames(pack));
  }
  for (const ast::ProfileDecl::Assignment& param : test.params) {
    CheckParamValue(param.param, param.param_range, param.value, "test '" + test.name + "'");
  }
  for (const ast::TestDecl::Expect& expect : test.expects) {
    if (FindRule(pack, expect.rule) == nullptr) {
      auto& d = Report(diag::DiagId::kUnknownRule, expect.rule_range, {expect.rule});
      std::vector<std::string> ids;
      for (const RuleInfo& rule : program_.rules) {
        if (rule.pack == &pack ||
            std::find(pack.imports.begin(), pack.imports.end(), rule.pack) != pack.imports.end()) {
          ids.push_back(rule.decl->name);
        }
      }
      SuggestFrom(d, expect.rule, ids);
    }
    for (const ast::Expectation& expectation : expect.expectations) CheckExpectation(expectation);
  }
  program_.tests.push_back(std::move(info));
}

void Checker::CheckExpectation(const ast::Expectation& expectation) {
  switch (expectation.kind) {
    case ast::Expectation::Kind::kCount: {
      if (std::find(kUnits.begin(), kUnits.end(), expectation.word) == kUnits.end()) {
        auto& d = Report(diag::DiagId::kUnknownExpectation, expectation.range, {expectation.word});
        SuggestFrom(d, expectation.word, kUnits);
        return;
      }
      const char* right = expectation.count == 1 ? "finding" : "findings";
      if (expectation.word != right) {
        Report(diag::DiagId::kFindingUnitMismatch, expectation.range, {std::to_string(expectation.count), right});
      }
      return;
    }
    case ast::Expectation::Kind::kOutcome: {
      if (std::find(kOutcomes.begin(), kOutcomes.end(), expectation.word) != kOutcomes.end()) return;
      auto& d = Report(diag::DiagId::kUnknownOutcome, expectation.range, {expectation.word});
      std::vector<std::string> candidates = kOutcomes;
      for (const ExpectationKey& key : kKeys) candidates.push_back(key.key);
      SuggestFrom(d, expectation.word, candidates);
      return;
    }
    case ast::Expectation::Kind::kField: {
      for (const ExpectationKey& key : kKeys) {
        if (expectation.word != key.key) continue;
        if (!HasShape(expectation.value, key.shape)) {
          Report(diag::DiagId::kBadExpectationValue, expectation.value.range, {key.key, key.description});
        }
        return;
      }
      auto& d = Report(diag::DiagId::kUnknownExpectation, expectation.range, {expectation.word});
      std::vector<std::string> candidates;
      for (const ExpectationKey& key : kKeys) candidates.push_back(key.key);
      SuggestFrom(d, expectation.word, candidates);
      return;
    }
  }
}

void Checker::CheckInlineFact(const ast::Expr* fact) {
  if (fact == nullptr) return;
  const ast::Expr* type = nullptr;
  if (fact->kind == ast::ExprKind::kMap) {
    for (const ast::MapEntry& entry : fact->entries) {
      if (ConstantString(entry.key) == "type") type = entry.value;
    }
  }
  auto kind = ConstantString(type);
  if (!kind) {
    Report(diag::DiagId::kBadInlineFact, fact->range);
    return;
  }
  if (*kind != "header" && RecordKind(*kind) == nullptr) {
    auto& d = Report(diag::DiagId::kUnknownRecordKind, type->range, {*kind});
    SuggestFrom(d, *kind, RecordKindNames());
  }
}

const RuleInfo* Checker::FindRule(const Pack& pack, const std::string& id) const {
  for (const RuleInfo& rule : program_.rules) {
    if (rule.decl->name != id) continue;
    if (rule.pack == &pack || std::find(pack.imports.begin(), pack.imports.end(), rule.pack) != pack.imports.end()) {
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace edict::sema
