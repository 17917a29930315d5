// The identities an object-cache key is made of: the engine's build and the host machine's.
#include "runtime/jit/target.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "runtime/jit/back_end.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace edict::jit {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// The build id in the notes `notes` (a PT_NOTE segment's bytes); empty when there is none.
std::string BuildIdNote(const unsigned char* notes, size_t size) {
  const unsigned char* note = notes;
  const unsigned char* end = notes + size;
  while (end - note >= static_cast<ptrdiff_t>(sizeof(ElfW(Nhdr)))) {
    ElfW(Nhdr) header;
    std::memcpy(&header, note, sizeof(header));
    const unsigned char* name = note + sizeof(header);
    size_t name_size = (header.n_namesz + 3) & ~size_t{3};
    size_t desc_size = (header.n_descsz + 3) & ~size_t{3};
    if (static_cast<size_t>(end - name) < name_size || static_cast<size_t>(end - name) - name_size < header.n_descsz) {
      break;
    }
    const unsigned char* desc = name + name_size;
    if (header.n_type == NT_GNU_BUILD_ID && header.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
      return Hex(desc, header.n_descsz);
    }
    if (static_cast<size_t>(end - desc) < desc_size) break;
    note = desc + desc_size;
  }
  return {};
}

struct BuildIdSearch {
  uintptr_t address;  // an address inside the loaded object whose build id we want
  std::string hex;
};

// The build id of the loaded object that contains `search->address`.
int FindBuildId(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<BuildIdSearch*>(data);
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + header.p_vaddr;
    if (header.p_type == PT_LOAD && search->address >= start && search->address < start + header.p_memsz) contains = true;
  }
  if (!contains) return 0;
  for (int i = 0; i < info->dlpi_phnum && search->hex.empty(); ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    search->hex =
        BuildIdNote(reinterpret_cast<const unsigned char*>(info->dlpi_addr + header.p_vaddr), header.p_memsz);
  }
  return 1;
}

bool ReadAt(int fd, void* into, size_t size, off_t offset) {
  return pread(fd, into, size, offset) == static_cast<ssize_t>(size);
}

#if defined(__x86_64__) || defined(__i386__)

// XCR0: which register states the OS saves (LLVM reads it for AVX, AVX-512 and AMX).
uint64_t ExtendedControlRegister0() {
  uint32_t low = 0;
  uint32_t high = 0;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (static_cast<uint64_t>(high) << 32) | low;
}

// The leaves sys::getHostCPUName and sys::getHostCPUFeatures read (LLVM 19, lib/TargetParser/
// Host.cpp), whole, except the initial APIC id in leaf 1's EBX, which differs from core to core.
std::string X86Identity() {
  std::vector<uint32_t> words;
  auto leaf = [&words](uint32_t number, uint32_t sub) {
    uint32_t a = 0, b = 0, c = 0, d = 0;
    __cpuid_count(number, sub, a, b, c, d);
    if (number == 1) b &= 0x00ffffffu;
    words.insert(words.end(), {number, sub, a, b, c, d});
  };
  uint32_t max = __get_cpuid_max(0, nullptr);
  leaf(0, 0);
  for (auto [number, sub] : {std::pair<uint32_t, uint32_t>{1, 0}, {7, 0}, {7, 1}, {0xd, 1}, {0x14, 0}, {0x19, 0},
                             {0x24, 0}}) {
    if (number <= max) leaf(number, sub);
  }
  uint32_t max_extended = __get_cpuid_max(0x80000000, nullptr);
  for (uint32_t number : {0x80000000u, 0x80000001u, 0x80000008u}) {
    if (number <= max_extended) leaf(number, 0);
  }
  uint32_t a = 0, b = 0, c = 0, d = 0;
  __cpuid(1, a, b, c, d);
  uint64_t xcr0 = (c >> 27) & 1 ? ExtendedControlRegister0() : 0;  // OSXSAVE: XGETBV may run
  words.push_back(static_cast<uint32_t>(xcr0));
  words.push_back(static_cast<uint32_t>(xcr0 >> 32));
  return "x86/" + Hex(reinterpret_cast<const unsigned char*>(words.data()), words.size() * sizeof(uint32_t));
}

#endif

}  // namespace

const char* OptLevelName(OptLevel level) {
  switch (level) {
    case OptLevel::kO0: return "O0";
    case OptLevel::kO1: return "O1";
    case OptLevel::kO2: return "O2";
  }
  return "O2";
}

std::string FileBuildId(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string id;
  ElfW(Ehdr) header;
  if (ReadAt(fd, &header, sizeof(header), 0) && std::memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 &&
      header.e_ident[EI_CLASS] == (sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32) &&
      header.e_phentsize == sizeof(ElfW(Phdr)) && header.e_phnum < 256) {
    std::vector<ElfW(Phdr)> segments(header.e_phnum);
    if (ReadAt(fd, segments.data(), segments.size() * sizeof(ElfW(Phdr)), static_cast<off_t>(header.e_phoff))) {
      for (const ElfW(Phdr)& segment : segments) {
        if (segment.p_type != PT_NOTE || segment.p_filesz > 4096) continue;
        std::vector<unsigned char> notes(segment.p_filesz);
        if (!ReadAt(fd, notes.data(), notes.size(), static_cast<off_t>(segment.p_offset))) continue;
        id = BuildIdNote(notes.data(), notes.size());
        if (!id.empty()) break;
      }
    }
  }
  close(fd);
  return id;
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

const std::string& HostIdentity() {
  static const std::string identity = [] {
#if defined(__x86_64__) || defined(__i386__)
    return X86Identity();
#else
    std::string error;
    const BackEnd* back_end = LoadBackEnd(error);
    return back_end == nullptr ? "unknown host (" + error + ")" : back_end->TargetIdentity();
#endif
  }();
  return identity;
}

}  // namespace edict::jit
