// Cascading window aggregation (Flink docs, Queries > Window Aggregation >
// Cascading Window Aggregation): a window aggregation over the output of
// another one, through the first level's window_time, the time attribute a
// window aggregation keeps (window_start and window_end are plain
// timestamps, so a TVF on them is refused).
#include <string>
#include <vector>

#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::run_sql;

namespace {

const std::string kTables =
    "CREATE TABLE Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING,\n"
    "  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND)\n"
    "  WITH ('topic' = 'bid', 'connector' = 'kafka', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');\n"
    "CREATE TABLE out_t (window_start TIMESTAMP(3), window_end TIMESTAMP(3), total_price DECIMAL(38, 2))\n"
    "  WITH ('topic' = 'o', 'connector' = 'kafka', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');\n"
    "CREATE VIEW window1 AS\n"
    "SELECT window_start AS window_5mintumble_start, window_end AS window_5mintumble_end, window_time AS rowtime,\n"
    "  SUM(price) AS partial_price\n"
    "  FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES))\n"
    "  GROUP BY supplier_id, window_start, window_end, window_time;\n";

// The docs' Bid rows.
std::vector<ananas::KcatRecord> bids() {
  const char* rows[][4] = {{"08:05", "4.00", "A", "supplier1"}, {"08:06", "4.00", "C", "supplier2"},
                           {"08:07", "2.00", "G", "supplier1"}, {"08:08", "2.00", "B", "supplier3"},
                           {"08:09", "5.00", "D", "supplier4"}, {"08:11", "2.00", "B", "supplier3"},
                           {"08:13", "1.00", "E", "supplier1"}, {"08:15", "3.00", "H", "supplier2"},
                           {"08:17", "6.00", "F", "supplier5"}};
  std::vector<ananas::KcatRecord> out;
  for (int64_t n = 0; n < 9; ++n)
    out.push_back(record("bid", n, std::string(R"({"bidtime":"2020-04-15 )") + rows[n][0] + R"(:00","price":)" + rows[n][1] +
                                       R"(,"item":")" + rows[n][2] + R"(","supplier_id":")" + rows[n][3] + "\"}"));
  return out;
}

std::string error_of(const std::string& sql) {
  try {
    ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("cascading windows: 10-minute totals over the 5-minute partial sums", "[replay][window]") {
  const std::string sql = kTables +
                          "INSERT INTO out_t SELECT window_start, window_end, SUM(partial_price) AS total_price\n"
                          "  FROM TABLE(TUMBLE(TABLE window1, DESCRIPTOR(rowtime), INTERVAL '10' MINUTES))\n"
                          "  GROUP BY window_start, window_end;\n";
  // 5-minute sums per supplier: [08:05, 08:10) 6 + 4 + 2 + 5, [08:10, 08:15) 2 + 1, [08:15, 08:20) 3 + 6;
  // their window_time (end - 1 ms) puts them in the 10-minute windows [08:00, 08:10) and [08:10, 08:20).
  CHECK(run_sql(sql, bids()) ==
        std::vector<std::string>{R"({"window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","total_price":17})",
                                 R"({"window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","total_price":12})"});
}

TEST_CASE("cascading windows: a HOP over the partial sums counts each in two windows", "[replay][window]") {
  const std::string sql = kTables +
                          "INSERT INTO out_t SELECT window_start, window_end, SUM(partial_price) AS total_price\n"
                          "  FROM TABLE(HOP(TABLE window1, DESCRIPTOR(rowtime), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES))\n"
                          "  GROUP BY window_start, window_end;\n";
  // The partial sums at 08:09:59.999 (17), 08:14:59.999 (3) and 08:19:59.999 (9), in 10-minute windows every 5
  // minutes; 20 is written 2E+1, as Jackson writes BigDecimal 20 after stripTrailingZeros.
  CHECK(run_sql(sql, bids()) ==
        std::vector<std::string>{R"({"window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","total_price":17})",
                                 R"({"window_start":"2020-04-15 08:05:00","window_end":"2020-04-15 08:15:00","total_price":2E+1})",
                                 R"({"window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","total_price":12})",
                                 R"({"window_start":"2020-04-15 08:15:00","window_end":"2020-04-15 08:25:00","total_price":9})"});
}

TEST_CASE("cascading windows: window_start is no time attribute for the next window", "[replay][window]") {
  const std::string sql = kTables +
                          "INSERT INTO out_t SELECT window_start, window_end, SUM(partial_price) AS total_price\n"
                          "  FROM TABLE(TUMBLE(TABLE window1, DESCRIPTOR(window_5mintumble_start), INTERVAL '10' MINUTES))\n"
                          "  GROUP BY window_start, window_end;\n";
  CHECK(error_of(sql).rfind("docs.sql:12:47: The window function requires the timecol is a time attribute type, but "
                            "'window_5mintumble_start' is TIMESTAMP(3)", 0) == 0);
}
