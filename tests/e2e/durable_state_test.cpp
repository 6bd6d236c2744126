// Durable state end to end: the tutorial's apps run by `ananas run` against
// `ananas broker`, stopped or killed mid-stream and started again with the
// same files. Outputs are read with kcat and compared with the offline oracle
// (`ananas test` for final tables and exact multisets, `ananas replay` for
// the filter's duplicate count).
//
// - A graceful stop (SIGTERM) takes a final checkpoint: the next process
//   resumes from it, so every output equals the oracle's exactly, append
//   output included (no duplicate, nothing missing).
// - A crash (SIGKILL) loses nothing: the next process resumes from the last
//   completed checkpoint, so upsert tables are exact and the append output
//   is complete; it re-sends what was written after that checkpoint, at most
//   input rate x checkpoint interval x rows per order per kill
//   (docs/reliability.md).
//
// The input ends as in tutorial_apps_test.cpp: after the last order, 11 s
// (window 5 s + watermark delay 5 s + margin), then one order without pizzas
// per partition moves every watermark past all data and adds no row.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "e2e_apps.hpp"
#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

using namespace ananas::e2e;

namespace {

// What a worker that resumed says on stderr, per app; "" when it said it for all.
std::string not_resumed(const std::string& stderr_text, const std::vector<App>& apps) {
  std::string missing;
  for (const auto& a : apps)
    if (stderr_text.find("pipeline '" + a.pipeline + "': resuming from checkpoint") == std::string::npos)
      missing += a.pipeline + " ";
  return missing;
}

// One SIGKILL of the crash test: the filter's last completed checkpoint as
// the status showed it just before the kill (a checkpoint completing in
// between only lowers what is re-sent), how long before the kill that
// checkpoint's barrier went round, and how many orders had been handed to
// the producer by the kill (the most the worker could have read).
struct Kill {
  uint64_t checkpoint = 0;
  int64_t age_ms = 0, duration_ms = 0;
  size_t written = 0;
};

struct ResendBound {
  size_t rows = 0, orders = 0;
  std::string problems;
};

// The most rows `kills` can have made `app` write twice: for each kill, the
// oracle's rows of every order that had been handed to the producer by then
// (order ids are produced in order from 0) and lies at or after the position
// of the checkpoint the next worker resumed from, in its partition. The
// positions come from the pipeline's checkpoints topic.
ResendBound resend_bound(const std::string& bootstrap, const App& app, const std::string& input_dump,
                         const std::vector<Kill>& kills, int partitions) {
  ResendBound out;
  std::map<uint64_t, std::vector<int64_t>> positions;  // checkpoint id -> next offset per partition
  for (const auto& r : kcat_dump(bootstrap, "ananas-" + app.pipeline + "-checkpoints")) {
    if (!r["payload"].is_string()) continue;  // a tombstone
    const auto record = nlohmann::json::parse(r["payload"].get<std::string>());
    const auto& sources = record["sources"];
    if (sources.size() != 1) {
      out.problems += "checkpoint record with " + std::to_string(sources.size()) + " sources\n";
      continue;
    }
    std::vector<int64_t> next(static_cast<size_t>(partitions), 0);
    for (const auto& line : lines_of(sources.begin()->get<std::string>())) {  // topic:partition:offset
      const size_t last = line.rfind(':'), middle = line.rfind(':', last - 1);
      if (last == std::string::npos || middle == std::string::npos) continue;
      const int p = std::atoi(line.c_str() + middle + 1);
      if (p >= 0 && p < partitions) next[static_cast<size_t>(p)] = std::atoll(line.c_str() + last + 1);
    }
    positions[record["checkpoint"].get<uint64_t>()] = std::move(next);
  }
  struct Order {
    int partition;
    int64_t offset, id;
  };
  std::vector<Order> orders;
  for (const auto& line : lines_of(read_text(input_dump))) {
    if (line.empty()) continue;
    const auto r = nlohmann::json::parse(line);
    const auto order = nlohmann::json::parse(r["payload"].get<std::string>());
    orders.push_back({r["partition"].get<int>(), r["offset"].get<int64_t>(), order["id"].get<int64_t>()});
  }
  std::map<int64_t, size_t> rows_of;  // order id -> the oracle's output rows for it
  const Result oracle = run({ananas_binary(), "replay", app.file, "--input", input_dump}, 120s);
  if (oracle.exit_code != 0) out.problems += "ananas replay failed: " + oracle.err + "\n";
  for (const auto& line : lines_of(oracle.out)) {
    if (line.empty()) continue;
    const auto r = nlohmann::json::parse(line);
    ++rows_of[nlohmann::json::parse(r["payload"].get<std::string>())["id"].get<int64_t>()];
  }
  for (const Kill& k : kills) {
    const auto it = positions.find(k.checkpoint);
    if (it == positions.end()) {
      out.problems += "checkpoint " + std::to_string(k.checkpoint) + " is not in the checkpoints topic\n";
      continue;
    }
    for (const Order& o : orders) {
      if (o.id < 0 || o.id >= static_cast<int64_t>(k.written)) continue;
      if (o.offset < it->second[static_cast<size_t>(o.partition)]) continue;
      ++out.orders;
      const auto rows = rows_of.find(o.id);
      if (rows != rows_of.end()) out.rows += rows->second;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("each tutorial app stopped gracefully mid-stream and started again writes exactly the oracle's output",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("graceful-restart");
  const std::vector<App> apps = tutorial_apps(dir);  // all five in one worker
  const std::vector<std::string> outputs = topics_of(apps);
  std::vector<std::string> topics = {"pizzas"};
  topics.insert(topics.end(), outputs.begin(), outputs.end());
  BrokerProcess broker(dir, 3, topics);
  const std::string& b = broker.bootstrap();

  auto first = std::make_unique<WorkerProcess>(dir, "worker1", b, files_of(apps));
  // The input, in the background: 04-trends' rising and falling 1 s windows,
  // then 04-trends-up-down's 5 s windows (up, up | restart | up, down, down),
  // so the restart falls inside an open window and a pattern half matched.
  std::atomic<int> phase{0};
  std::atomic<int> orders{0};
  std::string feed_error;  // written before phase turns 2
  std::thread feeder([&] {
    try {
      orders += generate_trending_orders(b, 100000);
      orders += generate_window_aligned(b, 500000, 5000, 4000, {20, 60});
      phase = 1;
      orders += generate_window_aligned(b, 520000, 5000, 4000, {150, 40, 10});
    } catch (const std::exception& e) {
      feed_error = e.what();
    }
    phase = 2;
  });
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{feeder};

  REQUIRE(wait_until_true([&] { return phase >= 1; }, 60s));
  {
    INFO("worker 1 stderr:\n" << first->process().err());
    REQUIRE(wait_until_true([&] { return all_checkpointed(first->base_url(), apps); }, 30s));
  }
  const size_t filter_before = kcat_dump(b, "pizza_stream_out_filter").size();
  REQUIRE(filter_before > 0);
  REQUIRE(first->process().signal_and_wait(SIGTERM, 30s) == 0);
  std::cout << "graceful restart: worker 1 stopped after " << filter_before << " filter rows\n";

  WorkerProcess second(dir, "worker2", b, files_of(apps));
  feeder.join();
  REQUIRE(feed_error.empty());
  std::this_thread::sleep_for(11s);
  produce_flush_orders(b, 3);
  const auto counts = wait_until_stable(b, outputs, 4s, 90s);
  REQUIRE(second.process().running());
  INFO("worker 2 stderr:\n" << second.process().err());
  CHECK(not_resumed(second.process().err(), apps) == "");

  const auto input = kcat_dump(b, "pizzas", dir.file("pizzas.jsonl"));
  CHECK(input.size() == static_cast<size_t>(orders) + 3);  // + the flush orders
  CHECK(counts[0] > filter_before);                          // the second worker wrote its part
  check_outputs_equal_oracle(dir, b, apps, counts, dir.file("pizzas.jsonl"), "graceful restart");
  CHECK(second.process().signal_and_wait(SIGTERM, 30s) == 0);
}

TEST_CASE("twenty SIGKILLs over 100,000 orders: upsert tables exact, append output complete, duplicates bounded",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  constexpr int kOrders = 100000;
  constexpr int kKills = 20;
  // ~860 bytes an order: 100,000 orders are 86 MB, 3.6 MB in each of 24
  // partitions, under the development broker's 5 MiB per partition.
  constexpr int kPartitions = 24;
  constexpr Millis kInterval = 500ms;
  // Orders/s in alternate seconds (2,000/s on average, ~50 s): 04-trends' 1 s
  // windows rise and then fall by more than 30 %, so it has trends to report.
  const std::vector<int> kRates = {1300, 2700};
  const unsigned seed = getenv("ANANAS_E2E_SEED") ? static_cast<unsigned>(std::atoi(getenv("ANANAS_E2E_SEED"))) : 9;
  ScratchDir dir("crashes");

  const std::string interval = "settings: {checkpoint_interval: " + std::to_string(kInterval.count()) + "ms}\n";
  auto with_interval = [&](const std::string& yaml, std::vector<std::pair<std::string, std::string>> more = {}) {
    more.insert(more.begin(), {"parallelism: 1\n", "parallelism: 1\n" + interval});
    return edited_example(dir, yaml, more);
  };
  // The filter's rows have no key: one by one at random over the partitions
  // (sticky partitioning would put a restarted worker's catch-up burst into
  // one partition, past what the development broker keeps).
  const std::vector<App> apps = {
      {"01-basic-filtering",
       with_interval("01-basic-filtering.yaml",
                     {{"      topic: pizza_stream_out_filter\n",
                       "      topic: pizza_stream_out_filter\n      properties.sticky.partitioning.linger.ms: \"0\"\n"}}),
       "pizza_stream_out_filter", true},
      {"02-aggregating", with_interval("02-aggregating.yaml"), "pizza_stream_out_agg"},
      {"03-windowing", with_interval("03-windowing.yaml"), "pizza_stream_out_agg_windows"},
      {"04-trends", with_interval("04-trends.yaml"), "pizza_stream_out_trends"}};
  const std::vector<std::string> outputs = topics_of(apps);
  // The state topics, created with enough partitions up front (the
  // development broker cannot create topics on request; it would make them
  // on the first write with 4 partitions, too few for 02's 100,000 keys).
  const std::vector<std::string> state_topics = {
      "ananas-01-basic-filtering-checkpoints",
      "ananas-02-aggregating-checkpoints",
      "ananas-02-aggregating-aggregate-changelog",
      "ananas-02-aggregating-upsert_materialize-changelog",
      "ananas-03-windowing-checkpoints",
      "ananas-03-windowing-window_aggregate-changelog",
      "ananas-04-trends-checkpoints",
      "ananas-04-trends-window_aggregate-changelog",
      "ananas-04-trends-match_recognize-changelog"};
  std::vector<std::string> topics = {"pizzas"};
  topics.insert(topics.end(), outputs.begin(), outputs.end());
  topics.insert(topics.end(), state_topics.begin(), state_topics.end());
  BrokerProcess broker(dir, kPartitions, topics);
  const std::string& b = broker.bootstrap();

  const std::string orders_file = dir.file("orders.kv");
  const Result gen = run({ananas_binary(), "generate", "--output", orders_file, "--count", std::to_string(kOrders),
                          "--start-id", "0"},
                         60s);
  REQUIRE(gen.exit_code == 0);
  std::vector<std::string> values;  // "key<TAB>value" lines: the values, produced without keys
  for (const auto& line : lines_of(read_text(orders_file))) values.push_back(line.substr(line.find('\t') + 1));
  REQUIRE(values.size() == static_cast<size_t>(kOrders));

  int started = 0;
  auto start_worker = [&] {
    return std::make_unique<WorkerProcess>(dir, "worker" + std::to_string(started++), b, files_of(apps));
  };
  auto worker = start_worker();
  PacedProducer feed(dir, b, "pizzas", std::move(values), kRates);

  // Each kill comes at a random moment within two checkpoint intervals after
  // the filter completed a checkpoint in the running process, so that every
  // kill has a checkpoint of its own to resume from. The other apps may be
  // killed at any point, restoring included.
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, static_cast<int>(2 * kInterval.count()));
  int kills = 0, kills_while_feeding = 0, restores_interrupted = 0;
  std::vector<Kill> kill_log;
  std::string filter_not_resumed;
  const auto kill_loop_started = std::chrono::steady_clock::now();
  while (kills < kKills) {
    {
      INFO("worker " << started - 1 << " stderr:\n" << worker->process().err());
      REQUIRE(wait_until_true([&] { return all_checkpointed(worker->base_url(), {apps[0]}); }, 30s));
    }
    if (started > 1 && !not_resumed(worker->process().err(), {apps[0]}).empty())
      filter_not_resumed += "worker " + std::to_string(started - 1) + "\n";
    std::this_thread::sleep_for(Millis(delay_ms(random)));
    kills_while_feeding += feed.feeding() ? 1 : 0;
    const auto status = http_get(worker->base_url() + "/pipelines/" + apps[0].pipeline + "/status");
    worker->process().kill_now();
    Kill k;
    k.written = feed.written();
    REQUIRE(status.first == 200);
    const auto c = nlohmann::json::parse(status.second)["checkpoints"];
    REQUIRE(c["last_completed"].is_number_unsigned());
    k.checkpoint = c["last_completed"].get<uint64_t>();
    k.duration_ms = c.value("duration_ms", int64_t{0});
    const int64_t now = std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch()).count();
    k.age_ms = now - (c.value("completed_at_ms", int64_t{0}) - k.duration_ms);
    kill_log.push_back(k);
    REQUIRE(worker->process().wait(0ms) == -SIGKILL);
    // Killed before every app had read its checkpoint back (02's state takes longest).
    if (started > 1 && !not_resumed(worker->process().err(), apps).empty()) ++restores_interrupted;
    ++kills;
    worker = start_worker();
  }
  const double kill_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - kill_loop_started).count();
  const std::string feed_problem = feed.finish(120s);
  REQUIRE(feed_problem == "");
  std::this_thread::sleep_for(11s);
  produce_flush_orders(b, kPartitions);

  // Stable output: end offsets unchanged for 3 s (reading 300,000 records each time would take longer).
  auto total = [&](const std::string& topic) {
    int64_t sum = 0;
    for (const auto& p : partition_offsets(b, topic, kPartitions)) sum += p.next;
    return sum;
  };
  std::vector<int64_t> counts, last;
  auto quiet_since = std::chrono::steady_clock::now();
  REQUIRE(wait_until_true(
      [&] {
        counts.clear();
        for (const auto& t : outputs) counts.push_back(total(t));
        if (counts != last) {
          last = counts;
          quiet_since = std::chrono::steady_clock::now();
        }
        return std::chrono::steady_clock::now() - quiet_since >= 3s;
      },
      90s));
  REQUIRE(worker->process().running());
  INFO("last worker stderr:\n" << worker->process().err());
  INFO("workers whose filter did not say it resumed:\n" << filter_not_resumed);
  CHECK(filter_not_resumed == "");
  CHECK(not_resumed(worker->process().err(), apps) == "");  // the last worker resumed every app

  // The setup kept everything: no partition lost its oldest records to the
  // broker's retention, and every state topic was one created above.
  for (const auto& t : topics) {
    const auto offsets = partition_offsets(b, t, kPartitions);
    for (size_t p = 0; p < offsets.size(); ++p) {
      INFO(t << " partition " << p << " lost its first records to the broker's 5 MiB retention");
      CHECK(offsets[p].first == 0);
    }
  }
  for (const auto& [topic, partitions] : topic_partitions(b)) {
    INFO("topic " << topic << " has " << partitions << " partitions: the worker created it, it is missing above");
    CHECK((topic.rfind("ananas-", 0) != 0 || partitions == kPartitions));
  }

  const std::string input = dir.file("pizzas.jsonl");
  CHECK(kcat_dump_to_file(b, "pizzas", input) == static_cast<size_t>(kOrders + kPartitions));  // + flush orders
  for (size_t i = 0; i < apps.size(); ++i) {
    const App& a = apps[i];
    INFO(a.pipeline << ": " << counts[i] << " output records");
    CHECK(counts[i] > 0);  // or comparing with the oracle proves little
    const std::string dump = dir.file(a.topic + ".jsonl");
    kcat_dump_to_file(b, a.topic, dump);
    if (!a.append) {
      std::string report;
      const int code = oracle_test(a.file, input, dump, report);
      INFO(report);
      CHECK(code == 0);  // the final table per key equals the oracle's
      continue;
    }
    const AppendComparison c = compare_append_output(a.file, input, dump);
    const ResendBound bound = resend_bound(b, a, input, kill_log, kPartitions);
    double age_sum = 0;
    int64_t longest_age = 0, longest_duration = 0;
    for (const Kill& k : kill_log) {
      age_sum += static_cast<double>(k.age_ms) / 1000;
      longest_age = std::max(longest_age, k.age_ms);
      longest_duration = std::max(longest_duration, k.duration_ms);
    }
    const double rate = kOrders / feed.seconds();
    const double rows_per_order = static_cast<double>(c.oracle_records) / kOrders;
    std::ostringstream figures;
    figures << a.pipeline << " under " << kills << " SIGKILLs (" << kills_while_feeding << " while feeding, seed "
            << seed << ", " << restores_interrupted << " before every app had restored its state, over "
            << static_cast<int>(kill_seconds) << " s): " << kOrders << " orders at " << static_cast<int>(rate)
            << "/s, checkpoint interval " << kInterval.count() << " ms, " << rows_per_order << " rows/order; oracle "
            << c.oracle_records << " rows, output " << c.output_records << "; missing " << c.missing
            << ", unexpected " << c.unexpected << ", duplicated " << c.duplicated << " = "
            << static_cast<long>(c.duplicated / kills) << " per kill; bound (rows of the orders written after the "
            << "resumed checkpoint's positions) " << bound.rows << " from " << bound.orders
            << " orders; checkpoint barrier " << static_cast<long>(age_sum * 1000 / kills) << " ms before a kill on "
            << "average, at most " << longest_age << " ms; longest checkpoint " << longest_duration << " ms";
    std::cout << figures.str() << "\n";
    INFO(figures.str() << "\n" << bound.problems << c.problems);
    CHECK(bound.problems == "");
    CHECK(c.missing == 0);
    CHECK(c.unexpected == 0);
    CHECK(c.duplicated <= bound.rows);
  }
  CHECK(worker->process().signal_and_wait(SIGTERM, 30s) == 0);
}
