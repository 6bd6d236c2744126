// Every seed application's SQL parses, and the parts the planner relies on
// come out as written.
#include <catch2/catch.hpp>

#include "core/sql/ast.hpp"
#include "core/sql/lexer.hpp"
#include "pipelines/sql/statement_parser.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;
using namespace ananas::sql;

namespace {

StatementPtr parse_one(const std::string& text) {
  auto statements = parse_statements(text, "seed.sql");
  REQUIRE(statements.size() == 1);
  return std::move(statements[0]);
}

const Select& select_of(const Query& q) {
  REQUIRE(q.body->kind == QueryNodeKind::Select);
  return q.body->as<Select>();
}

const Identifier& ident(const ExprPtr& e) {
  REQUIRE(e);
  REQUIRE(e->kind == ExprKind::Identifier);
  return e->as<Identifier>();
}

// The 1-based line and column (ASCII lines) where `needle` starts in `text`.
std::pair<int, int> position_of(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return {line, static_cast<int>(at - line_start) + 1};
}

}  // namespace

TEST_CASE("every seed CREATE TABLE and statement parses") {
  for (const auto& name : sql_test::seed_names()) {
    INFO(name);
    auto app = sql_test::read_seed(name);
    for (const auto& text : sql_test::seed_sql_texts(app)) {
      auto statements = parse_statements(text, name);
      REQUIRE(statements.size() == 1);
      CHECK(statements[0]->loc.line >= 1);
      CHECK(statements[0]->source_text.size() <= text.size());
    }
  }
}

TEST_CASE("the seed source table: columns, metadata, computed column, watermark, options") {
  auto app = sql_test::read_seed("01-basic-filtering.json");
  std::string text = app["sources"][0]["create_table"];
  auto s = parse_one(text);
  REQUIRE(s->kind == StatementKind::CreateTable);
  const auto& t = s->as<CreateTable>();
  CHECK(t.name == std::vector<std::string>{"pizza_source"});
  REQUIRE(t.columns.size() == 8);
  CHECK(t.columns[0].name == "id");
  CHECK(t.columns[0].type == Type::integer());
  CHECK(t.columns[1].type == Type::string());  // VARCHAR without length
  CHECK(t.columns[3].name == "phoneNumber");
  Type element = Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())});
  CHECK(t.columns[5].type == Type::array(element));
  CHECK(t.columns[6].kind == ColumnKind::Metadata);
  CHECK(t.columns[6].type == Type::timestamp(3));
  CHECK(t.columns[6].metadata_key == std::optional<std::string>("timestamp"));
  CHECK_FALSE(t.columns[6].is_virtual);
  CHECK(t.columns[7].kind == ColumnKind::Computed);
  REQUIRE(t.columns[7].computed->kind == ExprKind::Call);
  CHECK(t.columns[7].computed->as<Call>().name == "PROCTIME");
  REQUIRE(t.watermark);
  CHECK(t.watermark->column == "orderTimestamp");
  REQUIRE(t.watermark->expr->kind == ExprKind::Binary);
  const auto& minus = t.watermark->expr->as<Binary>();
  CHECK(minus.op == BinaryOp::Subtract);
  REQUIRE(minus.right->kind == ExprKind::Literal);
  const auto& interval = minus.right->as<Literal>();
  CHECK(interval.literal_kind == LiteralKind::Interval);
  CHECK(interval.text == "5");
  CHECK(interval.interval.start == TimeUnit::Second);
  CHECK_FALSE(t.primary_key);
  REQUIRE(t.options.size() == 5);
  CHECK(t.options[0].key == "connector");
  CHECK(t.options[0].value == "kafka");
  CHECK(t.options[1].key == "properties.bootstrap.servers");
  CHECK(t.options[1].value == "");
  CHECK(t.options[4].key == "value.format");
  auto [line, column] = position_of(text, "'connector'");
  CHECK(t.options[0].key_loc == SourceLocation{"seed.sql", line, column});
}

TEST_CASE("02: a column-level PRIMARY KEY without NOT ENFORCED is recorded as such") {
  auto app = sql_test::read_seed("02-aggregating.json");
  auto s = parse_one(app["sinks"][0]["create_table"]);
  const auto& t = s->as<CreateTable>();
  REQUIRE(t.primary_key);
  CHECK(t.primary_key->columns == std::vector<std::string>{"id"});
  CHECK_FALSE(t.primary_key->not_enforced);
  CHECK(t.primary_key->column_level);
  CHECK(t.primary_key->loc.line == 2);
  CHECK(t.columns[0].primary_key);
  CHECK(t.options[1].key == "properties.bootstrap.servers");
}

TEST_CASE("03: a table-level PRIMARY KEY ... NOT ENFORCED") {
  auto app = sql_test::read_seed("03-windowing.json");
  auto s = parse_one(app["sinks"][0]["create_table"]);
  const auto& t = s->as<CreateTable>();
  REQUIRE(t.primary_key);
  CHECK(t.primary_key->columns == std::vector<std::string>{"topping", "window_start", "window_end"});
  CHECK(t.primary_key->not_enforced);
  CHECK_FALSE(t.primary_key->column_level);
  CHECK(t.columns.size() == 5);
}

TEST_CASE("01: the UNNEST chain, the IN list with emoji and the INSERT target") {
  auto app = sql_test::read_seed("01-basic-filtering.json");
  std::string text = app["statement"];
  auto s = parse_one(text);
  REQUIRE(s->kind == StatementKind::Insert);
  const auto& ins = s->as<Insert>();
  CHECK(ins.target == std::vector<std::string>{"pizza_filtered"});
  CHECK(ins.columns.empty());
  const auto& sel = select_of(*ins.query);
  REQUIRE(sel.items.size() == 4);
  CHECK(ident(sel.items[2].expr).parts == std::vector<std::string>{"c", "topping"});
  CHECK_FALSE(sel.items[2].alias);

  REQUIRE(sel.from->kind == FromKind::Join);
  const auto& outer = sel.from->as<Join>();
  CHECK(outer.join == JoinKind::Cross);
  REQUIRE(outer.right->kind == FromKind::Unnest);
  const auto& unnest_c = outer.right->as<Unnest>();
  CHECK(unnest_c.alias == std::optional<std::string>("c"));
  CHECK(unnest_c.column_aliases == std::vector<std::string>{"topping"});
  CHECK(ident(unnest_c.args.at(0)).parts == std::vector<std::string>{"b", "additionalToppings"});
  REQUIRE(outer.left->kind == FromKind::Join);
  const auto& inner = outer.left->as<Join>();
  REQUIRE(inner.left->kind == FromKind::Table);
  CHECK(inner.left->as<TableRef>().name == std::vector<std::string>{"pizza_source"});
  REQUIRE(inner.right->kind == FromKind::Unnest);
  CHECK(inner.right->alias == std::optional<std::string>("b"));
  CHECK(inner.right->column_aliases.empty());

  REQUIRE(sel.where->kind == ExprKind::InList);
  const auto& in = sel.where->as<InList>();
  CHECK_FALSE(in.negated);
  REQUIRE(in.list.size() == 3);
  CHECK(in.list[0]->as<Literal>().text == "\xF0\x9F\x8D\x8D pineapple");
  CHECK(in.list[2]->as<Literal>().text == "\xF0\x9F\x8D\x8C banana");
  // Columns count code points: the second literal starts after "('🍍 pineapple', " on its line.
  auto [line, column] = position_of(text, "where c.topping");
  CHECK(in.list[1]->loc.line == line);
  CHECK(in.list[1]->loc.column == column + static_cast<int>(std::string("where c.topping in (").size()) + 15);
}

TEST_CASE("02: COUNT(*) with an implicit alias, LISTAGG, GROUP BY and HAVING") {
  auto app = sql_test::read_seed("02-aggregating.json");
  auto s = parse_one(app["statement"]);
  const auto& sel = select_of(*s->as<Insert>().query);
  REQUIRE(sel.items.size() == 5);
  REQUIRE(sel.items[2].expr->kind == ExprKind::Call);
  const auto& count = sel.items[2].expr->as<Call>();
  CHECK(count.name == "count");
  CHECK(count.star_arg);
  CHECK(count.args.empty());
  CHECK(sel.items[2].alias == std::optional<std::string>("nr_bad_items"));
  CHECK(sel.items[3].expr->as<Call>().name == "LISTAGG");
  CHECK(sel.items[3].alias == std::optional<std::string>("list_bad_items"));
  CHECK(sel.group_by.size() == 3);
  REQUIRE(sel.having);
  CHECK(sel.having->as<Binary>().op == BinaryOp::Greater);
}

TEST_CASE("03: WITH and TUMBLE arguments") {
  auto app = sql_test::read_seed("03-windowing.json");
  auto s = parse_one(app["statement"]);
  const auto& q = *s->as<Insert>().query;
  REQUIRE(q.ctes.size() == 1);
  CHECK(q.ctes[0].name == "raw_data");
  const auto& sel = select_of(q);
  REQUIRE(sel.from->kind == FromKind::WindowTvf);
  const auto& w = sel.from->as<WindowTvf>();
  CHECK(w.window == WindowKind::Tumble);
  CHECK(w.table == std::vector<std::string>{"raw_data"});
  CHECK(w.time_column == std::vector<std::string>{"orderTimestamp"});
  CHECK_FALSE(w.named_arguments);
  REQUIRE(w.size);
  const auto& size = w.size->as<Literal>();
  CHECK(size.literal_kind == LiteralKind::Interval);
  CHECK(size.text == "5");
  CHECK(size.interval.start == TimeUnit::Second);
  CHECK(size.interval.plural);
  CHECK_FALSE(w.offset);
  CHECK(sel.group_by.size() == 4);
}

TEST_CASE("04: MATCH_RECOGNIZE clauses and the exact PATTERN text") {
  for (const char* name : {"04-trends-up-down.json", "04-trends.json"}) {
    INFO(name);
    auto app = sql_test::read_seed(name);
    std::string text = app["statement"];
    auto s = parse_one(text);
    const auto& q = *s->as<Insert>().query;
    CHECK(q.ctes.size() == 2);
    CHECK(q.ctes[1].name == "windowing");
    const auto& sel = select_of(q);
    REQUIRE(sel.items.size() == 1);
    CHECK(sel.items[0].expr->kind == ExprKind::Star);
    REQUIRE(sel.from->kind == FromKind::MatchRecognize);
    const auto& m = sel.from->as<MatchRecognize>();
    CHECK(m.input->as<TableRef>().name == std::vector<std::string>{"windowing"});
    REQUIRE(m.partition_by.size() == 1);
    CHECK(ident(m.partition_by[0]).parts == std::vector<std::string>{"topping"});
    REQUIRE(m.order_by.size() == 1);
    CHECK(ident(m.order_by[0].expr).parts == std::vector<std::string>{"window_time"});
    CHECK_FALSE(m.order_by[0].descending);
    REQUIRE(m.measures.size() == 2);
    CHECK(m.measures[0].alias == "start_tstamp");
    CHECK(ident(m.measures[0].expr).parts == std::vector<std::string>{"START_ROW", "window_time"});
    CHECK(m.measures[1].alias == "various_nr_orders");
    const auto& listagg = m.measures[1].expr->as<Call>();
    CHECK(listagg.args.at(0)->kind == ExprKind::Cast);
    CHECK(listagg.args.at(0)->as<Cast>().target == Type::string());
    CHECK(m.rows_per_match == RowsPerMatch::OneRow);
    CHECK(m.after_match.kind == AfterMatchKind::PastLastRow);
    std::string expected_pattern = std::string(name) == "04-trends.json" ? "START_ROW NR_UP NR_DOWN" : "START_ROW NR_UP+ NR_DOWN{2}";
    CHECK(m.pattern_text == expected_pattern);
    auto [line, column] = position_of(text, expected_pattern);
    CHECK(m.pattern_loc == SourceLocation{"seed.sql", line, column});
    CHECK_FALSE(m.within);
    REQUIRE(m.defines.size() == 2);
    CHECK(m.defines[0].variable == "NR_UP");
    CHECK(m.defines[1].variable == "NR_DOWN");
    CHECK_FALSE(m.alias);
  }
}

TEST_CASE("several statements, each with its location and exact source text") {
  std::string script = "SET 'table.local-time-zone' = 'UTC';\n"
                       "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
                       "  INSERT INTO s SELECT a FROM t;  -- trailing comment\n";
  auto statements = parse_statements(script, "app.sql");
  REQUIRE(statements.size() == 3);
  CHECK(statements[0]->kind == StatementKind::Set);
  CHECK(statements[0]->as<SetStatement>().key == "table.local-time-zone");
  CHECK(statements[0]->as<SetStatement>().value == "UTC");
  CHECK(statements[1]->loc == SourceLocation{"app.sql", 2, 1});
  CHECK(statements[2]->loc == SourceLocation{"app.sql", 3, 3});
  CHECK(statements[2]->source_text == "INSERT INTO s SELECT a FROM t");
  CHECK(statements[1]->source_text == "CREATE TABLE t (a INT) WITH ('connector' = 'datagen')");
}

TEST_CASE("a statement embedded in another file reports file positions") {
  auto statements = parse_statements("SELECT a\nFROM t", "app.json", SourceLocation{"", 10, 20});
  REQUIRE(statements.size() == 1);
  CHECK(statements[0]->loc == SourceLocation{"app.json", 10, 20});
  const auto& sel = statements[0]->as<QueryStatement>().query->body->as<Select>();
  CHECK(sel.from->loc == SourceLocation{"app.json", 11, 6});
  auto error = sql_test::input_error_of([] { parse_statements("SELECT a\nFROM", "app.json", SourceLocation{"", 10, 20}); });
  CHECK(error.location() == SourceLocation{"app.json", 11, 5});
}

// Cutting a seed statement after any token either still parses (a shorter
// valid statement) or fails with an InputError; never anything else.
TEST_CASE("every seed statement cut at every token boundary fails cleanly") {
  size_t cuts = 0, failures = 0;
  for (const auto& name : sql_test::seed_names()) {
    auto app = sql_test::read_seed(name);
    for (const auto& text : sql_test::seed_sql_texts(app)) {
      auto tokens = tokenize(text, TextOrigin{"x", 1, 1});
      for (size_t i = 0; i + 1 < tokens.size(); ++i) {
        const Token& last = tokens[i];
        std::string prefix = text.substr(0, last.offset + last.length);
        INFO(name << " cut after token " << i << " '" << last.text << "'");
        bool must_fail = last.is_op("(") || last.is_op(",") || last.is_op("=") || last.is_op("-") ||
                         last.is_word("FROM") || last.is_word("WHERE") || last.is_word("AS") || last.is_word("BY") ||
                         last.is_word("JOIN") || last.is_word("CROSS") || last.is_word("SELECT") ||
                         last.is_word("INTO") || last.is_word("INSERT") || last.is_word("IN") || last.is_word("WITH") ||
                         last.is_word("PATTERN") || last.is_word("DEFINE") || last.is_word("TABLE") || i + 2 < 4;
        ++cuts;
        try {
          parse_statements(prefix, "cut.sql");
          CHECK_FALSE(must_fail);
        } catch (const InputError& e) {
          ++failures;
          CHECK(e.location().line >= 1);
          CHECK(e.location().column >= 1);
          CHECK(!e.message().empty());
        }
      }
    }
  }
  CHECK(cuts > 1000);
  CHECK(failures > cuts / 2);
}
