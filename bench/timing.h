// Wall and per-thread CPU clocks for the benchmark: on a shared machine the CPU time of the evaluating
// thread is the honest "per core" figure, and the wall time shows how loaded the machine was.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdint>

namespace edict::bench {

struct Elapsed {
  double wall_ms = 0;
  double cpu_ms = 0;  // of the calling thread
  // The calling thread's page faults: on a virtual machine a first touch of a page can cost
  // microseconds, so memory an evaluation touches for the first time shows in its time.
  long faults = 0;
};

class Stopwatch {
 public:
  Stopwatch() : wall_(std::chrono::steady_clock::now()), cpu_(ThreadCpuNanos()), faults_(ThreadFaults()) {}

  Elapsed Read() const {
    auto wall = std::chrono::steady_clock::now() - wall_;
    return {std::chrono::duration<double, std::milli>(wall).count(), (ThreadCpuNanos() - cpu_) / 1e6,
            ThreadFaults() - faults_};
  }

 private:
  static int64_t ThreadCpuNanos() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
  }

  static long ThreadFaults() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt + usage.ru_majflt;
  }

  std::chrono::steady_clock::time_point wall_;
  int64_t cpu_;
  long faults_;
};

// The fastest of several runs: the one least disturbed by other processes.
inline Elapsed Fastest(const Elapsed& a, const Elapsed& b) { return a.cpu_ms <= b.cpu_ms ? a : b; }

}  // namespace edict::bench
