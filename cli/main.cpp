// The edict command: a thin client of libedict. Each subcommand lives in its own file and
// registers itself here and ends by throwing CLI::RuntimeError(code) when the code is not 0;
// exit codes follow spec findings-1.md (2 wins over 1; every usage error is 2).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/check_command.h"
#include "cli/doc_command.h"
#include "cli/eval_command.h"
#include "cli/parse_command.h"
#include "cli/plan_command.h"
#include "cli/run_command.h"
#include "cli/test_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Edict: compile app-privacy rule packs and run them over app facts"};
  app.set_version_flag("--version", std::string("edict ") + EDICT_VERSION);
  app.require_subcommand(1);
  edict::cli::AddCheckCommand(app);
  edict::cli::AddParseCommand(app);
  edict::cli::AddRunCommand(app);
  edict::cli::AddTestCommand(app);
  edict::cli::AddEvalCommand(app);
  edict::cli::AddPlanCommand(app);
  edict::cli::AddDocCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a subcommand finished with this exit code
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage error, for every subcommand
  }
  return 0;
}
