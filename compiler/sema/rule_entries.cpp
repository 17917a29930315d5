// The `key: value` entries of a rule: which keys exist, what each must hold, and what each may
// see. Metadata is constant; `applies`/`undetermined`/`reason` are decided once per session;
// the finding entries (subject, data_types, permissions, evidence, report) are evaluated per match,
// or per group after `group by`.
#include <algorithm>

#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

enum class Level : uint8_t { kWord, kConstant, kSession, kFinding };

struct EntrySpec {
  const char* key;
  Level level;
  bool required;
};

const EntrySpec kEntries[] = {
    {"title", Level::kConstant, true},     {"severity", Level::kWord, true},    {"kind", Level::kWord, true},
    {"cite", Level::kConstant, false},     {"tags", Level::kConstant, false},   {"since", Level::kConstant, false},
    {"deprecated", Level::kConstant, false}, {"related", Level::kConstant, false}, {"notes", Level::kConstant, false},
    {"uses", Level::kWord, false},         {"applies", Level::kSession, false}, {"undetermined", Level::kSession, false},
    {"reason", Level::kSession, false},    {"subject", Level::kFinding, false}, {"data_types", Level::kFinding, false},
    {"permissions", Level::kFinding, false}, {"report", Level::kFinding, false},
    {"evidence", Level::kFinding, false},
};

const std::vector<std::string> kSeverities = {"critical", "high", "medium", "low", "info"};
const std::vector<std::string> kKinds = {"fail", "review"};
const std::vector<std::string> kRelations = {"derived", "obsolete", "merged", "renamed", "similar"};

const EntrySpec* FindSpec(const std::string& key) {
  for (const EntrySpec& spec : kEntries) {
    if (key == spec.key) return &spec;
  }
  return nullptr;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

bool IsTaxonomyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/' ||
         c == '.' || c == '_';
}

}  // namespace

std::optional<std::string> Checker::ConstantString(const ast::Expr* expr) const {
  if (expr != nullptr && expr->kind == ast::ExprKind::kLiteral && expr->literal.kind == ast::LiteralKind::kString) {
    return expr->literal.text;
  }
  return std::nullopt;
}

void Checker::CheckRuleEntries(const ast::RuleDecl& rule, RuleInfo& info, bool aggregated) {
  std::vector<std::string> keys;
  for (const EntrySpec& spec : kEntries) keys.push_back(spec.key);
  std::set<std::string> suggested;  // a misspelt `titel:` is one mistake, not also a missing title
  for (const ast::Entry& entry : rule.entries) {
    if (FindSpec(entry.key) == nullptr) {
      auto& d = Report(diag::DiagId::kUnknownEntry, entry.key_range, {entry.key});
      SuggestFrom(d, entry.key, keys);
      if (auto match = diag::ClosestMatch(entry.key, keys)) suggested.insert(*match);
      continue;
    }
    auto [it, inserted] = info.entries.try_emplace(entry.key, &entry);
    if (!inserted) {
      Report(diag::DiagId::kDuplicateEntry, entry.key_range, {entry.key})
          .notes.push_back({it->second->key_range, "it is first given here"});
      continue;
    }
    CheckEntry(entry, info, aggregated);
  }
  std::string rule_name = "rule '" + rule.name + "'";
  for (const EntrySpec& spec : kEntries) {
    if (spec.required && info.entries.count(spec.key) == 0 && suggested.count(spec.key) == 0) {
      Report(diag::DiagId::kMissingEntry, rule.name_range, {rule_name, spec.key});
    }
  }
  bool undetermined = info.entries.count("undetermined") > 0;
  bool reason = info.entries.count("reason") > 0;
  if (undetermined && !reason) {
    Report(diag::DiagId::kEntryNeedsEntry, info.entries["undetermined"]->key_range, {"undetermined", "reason"});
  } else if (reason && !undetermined) {
    Report(diag::DiagId::kEntryNeedsEntry, info.entries["reason"]->key_range, {"reason", "undetermined"});
  }
}

void Checker::CheckEntry(const ast::Entry& entry, RuleInfo& info, bool aggregated) {
  const EntrySpec& spec = *FindSpec(entry.key);
  const std::string& key = entry.key;
  std::string what = "entry '" + key + "'";
  if (key == "severity") {
    int index = CheckWordEntry(entry, kSeverities, "severity");
    if (index >= 0) info.severity = static_cast<Severity>(index);
    return;
  }
  if (key == "kind") {
    int index = CheckWordEntry(entry, kKinds, "rule kind");
    if (index >= 0) info.kind = static_cast<RuleKind>(index);
    return;
  }
  if (key == "uses") {
    CheckUses(entry, info);
    return;
  }
  if (key == "cite") {
    CheckCitations(entry, info);
    return;
  }
  // Metadata and session-level entries see no bindings.
  if (spec.level != Level::kFinding) {
    ctx_.hidden_bindings.swap(ctx_.locals);
    ctx_.hidden_from = spec.level == Level::kConstant ? "the constant " + what : what;
  }
  if (spec.level == Level::kConstant) ctx_.constant = what;
  if (spec.level == Level::kFinding && aggregated) ctx_.after_group = true;

  const Type* strings = types_.List(types_.String());
  if (key == "title" || key == "since" || key == "reason" || key == "report") {
    CheckAs(entry.value, types_.String(), what);
    if (key == "title") info.title = ConstantString(entry.value).value_or("");
  } else if (key == "tags" || key == "data_types" || key == "permissions") {
    CheckAs(entry.value, strings, what);
  } else if (key == "applies" || key == "undetermined") {
    CheckAs(entry.value, types_.Bool(), what);
  } else if (key == "subject") {
    CheckSubject(entry);
  } else if (key == "evidence") {
    CheckEvidence(entry);
  } else if (key == "related") {
    CheckAs(entry.value, types_.Map(types_.String(), types_.String()), what);
    if (entry.value != nullptr && entry.value->kind == ast::ExprKind::kMap) {
      for (const ast::MapEntry& related : entry.value->entries) {
        auto relation = ConstantString(related.value);
        if (relation && std::find(kRelations.begin(), kRelations.end(), *relation) == kRelations.end()) {
          auto& d = Report(diag::DiagId::kBadWord, related.value->range, {*relation, "relation", Join(kRelations)});
          SuggestFrom(d, *relation, kRelations);
        }
      }
    }
  } else {  // deprecated: a flag or the reason; notes: one note or several
    const Type* type = Check(entry.value);
    const Type* other = key == "deprecated" ? types_.Bool() : strings;
    if (!IsAssignable(types_.String(), type) && !IsAssignable(other, type)) {
      Report(diag::DiagId::kTypeMismatch, entry.value->range, {what, ToString(other) + " or string", ToString(type)});
    }
  }

  ctx_.after_group = false;
  ctx_.constant.clear();
  if (spec.level != Level::kFinding) ctx_.hidden_bindings.swap(ctx_.locals);
}

int Checker::CheckWordEntry(const ast::Entry& entry, const std::vector<std::string>& words, const std::string& what) {
  const ast::Expr* value = entry.value;
  if (value == nullptr) return -1;
  std::string word;
  if (value->kind == ast::ExprKind::kIdent) {
    word = value->name;
  } else if (auto text = ConstantString(value)) {
    word = *text;
  } else {
    word = std::string(sources_.text(value->range));
  }
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == word) return static_cast<int>(i);
  }
  auto& d = Report(diag::DiagId::kBadWord, value->range, {word, what, Join(words)});
  SuggestFrom(d, word, words);
  return -1;
}

void Checker::CheckCitations(const ast::Entry& entry, RuleInfo& info) {
  const ast::Expr* value = entry.value;
  if (value == nullptr) return;
  if (value->kind != ast::ExprKind::kList) {
    Report(diag::DiagId::kTypeMismatch, value->range, {"entry 'cite'", "a list of citations", std::string(sources_.text(value->range))});
    return;
  }
  program_.exprs[value].type = types_.List(types_.String());
  std::vector<std::string> taxonomies;
  bool closed = false;
  if (info.pack->manifest != nullptr) {
    for (const ast::Entry& manifest_entry : info.pack->manifest->entries) {
      if (manifest_entry.key != "taxonomies" || manifest_entry.value == nullptr) continue;
      closed = true;
      for (const ast::Expr* item : manifest_entry.value->args) {
        if (auto name = ConstantString(item)) taxonomies.push_back(*name);
      }
    }
  }
  for (const ast::Expr* item : value->args) {
    if (item == nullptr) continue;
    program_.exprs[item].type = types_.String();
    auto text = ConstantString(item);
    if (!text) {
      Report(diag::DiagId::kTypeMismatch, item->range, {"citation", "a string literal", std::string(sources_.text(item->range))});
      continue;
    }
    size_t colon = text->find(':');
    bool well_formed = colon != std::string::npos && colon > 0 && colon + 1 < text->size();
    for (size_t i = 0; well_formed && i < colon; ++i) well_formed = IsTaxonomyChar((*text)[i]);
    if (!well_formed) {
      Report(diag::DiagId::kBadCitation, item->range, {*text});
      continue;
    }
    std::string taxonomy = text->substr(0, colon);
    if (closed && std::find(taxonomies.begin(), taxonomies.end(), taxonomy) == taxonomies.end()) {
      auto& d = Report(diag::DiagId::kUnknownTaxonomy, item->range, {taxonomy});
      SuggestFrom(d, taxonomy, taxonomies);
      continue;
    }
    info.cite.push_back(*text);
  }
}

void Checker::CheckUses(const ast::Entry& entry, RuleInfo& info) {
  const ast::Expr* value = entry.value;
  if (value == nullptr) return;
  if (value->kind != ast::ExprKind::kList) {
    Report(diag::DiagId::kTypeMismatch, value->range, {"entry 'uses'", "a list of record kinds", std::string(sources_.text(value->range))});
    return;
  }
  for (const ast::Expr* item : value->args) {
    if (item == nullptr) continue;
    const Symbol* kind = item->kind == ast::ExprKind::kIdent ? RecordKind(item->name) : nullptr;
    if (kind == nullptr) {
      std::string name = item->kind == ast::ExprKind::kIdent ? item->name : std::string(sources_.text(item->range));
      auto& d = Report(diag::DiagId::kUnknownRecordKind, item->range, {name});
      SuggestFrom(d, name, RecordKindNames());
      continue;
    }
    ExprInfo& item_info = program_.exprs[item];
    item_info.ref.kind = Reference::Kind::kSymbol;
    item_info.ref.symbol = kind;
    info.uses.insert(kind->name);
  }
}

void Checker::CheckSubject(const ast::Entry& entry) {
  const Type* type = Check(entry.value);
  bool ok = type->IsDynOrError() || type->kind == TypeKind::kStruct ||
            (type->kind == TypeKind::kMap && IsAssignable(types_.String(), type->key));
  if (!ok) {
    Report(diag::DiagId::kTypeMismatch, entry.value->range,
           {"entry 'subject'", "a struct or a map(string, string)", ToString(type)});
  }
}

// Context evidence names records by their seq: the one field every record kind has and that
// findings-1 evidence is keyed on, so a rule can cite a record a `let` or a function found.
void Checker::CheckEvidence(const ast::Entry& entry) {
  const Type* type = Check(entry.value);
  bool ok = type->IsDynOrError() || IsAssignable(types_.Int(), type) ||
            (type->kind == TypeKind::kList && IsAssignable(types_.Int(), type->element));
  if (!ok) {
    Report(diag::DiagId::kEvidenceNotSeqs, entry.value->range, {ToString(type)})
        .help = "give the records' seq fields, e.g. `evidence: [refusal.seq]`";
  }
}

}  // namespace edict::sema
