// A whole run: inputs loaded and sessions evaluated on worker threads, the report written by the
// calling thread in input order as results arrive, so a long run streams and its output never
// depends on the number of threads.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "edict/edict.h"

namespace edict {
namespace {

using Clock = std::chrono::steady_clock;

int64_t Millis(Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

void AddCounts(NameCounts& into, const NameCounts& from) {
  for (const auto& added : from) {
    auto it = std::find_if(into.begin(), into.end(), [&](const auto& entry) { return entry.first == added.first; });
    if (it == into.end()) {
      into.push_back(added);
    } else {
      it->second += added.second;
    }
  }
}

// Work shared by the workers and the writing thread. Evaluations are queued before loads, so the
// workers finish the sessions already in memory before reading more input.
class Pipeline {
 public:
  Pipeline(const RuleSet& rules, std::span<const Input> inputs, LoadMode mode)
      : rules_(rules), inputs_(inputs), mode_(mode), files_(inputs.size()) {
    for (size_t f = 0; f < inputs.size(); ++f) tasks_.push_back({f, 0, true});
  }

  void Work() {
    for (;;) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return !tasks_.empty() || stopping_; });
        if (tasks_.empty()) return;
        task = tasks_.front();
        tasks_.pop_front();
      }
      task.load ? Load(task.file) : Evaluate(task.file, task.session);
    }
  }

  // Blocks until input `f` is loaded; its sessions are then fixed.
  LoadResult& Loaded(size_t f) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return files_[f].loaded; });
    return files_[f].facts;
  }

  // Blocks until session `s` of input `f` is evaluated and hands the result over.
  Evaluation Take(size_t f, size_t s) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return files_[f].results[s].has_value(); });
    Evaluation evaluation = std::move(*files_[f].results[s]);
    files_[f].results[s].reset();
    files_[f].facts.sessions[s] = Session();  // the session's memory is not needed any more
    return evaluation;
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    ready_.notify_all();
  }

  Clock::duration load_time() const { return load_time_; }
  Clock::duration eval_time() const { return eval_time_; }

 private:
  struct Task {
    size_t file = 0;
    size_t session = 0;
    bool load = false;
  };
  struct FileWork {
    bool loaded = false;
    LoadResult facts;
    std::vector<std::optional<Evaluation>> results;
  };

  void Load(size_t f) {
    auto start = Clock::now();
    LoadResult facts = rules_.Load(inputs_.subspan(f, 1), mode_);
    std::lock_guard<std::mutex> lock(mutex_);
    load_time_ += Clock::now() - start;
    FileWork& file = files_[f];
    file.results.resize(facts.sessions.size());
    for (size_t s = facts.sessions.size(); s-- > 0;) tasks_.push_front({f, s, false});
    file.facts = std::move(facts);
    file.loaded = true;
    ready_.notify_all();
    done_.notify_all();
  }

  void Evaluate(size_t f, size_t s) {
    auto start = Clock::now();
    // The session was stored before this task was queued, under the lock; nothing replaces it
    // until its result has been taken.
    Evaluation evaluation = rules_.Evaluate(files_[f].facts.sessions[s]);
    std::lock_guard<std::mutex> lock(mutex_);
    eval_time_ += Clock::now() - start;
    files_[f].results[s] = std::move(evaluation);
    done_.notify_all();
  }

  const RuleSet& rules_;
  std::span<const Input> inputs_;
  LoadMode mode_;
  std::mutex mutex_;
  std::condition_variable ready_;  // a task was queued, or the run is over
  std::condition_variable done_;   // an input was loaded or a session evaluated
  std::deque<Task> tasks_;
  std::vector<FileWork> files_;
  bool stopping_ = false;
  Clock::duration load_time_{};
  Clock::duration eval_time_{};
};

}  // namespace

RunSummary Run(const RuleSet& rules, std::span<const Input> inputs, const RunOptions& options, Writer& writer) {
  RunSummary summary;
  findings::RunTally tally;
  RunEnd end;
  Clock::duration write_time{};
  bool unreadable = false;
  auto timed_write = [&](auto&& write) {
    auto start = Clock::now();
    write();
    write_time += Clock::now() - start;
  };
  // Under auto the back end is known once a session is evaluated: the report names the first
  // session's (the writers take it at Begin, and nothing is written before the first session).
  bool begun = false;
  auto begin = [&](bool native) {
    if (begun) return;
    begun = true;
    RunInfo info = rules.info();
    if (rules.engine() == Engine::kAuto && native) info.engine.backend = "jit";
    timed_write([&] { writer.Begin(info); });
  };

  Pipeline pipeline(rules, inputs, options.mode);
  unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  try {
    for (unsigned j = 0; j < jobs; ++j) workers.emplace_back([&pipeline] { pipeline.Work(); });
  } catch (const std::exception&) {
    // No thread could be started: the writing thread does the work itself, below.
  }
  if (workers.empty()) {
    pipeline.Stop();
    pipeline.Work();  // everything, on this thread
  }

  for (size_t f = 0; f < inputs.size(); ++f) {
    LoadResult& facts = pipeline.Loaded(f);
    for (size_t s = 0; s < facts.sessions.size(); ++s) {
      Evaluation evaluation = pipeline.Take(f, s);
      for (LimitHit& limit : evaluation.limits) end.limits_hit.push_back(std::move(limit));
      summary.native_sessions += evaluation.native ? 1 : 0;
      summary.fallbacks += evaluation.fallbacks;
      end.native.sessions += evaluation.native ? 1 : 0;
      end.native.fallbacks += evaluation.fallbacks;
      if (evaluation.result.summary.error) summary.load_errors.push_back(*evaluation.result.summary.error);
      tally.Add(evaluation.result);
      begin(evaluation.native);
      timed_write([&] { writer.AddSession(evaluation.result); });
    }
    // An unreadable input is reported like a session that failed to load, so the report says so.
    for (const std::string& error : facts.input_errors) {
      SessionResult failed;
      failed.summary.file = inputs[f].name();
      failed.summary.error = error;
      tally.Add(failed);
      begin(false);
      timed_write([&] { writer.AddSession(failed); });
      summary.load_errors.push_back(error);
      unreadable = true;
    }
    for (SkippedRecord& skipped : facts.skipped) end.skipped_records.push_back(std::move(skipped));
    AddCounts(end.unknown_kinds, facts.unknown_kinds);
    AddCounts(end.unknown_data_types, facts.unknown_data_types);
  }
  pipeline.Stop();
  for (std::thread& worker : workers) worker.join();

  if (!options.deterministic) {
    end.timings_ms = {rules.compile_ms(), Millis(pipeline.load_time()), Millis(pipeline.eval_time()), Millis(write_time)};
  }
  begin(false);
  writer.End(end);
  summary.totals = tally.totals();
  summary.exit_code = findings::RunExitCode(summary.totals, options.mode == LoadMode::kStrict);
  if (unreadable) summary.exit_code = 2;
  return summary;
}

}  // namespace edict
