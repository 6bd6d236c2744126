#include "actors/drivers/pipeline_dead_letters.hpp"

#include <vector>

namespace ananas::rt::drivers {

PipelineDeadLetters::PipelineDeadLetters(std::string pipeline, std::string topic)
    : pipeline_(std::move(pipeline)), topic_(std::move(topic)) {}

void PipelineDeadLetters::route(const std::string& table, const connectors::Options& table_options) {
  std::lock_guard lock(mutex_);
  routes_[table] = dead_letter_producer_options(table_options);
}

void PipelineDeadLetters::send(std::string_view table, const connectors::RawRecord& record, const std::string& error,
                               const std::string& node) {
  DeadLetterProducer* producer = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto route = routes_.find(table);
    if (route == routes_.end())
      throw connectors::ConnectorError("dead-letter topic '" + topic_ + "': no brokers known for table '" +
                                       std::string(table) + "'");
    auto& slot = producers_[route->second];
    if (!slot) slot = std::make_unique<DeadLetterProducer>(route->second, topic_, pipeline_);
    producer = slot.get();
  }
  producer->send(record, error, node);
}

void PipelineDeadLetters::flush(std::chrono::milliseconds timeout) {
  std::vector<DeadLetterProducer*> producers;
  {
    std::lock_guard lock(mutex_);
    for (auto& [options, p] : producers_) producers.push_back(p.get());
  }
  for (DeadLetterProducer* p : producers) p->flush(timeout);
}

uint64_t PipelineDeadLetters::pending() const {
  std::lock_guard lock(mutex_);
  uint64_t n = 0;
  for (const auto& [options, p] : producers_) n += p->pending();
  return n;
}

}  // namespace ananas::rt::drivers
