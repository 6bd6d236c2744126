// MATCH_RECOGNIZE operator: the tutorial's trend examples, Flink's
// documentation examples, quantifiers, skip strategies, emission order,
// WITHIN, partitions, late rows, state release and snapshot/restore.
// Conditions and measures are built from the navigation nodes the SQL binder
// scope will produce, combined with small C++ lambdas for the scalar logic.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "operators/match_recognize/match_recognize_operator.hpp"
#include "operators/match_recognize/navigation.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace ananas::ops::mr;
using expr::CompiledExprPtr;
using expr::EvalContext;

namespace {

class Lambda final : public expr::CompiledExpr {
 public:
  using Fn = std::function<Value(const Value*, EvalContext&)>;
  Lambda(Type t, Fn f) : CompiledExpr(std::move(t)), f_(std::move(f)) {}
  Value eval(const Value* row, EvalContext& ctx) const override { return f_(row, ctx); }

 private:
  Fn f_;
};

CompiledExprPtr lambda(Type t, Lambda::Fn f) { return std::make_shared<Lambda>(std::move(t), std::move(f)); }

// SQL three-valued logic over BOOLEAN values (NULL = unknown).
Value cmp(const Value& a, const Value& b, const std::function<bool(double, double)>& op) {
  if (a.is_null() || b.is_null()) return Value::null();
  auto num = [](const Value& v) { return v.kind == ValueKind::Double ? v.as_double() : static_cast<double>(v.as_int()); };
  return Value::boolean(op(num(a), num(b)));
}
Value and3(const Value& a, const Value& b) {
  if ((a.kind == ValueKind::Bool && !a.as_bool()) || (b.kind == ValueKind::Bool && !b.as_bool())) return Value::boolean(false);
  if (a.is_null() || b.is_null()) return Value::null();
  return Value::boolean(true);
}
Value or3(const Value& a, const Value& b) {
  if (expr::is_true(a) || expr::is_true(b)) return Value::boolean(true);
  if (a.is_null() || b.is_null()) return Value::null();
  return Value::boolean(false);
}

// Binary condition `f(left, right)` over two navigation expressions.
CompiledExprPtr binary(CompiledExprPtr l, CompiledExprPtr r, std::function<Value(const Value&, const Value&)> f) {
  return lambda(Type::boolean(), [=](const Value* row, EvalContext& ctx) { return f(l->eval(row, ctx), r->eval(row, ctx)); });
}
CompiledExprPtr gt(CompiledExprPtr l, CompiledExprPtr r) {
  return binary(l, r, [](const Value& a, const Value& b) { return cmp(a, b, std::greater<double>()); });
}
CompiledExprPtr lt(CompiledExprPtr l, CompiledExprPtr r) {
  return binary(l, r, [](const Value& a, const Value& b) { return cmp(a, b, std::less<double>()); });
}
CompiledExprPtr is_null(CompiledExprPtr e) {
  return lambda(Type::boolean(), [=](const Value* row, EvalContext& ctx) { return Value::boolean(e->eval(row, ctx).is_null()); });
}
CompiledExprPtr all(CompiledExprPtr a, CompiledExprPtr b) { return binary(a, b, and3); }
CompiledExprPtr any(CompiledExprPtr a, CompiledExprPtr b) { return binary(a, b, or3); }
CompiledExprPtr constant(double d) {
  return lambda(Type::double_type(), [=](const Value*, EvalContext&) { return Value::real(d); });
}
// CAST(col AS STRING) for a BIGINT column.
CompiledExprPtr cast_to_string(size_t column) {
  return lambda(Type::string(), [=](const Value* row, EvalContext& ctx) {
    if (row[column].is_null()) return Value::null();
    return Value::string(ctx.arena->copy(std::to_string(row[column].as_int())));
  });
}

// The trends input: (topping STRING, window_time TIMESTAMP(3) *ROWTIME*, nr_orders BIGINT).
constexpr size_t kKey = 0, kTime = 1, kN = 2;
Schema trends_schema() {
  return Schema{{{"topping", Type::string()},
                 {"window_time", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)},
                 {"nr_orders", Type::bigint()}}};
}
CompiledExprPtr n_col() { return make_column(kN, Type::bigint()); }
CompiledExprPtr time_col() { return make_column(kTime, Type::timestamp(3)); }
CompiledExprPtr last_n(int var, size_t off = 0) { return make_last(var, off, n_col()); }

constexpr int64_t k10am = 1672567200000;  // 2023-01-01 10:00:00 UTC

struct In {
  std::string key;
  int64_t time;
  std::optional<int64_t> n;
};

struct Out {
  std::vector<std::string> text;  // every output cell rendered
  int64_t watermark = 0;          // the watermark that emitted it
  bool operator==(const Out&) const = default;
};

std::string render(const Value& v) {
  switch (v.kind) {
    case ValueKind::Null: return "NULL";
    case ValueKind::String: return std::string(v.as_string());
    case ValueKind::Double: {
      std::string s = std::to_string(v.as_double());
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
      return s;
    }
    default: return std::to_string(v.as_int());
  }
}

BatchPtr make_batch(const Schema& schema, const std::vector<In>& rows) {
  auto b = std::make_shared<Batch>(schema.size());
  for (const auto& r : rows) {
    Value* cells = b->append_row();
    cells[kKey] = Value::string(b->arena().copy(r.key));
    cells[kTime] = Value::integer(r.time);
    cells[kN] = r.n ? Value::integer(*r.n) : Value::null();
  }
  return b;
}

void collect(const std::vector<BatchPtr>& batches, int64_t wm, std::vector<Out>& out) {
  for (const auto& b : batches)
    for (size_t r = 0; r < b->num_rows(); ++r) {
      Out o;
      o.watermark = wm;
      for (size_t c = 0; c < b->num_columns(); ++c) o.text.push_back(render(b->at(r, c)));
      out.push_back(o);
    }
}

// Feeds each row, then advances the watermark to its time (as the window
// aggregate in front of the seeds does; Flink: CepOperator); finally a +inf watermark.
std::vector<Out> run(Operator& op, const std::vector<In>& rows, bool final_watermark = true) {
  std::vector<Out> out;
  for (const auto& r : rows) {
    std::vector<BatchPtr> batches;
    op.process(make_batch(trends_schema(), {r}), batches);
    collect(batches, r.time, out);
    batches.clear();
    op.on_watermark(r.time, batches);
    collect(batches, r.time, out);
  }
  if (final_watermark) {
    std::vector<BatchPtr> batches;
    op.on_watermark(kMaxWatermark, batches);
    collect(batches, kMaxWatermark, out);
  }
  return out;
}

std::vector<In> series(const std::vector<int64_t>& counts, int64_t step_ms, const std::string& key = "🍍 pineapple") {
  std::vector<In> rows;
  for (size_t i = 0; i < counts.size(); ++i)
    rows.push_back({key, k10am + step_ms * static_cast<int64_t>(i + 1) - 1, counts[i]});
  return rows;
}

MatchRecognizeConfig base_config(const std::string& pattern) {
  MatchRecognizeConfig c;
  c.input = trends_schema();
  c.partition_by = {kKey};
  c.order_by = {{kTime, false, {"q.sql", 5, 14}}};
  c.pattern_text = pattern;
  c.pattern_loc = {"q.sql", 9, 14};
  c.skip = {SkipKind::PastLastRow, ""};
  return c;
}

// 04-trends-up-down: PATTERN (START_ROW NR_UP+ NR_DOWN{2}).
MatchRecognizeConfig variant_a() {
  MatchRecognizeConfig c = base_config("START_ROW NR_UP+ NR_DOWN{2}");
  const int S = 0, U = 1, D = 2;
  c.defines.push_back({"NR_UP", any(all(is_null(last_n(U, 1)), gt(last_n(U), last_n(S))), gt(last_n(U), last_n(U, 1))), {}});
  c.defines.push_back({"NR_DOWN", any(all(is_null(last_n(D, 1)), lt(last_n(D), last_n(U, 1))), lt(last_n(D), last_n(D, 1))), {}});
  c.measures.push_back({"start_tstamp", make_last(S, 0, time_col()), {}});
  c.measures.push_back({"various_nr_orders", make_aggregate(MatchAggregate::ListAgg, kUniversal, cast_to_string(kN)), {}});
  return c;
}

// 04-trends: PATTERN (START_ROW NR_UP NR_DOWN), cd <=> 100*(up-down) > 30*up exactly.
MatchRecognizeConfig variant_b() {
  MatchRecognizeConfig c = base_config("START_ROW NR_UP NR_DOWN");
  const int S = 0, U = 1, D = 2;
  c.defines.push_back({"NR_UP", gt(last_n(U), last_n(S)), {}});
  c.defines.push_back({"NR_DOWN", binary(last_n(U), last_n(D), [](const Value& up, const Value& down) {
                         if (up.is_null() || down.is_null()) return Value::null();
                         __int128 u = up.as_int(), d = down.as_int();
                         return Value::boolean(100 * (u - d) > 30 * u);
                       }), {}});
  c.measures.push_back({"start_tstamp", make_last(S, 0, time_col()), {}});
  c.measures.push_back({"various_nr_orders", make_aggregate(MatchAggregate::ListAgg, kUniversal, cast_to_string(kN)), {}});
  return c;
}

std::vector<std::string> details(const std::vector<Out>& out) {
  std::vector<std::string> d;
  for (const auto& o : out) d.push_back(o.text.back());
  return d;
}

const std::vector<int64_t> kR = {5, 7, 9, 6, 4, 3, 8, 10, 2, 1};

}  // namespace

TEST_CASE("match_recognize: variant A worked example (spec 8.1)", "[match_recognize]") {
  MatchRecognizeOperator op(variant_a());
  CHECK(op.output_schema().names() == std::vector<std::string>{"topping", "start_tstamp", "various_nr_orders"});
  auto out = run(op, series(kR, 5000));
  REQUIRE(out.size() == 2);
  CHECK(out[0] == Out{{"🍍 pineapple", std::to_string(k10am + 4999), "5,7,9,6,4"}, k10am + 24999});
  CHECK(out[1] == Out{{"🍍 pineapple", std::to_string(k10am + 29999), "3,8,10,2,1"}, k10am + 49999});
}

TEST_CASE("match_recognize: variant A trap tests (LAST(NR_UP, 1) excludes the candidate)", "[match_recognize]") {
  {
    MatchRecognizeOperator op(variant_a());
    CHECK(run(op, series({5, 7, 6, 4}, 5000)).empty());
  }
  {
    MatchRecognizeOperator op(variant_a());
    CHECK(run(op, series({5, 7, 9, 8, 6}, 5000)).empty());
  }
  {
    MatchRecognizeOperator op(variant_a());
    CHECK(details(run(op, series({1, 2, 3, 4, 2, 1}, 5000))) == std::vector<std::string>{"1,2,3,4,2,1"});
  }
}

TEST_CASE("match_recognize: variant B worked example and 30% boundary (spec 8.2)", "[match_recognize]") {
  {
    MatchRecognizeOperator op(variant_b());
    auto out = run(op, series(kR, 1000));
    REQUIRE(out.size() == 2);
    CHECK(out[0] == Out{{"🍍 pineapple", std::to_string(k10am + 1999), "7,9,6"}, k10am + 3999});
    CHECK(out[1] == Out{{"🍍 pineapple", std::to_string(k10am + 6999), "8,10,2"}, k10am + 8999});
  }
  {
    MatchRecognizeOperator op(variant_b());
    CHECK(run(op, series({5, 10, 7}, 1000)).empty());
  }
  {
    MatchRecognizeOperator op(variant_b());
    CHECK(details(run(op, series({5, 10, 6}, 1000))) == std::vector<std::string>{"5,10,6"});
  }
}

TEST_CASE("match_recognize: partitions are matched independently even when interleaved", "[match_recognize]") {
  MatchRecognizeOperator op(variant_b());
  auto a = series(kR, 1000, "🍍 pineapple");
  auto b = series({5, 10, 6, 1, 1}, 1000, "🍌 banana");
  std::vector<Out> out;
  for (size_t i = 0; i < a.size(); ++i) {
    std::vector<BatchPtr> batches;
    std::vector<In> both{a[i]};
    if (i < b.size()) both.push_back(b[i]);
    op.process(make_batch(trends_schema(), both), batches);
    op.on_watermark(a[i].time, batches);
    collect(batches, a[i].time, out);
  }
  std::vector<std::string> pine, banana;
  for (const auto& o : out) (o.text[0] == "🍌 banana" ? banana : pine).push_back(o.text[2]);
  CHECK(pine == std::vector<std::string>{"7,9,6", "8,10,2"});
  CHECK(banana == std::vector<std::string>{"5,10,6"});
}

TEST_CASE("match_recognize: rows are buffered and sorted until the watermark, late rows dropped", "[match_recognize]") {
  MatchRecognizeOperator op(variant_b());
  auto rows = series({5, 7, 9, 6}, 1000);
  std::vector<BatchPtr> out;
  // out of order within the watermark delay: 6 arrives first, 7 and 9 swapped
  op.process(make_batch(trends_schema(), {rows[3], rows[0], rows[2], rows[1]}), out);
  CHECK(out.empty());
  CHECK(op.stats().state_entries == 4);
  op.on_watermark(rows[2].time, out);  // 5, 7, 9 processed; 6 still buffered
  CHECK(out.empty());
  op.on_watermark(rows[3].time, out);
  std::vector<Out> got;
  collect(out, 0, got);
  REQUIRE(got.size() == 1);
  CHECK(got[0].text[2] == "7,9,6");
  out.clear();
  op.process(make_batch(trends_schema(), {{"🍍 pineapple", rows[3].time, 1}, {"🍍 pineapple", rows[1].time, 1}}), out);
  CHECK(op.stats().late_records_dropped == 2);
  CHECK(op.stats().rows_in == 6);
}

TEST_CASE("match_recognize: Flink docs V-shape, PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)", "[match_recognize]") {
  // docs: ACME prices 12 17 19 21 25 18 15 14 24 25 19 19 at 10:00:00..10:00:11
  // -> (ACME, 10:00:04, 10:00:07, 10:00:08)  (start_tstamp, bottom_tstamp, end_tstamp)
  MatchRecognizeConfig c = base_config("START_ROW PRICE_DOWN+ PRICE_UP");
  const int S = 0, D = 1, U = 2;
  c.defines.push_back({"PRICE_DOWN", any(all(is_null(last_n(D, 1)), lt(last_n(D), last_n(S))), lt(last_n(D), last_n(D, 1))), {}});
  c.defines.push_back({"PRICE_UP", gt(last_n(U), last_n(D)), {}});
  c.measures.push_back({"start_tstamp", make_first(S, 0, time_col()), {}});
  c.measures.push_back({"bottom_tstamp", make_last(D, 0, time_col()), {}});
  c.measures.push_back({"end_tstamp", make_last(U, 0, time_col()), {}});
  MatchRecognizeOperator op(c);
  std::vector<In> rows;
  const int64_t prices[] = {12, 17, 19, 21, 25, 18, 15, 14, 24, 25, 19, 19};
  for (int i = 0; i < 12; ++i) rows.push_back({"ACME", k10am + 1000 * i, prices[i]});
  auto out = run(op, rows);
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == std::vector<std::string>{"ACME", std::to_string(k10am + 4000), std::to_string(k10am + 7000),
                                                std::to_string(k10am + 8000)});
}

namespace {
// Flink docs "After Match Strategy": PATTERN (A+ C), A AS SUM(A.price) < 30,
// MEASURES SUM(A.price), FIRST(rowtime), LAST(rowtime); XYZ prices 7 9 10 5 10 7 14 at 10:00:01..07.
std::vector<std::vector<int64_t>> skip_example(SkipStrategy skip) {
  MatchRecognizeConfig c = base_config("A+ C");
  c.skip = skip;
  CompiledExprPtr sum_a = make_aggregate(MatchAggregate::Sum, 0, n_col());
  c.defines.push_back({"A", lt(sum_a, constant(30)), {}});
  c.measures.push_back({"sumPrice", sum_a, {}});
  c.measures.push_back({"startTime", make_first(kUniversal, 0, time_col()), {}});
  c.measures.push_back({"endTime", make_last(kUniversal, 0, time_col()), {}});
  MatchRecognizeOperator op(c);
  std::vector<In> rows;
  const int64_t prices[] = {7, 9, 10, 5, 10, 7, 14};
  for (int i = 0; i < 7; ++i) rows.push_back({"XYZ", k10am + 1000 * (i + 1), prices[i]});
  std::vector<std::vector<int64_t>> got;
  for (const auto& o : run(op, rows))
    got.push_back({std::stoll(o.text[1]), (std::stoll(o.text[2]) - k10am) / 1000, (std::stoll(o.text[3]) - k10am) / 1000});
  return got;
}
}  // namespace

TEST_CASE("match_recognize: Flink docs skip strategies example", "[match_recognize]") {
  using R = std::vector<std::vector<int64_t>>;
  CHECK(skip_example({SkipKind::PastLastRow, ""}) == R{{26, 1, 4}, {17, 5, 7}});
  CHECK(skip_example({SkipKind::ToNextRow, ""}) == R{{26, 1, 4}, {24, 2, 5}, {25, 3, 6}, {22, 4, 7}, {17, 5, 7}});
  CHECK(skip_example({SkipKind::ToLast, "A"}) == R{{26, 1, 4}, {25, 3, 6}, {17, 5, 7}});
  CHECK_THROWS_WITH(skip_example({SkipKind::ToFirst, "A"}), "Could not skip to first element of a match.");
  // resumes at C (10:00:04), the last row of the first match
  CHECK(skip_example({SkipKind::ToFirst, "C"}) == R{{26, 1, 4}, {22, 4, 7}});
}
