// The allocator of Edict's own programs (the edict command, the benchmarks and the tests): jemalloc,
// configured here because its options must be known before the first allocation, which happens in
// the shared libraries' initialisers, long before main. The library (libedict, and the C API later)
// leaves the allocator to the program that embeds it.
//
// Why not glibc's malloc: on a host whose transparent huge pages are "madvise" (Debian's default),
// glibc's heaps use 4 KiB pages, and LLVM's code generation touches ~40 MB of fresh heap in a cold
// compile: ~8 000 page faults, each several microseconds on a virtual machine, plus the TLB misses of
// walking that memory. glibc can ask for huge pages only through GLIBC_TUNABLES, read from the
// environment at start-up, and mimalloc only through its environment too; jemalloc reads this
// symbol. docs/performance.md, "The round of 9b8009f and 7a595c9", has the figures.
//
//  - thp:always: every extent jemalloc maps is advised MADV_HUGEPAGE (metadata_thp: its own
//    bookkeeping too), so whatever of it lies in whole 2 MiB-aligned blocks faults 2 MiB at a time.
//  - dirty_decay_ms:-1 (and muzzy_decay_ms, its second stage): freed pages stay with the process
//    for reuse instead of going back to the kernel over the following seconds, which made an
//    evaluation's repeated passes fault again (1 200–1 700 faults in the best of three, against ~20).
#include <jemalloc/jemalloc.h>  // declares it, with C linkage

const char* malloc_conf = "thp:always,metadata_thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1";
