#pragma once
// The Kafka side of the end-to-end tests: `ananas broker`, `ananas generate`,
// `ananas run` as processes, and kcat as the independent client that reads
// what the worker wrote.
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "e2e_process.hpp"

namespace ananas::e2e {

std::string ananas_binary();
std::string example(const std::string& file);  // pipelines/examples/<file>

// Skips the calling test (visibly) when kcat or curl is missing.
#define REQUIRE_E2E_TOOLS()                                                        \
  do {                                                                             \
    if (!::ananas::e2e::program_exists("kcat") || !::ananas::e2e::program_exists("curl")) { \
      WARN("kcat or curl not installed (Debian packages kcat, curl): skipped");    \
      return;                                                                      \
    }                                                                              \
  } while (0)

class BrokerProcess {
 public:
  // `ananas broker --partitions N --topics T [--absent-topics A]`; throws
  // when no bootstrap line comes. Absent topics exist after SIGUSR1 to pid().
  BrokerProcess(const ScratchDir& dir, int partitions, const std::vector<std::string>& topics,
                const std::vector<std::string>& absent_topics = {});
  const std::string& bootstrap() const { return bootstrap_; }
  pid_t pid() const { return process_->pid(); }  // to freeze it (SIGSTOP/SIGCONT)

 private:
  std::unique_ptr<Process> process_;
  std::string bootstrap_;
};

class WorkerProcess {
 public:
  // `ananas run --bootstrap-servers B --http-port 0 FILES...`; waits for the
  // printed metrics address (throws with the worker's stderr if it never comes).
  WorkerProcess(const ScratchDir& dir, const std::string& tag, const std::string& bootstrap,
                const std::vector<std::string>& files, const std::map<std::string, std::string>& env = {});
  Process& process() { return *process_; }
  const std::string& base_url() const { return base_url_; }  // http://127.0.0.1:PORT

 private:
  std::unique_ptr<Process> process_;
  std::string base_url_;
};

// `ananas generate` to completion (order ids from `start_id`).
void generate(const std::string& bootstrap, double rate, int count, int start_id);
// Trend-shaped input: one step per event-time window, aligned to the wall
// clock the producer stamps records with. Each step starts just after a
// window begins and produces rate * busy_ms / 1000 orders at `rate`/s, so it
// stays inside its window whatever the process start time; consecutive
// windows then rise and fall exactly as the rates do, which is what
// MATCH_RECOGNIZE trend patterns need to match deterministically. Order ids
// start at `first_id`. Returns the order count.
int generate_window_aligned(const std::string& bootstrap, int first_id, int window_ms, int busy_ms,
                            const std::vector<int>& rates);
// For 04-trends (1 s windows, START NR_UP NR_DOWN with a > 30 % drop):
// 100, 250, 600, 1200, 500, 200, 80 orders/s for 0.6 s each (1758 orders).
int generate_trending_orders(const std::string& bootstrap, int first_id);
// For 04-trends-up-down (5 s windows, START NR_UP+ NR_DOWN{2}): 20, 60, 150,
// 40, 10 orders/s for 4 s each: up, up, down below the first up, down (1120 orders, ~25 s).
int generate_window_aligned_trend(const std::string& bootstrap, int first_id);
// Starts `ananas generate` in the background.
std::unique_ptr<Process> start_generate(const ScratchDir& dir, const std::string& tag, const std::string& bootstrap,
                                        double rate, int count, int start_id);

// Produces `values` (one record value each, no key) to `topic` through one
// `kcat -P` fed over a FIFO, paced by the wall clock: in each second, the
// `rates_per_second` entry for it (taken in turn) is spread over that
// second's first 800 ms, so a 1 s event-time window (the producer stamps the
// records) holds about that many records. Records go to the partitions at
// random one by one (no sticky partitioning), so that a backlog larger than
// the development broker's 5 MiB per partition fits in enough partitions.
class PacedProducer {
 public:
  PacedProducer(const ScratchDir& dir, const std::string& bootstrap, const std::string& topic,
                std::vector<std::string> values, std::vector<int> rates_per_second);
  ~PacedProducer();  // stops feeding; kcat is killed if still running
  PacedProducer(const PacedProducer&) = delete;
  PacedProducer& operator=(const PacedProducer&) = delete;

  bool feeding() const { return !fed_; }
  size_t written() const { return written_; }  // values handed to kcat so far
  // Waits for the feed to end and kcat to deliver everything and exit, at
  // most `timeout`. Returns "" or what went wrong.
  std::string finish(Millis timeout);
  // Seconds from the first value written to the last (valid after finish).
  double seconds() const { return seconds_; }

 private:
  void feed();

  std::vector<std::string> values_;
  std::vector<int> rates_;
  std::string fifo_;
  std::unique_ptr<Process> kcat_;
  std::thread thread_;
  std::atomic<bool> fed_{false}, stop_{false};
  std::atomic<size_t> written_{0};
  std::string error_;  // written by the feeding thread before fed_
  double seconds_ = 0;
};

// A pizza order without pizzas into every partition of `pizzas`, stamped now
// by the producer: it moves every partition's watermark past all earlier
// orders so the last windows fire, and contributes no row to any tutorial
// pipeline (each filters on toppings), so the oracle's output is unchanged.
void produce_flush_orders(const std::string& bootstrap, int partitions);

// Every record of `topic` (kcat -C -J -e), also written to `dump_file` when given.
std::vector<nlohmann::json> kcat_dump(const std::string& bootstrap, const std::string& topic,
                                      const std::string& dump_file = "");

// Every record of `topic` into `dump_file` (kcat -C -J -e writing straight to
// the file, nothing parsed or held in memory: for topics of 100,000s of
// records). Returns the record count; throws when kcat fails.
size_t kcat_dump_to_file(const std::string& bootstrap, const std::string& topic, const std::string& dump_file);

// The first and the next offset of each of `topic`'s partitions 0..partitions-1
// (kcat -Q, one call): a topic's size without reading it, and whether the
// development broker's retention dropped its oldest records (a first offset > 0).
struct PartitionOffsets {
  int64_t first = 0, next = 0;
};
std::vector<PartitionOffsets> partition_offsets(const std::string& bootstrap, const std::string& topic, int partitions);
// Topic name -> partition count, for every topic the broker has (kcat -L).
std::map<std::string, int> topic_partitions(const std::string& bootstrap);

// Waits until the record counts of `topics` have not changed for `quiet`
// (checked every second), at most `timeout`. Returns the counts.
std::vector<size_t> wait_until_stable(const std::string& bootstrap, const std::vector<std::string>& topics,
                                      Millis quiet, Millis timeout);

// curl GET; returns the body ("" on failure) and the HTTP status.
std::pair<int, std::string> http_get(const std::string& url);
std::pair<int, std::string> http_post(const std::string& url, const std::string& body, const std::string& content_type);

// The sum of a Prometheus metric's series whose label text contains `label_filter`.
double metric_sum(const std::string& exposition, const std::string& name, const std::string& label_filter = "");

}  // namespace ananas::e2e
