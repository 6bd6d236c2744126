// window_latency: how long a window result takes after the watermark passed
// its end, for the tutorial's windowing app (03-windowing: tumbling windows
// on the Kafka record timestamp, watermark = timestamp - delay), measured in
// one process on one clock.
//
//   window_latency --bootstrap B --partitions P [--rate 1000] [--seconds 60] [--warmup 5]
//                  [--window-ms 1000] [--delay-ms 5000] [--in pizzas] [--out pizza_stream_out_agg_windows]
//
// A producer hands pizza orders (the shape `ananas generate` writes) to
// librdkafka at a fixed rate, round-robin over the P partitions of the input
// topic, each stamped with the wall clock in ms as its record timestamp; the
// hand-off time of every order is noted on the steady clock. A consumer tails
// the output topic and notes when the first row of each window (by its
// window_end) arrives.
//
// A window [s, e) fires when the watermark reaches e - 1 (Flink's window
// operators fire at the window's max timestamp). The source's watermark is the
// minimum over the partitions of their highest timestamp minus the delay, so
// it reaches e - 1 at the moment every partition has been handed an order
// stamped e + delay - 1 or later: that moment is the window's trigger.
// Latency = the window's first row consumed - its trigger: the worker's share
// (two Kafka hops, the window firing, the sink) of what a user waits for
// after the last order a window needed, beyond the watermark delay they chose.
//
// Windows that start before --warmup seconds or whose trigger came after the
// last order are not measured. Output: one "LATENCY path=window ..." line in
// latency_filter's format (orders = windows measured, expected = windows that
// should have a row, matched = windows that had one) and "#" comment lines.
// Run by hand (bench/window_latency.sh), never by CI; nothing asserts a time.
// Exit 0 ok, 1 a run failed (no row for a window that should have one), 2 usage.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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
  int partitions = 0;
  int rate = 1000;
  double seconds = 60, warmup = 5, drain = 3;
  int64_t window_ms = 1000, delay_ms = 5000;
  int fetch_wait_ms = 5, producer_linger_ms = 5;
  std::string in = "pizzas", out = "pizza_stream_out_agg_windows";
  uint64_t seed = 4321;
};

constexpr const char* kUsage =
    "usage: window_latency --bootstrap B --partitions P [--rate R] [--seconds S] [--warmup W] [--drain D]\n"
    "                      [--window-ms M] [--delay-ms D] [--fetch-wait-ms F] [--producer-linger-ms L]\n"
    "                      [--in T] [--out T] [--seed S]\n"
    "  --partitions P   the input topic's partition count (orders go round-robin over all of them)\n"
    "  --window-ms M    the app's tumbling window size; --delay-ms D its watermark delay\n";

Options parse(int argc, char** argv) {
  Options o;
  for_each_flag(argc, argv, kUsage, [&o](const std::string& flag, const std::string& v) {
    if (flag == "--bootstrap") o.bootstrap = v;
    else if (flag == "--partitions") o.partitions = static_cast<int>(number(flag, v, 1, 10000));
    else if (flag == "--rate") o.rate = static_cast<int>(number(flag, v, 1, 1e6));
    else if (flag == "--seconds") o.seconds = number(flag, v, 1, 3600);
    else if (flag == "--warmup") o.warmup = number(flag, v, 0, 600);
    else if (flag == "--drain") o.drain = number(flag, v, 0.1, 600);
    else if (flag == "--window-ms") o.window_ms = static_cast<int64_t>(number(flag, v, 1, 86400000));
    else if (flag == "--delay-ms") o.delay_ms = static_cast<int64_t>(number(flag, v, 0, 86400000));
    else if (flag == "--fetch-wait-ms") o.fetch_wait_ms = static_cast<int>(number(flag, v, 0, 300000));
    else if (flag == "--producer-linger-ms") o.producer_linger_ms = static_cast<int>(number(flag, v, 0, 300000));
    else if (flag == "--in") o.in = v;
    else if (flag == "--out") o.out = v;
    else if (flag == "--seed") o.seed = static_cast<uint64_t>(number(flag, v, 0, 1e18));
    else throw UsageError("unknown option " + flag);
  });
  if (o.bootstrap.empty()) throw UsageError("--bootstrap is required");
  if (o.partitions == 0) throw UsageError("--partitions is required");
  if (o.warmup >= o.seconds) throw UsageError("--warmup must be shorter than --seconds");
  return o;
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "window_end":"2026-12-07 11:40:05[.fff]" in a row (Flink's JSON timestamp
// form, the zone-less time read as UTC) as epoch milliseconds.
std::optional<int64_t> window_end_ms(std::string_view row) {
  const std::string_view name = "\"window_end\":";
  size_t at = row.find(name);
  if (at == std::string_view::npos) return std::nullopt;
  at = row.find('"', at + name.size());
  if (at == std::string_view::npos) return std::nullopt;
  std::tm tm{};
  int millis = 0;
  const std::string text(row.substr(at + 1, 23));
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &millis) < 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
}

// One order as handed over: its partition, record timestamp and hand-off time.
struct Handed {
  int partition;
  int64_t timestamp_ms;
  int64_t steady_ns;
};

// Hands `rate` orders per second for `seconds` to the producer, partition
// i % partitions, each at its due time (never in bursts to catch up).
std::vector<Handed> produce_orders(rd_kafka_t* producer, const Options& o) {
  connectors::datagen::PizzaGeneratorOptions go;
  go.seed = o.seed;
  connectors::datagen::PizzaGenerator generator(go);
  connectors::datagen::PizzaOrder order;
  const auto count = static_cast<size_t>(o.rate * o.seconds);
  std::vector<Handed> handed;
  handed.reserve(count);
  const int64_t start = steady_ns() + 1000000;
  const double step_ns = 1e9 / o.rate;
  for (size_t i = 0; i < count; ++i) {
    const int64_t due = start + static_cast<int64_t>(static_cast<double>(i) * step_ns);
    if (int64_t wait = due - steady_ns(); wait > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
    const int64_t ts = wall_ms();
    generator.next(ts, order);
    const int partition = static_cast<int>(i % static_cast<size_t>(o.partitions));
    handed.push_back({partition, ts, steady_ns()});
    produce_at(producer, o.in, partition, ts, order.key, order.value);
  }
  rd_kafka_flush(producer, 10000);
  return handed;
}

// The steady time at which the watermark could first reach end - 1: every
// partition has been handed an order stamped end + delay - 1 or later.
// Nothing if some partition never was.
std::optional<int64_t> trigger_ns(const std::vector<Handed>& handed, int partitions, int64_t end_ms, int64_t delay_ms) {
  std::vector<int64_t> first(static_cast<size_t>(partitions), 0);
  int missing = partitions;
  for (const Handed& h : handed) {  // in hand-off order
    if (h.timestamp_ms < end_ms + delay_ms - 1 || first[static_cast<size_t>(h.partition)] != 0) continue;
    first[static_cast<size_t>(h.partition)] = h.steady_ns;
    if (--missing == 0) return h.steady_ns;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "window_latency: " << e.what() << "\n" << kUsage;
    return kExitUsage;
  }
  try {
    std::printf("# window_latency: %d orders/s over %d partitions for %.0f s (%.0f s warm-up), windows of %lld ms, "
                "watermark delay %lld ms, load %s\n",
                o.rate, o.partitions, o.seconds, o.warmup, static_cast<long long>(o.window_ms),
                static_cast<long long>(o.delay_ms), load_average().c_str());
    KafkaHandle producer = make_producer(o.bootstrap, {{"linger.ms", std::to_string(o.producer_linger_ms)}});
    TailConsumer consumer(o.bootstrap, o.out, {{"fetch.wait.max.ms", std::to_string(o.fetch_wait_ms)}});

    std::map<int64_t, int64_t> first_row_ns;  // window end -> its first row consumed (steady)
    std::vector<Handed> handed;
    std::atomic<bool> produced{false};
    std::thread feeder([&] {
      handed = produce_orders(producer.get(), o);
      produced = true;
    });
    size_t unparsed = 0;
    int64_t drain_until = 0;
    while (true) {
      if (produced && drain_until == 0) drain_until = steady_ns() + static_cast<int64_t>(o.drain * 1e9);
      if (drain_until && steady_ns() >= drain_until) break;
      rd_kafka_message_t* m = consumer.next_message(std::chrono::milliseconds(20));
      if (!m) continue;
      const int64_t now = steady_ns();
      if (m->payload) {
        if (auto end = window_end_ms({static_cast<const char*>(m->payload), m->len})) first_row_ns.emplace(*end, now);
        else ++unparsed;
      }
      rd_kafka_message_destroy(m);
    }
    feeder.join();
    if (handed.empty()) throw std::runtime_error("no order was produced");

    // Windows that start after the warm-up and whose trigger came before the last order.
    const int64_t first_ts = handed.front().timestamp_ms;
    const int64_t measured_from = first_ts + static_cast<int64_t>(o.warmup * 1000);
    int64_t start = (measured_from + o.window_ms - 1) / o.window_ms * o.window_ms;
    std::vector<double> ms;
    size_t expected = 0, matched = 0;
    for (;; start += o.window_ms) {
      const int64_t end = start + o.window_ms;
      const std::optional<int64_t> trigger = trigger_ns(handed, o.partitions, end, o.delay_ms);
      if (!trigger) break;
      ++expected;
      auto row = first_row_ns.find(end);
      if (row == first_row_ns.end()) continue;
      ++matched;
      ms.push_back(static_cast<double>(row->second - *trigger) / 1e6);
    }
    LatencySummary counts;
    counts.orders = counts.expected = expected;
    counts.matched = matched;
    const LatencySummary s = with_percentiles(counts, std::move(ms));
    std::printf(
        "LATENCY path=window rate=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f mean_ms=%.2f "
        "orders=%zu expected=%zu matched=%zu unexpected=0 load=%s\n",
        o.rate, s.p50_ms, s.p99_ms, s.p999_ms, s.max_ms, s.mean_ms, s.orders, s.expected, s.matched,
        load_average().c_str());
    if (unparsed) std::printf("# %zu output rows without a readable window_end\n", unparsed);
    if (matched == 0 || matched < expected) {
      std::fprintf(stderr, "window_latency: %zu of %zu measured windows had a row\n", matched, expected);
      return kExitFailed;
    }
    return kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "window_latency: " << e.what() << "\n";
    return kExitFailed;
  }
}
