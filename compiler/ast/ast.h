// Edict's abstract syntax tree: what the parser understood, independent of ANTLR.
//
// Nodes live in a per-file arena (`AstArena`) and point at each other with raw pointers, which
// stay valid for the arena's lifetime; nothing in the tree owns anything. Every node carries the
// source range it came from, so later phases can report errors without the source text.
// Node kinds are enums so phases switch over them instead of double-dispatching visitors.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace edict::ast {

using diag::SourceRange;

// ---------------------------------------------------------------------------------------------
// Expressions (CEL plus Edict's aggregates)

enum class ExprKind : uint8_t {
  kLiteral,        // literal
  kIdent,          // name (leading_dot for `.name`)
  kSelect,         // operand.name; test_only for has(operand.name); optional for `.?name`
  kIndex,          // operand[args[0]]; optional for `[?i]`
  kCall,           // name(args...) or operand.name(args...) when operand != nullptr
  kList,           // [args...]; optional_indices marks `?e` elements
  kMap,            // {entries...}
  kMessage,        // name{fields...} (CEL message construction; name may be dotted)
  kUnary,          // unary_op operand
  kBinary,         // args[0] binary_op args[1]
  kConditional,    // args[0] ? args[1] : args[2]
  kComprehension,  // a CEL macro: operand.macro(var[, var2], args...)
  kAggregate,      // Edict aggregate: name(value for b1: src1, ... where cond)
  kTemplate,       // report template: parts interleave text and holes
};

enum class LiteralKind : uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kBytes, kDuration };

struct Literal {
  LiteralKind kind = LiteralKind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;     // kInt; kDuration in nanoseconds
  uint64_t uint_value = 0;   // kUint
  double double_value = 0;   // kDouble
  std::string text;          // kString (UTF-8, escapes decoded) or kBytes (raw bytes)
};

enum class UnaryOp : uint8_t { kNot, kNegate };

enum class BinaryOp : uint8_t {
  kOr, kAnd,
  kLess, kLessEq, kGreater, kGreaterEq, kEq, kNotEq, kIn,
  kAdd, kSub, kMul, kDiv, kMod,
};

// The CEL macros, kept as nodes (not expanded) so the printer can print them back. With two
// iteration variables (index/key and value: cel-go's two-variable comprehensions), kAll, kExists
// and kExistsOne are `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`, kMap and kMapFilter
// are `transformList(i, v, [filter,] t)`, and kTransformMap is `transformMap(k, v, [filter,] t)`
// (which builds a map; args [transform] or [filter, transform]).
enum class Macro : uint8_t { kHas, kAll, kExists, kExistsOne, kMap, kMapFilter, kFilter, kTransformMap };

struct Expr;
struct Binding;

struct MapEntry {
  Expr* key = nullptr;
  Expr* value = nullptr;
  bool optional = false;  // `?key: value`
  SourceRange range;
};

struct FieldInit {
  std::string name;
  Expr* value = nullptr;
  bool optional = false;
  SourceRange range;
};

struct TemplatePart {
  std::string text;        // literal text (when hole == nullptr), escapes `{{`/`}}` decoded
  Expr* hole = nullptr;    // an interpolated expression `{expr}`
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceRange range;

  Literal literal;                  // kLiteral
  std::string name;                 // kIdent, kSelect (field), kCall (function), kMessage (type),
                                    // kAggregate (aggregate function)
  bool leading_dot = false;         // kIdent / kCall / kMessage written with a leading `.`
  bool test_only = false;           // kSelect produced by has()
  bool optional = false;            // kSelect `.?f`, kIndex `[?i]`
  UnaryOp unary_op = UnaryOp::kNot;
  BinaryOp binary_op = BinaryOp::kOr;
  Macro macro = Macro::kHas;

  Expr* operand = nullptr;          // kSelect, kIndex, kUnary, member kCall receiver, kComprehension
                                    // range
  std::vector<Expr*> args;          // kIndex [index], kCall, kList, kBinary [lhs, rhs],
                                    // kConditional [c, t, f], kComprehension [predicate/transform],
                                    // kMapFilter [filter, transform]
  std::vector<uint32_t> optional_indices;  // kList elements written `?e`
  std::vector<MapEntry> entries;    // kMap
  std::vector<FieldInit> fields;    // kMessage
  std::vector<std::string> vars;    // kComprehension iteration variable(s)
  std::vector<Binding*> bindings;   // kAggregate
  Expr* value = nullptr;            // kAggregate: the aggregated value (`min(x.t for ...)`), or null
  Expr* where = nullptr;            // kAggregate filter, or null
  std::vector<TemplatePart> parts;  // kTemplate
};

// `name: source` — source names a record kind (a stream) or is a list-valued expression.
struct Binding {
  std::string name;
  SourceRange name_range;
  Expr* source = nullptr;
  SourceRange range;
};

// ---------------------------------------------------------------------------------------------
// Types written in declarations

enum class TypeKind : uint8_t { kNamed, kGeneric, kEnum, kStruct };

struct FieldDecl;

struct TypeExpr {
  TypeKind kind = TypeKind::kNamed;
  SourceRange range;
  std::string name;                   // kNamed / kGeneric: dotted name (`string`, `list`, `dt`)
  std::vector<TypeExpr*> args;        // kGeneric: `list<T>`, `map<K, V>`
  std::vector<std::string> values;    // kEnum: the allowed strings, in order
  std::vector<FieldDecl*> fields;     // kStruct: inline `{ a: T, ... }`
  bool optional = false;              // `T?`
};

struct FieldDecl {
  std::string name;
  SourceRange name_range;
  TypeExpr* type = nullptr;
  Expr* default_value = nullptr;      // `count: int = 1`
  SourceRange range;
};

// ---------------------------------------------------------------------------------------------
// Declarations

enum class DeclKind : uint8_t {
  kRecord, kStruct, kTypeAlias, kConst, kSet, kTable, kParam, kProfile, kLet, kFn, kRule, kTest,
};

struct Decl {
  DeclKind kind;
  std::string name;          // rule ids and profile names are kebab-case; tests use their title
  SourceRange name_range;
  SourceRange range;
  explicit Decl(DeclKind k) : kind(k) {}
  virtual ~Decl() = default;
};

// `record api_call : envelope { ... }` (a record kind of the facts) and
// `struct caller { ... }` (a named field type).
struct RecordDecl : Decl {
  std::string base;                   // empty when none
  SourceRange base_range;
  std::vector<FieldDecl*> fields;
  explicit RecordDecl(DeclKind k) : Decl(k) {}
};

struct TypeAliasDecl : Decl {
  TypeExpr* type = nullptr;
  TypeAliasDecl() : Decl(DeclKind::kTypeAlias) {}
};

// `const`, `set`, `let`: a named value; `type` is the declared (element type for sets) or null.
struct ValueDecl : Decl {
  TypeExpr* type = nullptr;
  Expr* value = nullptr;
  explicit ValueDecl(DeclKind k) : Decl(k) {}
};

struct TableDecl : Decl {
  std::vector<FieldDecl*> columns;
  std::string key;                    // key column, empty when the table is a plain list
  SourceRange key_range;
  struct Row {
    std::vector<Expr*> cells;
    SourceRange range;
  };
  std::vector<Row> rows;
  TableDecl() : Decl(DeclKind::kTable) {}
};

struct ParamDecl : Decl {
  TypeExpr* type = nullptr;
  Expr* default_value = nullptr;
  std::string note;                   // provenance; empty when none
  SourceRange note_range;
  ParamDecl() : Decl(DeclKind::kParam) {}
};

struct ProfileDecl : Decl {
  std::string base;                   // empty when none
  SourceRange base_range;
  std::string note;
  struct Assignment {
    std::string param;
    SourceRange param_range;
    Expr* value = nullptr;
  };
  std::vector<Assignment> assignments;
  ProfileDecl() : Decl(DeclKind::kProfile) {}
};

struct FnDecl : Decl {
  struct Param {
    std::string name;
    SourceRange name_range;
    TypeExpr* type = nullptr;
  };
  std::vector<Param> params;
  TypeExpr* result = nullptr;         // null: inferred from the body
  Expr* body = nullptr;
  FnDecl() : Decl(DeclKind::kFn) {}
};

// One entry of `needs: [...]`: alternatives (`a | b`), each a dotted path (`app.category`).
struct Need {
  std::vector<std::string> alternatives;
  std::vector<SourceRange> alternative_ranges;
  bool exemption_only = false;        // written `(x)`
  SourceRange range;
};

struct GroupKey {
  std::string name;                   // empty when unnamed
  SourceRange name_range;
  Expr* value = nullptr;
};

struct SequenceStep {
  Binding* binding = nullptr;
  Expr* within = nullptr;             // null when unbounded
};

struct SequenceWithout {
  Binding* binding = nullptr;
  Expr* when = nullptr;               // null: any record of the kind
};

// `key: value` entries of a rule (title, severity, kind, cite, subject, report, ...), kept in
// source order; the checker knows which keys exist and what they mean.
struct Entry {
  std::string key;
  SourceRange key_range;
  Expr* value = nullptr;
};

struct RuleDecl : Decl {
  std::vector<Entry> entries;
  std::vector<Need> needs;
  bool has_needs = false;
  SourceRange needs_range;
  std::vector<Binding*> match;              // `match a: k1, b: k2`
  std::vector<SequenceStep> sequence;       // `sequence a: k1 then b: k2 within W ...`; the first
                                            // step has within == nullptr
  std::vector<SequenceWithout> without;
  Expr* where = nullptr;
  std::vector<GroupKey> group_by;
  SourceRange group_by_range;
  Expr* window = nullptr;
  Expr* having = nullptr;
  RuleDecl() : Decl(DeclKind::kRule) {}
};

// A value in a test expectation: a string, an integer or a list of them.
struct ExpectValue {
  enum class Kind : uint8_t { kString, kInt, kList } kind = Kind::kString;
  std::string text;
  int64_t number = 0;
  std::vector<ExpectValue> items;
  SourceRange range;
};

struct Expectation {
  enum class Kind : uint8_t { kCount, kField, kOutcome } kind = Kind::kOutcome;
  int64_t count = 0;                  // kCount: `2 findings`
  std::string word;                   // kCount: the unit (`finding`/`findings`); kField: the key;
                                      // kOutcome: the outcome name
  ExpectValue value;                  // kField
  SourceRange range;
};

struct TestDecl : Decl {
  std::string facts_path;             // `facts "file.jsonl"` (relative to the test's file)
  SourceRange facts_range;
  bool inline_facts = false;
  std::vector<Expr*> facts;           // `facts [ {...}, ... ]`
  std::string profile;
  SourceRange profile_range;
  std::vector<ProfileDecl::Assignment> params;
  struct Expect {
    std::string rule;
    SourceRange rule_range;
    std::vector<Expectation> expectations;
    SourceRange range;
  };
  std::vector<Expect> expects;
  TestDecl() : Decl(DeclKind::kTest) {}
};

// ---------------------------------------------------------------------------------------------
// Files

struct Import {
  std::string pack;
  SourceRange range;
  std::string op;                     // ">=", "==", ... ; empty when no constraint
  std::string version;                // as written
};

struct Manifest {
  std::string name;
  SourceRange name_range;
  std::string version;
  SourceRange version_range;
  std::vector<Import> imports;
  std::vector<Entry> entries;         // title, ...
  SourceRange range;
};

// Owns every node of one file.
class AstArena {
 public:
  template <typename T, typename... Args>
  T* Make(Args&&... args) {
    auto node = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = node.get();
    owned_.push_back(Holder{std::unique_ptr<void, void (*)(void*)>(
        node.release(), [](void* p) { delete static_cast<T*>(p); })});
    return raw;
  }

 private:
  struct Holder {
    std::unique_ptr<void, void (*)(void*)> ptr;
  };
  std::deque<Holder> owned_;
};

struct File {
  diag::FileId file;
  std::unique_ptr<Manifest> manifest;  // null when the file has no `pack` header
  std::vector<Decl*> decls;            // in source order
  std::unique_ptr<AstArena> arena = std::make_unique<AstArena>();
};

}  // namespace edict::ast
