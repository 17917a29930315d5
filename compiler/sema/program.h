// The checker's output: checked packs, resolved declarations, the type and referent of every
// expression, and what every rule reads. The plan phase lowers rules from this and nothing else.
//
// Ownership: a Program owns the parsed files (and so every AST node), the types and the tables
// below; all pointers in it stay valid for the Program's lifetime. A Program with errors is still
// complete enough to print (`edict check --summary`) but must not be lowered.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/overloads.h"
#include "compiler/sema/types.h"

namespace edict::sema {

// A pack: a directory of .edict files with one manifest, or the plain files named on a command
// line (an anonymous pack, whose `name` is empty).
struct Pack {
  std::string name;
  std::string version;                 // as written in the manifest; empty for anonymous packs
  std::string directory;               // empty for anonymous packs
  const ast::Manifest* manifest = nullptr;
  std::vector<ast::File> files;        // sorted by path
  std::vector<const Pack*> imports;    // direct imports, in manifest order
  bool root = false;                   // named on the command line (not only imported)
  std::string DisplayName() const { return name.empty() ? "<files>" : name; }
};

enum class SymbolKind : uint8_t {
  kRecord,       // a record kind (a stream of facts), `decl` is an ast::RecordDecl
  kStruct,       // a named struct type
  kTypeAlias,
  kConst,
  kSet,
  kTable,
  kParam,
  kLet,          // a session-level value, computed once per session
  kFn,
  kHeaderField,  // a field of `record header`, visible as a top-level name (`app`, `session`)
};

// A name declared at the top level of a pack.
struct Symbol {
  SymbolKind kind = SymbolKind::kConst;
  std::string name;
  const ast::Decl* decl = nullptr;     // null for header fields
  const Field* header_field = nullptr; // kHeaderField
  const Pack* pack = nullptr;
  // kRecord, kStruct, kTypeAlias: the type declared; value symbols: the value's type; kFn: result.
  const Type* type = nullptr;
  SourceRange range;                   // where it is declared (the name)
};

struct FnSignature {
  std::vector<const Type*> params;
  const Type* result = nullptr;
};

// What an identifier (kIdent) or a call refers to.
struct Reference {
  enum class Kind : uint8_t {
    kNone,
    kSymbol,         // a global: `symbol`
    kBinding,        // a rule or aggregate binding: `binding`
    kIterationVar,   // a macro's variable: `comprehension`, `index` into its vars
    kFnParam,        // `fn`, `index` into its params
    kGroupKey,       // a named `group by` key: `group_key`
    kTypeValue,      // a builtin type name used as a value (`int`; a kSelect for `google.protobuf.Timestamp`)
    kVariable,       // a variable given to CheckExpression
  } kind = Kind::kNone;
  const Symbol* symbol = nullptr;
  const ast::Binding* binding = nullptr;
  const ast::Expr* comprehension = nullptr;
  const ast::FnDecl* fn = nullptr;
  const ast::GroupKey* group_key = nullptr;
  uint32_t index = 0;
};

// What the checker knows about one expression node.
struct ExprInfo {
  const Type* type = nullptr;
  Reference ref;                       // kIdent; kCall of a user fn (`ref.symbol`); kSelect naming a type
  // kCall, kUnary, kBinary, kIndex: the builtin overloads the arguments' types admit (one unless
  // an argument is dyn), as indices into overloads.def. Empty for user fns, `&&`, `||`, `?:`.
  std::vector<uint16_t> overloads;
  // kCall in `having` or a post-`group by` entry: a group aggregate (`count()`, `sum(e)`, ...).
  bool group_aggregate = false;
  // An expression structurally equal to an unnamed `group by` key: the key's index.
  int group_key = -1;
};

enum class BindingRole : uint8_t { kMatch, kSequenceStep, kWithout, kAggregate };

struct BindingInfo {
  const ast::Binding* binding = nullptr;
  BindingRole role = BindingRole::kMatch;
  const StructType* kind = nullptr;    // the record kind streamed, or null for a list source
  const Type* type = nullptr;          // the type of the bound variable
};

enum class Severity : uint8_t { kCritical, kHigh, kMedium, kLow, kInfo };
enum class RuleKind : uint8_t { kFail, kReview };

struct RuleInfo {
  const ast::RuleDecl* decl = nullptr;
  const Pack* pack = nullptr;
  std::string title;
  Severity severity = Severity::kInfo;
  RuleKind kind = RuleKind::kFail;
  std::vector<std::string> cite;
  std::map<std::string, const ast::Entry*> entries;   // by key, as written
  std::vector<BindingInfo> bindings;                  // match / sequence / without, in order
  std::set<std::string> uses;                          // `uses: [...]`: kinds read only if present
  // Record kinds the rule reads (bindings, aggregates, and through fns and lets, transitively)
  // and header paths it reads (`app.category`).
  std::set<std::string> reads;
  std::set<std::string> header_reads;
  // Stream bindings of the rule, aggregates inside it included: the exponent of its cost bound.
  int join_width = 0;
};

struct ProfileInfo {
  const ast::ProfileDecl* decl = nullptr;
  const Pack* pack = nullptr;
  const ProfileInfo* base = nullptr;
  // Every parameter the profile sets, inherited ones included (own assignments win).
  std::map<std::string, const ast::Expr*> values;
};

struct TestInfo {
  const ast::TestDecl* decl = nullptr;
  const Pack* pack = nullptr;
  std::string facts_file;              // resolved path of `facts "..."`, empty when inline
};

// The limit on join width: how many record streams one rule may combine.
inline constexpr int kMaxJoinWidth = 8;
// Every rule is evaluated over every session, so a pack's rule count bounds each session's work.
inline constexpr int kMaxRulesPerPack = 10000;
// Each binding (match, sequence step, without) is a nested loop; the join width bounds only the
// record streams among them, not bindings over lists (`d: collected_pi(call)`).
inline constexpr int kMaxBindingsPerRule = 16;

struct Program {
  Program() : overloads(types) {}
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  TypeContext types;
  OverloadTable overloads;
  std::vector<std::unique_ptr<Pack>> packs;  // every pack loaded; an import precedes its importers
  // Every top-level symbol, per pack: its own declarations, its direct imports' declarations
  // and the header's fields (as the pack sees them).
  std::map<const Pack*, std::map<std::string, const Symbol*>> scopes;
  std::deque<Symbol> symbols;
  std::unordered_map<const ast::Decl*, const Symbol*> decl_symbols;
  std::unordered_map<const ast::FnDecl*, FnSignature> fns;
  std::unordered_map<const ast::Expr*, ExprInfo> exprs;
  std::unordered_map<const ast::Binding*, BindingInfo> bindings;  // rule and aggregate bindings
  std::vector<RuleInfo> rules;              // in pack order, then source order
  std::deque<ProfileInfo> profiles;        // deque: ProfileInfo::base points into it
  std::vector<TestInfo> tests;
  const StructType* header = nullptr;       // `record header`, when some pack declares it

  const ExprInfo* Find(const ast::Expr* expr) const {
    auto it = exprs.find(expr);
    return it == exprs.end() ? nullptr : &it->second;
  }
  const Type* TypeOf(const ast::Expr* expr) const {
    const ExprInfo* info = Find(expr);
    return info ? info->type : nullptr;
  }
};

const char* SeverityName(Severity severity);
const char* RuleKindName(RuleKind kind);

}  // namespace edict::sema
