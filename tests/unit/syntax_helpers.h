// Shared helpers of the syntax phase's tests: parse a text, look at its diagnostics, round-trip.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/ast/equal.h"
#include "compiler/ast/printer.h"
#include "compiler/diag/render.h"
#include "compiler/syntax/parse.h"

namespace edict::syntax::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string SourcePath(const std::string& relative) { return std::string(EDICT_SOURCE_DIR) + "/" + relative; }

// One parse with everything it needs kept alive.
struct Parsed {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  diag::FileId file{};
  ast::File ast;
  ast::AstArena arena;
  ast::Expr* expr = nullptr;

  bool ok() const { return !diags.has_errors(); }
  // Every diagnostic rendered as text, for failure messages.
  std::string Rendered() const {
    std::string out;
    for (const diag::Diagnostic& d : diags.diagnostics()) out += diag::RenderText(d, sources, false);
    return out;
  }
  // "E010 1:5 message" per diagnostic.
  std::vector<std::string> Summary() const {
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : diags.diagnostics()) {
      diag::LineCol lc = sources.Locate(d.range.file, d.range.begin);
      out.push_back(std::string(diag::Info(d.id).code) + " " + std::to_string(lc.line) + ":" +
                    std::to_string(lc.column) + " " + d.message);
    }
    return out;
  }
};

inline std::unique_ptr<Parsed> ParseText(const std::string& text, const std::string& path = "test.edict",
                                         ParseOptions options = {}) {
  auto parsed = std::make_unique<Parsed>();
  parsed->file = parsed->sources.Add(path, text);
  parsed->ast = ParseFile(parsed->sources, parsed->file, parsed->diags, options);
  return parsed;
}

inline std::unique_ptr<Parsed> ParseCel(const std::string& text, ParseOptions options = {}) {
  auto parsed = std::make_unique<Parsed>();
  parsed->file = parsed->sources.Add("<expr>", text);
  parsed->expr = ParseExpression(parsed->sources, parsed->file, parsed->arena, parsed->diags, options);
  return parsed;
}

// Print, re-parse, compare; then print again and compare texts. Empty when all holds, else why not.
inline std::string CelRoundTrip(const ast::Expr& expr, ParseOptions options = {}) {
  std::string printed = ast::PrintExpr(expr);
  auto again = ParseCel(printed, options);
  if (again->expr == nullptr) return "printed form does not parse: " + printed + "\n" + again->Rendered();
  if (!ast::EqualExpr(expr, *again->expr)) return "re-parsed AST differs; printed: " + printed;
  std::string reprinted = ast::PrintExpr(*again->expr);
  if (reprinted != printed) return "printing is not idempotent: " + printed + " then " + reprinted;
  return "";
}

inline std::string FileRoundTrip(const ast::File& file, ParseOptions options = {}) {
  std::string printed = ast::Print(file);
  auto again = ParseText(printed, "printed.edict", options);
  if (!again->ok()) return "printed form does not parse:\n" + printed + "\n" + again->Rendered();
  if (!ast::Equal(file, again->ast)) return "re-parsed AST differs; printed:\n" + printed;
  std::string reprinted = ast::Print(again->ast);
  if (reprinted != printed) return "printing is not idempotent:\n" + printed + "\nthen\n" + reprinted;
  return "";
}

}  // namespace edict::syntax::testing

namespace doctest {
// Shows both sides of a failed comparison of diagnostic summaries.
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& lines) {
    std::string out = "{";
    for (const std::string& line : lines) out += "\n  " + line;
    return (out + "\n}").c_str();
  }
};
}  // namespace doctest
