// Machine::Slice, the search of an index's rows for a time range that range answers and indexed
// scans share, against a full binary search: probes in time order, backwards, at random and
// jumping between the far ends, over times that repeat, with empty, one-sided, unbounded and
// unsearched ranges, probes before the first row and after the last, and rows that are empty;
// and what it costs in comparisons: a few for a probe near the last, at most two gallops and
// binary searches for any.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/interp/machine.h"
#include "tests/plan/fact_lines.h"

using namespace edict;
using interp::Machine;
using interp::ScanIndex;

namespace {

// `n` rows whose times step by 0 to 3: many times repeat.
ScanIndex::Rows RowsAt(uint32_t n, uint32_t seed) {
  ScanIndex::Rows rows;
  testing::PseudoRandom next(seed);
  int64_t t = 0;
  for (uint32_t row = 0; row < n; ++row) {
    t += next() % 4;
    rows.Add(row, t);
  }
  return rows;
}

// What a binary search over all the rows answers.
std::pair<size_t, size_t> Expected(const ScanIndex::Rows& rows, const Machine::Range& range) {
  if (range.empty()) return {0, 0};
  if (range.valid == 0) return {0, rows.t.size()};
  auto first = std::partition_point(rows.t.begin(), rows.t.end(), [&](int64_t t) { return t < range.lo; });
  auto last = std::partition_point(first, rows.t.end(), [&](int64_t t) { return t <= range.hi; });
  return {static_cast<size_t>(first - rows.t.begin()), static_cast<size_t>(last - rows.t.begin())};
}

// The shapes of range a scan's bounds give around a probe time `at`.
std::vector<Machine::Range> RangesAround(int64_t at) {
  return {
      {at - 5, at, 3},            // a window, both bounds valid
      {at, at, 3},                // one time
      {at, INT64_MAX, 1},         // a lower bound only
      {INT64_MIN, at, 1},         // an upper bound only
      {at + 1, at, 3},            // crossed bounds: empty
      {at - 30, at + 30, 1},      // a wide window
      {INT64_MIN, INT64_MAX, 1},  // bounds at the ends of time
      {at, at + 2, 0},            // no bound valid: every row
  };
}

// Slices with one machine (so the rows' hints carry from probe to probe) and checks each answer.
class Slicer {
 public:
  Slicer() : machine_(nullptr, code_, {}) {}

  // Every shape of range around each of `probes`, in turn; the comparisons they took.
  uint64_t CheckAll(const ScanIndex::Rows& rows, const std::vector<int64_t>& probes) {
    uint64_t before = machine_.stats().comparisons;
    for (int64_t at : probes) {
      for (const Machine::Range& range : RangesAround(at)) Check(rows, range);
    }
    return machine_.stats().comparisons - before;
  }

  // One range; the comparisons it took.
  uint64_t Check(const ScanIndex::Rows& rows, const Machine::Range& range) {
    uint64_t before = machine_.stats().comparisons;
    std::pair<size_t, size_t> got = machine_.Slice(rows, range);
    std::pair<size_t, size_t> expected = Expected(rows, range);
    CHECK_MESSAGE(got == expected, "[" << range.lo << ", " << range.hi << "] valid " << range.valid << " of "
                                       << rows.t.size() << " rows: " << got.first << ".." << got.second
                                       << " instead of " << expected.first << ".." << expected.second);
    return machine_.stats().comparisons - before;
  }

 private:
  plan::Code code_;
  Machine machine_;
};

// Probe times from 20 before the first row's to 20 after the last's, one by one.
std::vector<int64_t> Ascending(const ScanIndex::Rows& rows) {
  std::vector<int64_t> probes;
  for (int64_t at = rows.t.front() - 20; at <= rows.t.back() + 20; ++at) probes.push_back(at);
  return probes;
}

}  // namespace

TEST_CASE("slices are a binary search's for probes in any order") {
  for (uint32_t n : {1u, 2u, 3u, 7u, 64u, 1000u}) {
    ScanIndex::Rows rows = RowsAt(n, n);
    std::vector<int64_t> ascending = Ascending(rows);
    std::vector<int64_t> descending(ascending.rbegin(), ascending.rend());
    std::vector<int64_t> random, ends;
    testing::PseudoRandom next(n + 1);
    for (size_t i = 0; i < 500; ++i) {
      random.push_back(ascending[next() % ascending.size()]);
      ends.push_back(i % 2 == 0 ? ascending[i % 7] : ascending[ascending.size() - 1 - i % 7]);
    }
    Slicer slicer;
    for (const std::vector<int64_t>* probes : {&ascending, &descending, &random, &ends, &ascending}) {
      INFO(n << " rows");
      slicer.CheckAll(rows, *probes);
    }
  }
}

TEST_CASE("empty rows and empty ranges slice nothing, without comparisons") {
  Slicer slicer;
  ScanIndex::Rows empty;
  CHECK(slicer.CheckAll(empty, {-1, 0, 5}) == 0);
  ScanIndex::Rows rows = RowsAt(100, 3);
  CHECK(slicer.Check(rows, {10, 9, 3}) == 0);
  CHECK(slicer.Check(rows, {INT64_MAX, INT64_MIN, 1}) == 0);
  // No bound valid, or bounds at the ends of time: every row, without a search.
  CHECK(slicer.Check(rows, {0, 10, 0}) == 0);
  CHECK(slicer.Check(rows, {INT64_MIN, INT64_MAX, 3}) == 0);
}

TEST_CASE("a probe near the last takes a few comparisons, any probe at most two gallops") {
  const uint32_t n = 10000;
  ScanIndex::Rows rows = RowsAt(n, 11);
  std::vector<int64_t> ascending = Ascending(rows);
  Slicer in_order;
  uint64_t comparisons = 0;
  for (int64_t at : ascending) comparisons += in_order.Check(rows, {at - 5, at, 3});
  // A binary search takes about log2(10000) = 14 per bound.
  CHECK(comparisons < 6 * ascending.size());

  // Galloping from the hint and binary search within the last step, for each bound.
  const uint64_t most = 2 * (2 * std::bit_width(n) + 2);
  Slicer jumping;
  testing::PseudoRandom next(5);
  for (int i = 0; i < 2000; ++i) {
    int64_t at = ascending[next() % ascending.size()];
    CHECK(jumping.Check(rows, {at - 40, at, 3}) <= most);
  }
}
