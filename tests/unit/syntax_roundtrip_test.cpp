// Every .edict file of the repository parses, prints, re-parses to an Equal AST, and prints the
// same again; tests/syntax/all-constructs.edict makes sure that covers every construct.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
namespace ast = edict::ast;
namespace fs = std::filesystem;

namespace {

// Cases under tests/diagnostics/ that expect an error of the syntax phase (E001-E029) do not parse.
bool ExpectsSyntaxError(const std::string& path, const std::string& text) {
  static const std::regex kSyntaxExpectation(R"(expect-error[^\[\n]*\[E0[0-2][0-9]\])");
  return path.find("/tests/diagnostics/") != std::string::npos && std::regex_search(text, kSyntaxExpectation);
}

std::vector<std::string> RepositoryEdictFiles() {
  std::vector<std::string> files;
  fs::path root(EDICT_SOURCE_DIR);
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name.starts_with(".") || (it.depth() == 0 && name.starts_with("build")))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".edict") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Which kinds of node a file holds, to show the round trip exercised all of them.
struct Coverage {
  std::set<int> exprs, literals, binary, unary, macros, decls, types, expectations, values;
  std::set<std::string> flags;

  void Expr(const ast::Expr* e) {
    if (e == nullptr) return;
    exprs.insert(static_cast<int>(e->kind));
    if (e->kind == ast::ExprKind::kLiteral) literals.insert(static_cast<int>(e->literal.kind));
    if (e->kind == ast::ExprKind::kBinary) binary.insert(static_cast<int>(e->binary_op));
    if (e->kind == ast::ExprKind::kUnary) unary.insert(static_cast<int>(e->unary_op));
    if (e->kind == ast::ExprKind::kComprehension) {
      macros.insert(static_cast<int>(e->macro) * 10 + static_cast<int>(e->vars.size()));
    }
    if (e->leading_dot) flags.insert("leading dot");
    if (e->test_only) flags.insert("has");
    if (e->optional) flags.insert("optional select/index");
    if (!e->optional_indices.empty()) flags.insert("optional element");
    if (e->value != nullptr) flags.insert("aggregate value");
    if (e->where != nullptr) flags.insert("aggregate where");
    Expr(e->operand);
    Expr(e->value);
    Expr(e->where);
    for (const ast::Expr* arg : e->args) Expr(arg);
    for (const ast::MapEntry& entry : e->entries) {
      if (entry.optional) flags.insert("optional entry");
      Expr(entry.key);
      Expr(entry.value);
    }
    for (const ast::FieldInit& field : e->fields) {
      if (field.optional) flags.insert("optional field");
      Expr(field.value);
    }
    for (const ast::Binding* binding : e->bindings) Expr(binding->source);
    for (const ast::TemplatePart& part : e->parts) Expr(part.hole);
  }

  void Type(const ast::TypeExpr* type) {
    if (type == nullptr) return;
    types.insert(static_cast<int>(type->kind));
    if (type->optional) flags.insert("optional type");
    for (const ast::TypeExpr* arg : type->args) Type(arg);
    for (const ast::FieldDecl* field : type->fields) Field(field);
  }

  void Field(const ast::FieldDecl* field) {
    Type(field->type);
    if (field->default_value != nullptr) flags.insert("field default");
    Expr(field->default_value);
  }

  void File(const ast::File& file) {
    if (file.manifest != nullptr) {
      flags.insert("manifest");
      for (const ast::Import& import : file.manifest->imports) {
        flags.insert(import.op.empty() ? "import" : "import " + import.op);
      }
      for (const ast::Entry& entry : file.manifest->entries) Expr(entry.value);
    }
    for (const ast::Decl* decl : file.decls) Decl(*decl);
  }

  void Decl(const ast::Decl& decl) {
    decls.insert(static_cast<int>(decl.kind));
    switch (decl.kind) {
      case ast::DeclKind::kRecord:
      case ast::DeclKind::kStruct: {
        const auto& record = static_cast<const ast::RecordDecl&>(decl);
        if (!record.base.empty()) flags.insert("base");
        for (const ast::FieldDecl* field : record.fields) Field(field);
        break;
      }
      case ast::DeclKind::kTypeAlias: Type(static_cast<const ast::TypeAliasDecl&>(decl).type); break;
      case ast::DeclKind::kConst:
      case ast::DeclKind::kSet:
      case ast::DeclKind::kLet:
        Type(static_cast<const ast::ValueDecl&>(decl).type);
        Expr(static_cast<const ast::ValueDecl&>(decl).value);
        break;
      case ast::DeclKind::kTable: {
        const auto& table = static_cast<const ast::TableDecl&>(decl);
        if (!table.key.empty()) flags.insert("table key");
        for (const ast::FieldDecl* column : table.columns) Field(column);
        for (const auto& row : table.rows) {
          for (const ast::Expr* cell : row.cells) Expr(cell);
        }
        break;
      }
      case ast::DeclKind::kParam: {
        const auto& param = static_cast<const ast::ParamDecl&>(decl);
        if (!param.note.empty()) flags.insert("param note");
        Type(param.type);
        Expr(param.default_value);
        break;
      }
      case ast::DeclKind::kProfile: {
        const auto& profile = static_cast<const ast::ProfileDecl&>(decl);
        if (!profile.base.empty()) flags.insert("profile base");
        if (!profile.note.empty()) flags.insert("profile note");
        for (const auto& assignment : profile.assignments) Expr(assignment.value);
        break;
      }
      case ast::DeclKind::kFn: {
        const auto& fn = static_cast<const ast::FnDecl&>(decl);
        if (fn.result != nullptr) flags.insert("fn result");
        for (const auto& param : fn.params) Type(param.type);
        Type(fn.result);
        Expr(fn.body);
        break;
      }
      case ast::DeclKind::kRule: Rule(static_cast<const ast::RuleDecl&>(decl)); break;
      case ast::DeclKind::kTest: Test(static_cast<const ast::TestDecl&>(decl)); break;
    }
  }

  void Rule(const ast::RuleDecl& rule) {
    for (const ast::Entry& entry : rule.entries) Expr(entry.value);
    for (const ast::Need& need : rule.needs) {
      if (need.exemption_only) flags.insert("need exemption");
      else flags.insert(need.alternatives.size() > 1 ? "need alternatives" : "need");
    }
    if (!rule.match.empty()) flags.insert("match");
    for (const ast::Binding* binding : rule.match) Expr(binding->source);
    for (const ast::SequenceStep& step : rule.sequence) {
      if (step.within != nullptr) flags.insert("within");
      Expr(step.binding->source);
      Expr(step.within);
    }
    for (const ast::SequenceWithout& without : rule.without) {
      flags.insert(without.when != nullptr ? "without when" : "without");
      Expr(without.when);
    }
    Expr(rule.where);
    for (const ast::GroupKey& key : rule.group_by) {
      flags.insert(key.name.empty() ? "group key" : "named group key");
      Expr(key.value);
    }
    if (rule.window != nullptr) flags.insert("window");
    if (rule.having != nullptr) flags.insert("having");
    Expr(rule.window);
    Expr(rule.having);
  }

  void Test(const ast::TestDecl& test) {
    flags.insert(test.inline_facts ? "inline facts" : "facts file");
    for (const ast::Expr* fact : test.facts) Expr(fact);
    if (!test.profile.empty()) flags.insert("test profile");
    if (!test.params.empty()) flags.insert("test param");
    for (const auto& param : test.params) Expr(param.value);
    for (const auto& expect : test.expects) {
      for (const ast::Expectation& expectation : expect.expectations) {
        expectations.insert(static_cast<int>(expectation.kind));
        if (expectation.kind == ast::Expectation::Kind::kField) Value(expectation.value);
      }
    }
  }

  void Value(const ast::ExpectValue& value) {
    values.insert(static_cast<int>(value.kind));
    for (const ast::ExpectValue& item : value.items) Value(item);
  }
};

}  // namespace

TEST_CASE("every .edict file of the repository round-trips through the printer") {
  std::vector<std::string> files = RepositoryEdictFiles();
  size_t checked = 0;
  for (const std::string& path : files) {
    std::string text = ReadFile(path);
    if (ExpectsSyntaxError(path, text)) continue;
    auto parsed = ParseText(text, path);
    INFO(path << "\n" << parsed->Rendered());
    REQUIRE(parsed->ok());
    CHECK(FileRoundTrip(parsed->ast) == "");
    ++checked;
  }
  MESSAGE(checked << " of " << files.size() << " .edict files round-tripped");
  CHECK(std::find(files.begin(), files.end(), SourcePath("tests/syntax/all-constructs.edict")) != files.end());
}

TEST_CASE("all-constructs.edict exercises every kind of node the parser builds") {
  auto parsed = ParseText(ReadFile(SourcePath("tests/syntax/all-constructs.edict")));
  REQUIRE(parsed->ok());
  Coverage seen;
  seen.File(parsed->ast);
  CHECK(seen.exprs.size() == static_cast<size_t>(ast::ExprKind::kTemplate) + 1);
  CHECK(seen.literals.size() == static_cast<size_t>(ast::LiteralKind::kDuration) + 1);
  CHECK(seen.binary.size() == static_cast<size_t>(ast::BinaryOp::kMod) + 1);
  CHECK(seen.unary.size() == 2);
  CHECK(seen.decls.size() == static_cast<size_t>(ast::DeclKind::kTest) + 1);
  CHECK(seen.types.size() == static_cast<size_t>(ast::TypeKind::kStruct) + 1);
  CHECK(seen.expectations.size() == 3);
  CHECK(seen.values.size() == 3);
  // One variable: all, exists, exists_one, map, map with filter, filter; two: all, exists,
  // existsOne, transformList (with and without filter), transformMap (with and without filter).
  std::set<int> macros = {11, 21, 31, 41, 51, 61, 12, 22, 32, 42, 52, 72};
  CHECK(seen.macros == macros);
  for (const char* flag : {"leading dot", "has", "optional select/index", "optional element", "optional entry",
                           "optional field", "aggregate value", "aggregate where", "optional type", "field default",
                           "manifest", "import", "import >=", "import ==", "import <", "base", "table key",
                           "param note", "profile base", "profile note", "fn result", "need", "need alternatives",
                           "need exemption", "match", "within", "without", "without when", "group key",
                           "named group key", "window", "having", "inline facts", "facts file", "test profile",
                           "test param"}) {
    INFO(flag);
    CHECK(seen.flags.count(flag) == 1);
  }
}
