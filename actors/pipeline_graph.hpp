#pragma once
// A pipeline as the runtime sees it: named nodes (sources, operators, sinks)
// with factories, wired by `inputs`. The graph builder (pipelines/) produces it
// from the pipeline model; tests build it by hand. Factories are called again
// on every restart, so each attempt gets fresh operators and drivers.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/restart_strategy.hpp"
#include "actors/sink_driver.hpp"
#include "actors/source_driver.hpp"
#include "connectors/connector.hpp"
#include "dataflow/topology.hpp"
#include "operators/operator.hpp"
#include "state/kafka_checkpoint_storage.hpp"

namespace ananas::rt {

using dataflow::NodeKind;
using dataflow::node_kind_name;

struct NodeSpec {
  std::string name;                 // unique in the pipeline; the `operator`/`sink` metric label
  NodeKind kind = NodeKind::Operator;
  std::vector<std::string> inputs;  // upstream node names (none for a source)
  int parallelism = 1;              // a source's instances split it (SourceDriver::set_instance)
  // Columns of this node's input rows hashed to pick an instance when
  // parallelism > 1 (equal keys always reach the same instance).
  std::vector<size_t> key_columns;
  std::string topic;                // Kafka topic, the `topic` metric label (sources and sinks)
  std::function<ops::OperatorPtr()> make_operator;
  std::function<std::unique_ptr<SourceDriver>()> make_source;
  std::function<std::unique_ptr<SinkDriver>()> make_sink;
};

struct RuntimeOptions {
  int credit = 4;                      // batches an upstream may send on one edge before it waits
  size_t max_queued_batches = 4;       // per actor, output batches waiting for credit before it stops taking input
  Millis poll_timeout{50};             // a source's longest blocking poll
  Millis checkpoint_interval{2000};    // periodic aligned checkpoints (0: only the final one on stop)
  Millis drain_timeout{10000};         // stop: how long to wait for the final checkpoint
};

struct PipelineGraph {
  std::string name;
  std::string definition;  // the text the pipeline came from (YAML), for GET /pipelines/{name}
  std::vector<NodeSpec> nodes;
  RestartPolicy restart;
  RuntimeOptions runtime;
  // Where checkpoints are made durable (Kafka); none: in memory only, so a
  // restart of the worker starts over from the sources' startup modes.
  std::optional<state::StorageOptions> storage;
  // Topics whose partitions the workers of a group may split between them,
  // each running the pipeline over its own partitions: set when every
  // operator is stateless, every source is a Kafka table on the worker's
  // brokers and no sink is exactly-once. Empty: the pipeline runs whole, on
  // one worker at a time.
  std::vector<std::string> splittable_topics;
  // Set on the keyed part of a pipeline cut at an exchange
  // (actors/drivers/exchange_split.hpp), or on a keyed pipeline whose source
  // is already partitioned by its key (actors/drivers/copartition.hpp): it
  // runs once per partition of `topic` this worker owns (a shard), each run
  // restoring and checkpointing the state of its partition's keys on its
  // own (state::StorageOptions::shard), so that shards move between workers
  // one at a time. splittable_topics then names that topic alone.
  struct Sharding {
    std::string topic;
    // The topic's partition count, the number of shards (a broker call).
    // An exchange topic is created by it if need be.
    std::function<int()> partitions;
    // Exchange partitions hold contiguous ranges of key groups (shown in
    // the status); a source partition holds whatever keys its producers
    // hashed to it.
    bool key_group_ranges = true;
  };
  std::shared_ptr<const Sharding> sharding;
  // The partitions this run reads, set by the Worker for a split pipeline
  // (null: every partition of its sources).
  std::shared_ptr<const std::set<connectors::PartitionId>> owned_partitions;
};

// Checks names, inputs, factories and parallelism (std::invalid_argument
// naming the pipeline) and returns the graph's topology: order, consumers and
// the numbering of each node's inputs across upstream instances.
dataflow::Topology graph_topology(const PipelineGraph& g);
// The node indices of graph_topology(g) in topological order (sources first).
std::vector<size_t> validate_graph(const PipelineGraph& g);

// The layouts the graph's operators keep their state in, by node (only the
// operators that keep state, with `stateful_only`). Creates each operator
// once; throws std::invalid_argument when a factory returns nothing.
std::map<std::string, ops::StateLayout> state_layouts(const PipelineGraph& g, bool stateful_only = false);

}  // namespace ananas::rt
