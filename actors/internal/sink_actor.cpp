// The sink actor: writes batches through its SinkDriver. Detached, because
// the driver may block (a Kafka producer's flush). A checkpoint barrier that
// has arrived on every input means everything before it was written: flush
// until durable, then tell the supervisor, which commits source offsets only
// once every sink has done so.
#include "actors/input_aligner.hpp"
#include "actors/internal/wiring.hpp"

namespace ananas::rt {
namespace {

struct InboundBatch {
  BatchPtr batch;
  caf::strong_actor_ptr sender;
  uint32_t channel = 0;
};

struct sink_state {
  std::shared_ptr<NodeContext> ctx;
  Wiring wiring;
  std::shared_ptr<SinkDriver> driver;
  std::unique_ptr<InputAligner<InboundBatch>> aligner;
  prometheus::Counter* written = nullptr;
  prometheus::Histogram* latency = nullptr;
  static inline const char* name = "ananas.sink";
};

using sink_actor = caf::stateful_actor<sink_state>;

caf::behavior sink_behavior(sink_actor* self, std::shared_ptr<NodeContext> ctx, Wiring wiring,
                            std::shared_ptr<SinkDriver> driver) {
  install_error_handlers(self);
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
            self->send(caf::actor_cast<caf::actor>(in.sender), msg::credit_atom::value, in.channel, int32_t{1});
          },
          [self](int64_t wm) {
            self->state.ctx->metrics->set_watermark(self->state.ctx->pipeline, self->state.ctx->node, wm);
          },
          [self](uint64_t id) {
            auto& st = self->state;
            st.driver->flush();
            self->send(st.wiring.supervisor, msg::flushed_atom::value, st.ctx->node_index, st.wiring.instance, id);
          },
      });
  self->send(self, msg::open_atom::value);
  return {
      [self](msg::open_atom) { self->state.driver->open(); },
      [self](msg::batch_atom, uint32_t input, uint32_t channel, const BatchPtr& b) {
        self->state.aligner->on_batch(input, InboundBatch{b, self->current_sender(), channel});
      },
      [self](msg::wm_atom, uint32_t input, int64_t wm) { self->state.aligner->on_watermark(input, wm); },
      [self](msg::barrier_atom, uint32_t input, uint64_t id) { self->state.aligner->on_barrier(input, id); },
  };
}

}  // namespace

caf::actor spawn_sink(caf::event_based_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                      std::unique_ptr<SinkDriver> driver) {
  return parent->spawn<caf::monitored + caf::detached>(sink_behavior, std::move(ctx), std::move(w),
                                                       std::shared_ptr<SinkDriver>(std::move(driver)));
}

}  // namespace ananas::rt
