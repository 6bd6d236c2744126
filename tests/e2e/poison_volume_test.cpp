// Poison at volume: pizza orders of which one in ten is malformed in one of
// a dozen ways (tests/e2e/poison_records.hpp), plus 10 MB values, through a
// worker with `on_error: dead-letter`. The worker stays up; every malformed
// record is counted in ananas_bad_records_total and is in the dead-letter
// topic once, key and value byte for byte, with headers naming the pipeline,
// topic, partition, offset and error; records without a value give no row
// (Flink's JSON format) and are counted in ananas_records_without_row_total
// {reason="no_value"}; every good order's row is in the output once.
// The 10 MB values go through a second pipeline of the same worker, on
// topics of their own (the development broker cannot keep a record above
// 5 MiB in a partition that holds others: see the test).
//
// CI runs 20,000 records and two 10 MB values (about 7 s). scripts/poison_volume.sh
// runs the same test with ANANAS_POISON_RECORDS=1000000 and prints the
// figures (docs/reliability.md, "Poison at volume").
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <tuple>

#include "e2e_kafka.hpp"
#include "poison_records.hpp"

using namespace ananas::e2e;
using namespace ananas::e2e::poison;

namespace {

size_t env_count(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::stoull(v) : fallback;
}

// The worker's peak resident memory (VmHWM), in MiB.
double peak_rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1;
}

// The pipeline `name` reads `topic` and dead-letters to `dead_letters`.
std::string pipeline_yaml(const std::string& name, const std::string& topic, const std::string& dead_letters) {
  return "pipeline: " + name + "\ndead_letter_topic: " + dead_letters + "\n" + R"(parallelism: 1
on_error: dead-letter
sources:
  - name: orders
    connector: kafka
    format: json
    options:
      properties.bootstrap.servers: ""
      scan.startup.mode: earliest-offset
      topic: )" + topic + R"(
    columns:
      - {name: id, type: INT}
      - {name: shop, type: STRING}
      - {name: name, type: STRING}
      - {name: pizzas, type: "ARRAY<ROW<pizzaName STRING, additionalToppings ARRAY<STRING>>>"}
      - {name: extras, type: "MAP<STRING, INT>"}
operators:
  - name: ids
    type: calc
    input: orders
    select:
      - {name: id, expr: id}
      - {name: shop, expr: shop}
sinks:
  - name: out
    input: ids
    connector: kafka
    format: json
    options:
      properties.bootstrap.servers: ""
      topic: poison_out
    columns:
      - {name: id, type: INT}
      - {name: shop, type: STRING}
)";
}

// The pipeline that reads each input topic.
const std::map<std::string, std::string> kPipelineOf = {{"poison_in", "poison"}, {"poison_huge", "poison_huge"}};
using Position = std::tuple<std::string, int32_t, int64_t>;  // topic, partition, offset

// What the dead-letter topic and the output hold, against what was produced.
struct Tally {
  std::set<Position> read;  // dead letters examined, by their own position
  size_t bad_expected = 0, dead_lettered = 0, dead_letters_exact = 0, duplicates = 0, unexpected = 0;
  size_t good_expected = 0, outputs = 0, outputs_missing = 0, outputs_extra = 0;
  std::string first_problem;
  void problem(const std::string& p) {
    if (first_problem.empty()) first_problem = p;
  }
};

// The dead letters of `dlq_topic` against the records by their position;
// `seen`: the records dead-lettered so far.
void check_dead_letters(const std::map<Position, const Record*>& by_position, const std::string& dlq_topic,
                        const std::vector<Consumed>& dlq, std::set<Position>& seen, Tally& t) {
  for (const auto& d : dlq) {
    if (!t.read.insert({dlq_topic, d.partition, d.offset}).second) continue;  // read again by a later pass
    auto header = [&](const std::string& k) {
      auto it = d.headers.find(k);
      return it == d.headers.end() ? std::string() : it->second;
    };
    const std::string topic = header("__ananas.errors.topic");
    const auto pipeline = kPipelineOf.find(topic);
    if (pipeline == kPipelineOf.end() || header("__ananas.errors.pipeline") != pipeline->second ||
        header("__ananas.errors.exception.message").empty()) {
      ++t.unexpected;
      t.problem("a dead letter without the expected headers at " + dlq_topic + "/" + std::to_string(d.partition) +
                "@" + std::to_string(d.offset));
      continue;
    }
    const Position at{topic, std::stoi(header("__ananas.errors.partition")),
                      std::stoll(header("__ananas.errors.offset"))};
    auto it = by_position.find(at);
    if (it == by_position.end() || !is_malformed(it->second->kind)) {
      ++t.unexpected;
      t.problem("a dead letter for a record that is not malformed: " + topic + "/" + std::to_string(std::get<1>(at)) +
                "@" + std::to_string(std::get<2>(at)) + ": " + header("__ananas.errors.exception.message"));
      continue;
    }
    if (!seen.insert(at).second) {
      ++t.duplicates;
      continue;
    }
    ++t.dead_lettered;
    const Record& r = *it->second;
    if (d.key == r.key && d.value == r.value) ++t.dead_letters_exact;
    else t.problem(std::string("a dead letter differs from its record (") + kind_name(r.kind) + ")");
  }
}

}  // namespace

TEST_CASE("poison at volume: one in ten records malformed, all counted and dead-lettered, all good output there",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  const size_t count = env_count("ANANAS_POISON_RECORDS", 20000);
  const size_t huge_count = env_count("ANANAS_POISON_HUGE", 2);
  constexpr size_t kHugeBytes = 10 << 20;

  PoisonGenerator generator(1);
  std::vector<Record> records;
  records.reserve(count);
  size_t bytes = 0;
  for (size_t i = 0; i < count; ++i) {
    records.push_back(generator.next());
    bytes += records.back().value ? records.back().value->size() : 0;
  }
  // The development broker keeps 5 MiB of each partition: enough partitions
  // that nothing is dropped before it is read (checked below).
  const int partitions = static_cast<int>(std::min<size_t>(1000, bytes * 2 / (4 << 20) + 4));

  // A 10 MB record must land in an empty partition: when the development
  // broker makes room for a record above its 5 MiB per partition, it drops
  // every older one and moves the partition's start past the new record too
  // (librdkafka's mock cluster), which then cannot be read. So they go to a
  // topic of their own, read by a second pipeline of the worker whose
  // dead-letter topic is its own, each under a key that puts it, and its
  // dead letter, in a partition of its own (both topics have `partitions`,
  // and both producers use librdkafka's default partitioner).
  REQUIRE(huge_count <= static_cast<size_t>(partitions));
  ScratchDir dir("poison");
  BrokerProcess broker(dir, partitions, {"poison_in", "poison_out", "poison_dlq", "poison_huge", "poison_huge_dlq"});
  write_text(dir.file("poison.yaml"), pipeline_yaml("poison", "poison_in", "poison_dlq"));
  write_text(dir.file("poison_huge.yaml"), pipeline_yaml("poison_huge", "poison_huge", "poison_huge_dlq"));
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {dir.file("poison.yaml"), dir.file("poison_huge.yaml")});
  const std::string base = worker.base_url();
  // Summed over both pipelines.
  auto metric = [&](const char* name, const std::string& filter = "") {
    return metric_sum(http_get(base + "/metrics").second, name, filter);
  };

  // The worker reads as the records arrive; its rate is taken from the start
  // of producing to the moment everything is counted (printed, not checked).
  const auto produce_start = std::chrono::steady_clock::now();
  produce(broker.bootstrap(), "poison_in", records);
  size_t bad = 0, good = 0, no_value = 0;
  for (const auto& r : records) {
    if (is_malformed(r.kind)) ++bad;
    else if (r.kind == Kind::Good) ++good;
    else ++no_value;
  }
  std::vector<Record> huge;
  std::set<int32_t> used;
  for (size_t i = 0; i < huge_count; ++i) {
    huge.push_back(generator.huge(kHugeBytes));
    const std::string key = *huge.back().key;
    for (int n = 0; !used.insert(default_partition(*huge.back().key, partitions)).second; ++n)
      huge.back().key = key + " #" + std::to_string(n);
  }
  produce(broker.bootstrap(), "poison_huge", huge);
  for (const auto& h : huge) REQUIRE(h.offset == 0);  // each alone in its partition
  bad += huge.size();

  // Done when every record is read: the good ones are rows in, the bad ones
  // and those without a value counted.
  auto without_value = [&] { return metric("ananas_records_without_row_total", "reason=\"no_value\""); };
  const bool caught_up = wait_until_true(
      [&] {
        return metric("ananas_bad_records_total") >= bad && without_value() >= no_value &&
               metric("ananas_records_out_total", "operator=\"ids\",pipeline=\"poison\"") >= good;
      },
      Millis(120000 + count / 10), 500ms);
  const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - produce_start).count();
  const std::string worker_err_hint = "worker stderr: " + dir.file("worker.err");
  INFO(worker_err_hint);
  CHECK(caught_up);
  for (const auto& o : partition_offsets(broker.bootstrap(), "poison_in", partitions))
    REQUIRE(o.first == 0);  // else the broker dropped input: more partitions
  // Sinks and dead letters are flushed at checkpoints: wait for the topics to hold them.
  auto records_in = [&](const char* topic) {
    size_t n = 0;
    for (const auto& o : partition_offsets(broker.bootstrap(), topic, partitions)) n += static_cast<size_t>(o.next - o.first);
    return n;
  };
  CHECK(wait_until_true(
      [&] {
        return records_in("poison_dlq") + records_in("poison_huge_dlq") >= bad && records_in("poison_out") >= good;
      },
      120s, 500ms));

  std::map<Position, const Record*> by_position;
  for (const auto& r : records) by_position[{"poison_in", r.partition, r.offset}] = &r;
  for (const auto& r : huge) by_position[{"poison_huge", r.partition, r.offset}] = &r;
  Tally t;
  std::set<Position> seen;
  check_dead_letters(by_position, "poison_dlq", consume_all(broker.bootstrap(), "poison_dlq", partitions), seen, t);
  check_dead_letters(by_position, "poison_huge_dlq", consume_all(broker.bootstrap(), "poison_huge_dlq", partitions),
                     seen, t);

  // Outputs: every good order's id once.
  std::map<int64_t, int> output_ids;
  for (const auto& o : consume_all(broker.bootstrap(), "poison_out", partitions)) {
    ++t.outputs;
    const auto j = nlohmann::json::parse(o.value.value_or("null"), nullptr, false);
    if (j.is_object() && j["id"].is_number_integer()) ++output_ids[j["id"].get<int64_t>()];
  }
  for (const auto& r : records) {
    if (r.kind != Kind::Good) continue;
    ++t.good_expected;
    auto it = output_ids.find(r.id);
    if (it == output_ids.end()) ++t.outputs_missing;
    else if (--it->second == 0) output_ids.erase(it);
  }
  t.outputs_extra = 0;
  for (const auto& [id, n] : output_ids) t.outputs_extra += static_cast<size_t>(n);
  t.bad_expected = bad;

  const double bad_counted = metric("ananas_bad_records_total");
  const double without_value_counted = without_value();
  const auto health = http_get(base + "/healthz");
  const double rss = peak_rss_mib(worker.process().pid());
  const bool alive = worker.process().running();
  std::cout << "poison at volume: " << count + huge.size() << " records (" << bad << " malformed incl. " << huge.size()
            << " of 10 MB, " << no_value << " without a value, " << good << " good) over " << partitions
            << " partitions\n"
            << "  all read and counted " << read_s << " s after producing started: "
            << static_cast<double>(count + huge.size()) / read_s << " records/s\n"
            << "  bad records counted: " << bad_counted << ", dead-lettered: " << t.dead_lettered << " (byte for byte: "
            << t.dead_letters_exact << ", twice: " << t.duplicates << ", unexpected: " << t.unexpected << ")\n"
            << "  without a value counted: " << without_value_counted << "\n"
            << "  outputs: " << t.outputs << " for " << t.good_expected << " good records (missing " << t.outputs_missing
            << ", extra " << t.outputs_extra << ")\n"
            << "  worker alive: " << (alive ? "yes" : "no") << ", /healthz " << health.first
            << ", peak RSS " << rss << " MiB" << std::endl;
  INFO("first problem: " << t.first_problem);
  CHECK(alive);
  CHECK(health.first == 200);
  CHECK(bad_counted == static_cast<double>(bad));
  CHECK(without_value_counted == static_cast<double>(no_value));
  CHECK(t.dead_lettered == bad);
  CHECK(t.dead_letters_exact == bad);
  CHECK(t.duplicates == 0);
  CHECK(t.unexpected == 0);
  CHECK(t.outputs_missing == 0);
  CHECK(t.outputs_extra == 0);
  CHECK(t.outputs == good);
  // Bounded: the backlog is never held whole (20,000 orders are 16 MB, a
  // million 800 MB); the 10 MB values pass through a few copies each.
  CHECK(rss < 1024);
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
}
