// Packs and imports: discovering a pack's files, manifests, resolving imports along the search
// path, version constraints, cycles, name clashes and visibility; and semantic versions.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "compiler/sema/check.h"
#include "compiler/sema/semver.h"
#include "tests/unit/scratch_tree.h"

namespace {

using namespace edict;
using Tree = testing::ScratchTree;

std::string Manifest(const std::string& name, const std::string& version, const std::string& imports = "") {
  return "pack " + name + " " + version + " {\n  title: \"" + name + "\"\n" + imports + "}\n";
}

struct Checked {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::unique_ptr<sema::Program> program;

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const diag::Diagnostic& d : diags.diagnostics()) codes.push_back(diag::Info(d.id).code);
    return codes;
  }
  std::vector<std::string> PackNames() const {
    std::vector<std::string> names;
    for (const auto& pack : program->packs) names.push_back(pack->DisplayName());
    return names;
  }
};

std::unique_ptr<Checked> Check(const std::vector<std::string>& inputs, const sema::LoadOptions& options = {}) {
  auto checked = std::make_unique<Checked>();
  sema::LoadOptions with_defaults = options;
  with_defaults.use_environment = options.use_environment;
  checked->program = sema::CheckPaths(inputs, with_defaults, checked->sources, checked->diags);
  return checked;
}

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("semantic versions parse, order and satisfy constraints") {
  CHECK(sema::ParseVersion("1.2.3").has_value());
  CHECK(sema::ParseVersion("1.2.3-rc.1")->prerelease == "rc.1");
  CHECK_FALSE(sema::ParseVersion("1.2").has_value());
  CHECK_FALSE(sema::ParseVersion("1.2.x").has_value());
  CHECK_FALSE(sema::ParseVersion("1..2").has_value());
  CHECK(sema::ParseConstraintVersion("1")->minor == 0);
  CHECK(sema::ParseConstraintVersion("1.4")->minor == 4);
  auto v = [](const char* text) { return *sema::ParseVersion(text); };
  CHECK(sema::Compare(v("1.2.3"), v("1.10.0")) < 0);
  CHECK(sema::Compare(v("1.0.0-rc.1"), v("1.0.0")) < 0);
  CHECK(sema::Compare(v("2.0.0"), v("2.0.0")) == 0);
  CHECK(sema::Satisfies(v("1.2.0"), ">=", *sema::ParseConstraintVersion("1.0")));
  CHECK_FALSE(sema::Satisfies(v("0.9.0"), ">=", *sema::ParseConstraintVersion("1.0")));
  CHECK(sema::Satisfies(v("1.0.0"), "==", *sema::ParseConstraintVersion("1")));
  CHECK(sema::Satisfies(v("1.9.9"), "<", *sema::ParseConstraintVersion("2")));
  CHECK_FALSE(sema::Satisfies(v("2.0.0"), "<", *sema::ParseConstraintVersion("2")));
}

TEST_CASE("a pack is every .edict file below its directory, with one manifest") {
  Tree tree;
  tree.Write("main/pack.edict", Manifest("main", "1.0.0"));
  tree.Write("main/deep/inner/kinds.edict", "record event { t: duration }\n");
  tree.Write("main/rules.edict", "let n = count(e: event)\n");
  tree.Write("main/fixtures/a.jsonl", "{}\n");
  auto checked = Check({tree.Path("main")});
  CHECK(checked->Codes() == Codes{});
  REQUIRE(checked->program->packs.size() == 1);
  CHECK(checked->program->packs[0]->files.size() == 3);
  CHECK(checked->program->packs[0]->root);
}

TEST_CASE("manifests: none, two, and invalid versions") {
  Tree tree;
  tree.Write("none/a.edict", "const a = 1\n");
  CHECK(Check({tree.Path("none")})->Codes() == Codes{"E030"});
  tree.Write("two/a.edict", Manifest("two", "1.0.0"));
  tree.Write("two/b.edict", Manifest("two", "1.0.0"));
  CHECK(Check({tree.Path("two")})->Codes() == Codes{"E031"});
  tree.Write("bad/pack.edict", Manifest("bad", "1.0"));
  CHECK(Check({tree.Path("bad")})->Codes() == Codes{"E034"});
}

TEST_CASE("imports resolve next to the importer, then --pack-path, then $EDICT_PACK_PATH") {
  Tree tree;
  tree.Write("packs/lib/pack.edict", Manifest("lib", "1.2.0") + "const answer = 42\n");
  tree.Write("packs/main/pack.edict", Manifest("main", "1.0.0", "  import lib >= 1.1\n") + "const x = answer + 1\n");
  auto sibling = Check({tree.Path("packs/main")});
  CHECK(sibling->Codes() == Codes{});
  CHECK(sibling->PackNames() == std::vector<std::string>{"lib", "main"});

  tree.Write("elsewhere/app/pack.edict", Manifest("app", "1.0.0", "  import lib\n") + "const y = answer\n");
  CHECK(Check({tree.Path("elsewhere/app")})->Codes() == Codes{"E032", "E060"});
  sema::LoadOptions with_path;
  with_path.pack_path = {tree.Path("packs")};
  CHECK(Check({tree.Path("elsewhere/app")}, with_path)->Codes() == Codes{});

  setenv("EDICT_PACK_PATH", ("/nonexistent:" + tree.Path("packs")).c_str(), 1);
  CHECK(Check({tree.Path("elsewhere/app")})->Codes() == Codes{});
  sema::LoadOptions without_environment;
  without_environment.use_environment = false;
  CHECK(Check({tree.Path("elsewhere/app")}, without_environment)->Codes() == Codes{"E032", "E060"});
  unsetenv("EDICT_PACK_PATH");
}

TEST_CASE("imported packs: version constraints, names, and each pack loaded once") {
  Tree tree;
  tree.Write("p/base/pack.edict", Manifest("base", "2.0.0") + "const b = 1\n");
  tree.Write("p/left/pack.edict", Manifest("left", "1.0.0", "  import base >= 2\n") + "const l = b\n");
  tree.Write("p/right/pack.edict", Manifest("right", "1.0.0", "  import base == 2.0.0\n") + "const r = b\n");
  tree.Write("p/top/pack.edict", Manifest("top", "1.0.0", "  import left\n  import right\n") + "const t = l + r\n");
  auto diamond = Check({tree.Path("p/top")});
  CHECK(diamond->Codes() == Codes{});
  CHECK(diamond->PackNames() == std::vector<std::string>{"base", "left", "right", "top"});

  tree.Write("p/old/pack.edict", Manifest("old", "1.0.0", "  import base < 2\n") + "const o = b\n");
  CHECK(Check({tree.Path("p/old")})->Codes() == Codes{"E035"});
  tree.Write("p/misnamed/pack.edict", Manifest("other", "1.0.0"));
  tree.Write("p/user/pack.edict", Manifest("user", "1.0.0", "  import misnamed\n"));
  CHECK(Check({tree.Path("p/user")})->Codes() == Codes{"E033"});
  tree.Write("p/empty/notes.edict", "const unused = 1\n");
  tree.Write("p/user2/pack.edict", Manifest("user2", "1.0.0", "  import empty\n"));
  CHECK(Check({tree.Path("p/user2")})->Codes() == Codes{"E030"});
}

TEST_CASE("imports are not transitive") {
  Tree tree;
  tree.Write("p/base/pack.edict", Manifest("base", "1.0.0") + "const b = 1\n");
  tree.Write("p/mid/pack.edict", Manifest("mid", "1.0.0", "  import base\n") + "const m = b\n");
  tree.Write("p/top/pack.edict", Manifest("top", "1.0.0", "  import mid\n") + "const t = m + b\n");
  CHECK(Check({tree.Path("p/top")})->Codes() == Codes{"E060"});
}

TEST_CASE("an import cycle is reported once, wherever the traversal starts") {
  Tree tree;
  tree.Write("c/alpha/pack.edict", Manifest("alpha", "1.0.0", "  import beta\n"));
  tree.Write("c/beta/pack.edict", Manifest("beta", "1.0.0", "  import gamma\n"));
  tree.Write("c/gamma/pack.edict", Manifest("gamma", "1.0.0", "  import alpha\n"));
  auto from_alpha = Check({tree.Path("c/alpha")});
  auto from_gamma = Check({tree.Path("c/gamma")});
  REQUIRE(from_alpha->Codes() == Codes{"E036"});
  REQUIRE(from_gamma->Codes() == Codes{"E036"});
  const diag::Diagnostic& a = from_alpha->diags.diagnostics()[0];
  const diag::Diagnostic& g = from_gamma->diags.diagnostics()[0];
  CHECK(a.message == "import cycle: alpha -> beta -> gamma -> alpha");
  CHECK(g.message == a.message);
  CHECK(from_alpha->sources.path(a.range.file) == from_gamma->sources.path(g.range.file));
}

TEST_CASE("a name from two packs is a clash with a note at each declaration") {
  Tree tree;
  tree.Write("p/one/pack.edict", Manifest("one", "1.0.0") + "const shared = 1\n");
  tree.Write("p/two/pack.edict", Manifest("two", "1.0.0") + "const shared = 2\n");
  tree.Write("p/both/pack.edict", Manifest("both", "1.0.0", "  import one\n  import two\n"));
  auto both = Check({tree.Path("p/both")});
  REQUIRE(both->Codes() == Codes{"E037"});
  CHECK(both->diags.diagnostics()[0].notes.size() == 2);
  tree.Write("p/own/pack.edict", Manifest("own", "1.0.0", "  import one\n") + "const shared = 3\n");
  CHECK(Check({tree.Path("p/own")})->Codes() == Codes{"E037"});
}

TEST_CASE("plain files form one pack; a manifest among them names it and its imports") {
  Tree tree;
  std::string a = tree.Write("files/a.edict", "const a = 1\n");
  std::string b = tree.Write("files/b.edict", "const b = a + 1\n");
  auto anonymous = Check({a, b});
  CHECK(anonymous->Codes() == Codes{});
  REQUIRE(anonymous->program->packs.size() == 1);
  CHECK(anonymous->program->packs[0]->name.empty());

  tree.Write("files/lib/pack.edict", Manifest("lib", "1.0.0") + "const l = 1\n");
  std::string named = tree.Write("files/named.edict", Manifest("named", "0.1.0", "  import lib\n") + "const n = l\n");
  auto single = Check({named});
  CHECK(single->Codes() == Codes{});
  CHECK(single->PackNames() == std::vector<std::string>{"lib", "named"});
}

TEST_CASE("a file with syntax errors stops the checker before name resolution") {
  Tree tree;
  std::string file = tree.Write("broken.edict", "const a = (1 +\nconst b = nope\n");
  auto checked = Check({file});
  REQUIRE_FALSE(checked->Codes().empty());
  for (const std::string& code : checked->Codes()) CHECK(code < "E030");
}
