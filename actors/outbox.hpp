#pragma once
// Credit-based flow control, sender side. Each output channel (one edge to
// one downstream instance) starts with `credit` batches it may send; the
// receiver returns one credit per batch it has consumed. Batches without
// credit wait here in order, and watermarks/barriers queue behind them so
// per-channel order is kept. The owning actor stops taking input (polling, or
// returning credit upstream) while too many batches wait: that is what makes
// a slow sink slow the source down instead of growing memory.
#include <cstdint>
#include <deque>
#include <vector>

#include "core/batch.hpp"

namespace ananas::rt {

struct OutEvent {
  enum class Type { Batch, Watermark, Barrier };
  Type type = Type::Batch;
  BatchPtr batch;     // Batch
  int64_t value = 0;  // Watermark: the watermark; Barrier: the checkpoint id
};

class Outbox {
 public:
  Outbox(size_t channels, int initial_credit);

  void push(size_t channel, OutEvent e);
  void broadcast(const OutEvent& e);
  void grant(size_t channel, int credit);

  // Sends everything the credit allows: send(channel, event).
  template <class Send>
  void flush(Send&& send) {
    for (size_t ch = 0; ch < channels_.size(); ++ch) {
      auto& c = channels_[ch];
      while (!c.queue.empty()) {
        auto& e = c.queue.front();
        if (e.type == OutEvent::Type::Batch) {
          if (c.credit <= 0) break;
          --c.credit;
          --queued_batches_;
        }
        send(ch, std::move(e));
        c.queue.pop_front();
      }
    }
  }

  size_t queued_batches() const { return queued_batches_; }
  size_t channels() const { return channels_.size(); }
  int credit(size_t channel) const { return channels_[channel].credit; }

 private:
  struct Channel {
    int credit = 0;
    std::deque<OutEvent> queue;
  };
  std::vector<Channel> channels_;
  size_t queued_batches_ = 0;
};

}  // namespace ananas::rt
