// GROUPING SETS, ROLLUP and CUBE (Flink docs, Queries > Group Aggregation >
// GROUPING SETS): an expand node, then a GROUP BY keyed by every grouping
// column and the set's id, as Flink plans Expand + GroupAggregate; the docs'
// Products rows give the docs' result table once every update is applied.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::error_of;
using replay_test::record;
using replay_test::run_sql;

namespace {

const std::string kTables =
    "CREATE TABLE Products (supplier_id STRING, product_id STRING, rating INT)\n"
    "  WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');\n"
    "CREATE TABLE out_t (supplier_id STRING, rating INT, total BIGINT, PRIMARY KEY (supplier_id, rating) NOT ENFORCED)\n"
    "  WITH ('connector' = 'upsert-kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'b:9092',\n"
    "        'key.format' = 'json', 'value.format' = 'json');\n";

std::vector<ananas::KcatRecord> products() {
  return {record("in", 0, R"({"supplier_id":"supplier1","product_id":"product1","rating":4})"),
          record("in", 1, R"({"supplier_id":"supplier1","product_id":"product2","rating":3})"),
          record("in", 2, R"({"supplier_id":"supplier2","product_id":"product3","rating":3})"),
          record("in", 3, R"({"supplier_id":"supplier2","product_id":"product4","rating":4})")};
}

// The last value written for each key: the table the upserts leave.
std::vector<std::string> final_table(const std::vector<std::string>& records) {
  std::map<std::string, std::string> table;
  for (const auto& r : records) {
    const size_t bar = r.find(" | ");
    const std::string key = r.substr(0, bar), value = r.substr(bar + 3);
    if (value == "null") table.erase(key);
    else table[key] = value;
  }
  std::vector<std::string> out;
  for (const auto& [key, value] : table) out.push_back(value);
  return out;
}

std::string query(const std::string& group_by) {
  // The sink's key must not be NULL (Flink's NOT NULL enforcer stops the job), so the totals' NULLs are named.
  return kTables + "INSERT INTO out_t SELECT COALESCE(supplier_id, '*'), COALESCE(rating, 0), COUNT(*) AS total\n"
                   "FROM Products GROUP BY " + group_by + ";\n";
}

}  // namespace

TEST_CASE("grouping sets: the docs' query gives the docs' result table", "[replay][grouping_sets]") {
  const auto records = run_sql(query("GROUPING SETS ((supplier_id, rating), (supplier_id), ())"), products(), true);
  // After the first order, one row per set, in Calcite's order of the sets (the largest first).
  REQUIRE(records.size() >= 3);
  CHECK(std::vector<std::string>(records.begin(), records.begin() + 3) ==
        std::vector<std::string>{R"({"supplier_id":"supplier1","rating":4} | {"supplier_id":"supplier1","rating":4,"total":1})",
                                 R"({"supplier_id":"supplier1","rating":0} | {"supplier_id":"supplier1","rating":0,"total":1})",
                                 R"({"supplier_id":"*","rating":0} | {"supplier_id":"*","rating":0,"total":1})"});
  CHECK(final_table(records) == std::vector<std::string>{R"({"supplier_id":"*","rating":0,"total":4})",
                                                         R"({"supplier_id":"supplier1","rating":0,"total":2})",
                                                         R"({"supplier_id":"supplier1","rating":3,"total":1})",
                                                         R"({"supplier_id":"supplier1","rating":4,"total":1})",
                                                         R"({"supplier_id":"supplier2","rating":0,"total":2})",
                                                         R"({"supplier_id":"supplier2","rating":3,"total":1})",
                                                         R"({"supplier_id":"supplier2","rating":4,"total":1})"});
}

TEST_CASE("grouping sets: ROLLUP and CUBE are the sets they stand for", "[replay][grouping_sets]") {
  const auto sets = final_table(run_sql(query("GROUPING SETS ((supplier_id, rating), (supplier_id), ())"), products(), true));
  CHECK(final_table(run_sql(query("ROLLUP (supplier_id, rating)"), products(), true)) == sets);
  // CUBE adds the (rating) set: rating 3 and 4 over both suppliers.
  auto cube = final_table(run_sql(query("CUBE (supplier_id, rating)"), products(), true));
  CHECK(cube.size() == sets.size() + 2);
  CHECK(std::count(cube.begin(), cube.end(), R"({"supplier_id":"*","rating":3,"total":2})") == 1);
  CHECK(std::count(cube.begin(), cube.end(), R"({"supplier_id":"*","rating":4,"total":2})") == 1);
}

TEST_CASE("grouping sets: refused forms are located", "[replay][grouping_sets]") {
  CHECK(error_of(query("GROUPING SETS ((supplier_id), (supplier_id))")).find("a grouping set is listed twice") != std::string::npos);
  CHECK(error_of(query("GROUPING SETS (ROLLUP (supplier_id))")).rfind("docs.sql:7:39: ROLLUP inside GROUPING SETS is not supported", 0) == 0);
}

namespace {

// GROUPING() and GROUPING_ID() next to the keys they describe; the key's NULLs named as above.
std::string grouping_query(const std::string& functions, const std::string& group_by, const std::string& having = "") {
  return "CREATE TABLE Products (supplier_id STRING, product_id STRING, rating INT)\n"
         "  WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');\n"
         "CREATE TABLE out_g (supplier_id STRING, rating INT, g1 BIGINT, g2 BIGINT, g3 BIGINT, total BIGINT,\n"
         "  PRIMARY KEY (supplier_id, rating) NOT ENFORCED)\n"
         "  WITH ('connector' = 'upsert-kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'b:9092',\n"
         "        'key.format' = 'json', 'value.format' = 'json');\n"
         "INSERT INTO out_g SELECT COALESCE(supplier_id, '*'), COALESCE(rating, 0), " + functions + ", COUNT(*)\n"
         "FROM Products GROUP BY " + group_by + having + ";\n";
}

std::string row(const std::string& supplier, int rating, int g1, int g2, int g3, int total) {
  return R"({"supplier_id":")" + supplier + R"(","rating":)" + std::to_string(rating) + R"(,"g1":)" + std::to_string(g1) +
         R"(,"g2":)" + std::to_string(g2) + R"(,"g3":)" + std::to_string(g3) + R"(,"total":)" + std::to_string(total) + "}";
}

}  // namespace

// Calcite's SqlGroupingFunction, as Flink's DecomposeGroupingSetsRule
// computes it from the expand id: GROUPING(e) is 1 where the row's grouping
// set leaves e out, GROUPING_ID(a, b) = 2 * GROUPING(a) + GROUPING(b).
TEST_CASE("grouping sets: GROUPING and GROUPING_ID say which keys a row's set leaves out", "[replay][grouping_sets]") {
  const auto table = final_table(run_sql(
      grouping_query("GROUPING(supplier_id), GROUPING(rating), GROUPING_ID(supplier_id, rating)", "CUBE (supplier_id, rating)"),
      products(), true));
  CHECK(table == std::vector<std::string>{row("*", 0, 1, 1, 3, 4), row("*", 3, 1, 0, 2, 2), row("*", 4, 1, 0, 2, 2),
                                          row("supplier1", 0, 0, 1, 1, 2), row("supplier1", 3, 0, 0, 0, 1),
                                          row("supplier1", 4, 0, 0, 0, 1), row("supplier2", 0, 0, 1, 1, 2),
                                          row("supplier2", 3, 0, 0, 0, 1), row("supplier2", 4, 0, 0, 0, 1)});
  // The arguments' order is the bits' order; the same key twice is two bits.
  const auto reversed = final_table(run_sql(
      grouping_query("GROUPING_ID(rating, supplier_id), GROUPING_ID(rating), GROUPING_ID(rating, rating)", "CUBE (supplier_id, rating)"),
      products(), true));
  CHECK(std::count(reversed.begin(), reversed.end(), row("supplier1", 0, 2, 1, 3, 2)) == 1);
  CHECK(std::count(reversed.begin(), reversed.end(), row("*", 3, 1, 0, 0, 2)) == 1);
  CHECK(std::count(reversed.begin(), reversed.end(), row("*", 0, 3, 1, 3, 4)) == 1);
}

TEST_CASE("grouping sets: GROUPING in HAVING keeps the subtotals only", "[replay][grouping_sets]") {
  const auto table = final_table(run_sql(grouping_query("GROUPING(supplier_id), GROUPING(rating), GROUPING_ID(supplier_id, rating)",
                                                        "ROLLUP (supplier_id, rating)", " HAVING GROUPING(rating) = 1"),
                                         products(), true));
  CHECK(table == std::vector<std::string>{row("*", 0, 1, 1, 3, 4), row("supplier1", 0, 0, 1, 1, 2), row("supplier2", 0, 0, 1, 1, 2)});
}

TEST_CASE("grouping sets: GROUPING without grouping sets is 0, and its argument must be grouped", "[replay][grouping_sets]") {
  const auto table = final_table(run_sql(
      grouping_query("GROUPING(supplier_id), GROUPING_ID(supplier_id, UPPER(product_id)), GROUPING(rating)",
                     "supplier_id, UPPER(product_id), rating"),
      products(), true));
  REQUIRE(table.size() == 4);
  for (const auto& r : table) CHECK(r.find(R"("g1":0,"g2":0,"g3":0)") != std::string::npos);
  CHECK(error_of(grouping_query("GROUPING(product_id), 0, 0", "CUBE (supplier_id, rating)"))
            .rfind("docs.sql:7:84: Argument to GROUPING operator must be a grouped expression", 0) == 0);
  CHECK(error_of(grouping_query("GROUPING_ID(supplier_id, rating + 1), 0, 0", "supplier_id, rating"))
            .find("Argument to GROUPING_ID operator must be a grouped expression") != std::string::npos);
}
