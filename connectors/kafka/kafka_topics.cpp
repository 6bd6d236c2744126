#include "connectors/kafka/kafka_topics.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

namespace {

std::mutex no_create_mu;
std::set<std::string> brokers_without_create;

}  // namespace

int partition_count(RdKafka::Handle& handle, const std::string& topic, bool may_be_missing,
                    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last_error;
  while (true) {
    std::string err;
    std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(&handle, topic, nullptr, err));
    if (!t) throw ConnectorError("topic '" + topic + "': " + err);
    RdKafka::Metadata* raw = nullptr;
    RdKafka::ErrorCode ec = handle.metadata(false, t.get(), &raw, 5000);
    std::unique_ptr<RdKafka::Metadata> md(raw);
    if (ec == RdKafka::ERR_NO_ERROR && md && md->topics()->size() == 1) {
      const RdKafka::TopicMetadata* tm = md->topics()->front();
      if (tm->err() == RdKafka::ERR_NO_ERROR && !tm->partitions()->empty())
        return static_cast<int>(tm->partitions()->size());
      if (may_be_missing && tm->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) return 0;
      last_error = RdKafka::err2str(tm->err());
    } else {
      last_error = RdKafka::err2str(ec);
    }
    if (std::chrono::steady_clock::now() >= deadline)
      throw ConnectorError("cannot get the partitions of topic '" + topic + "': " + last_error);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string create_topics(rd_kafka_t* rk, const std::string& brokers,
                          const std::vector<std::pair<std::string, int>>& topics,
                          const std::map<std::string, std::string>& configs, std::chrono::milliseconds timeout) {
  if (topics.empty()) return {};
  {
    std::lock_guard lock(no_create_mu);
    if (brokers_without_create.count(brokers)) return "the brokers cannot create topics";
  }
  char err[512];
  std::vector<rd_kafka_NewTopic_t*> requests;
  auto release = [&] {
    for (auto* r : requests) rd_kafka_NewTopic_destroy(r);
  };
  for (const auto& [topic, partitions] : topics) {
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), partitions, -1, err, sizeof err);
    if (!nt) {
      release();
      return "cannot describe topic '" + topic + "': " + err;
    }
    for (const auto& [key, value] : configs) rd_kafka_NewTopic_set_config(nt, key.c_str(), value.c_str());
    requests.push_back(nt);
  }
  const int timeout_ms = static_cast<int>(std::min<int64_t>(timeout.count(), 5000));
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, err, sizeof err);
  rd_kafka_CreateTopics(rk, requests.data(), requests.size(), opts, queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, timeout_ms + 1000);
  std::string problem;
  bool unsupported = false;
  if (!ev) {
    problem = "no answer";
    unsupported = true;
  } else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    problem = rd_kafka_event_error_string(ev);
    unsupported = true;  // the request as a whole failed: no controller, or no CreateTopics
  } else if (const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev)) {
    size_t n = 0;
    const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(res, &n);
    for (size_t i = 0; i < n; ++i) {
      const rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
      if (code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) continue;
      const char* s = rd_kafka_topic_result_error_string(results[i]);
      problem += std::string(problem.empty() ? "" : "; ") + rd_kafka_topic_result_name(results[i]) + ": " +
                 (s ? s : rd_kafka_err2str(code));
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_queue_destroy(queue);
  release();
  if (unsupported) {
    std::lock_guard lock(no_create_mu);
    brokers_without_create.insert(brokers);
  }
  return problem;
}

}  // namespace ananas::connectors::kafka
