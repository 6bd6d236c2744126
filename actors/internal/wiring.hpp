#pragma once
// What every runtime actor is given when it is spawned: who it is, where its
// outputs go, how many inputs it has. Internal (CAF types).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/internal/messages.hpp"
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
  uint32_t node_index = 0;
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
  uint32_t instance = 0;
  size_t inputs = 0;                   // upstream instances feeding this actor
  std::vector<caf::actor> channels;    // downstream instance per channel
  std::vector<uint32_t> channel_input; // our input index at that downstream instance
  std::vector<OutputGroup> groups;
  caf::actor supervisor;
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
    const uint32_t input = w.channel_input[ch];
    switch (e.type) {
      case OutEvent::Type::Batch:
        self->send(dst, msg::batch_atom::value, input, static_cast<uint32_t>(ch), std::move(e.batch));
        break;
      case OutEvent::Type::Watermark:
        self->send(dst, msg::wm_atom::value, input, e.value);
        break;
      case OutEvent::Type::Barrier:
        self->send(dst, msg::barrier_atom::value, input, static_cast<uint64_t>(e.value));
        break;
    }
  });
}

// Exceptions end the actor with an error that carries the message, so the
// supervisor's trace says what went wrong (a handler returning none would
// look like a normal exit and never be restarted).
template <class Self>
void install_error_handlers(Self* self) {
  self->set_exception_handler([](std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      return caf::make_error(caf::sec::runtime_error, std::string(e.what()));
    } catch (...) {
      return caf::make_error(caf::sec::runtime_error, std::string("unknown exception"));
    }
  });
}

// Spawners (each defined in its own file).
caf::actor spawn_source(caf::event_based_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                        std::unique_ptr<SourceDriver> driver, std::optional<std::string> position, bool paused);
caf::actor spawn_operator(caf::event_based_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w, ops::OperatorPtr op);
caf::actor spawn_sink(caf::event_based_actor* parent, std::shared_ptr<NodeContext> ctx, Wiring w,
                      std::unique_ptr<SinkDriver> driver);

}  // namespace ananas::rt
