// Every diagnostic in diagnostics.def has a golden case under tests/diagnostics/ that expects it
// by code, so no message exists that no test has ever produced.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "compiler/diag/diagnostic.h"

namespace {

namespace fs = std::filesystem;

struct Corpus {
  std::set<std::string> codes;  // codes named by an expect-error / expect-warning
  bool did_you_mean = false;    // some case expects a "did you mean" help
};

Corpus ReadCorpus() {
  static const std::regex kCode(R"(expect-(?:error|warning)(?:@(?:[+-]\d+|none))?\[([EW]\d+)\])");
  static const std::regex kDidYouMean(R"(expect-help[^:]*: did you mean)");
  Corpus corpus;
  fs::path root = fs::path(EDICT_SOURCE_DIR) / "tests" / "diagnostics";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".edict") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    for (std::sregex_iterator it(content.begin(), content.end(), kCode), end; it != end; ++it) {
      corpus.codes.insert((*it)[1]);
    }
    if (std::regex_search(content, kDidYouMean)) corpus.did_you_mean = true;
  }
  return corpus;
}

}  // namespace

TEST_CASE("every diagnostic id has a golden case") {
  Corpus corpus = ReadCorpus();
  std::string missing;
  size_t warnings = 0;
  for (const edict::diag::DiagInfo& info : edict::diag::AllDiagnostics()) {
    if (std::string(info.name).rfind("Retired", 0) == 0) continue;
    if (info.severity == edict::diag::Severity::kWarning) ++warnings;
    if (!corpus.codes.count(info.code)) missing += std::string(" ") + info.code + " (" + info.name + ")";
  }
  CHECK_MESSAGE(missing.empty(), "no golden case expects:" << missing);
  CHECK(edict::diag::AllDiagnostics().size() >= 40);
  CHECK(warnings > 0);
  CHECK_MESSAGE(corpus.did_you_mean, "no golden case checks a did-you-mean help");
}
