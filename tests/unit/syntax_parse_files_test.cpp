// ParseFiles, the parse of a pack's files on several threads: every file's AST and diagnostics
// are those of ParseFile on its own, whichever thread parsed it and in whatever order.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "tests/unit/syntax_helpers.h"

using namespace edict;
using namespace edict::syntax::testing;
namespace fs = std::filesystem;

namespace {

// The standard library's sources (enough text for more than one thread), and broken copies of
// some of them, so that errors are reported from more than one file.
std::vector<std::pair<std::string, std::string>> Sources() {
  std::vector<std::pair<std::string, std::string>> sources;
  for (const auto& entry : fs::recursive_directory_iterator(SourcePath("stdlib-rules"))) {
    if (entry.path().extension() == ".edict") sources.emplace_back(entry.path().string(), ReadFile(entry.path()));
  }
  std::sort(sources.begin(), sources.end());
  for (size_t i = 0; i < sources.size(); i += 5) {
    std::string broken = sources[i].second;
    broken.insert(broken.size() / 2, "\nrule broken {\n  where (\n}\n");
    sources.emplace_back(sources[i].first + ".broken", broken);
  }
  return sources;
}

std::vector<std::string> Rendered(const diag::DiagnosticEngine& diags, const diag::SourceManager& sources) {
  std::vector<std::string> out;
  for (const diag::Diagnostic& d : diags.diagnostics()) out.push_back(diag::RenderText(d, sources, false));
  return out;
}

}  // namespace

TEST_CASE("files parsed together are parsed as each alone") {
  diag::SourceManager sources;
  std::vector<diag::FileId> files;
  for (const auto& [path, text] : Sources()) files.push_back(sources.Add(path, text));
  REQUIRE(files.size() > 30);

  std::vector<ast::File> alone;
  std::vector<diag::DiagnosticEngine> alone_diags(files.size());
  for (size_t i = 0; i < files.size(); ++i) alone.push_back(syntax::ParseFile(sources, files[i], alone_diags[i]));
  size_t broken = std::count_if(alone_diags.begin(), alone_diags.end(), [](const auto& d) { return d.has_errors(); });
  CHECK(broken >= 5);

  // Several rounds: a race between the threads would show as a difference in some round.
  for (int round = 0; round < 8; ++round) {
    CAPTURE(round);
    std::vector<diag::DiagnosticEngine> diags(files.size());
    std::vector<ast::File> together = syntax::ParseFiles(sources, files, diags);
    REQUIRE(together.size() == files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      CAPTURE(sources.path(files[i]));
      CHECK(together[i].file == files[i]);
      CHECK(ast::Equal(together[i], alone[i]));
      CHECK(Rendered(diags[i], sources) == Rendered(alone_diags[i], sources));
    }
  }
}

TEST_CASE("parsing no files, or one, needs no thread") {
  diag::SourceManager sources;
  CHECK(syntax::ParseFiles(sources, {}, {}).empty());
  diag::FileId file = sources.Add("one.edict", "let x = 1\n");
  std::vector<diag::DiagnosticEngine> diags(1);
  std::vector<ast::File> parsed = syntax::ParseFiles(sources, std::vector<diag::FileId>{file}, diags);
  REQUIRE(parsed.size() == 1);
  CHECK(parsed[0].decls.size() == 1);
  CHECK_FALSE(diags[0].has_errors());
}
