#pragma once
// The in-process driver of an operator graph: `ananas replay`/`ananas test`
// and the engine benchmark run a pipeline through it. It hosts the same
// OperatorTask, SinkTask and SourceTask the worker's actors host, one instance
// per node, and delivers synchronously, depth-first: a batch or watermark a
// node emits reaches each consumer (in consumer index order) and everything
// that consumer emits in turn, before the next consumer sees it.
//
// The caller plays the sources: it pushes their batches, offers their
// watermarks and ends their input; sinks hand each batch to a writer.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "dataflow/operator_task.hpp"
#include "dataflow/sink_task.hpp"
#include "dataflow/source_task.hpp"
#include "dataflow/topology.hpp"

namespace ananas::dataflow {

// What the executor runs at one node, by the node's kind.
struct LocalNode {
  std::function<ops::OperatorPtr()> make_operator;       // operator nodes
  std::function<void(const BatchPtr&)> write;            // sink nodes
  std::function<void(int64_t)> on_sink_watermark;        // sink nodes, optional
  std::function<void(uint64_t)> on_sink_barrier;         // sink nodes, optional
};

class LocalExecutor {
 public:
  // `nodes[i]` belongs to `topology.node(i)`. Every node runs one instance, so
  // the topology must declare parallelism 1 throughout (std::invalid_argument).
  LocalExecutor(Topology topology, std::vector<LocalNode> nodes);
  ~LocalExecutor();
  LocalExecutor(const LocalExecutor&) = delete;
  LocalExecutor& operator=(const LocalExecutor&) = delete;

  // Source node `source` produced `batch` (null or empty: nothing happens).
  void push(size_t source, const BatchPtr& batch);
  // The watermark of `source`; emitted only if it advanced.
  void offer_watermark(size_t source, int64_t watermark);
  // The end of one source's input (watermark +inf), or of every source in node order.
  void end_of_input(size_t source);
  void end_of_input();
  // Checkpoint barrier `id` at `source`, after everything pushed so far; an
  // operator snapshot is offered to `on_checkpoint` once it is aligned.
  void barrier(size_t source, uint64_t id);
  // Processing time is `now_ms`: every operator whose processing-time timer is
  // due fires, in node order (what it emits is delivered depth-first as any
  // batch). The caller decides when time passes; end_of_input() fires no
  // processing-time timer (as Flink, which drops them when a bounded input ends).
  void advance_processing_time(int64_t now_ms);
  std::function<void(size_t node, uint64_t id, const ops::Operator&)> on_checkpoint;

  const Topology& topology() const { return topology_; }
  // The operator at operator node `node`.
  const ops::Operator& op(size_t node) const;
  // Current watermark of any node (a source's own, an operator's or sink's aligned minimum).
  int64_t watermark(size_t node) const;

 private:
  class Port;  // one node's host: fans its outputs out to its consumers
  Port& port(size_t node, NodeKind kind) const;

  Topology topology_;
  std::vector<std::unique_ptr<Port>> ports_;  // by node index
};

}  // namespace ananas::dataflow
