#include "actors/outbox.hpp"

namespace ananas::rt {

Outbox::Outbox(size_t channels, int initial_credit) : channels_(channels) {
  for (auto& c : channels_) c.credit = initial_credit;
}

void Outbox::push(size_t channel, OutEvent e) {
  if (e.type == OutEvent::Type::Batch) ++queued_batches_;
  channels_[channel].queue.push_back(std::move(e));
}

void Outbox::broadcast(const OutEvent& e) {
  for (size_t ch = 0; ch < channels_.size(); ++ch) push(ch, e);
}

void Outbox::grant(size_t channel, int credit) {
  if (channel < channels_.size()) channels_[channel].credit += credit;
}

}  // namespace ananas::rt
