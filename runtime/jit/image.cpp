// Encoding linked images and placing them again (image.h). The fix-ups redone at load are
// exactly JITLink's x86-64 ones (jitlink::x86_64::applyFixup): the same formula and range check
// per edge kind.
//
// A placed image registers no eh_frame with the unwinder, as the LLJIT does for linked objects:
// every generated function is nounwind (compiler/codegen), so no exception ever unwinds through
// it and the frames are never looked up.
#include "runtime/jit/image.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>

#include "runtime/jit/bytes.h"

namespace edict::jit {
namespace {

constexpr size_t kBytesAlignment = 16;

template <typename T>
void Store(char* at, T value) {
  std::memcpy(at, &value, sizeof(T));  // x86-64: little-endian, as JITLink writes
}

bool FitsInt32(int64_t value) {
  return value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max();
}

const char* FixupName(uint64_t kind) {
  switch (static_cast<Fixup>(kind)) {
    case Fixup::kPointer64: return "Pointer64";
    case Fixup::kPointer32: return "Pointer32";
    case Fixup::kPointer32Signed: return "Pointer32Signed";
    case Fixup::kDelta64: return "Delta64";
    case Fixup::kDelta32: return "Delta32";
    case Fixup::kNegDelta64: return "NegDelta64";
    case Fixup::kNegDelta32: return "NegDelta32";
    case Fixup::kPCRel32: return "PCRel32";
  }
  return "unknown";
}

// jitlink::x86_64::applyFixup for a field at `at` (address `address`) and a target at `target`;
// false when the value does not fit the field.
bool ApplyFixup(uint64_t kind, char* at, uint64_t address, uint64_t target, int64_t addend) {
  uint64_t sum = target + static_cast<uint64_t>(addend);
  auto store32 = [at](int64_t value) {
    if (!FitsInt32(value)) return false;
    Store<int32_t>(at, static_cast<int32_t>(value));
    return true;
  };
  switch (static_cast<Fixup>(kind)) {
    case Fixup::kPointer64: Store<uint64_t>(at, sum); return true;
    case Fixup::kPointer32:
      if (sum > std::numeric_limits<uint32_t>::max()) return false;
      Store<uint32_t>(at, static_cast<uint32_t>(sum));
      return true;
    case Fixup::kPointer32Signed: return store32(static_cast<int64_t>(sum));
    case Fixup::kDelta64: Store<int64_t>(at, static_cast<int64_t>(sum - address)); return true;
    case Fixup::kDelta32: return store32(static_cast<int64_t>(sum - address));
    case Fixup::kNegDelta64:
      Store<int64_t>(at, static_cast<int64_t>(address - target + static_cast<uint64_t>(addend)));
      return true;
    case Fixup::kNegDelta32: return store32(static_cast<int64_t>(address - target + static_cast<uint64_t>(addend)));
    case Fixup::kPCRel32: return store32(static_cast<int64_t>(sum - (address + 4)));
  }
  return false;
}

// The bytes a rebind of `kind` writes; 0 for a number that is no Fixup.
size_t FixupWidth(uint64_t kind) {
  switch (static_cast<Fixup>(kind)) {
    case Fixup::kPointer64:
    case Fixup::kDelta64:
    case Fixup::kNegDelta64: return 8;
    case Fixup::kPointer32:
    case Fixup::kPointer32Signed:
    case Fixup::kDelta32:
    case Fixup::kNegDelta32:
    case Fixup::kPCRel32: return 4;
  }
  return 0;
}

// ---- Encoding ------------------------------------------------------------------------------------

// An upper bound of the encoding's size, so that it is written into one allocation (each a fresh
// mapping: first touches are what encoding costs).
size_t EncodedSizeBound(const std::vector<LinkedImage>& images) {
  size_t size = 2 * sizeof(uint64_t);
  for (const LinkedImage& image : images) {
    size += 6 * sizeof(uint64_t) + image.segments.size() * sizeof(ImageSegment) +
            image.rebases.size() * sizeof(uint64_t) + kBytesAlignment + image.bytes.size();
    for (const auto& rebind : image.rebinds) size += 4 * sizeof(uint64_t) + rebind.name.size();
    for (const auto& symbol : image.symbols) size += 2 * sizeof(uint64_t) + symbol.name.size();
  }
  return size;
}

bool DecodeImage(ByteReader& in, ImageView& image) {
  uint64_t count = 0;
  if (!in.Get(image.link_base) || !in.GetCount(count, 3 * sizeof(uint64_t))) return false;
  image.segments.resize(count);
  for (ImageSegment& segment : image.segments) {
    if (!in.Get(segment.offset) || !in.Get(segment.size) || !in.Get(segment.protection)) return false;
  }
  if (!in.GetCount(count, sizeof(uint64_t))) return false;
  image.rebases.resize(count);
  for (uint64_t& offset : image.rebases) {
    if (!in.Get(offset)) return false;
  }
  if (!in.GetCount(count, 4 * sizeof(uint64_t))) return false;
  image.rebinds.resize(count);
  for (auto& rebind : image.rebinds) {
    if (!in.Get(rebind.offset) || !in.Get(rebind.addend) || !in.Get(rebind.kind) || !in.GetView(rebind.name)) {
      return false;
    }
  }
  if (!in.GetCount(count, 2 * sizeof(uint64_t))) return false;
  image.symbols.resize(count);
  for (auto& symbol : image.symbols) {
    if (!in.Get(symbol.offset) || !in.GetView(symbol.name)) return false;
  }
  return in.GetView(image.bytes, kBytesAlignment);
}

// Whether every offset of `image` lies inside its bytes, and its segments are whole pages.
bool IsConsistent(const ImageView& image, uint64_t page_size) {
  uint64_t size = image.bytes.size();
  auto fits = [size](uint64_t offset, uint64_t width) { return offset <= size && width <= size - offset; };
  if (size % page_size != 0) return false;
  for (const ImageSegment& segment : image.segments) {
    if (segment.offset % page_size != 0 || !fits(segment.offset, segment.size)) return false;
  }
  for (uint64_t offset : image.rebases) {
    if (!fits(offset, sizeof(uint64_t))) return false;
  }
  for (const auto& rebind : image.rebinds) {
    if (FixupWidth(rebind.kind) == 0 || !fits(rebind.offset, FixupWidth(rebind.kind))) return false;
  }
  for (const auto& symbol : image.symbols) {
    if (!fits(symbol.offset, 0)) return false;
  }
  return true;
}

bool DecodeImages(std::string_view encoded, uint64_t page_size, std::vector<ImageView>& images) {
  ByteReader in(encoded);
  uint64_t encoded_page_size = 0;
  uint64_t count = 0;
  if (!in.Get(encoded_page_size) || encoded_page_size != page_size || !in.GetCount(count, 6 * sizeof(uint64_t))) {
    return false;
  }
  images.resize(count);
  for (ImageView& image : images) {
    if (!DecodeImage(in, image) || !IsConsistent(image, page_size)) return false;
  }
  return in.done();
}

// ---- Placing -------------------------------------------------------------------------------------

int Protection(uint64_t bits) {
  return (bits & kImageRead ? PROT_READ : 0) | (bits & kImageWrite ? PROT_WRITE : 0) |
         (bits & kImageExec ? PROT_EXEC : 0);
}

void* Find(const std::unordered_map<std::string_view, void*>& addresses, std::string_view name) {
  auto found = addresses.find(name);
  return found == addresses.end() ? nullptr : found->second;
}

// Where the names the images refer to are, looked up as the LLJIT does: the runtime helpers and
// the images' own symbols (its main JITDylib), then the process's (libc's memset, ...).
class Resolver {
 public:
  Resolver(const std::vector<std::pair<std::string, void*>>& runtime_symbols,
           const std::unordered_map<std::string_view, void*>& symbols)
      : symbols_(symbols) {
    for (const auto& [name, address] : runtime_symbols) helpers_.emplace(name, address);
  }

  // Null when the name is nowhere.
  void* AddressOf(std::string_view name) {
    if (void* helper = Find(helpers_, name)) return helper;
    if (void* symbol = Find(symbols_, name)) return symbol;
    auto [process, fresh] = process_.try_emplace(name, nullptr);
    if (fresh) process->second = dlsym(RTLD_DEFAULT, std::string(name).c_str());
    return process->second;
  }

 private:
  std::unordered_map<std::string_view, void*> helpers_;
  const std::unordered_map<std::string_view, void*>& symbols_;
  std::unordered_map<std::string_view, void*> process_;
};

// Redoes `image`'s address-dependent fix-ups now that it is at `base`; false with `why` set.
bool Relocate(const ImageView& image, char* base, Resolver& resolver, std::string& why) {
  uint64_t moved = reinterpret_cast<uint64_t>(base) - image.link_base;
  for (uint64_t offset : image.rebases) {
    uint64_t address = 0;
    std::memcpy(&address, base + offset, sizeof(address));
    Store<uint64_t>(base + offset, address + moved);
  }
  for (const auto& rebind : image.rebinds) {
    void* target = resolver.AddressOf(rebind.name);
    if (target == nullptr) {
      why = "no symbol " + std::string(rebind.name);
      return false;
    }
    char* at = base + rebind.offset;
    if (!ApplyFixup(rebind.kind, at, reinterpret_cast<uint64_t>(at), reinterpret_cast<uint64_t>(target),
                    rebind.addend)) {
      why = std::string(rebind.name) + " is out of reach of a " + FixupName(rebind.kind) +
            " field";
      return false;
    }
  }
  return true;
}

bool Protect(const ImageView& image, char* base, std::string& why) {
  for (const ImageSegment& segment : image.segments) {
    int protection = Protection(segment.protection);
    if (mprotect(base + segment.offset, segment.size, protection) != 0) {
      why = std::string("mprotect: ") + std::strerror(errno);
      return false;
    }
    if (protection & PROT_EXEC) __builtin___clear_cache(base + segment.offset, base + segment.offset + segment.size);
  }
  return true;
}

}  // namespace

uint64_t PageSize() { return static_cast<uint64_t>(sysconf(_SC_PAGESIZE)); }


std::string EncodeImages(uint64_t page_size, const std::vector<LinkedImage>& images) {
  std::string out;
  out.reserve(EncodedSizeBound(images));
  Put<uint64_t>(out, page_size);
  Put<uint64_t>(out, images.size());
  for (const LinkedImage& image : images) {
    Put<uint64_t>(out, image.link_base);
    Put<uint64_t>(out, image.segments.size());
    for (const ImageSegment& segment : image.segments) {
      Put(out, segment.offset);
      Put(out, segment.size);
      Put(out, segment.protection);
    }
    Put<uint64_t>(out, image.rebases.size());
    for (uint64_t offset : image.rebases) Put(out, offset);
    Put<uint64_t>(out, image.rebinds.size());
    for (const auto& rebind : image.rebinds) {
      Put(out, rebind.offset);
      Put(out, rebind.addend);
      Put(out, rebind.kind);
      PutText(out, rebind.name);
    }
    Put<uint64_t>(out, image.symbols.size());
    for (const auto& symbol : image.symbols) {
      Put(out, symbol.offset);
      PutText(out, symbol.name);
    }
    // Aligned (the encoding is, in the cache entry), so that placing copies aligned bytes.
    PutAlignedText(out, image.bytes, kBytesAlignment);
  }
  return out;
}

CodeSlab::~CodeSlab() {
  if (size_ != 0) munmap(base_, size_);
}

bool PlaceImages(std::string_view encoded, const std::vector<std::pair<std::string, void*>>& runtime_symbols,
                 PlacedImages& placed, std::string& why) {
  uint64_t page_size = PageSize();
  std::vector<ImageView> images;
  if (!DecodeImages(encoded, page_size, images)) {
    why = "the linked images are corrupt";
    return false;
  }
  // One mapping for all, each image at a page boundary: nearby, as the object files' slabs are.
  std::vector<uint64_t> starts;
  uint64_t total = 0;
  for (const ImageView& image : images) {
    starts.push_back(total);
    total += image.bytes.size();
  }
  char* slab = nullptr;
  if (total != 0) {
    void* mapping = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mapping == MAP_FAILED) {
      why = std::string("mmap: ") + std::strerror(errno);
      return false;
    }
    slab = static_cast<char*>(mapping);
  }
  auto owner = std::make_unique<CodeSlab>(slab, total);
  std::unordered_map<std::string_view, void*> symbols;
  for (size_t i = 0; i < images.size(); ++i) {
    std::memcpy(slab + starts[i], images[i].bytes.data(), images[i].bytes.size());
    for (const auto& symbol : images[i].symbols) symbols.emplace(symbol.name, slab + starts[i] + symbol.offset);
  }
  Resolver resolver(runtime_symbols, symbols);
  for (size_t i = 0; i < images.size(); ++i) {
    if (!Relocate(images[i], slab + starts[i], resolver, why)) return false;
  }
  for (size_t i = 0; i < images.size(); ++i) {
    if (!Protect(images[i], slab + starts[i], why)) return false;
  }
  placed.slab = std::move(owner);
  placed.symbols = std::move(symbols);
  return true;
}

}  // namespace edict::jit
