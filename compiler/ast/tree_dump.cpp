// The indented tree behind `edict parse --dump-ast`: one node per line with its kind, names or
// value, and where it starts.
#include "compiler/ast/printer.h"

namespace edict::ast {

namespace {

const char* ExprKindName(ExprKind kind) {
  switch (kind) {
    case ExprKind::kLiteral: return "Literal";
    case ExprKind::kIdent: return "Ident";
    case ExprKind::kSelect: return "Select";
    case ExprKind::kIndex: return "Index";
    case ExprKind::kCall: return "Call";
    case ExprKind::kList: return "List";
    case ExprKind::kMap: return "Map";
    case ExprKind::kMessage: return "Message";
    case ExprKind::kUnary: return "Unary";
    case ExprKind::kBinary: return "Binary";
    case ExprKind::kConditional: return "Conditional";
    case ExprKind::kComprehension: return "Comprehension";
    case ExprKind::kAggregate: return "Aggregate";
    case ExprKind::kTemplate: return "Template";
  }
  return "?";
}

const char* LiteralKindName(LiteralKind kind) {
  switch (kind) {
    case LiteralKind::kNull: return "null";
    case LiteralKind::kBool: return "bool";
    case LiteralKind::kInt: return "int";
    case LiteralKind::kUint: return "uint";
    case LiteralKind::kDouble: return "double";
    case LiteralKind::kString: return "string";
    case LiteralKind::kBytes: return "bytes";
    case LiteralKind::kDuration: return "duration";
  }
  return "?";
}

const char* MacroKindName(Macro macro) {
  switch (macro) {
    case Macro::kHas: return "has";
    case Macro::kAll: return "all";
    case Macro::kExists: return "exists";
    case Macro::kExistsOne: return "exists_one";
    case Macro::kMap: return "map";
    case Macro::kMapFilter: return "map_filter";
    case Macro::kFilter: return "filter";
    case Macro::kTransformMap: return "transform_map";
  }
  return "?";
}

const char* DeclKindName(DeclKind kind) {
  switch (kind) {
    case DeclKind::kRecord: return "Record";
    case DeclKind::kStruct: return "Struct";
    case DeclKind::kTypeAlias: return "TypeAlias";
    case DeclKind::kConst: return "Const";
    case DeclKind::kSet: return "Set";
    case DeclKind::kTable: return "Table";
    case DeclKind::kParam: return "Param";
    case DeclKind::kProfile: return "Profile";
    case DeclKind::kLet: return "Let";
    case DeclKind::kFn: return "Fn";
    case DeclKind::kRule: return "Rule";
    case DeclKind::kTest: return "Test";
  }
  return "?";
}

class Dumper {
 public:
  explicit Dumper(const diag::SourceManager& sources) : sources_(sources) {}

  std::string FileNode(const ast::File& file) {
    Node(0, "File", {});
    if (file.manifest != nullptr) {
      const Manifest& m = *file.manifest;
      Node(1, "Manifest " + m.name + " " + m.version, m.range);
      for (const Import& import : m.imports) {
        std::string constraint = import.op.empty() ? "" : " " + import.op + " " + import.version;
        Node(2, "Import " + import.pack + constraint, import.range);
      }
      for (const ast::Entry& entry : m.entries) EntryNode(2, entry);
    }
    for (const Decl* decl : file.decls) DeclNode(1, *decl);
    return std::move(out_);
  }

  std::string Expression(const ast::Expr& e) {
    ExprNode(0, "", &e);
    return std::move(out_);
  }

 private:
  void Node(int depth, const std::string& text, const SourceRange& range) {
    out_ += std::string(2 * depth, ' ') + text;
    if (range.valid()) {
      diag::LineCol lc = sources_.Locate(range.file, range.begin);
      out_ += " @" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
    }
    out_ += "\n";
  }

  void ExprNode(int depth, const std::string& role, const ast::Expr* e) {
    if (e == nullptr) return;
    std::string label = (role.empty() ? "" : role + ": ") + ExprKindName(e->kind);
    switch (e->kind) {
      case ExprKind::kLiteral:
        label += std::string(" ") + LiteralKindName(e->literal.kind) + " " + PrintExpr(*e);
        break;
      case ExprKind::kIdent: label += " " + std::string(e->leading_dot ? "." : "") + e->name; break;
      case ExprKind::kSelect:
        label += " " + e->name + (e->test_only ? " (has)" : "") + (e->optional ? " (optional)" : "");
        break;
      case ExprKind::kIndex: label += e->optional ? " (optional)" : ""; break;
      case ExprKind::kCall: case ExprKind::kMessage: case ExprKind::kAggregate:
        label += " " + std::string(e->leading_dot ? "." : "") + e->name;
        break;
      case ExprKind::kUnary: label += e->unary_op == UnaryOp::kNot ? " !" : " -"; break;
      case ExprKind::kBinary: label += std::string(" ") + OperatorText(e->binary_op); break;
      case ExprKind::kComprehension: {
        label += std::string(" ") + MacroKindName(e->macro);
        for (const std::string& var : e->vars) label += " " + var;
        break;
      }
      default: break;
    }
    Node(depth, label, e->range);
    bool receiver = e->kind == ExprKind::kComprehension || e->kind == ExprKind::kCall;
    ExprNode(depth + 1, receiver ? "receiver" : "", e->operand);
    for (size_t i = 0; i < e->args.size(); ++i) {
      bool optional = false;
      for (uint32_t index : e->optional_indices) optional |= index == i;
      ExprNode(depth + 1, optional ? "optional" : "", e->args[i]);
    }
    for (const MapEntry& entry : e->entries) {
      ExprNode(depth + 1, entry.optional ? "optional key" : "key", entry.key);
      ExprNode(depth + 2, "value", entry.value);
    }
    for (const FieldInit& field : e->fields) ExprNode(depth + 1, (field.optional ? "?" : "") + field.name, field.value);
    ExprNode(depth + 1, "value", e->value);
    for (const Binding* binding : e->bindings) BindingNode(depth + 1, *binding);
    ExprNode(depth + 1, "where", e->where);
    for (const TemplatePart& part : e->parts) {
      if (part.hole != nullptr) {
        ExprNode(depth + 1, "hole", part.hole);
      } else {
        Node(depth + 1, "Text " + QuoteString(part.text), {});
      }
    }
  }

  void BindingNode(int depth, const Binding& binding) {
    Node(depth, "Binding " + binding.name, binding.range);
    ExprNode(depth + 1, "source", binding.source);
  }

  void TypeNode(int depth, const std::string& role, const TypeExpr* type) {
    if (type == nullptr) return;
    std::string label = role + ": ";
    switch (type->kind) {
      case TypeKind::kNamed: label += "Type " + type->name; break;
      case TypeKind::kGeneric: label += "Generic " + type->name; break;
      case TypeKind::kEnum: label += "Enum"; break;
      case TypeKind::kStruct: label += "Struct"; break;
    }
    if (type->optional) label += "?";
    Node(depth, label, type->range);
    for (const TypeExpr* arg : type->args) TypeNode(depth + 1, "arg", arg);
    for (const std::string& value : type->values) Node(depth + 1, QuoteString(value), {});
    for (const FieldDecl* field : type->fields) FieldNode(depth + 1, *field);
  }

  void FieldNode(int depth, const FieldDecl& field) {
    Node(depth, "Field " + field.name, field.range);
    TypeNode(depth + 1, "type", field.type);
    ExprNode(depth + 1, "default", field.default_value);
  }

  void EntryNode(int depth, const ast::Entry& entry) {
    Node(depth, "Entry " + entry.key, entry.key_range);
    ExprNode(depth + 1, "", entry.value);
  }

  void DeclNode(int depth, const Decl& decl) {
    Node(depth, std::string(DeclKindName(decl.kind)) + " " + decl.name, decl.range);
    int inner = depth + 1;
    switch (decl.kind) {
      case DeclKind::kRecord:
      case DeclKind::kStruct: {
        const auto& record = static_cast<const RecordDecl&>(decl);
        if (!record.base.empty()) Node(inner, "Base " + record.base, record.base_range);
        for (const FieldDecl* field : record.fields) FieldNode(inner, *field);
        break;
      }
      case DeclKind::kTypeAlias: TypeNode(inner, "type", static_cast<const TypeAliasDecl&>(decl).type); break;
      case DeclKind::kConst:
      case DeclKind::kSet:
      case DeclKind::kLet: {
        const auto& value = static_cast<const ValueDecl&>(decl);
        TypeNode(inner, "type", value.type);
        ExprNode(inner, "value", value.value);
        break;
      }
      case DeclKind::kTable: {
        const auto& table = static_cast<const TableDecl&>(decl);
        for (const FieldDecl* column : table.columns) FieldNode(inner, *column);
        if (!table.key.empty()) Node(inner, "Key " + table.key, table.key_range);
        for (const TableDecl::Row& row : table.rows) {
          Node(inner, "Row", row.range);
          for (const ast::Expr* cell : row.cells) ExprNode(inner + 1, "", cell);
        }
        break;
      }
      case DeclKind::kParam: {
        const auto& param = static_cast<const ParamDecl&>(decl);
        TypeNode(inner, "type", param.type);
        ExprNode(inner, "default", param.default_value);
        if (param.note_range.valid()) Node(inner, "Note " + QuoteString(param.note), param.note_range);
        break;
      }
      case DeclKind::kProfile: {
        const auto& profile = static_cast<const ProfileDecl&>(decl);
        if (!profile.base.empty()) Node(inner, "Base " + profile.base, profile.base_range);
        if (!profile.note.empty()) Node(inner, "Note " + QuoteString(profile.note), {});
        for (const auto& assignment : profile.assignments) ExprNode(inner, "set " + assignment.param, assignment.value);
        break;
      }
      case DeclKind::kFn: {
        const auto& fn = static_cast<const FnDecl&>(decl);
        for (const FnDecl::Param& param : fn.params) TypeNode(inner, "param " + param.name, param.type);
        TypeNode(inner, "result", fn.result);
        ExprNode(inner, "body", fn.body);
        break;
      }
      case DeclKind::kRule: RuleNode(inner, static_cast<const RuleDecl&>(decl)); break;
      case DeclKind::kTest: TestNode(inner, static_cast<const TestDecl&>(decl)); break;
    }
  }

  void RuleNode(int depth, const RuleDecl& rule) {
    for (const ast::Entry& entry : rule.entries) EntryNode(depth, entry);
    if (rule.has_needs) {
      Node(depth, "Needs", rule.needs_range);
      for (const Need& need : rule.needs) {
        std::string text;
        for (const std::string& alternative : need.alternatives) text += (text.empty() ? "" : " | ") + alternative;
        Node(depth + 1, std::string(need.exemption_only ? "ExemptionOnly " : "Need ") + text, need.range);
      }
    }
    if (!rule.match.empty()) Node(depth, "Match", {});
    for (const Binding* binding : rule.match) BindingNode(depth + 1, *binding);
    if (!rule.sequence.empty()) Node(depth, "Sequence", {});
    for (const SequenceStep& step : rule.sequence) {
      BindingNode(depth + 1, *step.binding);
      ExprNode(depth + 2, "within", step.within);
    }
    for (const SequenceWithout& without : rule.without) {
      Node(depth + 1, "Without", without.binding->range);
      BindingNode(depth + 2, *without.binding);
      ExprNode(depth + 2, "when", without.when);
    }
    ExprNode(depth, "where", rule.where);
    if (!rule.group_by.empty()) Node(depth, "GroupBy", rule.group_by_range);
    for (const GroupKey& key : rule.group_by) ExprNode(depth + 1, key.name.empty() ? "key" : key.name, key.value);
    ExprNode(depth, "window", rule.window);
    ExprNode(depth, "having", rule.having);
  }

  void TestNode(int depth, const TestDecl& test) {
    if (!test.facts_path.empty()) Node(depth, "Facts " + QuoteString(test.facts_path), test.facts_range);
    if (test.inline_facts) Node(depth, "Facts", test.facts_range);
    for (const ast::Expr* fact : test.facts) ExprNode(depth + 1, "", fact);
    if (!test.profile.empty()) Node(depth, "Profile " + test.profile, test.profile_range);
    for (const auto& param : test.params) ExprNode(depth, "param " + param.param, param.value);
    for (const TestDecl::Expect& expect : test.expects) {
      Node(depth, "Expect " + expect.rule, expect.range);
      for (const Expectation& expectation : expect.expectations) {
        switch (expectation.kind) {
          case Expectation::Kind::kCount:
            Node(depth + 1, "Count " + std::to_string(expectation.count) + " " + expectation.word, expectation.range);
            break;
          case Expectation::Kind::kField:
            Node(depth + 1, "Field " + expectation.word + " " + PrintExpectValue(expectation.value), expectation.range);
            break;
          case Expectation::Kind::kOutcome: Node(depth + 1, "Outcome " + expectation.word, expectation.range); break;
        }
      }
    }
  }

  const diag::SourceManager& sources_;
  std::string out_;
};

}  // namespace

std::string DumpTree(const File& file, const diag::SourceManager& sources) { return Dumper(sources).FileNode(file); }

std::string DumpExpr(const Expr& expr, const diag::SourceManager& sources) { return Dumper(sources).Expression(expr); }

}  // namespace edict::ast
