// Fuzz target: a record of a keyed exchange's topic, as the keyed part
// reads it (pipelines/graph/exchange_rows.hpp), and the partial aggregate
// state a two-phase window aggregation's global phase loads
// (operators/window_partials.hpp). The exchange is an internal topic, but
// anything with access to the brokers can write it: bad bytes must be a
// reported error, never a crash, a hang or half a row.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/expr/binder.hpp"
#include "core/row_codec.hpp"
#include "dataflow/exchange_records.hpp"
#include "fuzz/fuzz_check.hpp"
#include "operators/window_aggregate.hpp"
#include "pipelines/graph/exchange_rows.hpp"

using namespace ananas;

namespace {

// 03's global phase: per topping and 5 s window, COUNT(*), SUM(qty) and
// MAX(topping) (a map of values when loaded).
ops::WindowAggregateConfig global_phase() {
  ops::WindowAggregateConfig c;
  c.input = Schema{{{"topping", Type::string()},
                    {"qty", Type::integer()},
                    {"ts", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)},
                    {"partial", Type::bytes()}}};
  c.time_column = 2;
  c.window = {ops::WindowKind::Tumble, 5000, 0, 0};
  c.keys = {{"topping", expr::compile_expression("topping", c.input)}};
  ops::AggregateCall count, sum, max;
  count.name = "n";
  sum.kind = ops::AggregateKind::Sum;
  sum.name = "qty";
  sum.args = {expr::compile_expression("qty", c.input)};
  max.kind = ops::AggregateKind::Max;
  max.name = "last";
  max.args = {expr::compile_expression("topping", c.input)};
  c.aggregates = {count, sum, max};
  c.partial_column = 3;
  c.on_row_error = [](const ops::RowError&) {};  // counted below through the outcome
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);

  // The bytes as a whole record: rows, partials or a watermark, or an error.
  for (bool partials : {false, true}) {
    pipeline::ExchangeRowDecoder decoder(3, partials);
    Batch batch(partials ? 4 : 3);
    pipeline::RecordView view;
    view.topic = "ananas-fuzz-exchange";
    view.value = std::string_view(bytes);
    const pipeline::DecodedRecord d = decoder.decode(view, batch, 0);
    if (d.status == JsonDecodeStatus::Error) {
      fuzz::check(!d.error.empty(), "an exchange record rejected without a message");
      fuzz::check(batch.num_rows() == 0, "a rejected exchange record left rows behind");
    }
  }

  // The bytes as the state of a well-formed partial: merged, or reported.
  static const ops::WindowAggregateConfig config = global_phase();
  ops::WindowAggregateOperator global(config);
  auto batch = std::make_shared<Batch>(4);
  Value* row = batch->append_row(RowKind::Insert);
  row[0] = Value::string("pineapple");
  row[1] = Value::integer(1);
  row[2] = Value::integer(1000);
  row[3] = Value::string(batch->arena().copy(bytes));
  std::vector<BatchPtr> out;
  global.process(batch, out);
  global.on_watermark(ops::kMaxWatermark, out);
  for (const auto& b : out) fuzz::check(b->num_columns() == global.output_schema().size(), "a result of the wrong width");
  return 0;
}
