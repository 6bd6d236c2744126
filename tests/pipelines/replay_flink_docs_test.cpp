// Flink's MATCH_RECOGNIZE documentation examples run end to end through
// Ananas's SQL front end, planner, graph builder and offline runner, with the
// outputs the documentation states (docs/dev/table/sql/queries/match_recognize,
// "Aggregations": the ticker whose average price stays below 15).
#include <catch2/catch.hpp>

#include "tests/pipelines/replay_sql_helpers.hpp"

using namespace ananas;
using namespace ananas::pipeline;
using replay_test::run_sql;

namespace {

const char* kTickerDdl = R"(
CREATE TABLE Ticker (
  symbol STRING, rowtime TIMESTAMP(3), price DOUBLE, tax INT,
  WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'ticker', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'json');
)";

KcatRecord tick(int second, int price, int tax) {
  KcatRecord r;
  r.topic = "ticker";
  r.offset = second;
  r.timestamp_ms = 0;
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"symbol\":\"ACME\",\"rowtime\":\"2011-04-01 10:00:%02d\",\"price\":%d,\"tax\":%d}", second, price, tax);
  r.payload = buf;
  return r;
}

}  // namespace

TEST_CASE("Flink docs, MATCH_RECOGNIZE aggregations: longest period with AVG(A.price) < 15") {
  std::string sql = std::string(kTickerDdl) + R"(
CREATE TABLE periods (symbol STRING, start_tstamp TIMESTAMP(3), end_tstamp TIMESTAMP(3), avgPrice DOUBLE)
WITH ('connector' = 'kafka', 'topic' = 'periods', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'json');
INSERT INTO periods
SELECT *
FROM Ticker
    MATCH_RECOGNIZE (
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            FIRST(A.rowtime) AS start_tstamp,
            LAST(A.rowtime) AS end_tstamp,
            AVG(A.price) AS avgPrice
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A+ B)
        DEFINE
            A AS AVG(A.price) < 15
    ) MR;
)";
  const int prices[] = {12, 17, 13, 16, 25, 2, 4, 10, 15, 25, 25, 30};
  const int taxes[] = {1, 2, 1, 3, 2, 1, 1, 2, 2, 2, 1, 1};
  std::vector<KcatRecord> input;
  for (int s = 0; s < 12; ++s) input.push_back(tick(s, prices[s], taxes[s]));
  // Documented result: (10:00:00, 10:00:03, 14.5) and (10:00:05, 10:00:10, 13.5).
  CHECK(run_sql(sql, input) ==
        std::vector<std::string>{
            "{\"symbol\":\"ACME\",\"start_tstamp\":\"2011-04-01 10:00:00\",\"end_tstamp\":\"2011-04-01 10:00:03\",\"avgPrice\":14.5}",
            "{\"symbol\":\"ACME\",\"start_tstamp\":\"2011-04-01 10:00:05\",\"end_tstamp\":\"2011-04-01 10:00:10\",\"avgPrice\":13.5}"});
}

TEST_CASE("Flink docs, MATCH_RECOGNIZE: a period of a constantly decreasing price (V shape) through SQL") {
  std::string sql = std::string(kTickerDdl) + R"(
CREATE TABLE vshapes (symbol STRING, start_tstamp TIMESTAMP(3), bottom_tstamp TIMESTAMP(3), end_tstamp TIMESTAMP(3))
WITH ('connector' = 'kafka', 'topic' = 'vshapes', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'json');
INSERT INTO vshapes
SELECT *
FROM Ticker
    MATCH_RECOGNIZE (
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            START_ROW.rowtime AS start_tstamp,
            LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
            LAST(PRICE_UP.rowtime) AS end_tstamp
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST PRICE_UP
        PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
        DEFINE
            PRICE_DOWN AS
                (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
                    PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
            PRICE_UP AS
                PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
    ) MR;
)";
  // The documentation's input: 12, 17, 19, 21, 25, 18, 15, 14, 24, 25, 19 at 10:00:00..10:00:10 (tax omitted).
  const int prices[] = {12, 17, 19, 21, 25, 18, 15, 14, 24, 25, 19};
  std::vector<KcatRecord> input;
  for (int s = 0; s < 11; ++s) input.push_back(tick(s, prices[s], 1));
  // Documented result: ACME 01-APR-11 10:00:04, 10:00:07, 10:00:08.
  CHECK(run_sql(sql, input) ==
        std::vector<std::string>{
            "{\"symbol\":\"ACME\",\"start_tstamp\":\"2011-04-01 10:00:04\",\"bottom_tstamp\":\"2011-04-01 10:00:07\",\"end_tstamp\":\"2011-04-01 10:00:08\"}"});
}
