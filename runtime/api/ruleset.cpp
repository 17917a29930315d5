// Compiling packs into a RuleSet (from the plan cache when its sources are unchanged), loading
// facts with its schema and evaluating sessions with a pool of per-thread evaluators.
#include <chrono>
#include <exception>
#include <filesystem>
#include <future>
#include <optional>

#include "compiler/plan/print.h"
#include "compiler/sema/check.h"
#include "runtime/api/plan_cache.h"
#include "runtime/api/ruleset_impl.h"
#include "runtime/facts/loader.h"
#include "runtime/findings/fingerprint.h"
#include "runtime/findings/order.h"
#include "runtime/jit/warm_up.h"

namespace edict {
namespace {

// Parses, checks and lowers the packs into `impl` (sources, program, plan, info); false with
// `diagnostics` saying why when there is no plan. `one_thread`: on the calling thread alone, for
// while the back end loads on another (syntax::ParseOptions::one_thread says why).
bool RunFrontEnd(const CompileOptions& options, RuleSet::Impl& impl, Diagnostics& diagnostics, bool one_thread) {
  diag::DiagnosticEngine diags;
  sema::LoadOptions load;
  load.pack_path = options.pack_path;
  load.use_environment = options.use_environment;
  load.parse.tests = false;  // `edict test` and `edict check` read them
  load.parse.one_thread = one_thread;
  impl.program = sema::CheckPaths(options.packs, load, impl.sources, diags);
  std::future<std::vector<findings::Ruleset>> rulesets;
  if (!diags.has_errors()) {
    // The packs' hashes read only their text: another core computes them while the plan is lowered.
    rulesets = std::async(one_thread ? std::launch::deferred : std::launch::async, HashPacks,
                          SourcesOfPacks(*impl.program, impl.sources));
    plan::LowerOptions lower;
    lower.profile = options.profile;
    for (const ParamSetting& param : options.params) lower.overrides.push_back({param.name, param.value, nullptr});
    impl.plan = interp::Compile(*impl.program, lower, impl.sources, diags);
  }
  diagnostics = ToDiagnostics(diags, impl.sources);
  if (impl.plan == nullptr || diagnostics.has_errors()) {
    if (!diagnostics.has_errors()) diagnostics = EngineFailure("the plan phase gave no plan and no reason");
    return false;
  }
  impl.info = MakeRunInfo(rulesets.get(), *impl.plan);
  impl.pack_directories = PackDirectories(*impl.program);
  return true;
}

}  // namespace

// Each file as its path relative to the pack's directory (its name for a pack of files), a NUL,
// its bytes and a NUL, so that renaming a file changes the hash too.
std::string PackSha256(const std::string& directory, std::span<const PackFile> files) {
  static constexpr std::string_view kNul("\0", 1);
  std::vector<std::string> names;
  names.reserve(files.size());  // never reallocated: `pieces` views its strings
  std::vector<std::string_view> pieces;
  pieces.reserve(4 * files.size());
  for (const PackFile& file : files) {
    std::filesystem::path path = file.path;
    names.push_back(directory.empty() ? path.filename().string() : path.lexically_relative(directory).generic_string());
    pieces.insert(pieces.end(), {names.back(), kNul, file.text, kNul});
  }
  return findings::Sha256Hex(pieces);
}

RunInfo MakeRunInfo(std::vector<findings::Ruleset> rulesets, const plan::Plan& plan) {
  RunInfo info;
  info.engine.version = EDICT_VERSION;
  info.engine.backend = "interp";
  info.rulesets = std::move(rulesets);
  info.profile = plan.profile;
  info.params = interp::ParamsInForce(plan);
  info.rules = interp::RuleInfos(plan);
  return info;
}

std::vector<PackSources> SourcesOfPacks(const sema::Program& program, const diag::SourceManager& sources) {
  std::vector<PackSources> packs;
  for (const auto& pack : program.packs) {
    std::vector<PackFile> files;
    for (const ast::File& file : pack->files) files.push_back({sources.path(file.file), sources.text(file.file)});
    packs.push_back({pack->DisplayName(), pack->version, pack->directory, std::move(files)});
  }
  return packs;
}

std::vector<findings::Ruleset> HashPacks(const std::vector<PackSources>& packs) {
  std::vector<findings::Ruleset> rulesets;
  for (const PackSources& pack : packs) {
    rulesets.push_back({pack.name, pack.version, PackSha256(pack.directory, pack.files)});
  }
  return rulesets;
}

RunInfo MakeRunInfo(const sema::Program& program, const plan::Plan& plan, const diag::SourceManager& sources) {
  return MakeRunInfo(HashPacks(SourcesOfPacks(program, sources)), plan);
}

std::optional<RuleSet> RuleSet::Compile(const CompileOptions& options, Diagnostics& diagnostics) {
  try {
    auto start = std::chrono::steady_clock::now();
    auto impl = std::make_shared<Impl>();
    std::string cache_directory = PlanCacheDirectory();
    std::string cache_key = cache_directory.empty() ? std::string() : PlanCacheKey(options);
    std::optional<CachedPlan> cached;
    if (!cache_key.empty()) cached = LoadCachedPlan(cache_directory, cache_key);
    if (cached) {
      impl->plan = std::move(cached->plan);
      impl->info = MakeRunInfo(std::move(cached->rulesets), *impl->plan);
      impl->pack_directories = std::move(cached->pack_directories);
      diagnostics = std::move(cached->diagnostics);
      impl->plan_from_cache = true;
    } else {
      // Without a cached plan a cold build is likely to follow: the back end warms up on another
      // core meanwhile (jit/warm_up.h). Only for an explicit `jit`, since `auto` may never build.
      std::optional<jit::BackEndWarmUp> warm_up;
      if (options.engine == Engine::kJit) warm_up.emplace();
      if (!RunFrontEnd(options, *impl, diagnostics, /*one_thread=*/warm_up.has_value())) return std::nullopt;
      // A cache that cannot be written only costs the next compile its warm start.
      std::string ignored;
      if (!cache_key.empty()) {
        StoreCachedPlan(cache_directory, cache_key, options, *impl->program, impl->sources, *impl->plan, impl->info,
                        diagnostics, ignored);
      }
    }
    impl->engine = options.engine;
    impl->optimization = options.optimization;
    // findings-1.md knows two back ends; auto is "interp" until Run sees a session evaluated natively.
    impl->info.engine.backend = options.engine == Engine::kJit ? "jit" : "interp";
    // Asked for explicitly, native code that cannot be built is an error, not a silent
    // interpreter run; auto builds it when a session first needs it and else interprets.
    if (options.engine == Engine::kJit && impl->Native() == nullptr) {
      diagnostics = EngineFailure(impl->native_build.note);
      return std::nullopt;
    }
    impl->compile_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    return RuleSet(std::move(impl));
  } catch (const std::exception& e) {
    diagnostics = EngineFailure(e.what());
    return std::nullopt;
  }
}

const RunInfo& RuleSet::info() const { return impl_->info; }
int64_t RuleSet::compile_ms() const { return impl_->compile_ms; }
bool RuleSet::plan_from_cache() const { return impl_->plan_from_cache; }
std::string RuleSet::PlanText() const { return plan::PrintPlan(*impl_->plan); }

LoadResult RuleSet::Load(std::span<const Input> inputs, LoadMode mode) const {
  std::vector<facts::InputSource> sources;
  for (const Input& input : inputs) {
    switch (input.source_) {
      case Input::Source::kFile: sources.push_back(facts::InputSource::File(input.name_)); break;
      case Input::Source::kStream: sources.push_back(facts::InputSource::Stream(input.name_, *input.stream_)); break;
      case Input::Source::kText: sources.push_back(facts::InputSource::Text(input.name_, *input.text_)); break;
    }
  }
  facts::LoadOptions options;
  options.mode = mode == LoadMode::kLenient ? facts::LoadMode::kLenient : facts::LoadMode::kStrict;
  facts::LoadResult loaded = facts::Load(*impl_->plan->schema, sources, options);

  LoadResult out;
  for (facts::Session& session : loaded.sessions) {
    auto data = std::make_shared<Session::Data>();
    data->session = std::move(session);
    data->rules = impl_;
    Session wrapped;
    wrapped.data_ = std::move(data);
    out.sessions.push_back(std::move(wrapped));
  }
  for (const facts::InputError& error : loaded.skipped) out.skipped.push_back({error.file, error.line, error.message});
  for (const facts::InputError& error : loaded.input_errors) out.input_errors.push_back(error.ToString());
  for (const auto& [kind, count] : loaded.unknown_kinds) out.unknown_kinds.emplace_back(kind, count);
  for (const auto& [type, count] : loaded.unknown_data_types) out.unknown_data_types.emplace_back(type, count);
  return out;
}

Evaluation RuleSet::Evaluate(const Session& session) const {
  if (session.data_ == nullptr || session.data_->rules != impl_) {
    // Stores refer to the schema they were loaded with: a session of another rule set cannot be
    // evaluated with this one.
    Evaluation out;
    out.result.summary.id = session.id();
    out.result.summary.file = session.file();
    out.result.summary.error = session.data_ == nullptr ? "not a loaded session"
                                                        : "the session was loaded by another rule set";
    return out;
  }
  const interp::CompiledCode* compiled = nullptr;
  try {
    if (UsesNativeCode(impl_->engine, session.records(), [this] { return impl_->HoldsCachedCode(); })) {
      compiled = impl_->Native();
    }
  } catch (const std::exception&) {
    compiled = nullptr;  // out of memory building it: interpret
  }
  auto& pool = compiled != nullptr ? impl_->idle_native_evaluators : impl_->idle_evaluators;
  std::unique_ptr<interp::Evaluator> evaluator;
  {
    std::lock_guard<std::mutex> lock(impl_->pool_mutex);
    if (!pool.empty()) {
      evaluator = std::move(pool.back());
      pool.pop_back();
    }
  }
  interp::SessionEvaluation evaluated;
  try {
    if (evaluator == nullptr) evaluator = std::make_unique<interp::Evaluator>(*impl_->plan, compiled);
    evaluated = evaluator->Evaluate(session.data_->session);
  } catch (const std::exception& e) {
    // Memory exhaustion mid-session: the session is reported as failed; the evaluator, whose
    // state is now unknown, is dropped.
    Evaluation out;
    out.result.summary.id = session.id();
    out.result.summary.file = session.file();
    out.result.summary.error = std::string("evaluation failed: ") + e.what();
    return out;
  }
  {
    std::lock_guard<std::mutex> lock(impl_->pool_mutex);
    pool.push_back(std::move(evaluator));
  }
  Evaluation out;
  out.result.summary = std::move(evaluated.result.summary);
  out.result.findings = findings::InReportOrder(std::move(evaluated.result.findings));
  out.limits = std::move(evaluated.limits);
  out.native = compiled != nullptr;
  out.fallbacks = evaluated.stats.fallbacks;
  return out;
}

// ---- Sessions and inputs -------------------------------------------------------------------------

// A default-constructed Session is empty: no id, no records, and an error when evaluated.
const std::string& Session::id() const {
  static const std::string kNone;
  return data_ ? data_->session.id : kNone;
}
const std::string& Session::file() const {
  static const std::string kNone;
  return data_ ? data_->session.file : kNone;
}
uint64_t Session::records() const {
  return data_ && data_->session.store ? data_->session.store->record_count() : 0;
}
std::optional<std::string> Session::error() const {
  if (data_ == nullptr) return "not a loaded session";
  if (!data_->session.error) return std::nullopt;
  return data_->session.error->ToString();
}

Input Input::File(std::string path) {
  Input input;
  input.source_ = Source::kFile;
  input.name_ = std::move(path);
  return input;
}

Input Input::Stream(std::string name, std::istream& stream) {
  Input input;
  input.source_ = Source::kStream;
  input.name_ = std::move(name);
  input.stream_ = &stream;
  return input;
}

Input Input::Text(std::string name, std::string text) {
  Input input;
  input.source_ = Source::kText;
  input.name_ = std::move(name);
  input.text_ = std::make_shared<const std::string>(std::move(text));
  return input;
}

std::unique_ptr<Writer> MakeReportWriter(Format format, std::ostream& out, bool color) {
  findings::WriterOptions options;
  options.color = color;
  return findings::MakeWriter(format, out, options);
}

}  // namespace edict
