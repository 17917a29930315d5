// The program generator: typed expression productions over a fixed schema, declarations that use
// them, rules of four shapes, and facts. Every production yields an expression of the type asked
// for, so a program that does not check is a generator bug (the ctest fails on it).
#include "tests/differential/generator.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <memory>
#include <sstream>
#include <vector>

#include "tests/differential/facts_generator.h"
#include "tests/differential/vocabulary.h"

namespace edict::differential {
namespace {

enum class Ty { kInt, kUint, kDouble, kBool, kString, kDuration, kTimestamp, kListInt, kListString };

const char* TypeName(Ty ty) {
  switch (ty) {
    case Ty::kInt: return "int";
    case Ty::kUint: return "uint";
    case Ty::kDouble: return "double";
    case Ty::kBool: return "bool";
    case Ty::kString: return "string";
    case Ty::kDuration: return "duration";
    case Ty::kTimestamp: return "timestamp";
    case Ty::kListInt: return "list<int>";
    case Ty::kListString: return "list<string>";
  }
  return "dyn";
}

const std::vector<Ty> kScalarTypes = {Ty::kInt, Ty::kUint, Ty::kDouble, Ty::kBool, Ty::kString, Ty::kDuration, Ty::kTimestamp};
const std::vector<Ty> kAllTypes = {Ty::kInt,      Ty::kUint,      Ty::kDouble,  Ty::kBool,      Ty::kString,
                                   Ty::kDuration, Ty::kTimestamp, Ty::kListInt, Ty::kListString};

const std::vector<std::string> kPatterns = {"^a", "b$", "[ab]+", "中", "(", "^$", "a.b", "^-?[0-9]+$"};
const std::vector<std::string> kTableKeys = {"a", "b", "中文", "12"};
const std::vector<std::string> kZones = {"UTC", "Asia/Shanghai", "+08:00", "-23:59", "Mars/Base"};
// Beyond the range the loader accepts in facts (vocabulary.h), the last two are error values.
const std::vector<std::string> kTimestamps = {"2025-06-01T08:00:00Z", "2024-02-29T23:59:59.123Z", "1970-01-01T00:00:00Z",
                                              "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"};
const std::vector<std::string> kInts = {"0", "1", "2", "3", "7", "-1", "-5", "100", "4611686018427387904",
                                        "9223372036854775807", "-9223372036854775807"};
const std::vector<std::string> kUints = {"0u", "1u", "2u", "7u", "9223372036854775808u", "18446744073709551615u"};
const std::vector<std::string> kDoubles = {"0.0", "0.5", "-1.5", "2.0", "1e300", "-1e300", "3.25", "1e-300"};
const std::vector<std::string> kDurations = {"0s", "1s", "500ms", "30s", "1m", "1h30m", "2h", "250ms", "1ms"};

// The fields of each record kind as the rules see them.
struct Field {
  const char* path;
  Ty ty;
  const char* guard;  // the has() test that makes reading it safe; null for required fields
};

const std::vector<Field>& FieldsOf(int kind) {
  static const std::vector<Field> ev = {
      {"n", Ty::kInt, nullptr},          {"x", Ty::kDouble, nullptr},
      {"s", Ty::kString, nullptr},       {"e", Ty::kString, nullptr},       {"t", Ty::kDuration, nullptr},
      {"k", Ty::kInt, nullptr},          {"tags", Ty::kListString, nullptr}, {"nums", Ty::kListInt, nullptr},
      {"b", Ty::kBool, "b"},             {"m", Ty::kInt, "m"},              {"at", Ty::kTimestamp, "at"},
      {"who.name", Ty::kString, "who"},  {"who.score", Ty::kInt, "who.score"}, {"ds", Ty::kListString, nullptr}};
  static const std::vector<Field> act = {{"n", Ty::kInt, nullptr},
                                         {"s", Ty::kString, nullptr},
                                         {"e", Ty::kString, nullptr},
                                         {"t", Ty::kDuration, nullptr},
                                         {"tags", Ty::kListString, nullptr},
                                         {"ds", Ty::kListString, nullptr}};
  static const std::vector<Field> note = {{"n", Ty::kInt, nullptr}, {"s", Ty::kString, nullptr}, {"d", Ty::kDuration, "d"}};
  return kind == kEv ? ev : kind == kAct ? act : note;
}

constexpr char kSchema[] = R"(pack gen 1.0.0 {
  title: "generated"
  schema: "gen/1"
}

record header {
  schema: string
  session: { id: string, started_at: timestamp, first: bool? }
  app: { id: string, level: int? }
}

// Data-type ids (`dt`, a string to the rules): the schema knows those of `known_data_types` and
// interns the others a session holds after them.
type dt = string
set known_data_types: dt = KNOWN

struct who {
  name: string
  score: int?
}

struct fr {
  cls: string
  line: int?
}

record ev {
  seq: int
  t: duration
  n: int
  x: double
  s: string
  e: WORDS
  b: bool?
  m: int?
  k: int = 7
  at: timestamp?
  tags: list<string>
  nums: list<int>
  who: who?
  ds: list<dt>
}

record act {
  seq: int
  t: duration
  n: int
  s: string
  e: WORDS
  tags: list<string>
  ds: list<dt>
  fs: list<fr>?
}

record note {
  seq: int
  n: int
  s: string
  d: duration?
}

table tb(name: string, v: int) key name {
  ("a", 1)
  ("b", 20)
  ("中文", -3)
  ("12", 9223372036854775807)
}

)";

std::string Quote(const std::string& word) { return "'" + word + "'"; }

// The parts, concatenated. Text with more than one part that makes a choice is built with it, never
// with `a + b`: the elements of a braced list are evaluated in order, the operands of `+` in the
// order the compiler picks (GCC right to left, Clang left to right), and the same entropy must give
// the same program whatever the compiler (the fuzzer's Clang build, the tests' GCC build).
std::string Join(std::initializer_list<std::string> parts) {
  std::string text;
  for (const std::string& part : parts) text += part;
  return text;
}

struct Var {
  std::string name;
  Ty ty;
};

struct RecVar {
  std::string name;
  int kind;
};

struct Scope {
  std::vector<Var> vars;
  std::vector<RecVar> recs;
  bool aggregates = false;  // stream aggregates (count(x: ev ...)) allowed
  bool group = false;       // group aggregates (count(), sum(e)) allowed; their arguments see `group_scope`
  const Scope* group_scope = nullptr;
  bool braces = true;       // map literals allowed (not inside a report's `{...}` holes)
  bool lets = true;         // lets and fns visible (not in a let's own definition)
  std::vector<std::string> frames;  // variables bound to an element of a list<fr> (a cursor into its table)
  // Functions whose arguments are being generated, with every function they call. The plan phase
  // inlines calls and rejects a call of a function already being inlined (E103), so f(f(x)) is
  // refused although it is no recursion (reported to the plan's owner); the generator avoids it.
  std::vector<std::string> calling;
};

struct Fn {
  std::string name;
  std::vector<Ty> params;        // scalar parameters
  std::vector<int> rec_params;   // record parameters, after the scalar ones
  bool by_value = false;         // one scalar parameter, memoised when the argument is an aggregate's
  Ty result;
  std::vector<std::string> reaches;  // the functions its body calls, transitively
};

class Generator {
 public:
  Generator(Entropy& entropy, const GeneratorOptions& options) : e_(entropy), options_(options) {}

  GeneratedProgram Run() {
    GeneratedProgram program;
    std::string words;
    for (size_t i = 0; i < kWords.size(); ++i) words += (i ? ", \"" : "enum(\"") + kWords[i] + "\"";
    words += ")";
    std::string schema = kSchema;
    for (size_t at; (at = schema.find("WORDS")) != std::string::npos;) schema.replace(at, 5, words);
    std::string known;
    for (const std::string& id : kKnownDataTypes) known += (known.empty() ? "[" : ", ") + Quote(id);
    schema.replace(schema.find("KNOWN"), 5, known + "]");
    out_ << schema;
    Globals();
    for (size_t i = 0; i < options_.rules;) i += Rule(i, i + 1 < options_.rules);
    program.source = out_.str();
    program.facts = GenerateFacts(e_, options_);
    program.rules = options_.rules;
    return program;
  }

 private:
  // ---- names -----------------------------------------------------------------------------------

  std::string Fresh(const char* prefix) { return prefix + std::to_string(next_name_++); }

  // ---- leaves ----------------------------------------------------------------------------------

  std::string Literal(Ty ty) {
    switch (ty) {
      case Ty::kInt: return e_.Pick(kInts);
      case Ty::kUint: return e_.Pick(kUints);
      case Ty::kDouble: return e_.Pick(kDoubles);
      case Ty::kBool: return e_.Chance(50) ? "true" : "false";
      case Ty::kString: return Quote(e_.Pick(kWords));
      case Ty::kDuration: return e_.Chance(85) ? e_.Pick(kDurations) : "duration('-5s')";
      case Ty::kTimestamp: return "timestamp('" + e_.Pick(kTimestamps) + "')";
      case Ty::kListInt: {
        std::string list = "[";
        for (size_t i = 0, n = 1 + e_.Below(3); i < n; ++i) list += (i ? ", " : "") + e_.Pick(kInts);
        return list + "]";
      }
      case Ty::kListString: {
        std::string list = "[";
        for (size_t i = 0, n = 1 + e_.Below(3); i < n; ++i) list += (i ? ", " : "") + Quote(e_.Pick(kWords));
        return list + "]";
      }
    }
    return "null";
  }

  // A record field read: required fields directly, optional ones guarded by has() or, now and
  // then, bare (an error value when absent).
  std::string FieldRead(const RecVar& rec, const Field& field) {
    std::string read = rec.name + "." + field.path;
    if (field.guard == nullptr || e_.Chance(12)) return read;
    return "(has(" + rec.name + "." + field.guard + ") ? " + read + " : " + Literal(field.ty) + ")";
  }

  std::string Leaf(Ty ty, const Scope& s) {
    std::vector<std::function<std::string()>> options;
    for (const Var& var : s.vars) {
      if (var.ty == ty) options.push_back([&var] { return var.name; });
    }
    for (const RecVar& rec : s.recs) {
      for (const Field& field : FieldsOf(rec.kind)) {
        if (field.ty == ty) options.push_back([this, &rec, &field] { return FieldRead(rec, field); });
      }
    }
    for (const Var& global : globals_) {
      if (global.ty == ty) options.push_back([&global] { return global.name; });
    }
    if (s.lets) {
      for (const Var& let : lets_) {
        if (let.ty == ty) options.push_back([&let] { return let.name; });
      }
    }
    for (const std::string& frame : s.frames) {
      if (ty == Ty::kString) options.push_back([&frame] { return frame + ".cls"; });
      if (ty == Ty::kInt) {
        options.push_back([this, &frame] {
          if (e_.Chance(12)) return frame + ".line";
          return "(has(" + frame + ".line) ? " + frame + ".line : " + Literal(Ty::kInt) + ")";
        });
      }
    }
    if (ty == Ty::kString) options.push_back([] { return std::string("session.id"); });
    if (ty == Ty::kTimestamp) options.push_back([] { return std::string("session.started_at"); });
    if (ty == Ty::kInt) options.push_back([this] { return std::string(e_.Chance(10) ? "app.level" : "(has(app.level) ? app.level : 0)"); });
    if (ty == Ty::kBool) options.push_back([this] { return std::string(e_.Chance(10) ? "session.first" : "(has(session.first) && session.first)"); });
    if (options.empty() || e_.Chance(35)) return Literal(ty);
    return options[e_.Below(options.size())]();
  }

  // ---- expressions -----------------------------------------------------------------------------

  std::string Expr(Ty ty, int depth, const Scope& s) {
    if (depth <= 0 || e_.Chance(20)) return Leaf(ty, s);
    switch (ty) {
      case Ty::kInt: return IntExpr(depth, s);
      case Ty::kUint: return UintExpr(depth, s);
      case Ty::kDouble: return DoubleExpr(depth, s);
      case Ty::kBool: return BoolExpr(depth, s);
      case Ty::kString: return StringExpr(depth, s);
      case Ty::kDuration: return DurationExpr(depth, s);
      case Ty::kTimestamp: return TimestampExpr(depth, s);
      case Ty::kListInt:
      case Ty::kListString: return ListExpr(ty, depth, s);
    }
    return Leaf(ty, s);
  }

  // Mostly one of `valid` (a table key, a parseable text), now and then any string: an argument
  // that fails only sometimes, so that errors do not drown the findings.
  std::string Mostly(const std::vector<std::string>& valid, int depth, const Scope& s) {
    return e_.Chance(75) ? Quote(e_.Pick(valid)) : Expr(Ty::kString, depth - 1, s);
  }

  std::string Index(int depth, const Scope& s) {
    return e_.Chance(75) ? std::to_string(e_.Below(2)) : Expr(Ty::kInt, depth - 1, s);
  }

  std::string Binary(Ty ty, const std::vector<const char*>& ops, int depth, const Scope& s) {
    return Join({"(", Expr(ty, depth - 1, s), " ", ops[e_.Below(ops.size())], " ", Expr(ty, depth - 1, s), ")"});
  }

  std::string Conditional(Ty ty, int depth, const Scope& s) {
    return Join(
        {"(", Expr(Ty::kBool, depth - 1, s), " ? ", Expr(ty, depth - 1, s), " : ", Expr(ty, depth - 1, s), ")"});
  }

  // A production shared by every type: a conditional, a call of a user function, an aggregate.
  std::string Shared(Ty ty, int depth, const Scope& s) {
    if (options_.call_percent > 0 && s.lets && e_.Chance(options_.call_percent)) {
      if (auto call = Call(ty, depth, s); !call.empty()) return call;
    }
    if (e_.Chance(options_.dynamic_percent)) {
      if (auto dynamic = Dynamic(ty, depth, s); !dynamic.empty()) return dynamic;
    }
    if (e_.Chance(options_.frames_percent)) {
      if (auto frames = Frames(ty, depth, s); !frames.empty()) return frames;
    }
    size_t choice = e_.Below(4);
    if (choice == 1 && s.lets) {
      if (auto call = Call(ty, depth, s); !call.empty()) return call;
    }
    if (choice == 2 && s.aggregates) {
      if (auto aggregate = StreamAggregate(ty, depth, s); !aggregate.empty()) return aggregate;
    }
    if (choice == 3 && s.group) {
      if (auto aggregate = GroupAggregate(ty, depth, s); !aggregate.empty()) return aggregate;
    }
    return Conditional(ty, depth, s);
  }

  // A value of `ty` through dyn, which leaves the overload to the operands' kinds at run time
  // (a Dispatch node), or read from a struct or a whole record as a CEL map (a Struct node); a
  // struct compared with another or with a map literal; a list of mixed kinds indexed. The struct
  // forms need a record in scope (`who` one of kind ev); without one, an operand through dyn.
  std::string Dynamic(Ty ty, int depth, const Scope& s) {
    auto dyn = [&](Ty of) { return "dyn(" + Expr(of, depth - 1, s) + ")"; };
    auto binary = [&](Ty of, const std::vector<const char*>& ops, Ty right) {
      return Join({"(", dyn(of), " ", e_.Pick(ops), " ", Expr(right, depth - 1, s), ")"});
    };
    const RecVar* rec = s.recs.empty() ? nullptr : &e_.Pick(s.recs);
    std::vector<const RecVar*> evs;
    for (const RecVar& r : s.recs) {
      if (r.kind == kEv) evs.push_back(&r);
    }
    const RecVar* ev = evs.empty() ? nullptr : e_.Pick(evs);
    std::string who = ev == nullptr ? "" : "dyn(" + ev->name + ".who)";
    switch (ty) {
      case Ty::kInt:
        switch (e_.Below(6)) {
          case 0: return binary(Ty::kInt, {"+", "-", "*", "/", "%"}, Ty::kInt);
          case 1: return "int(" + dyn(e_.Pick(std::vector<Ty>{Ty::kDouble, Ty::kUint, Ty::kTimestamp})) + ")";
          case 2: return dyn(e_.Pick(std::vector<Ty>{Ty::kString, Ty::kListInt, Ty::kListString})) + ".size()";
          case 3:
            return Join(
                {"[", Expr(Ty::kInt, depth - 1, s), ", ", Expr(Ty::kString, depth - 1, s), "][", Index(depth, s), "]"});
          case 4:
            if (!who.empty()) {
              if (e_.Chance(30)) return who + ".score";  // an error when the struct or its score is absent
              return "(has(" + ev->name + ".who) && has(" + who + ".score) ? " + who + ".score : " +
                     Literal(Ty::kInt) + ")";
            }
            [[fallthrough]];
          default:
            if (rec != nullptr) return "dyn(" + rec->name + ")." + (rec->kind == kEv && e_.Chance(50) ? "k" : "n");
            return binary(Ty::kInt, {"+", "*"}, Ty::kInt);
        }
      case Ty::kUint: return binary(Ty::kUint, {"+", "-", "*", "/", "%"}, Ty::kUint);
      case Ty::kDouble:
        if (e_.Chance(30)) return "double(" + dyn(e_.Chance(50) ? Ty::kInt : Ty::kUint) + ")";
        if (rec != nullptr && rec->kind == kEv && e_.Chance(30)) return "dyn(" + rec->name + ").x";
        return binary(Ty::kDouble, {"+", "-", "*", "/"}, Ty::kDouble);
      case Ty::kBool:
        switch (e_.Below(5)) {
          case 0: {
            const std::vector<Ty> numbers = {Ty::kInt, Ty::kUint, Ty::kDouble};
            Ty left = e_.Pick(numbers);
            return binary(left, {"<", "<=", ">", ">=", "==", "!="}, e_.Pick(numbers));
          }
          case 1:
            if (!who.empty() && s.braces && e_.Chance(50)) {
              std::string fields = "{'name': " + Expr(Ty::kString, depth - 1, s);
              if (e_.Chance(50)) fields += ", 'score': " + Expr(Ty::kInt, depth - 1, s);
              return "(" + who + " == " + fields + "})";
            }
            if (!who.empty()) {  // against an ev's struct (itself, or another's) or a whole record; absent: an error
              std::string right = e_.Chance(50) ? e_.Pick(evs)->name + ".who" : "dyn(" + e_.Pick(s.recs).name + ")";
              return "(" + ev->name + ".who " + (e_.Chance(50) ? "==" : "!=") + " " + right + ")";
            }
            if (rec != nullptr) return "(dyn(" + rec->name + ") == dyn(" + e_.Pick(s.recs).name + "))";
            return binary(Ty::kString, {"==", "!="}, Ty::kString);
          case 2:
            if (!who.empty()) return e_.Chance(50) ? "has(" + who + ".score)" : "('score' in " + who + ")";
            return Join({"(", Expr(Ty::kString, depth - 1, s), " in ", dyn(Ty::kListString), ")"});
          case 3: {
            std::string list = dyn(e_.Chance(50) ? Ty::kListInt : Ty::kListString);
            return Join({"(", list, " == ", Literal(e_.Chance(50) ? Ty::kListInt : Ty::kListString), ")"});
          }
          default: {
            std::string value = dyn(e_.Pick(kAllTypes));
            const char* type = e_.Pick(std::vector<const char*>{"int", "string", "list", "map", "double"});
            return "(type(" + value + ") == " + type + ")";
          }
        }
      case Ty::kString:
        switch (e_.Below(4)) {
          case 0:
            if (!who.empty() && e_.Chance(30)) return who + ".name";
            if (!who.empty()) return "(has(" + ev->name + ".who) ? " + who + ".name : " + Literal(Ty::kString) + ")";
            [[fallthrough]];
          case 1:
            if (!s.frames.empty() && e_.Chance(50)) return "dyn(" + e_.Pick(s.frames) + ").cls";
            if (rec != nullptr) return "dyn(" + rec->name + ")." + (e_.Chance(50) ? "s" : "e");
            [[fallthrough]];
          case 2: return "string(" + dyn(e_.Pick(kScalarTypes)) + ")";
          default: return binary(Ty::kString, {"+"}, Ty::kString);
        }
      case Ty::kDuration:
        if (rec != nullptr && rec->kind != kNote && e_.Chance(40)) return "dyn(" + rec->name + ").t";
        return binary(Ty::kDuration, {"+", "-"}, Ty::kDuration);
      case Ty::kTimestamp: return binary(Ty::kTimestamp, {"+", "-"}, Ty::kDuration);
      case Ty::kListInt:
        if (rec != nullptr && rec->kind == kEv && e_.Chance(40)) return "dyn(" + rec->name + ").nums";
        return binary(Ty::kListInt, {"+"}, Ty::kListInt);
      case Ty::kListString:
        if (rec != nullptr && rec->kind != kNote && e_.Chance(40)) {
          return "dyn(" + rec->name + ")." + (e_.Chance(50) ? "tags" : "ds");
        }
        return binary(Ty::kListString, {"+"}, Ty::kListString);
    }
    return "";
  }

  // Over act's optional list of `fr` structs: a comprehension, its size, or its elements mapped;
  // the variable is a cursor into the list's table, read by field. Guarded by has() mostly, else
  // an error when the list is absent. Empty without an act record in scope, or for other types.
  std::string Frames(Ty ty, int depth, const Scope& s) {
    std::vector<const RecVar*> acts;
    for (const RecVar& rec : s.recs) {
      if (rec.kind == kAct) acts.push_back(&rec);
    }
    if (acts.empty() || (ty != Ty::kBool && ty != Ty::kInt && ty != Ty::kListString)) return "";
    const std::string list = e_.Pick(acts)->name + ".fs";
    const std::string guard = e_.Chance(80) ? "has(" + list + ")" : "";
    const std::string var = Fresh("f");
    Scope inner = s;
    inner.frames.push_back(var);
    switch (ty) {
      case Ty::kBool: {
        const char* macro = e_.Pick(std::vector<const char*>{"all", "exists", "exists_one"});
        std::string fold = list + "." + macro + "(" + var + ", " + Expr(Ty::kBool, depth - 1, inner) + ")";
        return guard.empty() ? fold : "(" + guard + " && " + fold + ")";
      }
      case Ty::kInt: {
        std::string n = e_.Chance(40) ? "size(" + list + ")"
                                      : list + ".filter(" + var + ", " + Expr(Ty::kBool, depth - 1, inner) + ").size()";
        return guard.empty() ? n : "(" + guard + " ? " + n + " : " + Literal(Ty::kInt) + ")";
      }
      default: {
        std::string element = e_.Chance(50) ? var + ".cls" : Expr(Ty::kString, depth - 1, inner);
        std::string mapped = list + ".map(" + var + ", " + element + ")";
        return guard.empty() ? mapped : "(" + guard + " ? " + mapped + " : " + Literal(Ty::kListString) + ")";
      }
    }
  }

  std::string IntExpr(int depth, const Scope& s) {
    switch (e_.Below(12)) {
      case 0: return Binary(Ty::kInt, {"+", "-", "*", "/", "%"}, depth, s);
      case 1: return "-(" + Expr(Ty::kInt, depth - 1, s) + ")";
      case 2: {
        Ty sized = e_.Pick(std::vector<Ty>{Ty::kString, Ty::kListInt, Ty::kListString});
        std::string inner = Expr(sized, depth - 1, s);
        return e_.Chance(50) ? "size(" + inner + ")" : inner + ".size()";
      }
      case 3: {
        Ty from = e_.Pick(std::vector<Ty>{Ty::kDouble, Ty::kUint, Ty::kString, Ty::kTimestamp});
        return "int(" + (from == Ty::kString ? Mostly({"12", "-3", "9223372036854775808"}, depth, s) : Expr(from, depth - 1, s)) + ")";
      }
      case 4: return Join({Expr(Ty::kListInt, depth - 1, s), "[", Index(depth, s), "]"});
      case 5: {
        const char* getter = e_.Pick(std::vector<const char*>{"getHours", "getMinutes", "getSeconds", "getMilliseconds"});
        return Expr(Ty::kDuration, depth - 1, s) + "." + getter + "()";
      }
      case 6: {
        const char* getter = e_.Pick(std::vector<const char*>{"getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth",
                                                              "getDate", "getDayOfWeek", "getHours", "getMinutes"});
        std::string zone = e_.Chance(50) ? Quote(e_.Pick(kZones)) : "";
        return Expr(Ty::kTimestamp, depth - 1, s) + "." + getter + "(" + zone + ")";
      }
      case 7: {
        std::string key = Key(s);
        if (!key.empty() && e_.Chance(40)) return "(" + key + " in tb ? tb[" + key + "].v : " + Literal(Ty::kInt) + ")";
        return "tb[" + Mostly(kTableKeys, depth, s) + "].v";
      }
      case 8:
        if (s.braces) {
          return Join({"{'a': ", Expr(Ty::kInt, depth - 1, s), ", 'b': ", Expr(Ty::kInt, depth - 1, s), "}[",
                       Mostly({"a", "b"}, depth, s), "]"});
        }
        return Leaf(Ty::kInt, s);
      case 9: {
        Ty list = e_.Chance(50) ? Ty::kListInt : Ty::kListString;
        return Join({Expr(list, depth - 1, s), ".filter(", Comprehension(list, depth, s), ").size()"});
      }
      default: return Shared(Ty::kInt, depth, s);
    }
  }

  std::string UintExpr(int depth, const Scope& s) {
    switch (e_.Below(4)) {
      case 0: return Binary(Ty::kUint, {"+", "-", "*", "/", "%"}, depth, s);
      case 1: return "uint(" + Expr(e_.Chance(60) ? Ty::kInt : Ty::kDouble, depth - 1, s) + ")";
      default: return Shared(Ty::kUint, depth, s);
    }
  }

  std::string DoubleExpr(int depth, const Scope& s) {
    switch (e_.Below(5)) {
      case 0: return Binary(Ty::kDouble, {"+", "-", "*", "/"}, depth, s);
      case 1: return "-(" + Expr(Ty::kDouble, depth - 1, s) + ")";
      case 2: {
        Ty from = e_.Pick(std::vector<Ty>{Ty::kInt, Ty::kUint, Ty::kString});
        return "double(" + (from == Ty::kString ? Mostly({"1.5", "-3", "1e309", "NaN"}, depth, s) : Expr(from, depth - 1, s)) + ")";
      }
      default: return Shared(Ty::kDouble, depth, s);
    }
  }

  std::string Comparison(int depth, const Scope& s) {
    const std::vector<const char*> ops = {"<", "<=", ">", ">=", "==", "!="};
    const char* op = ops[e_.Below(ops.size())];
    std::vector<Ty> numbers = {Ty::kInt, Ty::kUint, Ty::kDouble};
    switch (e_.Below(5)) {
      case 0:  // CEL compares numbers across types
        return Join(
            {"(", Expr(e_.Pick(numbers), depth - 1, s), " ", op, " ", Expr(e_.Pick(numbers), depth - 1, s), ")"});
      default: {
        Ty ty = e_.Pick(std::vector<Ty>{Ty::kInt, Ty::kString, Ty::kDuration, Ty::kTimestamp, Ty::kBool});
        return Join({"(", Expr(ty, depth - 1, s), " ", op, " ", Expr(ty, depth - 1, s), ")"});
      }
    }
  }

  std::string BoolExpr(int depth, const Scope& s) {
    switch (e_.Below(11)) {
      case 0:
      case 1: return Comparison(depth, s);
      case 2: return Binary(Ty::kBool, {"&&", "||"}, depth, s);
      case 3: return "!(" + Expr(Ty::kBool, depth - 1, s) + ")";
      case 4: {
        switch (e_.Below(5)) {
          case 0: return Join({"(", Expr(Ty::kInt, depth - 1, s), " in ", Expr(Ty::kListInt, depth - 1, s), ")"});
          case 1: return "(" + Expr(Ty::kString, depth - 1, s) + " in tb)";
          case 3: return "(" + Expr(Ty::kString, depth - 1, s) + " in cw)";
          case 2:
            // An enum column in a list of constants: native code tests the code against a mask.
            for (const RecVar& rec : s.recs) {
              if (rec.kind != kNote && e_.Chance(60)) return "(" + rec.name + ".e in " + Literal(Ty::kListString) + ")";
            }
            [[fallthrough]];
          default:
            return Join({"(", Expr(Ty::kString, depth - 1, s), " in ", Expr(Ty::kListString, depth - 1, s), ")"});
        }
      }
      case 5: {
        const char* method = e_.Pick(std::vector<const char*>{"contains", "startsWith", "endsWith", "matches"});
        std::string argument = std::string(method) == "matches" && e_.Chance(70) ? Quote(e_.Pick(kPatterns))
                                                                                 : Expr(Ty::kString, depth - 1, s);
        return Expr(Ty::kString, depth - 1, s) + "." + method + "(" + argument + ")";
      }
      case 6: {
        Ty list = e_.Chance(50) ? Ty::kListInt : Ty::kListString;
        const char* macro = e_.Pick(std::vector<const char*>{"all", "exists", "exists_one"});
        bool indexed = std::string(macro) != "exists_one";
        return Join({Expr(list, depth - 1, s), ".", macro, "(", Comprehension(list, depth, s, indexed), ")"});
      }
      case 7: {
        if (s.recs.empty()) return Comparison(depth, s);
        const RecVar& rec = e_.Pick(s.recs);
        std::vector<const char*> guards;
        for (const Field& field : FieldsOf(rec.kind)) {
          if (field.guard != nullptr) guards.push_back(field.guard);
        }
        if (guards.empty()) return Comparison(depth, s);
        return "has(" + rec.name + "." + e_.Pick(guards) + ")";
      }
      case 8: {
        Ty list = e_.Chance(50) ? Ty::kListInt : Ty::kListString;
        return Join({"(", Expr(list, depth - 1, s), " == ", Expr(list, depth - 1, s), ")"});
      }
      case 9: return "bool(" + Mostly({"true", "false"}, depth, s) + ")";
      default: return Shared(Ty::kBool, depth, s);
    }
  }

  std::string StringExpr(int depth, const Scope& s) {
    switch (e_.Below(7)) {
      case 0: return Binary(Ty::kString, {"+"}, depth, s);
      case 1: {
        Ty from = e_.Pick(std::vector<Ty>{Ty::kInt, Ty::kUint, Ty::kDouble, Ty::kBool, Ty::kDuration, Ty::kTimestamp});
        return "string(" + Expr(from, depth - 1, s) + ")";
      }
      case 2: return Join({Expr(Ty::kListString, depth - 1, s), "[", Index(depth, s), "]"});
      case 3: return "tb[" + Mostly(kTableKeys, depth, s) + "].name";
      case 4:
        if (auto lookup = Lookup(s); !lookup.empty()) return lookup;
        return Shared(Ty::kString, depth, s);
      default: return Shared(Ty::kString, depth, s);
    }
  }

  // A string key that names one value wherever it is read in a row, a variable or a required
  // column: `k in tb ? tb[k].v : ...` over such a key is one lookup in native code.
  std::string Key(const Scope& s) {
    std::vector<std::string> keys;
    for (const Var& var : s.vars) {
      if (var.ty == Ty::kString) keys.push_back(var.name);
    }
    for (const RecVar& rec : s.recs) keys.push_back(rec.name + ".s");
    return keys.empty() ? "" : e_.Pick(keys);
  }

  // A value looked up in the map a record's map function returns (MapFunctions): a key it always
  // holds, one it holds only when its test was true (else an error, "no such key"), or that one
  // guarded by `in`.
  std::string Lookup(const Scope& s) {
    if (!map_functions_ || !s.lets || s.recs.empty()) return "";
    std::string map = MapCall(e_.Pick(s.recs));
    switch (e_.Below(4)) {
      case 0: return map + "['party']";
      case 1: return map + ".party";
      case 2: return map + "['sdk']";
      default: return "('sdk' in " + map + " ? " + map + "['sdk'] : " + Literal(Ty::kString) + ")";
    }
  }

  std::string DurationExpr(int depth, const Scope& s) {
    switch (e_.Below(5)) {
      case 0: return Binary(Ty::kDuration, {"+", "-"}, depth, s);
      case 1: return Join({"(", Expr(Ty::kTimestamp, depth - 1, s), " - ", Expr(Ty::kTimestamp, depth - 1, s), ")"});
      case 2: return "duration(" + Mostly(kDurations, depth, s) + ")";
      default: return Shared(Ty::kDuration, depth, s);
    }
  }

  std::string TimestampExpr(int depth, const Scope& s) {
    switch (e_.Below(5)) {
      case 0: return Join({"(", Expr(Ty::kTimestamp, depth - 1, s), " + ", Expr(Ty::kDuration, depth - 1, s), ")"});
      case 1: return Join({"(", Expr(Ty::kTimestamp, depth - 1, s), " - ", Expr(Ty::kDuration, depth - 1, s), ")"});
      case 2: return "(session.started_at + " + Expr(Ty::kDuration, depth - 1, s) + ")";
      case 3: return e_.Chance(50) ? "timestamp(" + Mostly(kTimestamps, depth, s) + ")"
                                   : "timestamp(" + Expr(Ty::kInt, depth - 1, s) + ")";
      default: return Shared(Ty::kTimestamp, depth, s);
    }
  }

  std::string ListExpr(Ty ty, int depth, const Scope& s) {
    Ty element = ty == Ty::kListInt ? Ty::kInt : Ty::kString;
    switch (e_.Below(5)) {
      case 0: return Join({"(", Expr(ty, depth - 1, s), " + ", Expr(ty, depth - 1, s), ")"});
      case 1: {
        Ty from = e_.Chance(50) ? Ty::kListInt : Ty::kListString;
        std::string var = Fresh("x");
        Scope inner = s;
        inner.vars.push_back({var, from == Ty::kListInt ? Ty::kInt : Ty::kString});
        return Join({Expr(from, depth - 1, s), ".map(", var, ", ", Expr(element, depth - 1, inner), ")"});
      }
      case 2: return Join({Expr(ty, depth - 1, s), ".filter(", Comprehension(ty, depth, s), ")"});
      case 3: return Join({"[", Expr(element, depth - 1, s), ", ", Expr(element, depth - 1, s), "]"});
      default: return Shared(ty, depth, s);
    }
  }

  // `x, predicate`, or for all() and exists() also `i, x, predicate`, over a list of `list` type.
  std::string Comprehension(Ty list, int depth, const Scope& s, bool indexed = false) {
    Scope inner = s;
    std::string vars;
    if (indexed && e_.Chance(30)) {
      std::string index = Fresh("i");
      inner.vars.push_back({index, Ty::kInt});
      vars = index + ", ";
    }
    std::string var = Fresh("x");
    inner.vars.push_back({var, list == Ty::kListInt ? Ty::kInt : Ty::kString});
    // `x in <a constant set, list or map of strings>`: over a list column, native code folds it in
    // one call over the elements' ids (codegen/list_fold_emitter.cpp).
    if (list == Ty::kListString && vars.empty() && e_.Chance(options_.fold_percent)) {
      return var + ", " + var + " in " + e_.Pick(std::vector<std::string>{"st", "sd", "pl", "['a', '中文']", "{'a': 1}"});
    }
    return vars + var + ", " + Expr(Ty::kBool, depth - 1, inner);
  }

  std::string Call(Ty ty, int depth, const Scope& s) {
    std::vector<const Fn*> candidates;
    auto busy = [&s](const std::string& name) {
      return std::find(s.calling.begin(), s.calling.end(), name) != s.calling.end();
    };
    for (const Fn& fn : fns_) {
      if (fn.result != ty || busy(fn.name)) continue;
      bool nested = false;
      for (const std::string& callee : fn.reaches) nested = nested || busy(callee);
      if (nested) continue;
      bool records_available = true;
      for (int kind : fn.rec_params) {
        bool found = false;
        for (const RecVar& rec : s.recs) found = found || rec.kind == kind;
        records_available = records_available && found;
      }
      if (records_available) candidates.push_back(&fn);
    }
    if (candidates.empty()) return "";
    const Fn& fn = *e_.Pick(candidates);
    Scope arguments = s;
    arguments.calling.push_back(fn.name);
    arguments.calling.insert(arguments.calling.end(), fn.reaches.begin(), fn.reaches.end());
    std::string call = fn.name + "(";
    bool first = true;
    for (Ty param : fn.params) {
      std::string argument;
      if (fn.by_value && s.aggregates && e_.Chance(60)) argument = StreamAggregate(param, depth - 1, arguments);
      if (argument.empty()) argument = Expr(param, depth - 1, arguments);
      call += (first ? "" : ", ") + argument;
      first = false;
    }
    for (int kind : fn.rec_params) {
      std::vector<std::string> names;
      for (const RecVar& rec : s.recs) {
        if (rec.kind == kind) names.push_back(rec.name);
      }
      call += (first ? "" : ", ") + e_.Pick(names);
      first = false;
    }
    return call + ")";
  }

  // count / exists / sum / min / max / distinct over a record kind, correlated with the scope.
  std::string StreamAggregate(Ty ty, int depth, const Scope& s) {
    int kind = static_cast<int>(e_.Below(kKinds));
    RecVar bound{Fresh("g"), kind};
    Scope inner = s;
    inner.aggregates = false;
    inner.group = false;
    inner.recs.push_back(bound);
    std::string bindings = bound.name + ": " + kKindNames[kind];
    if (kind == kAct && e_.Chance(10)) {
      std::string frame = Fresh("f");
      bindings += ", " + frame + ": " + bound.name + ".fs";
      inner.frames.push_back(frame);
    } else if (kind != kNote && e_.Chance(20)) {
      std::string element = Fresh("d");
      bindings += ", " + element + ": " + bound.name + ".tags";
      inner.vars.push_back({element, Ty::kString});
    }
    std::string where = e_.Chance(70) ? Expr(Ty::kBool, depth - 1, inner) : "";
    // A window on the bound record's time, around a record of the scope or from the session's
    // start: the plan answers it with binary searches over the kind's records, each bound a value
    // computed first, which may itself take steps (a comprehension, a memo call) and so run out of
    // budget between the bounds (codegen/aggregate_emitter.cpp).
    if (kind != kNote && e_.Chance(options_.window_percent)) {
      std::vector<std::string> origin_records;
      for (const RecVar& rec : s.recs) {
        if (rec.kind != kNote) origin_records.push_back(rec.name);
      }
      const std::string origin_record = origin_records.empty() ? "" : e_.Pick(origin_records);
      const std::string origin = origin_record.empty() ? "" : origin_record + ".t";
      const std::string t = bound.name + ".t";
      std::string lower = Expr(Ty::kDuration, depth - 1, s);
      if (e_.Chance(70)) {  // a bound that takes steps: a comprehension decides it
        // Mostly over the origin's tags: the planner folds a comprehension over constants to its
        // value, which takes no steps.
        const bool over_tags = !origin_record.empty() && e_.Chance(70);
        const Ty list = over_tags || e_.Chance(50) ? Ty::kListString : Ty::kListInt;
        const std::string over = over_tags ? origin_record + ".tags" : Expr(list, depth - 1, s);
        std::string decides = Join({over, ".exists(", Comprehension(list, depth, s), ")"});
        // `||` absorbs the comprehension's budget error when its other side holds: the bound is then
        // a duration though the budget ran out in it, and the next bound must not be evaluated.
        // Over the tags, the other side half the time always holds (the planner does not fold it).
        if (e_.Chance(60)) {
          const bool holds = over_tags && e_.Chance(50);
          const std::string other = holds ? "size(" + over + ") >= 0" : Expr(Ty::kBool, depth - 1, s);
          decides = Join({"(", decides, " || ", other, ")"});
        }
        lower = Join({"(", decides, " ? ", lower, " : ", Literal(Ty::kDuration), ")"});
      }
      std::string upper = Expr(Ty::kDuration, depth - 1, s);
      std::string window = origin.empty()
                               ? Join({t, " >= ", lower, " && ", t, " < ", upper})
                               : Join({t, " > ", origin, " - ", lower, " && ", t, " <= ", origin, " + ", upper});
      // A condition on the bound record and the window's origin: an exists or a count is then not
      // counted by binary search (a filter on the bound record alone would be, the index built
      // with it) but scans the window's rows, and tests the budget between the bounds its own way
      // (aggregate_emitter.cpp's `aggregate.spent`).
      if (!origin.empty() && e_.Chance(50)) {
        window = Join({window, " && ", bound.name, ".n != ", origin_record, ".n"});
      }
      // The window alone at times: a condition that reads none of the aggregate's records (as the
      // generator's often do) is a `pre` conjunct, with which native code takes the machine's path.
      if (e_.Chance(40)) where.clear();
      where = where.empty() ? window : Join({"(", where, ") && ", window});
    }
    if (!where.empty()) where = " where " + where;
    switch (ty) {
      case Ty::kInt:
        if (e_.Chance(40)) return "count(" + bindings + where + ")";
        if (e_.Chance(40)) return "distinct(" + Expr(e_.Pick(kScalarTypes), depth - 1, inner) + " for " + bindings + where + ")";
        break;
      case Ty::kBool: return "exists(" + bindings + where + ")";
      case Ty::kUint:
      case Ty::kDouble:
      case Ty::kDuration:
      case Ty::kString:
      case Ty::kTimestamp: break;
      default: return "";
    }
    const char* op = ty == Ty::kString || ty == Ty::kTimestamp || e_.Chance(60)
                         ? (e_.Chance(50) ? "min" : "max")
                         : "sum";
    return std::string(op) + "(" + Expr(ty, depth - 1, inner) + " for " + bindings + where + ")";
  }

  // count() / sum / min / max / distinct of a per-match value, after group by, window or having.
  std::string GroupAggregate(Ty ty, int depth, const Scope& s) {
    const Scope& match = *s.group_scope;
    switch (ty) {
      case Ty::kInt:
        if (e_.Chance(40)) return "count()";
        if (e_.Chance(30)) return "distinct(" + Expr(e_.Pick(kScalarTypes), depth - 1, match) + ")";
        break;
      case Ty::kUint:
      case Ty::kDouble:
      case Ty::kDuration:
      case Ty::kString:
      case Ty::kTimestamp: break;
      default: return "";
    }
    const char* op = ty == Ty::kString || ty == Ty::kTimestamp || e_.Chance(50)
                         ? (e_.Chance(50) ? "min" : "max")
                         : "sum";
    return std::string(op) + "(" + Expr(ty, depth - 1, match) + ")";
  }

  // A condition that reads `var` (so that no binding goes unused), joined with a random one.
  std::string Reads(const std::string& var, Ty ty, int depth, const Scope& s) {
    const std::vector<const char*> ops = {"<", "<=", ">", ">=", "==", "!="};
    switch (ty) {
      case Ty::kBool: return var;
      case Ty::kListInt:
      case Ty::kListString: return Join({"size(", var, ") ", e_.Pick(ops), " ", Expr(Ty::kInt, depth - 1, s)});
      default: return Join({"(", var, " ", e_.Pick(ops), " ", Expr(ty, depth - 1, s), ")"});
    }
  }

  // A condition on one of `rec`'s fields, or now and then on its map function's 'party', the
  // lookup that filters of several rules then make alike.
  std::string ReadsRecord(const RecVar& rec, int depth, const Scope& s) {
    if (map_functions_ && s.lets && e_.Chance(10)) {
      return Reads(MapCall(rec) + "['party']", Ty::kString, depth, s);
    }
    const std::vector<Field>& fields = FieldsOf(rec.kind);
    const Field& field = fields[e_.Below(fields.size())];
    return Reads(FieldRead(rec, field), field.ty, depth, s);
  }

  // ---- declarations ----------------------------------------------------------------------------

  void Globals() {
    out_ << "const ci = " << Literal(Ty::kInt) << "\n";
    out_ << "const cs = " << Literal(Ty::kString) << "\n";
    out_ << "const cx: double = " << Literal(Ty::kDouble) << "\n";
    out_ << "const cl = " << Literal(Ty::kListInt) << "\n";
    out_ << "set st = ['a', 'b', '中文']\n";
    out_ << "set sn: int = [1, 3, -5]\n";
    out_ << "set sd: dt = ['id.imei', 'loc', '中文']\n";
    // Every word, and one twice: enough strings for native code to test membership in a table of
    // their keys (codegen/const_map_emitter.cpp), the first of equal ones kept.
    std::string words;
    for (const std::string& word : kWords) words += Quote(word) + ", ";
    out_ << "const cw = [" << words << Quote(kWords.front()) << "]\n";
    out_ << "param pi: int = " << Literal(Ty::kInt) << " note \"generated\"\n";
    out_ << "param pw: duration = " << e_.Pick(kDurations) << "\n";
    out_ << "param ps: string = " << Literal(Ty::kString) << "\n";
    out_ << "param pl: list<string> = " << Literal(Ty::kListString) << "\n\n";
    globals_ = {{"ci", Ty::kInt},        {"cs", Ty::kString}, {"cx", Ty::kDouble},     {"cl", Ty::kListInt},
                {"st", Ty::kListString}, {"sn", Ty::kListInt}, {"pi", Ty::kInt},        {"pw", Ty::kDuration},
                {"ps", Ty::kString},     {"pl", Ty::kListString}, {"sd", Ty::kListString}, {"cw", Ty::kListString}};

    for (size_t i = 0, n = 1 + e_.Below(4); i < n; ++i) {
      Ty ty = e_.Pick(kAllTypes);
      Scope scope;
      scope.aggregates = true;
      std::string body = Expr(ty, 3, scope);  // lets defined so far are visible: no cycles
      std::string name = "l" + std::to_string(i);
      out_ << "let " << name << (e_.Chance(50) ? std::string(": ") + TypeName(ty) : "") << " = " << body << "\n";
      lets_.push_back({name, ty});
    }
    for (size_t i = 0, n = std::max<size_t>(options_.min_functions, e_.Below(4)); i < n; ++i) Function(i);
    MapFunctions();
    out_ << "\n";
  }

  void Function(size_t index) {
    Fn fn;
    fn.name = "f" + std::to_string(index);
    fn.result = e_.Pick(kAllTypes);
    Scope scope;
    scope.aggregates = e_.Chance(30);
    std::vector<std::string> declared;
    auto record_param = [&]() {
      int kind = static_cast<int>(e_.Below(kKinds));
      std::string name = "r" + std::to_string(index);
      fn.rec_params.push_back(kind);
      scope.recs.push_back({name, kind});
      declared.push_back(name + ": " + kKindNames[kind]);
    };
    auto scalar_param = [&](Ty ty) {
      std::string name = "q" + std::to_string(index) + "_" + std::to_string(fn.params.size());
      fn.params.push_back(ty);
      scope.vars.push_back({name, ty});
      declared.push_back(name + ": " + TypeName(ty));
    };
    // One record, string or scalar parameter and a body that aggregates: the plan lowers such a
    // function once, as a memo function whose value the engine caches per row, per string, or per
    // value when the argument is an aggregate's (compiler/plan/lower_memo.cpp; Call writes such
    // arguments), and the JIT compiles as a body of its own.
    bool memo = e_.Chance(options_.memo_percent);
    if (memo) {
      scope.aggregates = true;
      switch (e_.Below(3)) {
        case 0: record_param(); break;
        case 1: scalar_param(Ty::kString); break;
        default:
          scalar_param(e_.Pick(std::vector<Ty>{Ty::kInt, Ty::kBool, Ty::kUint, Ty::kDuration, Ty::kTimestamp}));
          fn.by_value = true;
          break;
      }
    } else {
      for (size_t i = 0, n = 1 + e_.Below(2); i < n; ++i) scalar_param(e_.Pick(kScalarTypes));
      if (e_.Chance(40)) record_param();
    }
    std::string body = Expr(fn.result, 3, scope);
    if (memo) {
      body = Join({"(", StreamAggregate(Ty::kBool, 2, scope), " ? ", body, " : ", Expr(fn.result, 1, scope), ")"});
    }
    // An unused parameter is a warning: make the body read every parameter.
    for (const Var& var : scope.vars) {
      if (!Mentions(body, var.name)) {
        body = Join({"(", Reads(var.name, var.ty, 1, scope), " ? ", body, " : ", Expr(fn.result, 1, scope), ")"});
      }
    }
    for (const RecVar& rec : scope.recs) {
      if (!Mentions(body, rec.name)) {
        body = Join({"(", ReadsRecord(rec, 1, scope), " ? ", body, " : ", Expr(fn.result, 1, scope), ")"});
      }
    }
    out_ << "fn " << fn.name << "(";
    for (size_t i = 0; i < declared.size(); ++i) out_ << (i ? ", " : "") << declared[i];
    out_ << "): " << TypeName(fn.result) << " = " << body << "\n";
    for (const Fn& callee : fns_) {
      if (!Mentions(body, callee.name)) continue;
      fn.reaches.push_back(callee.name);
      fn.reaches.insert(fn.reaches.end(), callee.reaches.begin(), callee.reaches.end());
    }
    fns_.push_back(fn);  // after its body: no recursion
  }

  // The call of `rec`'s map function (MapFunctions).
  static std::string MapCall(const RecVar& rec) { return std::string("m_") + kKindNames[rec.kind] + "(" + rec.name + ")"; }

  // Per record kind, a function returning a map that the plan memoises by row (a record parameter
  // and a body that aggregates), as the standard library's call_subject(call): rules look values
  // up in it (Lookup), and native code keeps a lookup that filters of several rules of one pass
  // make for the row (codegen/shared_filters.h). Their bodies call no function, so that a call of
  // one is never an argument of a function it calls (E103).
  void MapFunctions() {
    for (int kind = 0; kind < kKinds; ++kind) {
      Scope scope;
      scope.aggregates = true;
      scope.lets = false;
      scope.recs.push_back({"rm", kind});
      std::string test = StreamAggregate(Ty::kBool, 2, scope);
      if (!Mentions(test, "rm")) test = "(" + ReadsRecord(scope.recs.back(), 1, scope) + " && " + test + ")";
      out_ << "fn m_" << kKindNames[kind] << "(rm: " << kKindNames[kind] << "): map<string, string> = " << test
           << " ? {'party': " << Expr(Ty::kString, 2, scope) << ", 'sdk': " << Expr(Ty::kString, 2, scope)
           << "} : {'party': " << Expr(Ty::kString, 1, scope) << "}\n";
    }
    map_functions_ = true;
  }

  static bool Mentions(const std::string& text, const std::string& name) {
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
      bool starts = at == 0 || !word(text[at - 1]);
      bool ends = at + name.size() == text.size() || !word(text[at + name.size()]);
      if (starts && ends) return true;
    }
    return false;
  }

  // ---- rules -----------------------------------------------------------------------------------

  struct RuleShape {
    std::string bindings;   // match / sequence lines
    std::string tail;       // where / group by / window / having
    Scope finding;          // what the per-finding entries see
    std::vector<int> kinds; // record kinds bound directly
    // A match rule's bindings and condition as written after `match` and `where`, for its twin.
    std::string match;
    std::string where;
  };

  // Writes rule `index` and returns how many rules it wrote: now and then a match rule is followed
  // by its twin as rule `index + 1` (when `twin` allows).
  size_t Rule(size_t index, bool twin) {
    RuleShape shape;
    bool match = false;
    switch (e_.Below(4)) {
      case 0: shape = MatchRule(); match = true; break;
      case 1: shape = SequenceRule(); break;
      case 2: shape = GroupRule(); break;
      default: shape = SessionRule(); break;
    }
    const std::string severity = e_.Pick(std::vector<std::string>{"critical", "high", "medium", "low", "info"});
    std::string properties = "  severity: " + severity + "\n  kind: " + (e_.Chance(50) ? "fail" : "review") + "\n";
    if (e_.Chance(30)) properties += "  cite: [\"GEN:" + std::to_string(index) + "\"]\n";
    std::string conditions;
    Scope session;
    session.aggregates = true;
    if (e_.Chance(15)) conditions += "  applies: " + Expr(Ty::kBool, 2, session) + "\n";
    if (e_.Chance(10)) {
      conditions += "  undetermined: " + Expr(Ty::kBool, 2, session) + "\n";
      conditions += "  reason: " + Expr(Ty::kString, 2, session) + "\n";
    }
    std::string entries = Entries(shape.finding);
    WriteRule(index, properties, shape.kinds, conditions, shape.bindings + shape.tail, entries);
    if (!match || !twin || !e_.Chance(options_.twin_percent)) return 1;
    // The twin binds one record more, first: every tree of the rule reads the same records through
    // registers one further on, so the code generator finds them alike up to their registers
    // (codegen/register_families.h) and shares a body when they are large enough.
    RecVar extra{Fresh("b"), static_cast<int>(e_.Below(kKinds))};
    Scope scope;
    scope.recs.push_back(extra);
    std::string bindings = "  match " + extra.name + ": " + kKindNames[extra.kind] + ", " + shape.match + "\n";
    std::string tail = "  where " + ReadsRecord(extra, 1, scope) + " && (" + shape.where + ")\n";
    std::vector<int> kinds = shape.kinds;
    kinds.push_back(extra.kind);
    WriteRule(index + 1, properties, kinds, conditions, bindings + tail, entries);
    return 2;
  }

  void WriteRule(size_t index, const std::string& properties, const std::vector<int>& kinds, const std::string& conditions,
                 const std::string& body, const std::string& entries) {
    out_ << "rule r" << index << " {\n";
    out_ << "  title: \"generated rule " << index << "\"\n";
    out_ << properties;
    std::vector<bool> needed(kKinds, false);
    for (int kind : kinds) needed[kind] = true;
    std::string needs, uses;
    for (int kind = 0; kind < kKinds; ++kind) {
      std::string& list = needed[kind] ? needs : uses;
      list += (list.empty() ? "" : ", ") + std::string(kKindNames[kind]);
    }
    if (!needs.empty()) out_ << "  needs: [" << needs << "]\n";
    if (!uses.empty()) out_ << "  uses: [" << uses << "]\n";
    out_ << conditions << body << entries << "}\n\n";
  }

  std::string Entries(const Scope& finding) {
    std::string out;
    if (e_.Chance(40)) {
      std::string party = e_.Chance(90) ? Quote(e_.Chance(50) ? "first" : "third") : Expr(Ty::kString, 1, finding);
      std::string subject = "{'party': " + party;
      if (e_.Chance(60)) subject += ", 'sdk': " + Expr(Ty::kString, 2, finding);
      if (e_.Chance(20)) subject += ", 'component': " + Expr(Ty::kString, 1, finding);
      out += "  subject: " + subject + "}\n";
    }
    if (e_.Chance(40)) {
      out += "  data_types: " + (e_.Chance(50) ? "[" + Expr(Ty::kString, 2, finding) + "]" : Expr(Ty::kListString, 2, finding)) + "\n";
    }
    if (e_.Chance(20)) out += "  permissions: [" + Expr(Ty::kString, 2, finding) + "]\n";
    if (e_.Chance(80)) {
      Scope hole = finding;
      hole.braces = false;
      std::string report = "\"报告 {{" + std::to_string(next_name_) + "}}";
      for (size_t i = 0, n = 1 + e_.Below(3); i < n; ++i) {
        std::string value;
        if (!hole.recs.empty() && e_.Chance(options_.dynamic_percent)) {  // a struct or a record, printed as a map
          const RecVar& rec = e_.Pick(hole.recs);
          value = rec.kind == kEv && e_.Chance(50) ? rec.name + ".who" : rec.name;
          if (!hole.frames.empty() && e_.Chance(30)) value = e_.Pick(hole.frames);
        } else {
          value = Expr(e_.Pick(kAllTypes), 2, hole);
        }
        report += " " + e_.Pick(kWords) + " {" + value + "}";
      }
      out += "  report: " + report + "\"\n";
    }
    return out;
  }

  Scope BindingScope() {
    Scope scope;
    scope.aggregates = e_.Chance(50);
    return scope;
  }

  RuleShape MatchRule() {
    RuleShape shape;
    Scope scope = BindingScope();
    std::vector<std::string> conditions;
    std::string bindings;
    for (size_t i = 0, n = 1 + e_.Below(3); i < n; ++i) {
      std::string name = Fresh("b");
      std::vector<const RecVar*> with_lists;
      for (const RecVar& rec : scope.recs) {
        if (rec.kind != kNote) with_lists.push_back(&rec);
      }
      if (!with_lists.empty() && e_.Chance(25)) {
        const RecVar& owner = *e_.Pick(with_lists);
        if (owner.kind == kAct && e_.Chance(30)) {  // the elements of a list of structs, absent or not
          bindings += (bindings.empty() ? "" : ", ") + name + ": " + owner.name + ".fs";
          scope.frames.push_back(name);
          conditions.push_back(Reads(name + ".cls", Ty::kString, 2, scope));
          continue;
        }
        bool ints = owner.kind == kEv && e_.Chance(50);
        std::string list = owner.name + (ints ? ".nums" : ".tags");
        // Elements of a list column, of a list computed in the row, or the keys of a map.
        size_t source = e_.Below(10);
        if (source == 0) list = "(" + list + " + " + Literal(ints ? Ty::kListInt : Ty::kListString) + ")";
        if (source == 1) {
          ints = false;
          list = Join(
              {"{'a': ", Expr(Ty::kInt, 1, scope), ", ", Quote(e_.Pick(kWords)), ": ", Expr(Ty::kInt, 1, scope), "}"});
        }
        bindings += (bindings.empty() ? "" : ", ") + name + ": " + list;
        scope.vars.push_back({name, ints ? Ty::kInt : Ty::kString});
        conditions.push_back(Reads(name, ints ? Ty::kInt : Ty::kString, 2, scope));
        continue;
      }
      int kind = static_cast<int>(e_.Below(kKinds));
      // A join partner: a time window or an equality with an earlier record, so the planner
      // builds range scans and hash probes.
      for (const RecVar& other : scope.recs) {
        if (kind != kNote && other.kind != kNote && e_.Chance(50)) {
          conditions.push_back(name + ".t > " + other.name + ".t && " + name + ".t - " + other.name + ".t < " +
                               (e_.Chance(50) ? "pw" : e_.Pick(kDurations)));
        } else if (e_.Chance(40)) {
          const char* field = e_.Chance(50) ? "n" : "s";
          conditions.push_back(name + "." + field + " == " + other.name + "." + field);
        }
      }
      bindings += (bindings.empty() ? "" : ", ") + name + ": " + kKindNames[kind];
      scope.recs.push_back({name, kind});
      shape.kinds.push_back(kind);
      conditions.push_back(ReadsRecord(scope.recs.back(), 2, scope));
    }
    if (e_.Chance(60)) conditions.push_back(Expr(Ty::kBool, 3, scope));
    std::string where;
    for (const std::string& condition : conditions) {
      where += (where.empty() ? "" : e_.Chance(85) ? " && " : " || ") + condition;
    }
    shape.bindings = "  match " + bindings + "\n";
    shape.tail = "  where " + where + "\n";
    shape.match = bindings;
    shape.where = where;
    shape.finding = scope;
    shape.finding.aggregates = false;
    return shape;
  }

  RuleShape SequenceRule() {
    RuleShape shape;
    Scope scope = BindingScope();
    std::vector<std::string> conditions;
    std::string text = "  sequence ";
    for (size_t i = 0, n = 2 + e_.Below(2); i < n; ++i) {
      std::string name = Fresh("b");
      int kind = e_.Chance(50) ? kEv : kAct;
      if (i > 0) text += "\n    then ";
      text += name + ": " + kKindNames[kind];
      if (i > 0 && e_.Chance(60)) text += " within " + (e_.Chance(50) ? std::string("pw") : e_.Pick(kDurations));
      scope.recs.push_back({name, kind});
      shape.kinds.push_back(kind);
      conditions.push_back(ReadsRecord(scope.recs.back(), 2, scope));
    }
    if (e_.Chance(50)) {
      RecVar without{Fresh("w"), e_.Chance(50) ? kEv : kAct};
      Scope when = scope;
      when.recs.push_back(without);
      text += "\n    without " + without.name + ": " + kKindNames[without.kind] + " when " + ReadsRecord(without, 2, when);
      shape.kinds.push_back(without.kind);
    }
    std::string where;
    for (const std::string& condition : conditions) where += (where.empty() ? "" : " && ") + condition;
    shape.bindings = text + "\n";
    shape.tail = "  where " + where + "\n";
    shape.finding = scope;
    shape.finding.aggregates = false;
    return shape;
  }

  RuleShape GroupRule() {
    RuleShape shape;
    Scope match;
    RecVar rec{Fresh("b"), e_.Chance(50) ? kEv : kAct};
    match.recs.push_back(rec);
    shape.kinds.push_back(rec.kind);
    std::string bindings = rec.name + ": " + kKindNames[rec.kind];
    std::string where = ReadsRecord(rec, 2, match);
    if (e_.Chance(30)) {
      std::string element = Fresh("d");
      bindings += ", " + element + ": " + rec.name + ".tags";
      match.vars.push_back({element, Ty::kString});
      where += " && " + Reads(element, Ty::kString, 1, match);
    }
    shape.bindings = "  match " + bindings + "\n";
    shape.tail = "  where " + where + "\n";

    auto group_scope = std::make_unique<Scope>(match);
    Scope grouped;
    grouped.group = true;
    grouped.group_scope = group_scope.get();
    bool keys_wanted = e_.Chance(75), window_wanted = e_.Chance(50);
    // Without any of the three the rule is no grouped rule, and count() would mean nothing.
    bool having_wanted = e_.Chance(80) || (!keys_wanted && !window_wanted);
    if (keys_wanted) {
      std::string keys;
      for (size_t i = 0, n = 1 + e_.Below(2); i < n; ++i) {
        Ty ty = e_.Pick(std::vector<Ty>{Ty::kString, Ty::kString, Ty::kInt, Ty::kBool});
        std::string name = Fresh("k");
        keys += (keys.empty() ? "" : ", ") + name + ": " + Expr(ty, 1, match);
        grouped.vars.push_back({name, ty});
      }
      shape.tail += "  group by " + keys + "\n";
    }
    if (window_wanted) shape.tail += "  window " + (e_.Chance(50) ? std::string("pw") : e_.Pick(kDurations)) + "\n";
    if (having_wanted) shape.tail += "  having " + Expr(Ty::kBool, 2, grouped) + "\n";
    shape.finding = grouped;
    group_scopes_.push_back(std::move(group_scope));
    return shape;
  }

  RuleShape SessionRule() {
    RuleShape shape;
    Scope scope;
    scope.aggregates = true;
    shape.tail = "  where " + Expr(Ty::kBool, 3, scope) + "\n";
    shape.finding = scope;
    return shape;
  }

  Entropy& e_;
  GeneratorOptions options_;
  std::ostringstream out_;
  size_t next_name_ = 0;
  std::vector<Var> globals_;
  std::vector<Var> lets_;
  std::vector<Fn> fns_;
  bool map_functions_ = false;  // MapFunctions declared theirs
  std::vector<std::unique_ptr<Scope>> group_scopes_;  // grouped scopes point at their match scope
};

}  // namespace

GeneratedProgram GenerateProgram(Entropy& entropy, const GeneratorOptions& options) {
  return Generator(entropy, options).Run();
}

GeneratorOptions FuzzerOptions() {
  GeneratorOptions options;
  options.rules = 3;
  options.sessions = 2;
  options.max_records = 16;
  options.min_functions = 3;
  options.memo_percent = 80;
  options.call_percent = 25;
  options.fold_percent = 50;
  return options;
}

uint64_t FromEnvironment(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

}  // namespace edict::differential
