// Recording linked images after JITLink's fix-ups and placing them again (image.h). The fix-ups
// redone at load are exactly JITLink's x86-64 ones (jitlink::x86_64::applyFixup): the same
// formula and range check per edge kind.
//
// A placed image registers no eh_frame with the unwinder, as the LLJIT does for linked objects:
// every generated function is nounwind (compiler/codegen), so no exception ever unwinds through
// it and the frames are never looked up.
#include "runtime/jit/image.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>

#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/JITLink/x86_64.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Memory.h"
#include "runtime/jit/bytes.h"

namespace edict::jit {

struct ImageSegment {
  uint64_t offset = 0;      // from the image's start, page-aligned
  uint64_t size = 0;        // a whole number of pages
  uint64_t protection = 0;  // llvm::orc::MemProt bits
};

// A fix-up against a symbol outside the image, redone with the symbol's address at load.
template <typename Text>
struct BasicRebind {
  uint64_t offset = 0;  // of the field, from the image's start
  int64_t addend = 0;
  uint64_t kind = 0;  // jitlink::x86_64::EdgeKind_x86_64
  Text name;
};

template <typename Text>
struct BasicSymbol {
  uint64_t offset = 0;
  Text name;
};

template <typename Text>
struct BasicImage {
  uint64_t link_base = 0;  // where it was linked: a rebase adds how far it moved since
  std::vector<ImageSegment> segments;
  std::vector<uint64_t> rebases;  // offsets of 64-bit absolute addresses of the image's own bytes
  std::vector<BasicRebind<Text>> rebinds;
  std::vector<BasicSymbol<Text>> symbols;  // the exported ones
  // A whole number of pages: recorded, the linked code itself (not copied: its LLJIT outlives the
  // recorder's encoding, and no code runs before it); decoded, the cache entry's copy.
  std::string_view bytes;
};

struct LinkedImage : BasicImage<std::string> {};
using ImageView = BasicImage<std::string_view>;  // views the encoded images

namespace {

using llvm::jitlink::Edge;
using llvm::jitlink::LinkGraph;
using llvm::jitlink::Section;
namespace x86_64 = llvm::jitlink::x86_64;

constexpr size_t kBytesAlignment = 16;

uint64_t PageSize() { return static_cast<uint64_t>(sysconf(_SC_PAGESIZE)); }

// ---- Fix-ups -------------------------------------------------------------------------------------

// Kinds whose value is a difference of two addresses: unchanged when both ends are in the image.
bool MovesWithImage(Edge::Kind kind) {
  switch (kind) {
    case x86_64::Delta64:
    case x86_64::Delta32:
    case x86_64::Delta8:
    case x86_64::NegDelta64:
    case x86_64::NegDelta32:
    case x86_64::Delta64FromGOT:  // the GOT is the image's own
    case x86_64::PCRel32:
    case x86_64::BranchPCRel32:
    case x86_64::BranchPCRel32ToPtrJumpStub:
    case x86_64::BranchPCRel32ToPtrJumpStubBypassable:
    case x86_64::PCRel32GOTLoadRelaxable:
    case x86_64::PCRel32GOTLoadREXRelaxable: return true;
    default: return false;
  }
}

// The bytes a rebind of `kind` writes; 0 for a kind that is not re-bound (ApplyFixup's kinds).
size_t FixupWidth(uint64_t kind) {
  switch (kind) {
    case x86_64::Pointer64:
    case x86_64::Delta64:
    case x86_64::NegDelta64: return 8;
    case x86_64::Pointer32:
    case x86_64::Pointer32Signed:
    case x86_64::Delta32:
    case x86_64::NegDelta32:
    case x86_64::PCRel32:
    case x86_64::BranchPCRel32:
    case x86_64::BranchPCRel32ToPtrJumpStub:
    case x86_64::BranchPCRel32ToPtrJumpStubBypassable:
    case x86_64::PCRel32GOTLoadRelaxable:
    case x86_64::PCRel32GOTLoadREXRelaxable: return 4;
    default: return 0;
  }
}

template <typename T>
void Store(char* at, T value) {
  std::memcpy(at, &value, sizeof(T));  // x86-64: little-endian, as JITLink writes
}

// jitlink::x86_64::applyFixup for a field at `at` (address `address`) and a target at `target`;
// false when the value does not fit the field.
bool ApplyFixup(uint64_t kind, char* at, uint64_t address, uint64_t target, int64_t addend) {
  uint64_t sum = target + static_cast<uint64_t>(addend);
  auto store32 = [at](int64_t value) {
    if (!llvm::isInt<32>(value)) return false;
    Store<int32_t>(at, static_cast<int32_t>(value));
    return true;
  };
  switch (kind) {
    case x86_64::Pointer64: Store<uint64_t>(at, sum); return true;
    case x86_64::Pointer32:
      if (!llvm::isUInt<32>(sum)) return false;
      Store<uint32_t>(at, static_cast<uint32_t>(sum));
      return true;
    case x86_64::Pointer32Signed: return store32(static_cast<int64_t>(sum));
    case x86_64::Delta64: Store<int64_t>(at, static_cast<int64_t>(sum - address)); return true;
    case x86_64::Delta32: return store32(static_cast<int64_t>(sum - address));
    case x86_64::NegDelta64:
      Store<int64_t>(at, static_cast<int64_t>(address - target + static_cast<uint64_t>(addend)));
      return true;
    case x86_64::NegDelta32: return store32(static_cast<int64_t>(address - target + static_cast<uint64_t>(addend)));
    case x86_64::PCRel32:
    case x86_64::BranchPCRel32:
    case x86_64::BranchPCRel32ToPtrJumpStub:
    case x86_64::BranchPCRel32ToPtrJumpStubBypassable:
    case x86_64::PCRel32GOTLoadRelaxable:
    case x86_64::PCRel32GOTLoadREXRelaxable: return store32(static_cast<int64_t>(sum - (address + 4)));
    default: return false;
  }
}

// ---- Recording -----------------------------------------------------------------------------------

// The segments a graph keeps after finalization (not eh_frame's finalize-only copies, not debug
// info): all of them in one mapping of the populated memory manager's (memory.h).
bool IsKept(const Section& section) { return section.getMemLifetime() == llvm::orc::MemLifetime::Standard; }

// Sections a placed image would need something run for: initializers, thread-locals.
bool NeedsRuntimeSupport(llvm::StringRef name) {
  for (llvm::StringRef prefix :
       {".init_array", ".fini_array", ".preinit_array", ".ctors", ".dtors", ".tdata", ".tbss"}) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

std::string KindName(Edge::Kind kind) { return x86_64::getEdgeKindName(kind); }

// The image's extent and segments: each protection's blocks, widened to pages. False with `why`
// set when segments share a page.
bool MeasureSegments(LinkGraph& graph, uint64_t page_size, LinkedImage& image, uint64_t& end, std::string& why) {
  std::map<uint64_t, std::pair<uint64_t, uint64_t>> extents;  // protection → [start, end)
  for (Section& section : graph.sections()) {
    if (NeedsRuntimeSupport(section.getName())) {
      why = "section " + section.getName().str() + " needs initialising";
      return false;
    }
    if (!IsKept(section)) continue;
    for (llvm::jitlink::Block* block : section.blocks()) {
      uint64_t start = block->getAddress().getValue();
      auto extent = extents.try_emplace(static_cast<uint64_t>(section.getMemProt()), start, start).first;
      extent->second.first = std::min(extent->second.first, start);
      extent->second.second = std::max(extent->second.second, start + block->getSize());
    }
  }
  if (extents.empty()) return true;
  uint64_t base = UINT64_MAX;
  end = 0;
  for (const auto& [protection, extent] : extents) {
    uint64_t start = llvm::alignDown(extent.first, page_size);
    uint64_t stop = llvm::alignTo(extent.second, page_size);
    image.segments.push_back({start, stop - start, protection});
    base = std::min(base, start);
    end = std::max(end, stop);
  }
  std::sort(image.segments.begin(), image.segments.end(),
            [](const ImageSegment& a, const ImageSegment& b) { return a.offset < b.offset; });
  for (size_t i = 0; i + 1 < image.segments.size(); ++i) {
    if (image.segments[i].offset + image.segments[i].size > image.segments[i + 1].offset) {
      why = "segments of different protections share a page";
      return false;
    }
  }
  for (ImageSegment& segment : image.segments) segment.offset -= base;
  image.link_base = base;
  return true;
}

// The image's rebases and rebinds from the kept blocks' edges; false with `why` set at the first
// edge it does not know how to redo.
bool RecordFixups(LinkGraph& graph, LinkedImage& image, std::string& why) {
  for (Section& section : graph.sections()) {
    if (!IsKept(section)) continue;
    for (llvm::jitlink::Block* block : section.blocks()) {
      for (Edge& edge : block->edges()) {
        if (!edge.isRelocation()) continue;  // keep-alive edges fix nothing up
        uint64_t offset = (block->getAddress() + edge.getOffset()).getValue() - image.link_base;
        llvm::jitlink::Symbol& target = edge.getTarget();
        if (target.isDefined()) {
          if (!IsKept(target.getBlock().getSection())) {
            why = "an edge into section " + target.getBlock().getSection().getName().str() + ", which is not kept";
            return false;
          }
          if (MovesWithImage(edge.getKind())) continue;
          if (edge.getKind() == x86_64::Pointer64) {
            image.rebases.push_back(offset);
            continue;
          }
          why = "a " + KindName(edge.getKind()) + " edge to the image's own bytes";
          return false;
        }
        if (!target.isExternal() || !target.hasName() || FixupWidth(edge.getKind()) == 0) {
          why = "a " + KindName(edge.getKind()) + " edge to " +
                (target.hasName() ? target.getName().str() : "a nameless symbol");
          return false;
        }
        image.rebinds.push_back({offset, edge.getAddend(), edge.getKind(), target.getName().str()});
      }
    }
  }
  return true;
}

// `graph`, fixed up in memory it was given by the populated memory manager, as an image; false
// with `why` set when it has what an image cannot redo.
bool Capture(LinkGraph& graph, uint64_t page_size, LinkedImage& image, std::string& why) {
  if (graph.getTargetTriple().getArch() != llvm::Triple::x86_64) {
    why = "edge kinds are known for x86-64 only";
    return false;
  }
  uint64_t end = 0;
  if (!MeasureSegments(graph, page_size, image, end, why)) return false;
  if (image.segments.empty()) return true;
  if (!RecordFixups(graph, image, why)) return false;
  for (llvm::jitlink::Symbol* symbol : graph.defined_symbols()) {
    if (!symbol->hasName() || symbol->getScope() == llvm::jitlink::Scope::Local) continue;
    if (!IsKept(symbol->getBlock().getSection())) continue;
    image.symbols.push_back({symbol->getAddress().getValue() - image.link_base, symbol->getName().str()});
  }
  // In this process: the kept segments are one mapping, the slab's first part.
  image.bytes = std::string_view(reinterpret_cast<const char*>(image.link_base), end - image.link_base);
  return true;
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
  auto has = [bits](llvm::orc::MemProt flag) { return (bits & static_cast<uint64_t>(flag)) != 0; };
  return (has(llvm::orc::MemProt::Read) ? PROT_READ : 0) | (has(llvm::orc::MemProt::Write) ? PROT_WRITE : 0) |
         (has(llvm::orc::MemProt::Exec) ? PROT_EXEC : 0);
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
      why = std::string(rebind.name) + " is out of reach of a " + KindName(static_cast<Edge::Kind>(rebind.kind)) +
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
    if (protection & PROT_EXEC) llvm::sys::Memory::InvalidateInstructionCache(base + segment.offset, segment.size);
  }
  return true;
}

}  // namespace

ImageRecorder::ImageRecorder() = default;
ImageRecorder::~ImageRecorder() = default;

void ImageRecorder::modifyPassConfig(llvm::orc::MaterializationResponsibility&, LinkGraph&,
                                     llvm::jitlink::PassConfiguration& config) {
  // After the fix-ups every block has its final address and bytes, and the memory is not yet
  // protected.
  config.PostFixupPasses.push_back([this](LinkGraph& graph) {
    Record(graph);
    return llvm::Error::success();
  });
}

void ImageRecorder::Record(LinkGraph& graph) {
  LinkedImage image;
  std::string why;
  bool captured = Capture(graph, PageSize(), image, why);
  std::lock_guard<std::mutex> lock(mutex_);
  if (captured) {
    images_.push_back(std::move(image));
  } else if (refused_.empty()) {
    refused_ = std::move(why);
  }
}

std::string ImageRecorder::Encoded(std::string& why) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!refused_.empty()) {
    why = refused_;
    return {};
  }
  return EncodeImages(PageSize(), images_);
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
