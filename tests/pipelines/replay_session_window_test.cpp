// SESSION windows (issue 12 item 6) run offline end to end: the examples of
// Flink's docs (Queries > Window TVF > SESSION over its own Bid rows, and
// Queries > Window Aggregation > Windowing TVFs over that page's Bid rows),
// with and without PARTITION BY, the legacy GROUP BY SESSION(...) with
// SESSION_START / SESSION_END / SESSION_ROWTIME, and the uses Flink plans
// differently, refused at their location. Results are compared as JSON bytes.
#include <string>
#include <vector>

#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::error_of;
using replay_test::record;
using replay_test::run_sql;

namespace {

const std::string kKafka = "'connector' = 'kafka', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json'";

const std::string kBid =
    "CREATE TABLE Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING,\n"
    "  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND) WITH ('topic' = 'bid', " + kKafka + ");\n";

std::vector<ananas::KcatRecord> bids(const std::vector<std::vector<std::string>>& rows) {
  std::vector<ananas::KcatRecord> out;
  int64_t offset = 0;
  for (const auto& r : rows)
    out.push_back(record("bid", offset++, R"({"bidtime":"2020-04-15 )" + r[0] + (r[0].size() == 5 ? ":00" : "") +
                                              R"(","price":)" + r[1] + R"(,"item":")" +
                                              r[2] + R"(","supplier_id":")" + r[3] + "\"}"));
  return out;
}

// Window TVF page, SESSION: the page's rows arrive out of order (08:07, 08:06, 08:09, 08:08, 08:17);
// none is late (each joins an open session or opens one).
std::vector<ananas::KcatRecord> tvf_page_bids() {
  return bids({{"08:07", "4.00", "A", "s"}, {"08:06", "2.00", "A", "s"}, {"08:09", "5.00", "B", "s"},
               {"08:08", "3.00", "A", "s"}, {"08:17", "1.00", "B", "s"}});
}

// Window Aggregation page: six bids of two suppliers.
std::vector<ananas::KcatRecord> agg_page_bids() {
  return bids({{"08:05", "4.00", "C", "supplier1"}, {"08:07", "2.00", "A", "supplier1"}, {"08:09", "5.00", "D", "supplier2"},
               {"08:11", "3.00", "B", "supplier2"}, {"08:13", "1.00", "E", "supplier1"}, {"08:17", "6.00", "F", "supplier2"}});
}

std::string sink(const std::string& columns) {
  return "CREATE TABLE out (" + columns + ") WITH ('topic' = 'out', " + kKafka + ");\n";
}

}  // namespace

TEST_CASE("replay: Flink docs' SESSION TVF aggregation with PARTITION BY item (window TVF page)", "[replay][session]") {
  const std::string sql = kBid + sink("window_start TIMESTAMP(3), window_end TIMESTAMP(3), item STRING, total_price DECIMAL(38, 2)") +
                          "INSERT INTO out SELECT window_start, window_end, item, SUM(price) AS total_price\n"
                          "  FROM TABLE(\n"
                          "      SESSION(TABLE Bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES))\n"
                          "  GROUP BY item, window_start, window_end;\n";
  CHECK(run_sql(sql, tvf_page_bids()) ==
        std::vector<std::string>{
            R"({"window_start":"2020-04-15 08:06:00","window_end":"2020-04-15 08:13:00","item":"A","total_price":9})",
            R"({"window_start":"2020-04-15 08:09:00","window_end":"2020-04-15 08:14:00","item":"B","total_price":5})",
            R"({"window_start":"2020-04-15 08:17:00","window_end":"2020-04-15 08:22:00","item":"B","total_price":1})"});
}

TEST_CASE("replay: Flink docs' SESSION TVF aggregation without partition keys, named arguments (window TVF page)", "[replay][session]") {
  const std::string sql = kBid + sink("window_start TIMESTAMP(3), window_end TIMESTAMP(3), window_time TIMESTAMP(3), total_price DECIMAL(38, 2)") +
                          "INSERT INTO out SELECT window_start, window_end, window_time, SUM(price) AS total_price\n"
                          "  FROM TABLE(SESSION(DATA => TABLE Bid, TIMECOL => DESCRIPTOR(bidtime), GAP => INTERVAL '5' MINUTES))\n"
                          "  GROUP BY window_start, window_end, window_time;\n";
  CHECK(run_sql(sql, tvf_page_bids()) ==
        std::vector<std::string>{
            R"({"window_start":"2020-04-15 08:06:00","window_end":"2020-04-15 08:14:00","window_time":"2020-04-15 08:13:59.999","total_price":14})",
            R"({"window_start":"2020-04-15 08:17:00","window_end":"2020-04-15 08:22:00","window_time":"2020-04-15 08:21:59.999","total_price":1})"});
}

TEST_CASE("replay: Flink docs' session window aggregations over the window aggregation page's bids", "[replay][session]") {
  SECTION("with partition keys") {
    const std::string sql = kBid + sink("window_start TIMESTAMP(3), window_end TIMESTAMP(3), supplier_id STRING, total_price DECIMAL(38, 2)") +
                            "INSERT INTO out SELECT window_start, window_end, supplier_id, SUM(price) AS total_price\n"
                            "  FROM TABLE(\n"
                            "      SESSION(TABLE Bid PARTITION BY supplier_id, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES))\n"
                            "  GROUP BY window_start, window_end, supplier_id;\n";
    CHECK(run_sql(sql, agg_page_bids()) ==
          std::vector<std::string>{
              R"({"window_start":"2020-04-15 08:05:00","window_end":"2020-04-15 08:09:00","supplier_id":"supplier1","total_price":6})",
              R"({"window_start":"2020-04-15 08:09:00","window_end":"2020-04-15 08:13:00","supplier_id":"supplier2","total_price":8})",
              R"({"window_start":"2020-04-15 08:13:00","window_end":"2020-04-15 08:15:00","supplier_id":"supplier1","total_price":1})",
              R"({"window_start":"2020-04-15 08:17:00","window_end":"2020-04-15 08:19:00","supplier_id":"supplier2","total_price":6})"});
  }
  SECTION("without partition keys: rows 2 minutes apart touch and merge") {
    const std::string sql = kBid + sink("window_start TIMESTAMP(3), window_end TIMESTAMP(3), total_price DECIMAL(38, 2)") +
                            "INSERT INTO out SELECT window_start, window_end, SUM(price) AS total_price\n"
                            "  FROM TABLE(\n"
                            "      SESSION(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES))\n"
                            "  GROUP BY window_start, window_end;\n";
    CHECK(run_sql(sql, agg_page_bids()) ==
          std::vector<std::string>{
              R"({"window_start":"2020-04-15 08:05:00","window_end":"2020-04-15 08:15:00","total_price":15})",
              R"({"window_start":"2020-04-15 08:17:00","window_end":"2020-04-15 08:19:00","total_price":6})"});
  }
}

TEST_CASE("replay: legacy GROUP BY SESSION(...) with SESSION_START, SESSION_END and SESSION_ROWTIME", "[replay][session]") {
  // The group window of Flink docs' Queries > Group Window Aggregation: sessions per GROUP BY key.
  const std::string sql = kBid + sink("supplier_id STRING, s TIMESTAMP(3), e TIMESTAMP(3), t TIMESTAMP(3), n BIGINT, total DECIMAL(38, 2)") +
                          "INSERT INTO out SELECT supplier_id, SESSION_START(bidtime, INTERVAL '2' MINUTE) AS s,\n"
                          "    SESSION_END(bidtime, INTERVAL '2' MINUTE) AS e, SESSION_ROWTIME(bidtime, INTERVAL '2' MINUTE) AS t,\n"
                          "    COUNT(*) AS n, SUM(price) AS total\n"
                          "  FROM Bid GROUP BY SESSION(bidtime, INTERVAL '2' MINUTE), supplier_id;\n";
  CHECK(run_sql(sql, agg_page_bids()) ==
        std::vector<std::string>{
            R"({"supplier_id":"supplier1","s":"2020-04-15 08:05:00","e":"2020-04-15 08:09:00","t":"2020-04-15 08:08:59.999","n":2,"total":6})",
            R"({"supplier_id":"supplier2","s":"2020-04-15 08:09:00","e":"2020-04-15 08:13:00","t":"2020-04-15 08:12:59.999","n":2,"total":8})",
            R"({"supplier_id":"supplier1","s":"2020-04-15 08:13:00","e":"2020-04-15 08:15:00","t":"2020-04-15 08:14:59.999","n":1,"total":1})",
            R"({"supplier_id":"supplier2","s":"2020-04-15 08:17:00","e":"2020-04-15 08:19:00","t":"2020-04-15 08:18:59.999","n":1,"total":6})"});
}

TEST_CASE("replay: a row bridges two open sessions and merges them, a late one is dropped", "[replay][session]") {
  // Gap 2 min, watermark a minute behind: 08:00 and 08:02:30 open [08:00, 08:02) and [08:02:30, 08:04:30),
  // both still open (watermark 08:01:30); 08:01 reaches both: one session [08:00, 08:04:30), its
  // accumulators merged in time order. 08:10 fires it; 08:03 then finds no open session: late, dropped.
  const std::string sql =
      "CREATE TABLE Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING,\n"
      "  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' MINUTE) WITH ('topic' = 'bid', " + kKafka + ");\n" +
      sink("window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, items STRING") +
      "INSERT INTO out SELECT window_start, window_end, COUNT(*) AS n, LISTAGG(item) AS items\n"
      "  FROM TABLE(SESSION(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES))\n"
      "  GROUP BY window_start, window_end;\n";
  const auto rows = bids({{"08:00", "1", "a", "s"}, {"08:02:30", "1", "b", "s"}, {"08:01", "1", "c", "s"},
                          {"08:10", "1", "d", "s"}, {"08:03", "1", "late", "s"}});
  CHECK(run_sql(sql, rows) ==
        std::vector<std::string>{
            R"({"window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:04:30","n":3,"items":"a,b,c"})",
            R"({"window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:12:00","n":1,"items":"d"})"});
  // The dropped row is counted where `ananas replay` and the worker's metrics read late rows.
  using namespace ananas::pipeline;
  const PipelineSet set = translate_sql({{"docs.sql", sql}}, "docs");  // the built pipeline refers to it
  BuiltPipeline built = build_pipeline(set.pipelines.at(0));
  LocalRunner runner(built);
  runner.run(rows);
  CHECK(runner.late_records_dropped() == 1);
}

TEST_CASE("replay: a row whose own window is late joins an open session it touches, extending it backwards", "[replay][session]") {
  // Gap 5 min: 08:00, 08:04, 08:08 make [08:00, 08:13) (watermark 08:07:59). 07:55's own window
  // [07:55, 08:00) has passed the watermark but touches the session: Flink merges it (start 07:55).
  // 07:40's window touches nothing open: dropped. 08:20 fires the session.
  const std::string sql = kBid + sink("window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, items STRING") +
                          "INSERT INTO out SELECT window_start, window_end, COUNT(*) AS n, LISTAGG(item) AS items\n"
                          "  FROM TABLE(SESSION(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES))\n"
                          "  GROUP BY window_start, window_end;\n";
  const auto rows = bids({{"08:00", "1", "a", "s"}, {"08:04", "1", "b", "s"}, {"08:08", "1", "c", "s"},
                          {"07:55", "1", "d", "s"}, {"07:40", "1", "late", "s"}, {"08:20", "1", "f", "s"}});
  CHECK(run_sql(sql, rows) ==
        std::vector<std::string>{
            R"({"window_start":"2020-04-15 07:55:00","window_end":"2020-04-15 08:13:00","n":4,"items":"a,b,c,d"})",
            R"({"window_start":"2020-04-15 08:20:00","window_end":"2020-04-15 08:25:00","n":1,"items":"f"})"});
}

TEST_CASE("replay: SESSION uses Flink plans differently are refused at their location", "[replay][session]") {
  SECTION("grouping by other columns than the PARTITION BY") {
    const std::string sql = kBid + sink("item STRING, n BIGINT") +
                            "INSERT INTO out SELECT item, COUNT(*) FROM TABLE(\n"
                            "  SESSION(TABLE Bid PARTITION BY supplier_id, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES))\n"
                            "  GROUP BY item, window_start, window_end;\n";
    const std::string e = error_of(sql);
    CHECK(e.find("docs.sql:6:") != std::string::npos);
    CHECK(e.find("exactly the PARTITION BY columns (supplier_id)") != std::string::npos);
  }
  SECTION("the TVF's rows without aggregation") {
    const std::string sql = kBid + sink("item STRING, window_end TIMESTAMP(3)") +
                            "INSERT INTO out SELECT item, window_end FROM TABLE(\n"
                            "  SESSION(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES));\n";
    const std::string e = error_of(sql);
    CHECK(e.find("docs.sql:4:") != std::string::npos);
    CHECK(e.find("only translated in a window aggregation") != std::string::npos);
  }
  SECTION("a gap that is not positive") {
    const std::string sql = kBid + sink("n BIGINT") +
                            "INSERT INTO out SELECT COUNT(*) FROM TABLE(\n"
                            "  SESSION(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '0' MINUTES)) GROUP BY window_start, window_end;\n";
    CHECK(error_of(sql).find("docs.sql:5:43: SESSION table function based aggregate requires gap to be positive, but got gap 0 ms.") !=
          std::string::npos);
  }
  SECTION("ORDER BY on the table argument") {
    const std::string sql = kBid + sink("n BIGINT") +
                            "INSERT INTO out SELECT COUNT(*) FROM TABLE(\n"
                            "  SESSION(TABLE Bid ORDER BY bidtime, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES)) GROUP BY window_start, window_end;\n";
    CHECK(error_of(sql).find("Session window TVF doesn't support order by clause.") != std::string::npos);
  }
  SECTION("PARTITION BY on another window") {
    const std::string sql = kBid + sink("n BIGINT") +
                            "INSERT INTO out SELECT COUNT(*) FROM TABLE(\n"
                            "  TUMBLE(TABLE Bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES)) GROUP BY window_start, window_end;\n";
    CHECK(error_of(sql).find("docs.sql:5:20: PARTITION BY on the table argument is only supported by SESSION windows") != std::string::npos);
  }
}
