// Native target set-up and the identities an object-cache key is made of.
#include "runtime/jit/target.h"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <mutex>

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

namespace edict::jit {
namespace {

struct BuildIdSearch {
  uintptr_t address;  // an address inside the object whose build id we want
  std::string hex;
};

std::string Hex(const unsigned char* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// The NT_GNU_BUILD_ID note of the loaded object that contains `search->address`.
int FindBuildId(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<BuildIdSearch*>(data);
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + header.p_vaddr;
    if (header.p_type == PT_LOAD && search->address >= start && search->address < start + header.p_memsz) contains = true;
  }
  if (!contains) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    const auto* note = reinterpret_cast<const unsigned char*>(info->dlpi_addr + header.p_vaddr);
    const unsigned char* end = note + header.p_memsz;
    while (note + sizeof(ElfW(Nhdr)) <= end) {
      const auto* nhdr = reinterpret_cast<const ElfW(Nhdr)*>(note);
      const unsigned char* name = note + sizeof(ElfW(Nhdr));
      const unsigned char* desc = name + ((nhdr->n_namesz + 3) & ~3u);
      if (desc + nhdr->n_descsz > end) break;
      if (nhdr->n_type == NT_GNU_BUILD_ID && nhdr->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        search->hex = Hex(desc, nhdr->n_descsz);
        return 1;
      }
      note = desc + ((nhdr->n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

}  // namespace

void InitializeNativeTargetOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

const char* OptLevelName(OptLevel level) {
  switch (level) {
    case OptLevel::kO0: return "O0";
    case OptLevel::kO1: return "O1";
    case OptLevel::kO2: return "O2";
  }
  return "O2";
}

std::optional<llvm::orc::JITTargetMachineBuilder> HostTarget(OptLevel level, std::string& error) {
  auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!target) {
    error = llvm::toString(target.takeError());
    return std::nullopt;
  }
  target->setRelocationModel(llvm::Reloc::PIC_);
  target->setCodeModel(llvm::CodeModel::Small);
  // Every branch in its long form: the assembler skips relaxing them one by one, ~7 % of a large
  // module's compile time at O0, for objects ~2 % larger.
  target->getOptions().MCOptions.MCRelaxAll = true;
  switch (level) {
    case OptLevel::kO0: target->setCodeGenOptLevel(llvm::CodeGenOptLevel::None); break;
    case OptLevel::kO1: target->setCodeGenOptLevel(llvm::CodeGenOptLevel::Less); break;
    case OptLevel::kO2: target->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default); break;
  }
  return std::move(*target);
}

std::string TargetIdentity(const llvm::orc::JITTargetMachineBuilder& target) {
  return target.getTargetTriple().str() + "/" + target.getCPU() + "/" + target.getFeatures().getString();
}

const std::string& EngineBuildId() {
  static const std::string id = [] {
    BuildIdSearch search{reinterpret_cast<uintptr_t>(&FindBuildId), {}};
    dl_iterate_phdr(FindBuildId, &search);
    std::string build = search.hex.empty() ? std::string(__DATE__ " " __TIME__) : search.hex;
    return std::string(EDICT_VERSION) + "+" + build;
  }();
  return id;
}

}  // namespace edict::jit
