#pragma once
// The per-pipeline supervisor actor. Internal (CAF types).
//
// It spawns every actor of the pipeline, runs periodic aligned checkpoints
// (sources inject barriers; operators snapshot; sinks flush), commits source
// positions once a checkpoint is complete, and on any actor failure tears the
// pipeline down and restarts it from the last completed checkpoint, as the
// restart strategy allows. Its messages: supervisor_actor in
// actor_interfaces.hpp.
#include <memory>

#include "actors/internal/actor_interfaces.hpp"
#include "actors/metrics.hpp"
#include "actors/pipeline_graph.hpp"
#include "actors/pipeline_status.hpp"

namespace ananas::rt {

supervisor_actor spawn_supervisor(caf::actor_system& sys, PipelineGraph graph, std::shared_ptr<Metrics> metrics,
                            std::shared_ptr<StatusBoard> board);

}  // namespace ananas::rt
