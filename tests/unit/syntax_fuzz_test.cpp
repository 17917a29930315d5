// Robustness: 2 000 seeded random mutations of the repository's .edict files and of CEL
// expressions go through the parser without a crash or an exception, and whatever still parses
// cleanly still round-trips through the printer.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> Corpus() {
  std::vector<std::string> texts;
  for (const char* dir : {"stdlib-rules", "examples", "tests/syntax", "tests/diagnostics"}) {
    fs::path root = SourcePath(dir);
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".edict") texts.push_back(ReadFile(entry.path()));
    }
  }
  std::sort(texts.begin(), texts.end());  // directory order is not stable; the seed's meaning should be
  return texts;
}

std::vector<std::string> CelCorpus() {
  std::vector<std::string> exprs;
  std::istringstream lines(ReadFile(SourcePath("tests/conformance/cel/cel-conformance.jsonl")));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) exprs.push_back(nlohmann::json::parse(line)["expr"]);
  }
  return exprs;
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  std::string Mutate(std::string text) {
    for (int n = 1 + Pick(4); n > 0; --n) {
      size_t at = text.empty() ? 0 : Pick(text.size() + 1);
      switch (Pick(7)) {
        case 0:
          if (!text.empty()) text[std::min(at, text.size() - 1)] = static_cast<char>(Pick(256));
          break;
        case 1: {
          static const char* kPieces[] = {
              "(", ")", "[", "]", "{", "}", "\"", "'", "\"\"\"", "/*", "*/", "//", "\\", "`", "?", ":", ",",
              "&&", "-", " - ", "rule ", "\nlet x = ", "\n", "\xff", "\xe4\xb8", "{{", "}}", "has(", ".all(",
              "1h", "9999999999999999999999", "0x", "u", "r\"", "b'", "\\u", "report: \"{", " where ", "#", "．"};
          text.insert(at, kPieces[Pick(std::size(kPieces))]);
          break;
        }
        case 2: text.erase(at, static_cast<size_t>(Pick(20))); break;
        case 3: {
          std::string piece = text.substr(at, static_cast<size_t>(Pick(40)));
          text.insert(std::min(at + piece.size(), text.size()), piece);
          break;
        }
        case 4: text.insert(at, std::string(1 + Pick(600), "([{"[Pick(3)])); break;
        case 5: text.resize(at); break;
        default: {
          std::string op = Pick(2) == 0 ? " && x" : ".y";
          std::string chain;
          for (int i = Pick(5000); i > 0; --i) chain += op;
          text.insert(at, chain);
        }
      }
    }
    return text;
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("mutated files and expressions never crash the parser") {
  std::vector<std::string> files = Corpus();
  std::vector<std::string> exprs = CelCorpus();
  REQUIRE(!files.empty());
  Mutator mutator(0xED1C7);
  std::mt19937 choose(7);
  size_t clean = 0;
  for (int i = 0; i < 2000; ++i) {
    bool file = i % 2 == 0;
    const std::string& original =
        file ? files[choose() % files.size()] : exprs[choose() % exprs.size()];
    std::string mutated = mutator.Mutate(original);
    INFO("case " << i << ":\n" << mutated.substr(0, 2000));
    std::unique_ptr<Parsed> parsed;
    CHECK_NOTHROW(parsed = file ? ParseText(mutated) : ParseCel(mutated));
    REQUIRE(parsed != nullptr);
    if (!parsed->ok()) continue;
    ++clean;
    CHECK((file ? FileRoundTrip(parsed->ast) : CelRoundTrip(*parsed->expr)) == "");
  }
  MESSAGE(clean << " of 2000 mutants still parsed and round-tripped");
}
