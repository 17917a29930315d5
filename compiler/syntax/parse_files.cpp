// ParseFiles: the files of a pack parsed on several threads. Files are independent (each has its
// own AST arena and diagnostics); the ANTLR prediction state is the only thing parsers share, so
// each worker thread has its own (PredictionCache), while the calling thread keeps the
// process-wide one, warm from earlier parses. Under helgrind, the one write the threads still
// share is the ANTLR runtime's counter of prediction-context nodes (PredictionContext::id, which
// only its DOT dump prints).
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <system_error>
#include <thread>

#include "compiler/syntax/parse.h"
#include "compiler/syntax/prediction_cache.h"

namespace edict::syntax {

namespace {

// A worker starts with a cold prediction cache, so its first files cost it several times what they
// cost a warm parser: a thread is added per 48 KB of text only. The standard library (216 KB in 38
// files) parses in 10 ms less on two threads than on one (38 against 48 ms for the whole
// interpreter compile, on a 2-core EPYC).
constexpr size_t kBytesPerThread = 48 * 1024;
constexpr unsigned kMaxThreads = 4;

unsigned ThreadsFor(size_t bytes, size_t files) {
  cpu_set_t allowed;
  unsigned cores = sched_getaffinity(0, sizeof(allowed), &allowed) == 0 ? CPU_COUNT(&allowed)
                                                                        : std::thread::hardware_concurrency();
  size_t by_size = bytes / kBytesPerThread;
  return static_cast<unsigned>(std::max<size_t>(1, std::min({by_size, files, size_t{cores}, size_t{kMaxThreads}})));
}

}  // namespace

std::vector<ast::File> ParseFiles(const diag::SourceManager& sources, std::span<const diag::FileId> files,
                                  std::span<diag::DiagnosticEngine> diags, const ParseOptions& options) {
  std::vector<ast::File> parsed(files.size());
  // Largest first, so that the last file any thread takes is a small one.
  std::vector<size_t> order(files.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return sources.text(files[a]).size() > sources.text(files[b]).size();
  });
  size_t bytes = 0;
  for (diag::FileId file : files) bytes += sources.text(file).size();

  std::atomic<size_t> next{0};
  auto parse_some = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) {
      size_t at = order[i];
      parsed[at] = ParseFile(sources, files[at], diags[at], options);
    }
  };
  std::vector<std::thread> workers;
  unsigned threads = options.one_thread ? 1 : ThreadsFor(bytes, files.size());
  for (unsigned t = 1; t < threads; ++t) {
    try {
      workers.emplace_back([&] {
        PredictionCache cache;
        PredictionCache::Scope scope(cache);
        parse_some();
      });
    } catch (const std::system_error&) {
      break;  // no thread to be had: the threads there are parse the rest
    }
  }
  parse_some();
  for (std::thread& worker : workers) worker.join();
  return parsed;
}

}  // namespace edict::syntax
