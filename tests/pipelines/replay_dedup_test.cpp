// Deduplication (issue 12 item 4, first part) run offline end to end with the
// bytes Flink writes: the example of Flink's docs page (Queries >
// Deduplication, keep first on processing time: append-only), keep last and
// keep first on event time into an upsert sink, and the forms that are not a deduplication.
#include <string>
#include <vector>

#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::error_of;
using replay_test::run_sql;
using replay_test::kKafka;
using replay_test::kUpsert;

namespace {

const std::string kTimedOrders =
    "CREATE TABLE Orders (order_id STRING, num BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'orders', " +
    kKafka + ");\n";

std::vector<ananas::KcatRecord> timed_orders() {
  return {record("orders", 0, R"({"order_id":"o1","num":1,"ts":"2024-01-01 00:00:05"})"),
          record("orders", 1, R"({"order_id":"o1","num":2,"ts":"2024-01-01 00:00:03"})"),
          record("orders", 2, R"({"order_id":"o1","num":3,"ts":"2024-01-01 00:00:05"})"),
          record("orders", 3, R"({"order_id":"o2","num":4,"ts":"2024-01-01 00:00:01"})")};
}

std::string dedup_into(const std::string& sink, const char* direction) {
  return "INSERT INTO " + sink + "\nSELECT order_id, num, ts FROM (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ts " +
         direction + ") AS rn FROM Orders)\nWHERE rn = 1;\n";
}

}  // namespace

TEST_CASE("replay: Flink docs' deduplication keeps each order's first row (processing time, append-only)", "[replay][dedup]") {
  const std::string sql =
      "CREATE TABLE Orders (order_id STRING, `user` STRING, product STRING, num BIGINT, proctime AS PROCTIME())\n"
      "  WITH ('topic' = 'orders', " + kKafka + ");\n"
      "CREATE TABLE firsts (order_id STRING, `user` STRING, product STRING, num BIGINT) WITH ('topic' = 'firsts', " + kKafka + ");\n"
      "INSERT INTO firsts\n"
      "SELECT order_id, `user`, product, num\n"
      "FROM (\n"
      "  SELECT *,\n"
      "    ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proctime ASC) AS row_num\n"
      "  FROM Orders)\n"
      "WHERE row_num = 1;\n";
  CHECK(run_sql(sql, {record("orders", 0, R"({"order_id":"o1","user":"ann","product":"p","num":1})"),
                      record("orders", 1, R"({"order_id":"o2","user":"bob","product":"q","num":2})"),
                      record("orders", 2, R"({"order_id":"o1","user":"ann","product":"p","num":3})")}) ==
        std::vector<std::string>{R"({"order_id":"o1","user":"ann","product":"p","num":1})",
                                 R"({"order_id":"o2","user":"bob","product":"q","num":2})"});
}

TEST_CASE("replay: keep last and keep first on event time write upserts, as RowTimeDeduplicateFunction", "[replay][dedup]") {
  const std::string sink = "CREATE TABLE kept (order_id STRING, num BIGINT, ts TIMESTAMP(3), PRIMARY KEY (order_id) NOT ENFORCED) "
                           "WITH ('topic' = 'kept', " + kUpsert + ");\n";
  // Keep last: the same or a later time replaces (num 3 at :05 replaces num 1 at :05; num 2 at :03 does not).
  CHECK(run_sql(kTimedOrders + sink + dedup_into("kept", "DESC"), timed_orders(), true) ==
        std::vector<std::string>{R"({"order_id":"o1"} | {"order_id":"o1","num":1,"ts":"2024-01-01 00:00:05"})",
                                 R"({"order_id":"o1"} | {"order_id":"o1","num":3,"ts":"2024-01-01 00:00:05"})",
                                 R"({"order_id":"o2"} | {"order_id":"o2","num":4,"ts":"2024-01-01 00:00:01"})"});
  // Keep first: an earlier time replaces, even arriving later (num 2 at :03).
  CHECK(run_sql(kTimedOrders + sink + dedup_into("kept", "ASC"), timed_orders(), true) ==
        std::vector<std::string>{R"({"order_id":"o1"} | {"order_id":"o1","num":1,"ts":"2024-01-01 00:00:05"})",
                                 R"({"order_id":"o1"} | {"order_id":"o1","num":2,"ts":"2024-01-01 00:00:03"})",
                                 R"({"order_id":"o2"} | {"order_id":"o2","num":4,"ts":"2024-01-01 00:00:01"})"});
}

TEST_CASE("dedup: event-time deduplication into an append sink is refused, a selected row number or a non-time order is a Top-N",
          "[replay][dedup]") {
  const std::string append = "CREATE TABLE kept (order_id STRING, num BIGINT, ts TIMESTAMP(3)) WITH ('topic' = 'kept', " + kKafka + ");\n";
  CHECK(error_of(kTimedOrders + append + dedup_into("kept", "ASC")) ==
        "docs.sql:3:13: Table sink 'default_catalog.default_database.kept' doesn't support consuming update changes which is "
        "produced by node Deduplicate(keep=[FirstRow], key=[order_id], order=[ROWTIME]) (write into an 'upsert-kafka' table "
        "with a PRIMARY KEY, or aggregate over a window)");
  const std::string rank_refused = "docs.sql:3:13: Table sink 'default_catalog.default_database.kept' doesn't support consuming "
                                   "update changes which is produced by node Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], ";
  const std::string to_upsert = " (write into an 'upsert-kafka' table with a PRIMARY KEY, or aggregate over a window)";
  std::string top3 = dedup_into("kept", "ASC");
  top3.replace(top3.find("rn = 1"), 6, "rn <= 3");
  CHECK(error_of(kTimedOrders + append + top3) ==
        rank_refused + "rankRange=[rankStart=1, rankEnd=3], partitionBy=[order_id], orderBy=[ts ASC])" + to_upsert);
  std::string with_rn = dedup_into("kept", "ASC");
  with_rn.replace(with_rn.find("num, ts FROM"), 12, "num, rn FROM");
  // Flink checks the sink's column types before the changelog: the row number needs a BIGINT sink column.
  const std::string append_rn = "CREATE TABLE kept (order_id STRING, num BIGINT, rn BIGINT) WITH ('topic' = 'kept', " + kKafka + ");\n";
  CHECK(error_of(kTimedOrders + append_rn + with_rn) ==
        rank_refused + "rankRange=[rankStart=1, rankEnd=1], partitionBy=[order_id], orderBy=[ts ASC])" + to_upsert);
  std::string by_num = dedup_into("kept", "ASC");
  by_num.replace(by_num.find("ORDER BY ts"), 11, "ORDER BY num");
  CHECK(error_of(kTimedOrders + append + by_num) ==
        rank_refused + "rankRange=[rankStart=1, rankEnd=1], partitionBy=[order_id], orderBy=[num ASC])" + to_upsert);
}
