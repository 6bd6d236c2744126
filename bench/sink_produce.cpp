// sink_produce — what handing records to librdkafka costs the sink's thread:
// KafkaSink::write() once per record (one rd_kafka_produce each) against
// KafkaSink::write_batch() (one rd_kafka_produce_batch per batch), the same
// records to the same in-process development broker, rounds alternating.
//
//   sink_produce [--records N] [--batch B] [--rounds R] [--value-bytes V]
//
// Measured per round: the CPU time of the calling thread from the first
// write to the last (CLOCK_THREAD_CPUTIME_ID: the queueing work the worker's
// sink actor pays; librdkafka's own threads, which send the batches, are not
// in it), and the wall time until flush() returned (everything delivered).
// Printed: "FIGURE name median unit runs=[...]" lines, as the other benches.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_sink.hpp"

using namespace ananas::connectors;

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string joined(const std::vector<double>& v, const char* format) {
  std::string out;
  char buf[64];
  for (double x : v) {
    std::snprintf(buf, sizeof buf, format, x);
    out += (out.empty() ? "" : " ") + std::string(buf);
  }
  return out;
}

struct Round {
  double thread_ns_per_record;
  double wall_records_per_second;
};

// One round: every record through `write` or `write_batch`, then flush.
Round run_round(const std::string& bootstrap, const std::string& topic, const std::vector<std::string>& values,
                size_t batch, bool batched) {
  kafka::KafkaSink sink({{"topic", topic}, {"properties.bootstrap.servers", bootstrap}}, {"bench", "sink", {}});
  std::vector<SinkRecord> records;
  records.reserve(batch);
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  for (size_t i = 0; i < values.size(); i += batch) {
    const size_t end = std::min(values.size(), i + batch);
    if (batched) {
      records.clear();
      for (size_t j = i; j < end; ++j) records.push_back({std::nullopt, std::string_view(values[j]), -1});
      sink.write_batch(records);
    } else {
      for (size_t j = i; j < end; ++j) sink.write(std::nullopt, std::string_view(values[j]));
    }
  }
  const double cpu = thread_cpu_seconds() - cpu_start;
  auto failures = sink.flush(std::chrono::seconds(120));
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (!failures.empty()) {
    std::fprintf(stderr, "sink_produce: %zu record(s) not delivered: %s\n", failures.size(),
                 failures.front().message.c_str());
    std::exit(1);
  }
  return {cpu * 1e9 / static_cast<double>(values.size()), static_cast<double>(values.size()) / wall};
}

size_t flag(int argc, char** argv, const std::string& name, size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return static_cast<size_t>(std::strtoull(argv[i + 1], nullptr, 10));
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = flag(argc, argv, "--records", 300000);
  const size_t batch = std::max<size_t>(1, flag(argc, argv, "--batch", 1000));
  const size_t rounds = std::max<size_t>(1, flag(argc, argv, "--rounds", 5));
  const size_t value_bytes = flag(argc, argv, "--value-bytes", 200);

  // Output-row-like values: JSON objects of about value_bytes, all different.
  std::vector<std::string> values(n);
  for (size_t i = 0; i < n; ++i) {
    std::string v = "{\"order_id\":" + std::to_string(i) + ",\"note\":\"";
    v.append(value_bytes > v.size() + 2 ? value_bytes - v.size() - 2 : 0, 'a' + static_cast<char>(i % 26));
    values[i] = v + "\"}";
  }

  EmbeddedBroker broker;
  const std::string bootstrap = broker.start(8, {});
  std::vector<double> single_ns, batch_ns, single_rate, batch_rate, ratio;
  for (size_t r = 0; r < rounds; ++r) {
    // A fresh topic per round (the mock broker keeps everything in memory).
    const Round one = run_round(bootstrap, "single-" + std::to_string(r), values, batch, false);
    const Round many = run_round(bootstrap, "batched-" + std::to_string(r), values, batch, true);
    single_ns.push_back(one.thread_ns_per_record);
    batch_ns.push_back(many.thread_ns_per_record);
    single_rate.push_back(one.wall_records_per_second);
    batch_rate.push_back(many.wall_records_per_second);
    ratio.push_back(many.thread_ns_per_record / one.thread_ns_per_record);
    std::fprintf(stderr, "# round %zu: write %.0f ns/record, write_batch %.0f ns/record\n", r + 1,
                 one.thread_ns_per_record, many.thread_ns_per_record);
  }
  std::printf("FIGURE %-48s %12.0f %-13s runs=[%s]\n", "sink_thread_cpu_write_per_record", median(single_ns),
              "ns/record", joined(single_ns, "%.0f").c_str());
  std::printf("FIGURE %-48s %12.0f %-13s runs=[%s] batch=%zu\n", "sink_thread_cpu_write_batch_per_record",
              median(batch_ns), "ns/record", joined(batch_ns, "%.0f").c_str(), batch);
  std::printf("FIGURE %-48s %12.3f %-13s runs=[%s] (write_batch / write, same round)\n",
              "sink_thread_cpu_ratio_batch_vs_single", median(ratio), "ratio", joined(ratio, "%.3f").c_str());
  std::printf("FIGURE %-48s %12.0f %-13s runs=[%s] (first write to flush done)\n", "sink_delivered_rate_write",
              median(single_rate), "records/s", joined(single_rate, "%.0f").c_str());
  std::printf("FIGURE %-48s %12.0f %-13s runs=[%s]\n", "sink_delivered_rate_write_batch", median(batch_rate),
              "records/s", joined(batch_rate, "%.0f").c_str());
  return 0;
}
