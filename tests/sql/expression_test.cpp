// Expression parsing (precedence, special syntax, locations) and the printer's
// round trip: parse(to_sql(e)) equals e.
#include <catch2/catch.hpp>

#include <set>

#include "core/sql/expr_columns.hpp"
#include "core/sql/expr_parser.hpp"
#include "core/sql/printer.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;
using namespace ananas::sql;

namespace {
ExprPtr parse(const std::string& text) { return parse_expression(text, "e.sql"); }
std::string canonical(const std::string& text) { return to_sql(*parse(text)); }
}  // namespace

TEST_CASE("precedence follows Calcite") {
  CHECK(canonical("a OR b AND c") == "a OR b AND c");
  CHECK(parse("a OR b AND c")->as<Binary>().op == BinaryOp::Or);
  CHECK(canonical("(a OR b) AND c") == "(a OR b) AND c");
  CHECK(canonical("a + b * c") == "a + b * c");
  CHECK(canonical("(a + b) * c") == "(a + b) * c");
  CHECK(canonical("a - (b - c)") == "a - (b - c)");
  CHECK(canonical("a - b - c") == "a - b - c");
  CHECK(canonical("NOT a = b") == "NOT a = b");
  CHECK(parse("NOT a = b")->as<Unary>().op == UnaryOp::Not);
  CHECK(canonical("a || b || c") == "a || b || c");
  CHECK(parse("x IS NULL AND y")->as<Binary>().op == BinaryOp::And);
  CHECK(parse("a = b IS NULL")->kind == ExprKind::IsTest);
  CHECK(parse("a = b IN (1)")->as<Binary>().right->kind == ExprKind::InList);
  // The seed's DEFINE: AND binds tighter than OR.
  auto define = parse("(LAST(NR_UP.nr_orders, 1) IS NULL AND NR_UP.nr_orders > START_ROW.nr_orders OR NR_UP.nr_orders > LAST(NR_UP.nr_orders, 1))");
  REQUIRE(define->kind == ExprKind::Binary);
  CHECK(define->as<Binary>().op == BinaryOp::Or);
  CHECK(define->as<Binary>().left->as<Binary>().op == BinaryOp::And);
}

TEST_CASE("literals keep their text, strings keep their bytes") {
  auto s = parse("'it''s 🍍'");
  CHECK(s->as<Literal>().literal_kind == LiteralKind::String);
  CHECK(s->as<Literal>().text == "it's \xF0\x9F\x8D\x8D");
  CHECK(to_sql(*s) == "'it''s \xF0\x9F\x8D\x8D'");
  CHECK(parse("100.0")->as<Literal>().literal_kind == LiteralKind::Decimal);
  CHECK(parse("100.0")->as<Literal>().text == "100.0");
  CHECK(parse("1e2")->as<Literal>().literal_kind == LiteralKind::Approximate);
  CHECK(parse("42")->as<Literal>().literal_kind == LiteralKind::Integer);
  CHECK(parse("TRUE")->as<Literal>().bool_value);
  CHECK(parse("null")->as<Literal>().literal_kind == LiteralKind::Null);
  CHECK(parse("TIMESTAMP '2023-01-01 10:00:00.123'")->as<Literal>().literal_kind == LiteralKind::Timestamp);
  CHECK(parse("DATE '2023-01-01'")->as<Literal>().text == "2023-01-01");
}

TEST_CASE("interval literals with units, plurals and ranges") {
  auto a = parse("INTERVAL '5' SECOND");
  CHECK(a->as<Literal>().interval.start == TimeUnit::Second);
  CHECK_FALSE(a->as<Literal>().interval.plural);
  auto b = parse("interval '5' seconds");
  CHECK(b->as<Literal>().interval.plural);
  CHECK(equal(*a, *b));
  auto c = parse("INTERVAL '1:30' MINUTE TO SECOND");
  CHECK(c->as<Literal>().text == "1:30");
  CHECK(c->as<Literal>().interval.start == TimeUnit::Minute);
  CHECK(c->as<Literal>().interval.end == TimeUnit::Second);
  CHECK(to_sql(*c) == "INTERVAL '1:30' MINUTE TO SECOND");
  CHECK(to_sql(*b) == "INTERVAL '5' SECOND");
  CHECK(parse("INTERVAL '2' DAY(3)")->as<Literal>().interval.start_precision == 3);
}

TEST_CASE("special forms: CASE, CAST, IN, BETWEEN, LIKE, IS, constructors, subscripts") {
  auto k = parse("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END");
  CHECK(k->as<Case>().whens.size() == 2);
  CHECK_FALSE(k->as<Case>().operand);
  CHECK(parse("CASE a WHEN 1 THEN 2 END")->as<Case>().operand);
  auto cast = parse("TRY_CAST(x AS DECIMAL(10, 2))");
  CHECK(cast->as<Cast>().try_cast);
  CHECK(cast->as<Cast>().target == Type::decimal(10, 2));
  CHECK(parse("a NOT IN (1, 2)")->as<InList>().negated);
  CHECK(parse("a NOT BETWEEN 1 AND 2")->as<Between>().negated);
  auto like = parse("s LIKE 'a!%%' ESCAPE '!'");
  CHECK(like->as<Like>().escape);
  CHECK(parse("a IS NOT TRUE")->as<IsTest>().test == IsTestKind::True);
  CHECK(parse("a IS NOT TRUE")->as<IsTest>().negated);
  CHECK(parse("ARRAY[1, 2]")->as<ArrayCtor>().elements.size() == 2);
  CHECK(parse("ROW(1, 'a')")->as<RowCtor>().elements.size() == 2);
  CHECK(parse("MAP['k', 1]")->as<MapCtor>().elements.size() == 2);
  auto sub = parse("pizzas[1].pizzaName");
  REQUIRE(sub->kind == ExprKind::FieldAccess);
  CHECK(sub->as<FieldAccess>().base->kind == ExprKind::Subscript);
  auto star = parse("t.*");
  CHECK(star->as<Star>().qualifier == std::vector<std::string>{"t"});
}

TEST_CASE("function calls: DISTINCT, COUNT(*), FILTER, niladic, navigation semantics, keyword syntax") {
  auto c = parse("COUNT(DISTINCT x) FILTER (WHERE x > 1)");
  CHECK(c->as<Call>().distinct);
  CHECK(c->as<Call>().filter);
  CHECK(parse("count(*)")->as<Call>().star_arg);
  CHECK(parse("CURRENT_TIMESTAMP")->as<Call>().no_parens);
  CHECK(parse("FINAL LAST(A.x, 1)")->as<Call>().semantics == NavSemantics::Final);
  auto e = parse("EXTRACT(DAY FROM ts)");
  CHECK(e->as<Call>().args.at(0)->as<Symbol>().name == "DAY");
  CHECK(to_sql(*e) == "EXTRACT(DAY FROM ts)");
  CHECK(to_sql(*parse("TRIM(LEADING 'x' FROM s)")) == "TRIM(LEADING 'x' FROM s)");
  CHECK(to_sql(*parse("FLOOR(ts TO HOUR)")) == "FLOOR(ts TO HOUR)");
  CHECK(to_sql(*parse("POSITION('a' IN s)")) == "POSITION('a' IN s)");
  CHECK(parse("TIMESTAMPDIFF(SECOND, a, b)")->as<Call>().args.at(0)->kind == ExprKind::Symbol);
}

TEST_CASE("identifiers: backticks, escaping, case preserved, the printer quotes when needed") {
  auto id = parse("`my col`.`a``b`");
  CHECK(id->as<Identifier>().parts == std::vector<std::string>{"my col", "a`b"});
  CHECK(to_sql(*id) == "`my col`.`a``b`");
  CHECK(to_sql(*parse("b.additionalToppings")) == "b.additionalToppings");
  CHECK(to_sql(*parse("`from` + `select`")) == "`from` + `select`");
}

TEST_CASE("locations are line:column in code points, shifted by the base") {
  auto e = parse_expression("'🍍🍍' = \n  x", "p.yaml", SourceLocation{"", 7, 12});
  CHECK(e->loc == SourceLocation{"p.yaml", 7, 12});
  CHECK(e->as<Binary>().op_loc == SourceLocation{"p.yaml", 7, 17});
  CHECK(e->as<Binary>().right->loc == SourceLocation{"p.yaml", 8, 3});
}

TEST_CASE("printer round trip: parse(to_sql(e)) == e over many expressions") {
  const char* cases[] = {
      "a", "t.a", "`weird name`", "1", "-1", "- -1", "+a", "-(a + b)", "1.5", ".5", "1e10", "1.5E-3",
      "'x'", "''", "'it''s'", "'🍍 pineapple'", "NULL", "TRUE", "FALSE",
      "a + b * c - d / e % f", "(a + b) * (c - d)", "a || 'x' || b", "a = b", "a <> b", "a != b",
      "a < b AND b <= c OR c > d AND d >= e", "NOT (a AND b)", "NOT NOT a", "a IS NULL", "a IS NOT NULL",
      "a IS TRUE", "a IS NOT FALSE", "a IS UNKNOWN", "(a = b) IS NULL", "a IS DISTINCT FROM b",
      "a IS NOT DISTINCT FROM b + 1", "a IN (1, 2, 3)", "a NOT IN ('x')", "(a IN (1)) = TRUE",
      "a BETWEEN 1 AND 2", "a NOT BETWEEN b - 1 AND b + 1", "a BETWEEN SYMMETRIC 2 AND 1",
      "s LIKE 'a%'", "s NOT LIKE 'a!%' ESCAPE '!'", "s SIMILAR TO 'a+'", "(a LIKE 'x') = FALSE",
      "CASE WHEN a THEN 1 ELSE 2 END", "CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END",
      "CAST(a AS INT)", "CAST(a AS VARCHAR(10))", "TRY_CAST(a AS DECIMAL(10, 2))",
      "CAST(a AS ARRAY<ROW<x INT, `y z` STRING>>)", "CAST(a AS TIMESTAMP(3))", "CAST(a AS MAP<STRING, INT>)",
      "f()", "f(a, b)", "COUNT(*)", "count(DISTINCT a)", "SUM(a) FILTER (WHERE a > 0)", "db.fn(x)",
      "LAST(NR_UP.nr_orders, 1)", "RUNNING LAST(A.x)", "FINAL FIRST(A.x)", "CURRENT_TIMESTAMP", "PROCTIME()",
      "ARRAY[1, 2, 3]", "ARRAY[]", "ROW(a, 'b')", "(a, b)", "MAP['a', 1, 'b', 2]", "a[1]", "a[1][2]",
      "a[1].b", "(a).b", "f(x).y", "m['k']", "INTERVAL '5' SECOND", "INTERVAL -'5' SECOND",
      "INTERVAL '1:30' MINUTE TO SECOND", "INTERVAL '10 10:00:00.5' DAY TO SECOND(3)", "INTERVAL '5' SECOND(3)",
      "INTERVAL '1-2' YEAR TO MONTH", "TIMESTAMP '2023-01-01 10:00:00'", "DATE '2023-01-01'", "TIME '10:00:00'",
      "ts - INTERVAL '5' SECOND", "EXTRACT(HOUR FROM ts)", "POSITION('a' IN s || 'b')", "SUBSTRING(s FROM 2 FOR 3)",
      "TRIM(s)", "TRIM(BOTH FROM s)", "TRIM('x' FROM s)", "FLOOR(x)", "CEIL(ts TO DAY)",
      "TIMESTAMPADD(SECOND, 1, ts)", "t.*", "`map`[1]", "`row`", "`CURRENT_DATE`",
      "(NR_UP.nr_orders - NR_DOWN.nr_orders) * 100.0 / NR_UP.nr_orders > 30",
      "a - -b", "a * -b", "-a[1]", "NOT a IS NULL", "x = 1 OR y = 2 AND NOT z",
  };
  for (const char* text : cases) {
    INFO(text);
    auto original = parse(text);
    std::string printed = to_sql(*original);
    INFO(printed);
    auto reparsed = parse(printed);
    CHECK(equal(*original, *reparsed));
    CHECK(to_sql(*reparsed) == printed);
    auto copy = clone(*original);
    CHECK(equal(*original, *copy));
  }
}

TEST_CASE("equal() tells different expressions apart") {
  CHECK_FALSE(equal(*parse("a + b"), *parse("a - b")));
  CHECK_FALSE(equal(*parse("a IN (1)"), *parse("a NOT IN (1)")));
  CHECK_FALSE(equal(*parse("'a'"), *parse("'b'")));
  CHECK_FALSE(equal(*parse("CAST(a AS INT)"), *parse("CAST(a AS BIGINT)")));
  CHECK_FALSE(equal(*parse("INTERVAL '1' SECOND"), *parse("INTERVAL '1' MINUTE")));
  CHECK(equal(*parse("a+b"), *parse("a   +   b")));
}

TEST_CASE("the columns an expression reads, and none claimed where it could read more", "[sql]") {
  using Names = std::set<std::string>;
  auto read = [](const std::string& text) { return ananas::sql::columns_read(*parse(text)); };
  CHECK(read("CASE WHEN a > 1 THEN b.c ELSE UPPER(d) END") == Names{"a", "b", "d"});
  CHECK(read("x[1].f IS NOT NULL AND y BETWEEN lo AND hi") == Names{"x", "y", "lo", "hi"});
  CHECK(read("CAST(t AS STRING) LIKE p || '%'") == Names{"t", "p"});
  CHECK(read("ROW(m['k'], ARRAY[n], MAP[k, v]) IN (z)") == Names{"m", "n", "k", "v", "z"});
  CHECK(read("EXTRACT(DAY FROM ts)") == Names{"ts"});
  CHECK(read("42") == Names{});
  CHECK_FALSE(read("SUM(a) OVER (PARTITION BY b ORDER BY ts)"));  // reads other rows
}
