// The populated memory manager (runtime/backend/memory.h): memory it hands out keeps what was written,
// is protected as each segment asks once finalized (code runs, data stays writable), and is given
// back, one allocation or many at once.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"
#include "runtime/backend/memory.h"

using namespace edict;
using llvm::BitmaskEnumDetail::operator|;  // MemProt flags

namespace {

using llvm::jitlink::SimpleSegmentAlloc;
using llvm::orc::MemProt;

constexpr size_t kCodeSize = 10000;  // more than two pages
constexpr size_t kDataSize = 100;

SimpleSegmentAlloc::SegmentMap CodeAndData() {
  SimpleSegmentAlloc::SegmentMap segments;
  segments[MemProt::Read | MemProt::Exec] = {kCodeSize, llvm::Align(16)};
  segments[MemProt::Read | MemProt::Write] = {kDataSize, llvm::Align(8)};
  return segments;
}

}  // namespace

TEST_CASE("segments keep what was written, are protected as asked, and are given back") {
  auto manager = backend::MakePopulatedMemoryManager();
  auto alloc = SimpleSegmentAlloc::Create(*manager, nullptr, CodeAndData());
  REQUIRE_MESSAGE(static_cast<bool>(alloc), llvm::toString(alloc.takeError()));
  SimpleSegmentAlloc::SegmentInfo code = alloc->getSegInfo(MemProt::Read | MemProt::Exec);
  SimpleSegmentAlloc::SegmentInfo data = alloc->getSegInfo(MemProt::Read | MemProt::Write);
  REQUIRE(code.WorkingMem.size() == kCodeSize);
  REQUIRE(data.WorkingMem.size() == kDataSize);
  std::memset(code.WorkingMem.data(), 0xc3, kCodeSize);  // ret
  data.WorkingMem[0] = 42;

  auto finalized = alloc->finalize();
  REQUIRE_MESSAGE(static_cast<bool>(finalized), llvm::toString(finalized.takeError()));
  // Executor memory is this process's: the addresses are the working memory's.
  CHECK(code.Addr.toPtr<char*>() == code.WorkingMem.data());
  CHECK(code.Addr.toPtr<unsigned char*>()[kCodeSize - 1] == 0xc3);
  CHECK(data.Addr.toPtr<char*>()[0] == 42);
  data.Addr.toPtr<char*>()[1] = 7;  // still writable
  code.Addr.toPtr<void (*)()>()();   // and the code runs

  llvm::Error freed = manager->deallocate(std::move(*finalized));
  CHECK_MESSAGE(!freed, llvm::toString(std::move(freed)));
}

TEST_CASE("many allocations are given back together") {
  auto manager = backend::MakePopulatedMemoryManager();
  std::vector<llvm::jitlink::JITLinkMemoryManager::FinalizedAlloc> kept;
  for (int i = 0; i < 16; ++i) {
    auto alloc = SimpleSegmentAlloc::Create(*manager, nullptr, CodeAndData());
    REQUIRE(static_cast<bool>(alloc));
    auto finalized = alloc->finalize();
    REQUIRE(static_cast<bool>(finalized));
    kept.push_back(std::move(*finalized));
  }
  llvm::Error freed = manager->deallocate(std::move(kept));
  CHECK_MESSAGE(!freed, llvm::toString(std::move(freed)));
}
