#pragma once
// The runtime's identifiers as distinct types (see named_type.hpp): a node
// index, an instance number and a checkpoint id cannot be swapped by mistake
// in a message or a call.
#include <cstdint>

#include "core/named_type.hpp"

namespace ananas {

// A node of a pipeline graph, by its index in PipelineGraph::nodes.
using NodeId = named_type<uint32_t, struct node_id_tag>;
// One of a node's parallel instances, 0 .. parallelism-1.
using InstanceId = named_type<uint32_t, struct instance_id_tag>;
// One output edge of an actor (to one downstream instance); credit is per channel.
using ChannelId = named_type<uint32_t, struct channel_id_tag>;
// One input of an actor (one upstream instance), numbered across all its upstream nodes.
using InputId = named_type<uint32_t, struct input_id_tag>;
// A Kafka partition of a topic.
using PartitionId = named_type<int32_t, struct partition_id_tag>;
// A Kafka offset within a partition.
using Offset = named_type<int64_t, struct offset_tag>;
// An aligned checkpoint; 0 means "none yet", ids grow by one per checkpoint.
using CheckpointId = named_type<uint64_t, struct checkpoint_id_tag>;

}  // namespace ananas
