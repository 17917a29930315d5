// Pack discovery, manifests, import resolution and import cycles.
#include "compiler/sema/pack_loader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <system_error>

#include "compiler/sema/semver.h"

namespace edict::sema {
namespace fs = std::filesystem;
namespace {

using diag::DiagId;

class PackLoader {
 public:
  PackLoader(const LoadOptions& options, Program& program, diag::SourceManager& sources,
             diag::DiagnosticEngine& diags)
      : options_(options), program_(program), sources_(sources), diags_(diags) {}

  bool Load(const std::vector<std::string>& inputs) {
    std::vector<std::string> files;
    std::vector<Node*> roots;
    for (const std::string& input : inputs) {
      std::error_code ec;
      if (fs::is_directory(input, ec)) {
        if (Node* node = LoadDirectory(input, {})) roots.push_back(node);
      } else {
        files.push_back(input);
      }
    }
    if (!files.empty()) roots.push_back(LoadFiles(files));
    for (Node* root : roots) {
      root->pack->root = true;
      Visit(*root);
    }
    return !syntax_errors_;
  }

 private:
  enum class State { kNew, kVisiting, kDone };
  struct Node {
    std::unique_ptr<Pack> owned;  // until the pack moves into program.packs
    Pack* pack = nullptr;
    State state = State::kNew;
    std::string import_base;  // where `import NAME` looks first
  };
  struct Edge {
    Node* importer;
    const ast::Import* import;
  };

  static std::unique_ptr<Node> NewNode() {
    auto node = std::make_unique<Node>();
    node->owned = std::make_unique<Pack>();
    node->pack = node->owned.get();
    return node;
  }

  Node* LoadDirectory(const std::string& directory, SourceRange import_site) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(directory, ec).string();
    if (auto it = by_directory_.find(key); it != by_directory_.end()) return it->second;
    auto node = NewNode();
    node->pack->directory = directory;
    node->import_base = fs::path(key).parent_path().string();
    std::vector<std::string> paths = PackSourceFiles(directory, ec);
    bool parsed = ParseInto(*node->pack, paths);
    // A manifest with syntax errors is reported as such, not as missing.
    if (!FindManifest(*node->pack) && parsed) diags_.Report(DiagId::kNoManifest, import_site, {directory});
    Node* raw = node.get();
    by_directory_[key] = raw;
    nodes_.push_back(std::move(node));
    return raw;
  }

  Node* LoadFiles(std::vector<std::string> paths) {
    std::sort(paths.begin(), paths.end());
    auto node = NewNode();
    std::error_code ec;
    node->import_base = fs::weakly_canonical(paths.front(), ec).parent_path().string();
    ParseInto(*node->pack, paths);
    FindManifest(*node->pack);
    nodes_.push_back(std::move(node));
    return nodes_.back().get();
  }

  // Parses the files into the pack; false when one could not be read or had syntax errors (either
  // way what it declares, perhaps the manifest, is missing, and saying so again would be a cascade).
  bool ParseInto(Pack& pack, const std::vector<std::string>& paths) {
    bool clean = true;
    std::vector<std::string> load_errors(paths.size());
    std::vector<diag::FileId> ids(paths.size());
    std::vector<diag::FileId> loaded;
    for (size_t i = 0; i < paths.size(); ++i) {
      ids[i] = sources_.Load(paths[i], &load_errors[i]);
      if (ids[i] != diag::FileId::kInvalid) loaded.push_back(ids[i]);
    }
    std::vector<diag::DiagnosticEngine> file_diags(loaded.size());
    std::vector<ast::File> files = syntax::ParseFiles(sources_, loaded, file_diags, options_.parse);
    // In the order of `paths`, as if each file had been read and parsed in turn.
    for (size_t i = 0, next = 0; i < paths.size(); ++i) {
      if (ids[i] == diag::FileId::kInvalid) {
        diags_.Report(DiagId::kCannotReadFile, {}, {paths[i], load_errors[i]});
        clean = false;
        continue;
      }
      clean = clean && !file_diags[next].has_errors();
      diags_.Append(std::move(file_diags[next]));
      pack.files.push_back(std::move(files[next++]));
    }
    syntax_errors_ = syntax_errors_ || !clean;
    return clean;
  }

  // Takes the manifest from the first file that has one; false when none has.
  bool FindManifest(Pack& pack) {
    for (const ast::File& file : pack.files) {
      const ast::Manifest* manifest = file.manifest.get();
      if (manifest == nullptr) continue;
      if (pack.manifest != nullptr) {
        diags_.Report(DiagId::kSecondManifest, manifest->name_range, {pack.name})
            .notes.push_back({pack.manifest->name_range, "the first manifest is here"});
        continue;
      }
      pack.manifest = manifest;
      pack.name = manifest->name;
      pack.version = manifest->version;
      if (!ParseVersion(manifest->version)) {
        diags_.Report(DiagId::kInvalidVersion, manifest->version_range, {manifest->version});
      }
    }
    return pack.manifest != nullptr;
  }

  std::vector<std::string> SearchPath(const Node& importer) const {
    std::vector<std::string> dirs = {importer.import_base};
    std::vector<std::string> rest = ImportSearchPath(options_);
    dirs.insert(dirs.end(), rest.begin(), rest.end());
    return dirs;
  }

  Node* Resolve(const Node& importer, const ast::Import& import) {
    std::vector<std::string> searched = SearchPath(importer);
    for (const std::string& dir : searched) {
      fs::path candidate = fs::path(dir) / import.pack;
      std::error_code ec;
      if (fs::is_directory(candidate, ec)) return LoadDirectory(candidate.lexically_normal().string(), import.range);
    }
    std::string where;
    for (const std::string& dir : searched) where += (where.empty() ? "" : ", ") + dir;
    diags_.Report(DiagId::kPackNotFound, import.range, {import.pack})
        .notes.push_back({{}, "looked for a directory '" + import.pack + "' in: " + where});
    return nullptr;
  }

  // Depth-first over imports; a pack is appended to program.packs once its imports are.
  void Visit(Node& node) {
    node.state = State::kVisiting;
    const ast::Manifest* manifest = node.pack->manifest;
    if (manifest != nullptr) {
      for (const ast::Import& import : manifest->imports) {
        Node* target = Resolve(node, import);
        if (target == nullptr || target->pack->manifest == nullptr) continue;
        if (target->state == State::kVisiting) {
          ReportCycle(node, import, *target);
          continue;
        }
        stack_.push_back({&node, &import});
        if (target->state == State::kNew) Visit(*target);
        stack_.pop_back();
        CheckImported(import, *target->pack);
        node.pack->imports.push_back(target->pack);
      }
    }
    node.state = State::kDone;
    program_.packs.push_back(std::move(node.owned));
  }

  void CheckImported(const ast::Import& import, const Pack& target) {
    if (target.name != import.pack) {
      diags_.Report(DiagId::kPackNameMismatch, import.range, {import.pack, target.name})
          .notes.push_back({target.manifest->name_range, "the manifest names the pack here"});
      return;
    }
    if (import.op.empty()) return;
    auto bound = ParseConstraintVersion(import.version);
    if (!bound) {
      diags_.Report(DiagId::kInvalidVersion, import.range, {import.version});
      return;
    }
    auto version = ParseVersion(target.version);
    if (version && !Satisfies(*version, import.op, *bound)) {
      diags_.Report(DiagId::kVersionMismatch, import.range, {target.name, target.version, import.op, import.version})
          .notes.push_back({target.manifest->version_range, "its manifest declares the version here"});
    }
  }

  // Reports a cycle once, at the import of the cycle's alphabetically first pack, so the report
  // does not depend on where the traversal entered the cycle.
  void ReportCycle(Node& importer, const ast::Import& closing, Node& target) {
    std::vector<Edge> cycle;
    bool inside = false;
    for (const Edge& edge : stack_) {
      inside = inside || edge.importer == &target;
      if (inside) cycle.push_back(edge);
    }
    cycle.push_back({&importer, &closing});
    auto name_of = [](const Edge& e) { return e.importer->pack->name; };
    std::set<std::string> members;
    for (const Edge& edge : cycle) members.insert(name_of(edge));
    std::string key;
    for (const std::string& m : members) key += m + "\n";
    if (!reported_cycles_.insert(key).second) return;
    size_t first = 0;
    for (size_t i = 1; i < cycle.size(); ++i) {
      if (name_of(cycle[i]) < name_of(cycle[first])) first = i;
    }
    std::string path;
    for (size_t i = 0; i < cycle.size(); ++i) path += name_of(cycle[(first + i) % cycle.size()]) + " -> ";
    path += name_of(cycle[first]);
    diags_.Report(DiagId::kImportCycle, cycle[first].import->range, {path});
  }

  const LoadOptions& options_;
  Program& program_;
  diag::SourceManager& sources_;
  diag::DiagnosticEngine& diags_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, Node*> by_directory_;
  std::vector<Edge> stack_;
  std::set<std::string> reported_cycles_;
  bool syntax_errors_ = false;
};

}  // namespace

std::vector<std::string> ImportSearchPath(const LoadOptions& options) {
  std::vector<std::string> dirs = options.pack_path;
  const char* env = options.use_environment ? std::getenv("EDICT_PACK_PATH") : nullptr;
  if (env != nullptr) {
    std::string value = env;
    size_t start = 0;
    while (start <= value.size()) {
      size_t colon = value.find(':', start);
      std::string dir = value.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!dir.empty()) dirs.push_back(dir);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  if (options.use_standard_library) dirs.push_back(EDICT_STDLIB_DIR);
  return dirs;
}

namespace {

// Lists a directory pack's files with the system's calls: std::filesystem's iterator costs several
// times as much per entry (and opendir two more calls per directory), and a warm start lists every
// pack again. It takes the entries recursive_directory_iterator takes (see PackSourceFiles), in
// the same order, so even a listing cut short by an error is the same.
class SourceLister {
 public:
  SourceLister(std::vector<std::string>& paths, std::error_code& ec) : paths_(paths), ec_(ec) {}

  // Follows `directory` when it is a link, as the iterator does for the directory it starts at.
  void ListTop(const std::string& directory) {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      Fail();
      return;
    }
    List(fd, directory.ends_with('/') ? directory : directory + "/", 0);
  }

 private:
  static constexpr size_t kBufferBytes = 8192;

  // Lists the directory open as `fd` (closed here), whose entries' paths start with `prefix`:
  // subdirectories, not links to them, are listed where they are met, depth first.
  void List(int fd, const std::string& prefix, size_t depth) {
    if (buffers_.size() == depth) buffers_.push_back(std::make_unique<char[]>(kBufferBytes));
    char* buffer = buffers_[depth].get();
    while (!ec_) {
      ssize_t filled = ::getdents64(fd, buffer, kBufferBytes);
      if (filled <= 0) {
        if (filled < 0) Fail();
        break;
      }
      for (ssize_t at = 0; at < filled && !ec_;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
        at += entry->d_reclen;
        Take(fd, *entry, prefix, depth);
      }
    }
    ::close(fd);
  }

  void Take(int fd, const dirent64& entry, const std::string& prefix, size_t depth) {
    std::string_view name = entry.d_name;
    if (name == "." || name == "..") return;
    if (IsSourceName(name) && !IsDirectory(fd, entry)) paths_.push_back(prefix + entry.d_name);
    if (!IsRealDirectory(fd, entry)) return;
    int subdirectory = ::openat(fd, entry.d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subdirectory < 0) {
      Fail();
      return;
    }
    List(subdirectory, prefix + entry.d_name + "/", depth + 1);
  }

  // What path::extension() == ".edict" means: a file named just ".edict" has no extension.
  static bool IsSourceName(std::string_view name) {
    constexpr std::string_view kExtension = ".edict";
    return name.size() > kExtension.size() && name.ends_with(kExtension);
  }

  // Through links: one that leads nowhere is no directory (and so is a source file to report).
  static bool IsDirectory(int fd, const dirent64& entry) {
    if (entry.d_type != DT_LNK && entry.d_type != DT_UNKNOWN) return entry.d_type == DT_DIR;
    struct stat status;
    return ::fstatat(fd, entry.d_name, &status, 0) == 0 && S_ISDIR(status.st_mode);
  }

  // Not through links: a link to a directory is not entered.
  static bool IsRealDirectory(int fd, const dirent64& entry) {
    if (entry.d_type != DT_UNKNOWN) return entry.d_type == DT_DIR;
    struct stat status;
    return ::fstatat(fd, entry.d_name, &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(status.st_mode);
  }

  void Fail() { ec_.assign(errno, std::generic_category()); }

  std::vector<std::string>& paths_;
  std::error_code& ec_;
  std::vector<std::unique_ptr<char[]>> buffers_;  // one per depth, reused by sibling directories
};

}  // namespace

// As recursive_directory_iterator with default options would list it: anything named .edict but
// a directory is meant as source (one that cannot be read, a dangling link, is reported rather
// than skipped); links to directories are not followed.
std::vector<std::string> PackSourceFiles(const std::string& directory, std::error_code& ec) {
  ec.clear();
  std::vector<std::string> paths;
  SourceLister(paths, ec).ListTop(directory);
  std::sort(paths.begin(), paths.end());
  return paths;
}

bool LoadPacks(const std::vector<std::string>& inputs, const LoadOptions& options, Program& program,
               diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  return PackLoader(options, program, sources, diags).Load(inputs);
}

}  // namespace edict::sema
