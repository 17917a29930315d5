// Type checking of CEL expressions: the type each expression gets, and the one diagnostic (with
// its did-you-mean) each mistake gets — typical cases and edge cases.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"

namespace {

using namespace edict;

// A pack declared from text, checked, and ready to type expressions against.
class Env {
 public:
  explicit Env(const std::string& declarations = "") {
    auto pack = std::make_unique<sema::Pack>();
    diag::FileId file = sources_.Add("decls.edict", declarations);
    pack->files.push_back(syntax::ParseFile(sources_, file, diags_));
    pack->root = true;
    program_.packs.push_back(std::move(pack));
    sema::CheckProgram(program_, sources_, diags_);
    declaration_errors_ = diags_.diagnostics().size();
  }

  size_t declaration_errors() const { return declaration_errors_; }

  // The type of a record or struct declared in the pack, for variables.
  const sema::Type* Named(const std::string& name) {
    return program_.scopes.begin()->second.at(name)->type;
  }

  struct Result {
    std::string type;
    std::vector<std::string> codes;  // of the diagnostics the expression produced
    std::string help;                // of the first one
  };

  Result Type(const std::string& text, const std::map<std::string, const sema::Type*>& variables = {}) {
    size_t before = diags_.diagnostics().size();
    diag::FileId file = sources_.Add("expr.cel", text);
    ast::Expr* expr = syntax::ParseExpression(sources_, file, arena_, diags_);
    Result result;
    if (expr != nullptr) result.type = sema::ToString(sema::CheckExpression(program_, expr, variables, sources_, diags_));
    for (size_t i = before; i < diags_.diagnostics().size(); ++i) {
      const diag::Diagnostic& d = diags_.diagnostics()[i];
      result.codes.push_back(diag::Info(d.id).code);
      if (i == before) result.help = d.help;
    }
    return result;
  }

  std::string TypeOk(const std::string& text, const std::map<std::string, const sema::Type*>& variables = {}) {
    Result result = Type(text, variables);
    INFO(text);
    CHECK(result.codes.empty());
    return result.type;
  }

  // The single diagnostic code the expression produces.
  std::string Error(const std::string& text, const std::map<std::string, const sema::Type*>& variables = {}) {
    Result result = Type(text, variables);
    INFO(text);
    REQUIRE(result.codes.size() == 1);
    last_help_ = result.help;
    return result.codes[0];
  }
  const std::string& last_help() const { return last_help_; }

  sema::TypeContext& types() { return program_.types; }

 private:
  diag::SourceManager sources_;
  diag::DiagnosticEngine diags_;
  ast::AstArena arena_;
  sema::Program program_;
  size_t declaration_errors_ = 0;
  std::string last_help_;
};

const char* kDeclarations = R"(
record event {
  t: duration
  state: enum("launched", "exited")
  name: string?
  tags: list<string>
  count: int = 1
}
struct point { x: int  y: int? }
const limit = 3
param window: duration = 5m
let last = max(e.t for e: event)
fn twice(n: int): int = n * 2
fn tagged(e: event) = "x" in e.tags
)";

}  // namespace

TEST_CASE("literals have their CEL types") {
  Env env;
  CHECK(env.TypeOk("1") == "int");
  CHECK(env.TypeOk("1u") == "uint");
  CHECK(env.TypeOk("1.5") == "double");
  CHECK(env.TypeOk("'a'") == "string");
  CHECK(env.TypeOk("b'a'") == "bytes");
  CHECK(env.TypeOk("true") == "bool");
  CHECK(env.TypeOk("null") == "null_type");
  CHECK(env.TypeOk("48h") == "duration");
}

TEST_CASE("operators are typed by overloads.def") {
  Env env;
  CHECK(env.TypeOk("1 + 2 * 3 % 2") == "int");
  CHECK(env.TypeOk("'a' + 'b'") == "string");
  CHECK(env.TypeOk("[1] + [2]") == "list(int)");
  CHECK(env.TypeOk("timestamp('2020-01-01T00:00:00Z') - timestamp('2020-01-01T00:00:00Z')") == "duration");
  CHECK(env.TypeOk("duration('1h') + timestamp('2020-01-01T00:00:00Z')") == "timestamp");
  CHECK(env.TypeOk("-1.5") == "double");
  CHECK(env.TypeOk("!true") == "bool");
  CHECK(env.Error("1 + 2.0") == "E063");
  CHECK(env.Error("-'a'") == "E063");
  CHECK(env.Error("!1") == "E063");
  CHECK(env.Error("'a' < 1") == "E063");
}

TEST_CASE("comparisons: numbers compare across kinds, other mixes do not") {
  Env env;
  CHECK(env.TypeOk("1 < 2.0") == "bool");
  CHECK(env.TypeOk("1u >= 2") == "bool");
  CHECK(env.TypeOk("1 == 1.0") == "bool");
  CHECK(env.TypeOk("[1] == [2.0]") == "bool");
  CHECK(env.TypeOk("1 in [1.0, 2.0]") == "bool");
  CHECK(env.TypeOk("'a' in {'a': 1}") == "bool");
  CHECK(env.TypeOk("null == 1") == "bool");
  CHECK(env.Error("1 == 'a'") == "E066");
  CHECK(env.Error("1 in ['a']") == "E066");
  CHECK(env.Error("1 in 2") == "E063");
}

TEST_CASE("logic and conditionals") {
  Env env;
  CHECK(env.TypeOk("true && false || !true") == "bool");
  CHECK(env.TypeOk("true ? 1 : 2") == "int");
  CHECK(env.TypeOk("true ? dyn(1) : 2") == "int");
  CHECK(env.Error("true && 1") == "E044");
  CHECK(env.Error("1 ? 2 : 3") == "E044");
  CHECK(env.Error("true ? 1 : 'a'") == "E067");
}

TEST_CASE("list and map literals join their element types") {
  Env env;
  CHECK(env.TypeOk("[1, 2]") == "list(int)");
  CHECK(env.TypeOk("[1, 'a']") == "list(dyn)");
  CHECK(env.TypeOk("[]") == "list(dyn)");
  CHECK(env.TypeOk("{'a': 1, 'b': 2}") == "map(string, int)");
  CHECK(env.TypeOk("{1: 'a', 2: true}") == "map(int, dyn)");
  CHECK(env.Error("{[1]: 2}") == "E075");
}

TEST_CASE("indexing lists and maps") {
  Env env;
  CHECK(env.TypeOk("[1, 2][0]") == "int");
  CHECK(env.TypeOk("{'a': [1]}['a']") == "list(int)");
  CHECK(env.TypeOk("dyn([1])[0]") == "dyn");
  CHECK(env.Error("[1]['a']") == "E044");
  CHECK(env.Error("1[0]") == "E077");
}

TEST_CASE("builtin functions, global and receiver style") {
  Env env;
  CHECK(env.TypeOk("size('abc') + 'abc'.size() + size([1]) + size({'a': 1})") == "int");
  CHECK(env.TypeOk("'abc'.contains('b') && 'a'.startsWith('a') && 'a'.matches('[a-z]')") == "bool");
  CHECK(env.TypeOk("int('5') + int(2.5)") == "int");
  CHECK(env.TypeOk("string(1)") == "string");
  CHECK(env.TypeOk("duration('1h')") == "duration");
  CHECK(env.TypeOk("timestamp('2020-01-01T00:00:00Z').getHours('+08:00')") == "int");
  CHECK(env.TypeOk("type(1)") == "type(int)");
  CHECK(env.TypeOk("type(1) == int") == "bool");
  CHECK(env.Error("size(1)") == "E063");
  CHECK(env.last_help().find("size(string) -> int") != std::string::npos);
  CHECK(env.Error("'abc'.contains(1)") == "E063");
  CHECK(env.Error("contains('a', 'b')") == "E064");
  CHECK(env.last_help() == "'contains' is called on a value: x.contains(...)");
  CHECK(env.Error("sise('a')") == "E064");
  CHECK(env.last_help() == "did you mean 'size'?");
  CHECK(env.Error("1.size()") == "E063");
}

TEST_CASE("dyn arguments select every overload they might match") {
  Env env;
  CHECK(env.TypeOk("dyn(1) + 1") == "int");
  CHECK(env.TypeOk("dyn(1) + dyn(2)") == "dyn");
  CHECK(env.TypeOk("x.y.z", {{"x", env.types().Dyn()}}) == "dyn");
  CHECK(env.TypeOk("x[0] < 1", {{"x", env.types().Dyn()}}) == "bool");
}

TEST_CASE("macros bind their variables") {
  Env env;
  CHECK(env.TypeOk("[1, 2].all(x, x > 0)") == "bool");
  CHECK(env.TypeOk("[1, 2].exists_one(x, x > 1)") == "bool");
  CHECK(env.TypeOk("[1, 2].map(x, x * 2)") == "list(int)");
  CHECK(env.TypeOk("[1, 2].map(x, x > 1, string(x))") == "list(string)");
  CHECK(env.TypeOk("[1, 2].filter(x, x > 1)") == "list(int)");
  CHECK(env.TypeOk("{'a': 1}.exists(k, k == 'a')") == "bool");
  CHECK(env.TypeOk("{'a': 1}.all(k, v, k == 'a' && v > 0)") == "bool");
  CHECK(env.TypeOk("['a'].all(i, v, i < 1 && v == 'a')") == "bool");
  CHECK(env.TypeOk("has({'a': 1}.a)") == "bool");
  CHECK(env.Error("[1].all(x, x)") == "E044");
  CHECK(env.Error("1.all(x, true)") == "E076");
  CHECK(env.Error("[1].map(x, y)") == "E060");
}

TEST_CASE("transformMap keeps the keys (a list's indices) and types the values by the transform") {
  Env env;
  CHECK(env.TypeOk("{'a': 1}.transformMap(k, v, v * 2)") == "map(string, int)");
  CHECK(env.TypeOk("{'a': 1}.transformMap(k, v, k == 'a', string(v))") == "map(string, string)");
  CHECK(env.TypeOk("['a'].transformMap(i, v, v + 'b')") == "map(int, string)");
  CHECK(env.TypeOk("{}.transformMap(k, v, k + v)") == "map(dyn, dyn)");
  CHECK(env.TypeOk("x.transformMap(k, v, 1)", {{"x", env.types().Dyn()}}) == "map(dyn, int)");
  CHECK(env.Error("{'a': 1}.transformMap(k, v, v, v)") == "E044");
  CHECK(env.Error("{'a': 1}.transformMap(k, v, w)") == "E060");
  CHECK(env.Error("1.transformMap(k, v, v)") == "E076");
}

TEST_CASE("type values compare whatever types they denote") {
  Env env;
  CHECK(env.TypeOk("type(7) == type(7u)") == "bool");
  CHECK(env.TypeOk("type([1]) != type(['a'])") == "bool");
  CHECK(env.TypeOk("type(type(1)) == type(type(1u))") == "bool");
  CHECK(env.TypeOk("int == uint") == "bool");
  CHECK(env.Error("type(1) == 1") == "E066");
}

TEST_CASE("google.protobuf.Timestamp and Duration name the timestamp and duration types") {
  Env env;
  CHECK(env.TypeOk("google.protobuf.Timestamp") == "type(timestamp)");
  CHECK(env.TypeOk(".google.protobuf.Duration == type(duration('1s'))") == "bool");
  CHECK(env.TypeOk("google.protobuf.Duration", {{"google", env.types().Dyn()}}) == "dyn");
  CHECK(env.Error("google.protobuf.Any") == "E060");
}

TEST_CASE("one mistake gives one error: the error type silences what depends on it") {
  Env env;
  CHECK(env.Error("(foo + 1) * 2 < 3 && size(foo) > 0 || foo.bar") == "E060");
  CHECK(env.Error("[1, 2].map(x, x.nope + 1).filter(y, y > 2)") == "E062");
  CHECK(env.Error("sise(1) + 2") == "E064");
}

TEST_CASE("records and structs: fields, optional fields, has()") {
  Env env(kDeclarations);
  REQUIRE(env.declaration_errors() == 0);
  std::map<std::string, const edict::sema::Type*> e = {{"e", env.Named("event")}, {"p", env.Named("point")}};
  CHECK(env.TypeOk("e.t", e) == "duration");
  CHECK(env.TypeOk("e.name", e) == "string");
  CHECK(env.TypeOk("e.t - e.t < window", e) == "bool");
  CHECK(env.TypeOk("has(e.name)", e) == "bool");
  CHECK(env.TypeOk("p.x + p.y", e) == "int");
  CHECK(env.TypeOk("point{x: 1, y: 2}") == "point");
  CHECK(env.Error("e.stat", e) == "E061");
  CHECK(env.last_help() == "did you mean 'state'?");
  CHECK(env.Error("e.t < 5", e) == "E063");
  CHECK(env.Error("e.t.seconds", e) == "E062");
  CHECK(env.Error("has(e.state)", e) == "W006");
  CHECK(env.Error("point{z: 1}") == "E061");
  CHECK(env.Error("point{x: 'a'}") == "E044");
}

TEST_CASE("enums are strings checked against their values") {
  Env env(kDeclarations);
  std::map<std::string, const edict::sema::Type*> e = {{"e", env.Named("event")}};
  CHECK(env.TypeOk("e.state == 'exited' && e.state != 'launched'", e) == "bool");
  CHECK(env.TypeOk("e.state + '!'", e) == "string");
  CHECK(env.TypeOk("e.state == e.name", e) == "bool");
  CHECK(env.Error("e.state == 'exitted'", e) == "E065");
  CHECK(env.last_help() == "did you mean 'exited'?");
  CHECK(env.Error("'exitted' == e.state", e) == "E065");
  CHECK(env.Error("e.state in ['launched', 'exitd']", e) == "E065");
}

TEST_CASE("declarations: consts, params, lets and functions") {
  Env env(kDeclarations);
  std::map<std::string, const edict::sema::Type*> e = {{"e", env.Named("event")}};
  CHECK(env.TypeOk("limit + 1") == "int");
  CHECK(env.TypeOk("window") == "duration");
  CHECK(env.TypeOk("last") == "duration");
  CHECK(env.TypeOk("twice(limit)") == "int");
  CHECK(env.TypeOk("tagged(e)", e) == "bool");
  CHECK(env.Error("twice('a')") == "E044");
  CHECK(env.Error("twice(1, 2)") == "E070");
  CHECK(env.Error("twice") == "E068");
  CHECK(env.Error("event") == "E068");
  CHECK(env.Error("twise(1)") == "E064");
  CHECK(env.last_help() == "did you mean 'twice'?");
}

TEST_CASE("aggregates over record kinds") {
  Env env(kDeclarations);
  CHECK(env.TypeOk("count(x: event where x.state == 'launched')") == "int");
  CHECK(env.TypeOk("exists(x: event)") == "bool");
  CHECK(env.TypeOk("min(x.name for x: event)") == "string");
  CHECK(env.TypeOk("sum(x.count for x: event)") == "int");
  CHECK(env.TypeOk("distinct(x.state for x: event)") == "int");
  CHECK(env.TypeOk("count(x: event, tag: x.tags where tag == 'a')") == "int");
  CHECK(env.Error("count(x: evnt)") == "E099");
  CHECK(env.last_help() == "did you mean 'event'?");
  CHECK(env.Error("sum(x.tags for x: event)") == "E074");
  CHECK(env.Error("count(x.t for x: event)") == "E073");
  CHECK(env.Error("min(x: event)") == "E072");
  CHECK(env.Error("avg(x.t for x: event)") == "E071");
  CHECK(env.Error("count(x: limit)") == "E069");
}
