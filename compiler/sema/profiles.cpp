// Profiles: named sets of parameter overrides, optionally based on another profile. The implicit
// profile `baseline` (every parameter at its default) exists unless a pack declares its own.
#include <algorithm>

#include "compiler/sema/checker.h"

namespace edict::sema {

void Checker::CheckProfiles() {
  // Declare first, so a base may be written after the profile that uses it.
  for (const auto& pack : program_.packs) {
    for (const ast::File& file : pack->files) {
      for (const ast::Decl* decl : file.decls) {
        if (decl == nullptr || decl->kind != ast::DeclKind::kProfile) continue;
        auto key = std::make_pair(static_cast<const Pack*>(pack.get()), decl->name);
        if (auto it = profiles_by_name_.find(key); it != profiles_by_name_.end()) {
          Report(diag::DiagId::kRedeclared, decl->name_range, {"profile", decl->name})
              .notes.push_back({it->second->decl->name_range, "the first declaration is here"});
          continue;
        }
        program_.profiles.push_back(ProfileInfo{static_cast<const ast::ProfileDecl*>(decl), pack.get(), nullptr, {}});
        profiles_by_name_[key] = &program_.profiles.back();
      }
    }
  }
  for (ProfileInfo& profile : program_.profiles) {
    const ast::ProfileDecl& decl = *profile.decl;
    ctx_ = Context{};
    ctx_.pack = profile.pack;
    if (!decl.base.empty()) {
      profile.base = FindProfile(*profile.pack, decl.base);
      if (profile.base == nullptr && decl.base != "baseline") {
        auto& d = Report(diag::DiagId::kUnknownProfile, decl.base_range, {decl.base});
        SuggestFrom(d, decl.base, ProfileNames(*profile.pack));
      }
    }
    std::map<std::string, SourceRange> assigned;
    for (const ast::ProfileDecl::Assignment& assignment : decl.assignments) {
      auto [it, inserted] = assigned.try_emplace(assignment.param, assignment.param_range);
      if (!inserted) {
        Report(diag::DiagId::kAssignedTwice, assignment.param_range, {assignment.param})
            .notes.push_back({it->second, "it is first assigned here"});
        continue;
      }
      CheckParamValue(assignment.param, assignment.param_range, assignment.value, "profile '" + decl.name + "'");
      profile.values[assignment.param] = assignment.value;
    }
  }
  // Inheritance, with cycles reported once at the profile declared first.
  std::set<const ProfileInfo*> in_cycle;
  for (ProfileInfo& profile : program_.profiles) {
    std::vector<const ProfileInfo*> chain = {&profile};
    for (const ProfileInfo* at = profile.base; at != nullptr; at = at->base) {
      if (at == &profile) {
        bool reported = in_cycle.count(&profile) > 0;
        for (const ProfileInfo* member : chain) in_cycle.insert(member);
        if (reported) break;
        auto& d = Report(diag::DiagId::kProfileCycle, profile.decl->name_range, {profile.decl->name});
        for (const ProfileInfo* member : chain) {
          d.notes.push_back({member->decl->base_range,
                             "'" + member->decl->name + "' is based on '" + member->decl->base + "' here"});
        }
        break;
      }
      if (std::find(chain.begin(), chain.end(), at) != chain.end()) break;  // a cycle further up
      chain.push_back(at);
    }
  }
  for (ProfileInfo& profile : program_.profiles) {
    if (in_cycle.count(&profile)) continue;
    std::vector<const ProfileInfo*> chain;
    for (const ProfileInfo* at = profile.base; at != nullptr && !in_cycle.count(at); at = at->base) chain.push_back(at);
    for (const ProfileInfo* base : chain) {
      for (const auto& [param, value] : base->values) profile.values.try_emplace(param, value);
    }
  }
  ctx_ = Context{};
}

void Checker::CheckParamValue(const std::string& param, SourceRange param_range, const ast::Expr* value,
                              const std::string& where) {
  const Symbol* symbol = Lookup(param);
  if (symbol == nullptr || symbol->kind != SymbolKind::kParam) {
    auto& d = Report(diag::DiagId::kUnknownParam, param_range, {param});
    SuggestFrom(d, param, VisibleNames([](const Symbol& s) { return s.kind == SymbolKind::kParam; }));
    return;
  }
  const Type* type = ValueType(symbol);
  std::string saved = ctx_.constant;
  ctx_.constant = "the value of '" + param + "' in " + where;
  CheckAs(value, type, "value of '" + param + "' in " + where);
  ctx_.constant = saved;
}

const ProfileInfo* Checker::FindProfile(const Pack& pack, const std::string& name) const {
  auto own = profiles_by_name_.find({&pack, name});
  if (own != profiles_by_name_.end()) return own->second;
  for (const Pack* imported : pack.imports) {
    auto it = profiles_by_name_.find({imported, name});
    if (it != profiles_by_name_.end()) return it->second;
  }
  return nullptr;
}

std::vector<std::string> Checker::ProfileNames(const Pack& pack) const {
  std::vector<std::string> names = {"baseline"};
  for (const auto& [key, profile] : profiles_by_name_) {
    if (key.first == &pack || std::find(pack.imports.begin(), pack.imports.end(), key.first) != pack.imports.end()) {
      names.push_back(key.second);
    }
  }
  return names;
}

}  // namespace edict::sema
