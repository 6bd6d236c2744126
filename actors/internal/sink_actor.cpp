// The sink actor: a thin shell around one dataflow::SinkTask, writing
// through its SinkDriver. Detached, because the driver may block (a Kafka
// producer's flush). A checkpoint barrier that has arrived on every input
// means everything before it was written: flush until durable, then tell the
// supervisor, which commits source offsets only once every sink has done so.
#include "actors/internal/wiring.hpp"
#include "dataflow/sink_task.hpp"

namespace ananas::rt {
namespace {

struct sink_state : dataflow::SinkHost {
  sink_actor::pointer self = nullptr;
  std::shared_ptr<NodeContext> ctx;
  Wiring wiring;
  std::shared_ptr<SinkDriver> driver;
  std::unique_ptr<dataflow::SinkTask> task;
  // Per input: the upstream actor and the channel its credit goes back on.
  std::vector<InboundBatch> upstream;
  prometheus::Counter* written = nullptr;
  prometheus::Histogram* latency = nullptr;
  SinkDriver::Folding folded;  // what the metrics have of driver->folding()
  prometheus::Counter* rows_folded = nullptr;  // made on first use: only two-phase exchanges fold
  prometheus::Counter* partials_sent = nullptr;
  bool opened = false;
  static inline const char* name = "ananas.sink";

  // CAF runs an actor's initialization when it is first scheduled, so a batch
  // may be in the mailbox before our own open message (a processing-time
  // window restored overdue fires as soon as its operator starts): whatever
  // comes first opens the driver, inside a handler so a failure is reported.
  void open_driver() {
    if (opened) return;
    opened = true;
    driver->open();
  }

  void write(const BatchPtr& batch) override {
    const auto start = std::chrono::steady_clock::now();
    const uint64_t n = driver->write(batch);
    latency->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (n) written->Increment(static_cast<double>(n));
    count_folding();
  }
  void count_folding() {
    const SinkDriver::Folding now = driver->folding();
    if (now.rows == folded.rows && now.partials == folded.partials) return;
    if (!rows_folded) {
      rows_folded = &ctx->metrics->exchange_rows_folded(ctx->pipeline, ctx->node);
      partials_sent = &ctx->metrics->exchange_partials_sent(ctx->pipeline, ctx->node);
    }
    rows_folded->Increment(static_cast<double>(now.rows - folded.rows));
    partials_sent->Increment(static_cast<double>(now.partials - folded.partials));
    folded = now;
  }
  void on_watermark(int64_t wm) override {
    ctx->metrics->set_watermark(ctx->pipeline, ctx->node, wm);
    driver->on_watermark(wm);
    count_folding();
  }
  void on_barrier(uint64_t id) override {
    driver->flush();
    count_folding();
    self->send(wiring.supervisor, msg::flushed_atom::value, ctx->node_id, wiring.instance, CheckpointId{id});
  }
  void consumed(const dataflow::Consumed& c) override {
    return_credit(self, upstream[c.input].sender, upstream[c.input].channel);
  }
};

using sink_self = sink_actor::stateful_pointer<sink_state>;

sink_actor::behavior_type sink_behavior(sink_self self, std::shared_ptr<NodeContext> ctx, Wiring wiring,
                                        std::shared_ptr<SinkDriver> driver) {
  install_error_handlers(self, FailureKind::SinkFailed);
  auto& st = self->state;
  st.self = self;
  st.ctx = ctx;
  st.wiring = std::move(wiring);
  st.driver = std::move(driver);
  st.upstream.resize(st.wiring.inputs);
  st.written = &ctx->metrics->anomalies_emitted(ctx->pipeline, ctx->node, ctx->topic);
  st.latency = &ctx->metrics->batch_latency(ctx->pipeline, ctx->node);
  st.task = std::make_unique<dataflow::SinkTask>(st.wiring.inputs, st);
  self->send(self, msg::open_atom::value);
  return {
      [self](msg::open_atom) { self->state.open_driver(); },
      [self](msg::committed_atom, CheckpointId) { self->state.driver->checkpoint_committed(); },
      [self](msg::batch_atom, InputId input, ChannelId channel, const BatchPtr& b) {
        self->state.open_driver();
        auto& up = self->state.upstream.at(input.value());
        if (!up.sender) up = InboundBatch{nullptr, self->current_sender(), channel};
        self->state.task->on_batch(input.value(), b);
      },
      [self](msg::wm_atom, InputId input, int64_t wm) {
        self->state.open_driver();
        self->state.task->on_watermark(input.value(), wm);
      },
      [self](msg::barrier_atom, InputId input, CheckpointId id) {
        self->state.open_driver();
        self->state.task->on_barrier(input.value(), id.value());
      },
  };
}

}  // namespace

sink_actor spawn_sink(caf::local_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                      std::unique_ptr<SinkDriver> driver) {
  return parent->spawn<caf::monitored + caf::detached>(sink_behavior, std::move(ctx), std::move(w),
                                                       std::shared_ptr<SinkDriver>(std::move(driver)));
}

}  // namespace ananas::rt
