#pragma once
// What the worker's configuration contributes to every pipeline it runs.
#include <string>

#include "actors/pipeline_graph.hpp"

namespace ananas::rt::drivers {

struct WorkerSettings {
  // Fills a table's empty or non-address `properties.bootstrap.servers` (the
  // tutorial's "integration": its tables hold '' or a topic name there).
  std::string bootstrap_servers;
  RuntimeOptions runtime;  // a pipeline's `settings: checkpoint_interval` overrides the interval
};

}  // namespace ananas::rt::drivers
