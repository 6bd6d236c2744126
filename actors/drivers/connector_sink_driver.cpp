#include "actors/drivers/connector_sink_driver.hpp"
#include "core/log.hpp"

#include <iostream>
#include <stdexcept>

#include "connectors/connector_registry.hpp"

namespace ananas::rt::drivers {

ConnectorSinkDriver::ConnectorSinkDriver(SinkDriverSpec spec, std::shared_ptr<const pipeline::BuiltSink> built)
    : spec_(std::move(spec)), built_(std::move(built)) {}

ConnectorSinkDriver::~ConnectorSinkDriver() {
  if (connector_) connector_->close();
}

void ConnectorSinkDriver::open() {
  connectors::ConnectorContext context;
  context.pipeline = spec_.pipeline;
  context.table = built_->spec->name;
  context.note = [pipeline = spec_.pipeline](const std::string& note) { log::info(pipeline, note); };
  context.transaction = spec_.transaction;
  connector_ = connectors::default_registry().create_sink(spec_.connector, spec_.options, context);
}

uint64_t ConnectorSinkDriver::write(const BatchPtr& batch) {
  if (!connector_) throw std::logic_error("sink driver written before open()");
  if (!batch || batch->empty()) return 0;
  records_.clear();
  pipeline::encode_sink_records(*built_, *batch, records_);
  connector_->write_batch(records_.for_connector());
  return records_.size();
}

void ConnectorSinkDriver::checkpoint_committed() {
  if (connector_) connector_->checkpoint_committed();
}

void ConnectorSinkDriver::flush() {
  if (!connector_) return;
  auto failures = connector_->flush(spec_.flush_timeout);
  if (!failures.empty()) {
    std::string message = "sink '" + built_->name + "': " + std::to_string(failures.size()) +
                          " record(s) not delivered to '" + built_->topic + "': " + failures.front().message;
    throw std::runtime_error(message);
  }
  if (spec_.dead_letters) {
    try {
      spec_.dead_letters->flush(spec_.flush_timeout);
    } catch (const std::exception& e) {
      throw std::runtime_error("sink '" + built_->name + "': flushing the pipeline's dead letters: " + e.what());
    }
  }
}

}  // namespace ananas::rt::drivers
