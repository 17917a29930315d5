// Canonical CEL source from expression trees. Brackets are added only where the structure needs
// them: by precedence, for right operands of left-associative operators, for `&&`/`||` trees the
// parser would not rebuild from a flat chain, and around literals a sign would otherwise merge with.
#include "compiler/ast/printer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace edict::ast {

namespace {

// Precedence levels of CEL, loosest first.
enum Level : int { kConditional = 1, kOrLevel, kAndLevel, kRelation, kAdditive, kMultiplicative, kUnaryLevel, kMember };

int BinaryLevel(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return kOrLevel;
    case BinaryOp::kAnd: return kAndLevel;
    case BinaryOp::kAdd: case BinaryOp::kSub: return kAdditive;
    case BinaryOp::kMul: case BinaryOp::kDiv: case BinaryOp::kMod: return kMultiplicative;
    default: return kRelation;
  }
}

}  // namespace

const char* OperatorText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return "||";
    case BinaryOp::kAnd: return "&&";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEq: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEq: return ">=";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNotEq: return "!=";
    case BinaryOp::kIn: return "in";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
  }
  return "?";
}

namespace {

bool IsNegativeNumber(const Expr& e) {
  if (e.kind != ExprKind::kLiteral) return false;
  if (e.literal.kind == LiteralKind::kInt) return e.literal.int_value < 0;
  return e.literal.kind == LiteralKind::kDouble && std::signbit(e.literal.double_value) &&
         !std::isnan(e.literal.double_value) && !std::isinf(e.literal.double_value);
}

int Level(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kConditional: return kConditional;
    case ExprKind::kBinary: return BinaryLevel(e.binary_op);
    case ExprKind::kUnary: return kUnaryLevel;
    case ExprKind::kLiteral: return IsNegativeNumber(e) ? kUnaryLevel : kMember;
    default: return kMember;
  }
}

bool IsIdentifier(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

std::string FieldName(const std::string& name) {
  if (IsIdentifier(name)) return name;
  std::string quoted = "`";
  quoted += name;
  return quoted += "`";
}

void AppendHex(std::string& out, const char* prefix, unsigned value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%s%0*X", prefix, digits, value);
  out += buffer;
}

// Code points a reader should see as escapes: controls and invisible or direction-changing ones.
bool EscapeCodePoint(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

size_t DecodeCodePoint(std::string_view text, size_t pos, char32_t* c) {
  auto continuation = [&](size_t k) -> char32_t {
    return pos + k < text.size() ? static_cast<unsigned char>(text[pos + k]) & 0x3F : 0;
  };
  unsigned char lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    *c = lead;
    return 1;
  }
  if (lead < 0xE0) {
    *c = (char32_t(lead & 0x1F) << 6) | continuation(1);
    return 2;
  }
  if (lead < 0xF0) {
    *c = (char32_t(lead & 0x0F) << 12) | (continuation(1) << 6) | continuation(2);
    return 3;
  }
  *c = (char32_t(lead & 0x07) << 18) | (continuation(1) << 12) | (continuation(2) << 6) | continuation(3);
  return 4;
}

// The body of a double-quoted string literal for UTF-8 `text` (without the quotes). With
// `braces`, `{` and `}` are doubled as a report template requires.
std::string EscapeString(std::string_view text, bool braces) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    size_t length = std::min(DecodeCodePoint(text, i, &c), text.size() - i);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '{': out += braces ? "{{" : "{"; break;
      case '}': out += braces ? "}}" : "}"; break;
      default:
        if (!EscapeCodePoint(c)) {
          out.append(text.substr(i, length));
        } else if (c < 0x100) {
          AppendHex(out, "\\x", static_cast<unsigned>(c), 2);
        } else {
          AppendHex(out, "\\u", static_cast<unsigned>(c), 4);
        }
    }
    i += length;
  }
  return out;
}

std::string Quote(std::string_view text) {
  std::string quoted = "\"";
  quoted += EscapeString(text, false);
  return quoted += "\"";
}

std::string QuoteBytes(std::string_view bytes) {
  std::string out = "b\"";
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      AppendHex(out, "\\x", c, 2);
    }
  }
  return out + "\"";
}

std::string PrintDouble(double value) {
  if (std::isnan(value)) return "double(\"NaN\")";
  if (std::isinf(value)) return value > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string PrintDuration(int64_t nanos) {
  if (nanos == 0) return "0s";
  std::string out;
  uint64_t rest = nanos < 0 ? 0 - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);
  if (nanos < 0) out += '-';
  static constexpr std::pair<const char*, uint64_t> kUnits[] = {
      {"h", 3'600'000'000'000}, {"m", 60'000'000'000}, {"s", 1'000'000'000},
      {"ms", 1'000'000},        {"us", 1'000},          {"ns", 1}};
  for (const auto& [unit, size] : kUnits) {
    if (rest >= size) {
      out += std::to_string(rest / size) + unit;
      rest %= size;
    }
  }
  return out;
}

std::string PrintLiteral(const Literal& literal) {
  switch (literal.kind) {
    case LiteralKind::kNull: return "null";
    case LiteralKind::kBool: return literal.bool_value ? "true" : "false";
    case LiteralKind::kInt: return std::to_string(literal.int_value);
    case LiteralKind::kUint: return std::to_string(literal.uint_value) + "u";
    case LiteralKind::kDouble: return PrintDouble(literal.double_value);
    case LiteralKind::kString: return Quote(literal.text);
    case LiteralKind::kBytes: return QuoteBytes(literal.text);
    case LiteralKind::kDuration: return PrintDuration(literal.int_value);
  }
  return "null";
}

const char* MacroName(const Expr& e) {
  bool two_vars = e.vars.size() == 2;
  switch (e.macro) {
    case Macro::kHas: return "has";
    case Macro::kAll: return "all";
    case Macro::kExists: return "exists";
    case Macro::kExistsOne: return two_vars ? "existsOne" : "exists_one";
    case Macro::kMap: case Macro::kMapFilter: return two_vars ? "transformList" : "map";
    case Macro::kFilter: return "filter";
    case Macro::kTransformMap: return "transformMap";
  }
  return "?";
}

class ExprPrinter {
 public:
  std::string Print(const Expr& e) {
    std::string out;
    Append(out, e);
    return out;
  }

  std::string Wrapped(const Expr& e, size_t used, size_t continuation, size_t width) {
    std::string flat = Print(e);
    bool chain = e.kind == ExprKind::kBinary && (e.binary_op == BinaryOp::kAnd || e.binary_op == BinaryOp::kOr);
    if (used + flat.size() <= width || !chain || !IsBalanced(e, e.binary_op)) return flat;
    std::vector<const Expr*> leaves;
    CollectLeaves(e, e.binary_op, leaves);
    std::string out;
    for (size_t i = 0; i < leaves.size(); ++i) {
      if (i > 0) {
        out += '\n';
        out.append(continuation, ' ');
        out += OperatorText(e.binary_op);
        out += ' ';
      }
      AppendAtLeast(out, *leaves[i], BinaryLevel(e.binary_op) + 1);
    }
    return out;
  }

 private:
  void Append(std::string& out, const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: out += PrintLiteral(e.literal); return;
      case ExprKind::kIdent:
        if (e.leading_dot) out += '.';
        out += e.name;
        return;
      case ExprKind::kSelect:
        if (e.test_only) {
          out += "has(";
          AppendOperand(out, *e.operand);
          out += '.';
          out += FieldName(e.name);
          out += ')';
          return;
        }
        AppendOperand(out, *e.operand);
        out += e.optional ? ".?" : ".";
        out += FieldName(e.name);
        return;
      case ExprKind::kIndex:
        AppendOperand(out, *e.operand);
        out += e.optional ? "[?" : "[";
        Append(out, *e.args[0]);
        out += "]";
        return;
      case ExprKind::kCall:
        if (e.operand != nullptr) {
          AppendOperand(out, *e.operand);
          out += '.';
          out += FieldName(e.name);
        } else {
          if (e.leading_dot) out += '.';
          out += e.name;
        }
        AppendArgs(out, e.args);
        return;
      case ExprKind::kList: {
        out += "[";
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          for (uint32_t opt : e.optional_indices) {
            if (opt == i) out += "?";
          }
          Append(out, *e.args[i]);
        }
        out += "]";
        return;
      }
      case ExprKind::kMap:
        out += "{";
        for (size_t i = 0; i < e.entries.size(); ++i) {
          if (i > 0) out += ", ";
          if (e.entries[i].optional) out += "?";
          Append(out, *e.entries[i].key);
          out += ": ";
          Append(out, *e.entries[i].value);
        }
        out += "}";
        return;
      case ExprKind::kMessage:
        if (e.leading_dot) out += '.';
        out += e.name + "{";
        for (size_t i = 0; i < e.fields.size(); ++i) {
          if (i > 0) out += ", ";
          if (e.fields[i].optional) out += "?";
          out += FieldName(e.fields[i].name) + ": ";
          Append(out, *e.fields[i].value);
        }
        out += "}";
        return;
      case ExprKind::kUnary: AppendUnary(out, e); return;
      case ExprKind::kBinary: AppendBinary(out, e); return;
      case ExprKind::kConditional:
        AppendAtLeast(out, *e.args[0], kOrLevel);
        out += " ? ";
        AppendAtLeast(out, *e.args[1], kOrLevel);
        out += " : ";
        Append(out, *e.args[2]);
        return;
      case ExprKind::kComprehension: {
        AppendOperand(out, *e.operand);
        out += std::string(".") + MacroName(e) + "(";
        for (const std::string& var : e.vars) out += var + ", ";
        for (size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          Append(out, *e.args[i]);
        }
        out += ")";
        return;
      }
      case ExprKind::kAggregate:
        out += e.name + "(";
        if (e.value != nullptr) {
          Append(out, *e.value);
          out += " for ";
        }
        for (size_t i = 0; i < e.bindings.size(); ++i) {
          if (i > 0) out += ", ";
          out += e.bindings[i]->name + ": ";
          Append(out, *e.bindings[i]->source);
        }
        if (e.where != nullptr) {
          out += " where ";
          Append(out, *e.where);
        }
        out += ")";
        return;
      case ExprKind::kTemplate:
        out += "\"";
        for (const TemplatePart& part : e.parts) {
          if (part.hole == nullptr) {
            out += EscapeString(part.text, /*braces=*/true);
            continue;
          }
          std::string hole = Print(*part.hole);
          // `{{` would read as an escaped brace.
          out += hole.front() == '{' ? "{ " : "{";
          out += EscapeString(hole, /*braces=*/false) + "}";
        }
        out += "\"";
        return;
    }
  }

  void AppendArgs(std::string& out, const std::vector<Expr*>& args) {
    out += "(";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) out += ", ";
      Append(out, *args[i]);
    }
    out += ")";
  }

  void AppendAtLeast(std::string& out, const Expr& e, int level) {
    if (Level(e) >= level) return Append(out, e);
    out += "(";
    Append(out, e);
    out += ")";
  }

  // The receiver of `.field`, `[i]`, `.f()` or a macro.
  void AppendOperand(std::string& out, const Expr& e) { AppendAtLeast(out, e, kMember); }

  void AppendUnary(std::string& out, const Expr& e) {
    out += e.unary_op == UnaryOp::kNot ? "!" : "-";
    // A unary operand is bracketed (`-(-x)`: `--x` would cancel out); so is an int or double
    // under `-`, which would otherwise read as a negative literal (`-1`, or `-1.f()` calling f
    // on -1). Durations and uints take no sign, so `-1m` stays as it is.
    const Expr* leftmost = e.operand;
    while (leftmost->operand != nullptr && leftmost->kind != ExprKind::kUnary && !leftmost->test_only) {
      leftmost = leftmost->operand;
    }
    bool merges = e.unary_op == UnaryOp::kNegate && Level(*e.operand) == kMember &&
                  leftmost->kind == ExprKind::kLiteral && !IsNegativeNumber(*leftmost) &&
                  (leftmost->literal.kind == LiteralKind::kInt || leftmost->literal.kind == LiteralKind::kDouble);
    if (merges) out += "(";
    AppendOperand(out, *e.operand);
    if (merges) out += ")";
  }

  void AppendBinary(std::string& out, const Expr& e) {
    int level = BinaryLevel(e.binary_op);
    bool logical = e.binary_op == BinaryOp::kAnd || e.binary_op == BinaryOp::kOr;
    if (logical && IsBalanced(e, e.binary_op)) {
      std::vector<const Expr*> leaves;
      CollectLeaves(e, e.binary_op, leaves);
      for (size_t i = 0; i < leaves.size(); ++i) {
        if (i > 0) out += std::string(" ") + OperatorText(e.binary_op) + " ";
        AppendAtLeast(out, *leaves[i], level + 1);
      }
      return;
    }
    // Left-associative: an operand of the same level needs brackets on the right only. A
    // `&&`/`||` tree of another shape gets brackets on both sides, so it is rebuilt as written.
    AppendAtLeast(out, *e.args[0], logical ? level + 1 : level);
    out += std::string(" ") + OperatorText(e.binary_op) + " ";
    AppendAtLeast(out, *e.args[1], level + 1);
  }

  static bool IsChain(const Expr& e, BinaryOp op) { return e.kind == ExprKind::kBinary && e.binary_op == op; }

  static size_t CountLeaves(const Expr& e, BinaryOp op) {
    return IsChain(e, op) ? CountLeaves(*e.args[0], op) + CountLeaves(*e.args[1], op) : 1;
  }

  static void CollectLeaves(const Expr& e, BinaryOp op, std::vector<const Expr*>& leaves) {
    if (!IsChain(e, op)) {
      leaves.push_back(&e);
      return;
    }
    CollectLeaves(*e.args[0], op, leaves);
    CollectLeaves(*e.args[1], op, leaves);
  }

  // Whether the parser's balancing of the flat chain of e's leaves gives back e's shape.
  static bool IsBalanced(const Expr& e, BinaryOp op) {
    if (!IsChain(e, op)) return true;
    size_t count = CountLeaves(e, op);
    return CountLeaves(*e.args[0], op) == BalancedLeftCount(count) && IsBalanced(*e.args[0], op) &&
           IsBalanced(*e.args[1], op);
  }
};

}  // namespace

std::string PrintExpr(const Expr& expr) { return ExprPrinter().Print(expr); }

std::string PrintExprWrapped(const Expr& expr, size_t used, size_t continuation, size_t width) {
  return ExprPrinter().Wrapped(expr, used, continuation, width);
}

std::string QuoteString(std::string_view text) { return Quote(text); }

}  // namespace edict::ast
