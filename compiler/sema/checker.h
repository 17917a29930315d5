// The checker's internals: one Checker object per run, its member functions spread over the
// files of this folder by subject (scopes, types, declarations, expressions, rules, tests).
// Not part of the API; check.h is.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/program.h"

namespace edict::sema {

// The aggregates of `name(value for x: kind where cond)` and, in `having`, of `name(e)`.
bool IsAggregateName(const std::string& name);

class Checker {
 public:
  Checker(Program& program, const diag::SourceManager& sources, diag::DiagnosticEngine& diags);
  // Checks every loaded pack; results go to the Program, problems to the DiagnosticEngine.
  void Run();
  // Types one free-standing expression with `variables` in scope (edict eval, unit tests).
  const Type* CheckStandalone(const ast::Expr* expr, const std::map<std::string, const Type*>& variables);

 private:
  // ---- What one declaration reads, for cycles, `needs` and constant checks -----------------
  struct Uses {
    std::vector<std::pair<const Symbol*, SourceRange>> symbols;  // globals it refers to
    std::map<std::string, SourceRange> kinds;                     // record kinds it streams, first use
    std::map<std::string, int> header_paths;                      // header paths it reads
    std::optional<std::pair<std::string, SourceRange>> facts;     // first direct use of the facts
  };

  // ---- Local names: bindings, macro variables, fn parameters --------------------------------
  struct Local {
    std::string name;
    const Type* type = nullptr;
    Reference ref;
    bool used = false;
    bool rule_binding = false;  // hidden after `group by`
  };

  // Everything that changes while descending into a declaration; saved and restored around
  // lazily checked declarations.
  struct Context {
    const Pack* pack = nullptr;
    const ast::Decl* owner = nullptr;   // whose Uses collect references
    std::string constant;               // non-empty: the thing that must be constant ("const 'x'")
    std::vector<Local> locals;
    bool after_group = false;           // bindings hidden; keys and group aggregates visible
    const std::vector<ast::GroupKey>* group_keys = nullptr;
    std::vector<const Type*> group_key_types;
    int* stream_count = nullptr;        // counts stream bindings of the rule being checked
    // The rule's bindings while an entry that cannot see them is checked, and that entry.
    std::vector<Local> hidden_bindings;
    std::string hidden_from;
  };

  class ContextSwap {
   public:
    ContextSwap(Checker& checker, Context fresh) : checker_(checker), saved_(std::move(checker.ctx_)) {
      checker.ctx_ = std::move(fresh);
    }
    ~ContextSwap() { checker_.ctx_ = std::move(saved_); }
   private:
    Checker& checker_;
    Context saved_;
  };

  enum class State : uint8_t { kUnchecked, kChecking, kDone };

  // A user function called where a constant is required; allowed when the function reads no
  // facts, which is known only once every body is checked.
  struct ConstantCall {
    const Symbol* fn = nullptr;
    SourceRange range;
    std::string what;
  };

  // ---- scope.cpp ----------------------------------------------------------------------------
  void DeclareSymbols();
  void DeclareOwn(const Pack& pack, std::map<std::string, const Symbol*>& scope);
  void DeclareHeaderFields();
  const Symbol* Lookup(const std::string& name) const;
  std::vector<std::string> VisibleNames(const std::function<bool(const Symbol&)>& keep) const;
  std::vector<std::string> RecordKindNames() const;
  const Symbol* RecordKind(const std::string& name) const;

  // ---- type_resolver.cpp --------------------------------------------------------------------
  void ResolveTypeDecls();
  const Type* TypeOfTypeDecl(const Symbol* symbol);
  void FillStruct(const Symbol* symbol, StructType* structure);
  const Type* Resolve(const ast::TypeExpr* type, const std::string& owner);
  StructType* InlineStruct(const std::vector<ast::FieldDecl*>& fields, const std::string& name);
  void AddFields(StructType* structure, const std::vector<ast::FieldDecl*>& fields);

  // ---- decl_checker.cpp ---------------------------------------------------------------------
  void CheckDecls();
  const Type* ValueType(const Symbol* symbol);
  const Type* CheckValueDecl(const Symbol* symbol);
  const Type* CheckConstOrLet(const ast::ValueDecl& decl, const std::string& what);
  const Type* CheckSet(const ast::ValueDecl& decl);
  const Type* CheckTable(const ast::TableDecl& decl);
  const Type* CheckParam(const ast::ParamDecl& decl);
  const FnSignature& Signature(const ast::FnDecl& fn);
  const Type* CheckFnBody(const ast::FnDecl& fn);
  void CheckManifest(const Pack& pack);
  Context DeclContext(const Symbol* symbol, std::string constant);

  // ---- cycles.cpp ---------------------------------------------------------------------------
  void ReportCycles();
  void ReportNonConstantCalls();
  std::optional<std::pair<std::string, SourceRange>> FactsReachedBy(const ast::Decl* decl, std::set<const ast::Decl*>& seen);

  // ---- profiles.cpp -------------------------------------------------------------------------
  void CheckProfiles();
  const ProfileInfo* FindProfile(const Pack& pack, const std::string& name) const;
  std::vector<std::string> ProfileNames(const Pack& pack) const;
  void CheckParamValue(const std::string& param, SourceRange param_range, const ast::Expr* value,
                       const std::string& where);

  // ---- expr_checker.cpp ---------------------------------------------------------------------
  const Type* Check(const ast::Expr* expr);
  // Checks `expr` and reports a mismatch with `expected` as "{what}: expected T, found U".
  const Type* CheckAs(const ast::Expr* expr, const Type* expected, const std::string& what);
  const Type* CheckExpr(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckLiteral(const ast::Expr& expr);
  const Type* CheckIdent(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckSymbolRef(const Symbol* symbol, const ast::Expr& expr, ExprInfo& info);
  const Type* CheckSelect(const ast::Expr& expr, ExprInfo& info);
  const Type* QualifiedTypeName(const ast::Expr& expr);
  const Type* CheckIndex(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckList(const ast::Expr& expr);
  const Type* CheckMap(const ast::Expr& expr);
  const Type* CheckMessage(const ast::Expr& expr);
  const Type* CheckUnary(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckBinary(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckEquality(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckIn(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckConditional(const ast::Expr& expr);
  const Type* CheckTemplate(const ast::Expr& expr);
  void CheckEnumLiteral(const Type* enum_side, const ast::Expr* literal_side);
  void NoteFacts(const std::string& what, SourceRange range);
  void NoteHeaderRead(const ast::Expr& expr, int delta);
  std::optional<std::string> HeaderPath(const ast::Expr& expr) const;
  Local* FindLocal(const std::string& name);
  int MatchGroupKey(const ast::Expr& expr) const;

  // ---- expr_calls.cpp -----------------------------------------------------------------------
  const Type* CheckCall(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckFnCall(const ast::Expr& expr, const Symbol* symbol, ExprInfo& info);
  const Type* CheckBuiltinCall(const ast::Expr& expr, const std::string& function, bool receiver,
                               const std::vector<const Type*>& args, ExprInfo& info);
  const Type* CheckGroupAggregate(const ast::Expr& expr, ExprInfo& info);
  const Type* CheckComprehension(const ast::Expr& expr);
  std::string DescribeArgs(const std::vector<const Type*>& args) const;

  // ---- expr_aggregates.cpp ------------------------------------------------------------------
  const Type* CheckAggregate(const ast::Expr& expr);
  const Type* AggregateResult(const ast::Expr& expr, const Type* value);
  // Binds `binding` in the current scope: a record kind streams its records, a list its
  // elements. Returns the variable's type (error after reporting).
  const Type* Bind(const ast::Binding& binding, BindingRole role, bool require_kind);

  // ---- rule_checker.cpp / rule_entries.cpp --------------------------------------------------
  void CheckRules();
  void CheckRule(const Pack& pack, const ast::RuleDecl& rule);
  void CheckRuleBindings(const ast::RuleDecl& rule, RuleInfo& info);
  void CheckRuleEntries(const ast::RuleDecl& rule, RuleInfo& info, bool aggregated);
  void CheckEntry(const ast::Entry& entry, RuleInfo& info, bool aggregated);
  // The index of the entry's word in `words`, or -1 after reporting.
  int CheckWordEntry(const ast::Entry& entry, const std::vector<std::string>& words, const std::string& what);
  void CheckCitations(const ast::Entry& entry, RuleInfo& info);
  void CheckUses(const ast::Entry& entry, RuleInfo& info);
  void CheckSubject(const ast::Entry& entry);
  void CheckEvidence(const ast::Entry& entry);
  void CheckNeeds(const ast::RuleDecl& rule, RuleInfo& info, bool reads_complete);
  // Adds what `decl` reads, directly and through the lets and functions it uses; `via` is
  // where the rule itself reached `decl` (for reporting), invalid for the rule's own reads.
  void CollectReads(const ast::Decl* decl, SourceRange via, std::map<std::string, SourceRange>& kinds,
                    std::set<std::string>& header_paths, std::set<const ast::Decl*>& seen);
  std::optional<std::string> ConstantString(const ast::Expr* expr) const;

  // ---- tests.cpp ----------------------------------------------------------------------------
  void CheckTests();
  void CheckTest(const Pack& pack, const ast::TestDecl& test);
  void CheckExpectation(const ast::Expectation& expectation);
  void CheckInlineFact(const ast::Expr* fact);
  const RuleInfo* FindRule(const Pack& pack, const std::string& id) const;

  // ---- helpers ------------------------------------------------------------------------------
  diag::Diagnostic& Report(diag::DiagId id, SourceRange range, std::vector<std::string> args = {});
  // Adds "did you mean 'x'?" when a candidate is close to `name`.
  void SuggestFrom(diag::Diagnostic& diagnostic, const std::string& name, const std::vector<std::string>& candidates);
  Uses& UsesOf(const ast::Decl* decl) { return uses_[decl]; }
  // Symbols are owned by Program::symbols; the checker fills in their types as it goes.
  static Symbol& Mutable(const Symbol* symbol) { return const_cast<Symbol&>(*symbol); }
  static const char* DeclKindName(ast::DeclKind kind);

  Program& program_;
  const diag::SourceManager& sources_;
  diag::DiagnosticEngine& diags_;
  TypeContext& types_;
  Context ctx_;
  std::unordered_map<const ast::Decl*, Uses> uses_;
  std::unordered_map<const ast::Decl*, State> states_;
  std::unordered_map<const ast::Decl*, StructType*> structs_;
  std::vector<ConstantCall> constant_calls_;
  std::set<std::pair<const ast::Decl*, std::string>> unknown_names_;  // reported once per declaration
  struct FieldDefault {
    const ast::FieldDecl* field;
    const Type* type;
    const Pack* pack;
  };
  std::vector<FieldDefault> field_defaults_;  // checked once every type is known
  std::map<std::pair<const Pack*, std::string>, const ProfileInfo*> profiles_by_name_;
};

}  // namespace edict::sema
