// The source actor: polls its SourceDriver with a bounded timeout and sends
// itself the next poll, so control messages (credit, checkpoints, pause,
// exit) are handled between polls. Detached: the driver blocks.
#include <iostream>
#include "core/log.hpp"

#include "actors/internal/wiring.hpp"

namespace ananas::rt {
namespace {

struct source_state {
  std::shared_ptr<NodeContext> ctx;
  Wiring wiring;
  std::shared_ptr<SourceDriver> driver;
  std::optional<std::string> start_position;
  std::unique_ptr<Outbox> outbox;
  bool opened = false;
  bool paused = false;
  bool finished = false;       // end of input, or draining: no more polls
  bool poll_pending = false;   // a poll message is already in the mailbox
  int64_t watermark = ops::kMinWatermark;
  std::string waiting;  // what the driver last said it waits for
  std::vector<HeldPartition> held;               // partitions holding the watermark back, as last reported
  std::chrono::steady_clock::time_point held_checked{};
  prometheus::Counter* records_in = nullptr;
  prometheus::Counter* source_records = nullptr;
  prometheus::Counter* records_out = nullptr;
  prometheus::Counter* bad_records = nullptr;
  prometheus::Counter* no_value_records = nullptr;
  prometheus::Counter* ignored_parse_errors = nullptr;
  prometheus::Counter* duplicate_records = nullptr;  // made on first use: only exchanges have them
  static inline const char* name = "ananas.source";
};

using source_self = source_actor::stateful_pointer<source_state>;

void schedule_poll(source_self self) {
  auto& st = self->state;
  if (!st.opened || st.paused || st.finished || st.poll_pending) return;
  if (st.outbox->queued_batches() > st.ctx->options.max_queued_batches) return;  // credit will wake us
  st.poll_pending = true;
  self->send(self, msg::poll_atom::value);
}

int64_t wall_clock_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string held_text(const std::vector<HeldPartition>& held) {
  std::string out;
  for (const auto& h : held) {
    const int64_t quiet_s = (wall_clock_now_ms() - h.quiet_since_ms) / 1000;
    out += (out.empty() ? "" : ", ") + h.topic + "[" + std::to_string(h.partition) + "] (no record for " +
           std::to_string(quiet_s) + " s)";
  }
  return out;
}

// Partitions whose silence holds the watermark back: checked once a second
// (the instances of a node share the watermark, so instance 0 speaks for
// them), told once when the set changes, with Flink's remedy.
void report_held_partitions(source_self self) {
  auto& st = self->state;
  if (st.wiring.instance.value() != 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - st.held_checked < std::chrono::seconds(1)) return;
  st.held_checked = now;
  std::vector<HeldPartition> held = st.driver->watermark_held_by();
  if (held == st.held) return;
  if (!held.empty())
    log::warn(st.ctx->pipeline,
              log::cat("source '", st.ctx->node, "': ", held_text(held), " hold", held.size() == 1 ? "s" : "",
                       " the watermark back while the other partitions moved on, so event-time windows and patterns "
                       "wait (as in Flink). If ",
                       held.size() == 1 ? "it stays" : "they stay",
                       " empty, let idle partitions go: SET 'table.exec.source.idle-timeout' = '10 s'; or the table's "
                       "WITH ('scan.watermark.idle-timeout' = '10 s') (pipeline YAML: settings: {idle_timeout: 10s}, or "
                       "idle_timeout: 10s on the source)"));
  else
    log::info(st.ctx->pipeline, log::cat("source '", st.ctx->node, "': no partition holds the watermark back any more"));
  st.held = std::move(held);
  st.ctx->board->set_watermark_held(st.ctx->node, st.held);
  st.ctx->metrics->watermark_held_partitions(st.ctx->pipeline, st.ctx->node).Set(static_cast<double>(st.held.size()));
}

// Connected and waiting state to the status board; a change of what the
// source waits for is logged once, not at every poll.
void report_health(source_self self) {
  auto& st = self->state;
  std::string waiting = st.driver->waiting_for();
  if (waiting != st.waiting) {
    log::info(st.ctx->pipeline, log::cat("source '", st.ctx->node, "': ",
                                         waiting.empty() ? "reading (" + st.waiting + " no longer)" : "waiting: " + waiting));
    st.waiting = std::move(waiting);
  }
  st.ctx->board->set_source_health(st.ctx->node, st.driver->connected(), st.waiting);
  report_held_partitions(self);
}

void advance_watermark(source_self self, int64_t wm) {
  auto& st = self->state;
  if (wm <= st.watermark) return;
  st.watermark = wm;
  st.outbox->broadcast(OutEvent{OutEvent::Type::Watermark, nullptr, wm});
  st.ctx->metrics->set_watermark(st.ctx->pipeline, st.ctx->node, wm);
}

void poll_once(source_self self) {
  auto& st = self->state;
  SourcePoll p = st.driver->poll(st.ctx->options.poll_timeout);
  if (p.batch && !p.batch->empty()) {
    const auto rows = static_cast<double>(p.batch->num_rows());
    st.records_in->Increment(rows);
    st.source_records->Increment(rows);
    st.records_out->Increment(rows);
    route_batch(*st.outbox, st.wiring, p.batch);
  }
  if (p.bad_records) st.bad_records->Increment(static_cast<double>(p.bad_records));
  if (p.no_value_records) st.no_value_records->Increment(static_cast<double>(p.no_value_records));
  if (p.ignored_parse_errors) st.ignored_parse_errors->Increment(static_cast<double>(p.ignored_parse_errors));
  if (p.duplicate_records) {
    if (!st.duplicate_records)
      st.duplicate_records = &st.ctx->metrics->records_without_row(st.ctx->pipeline, st.ctx->topic, "exchange_duplicate");
    st.duplicate_records->Increment(static_cast<double>(p.duplicate_records));
  }
  for (const auto& l : p.lag)
    st.ctx->metrics->consumer_lag(st.ctx->pipeline, l.topic, l.partition).Set(static_cast<double>(l.lag));
  advance_watermark(self, p.watermark);
  if (p.end_of_input) {
    advance_watermark(self, ops::kMaxWatermark);
    st.finished = true;
  }
  report_health(self);
  flush_outbox(self, *st.outbox, st.wiring);
}

// Barrier after everything polled so far; the position it reports is where a
// restart from this checkpoint resumes.
void start_checkpoint(source_self self, CheckpointId id) {
  auto& st = self->state;
  std::string position = st.driver->position();
  st.outbox->broadcast(OutEvent{OutEvent::Type::Barrier, nullptr, static_cast<int64_t>(id.value())});
  flush_outbox(self, *st.outbox, st.wiring);
  self->send(st.wiring.supervisor, msg::position_atom::value, st.ctx->node_id, id, std::move(position));
}

source_actor::behavior_type source_behavior(source_self self, std::shared_ptr<NodeContext> ctx, Wiring wiring,
                              std::shared_ptr<SourceDriver> driver, std::optional<std::string> position,
                              bool paused) {
  install_error_handlers(self, FailureKind::SourceFailed);
  auto& st = self->state;
  st.ctx = ctx;
  st.outbox = std::make_unique<Outbox>(wiring.channels.size(), ctx->options.credit);
  st.wiring = std::move(wiring);
  st.driver = std::move(driver);
  st.start_position = std::move(position);
  st.paused = paused;
  st.records_in = &ctx->metrics->records_in(ctx->pipeline, ctx->node);
  st.source_records = &ctx->metrics->source_records(ctx->pipeline, ctx->node, ctx->topic);
  st.records_out = &ctx->metrics->records_out(ctx->pipeline, ctx->node);
  st.bad_records = &ctx->metrics->bad_records(ctx->pipeline, ctx->topic);
  st.no_value_records = &ctx->metrics->records_without_row(ctx->pipeline, ctx->topic, "no_value");
  st.ignored_parse_errors = &ctx->metrics->records_without_row(ctx->pipeline, ctx->topic, "parse_error_ignored");
  // Opening may block or throw: do it as a message, under the exception handler.
  self->send(self, msg::open_atom::value);
  return {
      [self](msg::open_atom) {
        auto& st = self->state;
        st.driver->open(st.start_position);
        st.opened = true;
        report_health(self);
        schedule_poll(self);
      },
      [self](msg::poll_atom) {
        self->state.poll_pending = false;
        auto& st = self->state;
        if (st.paused || st.finished || st.outbox->queued_batches() > st.ctx->options.max_queued_batches) return;
        poll_once(self);
        schedule_poll(self);
      },
      [self](msg::credit_atom, ChannelId channel, int32_t n) {
        auto& st = self->state;
        st.outbox->grant(channel.value(), n);
        flush_outbox(self, *st.outbox, st.wiring);
        schedule_poll(self);
      },
      [self](msg::ckpt_atom, CheckpointId id) { start_checkpoint(self, id); },
      [self](msg::drain_atom, CheckpointId id) {
        self->state.finished = true;
        start_checkpoint(self, id);
      },
      [self](msg::commit_atom, const std::string& position, bool final) {
        self->state.driver->commit(position, final);
        return caf::ok_atom::value;
      },
      [self](msg::pause_atom) { self->state.paused = true; },
      [self](msg::resume_atom) {
        self->state.paused = false;
        schedule_poll(self);
      },
  };
}

}  // namespace

source_actor spawn_source(caf::local_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                        std::unique_ptr<SourceDriver> driver, std::optional<std::string> position, bool paused) {
  return parent->spawn<caf::monitored + caf::detached>(source_behavior, std::move(ctx), std::move(w),
                                                       std::shared_ptr<SourceDriver>(std::move(driver)),
                                                       std::move(position), paused);
}

}  // namespace ananas::rt
