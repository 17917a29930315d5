// The plan IR: one compiled rule set, immutable after lowering and shared by every evaluating thread.
// Both back ends (runtime/interp, and the JIT) execute exactly this; lowering is where the
// language gets its meaning, so nothing here is left for a back end to decide.
//
// Design
// ------
// * Expression code. Every expression is a tree of 20-byte `Node`s in one array (`nodes`), an enum
//   opcode with small operands and children by index (`children`): Soufflé's layout, so the
//   interpreter is a switch, not a virtual visitor. Constant subexpressions (literals, consts, sets,
//   tables, parameters of the chosen profile, and anything computed only from them) are folded at
//   lowering into `constants`, so a parameter's value is part of the plan.
// * Frames and registers. An expression runs in a frame of registers. A register holds a CEL value
//   or a record cursor (a table and a row). Register 0 is always the session header's cursor. Rule
//   bindings, macro variables and inlined function arguments each get a register of their owner
//   (a rule, a session slot, a standalone expression); `frame_size` says how many.
// * Records are columns. `c.caller.sdk` is one `Column` node: (the binding's register, the column of
//   path "caller.sdk"), resolved at lowering. A scalar read makes no heap value (strings are the
//   session's interned text); a struct or list becomes a CEL map or list only where it escapes into
//   generic CEL (`Struct`, `ListColumn`); macros and bindings over a list column walk its element
//   table (`FoldColumn`, `Scan::Source::kColumn`).
// * Functions are inlined (they are not recursive): a parameter bound to a record stays a cursor;
//   any other argument is evaluated once into a register (`Bind`). Calls carry the checker's
//   overload (`Call`), or its candidate set when an argument is dyn (`Dispatch`).
// * Memo functions. A function of one record whose body is worth caching (it aggregates, folds,
//   or calls such a function) and is not a conjunction (those split into a query's filters,
//   bounds and keys) is lowered once per record kind into a root of its own frame
//   (`memo_functions`); each call site is one `Memo` node. A back end caches its value per
//   session and row, shared by every rule: plan ops are pure, so a cached value, errors
//   included, is the recomputed one, and evaluation steps are taken only when it is computed.
//   A function of one `string` parameter worth caching is lowered the same way once
//   (`by_string`); its call site binds the argument into a register and the back end caches by
//   the string's bytes. An argument that is not a string (an error, an unknown) is no key: the
//   body is evaluated with it, as the inlined call would be, and not cached. A function of one
//   bool, int, uint, duration or timestamp is cached the same way by the value (`by_value`), at
//   call sites whose argument is an aggregate's, a session value's or a memo function's value.
// * Session values. `let`s and aggregates that read no binding are session slots, computed once per
//   session in `slots` order (dependencies first).
// * Queries. A rule's `match` / `sequence` and every aggregate are a `Query`: scans in binding
//   order (the join order) and the conjuncts of the condition, each placed at the first scan where
//   all it reads is bound. Conjuncts of one scan alone are pushed into the scan (`filters`); an
//   inner scan is accessed through a per-session index of its filtered rows: a hash `key`
//   (`a.x == b.y`, `x in b.list`) and time `bounds` (`b.t - a.t < W`, `b.t > a.t`, `within`):
//   a search on the (t, seq)-sorted table, so a windowed join never loops over all pairs.
//   `sequence a then b within W without x when c` is desugared into scans, the conjuncts
//   `b.t > a.t`, `b.t - a.t < W` and `!exists(x: K where a.t < x.t && x.t < b.t && c)`; a
//   correlated exists/count whose conjuncts are all consumed by filters and bounds is answered by
//   two searches of t (an anti range probe).
// * Exactness. Narrowing never changes a result: a row skipped by a key or a bound is one for
//   which that conjunct is false, and `&&` absorbs errors commutatively, so the skipped tuple is
//   false whatever its other conjuncts give. Conjuncts used for narrowing stay in `residual`
//   (bounds are skipped only when their value was valid); rows whose filters erred stay
//   candidates and carry the error.
// * Rules. Group by / window / having, finding entries (subject, data types, permissions, report),
//   needs (for the undetermined outcome), applies and the rule's own undetermined entry are
//   expressions of the rule's frame. Rules whose first scan reads the same record kind share one
//   pass over it (`passes`).
//
// What every back end must do the same way (runtime/interp is the reference):
// * A tuple's conjuncts are evaluated in plan order: `pre`, then per scan its filters (when
//   streamed) and its residual conjuncts; the first false ends the tuple; otherwise the first
//   unknown, else the first error, is the tuple's error (a rule error, or an aggregate's).
// * Candidates of an indexed scan come in table (t, seq) order: rows whose filters held, then
//   rows whose filters erred; within each, the key's bucket, then the rows with no hashable key.
// * Aggregates: `exists` is true on a clean tuple and absorbs errors; count, min, max, sum and
//   distinct are strict (an erring tuple is the result); min/max of nothing is an error; sum is
//   exact (ints and durations overflow only in the total).
// * Reading an absent field is a no-such-field error; has() of a field inside an absent struct is
//   that error too. A binding over an absent list column is an error for its tuples.
// * A finding's evidence is every record scan's record of its tuples; the last record scan is the
//   trigger, the others context. Windows start at each member's t and span [t, t + W).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/plan/expr.h"
#include "runtime/facts/schema.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/value.h"

namespace edict::plan {

// ---------------------------------------------------------------------------------------------
// Queries

// A time bound on an inner scan's `t`: t > value (lower, strict), t >= value, t < value, t <= value.
// `value` is evaluated with the earlier scans bound; a value that is not a duration narrows nothing.
struct Bound {
  ExprId value = kNone;
  bool lower = false;
  bool strict = false;
  uint32_t conjunct = kNone;  // the residual conjunct this bound decides when its value is valid
};

struct Scan {
  enum class Source : uint8_t {
    kRecords,  // every record of `kind`, in (t, seq) order
    kList,     // the elements of `list`, a list (or the keys of a map) computed in the frame
    kColumn,   // the elements of a list column of an earlier binding, without materialising it
  };
  Source source = Source::kRecords;
  std::string name;            // the binding's name, for messages and the printed plan
  Register reg = 0;
  facts::KindId kind = 0;      // kRecords
  ExprId list = kNone;         // kList
  uint32_t column = kNone;     // kColumn: a column access (Plan::column_access)
  bool trigger = false;        // its record is a trigger in a finding's evidence (else context)
  // kRecords at an inner level (or in an aggregate): rows are read through a per-session index
  // (`index`, a slot of the session's index cache) of those whose `filters` hold, else streamed.
  bool indexed = false;
  uint32_t index = kNone;
  std::vector<ExprId> filters;  // conjuncts of this scan alone (and session values)
  ExprId key = kNone;           // per-row hash key(s) of this scan alone, or kNone
  bool key_is_list = false;     // `probe in key`: every element of the row's list is a key
  ExprId probe = kNone;         // the key looked up, from earlier scans
  uint32_t key_conjunct = kNone;  // the residual conjunct the key came from (still evaluated)
  std::vector<Bound> bounds;    // on `t`
  std::vector<ExprId> residual; // conjuncts first decidable at this scan, in condition order
  std::vector<uint32_t> residual_bound;  // per residual: the bound deciding it, or kNone
};

struct Query {
  std::vector<Scan> scans;
  std::vector<ExprId> pre;  // conjuncts that read no scan of the query: checked once, first
};

enum class AggregateKind : uint8_t { kCount, kExists, kMin, kMax, kSum, kDistinct };

struct Aggregate {
  AggregateKind kind = AggregateKind::kCount;
  Query query;
  ExprId value = kNone;       // min/max/sum/distinct: the value per matching tuple
  value::Value zero;          // sum over nothing
  // Answered from the index alone (count or exists over one scan whose conjuncts are all filters
  // and bounds): two searches of t per evaluation.
  bool counted = false;
  // Answered from the index alone too: min or max of the scan's own `t` over one scan whose
  // conjuncts are all filters and bounds is the t of the first or last row of the bounded slice.
  bool extreme_of_t = false;
  std::string text;           // the aggregate as written, for the printed plan
};

// ---------------------------------------------------------------------------------------------
// Session slots

struct SessionSlot {
  std::string name;       // the let's name, or the aggregate as written
  ExprId expr = kNone;
  uint32_t frame_size = 1;
  std::vector<std::string> register_names;
};

// ---------------------------------------------------------------------------------------------
// Memo functions

struct MemoFunction {
  std::string name;            // the function's name
  ExprId expr = kNone;         // its body, evaluated in its own frame
  uint32_t frame_size = 1;
  std::vector<std::string> register_names;
  Register param = 0;          // the register holding the record's cursor (by_string: the string)
  facts::KindId kind = 0;      // the parameter's record kind (its table sizes the cache); unused by_string
  bool by_string = false;      // a function of one string, cached by its bytes
  value::Kind by_value = value::Kind::kNull;  // else kNull; a function of one value of this kind, cached by it
};

// ---------------------------------------------------------------------------------------------
// Rules

// One entry of `needs`: satisfied when one alternative is available in the session.
struct Need {
  struct Alternative {
    bool header = false;            // a header path (else a record kind)
    facts::KindId kind = 0;
    uint32_t guard = kNone;         // header: index into Plan::header_guards
    std::string text;               // "consent", "app.category"
  };
  std::vector<Alternative> alternatives;
  bool exemption_only = false;      // written `(x)`: only an exemption needs it (rule-catalog S1)
};

enum class GroupAggregateKind : uint8_t { kCount, kMin, kMax, kSum, kDistinct };

// `count()`, `sum(e)`, ... in `having` or a finding entry after `group by` / `window`.
struct GroupAggregate {
  GroupAggregateKind kind = GroupAggregateKind::kCount;
  ExprId arg = kNone;    // evaluated per match (sees the bindings)
  Register reg = 0;      // holds the group's (window's) result for `having` and the entries
  value::Value zero;
};

struct Grouping {
  std::vector<ExprId> keys;       // per match
  std::vector<Register> key_regs;
  ExprId window = kNone;          // a duration, or kNone: the whole group is one window
  ExprId having = kNone;          // kNone: every group holds
  std::vector<GroupAggregate> aggregates;
  // The aggregate whose value is the finding's window.count (the first `sum`), else kNone: the
  // number of matches in the window.
  uint32_t count_from = kNone;
};

struct RulePlan {
  // Metadata, as the findings model wants it.
  std::string id;
  std::string pack;
  std::string version;
  std::string title;
  bool review = false;            // kind: review (else fail)
  uint8_t severity = 0;           // findings::Severity
  std::vector<std::string> cite;
  std::vector<std::string> tags;
  std::string file;               // where the rule is declared, for rule errors
  uint32_t line = 0;
  int join_width = 0;
  std::vector<uint32_t> params;   // the parameters it reads (Plan::params), in declaration order

  std::vector<Need> needs;
  bool reads_collecting_kind = false;  // reads `api_call`: the hooks-failed check applies (S1)
  ExprId applies = kNone;
  ExprId undetermined = kNone;
  ExprId reason = kNone;

  Query query;
  bool grouped = false;
  Grouping grouping;
  ExprId subject = kNone;
  ExprId data_types = kNone;
  ExprId permissions = kNone;
  ExprId report = kNone;
  // The `evidence` entry: seqs (int or list of ints) of context records the finding also cites.
  ExprId evidence = kNone;

  uint32_t frame_size = 1;
  std::vector<std::string> register_names;
};

// A parameter in force: its value after the profile and the overrides.
struct Param {
  std::string name;
  std::string pack;
  value::Value value;
};

// Rules whose first scan reads `kind` run in one pass over its records.
struct Pass {
  facts::KindId kind = 0;
  std::vector<uint32_t> rules;
};

struct Plan {
  Plan() = default;
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  // The schema facts must be loaded with to be evaluated by this plan (built from the packs'
  // record declarations).
  std::unique_ptr<facts::Schema> schema;

  Code code;
  std::vector<SessionSlot> slots;
  std::vector<MemoFunction> memo_functions;  // Memo nodes' a
  std::vector<Aggregate> aggregates;
  uint32_t index_count = 0;  // per-session index slots (Scan::index)
  std::vector<std::string> header_guards;  // header paths whose reads are guarded (Column::c)

  std::string profile;
  std::vector<Param> params;
  std::vector<RulePlan> rules;  // in report order
  std::vector<Pass> passes;
  std::vector<uint32_t> standalone;  // rules whose first scan is not a record kind (or none)

  // Conventions of rule-catalog S1 that the engine applies (empty when the packs lack them).
  // Kinds whose absence the `ctx` envelope field stands in for: (kind, ctx field).
  std::vector<std::pair<facts::KindId, std::string>> context_fallbacks;
  // Personal-information data types (the `personal_info` set), for the hooks-failed check.
  std::vector<std::string> personal_info;
};

}  // namespace edict::plan
