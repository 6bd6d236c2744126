// Binding: name resolution through scopes, qualifiers, ROW fields, and the
// errors users see (with file:line:column pointing into the original text).
#include <catch2/catch.hpp>

#include "core/expr/binder.hpp"
#include "core/expr/builders.hpp"
#include "core/sql/expr_parser.hpp"

using namespace ananas;
using namespace ananas::expr;

namespace {

Schema pizza_schema() {
  Schema s;
  s.columns.push_back({"id", Type::integer()});
  s.columns.push_back({"topping", Type::string()});
  s.columns.push_back({"b", Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())})});
  return s;
}

// The message of the InputError thrown while compiling `text` at `where`.
std::string error_of(std::string_view text, const Schema& schema, SourceLocation where = {}) {
  try {
    compile_expression(text, schema, where);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A MATCH_RECOGNIZE-like scope: `NR_UP.nr_orders` and `NR_DOWN.nr_orders` are
// columns 0 and 1; LAST(x) is taken over and bound as its argument.
class PatternScope : public Scope {
 public:
  CompiledExprPtr resolve_column(std::span<const std::string> path, const SourceLocation&) const override {
    if (path.size() != 2 || path[1] != "nr_orders") return nullptr;
    if (path[0] == "NR_UP") return column(0, Type::bigint().with_nullable(false));
    if (path[0] == "NR_DOWN") return column(1, Type::bigint().with_nullable(false));
    return nullptr;
  }
  std::vector<std::string> column_names() const override { return {"NR_UP.nr_orders", "NR_DOWN.nr_orders"}; }
  CompiledExprPtr bind_call(const sql::Call& call, const Binder& binder) const override {
    if (call.name != "LAST") return nullptr;
    ++calls_taken;
    return binder.bind(*call.args.at(0), *this);
  }
  mutable int calls_taken = 0;
};

}  // namespace

TEST_CASE("a custom scope resolves pattern variables and takes over navigation calls") {
  PatternScope scope;
  auto ast = sql::parse_expression("(LAST(NR_UP.nr_orders) - NR_DOWN.nr_orders)*100.0/NR_UP.nr_orders > 30");
  CompiledExprPtr e = bind(*ast, scope);
  CHECK(scope.calls_taken == 1);
  CHECK(e->type() == Type::boolean().with_nullable(false));
  Arena arena;
  EvalContext ctx{&arena, nullptr, 0};
  Value at30[] = {Value::integer(10), Value::integer(7)};
  Value above[] = {Value::integer(9), Value::integer(6)};
  CHECK(e->eval(at30, ctx).as_bool() == false);
  CHECK(e->eval(above, ctx).as_bool() == true);
  CHECK_THROWS_WITH(bind(*sql::parse_expression("NR_UP.nr_order > 1"), scope),
                    Catch::Contains("unknown column 'NR_UP.nr_order' (did you mean 'NR_UP.nr_orders'?)"));
  CHECK_THROWS_WITH(bind(*sql::parse_expression("COUNT(NR_UP.nr_orders)"), scope),
                    Catch::Contains("aggregate function COUNT is not allowed here"));
}

TEST_CASE("seed 04-trends-up-down's DEFINE for NR_UP binds with AND before OR and NULL navigation") {
  // Columns: 0 NR_UP.nr_orders, 1 START_ROW.nr_orders, 2 LAST(NR_UP.nr_orders, 1) (NULL before the first NR_UP).
  class DefineScope : public Scope {
   public:
    CompiledExprPtr resolve_column(std::span<const std::string> path, const SourceLocation&) const override {
      if (path.size() == 2 && path[0] == "NR_UP") return column(0, Type::bigint().with_nullable(false));
      if (path.size() == 2 && path[0] == "START_ROW") return column(1, Type::bigint().with_nullable(false));
      return nullptr;
    }
    std::vector<std::string> column_names() const override { return {}; }
    CompiledExprPtr bind_call(const sql::Call& call, const Binder&) const override {
      return call.name == "LAST" ? column(2, Type::bigint()) : nullptr;
    }
  };
  DefineScope scope;
  CompiledExprPtr e = bind(*sql::parse_expression(
                               "(LAST(NR_UP.nr_orders, 1) IS NULL AND NR_UP.nr_orders > START_ROW.nr_orders OR\n"
                               "NR_UP.nr_orders > LAST(NR_UP.nr_orders, 1))"),
                           scope);
  Arena arena;
  EvalContext ctx{&arena, nullptr, 0};
  Value first_up[] = {Value::integer(5), Value::integer(3), Value::null()};
  Value first_not_up[] = {Value::integer(2), Value::integer(3), Value::null()};
  Value rising[] = {Value::integer(5), Value::integer(9), Value::integer(4)};
  Value falling[] = {Value::integer(3), Value::integer(1), Value::integer(4)};
  CHECK(is_true(e->eval(first_up, ctx)));
  CHECK(e->eval(first_not_up, ctx).is_null());  // FALSE OR NULL
  CHECK(is_true(e->eval(rising, ctx)));
  CHECK(e->eval(falling, ctx).kind == ValueKind::Bool);
  CHECK_FALSE(e->eval(falling, ctx).as_bool());
}

TEST_CASE("SchemaScope resolves exact names, qualifiers and ROW fields") {
  Schema s = pizza_schema();
  SchemaScope scope(s);
  scope.add_qualifier("c", {0, 1});
  scope.add_qualifier("o", {2});
  Arena arena;
  Value fields[] = {Value::string("Margherita"), Value::null()};
  Value row[] = {Value::integer(1), Value::string("🍍 pineapple"), Value::row(fields, 2)};
  EvalContext ctx{&arena, nullptr, 0};
  auto eval = [&](std::string_view text) { return bind(*sql::parse_expression(text), scope)->eval(row, ctx); };
  CHECK(eval("c.topping").as_string() == "🍍 pineapple");
  CHECK(eval("b.pizzaName").as_string() == "Margherita");
  CHECK(eval("o.b.pizzaName").as_string() == "Margherita");
  CHECK(eval("b.additionalToppings").is_null());
  CHECK(eval("c.id + 1").as_int() == 2);
  CHECK_THROWS_WITH(bind(*sql::parse_expression("Topping"), scope), Catch::Contains("did you mean 'topping'"));
  CHECK_THROWS_AS(bind(*sql::parse_expression("o.topping"), scope), InputError);  // not under qualifier o
  CHECK_THROWS_WITH(bind(*sql::parse_expression("b.pizzaname"), scope),
                    Catch::Contains("unknown field 'pizzaname'") && Catch::Contains("did you mean 'pizzaName'"));
}

TEST_CASE("type errors name the types and point at the operator's line and column") {
  Schema s = pizza_schema();
  SourceLocation where{"pipeline.yaml", 3, 10};
  CHECK(error_of("topping = 1", s, where) == "pipeline.yaml:3:18: cannot compare VARCHAR with INT");
  CHECK(error_of("topping + 1", s, where) == "pipeline.yaml:3:18: cannot apply '+' to VARCHAR and INT");
  CHECK(error_of("id IN ('a')", s) == "1:1: cannot compare INT with CHAR in IN list");
  CHECK_THAT(error_of("toping = 'x'", s, where), Catch::StartsWith("pipeline.yaml:3:10: unknown column 'toping' (did you mean 'topping'?)"));
  CHECK_THAT(error_of("UPPR(topping)", s), Catch::Contains("unknown function UPPR (did you mean UPPER?)"));
  CHECK_THAT(error_of("SUBSTRING(topping)", s), Catch::Contains("SUBSTRING expects 2 or 3 arguments, got 1"));
  CHECK_THAT(error_of("UPPER(topping, 1)", s), Catch::Contains("UPPER expects 1 argument, got 2"));
  CHECK_THAT(error_of("COUNT(*)", s), Catch::Contains("aggregate function COUNT is not allowed here"));
  CHECK_THAT(error_of("sum(id)", s), Catch::Contains("aggregate function SUM is not allowed here"));
  CHECK_THAT(error_of("LAST(id, 1)", s), Catch::Contains("LAST is only allowed in MATCH_RECOGNIZE"));
  CHECK_THAT(error_of("id AND TRUE", s), Catch::Contains("AND needs BOOLEAN operands, not INT"));
  CHECK_THAT(error_of("UPPER(id)", s), Catch::Contains("UPPER expects a string as argument 1, not INT"));
  CHECK_THAT(error_of("CAST(b AS INT)", s), Catch::Contains("cannot cast"));
  CHECK_THAT(error_of("REGEXP(topping, '(')", s), Catch::Contains("invalid regular expression"));
  CHECK_THAT(error_of("DATE_FORMAT(CURRENT_TIMESTAMP, 'yyyy-QQ')", s), Catch::Contains("unsupported letter 'Q'"));
  CHECK_THAT(error_of("CASE WHEN id > 1 THEN 'a' ELSE 1 END", s), Catch::Contains("incompatible types CHAR and INT"));
  CHECK_THAT(error_of("id + ", s), Catch::Contains("1:"));  // parse errors keep their location too
  // Multi-line text: the second line starts at column 1 of the file's next line.
  CHECK(error_of("topping\n  = 1", s, where) == "pipeline.yaml:4:3: cannot compare VARCHAR with INT");
}

TEST_CASE("function names are case-insensitive and literals get Flink's types") {
  Schema s = pizza_schema();
  CHECK(compile_expression("upper(topping)", s)->type().id == TypeId::Varchar);
  CHECK(compile_expression("Char_Length(topping)", s)->type() == Type::integer());
  CHECK(compile_expression("30", s)->type() == Type::integer().with_nullable(false));
  CHECK(compile_expression("100.0", s)->type() == Type::decimal(4, 1).with_nullable(false));
  CHECK(compile_expression("1e2", s)->type() == Type::double_type().with_nullable(false));
  CHECK(compile_expression("'x'", s)->type() == Type::char_type(1).with_nullable(false));
  CHECK(compile_expression("'🍍 pineapple'", s)->type() == Type::char_type(11).with_nullable(false));
  CHECK(compile_expression("99999999999999999999", s)->type() == Type::decimal(20, 0).with_nullable(false));
  CHECK(compile_expression("id = 1", s)->type() == Type::boolean());
  CHECK(compile_expression("TIMESTAMP '2023-01-01 10:00:00.123'", s)->type() == Type::timestamp(3).with_nullable(false));
  CHECK(compile_expression("INTERVAL '5' SECOND", s)->type() == Type::interval_day_time().with_nullable(false));
}

TEST_CASE("strings made during evaluation live in the context's arena") {
  Schema s = pizza_schema();
  Arena arena;
  EvalContext ctx{&arena, nullptr, 0};
  Value row[] = {Value::integer(1), Value::string("abc"), Value::null()};
  CHECK(arena.bytes_reserved() == 0);
  Value up = compile_expression("UPPER(topping) || '!'", s)->eval(row, ctx);
  CHECK(up.as_string() == "ABC!");
  CHECK(arena.bytes_reserved() > 0);
  EvalContext no_arena;
  CHECK_THROWS_AS(compile_expression("UPPER(topping)", s)->eval(row, no_arena), EvalError);
}

TEST_CASE("builders can be used without SQL text") {
  SourceLocation here{"", 1, 1};
  CompiledExprPtr e = compare(CompareOp::Equal, column(0, Type::string()), string_literal("🍌 banana"), here);
  Arena arena;
  EvalContext ctx{&arena, nullptr, 0};
  Value yes[] = {Value::string("🍌 banana")};
  Value no[] = {Value::string("🍌 banana ")};
  CHECK(is_true(e->eval(yes, ctx)));
  CHECK_FALSE(is_true(e->eval(no, ctx)));
  CHECK_THROWS_AS(compare(CompareOp::Less, column(0, Type::string()), literal(Value::integer(1), Type::integer()), here),
                  InputError);
  CHECK(common_type(Type::integer(), Type::decimal(5, 2)) == Type::decimal(12, 2));
  CHECK_FALSE(common_type(Type::string(), Type::integer()));
  CHECK(is_scalar_function("concat_ws"));
  CHECK(is_aggregate_function("listagg"));
  CompiledExprPtr arr = array_constructor({literal(Value::integer(1), Type::integer()), literal(Value::integer(2), Type::integer())}, here);
  Value a = arr->eval(nullptr, ctx);
  REQUIRE(a.kind == ValueKind::Array);
  CHECK(a.len == 2);
  CHECK(a.elements()[1].as_int() == 2);
}
