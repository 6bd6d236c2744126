// `ananas demo`: the tutorial with nothing installed. An embedded Kafka
// wire-protocol broker, a pizza-order generator, the tutorial's pipelines run
// by the real worker, and a consumer that prints every anomaly as it is
// written, plus the REST and /metrics addresses. Runs until Ctrl-C or --duration.
#include <unistd.h>

#include <atomic>
#include <climits>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "actors/drivers/rest_translator.hpp"
#include "actors/drivers/worker_pipelines.hpp"
#include "actors/http_server.hpp"
#include "actors/termination_signals.hpp"
#include "actors/worker.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "connectors/datagen/datagen_source.hpp"
#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_source.hpp"
#include "core/timefmt.hpp"

namespace ananas::cli {

namespace {

namespace fs = std::filesystem;

// The four tutorial applications, unchanged (04-trends-up-down is the other
// variant of 04 and writes to the same topic, so the demo runs one of them).
const std::vector<std::string> kDemoApps = {"01-basic-filtering.json", "02-aggregating.json", "03-windowing.json",
                                            "04-trends.json"};

// Where the shipped examples are: --pipelines, else next to the working
// directory or the executable (a build folder inside the source tree, or an
// install prefix).
fs::path find_examples(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  std::vector<fs::path> candidates = {"pipelines/examples"};
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / "../pipelines/examples");
    candidates.push_back(exe.parent_path() / "../../pipelines/examples");
    candidates.push_back(exe.parent_path() / "../share/ananas/pipelines/examples");
  }
  for (const auto& c : candidates)
    if (fs::exists(c / kDemoApps.front())) return fs::weakly_canonical(c);
  throw UsageError("cannot find the tutorial pipelines (pipelines/examples/" + kDemoApps.front() +
                   "); run from the source tree or pass --pipelines DIR");
}

// Produces pizza orders into every partition in turn: a keyed producer would
// leave partitions without any shop empty, and an empty partition holds the
// source watermark back (as in Flink), so no window would ever fire.
class OrderGenerator {
 public:
  OrderGenerator(const std::string& bootstrap, double rate, double rate_variation, int partitions)
      : source_({{"rate", std::to_string(rate)}, {"rate-variation", std::to_string(rate_variation)}, {"topic", "pizzas"}},
                {"demo", "pizzas", {}}),
        sink_({{"topic", "pizzas"}, {"properties.bootstrap.servers", bootstrap}, {"properties.linger.ms", "20"}},
              {"demo", "pizzas", {}}),
        partitions_(partitions),
        thread_([this] { loop(); }) {}
  ~OrderGenerator() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  uint64_t produced() const { return produced_; }

 private:
  void loop() {
    int32_t next = 0;
    while (!stop_) {
      connectors::RawBatch batch = source_.poll(100, std::chrono::milliseconds(100));
      for (const auto& r : batch.records) {
        sink_.write(r.key, r.value, next);
        next = (next + 1) % partitions_;
      }
      produced_ += batch.size();
    }
    for (const auto& e : sink_.flush(std::chrono::seconds(5))) std::cerr << "demo generator: " << e.message << "\n";
    sink_.close();
  }

  connectors::datagen::DatagenSource source_;
  connectors::kafka::KafkaSink sink_;
  int partitions_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> produced_{0};
  std::thread thread_;
};

// Reads the output topics and prints one line per record: `[pipeline] key -> value`.
class AnomalyPrinter {
 public:
  AnomalyPrinter(const std::string& bootstrap, std::map<std::string, std::string> pipeline_of_topic)
      : pipeline_of_topic_(std::move(pipeline_of_topic)) {
    std::string topics;
    for (const auto& [t, p] : pipeline_of_topic_) topics += (topics.empty() ? "" : ";") + t;
    source_ = std::make_unique<connectors::kafka::KafkaSource>(
        connectors::Options{{"topic", topics},
                            {"properties.bootstrap.servers", bootstrap},
                            {"properties.group.id", "ananas-demo-printer"},
                            {"scan.startup.mode", "earliest-offset"}},
        connectors::ConnectorContext{"demo", "anomalies", {}});
    thread_ = std::thread([this] { loop(); });
  }
  ~AnomalyPrinter() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (source_) source_->close();
    source_.reset();  // the consumer handle goes before the broker does
  }
  uint64_t printed() const { return printed_; }

 private:
  void loop() {
    while (!stop_) {
      connectors::RawBatch batch = source_->poll(500, std::chrono::milliseconds(200));
      for (const auto& r : batch.records) {
        std::cout << "[" << pipeline_of_topic_[std::string(r.topic)] << "] " << (r.key ? *r.key : "null") << " -> "
                  << (r.value ? *r.value : "null") << "\n";
      }
      if (!batch.empty()) std::cout.flush();
      printed_ += batch.size();
    }
  }

  std::map<std::string, std::string> pipeline_of_topic_;
  std::unique_ptr<connectors::kafka::KafkaSource> source_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> printed_{0};
  std::thread thread_;
};

int run_demo(int argc, char** argv) {
  Args args("ananas demo [--rate R] [--duration 30s] [--http-port P] [--partitions N] [--pipelines DIR]",
            "The tutorial with nothing else installed or running: starts an embedded Kafka wire-protocol broker\n"
            "(topic pizzas and the four output topics), produces pizza orders into pizzas at --rate, runs the\n"
            "tutorial's applications (01-basic-filtering, 02-aggregating, 03-windowing, 04-trends, unchanged)\n"
            "through the real worker, and prints every anomaly they write as `[pipeline] key -> value`.\n"
            "Prints the broker address (point kcat at it) and the REST and /metrics addresses. Runs until\n"
            "Ctrl-C or --duration, then drains like `ananas run` and exits 0.\n"
            "\n"
            "Windows fire when the watermark (order time - 5 s) passes their end, so the first windowed\n"
            "anomalies appear after ~10 s. The embedded broker keeps at most 5 MiB per partition (older orders\n"
            "are dropped); orders go round-robin to --partitions partitions (~6,500 orders each).");
  args.option("rate", "R", "pizza orders per second, on average", "r", "50")
      .option("rate-variation", "V",
              "each second's rate is drawn from rate × [1-V, 1+V] (0 to 0.9; 0 = steady), so counts rise and fall "
              "as the trend app looks for",
              "", connectors::datagen::kLiveRateVariation)
      .option("duration", "D", "stop after this long, e.g. 30s or 2min (default: until Ctrl-C)", "d")
      .option("http-host", "H", "address of the REST/metrics port", "", "127.0.0.1")
      .option("http-port", "P", "REST/metrics port; 0 = any free port", "p", "8083")
      .option("partitions", "N", "partitions of the pizzas topic", "", "3")
      .option("pipelines", "DIR", "folder holding the tutorial's application JSON files");
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  const double rate = args.get_double("rate", 0.1, 100000);
  const double rate_variation = args.get_double("rate-variation", 0, 0.9);
  const int partitions = static_cast<int>(args.get_int("partitions", 1, 256));
  const int http_port = static_cast<int>(args.get_int("http-port", 0, 65535));
  std::optional<std::chrono::milliseconds> duration;
  if (auto d = args.get_optional("duration")) {
    auto ms = parse_duration_millis(*d);
    if (!ms || *ms <= 0) throw UsageError("--duration expects a duration such as 30s or 2min, got '" + *d + "'");
    duration = std::chrono::milliseconds(*ms);
  }
  const fs::path examples = find_examples(args.get_optional("pipelines"));

  rt::block_termination_signals();  // before any thread starts (see termination_signals.hpp)

  auto metrics = std::make_shared<rt::Metrics>();
  std::vector<std::string> files;
  for (const auto& app : kDemoApps) files.push_back((examples / app).string());
  std::shared_ptr<rt::drivers::WorkerPipelines> loaded;
  try {
    loaded = rt::drivers::load_worker_pipelines(pipeline::read_inputs(files), metrics);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  }
  std::cerr << "(" << loaded->warnings.size()
            << " tutorial leniencies applied with warnings; `ananas validate` lists them)\n";

  std::map<std::string, std::string> pipeline_of_topic;
  std::vector<std::string> topics = {"pizzas"};
  for (const auto& b : loaded->built)
    for (const auto& s : b.sinks) {
      pipeline_of_topic[s.topic] = b.model->name;
      topics.push_back(s.topic);
    }

  connectors::EmbeddedBroker broker;
  const std::string bootstrap = broker.start(1, {});
  broker.create_topic("pizzas", partitions);
  for (const auto& [topic, p] : pipeline_of_topic) broker.create_topic(topic, 1);

  rt::drivers::WorkerSettings settings;
  settings.bootstrap_servers = bootstrap;
  auto graphs = rt::drivers::to_pipeline_graphs(loaded, settings);
  rt::Worker worker(rt::WorkerConfig{}, metrics);
  for (auto& g : graphs) worker.add(std::move(g));

  auto translator = rt::drivers::make_pipeline_translator(metrics, settings);
  auto http = std::make_unique<rt::HttpServer>(worker, translator, rt::HttpOptions{args.get("http-host"), http_port});
  int port = 0;
  try {
    port = http->start();
  } catch (const std::exception& e) {
    // The default port is taken (another worker?): the demo works as well on any port.
    if (http_port == 0 || args.has("http-port")) throw;
    std::cerr << "port " << http_port << " is not available (" << e.what() << "); using a free port\n";
    http = std::make_unique<rt::HttpServer>(worker, translator, rt::HttpOptions{args.get("http-host"), 0});
    port = http->start();
  }
  const std::string base = "http://" + args.get("http-host") + ":" + std::to_string(port);

  auto generator = std::make_unique<OrderGenerator>(bootstrap, rate, rate_variation, partitions);
  auto printer = std::make_unique<AnomalyPrinter>(bootstrap, pipeline_of_topic);
  std::cout << "ananas demo: broker " << bootstrap << ", " << rate << " pizza orders/s into 'pizzas' (" << partitions
            << " partitions)\n"
            << "pipelines: ";
  for (const auto& name : worker.names()) std::cout << name << " ";
  std::cout << "\nREST API: " << base << "/pipelines\n"
            << "metrics: " << base << "/metrics\n"
            << "try: kcat -b " << bootstrap << " -C -t pizza_stream_out_agg_windows -e\n"
            << (duration ? "running for " + *args.get_optional("duration") : std::string("Ctrl-C to stop"))
            << "; anomalies below as [pipeline] key -> value" << std::endl;

  auto sig = rt::wait_for_termination_signal(duration);
  std::cerr << (sig ? "signal " + std::to_string(*sig) : std::string("duration reached")) << ": stopping\n";
  generator->stop();
  worker.stop();
  // Give the printer a moment to show what the final checkpoint flushed.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  printer->stop();
  http->stop();
  std::cerr << "ananas demo: " << generator->produced() << " orders produced, " << printer->printed()
            << " anomalies printed\n";
  // Every Kafka client goes before the broker, so none logs a lost connection.
  generator.reset();
  printer.reset();
  broker.stop();
  return kExitOk;
}

}  // namespace

ANANAS_COMMAND(demo, "demo", "the tutorial end to end with nothing installed: broker, generator, pipelines, anomalies",
               run_demo);

}  // namespace ananas::cli
