// `needs`: what a rule cannot be decided without. The checker computes what the rule reads —
// directly, and through the lets and functions it uses — and holds `needs` to it: a record
// kind read but neither needed nor listed in `uses` is an error (the rule would silently pass
// on sessions that did not capture it), a need never read is a warning.
#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

bool Overlaps(const std::string& need, const std::string& read) {
  auto within = [](const std::string& inner, const std::string& outer) {
    return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '.';
  };
  return need == read || within(read, need) || within(need, read);
}

}  // namespace

void Checker::CollectReads(const ast::Decl* decl, SourceRange via, std::map<std::string, SourceRange>& kinds,
                           std::set<std::string>& header_paths, std::set<const ast::Decl*>& seen) {
  if (decl == nullptr || !seen.insert(decl).second) return;
  auto it = uses_.find(decl);
  if (it == uses_.end()) return;
  for (const auto& [kind, range] : it->second.kinds) kinds.try_emplace(kind, via.valid() ? via : range);
  for (const auto& [path, count] : it->second.header_paths) {
    if (count > 0) header_paths.insert(path);
  }
  for (const auto& [symbol, range] : it->second.symbols) {
    if (symbol->kind == SymbolKind::kLet || symbol->kind == SymbolKind::kFn) {
      CollectReads(symbol->decl, via.valid() ? via : range, kinds, header_paths, seen);
    }
  }
}

void Checker::CheckNeeds(const ast::RuleDecl& rule, RuleInfo& info, bool reads_complete) {
  std::set<std::string> needed_kinds;
  std::vector<bool> valid(rule.needs.size(), true);
  for (size_t n = 0; n < rule.needs.size(); ++n) {
    const ast::Need& need = rule.needs[n];
    for (size_t i = 0; i < need.alternatives.size(); ++i) {
      const std::string& path = need.alternatives[i];
      SourceRange range = i < need.alternative_ranges.size() ? need.alternative_ranges[i] : need.range;
      std::vector<std::string> parts = Split(path);
      if (parts.size() == 1 && RecordKind(parts[0]) != nullptr && parts[0] != "header") {
        needed_kinds.insert(parts[0]);
        continue;
      }
      const Symbol* root = Lookup(parts[0]);
      if (root == nullptr || root->kind != SymbolKind::kHeaderField) {
        auto& d = Report(diag::DiagId::kUnknownNeed, range, {path});
        std::vector<std::string> candidates = RecordKindNames();
        for (const std::string& field :
             VisibleNames([](const Symbol& s) { return s.kind == SymbolKind::kHeaderField; })) {
          candidates.push_back(field);
        }
        SuggestFrom(d, path, candidates);
        valid[n] = false;
        continue;
      }
      const Type* type = root->type;
      for (size_t p = 1; p < parts.size() && valid[n]; ++p) {
        if (type->kind != TypeKind::kStruct) {
          Report(diag::DiagId::kNoFields, range, {ToString(type), parts[p]});
          valid[n] = false;
        } else if (const Field* field = type->structure->Find(parts[p])) {
          type = field->type;
        } else {
          auto& d = Report(diag::DiagId::kUnknownField, range, {ToString(type), parts[p]});
          SuggestFrom(d, parts[p], type->structure->FieldNames());
          valid[n] = false;
        }
      }
    }
  }

  std::map<std::string, SourceRange> kinds;
  std::set<const ast::Decl*> seen;
  CollectReads(&rule, {}, kinds, info.header_reads, seen);
  for (const auto& [kind, range] : kinds) {
    info.reads.insert(kind);
    if (needed_kinds.count(kind) || info.uses.count(kind)) continue;
    auto& d = Report(diag::DiagId::kReadNotNeeded, range, {rule.name, kind});
    d.help = "add '" + kind + "' to 'needs', or to 'uses: [...]' if the rule reads it only when present";
  }

  for (size_t n = 0; n < rule.needs.size() && reads_complete; ++n) {
    const ast::Need& need = rule.needs[n];
    if (!valid[n]) continue;
    bool read = false;
    std::string text;
    for (const std::string& path : need.alternatives) {
      text += (text.empty() ? "" : " | ") + path;
      if (kinds.count(path)) read = true;
      for (const std::string& header_read : info.header_reads) read = read || Overlaps(path, header_read);
    }
    if (!read) Report(diag::DiagId::kNeedNeverRead, need.range, {rule.name, text});
  }
}

}  // namespace edict::sema
