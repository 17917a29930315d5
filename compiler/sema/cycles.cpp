// Checks over the graph of which declaration uses which: definitions and functions that reach
// themselves (Edict has no recursion, so every evaluation terminates), and user functions
// called where a constant is required but that read the facts.
#include <algorithm>
#include <deque>

#include "compiler/sema/checker.h"

namespace edict::sema {
namespace {

struct Edge {
  const ast::Decl* to;
  SourceRange range;
};

using Graph = std::map<const ast::Decl*, std::vector<Edge>>;

bool EarlierInSource(const ast::Decl* a, const ast::Decl* b) {
  if (a->name_range.file != b->name_range.file) return a->name_range.file < b->name_range.file;
  return a->name_range.begin < b->name_range.begin;
}

// Tarjan's algorithm; returns the strongly connected components.
class Components {
 public:
  explicit Components(const Graph& graph) : graph_(graph) {
    for (const auto& [node, edges] : graph_) {
      if (index_.count(node) == 0) Visit(node);
    }
  }
  const std::vector<std::vector<const ast::Decl*>>& result() const { return components_; }

 private:
  void Visit(const ast::Decl* node) {
    index_[node] = low_[node] = next_++;
    stack_.push_back(node);
    on_stack_.insert(node);
    auto it = graph_.find(node);
    if (it != graph_.end()) {
      for (const Edge& edge : it->second) {
        if (index_.count(edge.to) == 0) {
          Visit(edge.to);
          low_[node] = std::min(low_[node], low_[edge.to]);
        } else if (on_stack_.count(edge.to)) {
          low_[node] = std::min(low_[node], index_[edge.to]);
        }
      }
    }
    if (low_[node] != index_[node]) return;
    std::vector<const ast::Decl*> component;
    const ast::Decl* member = nullptr;
    do {
      member = stack_.back();
      stack_.pop_back();
      on_stack_.erase(member);
      component.push_back(member);
    } while (member != node);
    components_.push_back(std::move(component));
  }

  const Graph& graph_;
  std::map<const ast::Decl*, int> index_;
  std::map<const ast::Decl*, int> low_;
  std::vector<const ast::Decl*> stack_;
  std::set<const ast::Decl*> on_stack_;
  std::vector<std::vector<const ast::Decl*>> components_;
  int next_ = 0;
};

// The shortest path of edges from `start` back to itself inside `members`.
std::vector<std::pair<const ast::Decl*, Edge>> CyclePath(const Graph& graph, const ast::Decl* start,
                                                        const std::set<const ast::Decl*>& members) {
  std::map<const ast::Decl*, std::pair<const ast::Decl*, Edge>> parent;
  std::deque<const ast::Decl*> queue = {start};
  std::set<const ast::Decl*> seen = {start};
  while (!queue.empty()) {
    const ast::Decl* node = queue.front();
    queue.pop_front();
    auto it = graph.find(node);
    if (it == graph.end()) continue;
    for (const Edge& edge : it->second) {
      if (members.count(edge.to) == 0) continue;
      if (edge.to == start) {
        std::vector<std::pair<const ast::Decl*, Edge>> path = {{node, edge}};
        for (const ast::Decl* at = node; at != start; at = parent[at].first) path.push_back(parent[at]);
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (seen.insert(edge.to).second) {
        parent[edge.to] = {node, edge};
        queue.push_back(edge.to);
      }
    }
  }
  return {};
}

}  // namespace

void Checker::ReportCycles() {
  Graph graph;
  for (const auto& [owner, uses] : uses_) {
    if (owner == nullptr || owner->kind == ast::DeclKind::kRule || owner->kind == ast::DeclKind::kTest) continue;
    auto& edges = graph[owner];
    for (const auto& [symbol, range] : uses.symbols) {
      if (symbol->decl != nullptr) edges.push_back({symbol->decl, range});
    }
  }
  Components components(graph);
  for (const auto& component : components.result()) {
    const ast::Decl* start = *std::min_element(component.begin(), component.end(), EarlierInSource);
    std::set<const ast::Decl*> members(component.begin(), component.end());
    auto path = CyclePath(graph, start, members);
    if (path.empty()) continue;  // a single declaration that does not use itself
    bool all_functions = std::all_of(component.begin(), component.end(),
                                     [](const ast::Decl* d) { return d->kind == ast::DeclKind::kFn; });
    auto& d = Report(all_functions ? diag::DiagId::kRecursiveFunction : diag::DiagId::kCircularDefinition,
                     start->name_range, {start->name});
    for (const auto& [from, edge] : path) {
      const char* verb = edge.to->kind == ast::DeclKind::kFn ? "calls" : "uses";
      d.notes.push_back({edge.range, "'" + from->name + "' " + verb + " '" + edge.to->name + "' here"});
    }
  }
}

std::optional<std::pair<std::string, SourceRange>> Checker::FactsReachedBy(const ast::Decl* decl,
                                                                           std::set<const ast::Decl*>& seen) {
  if (!seen.insert(decl).second) return std::nullopt;
  auto it = uses_.find(decl);
  if (it == uses_.end()) return std::nullopt;
  if (it->second.facts) return it->second.facts;
  for (const auto& [symbol, range] : it->second.symbols) {
    if (symbol->kind != SymbolKind::kFn) continue;
    if (auto found = FactsReachedBy(symbol->decl, seen)) return found;
  }
  return std::nullopt;
}

void Checker::ReportNonConstantCalls() {
  for (const ConstantCall& call : constant_calls_) {
    std::set<const ast::Decl*> seen;
    auto facts = FactsReachedBy(call.fn->decl, seen);
    if (!facts) continue;
    Report(diag::DiagId::kNotConstant, call.range, {call.what, call.fn->name})
        .notes.push_back({facts->second, "it reads '" + facts->first + "' here"});
  }
}

}  // namespace edict::sema
