// Processing-time windows in the worker on `ananas broker`: orders produced
// with kcat go into 1-second tumbling windows on PROCTIME(), which fire on
// the worker's clock. Which window an order lands in depends on when the
// worker reads it, so the test checks bounds, not rows: every order is
// counted exactly once over all window rows, each window is 1 s long and
// aligned to the second, and no window ends (or was stamped) later than when
// the test read it. Offline, `ananas replay --now` fixes the clock: it never
// reaches a window's end and, as in Flink (pending processing-time timers
// are dropped at the end of a bounded input), nothing is written.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

#include "core/timefmt.hpp"
#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

// `size`: the window size as an INTERVAL's number of seconds.
std::string window_sql(int size) {
  return R"(
CREATE TABLE orders (id BIGINT, pt AS PROCTIME())
  WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE counts (window_start TIMESTAMP(3), window_end TIMESTAMP(3), window_time TIMESTAMP_LTZ(3), cnt BIGINT, ids BIGINT)
  WITH ('connector' = 'kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO counts
SELECT window_start, window_end, window_time, COUNT(*) AS cnt, SUM(id) AS ids
  FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(pt), INTERVAL ')" +
         std::to_string(size) + R"(' SECOND))
  GROUP BY window_start, window_end, window_time;
)";
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string orders(int first, int count) {
  std::string text;
  for (int id = first; id < first + count; ++id) text += R"({"id":)" + std::to_string(id) + "}\n";
  return text;
}

struct WindowRow {
  int64_t start = 0, end = 0, time = 0, cnt = 0, ids = 0;
};

std::vector<WindowRow> window_rows(const std::string& bootstrap) {
  std::vector<WindowRow> rows;
  for (const auto& r : kcat_dump(bootstrap, "counts")) {
    const auto v = nlohmann::json::parse(r.at("payload").get<std::string>());
    std::string wt = v.at("window_time").get<std::string>();
    if (!wt.empty() && wt.back() == 'Z') wt.pop_back();  // TIMESTAMP_LTZ in the UTC session zone
    const auto start = ananas::parse_timestamp(v.at("window_start").get<std::string>());
    const auto end = ananas::parse_timestamp(v.at("window_end").get<std::string>());
    const auto time = ananas::parse_timestamp(wt);
    REQUIRE(start);
    REQUIRE(end);
    REQUIRE(time);
    rows.push_back({*start, *end, *time, v.at("cnt").get<int64_t>(), v.at("ids").get<int64_t>()});
  }
  return rows;
}

int64_t counted(const std::vector<WindowRow>& rows) {
  int64_t n = 0;
  for (const auto& r : rows) n += r.cnt;
  return n;
}

// The window rows once they count at least `orders` orders (30 s at most).
std::vector<WindowRow> wait_for_windows_counting(const std::string& bootstrap, int64_t orders) {
  std::vector<WindowRow> rows;
  REQUIRE(wait_until_true(
      [&] {
        rows = window_rows(bootstrap);
        return counted(rows) >= orders;
      },
      30s));
  return rows;
}

}  // namespace

TEST_CASE("processing-time tumbling windows in the worker count every order once, in aligned 1 s windows", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("proctime-window-live");
  BrokerProcess broker(dir, 1, {"orders", "counts"});
  write_text(dir.file("counts.sql"), window_sql(1));
  WorkerProcess worker(dir, "proctime", broker.bootstrap(), {dir.file("counts.sql")});
  const int64_t started = wall_ms();
  // Three produce calls a little over a window apart, so the orders spread over
  // several windows (which ones is up to the clock: nothing below depends on it).
  constexpr int kBatches = 3, kPerBatch = 40, kOrders = kBatches * kPerBatch;
  for (int b = 0; b < kBatches; ++b) {
    if (b > 0) std::this_thread::sleep_for(1100ms);
    REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "orders"}, 20s, orders(1 + b * kPerBatch, kPerBatch)).exit_code == 0);
  }
  const std::vector<WindowRow> rows = wait_for_windows_counting(broker.bootstrap(), kOrders);
  const int64_t read_at = wall_ms();
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  INFO("window rows: " << rows.size());
  constexpr int64_t kSlackMs = 1000;  // the two clocks are the same machine's; allow for rounding only
  CHECK(counted(rows) == kOrders);  // once each: no order lost or counted twice
  int64_t id_sum = 0;
  for (const auto& r : rows) id_sum += r.ids;
  CHECK(id_sum == int64_t{kOrders} * (kOrders + 1) / 2);
  for (const auto& r : rows) {
    INFO("window [" << r.start << ", " << r.end << ") time " << r.time << " cnt " << r.cnt);
    CHECK(r.end - r.start == 1000);
    CHECK(r.start % 1000 == 0);
    CHECK(r.cnt > 0);
    // Opened by an order read after the worker started, fired once the clock passed its end, read after that.
    CHECK(r.end > started - kSlackMs);
    CHECK(r.time >= r.end);
    CHECK(r.end <= read_at + kSlackMs);
    CHECK(r.time <= read_at + kSlackMs);
  }
}

TEST_CASE("ananas replay --now: processing-time windows never fire offline, as pending timers at a bounded input's end", "[e2e]") {
  ScratchDir dir("proctime-window-replay");
  write_text(dir.file("counts.sql"), window_sql(1));
  write_text(dir.file("in.jsonl"),
             R"({"topic":"orders","partition":0,"offset":0,"tstype":"create","ts":1700000000000,"key":null,"payload":"{\"id\": 1}"})"
             "\n");
  Result fixed = run({ananas_binary(), "replay", dir.file("counts.sql"), "--input", dir.file("in.jsonl"), "--now",
                      "2024-05-06 07:08:09.123"},
                     60s);
  INFO(fixed.err);
  REQUIRE(fixed.exit_code == 0);
  CHECK(fixed.out.find("counts") == std::string::npos);
  CHECK(fixed.out.find("cnt") == std::string::npos);
}

TEST_CASE("a processing-time window open at a stop fires in the restarted worker once its end has passed", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("proctime-window-restore");
  BrokerProcess broker(dir, 1, {"orders", "counts"});
  write_text(dir.file("counts.sql"), window_sql(10));
  constexpr int kOrders = 30;
  int64_t window_end = 0;
  {
    WorkerProcess worker(dir, "proctime-1", broker.bootstrap(), {dir.file("counts.sql")});
    // Start just after a 10 s window begins, so that the orders, and the stop
    // (a final checkpoint holding the open window), come well before it ends.
    const int64_t now = wall_ms();
    const int64_t window_start = (now / 10000 + 1) * 10000;
    window_end = window_start + 10000;
    std::this_thread::sleep_for(std::chrono::milliseconds(window_start + 200 - now));
    REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "orders"}, 20s, orders(1, kOrders)).exit_code == 0);
    REQUIRE(wait_until_true(
        [&] {
          return metric_sum(http_get(worker.base_url() + "/metrics").second, "ananas_records_in_total",
                            "operator=\"window_aggregate\"") >= kOrders;
        },
        20s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
    // Still open when the worker stopped, so not written (unless this machine took ~10 s to get here).
    if (wall_ms() < window_end) CHECK(kcat_dump(broker.bootstrap(), "counts").empty());
  }
  // The window ends while no worker runs; the next one restores it and fires it without any new order.
  const int64_t wait_ms = window_end + 300 - wall_ms();
  if (wait_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  const int64_t restarted = wall_ms();
  WorkerProcess worker(dir, "proctime-2", broker.bootstrap(), {dir.file("counts.sql")});
  const std::vector<WindowRow> rows = wait_for_windows_counting(broker.bootstrap(), kOrders);
  const int64_t read_at = wall_ms();
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].start == window_end - 10000);
  CHECK(rows[0].end == window_end);
  CHECK(rows[0].cnt == kOrders);
  CHECK(rows[0].ids == int64_t{kOrders} * (kOrders + 1) / 2);
  CHECK(rows[0].time >= restarted);  // fired by the restarted worker
  CHECK(rows[0].time <= read_at + 1000);
  // Fired at the operator's start, before its sink had opened: the sink opens on it, the pipeline does not fail.
  const std::string log = read_text(dir.file("proctime-2.err"));
  INFO(log);
  CHECK(log.find("failed") == std::string::npos);
}
