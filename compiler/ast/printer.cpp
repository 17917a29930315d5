// Canonical Edict source from a file's AST: declarations in source order, one item per line,
// expressions printed by PrintExpr.
#include "compiler/ast/printer.h"

namespace edict::ast {

namespace {

class FilePrinter {
 public:
  std::string Print(const File& file) {
    if (file.manifest != nullptr) PrintManifest(*file.manifest);
    for (const Decl* decl : file.decls) {
      if (!out_.empty()) out_ += "\n";
      PrintDecl(*decl);
    }
    return std::move(out_);
  }

 private:
  std::string Cel(const ast::Expr& e) { return PrintExpr(e); }

  void Line(int indent, const std::string& text) { out_ += std::string(2 * indent, ' ') + text + "\n"; }

  std::string Type(const TypeExpr& type, int indent) {
    std::string text;
    switch (type.kind) {
      case TypeKind::kNamed: text = type.name; break;
      case TypeKind::kGeneric:
        text = type.name + "<";
        for (size_t i = 0; i < type.args.size(); ++i) text += (i > 0 ? ", " : "") + Type(*type.args[i], indent);
        text += ">";
        break;
      case TypeKind::kEnum:
        text = "enum(";
        for (size_t i = 0; i < type.values.size(); ++i) text += (i > 0 ? ", " : "") + QuoteString(type.values[i]);
        text += ")";
        break;
      case TypeKind::kStruct:
        text = "{";
        for (size_t i = 0; i < type.fields.size(); ++i) text += (i > 0 ? ", " : " ") + Field(*type.fields[i], indent);
        text += type.fields.empty() ? "}" : " }";
        break;
    }
    return type.optional ? text + "?" : text;
  }

  std::string Field(const FieldDecl& field, int indent) {
    std::string text = field.name + ": " + Type(*field.type, indent);
    if (field.default_value != nullptr) text += " = " + Cel(*field.default_value);
    return text;
  }

  void PrintManifest(const Manifest& manifest) {
    std::string head = "pack " + manifest.name + " " + manifest.version + " {";
    if (manifest.imports.empty() && manifest.entries.empty()) return Line(0, head + "}");
    Line(0, head);
    for (const Import& import : manifest.imports) {
      Line(1, "import " + import.pack + (import.op.empty() ? "" : " " + import.op + " " + import.version));
    }
    for (const Entry& entry : manifest.entries) Line(1, entry.key + ": " + Cel(*entry.value));
    Line(0, "}");
  }

  void PrintDecl(const Decl& decl) {
    switch (decl.kind) {
      case DeclKind::kRecord:
      case DeclKind::kStruct: {
        const auto& record = static_cast<const RecordDecl&>(decl);
        std::string head = std::string(decl.kind == DeclKind::kRecord ? "record " : "struct ") + record.name +
                           (record.base.empty() ? "" : ": " + record.base) + " {";
        if (record.fields.empty()) return Line(0, head + "}");
        Line(0, head);
        for (const FieldDecl* field : record.fields) Line(1, Field(*field, 1));
        return Line(0, "}");
      }
      case DeclKind::kTypeAlias:
        return Line(0, "type " + decl.name + " = " + Type(*static_cast<const TypeAliasDecl&>(decl).type, 0));
      case DeclKind::kConst:
      case DeclKind::kSet:
      case DeclKind::kLet: {
        const auto& value = static_cast<const ValueDecl&>(decl);
        const char* keyword = decl.kind == DeclKind::kConst ? "const " : decl.kind == DeclKind::kSet ? "set " : "let ";
        return Line(0, keyword + value.name + (value.type != nullptr ? ": " + Type(*value.type, 0) : "") + " = " +
                           Cel(*value.value));
      }
      case DeclKind::kTable: return PrintTable(static_cast<const TableDecl&>(decl));
      case DeclKind::kParam: {
        const auto& param = static_cast<const ParamDecl&>(decl);
        std::string text = "param " + param.name + ": " + Type(*param.type, 0) + " = " + Cel(*param.default_value);
        if (param.note_range.valid() || !param.note.empty()) text += " note " + QuoteString(param.note);
        return Line(0, text);
      }
      case DeclKind::kProfile: return PrintProfile(static_cast<const ProfileDecl&>(decl));
      case DeclKind::kFn: {
        const auto& fn = static_cast<const FnDecl&>(decl);
        std::string text = "fn " + fn.name + "(";
        for (size_t i = 0; i < fn.params.size(); ++i) {
          text += (i > 0 ? ", " : "") + fn.params[i].name + ": " + Type(*fn.params[i].type, 0);
        }
        text += ")";
        if (fn.result != nullptr) text += ": " + Type(*fn.result, 0);
        return Line(0, text + " = " + Cel(*fn.body));
      }
      case DeclKind::kRule: return PrintRule(static_cast<const RuleDecl&>(decl));
      case DeclKind::kTest: return PrintTest(static_cast<const TestDecl&>(decl));
    }
  }

  void PrintTable(const TableDecl& table) {
    std::string head = "table " + table.name + "(";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      head += (i > 0 ? ", " : "") + table.columns[i]->name + ": " + Type(*table.columns[i]->type, 0);
    }
    head += ")";
    if (!table.key.empty()) head += " key " + table.key;
    if (table.rows.empty()) return Line(0, head + " {}");
    Line(0, head + " {");
    for (const TableDecl::Row& row : table.rows) {
      std::string text = "(";
      for (size_t i = 0; i < row.cells.size(); ++i) text += (i > 0 ? ", " : "") + Cel(*row.cells[i]);
      Line(1, text + ")");
    }
    Line(0, "}");
  }

  void PrintProfile(const ProfileDecl& profile) {
    std::string head = "profile " + profile.name + (profile.base.empty() ? "" : ": " + profile.base) + " {";
    if (profile.note.empty() && profile.assignments.empty()) return Line(0, head + "}");
    Line(0, head);
    if (!profile.note.empty()) Line(1, "note " + QuoteString(profile.note));
    for (const ProfileDecl::Assignment& assignment : profile.assignments) {
      Line(1, assignment.param + " = " + Cel(*assignment.value));
    }
    Line(0, "}");
  }

  std::string Binding(const ast::Binding& binding) { return binding.name + ": " + Cel(*binding.source); }

  void PrintRule(const RuleDecl& rule) {
    Line(0, "rule " + rule.name + " {");
    for (const Entry& entry : rule.entries) Line(1, entry.key + ": " + Cel(*entry.value));
    if (rule.has_needs) {
      std::string text = "needs: [";
      for (size_t i = 0; i < rule.needs.size(); ++i) {
        const Need& need = rule.needs[i];
        if (i > 0) text += ", ";
        std::string alternatives;
        for (size_t k = 0; k < need.alternatives.size(); ++k) {
          alternatives += (k > 0 ? " | " : "") + need.alternatives[k];
        }
        text += need.exemption_only ? "(" + alternatives + ")" : alternatives;
      }
      Line(1, text + "]");
    }
    if (!rule.match.empty()) {
      std::string text = "match ";
      for (size_t i = 0; i < rule.match.size(); ++i) text += (i > 0 ? ", " : "") + Binding(*rule.match[i]);
      Line(1, text);
    }
    if (!rule.sequence.empty()) {
      Line(1, "sequence " + Binding(*rule.sequence[0].binding));
      for (size_t i = 1; i < rule.sequence.size(); ++i) {
        const SequenceStep& step = rule.sequence[i];
        Line(2, "then " + Binding(*step.binding) + (step.within != nullptr ? " within " + Cel(*step.within) : ""));
      }
      for (const SequenceWithout& without : rule.without) {
        std::string when = without.when != nullptr ? " when " + Cel(*without.when) : "";
        Line(2, "without " + Binding(*without.binding) + when);
      }
    }
    // Continuation lines line up the operands: `  where a` / `     && b`.
    if (rule.where != nullptr) Line(1, "where " + PrintExprWrapped(*rule.where, 8, 5));
    if (!rule.group_by.empty()) {
      std::string text = "group by ";
      for (size_t i = 0; i < rule.group_by.size(); ++i) {
        const GroupKey& key = rule.group_by[i];
        text += (i > 0 ? ", " : "") + (key.name.empty() ? "" : key.name + ": ") + Cel(*key.value);
      }
      Line(1, text);
    }
    if (rule.window != nullptr) Line(1, "window " + Cel(*rule.window));
    if (rule.having != nullptr) Line(1, "having " + PrintExprWrapped(*rule.having, 9, 6));
    Line(0, "}");
  }

  void PrintTest(const TestDecl& test) {
    Line(0, "test " + QuoteString(test.name) + " {");
    if (test.inline_facts) {
      if (test.facts.empty()) {
        Line(1, "facts []");
      } else {
        Line(1, "facts [");
        for (const ast::Expr* fact : test.facts) Line(2, Cel(*fact) + ",");
        Line(1, "]");
      }
    } else if (test.facts_range.valid() || !test.facts_path.empty()) {
      Line(1, "facts " + QuoteString(test.facts_path));
    }
    if (!test.profile.empty()) Line(1, "profile " + test.profile);
    for (const ProfileDecl::Assignment& param : test.params) {
      Line(1, "param " + param.param + " = " + Cel(*param.value));
    }
    for (const TestDecl::Expect& expect : test.expects) {
      std::string text = "expect " + expect.rule + ": ";
      for (size_t i = 0; i < expect.expectations.size(); ++i) {
        const Expectation& expectation = expect.expectations[i];
        if (i > 0) text += ", ";
        switch (expectation.kind) {
          case Expectation::Kind::kCount: text += std::to_string(expectation.count) + " " + expectation.word; break;
          case Expectation::Kind::kField: text += expectation.word + " " + PrintExpectValue(expectation.value); break;
          case Expectation::Kind::kOutcome: text += expectation.word; break;
        }
      }
      Line(1, text);
    }
    Line(0, "}");
  }

  std::string out_;
};

}  // namespace

std::string Print(const File& file) { return FilePrinter().Print(file); }

std::string PrintExpectValue(const ExpectValue& value) {
  switch (value.kind) {
    case ExpectValue::Kind::kString: return QuoteString(value.text);
    case ExpectValue::Kind::kInt: return std::to_string(value.number);
    case ExpectValue::Kind::kList: {
      std::string text = "[";
      for (size_t i = 0; i < value.items.size(); ++i) text += (i > 0 ? ", " : "") + PrintExpectValue(value.items[i]);
      return text + "]";
    }
  }
  return "";
}

}  // namespace edict::ast
