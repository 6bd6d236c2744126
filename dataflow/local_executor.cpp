#include "dataflow/local_executor.hpp"

#include <stdexcept>

namespace ananas::dataflow {

// One port per node: the host of the node's task. What the task emits goes to
// every consumer right away, which is what makes delivery depth-first.
class LocalExecutor::Port final : public OperatorHost, public SinkHost, public SourceHost {
 public:
  Port(LocalExecutor& ex, size_t node, LocalNode spec) : ex_(ex), node_(node), spec_(std::move(spec)) {}

  void start() {
    const auto& topo = ex_.topology_;
    const auto& decl = topo.node(node_);
    switch (decl.kind) {
      case NodeKind::Source: source_ = std::make_unique<SourceTask>(static_cast<SourceHost&>(*this)); break;
      case NodeKind::Operator: {
        if (!spec_.make_operator) throw std::invalid_argument("operator '" + decl.name + "' has no factory");
        auto op = spec_.make_operator();
        if (!op) throw std::invalid_argument("operator factory of '" + decl.name + "' returned nothing");
        TaskOptions options;
        options.input_slots = topo.input_slots(node_);
        operator_ = std::make_unique<OperatorTask>(std::move(op), topo.input_count(node_),
                                                   static_cast<OperatorHost&>(*this), std::move(options));
        break;
      }
      case NodeKind::Sink:
        if (!spec_.write) throw std::invalid_argument("sink '" + decl.name + "' has no writer");
        sink_ = std::make_unique<SinkTask>(topo.input_count(node_), static_cast<SinkHost&>(*this));
        break;
    }
  }

  // OperatorHost and SourceHost
  void emit_batch(const BatchPtr& batch) override {
    for (const Edge& e : consumers()) ex_.ports_[e.consumer]->deliver_batch(input(e), batch);
  }
  void emit_watermark(int64_t watermark) override {
    for (const Edge& e : consumers()) ex_.ports_[e.consumer]->deliver_watermark(input(e), watermark);
  }
  void emit_barrier(uint64_t id) override {
    for (const Edge& e : consumers()) ex_.ports_[e.consumer]->deliver_barrier(input(e), id);
  }
  void checkpoint(uint64_t id) override {
    if (operator_ && ex_.on_checkpoint) ex_.on_checkpoint(node_, id, operator_->op());
  }

  // SinkHost
  void write(const BatchPtr& batch) override { spec_.write(batch); }
  void on_watermark(int64_t watermark) override {
    if (spec_.on_sink_watermark) spec_.on_sink_watermark(watermark);
  }
  void on_barrier(uint64_t id) override {
    if (spec_.on_sink_barrier) spec_.on_sink_barrier(id);
  }

  void deliver_batch(size_t input, const BatchPtr& batch) {
    if (operator_) operator_->on_batch(input, batch);
    else sink_->on_batch(input, batch);
  }
  void deliver_watermark(size_t input, int64_t watermark) {
    if (operator_) operator_->on_watermark(input, watermark);
    else sink_->on_watermark(input, watermark);
  }
  void deliver_barrier(size_t input, uint64_t id) {
    if (operator_) operator_->on_barrier(input, id);
    else sink_->on_barrier(input, id);
  }

  SourceTask* source() const { return source_.get(); }
  OperatorTask* op_task() const { return operator_.get(); }
  int64_t watermark() const {
    if (source_) return source_->watermark();
    if (operator_) return operator_->watermark();
    return sink_->watermark();
  }

 private:
  const std::vector<Edge>& consumers() const { return ex_.topology_.consumers(node_); }
  size_t input(const Edge& e) const { return ex_.topology_.input_index(e, 0); }

  LocalExecutor& ex_;
  size_t node_;
  LocalNode spec_;
  std::unique_ptr<SourceTask> source_;
  std::unique_ptr<OperatorTask> operator_;
  std::unique_ptr<SinkTask> sink_;
};

LocalExecutor::LocalExecutor(Topology topology, std::vector<LocalNode> nodes) : topology_(std::move(topology)) {
  if (nodes.size() != topology_.size()) throw std::invalid_argument("local executor: one LocalNode per topology node");
  for (size_t i = 0; i < topology_.size(); ++i)
    if (topology_.node(i).parallelism != 1)
      throw std::invalid_argument("local executor: node '" + topology_.node(i).name + "' must have parallelism 1");
  for (size_t i = 0; i < nodes.size(); ++i) ports_.push_back(std::make_unique<Port>(*this, i, std::move(nodes[i])));
  for (auto& p : ports_) p->start();
}

LocalExecutor::~LocalExecutor() = default;

LocalExecutor::Port& LocalExecutor::port(size_t node, NodeKind kind) const {
  if (node >= ports_.size() || topology_.node(node).kind != kind)
    throw std::invalid_argument("local executor: node " + std::to_string(node) + " is not a " +
                                std::string(node_kind_name(kind)));
  return *ports_[node];
}

void LocalExecutor::push(size_t source, const BatchPtr& batch) {
  auto& s = *port(source, NodeKind::Source).source();
  s.on_polled(batch, s.watermark());
}

void LocalExecutor::offer_watermark(size_t source, int64_t watermark) {
  port(source, NodeKind::Source).source()->on_watermark(watermark);
}

void LocalExecutor::end_of_input(size_t source) { port(source, NodeKind::Source).source()->end_of_input(); }

void LocalExecutor::end_of_input() {
  for (size_t i = 0; i < topology_.size(); ++i)
    if (topology_.node(i).kind == NodeKind::Source) end_of_input(i);
}

void LocalExecutor::barrier(size_t source, uint64_t id) { port(source, NodeKind::Source).source()->on_barrier(id); }

void LocalExecutor::advance_processing_time(int64_t now_ms) {
  for (size_t i = 0; i < topology_.size(); ++i)
    if (auto* task = ports_[i]->op_task()) task->on_processing_time(now_ms);
}

const ops::Operator& LocalExecutor::op(size_t node) const { return port(node, NodeKind::Operator).op_task()->op(); }

int64_t LocalExecutor::watermark(size_t node) const { return ports_.at(node)->watermark(); }

}  // namespace ananas::dataflow
