#pragma once
// Receiver side of a node with several inputs (upstream instances):
//  - watermarks: the node's watermark is the minimum over its inputs; a
//    callback fires each time that minimum advances;
//  - aligned checkpoint barriers: once an input delivered barrier n, its later
//    messages are held back until every input delivered barrier n, so the
//    snapshot contains exactly the data before the barrier.
// `Token` is what the host needs to handle a batch later (the batch and where
// to return the credit); the aligner only stores and replays it.
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "operators/operator.hpp"

namespace ananas::dataflow {

template <class Token>
class InputAligner {
 public:
  struct Handlers {
    std::function<void(Token&)> batch;
    std::function<void(int64_t)> watermark;  // the new minimum
    std::function<void(uint64_t)> barrier;   // all inputs delivered this barrier
  };

  InputAligner(size_t inputs, Handlers h) : inputs_(inputs), h_(std::move(h)) {}

  void on_batch(size_t input, Token t) {
    if (inputs_[input].blocked) return inputs_[input].held.push_back(Held{Kind::Batch, std::move(t), 0});
    h_.batch(t);
  }

  void on_watermark(size_t input, int64_t wm) {
    if (inputs_[input].blocked) return inputs_[input].held.push_back(Held{Kind::Watermark, Token{}, wm});
    auto& in = inputs_[input];
    if (wm <= in.watermark) return;
    in.watermark = wm;
    int64_t min = ops::kMaxWatermark;
    for (const auto& i : inputs_) min = std::min(min, i.watermark);
    if (min > current_) {
      current_ = min;
      h_.watermark(min);
    }
  }

  void on_barrier(size_t input, uint64_t id) {
    if (inputs_[input].blocked)
      return inputs_[input].held.push_back(Held{Kind::Barrier, Token{}, static_cast<int64_t>(id)});
    inputs_[input].blocked = true;
    if (++blocked_count_ < inputs_.size()) return;
    h_.barrier(id);
    blocked_count_ = 0;
    // Unblock and replay in arrival order; a held barrier may block an input again.
    std::vector<std::deque<Held>> replay(inputs_.size());
    for (size_t i = 0; i < inputs_.size(); ++i) {
      inputs_[i].blocked = false;
      replay[i].swap(inputs_[i].held);
    }
    for (size_t i = 0; i < replay.size(); ++i)
      for (auto& m : replay[i]) {
        switch (m.kind) {
          case Kind::Batch: on_batch(i, std::move(m.token)); break;
          case Kind::Watermark: on_watermark(i, m.value); break;
          case Kind::Barrier: on_barrier(i, static_cast<uint64_t>(m.value)); break;
        }
      }
  }

  int64_t watermark() const { return current_; }
  size_t inputs() const { return inputs_.size(); }
  size_t held() const {
    size_t n = 0;
    for (const auto& i : inputs_) n += i.held.size();
    return n;
  }

 private:
  enum class Kind { Batch, Watermark, Barrier };
  struct Held {
    Kind kind;
    Token token;
    int64_t value;
  };
  struct Input {
    int64_t watermark = ops::kMinWatermark;
    bool blocked = false;
    std::deque<Held> held;
  };
  std::vector<Input> inputs_;
  Handlers h_;
  int64_t current_ = ops::kMinWatermark;
  size_t blocked_count_ = 0;
};

}  // namespace ananas::dataflow
