// Poison at volume: pizza orders of which one in ten is malformed in one of
// a dozen ways (tests/e2e/poison_records.hpp), plus 10 MB values, through a
// worker with `on_error: dead-letter`. The worker stays up; every malformed
// record is counted in ananas_bad_records_total and is in the dead-letter
// topic once, key and value byte for byte, with headers naming the pipeline,
// topic, partition, offset and error; records without a value give nothing
// (Flink's JSON format); every good order's row is in the output once.
//
// CI runs 20,000 records and two 10 MB values. scripts/poison_volume.sh runs
// the same test with ANANAS_POISON_RECORDS=1000000 and prints the figures
// (docs/reliability.md, "Poison at volume").
#include <catch2/catch.hpp>

#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

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

const char* const kPipeline = R"(pipeline: poison
parallelism: 1
on_error: dead-letter
dead_letter_topic: poison_dlq
sources:
  - name: orders
    connector: kafka
    format: json
    options:
      properties.bootstrap.servers: ""
      scan.startup.mode: earliest-offset
      topic: poison_in
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

// What the dead-letter topic and the output hold, against what was produced.
struct Tally {
  size_t bad_expected = 0, dead_lettered = 0, dead_letters_exact = 0, duplicates = 0, unexpected = 0;
  size_t good_expected = 0, outputs = 0, outputs_missing = 0, outputs_extra = 0;
  std::string first_problem;
  void problem(const std::string& p) {
    if (first_problem.empty()) first_problem = p;
  }
};

// Dead letters by (partition, offset) of their record in poison_in.
void check_dead_letters(const std::map<std::pair<int32_t, int64_t>, const Record*>& by_position,
                        const std::vector<Consumed>& dlq, std::set<std::pair<int32_t, int64_t>>& seen, Tally& t) {
  for (const auto& d : dlq) {
    auto header = [&](const std::string& k) {
      auto it = d.headers.find(k);
      return it == d.headers.end() ? std::string() : it->second;
    };
    if (header("__ananas.errors.topic") != "poison_in" || header("__ananas.errors.pipeline") != "poison" ||
        header("__ananas.errors.exception.message").empty()) {
      ++t.unexpected;
      t.problem("a dead letter without the expected headers at poison_dlq/" + std::to_string(d.partition) + "@" +
                std::to_string(d.offset));
      continue;
    }
    const std::pair<int32_t, int64_t> at{std::stoi(header("__ananas.errors.partition")),
                                         std::stoll(header("__ananas.errors.offset"))};
    auto it = by_position.find(at);
    if (it == by_position.end() || !is_malformed(it->second->kind)) {
      ++t.unexpected;
      t.problem("a dead letter for a record that is not malformed: poison_in/" + std::to_string(at.first) + "@" +
                std::to_string(at.second) + ": " + header("__ananas.errors.exception.message"));
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

  ScratchDir dir("poison");
  BrokerProcess broker(dir, partitions, {"poison_in", "poison_out", "poison_dlq"});
  write_text(dir.file("poison.yaml"), kPipeline);
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {dir.file("poison.yaml")});
  const std::string base = worker.base_url();
  auto metric = [&](const char* name, const std::string& filter = "pipeline=\"poison\"") {
    return metric_sum(http_get(base + "/metrics").second, name, filter);
  };

  produce(broker.bootstrap(), "poison_in", records);
  size_t bad = 0, good = 0, no_value = 0;
  for (const auto& r : records) {
    if (is_malformed(r.kind)) ++bad;
    else if (r.kind == Kind::Good) ++good;
    else ++no_value;
  }
  // Done when every record is read: the good ones are rows in, the bad ones counted.
  const bool caught_up = wait_until_true(
      [&] { return metric("ananas_bad_records_total") >= bad && metric("ananas_records_out_total", "operator=\"ids\",pipeline=\"poison\"") >= good; },
      Millis(120000 + count / 10), 500ms);
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
  CHECK(wait_until_true([&] { return records_in("poison_dlq") >= bad && records_in("poison_out") >= good; }, 120s, 500ms));

  // Read the dead letters before any 10 MB one arrives: the broker would drop
  // the older records of its partition to keep 5 MiB.
  std::map<std::pair<int32_t, int64_t>, const Record*> by_position;
  for (const auto& r : records) by_position[{r.partition, r.offset}] = &r;
  Tally t;
  std::set<std::pair<int32_t, int64_t>> seen;
  check_dead_letters(by_position, consume_all(broker.bootstrap(), "poison_dlq", partitions), seen, t);

  // Then the 10 MB values, last in their partitions.
  std::vector<Record> huge;
  for (size_t i = 0; i < huge_count; ++i) huge.push_back(generator.huge(kHugeBytes));
  produce(broker.bootstrap(), "poison_in", huge);
  bad += huge.size();
  CHECK(wait_until_true([&] { return metric("ananas_bad_records_total") >= bad; }, 120s, 500ms));
  for (const auto& r : huge) by_position[{r.partition, r.offset}] = &r;
  // Wait for the dead letters themselves (acknowledged before the next checkpoint).
  std::vector<Consumed> late;
  wait_until_true([&] {
    late = consume_all(broker.bootstrap(), "poison_dlq", partitions);
    size_t n = 0;
    for (const auto& d : late)
      if (d.value && d.value->size() >= kHugeBytes / 2) ++n;
    return n >= huge.size();
  }, 120s, 1000ms);
  check_dead_letters(by_position, late, seen, t);

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
  const auto health = http_get(base + "/healthz");
  const double rss = peak_rss_mib(worker.process().pid());
  const bool alive = worker.process().running();
  std::cout << "poison at volume: " << count + huge.size() << " records (" << bad << " malformed incl. " << huge.size()
            << " of 10 MB, " << no_value << " without a value, " << good << " good) over " << partitions
            << " partitions\n"
            << "  bad records counted: " << bad_counted << ", dead-lettered: " << t.dead_lettered << " (byte for byte: "
            << t.dead_letters_exact << ", twice: " << t.duplicates << ", unexpected: " << t.unexpected << ")\n"
            << "  outputs: " << t.outputs << " for " << t.good_expected << " good records (missing " << t.outputs_missing
            << ", extra " << t.outputs_extra << ")\n"
            << "  worker alive: " << (alive ? "yes" : "no") << ", /healthz " << health.first
            << ", peak RSS " << rss << " MiB" << std::endl;
  INFO("first problem: " << t.first_problem);
  CHECK(alive);
  CHECK(health.first == 200);
  CHECK(bad_counted == static_cast<double>(bad));
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
