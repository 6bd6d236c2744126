#pragma once
// Keyed exchanges through Kafka, the first step of scale-out for stateful
// pipelines. When the workers of a group split a pipeline's sources by
// partition, a pipeline with a keyed operator cannot simply run on each of
// them: every worker would count its own share of each key. So, with the
// worker config `group.exchange` on, such a pipeline is cut in two at its
// first keyed operator, as Kafka Streams cuts a topology into
// sub-topologies at a repartition topic:
//
//   <pipeline>.scan   sources -> stateless operators -> exchange sink
//                     runs on every worker over its share of the source
//                     partitions (decoding, UNNEST and filters: most of the
//                     work), writing the rows that reach the keyed operator
//                     to ananas-<pipeline>-<operator>-exchange, partitioned
//                     by its key, with watermark records
//                     (exchange_sink_driver.hpp);
//   <pipeline>        exchange source -> the keyed operator and everything
//                     after it -> sinks; runs once per exchange partition
//                     (a shard), each shard on the worker the group gives
//                     that partition to (its own group over the exchange
//                     topic). The exchange partitions are cut along key
//                     groups, so a shard's state is that of a contiguous
//                     range of key groups: it checkpoints it to its own
//                     partition of each changelog topic, under its own key
//                     in the checkpoints topic (state::StateShard), and the
//                     next owner of the partition restores exactly that.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/drivers/pipeline_dead_letters.hpp"
#include "actors/drivers/worker_settings.hpp"
#include "actors/pipeline_graph.hpp"
#include "core/schema.hpp"
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::rt::drivers {

struct ExchangePlan {
  std::string keyed_operator;       // the first operator that keeps state
  std::string input;                // the node that feeds it, in the scan part
  std::vector<size_t> key_columns;  // of that node's rows: the operator's key (none: one partition)
  Schema schema;                    // of that node's rows
  // The columns of those rows the keyed operator reads (OperatorKind::
  // columns_read): the exchange carries these and nulls the others, so a
  // GROUP BY after UNNEST does not send the whole order once per element.
  // Nullopt: every column.
  std::optional<std::vector<size_t>> columns;
  // Set when the keyed operator runs in two phases (a rowtime window
  // aggregation, unless settings.agg_phase_strategy is one_phase): the
  // exchange's writers fold rows into partials, and the keyed part runs the
  // global phase (operators/window_partials.hpp).
  std::optional<pipeline::TwoPhaseBinding> two_phase;
};

// Where a pipeline is cut when its sources are split: at the one operator
// that keeps state and reads from the stateless part. Nothing when every
// operator is stateless (the pipeline splits whole), or when the stateless
// part feeds more than one such operator (the pipeline runs whole, on one
// worker, as without an exchange).
std::optional<ExchangePlan> plan_exchange(const pipeline::BuiltPipeline& built);

// The two graphs `whole` becomes (scan first). `source_topics`: the topics
// the scan part splits; `kafka`: the worker's brokers (properties.*).
std::vector<PipelineGraph> split_at_exchange(const PipelineGraph& whole, const ExchangePlan& plan,
                                             const std::vector<std::string>& source_topics,
                                             const connectors::Options& kafka, const WorkerSettings& settings,
                                             std::shared_ptr<PipelineDeadLetters> dead_letters);

// The name of the scan part of `pipeline`.
std::string scan_pipeline_name(const std::string& pipeline);

}  // namespace ananas::rt::drivers
