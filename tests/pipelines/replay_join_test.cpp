// Regular joins (issue 12 item 5) run offline end to end (translate, build,
// LocalRunner: what `ananas replay` does): Flink docs' Orders/Product inner
// join, a LEFT JOIN's padded row replaced when its match arrives (through
// the sink's upsert materializer, as Flink's SinkUpsertMaterializer), the
// residual condition, Calcite's renaming of a right column the left side
// has, and the joins Ananas refuses.
#include <string>
#include <vector>

#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::error_of;
using replay_test::record;
using replay_test::run_sql;
using replay_test::kKafka;
using replay_test::kUpsert;

namespace {

const std::string kTables =
    "CREATE TABLE Orders (order_id INT, product_id INT, amount INT) WITH ('topic' = 'orders', " + kKafka + ");\n"
    "CREATE TABLE Product (id INT, name STRING) WITH ('topic' = 'product', " + kKafka + ");\n";

ananas::KcatRecord order(int64_t offset, int id, int product, int amount) {
  return record("orders", offset, "{\"order_id\":" + std::to_string(id) + ",\"product_id\":" + std::to_string(product) +
                                      ",\"amount\":" + std::to_string(amount) + "}");
}
ananas::KcatRecord product(int64_t offset, int id, const std::string& name) {
  return record("product", offset, "{\"id\":" + std::to_string(id) + ",\"name\":\"" + name + "\"}");
}

}  // namespace

TEST_CASE("JOIN: the docs' Orders INNER JOIN Product pairs each order with its product, whichever came first", "[replay][join]") {
  const std::string sql = kTables +
                          "CREATE TABLE out (order_id INT, amount INT, name STRING) WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO out SELECT order_id, amount, name FROM Orders\n"
                          "INNER JOIN Product ON Orders.product_id = Product.id;\n";
  CHECK(run_sql(sql, {product(0, 5, "pen"), order(0, 1, 5, 10), order(1, 2, 6, 20), product(1, 6, "ink"), order(2, 3, 7, 30)}) ==
        std::vector<std::string>{R"({"order_id":1,"amount":10,"name":"pen"})", R"({"order_id":2,"amount":20,"name":"ink"})"});
}

TEST_CASE("JOIN: a LEFT JOIN writes the padded order, then its tombstone and the joined row", "[replay][join]") {
  const std::string sql = kTables +
                          "CREATE TABLE out (order_id INT, name STRING, PRIMARY KEY (order_id) NOT ENFORCED) "
                          "WITH ('topic' = 'out', " + kUpsert + ");\n"
                          "INSERT INTO out SELECT o.order_id, p.name FROM Orders AS o LEFT JOIN Product AS p ON o.product_id = p.id;\n";
  CHECK(run_sql(sql, {order(0, 1, 5, 10), product(0, 5, "pen")}, true) ==
        std::vector<std::string>{R"({"order_id":1} | {"order_id":1,"name":null})", R"({"order_id":1} | null)",
                                 R"({"order_id":1} | {"order_id":1,"name":"pen"})"});
  // Into a plain kafka sink Flink refuses the updates of an outer join, naming the join.
  const std::string append = kTables + "CREATE TABLE out (order_id INT, name STRING) WITH ('topic' = 'out', " + kKafka + ");\n"
                                       "INSERT INTO out SELECT o.order_id, p.name FROM Orders o LEFT JOIN Product p ON o.product_id = p.id;\n";
  CHECK_THAT(error_of(append), Catch::Contains("doesn't support consuming update changes which is produced by node "
                                               "Join(joinType=[LeftOuterJoin], where=[=(product_id, id)]"));
}

TEST_CASE("JOIN: the rest of ON is checked per pair, and a right column the left has is renamed", "[replay][join]") {
  const std::string sql =
      "CREATE TABLE a (id INT, v INT) WITH ('topic' = 'a', " + kKafka + ");\n"
      "CREATE TABLE b (id INT, v INT) WITH ('topic' = 'b', " + kKafka + ");\n"
      "CREATE TABLE out (id INT, v INT, bid INT, bv INT) WITH ('topic' = 'out', " + kKafka + ");\n"
      "INSERT INTO out SELECT * FROM a JOIN b ON a.id = b.id AND a.v > b.v;\n";
  CHECK(run_sql(sql, {record("b", 0, R"({"id":1,"v":5})"), record("a", 0, R"({"id":1,"v":3})"),
                      record("a", 1, R"({"id":1,"v":9})")}) ==
        std::vector<std::string>{R"({"id":1,"v":9,"bid":1,"bv":5})"});
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("      - {name: id0, expr: id}\n      - {name: v0, expr: v}\n") != std::string::npos);
  CHECK(yaml.find("  type: join\n    inputs: [a, join_right]\n    left_key: [id]\n    right_key: [id0]\n    condition: v > v0\n") !=
        std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("JOIN: a self-join reads the table twice, through a renaming calc", "[replay][join]") {
  const std::string sql = kTables +
                          "CREATE TABLE out (a INT, b INT) WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO out SELECT x.order_id, y.order_id FROM Orders x JOIN Orders y "
                          "ON x.product_id = y.product_id AND x.order_id < y.order_id;\n";
  CHECK(run_sql(sql, {order(0, 1, 5, 10), order(1, 2, 5, 20), order(2, 3, 6, 30)}) ==
        std::vector<std::string>{R"({"a":1,"b":2})"});
}

TEST_CASE("JOIN: joins Ananas does not run are refused at the join", "[replay][join]") {
  const std::string head = kTables + "CREATE TABLE out (order_id INT) WITH ('topic' = 'out', " + kKafka + ");\n";
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT order_id FROM Orders JOIN Product ON amount > id;\n"),
             Catch::Contains("docs.sql:4:61: a join between tables needs an equality between a column of each side in ON"));
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT order_id FROM Orders CROSS JOIN Product;\n"),
             Catch::Contains("a cross join (or comma) between tables is not supported"));
  CHECK_THAT(error_of(kTables + "CREATE TABLE s (name STRING) WITH ('topic' = 's', " + kKafka + ");\n" +
                      "INSERT INTO s SELECT name FROM Orders JOIN Product ON CAST(order_id AS BIGINT) = id;\n"),
             Catch::Contains("a join between tables needs an equality"));
}
