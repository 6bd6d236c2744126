// latency_filter: end-to-end latency of the tutorial's filtering app against
// the broker's own floor, measured in one process on one clock.
//
//   latency_filter --bootstrap B [--rates 1000,10000] [--seconds 20] [--warmup 3] [--drain 3]
//                  [--fetch-wait-ms F] [--linger-ms L] [--producer-linger-ms P] [--paths ...]
//
// A producer hands pizza orders (connectors/datagen/pizza_generator.hpp, the
// shape `ananas generate` writes, keyed {"shop": ...}, stamped now) to
// librdkafka at a fixed rate; the time of each hand-off is noted per order id.
// A consumer tails the output topic from its end and notes when the first row
// carrying each id arrives. Latency = first output row consumed - order handed
// to the producer. Three paths, one after the other for every rate:
//   direct      producer -> broker -> consumer (one hop: the broker alone)
//   floor       producer -> broker -> echo relay -> broker -> consumer: the
//               relay (bench/latency/echo_relay.hpp) has the worker's
//               consumer and producer settings (fetch.wait.max.ms F,
//               linger.ms L) and does nothing else: the worker's floor
//   worker      producer -> broker -> `ananas run` of 01-basic-filtering
//               (started by the driver, bench/latency_filter.sh) -> broker ->
//               consumer; only orders with an anomalous topping produce rows
// Orders handed over during the first --warmup seconds of a path are not
// measured; after the last one the consumer waits --drain seconds.
//
// The measuring consumer's fetch.wait.max.ms is F as well. Output: one
// "LATENCY" line per path and rate, and "#" comment lines. Run by hand (or by
// bench/latency_filter.sh), never by CI; nothing here asserts a time.
// Exit 0 ok, 1 a run failed (e.g. the worker produced nothing), 2 usage.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/latency/echo_relay.hpp"
#include "bench/latency/cli_options.hpp"
#include "bench/latency/kafka_clients.hpp"
#include "bench/latency/order_ledger.hpp"
#include "connectors/datagen/pizza_generator.hpp"

namespace {

using namespace ananas;
using namespace ananas::bench;

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;

struct Options {
  std::string bootstrap;
  std::vector<int> rates = {1000, 10000};
  std::vector<std::string> paths = {"direct", "floor", "worker"};
  double seconds = 20, warmup = 3, drain = 3;
  int fetch_wait_ms = 500;       // the worker source's fetch.wait.max.ms (the driver passes the real one)
  int linger_ms = 5;             // the worker sink's linger.ms (likewise)
  int producer_linger_ms = 5;    // the order producer's (librdkafka's default)
  std::string worker_in = "pizzas", worker_out = "pizza_stream_out_filter";
  std::string floor_in = "latency_floor_in", floor_out = "latency_floor_out";
  uint64_t seed = 4321;
  std::string dump;  // prefix: per-order latencies to <dump><path>-<rate>.txt
};

constexpr const char* kUsage =
    "usage: latency_filter --bootstrap B [--rates 1000,10000] [--seconds S] [--warmup W] [--drain D]\n"
    "                      [--fetch-wait-ms F] [--linger-ms L] [--producer-linger-ms P]\n"
    "                      [--paths direct,floor,worker] [--worker-in T] [--worker-out T]\n"
    "                      [--floor-in T] [--floor-out T] [--seed S] [--dump PREFIX]\n"
    "  --fetch-wait-ms F  fetch.wait.max.ms of the worker's source: the relay and the measuring consumer use it\n"
    "  --linger-ms L      linger.ms of the worker's sink: the relay's producer uses it\n"
    "  --dump PREFIX      also write each measured order's latency to PREFIX<path>-<rate>.txt\n";

Options parse(int argc, char** argv) {
  Options o;
  for_each_flag(argc, argv, kUsage, [&o](const std::string& flag, const std::string& v) {
    if (flag == "--bootstrap") o.bootstrap = v;
    else if (flag == "--rates") {
      o.rates.clear();
      for (const std::string& r : split_list(v)) o.rates.push_back(static_cast<int>(number(flag, r, 1, 1e6)));
    } else if (flag == "--paths") o.paths = split_list(v);
    else if (flag == "--seconds") o.seconds = number(flag, v, 1, 3600);
    else if (flag == "--warmup") o.warmup = number(flag, v, 0, 600);
    else if (flag == "--drain") o.drain = number(flag, v, 0.1, 600);
    else if (flag == "--fetch-wait-ms") o.fetch_wait_ms = static_cast<int>(number(flag, v, 0, 300000));
    else if (flag == "--linger-ms") o.linger_ms = static_cast<int>(number(flag, v, 0, 300000));
    else if (flag == "--producer-linger-ms") o.producer_linger_ms = static_cast<int>(number(flag, v, 0, 300000));
    else if (flag == "--worker-in") o.worker_in = v;
    else if (flag == "--worker-out") o.worker_out = v;
    else if (flag == "--floor-in") o.floor_in = v;
    else if (flag == "--floor-out") o.floor_out = v;
    else if (flag == "--dump") o.dump = v;
    else if (flag == "--seed") o.seed = static_cast<uint64_t>(number(flag, v, 0, 1e18));
    else throw UsageError("unknown option " + flag);
  });
  if (o.bootstrap.empty()) throw UsageError("--bootstrap is required");
  if (o.warmup >= o.seconds) throw UsageError("--warmup must be shorter than --seconds");
  for (const std::string& p : o.paths)
    if (p != "direct" && p != "floor" && p != "worker") throw UsageError("unknown path '" + p + "'");
  return o;
}

// The filter emits a row per anomalous topping; in the order's JSON these
// appear exactly like this (Python's ensure_ascii escapes), nowhere else.
bool has_anomalous_topping(const std::string& value) {
  return value.find("\"\\ud83c\\udf4d pineapple\"") != std::string::npos ||
         value.find("\"\\ud83c\\udf53 strawberry\"") != std::string::npos ||
         value.find("\"\\ud83c\\udf4c banana\"") != std::string::npos;
}

// Hands orders first_id, first_id + 1, ... to the producer at `rate` per
// second for `seconds`, each at its due time (never in bursts to catch up).
void produce_orders(rd_kafka_t* producer, const std::string& topic, int rate, double seconds, int64_t first_id,
                    uint64_t seed, bool all_expect_output, OrderLedger& ledger) {
  rd_kafka_topic_t* t = rd_kafka_topic_new(producer, topic.c_str(), nullptr);
  connectors::datagen::PizzaGeneratorOptions go;
  go.seed = seed;
  go.first_id = first_id;
  connectors::datagen::PizzaGenerator generator(go);
  connectors::datagen::PizzaOrder order;
  const auto count = static_cast<size_t>(rate * seconds);
  const int64_t start = steady_ns() + 1000000;
  const double step_ns = 1e9 / rate;
  for (size_t i = 0; i < count; ++i) {
    const int64_t due = start + static_cast<int64_t>(static_cast<double>(i) * step_ns);
    if (int64_t wait = due - steady_ns(); wait > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
    const int64_t wall_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    generator.next(wall_ms, order);
    const bool expects = all_expect_output || has_anomalous_topping(order.value);
    ledger.handed(order.id, steady_ns(), expects);
    produce_copy(producer, t, order.key.data(), order.key.size(), order.value.data(), order.value.size());
  }
  rd_kafka_flush(producer, 10000);
  rd_kafka_topic_destroy(t);
}

struct PathRun {
  std::string path;
  int rate = 0;
  LatencySummary s;
  std::string load_before, load_after;
};

PathRun run_path(const Options& o, const std::string& path, int rate, int64_t first_id, rd_kafka_t* producer) {
  const Properties consumer_props = {{"fetch.wait.max.ms", std::to_string(o.fetch_wait_ms)}};
  // The worker's sink: enable.idempotence, murmur2_random (connectors/kafka/kafka_sink.cpp).
  const Properties relay_producer_props = {{"linger.ms", std::to_string(o.linger_ms)},
                                           {"enable.idempotence", "true"},
                                           {"partitioner", "murmur2_random"}};
  PathRun run;
  run.path = path;
  run.rate = rate;
  run.load_before = load_average();
  const std::string in = path == "worker" ? o.worker_in : o.floor_in;
  const std::string out = path == "worker" ? o.worker_out : path == "floor" ? o.floor_out : o.floor_in;

  const auto capacity = static_cast<size_t>(rate * o.seconds) + 1;
  OrderLedger ledger(first_id, capacity);
  TailConsumer consumer(o.bootstrap, out, consumer_props);
  std::unique_ptr<EchoRelay> relay;
  if (path == "floor") relay = std::make_unique<EchoRelay>(o.bootstrap, o.floor_in, o.floor_out, consumer_props,
                                                           relay_producer_props);

  std::atomic<bool> produced{false};
  std::thread feeder([&] {
    produce_orders(producer, in, rate, o.seconds, first_id, o.seed, path != "worker", ledger);
    produced = true;
  });
  int64_t drain_until = 0;
  while (true) {
    if (produced && drain_until == 0) drain_until = steady_ns() + static_cast<int64_t>(o.drain * 1e9);
    if (drain_until && steady_ns() >= drain_until) break;
    rd_kafka_message_t* m = consumer.next_message(std::chrono::milliseconds(20));
    if (!m) continue;
    const int64_t now = steady_ns();
    if (m->payload)
      if (auto id = parse_id({static_cast<const char*>(m->payload), m->len})) ledger.consumed(*id, now);
    rd_kafka_message_destroy(m);
  }
  feeder.join();
  relay.reset();
  run.s = ledger.summary(static_cast<size_t>(rate * o.warmup));
  if (!o.dump.empty())
    ledger.dump(o.dump + path + "-" + std::to_string(rate) + ".txt", static_cast<size_t>(rate * o.warmup));
  run.load_after = load_average();
  return run;
}

void print(const PathRun& r) {
  const LatencySummary& s = r.s;
  std::printf(
      "LATENCY path=%s rate=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f mean_ms=%.2f "
      "orders=%zu expected=%zu matched=%zu unexpected=%zu load=%s\n",
      r.path.c_str(), r.rate, s.p50_ms, s.p99_ms, s.p999_ms, s.max_ms, s.mean_ms, s.orders, s.expected, s.matched,
      s.unexpected, r.load_after.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "latency_filter: " << e.what() << "\n" << kUsage;
    return kExitUsage;
  }
  try {
    std::printf("# latency_filter: fetch.wait.max.ms=%d linger.ms=%d producer linger.ms=%d, %.0f s per path "
                "(%.0f s warm-up, %.0f s drain), load %s\n",
                o.fetch_wait_ms, o.linger_ms, o.producer_linger_ms, o.seconds, o.warmup, o.drain,
                load_average().c_str());
    // The same producer for every path; ids never repeat within this run.
    KafkaHandle producer = make_producer(o.bootstrap, {{"linger.ms", std::to_string(o.producer_linger_ms)}});
    int64_t first_id = 1;
    bool failed = false;
    for (int rate : o.rates)
      for (const std::string& path : o.paths) {
        PathRun r = run_path(o, path, rate, first_id, producer.get());
        first_id += static_cast<int64_t>(rate * o.seconds) + 1000;
        print(r);
        if (r.s.matched == 0 || r.s.matched < r.s.expected) {
          std::fprintf(stderr, "latency_filter: path %s at %d/s: %zu of %zu expected orders had output\n",
                       path.c_str(), rate, r.s.matched, r.s.expected);
          failed = true;
        }
      }
    return failed ? kExitFailed : kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "latency_filter: " << e.what() << "\n";
    return kExitFailed;
  }
}
