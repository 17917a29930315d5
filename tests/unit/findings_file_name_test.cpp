// findings::FileName, the facts file name every evidence record shares: copies share one string,
// and it compares, orders, concatenates and reads as that string.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/findings/model.h"

using edict::findings::Evidence;
using edict::findings::FileName;

TEST_CASE("a file name reads, compares and orders as its string; copies share it") {
  FileName file(std::string("build/bench/session-1000000-seed7.jsonl"));
  FileName copy = file;
  CHECK(&copy.str() == &file.str());
  CHECK(copy == file);
  CHECK(file == "build/bench/session-1000000-seed7.jsonl");
  CHECK(FileName("a.jsonl") == FileName("a.jsonl"));  // different storage, same text
  CHECK(FileName("a.jsonl") != FileName("b.jsonl"));
  CHECK(FileName("a.jsonl") < FileName("b.jsonl"));
  CHECK_FALSE(file < copy);
  CHECK(std::string_view(file).size() == 39);
  CHECK("<" + file + ">" == "<build/bench/session-1000000-seed7.jsonl>");
  CHECK(FileName().str().empty());
  CHECK(FileName() == FileName(""));
  CHECK(FileName() < FileName("a"));
}

TEST_CASE("evidence orders by its file's text") {
  std::vector<Evidence> evidence(3);
  evidence[0].file = "c.jsonl";
  evidence[1].file = "a.jsonl";
  evidence[2].file = evidence[0].file;
  std::sort(evidence.begin(), evidence.end(), [](const Evidence& x, const Evidence& y) { return x.file < y.file; });
  CHECK(evidence[0].file.str() == "a.jsonl");
  CHECK(evidence[1].file == evidence[2].file);
}
