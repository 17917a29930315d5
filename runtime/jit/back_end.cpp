// Finding the back end: linked into the program (the tests), or its module loaded from disk.
#include "runtime/jit/back_end.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "runtime/jit/target.h"

// Weak: null in a program the back end is not linked into, which loads the module instead.
extern "C" const edict::jit::BackEnd* edict_back_end() __attribute__((weak));
// The build id of the module the program was linked with (cmake/BackEndBuildId.cmake); weak: null in
// a program that does not load the module.
extern "C" const char edict_expected_back_end_build_id[] __attribute__((weak));

namespace edict::jit {
namespace {

constexpr const char* kModuleName = "libedict-backend.so";

struct Loaded {
  const BackEnd* back_end = nullptr;
  std::string error;
};

bool IsFile(const std::string& path) {
  struct stat status;
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

// $EDICT_BACK_END, else the module next to the program, else where the build put it (the
// benchmarks and test programs live in other directories of the build).
const std::string& ModulePath() {
  static const std::string path = [] {
    const char* chosen = std::getenv("EDICT_BACK_END");
    if (chosen != nullptr && *chosen != '\0') return std::string(chosen);
    std::error_code error;
    std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
      std::string beside = (program.parent_path() / kModuleName).string();
      if (IsFile(beside)) return beside;
    }
    return std::string(EDICT_BACK_END_BUILD_PATH);
  }();
  return path;
}

Loaded LoadModule() {
  Loaded loaded;
  const std::string& path = ModulePath();
  // Another build of the module may have other layouts behind the same interface: refused before
  // any of its code runs.
  if (edict_expected_back_end_build_id != nullptr && IsFile(path)) {
    std::string found = FileBuildId(path);
    if (found != edict_expected_back_end_build_id) {
      loaded.error = "the JIT back end " + path + " is another build than the one this program was built with (build id " +
                     (found.empty() ? "none" : found) + ", expected " + edict_expected_back_end_build_id + ")";
      return loaded;
    }
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    loaded.error = "cannot load the JIT back end " + path + ": " + (why != nullptr ? why : "unknown error");
    return loaded;
  }
  // Never closed: native code and the LLJITs that own it live in the module and libLLVM.so.
  auto entry = reinterpret_cast<BackEndEntry>(dlsym(handle, "edict_back_end"));
  if (entry == nullptr) {
    loaded.error = "the JIT back end " + path + " has no entry point edict_back_end";
    return loaded;
  }
  loaded.back_end = entry();
  return loaded;
}

}  // namespace

const BackEnd* LoadBackEnd(std::string& error) {
  static const Loaded loaded = edict_back_end != nullptr ? Loaded{edict_back_end(), {}} : LoadModule();
  if (loaded.back_end == nullptr) error = loaded.error;
  return loaded.back_end;
}

}  // namespace edict::jit
