// The sink actor: writes batches through its SinkDriver. Detached, because
// the driver may block (a Kafka producer's flush). A checkpoint barrier that
// has arrived on every input means everything before it was written: flush
// until durable, then tell the supervisor, which commits source offsets only
// once every sink has done so.
#include "actors/input_aligner.hpp"
#include "actors/internal/wiring.hpp"

namespace ananas::rt {
namespace {

struct sink_state {
  std::shared_ptr<NodeContext> ctx;
  Wiring wiring;
  std::shared_ptr<SinkDriver> driver;
  std::unique_ptr<InputAligner<InboundBatch>> aligner;
  prometheus::Counter* written = nullptr;
  prometheus::Histogram* latency = nullptr;
  static inline const char* name = "ananas.sink";
};

using sink_self = sink_actor::stateful_pointer<sink_state>;

sink_actor::behavior_type sink_behavior(sink_self self, std::shared_ptr<NodeContext> ctx, Wiring wiring,
                            std::shared_ptr<SinkDriver> driver) {
  install_error_handlers(self, FailureKind::SinkFailed);
  auto& st = self->state;
  st.ctx = ctx;
  st.wiring = std::move(wiring);
  st.driver = std::move(driver);
  st.written = &ctx->metrics->anomalies_emitted(ctx->pipeline, ctx->node, ctx->topic);
  st.latency = &ctx->metrics->batch_latency(ctx->pipeline, ctx->node);
  st.aligner = std::make_unique<InputAligner<InboundBatch>>(
      st.wiring.inputs,
      InputAligner<InboundBatch>::Handlers{
          [self](InboundBatch& in) {
            auto& st = self->state;
            const auto start = std::chrono::steady_clock::now();
            const uint64_t n = st.driver->write(in.batch);
            st.latency->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            if (n) st.written->Increment(static_cast<double>(n));
            return_credit(self, in.sender, in.channel);
          },
          [self](int64_t wm) {
            self->state.ctx->metrics->set_watermark(self->state.ctx->pipeline, self->state.ctx->node, wm);
          },
          [self](uint64_t id) {
            auto& st = self->state;
            st.driver->flush();
            self->send(st.wiring.supervisor, msg::flushed_atom::value, st.ctx->node_id, st.wiring.instance,
                       CheckpointId{id});
          },
      });
  self->send(self, msg::open_atom::value);
  return {
      [self](msg::open_atom) { self->state.driver->open(); },
      [self](msg::batch_atom, InputId input, ChannelId channel, const BatchPtr& b) {
        self->state.aligner->on_batch(input.value(), InboundBatch{b, self->current_sender(), channel});
      },
      [self](msg::wm_atom, InputId input, int64_t wm) { self->state.aligner->on_watermark(input.value(), wm); },
      [self](msg::barrier_atom, InputId input, CheckpointId id) {
        self->state.aligner->on_barrier(input.value(), id.value());
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
