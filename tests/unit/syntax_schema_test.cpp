// The appfacts pack (stdlib-rules/appfacts) against the appfacts/1 spec: every record kind and field
// with its type, and the vocabulary tables' ids against the spec's lists. Works on the parsed AST,
// so it holds before and independently of the checker.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/syntax/parse.h"

namespace {

namespace ast = edict::ast;
namespace diag = edict::diag;
namespace fs = std::filesystem;

const std::string kSourceDir = EDICT_SOURCE_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every declaration of the pack, by kind and name, with the parsed files kept alive.
struct Pack {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::vector<ast::File> files;
  std::map<std::string, const ast::RecordDecl*> records;
  std::map<std::string, const ast::RecordDecl*> structs;
  std::map<std::string, const ast::TypeAliasDecl*> aliases;
  std::map<std::string, const ast::TableDecl*> tables;
  std::map<std::string, const ast::ValueDecl*> sets;
  std::string rendered_diagnostics;
};

const Pack& AppfactsPack() {
  static const Pack* pack = [] {
    auto* p = new Pack;
    std::vector<std::string> paths;
    for (const auto& entry : fs::directory_iterator(kSourceDir + "/stdlib-rules/appfacts")) {
      if (entry.path().extension() == ".edict") paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    for (const std::string& path : paths) {
      std::string error;
      diag::FileId id = p->sources.Load(path, &error);
      REQUIRE_MESSAGE(id != diag::FileId::kInvalid, error);
      p->files.push_back(edict::syntax::ParseFile(p->sources, id, p->diags));
    }
    for (const diag::Diagnostic& d : p->diags.diagnostics()) {
      p->rendered_diagnostics += diag::RenderText(d, p->sources, false);
    }
    for (const ast::File& file : p->files) {
      for (const ast::Decl* decl : file.decls) {
        switch (decl->kind) {
          case ast::DeclKind::kRecord: p->records[decl->name] = static_cast<const ast::RecordDecl*>(decl); break;
          case ast::DeclKind::kStruct: p->structs[decl->name] = static_cast<const ast::RecordDecl*>(decl); break;
          case ast::DeclKind::kTypeAlias:
            p->aliases[decl->name] = static_cast<const ast::TypeAliasDecl*>(decl);
            break;
          case ast::DeclKind::kTable: p->tables[decl->name] = static_cast<const ast::TableDecl*>(decl); break;
          case ast::DeclKind::kSet: p->sets[decl->name] = static_cast<const ast::ValueDecl*>(decl); break;
          default: break;
        }
      }
    }
    return p;
  }();
  return *pack;
}

// The spec's vocabulary: `dt` and `perm` are types of appfacts/1 in their own right (the engine
// keeps data types as hierarchy-aware id sets), so they stay named; other aliases are resolved.
const std::set<std::string> kSpecTypeNames = {"dt", "perm"};
const std::set<std::string> kScalars = {"string", "int", "double", "bool", "duration", "timestamp"};

// Flattens records to the `kind.path type` lines of tests/schema/appfacts-1.fields (the format is
// described in tests/schema/extract_fields.py): base fields, named structs and aliases resolved.
class Flattener {
 public:
  explicit Flattener(const Pack& pack) : pack_(pack) {}

  std::vector<std::string> Records() {
    for (const auto& [name, record] : pack_.records) Record(*record, name, {});
    return lines_;
  }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  // `bases` holds the declarations being expanded, to stop on a base or struct cycle.
  void Record(const ast::RecordDecl& decl, const std::string& prefix, std::vector<const ast::RecordDecl*> bases) {
    if (std::find(bases.begin(), bases.end(), &decl) != bases.end()) {
      errors_.push_back(prefix + ": '" + decl.name + "' contains itself");
      return;
    }
    bases.push_back(&decl);
    if (!decl.base.empty()) {
      const ast::RecordDecl* base = Find(pack_.structs, decl.base);
      if (base == nullptr) base = Find(pack_.records, decl.base);
      if (base == nullptr) {
        errors_.push_back(prefix + ": unknown base '" + decl.base + "'");
      } else {
        Record(*base, prefix, bases);
      }
    }
    for (const ast::FieldDecl* field : decl.fields) {
      const std::string path = prefix + "." + field->name;
      bool optional = false;
      std::string type = Type(*field->type, path, bases, optional);
      std::string line = path + " " + type + (optional ? "?" : "");
      if (field->default_value != nullptr) line += " = " + Literal(*field->default_value, path);
      lines_.push_back(line);
    }
  }

  // The type's text without the optional mark, which goes to `optional`; a struct's fields are
  // emitted as lines under `path` (under `path[]` for a list of structs).
  std::string Type(const ast::TypeExpr& type, const std::string& path, const std::vector<const ast::RecordDecl*>& bases,
                   bool& optional) {
    optional = optional || type.optional;
    switch (type.kind) {
      case ast::TypeKind::kEnum: {
        std::string text = "enum(";
        for (size_t i = 0; i < type.values.size(); ++i) text += (i ? "|" : "") + type.values[i];
        return text + ")";
      }
      case ast::TypeKind::kStruct: {
        ast::RecordDecl inline_struct(ast::DeclKind::kStruct);
        inline_struct.name = path;
        inline_struct.fields = type.fields;
        Record(inline_struct, path, bases);
        return "struct";
      }
      case ast::TypeKind::kGeneric: {
        if (type.name != "list" || type.args.size() != 1) {
          errors_.push_back(path + ": unexpected type '" + type.name + "<...>'");
          return "?";
        }
        bool element_optional = false;
        std::string element = Type(*type.args[0], path + "[]", bases, element_optional);
        if (element_optional) errors_.push_back(path + ": list elements are never optional in appfacts/1");
        return "list<" + element + ">";
      }
      case ast::TypeKind::kNamed:
        break;
    }
    if (kScalars.count(type.name) || kSpecTypeNames.count(type.name)) return type.name;
    if (const ast::TypeAliasDecl* alias = Find(pack_.aliases, type.name)) {
      return Type(*alias->type, path, bases, optional);
    }
    if (const ast::RecordDecl* named = Find(pack_.structs, type.name)) {
      Record(*named, path, bases);
      return "struct";
    }
    errors_.push_back(path + ": unknown type '" + type.name + "'");
    return "?";
  }

  std::string Literal(const ast::Expr& expr, const std::string& path) {
    if (expr.kind == ast::ExprKind::kLiteral && expr.literal.kind == ast::LiteralKind::kInt) {
      return std::to_string(expr.literal.int_value);
    }
    errors_.push_back(path + ": defaults in the schema are int literals");
    return "?";
  }

  template <typename T>
  static const T* Find(const std::map<std::string, const T*>& map, const std::string& name) {
    auto it = map.find(name);
    return it == map.end() ? nullptr : it->second;
  }

  const Pack& pack_;
  std::vector<std::string> lines_;
  std::vector<std::string> errors_;
};

std::vector<std::string> ExpectedFieldLines() {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(kSourceDir + "/tests/schema/appfacts-1.fields"));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

// The text of the spec copy's section `## <number>.` up to the next `## `.
std::string SpecSection(const std::string& number) {
  std::string spec = ReadFile(kSourceDir + "/tests/spec/appfacts-1.md");
  size_t begin = spec.find("\n## " + number + ". ");
  REQUIRE(begin != std::string::npos);
  size_t end = spec.find("\n## ", begin + 1);
  return spec.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// §4's data-type ids: the backticked dotted names of the list (the heading and the line on prefixes
// hold other names).
std::set<std::string> SpecDataTypes() {
  std::set<std::string> ids;
  std::istringstream in(SpecSection("4"));
  const std::regex id(R"(`([a-z_]+(\.[a-z_]+)*)`)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("#", 0) == 0 || line.find("covers its children") != std::string::npos) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), id), end; it != end; ++it) ids.insert((*it)[1]);
  }
  return ids;
}

std::string StringCell(const ast::Expr* expr) {
  REQUIRE(expr != nullptr);
  REQUIRE_MESSAGE((expr->kind == ast::ExprKind::kLiteral && expr->literal.kind == ast::LiteralKind::kString),
                  "expected a string literal");
  return expr->literal.text;
}

std::vector<std::string> StringListCell(const ast::Expr* expr) {
  REQUIRE(expr != nullptr);
  REQUIRE_MESSAGE(expr->kind == ast::ExprKind::kList, "expected a list literal");
  std::vector<std::string> items;
  for (const ast::Expr* item : expr->args) items.push_back(StringCell(item));
  return items;
}

int ColumnIndex(const ast::TableDecl& table, const std::string& column) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i]->name == column) return static_cast<int>(i);
  }
  FAIL("table '" << table.name << "' has no column '" << column << "'");
  return -1;
}

const ast::TableDecl& Table(const std::string& name) {
  const Pack& pack = AppfactsPack();
  auto it = pack.tables.find(name);
  REQUIRE_MESSAGE(it != pack.tables.end(), "no table '" << name << "'");
  return *it->second;
}

bool IsNamed(const ast::TypeExpr& type, const std::string& name) {
  return type.kind == ast::TypeKind::kNamed && type.name == name;
}

bool IsListOf(const ast::TypeExpr& type, const std::string& name) {
  return type.kind == ast::TypeKind::kGeneric && type.name == "list" && type.args.size() == 1 &&
         IsNamed(*type.args[0], name);
}

// A §4 id, or a prefix covering some (`loc` covers `loc.precise`).
bool IsKnownDataType(const std::string& id, const std::set<std::string>& known) {
  if (known.count(id)) return true;
  return std::any_of(known.begin(), known.end(), [&](const std::string& k) { return k.rfind(id + ".", 0) == 0; });
}

}  // namespace

TEST_CASE("the appfacts pack parses without diagnostics") {
  const Pack& pack = AppfactsPack();
  CHECK_MESSAGE(pack.diags.diagnostics().empty(), pack.rendered_diagnostics);
  CHECK(pack.files.size() >= 2);
  size_t manifests = 0;
  for (const ast::File& file : pack.files) {
    if (file.manifest) {
      ++manifests;
      CHECK(file.manifest->name == "appfacts");
      CHECK(file.manifest->version == "1.0.0");
    }
  }
  CHECK(manifests == 1);
}

TEST_CASE("the schema declares exactly the record kinds and fields of appfacts/1") {
  Flattener flattener(AppfactsPack());
  std::vector<std::string> actual = flattener.Records();
  for (const std::string& error : flattener.errors()) FAIL_CHECK(error);

  std::set<std::string> seen;
  for (const std::string& line : actual) {
    CHECK_MESSAGE(seen.insert(line.substr(0, line.find(' '))).second, "declared twice: " << line);
  }

  std::vector<std::string> expected_lines = ExpectedFieldLines();
  REQUIRE(expected_lines.size() > 400);
  std::set<std::string> expected(expected_lines.begin(), expected_lines.end());
  std::set<std::string> got(actual.begin(), actual.end());
  std::string missing, extra;
  for (const std::string& line : expected) {
    if (!got.count(line)) missing += "  " + line + "\n";
  }
  for (const std::string& line : got) {
    if (!expected.count(line)) extra += "  " + line + "\n";
  }
  CHECK_MESSAGE(missing.empty(), "in tests/schema/appfacts-1.fields but not declared:\n" << missing);
  CHECK_MESSAGE(extra.empty(), "declared but not in tests/schema/appfacts-1.fields:\n" << extra);
}

TEST_CASE("the data-type names cover exactly the ids of appfacts-1 §4") {
  std::set<std::string> spec = SpecDataTypes();
  REQUIRE(spec.size() == 49);
  const ast::TableDecl& names = Table("data_type_names");
  CHECK(names.key == "id");
  std::set<std::string> declared;
  for (const ast::TableDecl::Row& row : names.rows) declared.insert(StringCell(row.cells.at(0)));
  CHECK(declared == spec);
}

TEST_CASE("every data type and permission in the vocabulary is well formed") {
  const Pack& pack = AppfactsPack();
  const std::set<std::string> known = SpecDataTypes();
  size_t checked = 0;
  auto check_data_type = [&](const std::string& id, const std::string& where) {
    CHECK_MESSAGE(IsKnownDataType(id, known), where << ": '" << id << "' is no data type of appfacts-1 §4");
    ++checked;
  };
  auto check_permission = [&](const std::string& name, const std::string& where) {
    CHECK_MESSAGE(std::regex_match(name, std::regex(R"([a-z][a-z0-9_.]*\.permission\.[A-Za-z0-9_.]+)")),
                  where << ": '" << name << "' is no permission name");
    ++checked;
  };
  for (const auto& [name, table] : pack.tables) {
    for (size_t column = 0; column < table->columns.size(); ++column) {
      const ast::TypeExpr& type = *table->columns[column]->type;
      const std::string where = name + "." + table->columns[column]->name;
      for (const ast::TableDecl::Row& row : table->rows) {
        REQUIRE(row.cells.size() == table->columns.size());
        const ast::Expr* cell = row.cells[column];
        if (IsNamed(type, "dt")) check_data_type(StringCell(cell), where);
        if (IsListOf(type, "dt")) {
          for (const std::string& id : StringListCell(cell)) check_data_type(id, where);
        }
        if (IsNamed(type, "perm")) check_permission(StringCell(cell), where);
        if (IsListOf(type, "perm")) {
          for (const std::string& perm : StringListCell(cell)) check_permission(perm, where);
        }
      }
    }
  }
  for (const auto& [name, set] : pack.sets) {
    if (set->type != nullptr && IsNamed(*set->type, "dt") && set->value->kind == ast::ExprKind::kList) {
      for (const std::string& id : StringListCell(set->value)) check_data_type(id, name);
    }
  }
  CHECK(checked > 300);
}

TEST_CASE("the category table is the 39 types of appfacts-1 §5") {
  // `| `01-map-navigation` | 地图导航 | ... |`: three (code, name) pairs per row; `*` marks no-PI.
  std::map<std::string, std::pair<std::string, bool>> spec;
  const std::string section = SpecSection("5");
  const std::regex pair(R"(`(\d\d-[a-z-]+)` \| ([^|*]+?)( \*)? \|)");
  for (std::sregex_iterator it(section.begin(), section.end(), pair), end; it != end; ++it) {
    spec[(*it)[1]] = {(*it)[2], (*it)[3].matched};
  }
  REQUIRE(spec.size() == 39);

  const ast::TableDecl& categories = Table("categories");
  CHECK(categories.key == "code");
  const int code = ColumnIndex(categories, "code"), slug = ColumnIndex(categories, "slug");
  const int name = ColumnIndex(categories, "name"), no_pi = ColumnIndex(categories, "no_pi");
  std::map<std::string, std::pair<std::string, bool>> declared;
  for (const ast::TableDecl::Row& row : categories.rows) {
    const ast::Expr* flag = row.cells.at(no_pi);
    REQUIRE(flag->literal.kind == ast::LiteralKind::kBool);
    declared[StringCell(row.cells.at(code)) + "-" + StringCell(row.cells.at(slug))] = {
        StringCell(row.cells.at(name)), flag->literal.bool_value};
  }
  CHECK(declared == spec);
}

TEST_CASE("the necessary-information table has one row per category and marks unverified rows") {
  const ast::TableDecl& necessary = Table("necessary_pi");
  CHECK(necessary.key == "category");
  const int category = ColumnIndex(necessary, "category"), verified = ColumnIndex(necessary, "verified");
  std::set<std::string> codes;
  size_t unverified = 0;
  for (const ast::TableDecl::Row& row : necessary.rows) {
    codes.insert(StringCell(row.cells.at(category)));
    const ast::Expr* flag = row.cells.at(verified);
    REQUIRE(flag->literal.kind == ast::LiteralKind::kBool);
    if (!flag->literal.bool_value) ++unverified;
  }
  CHECK(codes.size() == 39);
  CHECK(codes.count("01") == 1);
  CHECK(codes.count("39") == 1);
  // research/regulations.md §4 tags rows 9-20, 22-26 and 39 [M] (row 9 in part).
  CHECK(unverified == 18);
}

TEST_CASE("the flattener reports what it cannot resolve") {
  Pack broken;
  diag::FileId file = broken.sources.Add(
      "broken.edict",
      "record a : missing_base { x: no_such_type, y: list<int?> }\n"
      "struct loop { next: loop? }\n"
      "record b { l: loop }\n");
  broken.files.push_back(edict::syntax::ParseFile(broken.sources, file, broken.diags));
  REQUIRE_FALSE(broken.diags.has_errors());
  for (const ast::Decl* decl : broken.files[0].decls) {
    auto* record = static_cast<const ast::RecordDecl*>(decl);
    (decl->kind == ast::DeclKind::kRecord ? broken.records : broken.structs)[decl->name] = record;
  }
  Flattener flattener(broken);
  flattener.Records();
  const std::vector<std::string> expected = {
      "a: unknown base 'missing_base'",
      "a.x: unknown type 'no_such_type'",
      "a.y: list elements are never optional in appfacts/1",
      "b.l.next: 'loop' contains itself",
  };
  CHECK(flattener.errors() == expected);
}
