// Projection push-down into the JSON source (pipelines/graph/columns_needed.hpp):
// a source keeps only the columns its pipeline reads; the others stay NULL
// and their strings are not copied. They are still checked: Flink's Kafka
// source deserializes every physical column (KafkaDynamicSource does not
// implement SupportsProjectionPushDown; FLINK-32609, apache/flink-connector-kafka
// pull request 174, is open), so a wrong type or a bad escape in an unread
// field makes the record bad, as it does in Flink.
#include <string>
#include <vector>

#include "pipelines/graph/source_rows.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/sql/planner.hpp"
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::kKafka;
using replay_test::record;
using replay_test::run_sql;

namespace {

using namespace ananas;
using namespace ananas::pipeline;

const std::string kSource = "CREATE TABLE src (id INT, name STRING, shop STRING, n INT, ts TIMESTAMP(3),\n"
                            "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)\nWITH (" + kKafka + ", 'topic' = 'in');\n";

std::string script(const std::string& sink_columns, const std::string& query) {
  return kSource + "CREATE TABLE out_t (" + sink_columns + ") WITH (" + kKafka + ", 'topic' = 'out');\n" + query + "\n";
}

const std::string kFilter = script("id INT, name STRING", "INSERT INTO out_t SELECT id, name FROM src WHERE id > 0;");
const std::string kAll = script("id INT, name STRING, shop STRING, n INT, ts TIMESTAMP(3)", "INSERT INTO out_t SELECT * FROM src;");

struct Built {
  PipelineSet set;
  BuiltPipeline pipeline;
};

std::unique_ptr<Built> build(const std::string& sql) {
  auto b = std::make_unique<Built>();
  b->set = translate_sql({{"docs.sql", sql}}, "docs");
  REQUIRE(b->set.pipelines.size() == 1);
  b->pipeline = build_pipeline(b->set.pipelines[0]);
  return b;
}

// The one row the source decodes from `payload`, as text per cell ("NULL" for a NULL).
std::vector<std::string> decoded_cells(const BuiltPipeline& p, const std::string& payload) {
  auto decoder = p.sources.at(0).make_decoder();
  Batch batch(p.sources[0].schema.size());
  RecordView r;
  r.topic = "in";
  r.value = payload;
  DecodedRecord d = decoder->decode(r, batch, 0);
  REQUIRE(d.error == "");
  REQUIRE(batch.num_rows() == 1);
  std::vector<std::string> out;
  const Value* row = batch.row(0);
  for (size_t i = 0; i < batch.num_columns(); ++i) {
    const Type& t = p.sources[0].schema[i].type;
    if (row[i].is_null()) out.push_back("NULL");
    else if (t.is_character()) out.push_back(std::string(row[i].as_string()));
    else out.push_back(std::to_string(row[i].as_int()));
  }
  return out;
}

// The bad records of running `sql` over `records`.
std::vector<std::string> bad_records(const std::string& sql, const std::vector<KcatRecord>& records) {
  auto b = build(sql);
  LocalRunner runner(b->pipeline);
  runner.run(records);
  std::vector<std::string> out;
  for (const auto& bad : runner.bad_records()) out.push_back(bad.message);
  return out;
}

const std::string kOrder = R"({"id":1,"name":"ann","shop":"s1","n":7,"ts":"2024-01-01 10:00:00"})";
// `n` is declared INT: converting "seven" is an error, if anything reads it.
const std::string kBadUnread = R"({"id":2,"name":"bob","shop":"s2","n":"seven","ts":"2024-01-01 10:00:01"})";

}  // namespace

TEST_CASE("source projection: the filter's source decodes only id, name and the rowtime", "[pipelines][projection]") {
  auto b = build(kFilter);
  // id, name (read by the calc), ts (the WATERMARK's column); not shop or n.
  CHECK(b->pipeline.sources[0].columns_needed == std::vector<bool>{true, true, false, false, true});
  CHECK(decoded_cells(b->pipeline, kOrder) == std::vector<std::string>{"1", "ann", "NULL", "NULL", "1704103200000"});
}

TEST_CASE("source projection: a pipeline reading every column decodes every column", "[pipelines][projection]") {
  auto b = build(kAll);
  CHECK(b->pipeline.sources[0].columns_needed == std::vector<bool>(5, true));
  CHECK(decoded_cells(b->pipeline, kOrder) == std::vector<std::string>{"1", "ann", "s1", "7", "1704103200000"});
}

TEST_CASE("source projection: an unread field is checked as if it were read", "[pipelines][projection]") {
  const std::vector<KcatRecord> in = {record("in", 0, kOrder), record("in", 1, kBadUnread)};
  // n is read by neither; its wrong type makes the record bad in both, as in Flink.
  CHECK(bad_records(kFilter, in).size() == 1);
  auto bad = bad_records(kAll, in);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].find("field 'n'") != std::string::npos);
  CHECK(bad_records(kFilter, in) == bad);
  // A STRING column takes any JSON value (an object as its compact text): no error, and nothing kept.
  auto b = build(kFilter);
  CHECK(decoded_cells(b->pipeline, R"({"id":3,"name":"cy","shop":{"a":[1,2]},"n":null})") ==
        std::vector<std::string>{"3", "cy", "NULL", "NULL", "NULL"});
  auto all = build(kAll);
  CHECK(decoded_cells(all->pipeline, R"({"id":3,"name":"cy","shop":{"a":[1,2]},"n":null})") ==
        std::vector<std::string>{"3", "cy", R"({"a":[1,2]})", "NULL", "NULL"});
  // A bad escape in an unread STRING is the same bad record whether read or not.
  const std::vector<KcatRecord> escape = {record("in", 0, R"({"id":4,"name":"dee","shop":"a\qb"})")};
  auto unread = bad_records(kFilter, escape);
  REQUIRE(unread.size() == 1);
  CHECK(unread == bad_records(kAll, escape));
  CHECK(run_sql(kFilter, {record("in", 0, kOrder)}) == std::vector<std::string>{R"({"id":1,"name":"ann"})"});
}

TEST_CASE("source projection: malformed JSON in an unread field is still a bad record", "[pipelines][projection]") {
  const std::vector<KcatRecord> in = {record("in", 0, R"({"id":1,"name":"ann","shop":[1},"n":7})")};
  CHECK(bad_records(kFilter, in).size() == 1);
}

TEST_CASE("source projection: computed columns and the columns of every operator on the way count", "[pipelines][projection]") {
  // A computed column reads n; the query reads only the computed column and id.
  const std::string sql =
      "CREATE TABLE src (id INT, name STRING, shop STRING, n INT, twice AS n * 2)\nWITH (" + kKafka + ", 'topic' = 'in');\n"
      "CREATE TABLE out_t (id INT, twice INT) WITH (" + kKafka + ", 'topic' = 'out');\n"
      "INSERT INTO out_t SELECT id, twice FROM src;\n";
  auto b = build(sql);
  CHECK(b->pipeline.sources[0].columns_needed == std::vector<bool>{true, false, false, true, true});
  // An aggregate after a filter: the key, the argument and the condition's column.
  const std::string agg = kSource + "CREATE TABLE out_t (name STRING, total BIGINT, PRIMARY KEY (name) NOT ENFORCED) WITH (" +
                          replay_test::kUpsert + ", 'topic' = 'out');\n"
                          "INSERT INTO out_t SELECT name, SUM(n) FROM src WHERE shop <> 'x' GROUP BY name;\n";
  auto g = build(agg);
  CHECK(g->pipeline.sources[0].columns_needed == std::vector<bool>{false, true, true, true, true});
}

TEST_CASE("source projection: the tutorial's filter app never decodes shop, phoneNumber or address", "[pipelines][projection]") {
  PipelineSet set = load_input(read_input(std::string(ANANAS_SOURCE_DIR) + "/pipelines/examples/01-basic-filtering.json"));
  REQUIRE(set.pipelines.size() == 1);
  BuiltPipeline p = build_pipeline(set.pipelines[0]);
  const BuiltSource& s = p.sources.at(0);
  std::vector<std::string> decoded;
  for (size_t i = 0; i < s.schema.size(); ++i)
    if (s.columns_needed.at(i)) decoded.push_back(s.schema[i].name);
  CHECK(decoded == std::vector<std::string>{"id", "name", "pizzas", "orderTimestamp"});
}
