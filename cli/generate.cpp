// `ananas generate`: produces pizza orders (the datagen connector) to Kafka,
// keyed by shop, through the kafka sink connector; or, with --output, writes
// them to a file (the benchmarks' input: reproducible, no broker needed).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "connectors/datagen/datagen_source.hpp"
#include "connectors/kafka/kafka_sink.hpp"

namespace ananas::cli {

namespace {

std::atomic<int> g_stop_signals{0};
// The first SIGINT/SIGTERM stops producing and delivers what is queued for a
// few seconds; a second one exits at once (a broker that went away would
// otherwise keep the flush waiting).
extern "C" void on_stop_signal(int) {
  if (g_stop_signals.fetch_add(1) > 0) _exit(130);
}

// How long the last delivery may take: a run that reached --count waits for
// slow brokers; one stopped by a signal is expected to stop soon.
constexpr std::chrono::seconds kFlushAtEnd{30};
constexpr std::chrono::seconds kFlushOnSignal{5};

// --output: `count` orders as "key<TAB>value" lines (a JSON string never holds
// a raw tab or newline), ids from start-id (default 0), timestamps start-ts +
// i * ts-step-ms: the file is a pure function of the options, so benchmark
// runs on different days read the same bytes.
int write_orders_file(const Args& args) {
  const std::string path = args.get("output");
  const int64_t count = args.get_int("count", 1, LONG_MAX);
  const int64_t start_ts = args.get_int("start-ts", 0, INT64_MAX / 2);
  const int64_t step_ms = args.get_int("ts-step-ms", 0, 1000000);
  connectors::datagen::PizzaGeneratorOptions options;
  options.seed = static_cast<uint64_t>(args.get_int("seed", LONG_MIN, LONG_MAX));
  options.first_id = args.has("start-id") ? args.get_int("start-id", 0, INT32_MAX) : 0;
  connectors::datagen::PizzaGenerator generator(options);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot write file");
  connectors::datagen::PizzaOrder order;
  std::string line;
  for (int64_t i = 0; i < count; ++i) {
    generator.next(start_ts + i * step_ms, order);
    line.assign(order.key).append(1, '\t').append(order.value).append(1, '\n');
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
  out.close();
  if (!out) throw std::runtime_error(path + ": write failed");
  std::cout << "wrote " << count << " orders to '" << path << "'" << std::endl;
  return kExitOk;
}

int run_generate(int argc, char** argv) {
  Args args("ananas generate --bootstrap-servers B --topic pizzas [--rate R] [--count N] [--seed S]\n"
            "       ananas generate --output FILE --count N [--seed S] [--start-id ID] [--start-ts MS]",
            "Produces pizza orders shaped like Aiven's fake data producer (the tutorial's input) to a\n"
            "Kafka topic, keyed {\"shop\": ...}, until --count orders are written or SIGINT/SIGTERM.\n"
            "Prints the number of orders delivered. Order ids fit INT and are unique across runs at\n"
            "<= 1000 orders/s on average (see --start-id).\n"
            "With --output, writes --count orders to FILE instead, one \"key<TAB>value\" line each\n"
            "(values as above; `cut -f2-` gives the values, `kcat -P -K'\\t' -l` produces them),\n"
            "with ids from --start-id (default 0) and timestamps --start-ts + i * --ts-step-ms, so the\n"
            "file depends only on the options.");
  args.option("bootstrap-servers", "B", "Kafka bootstrap servers, e.g. 127.0.0.1:9092", "b")
      .option("topic", "T", "topic to write to", "t", "pizzas")
      .option("rate", "R", "orders per second on average (0 = as fast as possible)", "r", "10")
      .option("rate-variation", "V",
              "each second's rate is drawn from rate × [1-V, 1+V] (0 to 0.9; 0 = steady), so counts rise and fall "
              "as the trend app looks for",
              "", connectors::datagen::kLiveRateVariation)
      .option("count", "N", "orders to write (0 = until interrupted)", "n", "0")
      .option("seed", "S", "random seed", "s", "4321")
      .option("start-id", "ID", "first order id (default: derived from the clock; 0 with --output)")
      .option("property", "K=V", "extra librdkafka producer property (one; e.g. linger.ms=100)", "X")
      .option("output", "FILE", "write the orders to FILE (key<TAB>value lines) instead of Kafka", "o")
      .option("start-ts", "MS", "with --output: the first order's timestamp, epoch ms", "", "1700000000000")
      .option("ts-step-ms", "MS", "with --output: timestamp increment per order", "", "10");
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  if (args.has("output")) {
    if (args.has("bootstrap-servers")) throw UsageError("--output and --bootstrap-servers exclude each other");
    return write_orders_file(args);
  }
  if (!args.has("bootstrap-servers")) throw UsageError("--bootstrap-servers (or --output) is required");

  connectors::Options source_options = {
      {"rate", std::to_string(args.get_double("rate", 0, 1e9))},
      {"rate-variation", std::to_string(args.get_double("rate-variation", 0, 0.9))},
      {"count", std::to_string(args.get_int("count", 0, LONG_MAX))},
      {"seed", std::to_string(args.get_int("seed", LONG_MIN, LONG_MAX))},
      {"topic", args.get("topic")},
  };
  if (args.has("start-id")) source_options["start-id"] = std::to_string(args.get_int("start-id", 0, INT32_MAX));
  connectors::Options sink_options = {
      {"topic", args.get("topic")},
      {"properties.bootstrap.servers", args.get("bootstrap-servers")},
      {"properties.linger.ms", "50"},
  };
  if (auto prop = args.get_optional("property")) {
    size_t eq = prop->find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("--property expects KEY=VALUE, got '" + *prop + "'");
    sink_options["properties." + prop->substr(0, eq)] = prop->substr(eq + 1);
  }

  connectors::ConnectorContext context{"generate", args.get("topic"), {}};
  connectors::datagen::DatagenSource source(source_options, context);
  connectors::kafka::KafkaSink sink(sink_options, context);

  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  uint64_t written = 0;
  size_t failed = 0;
  while (g_stop_signals == 0) {
    connectors::RawBatch batch = source.poll(1000, std::chrono::milliseconds(200));
    for (const connectors::RawRecord& r : batch.records) sink.write(r.key, r.value);
    written += batch.size();
    if (batch.end_of_input) break;
  }
  const auto flush_timeout = g_stop_signals > 0 ? kFlushOnSignal : kFlushAtEnd;
  for (const connectors::DeliveryError& e : sink.flush(flush_timeout)) {
    std::cerr << "ananas generate: delivery failed: " << e.message << "\n";
    ++failed;
  }
  sink.close();
  uint64_t delivered = sink.delivered();
  if (delivered < written && failed == 0) failed = written - delivered;  // defensive: nothing goes unreported
  std::cout << "produced " << delivered << " orders to topic '" << args.get("topic") << "'"
            << (failed ? " (" + std::to_string(failed) + " failed)" : "") << std::endl;
  return failed ? kExitInvalid : kExitOk;
}

}  // namespace

ANANAS_COMMAND(generate, "generate", "produce pizza orders (the tutorial's input) to a Kafka topic", run_generate);

}  // namespace ananas::cli
