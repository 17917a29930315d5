// PackSourceFiles, the listing of a directory pack's `.edict` files that both the front end and
// the plan cache's check of a warm start rely on: which entries it takes (names, directories,
// symlinks), the paths it gives, its errors, and that it lists exactly what
// std::filesystem::recursive_directory_iterator does (how it was first written).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "compiler/sema/pack_loader.h"
#include "tests/unit/scratch_tree.h"

namespace {

using namespace edict;
namespace fs = std::filesystem;
using Paths = std::vector<std::string>;

using Tree = testing::ScratchTree;

Paths List(const std::string& directory) {
  std::error_code ec;
  Paths paths = sema::PackSourceFiles(directory, ec);
  CHECK_FALSE(ec);
  return paths;
}

// The listing as recursive_directory_iterator gives it (directory links are not followed).
Paths ReferenceList(const std::string& directory, std::error_code& ec) {
  Paths paths;
  for (auto it = fs::recursive_directory_iterator(directory, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_directory(ec) && it->path().extension() == ".edict") paths.push_back(it->path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

TEST_CASE("a pack's files are its .edict files at any depth, sorted") {
  Tree tree;
  tree.Write("pack/rules.edict");
  tree.Write("pack/a/deep/inner/kinds.edict");
  tree.Write("pack/b/more.edict");
  tree.Write("pack/a/first.edict");
  tree.Write("pack/README.md");
  tree.Write("pack/notes.edict.bak");
  tree.Write("pack/UPPER.EDICT");
  tree.Write("pack/.edict");  // a dot file without a stem has no extension
  tree.Write("pack/a/.hidden.edict");
  tree.Write("pack/twice..edict");
  tree.Directory("pack/empty/nested");
  std::string p = tree.Path("pack");
  CHECK(List(p) == Paths{p + "/a/.hidden.edict", p + "/a/deep/inner/kinds.edict", p + "/a/first.edict",
                         p + "/b/more.edict", p + "/rules.edict", p + "/twice..edict"});
}

TEST_CASE("a directory named .edict is no file, but its files are listed") {
  Tree tree;
  tree.Write("pack/dir.edict/inside.edict");
  tree.Write("pack/dir.edict/other.txt");
  std::string p = tree.Path("pack");
  CHECK(List(p) == Paths{p + "/dir.edict/inside.edict"});
}

TEST_CASE("links: a link to a file is listed, a dangling one too, a link to a directory is neither taken nor entered") {
  Tree tree;
  tree.Write("elsewhere/target.edict");
  tree.Write("elsewhere/dir/hidden.edict");
  tree.Write("pack/main.edict");
  tree.Link(tree.Path("elsewhere/target.edict"), tree.Path("pack/linked.edict"));
  tree.Link(tree.Path("elsewhere/missing.edict"), tree.Path("pack/dangling.edict"));
  tree.Link(tree.Path("elsewhere/dir"), tree.Path("pack/dir"));
  tree.Link(tree.Path("elsewhere/dir"), tree.Path("pack/dir.edict"));
  tree.Link("loop.edict", tree.Path("pack/loop.edict"));
  std::string p = tree.Path("pack");
  CHECK(List(p) == Paths{p + "/dangling.edict", p + "/linked.edict", p + "/loop.edict", p + "/main.edict"});
}

TEST_CASE("the pack directory itself may be a link, and its spelling is kept") {
  Tree tree;
  tree.Write("real/x.edict");
  tree.Write("real/sub/y.edict");
  tree.Link(tree.Path("real"), tree.Path("alias"));
  std::string alias = tree.Path("alias");
  CHECK(List(alias) == Paths{alias + "/sub/y.edict", alias + "/x.edict"});
  CHECK(List(alias + "/") == Paths{alias + "/sub/y.edict", alias + "/x.edict"});
  CHECK(List(tree.Path("real/./sub")) == Paths{tree.Path("real/./sub") + "/y.edict"});
}

TEST_CASE("a directory that cannot be listed sets the error") {
  Tree tree;
  tree.Write("file.edict");
  for (const std::string& path : {tree.Path("missing"), tree.Path("file.edict"), std::string()}) {
    std::error_code ec;
    CHECK(sema::PackSourceFiles(path, ec).empty());
    CHECK(ec);
  }
}

TEST_CASE("every directory of the standard library lists as recursive_directory_iterator does") {
  Tree tree;
  tree.Write("pack/a/x.edict");
  tree.Write("pack/dir.edict/y.edict");
  tree.Link(tree.Path("pack/a"), tree.Path("pack/link"));
  tree.Link(tree.Path("pack/nothing.edict"), tree.Path("pack/dangling.edict"));
  Paths directories = {tree.Path("pack")};
  for (const auto& entry : fs::recursive_directory_iterator(EDICT_SOURCE_DIR "/stdlib-rules")) {
    if (entry.is_directory()) directories.push_back(entry.path().string());
  }
  CHECK(directories.size() > 40);
  for (const std::string& directory : directories) {
    CAPTURE(directory);
    std::error_code ec, reference_ec;
    Paths paths = sema::PackSourceFiles(directory, ec);
    CHECK(paths == ReferenceList(directory, reference_ec));
    CHECK(bool(ec) == bool(reference_ec));
  }
}
