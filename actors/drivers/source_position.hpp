#pragma once
// A source's checkpoint position as text: one `topic:partition:offset` line per
// partition, the offset being the next one to read. Text because the runtime
// treats positions as opaque strings (logged, shown in status, stored in
// checkpoints); Kafka topic names cannot contain ':' or a newline, so the
// format needs no escaping.
//
// A position may also hold what a source's decoder remembers of a partition
// (RecordDecoder::marks: a keyed exchange's de-duplication marks), one
// `@topic:partition marks` line each; '@' never begins a topic name.
#include <map>
#include <string>

#include "connectors/connector.hpp"

namespace ananas::rt::drivers {

using PartitionMarks = std::map<connectors::PartitionId, std::string>;

struct SourcePosition {
  connectors::PartitionOffsets offsets;
  PartitionMarks marks;
};

std::string encode_position(const connectors::PartitionOffsets& offsets, const PartitionMarks& marks = {});
// Throws std::invalid_argument naming the bad line.
SourcePosition decode_source_position(const std::string& text);
// The offsets alone.
inline connectors::PartitionOffsets decode_position(const std::string& text) { return decode_source_position(text).offsets; }

}  // namespace ananas::rt::drivers
