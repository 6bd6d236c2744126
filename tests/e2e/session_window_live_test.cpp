// SESSION windows in the worker on `ananas broker`: the window aggregation
// page's session query (sessions per supplier, gap 2 minutes) reads bids
// produced with kcat. The first worker emits the session the watermark closed
// and is stopped (SIGTERM: a final checkpoint) with another session open; the
// next worker extends that restored session with a new bid, which only the
// restored state can do (the sum covers both workers' bids).
#include <catch2/catch.hpp>

#include <signal.h>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kSessionSql = R"(
CREATE TABLE Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING,
                  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND)
  WITH ('connector' = 'kafka', 'topic' = 'bid', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE sessions (window_start TIMESTAMP(3), window_end TIMESTAMP(3), supplier_id STRING, total_price DECIMAL(38, 2))
  WITH ('connector' = 'kafka', 'topic' = 'sessions', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO sessions
SELECT window_start, window_end, supplier_id, SUM(price) AS total_price
  FROM TABLE(
    SESSION(TABLE Bid PARTITION BY supplier_id, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES))
  GROUP BY window_start, window_end, supplier_id;
)";

std::string bid(const char* time, const char* price, const char* supplier) {
  return std::string(R"({"bidtime":"2020-04-15 )") + time + R"(:00","price":)" + price + R"(,"item":"x","supplier_id":")" +
         supplier + "\"}\n";
}

std::string session(const char* start, const char* end, const char* supplier, int total) {
  return std::string(R"({"window_start":"2020-04-15 )") + start + R"(:00","window_end":"2020-04-15 )" + end +
         R"(:00","supplier_id":")" + supplier + R"(","total_price":)" + std::to_string(total) + "}";
}

std::vector<std::string> payloads(const std::string& bootstrap) {
  std::vector<std::string> out;
  for (const auto& r : kcat_dump(bootstrap, "sessions")) out.push_back(r.at("payload").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("session windows in the worker: a restored open session is extended by the next worker", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("session-live");
  BrokerProcess broker(dir, 1, {"bid", "sessions"});
  write_text(dir.file("sessions.sql"), kSessionSql);
  // supplier1's session [08:05, 08:09) closes at watermark 08:10:59; supplier2's [08:09, 08:13) stays open.
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "bid"}, 20s,
              bid("08:05", "4.00", "supplier1") + bid("08:07", "2.00", "supplier1") + bid("08:09", "5.00", "supplier2") +
                  bid("08:11", "3.00", "supplier2"))
              .exit_code == 0);
  {
    WorkerProcess worker(dir, "session-1", broker.bootstrap(), {dir.file("sessions.sql")});
    REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "sessions").size() >= 1; }, 20s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  }
  // 08:12 extends the restored [08:09, 08:13) to [08:09, 08:14) (total 9, not 1); 08:20 closes it.
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "bid"}, 20s,
              bid("08:12", "1.00", "supplier2") + bid("08:20", "6.00", "supplier1"))
              .exit_code == 0);
  WorkerProcess worker(dir, "session-2", broker.bootstrap(), {dir.file("sessions.sql")});
  REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "sessions").size() >= 2; }, 20s));
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  CHECK(payloads(broker.bootstrap()) ==
        std::vector<std::string>{session("08:05", "08:09", "supplier1", 6), session("08:09", "08:14", "supplier2", 9)});
}
