#pragma once
// A SQL script run offline (as `ananas replay` runs it: translate, build,
// LocalRunner) over in-memory records; the sink records it writes as text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/replay/local_runner.hpp"
#include "pipelines/sql/planner.hpp"

namespace replay_test {

// The WITH options of the tables the replay tests declare (the broker is never contacted offline).
inline const std::string kKafka = "'connector' = 'kafka', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json'";
inline const std::string kUpsert =
    "'connector' = 'upsert-kafka', 'properties.bootstrap.servers' = 'b:9092', 'key.format' = 'json', 'value.format' = 'json'";

// One record of `topic` at `offset` with the JSON `payload`.
inline ananas::KcatRecord record(const std::string& topic, int64_t offset, const std::string& payload) {
  ananas::KcatRecord r;
  r.topic = topic;
  r.offset = offset;
  r.timestamp_ms = 0;
  r.payload = payload;
  return r;
}

// The values the single pipeline of `sql` writes ("null" for a tombstone), or
// with `with_keys` "key | value" (for upsert sinks).
inline std::vector<std::string> run_sql(const std::string& sql, const std::vector<ananas::KcatRecord>& input, bool with_keys = false) {
  using namespace ananas::pipeline;
  PipelineSet set = translate_sql({{"docs.sql", sql}}, "docs");
  REQUIRE(set.pipelines.size() == 1);
  BuiltPipeline built = build_pipeline(set.pipelines[0]);
  LocalRunner runner(built);
  runner.run(input);
  REQUIRE(runner.bad_records().empty());
  std::vector<std::string> out;
  for (const auto& o : runner.outputs()) {
    std::string value = o.value.value_or("null");
    out.push_back(with_keys ? o.key.value_or("null") + " | " + value : value);
  }
  return out;
}

// The error `sql` fails to translate with ("(no error)" when it translates).
inline std::string error_of(const std::string& sql) {
  try {
    ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

// The Bid rows of Flink's docs pages on window queries (Window Top-N, Window
// Deduplication, Window Aggregation) on topic `bid`, for a table
// Bid (bidtime TIMESTAMP(3), price DECIMAL(10, 2), item STRING, supplier_id STRING).
inline std::vector<ananas::KcatRecord> flink_docs_bids() {
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

// The views of Flink's docs page on set operations (Queries > Set Operations),
// t1(s) = ('c'), ('a'), ('b'), ('b'), ('c') and t2(s) = ('d'), ('e'), ('a'),
// ('b'), ('b'), as tables on topics t1 and t2, and their rows (t1's first).
inline const std::string kSetOpsTables = "CREATE TABLE t1 (s STRING) WITH ('topic' = 't1', " + kKafka + ");\n"
                                         "CREATE TABLE t2 (s STRING) WITH ('topic' = 't2', " + kKafka + ");\n";
inline std::vector<ananas::KcatRecord> set_ops_docs_rows() {
  std::vector<ananas::KcatRecord> out;
  int64_t n = 0;
  for (const char* s : {"c", "a", "b", "b", "c"}) out.push_back(record("t1", n++, std::string(R"({"s":")") + s + "\"}"));
  n = 0;
  for (const char* s : {"d", "e", "a", "b", "b"}) out.push_back(record("t2", n++, std::string(R"({"s":")") + s + "\"}"));
  return out;
}

}  // namespace replay_test
