// TIMESTAMP(p) / TIMESTAMP_LTZ(p) with p > 3 keep the nanoseconds below the
// millisecond end to end (translate, build, LocalRunner), with the JSON bytes
// Flink writes: its JSON format reads and writes up to nine fraction digits
// (TimeFormats: appendFraction(NANO_OF_SECOND, 0, 9, true)), a TIMESTAMP(p <= 3)
// row keeps milliseconds only (TimestampData.isCompact), CAST cuts the fraction
// to the target precision (DateTimeUtils.truncate) and pads it in a STRING,
// and grouping, DISTINCT and MIN/MAX tell values a microsecond apart apart.
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::kKafka;
using replay_test::kUpsert;
using replay_test::record;
using replay_test::run_sql;

namespace {

const std::string kColumns = "id INT, t9 TIMESTAMP(9), t6 TIMESTAMP(6), l6 TIMESTAMP_LTZ(6), t3 TIMESTAMP(3)";

std::string copy_script(const std::string& format_options) {
  return "CREATE TABLE src (" + kColumns + ") WITH ('topic' = 'in', " + kKafka + format_options + ");\n"
         "CREATE TABLE out_t (" + kColumns + ") WITH ('topic' = 'out', " + kKafka + format_options + ");\n"
         "INSERT INTO out_t SELECT * FROM src;\n";
}

}  // namespace

TEST_CASE("replay: TIMESTAMP(9) and TIMESTAMP(6) read from JSON are written back with their nanoseconds", "[replay][timestamp]") {
  CHECK(run_sql(copy_script(""),
                {record("in", 0,
                        R"({"id":1,"t9":"2023-01-01 10:00:00.123456789","t6":"2023-01-01 10:00:00.1234567",)"
                        R"("l6":"2023-01-01 10:00:00.0000001Z","t3":"2023-01-01 10:00:00.123456789"})"),
                 record("in", 1,
                        R"({"id":2,"t9":"1969-12-31 23:59:59.99999999","t6":"2023-01-01 10:00:00.120",)"
                        R"("l6":"2023-01-01 10:00:00Z","t3":"2023-01-01 10:00:00.1"})")}) ==
        std::vector<std::string>{
            // A TIMESTAMP(6) column keeps the seventh digit: Flink's JSON reader does not cut to the precision.
            R"({"id":1,"t9":"2023-01-01 10:00:00.123456789","t6":"2023-01-01 10:00:00.1234567",)"
            R"("l6":"2023-01-01 10:00:00.0000001Z","t3":"2023-01-01 10:00:00.123"})",
            R"({"id":2,"t9":"1969-12-31 23:59:59.99999999","t6":"2023-01-01 10:00:00.12",)"
            R"("l6":"2023-01-01 10:00:00Z","t3":"2023-01-01 10:00:00.1"})"});
  CHECK(run_sql(copy_script(", 'json.timestamp-format.standard' = 'ISO-8601'"),
                {record("in", 0,
                        R"({"id":1,"t9":"2023-01-01T10:00:00.000001","t6":"2023-01-01T10:00","l6":"2023-01-01T10:00:00.5000001Z",)"
                        R"("t3":null})")}) ==
        std::vector<std::string>{R"({"id":1,"t9":"2023-01-01T10:00:00.000001","t6":"2023-01-01T10:00:00",)"
                                 R"("l6":"2023-01-01T10:00:00.5000001Z","t3":null})"});
}

TEST_CASE("replay: CAST between timestamp precisions cuts the fraction, CAST to STRING pads it", "[replay][timestamp]") {
  const std::string sql =
      "CREATE TABLE src (id INT, t9 TIMESTAMP(9), t6 TIMESTAMP(6)) WITH ('topic' = 'in', " + kKafka + ");\n"
      "CREATE TABLE casts (c6 TIMESTAMP(6), c3 TIMESTAMP(3), c0 TIMESTAMP(0), s9 STRING, s6 STRING, s96 STRING, "
      "p7 TIMESTAMP(7), implicit3 TIMESTAMP(3), later TIMESTAMP(9), micros BIGINT, nanos BIGINT, same BOOLEAN) "
      "WITH ('topic' = 'out', " + kKafka + ");\n"
      "INSERT INTO casts SELECT CAST(t9 AS TIMESTAMP(6)), CAST(t9 AS TIMESTAMP(3)), CAST(t9 AS TIMESTAMP(0)), "
      "CAST(t9 AS STRING), CAST(t6 AS STRING), CAST(CAST(t9 AS TIMESTAMP(6)) AS STRING), "
      "CAST('2023-01-01 10:00:00.987654321' AS TIMESTAMP(7)), t9, t9 + INTERVAL '1' SECOND, "
      "EXTRACT(MICROSECOND FROM t9), EXTRACT(NANOSECOND FROM t9), CAST(t9 AS TIMESTAMP(6)) = t6 FROM src;\n";
  CHECK(run_sql(sql, {record("in", 0, R"({"id":1,"t9":"2023-01-01 10:00:00.123456789","t6":"2023-01-01 10:00:00.123456"})"),
                      record("in", 1, R"({"id":2,"t9":"2023-01-01 10:00:00.123456789","t6":"2023-01-01 10:00:00.5"})")}) ==
        std::vector<std::string>{
            R"({"c6":"2023-01-01 10:00:00.123456","c3":"2023-01-01 10:00:00.123","c0":"2023-01-01 10:00:00",)"
            R"("s9":"2023-01-01 10:00:00.123456789","s6":"2023-01-01 10:00:00.123456","s96":"2023-01-01 10:00:00.123456",)"
            R"("p7":"2023-01-01 10:00:00.9876543","implicit3":"2023-01-01 10:00:00.123","later":"2023-01-01 10:00:01.123456789",)"
            R"("micros":123456,"nanos":123456789,"same":true})",
            R"({"c6":"2023-01-01 10:00:00.123456","c3":"2023-01-01 10:00:00.123","c0":"2023-01-01 10:00:00",)"
            R"("s9":"2023-01-01 10:00:00.123456789","s6":"2023-01-01 10:00:00.500000","s96":"2023-01-01 10:00:00.123456",)"
            R"("p7":"2023-01-01 10:00:00.9876543","implicit3":"2023-01-01 10:00:00.123","later":"2023-01-01 10:00:01.123456789",)"
            R"("micros":123456,"nanos":123456789,"same":false})"});
}

namespace {

const std::string kEvents = "CREATE TABLE ev (id INT, t6 TIMESTAMP(6)) WITH ('topic' = 'ev', " + kKafka + ");\n";

// Four events of id 1, a microsecond apart or equal: .123457, .123456, .123458, .123456.
std::vector<ananas::KcatRecord> events() {
  std::vector<ananas::KcatRecord> out;
  const char* micros[] = {"123457", "123456", "123458", "123456"};
  for (int64_t n = 0; n < 4; ++n)
    out.push_back(record("ev", n, std::string(R"({"id":1,"t6":"2023-01-01 10:00:00.)") + micros[n] + "\"}"));
  return out;
}

}  // namespace

TEST_CASE("replay: GROUP BY and DISTINCT on a TIMESTAMP(6) tell values a microsecond apart apart", "[replay][timestamp]") {
  const std::string grouped = kEvents +
      "CREATE TABLE per_ts (t6 TIMESTAMP(6), n BIGINT, PRIMARY KEY (t6) NOT ENFORCED) WITH ('topic' = 'out', " + kUpsert + ");\n"
      "INSERT INTO per_ts SELECT t6, COUNT(*) FROM ev GROUP BY t6;\n";
  CHECK(run_sql(grouped, events(), true) ==
        std::vector<std::string>{
            R"({"t6":"2023-01-01 10:00:00.123457"} | {"t6":"2023-01-01 10:00:00.123457","n":1})",
            R"({"t6":"2023-01-01 10:00:00.123456"} | {"t6":"2023-01-01 10:00:00.123456","n":1})",
            R"({"t6":"2023-01-01 10:00:00.123458"} | {"t6":"2023-01-01 10:00:00.123458","n":1})",
            R"({"t6":"2023-01-01 10:00:00.123456"} | {"t6":"2023-01-01 10:00:00.123456","n":2})"});
  const std::string distinct = kEvents +
      "CREATE TABLE seen (t6 TIMESTAMP(6), PRIMARY KEY (t6) NOT ENFORCED) WITH ('topic' = 'out', " + kUpsert + ");\n"
      "INSERT INTO seen SELECT DISTINCT t6 FROM ev;\n";
  CHECK(run_sql(distinct, events(), true) ==
        std::vector<std::string>{R"({"t6":"2023-01-01 10:00:00.123457"} | {"t6":"2023-01-01 10:00:00.123457"})",
                                 R"({"t6":"2023-01-01 10:00:00.123456"} | {"t6":"2023-01-01 10:00:00.123456"})",
                                 R"({"t6":"2023-01-01 10:00:00.123458"} | {"t6":"2023-01-01 10:00:00.123458"})"});
}

TEST_CASE("replay: MIN, MAX and COUNT(DISTINCT) of a TIMESTAMP(6) order by the microseconds", "[replay][timestamp]") {
  const std::string sql = kEvents +
      "CREATE TABLE span (id INT, n BIGINT, lo TIMESTAMP(6), hi TIMESTAMP(6), PRIMARY KEY (id) NOT ENFORCED) "
      "WITH ('topic' = 'out', " + kUpsert + ");\n"
      "INSERT INTO span SELECT id, COUNT(DISTINCT t6), MIN(t6), MAX(t6) FROM ev GROUP BY id;\n";
  // The fourth event changes nothing: no row (Flink's GroupAggFunction emits only a changed result).
  CHECK(run_sql(sql, events(), true) ==
        std::vector<std::string>{
            R"({"id":1} | {"id":1,"n":1,"lo":"2023-01-01 10:00:00.123457","hi":"2023-01-01 10:00:00.123457"})",
            R"({"id":1} | {"id":1,"n":2,"lo":"2023-01-01 10:00:00.123456","hi":"2023-01-01 10:00:00.123457"})",
            R"({"id":1} | {"id":1,"n":3,"lo":"2023-01-01 10:00:00.123456","hi":"2023-01-01 10:00:00.123458"})"});
}

TEST_CASE("replay: a watermark on a TIMESTAMP(6) column is refused as Flink refuses it", "[replay][timestamp]") {
  const std::string sql =
      "CREATE TABLE ev (t6 TIMESTAMP(6), WATERMARK FOR t6 AS t6) WITH ('topic' = 'ev', " + kKafka + ");\n"
      "CREATE TABLE out_t (t6 TIMESTAMP(6)) WITH ('topic' = 'out', " + kKafka + ");\n"
      "INSERT INTO out_t SELECT t6 FROM ev;\n";
  using namespace ananas::pipeline;
  PipelineSet set = translate_sql({{"docs.sql", sql}}, "docs");
  REQUIRE(set.pipelines.size() == 1);
  CHECK_THROWS_WITH(build_pipeline(set.pipelines[0]),
                    Catch::EndsWith("Invalid data type of time field for watermark definition. The field must be of type "
                                    "TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the "
                                    "time field type is TIMESTAMP(6)"));
}
