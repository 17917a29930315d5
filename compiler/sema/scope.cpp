// Top-level names: each pack sees its own declarations, those of the packs it imports directly,
// and the fields of the header record. Duplicates and clashes are reported here.
#include <algorithm>

#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

std::optional<SymbolKind> SymbolKindOf(ast::DeclKind kind) {
  switch (kind) {
    case ast::DeclKind::kRecord: return SymbolKind::kRecord;
    case ast::DeclKind::kStruct: return SymbolKind::kStruct;
    case ast::DeclKind::kTypeAlias: return SymbolKind::kTypeAlias;
    case ast::DeclKind::kConst: return SymbolKind::kConst;
    case ast::DeclKind::kSet: return SymbolKind::kSet;
    case ast::DeclKind::kTable: return SymbolKind::kTable;
    case ast::DeclKind::kParam: return SymbolKind::kParam;
    case ast::DeclKind::kLet: return SymbolKind::kLet;
    case ast::DeclKind::kFn: return SymbolKind::kFn;
    default: return std::nullopt;  // profiles, rules and tests have namespaces of their own
  }
}

}  // namespace

bool IsAggregateName(const std::string& name) {
  static const char* const kNames[] = {"count", "exists", "min", "max", "sum", "distinct"};
  return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* n) { return name == n; });
}

void Checker::DeclareSymbols() {
  for (const auto& pack : program_.packs) {
    auto& scope = program_.scopes[pack.get()];
    DeclareOwn(*pack, scope);
  }
  // Imports after every pack's own names exist, so each pack sees exactly its imports' own names.
  std::map<const Pack*, std::map<std::string, const Symbol*>> own = program_.scopes;
  for (const auto& pack : program_.packs) {
    for (const Pack* imported : pack->imports) {
      auto& scope = program_.scopes[pack.get()];
      for (const auto& [name, symbol] : own[imported]) {
        auto [it, inserted] = scope.try_emplace(name, symbol);
        if (inserted || it->second == symbol) continue;
        const Symbol* existing = it->second;
        bool existing_is_own = existing->pack == pack.get();
        SourceRange at = existing_is_own ? existing->range : symbol->range;
        if (!existing_is_own) {
          for (const ast::Import& import : pack->manifest->imports) {
            if (import.pack == imported->name) at = import.range;
          }
        }
        auto& d = Report(diag::DiagId::kNameClash, at, {name, existing->pack->DisplayName(), imported->DisplayName()});
        d.notes.push_back({existing->range, "'" + name + "' is declared here in pack '" + existing->pack->DisplayName() + "'"});
        d.notes.push_back({symbol->range, "and here in pack '" + imported->DisplayName() + "'"});
      }
    }
  }
}

void Checker::DeclareOwn(const Pack& pack, std::map<std::string, const Symbol*>& scope) {
  for (const ast::File& file : pack.files) {
    for (const ast::Decl* decl : file.decls) {
      if (decl == nullptr) continue;
      auto kind = SymbolKindOf(decl->kind);
      if (!kind) continue;
      const char* builtin = nullptr;
      if (types_.Builtin(decl->name) || decl->name == "type" || decl->name == "list" || decl->name == "map") {
        builtin = "type";
      } else if (*kind == SymbolKind::kFn && IsAggregateName(decl->name)) {
        builtin = "aggregate";
      } else if (*kind == SymbolKind::kFn && program_.overloads.HasFunction(decl->name)) {
        builtin = "function";
      }
      if (builtin != nullptr) {
        Report(diag::DiagId::kBuiltinRedeclared, decl->name_range, {decl->name, builtin});
        continue;
      }
      program_.symbols.push_back(Symbol{*kind, decl->name, decl, nullptr, &pack, nullptr, decl->name_range});
      const Symbol* symbol = &program_.symbols.back();
      auto [it, inserted] = scope.try_emplace(decl->name, symbol);
      if (!inserted) {
        Report(diag::DiagId::kRedeclared, decl->name_range, {DeclKindName(decl->kind), decl->name})
            .notes.push_back({it->second->range, "the first declaration is here"});
        continue;
      }
      program_.decl_symbols[decl] = symbol;
    }
  }
}

void Checker::DeclareHeaderFields() {
  for (const auto& pack : program_.packs) {
    auto& scope = program_.scopes[pack.get()];
    auto it = scope.find("header");
    if (it == scope.end() || it->second->kind != SymbolKind::kRecord) continue;
    const Type* header = it->second->type;
    if (header == nullptr || header->kind != TypeKind::kStruct) continue;
    if (program_.header == nullptr) program_.header = header->structure;
    for (const Field& field : header->structure->fields) {
      program_.symbols.push_back(
          Symbol{SymbolKind::kHeaderField, field.name, nullptr, &field, it->second->pack, field.type,
                 field.decl ? field.decl->name_range : SourceRange{}});
      const Symbol* symbol = &program_.symbols.back();
      auto [existing, inserted] = scope.try_emplace(field.name, symbol);
      if (inserted) continue;
      // Only the pack that declares the clashing name hears about it, once.
      if (existing->second->pack != pack.get() || existing->second->decl == nullptr) continue;
      Report(diag::DiagId::kRedeclared, existing->second->range,
             {DeclKindName(existing->second->decl->kind), field.name})
          .notes.push_back({symbol->range, "the header's field '" + field.name + "' is visible as a top-level name"});
    }
  }
}

const Symbol* Checker::Lookup(const std::string& name) const {
  auto scope = program_.scopes.find(ctx_.pack);
  if (scope == program_.scopes.end()) return nullptr;
  auto it = scope->second.find(name);
  return it == scope->second.end() ? nullptr : it->second;
}

std::vector<std::string> Checker::VisibleNames(const std::function<bool(const Symbol&)>& keep) const {
  std::vector<std::string> names;
  auto scope = program_.scopes.find(ctx_.pack);
  if (scope != program_.scopes.end()) {
    for (const auto& [name, symbol] : scope->second) {
      if (keep(*symbol)) names.push_back(name);
    }
  }
  return names;
}

std::vector<std::string> Checker::RecordKindNames() const {
  return VisibleNames([](const Symbol& s) { return s.kind == SymbolKind::kRecord && s.name != "header"; });
}

const Symbol* Checker::RecordKind(const std::string& name) const {
  const Symbol* symbol = Lookup(name);
  return symbol != nullptr && symbol->kind == SymbolKind::kRecord ? symbol : nullptr;
}

}  // namespace edict::sema
