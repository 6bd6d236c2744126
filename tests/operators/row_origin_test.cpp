// Row provenance (Batch::origin) through the operators that map input rows to
// output rows: each output row, and each row an operator fails on, still
// names the source record it was decoded from, which is what lets the worker
// dead-letter a failing row with the record's bytes.
#include <catch2/catch.hpp>

#include "operators/calc.hpp"
#include "operators/unnest.hpp"
#include "operators/window_assign.hpp"
#include "pizza_fixture.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

// Record i: offset 100 + i.
class Records final : public SourceRecords {
 public:
  explicit Records(size_t n) : n_(n) {}
  std::string_view source() const override { return "orders"; }
  size_t size() const override { return n_; }
  SourceRecord at(uint32_t i) const override {
    SourceRecord r;
    r.topic = "orders";
    r.offset = 100 + i;
    return r;
  }
  bool claim(uint32_t) const override { return true; }

 private:
  size_t n_;
};

// `rows` as a source would decode them: row k from record records[k].
BatchPtr traced(size_t width, const std::vector<Row>& rows, const std::vector<uint32_t>& records) {
  auto out = std::make_shared<Batch>(width, rows.size());
  out->set_origin(std::make_shared<Records>(8));
  for (size_t k = 0; k < rows.size(); ++k) {
    Value* dst = out->append_row(rows[k].kind);
    for (size_t c = 0; c < width && c < rows[k].cells.size(); ++c) dst[c] = to_value(rows[k].cells[c], out->arena());
    out->trace_row(records.at(k));
  }
  return out;
}

// The source record offset of every output row, in order (-1: none).
std::vector<int64_t> offsets_of(const std::vector<BatchPtr>& batches) {
  std::vector<int64_t> out;
  for (const auto& b : batches)
    for (size_t r = 0; r < b->num_rows(); ++r) {
      auto rec = b->source_record(r);
      out.push_back(rec ? rec->offset : -1);
    }
  return out;
}

int64_t failed_offset(const RowError& e) {
  auto rec = e.batch->source_record(e.row);
  return rec ? rec->offset : -1;
}

Schema kv() { return Schema{{{"k", Type::integer()}, {"v", Type::integer()}}}; }

}  // namespace

TEST_CASE("Calc keeps each kept row's source record, and a failing row names its own", "[origin][calc]") {
  Schema s = kv();
  auto not_one = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) { return Value::boolean(row[1].as_int() != 1); });
  auto divide = fn(Type::integer(), [](const Value* row, expr::EvalContext&) {
    if (row[1].as_int() == 0) throw expr::EvalError("Division by zero");
    return Value::integer(100 / row[1].as_int());
  });
  std::vector<int64_t> failed;
  CalcOperator op(CalcConfig{s, not_one, std::vector<NamedExpr>{{"q", divide}},
                             [&](const RowError& e) { failed.push_back(failed_offset(e)); }, {}});
  // Records 1 and 4 were bad input the source skipped: rows and records are not 1:1.
  auto input = traced(2, {Row({i(1), i(4)}), Row({i(2), i(1)}), Row({i(3), i(0)}), Row({i(4), i(50)})}, {0, 2, 3, 5});
  std::vector<BatchPtr> out;
  op.process(input, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(25)", "+I(2)"});
  CHECK(offsets_of(out) == std::vector<int64_t>{100, 105});
  CHECK(failed == std::vector<int64_t>{103});

  // Without a projection rows pass through, still traced.
  CalcOperator filter(CalcConfig{s, not_one, std::nullopt, {}, {}});
  out.clear();
  filter.process(input, out);
  CHECK(offsets_of(out) == std::vector<int64_t>{100, 103, 105});
}

TEST_CASE("a batch without an origin gives operator outputs without one", "[origin][calc]") {
  CalcOperator op(CalcConfig{kv(), nullptr, std::nullopt, {}, {}});
  std::vector<BatchPtr> out;
  op.process(batch(2, {Row({i(1), i(2)})}), out);
  REQUIRE(out.size() == 1);
  CHECK_FALSE(out[0]->origin());
  CHECK_FALSE(out[0]->source_record(0));
}

TEST_CASE("UNNEST gives every element row its input row's source record", "[origin][unnest]") {
  Schema schema{{{"k", Type::integer()}, {"xs", Type::array(Type::string())}}};
  auto xs = fn(Type::array(Type::string()), [](const Value* row, expr::EvalContext&) {
    if (row[0].as_int() == 9) throw expr::EvalError("cannot unnest");
    return row[1];
  });
  std::vector<int64_t> failed;
  UnnestOperator op(UnnestConfig{schema, xs, {"x"}, false, [&](const RowError& e) { failed.push_back(failed_offset(e)); }});
  auto input = traced(2, {Row({i(1), arr({s("a"), s("b")})}), Row({i(2), null()}), Row({i(9), arr({s("c")})}),
                          Row({i(3), arr({s("d")})})},
                      {1, 2, 3, 4});
  std::vector<BatchPtr> out;
  op.process(input, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(1,[a,b],a)", "+I(1,[a,b],b)", "+I(3,[d],d)"});
  CHECK(offsets_of(out) == std::vector<int64_t>{101, 101, 104});
  CHECK(failed == std::vector<int64_t>{103});
}

TEST_CASE("the tutorial's UNNEST, UNNEST, filter chain traces each topping to its order's record", "[origin][unnest]") {
  ToppingChain chain;
  auto input = traced(4,
                      {order(1, "A", {pizza("Marinara", {"🍌 banana", "🧅 onion"}), pizza("Diavola", {"🍍 pineapple"})}, 5),
                       order(2, "B", {pizza("Margherita", {"🧅 onion"})}, 6),
                       order(3, "C", {pizza("Marinara", {"🍓 strawberry"})}, 7)},
                      {0, 1, 6});
  auto out = chain.run(input);
  CHECK(rows_of(out).size() == 3);
  CHECK(offsets_of(out) == std::vector<int64_t>{100, 100, 106});
}

TEST_CASE("window assignment gives each window's row its input row's source record", "[origin][window]") {
  Schema in{{{"topping", Type::string()}, {"orderTimestamp", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
  std::vector<int64_t> failed;
  WindowAssignOperator op(WindowAssignConfig{in, 1, WindowSpec{WindowKind::Hop, 10000, 5000, 0},
                                             [&](const RowError& e) { failed.push_back(failed_offset(e)); }});
  auto input = traced(2, {Row({s("x"), i(7000)}), Row({s("y"), null()}), Row({s("z"), i(12000)})}, {0, 1, 2});
  std::vector<BatchPtr> out;
  op.process(input, out);
  CHECK(rows_of(out).size() == 4);  // HOP: two windows per row
  CHECK(offsets_of(out) == std::vector<int64_t>{100, 100, 102, 102});
  CHECK(failed == std::vector<int64_t>{101});  // a NULL rowtime
}
