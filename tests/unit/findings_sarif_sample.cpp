// Writes the SARIF report of the hand-built sample run to the path given, for the validation test
// (tests/findings/validate_sarif.sh) that runs the SARIF Multitool on it.
#include <iostream>

#include "runtime/findings/atomic_file.h"
#include "runtime/findings/sarif_writer.h"
#include "tests/findings/sample_run.h"

int main(int argc, char** argv) {
  using namespace edict::findings;
  if (argc != 2) {
    std::cerr << "usage: findings_sarif_sample OUTPUT.sarif\n";
    return 2;
  }
  AtomicFile file;
  std::string reason;
  if (!file.Open(argv[1], reason)) {
    std::cerr << "cannot write " << argv[1] << ": " << reason << '\n';
    return 1;
  }
  SarifWriter writer(file.stream());
  WriteRun(sample::SampleRun(), writer);
  if (!file.Commit(reason)) {
    std::cerr << "cannot write " << argv[1] << ": " << reason << '\n';
    return 1;
  }
  return 0;
}
