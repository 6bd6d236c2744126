#pragma once
// The Kafka connectors' option checks, offline (nothing connects): what the
// source and the sink would refuse when they open, found when a pipeline is
// validated or translated. The connectors themselves run the same checks.
#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

// topic ('a;b' allowed), scan.startup.* (startup_mode.hpp), properties.*.
void validate_source_options(const Options& options);

// topic (exactly one), sink.partitioner, sink.delivery-guarantee, properties.*.
void validate_sink_options(const Options& options);

// Every properties.* is a librdkafka property with a valid value. The
// bootstrap servers are left out: the worker fills them in later.
void validate_client_properties(const Options& options);

}  // namespace ananas::connectors::kafka
