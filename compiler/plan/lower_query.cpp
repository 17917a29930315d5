// Queries: bindings become scans, conditions become conjuncts placed at the first scan that can
// decide them; conjuncts of one scan become its filters, comparisons of a scan's t with earlier
// scans' times or other earlier values become range bounds and equalities/memberships hash keys of
// the inner scan. Aggregates are queries too.
#include <algorithm>

#include "compiler/plan/canonical.h"
#include "compiler/plan/lowerer.h"

namespace edict::plan {

Scan Lowerer::StreamScan(const ast::Binding* binding, facts::KindId kind, const std::string& name) {
  Scan scan;
  scan.source = Scan::Source::kRecords;
  scan.name = name;
  scan.kind = kind;
  scan.reg = frame_->New(name);
  env_[{binding, 0}] = RecordRow(scan.reg, kind);
  return scan;
}

std::vector<Scan> Lowerer::BindScans(const std::vector<const ast::Binding*>& bindings, Deps& source_deps) {
  std::vector<Scan> scans;
  for (const ast::Binding* binding : bindings) {
    auto info = program_.bindings.find(binding);
    if (binding == nullptr || info == program_.bindings.end()) {
      Unsupported("an incomplete binding", binding != nullptr ? binding->range : SourceRange{});
      continue;
    }
    if (info->second.kind != nullptr) {
      auto kind = schema_.kinds.find(info->second.kind);
      if (kind == schema_.kinds.end()) {
        Unsupported("record kind '" + info->second.kind->name + "'", binding->range);
        continue;
      }
      scans.push_back(StreamScan(binding, kind->second, binding->name));
      continue;
    }
    Lowered source = Lower(binding->source);
    source_deps.Add(source.deps);
    Scan scan;
    scan.name = binding->name;
    if (source.kind == Lowered::Kind::kList) {
      scan.source = Scan::Source::kColumn;
      scan.column = AddColumnAccess(source);
      scan.reg = frame_->New(binding->name);
      env_[{binding, 0}] = ElementOf(scan.reg, code_.column_access[scan.column]);
    } else {
      scan.source = Scan::Source::kList;
      scan.list = Value(source);
      scan.reg = frame_->New(binding->name);
      Lowered element = ValueOf(builder_.Emit(Op::kRegister, {}, scan.reg), {});
      element.deps.AddRegister(scan.reg);
      env_[{binding, 0}] = element;
    }
    scans.push_back(std::move(scan));
  }
  return scans;
}

void Lowerer::Unbind(const std::vector<const ast::Binding*>& bindings) {
  for (const ast::Binding* binding : bindings) env_.erase({binding, 0});
}

std::vector<Lowerer::Conjunct> Lowerer::SplitConjuncts(const ast::Expr* condition) {
  std::vector<Conjunct> conjuncts;
  SplitInto(condition, conjuncts);
  return conjuncts;
}

void Lowerer::SplitInto(const ast::Expr* at, std::vector<Conjunct>& conjuncts) {
  if (at == nullptr) return;
  if (at->kind == ast::ExprKind::kBinary && at->binary_op == ast::BinaryOp::kAnd && at->args.size() == 2) {
    SplitInto(at->args[0], conjuncts);
    SplitInto(at->args[1], conjuncts);
    return;
  }
  if (const ast::FnDecl* fn = ConjunctiveFn(*at)) {
    // A function whose body is a conjunction and whose arguments are names needs no Bind: its
    // parameters stand for the names themselves, so the body's conjuncts are the condition's own
    // and each can become a filter, a bound or a key on its own.
    std::vector<Lowered> args;
    for (const ast::Expr* arg : at->args) args.push_back(Lower(arg));
    bool direct = std::all_of(args.begin(), args.end(), [&](const Lowered& arg) {
      return arg.kind != Lowered::Kind::kValue || Shareable(code_, arg.node);
    });
    if (direct) {
      std::vector<std::pair<EnvKey, std::optional<Lowered>>> saved;
      for (size_t i = 0; i < args.size(); ++i) {
        EnvKey key{fn, static_cast<uint32_t>(i)};
        auto previous = env_.find(key);
        saved.emplace_back(key, previous == env_.end() ? std::nullopt : std::optional<Lowered>(previous->second));
        env_[key] = std::move(args[i]);
      }
      in_progress_.insert(fn);
      SplitInto(fn->body, conjuncts);
      in_progress_.erase(fn);
      for (auto& [key, previous] : saved) {
        if (previous) {
          env_[key] = *previous;
        } else {
          env_.erase(key);
        }
      }
      return;
    }
  }
  Conjunct conjunct;
  conjunct.node = LowerValue(at, conjunct.deps);
  conjuncts.push_back(std::move(conjunct));
}

// `f(x, y)` calling a user function whose body is a conjunction (or another such call), with
// names as arguments; else null.
const ast::FnDecl* Lowerer::ConjunctiveFn(const ast::Expr& expr) {
  const ast::FnDecl* fn = UserFn(expr);
  if (fn == nullptr || in_progress_.count(fn) > 0) return nullptr;
  for (const ast::Expr* arg : expr.args) {
    if (arg == nullptr || arg->kind != ast::ExprKind::kIdent) return nullptr;
  }
  const ast::Expr& body = *fn->body;
  bool conjunction = body.kind == ast::ExprKind::kBinary && body.binary_op == ast::BinaryOp::kAnd;
  return conjunction || ConjunctiveFn(body) != nullptr ? fn : nullptr;
}

bool Lowerer::IsTimeColumn(ExprId id) const {
  const Node& node = code_.node(id);
  if (node.op != Op::kColumn || node.c != kNone) return false;
  const ColumnRef& ref = code_.columns[node.b];
  const facts::Schema& schema = *plan_->schema;
  for (facts::KindId kind = 0; kind < schema.kind_count(); ++kind) {
    const facts::RecordKind& record = schema.kind(kind);
    if (record.layout == ref.layout && record.t_column >= 0 && static_cast<uint32_t>(record.t_column) == ref.column) {
      return !schema.layout(ref.layout).columns[ref.column].nullable;
    }
  }
  return false;
}

namespace {

// `x` as a signed sum of time reads (register, sign, the read's node) and other terms.
struct Linear {
  struct Term {
    Register reg;
    int sign;
    ExprId node;
  };
  std::vector<Term> times;
  std::vector<std::pair<ExprId, int>> offsets;
};

}  // namespace

bool Lowerer::TryBound(const Query& query, size_t level, ExprId conjunct, std::vector<Bound>& bounds) {
  const Node& node = code_.node(conjunct);
  if (node.op != Op::kCall || node.count != 2) return false;
  auto overload = static_cast<value::Overload>(node.a);
  enum class Cmp { kLess, kLessEq, kGreater, kGreaterEq, kEq } cmp;
  switch (overload) {
    case value::Overload::less_duration: cmp = Cmp::kLess; break;
    case value::Overload::less_equals_duration: cmp = Cmp::kLessEq; break;
    case value::Overload::greater_duration: cmp = Cmp::kGreater; break;
    case value::Overload::greater_equals_duration: cmp = Cmp::kGreaterEq; break;
    case value::Overload::equals: cmp = Cmp::kEq; break;
    default: return false;
  }
  Linear linear;
  std::vector<std::pair<ExprId, int>> pending = {{code_.child(node, 0), 1}, {code_.child(node, 1), -1}};
  while (!pending.empty()) {
    auto [id, sign] = pending.back();
    pending.pop_back();
    const Node& term = code_.node(id);
    if (IsTimeColumn(id)) {
      linear.times.push_back({term.a, sign, id});
    } else if (term.op == Op::kCall && term.count == 2 &&
               static_cast<value::Overload>(term.a) == value::Overload::add_duration_duration) {
      pending.push_back({code_.child(term, 0), sign});
      pending.push_back({code_.child(term, 1), sign});
    } else if (term.op == Op::kCall && term.count == 2 &&
               static_cast<value::Overload>(term.a) == value::Overload::subtract_duration_duration) {
      pending.push_back({code_.child(term, 0), sign});
      pending.push_back({code_.child(term, 1), -sign});
    } else {
      linear.offsets.push_back({id, sign});
    }
  }
  // `+inner.t - other.t` (or the reverse) among the time reads, or the inner scan's t alone.
  if (linear.times.empty() || linear.times.size() > 2) return false;
  if (linear.times.size() == 2 && linear.times[0].sign == linear.times[1].sign) return false;
  Register inner = query.scans[level].reg;
  auto later = [&](Register reg) {
    for (size_t k = level; k < query.scans.size(); ++k) {
      if (query.scans[k].reg == reg) return true;
    }
    return false;
  };
  const Linear::Term* in = nullptr;
  const Linear::Term* other = nullptr;
  for (const Linear::Term& term : linear.times) {
    if (term.reg == inner) in = &term;
    else other = &term;
  }
  if (in == nullptr || (linear.times.size() == 2 && (other == nullptr || later(other->reg)))) return false;
  for (const auto& [offset, sign] : linear.offsets) {
    std::optional<std::vector<Register>> reads = RegistersRead(code_, offset);
    if (!reads) return false;
    for (Register reg : *reads) {
      if (later(reg)) return false;
    }
  }
  // sign(in)·in.t + sign(other)·other.t + Σ offsets  cmp  0, solved for in.t: the value starts
  // from other.t, or without one from an offset that enters it with a plus.
  bool flip = in->sign < 0;
  auto adds = [&](int sign) { return flip ? sign > 0 : sign < 0; };
  ExprId value = other != nullptr ? other->node : kNone;
  size_t first = linear.offsets.size();
  if (other == nullptr) {
    // `in.t == x` with x of any type is compared as a bound only when x is that one term: its
    // value narrows only when it is a duration, and no duration arithmetic is applied to it.
    if (cmp == Cmp::kEq && linear.offsets.size() != 1) return false;
    for (size_t i = 0; i < linear.offsets.size() && first == linear.offsets.size(); ++i) {
      if (adds(linear.offsets[i].second)) first = i;
    }
    if (first == linear.offsets.size()) return false;
    value = linear.offsets[first].first;
  }
  for (size_t i = 0; i < linear.offsets.size(); ++i) {
    if (i == first) continue;
    auto op = adds(linear.offsets[i].second) ? value::Overload::add_duration_duration
                                             : value::Overload::subtract_duration_duration;
    value = builder_.Emit(Op::kCall, {value, linear.offsets[i].first}, static_cast<uint32_t>(op));
  }
  if (flip) {
    switch (cmp) {
      case Cmp::kLess: cmp = Cmp::kGreater; break;
      case Cmp::kLessEq: cmp = Cmp::kGreaterEq; break;
      case Cmp::kGreater: cmp = Cmp::kLess; break;
      case Cmp::kGreaterEq: cmp = Cmp::kLessEq; break;
      case Cmp::kEq: break;
    }
  }
  uint32_t residual = static_cast<uint32_t>(query.scans[level].residual.size());
  auto add = [&](bool lower, bool strict) { bounds.push_back(Bound{value, lower, strict, residual}); };
  switch (cmp) {
    case Cmp::kLess: add(false, true); break;
    case Cmp::kLessEq: add(false, false); break;
    case Cmp::kGreater: add(true, true); break;
    case Cmp::kGreaterEq: add(true, false); break;
    case Cmp::kEq: add(true, false); add(false, false); break;
  }
  return true;
}

bool Lowerer::TryKey(Scan& scan, ExprId conjunct, const Query& query, size_t level) {
  const Node& node = code_.node(conjunct);
  auto reads = [&](ExprId id) { return RegistersRead(code_, id); };
  auto only_inner = [&](ExprId id) {
    auto regs = reads(id);
    return regs && regs->size() == 1 && (*regs)[0] == scan.reg;
  };
  auto outside = [&](ExprId id) {
    auto regs = reads(id);
    if (!regs) return false;
    for (Register reg : *regs) {
      for (size_t k = level; k < query.scans.size(); ++k) {
        if (query.scans[k].reg == reg) return false;
      }
    }
    return true;
  };
  if (node.op == Op::kCall && node.count == 2) {
    ExprId left = code_.child(node, 0), right = code_.child(node, 1);
    auto overload = static_cast<value::Overload>(node.a);
    if (overload == value::Overload::equals) {
      for (auto [key, probe] : {std::pair{left, right}, std::pair{right, left}}) {
        if (only_inner(key) && outside(probe)) {
          scan.key = key;
          scan.probe = probe;
          return true;
        }
      }
    } else if (overload == value::Overload::in_list && only_inner(right) && outside(left)) {
      scan.key = right;
      scan.key_is_list = true;
      scan.probe = left;
      return true;
    }
  }
  if (node.op == Op::kListContains && node.a == scan.reg && outside(code_.child(node, 0))) {
    scan.key = builder_.Emit(Op::kListColumn, {}, node.a, node.b);
    scan.key_is_list = true;
    scan.probe = code_.child(node, 0);
    return true;
  }
  return false;
}

Query Lowerer::PlanQuery(std::vector<Scan> scans, std::vector<Conjunct> conjuncts, bool stream_first) {
  Query query;
  query.scans = std::move(scans);
  for (const Conjunct& conjunct : conjuncts) {
    int level = -1;
    bool only_own = true;
    for (Register reg : conjunct.deps.regs) {
      int found = -1;
      for (size_t k = 0; k < query.scans.size(); ++k) {
        if (query.scans[k].reg == reg) found = static_cast<int>(k);
      }
      level = std::max(level, found);
      if (found < 0) only_own = false;
    }
    if (level < 0) {
      query.pre.push_back(conjunct.node);
      continue;
    }
    Scan& scan = query.scans[level];
    if (only_own && conjunct.deps.regs.size() == 1 && scan.source == Scan::Source::kRecords) {
      scan.filters.push_back(conjunct.node);
      continue;
    }
    uint32_t bound = kNone;
    if (scan.source == Scan::Source::kRecords) {
      size_t before = scan.bounds.size();
      if (TryBound(query, static_cast<size_t>(level), conjunct.node, scan.bounds)) {
        bound = static_cast<uint32_t>(before);
      } else if (scan.key == kNone && TryKey(scan, conjunct.node, query, static_cast<size_t>(level))) {
        scan.key_conjunct = static_cast<uint32_t>(scan.residual.size());
      }
    }
    scan.residual.push_back(conjunct.node);
    scan.residual_bound.push_back(bound);
  }
  for (size_t k = 0; k < query.scans.size(); ++k) {
    Scan& scan = query.scans[k];
    if (scan.source != Scan::Source::kRecords || (stream_first && k == 0)) continue;
    scan.indexed = true;
    auto [it, inserted] = indexes_.try_emplace(CanonicalIndex(*plan_, scan), plan_->index_count);
    if (inserted) ++plan_->index_count;
    scan.index = it->second;
  }
  return query;
}

Lowered Lowerer::LowerAggregate(const ast::Expr& expr) {
  if (plan_ == nullptr || plan_->schema == nullptr) return Unsupported("an aggregate here", expr.range);
  Aggregate aggregate;
  const std::string& name = expr.name;
  aggregate.kind = name == "count"    ? AggregateKind::kCount
                   : name == "exists" ? AggregateKind::kExists
                   : name == "min"    ? AggregateKind::kMin
                   : name == "max"    ? AggregateKind::kMax
                   : name == "sum"    ? AggregateKind::kSum
                                      : AggregateKind::kDistinct;
  std::vector<const ast::Binding*> bindings(expr.bindings.begin(), expr.bindings.end());
  bool saved_group = in_group_;
  in_group_ = false;
  Deps deps;
  std::vector<Scan> scans = BindScans(bindings, deps);
  std::vector<Conjunct> conjuncts = SplitConjuncts(expr.where);
  for (const Conjunct& conjunct : conjuncts) deps.Add(conjunct.deps);
  if (expr.value != nullptr) {
    aggregate.value = LowerValue(expr.value, deps);
    aggregate.zero = ZeroOf(program_.TypeOf(expr.value));
  }
  Unbind(bindings);
  in_group_ = saved_group;
  for (const Scan& scan : scans) deps.Remove(scan.reg);
  aggregate.query = PlanQuery(std::move(scans), std::move(conjuncts), false);
  std::string text = sources_ != nullptr ? std::string(sources_->text(expr.range)) : name + "(...)";
  return FinishAggregate(std::move(aggregate), std::move(deps), text);
}

Lowered Lowerer::FinishAggregate(Aggregate aggregate, Deps deps, const std::string& text) {
  const Query& query = aggregate.query;
  bool counting = aggregate.kind == AggregateKind::kCount || aggregate.kind == AggregateKind::kExists;
  bool decided = query.scans.size() == 1 && query.scans[0].source == Scan::Source::kRecords &&
                 std::all_of(query.scans[0].residual_bound.begin(), query.scans[0].residual_bound.end(),
                             [](uint32_t bound) { return bound != kNone; });
  aggregate.counted = counting && decided;
  bool extreme = aggregate.kind == AggregateKind::kMin || aggregate.kind == AggregateKind::kMax;
  // The value is the scan's own `t`: the rows of its index are in t order.
  auto own_time = [&](ExprId value) {
    return value != kNone && code_.node(value).op == Op::kColumn && code_.node(value).a == query.scans[0].reg &&
           IsTimeColumn(value);
  };
  aggregate.extreme_of_t = extreme && decided && own_time(aggregate.value);
  aggregate.text = text;
  deps.session = true;
  std::string canonical;
  if (deps.regs.empty()) {
    // It reads no binding: computed once per session, once however often it is written.
    canonical = CanonicalAggregate(*plan_, aggregate);
    auto same = session_aggregates_.find(canonical);
    if (same != session_aggregates_.end()) {
      Lowered result = ValueOf(builder_.Emit(Op::kSlot, {}, same->second), {});
      result.deps.session = true;
      return result;
    }
  }
  plan_->aggregates.push_back(std::move(aggregate));
  ExprId node = builder_.Emit(Op::kAggregate, {}, static_cast<uint32_t>(plan_->aggregates.size() - 1));
  if (!deps.regs.empty()) return ValueOf(node, std::move(deps));
  SessionSlot slot;
  slot.name = text;
  slot.expr = node;
  slot.frame_size = frame_->size();
  slot.register_names = frame_->names;
  plan_->slots.push_back(std::move(slot));
  session_aggregates_[canonical] = static_cast<uint32_t>(plan_->slots.size() - 1);
  Lowered result = ValueOf(builder_.Emit(Op::kSlot, {}, static_cast<uint32_t>(plan_->slots.size() - 1)), {});
  result.deps.session = true;
  return result;
}

Lowerer::Conjunct Lowerer::Without(const ast::SequenceWithout& without, Register after, facts::KindId after_kind,
                                   Register before, facts::KindId before_kind) {
  Conjunct result;
  const ast::Binding* binding = without.binding;
  auto info = program_.bindings.find(binding);
  if (info == program_.bindings.end() || info->second.kind == nullptr || !schema_.kinds.count(info->second.kind)) {
    result.node = Unsupported("this 'without'", binding != nullptr ? binding->range : SourceRange{}).node;
    return result;
  }
  facts::KindId kind = schema_.kinds.at(info->second.kind);
  Scan scan = StreamScan(binding, kind, binding->name);
  Register x = scan.reg;
  std::vector<Conjunct> conjuncts;
  auto compare = [&](value::Overload overload, Register other, facts::KindId other_kind) {
    Conjunct conjunct;
    conjunct.node = builder_.Emit(Op::kCall, {TimeRead(x, kind), TimeRead(other, other_kind)},
                                  static_cast<uint32_t>(overload));
    conjunct.deps.AddRegister(x);
    conjunct.deps.AddRegister(other);
    return conjunct;
  };
  conjuncts.push_back(compare(value::Overload::greater_duration, after, after_kind));
  conjuncts.push_back(compare(value::Overload::less_duration, before, before_kind));
  Deps deps;
  for (Conjunct& conjunct : SplitConjuncts(without.when)) {
    deps.Add(conjunct.deps);
    conjuncts.push_back(std::move(conjunct));
  }
  env_.erase({binding, 0});
  deps.Remove(x);
  deps.AddRegister(after);
  deps.AddRegister(before);
  Aggregate aggregate;
  aggregate.kind = AggregateKind::kExists;
  aggregate.query = PlanQuery({std::move(scan)}, std::move(conjuncts), false);
  std::string text = "without " + binding->name + ": " + info->second.kind->name;
  Lowered exists = FinishAggregate(std::move(aggregate), deps, text);
  result.node = builder_.Emit(Op::kNot, {exists.node});
  result.deps = exists.deps;
  return result;
}

ExprId Lowerer::TimeRead(Register reg, facts::KindId kind) {
  const facts::RecordKind& record = plan_->schema->kind(kind);
  return builder_.Emit(Op::kColumn, {}, reg, ColumnOf(record.layout, static_cast<uint32_t>(record.t_column), kNone));
}

}  // namespace edict::plan
