// Recording linked images after JITLink's fix-ups (image_recorder.h), in the form runtime/jit's
// image.h encodes and places: its own fix-up kinds and protection bits, LLVM's mapped to them.
#include "runtime/backend/image_recorder.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>

#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/JITLink/x86_64.h"
#include "llvm/Support/MathExtras.h"

namespace edict::backend {
namespace {

using jit::LinkedImage;
using jit::ImageSegment;
using llvm::jitlink::Edge;
using llvm::jitlink::LinkGraph;
using llvm::jitlink::Section;
namespace x86_64 = llvm::jitlink::x86_64;

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

// The fix-up a rebind of `kind` redoes; nullopt for a kind a placed image cannot redo.
std::optional<jit::Fixup> ToFixup(Edge::Kind kind) {
  switch (kind) {
    case x86_64::Pointer64: return jit::Fixup::kPointer64;
    case x86_64::Pointer32: return jit::Fixup::kPointer32;
    case x86_64::Pointer32Signed: return jit::Fixup::kPointer32Signed;
    case x86_64::Delta64: return jit::Fixup::kDelta64;
    case x86_64::Delta32: return jit::Fixup::kDelta32;
    case x86_64::NegDelta64: return jit::Fixup::kNegDelta64;
    case x86_64::NegDelta32: return jit::Fixup::kNegDelta32;
    case x86_64::PCRel32:
    case x86_64::BranchPCRel32:
    case x86_64::BranchPCRel32ToPtrJumpStub:
    case x86_64::BranchPCRel32ToPtrJumpStubBypassable:
    case x86_64::PCRel32GOTLoadRelaxable:
    case x86_64::PCRel32GOTLoadREXRelaxable: return jit::Fixup::kPCRel32;
    default: return std::nullopt;
  }
}

uint64_t Protection(llvm::orc::MemProt protection) {
  auto has = [protection](llvm::orc::MemProt flag) {
    return (static_cast<unsigned>(protection) & static_cast<unsigned>(flag)) != 0;
  };
  return (has(llvm::orc::MemProt::Read) ? jit::kImageRead : 0) | (has(llvm::orc::MemProt::Write) ? jit::kImageWrite : 0) |
         (has(llvm::orc::MemProt::Exec) ? jit::kImageExec : 0);
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
      auto extent = extents.try_emplace(Protection(section.getMemProt()), start, start).first;
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
        std::optional<jit::Fixup> fixup = ToFixup(edge.getKind());
        if (!target.isExternal() || !target.hasName() || !fixup) {
          why = "a " + KindName(edge.getKind()) + " edge to " +
                (target.hasName() ? target.getName().str() : "a nameless symbol");
          return false;
        }
        image.rebinds.push_back({offset, edge.getAddend(), static_cast<uint64_t>(*fixup), target.getName().str()});
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
  bool captured = Capture(graph, jit::PageSize(), image, why);
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
  return jit::EncodeImages(jit::PageSize(), images_);
}

}  // namespace edict::backend
