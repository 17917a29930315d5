// The lowering's internals: one Lowerer per Lower / CompileExpression call, its member functions
// spread over the lower_*.cpp files by subject. Not part of the API; lower.h is.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/plan/code_builder.h"
#include "compiler/plan/lower.h"
#include "compiler/plan/schema_builder.h"

namespace edict::plan {

using diag::SourceRange;

// What a lowered expression reads: registers of the frame, and the session (header, lets,
// records). An expression that reads neither is a constant and is folded.
struct Deps {
  std::vector<Register> regs;  // sorted, unique
  bool session = false;

  bool constant() const { return regs.empty() && !session; }
  void Add(const Deps& other);
  void AddRegister(Register reg);
  void Remove(Register reg);
  bool Has(Register reg) const;
};

// A lowered expression: a value node, or (until it escapes into generic CEL) a struct inside a
// table row or a list column of one, so that field reads stay column reads.
struct Lowered {
  enum class Kind : uint8_t { kValue, kRecord, kList };
  Kind kind = Kind::kValue;
  ExprId node = kNone;         // kValue
  Register reg = 0;            // kRecord, kList: the row's cursor
  facts::LayoutId layout = 0;  // kRecord, kList: the row's table layout
  std::string prefix;          // kRecord: the struct's path in the layout ("" for the whole row)
  facts::TypeId type = 0;      // kRecord: the struct type
  uint32_t presence = kNone;   // kRecord: ColumnRef of the struct's presence, kNone for a row
  uint32_t column = kNone;     // kList: ColumnRef of the list column
  Deps deps;
};

// The registers of one frame owner (a rule, a session slot, a standalone expression).
struct Frame {
  std::vector<std::string> names = {"header"};
  Register New(std::string name) {
    names.push_back(std::move(name));
    return static_cast<Register>(names.size() - 1);
  }
  uint32_t size() const { return static_cast<uint32_t>(names.size()); }
};

// Cheap, pure nodes that may be shared by every use of an inlined function's parameter.
bool Shareable(const Code& code, ExprId node);

// The sum of no values of `type` (int 0 for dyn).
value::Value ZeroOf(const sema::Type* type);

// The strings of a constant list (its other elements are left out; no list: none).
std::vector<std::string> Strings(const value::Value& list);

class Lowerer {
 public:
  // `plan` is null for a standalone expression (no schema, no session, no rules).
  Lowerer(sema::Program& program, Code& code, Plan* plan, const ConstantEvaluator& evaluator,
          diag::DiagnosticEngine& diags);

  // ---- lower.cpp: the whole program ---------------------------------------------------------
  bool LowerProgram(const LowerOptions& options, diag::SourceManager& sources);

  // ---- lower_expr.cpp ----------------------------------------------------------------------
  // Lowers and folds: a result that reads nothing is a constant.
  Lowered Lower(const ast::Expr* expr);
  // A value node for `lowered`, materialising a struct or list column.
  ExprId Value(const Lowered& lowered);
  ExprId LowerValue(const ast::Expr* expr, Deps& deps);
  void BindVariable(const std::string& name, Lowered value) { variables_[name] = std::move(value); }
  void set_frame(Frame* frame) { frame_ = frame; }
  void set_check_types(bool check) { check_types_ = check; }
  bool failed() const { return failed_; }

 private:
  using EnvKey = std::pair<const void*, uint32_t>;
  struct Conjunct {
    ExprId node = kNone;
    Deps deps;
  };

  // ---- lower_expr.cpp ----------------------------------------------------------------------
  Lowered LowerExpr(const ast::Expr& expr);
  Lowered LowerLiteral(const ast::Expr& expr);
  Lowered LowerIdent(const ast::Expr& expr, const sema::ExprInfo& info);
  Lowered LowerSymbol(const sema::Symbol& symbol, const ast::Expr& expr);
  Lowered LowerSelect(const ast::Expr& expr);
  ExprId SelectNode(ExprId operand, const std::string& field, bool test_only);
  ExprId SelectGeneric(ExprId operand, const std::string& field, bool test_only);
  Lowered SelectField(const Lowered& record, const std::string& field, bool test_only, SourceRange range);
  Lowered LowerList(const ast::Expr& expr);
  Lowered LowerMap(const ast::Expr& expr);
  Lowered LowerMessage(const ast::Expr& expr);
  Lowered LowerLogical(const ast::Expr& expr);
  // lower_shared.cpp: a call the condition always makes and a branch repeats is made once.
  Lowered LowerConditional(const ast::Expr& expr);
  const ast::FnDecl* UserFn(const ast::Expr& expr) const;
  void StrictCalls(const ast::Expr& expr, std::vector<const ast::Expr*>& calls) const;
  void Repeats(const ast::Expr& expr, const ast::Expr& call, std::vector<const ast::Expr*>& repeats) const;
  Lowered LowerTemplate(const ast::Expr& expr);
  Lowered Unsupported(const std::string& what, SourceRange range);
  Lowered Undeclared(const std::string& what);
  Lowered Env(EnvKey key, const ast::Expr& expr);
  Lowered ValueOf(ExprId node, Deps deps) const;

  // ---- lower_calls.cpp ---------------------------------------------------------------------
  Lowered LowerCall(const ast::Expr& expr, const sema::ExprInfo& info);
  Lowered LowerOperator(const ast::Expr& expr, const sema::ExprInfo& info, const std::string& function,
                        std::vector<Lowered> args);
  Lowered LowerBuiltin(const sema::ExprInfo& info, const std::string& function, bool receiver,
                       std::vector<Lowered> args);
  void AsStringSet(ExprId& list, std::vector<value::Overload>& overloads);
  Lowered InlineFn(const ast::Expr& expr, const sema::Symbol& symbol);
  Lowered LowerComprehension(const ast::Expr& expr);
  Lowered LowerGroupAggregate(const ast::Expr& expr);

  // ---- lower_memo.cpp: functions of one record (a string, a scalar), lowered once and cached
  // The call of `fn` with the lowered `arg` as a `Memo` node, or nullopt when it is inlined.
  std::optional<Lowered> MemoCall(const ast::FnDecl& fn, const Lowered& arg);
  Lowered ValueMemoCall(const ast::FnDecl& fn, const Lowered& arg);
  bool WorthCaching(const ast::FnDecl& fn);
  bool WorthCaching(const ast::Expr& expr);
  // `kind`: the record kind of the parameter; nullopt for a string or scalar parameter.
  uint32_t LowerMemoFunction(const ast::FnDecl& fn, std::optional<facts::KindId> kind);

  // ---- lower_symbols.cpp: consts, sets, tables, params, lets -------------------------------
  Lowered SymbolConstant(const sema::Symbol& symbol);
  // The value of a const, set or table (not a parameter), folded once.
  value::Value ConstantValue(const sema::Symbol& symbol);
  Lowered LetValue(const sema::Symbol& symbol);
  Lowered HeaderField(const sema::Symbol& symbol);
  bool LowerParams(const LowerOptions& options, diag::SourceManager& sources);
  const ast::Expr* OverrideExpr(const ParamOverride& override, const sema::Symbol& param,
                                diag::SourceManager& sources);
  value::Value FoldExpr(const ast::Expr* expr);

  // ---- lower_query.cpp ---------------------------------------------------------------------
  // Scans for `bindings` in order (registering them in the environment), for a rule or an
  // aggregate; lists are lowered with the earlier bindings in scope.
  std::vector<Scan> BindScans(const std::vector<const ast::Binding*>& bindings, Deps& source_deps);
  Scan StreamScan(const ast::Binding* binding, facts::KindId kind, const std::string& name);
  void Unbind(const std::vector<const ast::Binding*>& bindings);
  std::vector<Conjunct> SplitConjuncts(const ast::Expr* condition);
  void SplitInto(const ast::Expr* at, std::vector<Conjunct>& conjuncts);
  const ast::FnDecl* ConjunctiveFn(const ast::Expr& expr);
  // Places each conjunct (pre, filter, bound, key, residual); `stream_first`: the first scan is
  // streamed (a rule's driving scan), every other record scan is indexed.
  Query PlanQuery(std::vector<Scan> scans, std::vector<Conjunct> conjuncts, bool stream_first);
  bool TryBound(const Query& query, size_t level, ExprId conjunct, std::vector<Bound>& bounds);
  bool TryKey(Scan& scan, ExprId conjunct, const Query& query, size_t level);
  bool IsTimeColumn(ExprId node) const;
  Lowered LowerAggregate(const ast::Expr& expr);
  Lowered FinishAggregate(Aggregate aggregate, Deps deps, const std::string& text);
  // `!exists(x: kind where after < x.t && x.t < before && when)`: a sequence's `without`.
  Conjunct Without(const ast::SequenceWithout& without, Register after, facts::KindId after_kind,
                   Register before, facts::KindId before_kind);

  // ---- lower_rule.cpp ----------------------------------------------------------------------
  void LowerRule(const sema::RuleInfo& info);
  void LowerNeeds(const sema::RuleInfo& info, RulePlan& rule);
  void LowerGrouping(const ast::RuleDecl& decl, RulePlan& rule);
  // `later.t > earlier.t`, and `later.t - earlier.t < within` when given: a sequence step.
  std::vector<Conjunct> StepConjuncts(Register later, facts::KindId later_kind, Register earlier,
                                      facts::KindId earlier_kind, const ast::Expr* within);
  ExprId TimeRead(Register reg, facts::KindId kind);
  ExprId EntryValue(const sema::RuleInfo& info, const char* key, Deps* deps = nullptr);

  // ---- helpers -----------------------------------------------------------------------------
  uint32_t ColumnOf(facts::LayoutId layout, uint32_t column, uint32_t parent);
  uint32_t StructOf(facts::LayoutId layout, facts::TypeId type, uint32_t first, uint32_t presence);
  Lowered RecordRow(Register reg, facts::KindId kind) const;
  Lowered ElementOf(Register reg, const ColumnAccess& access);
  // A walk over the list column `list` (Lowered::Kind::kList): its entry of code_.column_access.
  uint32_t AddColumnAccess(const Lowered& list);
  uint32_t HeaderGuard(const std::string& path) const;
  void NoteParam(uint32_t param);
  diag::Diagnostic& Report(diag::DiagId id, SourceRange range, std::vector<std::string> args = {});

  sema::Program& program_;
  Code& code_;
  CodeBuilder builder_;
  Plan* plan_;
  const ConstantEvaluator& evaluator_;
  diag::DiagnosticEngine& diags_;
  const diag::SourceManager* sources_ = nullptr;
  SchemaBinding schema_;
  bool check_types_ = true;
  bool failed_ = false;

  Frame* frame_ = nullptr;
  std::map<EnvKey, Lowered> env_;
  std::map<std::string, Lowered> variables_;
  // Calls being shared by the conditional being lowered: each lowers to its register.
  std::map<const ast::Expr*, Lowered> shared_;

  // The rule being lowered: its group keys and aggregates once `group by` / `window` applies.
  RulePlan* rule_ = nullptr;
  bool in_group_ = false;
  std::vector<const ast::Expr*> group_aggregate_exprs_;
  std::set<uint32_t>* params_used_ = nullptr;

  // Memos: each declaration is lowered once.
  std::map<const sema::Symbol*, value::Value> constants_;
  std::map<const sema::Symbol*, uint32_t> params_;     // → Plan::params
  std::map<const sema::Symbol*, uint32_t> let_slots_;  // → Plan::slots (constant lets are constants_)
  std::map<const sema::Symbol*, std::set<uint32_t>> let_params_;
  std::vector<std::unique_ptr<ast::AstArena>> arenas_;  // parsed override values
  // Lets being lowered and functions being inlined: the checker rejects cycles, and these make
  // sure a program lowered despite its errors cannot recurse forever.
  std::set<const void*> in_progress_;
  std::map<std::pair<facts::LayoutId, uint32_t>, uint32_t> column_refs_;
  std::map<std::string, uint32_t> session_aggregates_;  // canonical code → its session slot
  std::map<std::string, uint32_t> indexes_;             // canonical index → its index slot
  std::map<const ast::FnDecl*, bool> worth_caching_;
  std::map<std::pair<const ast::FnDecl*, facts::KindId>, uint32_t> memo_functions_;  // → Plan::memo_functions
  std::map<const ast::FnDecl*, uint32_t> value_memo_functions_;                      // → Plan::memo_functions
  std::vector<std::set<uint32_t>> memo_params_;  // per memo function: the parameters its body reads
};

}  // namespace edict::plan
