// Query and DDL syntax beyond what the seeds use.
#include <catch2/catch.hpp>

#include "core/sql/ast.hpp"
#include "core/sql/printer.hpp"
#include "pipelines/sql/statement_parser.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;
using namespace ananas::sql;

namespace {

QueryPtr query_of(const std::string& text) {
  auto statements = parse_statements(text, "q.sql");
  REQUIRE(statements.size() == 1);
  REQUIRE(statements[0]->kind == StatementKind::Query);
  return std::move(statements[0]->as<QueryStatement>().query);
}

const Select& select_of(const QueryPtr& q) {
  REQUIRE(q->body->kind == QueryNodeKind::Select);
  return q->body->as<Select>();
}

}  // namespace

TEST_CASE("window TVFs with named arguments, HOP and CUMULATE, offsets") {
  auto q = query_of(
      "SELECT * FROM TABLE(HOP(DATA => TABLE orders, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '1' MINUTE, "
      "SIZE => INTERVAL '5' MINUTE, OFFSET => INTERVAL '10' SECOND)) AS w");
  const auto& w = select_of(q).from->as<WindowTvf>();
  CHECK(w.window == WindowKind::Hop);
  CHECK(w.named_arguments);
  CHECK(w.table == std::vector<std::string>{"orders"});
  CHECK(w.time_column == std::vector<std::string>{"ts"});
  CHECK(to_sql(*w.slide) == "INTERVAL '1' MINUTE");
  CHECK(to_sql(*w.size) == "INTERVAL '5' MINUTE");
  CHECK(to_sql(*w.offset) == "INTERVAL '10' SECOND");
  CHECK(w.alias == std::optional<std::string>("w"));

  auto c = query_of("SELECT * FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '1' DAY))");
  const auto& cw = select_of(c).from->as<WindowTvf>();
  CHECK(cw.window == WindowKind::Cumulate);
  CHECK(to_sql(*cw.step) == "INTERVAL '1' HOUR");
  CHECK(to_sql(*cw.size) == "INTERVAL '1' DAY");

  // Named arguments in any order.
  auto t = query_of("SELECT * FROM TABLE(TUMBLE(SIZE => INTERVAL '5' SECOND, TIMECOL => DESCRIPTOR(ts), DATA => TABLE t))");
  CHECK(select_of(t).from->as<WindowTvf>().table == std::vector<std::string>{"t"});
}

TEST_CASE("joins, LATERAL TABLE, subqueries in FROM") {
  auto q = query_of("SELECT a.x, b.* FROM a LEFT JOIN b ON a.id = b.id JOIN c USING (id), LATERAL TABLE(split(a.s)) AS s(word)");
  const auto& sel = select_of(q);
  CHECK(sel.items[1].expr->as<Star>().qualifier == std::vector<std::string>{"b"});
  const auto& comma = sel.from->as<Join>();
  CHECK(comma.join == JoinKind::Comma);
  REQUIRE(comma.right->kind == FromKind::LateralTable);
  CHECK(comma.right->as<LateralTable>().call->as<Call>().name == "split");
  CHECK(comma.right->column_aliases == std::vector<std::string>{"word"});
  const auto& inner = comma.left->as<Join>();
  CHECK(inner.join == JoinKind::Inner);
  CHECK(inner.using_columns == std::vector<std::string>{"id"});
  const auto& left = inner.left->as<Join>();
  CHECK(left.join == JoinKind::Left);
  CHECK(to_sql(*left.on) == "a.id = b.id");

  auto s = query_of("SELECT x FROM (SELECT 1 AS x) sub");
  const auto& ref = select_of(s).from->as<SubqueryRef>();
  CHECK(ref.alias == std::optional<std::string>("sub"));
  CHECK(select_of(ref.query).items[0].alias == std::optional<std::string>("x"));
}

TEST_CASE("UNION ALL, DISTINCT, ORDER BY, LIMIT") {
  auto q = query_of("SELECT DISTINCT a FROM t UNION ALL (SELECT b FROM s) ORDER BY 1 DESC NULLS LAST LIMIT 10");
  REQUIRE(q->body->kind == QueryNodeKind::SetOperation);
  const auto& u = q->body->as<SetOperation>();
  CHECK(u.op == SetOp::UnionAll);
  CHECK(u.left->as<Select>().distinct);
  CHECK(u.right->kind == QueryNodeKind::Nested);
  REQUIRE(q->order_by.size() == 1);
  CHECK(q->order_by[0].descending);
  CHECK(q->order_by[0].nulls == NullsOrder::Last);
  CHECK(to_sql(*q->limit) == "10");
  CHECK(query_of("SELECT a FROM t UNION SELECT a FROM s")->body->as<SetOperation>().op == SetOp::Union);
}

TEST_CASE("MATCH_RECOGNIZE: all clauses, skip variants, alias") {
  auto q = query_of(
      "SELECT * FROM t MATCH_RECOGNIZE (\n"
      "  PARTITION BY k, j ORDER BY ts ASC, id\n"
      "  MEASURES FINAL LAST(B.ts) AS last_ts, RUNNING COUNT(B.id) AS n\n"
      "  ALL ROWS PER MATCH\n"
      "  AFTER MATCH SKIP TO LAST B\n"
      "  PATTERN (A (B | C){1,3}? D*)\n"
      "  WITHIN INTERVAL '1' HOUR\n"
      "  SUBSET BC = (B, C)\n"
      "  DEFINE B AS B.v > PREV(B.v), C AS TRUE\n"
      ") AS mr");
  const auto& m = select_of(q).from->as<MatchRecognize>();
  CHECK(m.partition_by.size() == 2);
  CHECK(m.order_by.size() == 2);
  CHECK(m.order_by[0].direction_written);
  CHECK(m.measures[0].expr->as<Call>().semantics == NavSemantics::Final);
  CHECK(m.measures[1].expr->as<Call>().semantics == NavSemantics::Running);
  CHECK(m.rows_per_match == RowsPerMatch::AllRows);
  CHECK(m.after_match.kind == AfterMatchKind::ToLast);
  CHECK(m.after_match.variable == "B");
  CHECK(m.pattern_text == "A (B | C){1,3}? D*");
  CHECK(m.pattern_loc == SourceLocation{"q.sql", 6, 12});
  CHECK(to_sql(*m.within) == "INTERVAL '1' HOUR");
  REQUIRE(m.subsets.size() == 1);
  CHECK(m.subsets[0].variables == std::vector<std::string>{"B", "C"});
  CHECK(m.defines.size() == 2);
  CHECK(m.alias == std::optional<std::string>("mr"));

  auto skip = [](const std::string& clause) {
    auto q2 = query_of("SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts " + clause + " PATTERN (A) DEFINE A AS TRUE)");
    return select_of(q2).from->as<MatchRecognize>().after_match.kind;
  };
  CHECK(skip("AFTER MATCH SKIP PAST LAST ROW") == AfterMatchKind::PastLastRow);
  CHECK(skip("AFTER MATCH SKIP TO NEXT ROW") == AfterMatchKind::ToNextRow);
  CHECK(skip("AFTER MATCH SKIP TO FIRST A") == AfterMatchKind::ToFirst);
  CHECK(skip("AFTER MATCH SKIP TO A") == AfterMatchKind::ToVariable);
  CHECK(skip("") == AfterMatchKind::Default);
}

TEST_CASE("CREATE TABLE: every column form, constraints, comments, partitioning") {
  auto statements = parse_statements(
      "CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.`my table` (\n"
      "  id BIGINT NOT NULL COMMENT 'the id',\n"
      "  `offset` BIGINT METADATA VIRTUAL,\n"
      "  part INT METADATA FROM 'partition' VIRTUAL,\n"
      "  doubled AS id * 2 COMMENT 'computed',\n"
      "  ts TIMESTAMP_LTZ(3),\n"
      "  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND,\n"
      "  CONSTRAINT pk PRIMARY KEY (id) NOT ENFORCED\n"
      ") COMMENT 'a table' PARTITIONED BY (part) WITH ()",
      "ddl.sql");
  const auto& t = statements.at(0)->as<CreateTable>();
  CHECK(t.temporary);
  CHECK(t.if_not_exists);
  CHECK(t.name == std::vector<std::string>{"cat", "db", "my table"});
  REQUIRE(t.columns.size() == 5);
  CHECK(t.columns[0].type == Type::bigint().with_nullable(false));
  CHECK(t.columns[0].comment == std::optional<std::string>("the id"));
  CHECK(t.columns[1].name == "offset");
  CHECK(t.columns[1].kind == ColumnKind::Metadata);
  CHECK(t.columns[1].is_virtual);
  CHECK_FALSE(t.columns[1].metadata_key);
  CHECK(t.columns[2].metadata_key == std::optional<std::string>("partition"));
  CHECK(t.columns[3].kind == ColumnKind::Computed);
  CHECK(to_sql(*t.columns[3].computed) == "id * 2");
  CHECK(t.columns[4].type == Type::timestamp_ltz(3));
  CHECK(t.columns[4].loc == SourceLocation{"ddl.sql", 6, 3});
  REQUIRE(t.watermark);
  CHECK(t.watermark->loc == SourceLocation{"ddl.sql", 7, 3});
  REQUIRE(t.primary_key);
  CHECK(t.primary_key->constraint_name == std::optional<std::string>("pk"));
  CHECK(t.primary_key->not_enforced);
  CHECK(t.comment == std::optional<std::string>("a table"));
  CHECK(t.partitioned_by == std::vector<std::string>{"part"});
  CHECK(t.options.empty());
}

TEST_CASE("INSERT with a column list, INSERT OVERWRITE, parenthesised query") {
  auto statements = parse_statements("INSERT INTO s (a, b) SELECT x, y FROM t; INSERT OVERWRITE s (SELECT 1, 2)", "i.sql");
  REQUIRE(statements.size() == 2);
  const auto& first = statements[0]->as<Insert>();
  CHECK(first.columns == std::vector<std::string>{"a", "b"});
  CHECK(first.column_locs[1] == SourceLocation{"i.sql", 1, 19});
  const auto& second = statements[1]->as<Insert>();
  CHECK(second.overwrite);
  CHECK(second.columns.empty());
  CHECK(second.query->body->kind == QueryNodeKind::Nested);
}
