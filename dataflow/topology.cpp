#include "dataflow/topology.hpp"

#include <functional>
#include <map>

namespace ananas::dataflow {

std::string_view node_kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::Source: return "source";
    case NodeKind::Operator: return "operator";
    case NodeKind::Sink: return "sink";
  }
  return "?";
}

namespace {

using Kind = TopologyError::Kind;

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// A path along inputs from `start` back to `start` through nodes not yet
// ordered, or empty when `start` only sits downstream of a cycle.
std::vector<size_t> cycle_through(size_t start, const std::vector<std::vector<size_t>>& upstream,
                                  const std::vector<bool>& ordered) {
  std::vector<size_t> path{start};
  std::vector<bool> seen(upstream.size(), false);
  std::function<bool(size_t)> walk = [&](size_t n) {
    for (size_t u : upstream[n]) {
      if (ordered[u]) continue;
      if (u == start) {
        path.push_back(u);
        return true;
      }
      if (seen[u]) continue;
      seen[u] = true;
      path.push_back(u);
      if (walk(u)) return true;
      path.pop_back();
    }
    return false;
  };
  if (!walk(start)) path.clear();
  return path;
}

}  // namespace

Topology::Topology(std::vector<NodeDecl> nodes, TopologyRules rules) : nodes_(std::move(nodes)) {
  const size_t n = nodes_.size();
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    const auto& node = nodes_[i];
    if (node.name.empty()) throw TopologyError(Kind::EmptyName, i, "node " + std::to_string(i) + " has no name");
    auto [it, inserted] = index.emplace(node.name, i);
    if (!inserted) {
      TopologyError e(Kind::DuplicateName, i, "duplicate node name " + quoted(node.name));
      e.other = it->second;
      throw e;
    }
  }
  upstream_.resize(n);
  consumers_.resize(n);
  bool has_source = false, has_sink = false;
  for (size_t i = 0; i < n; ++i) {
    const auto& node = nodes_[i];
    has_source |= node.kind == NodeKind::Source;
    has_sink |= node.kind == NodeKind::Sink;
    if (node.parallelism < 1)
      throw TopologyError(Kind::BadParallelism, i, "node " + quoted(node.name) + ": parallelism must be at least 1");
    if (node.kind == NodeKind::Source) {
      if (!node.inputs.empty())
        throw TopologyError(Kind::SourceWithInput, i, "source " + quoted(node.name) + " cannot have inputs");
      if (rules.single_instance_sources && node.parallelism != 1)
        throw TopologyError(Kind::BadParallelism, i, "source " + quoted(node.name) + " must have parallelism 1");
    } else if (rules.require_inputs && node.inputs.empty()) {
      throw TopologyError(Kind::NoInputs, i, "node " + quoted(node.name) + " has no inputs");
    }
    for (const auto& in : node.inputs) {
      auto fail = [&](Kind k, std::string message) {
        TopologyError e(k, i, std::move(message));
        e.input = in;
        throw e;
      };
      if (in == node.name) fail(Kind::SelfInput, "node " + quoted(node.name) + " reads itself (a cycle)");
      auto it = index.find(in);
      if (it == index.end()) fail(Kind::UnknownInput, "node " + quoted(node.name) + ": unknown input " + quoted(in));
      if (nodes_[it->second].kind == NodeKind::Sink)
        fail(Kind::ReadsSink, "node " + quoted(node.name) + " reads from sink " + quoted(in));
      consumers_[it->second].push_back(Edge{i, upstream_[i].size()});
      upstream_[i].push_back(it->second);
    }
  }
  if (rules.require_source && !has_source) throw TopologyError(Kind::NoSource, TopologyError::kNoNode, "has no source");
  if (rules.require_sink && !has_sink) throw TopologyError(Kind::NoSink, TopologyError::kNoNode, "has no sink");

  // Kahn's algorithm, lowest index first among the ready nodes; whatever is
  // left over sits on or behind a cycle.
  std::vector<size_t> pending(n);
  for (size_t i = 0; i < n; ++i) pending[i] = upstream_[i].size();
  std::vector<bool> ordered(n, false);
  std::vector<size_t> ready;
  for (size_t i = n; i-- > 0;)
    if (pending[i] == 0) ready.push_back(i);
  while (!ready.empty()) {
    // `ready` is kept sorted descending, so the lowest index is at the back.
    const size_t next = ready.back();
    ready.pop_back();
    order_.push_back(next);
    ordered[next] = true;
    for (const Edge& e : consumers_[next])
      if (--pending[e.consumer] == 0) {
        auto pos = ready.begin();
        while (pos != ready.end() && *pos > e.consumer) ++pos;
        ready.insert(pos, e.consumer);
      }
  }
  if (order_.size() != n) {
    for (size_t i = 0; i < n; ++i) {
      if (ordered[i]) continue;
      auto path = cycle_through(i, upstream_, ordered);
      if (path.empty()) continue;
      TopologyError e(Kind::Cycle, i, "has a cycle through node " + quoted(nodes_[i].name));
      for (size_t p : path) e.cycle.push_back(nodes_[p].name);
      throw e;
    }
    throw TopologyError(Kind::Cycle, TopologyError::kNoNode, "has a cycle");  // unreachable: a leftover implies a cycle
  }

  input_offset_.resize(n);
  input_count_.resize(n, 0);
  for (size_t i = 0; i < n; ++i)
    for (size_t u : upstream_[i]) {
      input_offset_[i].push_back(input_count_[i]);
      input_count_[i] += static_cast<size_t>(nodes_[u].parallelism);
    }
}

std::vector<size_t> Topology::input_slots(size_t i) const {
  std::vector<size_t> slots(input_count_[i], 0);
  for (size_t s = 0; s < input_offset_[i].size(); ++s) {
    const size_t end = s + 1 < input_offset_[i].size() ? input_offset_[i][s + 1] : input_count_[i];
    for (size_t in = input_offset_[i][s]; in < end; ++in) slots[in] = s;
  }
  return slots;
}

std::optional<size_t> Topology::find(std::string_view name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return i;
  return std::nullopt;
}

}  // namespace ananas::dataflow
