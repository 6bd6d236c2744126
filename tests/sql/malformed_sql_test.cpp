// Malformed SQL: every error names the exact line:column and says what to fix.
#include <catch2/catch.hpp>

#include "core/schema.hpp"
#include "core/sql/expr_parser.hpp"
#include "core/sql/type_parser.hpp"
#include "pipelines/sql/statement_parser.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;
using namespace ananas::sql;

namespace {

struct BadInput {
  std::string text;
  int line, column;
  std::string phrase;
};

// What is wrong with the error `c.text` gets, or "" when it is the expected
// one: returned rather than checked here so that each test case's CHECK shows
// the input, the error and the mismatch together.
std::string statement_error_mismatch(const BadInput& c) {
  const InputError e = sql_test::input_error_of([&] { parse_statements(c.text, "bad.sql"); });
  std::string wrong;
  if (!(e.location() == SourceLocation{"bad.sql", c.line, c.column}))
    wrong += "location is not " + std::to_string(c.line) + ":" + std::to_string(c.column) + "; ";
  if (e.message().find(c.phrase) == std::string::npos) wrong += "message lacks '" + c.phrase + "'; ";
  if (e.message().find("syntax error") != std::string::npos) wrong += "message says 'syntax error'; ";
  return wrong.empty() ? "" : "input: " + c.text + "\nerror: " + e.what() + "\n" + wrong;
}

}  // namespace

TEST_CASE("misspelt keywords get a did-you-mean") {
  for (const auto& c : std::vector<BadInput>{
           {"SELEC a FROM t", 1, 1, "'SELEC' is not a statement (did you mean SELECT?)"},
           {"SELECT a FROM t; SELEC b FROM t", 1, 18, "'SELEC' is not a statement (did you mean SELECT?)"},
           {"SELECT a FORM t", 1, 10, "'FORM' is not a keyword (did you mean FROM?)"},
           {"SELECT a FROM t WHER a > 1", 1, 17, "'WHER' is not a keyword (did you mean WHERE?)"},
           {"INSERT INTO t SELEC a FROM s", 1, 15, "found 'SELEC' (did you mean SELECT?)"},
           {"CREATE TABEL t (a INT)", 1, 8, "found 'TABEL' (did you mean TABLE?)"},
           {"CREATE TABLE t (a VARCAR)", 1, 19, "unknown type 'VARCAR' (did you mean VARCHAR?)"},
           {"SELECT INTERVAL '5' SECNDS", 1, 21, "unknown time unit 'SECNDS' (did you mean SECOND?)"},
       })
    CHECK(statement_error_mismatch(c) == "");
}

TEST_CASE("unbalanced parentheses name where they were opened") {
  for (const auto& c : std::vector<BadInput>{
           {"SELECT\n  a,\n   x, LISTAGG(b FROM t", 3, 17, "expected ')' to close '(' opened at 3:14, found 'FROM'"},
           {"SELECT a FROM t WHERE (a > 1", 1, 29, "unexpected end of input: the statement is incomplete (expected ')' to close '(' opened at 1:23)"},
           {"CREATE TABLE t (a INT", 1, 22, "expected ')' to close '(' opened at 1:16"},
           {"CREATE TABLE t (a INT b INT)", 1, 23, "expected ')' to close '(' opened at 1:16, found 'b'"},
           {"SELECT * FROM t MATCH_RECOGNIZE (PATTERN (A {2)", 1, 47, "')' does not match '{' opened at 1:45"},
       })
    CHECK(statement_error_mismatch(c) == "");
}

TEST_CASE("truncated statements say what is missing") {
  for (const auto& c : std::vector<BadInput>{
           {"INSERT INTO pizza_filtered", 1, 27, "unexpected end of input: the statement is incomplete (missing the query after INSERT INTO pizza_filtered?)"},
           {"INSERT INTO pizza_filtered;", 1, 27, "missing the query after INSERT INTO pizza_filtered?"},
           {"INSERT INTO pizza_filtered\n\n  -- the query goes here\n", 1, 27, "missing the query"},
           {"SELECT a FROM t WHERE", 1, 22, "unexpected end of input: the statement is incomplete (expected an expression)"},
           {"SELECT a FROM t LEFT JOIN s", 1, 28, "expected ON <condition>"},
           {"SELECT a FROM t GROUP a", 1, 23, "expected BY after GROUP, found 'a'"},
           {"SELECT\n  a +\n  FROM t", 3, 3, "expected an expression, found 'FROM'"},
           {"SELECT a, FROM t", 1, 11, "expected a column or expression to select, found 'FROM'"},
           {"SELECT CAST(a AS) FROM t", 1, 17, "expected a type name, found ')'"},
           {"SET 'a' 'b'", 1, 9, "expected '=' after the SET key"},
           {"SELECT a FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts)))", 1, 51, "TUMBLE is missing the window size"},
           {"SELECT * FROM t MATCH_RECOGNIZE (ORDER BY ts PATTERN (A B) )", 1, 60, "expected DEFINE"},
           {"SELECT a FROM t CROSS JOIN UNNEST(x) WITH ORDINAL", 1, 43, "expected ORDINALITY after UNNEST(...) WITH, found 'ORDINAL'"},
       })
    CHECK(statement_error_mismatch(c) == "");
}

TEST_CASE("empty scripts, lone semicolons and comments only") {
  for (const auto& c : std::vector<BadInput>{
           {"", 1, 1, "no statement found"},
           {"   \n\t ", 1, 1, "no statement found"},
           {"-- only a comment\n", 1, 1, "no statement found"},
           {"/* only a comment */", 1, 1, "no statement found"},
           {";", 1, 1, "empty statement"},
           {"SELECT 1;;", 1, 10, "empty statement"},
       })
    CHECK(statement_error_mismatch(c) == "");
}

TEST_CASE("lexical problems inside statements") {
  for (const auto& c : std::vector<BadInput>{
           {"SELECT 'abc FROM t", 1, 8, "unterminated string"},
           {"SELECT a FROM t WHERE s = '\xC0\xAF'", 1, 28, "invalid UTF-8"},
           {"\x7F" "ELF\x02\x01\x01", 1, 1, "unexpected control character U+007F"},
           {std::string("SELECT a FROM t\n\0\0\0", 19), 2, 1, "NUL byte"},
           {"SELECT a FROM t WHERE a # 1", 1, 25, "unexpected character '#'"},
       })
    CHECK(statement_error_mismatch(c) == "");
}

TEST_CASE("unsupported or invalid constructs are named") {
  for (const auto& c : std::vector<BadInput>{
           {"CREATE FUNCTION f AS 'x'", 1, 8, "CREATE FUNCTION is not supported by Ananas (only CREATE TABLE and CREATE VIEW)"},
           {"CREATE TABLE t (a INT) WITH (connector = 'kafka')", 1, 30, "option keys must be quoted strings"},
           {"CREATE TABLE t (a INT) WITH ('x' = 5)", 1, 36, "option values must be quoted strings"},
           {"CREATE TABLE t (a INT, a STRING)", 1, 24, "duplicate column 'a' (first declared at 1:17)"},
           {"CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b) NOT ENFORCED)", 1, 43, "more than one PRIMARY KEY"},
           {"CREATE TABLE t (a INT, UNIQUE (a))", 1, 24, "UNIQUE constraint is not supported yet"},
           {"SELECT INTERVAL 5 SECOND", 1, 17, "interval value as a quoted string"},
           {"SELECT COUNT(*) OVER (ORDER BY ts ROWS UNBOUNDED) FROM t", 1, 49, "PRECEDING or FOLLOWING after UNBOUNDED"},
           {"SELECT * FROM TABLE(TUMBLE(DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZES => INTERVAL '1' MINUTE))", 1,
            72, "unknown argument 'SIZES' for TUMBLE (did you mean SIZE?)"},
           {"SELECT * FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))", 1, 69, "HOP is missing the window size"},
           {"SELECT * FROM t MATCH_RECOGNIZE (PATTERN (A) DEFINE A AS TRUE, A AS FALSE)", 1, 64, "defined twice"},
       })
    CHECK(statement_error_mismatch(c) == "");
}

TEST_CASE("deep nesting is an error, not a stack overflow") {
  std::string open(100000, '('), close(100000, ')');
  auto e1 = sql_test::input_error_of([&] { parse_statements("SELECT " + open + "1" + close, "deep.sql"); });
  CHECK_THAT(e1.message(), Catch::Contains("nested too deeply"));
  CHECK(e1.location().line == 1);
  CHECK(e1.location().column == 8 + kMaxNestingDepth - 1);
  auto e2 = sql_test::input_error_of([&] { parse_expression(open + "1" + close, "e"); });
  CHECK(e2.location().column == kMaxNestingDepth + 1);
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "NOT ";
  CHECK_THAT(sql_test::input_error_of([&] { parse_expression(nots + "x"); }).message(), Catch::Contains("nested too deeply"));
  std::string minuses;
  for (int i = 0; i < 100000; ++i) minuses += "- ";  // "--" would start a comment
  CHECK_THAT(sql_test::input_error_of([&] { parse_expression(minuses + "x"); }).message(),
             Catch::Contains("nested too deeply"));
  std::string arrays;
  for (int i = 0; i < 100000; ++i) arrays += "ARRAY<";
  CHECK_THAT(sql_test::input_error_of([&] { parse_type(arrays + "INT"); }).message(), Catch::Contains("nested too deeply"));
  std::string subqueries;
  for (int i = 0; i < 100000; ++i) subqueries += "SELECT * FROM (";
  CHECK_THAT(sql_test::input_error_of([&] { parse_statements(subqueries, "deep.sql"); }).message(),
             Catch::Contains("nested too deeply"));
}

TEST_CASE("a chain of operators deeper than kMaxTreeDepth is an error at the first operator too many") {
  // Each chain makes a tree as deep as it is long, which the planner and the
  // evaluator recurse through: 100,000 ORs overflowed the planner's stack.
  const auto chain = [](const std::string& operand, const std::string& op, int n) {
    std::string out = operand;
    for (int i = 1; i < n; ++i) out += op + operand;
    return out;
  };
  for (const std::string op : {" OR ", " AND ", " = ", " + ", " * ", " || ", " IS NULL", "[1]", " LIKE "}) {
    INFO(op);
    const std::string deep = op == " IS NULL" || op == "[1]" ? "x" + chain(op, "", 100000) : chain("x", op, 100000);
    const InputError e = sql_test::input_error_of([&] { parse_expression(deep, "e"); });
    CHECK_THAT(e.message(), Catch::Contains("too many operators in a chain (more than 1000 levels"));
    CHECK(e.location().line == 1);
    // A chain as long as the limit allows parses.
    const std::string fits = op == " IS NULL" || op == "[1]" ? "x" + chain(op, "", kMaxTreeDepth - 1)
                                                              : chain("x", op, kMaxTreeDepth - 1);
    CHECK_NOTHROW(parse_expression(fits, "e"));
  }
  // Parentheses count towards the same depth as the chain inside them.
  const std::string nested = std::string(200, '(') + chain("x", " + ", kMaxTreeDepth - 100) + std::string(200, ')');
  CHECK_THAT(sql_test::input_error_of([&] { parse_expression(nested, "e"); }).message(),
             Catch::Contains("too many operators in a chain"));
  std::string unions = "SELECT a FROM t";
  for (int i = 0; i < 100000; ++i) unions += " UNION ALL SELECT a FROM t";
  CHECK_THAT(sql_test::input_error_of([&] { parse_statements(unions, "u.sql"); }).message(),
             Catch::Contains("too many operators in a chain"));
  std::string joins = "SELECT a FROM t";
  for (int i = 0; i < 100000; ++i) joins += ", t";
  CHECK_THAT(sql_test::input_error_of([&] { parse_statements(joins, "j.sql"); }).message(),
             Catch::Contains("too many operators in a chain"));
}

TEST_CASE("more than kMaxColumns columns in a table or a select list is an error where they overflow") {
  std::string columns;
  for (size_t i = 0; i <= kMaxColumns; ++i) columns += (i ? ",\n" : "") + ("c" + std::to_string(i)) + " INT";
  const InputError table = sql_test::input_error_of([&] { parse_statements("CREATE TABLE t (" + columns + ")", "t.sql"); });
  CHECK(table.message() == "too many columns: a table has at most 4096");
  CHECK(table.location().line == static_cast<int>(kMaxColumns) + 1);
  CHECK(table.location().column == 1);
  std::string items;
  for (size_t i = 0; i <= kMaxColumns; ++i) items += (i ? ", " : "") + std::string("a");
  const InputError select = sql_test::input_error_of([&] { parse_statements("SELECT " + items + " FROM t", "s.sql"); });
  CHECK(select.message() == "too many items in the select list: at most 4096");
  CHECK(select.location().column == static_cast<int>(8 + 3 * kMaxColumns));
}

TEST_CASE("type and expression texts from YAML report positions in the YAML file") {
  struct TypeCase {
    std::string text;
    int column;
    std::string phrase;
  };
  for (const auto& c : std::vector<TypeCase>{
           {"ARRAY<INT", 10, "the type is incomplete (expected '>' to close '<' opened at 4:6)"},
           {"MAP<INT>", 8, "expected ',' between the key and value types of MAP, found '>'"},
           {"DECIMAL(40, 2)", 9, "precision must be between 1 and 38"},
           {"TIMESTAMP(3) WITH TIME ZONE", 14, "not supported"},
           {"VARCHAR(10) x", 13, "unexpected 'x' after the type"},
           {"STRNG", 1, "unknown type 'STRNG' (did you mean STRING?)"},
       }) {
    INFO(c.text);
    auto e = sql_test::input_error_of([&] { parse_type(c.text, "p.yaml", SourceLocation{"", 4, 1}); });
    CHECK(e.location() == SourceLocation{"p.yaml", 4, c.column});
    CHECK_THAT(e.message(), Catch::Contains(c.phrase));
  }
  auto e1 = sql_test::input_error_of([] { parse_expression("a +", "p.yaml", SourceLocation{"", 5, 10}); });
  CHECK(e1.location() == SourceLocation{"p.yaml", 5, 13});
  CHECK(e1.message() == "unexpected end of input: the expression is incomplete (expected an expression)");
  auto e2 = sql_test::input_error_of([] { parse_expression("a b", "p.yaml", SourceLocation{"", 5, 10}); });
  CHECK(e2.location() == SourceLocation{"p.yaml", 5, 12});
  CHECK_THAT(e2.message(), Catch::Contains("after the end of the expression"));
  CHECK_THAT(sql_test::input_error_of([] { parse_expression("  "); }).message(), Catch::Contains("empty expression"));
}

TEST_CASE("a name or a number longer than kMaxTokenLength is an error at its start, not quoted whole") {
  const std::string long_name(10 << 20, 'b');
  const InputError name = sql_test::input_error_of([&] { parse_statements("SELECT a AS " + long_name + " FROM t", "n.sql"); });
  CHECK(name.message() == "a name longer than 1024 characters");
  CHECK(name.location().column == 13);
  CHECK(sql_test::input_error_of([&] { parse_statements("SELECT `" + long_name + "` FROM t", "q.sql"); }).message() ==
        "a quoted identifier longer than 1024 characters");
  CHECK(sql_test::input_error_of([&] { parse_expression(std::string(2000, '9'), "e"); }).message() ==
        "a number longer than 1024 characters");
  CHECK_NOTHROW(parse_expression(std::string(kMaxTokenLength, 'c'), "e"));
  // A 10 MB string is a value like any other; an error quotes its start only.
  const std::string ten_mb(10 << 20, 'x');
  CHECK_NOTHROW(parse_expression("a = '" + ten_mb + "'", "e"));
  const InputError quoted = sql_test::input_error_of([&] { parse_expression("1 '" + ten_mb + "'", "e"); });
  CHECK(std::string(quoted.what()).size() < 200);
}
