// Expression roots alike up to their registers: the same tree read through other registers of the
// frame (`attributed to sdk r16` over r19 in one rule's aggregate, over r28 in the next), with
// constants of equal value and correlated aggregates of the same form. Alike roots (AlikeRoots)
// share a function already; a family of classes that differ only so shares one body instead,
// which reaches the frame's registers and names its aggregates through a map its callers pass
// (one small function per class), so the body is compiled once.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/plan/plan.h"

namespace edict::codegen {

struct RegisterFamily {
  // The family's classes by the registers their trees read or bind, in order of first use (the
  // header's register 0 is not renamed and not listed), and the aggregates they evaluate, in order
  // of first use: position k is the same register (aggregate) of the tree in every layout. The
  // classes of one layout differ at most in the indexes of equal constants: one function serves
  // them all.
  struct Layout {
    std::vector<uint32_t> classes;  // indices into the alike classes, ascending
    std::vector<plan::Register> registers;
    std::vector<uint32_t> aggregates;
  };
  std::vector<Layout> layouts;  // in order of their first class
};

// `alike` (AlikeRoots' classes of `plan`'s roots) partitioned into families: every class in
// exactly one layout of one family, families in order of their first class. A class joins another's family only when
// its tree is that tree with registers renamed one to one, constants replaced by equal scalars or
// strings, and aggregates replaced by aggregates that native code evaluates alike (the same form;
// its inline parts, `pre` and bounds, alike under the same renaming); trees over
// `kMaxRenamedNodes` nodes are families of their own.
std::vector<RegisterFamily> RegisterFamilies(const plan::Plan& plan, const std::vector<std::vector<plan::ExprId>>& alike);

inline constexpr uint32_t kMaxRenamedNodes = 4096;

}  // namespace edict::codegen
