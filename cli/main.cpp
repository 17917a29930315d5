// The edict command: a thin client of libedict.
#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"Edict: rule engine for app privacy standards"};
  app.set_version_flag("--version", std::string("edict ") + EDICT_VERSION);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
