#pragma once
// What every runtime actor is given when it is spawned: who it is, where its
// outputs go, how many inputs it has. Internal (CAF types).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/internal/actor_interfaces.hpp"
#include "actors/internal/errors.hpp"
#include "actors/metrics.hpp"
#include "actors/outbox.hpp"
#include "actors/partitioner.hpp"
#include "actors/pipeline_graph.hpp"
#include "actors/pipeline_status.hpp"

namespace ananas::rt {

struct NodeContext {
  std::string pipeline;
  std::string node;
  std::string topic;
  NodeId node_id{0};
  RuntimeOptions options;
  std::shared_ptr<Metrics> metrics;
  std::shared_ptr<StatusBoard> board;
};

// One downstream node: its instances' channels and the key that picks one.
struct OutputGroup {
  std::vector<uint32_t> channels;
  std::vector<size_t> key_columns;
};

struct Wiring {
  InstanceId instance{0};
  size_t inputs = 0;                       // upstream instances feeding this actor
  std::vector<size_t> input_slots;         // per input: the slot of the node's inputs it comes from
  std::vector<consumer_actor> channels;    // downstream instance per channel (index = ChannelId)
  std::vector<InputId> channel_input;      // our input at that downstream instance
  std::vector<OutputGroup> groups;
  supervisor_actor supervisor;
};

// Queues `batch` for every downstream node, partitioned by that node's key.
inline void route_batch(Outbox& outbox, const Wiring& w, const BatchPtr& batch) {
  if (!batch || batch->empty()) return;
  for (const auto& g : w.groups) {
    auto parts = partition_batch(batch, g.key_columns, g.channels.size());
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i]) outbox.push(g.channels[i], OutEvent{OutEvent::Type::Batch, parts[i], 0});
  }
}

// Sends what the credit allows.
template <class Self>
void flush_outbox(Self* self, Outbox& outbox, const Wiring& w) {
  outbox.flush([&](size_t ch, OutEvent&& e) {
    const auto& dst = w.channels[ch];
    const InputId input = w.channel_input[ch];
    switch (e.type) {
      case OutEvent::Type::Batch:
        self->send(dst, msg::batch_atom::value, input, ChannelId{static_cast<uint32_t>(ch)}, std::move(e.batch));
        break;
      case OutEvent::Type::Watermark:
        self->send(dst, msg::wm_atom::value, input, e.value);
        break;
      case OutEvent::Type::Barrier:
        self->send(dst, msg::barrier_atom::value, input, CheckpointId{static_cast<uint64_t>(e.value)});
        break;
    }
  });
}

// A batch as a consumer holds it until it is handled (the input aligner may
// hold it behind a barrier): the batch, and where its credit goes back.
struct InboundBatch {
  BatchPtr batch;
  caf::strong_actor_ptr sender;
  ChannelId channel{0};
};

// Returns one credit on `channel` to the actor that sent a batch. The sender
// of a batch is always a producer (source or operator): only they hold
// consumer handles.
template <class Self>
void return_credit(Self* self, const caf::strong_actor_ptr& to, ChannelId channel) {
  self->send(caf::actor_cast<producer_actor>(to), msg::credit_atom::value, channel, int32_t{1});
}

// Exceptions end the actor with an error of `kind` that carries the message,
// so the supervisor's trace says what went wrong and its counters say which
// kind of failure it was (a handler returning none would look like a normal
// exit and never be restarted).
template <class Self>
void install_error_handlers(Self* self, FailureKind kind) {
  self->set_exception_handler([kind](std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      return make_error(kind, std::string(e.what()));
    } catch (...) {
      return make_error(kind, std::string("unknown exception"));
    }
  });
}

// Spawners (each defined in its own file). The parent monitors the child.
source_actor spawn_source(caf::local_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                          std::unique_ptr<SourceDriver> driver, std::optional<std::string> position, bool paused);
operator_actor spawn_operator(caf::local_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                              ops::OperatorPtr op);
sink_actor spawn_sink(caf::local_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                      std::unique_ptr<SinkDriver> driver);

}  // namespace ananas::rt
