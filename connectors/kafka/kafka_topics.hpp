#pragma once
// Topic administration the worker does itself: how many partitions a topic
// has, and creating the internal topics it owns (state changelogs, keyed
// exchanges) with the partition count and settings they need.
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace RdKafka {
class Handle;
}
struct rd_kafka_s;

namespace ananas::connectors::kafka {

// The partition count of `topic` on the brokers `handle` talks to. A topic
// that does not exist gives 0 when `may_be_missing`; otherwise (a producer
// handle, whose lookup lets the broker auto-create it) the lookup is retried
// until `timeout`. Throws ConnectorError with the broker's last answer.
int partition_count(RdKafka::Handle& handle, const std::string& topic, bool may_be_missing,
                    std::chrono::milliseconds timeout);

// Asks the brokers to create `topics` (name, partitions) with `configs`
// (cleanup.policy, ...). A topic that exists already is fine. Returns an
// empty string, or what went wrong: then the first write creates the topic
// with the broker's defaults (librdkafka's mock cluster, `ananas broker`,
// has no controller and never answers; `brokers` keys a process-wide memo of
// such brokers so that each caller does not wait for that again).
std::string create_topics(rd_kafka_s* rk, const std::string& brokers,
                          const std::vector<std::pair<std::string, int>>& topics,
                          const std::map<std::string, std::string>& configs, std::chrono::milliseconds timeout);

}  // namespace ananas::connectors::kafka
