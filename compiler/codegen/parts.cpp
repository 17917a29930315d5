// Estimating what a function costs to compile from the plan, before any IR is emitted, and
// balancing the parts by it.
#include "compiler/codegen/parts.h"

#include <algorithm>
#include <numeric>

#include "compiler/codegen/index_emitter.h"
#include "compiler/codegen/row_emitter.h"

namespace edict::codegen {

namespace {

// Costs are in IR instructions, a call counted as 15: at O0 emitting and compiling an instruction
// takes ~6 k host instructions and a call ~90 k more (its arguments are moved into place and
// every live value is spilled around it), measured over the standard library's parts. Each
// constant is the share a node kind, a conjunct or a loop has of the instructions and calls
// actually emitted, fitted (least squares, none negative) over the standard library's ~640
// functions; kStruct, kListSize and kDispatch, which it has none of, are priced as the nodes they
// resemble, and kPerResume, which it no longer has, keeps its earlier fit. To fit them again
// (jit_parts_test fails as the library drifts): emit each function alone (EmitPlan with at least
// as many parts as functions puts one in each), count its IR as the test does, and regress the
// counts on the node kinds, conjuncts and loops the functions below add up.
uint64_t NodeCost(plan::Op op) {
  switch (op) {
    case plan::Op::kConst:
    case plan::Op::kListContains: return 0;  // an operand of the node above, or a fused compare
    case plan::Op::kPresent:
    case plan::Op::kListColumn: return 3;
    case plan::Op::kRegister:
    case plan::Op::kColumn:
    case plan::Op::kTemplate: return 4;
    case plan::Op::kSelect: return 10;
    case plan::Op::kCall:
    case plan::Op::kDispatch:
    case plan::Op::kListSize: return 11;
    case plan::Op::kList:
    case plan::Op::kStruct: return 13;
    case plan::Op::kAggregate: return 18;
    case plan::Op::kNot: return 19;
    case plan::Op::kSlot: return 27;
    case plan::Op::kMap: return 34;
    case plan::Op::kMemo: return 35;
    case plan::Op::kBind: return 38;
    case plan::Op::kConditional: return 48;
    case plan::Op::kAnd: return 110;
    case plan::Op::kOr: return 120;
    case plan::Op::kFoldColumn: return 151;
    case plan::Op::kFold: return 262;
  }
  return 0;
}

constexpr uint64_t kPerConjunct = 74;       // a filter checked inline: error folding, the branch out
constexpr uint64_t kPerPassRule = 9;        // the rule's step, record count and row start
constexpr uint64_t kPerElementScan = 461;   // a loop over a list inline, with its own steps
constexpr uint64_t kPerRecordsLooped = 272; // an indexed record scan's rows visited inline
constexpr uint64_t kPerResume = 29;         // a record scan's call back into the driver
constexpr uint64_t kPerIndex = 68;          // the index build's function and loop
constexpr uint64_t kPerKey = 55;

uint64_t FiltersCost(const plan::Code& code, const std::vector<plan::ExprId>& filters) {
  uint64_t cost = 0;
  for (plan::ExprId filter : filters) cost += kPerConjunct + TreeCompileCost(code, filter);
  return cost;
}

// A pass loop runs each rule's first-scan filters, then the row's levels as RowEmitter emits
// them: residuals, element scans and indexed record scans looped inline, up to the first record
// scan it leaves to the driver.
uint64_t PassCost(const plan::Plan& plan, const plan::Pass& pass) {
  uint64_t cost = 0;
  for (uint32_t rule : pass.rules) {
    const plan::Query& query = plan.rules[rule].query;
    cost += kPerPassRule + FiltersCost(plan.code, query.scans[0].filters);
    for (size_t k = 0; k < query.scans.size(); ++k) {
      const plan::Scan& scan = query.scans[k];
      if (k > 0 && scan.source == plan::Scan::Source::kRecords) {
        if (!RecordsLoopedNatively(scan)) {
          cost += kPerResume;
          break;
        }
        cost += kPerRecordsLooped;
      } else if (k > 0) {
        cost += kPerElementScan;
      }
      for (plan::ExprId residual : scan.residual) cost += TreeCompileCost(plan.code, residual);
    }
  }
  return cost;
}

uint64_t IndexCost(const plan::Plan& plan, const plan::Scan& scan) {
  uint64_t cost = kPerIndex + FiltersCost(plan.code, scan.filters);
  if (scan.key != plan::kNone) cost += kPerKey + TreeCompileCost(plan.code, scan.key);
  return cost;
}

}  // namespace

uint64_t TreeCompileCost(const plan::Code& code, plan::ExprId id) {
  const plan::Node& node = code.nodes[id];
  uint64_t cost = NodeCost(node.op);
  for (uint32_t i = 0; i < node.count; ++i) cost += TreeCompileCost(code, code.child(node, i));
  return cost;
}

PartAssignment AssignParts(const plan::Plan& plan, const std::vector<std::vector<plan::ExprId>>& roots,
                           uint32_t parts, const std::vector<uint64_t>& sharing) {
  parts = std::max<uint32_t>(parts, 1);
  // Functions 0 .. roots.size() - 1 are the root groups, then the passes, then the index builds.
  std::vector<uint64_t> costs;
  for (size_t i = 0; i < roots.size(); ++i) {
    uint64_t shared = i < sharing.size() ? sharing[i] : 0;
    costs.push_back(kFunctionCompileCost + TreeCompileCost(plan.code, roots[i].front()) + shared);
  }
  for (const plan::Pass& pass : plan.passes) costs.push_back(PassCost(plan, pass));
  for (const plan::Scan* scan : IndexScans(plan)) costs.push_back(scan == nullptr ? 0 : IndexCost(plan, *scan));
  std::vector<size_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return costs[a] > costs[b]; });

  std::vector<uint64_t> load(parts, 0);
  std::vector<uint32_t> part_of(costs.size(), 0);
  for (size_t function : order) {
    auto lightest = static_cast<uint32_t>(std::min_element(load.begin(), load.end()) - load.begin());
    part_of[function] = lightest;
    load[lightest] += costs[function];
  }
  PartAssignment out;
  out.roots.assign(part_of.begin(), part_of.begin() + static_cast<std::ptrdiff_t>(roots.size()));
  auto passes_end = part_of.begin() + static_cast<std::ptrdiff_t>(roots.size() + plan.passes.size());
  out.passes.assign(part_of.begin() + static_cast<std::ptrdiff_t>(roots.size()), passes_end);
  out.indexes.assign(passes_end, part_of.end());
  return out;
}

}  // namespace edict::codegen
