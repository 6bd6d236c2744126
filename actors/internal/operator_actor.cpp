// The generic operator actor: a thin shell around any ops::Operator.
// batch -> process -> route outputs; watermark -> align (min over inputs) ->
// on_watermark -> route outputs, then forward the watermark; barrier -> align
// -> snapshot to the supervisor -> forward the barrier.
#include <chrono>

#include "actors/input_aligner.hpp"
#include "actors/internal/wiring.hpp"

namespace ananas::rt {
namespace {

struct operator_state {
  std::shared_ptr<NodeContext> ctx;
  Wiring wiring;
  std::shared_ptr<ops::Operator> op;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<InputAligner<InboundBatch>> aligner;
  // Credit withheld while our own outputs wait for downstream credit.
  std::vector<std::pair<caf::strong_actor_ptr, ChannelId>> owed_credit;
  std::vector<BatchPtr> scratch;
  uint64_t late_seen = 0;
  prometheus::Counter* records_in = nullptr;
  prometheus::Counter* records_out = nullptr;
  prometheus::Counter* late_dropped = nullptr;
  prometheus::Histogram* latency = nullptr;
  static inline const char* name = "ananas.operator";
};

using operator_self = operator_actor::stateful_pointer<operator_state>;

void pay_owed_credit(operator_self self) {
  auto& st = self->state;
  if (st.outbox->queued_batches() > st.ctx->options.max_queued_batches) return;
  for (auto& [to, ch] : st.owed_credit) return_credit(self, to, ch);
  st.owed_credit.clear();
}

void emit(operator_self self) {
  auto& st = self->state;
  uint64_t rows = 0;
  for (const auto& b : st.scratch) {
    if (!b) continue;
    rows += b->num_rows();
    route_batch(*st.outbox, st.wiring, b);
  }
  st.scratch.clear();
  if (rows) st.records_out->Increment(static_cast<double>(rows));
  const auto dropped = st.op->stats().late_records_dropped;
  if (dropped > st.late_seen) {
    st.late_dropped->Increment(static_cast<double>(dropped - st.late_seen));
    st.late_seen = dropped;
  }
}

void on_input_batch(operator_self self, InboundBatch& in) {
  auto& st = self->state;
  const auto start = std::chrono::steady_clock::now();
  st.op->process(in.batch, st.scratch);
  st.latency->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  st.records_in->Increment(static_cast<double>(in.batch->num_rows()));
  emit(self);
  st.owed_credit.emplace_back(std::move(in.sender), in.channel);
  flush_outbox(self, *st.outbox, st.wiring);
  pay_owed_credit(self);
}

void on_aligned_watermark(operator_self self, int64_t wm) {
  auto& st = self->state;
  st.op->on_watermark(wm, st.scratch);
  emit(self);
  st.outbox->broadcast(OutEvent{OutEvent::Type::Watermark, nullptr, wm});
  flush_outbox(self, *st.outbox, st.wiring);
  st.ctx->metrics->set_watermark(st.ctx->pipeline, st.ctx->node, wm);
}

void on_aligned_barrier(operator_self self, CheckpointId id) {
  auto& st = self->state;
  StateWriter w;
  st.op->snapshot(w);
  self->send(st.wiring.supervisor, msg::snapshot_atom::value, st.ctx->node_id, st.wiring.instance, id, w.take());
  st.outbox->broadcast(OutEvent{OutEvent::Type::Barrier, nullptr, static_cast<int64_t>(id.value())});
  flush_outbox(self, *st.outbox, st.wiring);
}

operator_actor::behavior_type operator_behavior(operator_self self, std::shared_ptr<NodeContext> ctx, Wiring wiring,
                                std::shared_ptr<ops::Operator> op) {
  install_error_handlers(self, FailureKind::OperatorFailed);
  auto& st = self->state;
  st.ctx = ctx;
  st.op = std::move(op);
  st.outbox = std::make_unique<Outbox>(wiring.channels.size(), ctx->options.credit);
  st.wiring = std::move(wiring);
  auto& m = *ctx->metrics;
  st.records_in = &m.records_in(ctx->pipeline, ctx->node);
  st.records_out = &m.records_out(ctx->pipeline, ctx->node);
  st.late_dropped = &m.late_records_dropped(ctx->pipeline, ctx->node);
  st.latency = &m.batch_latency(ctx->pipeline, ctx->node);
  st.late_seen = st.op->stats().late_records_dropped;
  st.aligner = std::make_unique<InputAligner<InboundBatch>>(
      st.wiring.inputs, InputAligner<InboundBatch>::Handlers{
                            [self](InboundBatch& b) { on_input_batch(self, b); },
                            [self](int64_t wm) { on_aligned_watermark(self, wm); },
                            [self](uint64_t id) { on_aligned_barrier(self, CheckpointId{id}); },
                        });
  return {
      [self](msg::batch_atom, InputId input, ChannelId channel, const BatchPtr& b) {
        self->state.aligner->on_batch(input.value(), InboundBatch{b, self->current_sender(), channel});
      },
      [self](msg::wm_atom, InputId input, int64_t wm) { self->state.aligner->on_watermark(input.value(), wm); },
      [self](msg::barrier_atom, InputId input, CheckpointId id) {
        self->state.aligner->on_barrier(input.value(), id.value());
      },
      [self](msg::credit_atom, ChannelId channel, int32_t n) {
        auto& st = self->state;
        st.outbox->grant(channel.value(), n);
        flush_outbox(self, *st.outbox, st.wiring);
        pay_owed_credit(self);
      },
  };
}

}  // namespace

operator_actor spawn_operator(caf::local_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                          ops::OperatorPtr op) {
  return parent->spawn<caf::monitored>(operator_behavior, std::move(ctx), std::move(w),
                                       std::shared_ptr<ops::Operator>(std::move(op)));
}

}  // namespace ananas::rt
