// `ananas replay` on a script that uses issue 12's forms together: a view, the
// legacy GROUP BY TUMBLE(...) with TUMBLE_START, STDDEV_POP / VAR_SAMP, and an
// INT aggregate written into a DOUBLE column; the payloads byte for byte.
#include <catch2/catch.hpp>

#include "core/json/kcat_lines.hpp"
#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kStatsSql = R"(
CREATE TABLE readings (sensor STRING, v DOUBLE, n INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'kafka', 'topic' = 'readings', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');
CREATE TABLE spread (sensor STRING, wstart TIMESTAMP(3), sd DOUBLE, var_samp DOUBLE, total DOUBLE)
  WITH ('connector' = 'kafka', 'topic' = 'spread', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');
CREATE TEMPORARY VIEW valid AS SELECT * FROM readings WHERE v IS NOT NULL;
INSERT INTO spread
SELECT UPPER(sensor), TUMBLE_START(ts, INTERVAL '10' SECOND), STDDEV_POP(v), VAR_SAMP(v), SUM(n)
FROM valid GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), UPPER(sensor);
)";

std::string reading(int offset, const std::string& payload) {
  return R"({"topic":"readings","partition":0,"offset":)" + std::to_string(offset) + R"(,"ts":1700000000000,"key":null,"payload":")" +
         payload + "\"}\n";
}

}  // namespace

TEST_CASE("ananas replay: a view, GROUP BY TUMBLE(...) and STDDEV_POP/VAR_SAMP, with Flink's JSON bytes", "[e2e]") {
  ScratchDir dir("replay-breadth");
  write_text(dir.file("spread.sql"), kStatsSql);
  std::string input;
  const int values[] = {2, 4, 4, 4, 5, 5, 7, 9};
  for (int i = 0; i < 8; ++i)
    input += reading(i, R"({\"sensor\":\"a\",\"v\":)" + std::to_string(values[i]) + R"(,\"n\":)" + std::to_string(values[i]) +
                            R"(,\"ts\":\"2024-01-01 00:00:0)" + std::to_string(i) + R"(\"})");
  input += reading(8, R"({\"sensor\":\"a\",\"v\":null,\"n\":100,\"ts\":\"2024-01-01 00:00:09\"})");
  write_text(dir.file("in.jsonl"), input);
  Result r = run({ananas_binary(), "replay", dir.file("spread.sql"), "--input", dir.file("in.jsonl")}, 60s);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  const ananas::KcatRecord out = ananas::parse_kcat_line(lines[0], 1);
  CHECK(out.topic == "spread");
  CHECK(out.payload ==
        std::string(R"({"sensor":"A","wstart":"2024-01-01 00:00:00","sd":2.0,"var_samp":4.571428571428571,"total":40.0})"));
}
