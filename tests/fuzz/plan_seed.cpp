// Writes the plan_decode harness's seed corpus: the serialised plan of each pack named on the
// command line (the standard library's is what a real cache entry holds), one file per pack.
//
//   plan_seed OUT_DIR PACK...
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "compiler/plan/serialize.h"
#include "compiler/sema/check.h"
#include "runtime/interp/interp.h"
#include "tests/fuzz/fuzz_support.h"

using namespace edict;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fputs("usage: plan_seed OUT_DIR PACK...\n", stderr);
    return 2;
  }
  std::filesystem::path out = argv[1];
  std::filesystem::remove_all(out);  // seeds of a changed plan format go too
  std::filesystem::create_directories(out);
  for (int i = 2; i < argc; ++i) {
    diag::SourceManager sources;
    diag::DiagnosticEngine diags;
    sema::LoadOptions options;
    options.use_environment = false;
    auto program = sema::CheckPaths({fuzz::SourcePath(argv[i])}, options, sources, diags);
    std::unique_ptr<plan::Plan> compiled;
    if (!diags.has_errors()) compiled = interp::Compile(*program, {}, sources, diags);
    if (compiled == nullptr) {
      for (const diag::Diagnostic& d : diags.diagnostics()) {
        std::fputs(diag::RenderText(d, sources, false).c_str(), stderr);
      }
      std::fprintf(stderr, "plan_seed: %s does not compile\n", argv[i]);
      return 1;
    }
    std::string name = std::filesystem::path(argv[i]).filename().string() + ".plan";
    std::ofstream(out / name, std::ios::binary) << plan::SerializePlan(*compiled);
  }
  return 0;
}
