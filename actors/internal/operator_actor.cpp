// The operator actor: a thin shell around one dataflow::OperatorTask, which
// holds the graph semantics (watermark alignment and propagation, aligned
// barriers, the order of outputs). The actor translates messages into task
// calls and task outputs into messages, returns credit once a batch was
// consumed, and updates metrics.
#include <algorithm>
#include <chrono>
#include <optional>

#include "actors/internal/wiring.hpp"
#include "core/processing_clock.hpp"
#include "dataflow/operator_task.hpp"

namespace ananas::rt {
namespace {

struct operator_state : dataflow::OperatorHost {
  operator_actor::pointer self = nullptr;
  std::shared_ptr<NodeContext> ctx;
  Wiring wiring;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<dataflow::OperatorTask> task;
  // Per input: the upstream actor and the channel it sends on (learned from
  // its first batch; an input always has the same sender).
  std::vector<InboundBatch> upstream;
  // Credit withheld while our own outputs wait for downstream credit.
  std::vector<size_t> owed_credit;  // inputs
  uint64_t late_seen = 0;
  // The processing time (epoch ms) of the earliest ptimer message on its way.
  std::optional<int64_t> timer_scheduled;
  prometheus::Counter* records_in = nullptr;
  prometheus::Counter* records_out = nullptr;
  prometheus::Counter* late_dropped = nullptr;
  prometheus::Histogram* latency = nullptr;
  static inline const char* name = "ananas.operator";

  void emit_batch(const BatchPtr& batch) override {
    records_out->Increment(static_cast<double>(batch->num_rows()));
    route_batch(*outbox, wiring, batch);
  }
  void emit_watermark(int64_t wm) override {
    outbox->broadcast(OutEvent{OutEvent::Type::Watermark, nullptr, wm});
    ctx->metrics->set_watermark(ctx->pipeline, ctx->node, wm);
  }
  void emit_barrier(uint64_t id) override {
    outbox->broadcast(OutEvent{OutEvent::Type::Barrier, nullptr, static_cast<int64_t>(id)});
  }
  // The operator's snapshot for checkpoint `id` goes to the supervisor, which
  // keeps it until the checkpoint completes.
  void checkpoint(uint64_t id) override {
    StateWriter w;
    task->op().snapshot(w);
    self->send(wiring.supervisor, msg::snapshot_atom::value, ctx->node_id, wiring.instance, CheckpointId{id}, w.take());
  }
  void consumed(const dataflow::Consumed& c) override {
    latency->Observe(std::chrono::duration<double>(c.elapsed).count());
    records_in->Increment(static_cast<double>(c.rows));
    owed_credit.push_back(c.input);
  }
};

using operator_self = operator_actor::stateful_pointer<operator_state>;

void pay_owed_credit(operator_self self) {
  auto& st = self->state;
  if (st.outbox->queued_batches() > st.ctx->options.max_queued_batches) return;
  for (size_t input : st.owed_credit) return_credit(self, st.upstream[input].sender, st.upstream[input].channel);
  st.owed_credit.clear();
}

// The operator's next processing-time timer becomes a delayed message to
// ourselves, unless an earlier one is on its way already (a stale later one
// only wakes us to find nothing due).
void schedule_processing_timer(operator_self self) {
  auto& st = self->state;
  const auto due = st.task->next_processing_timer();
  if (!due || (st.timer_scheduled && *st.timer_scheduled <= *due)) return;
  st.timer_scheduled = due;
  const int64_t delay_ms = std::max<int64_t>(0, *due - processing_time_now_ms());
  self->delayed_send(self, std::chrono::milliseconds(delay_ms), msg::ptimer_atom::value, *due);
}

// After every message: count late drops, send what the credit allows, return
// the credit our outputs no longer hold back, and ask for the next timer.
void settle(operator_self self) {
  auto& st = self->state;
  schedule_processing_timer(self);
  const auto dropped = st.task->op().stats().late_records_dropped;
  if (dropped > st.late_seen) {
    st.late_dropped->Increment(static_cast<double>(dropped - st.late_seen));
    st.late_seen = dropped;
  }
  flush_outbox(self, *st.outbox, st.wiring);
  pay_owed_credit(self);
}

// `op` comes in a shared box because CAF copies spawn arguments; the task
// takes the operator out of it.
operator_actor::behavior_type operator_behavior(operator_self self, std::shared_ptr<NodeContext> ctx, Wiring wiring,
                                                std::shared_ptr<ops::OperatorPtr> op) {
  install_error_handlers(self, FailureKind::OperatorFailed);
  auto& st = self->state;
  st.self = self;
  st.ctx = ctx;
  st.outbox = std::make_unique<Outbox>(wiring.channels.size(), ctx->options.credit);
  st.wiring = std::move(wiring);
  st.upstream.resize(st.wiring.inputs);
  auto& m = *ctx->metrics;
  st.records_in = &m.records_in(ctx->pipeline, ctx->node);
  st.records_out = &m.records_out(ctx->pipeline, ctx->node);
  st.late_dropped = &m.late_records_dropped(ctx->pipeline, ctx->node);
  // At 0 from the start (the row error sink counts into it): dashboards and
  // alerts see the series before the first error.
  m.row_errors(ctx->pipeline, ctx->node);
  st.latency = &m.batch_latency(ctx->pipeline, ctx->node);
  st.late_seen = (*op)->stats().late_records_dropped;
  st.task = std::make_unique<dataflow::OperatorTask>(std::move(*op), st.wiring.inputs, st,
                                                     dataflow::TaskOptions{true, st.wiring.input_slots});
  return {
      [self](msg::batch_atom, InputId input, ChannelId channel, const BatchPtr& b) {
        auto& up = self->state.upstream.at(input.value());
        if (!up.sender) up = InboundBatch{nullptr, self->current_sender(), channel};
        self->state.task->on_batch(input.value(), b);
        settle(self);
      },
      [self](msg::wm_atom, InputId input, int64_t wm) {
        self->state.task->on_watermark(input.value(), wm);
        settle(self);
      },
      [self](msg::barrier_atom, InputId input, CheckpointId id) {
        self->state.task->on_barrier(input.value(), id.value());
        settle(self);
      },
      [self](msg::ptimer_atom, int64_t due) {
        auto& st = self->state;
        if (st.timer_scheduled == due) st.timer_scheduled.reset();
        st.task->on_processing_time(processing_time_now_ms());
        settle(self);
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
                                       std::make_shared<ops::OperatorPtr>(std::move(op)));
}

}  // namespace ananas::rt
