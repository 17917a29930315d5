// AstBuilder: report templates. A rule's `report` string holds `{expr}` holes, parsed as CEL with
// their own file positions; `{{` and `}}` stand for literal braces.
#include "compiler/syntax/ast_builder.h"

#include "compiler/syntax/literals.h"
#include "compiler/syntax/parser_run.h"

namespace edict::syntax {

namespace {

// The index of the `}` closing the hole opened at `open`, skipping nested braces and quoted text.
std::optional<size_t> HoleEnd(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && depth-- == 0) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace

ast::Expr* AstBuilder::BuildTemplate(antlr4::Token* literal) {
  ast::Expr* result = NewExpr(ast::ExprKind::kTemplate, Range(literal));
  DecodedText decoded;
  LiteralError error;
  if (!DecodeQuoted(text_.TokenText(literal), &decoded, &error)) {
    DecodeString(literal);  // reports the escape
    return result;
  }
  uint32_t token_offset = text_.TextOffset(literal->getStartIndex());
  auto file_offset = [&](size_t i) { return text_.FileOffsetOfByte(token_offset + decoded.origins[i]); };
  auto fail = [&](size_t begin, size_t end, const char* what, const char* help) {
    diag::Diagnostic& d = context_.diags.Report(diag::DiagId::kBadTemplate,
                                                {text_.file(), file_offset(begin), file_offset(end)}, {what});
    d.help = help;
    return result;
  };
  const std::string& value = decoded.value;
  std::string pending;
  for (size_t i = 0; i < value.size();) {
    char c = value[i];
    if ((c == '{' || c == '}') && i + 1 < value.size() && value[i + 1] == c) {
      pending += c;
      i += 2;
      continue;
    }
    if (c == '}') return fail(i, i + 1, "unmatched '}'", "write '}}' for a literal brace");
    if (c != '{') {
      pending += c;
      ++i;
      continue;
    }
    std::optional<size_t> end = HoleEnd(value, i);
    if (!end) return fail(i, i + 1, "'{' opens a hole that is never closed", "write '{{' for a literal brace");
    std::string hole = value.substr(i + 1, *end - i - 1);
    if (hole.find_first_not_of(" \t\r\n") == std::string::npos) {
      return fail(i, *end + 1, "empty hole '{}'", "put an expression between the braces, or write '{{}}'");
    }
    std::vector<uint32_t> origins;
    for (size_t k = i + 1; k <= *end; ++k) origins.push_back(file_offset(k));
    SourceText hole_text(text_.file(), std::move(hole), std::move(origins));
    ast::Expr* expr = ParseCelText(hole_text, context_, InputKind::kTemplateHole);
    if (expr == nullptr) return result;
    if (!pending.empty()) result->parts.push_back({std::move(pending), nullptr});
    pending.clear();
    result->parts.push_back({"", expr});
    i = *end + 1;
  }
  if (!pending.empty() || result->parts.empty()) result->parts.push_back({std::move(pending), nullptr});
  return result;
}

}  // namespace edict::syntax
