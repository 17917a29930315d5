// `edict eval`: a thin client of edict::EvaluateExpression.
#include "cli/eval_command.h"

#include <iostream>
#include <memory>

#include "cli/run_command.h"

namespace edict::cli {
namespace {

struct EvalArgs {
  std::string expression;
  std::vector<std::string> vars;  // "name=value"
  bool show_type = false;
  std::string engine = "auto";
};

int RunEval(const EvalArgs& args) {
  std::vector<Variable> variables;
  for (const std::string& var : args.vars) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "edict eval: --var " << var << ": expected name=value (value is a CEL expression)\n";
      return 2;
    }
    variables.push_back({var.substr(0, eq), var.substr(eq + 1)});
  }
  ExpressionResult result = EvaluateExpression(args.expression, variables, ParseEngine(args.engine));
  PrintDiagnostics(result.diagnostics);
  if (!result.ok) return 2;
  if (result.cel_error) {
    std::cerr << "edict eval: the expression evaluates to an error: " << result.text << "\n";
    return 1;
  }
  std::cout << result.text;
  if (args.show_type) std::cout << " : " << result.type;
  std::cout << "\n";
  return 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* eval = app.add_subcommand("eval", "Evaluate a CEL expression and print its value as CEL");
  eval->add_option("expression", args->expression, "The CEL expression")->required();
  eval->add_option("--var", args->vars, "Bind a variable: name=value, value a CEL expression (repeatable)")
      ->allow_extra_args(false);
  eval->add_flag("--type", args->show_type, "Also print the checked type");
  AddEngineOption(eval, args->engine);
  eval->callback([args] {
    int code = RunEval(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace edict::cli
