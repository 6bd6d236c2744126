// A keyed pipeline over an upsert-kafka table whose every keyed operator is
// keyed by the table's PRIMARY KEY (the message key its producers partition
// by) needs no exchange in a worker group: it runs once per source
// partition. Anything else keyed is cut at an exchange.
#include <catch2/catch.hpp>

#include "actors/drivers/copartition.hpp"
#include "actors/drivers/worker_pipelines.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/sql/planner.hpp"

using namespace ananas;
using namespace ananas::rt::drivers;

namespace {

const std::string kUpsert =
    "'connector' = 'upsert-kafka', 'properties.bootstrap.servers' = 'b:9092', 'key.format' = 'json', "
    "'value.format' = 'json'";
const std::string kKafka = "'connector' = 'kafka', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json'";

std::string users(const std::string& with) {
  return "CREATE TABLE users (id BIGINT, name STRING, city STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (" + with +
         ", 'topic' = 'users');\n";
}

// The pipeline of `sql`, built (kept alive with its model).
struct Built {
  pipeline::PipelineSet set;
  std::shared_ptr<pipeline::BuiltPipeline> built;
};
Built build(const std::string& sql) {
  Built b;
  b.set = pipeline::translate_sql({{"t.sql", sql}}, "t");
  REQUIRE(b.set.pipelines.size() == 1);
  b.built = std::make_shared<pipeline::BuiltPipeline>(pipeline::build_pipeline(b.set.pipelines[0]));
  return b;
}

std::vector<rt::PipelineGraph> worker_graphs(const Built& b) {
  WorkerSettings settings;
  settings.bootstrap_servers = "b:9092";
  settings.exchanges = true;
  return to_worker_graphs(b.built, settings, nullptr);
}

}  // namespace

TEST_CASE("a GROUP BY on an upsert-kafka table's primary key runs per source partition, without an exchange", "[actors]") {
  const Built b = build(users(kUpsert) +
                        "CREATE TABLE per_user (id BIGINT, n BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH (" + kUpsert +
                        ", 'topic' = 'per_user');\n"
                        "INSERT INTO per_user SELECT id AS id, COUNT(*) AS n FROM users WHERE city <> 'x' GROUP BY id;\n");
  const auto plan = plan_copartitioned(*b.built);
  REQUIRE(plan);
  CHECK(plan->topic == "users");
  CHECK(plan->primary_key == std::vector<std::string>{"id"});
  const auto graphs = worker_graphs(b);
  REQUIRE(graphs.size() == 1);  // no scan part, no exchange topic
  REQUIRE(graphs[0].sharding);
  CHECK(graphs[0].sharding->topic == "users");
  CHECK_FALSE(graphs[0].sharding->key_group_ranges);
  CHECK(graphs[0].splittable_topics == std::vector<std::string>{"users"});
}

TEST_CASE("a GROUP BY on another column of an upsert-kafka table, or on a plain kafka table, crosses an exchange",
          "[actors]") {
  const std::string out_city = "CREATE TABLE per_city (city STRING, n BIGINT, PRIMARY KEY (city) NOT ENFORCED) WITH (" +
                               kUpsert + ", 'topic' = 'per_city');\n";
  const Built by_city = build(users(kUpsert) + out_city +
                              "INSERT INTO per_city SELECT city, COUNT(*) AS n FROM users GROUP BY city;\n");
  CHECK_FALSE(plan_copartitioned(*by_city.built));
  const auto graphs = worker_graphs(by_city);
  REQUIRE(graphs.size() == 2);  // scan part and sharded keyed part
  REQUIRE(graphs[1].sharding);
  CHECK(graphs[1].sharding->key_group_ranges);

  // A plain kafka table's records carry no key Ananas reads: nothing says
  // how its producers partitioned them.
  const std::string per_user = "CREATE TABLE per_user (id BIGINT, n BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH (" +
                               kUpsert + ", 'topic' = 'per_user');\n";
  const Built plain = build("CREATE TABLE users (id BIGINT, name STRING, city STRING) WITH (" + kKafka +
                            ", 'topic' = 'users');\n" + per_user +
                            "INSERT INTO per_user SELECT id, COUNT(*) AS n FROM users GROUP BY id;\n");
  CHECK_FALSE(plan_copartitioned(*plain.built));

  // A key computed from the primary key is not the message key.
  const Built computed = build(users(kUpsert) + per_user +
                               "INSERT INTO per_user SELECT id + 1 AS id, COUNT(*) AS n FROM users GROUP BY id + 1;\n");
  CHECK_FALSE(plan_copartitioned(*computed.built));
}
