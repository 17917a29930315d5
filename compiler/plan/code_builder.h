// Appending expression code: nodes with their children, constants, and rolling back the code of
// a subexpression that has just been folded into a constant.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <vector>

#include "compiler/plan/expr.h"

namespace edict::plan {

class CodeBuilder {
 public:
  explicit CodeBuilder(Code& code) : code_(code) {}

  ExprId Emit(Op op, std::span<const ExprId> children, uint32_t a = 0, uint32_t b = 0, uint32_t c = kNone,
              uint8_t flags = 0);
  ExprId Emit(Op op, std::initializer_list<ExprId> children, uint32_t a = 0, uint32_t b = 0, uint32_t c = kNone,
              uint8_t flags = 0) {
    return Emit(op, std::span<const ExprId>(children.begin(), children.size()), a, b, c, flags);
  }
  ExprId Const(value::Value value);
  // Adds a constant without a node (an operand such as a field name).
  uint32_t Constant(value::Value value);
  // A call of one overload, or a dispatch over several.
  ExprId Call(std::span<const value::Overload> overloads, std::span<const ExprId> args);

  struct Mark {
    size_t nodes, children, constants;
  };
  Mark mark() const { return {code_.nodes.size(), code_.children.size(), code_.constants.size()}; }
  // Drops everything emitted since `mark`; nothing outside may refer to it.
  void Truncate(const Mark& mark);

 private:
  Code& code_;
};

// The registers `expr` reads from outside itself, sorted (variables a macro or Bind binds inside
// are not counted); nullopt when it holds a correlated aggregate, whose reads are not tracked here.
std::optional<std::vector<Register>> RegistersRead(const Code& code, ExprId expr);

}  // namespace edict::plan
