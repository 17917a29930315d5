// Linked images: a cold build's code as JITLink left it in memory, recorded (by the back end's
// image recorder) with the few fix-ups that depend on where it lives, so that a warm start places
// the code by copying it and redoing only those, without JITLink, an LLJIT or LLVM loaded at all.
// One image per object file (per link graph): the bytes of its kept segments and their
// protections, its exported symbols' offsets, the absolute pointers into itself (rebased when it
// moves) and the references to other code (runtime helpers, the other parts' symbols: re-bound
// by name, with JITLink's arithmetic for x86-64).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/jit/back_end.h"

namespace edict::jit {

// The fix-ups a rebind redoes: JITLink's x86-64 edge kinds of those names, several of which share
// a formula (PCRel32: every 32-bit PC-relative kind). Numbered here, not by LLVM, so that an
// image can be read without LLVM's headers.
enum class Fixup : uint64_t {
  kPointer64 = 1,
  kPointer32,
  kPointer32Signed,
  kDelta64,
  kDelta32,
  kNegDelta64,
  kNegDelta32,
  kPCRel32,
};

// A segment's protection: these bits.
inline constexpr uint64_t kImageRead = 1;
inline constexpr uint64_t kImageWrite = 2;
inline constexpr uint64_t kImageExec = 4;

struct ImageSegment {
  uint64_t offset = 0;      // from the image's start, page-aligned
  uint64_t size = 0;        // a whole number of pages
  uint64_t protection = 0;  // kImage* bits
};

// A fix-up against a symbol outside the image, redone with the symbol's address at load.
template <typename Text>
struct BasicRebind {
  uint64_t offset = 0;  // of the field, from the image's start
  int64_t addend = 0;
  uint64_t kind = 0;  // a Fixup
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

using LinkedImage = BasicImage<std::string>;     // as recorded
using ImageView = BasicImage<std::string_view>;  // views the encoded images

uint64_t PageSize();

std::string EncodeImages(uint64_t page_size, const std::vector<LinkedImage>& images);

// Memory mapped for placed code, unmapped when destroyed.
class CodeSlab : public CodeOwner {
 public:
  CodeSlab(void* base, size_t size) : base_(base), size_(size) {}
  CodeSlab(const CodeSlab&) = delete;
  CodeSlab& operator=(const CodeSlab&) = delete;
  ~CodeSlab() override;

 private:
  void* base_;
  size_t size_;
};

// Images placed in this process: their memory, and where their exported symbols are (the names
// view the encoded images).
struct PlacedImages {
  std::unique_ptr<CodeSlab> slab;
  std::unordered_map<std::string_view, void*> symbols;
};

// Places the encoded images (EncodeImages) in fresh memory, their references to other code bound
// to `runtime_symbols`, to each other's symbols and to the process's; false with `why` set (and
// nothing mapped) when they are corrupt, name a symbol that is not there or cannot reach it from
// where they landed.
bool PlaceImages(std::string_view encoded, const std::vector<std::pair<std::string, void*>>& runtime_symbols,
                 PlacedImages& placed, std::string& why);

}  // namespace edict::jit
