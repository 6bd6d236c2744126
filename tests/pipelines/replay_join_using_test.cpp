// Regular joins with USING and with keys of different types (issue 12) run
// offline end to end (translate, build, LocalRunner: what `ananas replay`
// does) with the JSON bytes Flink writes:
//  - JOIN ... USING (c): `*` starts with c once (the COALESCE of both sides,
//    as Calcite's star expansion permutes it), each side's c stays reachable
//    qualified, and Calcite's errors for USING columns;
//  - keys of different types (INT = BIGINT, INT = DOUBLE, STRING =
//    VARCHAR(n)) match in their common type, as Flink casts both sides of
//    the equality; types without one are refused.
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
    "CREATE TABLE Products (product_id INT, name STRING) WITH ('topic' = 'products', " + kKafka + ");\n";

ananas::KcatRecord order(int64_t offset, int id, int product, int amount) {
  return record("orders", offset, "{\"order_id\":" + std::to_string(id) + ",\"product_id\":" + std::to_string(product) +
                                      ",\"amount\":" + std::to_string(amount) + "}");
}
ananas::KcatRecord product(int64_t offset, int id, const std::string& name) {
  return record("products", offset, "{\"product_id\":" + std::to_string(id) + ",\"name\":\"" + name + "\"}");
}

}  // namespace

TEST_CASE("JOIN USING: SELECT * has the USING column once, first, then the other columns of each side", "[replay][join]") {
  const std::string sql = kTables +
                          "CREATE TABLE out (product_id INT, order_id INT, amount INT, name STRING) "
                          "WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO out SELECT * FROM Orders JOIN Products USING (product_id);\n";
  CHECK(run_sql(sql, {product(0, 5, "pen"), order(0, 1, 5, 10), order(1, 2, 6, 20), product(1, 6, "ink")}) ==
        std::vector<std::string>{R"({"product_id":5,"order_id":1,"amount":10,"name":"pen"})",
                                 R"({"product_id":6,"order_id":2,"amount":20,"name":"ink"})"});
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    left_key: [product_id]\n    right_key: [product_id0]\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("JOIN USING: a FULL JOIN's USING column is the COALESCE of both sides, each side's stays qualified", "[replay][join]") {
  // Order 1 waits for product 7 (padded, then retracted when it comes); product 6 has no
  // order: its product_id comes from the right side.
  const std::string sql = kTables +
                          "CREATE TABLE out (product_id INT, order_id INT, amount INT, name STRING, "
                          "PRIMARY KEY (product_id) NOT ENFORCED) WITH ('topic' = 'out', " + kUpsert + ");\n"
                          "INSERT INTO out SELECT * FROM Orders FULL JOIN Products USING (product_id);\n";
  CHECK(run_sql(sql, {order(0, 1, 7, 10), product(0, 6, "ink"), product(1, 7, "cap")}, true) ==
        std::vector<std::string>{
            R"({"product_id":7} | {"product_id":7,"order_id":1,"amount":10,"name":null})",
            R"({"product_id":6} | {"product_id":6,"order_id":null,"amount":null,"name":"ink"})",
            R"({"product_id":7} | null)",
            R"({"product_id":7} | {"product_id":7,"order_id":1,"amount":10,"name":"cap"})"});
  const std::string qualified = kTables +
                                "CREATE TABLE out (name STRING, l INT, r INT, c INT, PRIMARY KEY (name) NOT ENFORCED) "
                                "WITH ('topic' = 'out', " + kUpsert + ");\n"
                                "INSERT INTO out SELECT p.name, o.product_id, p.product_id, product_id "
                                "FROM Orders o RIGHT JOIN Products p USING (product_id);\n";
  CHECK(run_sql(qualified, {product(0, 6, "ink"), order(0, 1, 6, 10)}, true) ==
        std::vector<std::string>{R"({"name":"ink"} | {"name":"ink","l":null,"r":6,"c":6})", R"({"name":"ink"} | null)",
                                 R"({"name":"ink"} | {"name":"ink","l":6,"r":6,"c":6})"});
}

TEST_CASE("JOIN USING: columns missing, repeated on a side or of incomparable types are refused in Calcite's words", "[replay][join]") {
  const std::string head = kTables + "CREATE TABLE out (order_id INT) WITH ('topic' = 'out', " + kKafka + ");\n";
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT order_id FROM Orders JOIN Products USING (name);\n"),
             Catch::Contains("docs.sql:4:66: Column 'name' not found in any table"));
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT order_id FROM Orders JOIN Products USING (product_id, product_id);\n"),
             Catch::Contains("column 'product_id' is named twice in USING"));
  // The left side of the second join has product_id twice (Calcite's join row type keeps both).
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT order_id FROM Orders JOIN Products USING (product_id) "
                             "JOIN Products p2 USING (product_id);\n"),
             Catch::Contains("Column name 'product_id' in USING clause is not unique on one side of join"));
  CHECK_THAT(error_of(kTables + "CREATE TABLE Names (product_id STRING) WITH ('topic' = 'n', " + kKafka + ");\n" +
                      "CREATE TABLE out (order_id INT) WITH ('topic' = 'out', " + kKafka + ");\n" +
                      "INSERT INTO out SELECT order_id FROM Orders JOIN Names USING (product_id);\n"),
             Catch::Contains("Column 'product_id' matched using NATURAL keyword or USING clause has incompatible types: "
                             "cannot compare 'INT' to 'STRING'"));
}

TEST_CASE("JOIN: keys of different types match in their common type", "[replay][join]") {
  // INT = BIGINT: the INT side is cast to BIGINT in a calc before the join.
  const std::string bigint =
      kTables + "CREATE TABLE Big (id BIGINT, name STRING) WITH ('topic' = 'big', " + kKafka + ");\n" +
      "CREATE TABLE out (order_id INT, name STRING) WITH ('topic' = 'out', " + kKafka + ");\n" +
      "INSERT INTO out SELECT order_id, name FROM Orders o JOIN Big b ON o.product_id = b.id;\n";
  CHECK(run_sql(bigint, {record("big", 0, R"({"id":5,"name":"pen"})"), order(0, 1, 5, 10), order(1, 2, 6, 20)}) ==
        std::vector<std::string>{R"({"order_id":1,"name":"pen"})"});
  auto set = ananas::pipeline::translate_sql({{"docs.sql", bigint}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("{name: $f3, expr: CAST(product_id AS BIGINT)}") != std::string::npos);
  CHECK(yaml.find("    left_key: [$f3]\n    right_key: [id]\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);

  // INT = DOUBLE: 5 matches 5.0, not 5.5; SELECT * keeps both keys in their own types.
  const std::string dbl = kTables + "CREATE TABLE Prices (id DOUBLE, price INT) WITH ('topic' = 'prices', " + kKafka + ");\n" +
                          "CREATE TABLE out (order_id INT, product_id INT, amount INT, id DOUBLE, price INT) "
                          "WITH ('topic' = 'out', " + kKafka + ");\n" +
                          "INSERT INTO out SELECT * FROM Orders JOIN Prices ON product_id = id;\n";
  CHECK(run_sql(dbl, {record("prices", 0, R"({"id":5.5,"price":1})"), record("prices", 1, R"({"id":5.0,"price":2})"),
                      order(0, 1, 5, 10)}) ==
        std::vector<std::string>{R"({"order_id":1,"product_id":5,"amount":10,"id":5.0,"price":2})"});

  // STRING = VARCHAR(10), and USING over INT and BIGINT: the USING column is the BIGINT one.
  const std::string strings =
      "CREATE TABLE a (k STRING, x INT) WITH ('topic' = 'a', " + kKafka + ");\n"
      "CREATE TABLE b (k VARCHAR(10), x BIGINT) WITH ('topic' = 'b', " + kKafka + ");\n"
      "CREATE TABLE out (x BIGINT, k STRING, k0 VARCHAR(10)) WITH ('topic' = 'out', " + kKafka + ");\n"
      "INSERT INTO out SELECT * FROM a JOIN b USING (x) WHERE a.k = b.k;\n";
  CHECK(run_sql(strings, {record("a", 0, R"({"k":"p","x":1})"), record("b", 0, R"({"k":"p","x":1})"),
                          record("b", 1, R"({"k":"q","x":1})")}) ==
        std::vector<std::string>{R"({"x":1,"k":"p","k0":"p"})"});
  const std::string keyed_strings =
      "CREATE TABLE a (k STRING, x INT) WITH ('topic' = 'a', " + kKafka + ");\n"
      "CREATE TABLE b (k VARCHAR(10), y INT) WITH ('topic' = 'b', " + kKafka + ");\n"
      "CREATE TABLE out (x INT, y INT) WITH ('topic' = 'out', " + kKafka + ");\n"
      "INSERT INTO out SELECT x, y FROM a JOIN b ON a.k = b.k;\n";
  CHECK(run_sql(keyed_strings, {record("a", 0, R"({"k":"p","x":1})"), record("b", 0, R"({"k":"p","y":2})")}) ==
        std::vector<std::string>{R"({"x":1,"y":2})"});

  // Types without a common one cannot be compared.
  CHECK_THAT(error_of(kTables + "CREATE TABLE Names (id STRING) WITH ('topic' = 'n', " + kKafka + ");\n" +
                      "CREATE TABLE out (order_id INT) WITH ('topic' = 'out', " + kKafka + ");\n" +
                      "INSERT INTO out SELECT order_id FROM Orders JOIN Names ON product_id = id;\n"),
             Catch::Contains("docs.sql:5:59: join keys product_id (INT) and id (STRING) cannot be compared"));
}
