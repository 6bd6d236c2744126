// The reading side of a two-phase exchange: rows get a NULL partial state,
// a partials record becomes one row per partial, and a partials record sent
// again is dropped whole.
#include <catch2/catch.hpp>

#include "core/row_codec.hpp"
#include "dataflow/exchange_records.hpp"
#include "pipelines/graph/exchange_rows.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

RecordView record_of(const std::string& value, int32_t partition, int64_t offset) {
  RecordView v;
  v.topic = "ananas-app-windows-exchange";
  v.partition = partition;
  v.offset = offset;
  v.value = value;
  return v;
}

}  // namespace

TEST_CASE("an exchange behind a two-phase aggregation reads rows and partials", "[exchange][two-phase]") {
  ExchangeRowDecoder decoder(2, /*partials=*/true);
  Batch batch(3);
  Value row[2] = {Value::string("banana"), Value::integer(1000)};
  std::string raw;
  const dataflow::ExchangeRowStamp first{0, 0, 7, 0};
  dataflow::encode_exchange_row(RowKind::Insert, row, 2, raw, &first);
  CHECK(decoder.decode(record_of(raw, 0, 0), batch, 0).status == JsonDecodeStatus::Row);
  REQUIRE(batch.num_rows() == 1);
  CHECK(batch.at(0, 0).as_string() == "banana");
  CHECK(batch.at(0, 2).is_null());  // a row, not a partial

  std::string cells, partials;
  encode_values(row, 2, cells);
  dataflow::encode_exchange_partials({0, 0, 9, 0}, {{cells, "state-1"}, {cells, "state-2"}}, partials);
  const DecodedRecord d = decoder.decode(record_of(partials, 0, 1), batch, 0);
  CHECK(d.status == JsonDecodeStatus::Row);
  REQUIRE(batch.num_rows() == 3);
  CHECK(batch.at(1, 2).as_string() == "state-1");
  CHECK(batch.at(2, 2).as_string() == "state-2");
  CHECK(batch.at(2, 0).as_string() == "banana");

  // Sent again by a writer that restarted: dropped whole, and so are the
  // rows of the records it covered.
  const DecodedRecord again = decoder.decode(record_of(partials, 0, 2), batch, 0);
  CHECK(again.duplicate);
  std::string replayed;
  const dataflow::ExchangeRowStamp covered{0, 0, 8, 0};
  dataflow::encode_exchange_row(RowKind::Insert, row, 2, replayed, &covered);
  CHECK(decoder.decode(record_of(replayed, 0, 3), batch, 0).duplicate);
  CHECK(batch.num_rows() == 3);
}

TEST_CASE("partials in an exchange that carries rows only are an error, not rows", "[exchange][two-phase]") {
  ExchangeRowDecoder decoder(2);
  Batch batch(2);
  Value row[2] = {Value::string("banana"), Value::integer(1000)};
  std::string cells, partials;
  encode_values(row, 2, cells);
  dataflow::encode_exchange_partials({0, 0, 9, 0}, {{cells, "state"}}, partials);
  const DecodedRecord d = decoder.decode(record_of(partials, 0, 0), batch, 0);
  CHECK(d.status == JsonDecodeStatus::Error);
  CHECK_THAT(d.error, Catch::Contains("partial aggregates"));
  CHECK(batch.num_rows() == 0);
}
