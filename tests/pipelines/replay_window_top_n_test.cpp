// Window Top-N (issue 12 item 4) run offline end to end: the two examples of
// Flink's docs page (Queries > Window Top-N: after a window aggregation, and
// directly on a window TVF) with the rows the page shows, as JSON bytes; each
// window's top comes out once, insert-only, when the window fires.
#include <string>
#include <vector>

#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::flink_docs_bids;
using replay_test::run_sql;
using replay_test::kKafka;

namespace {

const std::string kBid =
    "CREATE TABLE Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING,\n"
    "  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' SECOND) WITH ('topic' = 'bid', " + kKafka + ");\n";


}  // namespace

TEST_CASE("replay: Flink docs' window Top-N after a window aggregation (top 3 suppliers per 10 minutes)", "[replay][top_n]") {
  const std::string sql = kBid +
                          "CREATE TABLE top3 (window_start TIMESTAMP(3), window_end TIMESTAMP(3), supplier_id STRING, "
                          "price DECIMAL(38, 2), cnt BIGINT, rownum BIGINT) WITH ('topic' = 'top3', " + kKafka + ");\n"
                          "INSERT INTO top3\n"
                          "SELECT *\n"
                          "  FROM (\n"
                          "    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) as rownum\n"
                          "    FROM (\n"
                          "      SELECT window_start, window_end, supplier_id, SUM(price) as price, COUNT(*) as cnt\n"
                          "      FROM TABLE(\n"
                          "        TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))\n"
                          "      GROUP BY window_start, window_end, supplier_id\n"
                          "    )\n"
                          "  ) WHERE rownum <= 3;\n";
  CHECK(run_sql(sql, flink_docs_bids()) ==
        std::vector<std::string>{
            R"({"window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","supplier_id":"supplier1","price":6,"cnt":2,"rownum":1})",
            R"({"window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","supplier_id":"supplier4","price":5,"cnt":1,"rownum":2})",
            R"({"window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","supplier_id":"supplier2","price":4,"cnt":1,"rownum":3})",
            R"({"window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","supplier_id":"supplier5","price":6,"cnt":1,"rownum":1})",
            R"({"window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","supplier_id":"supplier2","price":3,"cnt":1,"rownum":2})",
            R"({"window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","supplier_id":"supplier3","price":2,"cnt":1,"rownum":3})"});
}

TEST_CASE("replay: Flink docs' window Top-N directly on a window TVF (top 3 items per 10 minutes)", "[replay][top_n]") {
  const std::string sql = kBid +
                          "CREATE TABLE top3 (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING, "
                          "window_start TIMESTAMP(3), window_end TIMESTAMP(3), rownum BIGINT) WITH ('topic' = 'top3', " + kKafka + ");\n"
                          "INSERT INTO top3\n"
                          "SELECT bidtime, price, item, supplier_id, window_start, window_end, rownum\n"
                          "  FROM (\n"
                          "    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) as rownum\n"
                          "    FROM TABLE(\n"
                          "               TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))\n"
                          "  ) WHERE rownum <= 3;\n";
  // The docs' rows, each window best first (A and C tie at 4.00: A arrived first).
  CHECK(run_sql(sql, flink_docs_bids()) ==
        std::vector<std::string>{
            R"({"bidtime":"2020-04-15 08:09:00","price":5,"item":"D","supplier_id":"supplier4","window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","rownum":1})",
            R"({"bidtime":"2020-04-15 08:05:00","price":4,"item":"A","supplier_id":"supplier1","window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","rownum":2})",
            R"({"bidtime":"2020-04-15 08:06:00","price":4,"item":"C","supplier_id":"supplier2","window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","rownum":3})",
            R"({"bidtime":"2020-04-15 08:17:00","price":6,"item":"F","supplier_id":"supplier5","window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","rownum":1})",
            R"({"bidtime":"2020-04-15 08:15:00","price":3,"item":"H","supplier_id":"supplier2","window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","rownum":2})",
            R"({"bidtime":"2020-04-15 08:11:00","price":2,"item":"B","supplier_id":"supplier3","window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","rownum":3})"});
}

TEST_CASE("replay: a window Top-N per supplier without the row number, into an append-only topic", "[replay][top_n]") {
  // The best bid of each supplier per window (Top-1 partitioned by window and supplier): insert-only, so a
  // plain kafka table takes it; partitions of one window come out in key order.
  const std::string sql = kBid +
                          "CREATE TABLE best (supplier_id STRING, item STRING, price DECIMAL(10, 2), window_end TIMESTAMP(3)) "
                          "WITH ('topic' = 'best', " + kKafka + ");\n"
                          "INSERT INTO best SELECT supplier_id, item, price, window_end FROM (\n"
                          "  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, supplier_id ORDER BY price DESC) AS rn\n"
                          "  FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))\n"
                          ") WHERE rn <= 1 AND price > 1.50;\n";
  CHECK(run_sql(sql, flink_docs_bids()) ==
        std::vector<std::string>{
            R"({"supplier_id":"supplier1","item":"A","price":4,"window_end":"2020-04-15 08:10:00"})",
            R"({"supplier_id":"supplier2","item":"C","price":4,"window_end":"2020-04-15 08:10:00"})",
            R"({"supplier_id":"supplier3","item":"B","price":2,"window_end":"2020-04-15 08:10:00"})",
            R"({"supplier_id":"supplier4","item":"D","price":5,"window_end":"2020-04-15 08:10:00"})",
            R"({"supplier_id":"supplier2","item":"H","price":3,"window_end":"2020-04-15 08:20:00"})",
            R"({"supplier_id":"supplier3","item":"B","price":2,"window_end":"2020-04-15 08:20:00"})",
            R"({"supplier_id":"supplier5","item":"F","price":6,"window_end":"2020-04-15 08:20:00"})"});
}

TEST_CASE("replay: Flink docs' window deduplication keeps the last bid of every 10 minutes", "[replay][top_n]") {
  const std::string sql = kBid +
                          "CREATE TABLE last_bids (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING, "
                          "window_start TIMESTAMP(3), window_end TIMESTAMP(3), rownum BIGINT) WITH ('topic' = 'last', " + kKafka + ");\n"
                          "INSERT INTO last_bids\n"
                          "SELECT *\n"
                          "  FROM (\n"
                          "    SELECT bidtime, price, item, supplier_id, window_start, window_end, \n"
                          "      ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY bidtime DESC) as rownum\n"
                          "    FROM TABLE(\n"
                          "               TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))\n"
                          "  ) WHERE rownum <= 1;\n";
  CHECK(run_sql(sql, flink_docs_bids()) ==
        std::vector<std::string>{
            R"({"bidtime":"2020-04-15 08:09:00","price":5,"item":"D","supplier_id":"supplier4","window_start":"2020-04-15 08:00:00","window_end":"2020-04-15 08:10:00","rownum":1})",
            R"({"bidtime":"2020-04-15 08:17:00","price":6,"item":"F","supplier_id":"supplier5","window_start":"2020-04-15 08:10:00","window_end":"2020-04-15 08:20:00","rownum":1})"});
}

TEST_CASE("replay: window deduplication keeping the last row takes the later of two bids at the same time", "[replay][top_n]") {
  // Flink's window deduplication replaces the kept row on an equal time when it keeps the last one.
  const std::string sql = kBid +
                          "CREATE TABLE last_bids (item STRING, window_end TIMESTAMP(3)) WITH ('topic' = 'last', " + kKafka + ");\n"
                          "INSERT INTO last_bids SELECT item, window_end FROM (\n"
                          "  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY bidtime DESC) AS rownum\n"
                          "  FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))\n"
                          ") WHERE rownum = 1;\n";
  std::vector<ananas::KcatRecord> in = flink_docs_bids();  // Z right after D, both at 08:09, before the window fires
  in.insert(in.begin() + 5, record("bid", 0, R"({"bidtime":"2020-04-15 08:09:00","price":1,"item":"Z","supplier_id":"supplier9"})"));
  for (size_t n = 0; n < in.size(); ++n) in[n].offset = static_cast<int64_t>(n);
  CHECK(run_sql(sql, in) == std::vector<std::string>{R"({"item":"Z","window_end":"2020-04-15 08:10:00"})",
                                                     R"({"item":"F","window_end":"2020-04-15 08:20:00"})"});
}
