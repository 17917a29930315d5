// `edict parse`: parse .edict files (or CEL expressions) and print them back in canonical form,
// or as an AST dump, so authors and tools can see exactly how their text was read.
#include "cli/parse_command.h"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <memory>

#include "compiler/ast/printer.h"
#include "compiler/diag/render.h"
#include "compiler/syntax/parse.h"

namespace edict::cli {
namespace {

struct ParseArgs {
  bool dump_ast = false;
  bool expr = false;
  bool no_macros = false;
  std::string format = "text";
  std::vector<std::string> inputs;
};

// Loads `input` ("-" is standard input); reports E001 when it cannot be read.
diag::FileId Load(const std::string& input, diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  if (input == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return sources.Add("<stdin>", std::move(text));
  }
  std::string error;
  diag::FileId file = sources.Load(input, &error);
  if (file == diag::FileId::kInvalid) diags.Report(diag::DiagId::kCannotReadFile, {}, {input, error});
  return file;
}

int RunParse(const ParseArgs& args) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  syntax::ParseOptions options;
  options.macros = !args.no_macros;
  std::string output;
  for (const std::string& input : args.inputs) {
    diag::FileId file = Load(input, sources, diags);
    if (file == diag::FileId::kInvalid) continue;
    size_t errors_before = diags.error_count();
    if (args.inputs.size() > 1) output += "// " + sources.path(file) + "\n";
    if (args.expr) {
      ast::AstArena arena;
      ast::Expr* expr = syntax::ParseExpression(sources, file, arena, diags, options);
      if (expr != nullptr) output += args.dump_ast ? ast::DumpExpr(*expr, sources) : ast::PrintExpr(*expr) + "\n";
    } else {
      ast::File parsed = syntax::ParseFile(sources, file, diags, options);
      if (diags.error_count() == errors_before) {
        output += args.dump_ast ? ast::DumpTree(parsed, sources) : ast::Print(parsed);
      }
    }
  }
  if (args.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const diag::Diagnostic& d : diags.diagnostics()) list.push_back(diag::RenderJson(d, sources));
    std::cout << list.dump(2) << "\n";
  } else {
    std::cout << output;
    bool color = isatty(STDERR_FILENO) != 0;
    for (const diag::Diagnostic& d : diags.diagnostics()) std::cerr << diag::RenderText(d, sources, color);
    std::string counts = diag::RenderSummary(diags.error_count(), diags.warning_count());
    if (!counts.empty()) std::cerr << counts << "\n";
  }
  return diags.has_errors() ? 2 : 0;
}

}  // namespace

void AddParseCommand(CLI::App& app) {
  auto args = std::make_shared<ParseArgs>();
  CLI::App* parse = app.add_subcommand("parse", "Parse files and print them back in canonical form");
  parse->add_flag("--dump-ast", args->dump_ast, "Print the syntax tree (kinds, names, values, line:col) instead");
  parse->add_flag("--expr", args->expr, "Each input holds one CEL expression rather than an .edict file");
  parse->add_flag("--no-macros", args->no_macros, "Read has(), all(), map(), ... as plain calls");
  parse->add_option("--format", args->format,
                    "text: the printed result on stdout, diagnostics on stderr; json: only a JSON array of "
                    "diagnostics on stdout")
      ->check(CLI::IsMember({"text", "json"}));
  parse->add_option("inputs", args->inputs, "Files to parse ('-' reads standard input)")->required();
  parse->callback([args] {
    int code = RunParse(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace edict::cli
