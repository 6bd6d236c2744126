// CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP and PROCTIME() in a projection
// evaluate to processing time (Flink docs, Table API & SQL > Functions >
// System (Built-in) Functions > Temporal Functions: in streaming mode they are
// evaluated for each record): the time the source read the row's batch, else
// the processing clock. Session time zone UTC, so TIMESTAMP_LTZ and TIMESTAMP
// hold the same epoch milliseconds.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/expr/binder.hpp"
#include "core/processing_clock.hpp"
#include "operators/calc.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;
using ananas::expr::compile_expression;

namespace {

constexpr int64_t kReadAt = 1714979289123;  // 2024-05-06 07:08:09.123 UTC

Schema one_column() { return Schema{{{"k", Type::integer()}}}; }

CalcOperator clock_projection() {
  Schema s = one_column();
  std::vector<NamedExpr> items{{"ts", compile_expression("CURRENT_TIMESTAMP", s)},
                               {"now", compile_expression("NOW()", s)},
                               {"local", compile_expression("LOCALTIMESTAMP", s)},
                               {"proc", compile_expression("PROCTIME()", s)},
                               {"day", compile_expression("CURRENT_DATE", s)}};
  return CalcOperator(CalcConfig{s, nullptr, std::move(items), {}, {}});
}

std::vector<const Batch*> process(CalcOperator& op, const BatchPtr& input, std::vector<BatchPtr>& out) {
  op.process(input, out);
  std::vector<const Batch*> batches;
  for (const auto& b : out) batches.push_back(b.get());
  return batches;
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("time functions in a projection return the processing time of the row's batch", "[calc]") {
  CalcOperator op = clock_projection();
  CHECK(op.output_schema().columns[0].type.id == TypeId::TimestampLtz);
  CHECK(op.output_schema().columns[2].type.id == TypeId::Timestamp);
  auto input = std::make_shared<Batch>(1);
  input->append_row()[0] = Value::integer(1);
  input->append_row()[0] = Value::integer(2);
  input->set_processing_time_ms(kReadAt);
  std::vector<BatchPtr> out;
  auto batches = process(op, input, out);
  REQUIRE(batches.size() == 1);
  REQUIRE(batches[0]->num_rows() == 2);
  for (size_t r = 0; r < 2; ++r) {
    for (size_t c = 0; c < 4; ++c) CHECK(batches[0]->at(r, c).as_int() == kReadAt);
    CHECK(batches[0]->at(r, 4).as_int() == kReadAt / 86400000);  // days since the epoch
  }
  // Rows derived from the batch (here: the projection's output) keep its time.
  CHECK(batches[0]->processing_time_ms() == kReadAt);
}

TEST_CASE("a batch without a processing time reads the processing clock: the wall clock, not 1970", "[calc]") {
  CalcOperator op = clock_projection();
  auto input = std::make_shared<Batch>(1);
  input->append_row()[0] = Value::integer(1);
  const int64_t before = wall_ms();
  std::vector<BatchPtr> out;
  auto batches = process(op, input, out);
  const int64_t after = wall_ms();
  REQUIRE(batches.size() == 1);
  const int64_t ts = batches[0]->at(0, 0).as_int();
  CHECK(ts >= before);
  CHECK(ts <= after);
  CHECK(batches[0]->at(0, 3).as_int() == ts);
}

TEST_CASE("Batch::retain passes the processing time on unless the batch has its own", "[calc]") {
  auto source = std::make_shared<Batch>(1);
  source->set_processing_time_ms(kReadAt);
  Batch derived(1);
  derived.retain(source);
  CHECK(derived.processing_time_ms() == kReadAt);
  Batch own(1);
  own.set_processing_time_ms(kReadAt + 5);
  own.retain(source);
  CHECK(own.processing_time_ms() == kReadAt + 5);
  own.clear();
  CHECK(own.processing_time_ms() == 0);
}
