#pragma once
// The shape of a pipeline's operator graph, checked once and shared by every
// driver (the actor runtime, `ananas replay`, the engine benchmark) and by the
// YAML check: named nodes wired by input names, in topological order, with
// consumer lists by index and the numbering of a node's inputs across the
// instances of its upstream nodes.
//
// Input numbering: a node with inputs {a, b}, where a runs 2 instances and b
// one, has 3 inputs: a#0 -> 0, a#1 -> 1, b#0 -> 2. Watermarks and barriers are
// aligned over these (Flink aligns over input channels the same way, see
// "Timely Stream Processing", section "Watermarks in Parallel Streams").
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ananas::dataflow {

enum class NodeKind { Source, Operator, Sink };
std::string_view node_kind_name(NodeKind k);

struct NodeDecl {
  std::string name;                 // unique in the graph
  NodeKind kind = NodeKind::Operator;
  std::vector<std::string> inputs;  // upstream node names, in input order (none for a source)
  int parallelism = 1;              // instances of this node
};

// What a graph must have beyond being well wired. The YAML check runs before a
// pipeline is complete enough to need sources and sinks; the runtime needs both.
struct TopologyRules {
  bool require_source = true;
  bool require_sink = true;
  bool require_inputs = true;            // every operator and sink reads at least one node
  bool single_instance_sources = true;  // sources run exactly one instance
};

// A wiring mistake, naming the node at fault so a caller can point at it
// (the YAML check maps `node` to a line and column).
class TopologyError : public std::invalid_argument {
 public:
  enum class Kind {
    EmptyName,       // node has no name
    DuplicateName,   // other: index of the earlier node with the same name
    BadParallelism,  // parallelism < 1, or a source with more than one instance
    SourceWithInput, // a source that lists inputs
    NoInputs,        // an operator or sink that reads nothing
    SelfInput,       // a node that lists itself as an input
    UnknownInput,    // input: the name that matches no node
    ReadsSink,       // input: the sink read from (sinks have no output)
    Cycle,           // cycle: the names along inputs, from `node` back to `node`
    NoSource,        // node: none
    NoSink,          // node: none
  };
  static constexpr size_t kNoNode = static_cast<size_t>(-1);

  TopologyError(Kind kind, size_t node, std::string message)
      : std::invalid_argument(std::move(message)), kind(kind), node(node) {}

  Kind kind;
  size_t node = kNoNode;  // index of the node at fault (kNoNode for NoSource/NoSink)
  size_t other = kNoNode; // DuplicateName: the earlier node
  std::string input;      // UnknownInput, ReadsSink, SelfInput: the input name
  std::vector<std::string> cycle;
};

// One edge as its upstream sees it: `consumer` reads this node as its input
// number `slot` (position in the consumer's `inputs`).
struct Edge {
  size_t consumer = 0;
  size_t slot = 0;
};

class Topology {
 public:
  // Checks the nodes (in index order: names, then each node's inputs, then
  // required kinds, then cycles) and throws TopologyError at the first mistake.
  explicit Topology(std::vector<NodeDecl> nodes, TopologyRules rules = {});

  size_t size() const { return nodes_.size(); }
  const NodeDecl& node(size_t i) const { return nodes_[i]; }
  const std::vector<NodeDecl>& nodes() const { return nodes_; }
  std::optional<size_t> find(std::string_view name) const;

  // Node indices, every node after all of its inputs; among nodes that are
  // ready at the same time, the lower index first (Kahn's algorithm).
  const std::vector<size_t>& order() const { return order_; }
  // Upstream node index of each input slot of node i.
  const std::vector<size_t>& upstream(size_t i) const { return upstream_[i]; }
  // Who reads node i, in consumer index order then slot order.
  const std::vector<Edge>& consumers(size_t i) const { return consumers_[i]; }

  // Inputs of node i counted over upstream instances (what its aligner aligns).
  size_t input_count(size_t i) const { return input_count_[i]; }
  // The input number at which instance `instance` of the upstream at `slot` arrives.
  size_t input_index(size_t node, size_t slot, size_t instance) const { return input_offset_[node][slot] + instance; }
  size_t input_index(const Edge& e, size_t instance) const { return input_index(e.consumer, e.slot, instance); }
  // For each input number of node i, the slot (position in its inputs) it
  // comes from: an operator that treats its inputs differently (a join) asks.
  std::vector<size_t> input_slots(size_t i) const;

 private:
  std::vector<NodeDecl> nodes_;
  std::vector<size_t> order_;
  std::vector<std::vector<size_t>> upstream_;
  std::vector<std::vector<Edge>> consumers_;
  std::vector<std::vector<size_t>> input_offset_;
  std::vector<size_t> input_count_;
};

}  // namespace ananas::dataflow
