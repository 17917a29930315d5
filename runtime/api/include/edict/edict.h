// libedict's public C++ API: compile rule packs once into an immutable RuleSet, load app facts,
// evaluate sessions from any number of threads, write reports, run a pack's tests, evaluate CEL.
// Value types and plain data only, and nothing throws, so a C API and a Python module can wrap it.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/findings/model.h"
#include "runtime/findings/summary.h"
#include "runtime/findings/writer.h"

namespace edict {

// The result model (appfindings/1) is plain data shared with the report writers.
using findings::EvidenceRole;
using findings::Finding;
using findings::Format;
using findings::Kind;
using findings::LimitHit;
using findings::NameCounts;
using findings::Outcome;
using findings::Party;
using findings::RunEnd;
using findings::RunInfo;
using findings::SessionResult;
using findings::Severity;
using findings::SkippedRecord;
using findings::Totals;
using findings::Writer;

// ---- Diagnostics ------------------------------------------------------------------------------

// A problem in the rules (or in a --param value, an expression), located and already rendered.
struct Diagnostic {
  bool error = true;       // else a warning
  std::string code;        // "E099"
  std::string file;        // empty when the problem has no location
  uint32_t line = 0;       // 1-based; 0 without a location
  uint32_t column = 0;
  std::string message;
  std::string text;        // as a compiler prints it: location, message, source line, caret, notes
  std::string text_color;  // the same with ANSI colours, for terminals
  std::string json;        // one JSON object (`edict check --format json`'s element)
};

struct Diagnostics {
  std::vector<Diagnostic> items;  // sorted by location
  size_t errors = 0;
  size_t warnings = 0;

  bool has_errors() const { return errors > 0; }
  // Every item, then "N errors, N warnings generated." (nothing when there are no items).
  std::string Render(bool color) const;
};

// ---- Facts --------------------------------------------------------------------------------------

// Where appfacts JSON Lines come from.
class Input {
 public:
  static Input File(std::string path);
  // `stream` must outlive the load; `name` is what evidence and errors call it ("<stdin>").
  static Input Stream(std::string name, std::istream& stream);
  static Input Text(std::string name, std::string text);

  const std::string& name() const { return name_; }

 private:
  friend class RuleSet;
  enum class Source : uint8_t { kFile, kStream, kText };
  Source source_ = Source::kFile;
  std::string name_;
  std::istream* stream_ = nullptr;
  std::shared_ptr<const std::string> text_;
};

enum class LoadMode : uint8_t {
  kStrict,   // a bad record stops its session (the session reports the error); later sessions load
  kLenient,  // a bad record is skipped and listed
};

// One loaded session: immutable, cheap to copy, safe to evaluate from several threads at once.
// It keeps the schema it was loaded with alive.
class Session {
 public:
  const std::string& id() const;
  const std::string& file() const;
  // The load error that stopped the session (strict mode); it is then evaluated to no outcomes.
  std::optional<std::string> error() const;
  uint64_t records() const;

 private:
  friend class RuleSet;
  struct Data;
  std::shared_ptr<const Data> data_;
};

struct LoadResult {
  std::vector<Session> sessions;           // in input order, failed ones included
  std::vector<SkippedRecord> skipped;      // lenient mode: every skipped line
  std::vector<std::string> input_errors;   // inputs that could not be read: "a.jsonl: reason"
  NameCounts unknown_kinds;                // records of kinds no pack declares (skipped)
  NameCounts unknown_data_types;           // data types no pack knows (kept)
};

// ---- Rule sets ----------------------------------------------------------------------------------

// `--param name=value`: `value` is CEL source ("48h", "12", "[\"a\"]"), typed like the parameter.
struct ParamSetting {
  std::string name;
  std::string value;
};

// Which back end evaluates: the reference interpreter, native code compiled with LLVM ORC, or
// auto (interpret small inputs, compile when the facts are large enough for compilation to pay).
enum class Engine : uint8_t { kInterp, kJit, kAuto };

// Engine::kAuto evaluates a session natively (getting the code once, on first need) from the size
// where native code pays for what getting it costs, and interprets smaller ones. Getting it costs
// a build when the object cache does not hold the rules' code (the standard library: ~110 ms more
// than the interpreter's compile on 2 idle cores, loading LLVM included) and a load when it does
// (~2-3 ms), against ~0.3-0.5 us saved per record. End-to-end crossovers (bench/crossover.py, `make
// crossover`; docs/architecture.md, "Choosing the engine"; idle 2-core machine): with an empty
// cache ~230-240 k records for the standard library; with the code cached ~3-5 k for both packs.
//
// From this many records auto uses native code whatever the object cache holds.
inline constexpr uint64_t kAutoJitMinRecordsCold = 250000;
// From this many records auto uses native code when the object cache holds code for the rules (a
// run before compiled them): looked up once per RuleSet, when the first session of a size between
// the two thresholds comes.
inline constexpr uint64_t kAutoJitMinRecordsWarm = 5000;

// How hard LLVM optimises the rule set's native code. Optimised code evaluates faster (the standard
// library at O1: ~13 % fewer instructions than at O0) but takes seconds to build instead of ~0.1 s,
// so the default builds only what the code's size allows within the cold-start budget; the object
// cache keeps whatever was built, so a machine that evaluates many sessions with one rule set can
// build O1 once (kO1) and have every later default compile load it (docs/architecture.md,
// "Optimisation level"). O2 costs more to build than O1 for no measurable speed.
enum class Optimization : uint8_t {
  kAuto,  // the best level already cached (O2, then O1), else the one the code's size allows (O0
          // for all but tiny rule sets), loaded from the cache or built
  kO0,    // exactly this level, loaded from the cache or built
  kO1,
  kO2,
};

// How the rule set's native code was obtained (see RuleSet::native_build).
struct NativeBuild {
  bool built = false;      // native code exists: engine jit, or auto after a large session
  bool cache_hit = false;  // loaded from the object cache, without building IR
  int64_t build_us = 0;    // cache lookup, code generation and linking
  int64_t codegen_us = 0;  // of which emitting IR and compiling it (0 on a cache hit)
  // Of which making the code callable after it exists: on a cache hit, placing the cached images
  // (or linking the cached objects); on a build, looking up the functions, since each part's
  // object is linked as soon as it is compiled, inside codegen_us.
  int64_t link_us = 0;
  // Of which waiting for the JIT back end (libedict-backend.so and LLVM) to load: 0 when it was
  // not needed (cached images placed) or had loaded already, while the front end ran.
  int64_t back_end_us = 0;
  std::string opt_level;   // of the code in use: "O0", "O1" or "O2"
  std::string note;        // why the cache was not used, or why auto went on interpreting
};

// The session size from which Engine::kAuto evaluates natively, and why (RuleSet::auto_threshold).
struct AutoThreshold {
  uint64_t min_records = kAutoJitMinRecordsCold;
  bool probed = false;       // the object cache was looked at (a session between the thresholds came)
  bool cached_code = false;  // it held code for the rules: min_records is kAutoJitMinRecordsWarm
};

struct CompileOptions {
  Engine engine = Engine::kInterp;
  std::vector<std::string> packs;      // pack directories, or .edict files forming one pack
  std::vector<std::string> pack_path;  // searched for imports, before $EDICT_PACK_PATH
  bool use_environment = true;         // also search $EDICT_PACK_PATH
  std::string profile = "baseline";
  std::vector<ParamSetting> params;
  Optimization optimization = Optimization::kAuto;  // of native code (engine jit, or auto when it compiles)
};

// What evaluating one session produced.
struct Evaluation {
  SessionResult result;           // the summary (outcomes of every rule, rule errors) and findings
  std::vector<LimitHit> limits;   // limits the session reached
  bool native = false;            // evaluated by native code (else by the interpreter)
  // Expressions the interpreter evaluated although native code was in use: always 0 unless the
  // code generator left something out.
  uint64_t fallbacks = 0;
};

// A compiled rule set: every rule of the packs and their imports, for one profile and parameter
// values. Immutable once compiled; copies share it, and any number of threads may load and
// evaluate with it concurrently.
class RuleSet {
 public:
  // Checks and compiles the packs; nullopt when `diagnostics` holds errors (warnings do not stop it).
  static std::optional<RuleSet> Compile(const CompileOptions& options, Diagnostics& diagnostics);

  // The engine, the packs with the sha256 of their sources, the profile, the parameters in force
  // and the rules in report order (Finding::rule indexes them).
  const RunInfo& info() const;
  // Wall time Compile took, in milliseconds.
  int64_t compile_ms() const;
  // Whether the checked and lowered plan came from the plan cache (an earlier compile of the same
  // packs, profile and parameters by this build), so that Compile skipped the front end.
  bool plan_from_cache() const;
  // The engine asked for, and how its native code was built (nothing yet for auto before a
  // large session, nothing ever for interp).
  Engine engine() const;
  NativeBuild native_build() const;
  // Under Engine::kAuto, from which session size native code evaluates, and why.
  AutoThreshold auto_threshold() const;
  // The plan as `edict plan` prints it.
  std::string PlanText() const;

  LoadResult Load(std::span<const Input> inputs, LoadMode mode = LoadMode::kStrict) const;
  // Thread-safe. A session that failed to load gets its error and no outcomes; so does a session
  // this rule set (or a copy of it) did not load, since a session is bound to its loader's schema.
  Evaluation Evaluate(const Session& session) const;

  struct Impl;

 private:
  explicit RuleSet(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// ---- Runs ---------------------------------------------------------------------------------------

struct RunOptions {
  LoadMode mode = LoadMode::kStrict;
  unsigned jobs = 1;           // evaluating threads (loading included); 0 means one per core
  bool deterministic = false;  // timings reported as 0, so equal inputs give byte-equal reports
};

struct RunSummary {
  Totals totals;
  // Why sessions failed to load ("a.jsonl:17: ..."), and inputs that could not be read.
  std::vector<std::string> load_errors;
  // findings-1.md: 2 for a rule error, a session that failed to load (strict) or an unreadable
  // input; else 1 for at least one `fail` finding; else 0.
  int exit_code = 0;
  uint64_t native_sessions = 0;  // sessions evaluated by native code
  uint64_t fallbacks = 0;        // Evaluation::fallbacks, summed
};

// Loads the inputs, evaluates every session (on `options.jobs` threads) and streams the report to
// `writer` in input order: Begin, one AddSession per session, End with the run's summary.
RunSummary Run(const RuleSet& rules, std::span<const Input> inputs, const RunOptions& options, Writer& writer);

// A report writer (JSON Lines, SARIF or text) on `out`; `color` for text on a terminal.
std::unique_ptr<Writer> MakeReportWriter(Format format, std::ostream& out, bool color = false);

// ---- Tests written in the language ----------------------------------------------------------------

struct TestOptions {
  Engine engine = Engine::kInterp;
  std::vector<std::string> packs;
  std::vector<std::string> pack_path;
  bool use_environment = true;
};

// An `expect` line that did not hold.
struct ExpectFailure {
  std::string rule;
  std::string file;
  uint32_t line = 0;
  std::string expected;  // the expect line as written (whitespace collapsed)
  std::string problem;   // what did not hold: "expected 1 finding, found 2"
  std::string found;     // the rule's outcome and findings, one per line, compactly
};

struct TestResult {
  std::string name;
  std::string file;
  uint32_t line = 0;
  std::vector<std::string> rules;         // the rules its expect lines name, in order
  std::vector<std::string> failed_rules;  // those with an expectation that did not hold
  std::vector<ExpectFailure> failures;
  std::string error;                      // the test could not run (its facts failed to load)
  bool passed() const { return error.empty() && failures.empty(); }
};

struct RuleTestCount {
  std::string rule;
  int tests = 0;
  int passed = 0;
  int failed = 0;
};

struct TestReport {
  Diagnostics diagnostics;             // errors here mean no test ran (or a test's setup failed)
  std::vector<TestResult> tests;       // tests of the packs named, in file and source order
  std::vector<RuleTestCount> rules;    // the packs' rules and any rule a test names, report order
  int passed = 0;
  int failed = 0;
};

// Runs the `test` blocks of the packs named in `options` (not of their imports).
TestReport RunTests(const TestOptions& options);

// ---- The rule catalogue (`edict doc`) ------------------------------------------------------------

struct PackDoc {
  std::string name;
  std::string version;
  std::string title;
  std::string description;
};

struct ParamDoc {
  std::string name;
  std::string pack;
  std::string type;           // as written
  std::string default_value;  // CEL, as written
  std::string note;           // provenance
  std::vector<std::pair<std::string, std::string>> profiles;  // profile → value, as written
};

struct ProfileDoc {
  std::string name;
  std::string base;
  std::string note;
};

// A rule at work: the facts of its first positive test and what the rule reports on them.
struct RuleExample {
  std::string test;
  std::string file;  // where the test is
  uint32_t line = 0;
  std::string facts_file;  // empty for inline facts
  std::string facts;       // the JSON Lines the test runs on
  std::string profile;     // empty: baseline
  std::vector<ParamSetting> params;
  std::vector<Finding> findings;
  std::string error;       // the test could not run
};

struct RuleDoc {
  findings::RuleInfo info;  // id, pack, version, title, kind, severity, cite, tags
  std::string file;         // where the rule is declared
  uint32_t line = 0;
  std::vector<std::string> needs;   // as written: "api_call", "a | b", "(app.category)"
  std::vector<std::string> params;  // the parameters it reads
  std::vector<std::string> notes;
  std::optional<RuleExample> example;
};

struct Catalog {
  Diagnostics diagnostics;        // errors here mean the catalogue is empty
  std::vector<PackDoc> packs;     // the packs named
  std::vector<RuleDoc> rules;     // their rules, in report order
  std::vector<ParamDoc> params;   // the parameters they and their imports declare
  std::vector<ProfileDoc> profiles;
};

// What `options.packs` declare, with an example per rule (its first test expecting a finding).
Catalog DescribePacks(const TestOptions& options);

// A clause of a regulation the coverage matrix lists (the `--clauses` file, tab-separated:
// cite key, `auto` or `manual`, text).
struct Clause {
  std::string key;   // "MIIT-164:1/S2"
  bool manual = false;
  std::string text;
};

// Reads a clauses file; nullopt with `error` set when it cannot be read or a line is malformed.
std::optional<std::vector<Clause>> ReadClauses(const std::string& path, std::string& error);

struct DocFile {
  std::string name;  // "index.md", "<rule id>.md", "coverage.md"
  std::string text;
};

// The catalogue as Markdown: an index, one page per rule and, given clauses, the coverage matrix.
std::vector<DocFile> RenderCatalog(const Catalog& catalog, const std::vector<Clause>& clauses);

// ---- Standalone CEL ---------------------------------------------------------------------------------

// `--var name=value`: `value` is a CEL expression; the variable takes its value and type.
struct Variable {
  std::string name;
  std::string value;
};

struct ExpressionResult {
  Diagnostics diagnostics;  // syntax and type errors (of the expression or a variable)
  bool ok = false;          // compiled and evaluated (to a value or a CEL error)
  bool cel_error = false;   // the expression evaluated to a CEL error
  std::string text;         // the value as CEL source, or the error's message
  std::string type;         // the checked type, CEL spelling
  bool native = false;      // evaluated by native code
  uint64_t fallbacks = 0;   // nodes of it the interpreter evaluated instead (0 unless codegen lacks one)
};

// Engine::kJit compiles the expression (and each variable's) to native code in its own LLJIT, not
// cached; kAuto interprets, since one evaluation never pays for compiling.
ExpressionResult EvaluateExpression(std::string_view expression, const std::vector<Variable>& variables,
                                    Engine engine = Engine::kInterp);

}  // namespace edict
