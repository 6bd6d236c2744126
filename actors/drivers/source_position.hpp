#pragma once
// A source's checkpoint position as text: one `topic:partition:offset` line per
// partition, the offset being the next one to read. Text because the runtime
// treats positions as opaque strings (logged, shown in status, stored in
// checkpoints); Kafka topic names cannot contain ':' or a newline, so the
// format needs no escaping.
#include <string>

#include "connectors/connector.hpp"

namespace ananas::rt::drivers {

std::string encode_position(const connectors::PartitionOffsets& offsets);
// Throws std::invalid_argument naming the bad line.
connectors::PartitionOffsets decode_position(const std::string& text);

}  // namespace ananas::rt::drivers
