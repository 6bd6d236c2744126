#pragma once
// The few pieces of the Kafka wire protocol the development broker's relay
// (connectors/broker_relay.hpp) reads and rewrites: which topics a Metadata
// request names and whether it lets the broker create them, and the broker
// addresses in Metadata and FindCoordinator responses. Pure functions over
// whole frames (the 4-byte size prefix excluded); anything they do not
// understand is left alone (nullopt / false), so the relay then forwards the
// frame unchanged. Layouts: Kafka's clients/src/main/resources/common/message/
// MetadataRequest.json, MetadataResponse.json, FindCoordinatorResponse.json.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ananas::connectors::kafka_wire {

constexpr int16_t kFindCoordinator = 10;
constexpr int16_t kMetadata = 3;

struct RequestHeader {
  int16_t api_key = 0;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
};

// The first 8 bytes of a request frame; nullopt when shorter.
std::optional<RequestHeader> request_header(const std::string& frame);

struct MetadataTopics {
  std::vector<std::string> topics;  // empty: all topics (nothing to create)
  bool allow_auto_create = true;    // versions before 4 always allow it
};

// A Metadata request (versions 0-12) decoded; nullopt for another request
// or a frame it cannot read.
std::optional<MetadataTopics> metadata_request_topics(const std::string& frame);

// In a Metadata (0-12) or FindCoordinator (0-4) response frame of
// `api_version`, replaces every broker port found in `ports` by its mapped
// value (hosts keep their length, so the frame keeps its size). Returns
// whether the frame was read to its brokers (true even when no port matched).
bool rewrite_broker_ports(int16_t api_key, int16_t api_version, std::string& frame, const std::map<int32_t, int32_t>& ports);

}  // namespace ananas::connectors::kafka_wire
