// Plan cache entries: the key, the record of what the front end read and its check, and the
// entry's encoding (sources record, run header packs, diagnostics, then the plan of
// compiler/plan/serialize.h) in a jit::EntryStore.
#include "runtime/api/plan_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>

#include "compiler/diag/source.h"
#include "compiler/plan/serialize.h"
#include "compiler/sema/pack_loader.h"
#include "runtime/api/ruleset_impl.h"
#include "runtime/jit/cache.h"
#include "runtime/jit/target.h"

namespace edict {
namespace {

namespace fs = std::filesystem;

constexpr jit::EntryType kPlanEntry = {"EDICT-PLAN-CACHE-3\n", ".edictplan"};

// What the front end read for one pack.
struct PackRecord {
  std::string directory;  // empty for the pack of files named on the command line
  std::string canonical;  // the directory (else the first file) through symlinks: imports start there
  std::vector<std::string> files;  // as loaded, in load order
  std::vector<std::string> digests;  // jit::ContentDigest of each file's bytes as loaded
};

// Whether `path` (a place an import could be found) was a directory.
struct Probe {
  std::string path;
  bool directory = false;
};

struct SourcesRecord {
  std::vector<PackRecord> packs;
  std::vector<Probe> probes;
};

std::string Canonical(const std::string& path) {
  std::error_code ec;
  return fs::weakly_canonical(path, ec).string();
}

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// A directory pack's `.edict` files as sema's pack loader lists them; nullopt when the directory
// cannot be listed.
std::optional<std::vector<std::string>> ListPackFiles(const std::string& directory) {
  std::error_code ec;
  std::vector<std::string> paths = sema::PackSourceFiles(directory, ec);
  if (ec) return std::nullopt;
  return paths;
}

// Reads the open file `fd` into `buffer` (grown as needed, never shrunk: one buffer serves every
// file of a check), its first `size` bytes as diag::ReadSourceFile would give them; false when it
// cannot be read (a directory) or is longer than a source may be.
bool ReadInto(int fd, std::string& buffer, size_t& size) {
  constexpr size_t kFirstBytes = size_t{16} << 10;  // most sources are smaller: fresh memory is dear
  size = 0;
  while (true) {
    if (size == buffer.size()) buffer.resize(std::max(2 * buffer.size(), kFirstBytes));
    ssize_t got = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return got == 0;
    size += static_cast<size_t>(got);
    if (size > diag::kMaxSourceBytes) return false;
  }
}

// jit::ContentDigest of the bytes the front end would read from `path`; nullopt when it could not
// read them (so neither could the front end), a directory included.
std::optional<std::string> FileDigest(const std::string& path, std::string& buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  size_t size = 0;
  bool read = ReadInto(fd, buffer, size);
  ::close(fd);
  if (!read) return std::nullopt;
  return jit::ContentDigest(std::string_view(buffer.data(), size));
}

// The directories an import may be looked up in before the standard library (whose packs, when
// one is used, are among the records and checked as such), as sema's pack loader searches.
std::vector<std::string> ImportDirectories(const std::vector<PackRecord>& packs, const CompileOptions& options) {
  std::set<std::string> dirs;
  for (const PackRecord& pack : packs) dirs.insert(fs::path(pack.canonical).parent_path().string());
  sema::LoadOptions load;
  load.pack_path = options.pack_path;
  load.use_environment = options.use_environment;
  load.use_standard_library = false;
  std::vector<std::string> search = sema::ImportSearchPath(load);
  dirs.insert(search.begin(), search.end());
  return {dirs.begin(), dirs.end()};
}

SourcesRecord RecordSources(const sema::Program& program, const diag::SourceManager& sources,
                            const CompileOptions& options) {
  SourcesRecord record;
  std::set<std::string> imported;
  for (const auto& pack : program.packs) {
    PackRecord& out = record.packs.emplace_back();
    out.directory = pack->directory;
    for (const ast::File& file : pack->files) {
      out.files.push_back(sources.path(file.file));
      out.digests.push_back(jit::ContentDigest(sources.text(file.file)));
    }
    std::string anchor = !out.directory.empty() ? out.directory : out.files.empty() ? "" : out.files.front();
    out.canonical = Canonical(anchor);
    if (pack->manifest != nullptr) {
      for (const ast::Import& import : pack->manifest->imports) imported.insert(import.pack);
    }
  }
  for (const std::string& dir : ImportDirectories(record.packs, options)) {
    for (const std::string& name : imported) {
      std::string path = (fs::path(dir) / name).string();
      record.probes.push_back({path, IsDirectory(path)});
    }
  }
  return record;
}

// Whether the front end would read exactly what it read when `record` was made. The same files
// with the same bytes have the same pack sha256 as `rulesets` record, so it need not be
// recomputed: digests are checked instead, ~30 times faster.
bool SourcesUnchanged(const SourcesRecord& record, const std::vector<findings::Ruleset>& rulesets) {
  if (record.packs.size() != rulesets.size()) return false;
  std::string buffer;
  for (const Probe& probe : record.probes) {
    if (IsDirectory(probe.path) != probe.directory) return false;
  }
  for (size_t i = 0; i < record.packs.size(); ++i) {
    const PackRecord& pack = record.packs[i];
    if (pack.files.empty() || pack.digests.size() != pack.files.size()) return false;
    if (Canonical(pack.directory.empty() ? pack.files.front() : pack.directory) != pack.canonical) return false;
    if (!pack.directory.empty() && ListPackFiles(pack.directory) != pack.files) return false;
    for (size_t f = 0; f < pack.files.size(); ++f) {
      // A file named on the command line that became a directory would be loaded as a pack: it
      // cannot be read as a file, so it misses.
      if (FileDigest(pack.files[f], buffer) != pack.digests[f]) return false;
    }
  }
  return true;
}

// ---- Encoding -----------------------------------------------------------------------------------

void PutStrings(plan::BinaryWriter& out, const std::vector<std::string>& strings) {
  out.Put<uint64_t>(strings.size());
  for (const std::string& s : strings) out.PutString(s);
}

std::vector<std::string> GetStrings(plan::BinaryReader& in) {
  std::vector<std::string> strings(in.GetCount(sizeof(uint64_t)));
  for (std::string& s : strings) s = in.GetString();
  return strings;
}

void PutDiagnostics(plan::BinaryWriter& out, const Diagnostics& diagnostics) {
  out.Put<uint64_t>(diagnostics.errors);
  out.Put<uint64_t>(diagnostics.warnings);
  out.Put<uint64_t>(diagnostics.items.size());
  for (const Diagnostic& d : diagnostics.items) {
    out.PutBool(d.error);
    for (const std::string* s : {&d.code, &d.file}) out.PutString(*s);
    out.Put(d.line);
    out.Put(d.column);
    for (const std::string* s : {&d.message, &d.text, &d.text_color, &d.json}) out.PutString(*s);
  }
}

Diagnostics GetDiagnostics(plan::BinaryReader& in) {
  Diagnostics diagnostics;
  diagnostics.errors = in.Get<uint64_t>();
  diagnostics.warnings = in.Get<uint64_t>();
  diagnostics.items.resize(in.GetCount());
  for (Diagnostic& d : diagnostics.items) {
    d.error = in.GetBool();
    for (std::string* s : {&d.code, &d.file}) *s = in.GetString();
    d.line = in.Get<uint32_t>();
    d.column = in.Get<uint32_t>();
    for (std::string* s : {&d.message, &d.text, &d.text_color, &d.json}) *s = in.GetString();
  }
  return diagnostics;
}

}  // namespace

std::string PlanCacheDirectory() {
  const char* setting = std::getenv("EDICT_PLAN_CACHE");
  if (setting != nullptr && (std::string_view(setting) == "off" || std::string_view(setting) == "0")) return {};
  return jit::CacheDirectory();
}

std::string PlanCacheKey(const CompileOptions& options) {
  std::error_code ec;
  std::vector<std::string> parts = {"edict-plan", std::to_string(plan::kPlanFormatVersion), jit::EngineBuildId(),
                                    fs::current_path(ec).string()};
  parts.push_back("packs=" + std::to_string(options.packs.size()));
  parts.insert(parts.end(), options.packs.begin(), options.packs.end());
  parts.push_back("pack_path=" + std::to_string(options.pack_path.size()));
  parts.insert(parts.end(), options.pack_path.begin(), options.pack_path.end());
  const char* env = options.use_environment ? std::getenv("EDICT_PACK_PATH") : nullptr;
  parts.push_back(!options.use_environment ? "no-environment" : env == nullptr ? "unset" : std::string("env=") + env);
  parts.push_back("profile=" + options.profile);
  for (const ParamSetting& param : options.params) {
    parts.push_back(param.name);
    parts.push_back(param.value);
  }
  return jit::CacheKey(parts);
}

std::optional<CachedPlan> LoadCachedPlan(const std::string& directory, const std::string& key) {
  jit::EntryBytes bytes;
  if (jit::EntryStore(directory, kPlanEntry).Load(key, bytes) != jit::CacheLookup::kHit) return std::nullopt;
  plan::BinaryReader in(bytes.payload());
  SourcesRecord record;
  record.packs.resize(in.GetCount());
  for (PackRecord& pack : record.packs) {
    pack.directory = in.GetString();
    pack.canonical = in.GetString();
    pack.files = GetStrings(in);
    pack.digests = GetStrings(in);
  }
  record.probes.resize(in.GetCount());
  for (Probe& probe : record.probes) {
    probe.path = in.GetString();
    probe.directory = in.GetBool();
  }
  CachedPlan cached;
  cached.rulesets.resize(in.GetCount());
  for (findings::Ruleset& ruleset : cached.rulesets) {
    for (std::string* s : {&ruleset.pack, &ruleset.version, &ruleset.sha256}) *s = in.GetString();
  }
  cached.diagnostics = GetDiagnostics(in);
  std::string_view plan_bytes = in.GetView();
  if (!in.done() || !SourcesUnchanged(record, cached.rulesets)) return std::nullopt;
  std::string error;
  cached.plan = plan::DeserializePlan(plan_bytes, error);
  if (cached.plan == nullptr) return std::nullopt;
  for (const PackRecord& pack : record.packs) cached.pack_directories.push_back(pack.directory);
  return cached;
}

bool StoreCachedPlan(const std::string& directory, const std::string& key, const CompileOptions& options,
                     const sema::Program& program, const diag::SourceManager& sources, const plan::Plan& plan,
                     const RunInfo& info, const Diagnostics& diagnostics, std::string& error) {
  SourcesRecord record = RecordSources(program, sources, options);
  plan::BinaryWriter out;
  out.Put<uint64_t>(record.packs.size());
  for (const PackRecord& pack : record.packs) {
    out.PutString(pack.directory);
    out.PutString(pack.canonical);
    PutStrings(out, pack.files);
    PutStrings(out, pack.digests);
  }
  out.Put<uint64_t>(record.probes.size());
  for (const Probe& probe : record.probes) {
    out.PutString(probe.path);
    out.PutBool(probe.directory);
  }
  out.Put<uint64_t>(info.rulesets.size());
  for (const findings::Ruleset& ruleset : info.rulesets) {
    for (const std::string* s : {&ruleset.pack, &ruleset.version, &ruleset.sha256}) out.PutString(*s);
  }
  PutDiagnostics(out, diagnostics);
  out.PutString(plan::SerializePlan(plan));
  return jit::EntryStore(directory, kPlanEntry).Store(key, out.bytes(), error);
}

}  // namespace edict
