// Estimating a function's IR from the plan, before any is emitted, and balancing the parts.
#include "compiler/codegen/parts.h"

#include <algorithm>
#include <numeric>

#include "compiler/codegen/index_emitter.h"

namespace edict::codegen {

namespace {

// IR instructions per node and per function, measured on the standard library: expression
// functions call helpers and test bools inline (46.7 k instructions over 5.6 k nodes); pass loops
// inline their filters and run each rule's bookkeeping per row.
constexpr uint64_t kPerExprNode = 7;
constexpr uint64_t kPerExprFunction = 8;
constexpr uint64_t kPerFilterNode = 20;
constexpr uint64_t kPerPassRule = 30;
constexpr uint64_t kPerPass = 20;

uint64_t TreeNodes(const plan::Code& code, plan::ExprId id) {
  const plan::Node& node = code.nodes[id];
  uint64_t nodes = 1;
  for (uint32_t i = 0; i < node.count; ++i) nodes += TreeNodes(code, code.child(node, i));
  return nodes;
}

uint64_t PassWeight(const plan::Plan& plan, const plan::Pass& pass) {
  uint64_t weight = kPerPass;
  for (uint32_t rule : pass.rules) {
    weight += kPerPassRule;
    for (plan::ExprId filter : plan.rules[rule].query.scans[0].filters) {
      weight += kPerFilterNode * TreeNodes(plan.code, filter);
    }
  }
  return weight;
}

// An index build is a pass loop of one rule whose key is inline too.
uint64_t IndexWeight(const plan::Plan& plan, const plan::Scan& scan) {
  uint64_t weight = kPerPass + kPerPassRule;
  for (plan::ExprId filter : scan.filters) weight += kPerFilterNode * TreeNodes(plan.code, filter);
  if (scan.key != plan::kNone) weight += kPerFilterNode * TreeNodes(plan.code, scan.key);
  return weight;
}

}  // namespace

PartAssignment AssignParts(const plan::Plan& plan, const std::vector<std::vector<plan::ExprId>>& roots,
                           uint32_t parts) {
  parts = std::max<uint32_t>(parts, 1);
  // Functions 0 .. roots.size() - 1 are the root groups, then the passes, then the index builds.
  std::vector<uint64_t> weights;
  for (const std::vector<plan::ExprId>& alike : roots) {
    weights.push_back(kPerExprFunction + kPerExprNode * TreeNodes(plan.code, alike.front()));
  }
  for (const plan::Pass& pass : plan.passes) weights.push_back(PassWeight(plan, pass));
  for (const plan::Scan* scan : IndexScans(plan)) weights.push_back(scan == nullptr ? 0 : IndexWeight(plan, *scan));
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return weights[a] > weights[b]; });

  std::vector<uint64_t> load(parts, 0);
  std::vector<uint32_t> part_of(weights.size(), 0);
  for (size_t function : order) {
    auto lightest = static_cast<uint32_t>(std::min_element(load.begin(), load.end()) - load.begin());
    part_of[function] = lightest;
    load[lightest] += weights[function];
  }
  PartAssignment out;
  out.roots.assign(part_of.begin(), part_of.begin() + static_cast<std::ptrdiff_t>(roots.size()));
  auto passes_end = part_of.begin() + static_cast<std::ptrdiff_t>(roots.size() + plan.passes.size());
  out.passes.assign(part_of.begin() + static_cast<std::ptrdiff_t>(roots.size()), passes_end);
  out.indexes.assign(passes_end, part_of.end());
  return out;
}

}  // namespace edict::codegen
