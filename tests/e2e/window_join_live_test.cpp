// A window join in the worker on `ananas broker`: the window join page's
// FULL OUTER JOIN of LeftTable and RightTable on 5-minute TUMBLE windows,
// rows produced with kcat (each topic in time order, so that no row is late
// whichever topic the worker reads first). A window comes out once both
// tables' watermarks passed its end: the first worker writes [12:00, 12:05)
// and is stopped (SIGTERM: a final checkpoint) with later windows buffered;
// the next worker writes [12:05, 12:10) from its restored state alone, and
// joins a restored right row with a new left one in [12:10, 12:15).
#include <catch2/catch.hpp>

#include <signal.h>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kWindowJoinSql = R"(
CREATE TABLE LeftTable (row_time TIMESTAMP(3), num INT, id STRING, WATERMARK FOR row_time AS row_time - INTERVAL '1' SECOND)
  WITH ('connector' = 'kafka', 'topic' = 'left', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE RightTable (row_time TIMESTAMP(3), num INT, id STRING, WATERMARK FOR row_time AS row_time - INTERVAL '1' SECOND)
  WITH ('connector' = 'kafka', 'topic' = 'right', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE joined (L_Num INT, L_Id STRING, R_Num INT, R_Id STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3))
  WITH ('connector' = 'kafka', 'topic' = 'joined', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO joined
SELECT L.num as L_Num, L.id as L_Id, R.num as R_Num, R.id as R_Id,
       COALESCE(L.window_start, R.window_start) as window_start,
       COALESCE(L.window_end, R.window_end) as window_end
FROM (SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) L
FULL JOIN (SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) R
ON L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end;
)";

std::string row(const char* time, int num, const char* id) {
  return std::string(R"({"row_time":"2020-04-15 )") + time + R"(:00","num":)" + std::to_string(num) + R"(,"id":")" + id + "\"}\n";
}

std::string joined(const char* l_num, const char* l_id, const char* r_num, const char* r_id, const char* start, const char* end) {
  auto text = [](const std::string& v) { return v == "null" ? v : "\"" + v + "\""; };
  return std::string("{\"L_Num\":") + l_num + ",\"L_Id\":" + text(l_id) + ",\"R_Num\":" + r_num + ",\"R_Id\":" + text(r_id) +
         ",\"window_start\":\"2020-04-15 " + start + ":00\",\"window_end\":\"2020-04-15 " + end + ":00\"}";
}

std::vector<std::string> payloads(const std::string& bootstrap) {
  std::vector<std::string> out;
  for (const auto& r : kcat_dump(bootstrap, "joined")) out.push_back(r.at("payload").get<std::string>());
  return out;
}

void produce(const std::string& bootstrap, const char* topic, const std::string& rows) {
  REQUIRE(run({"kcat", "-P", "-b", bootstrap, "-t", topic}, 20s, rows).exit_code == 0);
}

}  // namespace

TEST_CASE("window join in the worker: the docs' FULL JOIN window by window, and a restart joins from restored state", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("window-join-live");
  BrokerProcess broker(dir, 1, {"left", "right", "joined"});
  write_text(dir.file("window_join.sql"), kWindowJoinSql);
  // The docs' rows, and R5 at 12:11: the watermark (the slower table's, 12:05:59) passes [12:00, 12:05) only.
  produce(broker.bootstrap(), "left", row("12:02", 1, "L1") + row("12:03", 3, "L3") + row("12:06", 2, "L2"));
  produce(broker.bootstrap(), "right", row("12:01", 2, "R2") + row("12:04", 3, "R3") + row("12:05", 4, "R4") + row("12:11", 5, "R5"));
  const std::vector<std::string> first{joined("1", "L1", "null", "null", "12:00", "12:05"),
                                       joined("null", "null", "2", "R2", "12:00", "12:05"),
                                       joined("3", "L3", "3", "R3", "12:00", "12:05")};
  {
    WorkerProcess worker(dir, "window-join-1", broker.bootstrap(), {dir.file("window_join.sql")});
    REQUIRE(wait_until_true([&] { return payloads(broker.bootstrap()).size() >= first.size(); }, 30s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  }
  CHECK(payloads(broker.bootstrap()) == first);
  // L2, R4 (window 12:05) and R5 (window 12:10) wait in the checkpoint. L6 meets the restored R5;
  // the watermark reaches 12:15:59, so [12:05, 12:10) and [12:10, 12:15) come out.
  produce(broker.bootstrap(), "left", row("12:12", 5, "L6") + row("12:16", 8, "L8"));
  produce(broker.bootstrap(), "right", row("12:13", 6, "R7") + row("12:16", 9, "R9"));
  std::vector<std::string> all = first;
  for (const auto& r : {joined("2", "L2", "null", "null", "12:05", "12:10"), joined("null", "null", "4", "R4", "12:05", "12:10"),
                        joined("5", "L6", "5", "R5", "12:10", "12:15"), joined("null", "null", "6", "R7", "12:10", "12:15")})
    all.push_back(r);
  WorkerProcess worker(dir, "window-join-2", broker.bootstrap(), {dir.file("window_join.sql")});
  const bool written = wait_until_true([&] { return payloads(broker.bootstrap()).size() >= all.size(); }, 30s);
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  INFO(worker.process().err());
  CHECK(written);
  CHECK(payloads(broker.bootstrap()) == all);
}
